/* test-amazon-sync.c: SkAmazonChannel against a loopback Selling Partner API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SkTestServer plays both Login with Amazon (/auth/o2/token) and the
 * Orders v0 API. Orders, items and addresses are Amazon's own examples
 * (tests/fixtures/orders/amazon/, see SOURCES.md) with only the order id,
 * LastUpdateDate and item id rewritten, so that a run has several distinct
 * orders over several NextToken pages.
 */
#include "config.h"

#include <string.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-channel-private.h"
#include "sk-demo-data.h"
#include "sk-demo-shop.h"
#include "sk-error.h"
#include "sk-order-list.h"
#include "sk-outbox-dispatcher.h"
#include "sk-store-outbox.h"
#include "sk-lwa.h"
#include "sk-store-import.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"

#define SELLER "A2EXAMPLESELLER"
#define CLIENT_ID "amzn1.application-oa2-client.5f0c2a9d1e8b4c7a"
#define CLIENT_SECRET "amzn1.oa2-cs.v1.c0ffee5ecret0123456789abcdef"
#define REFRESH_TOKEN "Atzr|IwEBIrefresh-5f0c2a9d1e8b4c7aa1b2c3d4"
#define ACCESS_TOKEN "Atza|IwEBIaccess-one-0123456789"
#define ACCESS_TOKEN_2 "Atza|IwEBIaccess-two-9876543210"
#define LWA_PATH "/auth/o2/token"
#define ORDERS_PATH SK_AMAZON_ORDERS_PATH
#define MARKETPLACES "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"
#define AUTH_SENTENCE "Amazon refused the authorization for seller " SELLER \
  ". Authorize Storekeep again in Seller Central, then update the channel."
#define EXPIRED_BODY "{\"errors\":[{\"code\":\"Unauthorized\",\"message\":\"Access to requested " \
  "resource is denied.\",\"details\":\"The access token you provided has expired.\"}]}"
#define DENIED_BODY "{\"errors\":[{\"code\":\"Unauthorized\",\"message\":\"Access to requested " \
  "resource is denied.\",\"details\":\"\"}]}"

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkTestServer *server;
  SkChannelRecord *record;
  SkChannel *channel;
  SkTestRoute *lwa_route;
  GPtrArray *page_routes;     /* getOrders page k at k - 1 */
  GPtrArray *items_routes;    /* first items page of order i at i */
  GPtrArray *address_routes;  /* address of order i at i */
  GPtrArray *order_ids;       /* char*, in page order */
} Fixture;

/* A clock the tests can move forward: seconds added to real time. The
 * store's writer thread reads it too. */
static gint clock_seconds;

static gint64
test_now (gpointer data)
{
  return g_get_real_time () / G_USEC_PER_SEC + g_atomic_int_get (&clock_seconds);
}

static void
advance_clock (gint seconds)
{
  g_atomic_int_add (&clock_seconds, seconds);
}

/* Payloads */

static JsonNode *
fixture_json (const char *name)
{
  g_autofree char *relative = g_build_filename ("orders/amazon", name, NULL);

  return sk_test_load_json (relative);
}

static JsonObject *
payload_of (JsonNode *root)
{
  return json_object_get_object_member (json_node_get_object (root), "payload");
}

static GBytes *
to_bytes (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return g_bytes_new (text, strlen (text));
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
order_id_for (guint i)
{
  return g_strdup_printf ("902-%07u-%07u", 1000000 + i, 5000000 + i);
}

/* The Nth order: getOrders.json's first order, rewritten. */
static JsonNode *
make_order (guint i)
{
  g_autoptr(JsonNode) root = fixture_json ("getOrders.json");
  JsonArray *orders = json_object_get_array_member (payload_of (root), "Orders");
  JsonNode *order = json_node_copy (json_array_get_element (orders, 0));
  g_autofree char *id = order_id_for (i);
  g_autofree char *updated = g_strdup_printf ("2024-10-03T10:%02u:00Z", i);

  json_object_set_string_member (json_node_get_object (order), "AmazonOrderId", id);
  json_object_set_string_member (json_node_get_object (order), "LastUpdateDate", updated);
  return order;
}

static GBytes *
orders_body (GPtrArray *orders, guint first, guint n, const char *next_token)
{
  g_autoptr(JsonNode) root = json_from_string ("{\"payload\": {\"Orders\": []}}", NULL);
  JsonObject *payload = payload_of (root);
  JsonArray *array = json_object_get_array_member (payload, "Orders");

  for (guint i = first; i < first + n && i < orders->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (orders, i)));
  if (next_token != NULL)
    json_object_set_string_member (payload, "NextToken", next_token);
  json_object_set_string_member (payload, "LastUpdatedBefore", "2024-10-03T12:00:00Z");
  return to_bytes (root);
}

/* getOrderItems.json for order @id; item @suffix; a NextToken or not. */
static GBytes *
items_body (const char *id, const char *suffix, const char *sku, const char *next_token)
{
  g_autoptr(JsonNode) root = fixture_json ("getOrderItems.json");
  JsonObject *payload = payload_of (root);
  JsonArray *items = json_object_get_array_member (payload, "OrderItems");
  JsonObject *item = json_array_get_object_element (items, 0);
  g_autofree char *item_id = g_strdup_printf ("%s-%s", id, suffix);

  json_object_set_string_member (payload, "AmazonOrderId", id);
  json_object_set_string_member (item, "OrderItemId", item_id);
  if (sku != NULL)
    json_object_set_string_member (item, "SellerSKU", sku);
  if (next_token != NULL)
    json_object_set_string_member (payload, "NextToken", next_token);
  return to_bytes (root);
}

static GBytes *
address_body (const char *id)
{
  g_autoptr(JsonNode) root = fixture_json ("getOrderAddress.json");

  json_object_set_string_member (payload_of (root), "AmazonOrderId", id);
  return to_bytes (root);
}

static GBytes *
lwa_body (const char *token, gint64 expires_in)
{
  g_autofree char *text =
    g_strdup_printf ("{\"access_token\":\"%s\",\"refresh_token\":\"%s\",\"token_type\":\"bearer\","
                     "\"expires_in\":%" G_GINT64_FORMAT "}", token, REFRESH_TOKEN, expires_in);

  return text_bytes (text);
}

static char *
page_token (guint k)
{
  /* Amazon's tokens are base64: '+', '/' and '=' must survive the URL. */
  return g_strdup_printf ("page%u+tok/en==", k);
}

static char *
order_path (const char *id, const char *what)
{
  return g_strdup_printf (ORDERS_PATH "/%s/%s", id, what);
}

/* Serve @orders in pages of @per_page with their items (order 1's in two
 * pages) and addresses (or @address_status with Amazon's refusal). */
