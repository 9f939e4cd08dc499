/* test-notifier.c: one desktop notification per problem, not per retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/run-with-mocks.sh, which puts python3-dbusmock's
 * notification daemon on the session bus; the test reads what the daemon
 * received through org.freedesktop.DBus.Mock.GetMethodCalls. Skips when
 * there is no notification daemon. A real SkSyncManager syncs from the
 * embedded demo shop: with a wrong token, with malformed orders, then
 * with the right token again. A real SkOutboxDispatcher sends a shipment
 * to a loopback Shopify that refuses it.
 */
#include "config.h"

#include <string.h>

#include "sk-demo-shop.h"
#include "sk-error.h"
#include "sk-notifier.h"
#include "sk-outbox-dispatcher.h"
#include "sk-store-channels.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-store.h"
#include "sk-sync-manager.h"
#include "sk-test-server.h"
#include "sk-test-util.h"

#define NOTIFY_NAME "org.freedesktop.Notifications"
#define NOTIFY_PATH "/org/freedesktop/Notifications"

typedef struct {
  char            *tmpdir;
  GDBusConnection *bus;
  SkDemoShop      *shop;
  SkStore         *store;
  SkHttp          *http;
  SkSyncManager   *sync;
  SkNotifier      *notifier;
  gint64           channel_id;
  const char      *token;     /* what the secret lookup answers */
  /* Calls the mock had received before this test: one mock serves every
   * test of the program, and its notification ids keep counting. */
  gsize            notify_base;
  gsize            close_base;
} Fixture;

