/* test-token-client.c: SkTokenClient, the base of the Login with Amazon and
 * Shopify app token clients, against a loopback token endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Single flight (concurrent requests share one exchange), renewal a margin
 * before expiry (by the test's clock), one shared client per account for
 * everyone who talks to it (the connector, the pushers), and secrets kept
 * out of the messages of a channel that uses one.
 */
#include "config.h"

#include <string.h>

#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-lwa.h"
#include "sk-shopify-auth.h"
#include "sk-shopify-channel.h"
#include "sk-shopify-request.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-time.h"

#define LWA_PATH "/auth/o2/token"
#define SHOP_TOKEN_PATH "/admin/oauth/access_token"
#define ACCOUNT "token-outfitters.myshopify.com"
#define CLIENT_ID "amzn1.application-oa2-client.0123456789abcdef"
#define CLIENT_SECRET "amzn1.oa2-cs.v1.secret_2f4e6a8c0b1d3f5e"
#define REFRESH_TOKEN "Atzr|refresh_token_7a6b5c4d3e2f1a0b"
#define ACCESS_1 "Atza|access_first_0a1b2c3d4e5f"
#define ACCESS_2 "Atza|access_second_6a7b8c9d0e1f"
#define SHOP_CLIENT_ID "5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d"
#define SHOP_CLIENT_SECRET "shpss_0e1d2c3b4a5f6e7d8c9b0a1f2e3d"
#define SHOP_TOKEN "shpat_shared_token_9f8e7d6c5b4a3f2e"

#define START_TIME G_GINT64_CONSTANT (1767600000) /* 2026-01-05 */

static gint64 clock_seconds;

static gint64
test_now (gpointer user_data)
{
  return clock_seconds;
}

typedef struct {
  SkTestServer *server;
  SkHttp *http;
  char *lwa_url;
} Fixture;

static GBytes *
grant_body (const char *token, gint64 expires_in)
{
  g_autofree char *json = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"bearer\","
                                           "\"expires_in\":%" G_GINT64_FORMAT "}",
                                           token, expires_in);

  return g_bytes_new (json, strlen (json));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  clock_seconds = START_TIME;
  sk_time_set_now_func (test_now, NULL);
  f->server = sk_test_server_new ();
  f->http = sk_http_new ();
  f->lwa_url = sk_test_server_build_url (f->server, LWA_PATH);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  g_clear_pointer (&f->lwa_url, g_free);
  sk_time_set_now_func (NULL, NULL);
}

static SkLwaCredentials *
lwa_credentials (void)
{
  SkLwaCredentials *credentials = g_new0 (SkLwaCredentials, 1);

  credentials->client_id = g_strdup (CLIENT_ID);
  credentials->client_secret = g_strdup (CLIENT_SECRET);
  credentials->refresh_token = g_strdup (REFRESH_TOKEN);
  return credentials;
}

typedef struct {
  char    *token;
  GError  *error;
  gboolean done;
} TokenWait;

static void
on_token (GObject *source, GAsyncResult *result, gpointer data)
{
  TokenWait *wait = data;

  wait->token = sk_token_client_get_token_finish (SK_TOKEN_CLIENT (source), result, &wait->error);
  wait->done = TRUE;
}

static char *
get_token (SkTokenClient *client)
{
  TokenWait wait = { 0 };

  sk_token_client_get_token_async (client, NULL, on_token, &wait);
  sk_test_wait_for (&wait.done, 10000);
  g_assert_no_error (wait.error);
  return wait.token;
}

/* Three requests at once: one exchange, one token for all. */
static void
test_single_flight (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) grant = grant_body (ACCESS_1, 3600);
  g_autoptr(SkLwaCredentials) credentials = lwa_credentials ();
  g_autoptr(SkLwaClient) client = sk_lwa_client_new (f->http);
  TokenWait waits[3] = { { 0 } };

  sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, grant);
  sk_test_server_set_delay (f->server, 200);
  sk_lwa_client_configure (client, f->lwa_url, credentials, "Token Outfitters");

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    sk_token_client_get_token_async (SK_TOKEN_CLIENT (client), NULL, on_token, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      sk_test_wait_for (&waits[i].done, 10000);
      g_assert_no_error (waits[i].error);
      g_assert_cmpstr (waits[i].token, ==, ACCESS_1);
      g_free (waits[i].token);
    }
  g_assert_cmpuint (sk_test_server_count_path (f->server, LWA_PATH), ==, 1);
  g_assert_cmpint (sk_lwa_client_get_expires_at (client), ==, START_TIME + 3600);
}

