/* test-shopify-sync.c: SkShopifyChannel against a loopback Shopify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages served are the real Shopify order payloads of
 * tests/fixtures/orders/shopify/ (see SOURCES.md), one order per page, with
 * Link headers as Shopify sends them. Tests that need more orders than the
 * fixtures hold clone a real order and rewrite only its id, number and
 * updated_at.
 */
#include "config.h"

#include <string.h>

#include "sk-channel-private.h"
#include "sk-demo-shop.h"
#include "sk-error.h"
#include "sk-shopify-channel.h"
#include "sk-shopify-normalize.h"
#include "sk-store-import.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"

#define TOKEN "shpat_test_5f0c2a9d1e8b4c7aa1b2c3d4e5f60718"
#define ORDERS_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/orders.json"
#define COUNT_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/orders/count.json"
#define SHOP_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/shop.json"
#define ACCOUNT "test-outfitters.myshopify.com"

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkTestServer *server;
  SkChannelRecord *record;
  SkChannel *channel;
  GPtrArray *routes;     /* SkTestRoute, page k at k - 1 */
} Fixture;

/* Payloads */

static void
serve_pages (Fixture *f, GPtrArray *orders, guint per_page)
{
  g_autoptr(GPtrArray) routes = sk_test_server_serve_shopify_orders (f->server, ACCOUNT,
                                                                      orders, per_page);

  g_ptr_array_extend (f->routes, routes, NULL, NULL);
}

static void
serve_real_pages (Fixture *f)
{
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();

  serve_pages (f, orders, 1);
}

static gint64
unix_of (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* The newest updated_at of the real orders (order-closed-2024-10). */
#define REAL_HIGH_WATER_ISO "2024-10-02T09:04:41-05:00"

/* Fixture */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 4, 10 * 1000, G_USEC_PER_SEC };
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  f->server = sk_test_server_new ();
  sk_test_server_require_header (f->server, "X-Shopify-Access-Token", TOKEN);
  f->routes = g_ptr_array_new ();

  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &policy);

  f->record = sk_channel_record_new ();
  f->record->kind = g_strdup ("shopify");
  f->record->name = g_strdup ("Test Outfitters (Shopify)");
  f->record->account = g_strdup (ACCOUNT);
  f->record->base_url = g_strdup (sk_test_server_get_url (f->server));
  f->record->secret_ref = g_strdup ("test");
  sk_store_add_channel (f->store, f->record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->record->id, >, 0);

  f->channel = sk_channel_new_for_record (f->store, f->http, f->record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_SHOPIFY_CHANNEL (f->channel));
  sk_channel_set_secret (f->channel, TOKEN);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->channel);
  g_clear_pointer (&f->record, sk_channel_record_free);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  g_clear_pointer (&f->routes, g_ptr_array_unref);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
}

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
assert_no_token (const char *text)
{
  if (text != NULL)
    g_assert_null (strstr (text, TOKEN));
}