static void
serve_orders (Fixture *f, GPtrArray *orders, guint per_page, guint address_status)
{
  guint n_pages = MAX ((orders->len + per_page - 1) / per_page, 1);

  for (guint k = 1; k <= n_pages; k++)
    {
      g_autofree char *token = page_token (k);
      g_autofree char *next = k < n_pages ? page_token (k + 1) : NULL;
      g_autoptr(GBytes) body = orders_body (orders, (k - 1) * per_page, per_page, next);

      g_ptr_array_add (f->page_routes,
                       sk_test_server_add_route (f->server, ORDERS_PATH, "NextToken",
                                                 k == 1 ? NULL : token, 200, NULL, body));
    }

  for (guint i = 0; i < orders->len; i++)
    {
      JsonNode *order = g_ptr_array_index (orders, i);
      const char *id = json_object_get_string_member (json_node_get_object (order), "AmazonOrderId");
      g_autofree char *items_path = order_path (id, "orderItems");
      g_autofree char *address_path = order_path (id, "address");
      g_autoptr(GBytes) items = items_body (id, "a", NULL, i == 1 ? "items+2/=" : NULL);
      g_autoptr(GBytes) address = address_status == 200 ? address_body (id) : text_bytes (DENIED_BODY);

      g_ptr_array_add (f->order_ids, g_strdup (id));
      g_ptr_array_add (f->items_routes,
                       sk_test_server_add_route (f->server, items_path, "NextToken", NULL,
                                                 200, NULL, items));
      if (i == 1)
        {
          g_autoptr(GBytes) second = items_body (id, "b", "SECOND-SKU", NULL);

          sk_test_server_add_route (f->server, items_path, "NextToken", "items+2/=",
                                    200, NULL, second);
        }
      g_ptr_array_add (f->address_routes,
                       sk_test_server_add_route (f->server, address_path, NULL, NULL,
                                                 address_status, NULL, address));
    }
}

static GPtrArray *
make_orders (guint n)
{
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (orders, make_order (i));
  return orders;
}

static void
serve (Fixture *f, guint n, guint per_page)
{
  g_autoptr(GPtrArray) orders = make_orders (n);

  serve_orders (f, orders, per_page, 200);
}

/* The newest LastUpdateDate of orders 0…n-1. */
static gint64
high_water_of (guint n)
{
  g_autofree char *iso = g_strdup_printf ("2024-10-03T10:%02u:00Z", n - 1);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  return g_date_time_to_unix (dt);
}

/* Fixture */

static void
set_settings (Fixture *f, const char *settings)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);
  g_autoptr(GError) error = NULL;

  g_free (record->settings);
  record->settings = g_strdup (settings);
  sk_store_update_channel (f->store, record, &error);
  g_assert_no_error (error);
  _sk_channel_set_record (f->channel, record);
  sk_channel_record_free (f->record);
  f->record = sk_channel_record_copy (record);
}

static char *
default_settings (Fixture *f)
{
  return g_strdup_printf ("{\"marketplace_ids\": [\"ATVPDKIKX0DER\", \"A2EUQ1WTGCTBG2\"],"
                          " \"region\": \"na\", \"lwa_url\": \"%s" LWA_PATH "\"}",
                          sk_test_server_get_url (f->server));
}

static char *
secret_json (void)
{
  SkLwaCredentials credentials = { CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN };

  return sk_lwa_credentials_to_secret (&credentials);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 4, 10 * 1000, G_USEC_PER_SEC };
  g_autofree char *path = NULL;
  g_autofree char *secret = secret_json ();
  g_autoptr(GBytes) lwa = lwa_body (ACCESS_TOKEN, 3600);
  g_autoptr(GError) error = NULL;

  g_atomic_int_set (&clock_seconds, 0);
  sk_time_set_now_func (test_now, NULL);

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  f->server = sk_test_server_new ();
  f->lwa_route = sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, lwa);
  f->page_routes = g_ptr_array_new ();
  f->items_routes = g_ptr_array_new ();
  f->address_routes = g_ptr_array_new ();
  f->order_ids = g_ptr_array_new_with_free_func (g_free);

  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &policy);

  f->record = sk_channel_record_new ();
  f->record->kind = g_strdup ("amazon");
  f->record->name = g_strdup ("Test Outfitters (Amazon)");
  f->record->account = g_strdup (SELLER);
  f->record->base_url = g_strdup (sk_test_server_get_url (f->server));
  f->record->secret_ref = g_strdup ("test");
  g_free (f->record->settings);
  f->record->settings = default_settings (f);
  sk_store_add_channel (f->store, f->record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->record->id, >, 0);

  f->channel = sk_channel_new_for_record (f->store, f->http, f->record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_AMAZON_CHANNEL (f->channel));
  sk_channel_set_secret (f->channel, secret);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->channel);
  g_clear_pointer (&f->record, sk_channel_record_free);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  g_clear_pointer (&f->page_routes, g_ptr_array_unref);
  g_clear_pointer (&f->items_routes, g_ptr_array_unref);
  g_clear_pointer (&f->address_routes, g_ptr_array_unref);
  g_clear_pointer (&f->order_ids, g_ptr_array_unref);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
  sk_time_set_now_func (NULL, NULL);
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
assert_no_secret (const char *text)
{
  const char *secrets[] = { CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, ACCESS_TOKEN_2, CLIENT_ID };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (secrets); i++)
    g_assert_null (strstr (text, secrets[i]));
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
      g_test_message ("run failed: %s", r.error->message);
      assert_no_secret (r.error->message);
      assert_no_secret (sk_channel_get_last_error (f->channel));
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

static SkOrder *
find_order (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  SkOrder *order = sk_store_find_order (f->store, f->record->id, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

static void
get_cursor (Fixture *f, SkSyncCursor *cursor)
{
  g_autoptr(GError) error = NULL;

  sk_store_get_cursor (f->store, f->record->id, "orders", cursor, &error);
  g_assert_no_error (error);
}

/* Recorded requests whose path is @path (or starts with it when @prefix). */
static GPtrArray *
requests_to (Fixture *f, const char *path, gboolean prefix)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_test_request_free);
  guint n = sk_test_server_get_n_requests (f->server);

  for (guint i = 0; i < n; i++)
    {
      SkTestRequest *request = sk_test_server_dup_request (f->server, i);

      if (prefix ? g_str_has_prefix (request->path, path) : g_strcmp0 (request->path, path) == 0)
        g_ptr_array_add (list, request);
      else
        sk_test_request_free (request);
    }
  return list;
}

/* Requests for the items of any order, in order. */
static GPtrArray *
items_requests (Fixture *f)
{
  g_autoptr(GPtrArray) all = requests_to (f, ORDERS_PATH "/", TRUE);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_test_request_free);

  for (guint i = 0; i < all->len; i++)
    if (g_str_has_suffix (((SkTestRequest *) all->pdata[i])->path, "/orderItems"))
      g_ptr_array_add (list, g_steal_pointer (&all->pdata[i]));
  return list;
}

static guint
count_suffix (Fixture *f, const char *suffix)
{
  g_autoptr(GPtrArray) all = requests_to (f, ORDERS_PATH "/", TRUE);
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += g_str_has_suffix (((SkTestRequest *) all->pdata[i])->path, suffix);
  return n;
}

static const char *
param (SkTestRequest *request, const char *name)
{
  return g_hash_table_lookup (request->params, name);
}

static const char *
token_of (SkTestRequest *request)
{
  return soup_message_headers_get_one (request->headers, "x-amz-access-token");
}

/* Tests */

