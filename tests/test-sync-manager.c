/* test-sync-manager.c: adaptive polling, independence of channels, problems
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two Shopify channels, each against its own loopback server serving the
 * real order payloads of tests/fixtures/orders/shopify/. Secrets come from
 * an injected lookup function, not from a keyring.
 */
#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-sync-manager.h"
#include "sk-test-server.h"
#include "sk-test-util.h"

#define TOKEN "shpat_test_0a1b2c3d4e5f60718293a4b5c6d7e8f9"

typedef struct {
  gint64 channel_id;
  int code;
  gboolean needs_user;
} Failure;

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkSyncManager *manager;

  SkTestServer *server[2];
  SkChannelRecord *record[2];
  GPtrArray *routes[2];

  /* Secrets: what the lookup answers per channel. */
  GMutex lock;
  char *token[2];
  gboolean missing[2];
  guint lookups[2];

  /* Signals seen. */
  GArray *failures;      /* Failure */
  GArray *recovered;     /* gint64 */
  GArray *finished;      /* gint64 */
  GArray *letters;       /* guint, per emission */
  gint64 finished_at_us[2];
} Fixture;

static int
index_of (Fixture *f, gint64 channel_id)
{
  for (int i = 0; i < 2; i++)
    if (f->record[i]->id == channel_id)
      return i;
  g_assert_not_reached ();
  return -1;
}

static char *
lookup (const SkChannelRecord *record, gpointer data, GError **error)
{
  Fixture *f = data;
  char *secret = NULL;
  int i;

  /* On a worker thread. */
  g_mutex_lock (&f->lock);
  i = index_of (f, record->id);
  f->lookups[i]++;
  if (f->missing[i])
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                 "The keyring that holds the access token of %s is locked. Unlock it, then sync again.",
                 record->account);
  else
    secret = g_strdup (f->token[i]);
  g_mutex_unlock (&f->lock);
  return secret;
}

static void
set_token (Fixture *f, int i, const char *token)
{
  g_mutex_lock (&f->lock);
  g_free (f->token[i]);
  f->token[i] = g_strdup (token);
  g_mutex_unlock (&f->lock);
}

static guint
get_lookups (Fixture *f, int i)
{
  guint n;

  g_mutex_lock (&f->lock);
  n = f->lookups[i];
  g_mutex_unlock (&f->lock);
  return n;
}

static void
on_channel_failed (SkSyncManager *manager, SkChannel *channel, GError *error,
                   gboolean needs_user, Fixture *f)
{
  Failure failure = { sk_channel_get_id (channel), error->code, needs_user };

  g_assert_true (error->domain == SK_SYNC_ERROR);
  g_assert_null (strstr (error->message, TOKEN));
  g_array_append_val (f->failures, failure);
}

static void
on_channel_recovered (SkSyncManager *manager, SkChannel *channel, Fixture *f)
{
  gint64 id = sk_channel_get_id (channel);

  g_array_append_val (f->recovered, id);
}

static void
on_dead_letters (SkSyncManager *manager, SkChannel *channel, guint n, Fixture *f)
{
  g_array_append_val (f->letters, n);
}

static void
on_sync_finished (SkSyncManager *manager, SkChannel *channel, SkSyncSummary *summary,
                  Fixture *f)
{
  gint64 id = sk_channel_get_id (channel);

  g_assert_nonnull (summary);
  g_array_append_val (f->finished, id);
  f->finished_at_us[index_of (f, id)] = g_get_monotonic_time ();
}

static void
serve_real (Fixture *f, int i)
{
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();

  g_clear_pointer (&f->routes[i], g_ptr_array_unref);
  f->routes[i] = sk_test_server_serve_shopify_orders (f->server[i], f->record[i]->account,
                                                      orders, 1);
}