/* Run once; returns the error (or NULL). */
static GError *
run_sync (Fixture *f, GCancellable *cancellable, SkSyncSummary *out_summary)
{
  RunResult r = { 0 };

  sk_channel_sync_async (f->channel, cancellable, on_synced, &r);
  sk_test_wait_for (&r.done, 60000);
  g_assert_true (r.ok == (r.error == NULL));
  if (out_summary != NULL)
    *out_summary = r.summary;
  if (r.error != NULL)
    {
      assert_no_token (r.error->message);
      assert_no_token (sk_channel_get_last_error (f->channel));
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
param (SkTestRequest *request, const char *name)
{
  return g_hash_table_lookup (request->params, name);
}

/* Tests */

static void
test_domain (void)
{
  const char *good[][2] = {
    { "acme", "acme.myshopify.com" },
    { "Acme-Outdoor", "acme-outdoor.myshopify.com" },
    { "acme.myshopify.com", "acme.myshopify.com" },
    { "  ACME.myshopify.com/ ", "acme.myshopify.com" },
    { "https://acme.myshopify.com/admin", "acme.myshopify.com" },
    { "https://acme.myshopify.com/admin/orders?x=1", "acme.myshopify.com" },
    { "https://admin.shopify.com/store/acme/orders", "acme.myshopify.com" },
  };
  const char *bad[] = {
    "", "acme.com", "https://example.com/shop", "acme shop", "-acme",
    "https://.myshopify.com", "evil.com/acme.myshopify.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *domain = sk_shopify_normalize_shop_domain (good[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (domain, ==, good[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *domain = sk_shopify_normalize_shop_domain (bad[i], &error);

      g_assert_null (domain);
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL);
    }
}

static void
test_three_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(SkOrder) closed = NULL;
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };
  SkSyncProgress progress;

  serve_real_pages (f);
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);

  g_assert_cmpuint (summary.pages, ==, 3);
  g_assert_cmpuint (summary.inserted, ==, 3);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  g_assert_cmpint (count_orders (f), ==, 3);

  closed = sk_store_find_order (f->store, f->record->id, "450789469", &error);
  g_assert_no_error (error);
  g_assert_nonnull (closed);
  g_assert_cmpint (sk_order_get_updated_at (closed), ==, unix_of (REAL_HIGH_WATER_ISO));

  /* Health. */
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpint (sk_channel_get_last_success (f->channel), >, 0);
  g_assert_null (sk_channel_get_last_error (f->channel));
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
  sk_channel_get_progress (f->channel, &progress);
  g_assert_cmpuint (progress.pages, ==, 3);
  g_assert_cmpuint (progress.orders, ==, 3);
  g_assert_cmpint (progress.expected_orders, ==, 3);

  /* The run is complete: high-water mark at the newest order. */
  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, unix_of (REAL_HIGH_WATER_ISO));
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  sk_sync_cursor_clear (&cursor);

  /* What went over the wire. */
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 3);
  {
    SkTestRequest *first = g_ptr_array_index (requests, 0);
    SkTestRequest *second = g_ptr_array_index (requests, 1);
    SkTestRequest *third = g_ptr_array_index (requests, 2);

    g_assert_cmpstr (param (first, "status"), ==, "any");
    g_assert_cmpstr (param (first, "limit"), ==, "250");
    g_assert_null (param (first, "updated_at_min"));
    g_assert_null (param (first, "page_info"));
    g_assert_cmpstr (soup_message_headers_get_one (first->headers, "X-Shopify-Access-Token"), ==, TOKEN);
    g_assert_cmpstr (soup_message_headers_get_one (first->headers, "Accept"), ==, "application/json");

    /* With page_info, Shopify takes nothing but limit. */
    g_assert_cmpstr (param (second, "page_info"), ==, "p2");
    g_assert_cmpstr (param (second, "limit"), ==, "250");
    g_assert_null (param (second, "status"));
    g_assert_null (param (second, "updated_at_min"));
    g_assert_cmpstr (soup_message_headers_get_one (second->headers, "X-Shopify-Access-Token"), ==, TOKEN);
    g_assert_cmpstr (param (third, "page_info"), ==, "p3");
  }
  g_assert_cmpuint (sk_test_server_count_path (f->server, COUNT_PATH), ==, 1);
}

static void
test_second_run_overlap (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *expected_min = NULL;
  SkSyncSummary summary;
  SkTestRequest *request;

  serve_real_pages (f);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);

  /* The same pages again: nothing doubles. */
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged + summary.stale, ==, 3);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 6);
  request = g_ptr_array_index (requests, 3);
  expected_min = sk_time_format_iso8601 (unix_of (REAL_HIGH_WATER_ISO) - SK_SHOPIFY_OVERLAP_SECONDS);
  g_assert_cmpstr (expected_min, ==, "2024-10-02T13:59:41Z");
  g_assert_cmpstr (param (request, "updated_at_min"), ==, expected_min);
  g_assert_cmpstr (param (request, "status"), ==, "any");
  /* The expected count is only asked on the first backfill. */
  g_assert_cmpuint (sk_test_server_count_path (f->server, COUNT_PATH), ==, 1);
}

