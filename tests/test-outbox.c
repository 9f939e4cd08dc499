/* test-outbox.c: shipments, the outbox and its dispatcher, against a
 * loopback Shopify, WooCommerce and Amazon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders come from the real payloads of tests/fixtures/orders/ through the
 * connectors' normalizers. Shopify's fulfillment orders and fulfillments
 * are the shopify-api-ruby fixtures of tests/fixtures/outbox/ (see
 * SOURCES.md); where a test needs a fulfillment order for another line of
 * the same order, it copies one and rewrites only ids.
 */
#include "config.h"

#include <string.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-error.h"
#include "sk-lwa.h"
#include "sk-outbox-dispatcher.h"
#include "sk-push.h"
#include "sk-shopify-normalize.h"
#include "sk-store-import.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define SHOPIFY_TOKEN "shpat_outbox_0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
#define WOO_KEY "ck_outbox_4c1d0f3e9a7b"
#define WOO_SECRET "cs_outbox_8e2a6c4b0d9f"
#define LWA_ACCESS_TOKEN "Atza|outbox-test-access-token"

#define SHOPIFY_API "/admin/api/" SK_SHOPIFY_API_VERSION
#define SHOPIFY_ORDER "450789469"
#define SHOPIFY_FO_PATH SHOPIFY_API "/orders/" SHOPIFY_ORDER "/fulfillment_orders.json"
#define SHOPIFY_CHECK_PATH SHOPIFY_API "/orders/" SHOPIFY_ORDER "/fulfillments.json"
#define SHOPIFY_POST_PATH SHOPIFY_API "/fulfillments.json"

#define WOO_ORDER_PATH SK_WOO_API_PREFIX "/orders/727"
#define WOO_NOTES_PATH SK_WOO_API_PREFIX "/orders/727/notes"

#define AMAZON_ORDER "902-1845936-5435065"
#define AMAZON_CONFIRM_PATH SK_AMAZON_ORDERS_PATH "/" AMAZON_ORDER "/shipmentConfirmation"
#define LWA_PATH "/auth/o2/token"

typedef struct {
  char *tmpdir;
  char *path;
  SkStore *store;
  SkHttp *http;
  SkTestServer *server;
  SkOutboxDispatcher *dispatcher;
  GPtrArray *signals;          /* Signal */
  gint64 shopify_id;
  gint64 woo_id;
  gint64 amazon_id;
} Fixture;

typedef struct {
  char *name;
  gint64 row_id;
  gint64 channel_id;
  char *dedup_key;
  char *message;
  gboolean flag;
} Signal;

static void
signal_free (Signal *s)
{
  g_free (s->name);
  g_free (s->dedup_key);
  g_free (s->message);
  g_free (s);
}

/* A clock the tests move */

static gint64 fake_now;

static gint64
read_fake_now (gpointer data)
{
  return fake_now;
}

static void
use_fake_clock (void)
{
  fake_now = g_get_real_time () / G_USEC_PER_SEC;
  sk_time_set_now_func (read_fake_now, NULL);
}

/* Secrets */

static char *
lookup_secret (const SkChannelRecord  *record,
               gpointer                data,
               GError                **error)
{
  if (g_strcmp0 (record->kind, "shopify") == 0)
    return g_strdup (SHOPIFY_TOKEN);
  if (g_strcmp0 (record->kind, "woocommerce") == 0)
    return sk_woo_channel_build_secret (WOO_KEY, WOO_SECRET);
  if (g_strcmp0 (record->kind, "amazon") == 0)
    {
      SkLwaCredentials credentials = {
        (char *) "amzn1.application-oa2-client.outbox",
        (char *) "amzn1.oa2-cs.v1.outbox-client-secret",
        (char *) "Atzr|outbox-refresh-token",
      };

      return sk_lwa_credentials_to_secret (&credentials);
    }
  g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS, "none");
  return NULL;
}

static void
assert_no_secret (const char *text)
{
  if (text == NULL)
    return;
  g_assert_null (strstr (text, SHOPIFY_TOKEN));
  g_assert_null (strstr (text, WOO_KEY));
  g_assert_null (strstr (text, WOO_SECRET));
  g_assert_null (strstr (text, LWA_ACCESS_TOKEN));
}

/* Signals */

static void
on_sent (SkOutboxDispatcher *d, gint64 row_id, gint64 channel_id, gboolean already, Fixture *f)
{
  Signal *s = g_new0 (Signal, 1);

  s->name = g_strdup ("sent");
  s->row_id = row_id;
  s->channel_id = channel_id;
  s->flag = already;
  g_ptr_array_add (f->signals, s);
}

static void
on_retry (SkOutboxDispatcher *d, gint64 row_id, gint64 at, const char *message, Fixture *f)
{
  Signal *s = g_new0 (Signal, 1);

  s->name = g_strdup ("retry-scheduled");
  s->row_id = row_id;
  s->message = g_strdup (message);
  g_ptr_array_add (f->signals, s);
}

static void
on_refused (SkOutboxDispatcher *d, gint64 row_id, gint64 channel_id, const char *key,
            const char *message, gboolean is_new, Fixture *f)
{
  Signal *s = g_new0 (Signal, 1);

  s->name = g_strdup ("refused");
  s->row_id = row_id;
  s->channel_id = channel_id;
  s->dedup_key = g_strdup (key);
  s->message = g_strdup (message);
  s->flag = is_new;
  g_ptr_array_add (f->signals, s);
}

static guint
count_signals (Fixture *f, const char *name)
{
  guint n = 0;

  for (guint i = 0; i < f->signals->len; i++)
    if (g_str_equal (((Signal *) g_ptr_array_index (f->signals, i))->name, name))
      n++;
  return n;
}

/* The first signal @name; the test fails when there is none. */
static Signal *
find_signal (Fixture *f, const char *name)
{
  for (guint i = 0; i < f->signals->len; i++)
    if (g_str_equal (((Signal *) g_ptr_array_index (f->signals, i))->name, name))
      return g_ptr_array_index (f->signals, i);
  g_error ("No “%s” signal was emitted", name);
}

/* Fixture */

static SkOutboxDispatcher *
new_dispatcher (Fixture *f)
{
  SkOutboxDispatcher *d = sk_outbox_dispatcher_new (f->store, NULL, f->http);

  sk_outbox_dispatcher_set_secret_lookup (d, lookup_secret, NULL, NULL);
  g_signal_connect (d, "sent", G_CALLBACK (on_sent), f);
  g_signal_connect (d, "retry-scheduled", G_CALLBACK (on_retry), f);
  g_signal_connect (d, "refused", G_CALLBACK (on_refused), f);
  return d;
}

static gint64
add_channel (Fixture    *f,
             const char *kind,
             const char *name,
             const char *account,
             const char *settings)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(GError) error = NULL;

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (account);
  record->base_url = g_strdup (sk_test_server_get_url (f->server));
  record->secret_ref = g_strdup ("outbox-test");
  if (settings != NULL)
    {
      g_free (record->settings);
      record->settings = g_strdup (settings);
    }
  sk_store_add_channel (f->store, record, &error);
  g_assert_no_error (error);
  return record->id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy once = { 1, 10 * 1000, 100 * 1000 };
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *lwa_url = NULL;

  f->tmpdir = sk_test_tmpdir_new ();
  f->path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  f->server = sk_test_server_new ();
  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &once);
  sk_http_set_timeout (f->http, 10);
  f->signals = g_ptr_array_new_with_free_func ((GDestroyNotify) signal_free);

  f->shopify_id = add_channel (f, "shopify", "Test Outfitters (Shopify)",
                               "test-outfitters.myshopify.com", NULL);
  f->woo_id = add_channel (f, "woocommerce", "Test Woo Shop", "woo.example", NULL);
  lwa_url = sk_test_server_build_url (f->server, LWA_PATH);
  settings = g_strdup_printf ("{\"marketplace_ids\": [\"ATVPDKIKX0DER\"], \"lwa_url\": \"%s\"}",
                              lwa_url);
  f->amazon_id = add_channel (f, "amazon", "Test Seller (Amazon)", "A2EXAMPLE1SELLER", settings);

  f->dispatcher = new_dispatcher (f);
}

