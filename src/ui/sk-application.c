/* sk-application.c: the AdwApplication of Storekeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the profile's store (or a throwaway demo profile with the embedded
 * demo shop and its three channels, Shopify, WooCommerce and Amazon),
 * creates the
 * HTTP session, the sync manager, the outbox dispatcher and the notifier,
 * bundles them into an SkContext and shows the window. On quit it stops
 * the dispatcher, cancels running syncs, closes the store and deletes a
 * demo profile.
 */
#define G_LOG_DOMAIN "storekeep"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#ifdef G_OS_UNIX
#include <glib-unix.h>
#include <signal.h>
#endif

#include "sk-application.h"
#include "sk-context.h"
#include "sk-demo-profile.h"
#include "sk-demo-shop.h"
#include "sk-http.h"
#include "sk-notifier.h"
#include "sk-outbox-dispatcher.h"
#include "sk-preferences-window.h"
#include "sk-store-channels.h"
#include "sk-sync-manager.h"
#include "sk-window.h"

/* New demo orders arrive about this often, so the inbox feels alive. */
#define DEMO_ORDERS 1500
#define DEMO_LIVE_INTERVAL_MS 20000

struct _SkApplication
{
  AdwApplication parent_instance;

  gboolean demo;
  char *profile_dir;

  SkContext *context;
  SkDemoShop *demo_shop;
  char *demo_dir;        /* deleted on quit */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SkApplication, sk_application, ADW_TYPE_APPLICATION)

/* Helpers */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
            !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

/* The installed schema, or, when running from the build tree, the copy
 * compiled there; NULL when neither exists. */
static GSettings *
open_settings (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
#ifdef SK_BUILD_SCHEMA_DIR
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build_source = NULL;

      build_source = g_settings_schema_source_new_from_directory (SK_BUILD_SCHEMA_DIR, source,
                                                                  FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APP_ID, TRUE);
    }
#endif
  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Storekeep’s settings are not installed. Reinstall Storekeep."));
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_notifier_show_channel (SkApplication *self,
                          gint64         channel_id)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "show-channel",
                                  g_variant_new_int64 (channel_id));
}

/* Store, sync manager, notifier: everything the window needs. */
static SkContext *
create_context (SkApplication *self,
                GError       **error)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkSyncManager) sync = NULL;
  g_autoptr(SkNotifier) notifier = NULL;
  g_autoptr(SkOutboxDispatcher) dispatcher = NULL;
  g_autoptr(SkInventory) inventory = NULL;
  g_autoptr(SkCatalogScheduler) catalog = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  SkContext *context;

  settings = open_settings (error);
  if (settings == NULL)
    return NULL;

  if (self->demo)
    {
      self->demo_dir = g_dir_make_tmp ("storekeep-demo-XXXXXX", error);
      if (self->demo_dir == NULL)
        return NULL;
      dir = g_strdup (self->demo_dir);
    }
  else if (self->profile_dir != NULL)
    dir = g_strdup (self->profile_dir);
  else
    dir = g_build_filename (g_get_user_data_dir (), "storekeep", "default", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The folder %s cannot be created: %s. Check that the disk is not full "
                     "and that you may write there."), dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (dir, "storekeep.db", NULL);
  store = sk_store_open (path, error);
  if (store == NULL)
    return NULL;

  http = sk_http_new ();
  sync = sk_sync_manager_new (store, http);

  if (self->demo)
    {
      self->demo_shop = sk_demo_shop_new (20241122, DEMO_ORDERS);
      if (!sk_demo_shop_start (self->demo_shop, error) ||
          !sk_demo_profile_add_channels (store, self->demo_shop, NULL, error))
        return NULL;
      sk_demo_shop_set_live (self->demo_shop, DEMO_LIVE_INTERVAL_MS);
      sk_sync_manager_set_secret_lookup (sync, sk_demo_profile_secret_lookup, NULL, NULL);
      sk_sync_manager_reload (sync);
    }

  /* Its own session: a fulfillment is never sent twice by an automatic
   * HTTP retry (see sk-outbox-dispatcher.h). */
  dispatcher = sk_outbox_dispatcher_new (store, sync, NULL);
  if (self->demo)
    sk_outbox_dispatcher_set_secret_lookup (dispatcher, sk_demo_profile_secret_lookup, NULL, NULL);

  /* Stock follows the orders; catalogs are pulled after order syncs. */
  inventory = sk_inventory_new (store);
  catalog = sk_catalog_scheduler_new (sync);

  notifier = sk_notifier_new ("Storekeep");
  sk_notifier_watch (notifier, sync);
  sk_notifier_watch_outbox (notifier, dispatcher);
  sk_notifier_watch_inventory (notifier, inventory);
  g_signal_connect_object (notifier, "show-channel",
                           G_CALLBACK (on_notifier_show_channel), self, G_CONNECT_SWAPPED);

  context = sk_context_new (store, sync, settings, notifier);
  sk_context_set_demo (context, self->demo);
  sk_context_set_outbox_dispatcher (context, dispatcher);
  sk_context_set_inventory (context, inventory);
  sk_context_set_catalog_scheduler (context, catalog);
  sk_inventory_start (inventory);
  sk_sync_manager_start (sync);
  sk_outbox_dispatcher_start (dispatcher);
  return context;
}

