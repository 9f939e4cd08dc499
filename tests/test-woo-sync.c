/* test-woo-sync.c: SkWooChannel against the demo shop's WooCommerce dialect
 * and a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Flows that need many realistic orders run against the embedded demo
 * shop (/wp-json/wc/v3 on the same server as its Shopify dialect); tests
 * that look at the requests or need exact answers use SkTestServer with
 * the WooCommerce documentation's orders (tests/fixtures/orders/
 * woocommerce/, see SOURCES.md), cloned with new ids where a test needs
 * more of them.
 */
#include "config.h"

#include <string.h>

#include "sk-channel-private.h"
#include "sk-demo-data.h"
#include "sk-demo-shop.h"
#include "sk-error.h"
#include "sk-store-import.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define ORDERS_PATH SK_WOO_API_PREFIX "/orders"
#define SITE "shop.example"
#define KEY "ck_5f0c2a9d1e8b4c7aa1b2c3d4e5f60718293a4b5c"
#define SECRET "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d"
/* date_modified_gmt of the newest fixture order (727): 2017-03-22T19:28:08 */
#define FIXTURE_HIGH_WATER G_GINT64_CONSTANT (1490210888)
#define DEMO_ORDERS 250

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkTestServer *server;
  SkDemoShop *shop;
  SkChannelRecord *record;
  SkChannel *channel;
  GPtrArray *routes;     /* SkTestRoute, page k at k - 1 */
} Fixture;

static char *
basic_header (const char *key, const char *secret)
{
  g_autofree char *pair = g_strconcat (key, ":", secret, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

/* Payloads */

static GPtrArray *
fixture_orders (void)
{
  g_autoptr(JsonNode) list = sk_test_load_json ("orders/woocommerce/orders-list.json");
  JsonArray *array = json_node_get_array (list);
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (orders, json_node_copy (json_array_get_element (array, i)));
  return orders;
}

/* order.json with a new id and modification time. */
static JsonNode *
clone_order (gint64 id, const char *modified_gmt)
{
  JsonNode *node = sk_test_load_json ("orders/woocommerce/order.json");
  JsonObject *o = json_node_get_object (node);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  json_object_set_int_member (o, "id", id);
  json_object_set_string_member (o, "number", number);
  json_object_set_string_member (o, "date_modified_gmt", modified_gmt);
  return node;
}

static GBytes *
page_body (JsonNode **orders, guint n)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  for (guint i = 0; i < n; i++)
    json_array_add_element (array, json_node_copy (orders[i]));
  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* Serve @orders in pages of @per_page, keyed by the page parameter, with
 * WordPress's paging headers unless @headers is FALSE. */
static void
serve_pages (Fixture *f, GPtrArray *orders, guint per_page, gboolean headers)
{
  guint pages = MAX ((orders->len + per_page - 1) / per_page, 1);
  char total[16], total_pages[16];

  g_snprintf (total, sizeof total, "%u", orders->len);
  g_snprintf (total_pages, sizeof total_pages, "%u", pages);
  for (guint k = 0; k < pages; k++)
    {
      guint first = k * per_page;
      guint n = MIN (per_page, orders->len - first);
      g_autoptr(GBytes) body = page_body ((JsonNode **) orders->pdata + first, n);
      g_autofree char *page = g_strdup_printf ("%u", k + 1);
      SkTestRoute *route = sk_test_server_add_route (f->server, ORDERS_PATH, "page", page,
                                                     200, NULL, body);

      if (headers)
        {
          sk_test_route_add_header (route, "X-WP-Total", total);
          sk_test_route_add_header (route, "X-WP-TotalPages", total_pages);
        }
      g_ptr_array_add (f->routes, route);
    }
}

static void
serve_fixture_pages (Fixture *f)
{
  g_autoptr(GPtrArray) orders = fixture_orders ();

  serve_pages (f, orders, 1, TRUE);
}

/* Fixture */

static void
use_record (Fixture *f, const char *base_url, const char *account)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);
  g_autoptr(GError) error = NULL;

  g_free (record->base_url);
  record->base_url = g_strdup (base_url);
  g_free (record->account);
  record->account = g_strdup (account);
  sk_store_update_channel (f->store, record, &error);
  g_assert_no_error (error);
  _sk_channel_set_record (f->channel, record);
  sk_channel_record_free (f->record);
  f->record = g_steal_pointer (&record);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 4, 10 * 1000, G_USEC_PER_SEC };
  g_autofree char *path = NULL;
  g_autofree char *authorization = basic_header (KEY, SECRET);
  g_autofree char *secret = sk_woo_channel_build_secret (KEY, SECRET);
  g_autoptr(GError) error = NULL;

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  f->server = sk_test_server_new ();
  sk_test_server_require_header (f->server, "Authorization", authorization);
  f->routes = g_ptr_array_new ();

  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &policy);

  f->record = sk_channel_record_new ();
  f->record->kind = g_strdup ("woocommerce");
  f->record->name = g_strdup ("Shop Example (WooCommerce)");
  f->record->account = g_strdup (SITE);
  f->record->base_url = g_strdup (sk_test_server_get_url (f->server));
  f->record->secret_ref = g_strdup ("test");
  sk_store_add_channel (f->store, f->record, &error);
  g_assert_no_error (error);

  f->channel = sk_channel_new_for_record (f->store, f->http, f->record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_WOO_CHANNEL (f->channel));
  sk_channel_set_secret (f->channel, secret);
}

static void
demo_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture_setup (f, data);
  f->shop = sk_demo_shop_new (20241002, DEMO_ORDERS);
  sk_demo_shop_start (f->shop, &error);
  g_assert_no_error (error);
  use_record (f, sk_demo_shop_get_base_url (f->shop), sk_demo_shop_get_woo_site (f->shop));
  sk_channel_set_secret (f->channel, SK_DEMO_WOO_SECRET);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->channel);
  g_clear_pointer (&f->record, sk_channel_record_free);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  if (f->shop != NULL)
    sk_demo_shop_stop (f->shop);
  g_clear_object (&f->shop);
  g_clear_pointer (&f->routes, g_ptr_array_unref);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
}

/* Runs */

typedef struct {
  gboolean done;
  gboolean ok;
  SkSyncSummary summary;
  GError *error;
} RunResult;

static void
on_synced (GObject *source, GAsyncResult *result, gpointer data)
{
  RunResult *r = data;

  r->ok = sk_channel_sync_finish (SK_CHANNEL (source), result, &r->summary, &r->error);
  r->done = TRUE;
}

static void
assert_no_credentials_in (const char *text)
{
  g_autofree char *basic = basic_header (KEY, SECRET);

  if (text == NULL)
    return;
  g_assert_null (strstr (text, KEY));
  g_assert_null (strstr (text, SECRET));
  g_assert_null (strstr (text, basic + strlen ("Basic ")));
  g_assert_null (strstr (text, SK_DEMO_WOO_CONSUMER_SECRET));
}

