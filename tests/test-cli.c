/* test-cli.c: the headless command line as a script would use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sk-amazon-channel.h"
#include "sk-csv-channel.h"
#include "sk-csv-mapping.h"
#include "sk-demo-shop.h"
#include "sk-lwa.h"
#include "sk-secrets.h"
#include "sk-store-channels.h"
#include "sk-test-server.h"
#include "sk-test-util.h"

/* Amazon's side, as in test-amazon-sync.c: Login with Amazon and getOrders
 * on one loopback server, with Amazon's own example payloads. */
#define SELLER "A2EXAMPLESELLER"
#define CLIENT_ID "amzn1.application-oa2-client.5f0c2a9d1e8b4c7a"
#define CLIENT_SECRET "amzn1.oa2-cs.v1.c0ffee5ecret0123456789abcdef"
#define REFRESH_TOKEN "Atzr|IwEBIrefresh-5f0c2a9d1e8b4c7aa1b2c3d4"
#define ACCESS_TOKEN "Atza|IwEBIaccess-one-0123456789"
#define LWA_PATH "/auth/o2/token"
#define AMAZON_ENV "SK_TEST_LWA_SECRET=" CLIENT_SECRET, "SK_TEST_LWA_REFRESH=" REFRESH_TOKEN
#define AMAZON_SECRET_OPTIONS "--client-secret-env=SK_TEST_LWA_SECRET", "--refresh-token-env=SK_TEST_LWA_REFRESH"

#define WOO_ENV "SK_TEST_WOO_KEY=" SK_DEMO_WOO_CONSUMER_KEY, "SK_TEST_WOO_SECRET=" SK_DEMO_WOO_CONSUMER_SECRET
#define WOO_KEY_OPTIONS "--key-env=SK_TEST_WOO_KEY", "--secret-env=SK_TEST_WOO_SECRET"

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Run the storekeep binary with @args (NULL-terminated), optionally with
 * @input on stdin and extra environment @env ("NAME=value" strings,
 * NULL-terminated; may be NULL). */