static void
test_registered (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (sk_channel_get_kind (f->channel), ==, "amazon");
  /* getOrders allows one request a minute: no polling faster than that. */
  g_assert_cmpuint (sk_channel_get_min_interval (f->channel), >=, 60);
  g_assert_cmpstr (sk_amazon_region_endpoint ("na"), ==, "https://sellingpartnerapi-na.amazon.com");
  g_assert_cmpstr (sk_amazon_region_endpoint ("eu"), ==, "https://sellingpartnerapi-eu.amazon.com");
  g_assert_cmpstr (sk_amazon_region_endpoint ("fe"), ==, "https://sellingpartnerapi-fe.amazon.com");
  g_assert_null (sk_amazon_region_endpoint ("us"));
}

static void
test_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GPtrArray) lwa = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SkOrder) two_pages = NULL;
  g_autoptr(SkOrder) first = NULL;
  g_autoptr(GDateTime) since = NULL;
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };
  SkSyncProgress progress;
  SkTestRequest *request;
  const char *body;
  gsize len;

  serve (f, 5, 2);
  error = run_sync (f, &summary);
  g_assert_no_error (error);

  g_assert_cmpuint (summary.pages, ==, 3);
  g_assert_cmpuint (summary.inserted, ==, 5);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  g_assert_cmpint (count_orders (f), ==, 5);
  sk_channel_get_progress (f->channel, &progress);
  g_assert_cmpuint (progress.pages, ==, 3);
  g_assert_cmpuint (progress.orders, ==, 5);
  g_assert_cmpint (progress.expected_orders, ==, -1);

  /* Health. */
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpint (sk_channel_get_last_success (f->channel), >, 0);
  g_assert_null (sk_channel_get_last_error (f->channel));

  /* The run is complete: high-water mark at the newest order. */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, high_water_of (5));
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 3);
  sk_sync_cursor_clear (&cursor);

  /* One token for the whole run, asked as Login with Amazon wants. */
  lwa = requests_to (f, LWA_PATH, FALSE);
  g_assert_cmpuint (lwa->len, ==, 1);
  request = g_ptr_array_index (lwa, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (request->headers, NULL),
                                   "application/x-www-form-urlencoded"));
  body = g_bytes_get_data (request->body, &len);
  form = g_uri_parse_params (body, len, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (form);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, REFRESH_TOKEN);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, CLIENT_SECRET);

  /* getOrders: the first page by date, the next by NextToken only. */
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 3);
  request = g_ptr_array_index (pages, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (param (request, "MarketplaceIds"), ==, MARKETPLACES);
  g_assert_null (param (request, "NextToken"));
  g_assert_nonnull (param (request, "LastUpdatedAfter"));
  since = g_date_time_new_from_iso8601 (param (request, "LastUpdatedAfter"), NULL);
  g_assert_nonnull (since);
  /* A first run reaches 30 days back. */
  g_assert_cmpint (ABS (g_date_time_to_unix (since) -
                        (sk_time_now () - SK_AMAZON_FIRST_SYNC_DAYS * 86400)), <, 120);
  g_assert_cmpstr (token_of (request), ==, ACCESS_TOKEN);
  for (guint k = 2; k <= 3; k++)
    {
      g_autofree char *expected = page_token (k);

      request = g_ptr_array_index (pages, k - 1);
      g_assert_cmpstr (param (request, "NextToken"), ==, expected);
      g_assert_cmpstr (param (request, "MarketplaceIds"), ==, MARKETPLACES);
      g_assert_null (param (request, "LastUpdatedAfter"));
      g_assert_cmpstr (token_of (request), ==, ACCESS_TOKEN);
    }

  /* Every order had its items (order 1 in two pages) and address asked,
   * all with the token. */
  g_assert_cmpuint (count_suffix (f, "/orderItems"), ==, 6);
  g_assert_cmpuint (count_suffix (f, "/address"), ==, 5);
  all = requests_to (f, ORDERS_PATH, TRUE);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (token_of (g_ptr_array_index (all, i)), ==, ACCESS_TOKEN);

  two_pages = find_order (f, g_ptr_array_index (f->order_ids, 1));
  g_assert_cmpuint (sk_order_get_lines (two_pages)->len, ==, 2);
  g_assert_cmpstr (((SkOrderLine *) sk_order_get_lines (two_pages)->pdata[1])->sku, ==, "SECOND-SKU");

  first = find_order (f, g_ptr_array_index (f->order_ids, 0));
  g_assert_cmpint (sk_order_get_total (first), ==, 1101);
  g_assert_cmpint (sk_order_get_status (first), ==, SK_ORDER_STATUS_OPEN);
  g_assert_cmpstr (sk_order_get_status_code (first), ==, "Unshipped");
  g_assert_cmpuint (sk_order_get_lines (first)->len, ==, 1);
  g_assert_cmpint (((SkOrderLine *) sk_order_get_lines (first)->pdata[0])->unit_price, ==, 1000);
  g_assert_nonnull (sk_order_get_shipping_address (first));
  g_assert_cmpstr (sk_order_get_shipping_address (first)->line1, ==, "2201 WESTLAKE AVE");
  g_assert_true (sk_order_has_tag (first, SK_AMAZON_TAG_CANCEL_REQUESTED));
}

/* The same pages again: nothing doubles, and the second run asks from the
 * high-water mark less the overlap, with the cached token. */
static void
test_second_run_idempotent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *expected = NULL;
  SkSyncSummary summary;

  serve (f, 5, 2);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  error = run_sync (f, &summary);
  g_assert_no_error (error);

  g_assert_cmpint (count_orders (f), ==, 5);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged, ==, 5);

  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 6);
  expected = sk_time_format_iso8601 (high_water_of (5) - SK_AMAZON_OVERLAP_SECONDS);
  g_assert_cmpstr (expected, ==, "2024-10-03T09:54:00Z");
  g_assert_cmpstr (param (g_ptr_array_index (pages, 3), "LastUpdatedAfter"), ==, expected);
  g_assert_null (param (g_ptr_array_index (pages, 3), "NextToken"));

  /* The token was still good. */
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);
}

static void
test_429_then_success (Fixture *f, gconstpointer data)
{
  SkTestFault slow_down = { .status = 429, .retry_after = "0.1" };
  SkTestFault no_header = { .status = 429 };
  g_autoptr(GError) error = NULL;

  serve (f, 3, 3);
  sk_test_route_push_fault (g_ptr_array_index (f->items_routes, 2), &slow_down);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &no_header);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->items_routes, 2)), ==, 2);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->page_routes, 0)), ==, 2);
}

static void
test_429_exhausted (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 429, .retry_after = "0.01" };
  g_autoptr(GError) error = NULL;

  serve (f, 2, 2);
  for (guint i = 0; i < 4; i++)
    sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, SELLER));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (count_orders (f), ==, 0);
}

/* Smallest gap between the arrivals of @requests, in microseconds. */
static gint64
min_gap (GPtrArray *requests)
{
  gint64 gap = G_MAXINT64;

  for (guint i = 1; i < requests->len; i++)
    gap = MIN (gap, ((SkTestRequest *) requests->pdata[i])->at_us -
                    ((SkTestRequest *) requests->pdata[i - 1])->at_us);
  return gap;
}