/* Stop the dispatcher and wait until it is gone: nothing it started may
 * call back into a fixture that is freed. */
static void
drop_dispatcher (Fixture *f)
{
  SkOutboxDispatcher *gone = f->dispatcher;

  if (gone == NULL)
    return;
  g_signal_handlers_disconnect_by_data (gone, f);
  sk_outbox_dispatcher_stop (gone);
  g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
  g_clear_object (&f->dispatcher);
  while (gone != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  sk_time_set_now_func (NULL, NULL);
  drop_dispatcher (f);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_pointer (&f->signals, g_ptr_array_unref);
  g_free (f->path);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
}

/* Orders */

static gint64
import_order (Fixture *f, gint64 channel_id, SkOrder *order)
{
  SkImportPage *page = sk_import_page_new (channel_id, "orders", NULL);
  g_autofree char *external_id = g_strdup (sk_order_get_external_id (order));
  g_autoptr(SkOrder) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (page->orders, order);
  sk_store_import_sync (f->store, page, NULL, &error);
  g_assert_no_error (error);
  stored = sk_store_find_order (f->store, channel_id, external_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return sk_order_get_id (stored);
}

/* order-closed-2024-10.json: #1001, three iPods, one each. */
static gint64
import_shopify_order (Fixture *f)
{
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();
  g_autoptr(GError) error = NULL;
  SkOrder *order = sk_shopify_normalize_order (g_ptr_array_index (orders, 2), f->shopify_id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, SHOPIFY_ORDER);
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 3);
  return import_order (f, f->shopify_id, order);
}

/* order.json of the WooCommerce docs: #727, two lines (2 + 1). */
static gint64
import_woo_order (Fixture *f)
{
  g_autoptr(JsonNode) node = sk_test_load_json ("orders/woocommerce/order.json");
  g_autoptr(GError) error = NULL;
  SkOrder *order = sk_woo_normalize_order (node, f->woo_id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, "727");
  return import_order (f, f->woo_id, order);
}

/* getOrders.json's first order with getOrderItems.json's item. */
static gint64
import_amazon_order (Fixture *f)
{
  g_autoptr(JsonNode) orders = sk_test_load_json ("orders/amazon/getOrders.json");
  g_autoptr(JsonNode) items = sk_test_load_json ("orders/amazon/getOrderItems.json");
  g_autoptr(SkAmazonOrderParts) parts = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *payload = json_object_get_object_member (json_node_get_object (orders), "payload");
  JsonArray *list = json_object_get_array_member (payload, "Orders");
  JsonObject *item_payload = json_object_get_object_member (json_node_get_object (items), "payload");
  SkOrder *order;

  parts = sk_amazon_order_parts_new (json_array_get_element (list, 0));
  parts->items = json_node_copy (json_object_get_member (item_payload, "OrderItems"));
  order = sk_amazon_normalize_order (parts, f->amazon_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, AMAZON_ORDER);
  return import_order (f, f->amazon_id, order);
}

static SkOrder *
load_order (Fixture *f, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  SkOrder *order = sk_store_load_order (f->store, order_id, &error);

  g_assert_no_error (error);
  return order;
}

static gint64
record (Fixture    *f,
        SkShipment *shipment,
        gint64     *out_outbox_id)
{
  g_autoptr(GError) error = NULL;
  gint64 shipment_id = 0;

  sk_store_record_shipment_sync (f->store, shipment, "user", NULL, &shipment_id,
                                 out_outbox_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (shipment_id, >, 0);
  return shipment_id;
}

static SkOutboxRow *
get_row (Fixture *f, gint64 row_id)
{
  g_autoptr(GError) error = NULL;
  SkOutboxRow *row = sk_store_get_outbox_row (f->store, row_id, &error);

  g_assert_no_error (error);
  return row;
}

/* The loopback channels */

static GBytes *
json_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static GBytes *
wrap (const char *member, JsonNode *value)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, member, value);
  json_node_take_object (root, object);
  return json_bytes (root);
}

/* json_node_copy() shares objects and arrays: this copies them too. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_parser_steal_root (parser);
}

/* The fixture's two fulfillment orders of order 450789469, with the
 * second one's line item given its own ids for the order's RED line
 * (518995019) and a copy of it for the BLACK line (703073504). */
static GBytes *
shopify_fulfillment_orders (void)
{
  JsonNode *fos = sk_test_load_json ("outbox/shopify-fulfillment-orders.json");
  JsonArray *array = json_node_get_array (fos);
  JsonObject *second = json_array_get_object_element (array, 1);
  JsonArray *items = json_object_get_array_member (second, "fulfillment_order_line_items");
  JsonObject *red = json_array_get_object_element (items, 0);
  JsonNode *black_node = deep_copy (json_array_get_element (items, 0));
  JsonObject *black = json_node_get_object (black_node);

  json_object_set_int_member (red, "id", 519788023);
  json_object_set_int_member (red, "fulfillment_order_id", 519788022);
  json_object_set_int_member (red, "line_item_id", 518995019);
  json_object_set_int_member (black, "id", 519788024);
  json_object_set_int_member (black, "fulfillment_order_id", 519788022);
  json_object_set_int_member (black, "line_item_id", 703073504);
  json_object_set_string_member (black, "sku", "IPOD2008BLACK");
  json_object_set_string_member (black, "variant_title", "black");
  json_array_add_element (items, black_node);
  return wrap ("fulfillment_orders", fos);
}

/* The fixture's fulfillment (tracking number 1Z2345), with @status. */
static JsonNode *
shopify_fulfillment (const char *status)
{
  JsonNode *list = sk_test_load_json ("outbox/shopify-fulfillments.json");
  JsonNode *fulfillment = deep_copy (json_array_get_element (json_node_get_array (list), 0));

  json_node_unref (list);
  if (status != NULL)
    json_object_set_string_member (json_node_get_object (fulfillment), "status", status);
  return fulfillment;
}

typedef struct {
  SkTestRoute *fulfillment_orders;
  SkTestRoute *check;
  SkTestRoute *post;
} ShopifyRoutes;

/* Shopify with the fixtures: the check finds only the fixture's failed
 * fulfillment unless @check_status says otherwise. */
static ShopifyRoutes
serve_shopify (Fixture *f, const char *check_status)
{
  ShopifyRoutes routes;
  g_autoptr(GBytes) fos = shopify_fulfillment_orders ();
  g_autoptr(JsonNode) list = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GBytes) check = NULL;
  g_autoptr(GBytes) created = NULL;

  json_node_take_array (list, json_array_new ());
  json_array_add_element (json_node_get_array (list), shopify_fulfillment (check_status));
  check = wrap ("fulfillments", json_node_ref (list));
  created = wrap ("fulfillment", shopify_fulfillment ("success"));

  routes.fulfillment_orders = sk_test_server_add_route (f->server, SHOPIFY_FO_PATH, NULL, NULL,
                                                        200, NULL, fos);
  routes.check = sk_test_server_add_route (f->server, SHOPIFY_CHECK_PATH, NULL, NULL,
                                           200, NULL, check);
  routes.post = sk_test_server_add_route (f->server, SHOPIFY_POST_PATH, NULL, NULL,
                                          201, NULL, created);
  return routes;
}