static void
test_429_mid_run (Fixture *f, gconstpointer data)
{
  SkTestFault with_retry_after = { .status = 429, .retry_after = "0.2" };
  SkTestFault without = { .status = 429 };
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &with_retry_after);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &without);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 2), &without);

  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 1)), ==, 3);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 2)), ==, 2);
}

static void
test_429_exhausted (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 429, .retry_after = "0.01" };
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  for (guint i = 0; i < 4; i++)
    sk_test_route_push_fault (g_ptr_array_index (f->routes, 0), &fault);

  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (count_orders (f), ==, 0);
}

static void
test_500_then_success (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 500 };
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 2), &fault);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 2)), ==, 2);
}

/* A run that stops at page 2 leaves page 1 committed and a cursor that
 * points at page 2; the next run starts there. */
static void
test_server_error_then_resume (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 503 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncCursor cursor = { 0 };
  SkTestRequest *resumed;

  serve_real_pages (f);
  for (guint i = 0; i < 4; i++)
    sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &fault);

  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, ACCOUNT));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 1);
  g_assert_cmpstr (sk_channel_get_last_error (f->channel), ==, error->message);
  g_assert_cmpint (count_orders (f), ==, 1);

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, 0);
  g_assert_cmpint (cursor.run_started_at, >, 0);
  g_assert_cmpstr (cursor.page_token, ==, "p2");
  g_assert_cmpint (cursor.pages_done, ==, 1);
  sk_sync_cursor_clear (&cursor);
  g_clear_error (&error);

  sk_test_server_reset (f->server);
  g_ptr_array_set_size (f->routes, 0);
  serve_real_pages (f);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
  g_assert_null (sk_channel_get_last_error (f->channel));

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 2);
  resumed = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (param (resumed, "page_info"), ==, "p2");

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, unix_of (REAL_HIGH_WATER_ISO));
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  sk_sync_cursor_clear (&cursor);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  SkTestFault slow = { .delay_ms = 2500 };
  SkRetryPolicy policy = { 2, 10 * 1000, 50 * 1000 };
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  sk_http_set_timeout (f->http, 1);
  sk_http_set_retry_policy (f->http, &policy);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &slow);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &slow);

  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_TIMEOUT);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (count_orders (f), ==, 1);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  SkTestFault truncated = { .body_mode = SK_TEST_BODY_TRUNCATED };
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0 };

  serve_real_pages (f);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 1), &truncated);

  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  /* Page 1 stays committed; the broken page is not, and page 3 never
   * overtakes it. */
  g_assert_cmpint (count_orders (f), ==, 1);
  get_cursor (f, &cursor);
  g_assert_cmpstr (cursor.page_token, ==, "p2");
  sk_sync_cursor_clear (&cursor);
  g_clear_error (&error);

  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
}

/* A page that cannot be read, normalized while the page before it is
 * still being imported: the page before commits with the cursor past it
 * (counting every page committed), the broken one and those after it do
 * not, and the next run picks up at the broken page, doubling nothing. */
static void
test_bad_page_while_importing (Fixture *f, gconstpointer data)
{
  SkTestFault truncated = { .body_mode = SK_TEST_BODY_TRUNCATED };
  g_autoptr(GPtrArray) templates = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary = { 0 };
  SkSyncCursor cursor = { 0 };

  /* Big pages take a while to import; the broken one fails to normalize
   * at once, while the page before it is still being written. */
  for (guint i = 0; i < 4 * 200; i++)
    {
      g_autofree char *updated = g_strdup_printf ("2024-10-03T%02u:%02u:00Z", 10 + i / 60, i % 60);

      g_ptr_array_add (orders, sk_test_shopify_clone_order (g_ptr_array_index (templates, i % 3),
                                                            5000000000000 + i, 2000 + i, updated));
    }
  serve_pages (f, orders, 200);
  g_assert_cmpuint (f->routes->len, ==, 4);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 2), &truncated);

  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_cmpint (count_orders (f), ==, 400);
  get_cursor (f, &cursor);
  g_assert_cmpstr (cursor.page_token, ==, "p3");
  g_assert_cmpint (cursor.pages_done, ==, 2);
  g_assert_cmpint (cursor.high_water, ==, 0);
  g_assert_cmpint (cursor.run_max_seen, ==, unix_of ("2024-10-03T16:39:00Z"));
  sk_sync_cursor_clear (&cursor);
  g_clear_error (&error);
  sk_test_server_reset (f->server);
  g_ptr_array_set_size (f->routes, 0);
  serve_pages (f, orders, 200);

  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpuint (summary.inserted, ==, 400);
  g_assert_cmpint (count_orders (f), ==, 800);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (param (g_ptr_array_index (requests, 0), "page_info"), ==, "p3");
  g_assert_cmpstr (param (g_ptr_array_index (requests, 1), "page_info"), ==, "p4");
  get_cursor (f, &cursor);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 4);
  g_assert_cmpint (cursor.high_water, ==, unix_of ("2024-10-03T23:19:00Z"));
  sk_sync_cursor_clear (&cursor);
}

