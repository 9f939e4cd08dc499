/* sk-demo-shop.h: an in-process shop server on 127.0.0.1 for the demo,
 * tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaks the Shopify Admin REST dialect (GET /admin/api/VERSION/orders.json
 * with status=any, updated_at_min, limit, page_info paging through the Link
 * header, X-Shopify-Shop-Api-Call-Limit, 401 for a wrong
 * X-Shopify-Access-Token, /shop.json for the connection test). Runs its
 * SoupServer on its own thread and main context, so synchronous clients on
 * the caller's thread work. Orders are generated deterministically from a
 * seed: several currencies, multi-line orders with SKUs, addresses in
 * several countries, taxes, discounts, refunds, cancellations, and later
 * updates to existing orders as simulated time advances.
 *
 * As Shopify does: orders.json and orders/count.json take status (default
 * "open"), updated_at_min/_max and created_at_min/_max (ISO 8601 with an
 * offset); limit defaults to 50 and stops at 250; a request with page_info
 * takes no parameter but limit and fields (400 otherwise); orders come by
 * (updated_at, id) and page_info encodes that position, so paging stays
 * stable while orders arrive; other paths answer 404 {"errors":"Not Found"}.
 *
 * The same server also speaks the WooCommerce REST API v3 for a second
 * shop, "Alpine Loom" (SK_DEMO_WOO_SITE), with orders of its own: as many
 * as the Shopify shop, drawn from a seed derived from @seed, moved on by the
 * same advances (sk-demo-data.h tells how they look), made only when first
 * asked for. Under /wp-json/wc/v3:
 * GET orders with HTTP Basic authentication (SK_DEMO_WOO_CONSUMER_KEY and
 * _SECRET; 401 woocommerce_rest_cannot_view without, 401
 * woocommerce_rest_authentication_error for a wrong key or secret),
 * page (from 1) and per_page (default 10, 1 to 100, 400 rest_invalid_param
 * beyond), offset, order (default desc), orderby (date, id, modified),
 * status (a comma-separated list; any = all but trash), after/before on
 * the creation date and modified_after/modified_before (exclusive; read in
 * UTC with dates_are_gmt=true, in the site's UTC+1 otherwise, unless the
 * date carries its offset), X-WP-Total and X-WP-TotalPages, a Link header,
 * 400 woocommerce_rest_invalid_page_number past the last page; GET
 * orders/ID; GET system_status; the indexes /wp-json and /wp-json/wc/v3
 * need no keys; anything else is 404 rest_no_route. There is no rate limit
 * (WooCommerce has none); the faults are shared with the Shopify dialect:
 * whichever request comes next takes them, with WooCommerce's bodies.
 *
 * And it speaks Amazon's Selling Partner API (Orders v0) with its Login
 * with Amazon token endpoint for a third shop, an Amazon seller
 * (SK_DEMO_AMAZON_SELLER_ID, on amazon.com and amazon.ca) with a third as
 * many orders of its own, drawn from another seed derived from @seed and
 * moved on by a third of each advance (rounded up), made when first asked
 * for (sk-demo-data.h tells how they look):
 * POST /auth/o2/token takes grant_type=refresh_token, refresh_token,
 * client_id and client_secret form-encoded (SK_DEMO_AMAZON_CLIENT_ID, …)
 * and answers {"access_token", "refresh_token", "token_type": "bearer",
 * "expires_in": 3600}; a wrong client is 401 invalid_client, a wrong
 * refresh token 400 invalid_grant, another grant 400
 * unsupported_grant_type, a missing field 400 invalid_request. The access
 * token lasts an hour by sk_time_now(). Under /orders/v0 every request
 * needs it in x-amz-access-token (403 Unauthorized without it, when it is
 * not one of ours or has expired, with Amazon's words), and every answer
 * carries x-amzn-RateLimit-Limit: 20.0 and x-amzn-RequestId. GET orders
 * takes MarketplaceIds (required; the seller's two), exactly one of
 * CreatedAfter and LastUpdatedAfter, CreatedBefore/LastUpdatedBefore
 * (inclusive; no later than two minutes ago, which is also the default,
 * as Amazon does), OrderStatuses, FulfillmentChannels, MaxResultsPerPage
 * (1 to 100, default 100) and NextToken (then only MarketplaceIds is
 * read; a token it did not make is 400); orders come by (LastUpdateDate
 * or PurchaseDate, creation), {"payload": {"Orders", "NextToken",
 * "LastUpdatedBefore" or "CreatedBefore"}}; errors are 400 InvalidInput
 * {"errors": [{"code", "message", "details"}]}. GET orders/ID (getOrder),
 * orders/ID/orderItems and orders/ID/address; an unknown id is 404
 * NotFound. POST orders/ID/shipmentConfirmation (confirmShipment) takes
 * {"marketplaceId", "packageDetail": {"packageReferenceId",
 * "carrierCode", "trackingNumber", "shipDate", "orderItems":
 * [{"orderItemId", "quantity"}]}}: 204 and the items are shipped (the
 * order's LastUpdateDate moves); the same packageReferenceId again
 * replaces that package; 400 InvalidInput for a missing field, a
 * marketplaceId other than the order's own, an item not the order's, more
 * than is left to ship ("The order is already shipped." when nothing is),
 * or an order fulfilled by Amazon, pending or canceled.
 * Other paths under /orders are 404. There is no rate limit; the faults
 * are the others', with Amazon's bodies (Login with Amazon's on the token
 * endpoint); MALFORMED_ORDER spoils a getOrders page.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SK_TYPE_DEMO_SHOP (sk_demo_shop_get_type ())
G_DECLARE_FINAL_TYPE (SkDemoShop, sk_demo_shop, SK, DEMO_SHOP, GObject)

/* The token the demo shop accepts. */
#define SK_DEMO_SHOP_TOKEN "shpat_demo_0000000000000000000000"

