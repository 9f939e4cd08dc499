/* test-shopify-auth.c: a Shopify channel with a Dev Dashboard app's client
 * ID and secret, against a loopback Shopify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loopback server plays Shopify's token endpoint
 * (POST /admin/oauth/access_token, the client credentials grant) and the
 * Admin REST orders of tests/fixtures/orders/shopify/. The clock is the
 * test's (sk_time_set_now_func), so token lifetimes run out on demand.
 * Every log line is checked for secrets, and so is the database.
 */
#include "config.h"

#include <string.h>

#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-shopify-auth.h"
#include "sk-shopify-channel.h"
#include "sk-shopify-normalize.h"
#include "sk-store-orders.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"

#define ACCOUNT "test-outfitters.myshopify.com"
#define TOKEN_PATH "/admin/oauth/access_token"
#define ORDERS_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/orders.json"
#define COUNT_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/orders/count.json"
#define SHOP_PATH "/admin/api/" SK_SHOPIFY_API_VERSION "/shop.json"

#define CLIENT_ID "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
/* With characters that form encoding must escape. */
#define CLIENT_SECRET "shpss_7c1d+a9/e2b4=f3c8&d0e6a1b5c9d2"
#define CLIENT_SECRET_ESCAPED "shpss_7c1d%2Ba9%2Fe2b4%3Df3c8%26d0e6a1b5c9d2"
#define TOKEN_1 "shpat_issued_first_4b1e9c0d7a2f58e3a1"
#define TOKEN_2 "shpat_issued_second_93d0c1a8e7b2f465b2"
#define TOKEN_3 "shpat_issued_third_5e6f7a8b9c0d1e2f3c"
#define PLAIN_TOKEN "shpat_plain_legacy_0c9e8d7f6a5b4c3d2e"

#define START_TIME G_GINT64_CONSTANT (1767600000) /* 2026-01-05 */

#define REFUSED_SENTENCE \
  "Shopify refused the app’s client ID and secret for shop " ACCOUNT ". Check them in " \
  "the Dev Dashboard under your app’s Settings, and that the app is installed on this store."

static const char *secrets[] = {
  CLIENT_SECRET, CLIENT_SECRET_ESCAPED, TOKEN_1, TOKEN_2, TOKEN_3, PLAIN_TOKEN,
};

static gint64 clock_seconds;
static guint log_lines;

static gint64
test_now (gpointer user_data)
{
  return clock_seconds;
}

/* Fails, naming the secret by its number only, when @text holds one. */
static void
assert_no_secret (const char *text)
{
  g_autoptr(GString) shown = NULL;
  gboolean leaked = FALSE;

  if (text == NULL)
    return;
  shown = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *mark = g_strdup_printf ("<secret %u>", i);

      leaked |= g_string_replace (shown, secrets[i], mark, 0) > 0;
    }
  if (leaked)
    g_error ("A secret leaked into: %s", shown->str);
}

/* Every log line, debug included, is checked; debug lines are dropped so
 * that they do not mix into the TAP output. */
static GLogWriterOutput
check_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      {
        assert_no_secret (fields[i].value);
        log_lines++;
      }
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkTestServer *server;
  SkTestRoute *token_route;
  SkChannelRecord *record;
  SkChannel *channel;
  GPtrArray *routes;     /* orders pages, page k at k - 1 */
} Fixture;

/* Payloads */

static GBytes *
grant_body (const char *token, const char *scope, gint64 expires_in)
{
  g_autofree char *json = g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"%s\","
                                           "\"expires_in\":%" G_GINT64_FORMAT "}",
                                           token, scope, expires_in);

  return g_bytes_new (json, strlen (json));
}

/* The next token request is answered with @token. */
static void
push_grant (Fixture *f, const char *token, const char *scope, gint64 expires_in)
{
  g_autoptr(GBytes) body = grant_body (token, scope, expires_in);
  SkTestFault fault = { .status = 200, .body = body };

  sk_test_route_push_fault (f->token_route, &fault);
}

static void
push_refusal (Fixture *f, guint status, const char *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  SkTestFault fault = { .status = status, .body = body };

  sk_test_route_push_fault (f->token_route, &fault);
}

static char *
app_secret (void)
{
  return sk_shopify_app_credentials_to_secret (CLIENT_ID, CLIENT_SECRET);
}