static void
test_not_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) html = g_bytes_new_static ("<html><body>Oops</body></html>", 30);
  SkTestFault fault = { .status = 200, .body = html };
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 0), &fault);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_cmpint (count_orders (f), ==, 0);
}

static void
test_auth (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected =
    g_strdup_printf ("Shopify refused the access token for shop %s. Check that the token is "
                     "correct and has not been revoked, then enter it again in the channel "
                     "settings.", ACCOUNT);
  g_autoptr(SkTestRequest) request = NULL;

  serve_real_pages (f);
  sk_channel_set_secret (f->channel, "shpat_wrong_0000");
  error = run_sync (f, NULL, NULL);

  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpstr (sk_channel_get_last_error (f->channel), ==, expected);
  g_assert_null (strstr (error->message, "shpat_wrong"));
  g_assert_cmpint (count_orders (f), ==, 0);

  /* A 401 is not retried. */
  g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, 0)), ==, 1);
  request = sk_test_server_dup_request (f->server, 0);
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "X-Shopify-Access-Token"));
}

static void
test_status_words (Fixture *f, gconstpointer data)
{
  const char *body_422 = "{\"errors\":{\"updated_at_min\":[\"is not a valid date\"]}}";
  const char *echo = "{\"errors\":\"Token " TOKEN " is not allowed here\"}";
  g_autoptr(GBytes) b422 = g_bytes_new_static (body_422, strlen (body_422));
  g_autoptr(GBytes) becho = g_bytes_new_static (echo, strlen (echo));
  SkTestFault f403 = { .status = 403 };
  SkTestFault f404 = { .status = 404 };
  SkTestFault f422 = { .status = 422, .body = b422 };
  SkTestFault fecho = { .status = 400, .body = becho };
  SkTestRoute *first;
  GError *error;

  serve_real_pages (f);
  first = g_ptr_array_index (f->routes, 0);

  sk_test_route_push_fault (first, &f403);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "read_orders"));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_clear_error (&error);

  sk_test_route_push_fault (first, &f404);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "No Shopify shop answers at " ACCOUNT ". Check the shop address.");
  g_clear_error (&error);

  /* Other refusals carry Shopify's own words. */
  sk_test_route_push_fault (first, &f422);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "updated_at_min is not a valid date"));
  g_assert_nonnull (strstr (error->message, "422"));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_clear_error (&error);

  /* ... but never the token, even when the server echoes it. */
  sk_test_route_push_fault (first, &fecho);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "is not allowed here"));
  assert_no_token (error->message);
  g_clear_error (&error);

  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 4);
}

static void
test_no_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  sk_channel_set_secret (f->channel, NULL);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

static void
test_insecure_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);

  g_free (record->base_url);
  record->base_url = g_strdup ("http://" ACCOUNT);
  _sk_channel_set_record (f->channel, record);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
}