/* Stop syncing and close the store; delete a demo profile. */
static void
destroy_context (SkApplication *self)
{
  if (self->context != NULL)
    {
      SkSyncManager *sync = sk_context_get_sync_manager (self->context);
      SkOutboxDispatcher *dispatcher = sk_context_get_outbox_dispatcher (self->context);

      /* A row being sent stays "sending"; the next start checks the
       * channel before sending it again. */
      if (dispatcher != NULL)
        sk_outbox_dispatcher_stop (dispatcher);
      if (sync != NULL)
        {
          sk_sync_manager_cancel_all (sync);
          sk_sync_manager_stop (sync);
        }
      sk_store_close (sk_context_get_store (self->context));
      g_clear_object (&self->context);
    }

  if (self->demo_shop != NULL)
    {
      sk_demo_shop_set_live (self->demo_shop, 0);
      sk_demo_shop_stop (self->demo_shop);
      g_clear_object (&self->demo_shop);
    }

  if (self->demo_dir != NULL)
    {
      remove_tree (self->demo_dir);
      g_clear_pointer (&self->demo_dir, g_free);
    }
}

static void
on_error_dialog_response (GtkWidget *dialog)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (app != NULL && gtk_application_get_active_window (app) == NULL)
    g_application_quit (G_APPLICATION (app));
}

static void
show_error (SkApplication *self,
            const char    *heading,
            const GError  *error)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_dialog_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static SkWindow *
active_sk_window (SkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SK_IS_WINDOW (window))
    return SK_WINDOW (window);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SK_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
update_action_states (SkApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "demo");
  GAction *sync = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");
  GAction *preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), !self->demo);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (sync), self->context != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->context != NULL);
}

static void
open_window (SkApplication *self)
{
  g_autoptr(GError) error = NULL;
  SkWindow *window;

  if (self->context == NULL)
    self->context = create_context (self, &error);
  update_action_states (self);
  if (self->context == NULL)
    {
      destroy_context (self);
      show_error (self, _("Storekeep Cannot Start"), error);
      return;
    }

  window = sk_window_new (GTK_APPLICATION (self), self->context);
  gtk_window_present (GTK_WINDOW (window));
}

/* Actions */

static void
action_quit (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SkApplication *self = user_data;
  GList *windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                                     (GCopyFunc) g_object_ref, NULL);

  /* Close the windows so they save their size, then quit. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
  g_application_quit (G_APPLICATION (self));
}

static void
action_about (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SkApplication *self = user_data;
  const char *developers[] = { _("The Storekeep developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Storekeep"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Storekeep developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Every order from every shop in one inbox, kept on your own computer."),
                        "copyright", _("© 2024 The Storekeep developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_sync_now_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Sync now failed: %s", error->message);
}

static void
action_sync_now (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  SkApplication *self = user_data;
  SkSyncManager *sync;

  if (self->context == NULL)
    return;
  sync = sk_context_get_sync_manager (self->context);
  sk_sync_manager_sync_now_async (sync, 0, self->cancellable, on_sync_now_done, NULL);
}

static void
action_preferences (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SkApplication *self = user_data;
  GtkWidget *window;

  if (self->context == NULL)
    return;
  window = sk_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                      self->context);
  gtk_window_present (GTK_WINDOW (window));
}

static void
action_show_help (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  SkApplication *self = user_data;

  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)),
                "help:storekeep", GDK_CURRENT_TIME);
}

static void
action_show_channel (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  SkApplication *self = user_data;
  SkWindow *window = active_sk_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = active_sk_window (self);
    }
  if (window == NULL)
    return;
  sk_window_show_channel (window, g_variant_get_int64 (param));
  gtk_window_present (GTK_WINDOW (window));
}

/* Start the demo shop in this process, on a throwaway profile, in a new
 * window that replaces the current one. */