/* Fixture */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 3, 10 * 1000, G_USEC_PER_SEC };
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GBytes) grant = grant_body (TOKEN_1, "read_orders,read_products", 86399);
  g_autofree char *path = NULL;
  g_autofree char *secret = app_secret ();
  g_autoptr(GError) error = NULL;

  clock_seconds = START_TIME;
  sk_time_set_now_func (test_now, NULL);

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  f->server = sk_test_server_new ();
  f->token_route = sk_test_server_add_route (f->server, TOKEN_PATH, NULL, NULL, 200, NULL, grant);
  routes = sk_test_server_serve_shopify_orders (f->server, ACCOUNT, orders, 1);
  f->routes = g_ptr_array_ref (routes);

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

  f->channel = sk_channel_new_for_record (f->store, f->http, f->record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_SHOPIFY_CHANNEL (f->channel));
  sk_channel_set_secret (f->channel, secret);
}

static gboolean
contains (const char *haystack, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Neither the client secret nor a token is in any file of the database. */
static void
assert_database_clean (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->tmpdir, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      files++;
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (contains (contents, len, secrets[i]))
          g_error ("%s holds a secret", name);
    }
  g_assert_cmpuint (files, >, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->store != NULL)
    assert_database_clean (f);
  g_clear_object (&f->channel);
  g_clear_pointer (&f->record, sk_channel_record_free);
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  g_clear_pointer (&f->routes, g_ptr_array_unref);
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
      assert_no_secret (r.error->message);
      assert_no_secret (sk_channel_get_last_error (f->channel));
    }
  return r.error;
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
  sk_test_wait_for (&r.done, 30000);
  if (r.error != NULL)
    assert_no_secret (r.error->message);
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

/* Recorded requests to @path, oldest first; @from: skip the first ones of
 * the whole record. */
static GPtrArray *
requests_to (Fixture *f, const char *path, guint from)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_test_request_free);
  guint n = sk_test_server_get_n_requests (f->server);

  for (guint i = from; i < n; i++)
    {
      SkTestRequest *request = sk_test_server_dup_request (f->server, i);

      if (g_strcmp0 (request->path, path) == 0)
        g_ptr_array_add (list, request);
      else
        sk_test_request_free (request);
    }
  return list;
}

static const char *
token_of (SkTestRequest *request)
{
  return soup_message_headers_get_one (request->headers, "X-Shopify-Access-Token");
}

/* Every Admin API request from index @from on carried @token. */
static void
assert_api_token (Fixture *f, guint from, const char *token)
{
  guint n = sk_test_server_get_n_requests (f->server);
  guint api = 0;

  for (guint i = from; i < n; i++)
    {
      g_autoptr(SkTestRequest) request = sk_test_server_dup_request (f->server, i);

      if (g_str_equal (request->path, TOKEN_PATH))
        continue;
      g_assert_cmpstr (token_of (request), ==, token);
      api++;
    }
  g_assert_cmpuint (api, >, 0);
}

/* Tests */

static void
test_credentials (void)
{
  g_autofree char *secret = app_secret ();
  g_autoptr(SkShopifyAppCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (sk_shopify_secret_is_app_credentials (secret));
  g_assert_true (sk_shopify_secret_is_app_credentials ("  \n{\"client_id\":\"a\"}"));
  g_assert_false (sk_shopify_secret_is_app_credentials (PLAIN_TOKEN));
  g_assert_false (sk_shopify_secret_is_app_credentials (""));
  g_assert_false (sk_shopify_secret_is_app_credentials (NULL));

  credentials = sk_shopify_app_credentials_parse (secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->client_id, ==, CLIENT_ID);
  g_assert_cmpstr (credentials->client_secret, ==, CLIENT_SECRET);
  g_clear_pointer (&credentials, sk_shopify_app_credentials_free);

  /* Pasted values are trimmed. */
  credentials = sk_shopify_app_credentials_parse ("{\"client_id\":\" id \",\"client_secret\":\"s\\n\"}",
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->client_id, ==, "id");
  g_assert_cmpstr (credentials->client_secret, ==, "s");
  g_clear_pointer (&credentials, sk_shopify_app_credentials_free);

  /* What is missing is named, never a value. */
  credentials = sk_shopify_app_credentials_parse ("{\"client_id\":\"" CLIENT_ID "\"}", &error);
  g_assert_null (credentials);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "no client secret"));
  g_clear_error (&error);
  credentials = sk_shopify_app_credentials_parse ("{\"client_secret\":\"" CLIENT_SECRET "\"", &error);
  g_assert_null (credentials);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  assert_no_secret (error->message);
  g_clear_error (&error);

  url = sk_shopify_token_url ("https://acme.myshopify.com//");
  g_assert_cmpstr (url, ==, "https://acme.myshopify.com/admin/oauth/access_token");

  g_assert_true (sk_shopify_scope_allows_orders ("read_products,read_orders"));
  g_assert_true (sk_shopify_scope_allows_orders ("write_orders"));
  g_assert_false (sk_shopify_scope_allows_orders ("read_products,read_all_orders"));
  g_assert_false (sk_shopify_scope_allows_orders (""));
}