/* Newer orders than the real ones: a run that brings something. */
static void
serve_new (Fixture *f, int i, guint n)
{
  g_autoptr(GPtrArray) templates = sk_test_shopify_real_orders ();
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint k = 0; k < n; k++)
    {
      g_autofree char *updated = g_strdup_printf ("2024-11-0%uT10:00:00Z", k + 1);

      g_ptr_array_add (orders, sk_test_shopify_clone_order (g_ptr_array_index (templates, k % 3),
                                                            7000000000 + k, 3000 + k, updated));
    }
  sk_test_server_reset (f->server[i]);
  sk_test_server_require_header (f->server[i], "X-Shopify-Access-Token", TOKEN);
  g_clear_pointer (&f->routes[i], g_ptr_array_unref);
  f->routes[i] = sk_test_server_serve_shopify_orders (f->server[i], f->record[i]->account,
                                                      orders, 2);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 2, 5 * 1000, G_USEC_PER_SEC };
  const char *accounts[] = { "alpha-outfitters.myshopify.com", "beta-goods.myshopify.com" };
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&f->lock);
  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  for (int i = 0; i < 2; i++)
    {
      f->server[i] = sk_test_server_new ();
      sk_test_server_require_header (f->server[i], "X-Shopify-Access-Token", TOKEN);
      f->token[i] = g_strdup (TOKEN);

      f->record[i] = sk_channel_record_new ();
      f->record[i]->kind = g_strdup ("shopify");
      f->record[i]->name = g_strdup_printf ("Shop %c (Shopify)", 'A' + i);
      f->record[i]->account = g_strdup (accounts[i]);
      f->record[i]->base_url = g_strdup (sk_test_server_get_url (f->server[i]));
      f->record[i]->secret_ref = g_strdup_printf ("ref-%d", i);
      sk_store_add_channel (f->store, f->record[i], &error);
      g_assert_no_error (error);
      serve_real (f, i);
    }

  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &policy);
  f->manager = sk_sync_manager_new (f->store, f->http);
  sk_sync_manager_set_secret_lookup (f->manager, lookup, f, NULL);

  f->failures = g_array_new (FALSE, FALSE, sizeof (Failure));
  f->recovered = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->finished = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->letters = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->manager, "channel-failed", G_CALLBACK (on_channel_failed), f);
  g_signal_connect (f->manager, "channel-recovered", G_CALLBACK (on_channel_recovered), f);
  g_signal_connect (f->manager, "dead-letters", G_CALLBACK (on_dead_letters), f);
  g_signal_connect (f->manager, "sync-finished", G_CALLBACK (on_sync_finished), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  sk_sync_manager_cancel_all (f->manager);
  g_clear_object (&f->manager);
  g_clear_object (&f->http);
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&f->server[i], sk_test_server_free);
      g_clear_pointer (&f->record[i], sk_channel_record_free);
      g_clear_pointer (&f->routes[i], g_ptr_array_unref);
      g_free (f->token[i]);
    }
  sk_store_close (f->store);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (g_steal_pointer (&f->tmpdir));
  g_array_unref (f->failures);
  g_array_unref (f->recovered);
  g_array_unref (f->finished);
  g_array_unref (f->letters);
  g_mutex_clear (&f->lock);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} NowResult;

static void
on_sync_now (GObject *source, GAsyncResult *result, gpointer data)
{
  NowResult *r = data;

  r->ok = sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &r->error);
  r->done = TRUE;
}

static void
sync_now (Fixture *f, gint64 channel_id)
{
  NowResult r = { 0 };

  sk_sync_manager_sync_now_async (f->manager, channel_id, NULL, on_sync_now, &r);
  sk_test_wait_for (&r.done, 60000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static SkChannel *
channel (Fixture *f, int i)
{
  SkChannel *c = sk_sync_manager_find_channel (f->manager, f->record[i]->id);

  g_assert_nonnull (c);
  return c;
}

static guint
interval (Fixture *f, int i)
{
  return sk_sync_manager_get_interval (f->manager, channel (f, i));
}

static gint64
count_orders (Fixture *f, int i)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sk_store_count_orders (f->store, f->record[i]->id, &error);

  g_assert_no_error (error);
  return n;
}

static gboolean
problem_open (Fixture *f, const char *kind, int i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = sk_store_list_problems (f->store, &error);
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, f->record[i]->id);

  g_assert_no_error (error);
  for (guint k = 0; k < problems->len; k++)
    {
      SkProblem *problem = g_ptr_array_index (problems, k);

      if (g_strcmp0 (problem->dedup_key, key) == 0)
        {
          g_assert_cmpstr (problem->kind, ==, kind);
          g_assert_cmpint (problem->channel_id, ==, f->record[i]->id);
          g_assert_nonnull (problem->message);
          g_assert_null (strstr (problem->message, TOKEN));
          return TRUE;
        }
    }
  return FALSE;
}

