/* test-stock-push.c: stock levels to a loopback Shopify and WooCommerce,
 * the Shopify pusher with app credentials, and the end-to-end path from
 * an order on one channel to the lower number on the other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Payloads are those of tests/fixtures/inventory/ and
 * tests/fixtures/orders/ (see SOURCES.md); where a test needs a level or a
 * product to show another number, it copies the real payload and rewrites
 * only ids, SKUs and quantities.
 */
#include "config.h"

#include <string.h>

#include "sk-catalog.h"
#include "sk-error.h"
#include "sk-inventory.h"
#include "sk-outbox-dispatcher.h"
#include "sk-push.h"
#include "sk-shopify-auth.h"
#include "sk-shopify-normalize.h"
#include "sk-stock-push.h"
#include "sk-store-channels.h"
#include "sk-store-inventory.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define TOKEN "shpat_stock_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CLIENT_ID "stock-client-id-7c6b5a49"
#define CLIENT_SECRET "shpss_stock_client_secret_3d2c1b0a"
#define GRANTED "shpat_granted_stock_8f7e6d5c4b3a2918"
#define WOO_KEY "ck_stock_5e6f7a8b"
#define WOO_SECRET "cs_stock_9c0d1e2f"
#define ACCOUNT "stock-outfitters.myshopify.com"

#define API "/admin/api/" SK_SHOPIFY_API_VERSION
#define SHOP_PATH API "/shop.json"
#define PRODUCTS_PATH API "/products.json"
#define ITEMS_PATH API "/inventory_items.json"
#define LEVELS_PATH API "/inventory_levels.json"
#define SET_PATH API "/inventory_levels/set.json"
#define TOKEN_PATH "/admin/oauth/access_token"
#define WOO_PRODUCTS_PATH SK_WOO_API_PREFIX "/products"
#define WOO_PRODUCT_PATH SK_WOO_API_PREFIX "/products/794"
#define WOO_VARIATION_PATH SK_WOO_API_PREFIX "/products/799/variations/733"

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkTestServer *shopify;
  SkTestServer *woo;
  gint64 shopify_id;
  gint64 woo_id;
  char *shopify_secret;
} Fixture;

/* JSON */

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return json_from_string (text, NULL);
}

static GBytes *
node_bytes (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return g_bytes_new (text, strlen (text));
}

static JsonNode *
body_json (SkTestRequest *request)
{
  gsize len;
  const char *data;
  g_autofree char *text = NULL;

  g_assert_nonnull (request->body);
  data = g_bytes_get_data (request->body, &len);
  text = g_strndup (data, len);
  return json_from_string (text, NULL);
}

/* The 2024-10 level of Pink at 655441491 with @available. */
static GBytes *
shopify_levels (const char *item, const char *location, gint64 available)
{
  g_autoptr(JsonNode) levels = sk_test_load_json ("inventory/shopify-inventory-levels-2024-10.json");
  JsonArray *array = json_object_get_array_member (json_node_get_object (levels), "inventory_levels");
  JsonObject *level = json_array_get_object_element (array, 2);
  g_autoptr(JsonArray) one = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_assert_cmpint (json_object_get_int_member (level, "location_id"), ==, 655441491);
  json_object_set_int_member (level, "inventory_item_id", g_ascii_strtoll (item, NULL, 10));
  json_object_set_int_member (level, "location_id", g_ascii_strtoll (location, NULL, 10));
  json_object_set_int_member (level, "available", available);
  json_array_add_object_element (one, json_object_ref (level));
  json_object_set_array_member (root, "inventory_levels", json_array_ref (one));
  json_node_set_object (node, root);
  return node_bytes (node);
}

/* woocommerce-product.json with @sku, managed stock @quantity (-1: not
 * managed). */
static JsonNode *
woo_product (const char *sku, gint64 quantity)
{
  JsonNode *product = sk_test_load_json ("inventory/woocommerce-product.json");
  JsonObject *object = json_node_get_object (product);

  json_object_set_string_member (object, "sku", sku);
  json_object_set_boolean_member (object, "manage_stock", quantity >= 0);
  if (quantity >= 0)
    json_object_set_int_member (object, "stock_quantity", quantity);
  else
    json_object_set_null_member (object, "stock_quantity");
  return product;
}

static GBytes *
woo_product_bytes (const char *sku, gint64 quantity)
{
  g_autoptr(JsonNode) product = woo_product (sku, quantity);

  return node_bytes (product);
}

/* Fixture */

static gint64
add_channel (Fixture      *f,
             SkTestServer *server,
             const char   *kind,
             const char   *name,
             const char   *account)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(GError) error = NULL;

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (account);
  record->base_url = g_strdup (sk_test_server_get_url (server));
  record->secret_ref = g_strdup ("stock-test");
  sk_store_add_channel (f->store, record, &error);
  g_assert_no_error (error);
  return record->id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy once = { 1, 10 * 1000, 100 * 1000 };
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &once);
  sk_http_set_timeout (f->http, 10);
  f->shopify = sk_test_server_new ();
  f->woo = sk_test_server_new ();
  f->shopify_id = add_channel (f, f->shopify, "shopify", "Stock Outfitters", ACCOUNT);
  f->woo_id = add_channel (f, f->woo, "woocommerce", "Stock Woo", "woo.example");
  f->shopify_secret = g_strdup (TOKEN);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->shopify, sk_test_server_free);
  g_clear_pointer (&f->woo, sk_test_server_free);
  g_clear_object (&f->http);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->shopify_secret);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
}