static gboolean
have_notification_daemon (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", NOTIFY_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* Every call to @method the mock received: an array of (timestamp, args). */
static GVariant *
mock_all_calls (Fixture    *fixture,
                const char *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (fixture->bus, NOTIFY_NAME, NOTIFY_PATH,
                                       "org.freedesktop.DBus.Mock", "GetMethodCalls",
                                       g_variant_new ("(s)", method),
                                       G_VARIANT_TYPE ("(a(tav))"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  g_assert_no_error (error);
  return g_variant_get_child_value (reply, 0);
}

/* The calls to @method since the test started. */
static GVariant *
mock_calls (Fixture    *fixture,
            const char *method)
{
  g_autoptr(GVariant) all = mock_all_calls (fixture, method);
  gsize base = g_str_equal (method, "Notify") ? fixture->notify_base
             : g_str_equal (method, "CloseNotification") ? fixture->close_base : 0;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(tav)"));
  for (gsize i = base; i < g_variant_n_children (all); i++)
    {
      g_autoptr(GVariant) call = g_variant_get_child_value (all, i);

      g_variant_builder_add_value (&builder, call);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static gsize
mock_count_calls (Fixture    *fixture,
                  const char *method)
{
  g_autoptr(GVariant) all = mock_all_calls (fixture, method);

  return g_variant_n_children (all);
}

/* Argument @index of call @call (an (tav) tuple), unboxed. */
static GVariant *
call_arg (GVariant *calls,
          gsize     call,
          gsize     index)
{
  g_autoptr(GVariant) tuple = g_variant_get_child_value (calls, call);
  g_autoptr(GVariant) args = g_variant_get_child_value (tuple, 1);
  g_autoptr(GVariant) boxed = g_variant_get_child_value (args, index);

  return g_variant_get_variant (boxed);
}

static char *
call_string (GVariant *calls,
             gsize     call,
             gsize     index)
{
  g_autoptr(GVariant) value = call_arg (calls, call, index);

  return g_variant_dup_string (value, NULL);
}

static char *
lookup_secret (const SkChannelRecord *record,
               gpointer               user_data,
               GError               **error)
{
  Fixture *fixture = user_data;

  return g_strdup (fixture->token);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autofree char *path = NULL;

  fixture->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (!have_notification_daemon (fixture->bus))
    return;

  fixture->notify_base = mock_count_calls (fixture, "Notify");
  fixture->close_base = mock_count_calls (fixture, "CloseNotification");
  fixture->tmpdir = sk_test_tmpdir_new ();

  fixture->shop = sk_demo_shop_new (42, 30);
  g_assert_true (sk_demo_shop_start (fixture->shop, &error));
  g_assert_no_error (error);

  path = g_build_filename (fixture->tmpdir, "storekeep.db", NULL);
  fixture->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  record = sk_channel_record_new ();
  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Demo Outfitters");
  record->account = g_strdup (sk_demo_shop_get_domain (fixture->shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (fixture->shop));
  record->secret_ref = g_strdup ("test-notifier");
  record->settings = g_strdup ("{}");
  g_assert_true (sk_store_add_channel (fixture->store, record, &error));
  g_assert_no_error (error);
  fixture->channel_id = record->id;

  fixture->http = sk_http_new ();
  sk_http_set_timeout (fixture->http, 10);
  {
    SkRetryPolicy policy = { 2, 1000, 5000 };

    sk_http_set_retry_policy (fixture->http, &policy);
  }
  fixture->sync = sk_sync_manager_new (fixture->store, fixture->http);
  sk_sync_manager_set_secret_lookup (fixture->sync, lookup_secret, fixture, NULL);
  sk_sync_manager_reload (fixture->sync);

  fixture->notifier = sk_notifier_new ("Storekeep");
  sk_notifier_watch (fixture->notifier, fixture->sync);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->sync != NULL)
    sk_sync_manager_cancel_all (fixture->sync);
  g_clear_object (&fixture->notifier);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->http);
  if (fixture->store != NULL)
    sk_store_close (fixture->store);
  g_clear_object (&fixture->store);
  if (fixture->shop != NULL)
    sk_demo_shop_stop (fixture->shop);
  g_clear_object (&fixture->shop);
  g_clear_object (&fixture->bus);
  sk_test_tmpdir_free (fixture->tmpdir);
}

static gboolean
skip_without_daemon (Fixture *fixture)
{
  if (fixture->store != NULL)
    return FALSE;
  g_test_skip ("No notification daemon on the session bus (run under run-with-mocks.sh)");
  return TRUE;
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
sync_once (Fixture *fixture)
{
  gboolean done = FALSE;

  sk_sync_manager_sync_now_async (fixture->sync, fixture->channel_id, NULL, on_sync_done, &done);
  sk_test_wait_for (&done, 30000);
}

/* Let D-Bus replies and signals arrive. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static SkProblem *
find_problem (Fixture    *fixture,
              const char *key)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  problems = sk_store_list_problems (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      SkProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->dedup_key, key) == 0)
        return g_ptr_array_steal_index (problems, i);
    }
  return NULL;
}

static void
test_auth_once (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariant) hints = NULL;
  g_autoptr(GVariant) actions = NULL;
  g_autoptr(SkProblem) problem = NULL;
  g_autofree char *key = NULL;
  g_autofree char *app_icon = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  const char **action_list = NULL;
  guchar urgency = 255;

  if (skip_without_daemon (fixture))
    return;

  /* Refused four times: one problem, one notification. */
  fixture->token = "shpat_wrong_token";
  for (guint i = 0; i < 4; i++)
    sync_once (fixture);
  settle ();

  g_assert_cmpint (sk_channel_get_state (sk_sync_manager_find_channel (fixture->sync, fixture->channel_id)),
                   ==, SK_CHANNEL_STATE_NEEDS_ATTENTION);

  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
  g_assert_cmpuint (sk_notifier_get_sent_count (fixture->notifier), ==, 1);

  summary = call_string (calls, 0, 3);
  body = call_string (calls, 0, 4);
  app_icon = call_string (calls, 0, 2);
  g_test_message ("summary: %s; body: %s", summary, body);
  g_assert_nonnull (strstr (summary, sk_demo_shop_get_domain (fixture->shop)));
  g_assert_nonnull (strstr (summary, "refused the access token"));
  g_assert_nonnull (strstr (body, "new token"));
  g_assert_null (strstr (summary, "shpat_"));
  g_assert_null (strstr (body, "shpat_"));
  g_assert_cmpstr (app_icon, ==, "io.github.storekeep.Storekeep");

  actions = call_arg (calls, 0, 5);
  action_list = g_variant_get_strv (actions, NULL);
  g_assert_true (action_list[0] != NULL && g_str_equal (action_list[0], "default"));
  g_free (action_list);

  hints = call_arg (calls, 0, 6);
  g_assert_true (g_variant_lookup (hints, "urgency", "y", &urgency));
  g_assert_cmpuint (urgency, ==, 1);

  key = g_strdup_printf ("channel-auth:%" G_GINT64_FORMAT, fixture->channel_id);
  problem = find_problem (fixture, key);
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->notified_at, >, 0);

  /* Even told again that the user must act, the notifier keeps quiet
   * about a problem it already showed… */
  {
    SkChannel *channel = sk_sync_manager_find_channel (fixture->sync, fixture->channel_id);
    g_autoptr(GError) auth = g_error_new_literal (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH, "Refused.");

    g_signal_emit_by_name (fixture->sync, "channel-failed", channel, auth, TRUE);
    settle ();
    g_clear_pointer (&calls, g_variant_unref);
    calls = mock_calls (fixture, "Notify");
    g_assert_cmpuint (g_variant_n_children (calls), ==, 1);

    /* …and so does a new notifier (the app restarted): the store
     * remembers that the problem was notified. */
    g_clear_object (&fixture->notifier);
    fixture->notifier = sk_notifier_new ("Storekeep");
    sk_notifier_watch (fixture->notifier, fixture->sync);
    g_signal_emit_by_name (fixture->sync, "channel-failed", channel, auth, TRUE);
  }
  sync_once (fixture);
  settle ();
  g_clear_pointer (&calls, g_variant_unref);
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
  g_assert_cmpuint (sk_notifier_get_sent_count (fixture->notifier), ==, 0);
}

static void
test_recovery_withdraws (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariant) closes = NULL;
  g_autoptr(GVariant) closed_id = NULL;
  g_autofree char *key = NULL;
  g_autoptr(SkProblem) problem = NULL;

  if (skip_without_daemon (fixture))
    return;

  fixture->token = "shpat_wrong_token";
  sync_once (fixture);
  settle ();
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);

  /* The user entered the right token: the bubble goes away. */
  fixture->token = SK_DEMO_SHOP_TOKEN;
  sync_once (fixture);
  settle ();

  g_assert_cmpint (sk_channel_get_state (sk_sync_manager_find_channel (fixture->sync, fixture->channel_id)),
                   ==, SK_CHANNEL_STATE_IDLE);
  closes = mock_calls (fixture, "CloseNotification");
  g_assert_cmpuint (g_variant_n_children (closes), ==, 1);

  /* The mock answers Notify with ids from 1; the close names the same
   * notification (libnotify remembers the id it got). */
  closed_id = call_arg (closes, 0, 0);
  g_assert_cmpint (g_variant_get_int32 (closed_id), >, 0);

  key = g_strdup_printf ("channel-auth:%" G_GINT64_FORMAT, fixture->channel_id);
  problem = find_problem (fixture, key);
  g_assert_null (problem);

  /* Failing again later (the token was revoked) is a new problem:
   * notified again. A reload makes the manager read the token again. */
  fixture->token = "shpat_wrong_token";
  sk_sync_manager_reload (fixture->sync);
  sync_once (fixture);
  settle ();
  g_clear_pointer (&calls, g_variant_unref);
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 2);
}

