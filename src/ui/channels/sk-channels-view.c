/* sk-channels-view.c: the Channels page — shops, their health, dead letters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SkChannelSection per channel of the sync manager, in its order. The
 * sections follow their channel's property notifications; the view forwards
 * the store's changes to them and ticks once a minute for the relative
 * times. Nothing polls.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <glib/gi18n-lib.h>

#include "sk-channel-health.h"
#include "sk-channel-section.h"
#include "sk-channels-view.h"
#include "sk-connect-dialog.h"

#define REFRESH_FLAGS (SK_STORE_CHANGE_CHANNELS | SK_STORE_CHANGE_DEAD_LETTERS | \
                       SK_STORE_CHANGE_EXCEPTIONS | SK_STORE_CHANGE_CURSORS | \
                       SK_STORE_CHANGE_OUTBOX)

struct _SkChannelsView
{
  GtkWidget        parent_instance;

  SkContext       *ctx;
  GListModel      *channels;
  /* SkChannel → SkChannelSection (both owned) */
  GHashTable      *sections;
  /* channels whose state/dead-letters we follow for the problem count */
  GPtrArray       *watched;
  guint            problem_count;
  guint            tick_id;
  guint            scroll_idle_id;
  gint64           pending_show_id;
  gint64           scroll_to_id;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkScrolledWindow *scrolled_window;
  GtkLabel        *summary_label;
  GtkBox          *sections_box;
};

enum {
  PROP_0,
  PROP_PROBLEM_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SkChannelsView, sk_channels_view, GTK_TYPE_WIDGET)

static SkChannelSection *
find_section (SkChannelsView *self,
              gint64          channel_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sk_channel_section_get_channel_id (value) == channel_id)
      return value;
  return NULL;
}

static void
update_summary (SkChannelsView *self)
{
  guint n = self->channels != NULL ? g_list_model_get_n_items (self->channels) : 0;
  g_autofree char *text = NULL;

  if (self->problem_count == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u shop connected.",
                                         "%u shops connected.", n), n);
  else
    /* Translators: "2 shops connected, 1 needs attention." */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u shop connected, %u needs attention.",
                                         "%u shops connected, %u need attention.",
                                         self->problem_count),
                            n, self->problem_count);
  gtk_label_set_text (self->summary_label, text);
}

static void
update_problem_count (SkChannelsView *self)
{
  guint count = 0;
  guint n = self->channels != NULL ? g_list_model_get_n_items (self->channels) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (self->channels, i);

      if (sk_channel_has_problem (channel))
        count++;
    }

  if (count != self->problem_count)
    {
      self->problem_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM_COUNT]);
    }
  update_summary (self);
}

static void
on_channel_health_notify (SkChannel      *channel,
                          GParamSpec     *pspec,
                          SkChannelsView *self)
{
  update_problem_count (self);
}

static void
unwatch_all (SkChannelsView *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          on_channel_health_notify, self);
  g_ptr_array_set_size (self->watched, 0);
}

static gboolean
scroll_to_section_idle (gpointer user_data)
{
  SkChannelsView *self = user_data;
  SkChannelSection *section = find_section (self, self->scroll_to_id);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scrolled_window);
  graphene_point_t point;

  self->scroll_idle_id = 0;
  if (section == NULL || content == NULL)
    return G_SOURCE_REMOVE;

  if (gtk_widget_compute_point (GTK_WIDGET (section), content,
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, MAX (point.y - 12, 0));
  gtk_widget_child_focus (GTK_WIDGET (section), GTK_DIR_TAB_FORWARD);
  return G_SOURCE_REMOVE;
}

static void
show_section (SkChannelsView   *self,
              SkChannelSection *section)
{
  sk_channel_section_reveal (section);
  self->scroll_to_id = sk_channel_section_get_channel_id (section);
  if (self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add_full (G_PRIORITY_LOW, scroll_to_section_idle,
                                            self, NULL);
}

static void
rebuild (SkChannelsView *self)
{
  g_autoptr(GHashTable) old = g_steal_pointer (&self->sections);
  GtkWidget *child;
  guint n = g_list_model_get_n_items (self->channels);

  self->sections = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                          g_object_unref, g_object_unref);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);

  unwatch_all (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (self->channels, i);
      gpointer old_key = NULL;
      gpointer section = NULL;

      /* Keep a section across reloads when the manager kept its channel,
       * so expanded letters and payloads stay open. */
      if (g_hash_table_steal_extended (old, channel, &old_key, &section))
        g_object_unref (old_key);
      else
        section = g_object_ref_sink (sk_channel_section_new (self->ctx, channel));

      g_hash_table_insert (self->sections, g_object_ref (channel), section);
      gtk_box_append (self->sections_box, section);

      g_signal_connect_object (channel, "notify::state",
                               G_CALLBACK (on_channel_health_notify), self, 0);
      g_signal_connect_object (channel, "notify::dead-letters",
                               G_CALLBACK (on_channel_health_notify), self, 0);
      g_ptr_array_add (self->watched, g_object_ref (channel));
    }

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  update_problem_count (self);

  if (self->pending_show_id != 0)
    {
      SkChannelSection *section = find_section (self, self->pending_show_id);

      if (section != NULL)
        {
          self->pending_show_id = 0;
          show_section (self, section);
        }
    }
}

static void
on_channels_items_changed (GListModel     *model,
                           guint           position,
                           guint           removed,
                           guint           added,
                           SkChannelsView *self)
{
  rebuild (self);
}