/* Tests */

static void
test_model (Fixture *f, gconstpointer data)
{
  GListModel *model = sk_sync_manager_get_channels (f->manager);
  g_autoptr(SkChannelRecord) third = sk_channel_record_copy (f->record[0]);
  g_autoptr(SkChannelRecord) paused = sk_channel_record_copy (f->record[1]);
  g_autoptr(GError) error = NULL;
  SkChannel *b;

  g_assert_true (g_list_model_get_item_type (model) == SK_TYPE_CHANNEL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (sk_channel_get_kind (channel (f, 0)), ==, "shopify");
  g_assert_cmpstr (sk_channel_get_name (channel (f, 1)), ==, "Shop B (Shopify)");
  g_assert_null (sk_sync_manager_find_channel (f->manager, 9999));
  g_assert_true (sk_sync_manager_get_store (f->manager) == f->store);
  g_assert_true (sk_sync_manager_get_http (f->manager) == f->http);
  b = channel (f, 1);

  third->id = 0;
  g_free (third->account);
  third->account = g_strdup ("gamma-supply.myshopify.com");
  sk_store_add_channel (f->store, third, &error);
  g_assert_no_error (error);
  sk_sync_manager_reload (f->manager);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_nonnull (sk_sync_manager_find_channel (f->manager, third->id));

  sk_store_remove_channel (f->store, third->id, FALSE, &error);
  g_assert_no_error (error);
  sk_sync_manager_reload (f->manager);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_null (sk_sync_manager_find_channel (f->manager, third->id));

  /* An edit keeps the object and updates it. */
  paused->paused = TRUE;
  sk_store_update_channel (f->store, paused, &error);
  g_assert_no_error (error);
  sk_sync_manager_reload (f->manager);
  g_assert_true (channel (f, 1) == b);
  g_assert_true (sk_channel_get_record (b)->paused);
  g_assert_cmpint (sk_channel_get_state (b), ==, SK_CHANNEL_STATE_PAUSED);
}

static void
test_sync_now_all_and_intervals (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (interval (f, 0), ==, SK_SYNC_MIN_INTERVAL);

  sync_now (f, 0);
  g_assert_cmpuint (f->finished->len, ==, 2);
  g_assert_cmpuint (f->failures->len, ==, 0);
  g_assert_cmpint (count_orders (f, 0), ==, 3);
  g_assert_cmpint (count_orders (f, 1), ==, 3);
  g_assert_cmpuint (get_lookups (f, 0), ==, 1);
  g_assert_cmpuint (get_lookups (f, 1), ==, 1);
  /* Orders arrived: look again soon. */
  g_assert_cmpuint (interval (f, 0), ==, SK_SYNC_MIN_INTERVAL);
  g_assert_cmpuint (interval (f, 1), ==, SK_SYNC_MIN_INTERVAL);

  /* Quiet runs: the interval doubles... */
  sync_now (f, 0);
  g_assert_cmpuint (interval (f, 0), ==, 2 * SK_SYNC_MIN_INTERVAL);
  sync_now (f, 0);
  g_assert_cmpuint (interval (f, 0), ==, 4 * SK_SYNC_MIN_INTERVAL);
  g_assert_cmpuint (interval (f, 1), ==, 4 * SK_SYNC_MIN_INTERVAL);
  /* The secret is kept between runs. */
  g_assert_cmpuint (get_lookups (f, 0), ==, 1);

  /* ... and shrinks back when orders flow again, only for that channel. */
  serve_new (f, 0, 3);
  sync_now (f, 0);
  g_assert_cmpint (count_orders (f, 0), ==, 6);
  g_assert_cmpuint (interval (f, 0), ==, SK_SYNC_MIN_INTERVAL);
  g_assert_cmpuint (interval (f, 1), ==, 8 * SK_SYNC_MIN_INTERVAL);

  /* Never beyond the maximum. */
  for (int k = 0; k < 4; k++)
    sync_now (f, f->record[1]->id);
  g_assert_cmpuint (interval (f, 1), ==, SK_SYNC_MAX_INTERVAL);
  g_assert_cmpuint (interval (f, 0), ==, SK_SYNC_MIN_INTERVAL);
}

static void
test_failing_does_not_block (Fixture *f, gconstpointer data)
{
  NowResult r = { 0 };
  gint64 start;

  /* Shop A answers after 5 s; shop B at once. */
  sk_test_server_set_delay (f->server[0], 5000);
  start = g_get_monotonic_time ();
  sk_sync_manager_sync_now_async (f->manager, 0, NULL, on_sync_now, &r);

  while (f->finished->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_array_index (f->finished, gint64, 0), ==, f->record[1]->id);
  g_assert_cmpint (f->finished_at_us[1] - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (count_orders (f, 1), ==, 3);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_SYNCING);
  g_assert_false (r.done);

  /* Quitting: cancelling is not failing. */
  sk_sync_manager_cancel_all (f->manager);
  sk_test_wait_for (&r.done, 5000);
  g_assert_no_error (r.error);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (f->failures->len, ==, 0);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (channel (f, 0)), ==, 0);
}

