/* test-ui-channels.c: the Channels page, the connect dialog, dead letters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real widgets against the embedded demo shop on 127.0.0.1 and a
 * throwaway keyring (tests/run-with-mocks.sh --display). Saves screenshots
 * into $G_TEST_BUILDDIR/screenshots/.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sk-channel-health.h"
#include "sk-channel-section.h"
#include "sk-channels-view.h"
#include "sk-connect-dialog.h"
#include "sk-context.h"
#include "sk-dead-letter-row.h"
#include "sk-demo-shop.h"
#include "sk-lwa.h"
#include "sk-woo-channel.h"
#include "sk-error.h"
#include "sk-secrets.h"
#include "sk-shopify-channel.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"

typedef struct {
  char          *tmpdir;
  SkDemoShop    *shop;
  SkStore       *store;
  SkHttp        *http;
  SkSyncManager *sync;
  SkNotifier    *notifier;
  SkContext     *ctx;
  GtkWindow     *window;
  SkChannelsView *view;
} Fixture;

static gboolean have_display;
/* The system's data dirs, which G_TEST_OPTION_ISOLATE_DIRS hides: without
 * shared-mime-info GdkPixbuf cannot tell an SVG icon from noise. */
static char *system_data_dirs;

static void
restore_data_dirs (void)
{
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
}

static gboolean
have_bus_name (const char *name)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static gboolean
skip_unless_ready (void)
{
  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run or run-with-mocks.sh --display)");
      return TRUE;
    }
  if (!have_bus_name ("org.freedesktop.secrets"))
    {
      g_test_skip ("No Secret Service on the session bus (run under run-with-mocks.sh)");
      return TRUE;
    }
  return FALSE;
}

/* Iterate the main context for @ms milliseconds. */
static void
pump (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
count_frames (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_enough (gpointer user_data)
{
  return *(guint *) user_data >= 3;
}

/* Wait until @widget was drawn a few times (layout settled). */
static void
wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id;

  gtk_widget_queue_draw (widget);
  id = gtk_widget_add_tick_callback (widget, count_frames, &frames, NULL);
  sk_test_wait_until (frames_enough, &frames, 10000);
  gtk_widget_remove_tick_callback (widget, id);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  int width, height;

  wait_for_frames (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!have_display)
    return;

  restore_data_dirs ();
  fixture->tmpdir = sk_test_tmpdir_new ();
  fixture->shop = sk_demo_shop_new (7, data != NULL ? GPOINTER_TO_UINT (data) : 40);
  g_assert_true (sk_demo_shop_start (fixture->shop, &error));
  g_assert_no_error (error);

  path = g_build_filename (fixture->tmpdir, "storekeep.db", NULL);
  fixture->store = sk_store_open (path, &error);
  g_assert_no_error (error);

  fixture->http = sk_http_new ();
  sk_http_set_timeout (fixture->http, 10);
  {
    SkRetryPolicy policy = { 2, 1000, 5000 };

    sk_http_set_retry_policy (fixture->http, &policy);
  }
  /* The default secret lookup: the keyring of run-with-mocks.sh. */
  fixture->sync = sk_sync_manager_new (fixture->store, fixture->http);
  fixture->notifier = sk_notifier_new ("Storekeep");
  fixture->ctx = sk_context_new (fixture->store, fixture->sync, NULL, fixture->notifier);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 860, 720);
  fixture->view = SK_CHANNELS_VIEW (sk_channels_view_new (fixture->ctx));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->sync != NULL)
    sk_sync_manager_cancel_all (fixture->sync);
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  pump (50);
  g_clear_object (&fixture->ctx);
  g_clear_object (&fixture->notifier);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->http);
  if (fixture->store != NULL)
    sk_store_close (fixture->store);
  g_clear_object (&fixture->store);
  if (fixture->shop != NULL)
    sk_demo_shop_stop (fixture->shop);
  g_clear_object (&fixture->shop);
  sk_test_tmpdir_free (fixture->tmpdir);
}

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
set_row_text (SkConnectDialog *dialog,
              const char      *row,
              const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, SK_TYPE_CONNECT_DIALOG, row)), text);
}

/* Which way to connect the dialog shows: 0 the Dev Dashboard app, 1 the
 * access token; only that way's fields are visible. */
static guint
auth_choice (SkConnectDialog *dialog)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "auth_row")));

  g_assert_cmpuint (selected, <=, 1);
  g_assert_true (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "app_group")) == (selected == 0));
  g_assert_true (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "token_group")) == (selected == 1));
  return selected;
}

static void
choose_auth (SkConnectDialog *dialog,
             guint            choice)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "auth_row")), choice);
  g_assert_cmpuint (auth_choice (dialog), ==, choice);
}

static gboolean
dialog_idle (gpointer user_data)
{
  return !sk_connect_dialog_get_busy (user_data);
}

static void
run_test_connection (SkConnectDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.test", NULL));
  if (!sk_connect_dialog_get_busy (dialog))
    g_error ("The test did not start: %s", sk_connect_dialog_get_status (dialog));
  sk_test_wait_until (dialog_idle, dialog, 30000);
}

static SkChannelSection *
first_section (Fixture *fixture)
{
  GtkWidget *box = child (fixture->view, SK_TYPE_CHANNELS_VIEW, "sections_box");
  GtkWidget *first = gtk_widget_get_first_child (box);

  return first != NULL ? SK_CHANNEL_SECTION (first) : NULL;
}

static const char *
visible_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (fixture->view, SK_TYPE_CHANNELS_VIEW, "stack")));
}

static void
on_connected (SkConnectDialog *dialog,
              gint64           channel_id,
              gpointer         user_data)
{
  *(gint64 *) user_data = channel_id;
}

static gboolean
connected_is_set (gpointer user_data)
{
  return *(gint64 *) user_data != 0;
}

/* Click Connect (or Save) and wait for the dialog to say which channel it
 * stored. */
static gint64
save_and_wait (SkConnectDialog *dialog)
{
  gint64 channel_id = 0;
  gulong handler = g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &channel_id);

  g_object_ref (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
  sk_test_wait_until (connected_is_set, &channel_id, 30000);
  g_signal_handler_disconnect (dialog, handler);
  g_object_unref (dialog);
  return channel_id;
}

typedef struct {
  Fixture *fixture;
  gint64   channel_id;
} Waiter;

static gboolean
channel_synced (gpointer user_data)
{
  Waiter *waiter = user_data;
  SkChannel *channel = sk_sync_manager_find_channel (waiter->fixture->sync, waiter->channel_id);

  return channel != NULL &&
         sk_channel_get_state (channel) == SK_CHANNEL_STATE_IDLE &&
         sk_channel_get_last_success (channel) > 0;
}

static gboolean
section_has_letters (gpointer user_data)
{
  Waiter *waiter = user_data;
  SkChannelSection *section = first_section (waiter->fixture);
  GList *rows;
  gboolean has;

  if (section == NULL)
    return FALSE;
  rows = sk_channel_section_get_letter_rows (section);
  has = rows != NULL;
  g_list_free (rows);
  return has;
}