static GError *
run_sync (Fixture *f, SkSyncSummary *out_summary)
{
  RunResult r = { 0 };

  sk_channel_sync_async (f->channel, NULL, on_synced, &r);
  sk_test_wait_for (&r.done, 60000);
  g_assert_true (r.ok == (r.error == NULL));
  if (out_summary != NULL)
    *out_summary = r.summary;
  if (r.error != NULL)
    {
      assert_no_credentials_in (r.error->message);
      assert_no_credentials_in (sk_channel_get_last_error (f->channel));
    }
  return r.error;
}

static gint64
count_orders (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sk_store_count_orders (f->store, f->record->id, &error);

  g_assert_no_error (error);
  return n;
}

static void
get_cursor (Fixture *f, SkSyncCursor *cursor)
{
  g_autoptr(GError) error = NULL;

  sk_store_get_cursor (f->store, f->record->id, "orders", cursor, &error);
  g_assert_no_error (error);
}

static void
write_cursor (Fixture *f, gint64 high_water, gint64 run_started_at, gint64 run_max_seen,
              const char *page_token, gint64 pages_done)
{
  SkSyncCursor cursor = { 0 };
  g_autoptr(GError) error = NULL;

  cursor.high_water = high_water;
  cursor.run_started_at = run_started_at;
  cursor.run_max_seen = run_max_seen;
  cursor.page_token = g_strdup (page_token);
  cursor.pages_done = pages_done;
  sk_store_write_cursor (f->store, f->record->id, "orders", &cursor, &error);
  g_assert_no_error (error);
  sk_sync_cursor_clear (&cursor);
}

/* Requests to the orders endpoint, in order. */
static GPtrArray *
orders_requests (Fixture *f)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_test_request_free);
  guint n = sk_test_server_get_n_requests (f->server);

  for (guint i = 0; i < n; i++)
    {
      SkTestRequest *request = sk_test_server_dup_request (f->server, i);

      if (g_strcmp0 (request->path, ORDERS_PATH) == 0)
        g_ptr_array_add (list, request);
      else
        sk_test_request_free (request);
    }
  return list;
}

static const char *
param (GPtrArray *requests, guint i, const char *name)
{
  SkTestRequest *request;

  g_assert_cmpuint (i, <, requests->len);
  request = g_ptr_array_index (requests, i);
  return g_hash_table_lookup (request->params, name);
}

static void
push_fault (Fixture *f, guint page, const SkTestFault *fault, guint times)
{
  for (guint i = 0; i < times; i++)
    sk_test_route_push_fault (g_ptr_array_index (f->routes, page - 1), fault);
}

/* Helpers for talking to the demo shop directly */

typedef struct {
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Reply *
fetch (SkDemoShop *shop, const char *path, const char *authorization)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (sk_demo_shop_get_base_url (shop), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 "Authorization", authorization);
  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static Reply *
fetch_woo (SkDemoShop *shop, const char *path)
{
  g_autofree char *authorization = basic_header (SK_DEMO_WOO_CONSUMER_KEY,
                                                 SK_DEMO_WOO_CONSUMER_SECRET);

  return fetch (shop, path, authorization);
}

static char *
reply_code (Reply *reply)
{
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (reply->body, NULL), NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node),
                                                                "code", NULL));
}

static const char *
header (Reply *reply, const char *name)
{
  return soup_message_headers_get_one (reply->headers, name);
}

/* Tests: helpers of the connector */

static void
test_site_url (void)
{
  const char *good[][2] = {
    { "shop.example", "https://shop.example" },
    { "  https://Shop.Example/ ", "https://shop.example" },
    { "https://shop.example/wp-json/wc/v3/orders?x=1", "https://shop.example" },
    { "https://example.com/shop/wp-admin/edit.php", "https://example.com/shop" },
    { "https://example.com:8443/shop/", "https://example.com:8443/shop" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://localhost/", "http://localhost" },
  };
  const char *bad[] = { "", "shop", "https://", "ftp://shop.example", "https://user:pw@shop.example" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = sk_woo_normalize_site_url (good[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = sk_woo_normalize_site_url (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *url = sk_woo_normalize_site_url ("http://shop.example", &error);

    g_assert_null (url);
    g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  }
}

static void
test_secret (void)
{
  g_autofree char *secret = sk_woo_channel_build_secret ("ck_a\"b", "cs_c\\d");
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  const char *bad[] = { NULL, "", "ck_x:cs_y", "{}", "{\"consumer_key\":\"ck\"}",
                        "{\"consumer_key\":\"\",\"consumer_secret\":\"cs\"}", "[1]" };

  g_assert_true (sk_woo_channel_parse_secret (secret, &key, &value));
  g_assert_cmpstr (key, ==, "ck_a\"b");
  g_assert_cmpstr (value, ==, "cs_c\\d");
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&value, g_free);
  g_assert_true (sk_woo_channel_parse_secret (SK_DEMO_WOO_SECRET, &key, &value));
  g_assert_cmpstr (key, ==, SK_DEMO_WOO_CONSUMER_KEY);
  g_assert_cmpstr (value, ==, SK_DEMO_WOO_CONSUMER_SECRET);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *k = NULL;
      g_autofree char *v = NULL;

      g_assert_false (sk_woo_channel_parse_secret (bad[i], &k, &v));
      g_assert_null (k);
      g_assert_null (v);
    }
}

/* Tests against the loopback server */

static void
test_request_shape (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(SkOrder) order = NULL;
  g_autofree char *authorization = basic_header (KEY, SECRET);
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };
  SkSyncProgress progress;
  SkTestRequest *first;

  serve_fixture_pages (f);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpuint (summary.inserted, ==, 2);
  g_assert_cmpint (count_orders (f), ==, 2);
  sk_channel_get_progress (f->channel, &progress);
  g_assert_cmpuint (progress.pages, ==, 2);
  g_assert_cmpuint (progress.orders, ==, 2);
  g_assert_cmpint (progress.expected_orders, ==, 2);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);

  order = sk_store_find_order (f->store, f->record->id, "723", &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpint (sk_order_get_total (order), ==, 3900);
  g_assert_cmpint (sk_order_get_total_refunded (order), ==, 1900);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_PARTIALLY_REFUNDED);

  /* A first run asks for everything, oldest id first. */
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 2);
  first = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (first->method, ==, "GET");
  g_assert_cmpstr (param (requests, 0, "status"), ==, "any");
  g_assert_cmpstr (param (requests, 0, "per_page"), ==, "100");
  g_assert_cmpstr (param (requests, 0, "page"), ==, "1");
  g_assert_cmpstr (param (requests, 0, "orderby"), ==, "id");
  g_assert_cmpstr (param (requests, 0, "order"), ==, "asc");
  g_assert_cmpstr (param (requests, 0, "dates_are_gmt"), ==, "true");
  g_assert_null (param (requests, 0, "modified_after"));
  g_assert_cmpstr (param (requests, 1, "page"), ==, "2");
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "Authorization"), ==, authorization);
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "Accept"), ==, "application/json");
  /* The keys travel in the header, never in the address. */
  g_assert_null (strstr (first->query, KEY));
  g_assert_null (strstr (first->query, SECRET));

  /* The run is complete: the high-water mark is the newest order seen
   * (older than the run's start). */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, FIXTURE_HIGH_WATER);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 2);
  sk_sync_cursor_clear (&cursor);
}