static guint
count_requests (Fixture *f, const char *method, const char *path)
{
  guint n = 0;

  for (guint i = 0; i < sk_test_server_get_n_requests (f->server); i++)
    {
      g_autoptr(SkTestRequest) request = sk_test_server_dup_request (f->server, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        n++;
    }
  return n;
}

/* The @nth (0-based) request with @method to @path. */
static SkTestRequest *
find_request (Fixture *f, const char *method, const char *path, guint nth)
{
  for (guint i = 0; i < sk_test_server_get_n_requests (f->server); i++)
    {
      SkTestRequest *request = sk_test_server_dup_request (f->server, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path) &&
          nth-- == 0)
        return request;
      sk_test_request_free (request);
    }
  g_assert_not_reached ();
  return NULL;
}

static JsonObject *
body_object (SkTestRequest *request, JsonNode **out_root)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (request->body);
  data = g_bytes_get_data (request->body, &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  *out_root = json_parser_steal_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_root));
  return json_node_get_object (*out_root);
}

/* Dispatching */

typedef struct {
  gboolean done;
  gboolean ok;
  guint sent;
  GError *error;
} Pass;

static void
on_dispatched (GObject *source, GAsyncResult *result, gpointer data)
{
  Pass *pass = data;

  pass->ok = sk_outbox_dispatcher_dispatch_finish (SK_OUTBOX_DISPATCHER (source), result,
                                                   &pass->sent, &pass->error);
  pass->done = TRUE;
}

static guint
dispatch (Fixture *f)
{
  Pass pass = { 0 };

  sk_outbox_dispatcher_dispatch_async (f->dispatcher, NULL, on_dispatched, &pass);
  sk_test_wait_for (&pass.done, 30000);
  g_assert_no_error (pass.error);
  g_assert_true (pass.ok);
  return pass.sent;
}

/* Tests: recording */

typedef struct {
  SkStoreChangeFlags flags;
  gboolean order_updated;
  gint64 order_id;
  gboolean seen;
} ChangeWatch;

static void
on_store_changed (SkStore *store, SkStoreChange *change, ChangeWatch *watch)
{
  watch->flags |= change->flags;
  for (guint i = 0; i < change->updated_orders->len; i++)
    if (g_array_index (change->updated_orders, gint64, i) == watch->order_id)
      watch->order_updated = TRUE;
  watch->seen = (watch->flags & SK_STORE_CHANGE_OUTBOX) != 0;
}

/* The first event @what; the test fails when there is none. */
static const SkEvent *
find_event (GPtrArray *events, const char *what)
{
  for (guint i = 0; i < events->len; i++)
    {
      SkEvent *event = g_ptr_array_index (events, i);

      if (g_str_equal (event->what, what))
        return event;
    }
  g_error ("No “%s” event was logged", what);
}

static void
test_record_one_transaction (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", " 1Z999AA10123456784 ",
                                                    "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(SkPushFulfillment) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  ChangeWatch watch = { 0 };
  const SkEvent *event;
  SkShipment *stored;
  gint64 outbox_id = 0;
  gint64 shipment_id;
  gulong handler;

  watch.order_id = order_id;
  handler = g_signal_connect (f->store, "changed", G_CALLBACK (on_store_changed), &watch);
  shipment_id = record (f, shipment, &outbox_id);
  sk_test_wait_for (&watch.seen, 5000);
  g_signal_handler_disconnect (f->store, handler);
  g_assert_true (watch.order_updated);
  g_assert_true (watch.flags & SK_STORE_CHANGE_EVENTS);

  /* The shipment, every line (nothing was chosen: all that was left). */
  shipments = sk_store_list_shipments (f->store, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shipments->len, ==, 1);
  stored = g_ptr_array_index (shipments, 0);
  g_assert_cmpint (stored->id, ==, shipment_id);
  g_assert_cmpstr (stored->carrier, ==, "UPS");
  g_assert_cmpstr (stored->tracking_number, ==, "1Z999AA10123456784");
  g_assert_cmpstr (stored->actor, ==, "user");
  g_assert_cmpint (stored->shipped_at, >, 0);
  g_assert_cmpuint (stored->lines->len, ==, 3);
  g_assert_cmpstr (((SkShipmentLine *) g_ptr_array_index (stored->lines, 1))->external_id, ==, "518995019");
  g_assert_cmpstr (((SkShipmentLine *) g_ptr_array_index (stored->lines, 1))->sku, ==, "IPOD2008RED");

  /* The order's local status and its history. */
  order = load_order (f, order_id);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  events = sk_store_list_events (f->store, "order", order_id, &error);
  g_assert_no_error (error);
  event = find_event (events, "shipped");
  g_assert_nonnull (event);
  g_assert_cmpstr (event->to_value, ==, "UPS 1Z999AA10123456784");
  g_assert_nonnull (strstr (event->why, "3 items shipped with UPS"));
  event = find_event (events, "fulfillment-status");
  g_assert_nonnull (event);
  g_assert_cmpstr (event->to_value, ==, "fulfilled");

  /* The outbox row, written with it. */
  g_assert_cmpint (outbox_id, >, 0);
  row = get_row (f, outbox_id);
  key = g_strdup_printf ("fulfillment:%" G_GINT64_FORMAT, shipment_id);
  g_assert_cmpstr (row->idempotency_key, ==, key);
  g_assert_cmpint (row->channel_id, ==, f->shopify_id);
  g_assert_cmpstr (row->channel_kind, ==, "shopify");
  g_assert_cmpstr (row->kind, ==, "fulfillment");
  g_assert_cmpstr (row->subject_type, ==, "order");
  g_assert_cmpint (row->subject_id, ==, order_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_PENDING);
  g_assert_cmpint (row->attempts, ==, 0);
  g_assert_cmpint (row->next_attempt_at, <=, sk_time_now ());
  payload = sk_push_fulfillment_parse (row->payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payload->shipment_id, ==, shipment_id);
  g_assert_cmpstr (payload->order_external_id, ==, SHOPIFY_ORDER);
  g_assert_cmpstr (payload->order_number, ==, "#1001");
  g_assert_cmpstr (payload->tracking_url, ==, "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  g_assert_true (payload->complete);
  g_assert_cmpuint (payload->lines->len, ==, 3);
  g_assert_cmpstr (((SkPushLine *) g_ptr_array_index (payload->lines, 0))->external_id, ==, "466157049");
  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, f->shopify_id, NULL), ==, 1);
  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, f->woo_id, NULL), ==, 0);
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = sk_store_reader_prepare (f->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
exec_other_connection (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_record_rollback (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 shipment_id = -1, outbox_id = -1;
  gint64 events_before = count_rows (f, "SELECT count(*) FROM events");

  /* The outbox cannot take the row: the shipment must not stay either. */
  exec_other_connection (f, "CREATE TRIGGER test_outbox_full BEFORE INSERT ON outbox"
                            " BEGIN SELECT RAISE (ABORT, 'outbox refused by the test'); END;");
  sk_store_record_shipment_sync (f->store, shipment, "user", NULL, &shipment_id, &outbox_id, &error);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (shipment_id, ==, 0);
  g_assert_cmpint (outbox_id, ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM shipments"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM shipment_lines"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM events"), ==, events_before);
  order = load_order (f, order_id);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), !=, SK_FULFILLMENT_STATUS_FULFILLED);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), !=, SK_FULFILLMENT_STATUS_PARTIAL);

  /* Nothing half-done stands in the way of recording it properly. */
  exec_other_connection (f, "DROP TRIGGER test_outbox_full");
  g_clear_error (&error);
  shipment_id = record (f, shipment, &outbox_id);
  g_assert_cmpint (outbox_id, >, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM shipments"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);
}