static void
test_unreachable_does_not_block (Fixture *f, gconstpointer data)
{
  /* Shop A's server is gone. */
  g_clear_pointer (&f->server[0], sk_test_server_free);
  sync_now (f, 0);
  g_assert_cmpint (count_orders (f, 1), ==, 3);
  g_assert_cmpuint (f->failures->len, ==, 1);
  g_assert_cmpint (g_array_index (f->failures, Failure, 0).channel_id, ==, f->record[0]->id);
  g_assert_cmpint (g_array_index (f->failures, Failure, 0).code, ==, SK_SYNC_ERROR_NETWORK);
  g_assert_false (g_array_index (f->failures, Failure, 0).needs_user);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpint (sk_channel_get_state (channel (f, 1)), ==, SK_CHANNEL_STATE_IDLE);
}

static void
test_failure_alerts_once (Fixture *f, gconstpointer data)
{
  SkTestFault fault = { .status = 500 };
  guint expected_interval = SK_SYNC_MIN_INTERVAL;

  for (int k = 0; k < 20; k++)
    sk_test_route_push_fault (g_ptr_array_index (f->routes[0], 0), &fault);

  for (guint k = 1; k <= 5; k++)
    {
      Failure *failure;

      sync_now (f, f->record[0]->id);
      g_assert_cmpuint (f->failures->len, ==, k);
      failure = &g_array_index (f->failures, Failure, k - 1);
      g_assert_cmpint (failure->code, ==, SK_SYNC_ERROR_SERVER);
      /* Told once, at the third failure in a row. */
      g_assert_cmpint (failure->needs_user, ==, k == SK_SYNC_FAILURES_BEFORE_ALERT);
      g_assert_cmpint (problem_open (f, "channel-failing", 0), ==, k >= SK_SYNC_FAILURES_BEFORE_ALERT);
      /* Failures back off too. */
      expected_interval = MIN (expected_interval * 2, SK_SYNC_MAX_INTERVAL);
      g_assert_cmpuint (interval (f, 0), ==, expected_interval);
    }
  g_assert_cmpuint (sk_channel_get_consecutive_failures (channel (f, 0)), ==, 5);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_FAILING);
  g_assert_cmpuint (f->recovered->len, ==, 0);

  /* The shop is back. */
  serve_new (f, 0, 2);
  sync_now (f, f->record[0]->id);
  g_assert_cmpuint (f->failures->len, ==, 5);
  g_assert_cmpuint (f->recovered->len, ==, 1);
  g_assert_cmpint (g_array_index (f->recovered, gint64, 0), ==, f->record[0]->id);
  g_assert_false (problem_open (f, "channel-failing", 0));
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (interval (f, 0), ==, SK_SYNC_MIN_INTERVAL);

  /* A healthy run after that does not "recover" again. */
  sync_now (f, f->record[0]->id);
  g_assert_cmpuint (f->recovered->len, ==, 1);
}