static void
test_dead_letter (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  JsonNode *bad;
  SkSyncSummary summary;

  /* Page 2 holds the real pending order and a copy of it whose total
   * is not an amount. */
  bad = sk_test_shopify_clone_order (g_ptr_array_index (orders, 1), 1073459999, 1099, "2024-10-02T09:04:30-05:00");
  json_object_set_string_member (json_node_get_object (bad), "total_price", "12,5O");
  json_object_remove_member (json_node_get_object (bad), "total_price_set");
  g_ptr_array_insert (orders, 2, bad);
  serve_pages (f, orders, 2);

  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pages, ==, 2);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (summary.dead_lettered, ==, 1);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 1);

  letters = sk_store_list_dead_letters (f->store, f->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 1);
  g_assert_cmpstr (((SkDeadLetterRecord *) g_ptr_array_index (letters, 0))->external_id, ==, "1073459999");
}

static void
test_resume_from_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncCursor cursor = { 0 };
  gint64 seen_before = unix_of ("2024-10-02T09:10:00-05:00");

  serve_real_pages (f);
  /* An interrupted run had committed pages 1 and 2; it began after the
   * orders it saw had changed. */
  cursor.high_water = 1000;
  cursor.run_started_at = unix_of ("2024-10-02T09:30:00-05:00");
  cursor.run_max_seen = seen_before;
  cursor.page_token = g_strdup ("p3");
  cursor.pages_done = 2;
  sk_store_write_cursor (f->store, f->record->id, "orders", &cursor, &error);
  g_assert_no_error (error);
  sk_sync_cursor_clear (&cursor);

  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 1);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (param (g_ptr_array_index (requests, 0), "page_info"), ==, "p3");
  /* Resuming is not a first backfill. */
  g_assert_cmpuint (sk_test_server_count_path (f->server, COUNT_PATH), ==, 0);

  get_cursor (f, &cursor);
  /* The interrupted run's newest order counts too. */
  g_assert_cmpint (cursor.high_water, ==, seen_before);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_null (cursor.page_token);
  g_assert_cmpint (cursor.pages_done, ==, 3);
  sk_sync_cursor_clear (&cursor);
}

/* A long run: order 1001 is read on page 1 and changes at 15:30 while
 * later pages are read; page 2 holds order 1002, changed at 16:00, after
 * the run began (15:00 by Shopify's Date header). The run's mark stays at
 * its start, so the next run asks from 14:55 and gets 1001's change; a
 * mark at 16:00 would ask from 15:55 and never see it. */
static void
test_changed_during_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) templates = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(GBytes) both = NULL;
  g_autoptr(GBytes) newest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = NULL;
  SkSyncCursor cursor = { 0 };
  JsonNode *pair[2];

  g_ptr_array_add (orders, sk_test_shopify_clone_order (templates->pdata[0], 1001, 1001,
                                                        "2024-10-02T14:00:00Z"));
  g_ptr_array_add (orders, sk_test_shopify_clone_order (templates->pdata[1], 1002, 1002,
                                                        "2024-10-02T16:00:00Z"));
  routes = sk_test_server_serve_shopify_orders (f->server, ACCOUNT, orders, 1);
  sk_test_route_add_header (routes->pdata[0], "Date", "Wed, 02 Oct 2024 15:00:00 GMT");
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 2);

  requests = orders_requests (f);
  g_assert_cmpstr (param (requests->pdata[0], "order"), ==, "updated_at asc");
  g_clear_pointer (&requests, g_ptr_array_unref);

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.run_started_at, ==, 0);
  g_assert_cmpint (cursor.high_water, ==, unix_of ("2024-10-02T15:00:00Z"));
  sk_sync_cursor_clear (&cursor);

  /* The shop now, answering as Shopify filters by updated_at_min. */
  sk_test_server_reset (f->server);
  changed = sk_test_shopify_clone_order (templates->pdata[0], 1001, 1001, "2024-10-02T15:30:00Z");
  later = sk_test_shopify_clone_order (templates->pdata[1], 1002, 1002, "2024-10-02T16:00:00Z");
  pair[0] = changed;
  pair[1] = later;
  both = sk_test_shopify_page_body (pair, 2);
  newest = sk_test_shopify_page_body (&later, 1);
  sk_test_server_add_route (f->server, ORDERS_PATH, "updated_at_min",
                            "2024-10-02T14:55:00Z", 200, NULL, both);
  sk_test_server_add_route (f->server, ORDERS_PATH, NULL, NULL, 200, NULL, newest);

  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (param (requests->pdata[0], "updated_at_min"), ==, "2024-10-02T14:55:00Z");
  order = sk_store_find_order (f->store, f->record->id, "1001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpint (sk_order_get_updated_at (order), ==, unix_of ("2024-10-02T15:30:00Z"));
}