static void
run_storekeep (Run *run, const char *input, const char * const *env, const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *bin = g_getenv ("SK_STOREKEEP_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc))
    g_error ("storekeep was killed by signal %d; stderr: %s",
             g_subprocess_get_term_sig (proc), run->err);
  run->status = g_subprocess_get_exit_status (proc);
  if (run->status != 0)
    g_test_message ("exit %d, stderr: %s", run->status, run->err);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The channel of kind @kind in a "health --json" answer. */
static JsonObject *
health_of_kind (JsonNode *health, const char *kind)
{
  JsonArray *array = json_node_get_array (health);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *channel = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (channel, "kind"), kind))
        return channel;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_demo_then_query (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(JsonNode) orders = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autofree char *search = NULL;
  g_autofree char *shopify_only = NULL;
  g_autofree char *demo_out = NULL;
  g_autofree char *amazon_line = NULL;
  g_autofree char *total_line = NULL;
  JsonArray *array;
  JsonObject *first, *shopify, *woo, *amazon;
  gint64 amazon_orders;
  Run run = { 0 };

  /* The demo syncs the app's three demo channels and says what it stored
   * in each. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "demo", "--orders=300", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Demo Outfitters (shopify): stored 300 orders (0 put aside as invalid)."));
  g_assert_nonnull (strstr (run.out, SK_DEMO_WOO_SITE_NAME " (woocommerce): stored 300 orders (0 put aside as invalid)."));
  demo_out = g_strdup (run.out);
  run_clear (&run);

  /* Health: the three, synced, holding what the demo said. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "health", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  health = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (health)), ==, 3);
  shopify = health_of_kind (health, "shopify");
  woo = health_of_kind (health, "woocommerce");
  amazon = health_of_kind (health, "amazon");
  g_assert_cmpint (json_object_get_int_member (shopify, "orders"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (woo, "orders"), ==, 300);
  /* Amazon's first run reads the last 30 days of the seller's 100 */
  amazon_orders = json_object_get_int_member (amazon, "orders");
  g_assert_cmpint (amazon_orders, >, 0);
  g_assert_cmpint (amazon_orders, <=, 100);
  for (JsonObject *channel = shopify; channel != NULL;
       channel = channel == shopify ? woo : channel == woo ? amazon : NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (channel, "state"), ==, "ok");
      g_assert_false (json_object_get_null_member (channel, "last_success"));
      g_assert_cmpint (json_object_get_int_member (channel, "dead_letters"), ==, 0);
    }
  amazon_line = g_strdup_printf (SK_DEMO_AMAZON_SELLER_NAME " (amazon): stored %" G_GINT64_FORMAT " orders",
                                 amazon_orders);
  g_assert_nonnull (strstr (demo_out, amazon_line));
  total_line = g_strdup_printf ("Stored %" G_GINT64_FORMAT " orders from the demo shop.", 600 + amazon_orders);
  g_assert_nonnull (strstr (demo_out, total_line));
  run_clear (&run);

  /* Orders as JSON, newest first, with exact money as strings. */
  shopify_only = g_strdup_printf ("--channel=%" G_GINT64_FORMAT, json_object_get_int_member (shopify, "id"));
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", "--limit=5", shopify_only, NULL });
  g_assert_cmpint (run.status, ==, 0);
  orders = parse_json (run.out);
  array = json_node_get_array (orders);
  g_assert_cmpuint (json_array_get_length (array), ==, 5);
  first = json_array_get_object_element (array, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "number"), "#"));
  g_assert_nonnull (json_object_get_string_member (first, "total"));
  g_assert_cmpuint (strlen (json_object_get_string_member (first, "currency")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (first, "created_at"), >=,
                   json_object_get_string_member (json_array_get_object_element (array, 4), "created_at"));
  run_clear (&run);

  /* Search by the first order's number finds it. */
  search = g_strdup_printf ("--search=%s", json_object_get_string_member (first, "number") + 1);
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", search, NULL });
  g_assert_cmpint (run.status, ==, 0);
  found = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (found)), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found), 0), "number"),
                   ==, json_object_get_string_member (first, "number"));
  run_clear (&run);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_usage_errors (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  Run run = { 0 };

  run_storekeep (&run, NULL, NULL, (const char *[]) { "frobnicate", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "not a storekeep command"));
  run_clear (&run);

  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", "--limit=-1", NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", "--no-such-option", NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* Plain http to a host that is not loopback is refused before anything
   * is read or stored. */
  run_storekeep (&run, "token\n", NULL, (const char *[]) { profile, "channel", "add", "shopify",
                 "--domain=acme", "--base-url=http://example.com", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "https"));
  run_clear (&run);

  /* Sync with no channel says what to do. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "sync", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "channel add"));
  run_clear (&run);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_refused_token (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (3, 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  const char *secret = "shpat_wrong_token_must_not_leak_4242";
  g_autofree char *env = g_strdup_printf ("SK_TEST_TOKEN=%s", secret);
  Run run = { 0 };

  g_assert_true (sk_demo_shop_start (shop, &error));
  base_url = g_strdup_printf ("--base-url=%s", sk_demo_shop_get_base_url (shop));

  /* From the environment. */
  run_storekeep (&run, NULL, (const char *[]) { env, NULL }, (const char *[]) { profile, "channel", "add", "shopify",
                 "--domain=demo-outfitters", base_url, "--token-env=SK_TEST_TOKEN", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "refused the access token"));
  g_assert_null (strstr (run.err, secret));
  g_assert_null (strstr (run.out, secret));
  run_clear (&run);

  /* From standard input. */
  run_storekeep (&run, "shpat_wrong_again_4242\n", NULL, (const char *[]) { profile, "channel", "add", "shopify",
                 "--domain=demo-outfitters", base_url, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "refused the access token"));
  g_assert_null (strstr (run.err, "shpat_wrong_again_4242"));
  run_clear (&run);

  /* Nothing was saved. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "channel", "list", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  sk_demo_shop_stop (shop);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

/* What no output may ever show. */
static const char *secrets[] = {
  SK_DEMO_SHOP_TOKEN, SK_DEMO_WOO_CONSUMER_KEY, SK_DEMO_WOO_CONSUMER_SECRET,
  "ck_wrong_key_0000", "cs_wrong_secret_4242", CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN,
  "Atzr|revoked-9999",
};

static void
assert_no_secrets (const Run *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      /* Without the output: it would put the secret in the test log. */
      if (run->out != NULL && strstr (run->out, secrets[i]) != NULL)
        g_error ("stdout shows secret %u of the list", i);
      if (run->err != NULL && strstr (run->err, secrets[i]) != NULL)
        g_error ("stderr shows secret %u of the list", i);
    }
}

