/* sk-window.c: the main window: inbox and channels under one header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "storekeep"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-csv-import-dialog.h"
#include "sk-inbox-view.h"
#include "sk-inventory-view.h"
#include "sk-window.h"

/* The Channels page is built by its own module; the window shows it when
 * this tree has it, and never a placeholder. */
#if defined(__has_include)
# if __has_include("sk-channels-view.h")
#  include "sk-channels-view.h"
#  define HAVE_CHANNELS_VIEW 1
# endif
#endif
#ifndef HAVE_CHANNELS_VIEW
# define HAVE_CHANNELS_VIEW 0
#endif

struct _SkWindow
{
  AdwApplicationWindow parent_instance;

  SkContext *context;
  SkInboxView *inbox;
  GtkWidget *inventory_view;
  GtkWidget *channels_view;
  AdwViewStackPage *channels_page;
  GPtrArray *watched;   /* SkChannel whose state we follow */

  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar *switcher_bar;
  AdwViewStack *stack;
  AdwToastOverlay *toast_overlay;
  GtkStack *sync_stack;
  GtkSpinner *sync_spinner;
  GtkWidget *demo_label;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SkWindow, sk_window, ADW_TYPE_APPLICATION_WINDOW)

/* Sync indicator */

static void
update_syncing (SkWindow *self)
{
  gboolean syncing = FALSE;

  for (guint i = 0; i < self->watched->len && !syncing; i++)
    syncing = sk_channel_get_state (g_ptr_array_index (self->watched, i)) == SK_CHANNEL_STATE_SYNCING;

  gtk_stack_set_visible_child_name (self->sync_stack, syncing ? "busy" : "idle");
  gtk_spinner_set_spinning (self->sync_spinner, syncing);
}

static void
on_channel_state_changed (SkWindow *self)
{
  update_syncing (self);
}