static void
test_auth_alerts_at_once (Fixture *f, gconstpointer data)
{
  Failure *failure;

  set_token (f, 0, "shpat_revoked_000000");
  sync_now (f, 0);
  g_assert_cmpuint (f->failures->len, ==, 1);
  failure = &g_array_index (f->failures, Failure, 0);
  g_assert_cmpint (failure->channel_id, ==, f->record[0]->id);
  g_assert_cmpint (failure->code, ==, SK_SYNC_ERROR_AUTH);
  g_assert_true (failure->needs_user);
  g_assert_true (problem_open (f, "channel-auth", 0));
  g_assert_false (problem_open (f, "channel-auth", 1));
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpint (count_orders (f, 1), ==, 3);

  /* Again: the same problem, no second alert; the token is read again in
   * case the user entered a new one. */
  sync_now (f, f->record[0]->id);
  g_assert_cmpuint (f->failures->len, ==, 2);
  g_assert_false (g_array_index (f->failures, Failure, 1).needs_user);
  g_assert_cmpuint (get_lookups (f, 0), ==, 2);

  /* The user enters the right token. */
  set_token (f, 0, TOKEN);
  sync_now (f, f->record[0]->id);
  g_assert_cmpuint (f->failures->len, ==, 2);
  g_assert_cmpuint (f->recovered->len, ==, 1);
  g_assert_false (problem_open (f, "channel-auth", 0));
  g_assert_cmpint (count_orders (f, 0), ==, 3);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_IDLE);
}

static void
test_no_credentials (Fixture *f, gconstpointer data)
{
  Failure *failure;

  g_mutex_lock (&f->lock);
  f->missing[0] = TRUE;
  g_mutex_unlock (&f->lock);

  sync_now (f, 0);
  g_assert_cmpuint (f->failures->len, ==, 1);
  failure = &g_array_index (f->failures, Failure, 0);
  g_assert_cmpint (failure->code, ==, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_true (failure->needs_user);
  g_assert_true (problem_open (f, "channel-auth", 0));
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);
  g_assert_cmpstr (sk_channel_get_last_error (channel (f, 0)), ==,
                   "The keyring that holds the access token of alpha-outfitters.myshopify.com is locked. Unlock it, then sync again.");
  g_assert_cmpuint (sk_channel_get_consecutive_failures (channel (f, 0)), ==, 1);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server[0]), ==, 0);
  g_assert_cmpint (count_orders (f, 1), ==, 3);
}

static void
test_paused_skipped (Fixture *f, gconstpointer data)
{
  g_autoptr(SkChannelRecord) paused = sk_channel_record_copy (f->record[0]);
  g_autoptr(GError) error = NULL;

  paused->paused = TRUE;
  sk_store_update_channel (f->store, paused, &error);
  g_assert_no_error (error);
  sk_sync_manager_reload (f->manager);

  sync_now (f, 0);
  sync_now (f, f->record[0]->id);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server[0]), ==, 0);
  g_assert_cmpint (count_orders (f, 1), ==, 3);

  /* Automatic polling skips it too. */
  sk_sync_manager_start (f->manager);
  while (f->finished->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_array_index (f->finished, gint64, 1), ==, f->record[1]->id);
  sk_sync_manager_stop (f->manager);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server[0]), ==, 0);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_PAUSED);

  /* Resumed: it runs again. */
  paused->paused = FALSE;
  sk_store_update_channel (f->store, paused, &error);
  g_assert_no_error (error);
  sk_sync_manager_reload (f->manager);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_IDLE);
  sync_now (f, f->record[0]->id);
  g_assert_cmpint (count_orders (f, 0), ==, 3);
}

