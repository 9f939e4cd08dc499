/* sk-preferences-window.c: Storekeep's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "storekeep"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-preferences-window.h"

struct _SkPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  SkContext *context;

  AdwComboRow *interval_row;
};

G_DEFINE_FINAL_TYPE (SkPreferencesWindow, sk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Within the schema's range (30 to 3600). */
static const guint sync_intervals[] = { 30, 60, 300, 900 };

const guint *
sk_preferences_sync_intervals (guint *n_out)
{
  if (n_out != NULL)
    *n_out = G_N_ELEMENTS (sync_intervals);
  return sync_intervals;
}

guint
sk_preferences_sync_interval_index (guint seconds)
{
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (sync_intervals); i++)
    {
      guint distance = seconds > sync_intervals[i] ? seconds - sync_intervals[i]
                                                   : sync_intervals[i] - seconds;
      guint best_distance = seconds > sync_intervals[best] ? seconds - sync_intervals[best]
                                                           : sync_intervals[best] - seconds;

      if (distance < best_distance)
        best = i;
    }
  return best;
}

/* Setting (seconds) ↔ the combo row's position */

static gboolean
interval_to_selected (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_uint (value, sk_preferences_sync_interval_index (g_variant_get_uint32 (variant)));
  return TRUE;
}

static GVariant *
selected_to_interval (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (sync_intervals))
    return NULL;
  return g_variant_new_uint32 (sync_intervals[selected]);
}

static void
sk_preferences_window_dispose (GObject *object)
{
  SkPreferencesWindow *self = SK_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sk_preferences_window_parent_class)->dispose (object);
}

static void
sk_preferences_window_class_init (SkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SkPreferencesWindow, interval_row);
}

static void
sk_preferences_window_init (SkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sk_preferences_window_new (GtkWindow *parent,
                           SkContext *context)
{
  SkPreferencesWindow *self;
  GSettings *settings;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SK_IS_CONTEXT (context), NULL);

  self = g_object_new (SK_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->context = g_object_ref (context);

  settings = sk_context_get_settings (context);
  if (settings != NULL)
    g_settings_bind_with_mapping (settings, "sync-interval",
                                  self->interval_row, "selected",
                                  G_SETTINGS_BIND_DEFAULT,
                                  interval_to_selected, selected_to_interval,
                                  NULL, NULL);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->interval_row), FALSE);

  return GTK_WIDGET (self);
}