static void
action_demo (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SkApplication *self = user_data;
  g_autoptr(GList) old = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  if (self->demo)
    return;

  g_application_hold (G_APPLICATION (self));
  for (GList *l = old; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  destroy_context (self);
  self->demo = TRUE;
  open_window (self);
  g_application_release (G_APPLICATION (self));
}

#ifdef G_OS_UNIX
/* Ctrl+C in a terminal or a polite kill: quit properly, so running syncs
 * stop and a demo profile is deleted. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}
#endif

static const GActionEntry app_actions[] = {
  { "quit", action_quit },
  { "about", action_about },
  { "sync-now", action_sync_now },
  { "preferences", action_preferences },
  { "show-help", action_show_help },
  { "show-channel", action_show_channel, "x" },
  { "demo", action_demo },
};

/* GApplication */

static int
sk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  SkApplication *self = SK_APPLICATION (app);
  const char *profile = NULL;

  if (g_variant_dict_lookup (options, "demo", "b", &self->demo) && self->demo)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  if (g_variant_dict_lookup (options, "profile", "^&ay", &profile))
    {
      self->profile_dir = g_canonicalize_filename (profile, NULL);
      /* Another profile is another instance. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
sk_application_startup (GApplication *app)
{
  SkApplication *self = SK_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *sync_accels[] = { "F5", "<Control>r", NULL };
  const char *help_accels[] = { "F1", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (sk_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync-now", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.show-help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  update_action_states (self);

#ifdef G_OS_UNIX
  g_unix_signal_add (SIGINT, on_quit_signal, self);
  g_unix_signal_add (SIGTERM, on_quit_signal, self);
#endif
#ifdef SK_BUILD_ICON_DIR
  /* Running from the build tree: the app icon is not installed yet. */
  if (!gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()), APP_ID))
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    SK_BUILD_ICON_DIR);
#endif
}

static void
sk_application_activate (GApplication *app)
{
  SkApplication *self = SK_APPLICATION (app);
  SkWindow *window = active_sk_window (self);

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  open_window (self);
}

static void
sk_application_shutdown (GApplication *app)
{
  SkApplication *self = SK_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  destroy_context (self);

  G_APPLICATION_CLASS (sk_application_parent_class)->shutdown (app);
}

static void
sk_application_finalize (GObject *object)
{
  SkApplication *self = SK_APPLICATION (object);

  destroy_context (self);
  g_clear_object (&self->cancellable);
  g_free (self->profile_dir);

  G_OBJECT_CLASS (sk_application_parent_class)->finalize (object);
}

static void
sk_application_class_init (SkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sk_application_finalize;
  app_class->handle_local_options = sk_application_handle_local_options;
  app_class->startup = sk_application_startup;
  app_class->activate = sk_application_activate;
  app_class->shutdown = sk_application_shutdown;
}

static void
sk_application_init (SkApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Try Storekeep on a demo shop, with a profile that is deleted on quit"), NULL },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the profile in DIR instead of the default one"), N_("DIR") },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Every order from every shop in one inbox."));
}

SkApplication *
sk_application_new (void)
{
  return g_object_new (SK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/storekeep/Storekeep",
                       NULL);
}

int
sk_application_run_main (int argc, char *argv[])
{
  g_autoptr(SkApplication) app = sk_application_new ();

  g_set_application_name (_("Storekeep"));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