static void
test_dead_letters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GVariant) calls = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *key = NULL;
  g_autoptr(SkProblem) problem = NULL;

  if (skip_without_daemon (fixture))
    return;

  fixture->token = SK_DEMO_SHOP_TOKEN;
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 10);
  sync_once (fixture);

  /* More malformed orders on the next runs: still one notification. */
  sk_demo_shop_advance (fixture->shop, 10, 0);
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 10);
  sync_once (fixture);
  settle ();

  g_assert_cmpint (sk_channel_get_dead_letters (sk_sync_manager_find_channel (fixture->sync, fixture->channel_id)),
                   >, 0);
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
  summary = call_string (calls, 0, 3);
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "could not be imported"));
  g_assert_nonnull (strstr (summary, sk_demo_shop_get_domain (fixture->shop)));

  key = g_strdup_printf ("dead-letters:%" G_GINT64_FORMAT, fixture->channel_id);
  problem = find_problem (fixture, key);
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->notified_at, >, 0);

  /* The user dismisses them one by one: the bubble goes with the last. */
  {
    g_autoptr(GPtrArray) letters = sk_store_list_dead_letters (fixture->store, fixture->channel_id, NULL);
    g_autoptr(GVariant) closes = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (letters);
    g_assert_cmpuint (letters->len, >, 0);
    for (guint i = 0; i < letters->len; i++)
      {
        SkDeadLetterRecord *letter = g_ptr_array_index (letters, i);

        g_clear_pointer (&closes, g_variant_unref);
        closes = mock_calls (fixture, "CloseNotification");
        g_assert_cmpuint (g_variant_n_children (closes), ==, 0);
        g_assert_true (sk_store_resolve_dead_letter (fixture->store, letter->id, &error));
        g_assert_no_error (error);
        settle ();
      }
    g_clear_pointer (&closes, g_variant_unref);
    closes = mock_calls (fixture, "CloseNotification");
    g_assert_cmpuint (g_variant_n_children (closes), ==, 1);
  }
}