static void
assert_refused (Fixture *f, SkShipment *shipment, const char *words)
{
  g_autoptr(GError) error = NULL;
  gint64 shipment_id = -1;

  sk_store_record_shipment_sync (f->store, shipment, NULL, NULL, &shipment_id, NULL, &error);
  g_assert_nonnull (error);
  g_assert_cmpint (shipment_id, ==, 0);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static void
test_record_checks (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) no_tracking = sk_shipment_new (order_id, "UPS", "  ", NULL);
  g_autoptr(SkShipment) no_carrier = sk_shipment_new (order_id, NULL, "1Z1", NULL);
  g_autoptr(SkShipment) too_many = sk_shipment_new (order_id, "UPS", "1Z1", NULL);
  g_autoptr(SkShipment) unknown_line = sk_shipment_new (order_id, "UPS", "1Z1", NULL);
  g_autoptr(SkShipment) missing_order = sk_shipment_new (order_id + 1000, "UPS", "1Z1", NULL);
  g_autoptr(SkShipment) all = sk_shipment_new (order_id, "UPS", "1Z2", NULL);
  g_autoptr(SkShipment) again = sk_shipment_new (order_id, "UPS", "1Z3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) pos = sk_channel_record_new ();
  g_autoptr(SkOrder) pos_order = NULL;
  g_autoptr(SkShipment) pos_shipment = NULL;
  gint64 pos_order_id, outbox_id = -1;
  SkOrderLine *line;

  assert_refused (f, no_tracking, "tracking number");
  assert_refused (f, no_carrier, "carrier");
  sk_shipment_add_line (too_many, 0, 2);
  assert_refused (f, too_many, "Only 1 of");
  sk_shipment_add_line (unknown_line, 7, 1);
  assert_refused (f, unknown_line, "item number 8");
  assert_refused (f, missing_order, NULL);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM shipments"), ==, 0);

  record (f, all, NULL);
  assert_refused (f, again, "already");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM shipments"), ==, 1);

  /* A channel Storekeep only imports from: the shipment, no outbox row. */
  pos->kind = g_strdup ("csv");
  pos->name = g_strdup ("Market stall");
  pos->account = g_strdup ("stall");
  pos->base_url = g_strdup ("file:///dev/null");
  sk_store_add_channel (f->store, pos, &error);
  g_assert_no_error (error);
  pos_order = sk_order_new ();
  sk_order_set_external_id (pos_order, "S-1");
  sk_order_set_number (pos_order, "S-1");
  sk_order_set_currency (pos_order, "EUR");
  sk_order_set_created_at (pos_order, 1700000000);
  sk_order_set_updated_at (pos_order, 1700000000);
  line = sk_order_line_new ();
  line->title = g_strdup ("Candle");
  line->quantity = 2;
  line->unit_price = 500;
  sk_order_add_line (pos_order, line);
  sk_order_line_unref (line);
  pos_order_id = import_order (f, pos->id, g_steal_pointer (&pos_order));
  pos_shipment = sk_shipment_new (pos_order_id, "La Poste", "6A12345678901", NULL);
  sk_shipment_add_line (pos_shipment, 0, 1);
  record (f, pos_shipment, &outbox_id);
  g_assert_cmpint (outbox_id, ==, 0);
  pos_order = load_order (f, pos_order_id);
  g_assert_cmpint (sk_order_get_fulfillment_status (pos_order), ==, SK_FULFILLMENT_STATUS_PARTIAL);
}

/* Tests: Shopify */

static void
test_shopify_send (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784",
                                                    "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkTestRequest) post = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *fulfillment, *tracking, *fo;
  JsonArray *by_order, *items;
  gint64 outbox_id, before;

  serve_shopify (f, NULL);
  record (f, shipment, &outbox_id);

  before = sk_time_now ();
  g_assert_cmpuint (dispatch (f), ==, 1);

  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpint (row->sent_at, >=, before);
  g_assert_cmpint (row->sent_at, <=, sk_time_now ());
  g_assert_cmpint (row->attempts, ==, 1);
  g_assert_cmpstr (row->channel_ref, ==, "255858046");
  g_assert_null (row->last_error);
  g_assert_cmpuint (count_signals (f, "sent"), ==, 1);
  g_assert_false (find_signal (f, "sent")->flag);

  /* A first attempt does not check; one GET of the fulfillment orders,
   * one POST. */
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_CHECK_PATH), ==, 0);
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_FO_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);

  post = find_request (f, "POST", SHOPIFY_POST_PATH, 0);
  g_assert_cmpstr (soup_message_headers_get_one (post->headers, "X-Shopify-Access-Token"), ==,
                   SHOPIFY_TOKEN);
  g_assert_true (soup_message_headers_header_contains (post->headers, "Content-Type", "application/json"));
  fulfillment = json_object_get_object_member (body_object (post, &root), "fulfillment");
  g_assert_false (json_object_get_boolean_member (fulfillment, "notify_customer"));
  tracking = json_object_get_object_member (fulfillment, "tracking_info");
  g_assert_cmpstr (json_object_get_string_member (tracking, "number"), ==, "1Z999AA10123456784");
  g_assert_cmpstr (json_object_get_string_member (tracking, "company"), ==, "UPS");
  g_assert_cmpstr (json_object_get_string_member (tracking, "url"), ==,
                   "https://www.ups.com/track?tracknum=1Z999AA10123456784");

  /* GREEN from the first fulfillment order, RED and BLACK from the
   * second. */
  by_order = json_object_get_array_member (fulfillment, "line_items_by_fulfillment_order");
  g_assert_cmpuint (json_array_get_length (by_order), ==, 2);
  fo = json_array_get_object_element (by_order, 0);
  g_assert_cmpint (json_object_get_int_member (fo, "fulfillment_order_id"), ==, 519788021);
  items = json_object_get_array_member (fo, "fulfillment_order_line_items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, 519788021);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "quantity"), ==, 1);
  fo = json_array_get_object_element (by_order, 1);
  g_assert_cmpint (json_object_get_int_member (fo, "fulfillment_order_id"), ==, 519788022);
  items = json_object_get_array_member (fo, "fulfillment_order_line_items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, 519788023);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1), "id"), ==, 519788024);

  events = sk_store_list_events (f->store, "order", order_id, NULL);
  g_assert_nonnull (find_event (events, "outbox-sent"));

  /* Sent is sent: another pass sends nothing. */
  g_assert_cmpuint (dispatch (f), ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);
}

static void
test_shopify_retry_after_503 (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z2345", NULL);
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkOutboxRow) sent = NULL;
  SkTestFault unavailable = { 503 };
  ShopifyRoutes routes;
  gint64 outbox_id;

  use_fake_clock ();
  routes = serve_shopify (f, NULL);
  sk_test_route_push_fault (routes.post, &unavailable);
  record (f, shipment, &outbox_id);

  g_assert_cmpuint (dispatch (f), ==, 0);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_PENDING);
  g_assert_cmpint (row->attempts, ==, 1);
  /* The first backoff: between half the base and the base. */
  g_assert_cmpint (row->next_attempt_at, >=, fake_now + SK_OUTBOX_BACKOFF_BASE / 2);
  g_assert_cmpint (row->next_attempt_at, <=, fake_now + SK_OUTBOX_BACKOFF_BASE);
  g_assert_nonnull (row->last_error);
  g_assert_nonnull (strstr (row->last_error, "503"));
  assert_no_secret (row->last_error);
  g_assert_cmpuint (count_signals (f, "retry-scheduled"), ==, 1);

  /* Not due yet: nothing goes. */
  g_assert_cmpuint (dispatch (f), ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);

  /* Due: the channel is checked first (its fulfillment with this tracking
   * number failed, so it does not count), then sent. */
  fake_now = row->next_attempt_at;
  g_assert_cmpuint (dispatch (f), ==, 1);
  sent = get_row (f, outbox_id);
  g_assert_cmpint (sent->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpint (sent->attempts, ==, 2);
  g_assert_cmpint (sent->sent_at, ==, fake_now);
  g_assert_null (sent->last_error);
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_CHECK_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 2);
  g_assert_false (find_signal (f, "sent")->flag);
}