/* The same pages again import nothing twice; the second run asks from the
 * high-water mark less the overlap, in UTC. */
static void
test_idempotent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncSummary summary;

  serve_fixture_pages (f);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged + summary.stale, ==, 2);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 4);
  /* 2017-03-22T19:28:08 − 600 s */
  g_assert_cmpstr (param (requests, 2, "modified_after"), ==, "2017-03-22T19:18:08");
  g_assert_cmpstr (param (requests, 2, "dates_are_gmt"), ==, "true");
  g_assert_cmpstr (param (requests, 2, "page"), ==, "1");
  g_assert_cmpstr (param (requests, 3, "modified_after"), ==, "2017-03-22T19:18:08");
}

/* Without X-WP-TotalPages, pages go on while they come full. */
static void
test_pages_without_headers (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };

  for (guint i = 0; i < SK_WOO_PER_PAGE + 3; i++)
    {
      g_autofree char *modified = g_strdup_printf ("2024-05-0%uT10:%02u:00", 1 + i / 60, i % 60);

      g_ptr_array_add (orders, clone_order (3000 + i, modified));
    }
  serve_pages (f, orders, SK_WOO_PER_PAGE, FALSE);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpuint (summary.inserted, ==, SK_WOO_PER_PAGE + 3);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 0)), ==, 1);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 1)), ==, 1);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, 1714646520);  /* 2024-05-02T10:42:00 */
  sk_sync_cursor_clear (&cursor);
}

/* A 429 is retried after its Retry-After; a 500 after a backoff. */
static void
test_429_retry_after (Fixture *f, gconstpointer data)
{
  SkTestFault with_retry_after = { .status = 429, .retry_after = "0.4" };
  SkTestFault server_error = { .status = 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkTestRequest *refused, *retried;

  serve_fixture_pages (f);
  push_fault (f, 2, &with_retry_after, 1);
  push_fault (f, 2, &server_error, 1);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 1)), ==, 3);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 4);
  refused = g_ptr_array_index (requests, 1);
  retried = g_ptr_array_index (requests, 2);
  g_assert_cmpuint (refused->status, ==, 429);
  g_assert_cmpint (retried->at_us - refused->at_us, >=, 400 * 1000);
}

static void
test_429_exhausted (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 429, .retry_after = "0.01" };
  g_autoptr(GError) error = NULL;

  serve_fixture_pages (f);
  push_fault (f, 1, &fault, 4);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==,
                   "The site " SITE " asked Storekeep to slow down and kept refusing after "
                   "several tries. Storekeep will try again in a few minutes.");
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (count_orders (f), ==, 0);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 0)), ==, 4);
}

/* WooCommerce has no limit of its own, so the connector keeps a gentle
 * one: a burst of 10 requests, then 5 a second. */
static void
test_gentle_bucket (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  gint64 span;

  for (guint i = 0; i < 13; i++)
    {
      g_autofree char *modified = g_strdup_printf ("2024-05-01T10:%02u:00", i);

      g_ptr_array_add (orders, clone_order (4000 + i, modified));
    }
  serve_pages (f, orders, 1, TRUE);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 13);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 13);
  /* Requests 11 to 13 waited for tokens: at least 3 × 0.2 s after the
   * first (less a little for the bucket filling while the first ten went). */
  span = ((SkTestRequest *) g_ptr_array_index (requests, 12))->at_us -
         ((SkTestRequest *) g_ptr_array_index (requests, 0))->at_us;
  g_test_message ("13 requests in %" G_GINT64_FORMAT " ms", span / 1000);
  g_assert_cmpint (span, >=, 350 * 1000);
}

/* A host that says its allowance is used up pauses the next request. */
static void
test_rate_limit_headers (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  gint64 gap;

  serve_fixture_pages (f);
  sk_test_route_add_header (g_ptr_array_index (f->routes, 0), "RateLimit-Remaining", "0");
  sk_test_route_add_header (g_ptr_array_index (f->routes, 0), "RateLimit-Reset", "1");
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  requests = orders_requests (f);
  gap = ((SkTestRequest *) g_ptr_array_index (requests, 1))->at_us -
        ((SkTestRequest *) g_ptr_array_index (requests, 0))->at_us;
  g_assert_cmpint (gap, >=, 900 * 1000);
}

static void
test_auth (Fixture *f, gconstpointer data)
{
  g_autofree char *wrong = sk_woo_channel_build_secret (KEY, "cs_wrong_secret_000000000000");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkTestRequest) request = NULL;

  serve_fixture_pages (f);
  sk_channel_set_secret (f->channel, wrong);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "WooCommerce at " SITE " refused the consumer key and secret. Check that "
                   "they are correct, have Read access and have not been revoked, then enter "
                   "them again in the channel settings.");
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpstr (sk_channel_get_last_error (f->channel), ==, error->message);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 1);
  g_assert_null (strstr (error->message, "cs_wrong"));
  g_assert_cmpint (count_orders (f), ==, 0);
  /* A 401 is not retried. */
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 1);
  request = sk_test_server_dup_request (f->server, 0);
  g_assert_cmpuint (request->status, ==, 401);
}

static void
test_status_words (Fixture *f, gconstpointer data)
{
  const char *no_route = "{\"code\":\"rest_no_route\",\"message\":\"No route was found matching the URL and request method.\",\"data\":{\"status\":404}}";
  const char *invalid = "{\"code\":\"rest_invalid_param\",\"message\":\"Invalid parameter(s): modified_after\",\"data\":{\"status\":400}}";
  const char *forbidden = "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list resources.\",\"data\":{\"status\":403}}";
  const char *echo = "{\"code\":\"x\",\"message\":\"Key " KEY " with secret " SECRET " is <b>not</b> allowed\"}";
  g_autoptr(GBytes) b404 = g_bytes_new_static (no_route, strlen (no_route));
  g_autoptr(GBytes) b400 = g_bytes_new_static (invalid, strlen (invalid));
  g_autoptr(GBytes) b403 = g_bytes_new_static (forbidden, strlen (forbidden));
  g_autoptr(GBytes) becho = g_bytes_new_static (echo, strlen (echo));
  SkTestFault f404 = { .status = 404, .body = b404 };
  SkTestFault f400 = { .status = 400, .body = b400 };
  SkTestFault f403 = { .status = 403, .body = b403 };
  SkTestFault fecho = { .status = 409, .body = becho };
  SkTestFault f503 = { .status = 503 };
  SkTestFault f302 = { .status = 302, .header_name = "Location", .header_value = "https://www.shop.example/" };
  GError *error;

  serve_fixture_pages (f);

  push_fault (f, 1, &f404, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "No WooCommerce REST API answers at " SITE ": check the address and that "
                   "permalinks are enabled.");
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_clear_error (&error);

  push_fault (f, 1, &f403, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "“Sorry, you cannot list resources.”"));
  g_assert_nonnull (strstr (error->message, "Read access"));
  g_clear_error (&error);

  /* Other refusals carry WooCommerce's own words … */
  push_fault (f, 1, &f400, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "WooCommerce at " SITE " refused the request (HTTP 400): “Invalid "
                   "parameter(s): modified_after”. Check the channel settings; if they are "
                   "right, Storekeep will try again at the next sync.");
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_clear_error (&error);

  /* … without markup and never with the keys, even when echoed. */
  push_fault (f, 1, &fecho, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "“Key … with secret … is not allowed”"));
  g_clear_error (&error);

  push_fault (f, 1, &f503, 4);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, SITE));
  g_clear_error (&error);

  push_fault (f, 1, &f302, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Settings → General"));
  g_clear_error (&error);

  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 6);
  g_assert_cmpint (count_orders (f), ==, 0);

  /* And then it works again. */
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
}