static char *
lookup_secret (const SkChannelRecord *record, gpointer data, GError **error)
{
  Fixture *f = data;

  if (g_strcmp0 (record->kind, "shopify") == 0)
    return g_strdup (f->shopify_secret);
  return sk_woo_channel_build_secret (WOO_KEY, WOO_SECRET);
}

/* A stored listing of @channel_id, confirmed at @confirmed. */
static gint64
add_listing (Fixture    *f,
             gint64      channel_id,
             const char *product,
             const char *variant,
             const char *item,
             const char *location,
             gint64      confirmed)
{
  g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkListing) stored = NULL;
  SkListing *l = sk_listing_new (product, variant);

  l->inventory_ref = g_strdup (item);
  l->location_ref = g_strdup (location);
  l->title = g_strdup ("IPod Nano - 8GB – Pink");
  l->channel_quantity = confirmed;
  g_ptr_array_add (listings, l);
  g_assert_true (sk_store_upsert_listings_sync (f->store, channel_id, listings,
                                                SK_LISTING_UPSERT_NONE, NULL, &error));
  g_assert_no_error (error);
  stored = sk_store_find_listing (f->store, channel_id, product, variant, &error);
  g_assert_no_error (error);
  if (stored == NULL)
    g_error ("The listing %s/%s was not stored", product, variant);
  return stored->id;
}

static gint64
confirmed_of (Fixture *f, gint64 listing_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkListing) listing = sk_store_get_listing (f->store, listing_id, &error);

  g_assert_no_error (error);
  return listing->confirmed_quantity;
}

static char *
payload (gint64 listing_id, const char *product, const char *variant, const char *item,
         const char *location, gint64 quantity)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "listing_id");
  json_builder_add_int_value (b, listing_id);
  json_builder_set_member_name (b, "sku");
  json_builder_add_string_value (b, "IPOD2008PINK");
  json_builder_set_member_name (b, "product_ref");
  json_builder_add_string_value (b, product);
  if (variant != NULL)
    {
      json_builder_set_member_name (b, "variant_ref");
      json_builder_add_string_value (b, variant);
    }
  if (item != NULL)
    {
      json_builder_set_member_name (b, "inventory_ref");
      json_builder_add_string_value (b, item);
    }
  if (location != NULL)
    {
      json_builder_set_member_name (b, "location_ref");
      json_builder_add_string_value (b, location);
    }
  json_builder_set_member_name (b, "quantity");
  json_builder_add_int_value (b, quantity);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

typedef struct {
  gboolean done;
  SkPushResult *result;
} PushWait;

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer data)
{
  PushWait *w = data;
  g_autoptr(GError) error = NULL;

  w->result = sk_pusher_push_finish (SK_PUSHER (source), result, &error);
  g_assert_no_error (error);
  w->done = TRUE;
}

/* Push one row straight through @pusher. */
static SkPushResult *
push_row (Fixture     *f,
          SkPusher    *pusher,
          gint64       channel_id,
          const char  *secret,
          const char  *kind,
          const char  *row_payload)
{
  g_autoptr(SkChannelRecord) record = sk_store_get_channel (f->store, channel_id, NULL);
  g_autoptr(SkPushJob) job = NULL;
  SkOutboxRow row = { 0, };
  PushWait w = { 0, };

  row.id = 1;
  row.channel_id = channel_id;
  row.channel_kind = (char *) record->kind;
  row.kind = (char *) kind;
  row.subject_type = (char *) "listing";
  row.payload = (char *) row_payload;
  row.state = SK_OUTBOX_STATE_SENDING;
  row.attempts = 1;
  job = sk_push_job_new (f->http, record, secret, &row, FALSE);
  sk_pusher_push_async (pusher, job, NULL, on_pushed, &w);
  sk_test_wait_for (&w.done, 30000);
  return w.result;
}

static guint
count_requests (SkTestServer *server, const char *method, const char *path)
{
  guint n = 0;

  for (guint i = 0; i < sk_test_server_get_n_requests (server); i++)
    {
      g_autoptr(SkTestRequest) r = sk_test_server_dup_request (server, i);

      if (g_str_equal (r->path, path) && g_str_equal (r->method, method))
        n++;
    }
  return n;
}

static SkTestRequest *
find_request (SkTestServer *server, const char *method, const char *path, guint n)
{
  for (guint i = 0; i < sk_test_server_get_n_requests (server); i++)
    {
      SkTestRequest *r = sk_test_server_dup_request (server, i);

      if (g_str_equal (r->path, path) && g_str_equal (r->method, method) && n-- == 0)
        return r;
      sk_test_request_free (r);
    }
  g_error ("No %s %s", method, path);
}

/* The payload */