static gboolean
keep_awake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* sk_test_wait_until, waking the main context every 20 ms: the things
 * waited for may happen on other threads (the test server's). */
static void
wait_polling (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  guint id = g_timeout_add (20, keep_awake, NULL);

  sk_test_wait_until (condition, data, timeout_ms);
  g_source_remove (id);
}

static gboolean
server_saw_post (gpointer data)
{
  Fixture *f = data;

  return count_requests (f, "POST", SHOPIFY_POST_PATH) > 0;
}

static void
test_shopify_restart_mid_send (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z2345", NULL);
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(GError) error = NULL;
  SkTestFault slow = { 0 };
  ShopifyRoutes routes;
  gint64 outbox_id;

  /* Shopify takes the POST but answers late; the process dies before. */
  routes = serve_shopify (f, "success");
  slow.delay_ms = 20000;
  sk_test_route_push_fault (routes.post, &slow);
  record (f, shipment, &outbox_id);

  sk_outbox_dispatcher_start (f->dispatcher);
  wait_polling (server_saw_post, f, 10000);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENDING);
  g_clear_pointer (&row, sk_outbox_row_free);

  drop_dispatcher (f);

  sk_store_close (f->store);
  g_clear_object (&f->store);
  f->store = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENDING);
  g_clear_pointer (&row, sk_outbox_row_free);

  /* The restarted app checks with Shopify, finds the fulfillment with
   * this tracking number, and does not send it again. */
  f->dispatcher = new_dispatcher (f);
  g_assert_cmpuint (dispatch (f), ==, 1);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpint (row->attempts, ==, 2);
  g_assert_cmpstr (row->channel_ref, ==, "255858046");
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_CHECK_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);
  g_assert_cmpuint (count_signals (f, "sent"), ==, 1);
  g_assert_true (find_signal (f, "sent")->flag);
}

#define SHOPIFY_422 "{\"errors\":{\"base\":[\"Line items are already fulfilled\"]}}"

static void
test_shopify_refused_422 (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkOutboxRow) retried = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static (SHOPIFY_422, strlen (SHOPIFY_422));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  SkTestFault refused = { 422, body };
  ShopifyRoutes routes;
  SkProblem *problem = NULL;
  Signal *s;
  gint64 outbox_id;

  routes = serve_shopify (f, NULL);
  sk_test_route_push_fault (routes.post, &refused);
  record (f, shipment, &outbox_id);

  g_assert_cmpuint (dispatch (f), ==, 0);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_FAILED);
  g_assert_cmpint (row->sent_at, ==, 0);
  g_assert_nonnull (strstr (row->last_error, "Line items are already fulfilled"));
  g_assert_nonnull (strstr (row->last_error, "#1001"));
  g_assert_nonnull (strstr (row->last_error, "422"));
  assert_no_secret (row->last_error);

  key = g_strdup_printf ("outbox-refused:%" G_GINT64_FORMAT, outbox_id);
  problems = sk_store_list_problems (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((SkProblem *) g_ptr_array_index (problems, i))->dedup_key, key))
      problem = g_ptr_array_index (problems, i);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->kind, ==, "outbox-refused");
  g_assert_cmpint (problem->channel_id, ==, f->shopify_id);
  g_assert_cmpstr (problem->message, ==, row->last_error);

  g_assert_cmpuint (count_signals (f, "refused"), ==, 1);
  s = find_signal (f, "refused");
  g_assert_cmpint (s->row_id, ==, outbox_id);
  g_assert_cmpint (s->channel_id, ==, f->shopify_id);
  g_assert_cmpstr (s->dedup_key, ==, key);
  g_assert_cmpstr (s->message, ==, row->last_error);
  g_assert_true (s->flag);

  events = sk_store_list_events (f->store, "order", order_id, NULL);
  g_assert_nonnull (find_event (events, "outbox-failed"));

  /* Failed rows wait for the user: another pass leaves them. */
  g_assert_cmpuint (dispatch (f), ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);

  /* "Try again": pending, the problem resolved, then sent (with a check
   * first, as it was attempted before). */
  sk_store_retry_outbox_row (f->store, outbox_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = sk_store_list_problems (f->store, NULL);
  for (guint i = 0; i < problems->len; i++)
    g_assert_cmpstr (((SkProblem *) g_ptr_array_index (problems, i))->dedup_key, !=, key);
  g_assert_cmpuint (dispatch (f), ==, 1);
  retried = get_row (f, outbox_id);
  g_assert_cmpint (retried->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_CHECK_PATH), ==, 1);
  sk_store_retry_outbox_row (f->store, outbox_id, &error);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
}

static void
test_shopify_partial (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) first = sk_shipment_new (order_id, "USPS", "9400111899223397623910", NULL);
  g_autoptr(SkShipment) rest = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkPushFulfillment) payload = NULL;
  g_autoptr(SkTestRequest) post = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *fulfillment, *fo;
  JsonArray *by_order, *items;
  gint64 first_row, rest_row;

  serve_shopify (f, NULL);

  /* One of the three lines: RED. */
  sk_shipment_add_line (first, 1, 1);
  record (f, first, &first_row);
  order = load_order (f, order_id);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_PARTIAL);
  row = get_row (f, first_row);
  payload = sk_push_fulfillment_parse (row->payload, NULL);
  g_assert_false (payload->complete);
  g_assert_cmpuint (payload->lines->len, ==, 1);

  g_assert_cmpuint (dispatch (f), ==, 1);
  post = find_request (f, "POST", SHOPIFY_POST_PATH, 0);
  fulfillment = json_object_get_object_member (body_object (post, &root), "fulfillment");
  by_order = json_object_get_array_member (fulfillment, "line_items_by_fulfillment_order");
  g_assert_cmpuint (json_array_get_length (by_order), ==, 1);
  fo = json_array_get_object_element (by_order, 0);
  g_assert_cmpint (json_object_get_int_member (fo, "fulfillment_order_id"), ==, 519788022);
  items = json_object_get_array_member (fo, "fulfillment_order_line_items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, 519788023);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "quantity"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fulfillment, "tracking_info"),
                                                  "company"), ==, "USPS");

  /* The rest (nothing chosen): GREEN and BLACK; the order is fulfilled. */
  record (f, rest, &rest_row);
  g_clear_object (&order);
  order = load_order (f, order_id);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  g_clear_pointer (&row, sk_outbox_row_free);
  g_clear_pointer (&payload, sk_push_fulfillment_free);
  row = get_row (f, rest_row);
  payload = sk_push_fulfillment_parse (row->payload, NULL);
  g_assert_true (payload->complete);
  g_assert_cmpuint (payload->lines->len, ==, 2);
  g_assert_cmpstr (((SkPushLine *) g_ptr_array_index (payload->lines, 0))->external_id, ==, "466157049");
  g_assert_cmpstr (((SkPushLine *) g_ptr_array_index (payload->lines, 1))->external_id, ==, "703073504");
}

/* Tests: WooCommerce */

#define WOO_NOTE "{\"id\": 281, \"author\": \"system\", \"date_created\": \"2017-03-21T16:46:41\"," \
                 " \"date_created_gmt\": \"2017-03-21T19:46:41\", \"note\": \"Order ok!!!\"," \
                 " \"customer_note\": false}"