static GtkWidget *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static SkConnectDialog *
find_connect_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SK_IS_CONNECT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return SK_CONNECT_DIALOG (window);
    }
  return NULL;
}

static gboolean
row_has_text (gpointer user_data)
{
  return gtk_editable_get_text (GTK_EDITABLE (user_data))[0] != '\0';
}

static gboolean
message_dialog_shown (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  if (skip_unless_ready ())
    return;

  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  g_assert_cmpuint (sk_channels_view_get_problem_count (fixture->view), ==, 0);
  save_screenshot (GTK_WIDGET (fixture->window), "channels-empty.png");
}

/* The whole path: a refused token, then the right one, Connect, the
 * first sync, a dead letter, Dismiss, Remove. */
static void
test_connect_flow (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autofree char *stored_token = NULL;
  SkConnectDialog *dialog;
  g_autoptr(SkChannelRecord) record = NULL;
  SkChannelSection *section;
  GtkWidget *connect_button;
  GtkWidget *message_dialog;
  GList *rows;
  gint64 channel_id = 0;
  Waiter waiter = { fixture, 0 };
  g_autofree char *status = NULL;

  if (skip_unless_ready ())
    return;

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");

  /* A Dev Dashboard app is the default; the demo shop takes an access
   * token, the way of custom apps from before 2026. */
  g_assert_cmpuint (auth_choice (dialog), ==, 0);
  choose_auth (dialog, 1);

  /* "demo-outfitters" is normalized to the full domain; the demo shop
   * listens on loopback, so plain http is allowed there. */
  set_row_text (dialog, "domain_row", "demo-outfitters");
  set_row_text (dialog, "token_row", "shpat_this_is_not_the_token");
  set_row_text (dialog, "base_url_row", sk_demo_shop_get_base_url (fixture->shop));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "advanced_row")), TRUE);
  g_assert_false (gtk_widget_get_sensitive (connect_button));

  run_test_connection (dialog);
  status = g_strdup (sk_connect_dialog_get_status (dialog));
  g_test_message ("wrong token: %s", status);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (status, "refused the access token"));
  g_assert_null (strstr (status, "shpat_"));
  g_assert_false (sk_connect_dialog_get_tested (dialog));
  g_assert_false (gtk_widget_get_sensitive (connect_button));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, SK_TYPE_CONNECT_DIALOG, "status_label"))),
                   ==, status);
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-error.png");

  /* An insecure URL is refused before any request. */
  set_row_text (dialog, "base_url_row", "http://shop.example.com");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.test", NULL));
  g_assert_false (sk_connect_dialog_get_busy (dialog));
  g_test_message ("insecure: %s", sk_connect_dialog_get_status (dialog));
  g_assert_nonnull (sk_connect_dialog_get_status (dialog));
  g_assert_cmpstr (sk_connect_dialog_get_status (dialog), !=, status);
  g_assert_false (sk_connect_dialog_get_tested (dialog));
  set_row_text (dialog, "base_url_row", sk_demo_shop_get_base_url (fixture->shop));

  /* The right token: Connect becomes possible. */
  set_row_text (dialog, "token_row", SK_DEMO_SHOP_TOKEN);
  g_assert_null (sk_connect_dialog_get_status (dialog));
  run_test_connection (dialog);
  g_test_message ("right token: %s", sk_connect_dialog_get_status (dialog));
  g_assert_true (sk_connect_dialog_get_tested (dialog));
  g_assert_true (gtk_widget_get_sensitive (connect_button));
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-ok.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
  sk_test_wait_until (connected_is_set, &channel_id, 30000);

  /* The channel is in the store, its token in the keyring only. */
  channels = sk_store_list_channels (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  record = sk_channel_record_copy (g_ptr_array_index (channels, 0));
  g_assert_cmpint (record->id, ==, channel_id);
  g_assert_cmpstr (record->account, ==, sk_demo_shop_get_domain (fixture->shop));
  g_assert_cmpstr (record->base_url, ==, sk_demo_shop_get_base_url (fixture->shop));
  g_assert_cmpstr (record->name, ==, "Demo Outfitters");
  g_assert_nonnull (record->secret_ref);
  stored_token = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored_token, ==, SK_DEMO_SHOP_TOKEN);

  /* The first sync runs by itself; the page shows its health. */
  waiter.channel_id = channel_id;
  sk_test_wait_until (channel_synced, &waiter, 60000);
  pump (100);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  section = first_section (fixture);
  g_assert_nonnull (section);
  g_assert_cmpint (sk_channel_section_get_channel_id (section), ==, channel_id);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "state_label"))),
                   ==, sk_channel_state_label (SK_CHANNEL_STATE_IDLE));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "last_sync_label"))),
                   ==, "Just now");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "name_label"))),
                   ==, "Demo Outfitters");
  g_assert_cmpuint (sk_channels_view_get_problem_count (fixture->view), ==, 0);
  save_screenshot (GTK_WIDGET (fixture->window), "channels-page.png");

  /* A malformed order lands in the dead letters, shown with its reason. */
  sk_demo_shop_advance (fixture->shop, 5, 0);
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.sync", NULL));
  sk_test_wait_until (section_has_letters, &waiter, 60000);
  sk_test_wait_until (channel_synced, &waiter, 60000);
  pump (100);

  letters = sk_store_list_dead_letters (fixture->store, channel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, >, 0);
  rows = sk_channel_section_get_letter_rows (section);
  g_assert_cmpuint (g_list_length (rows), ==, letters->len);
  {
    SkDeadLetterRecord *letter = g_ptr_array_index (letters, 0);
    SkDeadLetterRow *row = rows->data;

    g_test_message ("dead letter: %s", letter->reason);
    g_assert_cmpint (sk_dead_letter_row_get_letter_id (row), ==, letter->id);
    g_assert_cmpstr (sk_dead_letter_row_get_reason (row), ==, letter->reason);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (row, SK_TYPE_DEAD_LETTER_ROW, "reason_label"))),
                     ==, letter->reason);
    sk_dead_letter_row_show_payload (row, TRUE);
  }
  g_assert_cmpuint (sk_channels_view_get_problem_count (fixture->view), ==, 1);
  sk_channels_view_show_channel (fixture->view, channel_id);
  pump (300);
  save_screenshot (GTK_WIDGET (fixture->window), "dead-letters.png");

  /* Dismiss the first: it leaves the store's open letters and the list. */
  {
    SkDeadLetterRow *row = rows->data;
    gint64 before = sk_store_count_dead_letters (fixture->store, channel_id, NULL);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.dismiss-letter", "x",
                                               sk_dead_letter_row_get_letter_id (row)));
    pump (100);
    g_assert_cmpint (sk_store_count_dead_letters (fixture->store, channel_id, NULL), ==, before - 1);
  }
  g_list_free (rows);
  rows = sk_channel_section_get_letter_rows (section);
  g_assert_cmpuint (g_list_length (rows), ==, letters->len - 1);
  g_list_free (rows);

  /* Remove, keeping the orders: the page is empty again and the token
   * left the keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.remove", NULL));
  sk_test_wait_until (message_dialog_shown, NULL, 5000);
  message_dialog = find_message_dialog ();
  g_test_message ("remove: %s / %s",
                  adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message_dialog)),
                  adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message_dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message_dialog)),
                            "Demo Outfitters"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message_dialog)),
                            "can be kept in Storekeep"));
  save_screenshot (message_dialog, "remove-dialog.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (message_dialog), "keep");
  pump (200);

  g_clear_pointer (&channels, g_ptr_array_unref);
  channels = sk_store_list_channels (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  {
    g_autofree char *gone = sk_secrets_lookup (record, NULL, &error);

    g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
    g_assert_null (gone);
  }
}

/* A Dev Dashboard app: client ID and secret, the token endpoint played by
 * a loopback server. */