/* An order whose updated_at is later than the moment the run began (a
 * clock ahead of Shopify's) does not take the mark past that moment. */
static void
test_run_start_clock (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) templates = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0 };
  gint64 before = sk_time_now ();

  /* Changed "tomorrow", by a clock ahead of ours. */
  g_ptr_array_add (orders, sk_test_shopify_clone_order (templates->pdata[0], 1001, 1001,
                                                        "2099-01-01T00:00:00Z"));
  serve_pages (f, orders, 1);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  get_cursor (f, &cursor);
  /* The test server's Date is the real time. */
  g_assert_cmpint (cursor.high_water, >=, before - 1);
  g_assert_cmpint (cursor.high_water, <=, sk_time_now ());
  sk_sync_cursor_clear (&cursor);
}

static void
test_resume_stale_token (Fixture *f, gconstpointer data)
{
  const char *invalid = "{\"errors\":{\"page_info\":\"Invalid value.\"}}";
  g_autoptr(GBytes) body = g_bytes_new_static (invalid, strlen (invalid));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SkSyncCursor cursor = { 0 };

  serve_real_pages (f);
  sk_test_server_add_route (f->server, ORDERS_PATH, "page_info", "expired", 400, NULL, body);
  cursor.run_started_at = 2000;
  cursor.page_token = g_strdup ("expired");
  cursor.pages_done = 7;
  sk_store_write_cursor (f->store, f->record->id, "orders", &cursor, &error);
  g_assert_no_error (error);
  sk_sync_cursor_clear (&cursor);

  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);

  requests = orders_requests (f);
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpstr (param (g_ptr_array_index (requests, 0), "page_info"), ==, "expired");
  g_assert_null (param (g_ptr_array_index (requests, 1), "page_info"));
  g_assert_cmpstr (param (g_ptr_array_index (requests, 1), "status"), ==, "any");

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, unix_of (REAL_HIGH_WATER_ISO));
  g_assert_cmpint (cursor.pages_done, ==, 3);
  sk_sync_cursor_clear (&cursor);
}

static void
test_many_pages_in_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) templates = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary;
  SkSyncCursor cursor = { 0 };
  gint64 start;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *updated = g_strdup_printf ("2024-10-03T10:%02u:00Z", i);

      g_ptr_array_add (orders, sk_test_shopify_clone_order (g_ptr_array_index (templates, i % 3),
                                            5000000000000 + i, 2000 + i, updated));
    }
  serve_pages (f, orders, 10);
  /* Slow pages: fetching the next one while importing pays off. */
  sk_test_server_set_delay (f->server, 150);

  start = g_get_monotonic_time ();
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_test_message ("6 pages of 10 in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpuint (summary.pages, ==, 6);
  g_assert_cmpuint (summary.inserted, ==, 60);
  g_assert_cmpint (count_orders (f), ==, 60);

  get_cursor (f, &cursor);
  g_assert_cmpint (cursor.high_water, ==, unix_of ("2024-10-03T10:59:00Z"));
  g_assert_cmpint (cursor.pages_done, ==, 6);
  sk_sync_cursor_clear (&cursor);

  for (guint k = 0; k < 6; k++)
    g_assert_cmpuint (sk_test_route_get_hits (g_ptr_array_index (f->routes, k)), ==, 1);
}

static void
test_call_limit_header (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  serve_real_pages (f);
  /* Shopify says the bucket is full: every next call waits for a leak
   * (2 per second). */
  for (guint i = 0; i < f->routes->len; i++)
    sk_test_route_add_header (g_ptr_array_index (f->routes, i),
                              "X-Shopify-Shop-Api-Call-Limit", "40/40");
  start = g_get_monotonic_time ();
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (count_orders (f), ==, 3);
}