static void
test_woo_complete_and_note (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_woo_order (f);
  g_autoptr(SkShipment) partial = sk_shipment_new (order_id, "DHL", "JJD000390007711223344",
                                                   "https://www.dhl.com/track?id=JJD000390007711223344");
  g_autoptr(SkShipment) rest = sk_shipment_new (order_id, "DHL", "JJD000390007799887766", NULL);
  g_autoptr(GBytes) order_body = sk_test_load_fixture ("orders/woocommerce/order.json");
  g_autoptr(GBytes) note_body = g_bytes_new_static (WOO_NOTE, strlen (WOO_NOTE));
  g_autoptr(SkTestRequest) note = NULL;
  g_autoptr(SkTestRequest) put = NULL;
  g_autoptr(SkTestRequest) last_note = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) put_root = NULL;
  g_autoptr(JsonNode) last_root = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *expected = NULL;
  JsonObject *object;
  gint64 partial_row, rest_row;

  sk_test_server_add_route (f->server, WOO_ORDER_PATH, NULL, NULL, 200, NULL, order_body);
  sk_test_server_add_route (f->server, WOO_NOTES_PATH, NULL, NULL, 201, NULL, note_body);

  /* Part of the order: a note, the status stays. */
  sk_shipment_add_line (partial, 0, 1);
  record (f, partial, &partial_row);
  g_assert_cmpuint (dispatch (f), ==, 1);
  g_assert_cmpuint (count_requests (f, "PUT", WOO_ORDER_PATH), ==, 0);
  g_assert_cmpuint (count_requests (f, "POST", WOO_NOTES_PATH), ==, 1);
  note = find_request (f, "POST", WOO_NOTES_PATH, 0);
  basic = g_base64_encode ((const guchar *) WOO_KEY ":" WOO_SECRET, strlen (WOO_KEY ":" WOO_SECRET));
  expected = g_strconcat ("Basic ", basic, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (note->headers, "Authorization"), ==, expected);
  object = body_object (note, &root);
  g_assert_false (json_object_get_boolean_member (object, "customer_note"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "note"),
                                   "Shipped with DHL, tracking JJD000390007711223344 https://www.dhl.com/track?id=JJD000390007711223344"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "note"), "1 × Woo Single #1"));
  row = get_row (f, partial_row);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpstr (row->channel_ref, ==, "281");

  /* The rest: completed, then the note. */
  record (f, rest, &rest_row);
  g_assert_cmpuint (dispatch (f), ==, 1);
  g_assert_cmpuint (count_requests (f, "PUT", WOO_ORDER_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", WOO_NOTES_PATH), ==, 2);
  put = find_request (f, "PUT", WOO_ORDER_PATH, 0);
  object = body_object (put, &put_root);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  last_note = find_request (f, "POST", WOO_NOTES_PATH, 1);
  object = body_object (last_note, &last_root);
  g_assert_cmpstr (json_object_get_string_member (object, "note"), ==,
                   "Shipped with DHL, tracking JJD000390007799887766");
}

/* The note arrived but its answer did not: the retry finds the note and
 * the completed status, and sends neither again. */
static void
test_woo_check_before_retry (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_woo_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "DHL", "JJD000390007711223344", NULL);
  g_autoptr(GBytes) order_body = sk_test_load_fixture ("orders/woocommerce/order.json");
  g_autoptr(GBytes) note_body = g_bytes_new_static (WOO_NOTE, strlen (WOO_NOTE));
  g_autoptr(JsonNode) completed = sk_test_load_json ("orders/woocommerce/order.json");
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(JsonNode) notes = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GBytes) completed_body = NULL;
  g_autoptr(GBytes) notes_body = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  SkTestFault lost = { 504 };
  SkTestFault listed = { 200 };
  SkTestFault done = { 200 };
  SkTestRoute *order_route, *notes_route;
  gint64 outbox_id;

  use_fake_clock ();
  json_object_set_string_member (json_node_get_object (completed), "status", "completed");
  completed_body = json_bytes (completed);
  note = json_from_string (WOO_NOTE, NULL);
  json_object_set_string_member (json_node_get_object (note), "note",
                                 "Shipped with DHL, tracking JJD000390007711223344");
  json_node_take_array (notes, json_array_new ());
  json_array_add_element (json_node_get_array (notes), g_steal_pointer (&note));
  notes_body = json_bytes (notes);

  order_route = sk_test_server_add_route (f->server, WOO_ORDER_PATH, NULL, NULL, 200, NULL, order_body);
  notes_route = sk_test_server_add_route (f->server, WOO_NOTES_PATH, NULL, NULL, 201, NULL, note_body);
  sk_test_route_push_fault (notes_route, &lost);
  record (f, shipment, &outbox_id);

  g_assert_cmpuint (dispatch (f), ==, 0);
  g_assert_cmpuint (count_requests (f, "PUT", WOO_ORDER_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", WOO_NOTES_PATH), ==, 1);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_PENDING);
  assert_no_secret (row->last_error);

  /* Meanwhile the shop shows the note and the completed order. */
  listed.body = notes_body;
  done.body = completed_body;
  sk_test_route_push_fault (notes_route, &listed);
  sk_test_route_push_fault (order_route, &done);
  fake_now = row->next_attempt_at;
  g_assert_cmpuint (dispatch (f), ==, 1);
  g_clear_pointer (&row, sk_outbox_row_free);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpstr (row->channel_ref, ==, "281");
  g_assert_true (find_signal (f, "sent")->flag);
  g_assert_cmpuint (count_requests (f, "GET", WOO_NOTES_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "GET", WOO_ORDER_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "PUT", WOO_ORDER_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", WOO_NOTES_PATH), ==, 1);
}

/* Tests: Amazon */

#define LWA_ANSWER "{\"access_token\": \"" LWA_ACCESS_TOKEN "\", \"token_type\": \"bearer\"," \
                   " \"expires_in\": 3600}"

static void
test_amazon_confirm_shipment (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_amazon_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  g_autoptr(GBytes) token = g_bytes_new_static (LWA_ANSWER, strlen (LWA_ANSWER));
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(SkTestRequest) confirm = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *ship_date = NULL;
  JsonObject *object, *package, *item;
  JsonArray *items;
  gint64 shipment_id, outbox_id;

  sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, token);
  sk_test_server_add_route (f->server, AMAZON_CONFIRM_PATH, NULL, NULL, 204, NULL, empty);
  shipment_id = record (f, shipment, &outbox_id);

  g_assert_cmpuint (dispatch (f), ==, 1);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  reference = g_strdup_printf ("%" G_GINT64_FORMAT, shipment_id);
  g_assert_cmpstr (row->channel_ref, ==, reference);

  g_assert_cmpuint (count_requests (f, "POST", LWA_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", AMAZON_CONFIRM_PATH), ==, 1);
  confirm = find_request (f, "POST", AMAZON_CONFIRM_PATH, 0);
  g_assert_cmpstr (soup_message_headers_get_one (confirm->headers, "x-amz-access-token"), ==,
                   LWA_ACCESS_TOKEN);
  object = body_object (confirm, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "marketplaceId"), ==, "ATVPDKIKX0DER");
  package = json_object_get_object_member (object, "packageDetail");
  g_assert_cmpstr (json_object_get_string_member (package, "packageReferenceId"), ==, reference);
  g_assert_cmpstr (json_object_get_string_member (package, "carrierCode"), ==, "UPS");
  g_assert_false (json_object_has_member (package, "carrierName"));
  g_assert_cmpstr (json_object_get_string_member (package, "trackingNumber"), ==, "1Z999AA10123456784");
  shipments = sk_store_list_shipments (f->store, order_id, NULL);
  ship_date = sk_time_format_iso8601 (((SkShipment *) g_ptr_array_index (shipments, 0))->shipped_at);
  g_assert_cmpstr (json_object_get_string_member (package, "shipDate"), ==, ship_date);
  items = json_object_get_array_member (package, "orderItems");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "orderItemId"), ==, "05015851154158");
  g_assert_cmpint (json_object_get_int_member (item, "quantity"), ==, 1);
}

/* Amazon's error shape: errors [{code, message, details}]. */
#define AMAZON_ALREADY "{\"errors\": [{\"code\": \"InvalidInput\"," \
                       " \"message\": \"The shipment has already been confirmed.\"," \
                       " \"details\": \"\"}]}"

static void
test_amazon_other_carrier_and_already_confirmed (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_amazon_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "Speedy Parcels Ltd", "SP-000123", NULL);
  g_autoptr(GBytes) token = g_bytes_new_static (LWA_ANSWER, strlen (LWA_ANSWER));
  g_autoptr(GBytes) already = g_bytes_new_static (AMAZON_ALREADY, strlen (AMAZON_ALREADY));
  g_autoptr(SkTestRequest) confirm = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  JsonObject *package;
  gint64 outbox_id;

  sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, token);
  sk_test_server_add_route (f->server, AMAZON_CONFIRM_PATH, NULL, NULL, 400, NULL, already);
  record (f, shipment, &outbox_id);

  g_assert_cmpuint (dispatch (f), ==, 1);
  row = get_row (f, outbox_id);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_true (find_signal (f, "sent")->flag);
  confirm = find_request (f, "POST", AMAZON_CONFIRM_PATH, 0);
  package = json_object_get_object_member (body_object (confirm, &root), "packageDetail");
  g_assert_cmpstr (json_object_get_string_member (package, "carrierCode"), ==, "Other");
  g_assert_cmpstr (json_object_get_string_member (package, "carrierName"), ==, "Speedy Parcels Ltd");
}