static void
test_no_credentials (Fixture *f, gconstpointer data)
{
  const char *bad[] = { NULL, "", "ck_only", "{\"consumer_key\":\"" KEY "\"}" };

  serve_fixture_pages (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      sk_channel_set_secret (f->channel, bad[i]);
      error = run_sync (f, NULL);
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      g_assert_nonnull (strstr (error->message, SITE));
      g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
    }
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

static void
test_insecure_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  use_record (f, "http://" SITE, SITE);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

/* A run that stops at page 2 leaves page 1 committed and the cursor at
 * page 2; the next run asks for page 2 with the same filter. */
static void
test_resume (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 503 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncCursor cursor = { 0 };

  serve_fixture_pages (f);
  push_fault (f, 2, &fault, 4);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpint (count_orders (f), ==, 1);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, 0);
  g_assert_cmpint (cursor.run_started_at, >, 0);
  g_assert_cmpint (cursor.run_max_seen, ==, FIXTURE_HIGH_WATER);
  /* The next page, and the X-WP-Total the run saw last. */
  g_assert_cmpstr (cursor.page_token, ==, "2:2");
  g_assert_cmpint (cursor.pages_done, ==, 1);
  sk_sync_cursor_clear (&cursor);

  sk_test_server_reset (f->server);
  g_ptr_array_set_size (f->routes, 0);
  serve_fixture_pages (f);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (param (requests, 0, "page"), ==, "2");
  g_assert_null (param (requests, 0, "modified_after"));

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, FIXTURE_HIGH_WATER);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 2);
  sk_sync_cursor_clear (&cursor);
}

/* A cursor an interrupted incremental run left: the next run goes on at
 * its page, with the modified_after of that run, and the run's newest
 * order counts for the high-water mark, though never past its start. */
static void
test_resume_stored_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncCursor cursor = { 0 };
  gint64 started = 1714600000;   /* 2024-05-01T21:46:40 */

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (orders, clone_order (5000 + i, "2024-05-01T10:00:00"));
  g_ptr_array_add (orders, clone_order (5003, "2024-05-03T10:00:00"));
  serve_pages (f, orders, 1, TRUE);
  write_cursor (f, 1714500000, started, 1714550000, "3", 2);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (param (requests, 0, "page"), ==, "3");
  g_assert_cmpstr (param (requests, 1, "page"), ==, "4");
  /* 1714500000 − 600 = 2024-04-30T17:50:00 */
  g_assert_cmpstr (param (requests, 0, "modified_after"), ==, "2024-04-30T17:50:00");
  g_assert_cmpint (count_orders (f), ==, 2);

  /* Order 5003 changed after the run began (2024-05-03): an order on an
   * earlier page could have changed then too, so the mark stays at the
   * run's start. */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, started);
  g_assert_cmpint (cursor.pages_done, ==, 4);
  g_assert_null (cursor.page_token);
  sk_sync_cursor_clear (&cursor);
}

/* Serve @orders as one page for requests with modified_after=@since, and
 * @others for any other first page. */
static void
serve_since (Fixture *f, const char *since, GPtrArray *orders, GPtrArray *others)
{
  g_autoptr(GBytes) body = page_body ((JsonNode **) orders->pdata, orders->len);
  g_autoptr(GBytes) other_body = page_body ((JsonNode **) others->pdata, others->len);
  g_autofree char *total = g_strdup_printf ("%u", orders->len);
  g_autofree char *other_total = g_strdup_printf ("%u", others->len);
  SkTestRoute *route;

  route = sk_test_server_add_route (f->server, ORDERS_PATH, "modified_after", since,
                                    200, NULL, body);
  sk_test_route_add_header (route, "X-WP-Total", total);
  sk_test_route_add_header (route, "X-WP-TotalPages", "1");
  route = sk_test_server_add_route (f->server, ORDERS_PATH, "page", "1", 200, NULL, other_body);
  sk_test_route_add_header (route, "X-WP-Total", other_total);
  sk_test_route_add_header (route, "X-WP-TotalPages", "1");
}

/* Order 6001 on page 1 goes to the trash while the run reads page 2:
 * order 6002, first on page 2 when the run began, moves onto page 1, and
 * page 2 holds 6003 (the newest change). X-WP-Total drops from 3 to 2, so
 * the run leaves the high-water mark where it found it and the next run,
 * asking from there, reads 6002. */
static void
test_total_shrinks (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) newest = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GBytes) page1 = NULL;
  g_autoptr(GBytes) page2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(SkOrder) moved = NULL;
  SkTestRoute *route;
  SkSyncCursor cursor = { 0 };
  gint64 mark = 1714500000;   /* 2024-04-30T18:00:00, a run done before */

  g_ptr_array_add (all, clone_order (6001, "2024-05-01T10:00:00"));
  g_ptr_array_add (all, clone_order (6002, "2024-05-01T11:00:00"));
  g_ptr_array_add (all, clone_order (6003, "2024-05-02T10:00:00"));
  write_cursor (f, mark, 0, 0, NULL, 0);

  page1 = page_body ((JsonNode **) all->pdata, 1);
  route = sk_test_server_add_route (f->server, ORDERS_PATH, "page", "1", 200, NULL, page1);
  sk_test_route_add_header (route, "X-WP-Total", "3");
  sk_test_route_add_header (route, "X-WP-TotalPages", "3");
  page2 = page_body ((JsonNode **) all->pdata + 2, 1);
  route = sk_test_server_add_route (f->server, ORDERS_PATH, "page", "2", 200, NULL, page2);
  sk_test_route_add_header (route, "X-WP-Total", "2");
  sk_test_route_add_header (route, "X-WP-TotalPages", "2");

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.high_water, ==, mark);
  sk_sync_cursor_clear (&cursor);

  /* The site now: 6002 and 6003 changed after the mark; only 6003 within
   * the overlap of the newest change. */
  sk_test_server_reset (f->server);
  g_ptr_array_add (later, json_node_copy (all->pdata[1]));
  g_ptr_array_add (later, json_node_copy (all->pdata[2]));
  g_ptr_array_add (newest, json_node_copy (all->pdata[2]));
  /* 1714500000 − 600 = 2024-04-30T17:50:00 */
  serve_since (f, "2024-04-30T17:50:00", later, newest);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (param (requests, 0, "modified_after"), ==, "2024-04-30T17:50:00");
  g_assert_cmpint (count_orders (f), ==, 3);
  moved = sk_store_find_order (f->store, f->record->id, "6002", &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);

  /* Nothing left the list this time: the mark moves on. */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, >, mark);
  sk_sync_cursor_clear (&cursor);
}