#define APP_ACCOUNT "test-outfitters.myshopify.com"
#define APP_CLIENT_ID "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define APP_CLIENT_SECRET "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"
#define APP_TOKEN "shpat_issued_by_the_grant_8e7d6c5b4a39"
#define APP_SHOP_JSON "{\"shop\":{\"id\":548380009,\"name\":\"Test Outfitters\"," \
                      "\"myshopify_domain\":\"" APP_ACCOUNT "\"}}"
#define APP_GRANT_JSON "{\"access_token\":\"" APP_TOKEN "\",\"scope\":\"read_orders\"," \
                       "\"expires_in\":86399}"

static gboolean
row_has_client_id (gpointer user_data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (child (user_data, SK_TYPE_CONNECT_DIALOG,
                                                                  "client_id_row"))),
                    APP_CLIENT_ID) == 0;
}

static void
test_connect_app (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SkTestServer) server = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GBytes) grant = g_bytes_new_static (APP_GRANT_JSON, strlen (APP_GRANT_JSON));
  g_autoptr(GBytes) shop = g_bytes_new_static (APP_SHOP_JSON, strlen (APP_SHOP_JSON));
  g_autoptr(GBytes) refusal = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(SkShopifyAppCredentials) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *status = NULL;
  const char *refusal_json = "{\"error\":\"invalid_client\",\"error_description\":"
                             "\"Client authentication failed\"}";
  SkTestFault refused;
  SkTestRoute *token_route;
  SkConnectDialog *dialog;
  GtkWidget *connect_button;
  GtkWidget *test_button;
  gint64 channel_id = 0;
  Waiter waiter = { fixture, 0 };

  if (skip_unless_ready ())
    return;

  server = sk_test_server_new ();
  token_route = sk_test_server_add_route (server, "/admin/oauth/access_token", NULL, NULL,
                                          200, NULL, grant);
  sk_test_server_add_route (server, SK_TEST_SHOPIFY_SHOP_PATH, NULL, NULL, 200, NULL, shop);
  orders = sk_test_shopify_real_orders ();
  routes = sk_test_server_serve_shopify_orders (server, APP_ACCOUNT, orders, 1);

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
  test_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "test_button");

  /* The default way, with its instructions. */
  g_assert_cmpuint (auth_choice (dialog), ==, 0);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (child (dialog, SK_TYPE_CONNECT_DIALOG, "app_group"))),
                            "Settings"));
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-app.png");

  set_row_text (dialog, "domain_row", "test-outfitters");
  set_row_text (dialog, "base_url_row", sk_test_server_get_url (server));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "advanced_row")), TRUE);
  set_row_text (dialog, "client_secret_row", "shpss_wrong");
  /* A secret without its client ID cannot be tried. */
  g_assert_false (gtk_widget_get_sensitive (test_button));
  set_row_text (dialog, "client_id_row", APP_CLIENT_ID);
  g_assert_true (gtk_widget_get_sensitive (test_button));

  /* An access token in the secret field is caught before any request. */
  set_row_text (dialog, "client_secret_row", "shpat_pasted_into_the_wrong_field");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.test", NULL));
  g_assert_false (sk_connect_dialog_get_busy (dialog));
  g_assert_true (g_str_has_prefix (sk_connect_dialog_get_status (dialog), "That is an access token"));
  g_assert_null (strstr (sk_connect_dialog_get_status (dialog), "shpat_pasted"));
  g_assert_cmpuint (sk_test_server_get_n_requests (server), ==, 0);
  set_row_text (dialog, "client_secret_row", "shpss_wrong");

  /* Shopify refuses the app. */
  refusal = g_bytes_new_static (refusal_json, strlen (refusal_json));
  refused = (SkTestFault) { .status = 401, .body = refusal };
  sk_test_route_push_fault (token_route, &refused);
  run_test_connection (dialog);
  status = g_strdup (sk_connect_dialog_get_status (dialog));
  g_test_message ("refused app: %s", status);
  g_assert_true (g_str_has_prefix (status, "Shopify refused the app’s client ID and secret for shop "
                                           APP_ACCOUNT ". Check them in the Dev Dashboard"));
  g_assert_null (strstr (status, "shpss_wrong"));
  g_assert_false (sk_connect_dialog_get_tested (dialog));
  g_assert_false (gtk_widget_get_sensitive (connect_button));
  g_assert_cmpuint (sk_test_server_count_path (server, SK_TEST_SHOPIFY_SHOP_PATH), ==, 0);
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-app-error.png");

  /* The right secret, pasted with a newline. */
  set_row_text (dialog, "client_secret_row", APP_CLIENT_SECRET "\n");
  run_test_connection (dialog);
  g_test_message ("right app secret: %s", sk_connect_dialog_get_status (dialog));
  g_assert_true (sk_connect_dialog_get_tested (dialog));
  g_assert_true (gtk_widget_get_sensitive (connect_button));
  {
    g_autoptr(SkTestRequest) request = sk_test_server_dup_request (server, 1);
    g_autoptr(SkTestRequest) shop_request = sk_test_server_dup_request (server, 2);
    g_autoptr(GHashTable) form = NULL;
    gsize len;
    const char *body = g_bytes_get_data (request->body, &len);

    g_assert_cmpstr (request->path, ==, "/admin/oauth/access_token");
    form = g_uri_parse_params (body, len, "&", G_URI_PARAMS_WWW_FORM, NULL);
    g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "client_credentials");
    g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, APP_CLIENT_ID);
    g_assert_cmpstr (g_hash_table_lookup (form, "client_secret"), ==, APP_CLIENT_SECRET);
    g_assert_cmpstr (shop_request->path, ==, SK_TEST_SHOPIFY_SHOP_PATH);
    g_assert_cmpstr (soup_message_headers_get_one (shop_request->headers, "X-Shopify-Access-Token"),
                     ==, APP_TOKEN);
  }
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-app-ok.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
  sk_test_wait_until (connected_is_set, &channel_id, 30000);

  /* The keyring holds the client ID and secret; the channel syncs. */
  record = sk_store_get_channel (fixture->store, channel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->account, ==, APP_ACCOUNT);
  g_assert_cmpstr (record->name, ==, "Test Outfitters");
  secret = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sk_shopify_secret_is_app_credentials (secret));
  stored = sk_shopify_app_credentials_parse (secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->client_id, ==, APP_CLIENT_ID);
  g_assert_cmpstr (stored->client_secret, ==, APP_CLIENT_SECRET);
  waiter.channel_id = channel_id;
  sk_test_wait_until (channel_synced, &waiter, 60000);
  g_assert_cmpint (sk_store_count_orders (fixture->store, channel_id, NULL), ==, 3);

  /* Editing: the app way, its client ID, an empty secret that keeps the
   * stored one; the name alone needs no test. */
  dialog = sk_connect_dialog_new_for_channel (fixture->ctx, fixture->window, channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
  g_assert_cmpuint (auth_choice (dialog), ==, 0);
  g_assert_true (row_has_client_id (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, SK_TYPE_CONNECT_DIALOG, "client_secret_row"))),
                   ==, "");
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "client_secret_row"))),
                                   "New Client Secret"));
  g_assert_true (gtk_widget_get_sensitive (connect_button));
  set_row_text (dialog, "name_row", "Outfitters Online");
  g_assert_true (gtk_widget_get_sensitive (connect_button));
  save_screenshot (GTK_WIDGET (dialog), "edit-dialog-app.png");
  /* Another client ID needs a test; with the stored secret it passes. */
  set_row_text (dialog, "client_id_row", "another_client_id");
  g_assert_false (gtk_widget_get_sensitive (connect_button));
  set_row_text (dialog, "client_id_row", APP_CLIENT_ID);
  g_assert_true (gtk_widget_get_sensitive (connect_button));
  {
    gint64 saved_id = 0;

    g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &saved_id);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
    sk_test_wait_until (connected_is_set, &saved_id, 30000);
  }
  g_clear_pointer (&secret, g_free);
  secret = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, sk_shopify_app_credentials_free);
  stored = sk_shopify_app_credentials_parse (secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->client_secret, ==, APP_CLIENT_SECRET);
  sk_test_wait_until (channel_synced, &waiter, 60000);

  /* Not in memory: the dialog reads the keyring by itself. */
  sk_channel_set_secret (sk_sync_manager_find_channel (fixture->sync, channel_id), NULL);
  dialog = sk_connect_dialog_new_for_channel (fixture->ctx, fixture->window, channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  sk_test_wait_until (row_has_client_id, dialog, 10000);
  g_assert_cmpuint (auth_choice (dialog), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));

  g_assert_true (sk_secrets_clear (record, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
channel_progressing (gpointer user_data)
{
  Waiter *waiter = user_data;
  SkChannel *channel = sk_sync_manager_find_channel (waiter->fixture->sync, waiter->channel_id);
  SkSyncProgress progress = { 0, 0, -1 };

  if (channel == NULL || sk_channel_get_state (channel) != SK_CHANNEL_STATE_SYNCING)
    return FALSE;
  sk_channel_get_progress (channel, &progress);
  return progress.pages >= 1 && progress.expected_orders > 0;
}

static gboolean
channel_needs_attention (gpointer user_data)
{
  Waiter *waiter = user_data;
  SkChannel *channel = sk_sync_manager_find_channel (waiter->fixture->sync, waiter->channel_id);

  return channel != NULL && sk_channel_get_state (channel) == SK_CHANNEL_STATE_NEEDS_ATTENTION;
}

/* A first backfill shows pages, orders and a progress bar; a refused token
 * shows the sentence, the failures and the badge count. */
static void
test_health (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(GError) error = NULL;
  SkChannelSection *section;
  GtkWidget *progress_bar;
  GtkWidget *error_row;
  Waiter waiter = { fixture, 0 };
  const char *subtitle;

  if (skip_unless_ready ())
    return;

  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Demo Outfitters");
  record->account = g_strdup (sk_demo_shop_get_domain (fixture->shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (fixture->shop));
  record->secret_ref = g_uuid_string_random ();
  record->settings = g_strdup ("{}");
  g_assert_true (sk_store_add_channel (fixture->store, record, &error));
  g_assert_no_error (error);
  g_assert_true (sk_secrets_store (record, SK_DEMO_SHOP_TOKEN, NULL, &error));
  g_assert_no_error (error);
  waiter.channel_id = record->id;

  sk_demo_shop_set_slow_ms (fixture->shop, 600);
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_SLOW, 1);
  sk_sync_manager_reload (fixture->sync);
  pump (50);
  section = first_section (fixture);
  g_assert_nonnull (section);
  gtk_widget_activate_action (GTK_WIDGET (section), "channel.sync", NULL);

  sk_test_wait_until (channel_progressing, &waiter, 60000);
  pump (50);
  g_assert_true (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "progress_row")));
  progress_bar = child (section, SK_TYPE_CHANNEL_SECTION, "progress_bar");
  g_assert_true (gtk_widget_get_visible (progress_bar));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress_bar)), >, 0.0);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress_bar)), <, 1.0);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (section, SK_TYPE_CHANNEL_SECTION, "progress_row")));
  g_test_message ("progress: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "of 600 orders"));
  save_screenshot (GTK_WIDGET (fixture->window), "channels-syncing.png");

  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_SLOW, 0);
  sk_test_wait_until (channel_synced, &waiter, 60000);
  pump (50);
  g_assert_false (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "progress_row")));

  /* The token was revoked: the user must act. */
  g_assert_true (sk_secrets_store (record, "shpat_revoked", NULL, &error));
  g_assert_no_error (error);
  sk_sync_manager_reload (fixture->sync);
  gtk_widget_activate_action (GTK_WIDGET (section), "channel.sync", NULL);
  sk_test_wait_until (channel_needs_attention, &waiter, 60000);
  pump (100);

  error_row = child (section, SK_TYPE_CHANNEL_SECTION, "error_row");
  g_assert_true (gtk_widget_get_visible (error_row));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row));
  g_assert_nonnull (strstr (subtitle, "refused the access token"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "state_label"))),
                   ==, sk_channel_state_label (SK_CHANNEL_STATE_NEEDS_ATTENTION));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "failures_label"))),
                   ==, "1 failure in a row");
  g_assert_cmpuint (sk_channels_view_get_problem_count (fixture->view), ==, 1);
  save_screenshot (GTK_WIDGET (fixture->window), "channels-needs-attention.png");

  /* Fix it in the edit dialog: prefilled, the name alone needs no test,
   * a new token does. */
  g_assert_true (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "fix_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.edit", NULL));
  pump (50);
  {
    SkConnectDialog *dialog = find_connect_dialog ();
    GtkWidget *save_button;
    g_autofree char *token = NULL;
    g_autoptr(SkChannelRecord) stored = NULL;
    gint64 saved_id = 0;

    g_assert_nonnull (dialog);
    g_assert_cmpint (sk_connect_dialog_get_channel_id (dialog), ==, record->id);
    /* The stored secret is a token: the dialog shows that way. */
    g_assert_cmpuint (auth_choice (dialog), ==, 1);
    save_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, SK_TYPE_CONNECT_DIALOG, "domain_row"))),
                     ==, sk_demo_shop_get_domain (fixture->shop));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, SK_TYPE_CONNECT_DIALOG, "base_url_row"))),
                     ==, sk_demo_shop_get_base_url (fixture->shop));
    g_assert_true (gtk_widget_get_sensitive (save_button));

    set_row_text (dialog, "name_row", "Outfitters Main Store");
    set_row_text (dialog, "token_row", SK_DEMO_SHOP_TOKEN);
    g_assert_false (gtk_widget_get_sensitive (save_button));
    run_test_connection (dialog);
    g_assert_true (sk_connect_dialog_get_tested (dialog));
    save_screenshot (GTK_WIDGET (dialog), "edit-dialog.png");
    g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &saved_id);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
    sk_test_wait_until (connected_is_set, &saved_id, 30000);
    g_assert_cmpint (saved_id, ==, record->id);

    token = sk_secrets_lookup (record, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (token, ==, SK_DEMO_SHOP_TOKEN);
    stored = sk_store_get_channel (fixture->store, record->id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (stored->name, ==, "Outfitters Main Store");
  }
  sk_test_wait_until (channel_synced, &waiter, 60000);
  pump (100);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "name_label"))),
                   ==, "Outfitters Main Store");
  g_assert_false (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "error_row")));
  g_assert_cmpuint (sk_channels_view_get_problem_count (fixture->view), ==, 0);

  /* Paused: the state says so and Sync Now is off. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.toggle-pause", NULL));
  pump (100);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (section, SK_TYPE_CHANNEL_SECTION, "state_label"))),
                   ==, sk_channel_state_label (SK_CHANNEL_STATE_PAUSED));
  g_assert_false (gtk_widget_get_sensitive (child (section, SK_TYPE_CHANNEL_SECTION, "sync_button")));
  {
    g_autoptr(SkChannelRecord) stored = sk_store_get_channel (fixture->store, record->id, &error);

    g_assert_no_error (error);
    g_assert_true (stored->paused);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "channel.toggle-pause", NULL));
  pump (100);
  g_assert_true (gtk_widget_get_sensitive (child (section, SK_TYPE_CHANNEL_SECTION, "sync_button")));

  g_assert_true (sk_secrets_clear (record, NULL, &error));
  g_assert_no_error (error);
}

/* The WooCommerce form: pick the kind, then site, keys; only its fields
 * show. */