/* The grant as Shopify documents it, then orders with its token. */
static void
test_sync (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GHashTable) form = NULL;
  SkTestRequest *grant;
  SkSyncSummary summary;
  g_autofree char *text = NULL;
  const char *body;
  gsize len;

  error = run_sync (f, &summary);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.inserted, ==, 3);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);

  /* One token for the count and the pages, asked for before them. */
  grants = requests_to (f, TOKEN_PATH, 0);
  g_assert_cmpuint (grants->len, ==, 1);
  grant = g_ptr_array_index (grants, 0);
  {
    g_autoptr(SkTestRequest) first = sk_test_server_dup_request (f->server, 0);

    g_assert_cmpstr (first->path, ==, TOKEN_PATH);
  }
  g_assert_cmpstr (grant->method, ==, "POST");
  g_assert_null (grant->query);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (grant->headers, NULL),
                                   "application/x-www-form-urlencoded"));
  g_assert_null (token_of (grant));
  body = g_bytes_get_data (grant->body, &len);
  text = g_strndup (body, len);
  g_assert_cmpstr (text, ==, "grant_type=client_credentials&client_id=" CLIENT_ID
                             "&client_secret=" CLIENT_SECRET_ESCAPED);
  form = g_uri_parse_params (body, len, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (form), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, CLIENT_SECRET);

  /* Every Admin API request carried the issued token, none the secret. */
  g_assert_cmpuint (sk_test_server_count_path (f->server, ORDERS_PATH), ==, 3);
  g_assert_cmpuint (sk_test_server_count_path (f->server, COUNT_PATH), ==, 1);
  assert_api_token (f, 0, TOKEN_1);
  /* The log check is not idle: the token client said what it did. */
  g_assert_cmpuint (log_lines, >, 0);
}

/* A second run uses the token it has. */
static void
test_token_reused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint before;

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  before = sk_test_server_get_n_requests (f->server);

  clock_seconds += 3600;
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), >, before);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);
  assert_api_token (f, before, TOKEN_1);
}

/* A token is renewed a few minutes before it expires, not later and not
 * much earlier. */
static void
test_renew_before_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint before;

  /* 600 s: renewed from 300 s on (the margin is at most half of it). */
  push_grant (f, TOKEN_1, "read_orders", 600);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);

  clock_seconds = START_TIME + 299;
  before = sk_test_server_get_n_requests (f->server);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);
  assert_api_token (f, before, TOKEN_1);

  /* "expires_in" as a string also counts. */
  push_refusal (f, 200, "{\"access_token\":\"" TOKEN_2 "\",\"scope\":\"read_orders\",\"expires_in\":\"86399\"}");
  clock_seconds = START_TIME + 301;
  before = sk_test_server_get_n_requests (f->server);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 2);
  assert_api_token (f, before, TOKEN_2);

  /* A full day later, minus the five-minute margin. */
  clock_seconds = START_TIME + 301 + 86399 - 299;
  before = sk_test_server_get_n_requests (f->server);
  push_grant (f, TOKEN_3, "read_orders", 86399);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 3);
  assert_api_token (f, before, TOKEN_3);
}