static void
on_show_channel (SkNotifier *notifier,
                 gint64      channel_id,
                 gpointer    user_data)
{
  gint64 *shown = user_data;

  *shown = channel_id;
}

static gboolean
shown_is_set (gpointer user_data)
{
  return *(gint64 *) user_data != 0;
}

static void
test_default_action (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 shown = 0;
  guint32 id;

  if (skip_without_daemon (fixture))
    return;

  g_signal_connect (fixture->notifier, "show-channel", G_CALLBACK (on_show_channel), &shown);
  sk_notifier_send (fixture->notifier, "test:1", "Something happened", "Do something.",
                    fixture->channel_id);
  settle ();
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);

  /* The mock numbers new notifications 1, 2, 3… over its life; this
   * one is the newest. */
  {
    g_autoptr(GVariant) all = mock_all_calls (fixture, "Notify");

    id = 0;
    for (gsize i = 0; i < g_variant_n_children (all); i++)
      {
        g_autoptr(GVariant) replaces = call_arg (all, i, 1);

        if (g_variant_get_uint32 (replaces) == 0)
          id++;
      }
  }
  reply = g_dbus_connection_call_sync (fixture->bus, NOTIFY_NAME, NOTIFY_PATH,
                                       "org.freedesktop.DBus.Mock", "EmitSignal",
                                       g_variant_new_parsed ("('org.freedesktop.Notifications', "
                                                             "'ActionInvoked', 'us', "
                                                             "[<%u>, <'default'>])", id),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);

  sk_test_wait_until (shown_is_set, &shown, 5000);
  g_assert_cmpint (shown, ==, fixture->channel_id);
}

static void
test_send_replaces (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariant) replaces_first = NULL;
  g_autoptr(GVariant) replaces_second = NULL;
  g_autofree char *summary = NULL;

  if (skip_without_daemon (fixture))
    return;

  sk_notifier_send (fixture->notifier, "test:replace", "First", "One.", 0);
  sk_notifier_send (fixture->notifier, "test:replace", "Second", "Two.", 0);
  settle ();

  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 2);
  replaces_first = call_arg (calls, 0, 1);
  replaces_second = call_arg (calls, 1, 1);
  g_assert_cmpuint (g_variant_get_uint32 (replaces_first), ==, 0);
  /* The second updates the first bubble in place. */
  g_assert_cmpuint (g_variant_get_uint32 (replaces_second), !=, 0);
  summary = call_string (calls, 1, 3);
  g_assert_cmpstr (summary, ==, "Second");

  sk_notifier_withdraw (fixture->notifier, "test:replace");
  sk_notifier_withdraw (fixture->notifier, "test:unknown");
  settle ();
  g_clear_pointer (&calls, g_variant_unref);
  calls = mock_calls (fixture, "CloseNotification");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
}