static void
choose_woo (SkConnectDialog *dialog,
            Fixture         *fixture)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "kind_row")), 1);
  g_assert_true (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "woo_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "shop_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "app_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_group")));
  set_row_text (dialog, "woo_site_row", "https://" SK_DEMO_WOO_SITE "/wp-admin/");
  set_row_text (dialog, "base_url_row", sk_demo_shop_get_base_url (fixture->shop));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "advanced_row")), TRUE);
}

/* A WooCommerce shop through the demo shop's WooCommerce dialect: the
 * record and the stored key pair. */
static void
test_connect_woo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  const SkChannelRecord *record;
  SkConnectDialog *dialog;
  GtkWidget *connect_button;
  gint64 channel_id = 0;
  Waiter waiter = { fixture, 0 };

  if (skip_unless_ready ())
    return;

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
  choose_woo (dialog, fixture);
  g_assert_false (gtk_widget_is_sensitive (connect_button));
  set_row_text (dialog, "woo_key_row", SK_DEMO_WOO_CONSUMER_KEY);
  set_row_text (dialog, "woo_secret_row", " " SK_DEMO_WOO_CONSUMER_SECRET "\n");
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-woo.png");

  run_test_connection (dialog);
  g_test_message ("woo: %s", sk_connect_dialog_get_status (dialog));
  g_assert_true (sk_connect_dialog_get_tested (dialog));
  g_assert_nonnull (strstr (sk_connect_dialog_get_status (dialog), SK_DEMO_WOO_SITE));
  g_assert_true (gtk_widget_is_sensitive (connect_button));
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-woo-ok.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
  sk_test_wait_until (connected_is_set, &channel_id, 30000);

  channels = sk_store_list_channels (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  record = g_ptr_array_index (channels, 0);
  g_assert_cmpint (record->id, ==, channel_id);
  g_assert_cmpstr (record->kind, ==, "woocommerce");
  g_assert_cmpstr (record->account, ==, SK_DEMO_WOO_SITE);
  g_assert_cmpstr (record->base_url, ==, sk_demo_shop_get_base_url (fixture->shop));
  g_assert_cmpstr (record->name, ==, "Alpine Loom");
  stored = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sk_woo_channel_parse_secret (stored, &key, &secret));
  g_assert_cmpstr (key, ==, SK_DEMO_WOO_CONSUMER_KEY);
  g_assert_cmpstr (secret, ==, SK_DEMO_WOO_CONSUMER_SECRET);

  /* The first sync reads the WooCommerce orders. */
  waiter.channel_id = channel_id;
  sk_test_wait_until (channel_synced, &waiter, 60000);

  /* Editing: the consumer key comes back from the keyring (never the
   * secret), so renaming needs no new test and keeps both keys. */
  {
    SkConnectDialog *edit = sk_connect_dialog_new_for_channel (fixture->ctx, fixture->window, channel_id);
    g_autoptr(SkChannelRecord) renamed = NULL;
    g_autofree char *kept = NULL;
    g_autofree char *kept_key = NULL;
    g_autofree char *kept_secret = NULL;

    gtk_window_present (GTK_WINDOW (edit));
    sk_test_wait_until (row_has_text, child (edit, SK_TYPE_CONNECT_DIALOG, "woo_key_row"), 10000);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "woo_key_row"))),
                     ==, SK_DEMO_WOO_CONSUMER_KEY);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "woo_secret_row"))),
                     ==, "");
    save_screenshot (GTK_WIDGET (edit), "edit-dialog-woo.png");
    set_row_text (edit, "name_row", "Alpine Loom Outlet");
    g_assert_true (gtk_widget_is_sensitive (child (edit, SK_TYPE_CONNECT_DIALOG, "connect_button")));
    /* Another key needs its secret and a test first. */
    set_row_text (edit, "woo_key_row", "ck_other_0000000000000000000000000000000");
    g_assert_false (gtk_widget_is_sensitive (child (edit, SK_TYPE_CONNECT_DIALOG, "connect_button")));
    set_row_text (edit, "woo_key_row", SK_DEMO_WOO_CONSUMER_KEY);
    g_assert_true (gtk_widget_is_sensitive (child (edit, SK_TYPE_CONNECT_DIALOG, "connect_button")));
    g_assert_cmpint (save_and_wait (edit), ==, channel_id);

    renamed = sk_store_get_channel (fixture->store, channel_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (renamed->name, ==, "Alpine Loom Outlet");
    kept = sk_secrets_lookup (renamed, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (sk_woo_channel_parse_secret (kept, &kept_key, &kept_secret));
    g_assert_cmpstr (kept_key, ==, SK_DEMO_WOO_CONSUMER_KEY);
    g_assert_cmpstr (kept_secret, ==, SK_DEMO_WOO_CONSUMER_SECRET);
  }
}