static void
test_parse (void)
{
  g_autoptr(SkStockPush) push = NULL;
  g_autoptr(SkStockPush) negative = NULL;
  g_autoptr(GError) error = NULL;

  push = sk_stock_push_parse ("{\"listing_id\": 5, \"sku\": \"TS-42\", \"product_ref\": \"632910392\","
                              " \"variant_ref\": \"808950810\", \"inventory_ref\": \"39072856\","
                              " \"location_ref\": \"655441491\", \"quantity\": 7, \"previous\": 10}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (push->listing_id, ==, 5);
  g_assert_cmpstr (push->sku, ==, "TS-42");
  g_assert_cmpstr (push->variant_ref, ==, "808950810");
  g_assert_cmpstr (push->inventory_ref, ==, "39072856");
  g_assert_cmpstr (push->location_ref, ==, "655441491");
  g_assert_cmpint (push->quantity, ==, 7);
  g_assert_cmpint (push->previous, ==, 10);

  /* Never a negative number on a channel. */
  negative = sk_stock_push_parse ("{\"listing_id\": 5, \"product_ref\": \"794\", \"quantity\": -2}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (negative->quantity, ==, 0);
  g_assert_cmpint (negative->previous, ==, -1);
  g_assert_null (negative->variant_ref);

  g_assert_null (sk_stock_push_parse ("{\"listing_id\": 5, \"product_ref\": \"794\"}", &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_clear_error (&error);
  g_assert_null (sk_stock_push_parse ("{\"listing_id\": 5, \"quantity\": 3}", &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_clear_error (&error);
  g_assert_null (sk_stock_push_parse ("[]", &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
}

/* Shopify */

static void
test_shopify_set (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_stock_pusher_new (f->store);
  gint64 id = add_listing (f, f->shopify_id, "632910392", "808950810", "808950810", "655441491", 10);
  g_autofree char *row = payload (id, "632910392", "808950810", "808950810", "655441491", 42);
  g_autoptr(GBytes) levels = shopify_levels ("808950810", "655441491", 10);
  g_autoptr(JsonNode) answer = sk_test_load_json ("inventory/shopify-inventory-level-set-2024-10.json");
  g_autoptr(GBytes) set = NULL;
  g_autoptr(SkPushResult) result = NULL;
  g_autoptr(SkTestRequest) read = NULL;
  g_autoptr(SkTestRequest) post = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;

  /* Shopify's answer (808950810 at 655441491), one sale later. */
  json_object_set_int_member (json_object_get_object_member (json_node_get_object (answer), "inventory_level"),
                              "available", 41);
  set = node_bytes (answer);
  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, levels);
  sk_test_server_add_route (f->shopify, SET_PATH, NULL, NULL, 200, NULL, set);

  result = push_row (f, pusher, f->shopify_id, TOKEN, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (result->outcome, ==, SK_PUSH_SENT);
  g_assert_false (result->already_there);

  read = find_request (f->shopify, "GET", LEVELS_PATH, 0);
  g_assert_cmpstr (g_hash_table_lookup (read->params, "inventory_item_ids"), ==, "808950810");
  g_assert_cmpstr (g_hash_table_lookup (read->params, "location_ids"), ==, "655441491");
  post = find_request (f->shopify, "POST", SET_PATH, 0);
  g_assert_cmpstr (soup_message_headers_get_one (post->headers, "X-Shopify-Access-Token"), ==, TOKEN);
  g_assert_true (soup_message_headers_header_contains (post->headers, "Content-Type", "application/json"));
  body = body_json (post);
  object = json_node_get_object (body);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "location_id")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "location_id"), ==, 655441491);
  g_assert_cmpint (json_object_get_int_member (object, "inventory_item_id"), ==, 808950810);
  g_assert_cmpint (json_object_get_int_member (object, "available"), ==, 42);

  /* What Shopify answered is what it confirmed. */
  g_assert_cmpint (confirmed_of (f, id), ==, 41);
}

/* Shopify took its own sale off already: nothing is written. */
static void
test_shopify_already_there (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_stock_pusher_new (f->store);
  gint64 id = add_listing (f, f->shopify_id, "632910392", "808950810", "808950810", "655441491", 10);
  g_autofree char *row = payload (id, "632910392", "808950810", "808950810", "655441491", 7);
  g_autoptr(GBytes) levels = shopify_levels ("808950810", "655441491", 7);
  g_autoptr(SkPushResult) result = NULL;

  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, levels);

  result = push_row (f, pusher, f->shopify_id, TOKEN, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (result->outcome, ==, SK_PUSH_SENT);
  g_assert_true (result->already_there);
  g_assert_cmpuint (count_requests (f->shopify, "POST", SET_PATH), ==, 0);
  g_assert_cmpint (confirmed_of (f, id), ==, 7);
}

static void
test_shopify_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_stock_pusher_new (f->store);
  gint64 id = add_listing (f, f->shopify_id, "632910392", "808950810", "808950810", "655441491", 10);
  g_autofree char *row = payload (id, "632910392", "808950810", "808950810", "655441491", 3);
  g_autofree char *missing = payload (id, "632910392", "808950810", NULL, NULL, 3);
  g_autoptr(GBytes) levels = shopify_levels ("808950810", "655441491", 10);
  const char *words = "{\"errors\":[\"Inventory item does not have inventory tracking enabled\"]}";
  g_autoptr(GBytes) refusal = g_bytes_new_static (words, strlen (words));
  g_autoptr(SkPushResult) result = NULL;
  g_autoptr(SkPushResult) unknown = NULL;

  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, levels);
  sk_test_server_add_route (f->shopify, SET_PATH, NULL, NULL, 422, NULL, refusal);

  result = push_row (f, pusher, f->shopify_id, TOKEN, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (result->outcome, ==, SK_PUSH_REFUSED);
  g_assert_nonnull (strstr (result->message, "inventory tracking enabled"));
  g_assert_nonnull (strstr (result->message, "IPOD2008PINK"));
  g_assert_nonnull (strstr (result->message, "Stock Outfitters"));
  g_assert_cmpint (confirmed_of (f, id), ==, 10);

  /* Without item and location nothing can be asked at all. */
  unknown = push_row (f, pusher, f->shopify_id, TOKEN, SK_OUTBOX_KIND_STOCK_LEVEL, missing);
  g_assert_cmpint (unknown->outcome, ==, SK_PUSH_REFUSED);
  g_assert_nonnull (strstr (unknown->message, "Refresh the channel’s catalog"));
  g_assert_cmpuint (count_requests (f->shopify, "POST", SET_PATH), ==, 1);
}

static void
test_shopify_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_stock_pusher_new (f->store);
  gint64 id = add_listing (f, f->shopify_id, "632910392", "808950810", "808950810", "655441491", 10);
  g_autofree char *row = payload (id, "632910392", "808950810", "808950810", "655441491", 3);
  g_autoptr(SkPushResult) result = NULL;

  sk_test_server_push_status (f->shopify, 503, "17", 1);
  result = push_row (f, pusher, f->shopify_id, TOKEN, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (result->outcome, ==, SK_PUSH_RETRY);
  g_assert_cmpint (result->retry_after, ==, 17);
  g_assert_cmpint (confirmed_of (f, id), ==, 10);
}

static void
serve_token (SkTestServer *server)
{
  g_autofree char *grant = g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"write_inventory,write_fulfillments\",\"expires_in\":86399}",
                                            GRANTED);
  g_autoptr(GBytes) body = g_bytes_new (grant, strlen (grant));

  sk_test_server_add_route (server, TOKEN_PATH, NULL, NULL, 200, NULL, body);
}

static void
assert_tokens (SkTestServer *server)
{
  for (guint i = 0; i < sk_test_server_get_n_requests (server); i++)
    {
      g_autoptr(SkTestRequest) r = sk_test_server_dup_request (server, i);
      const char *sent = soup_message_headers_get_one (r->headers, "X-Shopify-Access-Token");

      if (g_str_equal (r->path, TOKEN_PATH))
        {
          g_assert_null (sent);
          continue;
        }
      g_assert_cmpstr (sent, ==, GRANTED);
      g_assert_null (strstr (sent, "client_secret"));
      if (r->body != NULL)
        g_assert_null (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), CLIENT_SECRET));
    }
}

/* A shop connected with a Dev Dashboard app: its token, never the raw
 * secret; a 401 asks for a new token once. */
static void
test_shopify_app_credentials (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_stock_pusher_new (f->store);
  g_autofree char *secret = sk_shopify_app_credentials_to_secret (CLIENT_ID, CLIENT_SECRET);
  gint64 id = add_listing (f, f->shopify_id, "632910392", "808950810", "808950810", "655441491", 10);
  g_autofree char *row = payload (id, "632910392", "808950810", "808950810", "655441491", 42);
  g_autoptr(GBytes) levels = shopify_levels ("808950810", "655441491", 10);
  g_autoptr(GBytes) set = sk_test_load_fixture ("inventory/shopify-inventory-level-set-2024-10.json");
  g_autoptr(SkPushResult) first = NULL;
  g_autoptr(SkPushResult) second = NULL;
  SkTestRoute *route;
  SkTestFault refused = { 401, NULL, NULL, NULL, NULL, 0, SK_TEST_BODY_FULL };

  serve_token (f->shopify);
  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, levels);
  route = sk_test_server_add_route (f->shopify, SET_PATH, NULL, NULL, 200, NULL, set);

  first = push_row (f, pusher, f->shopify_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (first->outcome, ==, SK_PUSH_SENT);
  g_assert_cmpuint (sk_test_server_count_path (f->shopify, TOKEN_PATH), ==, 1);
  assert_tokens (f->shopify);

  /* The token expired early: one 401, a new token, the same request. */
  sk_test_route_push_fault (route, &refused);
  second = push_row (f, pusher, f->shopify_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (second->outcome, ==, SK_PUSH_SENT);
  g_assert_cmpuint (sk_test_server_count_path (f->shopify, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (count_requests (f->shopify, "POST", SET_PATH), ==, 3);
  assert_tokens (f->shopify);
}

/* The shipments of such a shop go out with its token too. */
static void
test_shopify_fulfillment_app_credentials (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_shopify_pusher_new ();
  g_autofree char *secret = sk_shopify_app_credentials_to_secret (CLIENT_ID, CLIENT_SECRET);
  g_autoptr(JsonNode) fos = sk_test_load_json ("outbox/shopify-fulfillment-orders.json");
  g_autoptr(JsonNode) fulfillments = sk_test_load_json ("outbox/shopify-fulfillments.json");
  g_autoptr(JsonObject) fo_root = json_object_new ();
  g_autoptr(JsonObject) created_root = json_object_new ();
  g_autoptr(JsonNode) fo_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) created_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) fo_body = NULL;
  g_autoptr(GBytes) created_body = NULL;
  g_autoptr(SkPushResult) result = NULL;
  g_autoptr(SkPushResult) refused = NULL;
  const char *fulfillment = "{\"shipment_id\": 7, \"order_id\": 3, \"order_external_id\": \"450789469\","
                            " \"order_number\": \"#1001\", \"carrier\": \"UPS\", \"tracking_number\": \"1Z999AA10123456784\","
                            " \"shipped_at\": \"2024-10-02T14:00:00Z\", \"complete\": false,"
                            " \"lines\": [{\"position\": 0, \"external_id\": \"466157049\", \"sku\": \"IPOD2008GREEN\","
                            " \"title\": \"IPod Nano - 8gb\", \"quantity\": 1}]}";
  const char *bad_grant = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}";
  g_autoptr(GBytes) bad_grant_body = g_bytes_new_static (bad_grant, strlen (bad_grant));

  json_object_set_member (fo_root, "fulfillment_orders", json_node_ref (fos));
  json_node_set_object (fo_node, fo_root);
  fo_body = node_bytes (fo_node);
  json_object_set_member (created_root, "fulfillment",
                          json_node_copy (json_array_get_element (json_node_get_array (fulfillments), 0)));
  json_node_set_object (created_node, created_root);
  created_body = node_bytes (created_node);

  serve_token (f->shopify);
  sk_test_server_add_route (f->shopify, API "/orders/450789469/fulfillment_orders.json", NULL, NULL, 200, NULL, fo_body);
  sk_test_server_add_route (f->shopify, API "/fulfillments.json", NULL, NULL, 201, NULL, created_body);

  result = push_row (f, pusher, f->shopify_id, secret, SK_OUTBOX_KIND_FULFILLMENT, fulfillment);
  g_assert_cmpint (result->outcome, ==, SK_PUSH_SENT);
  g_assert_cmpuint (count_requests (f->shopify, "POST", API "/fulfillments.json"), ==, 1);
  g_assert_cmpuint (sk_test_server_count_path (f->shopify, TOKEN_PATH), ==, 1);
  assert_tokens (f->shopify);

  /* Client credentials Shopify refuses: try again after the user fixed
   * them, with a message that holds no secret. */
  sk_test_server_reset (f->shopify);
  sk_test_server_add_route (f->shopify, TOKEN_PATH, NULL, NULL, 401, NULL, bad_grant_body);
  g_clear_pointer (&secret, g_free);
  secret = sk_shopify_app_credentials_to_secret (CLIENT_ID, "shpss_another_secret_0000");
  refused = push_row (f, pusher, f->shopify_id, secret, SK_OUTBOX_KIND_FULFILLMENT, fulfillment);
  g_assert_cmpint (refused->outcome, ==, SK_PUSH_RETRY);
  g_assert_true (refused->credentials_refused);
  g_assert_null (strstr (refused->message, "shpss_another_secret_0000"));
  g_assert_cmpuint (count_requests (f->shopify, "POST", API "/fulfillments.json"), ==, 0);
}

/* WooCommerce */

static void
test_woo_simple_and_variation (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_woo_stock_pusher_new (f->store);
  g_autofree char *secret = sk_woo_channel_build_secret (WOO_KEY, WOO_SECRET);
  gint64 simple = add_listing (f, f->woo_id, "794", NULL, NULL, NULL, 10);
  gint64 variation = add_listing (f, f->woo_id, "799", "733", NULL, NULL, -1);
  g_autofree char *simple_row = payload (simple, "794", NULL, NULL, NULL, 7);
  g_autofree char *variation_row = payload (variation, "799", "733", NULL, NULL, 0);
  g_autoptr(GBytes) shows_10 = woo_product_bytes ("IPOD2008PINK", 10);
  g_autoptr(GBytes) shows_7 = woo_product_bytes ("IPOD2008PINK", 7);
  g_autoptr(JsonNode) variations = sk_test_load_json ("inventory/woocommerce-variations.json");
  g_autoptr(JsonNode) green = deep_copy (json_array_get_element (json_node_get_array (variations), 0));
  g_autoptr(GBytes) green_before = node_bytes (green);
  g_autoptr(GBytes) green_after = NULL;
  g_autoptr(SkPushResult) first = NULL;
  g_autoptr(SkPushResult) second = NULL;
  g_autoptr(SkTestRequest) put = NULL;
  g_autoptr(SkTestRequest) variation_put = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) variation_body = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *basic = NULL;
  SkTestFault before = { 200, NULL, NULL, NULL, NULL, 0, SK_TEST_BODY_FULL };
  SkTestRoute *route;

  /* The route answers the PUT; the first request (the read) gets what
   * the shop showed before. */
  route = sk_test_server_add_route (f->woo, WOO_PRODUCT_PATH, NULL, NULL, 200, NULL, shows_7);
  before.body = shows_10;
  sk_test_route_push_fault (route, &before);
  json_object_set_boolean_member (json_node_get_object (green), "manage_stock", TRUE);
  json_object_set_int_member (json_node_get_object (green), "stock_quantity", 0);
  green_after = node_bytes (green);
  route = sk_test_server_add_route (f->woo, WOO_VARIATION_PATH, NULL, NULL, 200, NULL, green_after);
  before.body = green_before;
  sk_test_route_push_fault (route, &before);

  first = push_row (f, pusher, f->woo_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, simple_row);
  g_assert_cmpint (first->outcome, ==, SK_PUSH_SENT);
  g_assert_false (first->already_there);
  g_assert_cmpuint (count_requests (f->woo, "GET", WOO_PRODUCT_PATH), ==, 1);
  put = find_request (f->woo, "PUT", WOO_PRODUCT_PATH, 0);
  pair = g_strconcat (WOO_KEY, ":", WOO_SECRET, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  basic = g_strconcat ("Basic ", encoded, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (put->headers, "Authorization"), ==, basic);
  body = body_json (put);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (body)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "stock_quantity"), ==, 7);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (body), "manage_stock"));
  g_assert_cmpint (confirmed_of (f, simple), ==, 7);

  /* A variation: …/products/{parent}/variations/{id}; 0 is a number. */
  second = push_row (f, pusher, f->woo_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, variation_row);
  g_assert_cmpint (second->outcome, ==, SK_PUSH_SENT);
  variation_put = find_request (f->woo, "PUT", WOO_VARIATION_PATH, 0);
  variation_body = body_json (variation_put);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (variation_body), "stock_quantity"), ==, 0);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (variation_body), "manage_stock"));
  g_assert_cmpint (confirmed_of (f, variation), ==, 0);
}