/* The total a run saw rides in the cursor: a run resumed after a stop
 * still notices that the list shrank, and says so to the run after it. */
static void
test_total_shrinks_resumed (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  SkTestFault fault = { .status = 503 };
  SkSyncCursor cursor = { 0 };
  gint64 mark = 1714500000;
  gint64 started = 1714600000;

  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (orders, clone_order (7000 + i, "2024-05-01T10:00:00"));
  /* Pages 2 to 4 of a list of 4: one order left since page 1 was read
   * (the stored total is 5). */
  serve_pages (f, orders, 1, TRUE);
  write_cursor (f, mark, started, 1714560000, "2:5", 1);
  push_fault (f, 3, &fault, 4);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_clear_error (&error);
  get_cursor (f, &cursor);
  g_assert_cmpstr (cursor.page_token, ==, "3:shrunk");
  g_assert_cmpint (cursor.high_water, ==, mark);
  sk_sync_cursor_clear (&cursor);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  get_cursor (f, &cursor);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_cmpint (cursor.high_water, ==, mark);
  sk_sync_cursor_clear (&cursor);

  /* The same total as stored: the mark moves on, up to the run's start. */
  sk_test_server_reset (f->server);
  g_ptr_array_set_size (f->routes, 0);
  serve_pages (f, orders, 1, TRUE);
  write_cursor (f, mark, started, 1714560000, "2:4", 1);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, 1714560000);
  sk_sync_cursor_clear (&cursor);
}

static void
test_dead_letters (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = fixture_orders ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(SkOrder) found = NULL;
  g_autoptr(SkOrder) unrounded = NULL;
  JsonNode *bad_total, *fractional, *tax_inclusive;
  JsonObject *line;
  SkSyncSummary summary;
  GPtrArray *lines;

  bad_total = clone_order (801, "2024-05-01T10:00:00");
  json_object_set_string_member (json_node_get_object (bad_total), "total", "12,3O");
  fractional = clone_order (802, "2024-05-01T10:01:00");
  line = json_array_get_object_element (json_object_get_array_member (json_node_get_object (fractional),
                                                                       "line_items"), 0);
  json_object_set_double_member (line, "quantity", 1.5);
  tax_inclusive = clone_order (803, "2024-05-01T10:02:00");
  line = json_array_get_object_element (json_object_get_array_member (json_node_get_object (tax_inclusive),
                                                                       "line_items"), 1);
  json_object_set_double_member (line, "price", 16.5289256198);
  json_object_set_string_member (line, "subtotal", "16.53");
  json_object_set_string_member (line, "total", "16.53");
  json_object_set_string_member (json_node_get_object (tax_inclusive), "total", "33.88");
  g_ptr_array_add (orders, bad_total);
  g_ptr_array_add (orders, fractional);
  g_ptr_array_add (orders, tax_inclusive);
  serve_pages (f, orders, 3, TRUE);

  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpuint (summary.inserted, ==, 3);
  g_assert_cmpuint (summary.dead_lettered, ==, 2);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 2);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);

  letters = sk_store_list_dead_letters (f->store, f->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 2);
  for (guint i = 0; i < letters->len; i++)
    {
      SkDeadLetterRecord *letter = g_ptr_array_index (letters, i);
      g_autofree char *text = g_strndup (g_bytes_get_data (letter->raw, NULL),
                                         g_bytes_get_size (letter->raw));
      g_autoptr(JsonNode) raw = json_from_string (text, NULL);

      /* Each letter keeps its order's own JSON. */
      g_assert_nonnull (raw);
      g_assert_cmpstr (letter->external_id, ==,
                       json_object_get_int_member (json_node_get_object (raw), "id") == 801 ? "801" : "802");
      if (g_str_equal (letter->external_id, "801"))
        g_assert_cmpstr (letter->reason, ==, "total \"12,3O\" is not an amount.");
      else
        g_assert_nonnull (strstr (letter->reason, "quantity 1.5 is a fraction of an item"));
    }

  found = sk_store_find_order (f->store, f->record->id, "803", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  unrounded = sk_store_load_order (f->store, sk_order_get_id (found), &error);
  g_assert_no_error (error);
  lines = sk_order_get_lines (unrounded);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (((SkOrderLine *) g_ptr_array_index (lines, 1))->unit_price, ==, 1653);
  g_assert_cmpint (sk_order_get_total (unrounded), ==, 3388);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  SkTestFault truncated = { .body_mode = SK_TEST_BODY_TRUNCATED };
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0 };

  serve_fixture_pages (f);
  push_fault (f, 2, &truncated, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "The response from WooCommerce ended early"));
  g_clear_error (&error);
  g_assert_cmpint (count_orders (f), ==, 1);
  get_cursor (f, &cursor);
  g_assert_cmpstr (cursor.page_token, ==, "2:2");   /* page 2, X-WP-Total 2 */
  sk_sync_cursor_clear (&cursor);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
}

typedef struct {
  gboolean done;
  GError *error;
} TestResult;

static void
on_tested (GObject *source, GAsyncResult *result, gpointer data)
{
  TestResult *r = data;

  sk_channel_test_connection_finish (SK_CHANNEL (source), result, &r->error);
  r->done = TRUE;
}

static GError *
run_test_connection (Fixture *f)
{
  TestResult r = { 0 };

  sk_channel_test_connection_async (f->channel, NULL, on_tested, &r);
  sk_test_wait_for (&r.done, 10000);
  return r.error;
}

static void
test_connection (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>Hello</html>", 18);
  g_autoptr(GBytes) empty = g_bytes_new_static ("[]", 2);
  g_autoptr(GPtrArray) requests = NULL;
  GError *error;

  sk_test_server_add_route (f->server, ORDERS_PATH, NULL, NULL, 200, NULL, empty);
  error = run_test_connection (f);
  g_assert_no_error (error);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (param (requests, 0, "per_page"), ==, "1");

  /* A site that answers, but not with WooCommerce's JSON. */
  sk_test_server_reset (f->server);
  sk_test_server_add_route (f->server, ORDERS_PATH, NULL, NULL, 200, "text/html", html);
  error = run_test_connection (f);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  sk_channel_set_secret (f->channel, "{\"consumer_key\":\"ck_x\",\"consumer_secret\":\"cs_y\"}");
  error = run_test_connection (f);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  /* A connection test books nothing. */
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
}

/* Tests against the demo shop */