/* A 401 on orders: one new token, the page again, success. */
static void
test_401_renews_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  SkTestFault unauthorized = { .status = 401 };
  SkTestRoute *first = g_ptr_array_index (f->routes, 0);
  guint before;

  /* The first run takes TOKEN_1; Shopify then stops taking it. */
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (sk_test_route_get_hits (first), ==, 1);

  before = sk_test_server_get_n_requests (f->server);
  push_grant (f, TOKEN_2, "read_orders", 86399);
  sk_test_route_push_fault (first, &unauthorized);
  clock_seconds += 600;

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 2);

  pages = requests_to (f, ORDERS_PATH, before);
  g_assert_cmpuint (pages->len, ==, 4);
  g_assert_cmpstr (token_of (g_ptr_array_index (pages, 0)), ==, TOKEN_1);
  g_assert_cmpuint (((SkTestRequest *) g_ptr_array_index (pages, 0))->status, ==, 401);
  for (guint i = 1; i < pages->len; i++)
    {
      g_assert_cmpstr (token_of (g_ptr_array_index (pages, i)), ==, TOKEN_2);
      g_assert_cmpuint (((SkTestRequest *) g_ptr_array_index (pages, i))->status, ==, 200);
    }
  /* The new token was asked for between the two tries of page 1. */
  {
    g_autoptr(SkTestRequest) renewal = sk_test_server_dup_request (f->server, before + 1);

    g_assert_cmpstr (renewal->path, ==, TOKEN_PATH);
  }
  g_assert_cmpuint (sk_test_route_get_hits (first), ==, 3);
  g_assert_cmpint (count_orders (f), ==, 3);
}

/* A second 401 after the new token: the run fails, asking the user. */
static void
test_401_twice_fails (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SkTestFault unauthorized = { .status = 401 };
  SkTestRoute *first = g_ptr_array_index (f->routes, 0);

  push_grant (f, TOKEN_1, "read_orders", 86399);
  push_grant (f, TOKEN_2, "read_orders", 86399);
  push_grant (f, TOKEN_3, "read_orders", 86399);
  sk_test_route_push_fault (first, &unauthorized);
  sk_test_route_push_fault (first, &unauthorized);
  sk_test_route_push_fault (first, &unauthorized);

  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Shopify refused the access token it had just handed out to the app for shop " ACCOUNT "."));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpint (count_orders (f), ==, 0);
  /* Once renewed, then given up: not a loop. */
  g_assert_cmpuint (sk_test_route_get_hits (first), ==, 2);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 2);
}

/* Shopify refuses the client ID and secret, in either of its shapes. */
static void
test_invalid_client (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) test_error = NULL;

  /* The secret is echoed back: it must not reach the message. */
  push_refusal (f, 401, "{\"error\":\"invalid_client\",\"error_description\":"
                        "\"Client authentication failed for client_secret=" CLIENT_SECRET_ESCAPED
                        " (" CLIENT_SECRET ")\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, REFUSED_SENTENCE));
  g_assert_nonnull (strstr (error->message, "Client authentication failed"));
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpstr (sk_channel_get_last_error (f->channel), ==, error->message);
  /* Not retried, and no Admin API request without a token. */
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (sk_test_server_count_path (f->server, ORDERS_PATH), ==, 0);
  g_assert_cmpuint (sk_test_server_count_path (f->server, COUNT_PATH), ==, 0);
  g_assert_cmpint (count_orders (f), ==, 0);
  g_clear_error (&error);

  /* Shopify's {"errors": …} with a 400. */
  push_refusal (f, 400, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, REFUSED_SENTENCE));
  g_assert_nonnull (strstr (error->message, "unrecognized login"));
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 2);
  g_clear_error (&error);

  /* A bare 401: the sentence alone. */
  push_refusal (f, 401, "");
  test_error = run_test_connection (f);
  g_assert_error (test_error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (test_error->message, ==, REFUSED_SENTENCE);
  g_assert_cmpuint (sk_test_server_count_path (f->server, SHOP_PATH), ==, 0);

  /* Fixed in the Dev Dashboard: the next run goes through. */
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
}