static void
test_woo_already_there_and_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(SkPusher) pusher = sk_woo_stock_pusher_new (f->store);
  g_autofree char *secret = sk_woo_channel_build_secret (WOO_KEY, WOO_SECRET);
  gint64 id = add_listing (f, f->woo_id, "794", NULL, NULL, NULL, 10);
  g_autofree char *row = payload (id, "794", NULL, NULL, NULL, 7);
  g_autoptr(GBytes) shows_7 = woo_product_bytes ("IPOD2008PINK", 7);
  g_autoptr(GBytes) shows_10 = woo_product_bytes ("IPOD2008PINK", 10);
  const char *words = "{\"code\":\"woocommerce_rest_product_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":404}}";
  g_autoptr(GBytes) gone = g_bytes_new_static (words, strlen (words));
  g_autoptr(SkPushResult) there = NULL;
  g_autoptr(SkPushResult) refused = NULL;
  g_autoptr(SkPushResult) no_keys = NULL;
  SkTestFault before = { 200, NULL, NULL, NULL, NULL, 0, SK_TEST_BODY_FULL };
  SkTestRoute *route;

  sk_test_server_add_route (f->woo, WOO_PRODUCT_PATH, NULL, NULL, 200, NULL, shows_7);
  there = push_row (f, pusher, f->woo_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (there->outcome, ==, SK_PUSH_SENT);
  g_assert_true (there->already_there);
  g_assert_cmpuint (count_requests (f->woo, "PUT", WOO_PRODUCT_PATH), ==, 0);
  g_assert_cmpint (confirmed_of (f, id), ==, 7);

  sk_test_server_reset (f->woo);
  route = sk_test_server_add_route (f->woo, WOO_PRODUCT_PATH, NULL, NULL, 404, NULL, gone);
  before.body = shows_10;
  sk_test_route_push_fault (route, &before);
  refused = push_row (f, pusher, f->woo_id, secret, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (refused->outcome, ==, SK_PUSH_REFUSED);
  g_assert_nonnull (strstr (refused->message, "Invalid ID."));
  g_assert_null (strstr (refused->message, WOO_SECRET));
  g_assert_cmpint (confirmed_of (f, id), ==, 7);

  no_keys = push_row (f, pusher, f->woo_id, NULL, SK_OUTBOX_KIND_STOCK_LEVEL, row);
  g_assert_cmpint (no_keys->outcome, ==, SK_PUSH_RETRY);
  g_assert_true (no_keys->credentials_refused);
}

/* End to end */

typedef struct {
  gboolean done;
  GError *error;
} Wait;

static void
on_pulled (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  sk_catalog_pull_finish (SK_CHANNEL (source), result, NULL, &w->error);
  w->done = TRUE;
}

static void
on_synced (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  sk_channel_sync_finish (SK_CHANNEL (source), result, NULL, &w->error);
  w->done = TRUE;
}

static SkChannel *
channel_for (Fixture *f, gint64 id, const char *secret)
{
  g_autoptr(SkChannelRecord) record = sk_store_get_channel (f->store, id, NULL);
  g_autoptr(GError) error = NULL;
  SkChannel *channel = sk_channel_new_for_record (f->store, f->http, record, &error);

  g_assert_no_error (error);
  sk_channel_set_secret (channel, secret);
  return channel;
}

static void
pull_catalog (SkChannel *channel)
{
  Wait w = { 0, };

  sk_catalog_pull_async (channel, SK_CATALOG_PULL_DEFAULT, NULL, on_pulled, &w);
  sk_test_wait_for (&w.done, 30000);
  g_assert_no_error (w.error);
}

/* A's catalog: the IPod Touch of the 2024-10 products (IPOD2009BLACK,
 * variant and inventory item 447654529), 10 available at the shop's
 * primary location. */
static void
serve_shopify_catalog (Fixture *f)
{
  g_autoptr(JsonNode) products = sk_test_load_json ("inventory/shopify-products-2024-10.json");
  JsonArray *all = json_object_get_array_member (json_node_get_object (products), "products");
  g_autoptr(GBytes) shop = sk_test_load_fixture ("inventory/shopify-shop-2024-10.json");
  g_autoptr(GBytes) items = sk_test_load_fixture ("inventory/shopify-inventory-items-2024-10.json");
  g_autoptr(GBytes) levels = shopify_levels ("447654529", "655441491", 10);
  g_autoptr(GBytes) touch = NULL;

  json_array_remove_element (all, 0);
  touch = node_bytes (products);
  sk_test_server_add_route (f->shopify, SHOP_PATH, NULL, NULL, 200, NULL, shop);
  sk_test_server_add_route (f->shopify, PRODUCTS_PATH, NULL, NULL, 200, NULL, touch);
  sk_test_server_add_route (f->shopify, ITEMS_PATH, NULL, NULL, 200, NULL, items);
  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, levels);
}