/* Wrong keys: WooCommerce's refusal in words, Connect stays off. */
static void
test_connect_woo_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  SkConnectDialog *dialog;
  GtkWidget *connect_button;
  const char *status;

  if (skip_unless_ready ())
    return;

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
  choose_woo (dialog, fixture);
  set_row_text (dialog, "woo_key_row", "ck_wrong_0000000000000000000000000000000");
  set_row_text (dialog, "woo_secret_row", "cs_wrong_0000000000000000000000000000000");

  run_test_connection (dialog);
  status = sk_connect_dialog_get_status (dialog);
  g_test_message ("wrong keys: %s", status);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (status, "refused the consumer key and secret"));
  g_assert_null (strstr (status, "cs_wrong"));
  g_assert_false (sk_connect_dialog_get_tested (dialog));
  g_assert_false (gtk_widget_is_sensitive (connect_button));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, SK_TYPE_CONNECT_DIALOG, "status_label"))),
                   ==, status);
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-woo-refused.png");
  gtk_window_close (GTK_WINDOW (dialog));
}


/* Amazon against a loopback Selling Partner API and Login with Amazon. */
#define AMZ_SELLER        "A3UISELLER7Q"
#define AMZ_CLIENT_ID     "amzn1.application-oa2-client.ui0123456789"
#define AMZ_CLIENT_SECRET "amzn1.oa2-cs.v1.uisecret0123456789abcdef"
#define AMZ_REFRESH       "Atzr-ui-refresh-0123456789"
#define AMZ_REFRESH_2     "Atzr-ui-refresh-second-42"
#define AMZ_ACCESS        "Atza-ui-access-0123456789"
#define AMZ_LWA_PATH      "/auth/o2/token"
#define AMZ_ORDERS_PATH   "/orders/v0/orders"
#define AMZ_DE            "A1PA6795UKMFR9"
#define AMZ_FR            "A13V1IB3VIYZZH"
#define AMZ_UK            "A1F83G8C2ARO7P"