/* Other answers of the token endpoint. */
static void
test_token_endpoint_faults (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  push_refusal (f, 200, "{\"scope\":\"read_orders\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_clear_error (&error);

  push_refusal (f, 404, "{\"errors\":\"Not Found\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No Shopify shop answers at " ACCOUNT ". Check the shop address.");
  g_clear_error (&error);

  /* 5xx is retried by SkHttp, then gives up with words. */
  sk_test_server_push_status (f->server, 503, NULL, 3);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_FAILING);
  g_clear_error (&error);

  g_assert_cmpuint (sk_test_server_count_path (f->server, ORDERS_PATH), ==, 0);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
}

/* Secrets the channel cannot use never leave the computer. */
static void
test_bad_secret (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);

  sk_channel_set_secret (f->channel, "{\"client_id\":\"" CLIENT_ID "\",\"client_secret\":\"\"}");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_clear_error (&error);

  sk_channel_set_secret (f->channel, "{\"client_id\":");
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);

  /* Plain http off loopback: refused before the secret is sent. */
  {
    g_autofree char *secret = app_secret ();

    sk_channel_set_secret (f->channel, secret);
  }
  g_free (record->base_url);
  record->base_url = g_strdup ("http://" ACCOUNT);
  _sk_channel_set_record (f->channel, record);
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
}

/* The token endpoint follows the record's base URL: a new one forgets the
 * cached token. */
static void
test_base_url_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkTestServer) other = sk_test_server_new ();
  g_autoptr(SkChannelRecord) record = sk_channel_record_copy (f->record);
  g_autoptr(GBytes) grant = grant_body (TOKEN_2, "read_orders", 86399);
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) routes = NULL;

  error = run_sync (f, NULL);
  g_assert_no_error (error);

  sk_test_server_add_route (other, TOKEN_PATH, NULL, NULL, 200, NULL, grant);
  routes = sk_test_server_serve_shopify_orders (other, ACCOUNT, orders, 3);
  g_free (record->base_url);
  record->base_url = g_strdup (sk_test_server_get_url (other));
  _sk_channel_set_record (f->channel, record);

  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_test_server_count_path (other, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);
  {
    g_autoptr(SkTestRequest) request = sk_test_server_dup_request (other, 1);

    g_assert_cmpstr (request->path, ==, ORDERS_PATH);
    g_assert_cmpstr (token_of (request), ==, TOKEN_2);
  }
}

/* An access token from before 2026 goes as it is: no token request. */
static void
test_plain_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SkTestFault unauthorized = { .status = 401 };

  sk_channel_set_secret (f->channel, PLAIN_TOKEN);
  error = run_sync (f, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (count_orders (f), ==, 3);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 0);
  assert_api_token (f, 0, PLAIN_TOKEN);

  /* A refused plain token is not renewed (there is nothing to renew). */
  sk_test_route_push_fault (g_ptr_array_index (f->routes, 0), &unauthorized);
  clock_seconds += 60;
  error = run_sync (f, NULL);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "Shopify refused the access token for shop " ACCOUNT "."));
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 0);
}

static const char shop_json[] =
  "{\"shop\":{\"id\":548380009,\"name\":\"Test Outfitters\",\"myshopify_domain\":\"" ACCOUNT "\"}}";

/* Test Connection: a token, then shop.json with it; a missing scope shows
 * at once. */
static void
test_connection (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) shop = g_bytes_new_static (shop_json, strlen (shop_json));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shops = NULL;

  sk_test_server_add_route (f->server, SHOP_PATH, NULL, NULL, 200, NULL, shop);
  error = run_test_connection (f);
  g_assert_no_error (error);
  shops = requests_to (f, SHOP_PATH, 0);
  g_assert_cmpuint (shops->len, ==, 1);
  g_assert_cmpstr (token_of (g_ptr_array_index (shops, 0)), ==, TOKEN_1);
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 1);

  /* Another secret: another token, whose scope lacks read_orders. */
  {
    g_autofree char *secret = sk_shopify_app_credentials_to_secret (CLIENT_ID, "shpss_other");

    sk_channel_set_secret (f->channel, secret);
  }
  push_grant (f, TOKEN_2, "read_products,read_customers", 86399);
  error = run_test_connection (f);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "read_orders"));
  g_assert_nonnull (strstr (error->message, "Dev Dashboard"));
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 2);
}

/* storekeep channel add shopify --client-id: the secret comes from the
 * environment or standard input, and the probe asks for a token with it. */