/* The WooCommerce shop: its site (a channel's account; its base URL is the
 * server's, sk_demo_shop_get_base_url()), its name, its REST API keys and
 * the secret a WooCommerce channel takes (sk_woo_channel_build_secret() of
 * the two keys). */
#define SK_DEMO_WOO_SITE            "alpine-loom.example"
#define SK_DEMO_WOO_SITE_NAME       "Alpine Loom"
#define SK_DEMO_WOO_CONSUMER_KEY    "ck_demo_00000000000000000000000000000000"
#define SK_DEMO_WOO_CONSUMER_SECRET "cs_demo_00000000000000000000000000000000"
#define SK_DEMO_WOO_SECRET \
  "{\"consumer_key\":\"" SK_DEMO_WOO_CONSUMER_KEY "\",\"consumer_secret\":\"" \
  SK_DEMO_WOO_CONSUMER_SECRET "\"}"

/* The Amazon seller: its id (a channel's account; the channel's base URL
 * is the server's, its "lwa_url" sk_demo_shop_get_amazon_lwa_url()), its
 * name, the app's Login with Amazon client and the seller's refresh token,
 * and the secret an Amazon channel takes (the SkLwaCredentials JSON). */
#define SK_DEMO_AMAZON_SELLER_ID      "A2DEMO7OUTFTRS"
#define SK_DEMO_AMAZON_SELLER_NAME    "Cairn Supply"
#define SK_DEMO_AMAZON_CLIENT_ID      "amzn1.application-oa2-client.demo00000000000000000000000000"
#define SK_DEMO_AMAZON_CLIENT_SECRET  "amzn1.oa2-cs.v1.demo0000000000000000000000000000000000000000"
#define SK_DEMO_AMAZON_REFRESH_TOKEN  "Atzr|IwEBIdemo-refresh-0000000000000000000000000000"
#define SK_DEMO_AMAZON_SECRET \
  "{\"client_id\":\"" SK_DEMO_AMAZON_CLIENT_ID "\",\"client_secret\":\"" \
  SK_DEMO_AMAZON_CLIENT_SECRET "\",\"refresh_token\":\"" SK_DEMO_AMAZON_REFRESH_TOKEN "\"}"
#define SK_DEMO_AMAZON_LWA_PATH       "/auth/o2/token"