static GBytes *
json_bytes (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return g_bytes_new (text, strlen (text));
}

/* getOrders with the two real orders of the fixture, their items and
 * addresses, and a token endpoint that takes any refresh token. */
static SkTestServer *
amazon_server (void)
{
  SkTestServer *server = sk_test_server_new ();
  g_autoptr(JsonNode) orders = sk_test_load_json ("orders/amazon/getOrders.json");
  g_autoptr(GBytes) orders_body = json_bytes (orders);
  g_autoptr(GBytes) token = g_bytes_new_static ("{\"access_token\":\"" AMZ_ACCESS "\",\"token_type\":\"bearer\",\"expires_in\":3600}",
                                                strlen ("{\"access_token\":\"" AMZ_ACCESS "\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
  JsonArray *list = json_object_get_array_member (json_object_get_object_member (json_node_get_object (orders), "payload"), "Orders");

  sk_test_server_add_route (server, AMZ_LWA_PATH, NULL, NULL, 200, NULL, token);
  sk_test_server_add_route (server, AMZ_ORDERS_PATH, NULL, NULL, 200, NULL, orders_body);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (list, i), "AmazonOrderId");
      g_autoptr(JsonNode) items = sk_test_load_json ("orders/amazon/getOrderItems.json");
      g_autoptr(JsonNode) address = sk_test_load_json ("orders/amazon/getOrderAddress.json");
      g_autofree char *items_path = g_strdup_printf (AMZ_ORDERS_PATH "/%s/orderItems", id);
      g_autofree char *address_path = g_strdup_printf (AMZ_ORDERS_PATH "/%s/address", id);
      g_autoptr(GBytes) items_body = NULL;
      g_autoptr(GBytes) address_body = NULL;

      json_object_set_string_member (json_object_get_object_member (json_node_get_object (items), "payload"),
                                     "AmazonOrderId", id);
      json_object_set_string_member (json_object_get_object_member (json_node_get_object (address), "payload"),
                                     "AmazonOrderId", id);
      items_body = json_bytes (items);
      address_body = json_bytes (address);
      sk_test_server_add_route (server, items_path, NULL, NULL, 200, NULL, items_body);
      sk_test_server_add_route (server, address_path, NULL, NULL, 200, NULL, address_body);
    }
  return server;
}

static GtkCheckButton *
marketplace_check (SkConnectDialog *dialog,
                   const char      *id)
{
  GtkWidget *expander = child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_marketplaces_row");
  GtkWidget *found = NULL;
  GPtrArray *stack = g_ptr_array_new ();

  g_ptr_array_add (stack, expander);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_CHECK_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), id) == 0)
        found = widget;
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  return found != NULL ? GTK_CHECK_BUTTON (found) : NULL;
}

/* The last token request's form, decoded. */
static GHashTable *
last_token_form (SkTestServer *server)
{
  for (guint i = sk_test_server_get_n_requests (server); i > 0; i--)
    {
      g_autoptr(SkTestRequest) request = sk_test_server_dup_request (server, i - 1);

      if (g_strcmp0 (request->path, AMZ_LWA_PATH) == 0 && request->body != NULL)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (request->body, NULL),
                                             g_bytes_get_size (request->body));

          return soup_form_decode (text);
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
last_orders_marketplaces (SkTestServer *server)
{
  for (guint i = sk_test_server_get_n_requests (server); i > 0; i--)
    {
      g_autoptr(SkTestRequest) request = sk_test_server_dup_request (server, i - 1);

      if (g_strcmp0 (request->path, AMZ_ORDERS_PATH) == 0)
        return g_strdup (g_hash_table_lookup (request->params, "MarketplaceIds"));
    }
  return NULL;
}

static void
choose_amazon (SkConnectDialog *dialog,
               SkTestServer    *server)
{
  g_autofree char *lwa_url = sk_test_server_build_url (server, AMZ_LWA_PATH);

  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "kind_row")), 2);
  g_assert_true (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "woo_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "shop_group")));
  g_assert_true (gtk_widget_get_visible (child (dialog, SK_TYPE_CONNECT_DIALOG, "lwa_url_row")));

  /* North America first, amazon.com ticked; Europe offers its own. */
  g_assert_nonnull (marketplace_check (dialog, "ATVPDKIKX0DER"));
  g_assert_true (gtk_check_button_get_active (marketplace_check (dialog, "ATVPDKIKX0DER")));
  g_assert_null (marketplace_check (dialog, AMZ_DE));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_region_row")), 1);
  g_assert_null (marketplace_check (dialog, "ATVPDKIKX0DER"));
  g_assert_true (gtk_check_button_get_active (marketplace_check (dialog, AMZ_UK)));
  gtk_check_button_set_active (marketplace_check (dialog, AMZ_UK), FALSE);
  g_assert_false (gtk_widget_is_sensitive (child (dialog, SK_TYPE_CONNECT_DIALOG, "test_button")));
  gtk_check_button_set_active (marketplace_check (dialog, AMZ_DE), TRUE);
  gtk_check_button_set_active (marketplace_check (dialog, AMZ_FR), TRUE);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_marketplaces_row"))),
                   ==, "Germany, France");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_marketplaces_row")), TRUE);

  set_row_text (dialog, "amazon_seller_row", " a3uiseller7q ");
  set_row_text (dialog, "base_url_row", sk_test_server_get_url (server));
  set_row_text (dialog, "lwa_url_row", lwa_url);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "advanced_row")), TRUE);
}