/* The channel id printed on stdout by "channel add". */
static gint64
added_id (const Run *run)
{
  char *end = NULL;
  gint64 id = g_ascii_strtoll (run->out, &end, 10);

  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (end, ==, "\n");
  return id;
}

/* "channel list --json" */
static JsonNode *
list_channels (const char *profile)
{
  Run run = { 0 };
  JsonNode *list;

  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "channel", "list", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  list = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  run_clear (&run);
  return list;
}

static guint
count_channels (const char *profile)
{
  g_autoptr(JsonNode) list = list_channels (profile);

  return json_array_get_length (json_node_get_array (list));
}

/* The stored record of channel @id, read from the profile's database
 * (no storekeep process runs meanwhile). */
static SkChannelRecord *
stored_channel (const char *dir, gint64 id)
{
  g_autofree char *path = g_build_filename (dir, "storekeep.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = sk_store_open (path, &error);
  SkChannelRecord *record;

  g_assert_no_error (error);
  record = sk_store_get_channel (store, id, &error);
  g_assert_no_error (error);
  sk_store_close (store);
  return record;
}

static void
assert_stored_secret (const char *dir, gint64 id, const char *expected)
{
  g_autoptr(SkChannelRecord) record = stored_channel (dir, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = sk_secrets_lookup (record, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static SkTestServer *
amazon_server_new (void)
{
  SkTestServer *server = sk_test_server_new ();
  g_autoptr(GBytes) lwa = text_bytes ("{\"access_token\":\"" ACCESS_TOKEN "\",\"refresh_token\":\""
                                      REFRESH_TOKEN "\",\"token_type\":\"bearer\",\"expires_in\":3600}");
  g_autoptr(GBytes) orders = sk_test_load_fixture ("orders/amazon/getOrders.json");

  sk_test_server_add_route (server, LWA_PATH, NULL, NULL, 200, NULL, lwa);
  sk_test_server_add_route (server, SK_AMAZON_ORDERS_PATH, NULL, NULL, 200, NULL, orders);
  return server;
}

static void
test_woo_add (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (5, 12);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *site = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autofree char *channel_option = NULL;
  JsonObject *channel;
  gint64 id;
  Run run = { 0 };

  g_assert_true (sk_demo_shop_start (shop, &error));
  base_url = g_strdup_printf ("--base-url=%s", sk_demo_shop_get_base_url (shop));
  site = g_strdup_printf ("--site=https://%s/wp-admin/", SK_DEMO_WOO_SITE);

  /* Keys from the environment; the connection is tested, then saved. */
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", site, base_url, WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 0);
  id = added_id (&run);
  g_assert_nonnull (strstr (run.err, SK_DEMO_WOO_SITE));
  assert_no_secrets (&run);
  run_clear (&run);

  list = list_channels (profile);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  channel = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpint (json_object_get_int_member (channel, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (channel, "kind"), ==, "woocommerce");
  g_assert_cmpstr (json_object_get_string_member (channel, "account"), ==, SK_DEMO_WOO_SITE);
  g_assert_cmpstr (json_object_get_string_member (channel, "name"), ==, SK_DEMO_WOO_SITE_NAME);
  g_assert_cmpstr (json_object_get_string_member (channel, "base_url"), ==, sk_demo_shop_get_base_url (shop));

  /* The record and the keyring hold what the dialog stores. */
  record = stored_channel (dir, id);
  g_assert_cmpstr (record->settings, ==, "{}");
  g_assert_nonnull (record->secret_ref);
  g_assert_null (strstr (record->settings, SK_DEMO_WOO_CONSUMER_SECRET));
  assert_stored_secret (dir, id, SK_DEMO_WOO_SECRET);

  /* The stored keys work for a sync (the secret comes from the keyring). */
  channel_option = g_strdup_printf ("--channel=%" G_GINT64_FORMAT, id);
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "sync", channel_option, NULL });
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secrets (&run);
  run_clear (&run);
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "health", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  health = parse_json (run.out);
  channel = json_array_get_object_element (json_node_get_array (health), 0);
  g_assert_cmpint (json_object_get_int_member (channel, "orders"), ==, 12);
  run_clear (&run);

  /* Keys on standard input, key first, then secret: the same shop, so the
   * channel is updated, not doubled; the name given replaces the old. */
  run_storekeep (&run, SK_DEMO_WOO_CONSUMER_KEY "\n" SK_DEMO_WOO_CONSUMER_SECRET "\n", NULL,
                 (const char *[]) { profile, "channel", "add", "woocommerce", site, base_url,
                                    "--name=Alpine Loom Shop", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (added_id (&run), ==, id);
  g_assert_nonnull (strstr (run.err, "Updated"));
  assert_no_secrets (&run);
  run_clear (&run);
  g_clear_pointer (&list, json_node_unref);
  list = list_channels (profile);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  channel = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (channel, "name"), ==, "Alpine Loom Shop");

  sk_demo_shop_stop (shop);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_woo_wrong_key (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (5, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  gint64 id;
  Run run = { 0 };

  g_assert_true (sk_demo_shop_start (shop, &error));
  base_url = g_strdup_printf ("--base-url=%s", sk_demo_shop_get_base_url (shop));

  run_storekeep (&run, NULL, (const char *[]) { "SK_TEST_WOO_KEY=ck_wrong_key_0000", "SK_TEST_WOO_SECRET=cs_wrong_secret_4242", NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=" SK_DEMO_WOO_SITE,
                                    base_url, WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "refused the consumer key and secret"));
  g_assert_cmpstr (run.out, ==, "");
  assert_no_secrets (&run);
  run_clear (&run);
  g_assert_cmpuint (count_channels (profile), ==, 0);

  /* A variable that is not set is a usage error that names it. */
  run_storekeep (&run, NULL, (const char *[]) { "SK_TEST_WOO_KEY=ck_wrong_key_0000", NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=" SK_DEMO_WOO_SITE,
                                    base_url, WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "SK_TEST_WOO_SECRET"));
  assert_no_secrets (&run);
  run_clear (&run);

  /* Connected with good keys, then re-added with wrong ones: refused, and
   * the stored keys stay. */
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=" SK_DEMO_WOO_SITE,
                                    base_url, WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 0);
  id = added_id (&run);
  run_clear (&run);
  run_storekeep (&run, "ck_wrong_key_0000\ncs_wrong_secret_4242\n", NULL,
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=" SK_DEMO_WOO_SITE,
                                    base_url, "--name=Renamed", NULL });
  g_assert_cmpint (run.status, ==, 1);
  assert_no_secrets (&run);
  run_clear (&run);
  assert_stored_secret (dir, id, SK_DEMO_WOO_SECRET);
  {
    g_autoptr(SkChannelRecord) record = stored_channel (dir, id);

    g_assert_cmpstr (record->name, ==, SK_DEMO_WOO_SITE_NAME);
  }

  /* --no-test saves without asking the shop. */
  {
    guint requests = sk_demo_shop_get_request_count (shop);

    run_storekeep (&run, "ck_wrong_key_0000\ncs_wrong_secret_4242\n", NULL,
                   (const char *[]) { profile, "channel", "add", "woocommerce", "--site=other-shop.example",
                                      base_url, "--no-test", NULL });
    g_assert_cmpint (run.status, ==, 0);
    assert_no_secrets (&run);
    run_clear (&run);
    g_assert_cmpuint (sk_demo_shop_get_request_count (shop), ==, requests);
    g_assert_cmpuint (count_channels (profile), ==, 2);
  }

  sk_demo_shop_stop (shop);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_amazon_add (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkTestServer) server = amazon_server_new ();
  g_autofree char *base_url = g_strdup_printf ("--base-url=%s/", sk_test_server_get_url (server));
  g_autofree char *lwa_url = g_strdup_printf ("--lwa-url=%s" LWA_PATH, sk_test_server_get_url (server));
  g_autofree char *lwa_stored = g_strdup_printf ("%s" LWA_PATH, sk_test_server_get_url (server));
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(SkTestRequest) orders_request = NULL;
  g_autoptr(JsonNode) settings = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *secret = NULL;
  SkLwaCredentials credentials = { CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN };
  JsonObject *object;
  JsonArray *marketplaces;
  JsonObject *channel;
  gint64 id;
  Run run = { 0 };

  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER, a2euq1wtgctbg2,ATVPDKIKX0DER", "--region=na",
                                    "--client-id=" CLIENT_ID, AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 0);
  id = added_id (&run);
  assert_no_secrets (&run);
  run_clear (&run);

  /* The test asked Login with Amazon for a token, then getOrders with it. */
  g_assert_cmpuint (sk_test_server_count_path (server, LWA_PATH), ==, 1);
  g_assert_cmpuint (sk_test_server_count_path (server, SK_AMAZON_ORDERS_PATH), ==, 1);
  orders_request = sk_test_server_dup_request (server, 1);
  g_assert_cmpstr (orders_request->path, ==, SK_AMAZON_ORDERS_PATH);
  g_assert_cmpstr (soup_message_headers_get_one (orders_request->headers, "x-amz-access-token"), ==, ACCESS_TOKEN);

  /* Settings as sk-amazon-channel.h documents them. */
  record = stored_channel (dir, id);
  g_assert_cmpstr (record->kind, ==, "amazon");
  g_assert_cmpstr (record->account, ==, SELLER);
  g_assert_cmpstr (record->name, ==, "Amazon");
  g_assert_cmpstr (record->base_url, ==, sk_test_server_get_url (server));
  settings = parse_json (record->settings);
  object = json_node_get_object (settings);
  marketplaces = json_object_get_array_member (object, "marketplace_ids");
  g_assert_cmpuint (json_array_get_length (marketplaces), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (marketplaces, 0), ==, "ATVPDKIKX0DER");
  g_assert_cmpstr (json_array_get_string_element (marketplaces, 1), ==, "A2EUQ1WTGCTBG2");
  g_assert_cmpstr (json_object_get_string_member (object, "region"), ==, "na");
  g_assert_cmpstr (json_object_get_string_member (object, "lwa_url"), ==, lwa_stored);
  secret = sk_lwa_credentials_to_secret (&credentials);
  assert_stored_secret (dir, id, secret);

  /* Again with one marketplace and the secrets on standard input:
   * updated, not doubled. */
  run_storekeep (&run, CLIENT_SECRET "\n" REFRESH_TOKEN "\n", NULL,
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=a2exampleseller",
                                    "--marketplace=A2EUQ1WTGCTBG2", "--client-id=" CLIENT_ID,
                                    "--name=Amazon US", base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (added_id (&run), ==, id);
  assert_no_secrets (&run);
  run_clear (&run);
  g_clear_pointer (&record, sk_channel_record_free);
  g_clear_pointer (&settings, json_node_unref);
  record = stored_channel (dir, id);
  settings = parse_json (record->settings);
  object = json_node_get_object (settings);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "marketplace_ids")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "lwa_url"), ==, lwa_stored);
  g_assert_cmpuint (sk_test_server_count_path (server, LWA_PATH), ==, 2);
  g_assert_cmpstr (record->name, ==, "Amazon US");

  /* The same seller ID in another region would overwrite this channel's
   * marketplaces and credentials: refused, nothing changed. */
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=A1PA6795UKMFR9", "--client-id=" CLIENT_ID,
                                    AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "another Amazon region"));
  assert_no_secrets (&run);
  run_clear (&run);
  g_clear_pointer (&record, sk_channel_record_free);
  g_clear_pointer (&settings, json_node_unref);
  record = stored_channel (dir, id);
  settings = parse_json (record->settings);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (settings), "region"), ==, "na");
  g_assert_cmpuint (sk_test_server_count_path (server, LWA_PATH), ==, 2);

  list = list_channels (profile);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  channel = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (channel, "kind"), ==, "amazon");
  g_assert_cmpstr (json_object_get_string_member (channel, "account"), ==, SELLER);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_amazon_refused (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkTestServer) server = amazon_server_new ();
  g_autofree char *base_url = g_strdup_printf ("--base-url=%s", sk_test_server_get_url (server));
  g_autofree char *lwa_url = g_strdup_printf ("--lwa-url=%s" LWA_PATH, sk_test_server_get_url (server));
  g_autoptr(GBytes) refusal = text_bytes ("{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}");
  SkTestFault fault = { .status = 400, .body = refusal };
  const char *bad[][2] = {
    { "--marketplace=XX123", "XX123" },                          /* unknown */
    { "--marketplace=ATVPDKIKX0DER,A1PA6795UKMFR9", "regions" },  /* .com and .de */
    { "--marketplace=", "--marketplace" },                       /* none */
  };
  Run run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                     (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER, bad[i][0],
                                        "--client-id=" CLIENT_ID, AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, bad[i][1]));
      run_clear (&run);
    }

  /* A region that is not the marketplace's, or no region at all. */
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--region=eu",
                                    "--client-id=" CLIENT_ID, AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--region=moon",
                                    "--client-id=" CLIENT_ID, AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* Plain http to a host that is not loopback, for the API or the token. */
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--client-id=" CLIENT_ID,
                                    AMAZON_SECRET_OPTIONS, "--base-url=http://sellingpartnerapi-na.amazon.com", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "https"));
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--client-id=" CLIENT_ID,
                                    AMAZON_SECRET_OPTIONS, base_url, "--lwa-url=http://api.amazon.com" LWA_PATH, NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* None of these reached the server. */
  g_assert_cmpuint (sk_test_server_get_n_requests (server), ==, 0);

  /* Amazon refuses the refresh token: its sentence, nothing saved. */
  sk_test_server_push_fault (server, &fault);
  run_storekeep (&run, NULL, (const char *[]) { "SK_TEST_LWA_SECRET=" CLIENT_SECRET, "SK_TEST_LWA_REFRESH=Atzr|revoked-9999", NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--client-id=" CLIENT_ID,
                                    AMAZON_SECRET_OPTIONS, base_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Amazon refused the authorization for seller " SELLER));
  assert_no_secrets (&run);
  run_clear (&run);
  g_assert_cmpuint (count_channels (profile), ==, 0);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_insecure_urls (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  Run run = { 0 };

  /* http:// is refused for a site that is not this computer… */
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=http://shop.example.com",
                                    WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "https"));
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=shop.example.com",
                                    "--base-url=http://192.0.2.7/shop", WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* …and unknown kinds, missing kinds and stray words are usage errors. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "channel", "add", "etsy", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "woocommerce"));
  run_clear (&run);
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "channel", "add", "--domain=acme", NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=shop.example.com",
                                    WOO_KEY_OPTIONS, "extra", NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* Each kind's --help names its own options. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { "channel", "add", "amazon", "--help", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--marketplace"));
  g_assert_nonnull (strstr (run.out, "--refresh-token-env"));
  g_assert_nonnull (strstr (run.out, "--no-test"));
  g_assert_null (strstr (run.out, "--domain"));
  run_clear (&run);

  g_assert_cmpuint (count_channels (profile), ==, 0);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_list_all_kinds (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (7, 3);
  g_autoptr(SkTestServer) server = amazon_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_url = NULL;
  g_autofree char *amazon_url = g_strdup_printf ("--base-url=%s", sk_test_server_get_url (server));
  g_autofree char *lwa_url = g_strdup_printf ("--lwa-url=%s" LWA_PATH, sk_test_server_get_url (server));
  g_autoptr(JsonNode) list = NULL;
  g_auto(GStrv) lines = NULL;
  const char *expected[][2] = {
    { "shopify", "demo-outfitters.myshopify.com" },
    { "woocommerce", SK_DEMO_WOO_SITE },
    { "amazon", SELLER },
  };
  Run run = { 0 };

  g_assert_true (sk_demo_shop_start (shop, &error));
  demo_url = g_strdup_printf ("--base-url=%s", sk_demo_shop_get_base_url (shop));

  run_storekeep (&run, SK_DEMO_SHOP_TOKEN "\n", NULL,
                 (const char *[]) { profile, "channel", "add", "shopify", "--domain=demo-outfitters", demo_url, NULL });
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secrets (&run);
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { WOO_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "woocommerce", "--site=" SK_DEMO_WOO_SITE, demo_url,
                                    WOO_KEY_OPTIONS, NULL });
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_storekeep (&run, NULL, (const char *[]) { AMAZON_ENV, NULL },
                 (const char *[]) { profile, "channel", "add", "amazon", "--seller-id=" SELLER,
                                    "--marketplace=ATVPDKIKX0DER", "--client-id=" CLIENT_ID,
                                    AMAZON_SECRET_OPTIONS, amazon_url, lwa_url, NULL });
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* Shopify again, with the token in a variable: still three channels. */
  run_storekeep (&run, NULL, (const char *[]) { "SK_TEST_TOKEN=" SK_DEMO_SHOP_TOKEN, NULL },
                 (const char *[]) { profile, "channel", "add", "shopify", "--domain=demo-outfitters.myshopify.com",
                                    demo_url, "--token-env=SK_TEST_TOKEN", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Updated"));
  run_clear (&run);

  /* Text: id, kind, account, name. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "channel", "list", NULL });
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), >=, 4);
      g_assert_cmpstr (fields[1], ==, expected[i][0]);
      g_assert_cmpstr (fields[2], ==, expected[i][1]);
    }
  run_clear (&run);

  list = list_channels (profile);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *channel = json_array_get_object_element (json_node_get_array (list), i);

      g_assert_cmpstr (json_object_get_string_member (channel, "kind"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (channel, "account"), ==, expected[i][1]);
      g_assert_false (json_object_get_boolean_member (channel, "paused"));
    }

  sk_demo_shop_stop (shop);
  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A CSV source as the app leaves it after the first import of
 * pos-export-en.csv: its mapping saved (the guess, times in UTC). */
static gint64
add_csv_source (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, "storekeep.db", NULL);
  g_autofree char *csv = sk_test_fixture_path ("csv/pos-export-en.csv");
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(SkCsvMapping) mapping = NULL;
  g_autoptr(SkChannelRecord) record = sk_csv_channel_record_new (name);
  g_autofree char *settings = NULL;

  table = sk_csv_table_read_sync (file, 0, NULL, &error);
  g_assert_no_error (error);
  mapping = sk_csv_mapping_guess (table);
  sk_csv_mapping_set_timezone (mapping, "UTC");
  settings = sk_csv_mapping_save (mapping, table, record->settings);
  g_free (record->settings);
  record->settings = g_steal_pointer (&settings);

  store = sk_store_open (path, &error);
  g_assert_no_error (error);
  sk_store_add_channel (store, record, &error);
  g_assert_no_error (error);
  sk_store_close (store);
  return record->id;
}

static void
assert_csv_report (const Run *run, guint inserted, guint unchanged)
{
  g_autoptr(JsonNode) report = parse_json (run->out);
  JsonObject *object = json_node_get_object (report);
  JsonArray *errors = json_object_get_array_member (object, "errors");
  const guint lines[] = { 7, 8, 9 };

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (object, "inserted"), ==, inserted);
  g_assert_cmpint (json_object_get_int_member (object, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "unchanged"), ==, unchanged);
  g_assert_cmpint (json_object_get_int_member (object, "bad_rows"), ==, 3);
  g_assert_cmpuint (json_array_get_length (errors), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      JsonObject *e = json_array_get_object_element (errors, i);
      g_autofree char *line = g_strdup_printf ("Line %u: ", lines[i]);

      g_assert_cmpint (json_object_get_int_member (e, "line"), ==, lines[i]);
      g_assert_nonnull (json_object_get_string_member (e, "message"));
      /* People read the same on stderr. */
      g_assert_nonnull (strstr (run->err, line));
    }
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (errors, 1), "message"),
                            "“abc” is not an amount"));
}