/* A bucket of one at 10 per second: getOrderItems calls 100 ms apart. */
static void
test_limiter_spaces_items (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  sk_amazon_channel_set_rate_limit (SK_AMAZON_CHANNEL (f->channel),
                                    SK_AMAZON_OP_GET_ORDER_ITEMS, 10, 1);
  serve (f, 5, 5);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 5);

  items = items_requests (f);
  g_assert_cmpuint (items->len, ==, 6);
  g_test_message ("smallest gap between getOrderItems calls: %" G_GINT64_FORMAT " ms",
                  min_gap (items) / 1000);
  /* Arrival times jitter a little around the 100 ms the bucket keeps;
   * without it the calls come a few milliseconds apart. */
  g_assert_cmpint (min_gap (items), >=, 60 * 1000);
  g_assert_cmpint (((SkTestRequest *) items->pdata[items->len - 1])->at_us -
                   ((SkTestRequest *) items->pdata[0])->at_us, >=, 480 * 1000);
}

/* Smallest and largest gap between the arrivals of @requests. */
static gint64
max_gap (GPtrArray *requests)
{
  gint64 gap = 0;

  for (guint i = 1; i < requests->len; i++)
    gap = MAX (gap, ((SkTestRequest *) requests->pdata[i])->at_us -
                    ((SkTestRequest *) requests->pdata[i - 1])->at_us);
  return gap;
}

/* One per second until Amazon's x-amzn-RateLimit-Limit says 4 per second:
 * from the first answer on, calls go 250 ms apart, not a second. */
static void
test_rate_limit_header (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  SkRateLimiter *before;

  sk_amazon_channel_set_rate_limit (SK_AMAZON_CHANNEL (f->channel),
                                    SK_AMAZON_OP_GET_ORDER_ITEMS, 1, 1);
  before = sk_amazon_channel_get_rate_limiter (SK_AMAZON_CHANNEL (f->channel),
                                               SK_AMAZON_OP_GET_ORDER_ITEMS);
  serve (f, 4, 4);
  for (guint i = 0; i < f->items_routes->len; i++)
    sk_test_route_add_header (g_ptr_array_index (f->items_routes, i), "x-amzn-RateLimit-Limit", "4.0");

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 4);
  g_assert_true (before != sk_amazon_channel_get_rate_limiter (SK_AMAZON_CHANNEL (f->channel),
                                                               SK_AMAZON_OP_GET_ORDER_ITEMS));

  items = items_requests (f);
  /* Order 1's second page of items has no header; the others do. */
  g_assert_cmpuint (items->len, ==, 5);
  g_test_message ("gaps between getOrderItems calls: %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " ms",
                  min_gap (items) / 1000, max_gap (items) / 1000);
  g_assert_cmpint (min_gap (items), >=, 180 * 1000);
  g_assert_cmpint (max_gap (items), <, 800 * 1000);
}

static void
test_auth_invalid_grant (Fixture *f, gconstpointer data)
{
  const char *refusal = "{\"error_description\":\"The request has an invalid grant parameter : "
                        "refresh_token\",\"error\":\"invalid_grant\"}";
  g_autoptr(GBytes) body = text_bytes (refusal);
  SkTestFault fault = { .status = 400, .body = body };
  g_autoptr(GError) error = NULL;

  serve (f, 2, 2);
  sk_test_route_push_fault (f->lwa_route, &fault);
  error = run_sync (f, NULL);

  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, AUTH_SENTENCE);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpstr (sk_channel_get_last_error (f->channel), ==, AUTH_SENTENCE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 1);
  g_assert_cmpint (count_orders (f), ==, 0);
  /* Not retried, and nothing asked of the API without a token. */
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 1);
}

static void
test_auth_invalid_client (Fixture *f, gconstpointer data)
{
  const char *refusal = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}";
  g_autoptr(GBytes) body = text_bytes (refusal);
  SkTestFault fault = { .status = 401, .body = body };
  g_autoptr(GError) error = NULL;

  serve (f, 1, 1);
  sk_test_route_push_fault (f->lwa_route, &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, AUTH_SENTENCE);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
}

/* A refusal that echoes the credentials never shows them. */
static void
test_lwa_refusal_scrubbed (Fixture *f, gconstpointer data)
{
  const char *refusal = "{\"error\":\"invalid_request\",\"error_description\":\"Malformed "
                        "client_secret " CLIENT_SECRET " for " REFRESH_TOKEN "\"}";
  g_autoptr(GBytes) body = text_bytes (refusal);
  SkTestFault fault = { .status = 400, .body = body };
  g_autoptr(GError) error = NULL;

  serve (f, 1, 1);
  sk_test_route_push_fault (f->lwa_route, &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Malformed client_secret"));
  assert_no_secret (error->message);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
}

/* The token lasts an hour: kept across runs, renewed a minute before it
 * runs out. */
static void
test_token_renewed_before_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) second = lwa_body (ACCESS_TOKEN_2, 3600);
  SkTestFault renewed = { .status = 200, .body = second };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  serve (f, 2, 2);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);

  /* 58 minutes later: still good. */
  advance_clock (58 * 60);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);

  /* 59 minutes and a half: less than a minute left, renew. */
  advance_clock (90);
  sk_test_route_push_fault (f->lwa_route, &renewed);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 2);
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 3);
  g_assert_cmpstr (token_of (g_ptr_array_index (pages, 1)), ==, ACCESS_TOKEN);
  g_assert_cmpstr (token_of (g_ptr_array_index (pages, 2)), ==, ACCESS_TOKEN_2);
}

static gboolean
reached_page_2 (gpointer data)
{
  Fixture *f = data;

  return sk_test_server_count_path (f->server, ORDERS_PATH) >= 2;
}

/* The token runs out in the middle of a run: the requests after that get
 * a new one. */
static void
test_token_renewed_mid_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) second = lwa_body (ACCESS_TOKEN_2, 3600);
  SkTestFault renewed = { .status = 200, .body = second };
  SkTestFault slow = { .delay_ms = 500 };
  RunResult r = { 0 };
  g_autoptr(GPtrArray) items = NULL;

  serve (f, 2, 1);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 1), &slow);

  sk_channel_sync_async (f->channel, NULL, on_synced, &r);
  sk_test_wait_until (reached_page_2, f, 10000);
  /* Page 2 is on its way with the first token; then the hour is over. */
  sk_test_route_push_fault (f->lwa_route, &renewed);
  advance_clock (3600);
  sk_test_wait_for (&r.done, 30000);
  g_assert_no_error (r.error);
  g_assert_cmpint (count_orders (f), ==, 2);

  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 2);
  items = items_requests (f);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (token_of (g_ptr_array_index (items, 0)), ==, ACCESS_TOKEN);
  g_assert_cmpstr (token_of (g_ptr_array_index (items, items->len - 1)), ==, ACCESS_TOKEN_2);
}

/* Amazon says the token expired (clock skew, revocation): one new token,
 * the same request again. */