/* B's catalog: the documentation's simple product 794 selling the same
 * SKU, WooCommerce managing 10. */
static void
serve_woo_catalog (Fixture *f)
{
  g_autoptr(JsonNode) product = woo_product ("IPOD2009BLACK", 10);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(JsonNode) page_node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GBytes) body = NULL;
  SkTestRoute *route;

  json_array_add_element (page, json_node_ref (product));
  json_node_set_array (page_node, page);
  body = node_bytes (page_node);
  route = sk_test_server_add_route (f->woo, WOO_PRODUCTS_PATH, NULL, NULL, 200, NULL, body);
  sk_test_route_add_header (route, "X-WP-TotalPages", "1");
}

/* order-pending-2024-10.json (open, IPOD2009BLACK) for 3, created now. */
static JsonNode *
order_for_three (void)
{
  g_autoptr(JsonNode) file = sk_test_load_json ("orders/shopify/order-pending-2024-10.json");
  JsonNode *order = deep_copy (json_object_get_member (json_node_get_object (file), "order"));
  JsonObject *object = json_node_get_object (order);
  JsonObject *line = json_array_get_object_element (json_object_get_array_member (object, "line_items"), 0);
  g_autofree char *now = sk_time_format_iso8601 (sk_time_now ());

  g_assert_cmpstr (json_object_get_string_member (line, "sku"), ==, "IPOD2009BLACK");
  g_assert_cmpint (json_object_get_int_member (line, "variant_id"), ==, 447654529);
  json_object_set_int_member (line, "quantity", 3);
  json_object_set_int_member (line, "current_quantity", 3);
  json_object_set_int_member (line, "fulfillable_quantity", 3);
  json_object_set_string_member (object, "created_at", now);
  json_object_set_string_member (object, "updated_at", now);
  return order;
}