/* The Amazon form: region, several marketplaces, the LWA credentials,
 * tested against the loopback API, saved, synced; then edited with the
 * client ID filled in and a new refresh token alone. */
static void
test_connect_amazon (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SkTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *marketplaces = NULL;
  g_autofree char *expected_settings = NULL;
  g_autoptr(SkLwaCredentials) credentials = NULL;
  const SkChannelRecord *record;
  SkConnectDialog *dialog;
  GtkWidget *connect_button;
  gint64 channel_id = 0;
  Waiter waiter = { fixture, 0 };

  if (skip_unless_ready ())
    return;
  server = amazon_server ();

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  g_signal_connect (dialog, "connected", G_CALLBACK (on_connected), &channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
  connect_button = child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button");
  choose_amazon (dialog, server);
  g_assert_false (gtk_widget_is_sensitive (child (dialog, SK_TYPE_CONNECT_DIALOG, "test_button")));
  set_row_text (dialog, "amazon_client_id_row", AMZ_CLIENT_ID);
  set_row_text (dialog, "amazon_client_secret_row", AMZ_CLIENT_SECRET);
  set_row_text (dialog, "amazon_refresh_token_row", AMZ_REFRESH "\n");
  g_assert_true (gtk_widget_is_sensitive (child (dialog, SK_TYPE_CONNECT_DIALOG, "test_button")));
  g_assert_false (gtk_widget_is_sensitive (connect_button));
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-amazon.png");

  run_test_connection (dialog);
  g_test_message ("amazon: %s", sk_connect_dialog_get_status (dialog));
  g_assert_true (sk_connect_dialog_get_tested (dialog));
  g_assert_nonnull (strstr (sk_connect_dialog_get_status (dialog), AMZ_SELLER));
  g_assert_true (gtk_widget_is_sensitive (connect_button));
  form = last_token_form (server);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, AMZ_REFRESH);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, AMZ_CLIENT_ID);
  marketplaces = last_orders_marketplaces (server);
  g_assert_cmpstr (marketplaces, ==, AMZ_DE "," AMZ_FR);
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-amazon-ok.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.save", NULL));
  sk_test_wait_until (connected_is_set, &channel_id, 30000);

  channels = sk_store_list_channels (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  record = g_ptr_array_index (channels, 0);
  g_assert_cmpint (record->id, ==, channel_id);
  g_assert_cmpstr (record->kind, ==, "amazon");
  g_assert_cmpstr (record->account, ==, AMZ_SELLER);
  g_assert_cmpstr (record->name, ==, "Amazon");
  g_assert_cmpstr (record->base_url, ==, sk_test_server_get_url (server));
  expected_settings = g_strdup_printf ("{\"marketplace_ids\":[\"" AMZ_DE "\",\"" AMZ_FR "\"],"
                                       "\"region\":\"eu\",\"lwa_url\":\"%s" AMZ_LWA_PATH "\"}",
                                       sk_test_server_get_url (server));
  g_assert_cmpstr (record->settings, ==, expected_settings);
  g_assert_null (strstr (record->settings, AMZ_CLIENT_SECRET));
  stored = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  credentials = sk_lwa_credentials_parse (stored, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->client_id, ==, AMZ_CLIENT_ID);
  g_assert_cmpstr (credentials->client_secret, ==, AMZ_CLIENT_SECRET);
  g_assert_cmpstr (credentials->refresh_token, ==, AMZ_REFRESH);

  /* The first sync reads both orders with their items. */
  waiter.channel_id = channel_id;
  sk_test_wait_until (channel_synced, &waiter, 60000);
  g_assert_cmpint (sk_store_count_orders (fixture->store, channel_id, &error), ==, 2);
  g_assert_no_error (error);
  pump (100);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (first_section (fixture), SK_TYPE_CHANNEL_SECTION, "account_label"))),
                   ==, "Amazon · Amazon.de, Amazon.fr · " AMZ_SELLER);

  /* Editing: region, marketplaces, the token URL and the client ID come
   * back; a new refresh token alone keeps the client secret. */
  {
    SkConnectDialog *edit = sk_connect_dialog_new_for_channel (fixture->ctx, fixture->window, channel_id);
    g_autoptr(SkChannelRecord) saved = NULL;
    g_autoptr(GHashTable) form2 = NULL;
    g_autofree char *kept = NULL;
    g_autoptr(SkLwaCredentials) renewed = NULL;

    gtk_window_present (GTK_WINDOW (edit));
    sk_test_wait_until (row_has_text, child (edit, SK_TYPE_CONNECT_DIALOG, "amazon_client_id_row"), 10000);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "amazon_client_id_row"))),
                     ==, AMZ_CLIENT_ID);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "amazon_client_secret_row"))),
                     ==, "");
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (edit, SK_TYPE_CONNECT_DIALOG, "amazon_region_row"))),
                      ==, 1);
    g_assert_true (gtk_check_button_get_active (marketplace_check (edit, AMZ_DE)));
    g_assert_true (gtk_check_button_get_active (marketplace_check (edit, AMZ_FR)));
    g_assert_false (gtk_check_button_get_active (marketplace_check (edit, AMZ_UK)));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "amazon_seller_row"))),
                     ==, AMZ_SELLER);
    g_assert_true (g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (child (edit, SK_TYPE_CONNECT_DIALOG, "lwa_url_row"))),
                                     AMZ_LWA_PATH));
    /* Nothing changed: saving needs no test. */
    g_assert_true (gtk_widget_is_sensitive (child (edit, SK_TYPE_CONNECT_DIALOG, "connect_button")));
    save_screenshot (GTK_WIDGET (edit), "edit-dialog-amazon.png");

    set_row_text (edit, "amazon_refresh_token_row", AMZ_REFRESH_2);
    g_assert_false (gtk_widget_is_sensitive (child (edit, SK_TYPE_CONNECT_DIALOG, "connect_button")));
    run_test_connection (edit);
    g_assert_true (sk_connect_dialog_get_tested (edit));
    form2 = last_token_form (server);
    g_assert_cmpstr (g_hash_table_lookup (form2, "refresh_token"), ==, AMZ_REFRESH_2);
    g_assert_cmpstr (g_hash_table_lookup (form2, "client_secret"), ==, AMZ_CLIENT_SECRET);
    g_assert_cmpint (save_and_wait (edit), ==, channel_id);

    saved = sk_store_get_channel (fixture->store, channel_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (saved->settings, ==, expected_settings);
    kept = sk_secrets_lookup (saved, NULL, &error);
    g_assert_no_error (error);
    renewed = sk_lwa_credentials_parse (kept, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (renewed->client_id, ==, AMZ_CLIENT_ID);
    g_assert_cmpstr (renewed->client_secret, ==, AMZ_CLIENT_SECRET);
    g_assert_cmpstr (renewed->refresh_token, ==, AMZ_REFRESH_2);
    g_assert_true (sk_secrets_clear (saved, NULL, &error));
    g_assert_no_error (error);
  }
}