static void
test_expired_token_renewed_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) expired = text_bytes (EXPIRED_BODY);
  g_autoptr(GBytes) first = lwa_body (ACCESS_TOKEN, 3600);
  g_autoptr(GBytes) second = lwa_body (ACCESS_TOKEN_2, 3600);
  SkTestFault refused = { .status = 403, .body = expired };
  SkTestFault one = { .status = 200, .body = first };
  SkTestFault two = { .status = 200, .body = second };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  serve (f, 1, 1);
  sk_test_route_push_fault (f->lwa_route, &one);
  sk_test_route_push_fault (f->lwa_route, &two);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &refused);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 1);
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 2);
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 2);
  g_assert_cmpstr (token_of (g_ptr_array_index (pages, 0)), ==, ACCESS_TOKEN);
  g_assert_cmpstr (token_of (g_ptr_array_index (pages, 1)), ==, ACCESS_TOKEN_2);

  /* Refused again with a new token: the authorization is gone. */
  g_clear_pointer (&pages, g_ptr_array_unref);
  advance_clock (7200);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &refused);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &refused);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, AUTH_SENTENCE);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
}

static void
test_forbidden (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) denied = text_bytes (DENIED_BODY);
  SkTestFault fault = { .status = 403, .body = denied };
  g_autoptr(GError) error = NULL;

  serve (f, 1, 1);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, SELLER));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  /* A missing role is not a stale token: no second token. */
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);
}

static void
test_refused_with_words (Fixture *f, gconstpointer data)
{
  const char *words = "{\"errors\":[{\"code\":\"InvalidInput\",\"message\":\"Invalid Input\","
                      "\"details\":\"" ACCESS_TOKEN " is not a marketplace\"}]}";
  g_autoptr(GBytes) body = text_bytes (words);
  SkTestFault fault = { .status = 400, .body = body };
  g_autoptr(GError) error = NULL;

  serve (f, 1, 1);
  sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 0), &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Invalid Input"));
  g_assert_nonnull (strstr (error->message, "is not a marketplace"));
  g_assert_nonnull (strstr (error->message, "400"));
  assert_no_secret (error->message);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
}

static void
test_dead_letter (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = make_orders (4);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  JsonObject *bad = json_node_get_object (g_ptr_array_index (orders, 2));
  SkDeadLetterRecord *letter;
  SkSyncSummary summary;

  json_object_set_string_member (json_object_get_object_member (bad, "OrderTotal"),
                                 "Amount", "eleven");
  serve_orders (f, orders, 2, 200);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpuint (summary.inserted, ==, 3);
  g_assert_cmpuint (summary.dead_lettered, ==, 1);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 1);

  letters = sk_store_list_dead_letters (f->store, f->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 1);
  letter = g_ptr_array_index (letters, 0);
  g_assert_cmpstr (letter->external_id, ==, g_ptr_array_index (f->order_ids, 2));
  g_assert_true (g_str_has_prefix (letter->reason, "OrderTotal.Amount \"eleven\""));
  g_assert_nonnull (letter->raw);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (letter->raw, NULL),
                                  g_bytes_get_size (letter->raw), "\"OrderItems\""));
}

/* Amazon will not give one order's items: that order is a dead letter, the
 * others import. */
static void
test_items_refused (Fixture *f, gconstpointer data)
{
  const char *words = "{\"errors\":[{\"code\":\"InvalidInput\",\"message\":\"Invalid order id\"}]}";
  g_autoptr(GBytes) body = text_bytes (words);
  SkTestFault fault = { .status = 400, .body = body };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  SkSyncSummary summary;

  serve (f, 3, 3);
  sk_test_route_push_fault (g_ptr_array_index (f->items_routes, 0), &fault);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted, ==, 2);
  g_assert_cmpuint (summary.dead_lettered, ==, 1);
  letters = sk_store_list_dead_letters (f->store, f->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 1);
  g_assert_nonnull (strstr (((SkDeadLetterRecord *) letters->pdata[0])->reason, "Invalid order id"));
}

static SkDeadLetterRecord *
letter_for (GPtrArray *letters, const char *id)
{
  for (guint i = 0; i < letters->len; i++)
    if (g_strcmp0 (((SkDeadLetterRecord *) letters->pdata[i])->external_id, id) == 0)
      return letters->pdata[i];
  g_error ("No dead letter for order %s", id);
}

/* Items or an address Amazon cannot give after every retry, or gives in a
 * shape we cannot read: that order is put aside as a dead letter and the
 * run goes on to the end, instead of failing at the same page every time. */
static void
test_order_parts_fail (Fixture *f, gconstpointer data)
{
  SkTestFault unavailable = { .status = 503 };
  SkTestFault broken = { .status = 500 };
  g_autoptr(GBytes) garbage = text_bytes ("{\"payload\": {\"OrderItems\": [");
  g_autoptr(GBytes) no_payload = text_bytes ("{\"errors\": []}");
  SkTestFault unreadable = { .status = 200, .body = garbage };
  SkTestFault shapeless = { .status = 200, .body = no_payload };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  SkDeadLetterRecord *letter;
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };

  serve (f, 6, 2);
  for (guint i = 0; i < 4; i++)
    {
      sk_test_route_push_fault (g_ptr_array_index (f->items_routes, 0), &unavailable);
      sk_test_route_push_fault (g_ptr_array_index (f->address_routes, 2), &broken);
    }
  sk_test_route_push_fault (g_ptr_array_index (f->items_routes, 3), &unreadable);
  sk_test_route_push_fault (g_ptr_array_index (f->address_routes, 4), &shapeless);

  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 3);
  g_assert_cmpuint (summary.inserted, ==, 2);
  g_assert_cmpuint (summary.dead_lettered, ==, 4);
  g_assert_cmpint (count_orders (f), ==, 2);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  /* SkHttp tried four times before the order was put aside. */
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->items_routes, 0)), ==, 4);

  letters = sk_store_list_dead_letters (f->store, f->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 4);
  letter = letter_for (letters, g_ptr_array_index (f->order_ids, 0));
  g_assert_nonnull (strstr (letter->reason, "items of this order (HTTP 503)"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (letter->raw, NULL),
                                  g_bytes_get_size (letter->raw), "\"AmazonOrderId\""));
  letter = letter_for (letters, g_ptr_array_index (f->order_ids, 2));
  g_assert_nonnull (strstr (letter->reason, "address of this order (HTTP 500)"));
  letter = letter_for (letters, g_ptr_array_index (f->order_ids, 3));
  g_assert_nonnull (strstr (letter->reason, "items of this order in a form Storekeep could not read"));
  letter = letter_for (letters, g_ptr_array_index (f->order_ids, 4));
  g_assert_nonnull (strstr (letter->reason, "address of this order in a form Storekeep could not read"));
  for (guint i = 0; i < letters->len; i++)
    assert_no_secret (((SkDeadLetterRecord *) letters->pdata[i])->reason);

  /* The run is complete: the next one starts from its mark, not page 1
   * of this one. */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.high_water, ==, high_water_of (6));
  sk_sync_cursor_clear (&cursor);

  /* Amazon answers again: the same orders read again import and their
   * letters are resolved; no letter opens twice. */
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted, ==, 4);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  g_assert_cmpint (count_orders (f), ==, 6);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 0);
}

/* A 403 for one order's items says Storekeep lacks a role, which is no
 * fault of that order: the run stops, and no order is put aside. */
static void
test_order_parts_auth_stops (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) denied = text_bytes (DENIED_BODY);
  SkTestFault refused = { .status = 403, .body = denied };
  g_autoptr(GError) error = NULL;

  serve (f, 2, 2);
  sk_test_route_push_fault (g_ptr_array_index (f->items_routes, 0), &refused);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN);
  g_assert_cmpint (count_orders (f), ==, 0);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->record->id, NULL), ==, 0);
}