/* The cached token serves until the margin before its expiry, then a new
 * one is asked for. */
static void
test_refresh_before_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) first = grant_body (ACCESS_1, 3600);
  g_autoptr(GBytes) second = grant_body (ACCESS_2, 3600);
  g_autoptr(SkLwaCredentials) credentials = lwa_credentials ();
  g_autoptr(SkLwaClient) client = sk_lwa_client_new (f->http);
  SkTestRoute *route;
  SkTestFault renewed = { .status = 200, .body = second };
  g_autofree char *token = NULL;

  route = sk_test_server_add_route (f->server, LWA_PATH, NULL, NULL, 200, NULL, first);
  sk_lwa_client_configure (client, f->lwa_url, credentials, "Token Outfitters");

  token = get_token (SK_TOKEN_CLIENT (client));
  g_assert_cmpstr (token, ==, ACCESS_1);
  g_clear_pointer (&token, g_free);

  /* More than the margin (60 s) left: the same token, no request. */
  clock_seconds = START_TIME + 3600 - SK_LWA_REFRESH_MARGIN - 1;
  token = get_token (SK_TOKEN_CLIENT (client));
  g_assert_cmpstr (token, ==, ACCESS_1);
  g_clear_pointer (&token, g_free);
  g_assert_cmpuint (sk_test_route_get_hits (route), ==, 1);

  /* Within the margin: a new one, before the old one expired. */
  sk_test_route_push_fault (route, &renewed);
  clock_seconds = START_TIME + 3600 - SK_LWA_REFRESH_MARGIN + 1;
  token = get_token (SK_TOKEN_CLIENT (client));
  g_assert_cmpstr (token, ==, ACCESS_2);
  g_assert_cmpuint (sk_test_route_get_hits (route), ==, 2);
  g_assert_cmpint (sk_lwa_client_get_expires_at (client), ==, clock_seconds + 3600);
}

/* One client per HTTP session, token URL and client id; it leaves the
 * registry with its last user. */
static void
test_shared_registry (Fixture *f, gconstpointer data)
{
  g_autoptr(SkLwaClient) a = sk_lwa_client_get_shared (f->http, f->lwa_url, CLIENT_ID);
  g_autoptr(SkLwaClient) b = sk_lwa_client_get_shared (f->http, f->lwa_url, CLIENT_ID);
  g_autoptr(SkLwaClient) other_id = sk_lwa_client_get_shared (f->http, f->lwa_url, "another-client");
  g_autoptr(SkLwaClient) default_url = sk_lwa_client_get_shared (f->http, NULL, CLIENT_ID);
  g_autoptr(SkLwaClient) same_default = sk_lwa_client_get_shared (f->http, SK_LWA_TOKEN_URL, CLIENT_ID);
  g_autoptr(SkShopifyTokenClient) shopify = NULL;
  SkLwaClient *gone;
  g_autoptr(SkLwaClient) fresh = NULL;

  g_assert_true (a == b);
  g_assert_true (a != other_id);
  g_assert_true (a != default_url);
  g_assert_true (default_url == same_default);
  /* Another kind of client never answers for the same key. */
  shopify = sk_shopify_token_client_get_shared (f->http, f->lwa_url, CLIENT_ID);
  g_assert_true ((gpointer) shopify != (gpointer) a);

  gone = other_id;
  g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
  g_clear_object (&other_id);
  g_assert_null (gone);
  fresh = sk_lwa_client_get_shared (f->http, f->lwa_url, "another-client");
  g_assert_nonnull (fresh);
  g_assert_cmpint (sk_lwa_client_get_expires_at (fresh), ==, 0);
}

typedef struct {
  SkHttpResponse *response;
  GError         *error;
  gboolean        done;
} SendWait;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  SendWait *wait = data;

  wait->response = sk_shopify_send_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
on_tested (GObject *source, GAsyncResult *result, gpointer data)
{
  SendWait *wait = data;

  sk_channel_test_connection_finish (SK_CHANNEL (source), result, &wait->error);
  wait->done = TRUE;
}