static void
test_demo_full_then_incremental (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) stored = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SkOrder) served = NULL;
  SkSyncSummary summary;
  SkSyncProgress progress;
  SkSyncCursor cursor = { 0 };
  gint64 before = sk_time_now ();

  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS);
  g_assert_cmpuint (summary.pages, ==, (DEMO_ORDERS + SK_WOO_PER_PAGE - 1) / SK_WOO_PER_PAGE);
  g_assert_cmpuint (summary.inserted, ==, DEMO_ORDERS);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  sk_channel_get_progress (f->channel, &progress);
  g_assert_cmpuint (progress.pages, ==, 3);
  g_assert_cmpuint (progress.orders, ==, DEMO_ORDERS);
  g_assert_cmpint (progress.expected_orders, ==, DEMO_ORDERS);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, >, 0);
  g_assert_cmpint (cursor.high_water, <=, sk_time_now ());
  g_assert_cmpint (cursor.high_water, >=, before - 86400);
  sk_sync_cursor_clear (&cursor);

  /* What was stored is what the shop serves for that order. */
  reply = fetch_woo (f->shop, "/wp-json/wc/v3/orders/1200");
  g_assert_cmpuint (reply->status, ==, 200);
  node = json_from_string (g_bytes_get_data (reply->body, NULL), &error);
  g_assert_no_error (error);
  served = sk_woo_normalize_order (node, f->record->id, &error);
  g_assert_no_error (error);
  stored = sk_store_find_order (f->store, f->record->id, "1200", &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpint (sk_order_get_total (stored), ==, sk_order_get_total (served));
  g_assert_cmpint (sk_order_get_updated_at (stored), ==, sk_order_get_updated_at (served));
  g_assert_cmpstr (sk_order_get_status_code (stored), ==, sk_order_get_status_code (served));
  g_assert_cmpstr (sk_order_get_number (stored), ==, "#1200");

  /* Five new orders and some changes to old ones. */
  sk_demo_shop_advance (f->shop, 5, 10);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 5);
  g_assert_cmpuint (summary.inserted, ==, 5);
  g_assert_cmpuint (summary.updated, >, 0);
  g_assert_cmpuint (summary.updated, <=, 10);

  /* Nothing new: nothing written. */
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted + summary.updated, ==, 0);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 5);
}

static void
test_demo_faults (Fixture *f, gconstpointer data)
{
  GError *error;
  gint64 start = g_get_monotonic_time ();

  /* Retry-After: 1 honoured, a 500 retried. */
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_429, 1);
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_500, 1);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS);

  sk_demo_shop_advance (f->shop, 150, 0);
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_TRUNCATED, 1);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 150);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
}

static void
test_demo_auth (Fixture *f, gconstpointer data)
{
  g_autofree char *wrong_secret = sk_woo_channel_build_secret (SK_DEMO_WOO_CONSUMER_KEY, "cs_nope");
  g_autofree char *wrong_key = sk_woo_channel_build_secret ("ck_nope", SK_DEMO_WOO_CONSUMER_SECRET);
  const char *secrets[] = { wrong_secret, wrong_key };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autoptr(GError) error = NULL;

      sk_channel_set_secret (f->channel, secrets[i]);
      error = run_sync (f, NULL);
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
      g_assert_cmpstr (error->message, ==,
                       "WooCommerce at " SK_DEMO_WOO_SITE " refused the consumer key and "
                       "secret. Check that they are correct, have Read access and have not been "
                       "revoked, then enter them again in the channel settings.");
      g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
      g_assert_cmpint (count_orders (f), ==, 0);
    }

  /* The right keys again: the channel recovers. */
  sk_channel_set_secret (f->channel, SK_DEMO_WOO_SECRET);
  {
    g_autoptr(GError) error = run_sync (f, NULL);

    g_assert_no_error (error);
    g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  }
  {
    g_autoptr(GError) error = run_test_connection (f);

    g_assert_no_error (error);
  }
}

static void
test_demo_malformed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary;

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 2);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.dead_lettered, ==, 2);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 2);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS - 2);
}

/* Orders went away between two runs: the stored page is past the last. */
static void
test_demo_resume_past_end (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0 };
  SkSyncSummary summary;
  gint64 started = sk_time_now () - 60;

  write_cursor (f, 1000, started, started - 3600, "7", 6);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 1);
  g_assert_cmpint (count_orders (f), ==, 0);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  /* Page 7 is past the end now: orders left the list since the run read
   * pages 1 to 6, so one may have moved onto a page already read. The run
   * is complete, but the next one reads again from where it started. */
  g_assert_cmpint (cursor.high_water, ==, 1000);
  sk_sync_cursor_clear (&cursor);
}

/* The demo shop's dialect itself */