/* A long run: order 0 is read on page 1 and changes at 11:30, while page 2
 * is read; page 2 holds order 1, changed at 12:00, after the run began
 * (11:00 by Amazon's Date header). The mark stays at the run's start, so
 * the next run asks from 10:50 and gets order 0's change; a mark at 12:00
 * would ask from 11:50 and never see it. */
static void
test_changed_during_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = make_orders (2);
  g_autoptr(GPtrArray) newest = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GBytes) both = NULL;
  g_autoptr(GBytes) lwa = lwa_body (ACCESS_TOKEN, 3600);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = NULL;
  SkSyncCursor cursor = { 0 };
  JsonObject *first = json_node_get_object (g_ptr_array_index (orders, 0));
  JsonObject *second = json_node_get_object (g_ptr_array_index (orders, 1));
  const char *id = json_object_get_string_member (first, "AmazonOrderId");
  g_autofree char *items_path = order_path (id, "orderItems");
  g_autofree char *address_path = order_path (id, "address");
  g_autoptr(GBytes) items = items_body (id, "a", NULL, NULL);
  g_autoptr(GBytes) address = address_body (id);

  json_object_set_string_member (second, "LastUpdateDate", "2024-10-03T12:00:00Z");
  serve_orders (f, orders, 1, 200);
  sk_test_route_add_header (g_ptr_array_index (f->page_routes, 0), "Date",
                            "Thu, 03 Oct 2024 11:00:00 GMT");
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_cmpint (cursor.high_water, ==, 1727953200);   /* 2024-10-03T11:00:00Z */
  sk_sync_cursor_clear (&cursor);

  /* Amazon now, answering as it filters by LastUpdatedAfter. */
  sk_test_server_reset (f->server);
  g_ptr_array_set_size (f->page_routes, 0);
  g_ptr_array_set_size (f->items_routes, 0);
  g_ptr_array_set_size (f->address_routes, 0);
  g_ptr_array_set_size (f->order_ids, 0);
  f->lwa_route = sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, lwa);
  json_object_set_string_member (first, "LastUpdateDate", "2024-10-03T11:30:00Z");
  both = orders_body (orders, 0, 2, NULL);
  sk_test_server_add_route (f->server, ORDERS_PATH, "LastUpdatedAfter", "2024-10-03T10:50:00Z",
                            200, NULL, both);
  g_ptr_array_add (newest, json_node_copy (g_ptr_array_index (orders, 1)));
  serve_orders (f, newest, 1, 200);
  sk_test_server_add_route (f->server, items_path, "NextToken", NULL, 200, NULL, items);
  sk_test_server_add_route (f->server, address_path, NULL, NULL, 200, NULL, address);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_cmpstr (param (g_ptr_array_index (pages, 0), "LastUpdatedAfter"), ==, "2024-10-03T10:50:00Z");
  order = find_order (f, id);
  g_assert_cmpint (sk_order_get_updated_at (order), ==, 1727955000);   /* 11:30 */
}

/* Personal data the app may not see: the orders import anyway, tagged, and
 * after three refusals in a row the run stops asking. */
static void
test_address_restricted (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = make_orders (5);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = NULL;
  SkSyncSummary summary;

  serve_orders (f, orders, 5, 403);
  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted, ==, 5);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  g_assert_cmpuint (count_suffix (f, "/address"), ==, SK_AMAZON_ADDRESS_REFUSALS_BEFORE_SKIP);
  /* A refused address is not a stale token. */
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 1);

  for (guint i = 0; i < 5; i++)
    {
      g_clear_object (&order);
      order = find_order (f, g_ptr_array_index (f->order_ids, i));
      g_assert_true (sk_order_has_tag (order, SK_AMAZON_TAG_ADDRESS_RESTRICTED));
      g_assert_null (sk_order_get_shipping_address (order));
      g_assert_cmpint (sk_order_get_total (order), ==, 1101);
    }
}

/* A run that stops at page 2 leaves page 1 committed and a cursor holding
 * page 2's NextToken; the next run starts there. */
static void
test_resume_after_failure (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 503 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *token = page_token (2);
  SkSyncCursor cursor = { 0 };
  SkTestRequest *resumed;

  serve (f, 4, 2);
  for (guint i = 0; i < 4; i++)
    sk_test_route_push_fault (g_ptr_array_index (f->page_routes, 1), &fault);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (count_orders (f), ==, 2);

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, 0);
  g_assert_cmpint (cursor.run_started_at, >, 0);
  g_assert_cmpstr (cursor.page_token, ==, token);
  g_assert_cmpint (cursor.pages_done, ==, 1);
  sk_sync_cursor_clear (&cursor);
  g_clear_error (&error);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 4);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);

  pages = requests_to (f, ORDERS_PATH, FALSE);
  /* Run 1: page 1, page 2 four times; run 2: page 2. */
  g_assert_cmpuint (pages->len, ==, 6);
  resumed = g_ptr_array_index (pages, 5);
  g_assert_cmpstr (param (resumed, "NextToken"), ==, token);
  g_assert_null (param (resumed, "LastUpdatedAfter"));

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, high_water_of (4));
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 2);
  sk_sync_cursor_clear (&cursor);
}

/* A stored NextToken Amazon no longer takes: start over from the date. */
static void
test_resume_stale_token (Fixture *f, gconstpointer data)
{
  const char *invalid = "{\"errors\":[{\"code\":\"InvalidInput\",\"message\":\"Invalid NextToken\"}]}";
  g_autoptr(GBytes) body = text_bytes (invalid);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  SkSyncCursor cursor = { 0 };

  serve (f, 2, 2);
  sk_test_server_add_route (f->server, ORDERS_PATH, "NextToken", "expired", 400, NULL, body);
  cursor.run_started_at = 2000;
  cursor.page_token = g_strdup ("expired");
  cursor.pages_done = 7;
  sk_store_write_cursor (f->store, f->record->id, "orders", &cursor, &error);
  g_assert_no_error (error);
  sk_sync_cursor_clear (&cursor);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 2);
  g_assert_cmpstr (param (g_ptr_array_index (pages, 0), "NextToken"), ==, "expired");
  g_assert_null (param (g_ptr_array_index (pages, 1), "NextToken"));
  g_assert_nonnull (param (g_ptr_array_index (pages, 1), "LastUpdatedAfter"));
}

static void
test_no_credentials (Fixture *f, gconstpointer data)
{
  const char *broken[] = { NULL, "not json", "{\"client_id\":\"x\",\"client_secret\":\"y\"}" };

  serve (f, 1, 1);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;

      sk_channel_set_secret (f->channel, broken[i]);
      error = run_sync (f, NULL);
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
    }
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

