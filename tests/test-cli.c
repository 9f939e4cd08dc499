/* test-cli.c: the headless command line as a script would use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sk-demo-shop.h"
#include "sk-test-util.h"

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
 * @input on stdin and extra environment @env ("NAME=value", may be NULL). */
static void
run_storekeep (Run *run, const char *input, const char *env_var, const char * const *args)
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
  if (env_var != NULL)
    {
      g_auto(GStrv) kv = g_strsplit (env_var, "=", 2);

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

static void
test_demo_then_query (void)
{
  g_autofree char *dir = sk_test_tmpdir_new ();
  g_autofree char *profile = g_strdup_printf ("--profile=%s", dir);
  g_autoptr(JsonNode) orders = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autofree char *search = NULL;
  JsonArray *array;
  JsonObject *first, *channel;
  Run run = { 0 };

  /* The demo syncs and says what it stored. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "demo", "--orders=300", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Stored 300 orders"));
  run_clear (&run);

  /* Orders as JSON, newest first, with exact money as strings. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "orders", "--limit=5", NULL });
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

  /* Health of the one channel. */
  run_storekeep (&run, NULL, NULL, (const char *[]) { profile, "health", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  health = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (health)), ==, 1);
  channel = json_array_get_object_element (json_node_get_array (health), 0);
  g_assert_cmpstr (json_object_get_string_member (channel, "state"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (channel, "orders"), ==, 300);
  g_assert_false (json_object_get_null_member (channel, "last_success"));
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
  run_storekeep (&run, NULL, env, (const char *[]) { profile, "channel", "add", "shopify",
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

int
main (int argc, char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/cli/demo-then-query", test_demo_then_query);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/refused-token", test_refused_token);

  return g_test_run ();
}