static void
on_dispatched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_outbox_dispatcher_dispatch_finish (SK_OUTBOX_DISPATCHER (source), result,
                                                       NULL, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
dispatch_once (SkOutboxDispatcher *dispatcher)
{
  gboolean done = FALSE;

  sk_outbox_dispatcher_dispatch_async (dispatcher, NULL, on_dispatched, &done);
  sk_test_wait_for (&done, 30000);
}

/* Ship the first order that has anything to ship; its outbox row. */
static gint64
ship_an_order (Fixture *fixture)
{
  for (gint64 id = 1; id <= 100; id++)
    {
      g_autoptr(SkShipment) shipment = sk_shipment_new (id, "UPS", "1Z999AA10123456784", NULL);
      g_autoptr(GError) error = NULL;
      gint64 outbox_id = 0;

      if (sk_store_record_shipment_sync (fixture->store, shipment, "user", NULL,
                                         NULL, &outbox_id, &error) && outbox_id != 0)
        return outbox_id;
    }
  g_assert_not_reached ();
  return 0;
}

static void
test_outbox_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SkTestServer) server = NULL;
  g_autoptr(SkOutboxDispatcher) dispatcher = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariant) closes = NULL;
  g_autoptr(SkProblem) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = NULL;
  gint64 row_id;

  if (skip_without_daemon (fixture))
    return;

  /* The newest orders are not shipped yet. */
  fixture->token = SK_DEMO_SHOP_TOKEN;
  sk_demo_shop_advance (fixture->shop, 5, 0);
  sync_once (fixture);
  row_id = ship_an_order (fixture);

  /* A Shopify that knows none of the order's fulfillment orders: a 404,
   * which Shopify means for good. */
  server = sk_test_server_new ();
  record = sk_store_get_channel (fixture->store, fixture->channel_id, &error);
  g_assert_no_error (error);
  g_free (record->base_url);
  record->base_url = g_strdup (sk_test_server_get_url (server));
  g_assert_true (sk_store_update_channel (fixture->store, record, &error));
  g_assert_no_error (error);

  dispatcher = sk_outbox_dispatcher_new (fixture->store, fixture->sync, NULL);
  sk_outbox_dispatcher_set_secret_lookup (dispatcher, lookup_secret, fixture, NULL);
  sk_notifier_watch_outbox (fixture->notifier, dispatcher);

  dispatch_once (dispatcher);
  settle ();
  {
    g_autoptr(SkOutboxRow) row = sk_store_get_outbox_row (fixture->store, row_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_FAILED);
  }

  /* One notification, with the channel's words. */
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);
  summary = call_string (calls, 0, 3);
  body = call_string (calls, 0, 4);
  g_test_message ("summary: %s; body: %s", summary, body);
  g_assert_cmpstr (summary, ==, "A channel refused a shipment");
  g_assert_nonnull (strstr (body, "refused the shipment"));
  g_assert_nonnull (strstr (body, "404"));
  g_assert_null (strstr (body, "shpat_"));

  key = g_strdup_printf (SK_OUTBOX_PROBLEM_KIND ":%" G_GINT64_FORMAT, row_id);
  problem = find_problem (fixture, key);
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->notified_at, >, 0);

  /* Told again (another pass, the same signal): still one. */
  dispatch_once (dispatcher);
  g_signal_emit_by_name (dispatcher, "refused", row_id, fixture->channel_id, key,
                         "Refused again.", TRUE);
  settle ();
  g_clear_pointer (&calls, g_variant_unref);
  calls = mock_calls (fixture, "Notify");
  g_assert_cmpuint (g_variant_n_children (calls), ==, 1);

  /* Try Again resolves the problem: the bubble goes. */
  g_assert_true (sk_store_retry_outbox_row (fixture->store, row_id, &error));
  g_assert_no_error (error);
  settle ();
  closes = mock_calls (fixture, "CloseNotification");
  g_assert_cmpuint (g_variant_n_children (closes), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add ("/notifier/auth-once", Fixture, NULL,
              fixture_setup, test_auth_once, fixture_teardown);
  g_test_add ("/notifier/recovery-withdraws", Fixture, NULL,
              fixture_setup, test_recovery_withdraws, fixture_teardown);
  g_test_add ("/notifier/dead-letters", Fixture, NULL,
              fixture_setup, test_dead_letters, fixture_teardown);
  g_test_add ("/notifier/default-action", Fixture, NULL,
              fixture_setup, test_default_action, fixture_teardown);
  g_test_add ("/notifier/send-replaces", Fixture, NULL,
              fixture_setup, test_send_replaces, fixture_teardown);
  g_test_add ("/notifier/outbox-refused", Fixture, NULL,
              fixture_setup, test_outbox_refused, fixture_teardown);

  return g_test_run ();
}