static void
test_start_stop (Fixture *f, gconstpointer data)
{
  g_assert_false (sk_sync_manager_get_running (f->manager));
  sk_sync_manager_start (f->manager);
  g_assert_true (sk_sync_manager_get_running (f->manager));
  /* Each channel once, at start. */
  while (f->finished->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (count_orders (f, 0), ==, 3);
  g_assert_cmpint (count_orders (f, 1), ==, 3);
  sk_sync_manager_stop (f->manager);
  g_assert_false (sk_sync_manager_get_running (f->manager));
}

static void
test_dead_letters (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) orders = sk_test_shopify_real_orders ();
  JsonNode *bad = sk_test_shopify_clone_order (g_ptr_array_index (orders, 0), 8000000001,
                                               4001, "2024-10-05T12:00:00Z");

  json_object_set_string_member (json_node_get_object (bad), "currency", "DOLLARS");
  g_ptr_array_add (orders, bad);
  sk_test_server_reset (f->server[0]);
  sk_test_server_require_header (f->server[0], "X-Shopify-Access-Token", TOKEN);
  g_clear_pointer (&f->routes[0], g_ptr_array_unref);
  f->routes[0] = sk_test_server_serve_shopify_orders (f->server[0], f->record[0]->account,
                                                      orders, 4);

  sync_now (f, f->record[0]->id);
  g_assert_cmpint (count_orders (f, 0), ==, 3);
  g_assert_cmpuint (f->letters->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->letters, guint, 0), ==, 1);
  g_assert_true (problem_open (f, "dead-letters", 0));
  g_assert_cmpint (sk_channel_get_dead_letters (channel (f, 0)), ==, 1);
  g_assert_cmpuint (f->failures->len, ==, 0);
}

static void
test_sync_now_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  NowResult r = { 0 };

  sk_test_server_set_delay (f->server[0], 5000);
  sk_sync_manager_sync_now_async (f->manager, f->record[0]->id, cancellable, on_sync_now, &r);
  sk_test_server_wait_requests (f->server[0], 1, 5000);
  g_cancellable_cancel (cancellable);
  sk_test_wait_for (&r.done, 5000);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_cmpint (sk_channel_get_state (channel (f, 0)), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (f->failures->len, ==, 0);
}

static void
test_join_running (Fixture *f, gconstpointer data)
{
  NowResult one = { 0 };
  NowResult two = { 0 };

  sk_test_server_set_delay (f->server[0], 200);
  sk_sync_manager_sync_now_async (f->manager, f->record[0]->id, NULL, on_sync_now, &one);
  sk_sync_manager_sync_now_async (f->manager, f->record[0]->id, NULL, on_sync_now, &two);
  sk_test_wait_for (&one.done, 10000);
  sk_test_wait_for (&two.done, 10000);
  g_assert_true (one.ok && two.ok);
  /* One run served both calls. */
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpuint (sk_test_server_count_path (f->server[0], SK_TEST_SHOPIFY_ORDERS_PATH), ==, 3);
}

int
main (int argc, char **argv)
{
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, which
   * GIO's GNOME proxy resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync-manager/model", test_model);
  ADD ("/sync-manager/sync-now-all-and-intervals", test_sync_now_all_and_intervals);
  ADD ("/sync-manager/failing-does-not-block", test_failing_does_not_block);
  ADD ("/sync-manager/unreachable-does-not-block", test_unreachable_does_not_block);
  ADD ("/sync-manager/failure-alerts-once", test_failure_alerts_once);
  ADD ("/sync-manager/auth-alerts-at-once", test_auth_alerts_at_once);
  ADD ("/sync-manager/no-credentials", test_no_credentials);
  ADD ("/sync-manager/paused-skipped", test_paused_skipped);
  ADD ("/sync-manager/start-stop", test_start_stop);
  ADD ("/sync-manager/dead-letters", test_dead_letters);
  ADD ("/sync-manager/sync-now-cancel", test_sync_now_cancel);
  ADD ("/sync-manager/join-running", test_join_running);
#undef ADD

  return g_test_run ();
}