/* A channel reading amazon.com and amazon.ca confirms each order in the
 * marketplace it was placed in, as Amazon requires. */

#define AMAZON_CA_ORDER "702-3035016-1234567"
#define AMAZON_OLD_ORDER "702-3035016-7654321"
#define AMAZON_US "ATVPDKIKX0DER"
#define AMAZON_CA "A2EUQ1WTGCTBG2"

/* getOrders.json's first order as another one: @id in @marketplace (with
 * its currency), and getOrderItems.json's item. Without @tagged, the
 * order is stored as Storekeep stored it before it kept the marketplace:
 * with none of the normalizer's tags. */
static gint64
import_amazon_order_as (Fixture    *f,
                        const char *id,
                        const char *marketplace,
                        const char *currency,
                        gboolean    tagged)
{
  g_autoptr(JsonNode) orders = sk_test_load_json ("orders/amazon/getOrders.json");
  g_autoptr(JsonNode) items = sk_test_load_json ("orders/amazon/getOrderItems.json");
  g_autoptr(SkAmazonOrderParts) parts = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *order_json = NULL;
  g_autofree char *items_json = NULL;
  JsonObject *payload = json_object_get_object_member (json_node_get_object (orders), "payload");
  JsonArray *list = json_object_get_array_member (payload, "Orders");
  JsonObject *item_payload = json_object_get_object_member (json_node_get_object (items), "payload");
  SkOrder *order;

  order_json = json_to_string (json_array_get_element (list, 0), FALSE);
  items_json = json_to_string (json_object_get_member (item_payload, "OrderItems"), FALSE);
  text = g_string_new (order_json);
  g_assert_cmpuint (g_string_replace (text, AMAZON_ORDER, id, 0), ==, 1);
  g_assert_cmpuint (g_string_replace (text, AMAZON_US, marketplace, 0), ==, 1);
  g_string_replace (text, "\"USD\"", currency, 0);
  json_parser_load_from_data (parser, text->str, -1, &error);
  g_assert_no_error (error);

  g_string_assign (text, items_json);
  g_string_replace (text, "\"USD\"", currency, 0);
  parts = sk_amazon_order_parts_new (json_parser_get_root (parser));
  parts->items = json_from_string (text->str, &error);
  g_assert_no_error (error);

  order = sk_amazon_normalize_order (parts, f->amazon_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, id);
  if (tagged)
    g_assert_true (sk_order_has_tag (order, sk_amazon_marketplace_tag (marketplace)));
  else
    sk_order_set_tags (order, NULL);
  return import_order (f, f->amazon_id, order);
}

static const char *
confirmed_marketplace (Fixture *f, const char *order_id, JsonNode **out_root)
{
  g_autofree char *path = g_strconcat (SK_AMAZON_ORDERS_PATH "/", order_id, "/shipmentConfirmation", NULL);
  g_autoptr(SkTestRequest) confirm = find_request (f, "POST", path, 0);

  g_assert_nonnull (confirm);
  g_assert_cmpuint (count_requests (f, "POST", path), ==, 1);
  return json_object_get_string_member (body_object (confirm, out_root), "marketplaceId");
}

static void
test_amazon_order_marketplace (Fixture *f, gconstpointer data)
{
  g_autoptr(SkChannelRecord) channel = NULL;
  g_autoptr(GBytes) token = g_bytes_new_static (LWA_ANSWER, strlen (LWA_ANSWER));
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(SkPushFulfillment) payload = NULL;
  g_autoptr(SkOutboxRow) ca_row = NULL;
  g_autoptr(JsonNode) us_root = NULL;
  g_autoptr(JsonNode) ca_root = NULL;
  g_autoptr(JsonNode) old_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lwa_url = sk_test_server_build_url (f->server, LWA_PATH);
  const char *ids[] = { AMAZON_ORDER, AMAZON_CA_ORDER, AMAZON_OLD_ORDER };
  gint64 us_id, ca_id, old_id, ca_outbox_id;

  /* both marketplaces of North America, amazon.com first */
  channel = sk_store_get_channel (f->store, f->amazon_id, &error);
  g_assert_no_error (error);
  g_free (channel->settings);
  channel->settings = g_strdup_printf ("{\"marketplace_ids\": [\"" AMAZON_US "\", \"" AMAZON_CA "\"],"
                                       " \"lwa_url\": \"%s\"}", lwa_url);
  sk_store_update_channel (f->store, channel, &error);
  g_assert_no_error (error);

  us_id = import_amazon_order (f);
  ca_id = import_amazon_order_as (f, AMAZON_CA_ORDER, AMAZON_CA, "\"CAD\"", TRUE);
  old_id = import_amazon_order_as (f, AMAZON_OLD_ORDER, AMAZON_CA, "\"CAD\"", FALSE);
  /* A tag the user added is not the channel's word on the marketplace. */
  {
    guint changed = 0;

    g_assert_true (sk_store_apply_action_sync (f->store, &old_id, 1, SK_ORDER_ACTION_ADD_TAG,
                                               "Amazon.ca", "user", &changed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changed, ==, 1);
  }

  sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, token);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *path = g_strconcat (SK_AMAZON_ORDERS_PATH "/", ids[i], "/shipmentConfirmation", NULL);

      sk_test_server_add_route (f->server, path, NULL, NULL, 204, NULL, empty);
    }
  {
    g_autoptr(SkShipment) us = sk_shipment_new (us_id, "UPS", "1Z999AA10123456784", NULL);
    g_autoptr(SkShipment) ca = sk_shipment_new (ca_id, "Canada Post", "7023210039414604", NULL);
    g_autoptr(SkShipment) old = sk_shipment_new (old_id, "Canada Post", "7023210039414605", NULL);

    record (f, us, NULL);
    record (f, ca, &ca_outbox_id);
    record (f, old, NULL);
  }

  /* the outbox row carries the order's marketplace tag */
  ca_row = get_row (f, ca_outbox_id);
  payload = sk_push_fulfillment_parse (ca_row->payload, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) payload->order_tags, "Amazon.ca"));

  g_assert_cmpuint (dispatch (f), ==, 3);
  g_assert_cmpstr (confirmed_marketplace (f, AMAZON_ORDER, &us_root), ==, AMAZON_US);
  g_assert_cmpstr (confirmed_marketplace (f, AMAZON_CA_ORDER, &ca_root), ==, AMAZON_CA);
  /* imported before the marketplace was kept (its "Amazon.ca" tag added
   * by the user): the channel's first */
  g_assert_cmpstr (confirmed_marketplace (f, AMAZON_OLD_ORDER, &old_root), ==, AMAZON_US);
}