/* Faults the server injects when asked (for tests and the demo). */
typedef enum {
  SK_DEMO_FAULT_NONE            = 0,
  SK_DEMO_FAULT_429             = 1 << 0,  /* next request: 429 + Retry-After */
  SK_DEMO_FAULT_429_NO_RETRY_AFTER = 1 << 1,
  SK_DEMO_FAULT_500             = 1 << 2,  /* next request: 500 */
  SK_DEMO_FAULT_SLOW            = 1 << 3,  /* responses delayed by slow_ms */
  SK_DEMO_FAULT_TRUNCATED       = 1 << 4,  /* next body cut in half */
  SK_DEMO_FAULT_MALFORMED_ORDER = 1 << 5,  /* one order per page is invalid */
  SK_DEMO_FAULT_NOT_JSON        = 1 << 6,  /* next body is an HTML error page */
} SkDemoFault;

/* @seed makes the generated orders reproducible; @n_orders are generated up
 * front (their created_at spread over the last 60 days before "now"). */
SkDemoShop *sk_demo_shop_new            (guint64       seed,
                                         guint         n_orders);
/* Start listening on 127.0.0.1, port 0. */
gboolean    sk_demo_shop_start          (SkDemoShop   *self,
                                         GError      **error);
void        sk_demo_shop_stop           (SkDemoShop   *self);
/* "http://127.0.0.1:PORT" */
const char *sk_demo_shop_get_base_url   (SkDemoShop   *self);
const char *sk_demo_shop_get_domain     (SkDemoShop   *self); /* "demo-outfitters.myshopify.com" */
guint       sk_demo_shop_get_n_orders   (SkDemoShop   *self);
/* SK_DEMO_WOO_SITE. The WooCommerce shop has as many orders as the
 * Shopify one. */
const char *sk_demo_shop_get_woo_site   (SkDemoShop   *self);

/* SK_DEMO_AMAZON_SELLER_ID. */
const char *sk_demo_shop_get_amazon_seller (SkDemoShop *self);
/* "http://127.0.0.1:PORT/auth/o2/token" while the shop runs, else NULL. */
const char *sk_demo_shop_get_amazon_lwa_url (SkDemoShop *self);
/* The settings of an Amazon channel on this shop (see
 * sk-amazon-channel.h): {"marketplace_ids": [both], "region": "na",
 * "lwa_url": …}. NULL when the shop is not running. */
char       *sk_demo_shop_dup_amazon_settings (SkDemoShop *self);
/* A third of the Shopify shop's (rounded up), plus what advances added. */
guint       sk_demo_shop_get_amazon_n_orders (SkDemoShop *self);

/* Faults: @once faults fire on the next @count requests (MALFORMED_ORDER:
 * the next @count pages with orders); @count 0 clears them. SLOW stays on
 * from a @count > 0 until a @count of 0. Several faults pending at once
 * fire in this order: NOT_JSON, 500, 429, 429_NO_RETRY_AFTER, then the
 * request is served, TRUNCATED and MALFORMED_ORDER spoiling its body. */
void        sk_demo_shop_inject_fault   (SkDemoShop   *self,
                                         SkDemoFault   fault,
                                         guint         count);
void        sk_demo_shop_set_slow_ms    (SkDemoShop   *self,
                                         guint         slow_ms);
/* Bucket size and leak rate for X-Shopify-Shop-Api-Call-Limit (40, 2/s);
 * a full bucket answers 429 with Retry-After: 2.0. @bucket 0 turns the
 * limit off (benchmarks). */
void        sk_demo_shop_set_rate_limit (SkDemoShop   *self,
                                         guint         bucket,
                                         guint         leak_per_second);

/* Simulated time: create @n_new orders and update @n_updates existing ones
 * (payments, fulfillments, refunds, cancellations), bumping updated_at to
 * sk_time_now() (never earlier than the previous advance). Thread-safe. */
void        sk_demo_shop_advance        (SkDemoShop   *self,
                                         guint         n_new,
                                         guint         n_updates);
/* Let the demo generate orders by itself every @interval_ms (0 stops). */
void        sk_demo_shop_set_live       (SkDemoShop   *self,
                                         guint         interval_ms);
/* Requests served so far (for tests). */
guint       sk_demo_shop_get_request_count (SkDemoShop *self);

G_END_DECLS