/* A refresh token Amazon refuses: its words, no secret, nothing saved. */
static void
test_connect_amazon_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SkTestServer) server = NULL;
  g_autoptr(GBytes) refusal = g_bytes_new_static ("{\"error_description\":\"The request has an invalid grant parameter : refresh_token\",\"error\":\"invalid_grant\"}",
                                                  strlen ("{\"error_description\":\"The request has an invalid grant parameter : refresh_token\",\"error\":\"invalid_grant\"}"));
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  SkConnectDialog *dialog;
  const char *status;

  if (skip_unless_ready ())
    return;
  server = sk_test_server_new ();
  sk_test_server_add_route (server, AMZ_LWA_PATH, NULL, NULL, 400, NULL, refusal);

  dialog = sk_connect_dialog_new (fixture->ctx, fixture->window);
  gtk_window_present (GTK_WINDOW (dialog));
  choose_amazon (dialog, server);
  set_row_text (dialog, "amazon_client_id_row", AMZ_CLIENT_ID);
  set_row_text (dialog, "amazon_client_secret_row", AMZ_CLIENT_SECRET);
  set_row_text (dialog, "amazon_refresh_token_row", AMZ_REFRESH);
  run_test_connection (dialog);
  status = sk_connect_dialog_get_status (dialog);
  g_test_message ("refused: %s", status);
  g_assert_false (sk_connect_dialog_get_tested (dialog));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, SK_TYPE_CONNECT_DIALOG, "connect_button")));
  g_assert_nonnull (strstr (status, AMZ_SELLER));
  g_assert_null (strstr (status, AMZ_REFRESH));
  g_assert_null (strstr (status, AMZ_CLIENT_SECRET));
  g_assert_cmpuint (sk_test_server_count_path (server, AMZ_ORDERS_PATH), ==, 0);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, SK_TYPE_CONNECT_DIALOG, "amazon_marketplaces_row")), FALSE);
  save_screenshot (GTK_WIDGET (dialog), "connect-dialog-amazon-refused.png");
  gtk_window_close (GTK_WINDOW (dialog));

  channels = sk_store_list_channels (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 0);
}

static void
test_health_words (void)
{
  SkSyncProgress progress = { 3, 150, 1200 };
  g_autofree char *text = NULL;
  g_autofree char *indented = NULL;
  g_autofree char *minutes = sk_format_relative_time (1000, 1000 + 125);
  g_autofree char *never = sk_format_relative_time (0, 1000);
  const char *json = "{\"id\":1,\"price\":\"19.99\",\"total\":19.990,\"lines\":[],\"note\":\"a, {b}\"}";

  g_assert_cmpstr (minutes, ==, "2 minutes ago");
  g_assert_cmpstr (never, ==, "Never");

  text = sk_channel_progress_text (&progress);
  g_assert_cmpstr (text, ==, "Page 3 · 150 of 1200 orders");
  g_assert_cmpfloat_with_epsilon (sk_channel_progress_fraction (&progress), 0.125, 1e-9);
  progress.expected_orders = -1;
  g_assert_cmpfloat (sk_channel_progress_fraction (&progress), <, 0);

  /* Re-indented digit for digit: 19.990 stays 19.990. */
  indented = sk_json_reindent (json, strlen (json));
  g_assert_cmpstr (indented, ==,
                   "{\n  \"id\": 1,\n  \"price\": \"19.99\",\n  \"total\": 19.990,\n"
                   "  \"lines\": [],\n  \"note\": \"a, {b}\"\n}");
}

int
main (int   argc,
      char *argv[])
{
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS") != NULL ? g_getenv ("XDG_DATA_DIRS")
                                                                 : "/usr/local/share:/usr/share");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);
  restore_data_dirs ();
  /* Untranslated words; no digit grouping in this locale. */
  setlocale (LC_ALL, "C.UTF-8");

  gtk_disable_setlocale ();
  have_display = gtk_init_check ();
  if (have_display)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      adw_init ();
      /* Screenshots of finished states, not of half-way transitions. */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      /* What AdwApplication does for the app, when the app has a style. */
      if (g_resources_get_info ("/io/github/storekeep/Storekeep/style.css",
                                G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
        {
          gtk_css_provider_load_from_resource (css, "/io/github/storekeep/Storekeep/style.css");
          gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                      GTK_STYLE_PROVIDER (css),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        }
    }

  g_test_add_func ("/ui/channels/health-words", test_health_words);
  g_test_add ("/ui/channels/empty", Fixture, NULL,
              fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/ui/channels/connect-flow", Fixture, NULL,
              fixture_setup, test_connect_flow, fixture_teardown);
  g_test_add ("/ui/channels/connect-app", Fixture, NULL,
              fixture_setup, test_connect_app, fixture_teardown);
  g_test_add ("/ui/channels/connect-woo", Fixture, NULL,
              fixture_setup, test_connect_woo, fixture_teardown);
  g_test_add ("/ui/channels/connect-woo-refused", Fixture, NULL,
              fixture_setup, test_connect_woo_refused, fixture_teardown);
  g_test_add ("/ui/channels/connect-amazon", Fixture, NULL,
              fixture_setup, test_connect_amazon, fixture_teardown);
  g_test_add ("/ui/channels/connect-amazon-refused", Fixture, NULL,
              fixture_setup, test_connect_amazon_refused, fixture_teardown);
  g_test_add ("/ui/channels/health", Fixture, GUINT_TO_POINTER (600),
              fixture_setup, test_health, fixture_teardown);

  return g_test_run ();
}