/* Tests: what the order pane shows */

static void
test_order_history (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(GBytes) body = g_bytes_new_static (SHOPIFY_422, strlen (SHOPIFY_422));
  SkTestFault ok = { 0 };
  SkTestFault refused = { 422, body };
  SkTestFault unavailable = { 503 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GError) error = NULL;
  ShopifyRoutes routes;
  SkOutboxRow *row;
  gint64 ids[3];

  use_fake_clock ();
  routes = serve_shopify (f, NULL);
  sk_test_route_push_fault (routes.post, &ok);
  sk_test_route_push_fault (routes.post, &refused);
  sk_test_route_push_fault (routes.post, &unavailable);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("1Z99900000000000%d", i);
      g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", number, NULL);

      sk_shipment_add_line (shipment, i, 1);
      record (f, shipment, &ids[i]);
    }
  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, 0, NULL), ==, 3);

  /* One pass: the order's rows go in order; the first is sent, the second
   * refused, the third waits for a retry. */
  g_assert_cmpuint (dispatch (f), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 3);

  rows = sk_store_list_order_outbox (f->store, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      row = g_ptr_array_index (rows, i);
      g_assert_cmpint (row->id, ==, ids[i]);
      g_assert_cmpstr (row->channel_name, ==, "Test Outfitters (Shopify)");
      g_assert_cmpstr (row->channel_kind, ==, "shopify");
      g_assert_cmpstr (row->kind, ==, "fulfillment");
      g_assert_cmpint (row->created_at, >, 0);
    }
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpint (row->sent_at, ==, fake_now);
  g_assert_cmpstr (row->channel_ref, ==, "255858046");
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_FAILED);
  g_assert_cmpint (row->sent_at, ==, 0);
  g_assert_nonnull (strstr (row->last_error, "Line items are already fulfilled"));
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_PENDING);
  g_assert_cmpint (row->sent_at, ==, 0);
  g_assert_cmpint (row->next_attempt_at, >, fake_now);
  g_assert_nonnull (strstr (row->last_error, "503"));

  g_assert_cmpint (sk_store_count_outbox_backlog (f->store, f->shopify_id, NULL), ==, 1);
  shipments = sk_store_list_shipments (f->store, order_id, NULL);
  g_assert_cmpuint (shipments->len, ==, 3);
  g_assert_cmpstr (((SkShipment *) g_ptr_array_index (shipments, 2))->tracking_number, ==,
                   "1Z999000000000002");

  /* Nothing for another order. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = sk_store_list_order_outbox (f->store, order_id + 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* Tests: the dispatcher on its own */

typedef struct {
  Fixture *f;
  gint64 row_id;
} RowWatch;

/* The row is sent and the dispatcher has said so. */
static gboolean
row_is_sent (gpointer data)
{
  RowWatch *watch = data;
  g_autoptr(SkOutboxRow) row = get_row (watch->f, watch->row_id);

  return row->state == SK_OUTBOX_STATE_SENT && count_signals (watch->f, "sent") > 0;
}

static void
test_dispatcher_follows_store (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  g_autoptr(SkChannelRecord) channel = NULL;
  g_autoptr(GError) error = NULL;
  RowWatch watch;
  gint64 outbox_id;

  serve_shopify (f, NULL);
  sk_outbox_dispatcher_start (f->dispatcher);
  g_assert_true (sk_outbox_dispatcher_get_running (f->dispatcher));

  /* A paused channel keeps its rows. */
  channel = sk_store_get_channel (f->store, f->shopify_id, &error);
  g_assert_no_error (error);
  channel->paused = TRUE;
  sk_store_update_channel (f->store, channel, &error);
  g_assert_no_error (error);
  record (f, shipment, &outbox_id);
  g_assert_cmpint (sk_store_outbox_next_due (f->store, NULL), ==, 0);
  g_usleep (200 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);

  /* Resumed: the store's change alone sets it going. */
  channel->paused = FALSE;
  sk_store_update_channel (f->store, channel, &error);
  g_assert_no_error (error);
  watch.f = f;
  watch.row_id = outbox_id;
  wait_polling (row_is_sent, &watch, 10000);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 1);

  sk_outbox_dispatcher_stop (f->dispatcher);
  g_assert_false (sk_outbox_dispatcher_get_running (f->dispatcher));
}

/* A 503, then the dispatcher wakes itself when the row is due. */
static void
test_dispatcher_retries_on_timer (Fixture *f, gconstpointer data)
{
  gint64 order_id = import_shopify_order (f);
  g_autoptr(SkShipment) shipment = sk_shipment_new (order_id, "UPS", "1Z999AA10123456784", NULL);
  SkTestFault unavailable = { 503 };
  ShopifyRoutes routes;
  RowWatch watch;
  gint64 outbox_id;

  routes = serve_shopify (f, NULL);
  sk_test_route_push_fault (routes.post, &unavailable);
  sk_outbox_dispatcher_set_backoff (f->dispatcher, 1, 2);
  record (f, shipment, &outbox_id);
  sk_outbox_dispatcher_start (f->dispatcher);

  watch.f = f;
  watch.row_id = outbox_id;
  wait_polling (row_is_sent, &watch, 15000);
  g_assert_cmpuint (count_signals (f, "retry-scheduled"), ==, 1);
  g_assert_cmpuint (count_requests (f, "POST", SHOPIFY_POST_PATH), ==, 2);
  g_assert_cmpuint (count_requests (f, "GET", SHOPIFY_CHECK_PATH), ==, 1);
}

static void
test_backoff (void)
{
  for (int i = 0; i < 200; i++)
    {
      gint64 first = sk_outbox_backoff_delay (1, 30, 3600);
      gint64 third = sk_outbox_backoff_delay (3, 30, 3600);
      gint64 late = sk_outbox_backoff_delay (40, 30, 3600);

      g_assert_cmpint (first, >=, 15);
      g_assert_cmpint (first, <=, 30);
      g_assert_cmpint (third, >=, 60);
      g_assert_cmpint (third, <=, 120);
      g_assert_cmpint (late, >=, 1800);
      g_assert_cmpint (late, <=, 3600);
    }
  g_assert_cmpint (sk_outbox_backoff_delay (1, 1, 1), ==, 1);
}

int
main (int argc, char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/outbox/backoff", test_backoff);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/outbox/record/one-transaction", test_record_one_transaction);
  ADD ("/outbox/record/rollback-leaves-nothing", test_record_rollback);
  ADD ("/outbox/record/checks", test_record_checks);
  ADD ("/outbox/shopify/send", test_shopify_send);
  ADD ("/outbox/shopify/retry-after-503", test_shopify_retry_after_503);
  ADD ("/outbox/shopify/restart-mid-send", test_shopify_restart_mid_send);
  ADD ("/outbox/shopify/refused-422", test_shopify_refused_422);
  ADD ("/outbox/shopify/partial", test_shopify_partial);
  ADD ("/outbox/woocommerce/complete-and-note", test_woo_complete_and_note);
  ADD ("/outbox/woocommerce/check-before-retry", test_woo_check_before_retry);
  ADD ("/outbox/amazon/confirm-shipment", test_amazon_confirm_shipment);
  ADD ("/outbox/amazon/other-carrier-already-confirmed", test_amazon_other_carrier_and_already_confirmed);
  ADD ("/outbox/amazon/order-marketplace", test_amazon_order_marketplace);
  ADD ("/outbox/query/order-history", test_order_history);
  ADD ("/outbox/dispatcher/follows-store", test_dispatcher_follows_store);
  ADD ("/outbox/dispatcher/retries-on-timer", test_dispatcher_retries_on_timer);

#undef ADD

  return g_test_run ();
}