static guint
count_orders (const char *profile, gint64 channel_id)
{
  g_autofree char *channel = g_strdup_printf ("--channel=%" G_GINT64_FORMAT, channel_id);
  g_autoptr(JsonNode) orders = NULL;
  Run run = { 0 };
  guint n;

  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", channel, "--limit=0", NULL });
  g_assert_cmpint (run.status, ==, 0);
  orders = parse_json (run.out);
  n = json_array_get_length (json_node_get_array (orders));
  run_clear (&run);
  return n;
}

static void
test_import_csv (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autofree char *csv = sk_test_fixture_path ("csv/pos-export-en.csv");
  gint64 id = add_csv_source (dir, "Shop Counter (POS)");
  Run run = { 0 };

  /* The good orders go in, the bad rows are listed by line, exit 1. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv,
                 "--source=Shop Counter (POS)", "--json", NULL });
  assert_csv_report (&run, 4, 0);
  g_assert_nonnull (strstr (run.err, "4 new orders imported"));
  run_clear (&run);
  g_assert_cmpuint (count_orders (profile, id), ==, 4);

  /* Again (the source named another way): nothing is imported twice. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv,
                 "--source=shop counter (pos)", "--json", NULL });
  assert_csv_report (&run, 0, 4);
  run_clear (&run);
  g_assert_cmpuint (count_orders (profile, id), ==, 4);

  /* Without --json: the report on stderr only. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv,
                 "--source=Shop Counter (POS)", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "0 new orders imported, 4 already up to date, 3 rows with errors."));
  g_assert_nonnull (strstr (run.err, "Line 9: "));
  run_clear (&run);

  /* A file with only good rows: exit 0. */
  {
    g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) rows = NULL;
    g_autoptr(GString) kept = g_string_new (NULL);

    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    rows = g_strsplit (text, "\n", -1);
    /* The header and the first order (line 2). */
    g_string_append_printf (kept, "%s\n%s\n", rows[0], rows[1]);
    g_assert_true (g_file_set_contents (good, kept->str, -1, NULL));
    run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", good,
                   "--source=Shop Counter (POS)", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.err, "1 already up to date"));
    run_clear (&run);
  }

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_import_csv_without_mapping (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autofree char *csv = sk_test_fixture_path ("csv/pos-export-en.csv");
  g_autofree char *mapping_path = g_build_filename (dir, "mapping.json", NULL);
  g_autofree char *mapping_option = g_strdup_printf ("--mapping=%s", mapping_path);
  g_autoptr(JsonNode) list = NULL;
  JsonObject *channel;
  Run run = { 0 };

  /* No such source: a sentence that says how to make one. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv, "--source=Market Stall", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "choose which column holds what"));
  run_clear (&run);
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv, NULL });
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  g_assert_cmpuint (count_channels (profile), ==, 0);

  /* A mapping file in the saved form: imported, and kept for the source. */
  g_assert_true (g_file_set_contents (mapping_path,
                                      "{\"decimal\": \".\", \"timezone\": \"UTC\", \"columns\": {"
                                      "\"order_id\": \"Receipt Number\", \"date\": \"Date\","
                                      " \"sku\": \"SKU\", \"title\": \"Item\", \"quantity\": \"Qty\","
                                      " \"unit_price\": \"Price\", \"total\": \"Total\","
                                      " \"currency\": \"Currency\"}}", -1, NULL));
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv, "--source=Market Stall",
                 mapping_option, "--json", NULL });
  assert_csv_report (&run, 4, 0);
  run_clear (&run);

  list = list_channels (profile);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  channel = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (channel, "kind"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (channel, "name"), ==, "Market Stall");
  g_assert_cmpstr (json_object_get_string_member (channel, "account"), ==, "market-stall");

  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "import", "csv", csv, "--source=Market Stall", "--json", NULL });
  assert_csv_report (&run, 0, 4);
  run_clear (&run);

  sk_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/cli/demo-then-query", test_demo_then_query);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/refused-token", test_refused_token);
  g_test_add_func ("/cli/channel/woocommerce/add", test_woo_add);
  g_test_add_func ("/cli/channel/woocommerce/wrong-key", test_woo_wrong_key);
  g_test_add_func ("/cli/channel/amazon/add", test_amazon_add);
  g_test_add_func ("/cli/channel/amazon/refused", test_amazon_refused);
  g_test_add_func ("/cli/channel/insecure-and-usage", test_insecure_urls);
  g_test_add_func ("/cli/channel/list-all-kinds", test_list_all_kinds);
  g_test_add_func ("/cli/import/csv", test_import_csv);
  g_test_add_func ("/cli/import/csv-without-mapping", test_import_csv_without_mapping);

  return g_test_run ();
}