static void
unwatch_channels (SkWindow *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          on_channel_state_changed, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch_channels (SkWindow *self)
{
  SkSyncManager *sync = sk_context_get_sync_manager (self->context);
  GListModel *channels;
  guint n;

  unwatch_channels (self);
  if (sync == NULL)
    return;

  channels = sk_sync_manager_get_channels (sync);
  n = g_list_model_get_n_items (channels);
  for (guint i = 0; i < n; i++)
    {
      SkChannel *channel = g_list_model_get_item (channels, i);

      g_signal_connect_object (channel, "notify::state",
                               G_CALLBACK (on_channel_state_changed), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, channel);
    }
  update_syncing (self);
}

static void
on_channels_items_changed (SkWindow *self)
{
  watch_channels (self);
}

/* Channels page badge */

#if HAVE_CHANNELS_VIEW
static void
on_problem_count_changed (SkWindow *self)
{
  guint count = sk_channels_view_get_problem_count (SK_CHANNELS_VIEW (self->channels_view));

  adw_view_stack_page_set_badge_number (self->channels_page, count);
  adw_view_stack_page_set_needs_attention (self->channels_page, count > 0);
}
#endif

static void
add_pages (SkWindow *self)
{
  AdwViewStackPage *page;

  self->inbox = SK_INBOX_VIEW (sk_inbox_view_new (self->context));
  page = adw_view_stack_add_titled (self->stack, GTK_WIDGET (self->inbox), "inbox", _("Inbox"));
  adw_view_stack_page_set_icon_name (page, "mail-unread-symbolic");

  self->inventory_view = sk_inventory_view_new (self->context);
  page = adw_view_stack_add_titled (self->stack, self->inventory_view,
                                    "inventory", _("Inventory"));
  adw_view_stack_page_set_icon_name (page, "package-x-generic-symbolic");

#if HAVE_CHANNELS_VIEW
  self->channels_view = sk_channels_view_new (self->context);
  self->channels_page = adw_view_stack_add_titled (self->stack, self->channels_view,
                                                   "channels", _("Channels"));
  adw_view_stack_page_set_icon_name (self->channels_page, "network-server-symbolic");
  g_signal_connect_object (self->channels_view, "notify::problem-count",
                           G_CALLBACK (on_problem_count_changed), self, G_CONNECT_SWAPPED);
  on_problem_count_changed (self);
#endif

  /* One page needs no switcher. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title,
                                                     self->channels_view != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), self->channels_view != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect-shop",
                                 self->channels_view != NULL);
}

/* Settings */

static void
restore_state (SkWindow *self)
{
  GSettings *settings = sk_context_get_settings (self->context);
  g_autofree char *view = NULL;

  if (settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  view = g_settings_get_string (settings, "last-view");
  if (adw_view_stack_get_child_by_name (self->stack, view) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, view);
}

static void
on_stack_visible_child_name_changed (SkWindow *self)
{
  GSettings *settings = sk_context_get_settings (self->context);
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  if (settings != NULL && name != NULL)
    g_settings_set_string (settings, "last-view", name);
}

static gboolean
sk_window_close_request (GtkWindow *window)
{
  SkWindow *self = SK_WINDOW (window);
  GSettings *settings = sk_context_get_settings (self->context);
  int width, height;

  if (settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (settings);
    }

  return GTK_WINDOW_CLASS (sk_window_parent_class)->close_request (window);
}

/* Actions */

static void
action_connect_shop (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  SkWindow *self = SK_WINDOW (widget);

  if (self->channels_view == NULL)
    return;
  sk_window_show_view (self, "channels");
  gtk_widget_activate_action (self->channels_view, "channels.connect", NULL);
}

static void
action_import_csv (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  SkWindow *self = SK_WINDOW (widget);

  sk_csv_import_dialog_present (GTK_WINDOW (self), self->context);
}

static void
action_search (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  SkWindow *self = SK_WINDOW (widget);

  /* Search where the user is: the inventory has its own search. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "inventory") == 0)
    {
      sk_inventory_view_focus_search (SK_INVENTORY_VIEW (self->inventory_view));
      return;
    }
  sk_window_show_view (self, "inbox");
  sk_inbox_view_focus_search (self->inbox);
}

static void
action_show_view (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  sk_window_show_view (SK_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* GObject */

static void
sk_window_constructed (GObject *object)
{
  SkWindow *self = SK_WINDOW (object);
  SkSyncManager *sync;

  G_OBJECT_CLASS (sk_window_parent_class)->constructed (object);

  g_assert (SK_IS_CONTEXT (self->context));

  add_pages (self);
  restore_state (self);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (on_stack_visible_child_name_changed), self,
                           G_CONNECT_SWAPPED);

  if (sk_context_get_demo (self->context))
    {
      /* The subtitle shows when the switcher does not fit; the badge always. */
      adw_view_switcher_title_set_subtitle (self->switcher_title,
                                            _("Demo shop: nothing here is kept"));
      gtk_widget_set_visible (self->demo_label, TRUE);
    }

  sync = sk_context_get_sync_manager (self->context);
  if (sync != NULL)
    g_signal_connect_object (sk_sync_manager_get_channels (sync), "items-changed",
                             G_CALLBACK (on_channels_items_changed), self,
                             G_CONNECT_SWAPPED);
  watch_channels (self);
}

static void
sk_window_dispose (GObject *object)
{
  SkWindow *self = SK_WINDOW (object);

  if (self->watched != NULL)
    unwatch_channels (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_WINDOW);

  G_OBJECT_CLASS (sk_window_parent_class)->dispose (object);
}

static void
sk_window_finalize (GObject *object)
{
  SkWindow *self = SK_WINDOW (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sk_window_parent_class)->finalize (object);
}

static void
sk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SkWindow *self = SK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SkWindow *self = SK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_window_class_init (SkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sk_window_constructed;
  object_class->dispose = sk_window_dispose;
  object_class->finalize = sk_window_finalize;
  object_class->get_property = sk_window_get_property;
  object_class->set_property = sk_window_set_property;
  window_class->close_request = sk_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, SK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, SkWindow, demo_label);

  gtk_widget_class_install_action (widget_class, "win.connect-shop", NULL, action_connect_shop);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.import-csv", NULL, action_import_csv);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", action_show_view);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-view", "s", "inbox");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-view", "s", "inventory");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-view", "s", "channels");
}

static void
sk_window_init (SkWindow *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

SkWindow *
sk_window_new (GtkApplication *app,
               SkContext      *context)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (SK_IS_CONTEXT (context), NULL);

  return g_object_new (SK_TYPE_WINDOW, "application", app, "context", context, NULL);
}

SkContext *
sk_window_get_context (SkWindow *self)
{
  g_return_val_if_fail (SK_IS_WINDOW (self), NULL);

  return self->context;
}

SkInboxView *
sk_window_get_inbox_view (SkWindow *self)
{
  g_return_val_if_fail (SK_IS_WINDOW (self), NULL);

  return self->inbox;
}

GtkWidget *
sk_window_get_channels_view (SkWindow *self)
{
  g_return_val_if_fail (SK_IS_WINDOW (self), NULL);

  return self->channels_view;
}

void
sk_window_show_view (SkWindow   *self,
                     const char *name)
{
  g_return_if_fail (SK_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
sk_window_get_view (SkWindow *self)
{
  g_return_val_if_fail (SK_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
sk_window_show_channel (SkWindow *self,
                        gint64    channel_id)
{
  g_return_if_fail (SK_IS_WINDOW (self));

  if (self->channels_view == NULL)
    return;
  sk_window_show_view (self, "channels");
#if HAVE_CHANNELS_VIEW
  sk_channels_view_show_channel (SK_CHANNELS_VIEW (self->channels_view), channel_id);
#endif
}

void
sk_window_add_toast (SkWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (SK_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}
