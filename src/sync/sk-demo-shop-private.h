/* sk-demo-shop-private.h: shared by the demo shop's server and its dialects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sk-demo-shop.c runs the server and the Shopify orders API;
 * sk-demo-shop-woo.c the WooCommerce dialect; sk-demo-shop-amazon.c the
 * Amazon one (Login with Amazon and the Orders v0 API);
 * sk-demo-shop-shopify.c Shopify fulfillments; sk-demo-shop-catalog.c the
 * Shopify and WooCommerce shops' products and stock. Handlers run on the server thread with the shop's lock held.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sk-demo-data.h"
#include "sk-demo-shop.h"

G_BEGIN_DECLS

#define DEMO_DOMAIN "demo-outfitters.myshopify.com"
#define MAX_LIMIT 250
#define DEFAULT_LIMIT 50
#define N_FAULTS 7
#define STATUS_TOO_MANY_REQUESTS 429  /* libsoup 3.2 has no name for it */

#define JSON_TYPE "application/json; charset=utf-8"
#define WOO_JSON_TYPE "application/json; charset=UTF-8"
#define WOO_DEFAULT_PER_PAGE 10
#define WOO_MAX_PER_PAGE 100
/* The second book's seed, from the shop's. */
#define WOO_SEED_SALT G_GUINT64_CONSTANT (0x576f6f436f6d6d65)
/* The third's, and its size: a third of the others, so that the demo's
 * first sync of the Amazon channel, an order and two calls per order, is
 * quick. Advances move it by a third too (rounded up). */
#define AMAZON_SEED_SALT G_GUINT64_CONSTANT (0x416d617a6f6e5350)
#define AMAZON_SHARE(n) (((n) + 2) / 3)
/* What every Selling Partner API answer says of the rate (requests per
 * second): generous, so the connector's limiter lets the demo's backfill
 * through in seconds. */
#define AMAZON_RATE_LIMIT "20.0"

#define BODY_NOT_FOUND "{\"errors\":\"Not Found\"}"
#define BODY_UNAUTHORIZED \
  "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}"
#define BODY_THROTTLED \
  "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}"
#define BODY_SERVER_ERROR "{\"errors\":\"Internal Server Error\"}"
#define WOO_BODY_NO_ROUTE \
  "{\"code\":\"rest_no_route\",\"message\":\"No route was found matching the URL and request method.\",\"data\":{\"status\":404}}"
#define WOO_BODY_CANNOT_VIEW \
  "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list resources.\",\"data\":{\"status\":401}}"
#define WOO_BODY_BAD_KEY \
  "{\"code\":\"woocommerce_rest_authentication_error\",\"message\":\"Consumer key is invalid.\",\"data\":{\"status\":401}}"
#define WOO_BODY_BAD_SECRET \
  "{\"code\":\"woocommerce_rest_authentication_error\",\"message\":\"Consumer secret is invalid.\",\"data\":{\"status\":401}}"
#define WOO_BODY_INVALID_ID \
  "{\"code\":\"woocommerce_rest_shop_order_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":404}}"
#define WOO_BODY_PAGE_RANGE \
  "{\"code\":\"woocommerce_rest_invalid_page_number\",\"message\":\"The page number requested is larger than the number of pages available.\",\"data\":{\"status\":400}}"
#define WOO_BODY_THROTTLED \
  "{\"code\":\"rest_too_many_requests\",\"message\":\"Too many requests. Please wait and try again.\",\"data\":{\"status\":429}}"
#define WOO_BODY_SERVER_ERROR \
  "{\"code\":\"internal_server_error\",\"message\":\"<p>There has been a critical error on this website.</p>" \
  "<p><a href=\\\"https://wordpress.org/documentation/article/faq-troubleshooting/\\\">Learn more about troubleshooting WordPress.</a></p>\"," \
  "\"data\":{\"status\":500},\"additional_errors\":[]}"
#define WOO_BODY_MISSING_NOTE \
  "{\"code\":\"rest_missing_callback_param\",\"message\":\"Missing parameter(s): note\",\"data\":{\"status\":400,\"params\":[\"note\"]}}"
#define WOO_BODY_INVALID_NOTE \
  "{\"code\":\"woocommerce_rest_invalid_id\",\"message\":\"Invalid resource ID.\",\"data\":{\"status\":404}}"
#define WOO_BODY_INVALID_PRODUCT \
  "{\"code\":\"woocommerce_rest_product_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":404}}"
#define WOO_BODY_INVALID_VARIATION \
  "{\"code\":\"woocommerce_rest_product_variation_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":404}}"
#define AMAZON_BODY_SERVER_ERROR \
  "{\"errors\":[{\"code\":\"InternalFailure\",\"message\":\"We encountered an internal error. Please try again.\",\"details\":\"\"}]}"
#define AMAZON_BODY_THROTTLED \
  "{\"errors\":[{\"code\":\"QuotaExceeded\",\"message\":\"You exceeded your quota for the requested resource.\",\"details\":\"\"}]}"