static void
test_bad_settings (Fixture *f, gconstpointer data)
{
  g_autoptr(SkChannelRecord) record = NULL;
  GError *error;

  serve (f, 1, 1);
  set_settings (f, "{\"region\": \"na\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "marketplace"));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_clear_error (&error);

  /* Plain http to anything but loopback is refused, for the API… */
  set_settings (f, "{\"marketplace_ids\": [\"ATVPDKIKX0DER\"]}");
  record = sk_channel_record_copy (f->record);
  g_free (record->base_url);
  record->base_url = g_strdup ("http://sellingpartnerapi-na.amazon.com");
  _sk_channel_set_record (f->channel, record);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_clear_error (&error);

  /* …and for Login with Amazon. */
  g_free (record->base_url);
  record->base_url = g_strdup (sk_test_server_get_url (f->server));
  _sk_channel_set_record (f->channel, record);
  set_settings (f, "{\"marketplace_ids\": [\"ATVPDKIKX0DER\"], \"lwa_url\": \"http://api.amazon.com/auth/o2/token\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_clear_error (&error);

  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

static void
test_concurrent_and_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult first = { 0 };
  RunResult second = { 0 };

  serve (f, 2, 1);
  sk_test_server_set_delay (f->server, 3000);

  sk_channel_sync_async (f->channel, cancellable, on_synced, &first);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_SYNCING);
  sk_channel_sync_async (f->channel, NULL, on_synced, &second);
  sk_test_wait_for (&second.done, 5000);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);

  /* Cancelled while the token is being asked for. */
  sk_test_server_wait_requests (f->server, 1, 5000);
  g_cancellable_cancel (cancellable);
  sk_test_wait_for (&first.done, 2000);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
  g_assert_cmpint (count_orders (f), ==, 0);
  g_clear_error (&first.error);
  g_clear_error (&second.error);

  /* The next run gets its own token and everything. */
  sk_test_server_set_delay (f->server, 0);
  memset (&first, 0, sizeof first);
  first.error = run_sync (f, NULL);
  g_assert_no_error (first.error);
  g_assert_cmpint (count_orders (f), ==, 2);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} TestResult;

static void
on_tested (GObject *source, GAsyncResult *result, gpointer data)
{
  TestResult *r = data;

  r->ok = sk_channel_test_connection_finish (SK_CHANNEL (source), result, &r->error);
  r->done = TRUE;
}

static void
test_connection (Fixture *f, gconstpointer data)
{
  const char *refusal = "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}";
  g_autoptr(GBytes) body = text_bytes (refusal);
  SkTestFault fault = { .status = 400, .body = body };
  g_autoptr(GPtrArray) pages = NULL;
  TestResult r = { 0 };

  serve (f, 1, 1);
  sk_channel_test_connection_async (f->channel, NULL, on_tested, &r);
  sk_test_wait_for (&r.done, 10000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  pages = requests_to (f, ORDERS_PATH, FALSE);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_cmpstr (param (g_ptr_array_index (pages, 0), "MaxResultsPerPage"), ==, "1");

  /* New credentials: the cached token is forgotten. */
  memset (&r, 0, sizeof r);
  sk_channel_set_secret (f->channel, "{\"client_id\":\"" CLIENT_ID "\",\"client_secret\":\""
                         CLIENT_SECRET "\",\"refresh_token\":\"Atzr|revoked\"}");
  sk_test_route_push_fault (f->lwa_route, &fault);
  sk_channel_test_connection_async (f->channel, NULL, on_tested, &r);
  sk_test_wait_for (&r.done, 10000);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (r.error->message, ==, AUTH_SENTENCE);
  g_clear_error (&r.error);
  g_assert_cmpuint (sk_test_route_get_hits (f->lwa_route), ==, 2);
}

static void
test_lwa_credentials (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = secret_json ();
  g_autoptr(SkLwaCredentials) credentials = sk_lwa_credentials_parse (secret, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (credentials->client_id, ==, CLIENT_ID);
  g_assert_cmpstr (credentials->client_secret, ==, CLIENT_SECRET);
  g_assert_cmpstr (credentials->refresh_token, ==, REFRESH_TOKEN);

  g_clear_pointer (&credentials, sk_lwa_credentials_free);
  credentials = sk_lwa_credentials_parse ("{\"client_id\":\"a\",\"client_secret\":\"\","
                                          "\"refresh_token\":\"Atzr|x\"}", &error);
  g_assert_null (credentials);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "client_secret"));
  g_assert_null (strstr (error->message, "Atzr|x"));
}


/* The whole connector against the embedded demo shop's Amazon dialect:
 * a first run, a second after new orders, and a shipment confirmed
 * through the outbox. */

static char *
demo_amazon_secret (const SkChannelRecord *record, gpointer data, GError **error)
{
  return g_strdup (SK_DEMO_AMAZON_SECRET);
}

typedef struct {
  gboolean done;
  gboolean ok;
  guint    sent;
  GError  *error;
} DemoPass;

static void
on_demo_dispatched (GObject *source, GAsyncResult *result, gpointer data)
{
  DemoPass *pass = data;

  pass->ok = sk_outbox_dispatcher_dispatch_finish (SK_OUTBOX_DISPATCHER (source), result,
                                                   &pass->sent, &pass->error);
  pass->done = TRUE;
}

static GError *
demo_sync (SkChannel *channel, SkSyncSummary *summary)
{
  RunResult r = { 0 };

  sk_channel_sync_async (channel, NULL, on_synced, &r);
  sk_test_wait_for (&r.done, 60000);
  *summary = r.summary;
  return r.error;
}