static void
on_store_changed (SkStore        *store,
                  SkStoreChange  *change,
                  SkChannelsView *self)
{
  GHashTableIter iter;
  gpointer section;
  guint flags = change != NULL ? change->flags : REFRESH_FLAGS;

  if ((flags & REFRESH_FLAGS) == 0)
    return;

  g_hash_table_iter_init (&iter, self->sections);
  while (g_hash_table_iter_next (&iter, NULL, &section))
    sk_channel_section_refresh (section, flags);
  update_problem_count (self);
}

static gboolean
on_tick (gpointer user_data)
{
  SkChannelsView *self = user_data;
  GHashTableIter iter;
  gpointer section;

  g_hash_table_iter_init (&iter, self->sections);
  while (g_hash_table_iter_next (&iter, NULL, &section))
    sk_channel_section_update_times (section);
  return G_SOURCE_CONTINUE;
}

static void
on_dialog_connected (SkConnectDialog *dialog,
                     gint64           channel_id,
                     SkChannelsView  *self)
{
  sk_channels_view_show_channel (self, channel_id);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SkConnectDialog *dialog;

  dialog = sk_connect_dialog_new (self->ctx, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (on_dialog_connected), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sync_all_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error))
    g_debug ("Sync all: %s", error->message);
}

static void
sync_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (widget);

  sk_sync_manager_sync_now_async (sk_context_get_sync_manager (self->ctx), 0, NULL,
                                  on_sync_all_done, NULL);
}

static void
sk_channels_view_map (GtkWidget *widget)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (widget);

  GTK_WIDGET_CLASS (sk_channels_view_parent_class)->map (widget);

  on_tick (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (60, on_tick, self);
}

static void
sk_channels_view_unmap (GtkWidget *widget)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (sk_channels_view_parent_class)->unmap (widget);
}

static void
sk_channels_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROBLEM_COUNT:
      g_value_set_uint (value, self->problem_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_channels_view_dispose (GObject *object)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  if (self->watched != NULL)
    unwatch_all (self);
  if (self->channels != NULL)
    g_signal_handlers_disconnect_by_data (self->channels, self);
  if (self->ctx != NULL)
    g_signal_handlers_disconnect_by_data (sk_context_get_store (self->ctx), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CHANNELS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->sections, g_hash_table_unref);
  g_clear_object (&self->channels);
  g_clear_object (&self->ctx);

  G_OBJECT_CLASS (sk_channels_view_parent_class)->dispose (object);
}

static void
sk_channels_view_finalize (GObject *object)
{
  SkChannelsView *self = SK_CHANNELS_VIEW (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);

  G_OBJECT_CLASS (sk_channels_view_parent_class)->finalize (object);
}

static void
sk_channels_view_class_init (SkChannelsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sk_channels_view_get_property;
  object_class->dispose = sk_channels_view_dispose;
  object_class->finalize = sk_channels_view_finalize;
  widget_class->map = sk_channels_view_map;
  widget_class->unmap = sk_channels_view_unmap;

  /**
   * SkChannelsView:problem-count:
   *
   * Channels failing, needing attention or holding dead letters.
   */
  properties[PROP_PROBLEM_COUNT] =
    g_param_spec_uint ("problem-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storekeep/Storekeep/ui/sk-channels-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SkChannelsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SkChannelsView, stack);
  gtk_widget_class_bind_template_child (widget_class, SkChannelsView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SkChannelsView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelsView, sections_box);

  gtk_widget_class_install_action (widget_class, "channels.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "channels.sync-all", NULL, sync_all_action);
}

static void
sk_channels_view_init (SkChannelsView *self)
{
  g_type_ensure (SK_TYPE_CHANNEL_SECTION);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sections = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                          g_object_unref, g_object_unref);
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}

GtkWidget *
sk_channels_view_new (SkContext *ctx)
{
  SkChannelsView *self;

  g_return_val_if_fail (SK_IS_CONTEXT (ctx), NULL);

  self = g_object_new (SK_TYPE_CHANNELS_VIEW, NULL);
  self->ctx = g_object_ref (ctx);
  self->channels = g_object_ref (sk_sync_manager_get_channels (sk_context_get_sync_manager (ctx)));

  g_signal_connect_object (self->channels, "items-changed",
                           G_CALLBACK (on_channels_items_changed), self, 0);
  g_signal_connect_object (sk_context_get_store (ctx), "changed",
                           G_CALLBACK (on_store_changed), self, 0);
  rebuild (self);

  return GTK_WIDGET (self);
}

SkContext *
sk_channels_view_get_context (SkChannelsView *self)
{
  g_return_val_if_fail (SK_IS_CHANNELS_VIEW (self), NULL);

  return self->ctx;
}

void
sk_channels_view_show_channel (SkChannelsView *self,
                               gint64          channel_id)
{
  SkChannelSection *section;

  g_return_if_fail (SK_IS_CHANNELS_VIEW (self));

  section = find_section (self, channel_id);
  if (section == NULL)
    {
      /* Not loaded yet (just connected): show it when it appears. */
      self->pending_show_id = channel_id;
      return;
    }
  self->pending_show_id = 0;
  show_section (self, section);
}

guint
sk_channels_view_get_problem_count (SkChannelsView *self)
{
  g_return_val_if_fail (SK_IS_CHANNELS_VIEW (self), 0);

  return self->problem_count;
}