/* A Shopify app's shop: the connector takes a token, and a pusher that
 * prepares its requests the way every pusher does gets the same client
 * and so the same token, without asking Shopify again. The channel's
 * messages keep that token out. */
static void
test_shared_by_sync_and_push (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "storekeep.db", NULL);
  g_autofree char *secret = sk_shopify_app_credentials_to_secret (SHOP_CLIENT_ID, SHOP_CLIENT_SECRET);
  g_autofree char *grant_json = g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"read_orders,write_fulfillments\",\"expires_in\":86399}",
                                                 SHOP_TOKEN);
  g_autoptr(GBytes) grant = g_bytes_new (grant_json, strlen (grant_json));
  g_autoptr(GBytes) shop = sk_test_load_fixture ("inventory/shopify-shop-2024-10.json");
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(SkChannel) channel = NULL;
  g_autoptr(SkShopifyTokenClient) pusher_client = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *url = NULL;
  g_autofree char *message = NULL;
  g_autofree char *scrubbed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkRateLimiter) limiter = sk_shopify_rate_limiter_new ();
  SendWait tested = { 0 };
  SendWait sent = { 0 };

  store = sk_store_open (path, &error);
  g_assert_no_error (error);
  sk_test_server_add_route (f->server, SHOP_TOKEN_PATH, NULL, NULL, 200, NULL, grant);
  sk_test_server_add_route (f->server, SK_TEST_SHOPIFY_SHOP_PATH, NULL, NULL, 200, NULL, shop);

  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Token Outfitters");
  record->account = g_strdup (ACCOUNT);
  record->base_url = g_strdup (sk_test_server_get_url (f->server));
  record->secret_ref = g_strdup ("test");
  sk_store_add_channel (store, record, &error);
  g_assert_no_error (error);
  channel = sk_channel_new_for_record (store, f->http, record, &error);
  g_assert_no_error (error);
  sk_channel_set_secret (channel, secret);

  sk_channel_test_connection_async (channel, NULL, on_tested, &tested);
  sk_test_wait_for (&tested.done, 10000);
  g_assert_no_error (tested.error);
  g_assert_cmpuint (sk_test_server_count_path (f->server, SHOP_TOKEN_PATH), ==, 1);

  /* What a pusher does for the same shop. */
  g_assert_true (sk_shopify_prepare_auth (f->http, record, secret, &pusher_client, &plain, &error));
  g_assert_no_error (error);
  g_assert_null (plain);
  g_assert_nonnull (pusher_client);
  g_assert_cmpint (sk_shopify_token_client_get_expires_at (pusher_client), ==, START_TIME + 86399);

  url = sk_shopify_record_api_url (record, "shop.json", NULL);
  sk_shopify_send_async (f->http, pusher_client, NULL, limiter, "GET", url, NULL, NULL,
                         on_sent, &sent);
  sk_test_wait_for (&sent.done, 10000);
  g_assert_no_error (sent.error);
  g_assert_cmpuint (sent.response->status, ==, 200);
  g_clear_pointer (&sent.response, sk_http_response_free);
  g_assert_cmpuint (sk_test_server_count_path (f->server, SHOP_TOKEN_PATH), ==, 1);

  /* The channel scrubs the shared client's token and secret. */
  message = g_strdup_printf ("echoed %s and %s", SHOP_TOKEN, SHOP_CLIENT_SECRET);
  scrubbed = _sk_channel_scrub_secret (channel, message);
  g_assert_null (strstr (scrubbed, SHOP_TOKEN));
  g_assert_null (strstr (scrubbed, SHOP_CLIENT_SECRET));

  g_clear_object (&channel);
  g_clear_object (&store);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add ("/token-client/single-flight", Fixture, NULL,
              fixture_setup, test_single_flight, fixture_teardown);
  g_test_add ("/token-client/refresh-before-expiry", Fixture, NULL,
              fixture_setup, test_refresh_before_expiry, fixture_teardown);
  g_test_add ("/token-client/shared-registry", Fixture, NULL,
              fixture_setup, test_shared_registry, fixture_teardown);
  g_test_add ("/token-client/shared-by-sync-and-push", Fixture, NULL,
              fixture_setup, test_shared_by_sync_and_push, fixture_teardown);

  return g_test_run ();
}