static SkEvent *
find_event (GPtrArray *events, const char *what)
{
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((SkEvent *) g_ptr_array_index (events, i))->what, what))
      return g_ptr_array_index (events, i);
  g_error ("No “%s” event", what);
}

typedef struct {
  Fixture *f;
  gint64 listing_a;
  gint64 listing_b;
} Settled;

static gboolean
both_settled (gpointer data)
{
  Settled *s = data;

  return count_requests (s->f->woo, "PUT", WOO_PRODUCT_PATH) >= 1 &&
         confirmed_of (s->f, s->listing_a) == 7 && confirmed_of (s->f, s->listing_b) == 7 &&
         sk_store_count_outbox_backlog (s->f->store, 0, NULL) == 0;
}

static gboolean
inventory_idle (gpointer data)
{
  return !sk_inventory_get_busy (data);
}

/* Channels A (Shopify) and B (WooCommerce) list the same SKU, 10 on hand.
 * An order for 3 arrives on A through A's real sync; the engine reserves
 * them; B is told 7. A is told nothing when it shows 7 already (it
 * lowered its own number when it sold: @a_decremented), else it is told 7
 * too. */
static void
run_end_to_end (Fixture *f, gboolean a_decremented)
{
  g_autoptr(SkChannel) a = channel_for (f, f->shopify_id, TOKEN);
  g_autofree char *woo_secret = sk_woo_channel_build_secret (WOO_KEY, WOO_SECRET);
  g_autoptr(SkChannel) b = channel_for (f, f->woo_id, woo_secret);
  g_autoptr(SkInventory) inventory = NULL;
  g_autoptr(SkOutboxDispatcher) dispatcher = NULL;
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(SkSku) sku = NULL;
  g_autoptr(SkListing) listing_a = NULL;
  g_autoptr(SkListing) listing_b = NULL;
  g_autoptr(GBytes) a_level = NULL;
  g_autoptr(GBytes) set = sk_test_load_fixture ("inventory/shopify-inventory-level-set-2024-10.json");
  g_autoptr(GBytes) b_shows_10 = woo_product_bytes ("IPOD2009BLACK", 10);
  g_autoptr(GBytes) b_shows_7 = woo_product_bytes ("IPOD2009BLACK", 7);
  g_autoptr(SkTestRequest) put = NULL;
  g_autoptr(SkTestRequest) read = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) events_b = NULL;
  g_autoptr(GError) error = NULL;
  SkTestFault before = { 200, NULL, NULL, NULL, NULL, 0, SK_TEST_BODY_FULL };
  SkTestRoute *route;
  SkEvent *push_event;
  Settled settled = { f, 0, 0 };
  Wait w = { 0, };

  /* The catalogs: A first (an empty profile takes its SKU and count of
   * 10), then B, matched by SKU. */
  serve_shopify_catalog (f);
  serve_woo_catalog (f);
  pull_catalog (a);
  pull_catalog (b);
  sku = sk_store_find_sku (f->store, "IPOD2009BLACK", &error);
  g_assert_no_error (error);
  g_assert_nonnull (sku);
  g_assert_cmpint (sku->on_hand, ==, 10);
  listing_a = sk_store_find_listing (f->store, f->shopify_id, "921728736", "447654529", &error);
  listing_b = sk_store_find_listing (f->store, f->woo_id, "794", "", &error);
  g_assert_nonnull (listing_a);
  g_assert_nonnull (listing_b);
  g_assert_cmpint (listing_a->sku_id, ==, sku->id);
  g_assert_cmpint (listing_b->sku_id, ==, sku->id);
  g_assert_cmpint (listing_a->confirmed_quantity, ==, 10);
  g_assert_cmpint (listing_b->confirmed_quantity, ==, 10);
  settled.listing_a = listing_a->id;
  settled.listing_b = listing_b->id;

  /* The engine agrees with both channels: nothing to push. */
  inventory = sk_inventory_new (f->store);
  sk_inventory_start (inventory);
  sk_test_wait_until (inventory_idle, inventory, 30000);
  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, 0, NULL), ==, 0);

  dispatcher = sk_outbox_dispatcher_new (f->store, NULL, f->http);
  sk_outbox_dispatcher_set_secret_lookup (dispatcher, lookup_secret, f, NULL);
  sk_outbox_dispatcher_start (dispatcher);

  /* What the shops answer from now on. */
  sk_test_server_reset (f->shopify);
  sk_test_server_reset (f->woo);
  g_ptr_array_add (orders, order_for_three ());
  routes = sk_test_server_serve_shopify_orders (f->shopify, ACCOUNT, orders, 50);
  a_level = shopify_levels ("447654529", "655441491", a_decremented ? 7 : 10);
  sk_test_server_add_route (f->shopify, LEVELS_PATH, NULL, NULL, 200, NULL, a_level);
  sk_test_server_add_route (f->shopify, SET_PATH, NULL, NULL, 200, NULL, set);
  route = sk_test_server_add_route (f->woo, WOO_PRODUCT_PATH, NULL, NULL, 200, NULL, b_shows_7);
  before.body = b_shows_10;
  sk_test_route_push_fault (route, &before);

  /* The order arrives on A. */
  sk_channel_sync_async (a, NULL, on_synced, &w);
  sk_test_wait_for (&w.done, 30000);
  g_assert_no_error (w.error);

  sk_test_wait_until (both_settled, &settled, 30000);

  /* Reserved, not sold: on hand stays 10, 7 available. */
  g_clear_pointer (&sku, sk_sku_free);
  sku = sk_store_find_sku (f->store, "IPOD2009BLACK", &error);
  g_assert_cmpint (sku->on_hand, ==, 10);
  g_assert_cmpint (sku->reserved, ==, 3);
  g_assert_cmpint (sku->available, ==, 7);

  /* The engine queued 7 for B (from 10), and it went out. */
  events_b = sk_store_list_events (f->store, "listing", settled.listing_b, &error);
  g_assert_no_error (error);
  push_event = find_event (events_b, "stock-push");
  g_assert_cmpstr (push_event->from_value, ==, "10");
  g_assert_cmpstr (push_event->to_value, ==, "7");
  g_assert_nonnull (find_event (events_b, "outbox-sent"));

  /* B received 7. */
  g_assert_cmpuint (count_requests (f->woo, "PUT", WOO_PRODUCT_PATH), ==, 1);
  put = find_request (f->woo, "PUT", WOO_PRODUCT_PATH, 0);
  body = body_json (put);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "stock_quantity"), ==, 7);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (body), "manage_stock"));

  /* A was asked what it shows, and told only when it differed. */
  read = find_request (f->shopify, "GET", LEVELS_PATH, 0);
  g_assert_cmpstr (g_hash_table_lookup (read->params, "inventory_item_ids"), ==, "447654529");
  g_assert_cmpstr (g_hash_table_lookup (read->params, "location_ids"), ==, "655441491");
  if (a_decremented)
    g_assert_cmpuint (count_requests (f->shopify, "POST", SET_PATH), ==, 0);
  else
    {
      g_autoptr(SkTestRequest) post = find_request (f->shopify, "POST", SET_PATH, 0);
      g_autoptr(JsonNode) set_body = body_json (post);

      g_assert_cmpuint (count_requests (f->shopify, "POST", SET_PATH), ==, 1);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (set_body), "available"), ==, 7);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (set_body), "inventory_item_id"), ==, 447654529);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (set_body), "location_id"), ==, 655441491);
    }

  /* Nothing more to send: both confirmed what they should show. */
  sk_test_wait_until (inventory_idle, inventory, 30000);
  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, 0, NULL), ==, 0);

  sk_outbox_dispatcher_stop (dispatcher);
}

static void
test_end_to_end (Fixture *f, gconstpointer data)
{
  run_end_to_end (f, TRUE);
}

static void
test_end_to_end_a_behind (Fixture *f, gconstpointer data)
{
  run_end_to_end (f, FALSE);
}

int
main (int argc, char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

  g_test_add_func ("/stock-push/parse", test_parse);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/stock-push/shopify/set", test_shopify_set);
  ADD ("/stock-push/shopify/already-there", test_shopify_already_there);
  ADD ("/stock-push/shopify/refused", test_shopify_refused);
  ADD ("/stock-push/shopify/retry", test_shopify_retry);
  ADD ("/stock-push/shopify/app-credentials", test_shopify_app_credentials);
  ADD ("/stock-push/shopify/fulfillment-app-credentials", test_shopify_fulfillment_app_credentials);
  ADD ("/stock-push/woo/simple-and-variation", test_woo_simple_and_variation);
  ADD ("/stock-push/woo/already-there-and-refused", test_woo_already_there_and_refused);
  ADD ("/stock-push/end-to-end", test_end_to_end);
  ADD ("/stock-push/end-to-end-a-behind", test_end_to_end_a_behind);
#undef ADD

  return g_test_run ();
}