#define LWA_BODY_SERVER_ERROR \
  "{\"error_description\":\"The authorization server encountered an unexpected condition which prevented it from fulfilling the request.\",\"error\":\"server_error\"}"
#define LWA_BODY_THROTTLED \
  "{\"error_description\":\"The authorization server is currently unable to handle the request due to a temporary overloading.\",\"error\":\"temporarily_unavailable\"}"
#define BODY_BAD_GATEWAY \
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" \
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n" \
  "</body>\r\n</html>\r\n"

#define CATALOG_SLOTS 64       /* variants per product, at most */

struct _SkDemoShop
{
  GObject parent_instance;

  /* guards everything below up to the thread part */
  GMutex lock;
  SkDemoData *data;
  /* the WooCommerce shop's book: made on its first request, then brought
   * through the advances the Shopify book had (woo_log) */
  SkDemoData *woo_data;
  GArray *woo_log;
  /* the Amazon seller's book, the same way (amazon_log) */
  SkDemoData *amazon_data;
  GArray *amazon_log;
  guint amazon_tokens;     /* access tokens handed out */
  guint64 seed;
  guint n_initial;
  gint64 created_now;
  guint fault_count[N_FAULTS];
  gboolean slow;
  guint slow_ms;
  guint bucket;
  guint leak_per_second;
  gint64 level_milli;      /* bucket fill in thousandths of a call */
  gint64 level_at;         /* monotonic µs of the last leak */
  guint live_interval_ms;
  GSource *live_source;
  guint live_ticks;

  /* the server thread */
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GCond started_cond;
  gboolean started;
  GError *start_error;
  char *base_url;
  char *lwa_url;
  GList *pending;          /* Pending slow requests: server thread only */
  gint request_count;      /* atomic */

  /* the catalogue's stock, by product × CATALOG_SLOTS + variant (under
   * the lock): what each shop has on hand */
  gint64 *shopify_stock;
  gint64 *woo_stock;
};

static inline guint
_sk_demo_fault_index (SkDemoFault fault)
{
  return (guint) g_bit_nth_lsf ((gulong) fault, -1);
}

/* sk-demo-shop.c */
SkDemoData *_sk_demo_shop_woo_book    (SkDemoShop   *self);
SkDemoData *_sk_demo_shop_amazon_book (SkDemoShop   *self);
gboolean    _sk_demo_shop_take_fault  (SkDemoShop   *self,
                                       SkDemoFault   fault);
GString    *_sk_demo_static_body      (const char   *text);
GString    *_sk_demo_param_error      (const char   *param,
                                       const char   *message);
/* The request's body parsed as a JSON object, NULL when it is none. */
JsonObject *_sk_demo_request_object   (SoupServerMessage *msg,
                                       JsonNode         **out_root);

/* sk-demo-shop-woo.c: @route is the path after /wp-json. */
guint       _sk_demo_shop_serve_woo   (SkDemoShop         *self,
                                       SoupServerMessage  *msg,
                                       const char         *route,
                                       GHashTable         *query,
                                       GString           **body);
GString    *_sk_demo_woo_param_error  (const char         *param,
                                       const char         *message);
const char *_sk_demo_query_param      (GHashTable         *query,
                                       const char         *name);
gboolean    _sk_demo_woo_uint_param   (GHashTable         *query,
                                       const char         *name,
                                       guint64             min,
                                       guint64             max,
                                       guint64            *inout,
                                       GString           **body);

/* sk-demo-shop-amazon.c: whether @path is the Amazon dialect's (the
 * token endpoint or the Orders API), and serving it. @lwa tells which of
 * the two. */
gboolean    _sk_demo_shop_is_amazon   (const char         *path,
                                       gboolean           *lwa);
guint       _sk_demo_shop_serve_amazon (SkDemoShop        *self,
                                       SoupServerMessage  *msg,
                                       const char         *path,
                                       GHashTable         *query,
                                       GString           **body);

/* sk-demo-shop-shopify.c: fulfillments; 0 when @rest (the path after
 * /admin/api/VERSION/) is none of its routes. */
guint       _sk_demo_shop_serve_fulfillments (SkDemoShop         *self,
                                       SoupServerMessage  *msg,
                                       const char         *method,
                                       const char         *rest,
                                       GString           **body);

/* sk-demo-shop-catalog.c */
void        _sk_demo_shop_catalog_init (SkDemoShop        *self);
void        _sk_demo_shop_catalog_free (SkDemoShop        *self);
/* Shopify products, inventory and locations; 0 when @rest is none of
 * them. */
guint       _sk_demo_shop_serve_catalog (SkDemoShop         *self,
                                       SoupServerMessage  *msg,
                                       const char         *method,
                                       const char         *version,
                                       const char         *rest,
                                       GHashTable         *query,
                                       GString           **body);
/* WooCommerce products/…: @rest is the path after /wc/v3/products. */
guint       _sk_demo_shop_serve_woo_products (SkDemoShop         *self,
                                       SoupServerMessage  *msg,
                                       const char         *method,
                                       const char         *rest,
                                       GHashTable         *query,
                                       GString           **body);

G_END_DECLS