static void
test_concurrent_and_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult first = { 0 };
  RunResult second = { 0 };

  serve_real_pages (f);
  sk_test_server_set_delay (f->server, 3000);

  sk_channel_sync_async (f->channel, cancellable, on_synced, &first);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_SYNCING);
  sk_channel_sync_async (f->channel, NULL, on_synced, &second);
  sk_test_wait_for (&second.done, 5000);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);

  sk_test_server_wait_requests (f->server, 1, 5000);
  g_cancellable_cancel (cancellable);
  sk_test_wait_for (&first.done, 5000);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelling is not failing. */
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
  g_assert_null (sk_channel_get_last_error (f->channel));
  g_clear_error (&first.error);
  g_clear_error (&second.error);
}

static void
test_paused (Fixture *f, gconstpointer data)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  record->paused = TRUE;
  _sk_channel_set_record (f->channel, record);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_PAUSED);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_PAUSED);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  GHashTable *counts = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
test_notify_only_on_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  serve_real_pages (f);
  g_signal_connect (f->channel, "notify", G_CALLBACK (on_notify), counts);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  /* IDLE → SYNCING → IDLE */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "state")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "last-error")), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "consecutive-failures")), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "last-success")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "dead-letters")), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "progress-pages")), ==, 3);
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
  const char *shop = "{\"shop\":{\"id\":548380009,\"name\":\"John Smith Test Store\","
                     "\"myshopify_domain\":\"jsmith.myshopify.com\"}}";
  g_autoptr(GBytes) body = g_bytes_new_static (shop, strlen (shop));
  TestResult r = { 0 };

  sk_test_server_add_route (f->server, SHOP_PATH, NULL, NULL, 200, NULL, body);
  sk_channel_test_connection_async (f->channel, NULL, on_tested, &r);
  sk_test_wait_for (&r.done, 10000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  memset (&r, 0, sizeof r);
  sk_channel_set_secret (f->channel, "shpat_wrong");
  sk_channel_test_connection_async (f->channel, NULL, on_tested, &r);
  sk_test_wait_for (&r.done, 10000);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (r.error->message, "Shopify refused the access token for shop"));
  g_clear_error (&r.error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, SHOP_PATH), ==, 2);
}

/* Against the embedded demo shop: the same code path, generated orders. */

typedef struct {
  Fixture base;
  SkDemoShop *shop;
} DemoFixture;

#define DEMO_ORDERS 600

static void
demo_setup (DemoFixture *d, gconstpointer data)
{
  Fixture *f = &d->base;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = NULL;

  fixture_setup (f, data);
  d->shop = sk_demo_shop_new (20241002, DEMO_ORDERS);
  sk_demo_shop_start (d->shop, &error);
  g_assert_no_error (error);

  record = sk_channel_record_copy (f->record);
  g_free (record->base_url);
  record->base_url = g_strdup (sk_demo_shop_get_base_url (d->shop));
  g_free (record->account);
  record->account = g_strdup (sk_demo_shop_get_domain (d->shop));
  sk_store_update_channel (f->store, record, &error);
  g_assert_no_error (error);
  _sk_channel_set_record (f->channel, record);
  sk_channel_set_secret (f->channel, SK_DEMO_SHOP_TOKEN);
}

static void
demo_teardown (DemoFixture *d, gconstpointer data)
{
  sk_demo_shop_stop (d->shop);
  g_clear_object (&d->shop);
  fixture_teardown (&d->base, data);
}

static void
test_demo_full_then_incremental (DemoFixture *d, gconstpointer data)
{
  Fixture *f = &d->base;
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary;
  SkSyncProgress progress;

  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS);
  g_assert_cmpuint (summary.pages, ==, (DEMO_ORDERS + 249) / 250);
  g_assert_cmpuint (summary.inserted, ==, DEMO_ORDERS);
  sk_channel_get_progress (f->channel, &progress);
  g_assert_cmpuint (progress.orders, ==, DEMO_ORDERS);

  /* Five new orders and some changes to old ones. */
  sk_demo_shop_advance (d->shop, 5, 10);
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 5);
  g_assert_cmpuint (summary.inserted, ==, 5);
  g_assert_cmpuint (summary.updated, >, 0);
  g_assert_cmpuint (summary.updated, <=, 10);

  /* Nothing new: nothing written. */
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted + summary.updated, ==, 0);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 5);
}