static void
test_demo_dialect (Fixture *f, gconstpointer data)
{
  const char *orders = "/wp-json/wc/v3/orders";
  g_autofree char *wrong_key = basic_header ("ck_nope", SK_DEMO_WOO_CONSUMER_SECRET);
  g_autofree char *wrong_secret = basic_header (SK_DEMO_WOO_CONSUMER_KEY, "cs_nope");

  {
    g_autoptr(Reply) none = fetch (f->shop, orders, NULL);
    g_autoptr(Reply) bad_key = fetch (f->shop, orders, wrong_key);
    g_autoptr(Reply) bad_secret = fetch (f->shop, orders, wrong_secret);
    g_autofree char *none_code = reply_code (none);
    g_autofree char *key_code = reply_code (bad_key);

    g_assert_cmpuint (none->status, ==, 401);
    g_assert_cmpstr (none_code, ==, "woocommerce_rest_cannot_view");
    g_assert_cmpuint (bad_key->status, ==, 401);
    g_assert_cmpstr (key_code, ==, "woocommerce_rest_authentication_error");
    g_assert_nonnull (strstr (g_bytes_get_data (bad_key->body, NULL), "Consumer key is invalid."));
    g_assert_cmpuint (bad_secret->status, ==, 401);
    g_assert_nonnull (strstr (g_bytes_get_data (bad_secret->body, NULL), "Consumer secret is invalid."));
    /* No Shopify headers on WooCommerce answers. */
    g_assert_null (header (none, "X-Shopify-Shop-Api-Call-Limit"));
  }
  {
    /* Ten a page by default, newest first. */
    g_autoptr(Reply) reply = fetch_woo (f->shop, orders);
    g_autoptr(GError) error = NULL;
    g_autoptr(SkImportPage) page = sk_import_page_new (1, "orders", "test");
    SkOrder *first;
    g_autofree char *last_id = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                (guint64) 1200 + 4 * (DEMO_ORDERS - 1));

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL),
                                     "application/json"));
    g_assert_cmpstr (header (reply, "X-WP-Total"), ==, "250");
    g_assert_cmpstr (header (reply, "X-WP-TotalPages"), ==, "25");
    g_assert_nonnull (strstr (header (reply, "Link"), "page=2"));
    g_assert_true (sk_woo_normalize_page (reply->body, page, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (page->orders->len, ==, 10);
    g_assert_cmpuint (page->dead_letters->len, ==, 0);
    first = g_ptr_array_index (page->orders, 0);
    g_assert_cmpstr (sk_order_get_external_id (first), ==, last_id);
  }
  {
    /* Every order of the book is a good WooCommerce order, and the book
     * has more than one status and some unrounded line prices. */
    g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint fractional_prices = 0, without_email = 0, without_shipping = 0;

    for (guint k = 1; k <= 3; k++)
      {
        g_autofree char *path = g_strdup_printf ("%s?per_page=100&page=%u&orderby=id&order=asc", orders, k);
        g_autoptr(Reply) reply = fetch_woo (f->shop, path);
        g_autoptr(SkImportPage) page = sk_import_page_new (1, "orders", "test");
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (reply->body, NULL), NULL);
        JsonArray *array = json_node_get_array (node);

        g_assert_true (sk_woo_normalize_page (reply->body, page, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (page->dead_letters->len, ==, 0);
        g_assert_cmpuint (page->orders->len, ==, k < 3 ? 100 : 50);
        for (guint i = 0; i < page->orders->len; i++)
          {
            SkOrder *order = g_ptr_array_index (page->orders, i);
            JsonObject *o = json_array_get_object_element (array, i);
            JsonArray *items = json_object_get_array_member (o, "line_items");

            g_assert_cmpint (sk_order_get_subtotal (order) + sk_order_get_total_shipping (order) +
                             sk_order_get_total_tax (order), ==, sk_order_get_total (order));
            g_hash_table_add (statuses, g_strdup (sk_order_get_status_code (order)));
            for (guint j = 0; j < json_array_get_length (items); j++)
              {
                JsonNode *price = json_object_get_member (json_array_get_object_element (items, j), "price");
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                const char *dot;

                /* more decimals than cents: total ÷ quantity did not come out */
                if (json_node_get_value_type (price) != G_TYPE_DOUBLE)
                  continue;
                g_ascii_formatd (buf, sizeof buf, "%.15g", json_node_get_double (price));
                dot = strchr (buf, '.');
                fractional_prices += dot != NULL && strlen (dot + 1) > 2;
              }
            without_email += sk_order_get_email (order) == NULL;
            without_shipping += sk_order_get_shipping_address (order) == NULL;
            if (i > 0)
              g_assert_cmpint (g_ascii_strtoll (sk_order_get_external_id (order), NULL, 10), >,
                               g_ascii_strtoll (sk_order_get_external_id (g_ptr_array_index (page->orders, i - 1)), NULL, 10));
          }
      }
    g_test_message ("%u statuses, %u unrounded prices, %u without e-mail, %u pickups",
                    g_hash_table_size (statuses), fractional_prices, without_email, without_shipping);
    g_assert_cmpuint (g_hash_table_size (statuses), >=, 4);
    g_assert_cmpuint (fractional_prices, >, 0);
    g_assert_cmpuint (without_email, >, 0);
    g_assert_cmpuint (without_shipping, >, 0);
  }
  {
    /* Paging limits. */
    g_autoptr(Reply) too_many = fetch_woo (f->shop, "/wp-json/wc/v3/orders?per_page=101");
    g_autoptr(Reply) past_end = fetch_woo (f->shop, "/wp-json/wc/v3/orders?per_page=100&page=4");
    g_autoptr(Reply) bad_status = fetch_woo (f->shop, "/wp-json/wc/v3/orders?status=shipped");
    g_autofree char *too_many_code = reply_code (too_many);
    g_autofree char *past_end_code = reply_code (past_end);
    g_autofree char *bad_status_code = reply_code (bad_status);

    g_assert_cmpuint (too_many->status, ==, 400);
    g_assert_cmpstr (too_many_code, ==, "rest_invalid_param");
    g_assert_cmpuint (past_end->status, ==, 400);
    g_assert_cmpstr (past_end_code, ==, "woocommerce_rest_invalid_page_number");
    g_assert_cmpuint (bad_status->status, ==, 400);
    g_assert_cmpstr (bad_status_code, ==, "rest_invalid_param");
  }
  {
    /* Status filters add up to the whole book. */
    const char *codes[] = { "pending", "processing", "on-hold", "completed", "cancelled",
                            "refunded", "failed" };
    guint64 sum = 0;

    for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
      {
        g_autofree char *path = g_strdup_printf ("%s?status=%s", orders, codes[i]);
        g_autoptr(Reply) reply = fetch_woo (f->shop, path);

        g_assert_cmpuint (reply->status, ==, 200);
        sum += g_ascii_strtoull (header (reply, "X-WP-Total"), NULL, 10);
      }
    g_assert_cmpuint (sum, ==, DEMO_ORDERS);
    {
      g_autoptr(Reply) trash = fetch_woo (f->shop, "/wp-json/wc/v3/orders?status=trash");
      g_autoptr(Reply) two = fetch_woo (f->shop, "/wp-json/wc/v3/orders?status=completed,refunded");

      g_assert_cmpstr (header (trash, "X-WP-Total"), ==, "0");
      g_assert_cmpuint (g_ascii_strtoull (header (two, "X-WP-Total"), NULL, 10), >, 0);
    }
  }
  {
    /* modified_after is strict, in UTC with dates_are_gmt, in the site's
     * UTC+1 without. */
    g_autoptr(Reply) first = fetch_woo (f->shop, "/wp-json/wc/v3/orders?orderby=modified&order=desc&per_page=1");
    g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (first->body, NULL), NULL);
    JsonObject *newest = json_array_get_object_element (json_node_get_array (node), 0);
    const char *gmt = json_object_get_string_member (newest, "date_modified_gmt");
    const char *local = json_object_get_string_member (newest, "date_modified");
    g_autofree char *escaped_gmt = g_uri_escape_string (gmt, NULL, FALSE);
    g_autofree char *escaped_local = g_uri_escape_string (local, NULL, FALSE);
    g_autofree char *at_gmt = g_strdup_printf ("%s?modified_after=%s&dates_are_gmt=true", orders, escaped_gmt);
    g_autofree char *at_local = g_strdup_printf ("%s?modified_after=%s", orders, escaped_local);
    g_autofree char *gmt_as_local = g_strdup_printf ("%s?modified_after=%s", orders, escaped_gmt);
    g_autoptr(Reply) none_gmt = fetch_woo (f->shop, at_gmt);
    g_autoptr(Reply) none_local = fetch_woo (f->shop, at_local);
    g_autoptr(Reply) some = fetch_woo (f->shop, gmt_as_local);

    g_assert_cmpstr (header (none_gmt, "X-WP-Total"), ==, "0");
    g_assert_cmpstr (header (none_local, "X-WP-Total"), ==, "0");
    /* The UTC time read as the site's is an hour earlier. */
    g_assert_cmpuint (g_ascii_strtoull (header (some, "X-WP-Total"), NULL, 10), >=, 1);
  }
  {
    g_autoptr(Reply) one = fetch_woo (f->shop, "/wp-json/wc/v3/orders/1204");
    g_autoptr(Reply) missing = fetch_woo (f->shop, "/wp-json/wc/v3/orders/1205");
    g_autoptr(Reply) status = fetch_woo (f->shop, "/wp-json/wc/v3/system_status");
    g_autoptr(Reply) index = fetch (f->shop, "/wp-json/wc/v3", NULL);
    g_autoptr(Reply) nowhere = fetch_woo (f->shop, "/wp-json/wc/v2/orders");
    g_autoptr(Reply) shopify = fetch (f->shop, "/admin/api/2024-10/shop.json", NULL);
    g_autofree char *missing_code = reply_code (missing);
    g_autofree char *nowhere_code = reply_code (nowhere);

    g_assert_cmpuint (one->status, ==, 200);
    g_assert_nonnull (strstr (g_bytes_get_data (one->body, NULL), "\"id\":1204,"));
    g_assert_cmpuint (missing->status, ==, 404);
    g_assert_cmpstr (missing_code, ==, "woocommerce_rest_shop_order_invalid_id");
    g_assert_cmpuint (status->status, ==, 200);
    g_assert_nonnull (strstr (g_bytes_get_data (status->body, NULL), "\"environment\""));
    g_assert_cmpuint (index->status, ==, 200);
    g_assert_nonnull (strstr (g_bytes_get_data (index->body, NULL), "\"namespace\":\"wc/v3\""));
    g_assert_cmpuint (nowhere->status, ==, 404);
    g_assert_cmpstr (nowhere_code, ==, "rest_no_route");
    /* The Shopify dialect is still there, with its own rules. */
    g_assert_cmpuint (shopify->status, ==, 401);
    g_assert_nonnull (header (shopify, "X-Shopify-Shop-Api-Call-Limit"));
  }
}