static void
run_cli (const char *input, const char *secret_env, const char * const *args,
         int *out_status, char **out_err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *bin = g_getenv ("SK_STOREKEEP_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (secret_env != NULL)
    g_subprocess_launcher_setenv (launcher, "SK_TEST_CLIENT_SECRET", secret_env, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input != NULL ? input : "", NULL, &out, out_err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *out_status = g_subprocess_get_exit_status (proc);
  assert_no_secret (out);
  assert_no_secret (*out_err);
}

static void
assert_cli_grant (Fixture *f, guint index)
{
  g_autoptr(GPtrArray) grants = requests_to (f, TOKEN_PATH, 0);
  g_autoptr(GHashTable) form = NULL;
  SkTestRequest *grant;
  const char *body;
  gsize len;

  g_assert_cmpuint (grants->len, >, index);
  grant = g_ptr_array_index (grants, index);
  body = g_bytes_get_data (grant->body, &len);
  form = g_uri_parse_params (body, len, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (form);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, CLIENT_SECRET);
}

static void
test_cli_client_id (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autofree char *base_url = g_strdup_printf ("--base-url=%s", sk_test_server_get_url (f->server));
  g_autofree char *err = NULL;
  int status;

  /* From the environment; Shopify refuses the app. */
  push_refusal (f, 400, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
  run_cli (NULL, CLIENT_SECRET, (const char *[]) { profile, "channel", "add", "shopify",
           "--domain=test-outfitters", base_url, "--client-id=" CLIENT_ID,
           "--token-env=SK_TEST_CLIENT_SECRET", NULL }, &status, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, REFUSED_SENTENCE));
  assert_cli_grant (f, 0);
  g_assert_cmpuint (sk_test_server_count_path (f->server, SHOP_PATH), ==, 0);
  g_clear_pointer (&err, g_free);

  /* From standard input, with a stray space. */
  push_refusal (f, 401, "{\"error\":\"invalid_client\"}");
  run_cli (" " CLIENT_SECRET " \n", NULL, (const char *[]) { profile, "channel", "add", "shopify",
           "--domain=test-outfitters", base_url, "--client-id= " CLIENT_ID, NULL }, &status, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, REFUSED_SENTENCE));
  assert_cli_grant (f, 1);
  g_clear_pointer (&err, g_free);

  /* No secret: a usage error, nothing asked. */
  run_cli ("\n", NULL, (const char *[]) { profile, "channel", "add", "shopify",
           "--domain=test-outfitters", base_url, "--client-id=" CLIENT_ID, NULL }, &status, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "client secret"));
  g_assert_cmpuint (sk_test_server_count_path (f->server, TOKEN_PATH), ==, 2);
  g_clear_pointer (&err, g_free);

  /* Nothing was saved. */
  run_cli (NULL, NULL, (const char *[]) { profile, "channel", "list", NULL }, &status, &err);
  g_assert_cmpint (status, ==, 0);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);
  /* The connector logs with g_debug () through the structured API: each
   * line reaches check_log () whether or not debug output is on. */
  g_log_set_writer_func (check_log, NULL, NULL);
  g_assert_cmpstr (ORDERS_PATH, ==, SK_TEST_SHOPIFY_ORDERS_PATH);
  g_assert_cmpstr (TOKEN_PATH, ==, SK_SHOPIFY_TOKEN_PATH);

  g_test_add_func ("/shopify/auth/credentials", test_credentials);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/auth/sync", test_sync);
  ADD ("/shopify/auth/token-reused", test_token_reused);
  ADD ("/shopify/auth/renew-before-expiry", test_renew_before_expiry);
  ADD ("/shopify/auth/401-renews-once", test_401_renews_once);
  ADD ("/shopify/auth/401-twice-fails", test_401_twice_fails);
  ADD ("/shopify/auth/invalid-client", test_invalid_client);
  ADD ("/shopify/auth/token-endpoint-faults", test_token_endpoint_faults);
  ADD ("/shopify/auth/bad-secret", test_bad_secret);
  ADD ("/shopify/auth/base-url-change", test_base_url_change);
  ADD ("/shopify/auth/plain-token", test_plain_token);
  ADD ("/shopify/auth/test-connection", test_connection);
  ADD ("/shopify/auth/cli-client-id", test_cli_client_id);
#undef ADD

  return g_test_run ();
}