static void
test_demo_faults (DemoFixture *d, gconstpointer data)
{
  Fixture *f = &d->base;
  GError *error;

  sk_demo_shop_inject_fault (d->shop, SK_DEMO_FAULT_429, 1);
  sk_demo_shop_inject_fault (d->shop, SK_DEMO_FAULT_500, 1);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS);

  sk_demo_shop_advance (d->shop, 300, 0);
  sk_demo_shop_inject_fault (d->shop, SK_DEMO_FAULT_TRUNCATED, 1);
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  error = run_sync (f, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, DEMO_ORDERS + 300);

  sk_channel_set_secret (f->channel, "shpat_not_the_demo_token");
  error = run_sync (f, NULL, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_clear_error (&error);
}

static void
test_demo_malformed (DemoFixture *d, gconstpointer data)
{
  Fixture *f = &d->base;
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary;

  sk_demo_shop_inject_fault (d->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 1);
  error = run_sync (f, NULL, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.dead_lettered, >=, 1);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, summary.dead_lettered);
  g_assert_cmpint (count_orders (f) + summary.dead_lettered, ==, DEMO_ORDERS);
}

int
main (int argc, char **argv)
{
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, which
   * GIO's GNOME proxy resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);
  /* The fixture server speaks the version the connector does. */
  g_assert_cmpstr (ORDERS_PATH, ==, SK_TEST_SHOPIFY_ORDERS_PATH);

  g_test_add_func ("/shopify/domain", test_domain);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/sync/three-pages", test_three_pages);
  ADD ("/shopify/sync/second-run-overlap", test_second_run_overlap);
  ADD ("/shopify/sync/429-mid-run", test_429_mid_run);
  ADD ("/shopify/sync/429-exhausted", test_429_exhausted);
  ADD ("/shopify/sync/500-then-success", test_500_then_success);
  ADD ("/shopify/sync/server-error-then-resume", test_server_error_then_resume);
  ADD ("/shopify/sync/timeout", test_timeout);
  ADD ("/shopify/sync/truncated", test_truncated);
  ADD ("/shopify/sync/bad-page-while-importing", test_bad_page_while_importing);
  ADD ("/shopify/sync/not-json", test_not_json);
  ADD ("/shopify/sync/auth", test_auth);
  ADD ("/shopify/sync/status-words", test_status_words);
  ADD ("/shopify/sync/no-token", test_no_token);
  ADD ("/shopify/sync/insecure-url", test_insecure_url);
  ADD ("/shopify/sync/dead-letter", test_dead_letter);
  ADD ("/shopify/sync/resume-from-token", test_resume_from_token);
  ADD ("/shopify/sync/changed-during-run", test_changed_during_run);
  ADD ("/shopify/sync/run-start-clock", test_run_start_clock);
  ADD ("/shopify/sync/resume-stale-token", test_resume_stale_token);
  ADD ("/shopify/sync/many-pages-in-order", test_many_pages_in_order);
  ADD ("/shopify/sync/call-limit-header", test_call_limit_header);
  ADD ("/shopify/sync/concurrent-and-cancel", test_concurrent_and_cancel);
  ADD ("/shopify/sync/paused", test_paused);
  ADD ("/shopify/sync/notify-only-on-change", test_notify_only_on_change);
  ADD ("/shopify/test-connection", test_connection);
#undef ADD
  g_test_add ("/shopify/demo/full-then-incremental", DemoFixture, NULL,
              demo_setup, test_demo_full_then_incremental, demo_teardown);
  g_test_add ("/shopify/demo/faults", DemoFixture, NULL,
              demo_setup, test_demo_faults, demo_teardown);
  g_test_add ("/shopify/demo/malformed-order", DemoFixture, NULL,
              demo_setup, test_demo_malformed, demo_teardown);

  return g_test_run ();
}