static void
test_demo_shop (void)
{
  g_autofree char *tmpdir = sk_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (tmpdir, "storekeep.db", NULL);
  /* a seed whose seller has an unshipped order on amazon.com and one on
   * amazon.ca among those the first runs read */
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (20241125, 300);
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = sk_http_new ();
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(SkChannel) channel = NULL;
  g_autoptr(SkOrderList) list = NULL;
  g_autoptr(SkOutboxDispatcher) dispatcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) currencies = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer currency;
  SkSyncSummary summary = { 0 };
  gint64 started, first_count, fba = 0;
  /* an unshipped order of each marketplace: amazon.com, amazon.ca */
  gint64 unshipped_ids[2] = { 0, 0 };
  guint n;

  g_atomic_int_set (&clock_seconds, 0);
  sk_time_set_now_func (test_now, NULL);
  store = sk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sk_demo_shop_start (shop, &error));

  record->kind = g_strdup ("amazon");
  record->name = g_strdup (SK_DEMO_AMAZON_SELLER_NAME);
  record->account = g_strdup (sk_demo_shop_get_amazon_seller (shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (shop));
  record->secret_ref = g_strdup ("demo");
  g_free (record->settings);
  record->settings = sk_demo_shop_dup_amazon_settings (shop);
  g_assert_nonnull (strstr (record->settings, sk_demo_shop_get_amazon_lwa_url (shop)));
  sk_store_add_channel (store, record, &error);
  g_assert_no_error (error);
  channel = sk_channel_new_for_record (store, http, record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_AMAZON_CHANNEL (channel));
  sk_channel_set_secret (channel, SK_DEMO_AMAZON_SECRET);

  /* the first run: the last 30 days, quickly, because the shop announces
   * a generous rate */
  started = g_get_monotonic_time ();
  error = demo_sync (channel, &summary);
  g_assert_no_error (error);
  g_test_message ("first run: %u orders in %.1f s", (guint) summary.inserted,
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (summary.inserted, >, 20);
  g_assert_cmpint (summary.inserted, <, sk_demo_shop_get_amazon_n_orders (shop));
  g_assert_cmpint (summary.dead_lettered, ==, 0);
  g_assert_cmpint (sk_store_count_dead_letters (store, record->id, NULL), ==, 0);
  first_count = sk_store_count_orders (store, record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first_count, ==, summary.inserted);

  /* new orders and changes: Amazon lists them two minutes later */
  sk_demo_shop_advance (shop, 9, 6);
  advance_clock (200);
  error = demo_sync (channel, &summary);
  g_assert_no_error (error);
  /* three new ones, and two changed (new here if they were older than
   * the first run reached) */
  g_assert_cmpint (summary.inserted, >=, 3);
  g_assert_cmpint (summary.inserted + summary.updated, ==, 5);
  g_assert_cmpint (sk_store_count_orders (store, record->id, NULL), ==, first_count + summary.inserted);

  list = sk_order_list_new (store);
  sk_order_list_set_channel (list, record->id);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, sk_store_count_orders (store, record->id, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autoptr(SkOrder) full = sk_store_load_order (store, sk_order_get_id (order), &error);
      const char * const *tags = sk_order_get_tags (full);
      const char *marketplace = sk_amazon_marketplace_from_tags (tags);
      gboolean ca;

      g_assert_no_error (error);
      g_hash_table_add (currencies, (gpointer) g_intern_string (sk_order_get_currency (full)));
      /* each order knows its marketplace, which has its currency */
      g_assert_nonnull (marketplace);
      g_assert_cmpstr (sk_amazon_marketplace_currency (marketplace), ==, sk_order_get_currency (full));
      ca = g_str_equal (marketplace, SK_DEMO_AMAZON_MARKETPLACE_CA);
      g_assert_cmpuint (sk_order_get_lines (full)->len, >, 0);
      g_assert_nonnull (((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (full), 0))->sku);
      g_assert_cmpint (sk_order_get_total (full), >, 0);
      if (tags != NULL && g_strv_contains (tags, SK_AMAZON_TAG_FBA))
        fba++;
      else if (unshipped_ids[ca] == 0 &&
               sk_order_get_fulfillment_status (full) == SK_FULFILLMENT_STATUS_UNFULFILLED &&
               sk_order_get_status (full) == SK_ORDER_STATUS_OPEN)
        unshipped_ids[ca] = sk_order_get_id (full);
    }
  g_assert_cmpint (fba, >, 0);
  g_assert_true (g_hash_table_contains (currencies, "USD"));
  g_hash_table_iter_init (&iter, currencies);
  while (g_hash_table_iter_next (&iter, &currency, NULL))
    g_assert_true (g_str_equal (currency, "USD") || g_str_equal (currency, "CAD"));

  /* a shipment recorded here is confirmed on Amazon, in the order's own
   * marketplace (the demo shop refuses the other one, as Amazon does) */
  g_assert_cmpint (unshipped_ids[0], >, 0);
  g_assert_cmpint (unshipped_ids[1], >, 0);
  {
    gint64 outbox_ids[2] = { 0, 0 };
    DemoPass pass = { 0 };

    for (guint i = 0; i < G_N_ELEMENTS (unshipped_ids); i++)
      {
        g_autoptr(SkShipment) shipment = sk_shipment_new (unshipped_ids[i], "UPS", "1Z999AA10123456784", NULL);

        sk_store_record_shipment_sync (store, shipment, "user", NULL, NULL, &outbox_ids[i], &error);
        g_assert_no_error (error);
      }
    dispatcher = sk_outbox_dispatcher_new (store, NULL, http);
    sk_outbox_dispatcher_set_secret_lookup (dispatcher, demo_amazon_secret, NULL, NULL);
    sk_outbox_dispatcher_dispatch_async (dispatcher, NULL, on_demo_dispatched, &pass);
    sk_test_wait_for (&pass.done, 30000);
    g_assert_no_error (pass.error);
    g_assert_cmpuint (pass.sent, ==, 2);
    for (guint i = 0; i < G_N_ELEMENTS (outbox_ids); i++)
      {
        g_autoptr(SkOutboxRow) row = sk_store_get_outbox_row (store, outbox_ids[i], &error);

        g_assert_no_error (error);
        g_assert_cmpstr (row->last_error, ==, NULL);
        g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
      }

    /* the next sync reads them back as Shipped */
    advance_clock (200);
    error = demo_sync (channel, &summary);
    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (unshipped_ids); i++)
      {
        g_autoptr(SkOrder) order = sk_store_load_order (store, unshipped_ids[i], &error);

        g_assert_no_error (error);
        g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_FULFILLED);
        g_assert_cmpstr (sk_order_get_status_code (order), ==, "Shipped");
      }
  }

  sk_outbox_dispatcher_stop (dispatcher);
  g_clear_object (&dispatcher);
  g_clear_object (&list);
  g_clear_object (&channel);
  sk_demo_shop_stop (shop);
  sk_store_close (store);
  g_clear_object (&store);
  sk_test_tmpdir_free (g_steal_pointer (&tmpdir));
  sk_time_set_now_func (NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

  g_test_add_func ("/amazon/lwa/credentials", test_lwa_credentials);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/amazon/sync/registered", test_registered);
  ADD ("/amazon/sync/pages", test_pages);
  ADD ("/amazon/sync/second-run-idempotent", test_second_run_idempotent);
  ADD ("/amazon/sync/429-then-success", test_429_then_success);
  ADD ("/amazon/sync/429-exhausted", test_429_exhausted);
  ADD ("/amazon/sync/limiter-spaces-items", test_limiter_spaces_items);
  ADD ("/amazon/sync/rate-limit-header", test_rate_limit_header);
  ADD ("/amazon/sync/auth-invalid-grant", test_auth_invalid_grant);
  ADD ("/amazon/sync/auth-invalid-client", test_auth_invalid_client);
  ADD ("/amazon/sync/lwa-refusal-scrubbed", test_lwa_refusal_scrubbed);
  ADD ("/amazon/sync/token-renewed-before-expiry", test_token_renewed_before_expiry);
  ADD ("/amazon/sync/token-renewed-mid-run", test_token_renewed_mid_run);
  ADD ("/amazon/sync/expired-token-renewed-once", test_expired_token_renewed_once);
  ADD ("/amazon/sync/forbidden", test_forbidden);
  ADD ("/amazon/sync/refused-with-words", test_refused_with_words);
  ADD ("/amazon/sync/dead-letter", test_dead_letter);
  ADD ("/amazon/sync/items-refused", test_items_refused);
  ADD ("/amazon/sync/address-restricted", test_address_restricted);
  ADD ("/amazon/sync/order-parts-fail", test_order_parts_fail);
  ADD ("/amazon/sync/order-parts-auth-stops", test_order_parts_auth_stops);
  ADD ("/amazon/sync/changed-during-run", test_changed_during_run);
  ADD ("/amazon/sync/resume-after-failure", test_resume_after_failure);
  ADD ("/amazon/sync/resume-stale-token", test_resume_stale_token);
  ADD ("/amazon/sync/no-credentials", test_no_credentials);
  ADD ("/amazon/sync/bad-settings", test_bad_settings);
  ADD ("/amazon/sync/concurrent-and-cancel", test_concurrent_and_cancel);
  ADD ("/amazon/test-connection", test_connection);
#undef ADD
  g_test_add_func ("/amazon/demo-shop", test_demo_shop);

  return g_test_run ();
}