static gint64
fixed_now (gpointer data)
{
  return *(gint64 *) data;
}

/* The WooCommerce book is made on first use, and is then what it would
 * have been had it been made with the shop. */
static void
test_demo_lazy_book (void)
{
  gint64 now = 1717243200;   /* 2024-06-01T12:00:00Z */
  g_autoptr(SkDemoShop) early = NULL;
  g_autoptr(SkDemoShop) late = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = "/wp-json/wc/v3/orders?per_page=100&orderby=modified&order=desc";

  sk_time_set_now_func (fixed_now, &now);
  early = sk_demo_shop_new (99, 60);
  late = sk_demo_shop_new (99, 60);
  g_assert_true (sk_demo_shop_start (early, &error));
  g_assert_true (sk_demo_shop_start (late, &error));

  {
    g_autoptr(Reply) touch = fetch_woo (early, path);

    g_assert_cmpuint (touch->status, ==, 200);
  }
  now += 3600;
  sk_demo_shop_advance (early, 4, 6);
  sk_demo_shop_advance (late, 4, 6);
  now += 3600;
  sk_demo_shop_advance (early, 2, 3);
  sk_demo_shop_advance (late, 2, 3);
  {
    g_autoptr(Reply) a = fetch_woo (early, path);
    g_autoptr(Reply) b = fetch_woo (late, path);
    g_autoptr(GString) text_a = g_string_new_len (g_bytes_get_data (a->body, NULL),
                                                  g_bytes_get_size (a->body));
    g_autoptr(GString) text_b = g_string_new_len (g_bytes_get_data (b->body, NULL),
                                                  g_bytes_get_size (b->body));
    g_autoptr(Reply) shopify = fetch (early, "/admin/api/2024-10/orders.json?status=any&limit=250",
                                      NULL);

    g_assert_cmpstr (header (a, "X-WP-Total"), ==, "66");
    /* The same orders but for the server's address in the links. */
    g_string_replace (text_a, sk_demo_shop_get_base_url (early), "", 0);
    g_string_replace (text_b, sk_demo_shop_get_base_url (late), "", 0);
    g_assert_cmpstr (text_a->str, ==, text_b->str);
    g_assert_cmpuint (shopify->status, ==, 401);
  }
  {
    /* A shop of its own, not the Shopify one's orders again. */
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (sk_demo_shop_get_base_url (early),
                                        "/admin/api/2024-10/orders.json?status=any&limit=250", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
    g_autoptr(GBytes) shopify = NULL;
    g_autoptr(Reply) woo = fetch_woo (early, path);
    g_autoptr(SkImportPage) page = sk_import_page_new (1, "orders", "test");
    g_autofree char *text = NULL;
    guint shared = 0;

    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 "X-Shopify-Access-Token", SK_DEMO_SHOP_TOKEN);
    shopify = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (shopify, NULL), g_bytes_get_size (shopify));
    g_assert_true (sk_woo_normalize_page (woo->body, page, &error));
    for (guint i = 0; i < page->orders->len; i++)
      {
        const char *email = sk_order_get_email (g_ptr_array_index (page->orders, i));
        g_autofree char *quoted = g_strdup_printf ("\"%s\"", email ? email : "-");

        shared += strstr (text, quoted) != NULL;
      }
    g_assert_cmpuint (shared, <, page->orders->len / 2);
  }
  sk_time_set_now_func (NULL, NULL);
}

int
main (int argc, char **argv)
{
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, which
   * GIO's GNOME proxy resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

  g_test_add_func ("/woo/site-url", test_site_url);
  g_test_add_func ("/woo/secret", test_secret);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/woo/sync/request-shape", test_request_shape);
  ADD ("/woo/sync/idempotent", test_idempotent);
  ADD ("/woo/sync/pages-without-headers", test_pages_without_headers);
  ADD ("/woo/sync/429-retry-after", test_429_retry_after);
  ADD ("/woo/sync/429-exhausted", test_429_exhausted);
  ADD ("/woo/sync/gentle-bucket", test_gentle_bucket);
  ADD ("/woo/sync/rate-limit-headers", test_rate_limit_headers);
  ADD ("/woo/sync/auth", test_auth);
  ADD ("/woo/sync/status-words", test_status_words);
  ADD ("/woo/sync/no-credentials", test_no_credentials);
  ADD ("/woo/sync/insecure-url", test_insecure_url);
  ADD ("/woo/sync/resume", test_resume);
  ADD ("/woo/sync/resume-stored-page", test_resume_stored_page);
  ADD ("/woo/sync/total-shrinks", test_total_shrinks);
  ADD ("/woo/sync/total-shrinks-resumed", test_total_shrinks_resumed);
  ADD ("/woo/sync/dead-letters", test_dead_letters);
  ADD ("/woo/sync/truncated", test_truncated);
  ADD ("/woo/test-connection", test_connection);
#undef ADD
#define DEMO(path, func) \
  g_test_add (path, Fixture, NULL, demo_setup, func, fixture_teardown)
  DEMO ("/woo/demo/full-then-incremental", test_demo_full_then_incremental);
  DEMO ("/woo/demo/faults", test_demo_faults);
  DEMO ("/woo/demo/auth", test_demo_auth);
  DEMO ("/woo/demo/malformed-order", test_demo_malformed);
  DEMO ("/woo/demo/resume-past-end", test_demo_resume_past_end);
  DEMO ("/woo/demo-shop/dialect", test_demo_dialect);
#undef DEMO
  g_test_add_func ("/woo/demo-shop/lazy-book", test_demo_lazy_book);

  return g_test_run ();
}
