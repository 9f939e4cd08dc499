/* sk-dead-letter-row.c: one payload that could not be imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <glib/gi18n-lib.h>

#include "sk-channel-health.h"
#include "sk-dead-letter-row.h"
#include "sk-time.h"

struct _SkDeadLetterRow
{
  GtkListBoxRow    parent_instance;

  gint64           letter_id;
  char            *resource;
  char            *external_id;
  char            *reason;
  GBytes          *raw;
  gint64           created_at;
  gint64           attempts;
  gboolean         payload_loaded;

  GtkLabel        *reason_label;
  GtkLabel        *details_label;
  GtkToggleButton *payload_button;
  GtkWidget       *retry_button;
  GtkWidget       *dismiss_button;
  GtkTextView     *payload_view;
};

G_DEFINE_FINAL_TYPE (SkDeadLetterRow, sk_dead_letter_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
resource_label (const char *resource)
{
  if (g_strcmp0 (resource, "orders") == 0 || g_strcmp0 (resource, "order") == 0)
    return _("Order");
  if (g_strcmp0 (resource, "refunds") == 0)
    return _("Refund");
  if (g_strcmp0 (resource, "fulfillments") == 0)
    return _("Fulfillment");
  return _("Record");
}

static void
load_payload (SkDeadLetterRow *self)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = NULL;

  if (self->payload_loaded)
    return;

  if (self->raw != NULL)
    data = g_bytes_get_data (self->raw, &len);
  text = sk_json_reindent (data, len);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->payload_view), text, -1);
  self->payload_loaded = TRUE;
}

static void
on_payload_button_toggled (GtkToggleButton *button,
                           SkDeadLetterRow *self)
{
  gboolean active = gtk_toggle_button_get_active (button);

  if (active)
    load_payload (self);
  gtk_button_set_label (GTK_BUTTON (button),
                        active ? _("Hide Payload") : _("Show Payload"));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SkDeadLetterRow *self = SK_DEAD_LETTER_ROW (widget);
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = NULL;

  /* The payload exactly as received, not the indented copy. */
  if (self->raw != NULL)
    data = g_bytes_get_data (self->raw, &len);
  text = g_utf8_make_valid (data != NULL ? data : "", (gssize) len);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
sk_dead_letter_row_finalize (GObject *object)
{
  SkDeadLetterRow *self = SK_DEAD_LETTER_ROW (object);

  g_free (self->resource);
  g_free (self->external_id);
  g_free (self->reason);
  g_clear_pointer (&self->raw, g_bytes_unref);

  G_OBJECT_CLASS (sk_dead_letter_row_parent_class)->finalize (object);
}

static void
sk_dead_letter_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SK_TYPE_DEAD_LETTER_ROW);

  G_OBJECT_CLASS (sk_dead_letter_row_parent_class)->dispose (object);
}

static void
sk_dead_letter_row_class_init (SkDeadLetterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_dead_letter_row_dispose;
  object_class->finalize = sk_dead_letter_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storekeep/Storekeep/ui/sk-dead-letter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, payload_button);
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, SkDeadLetterRow, payload_view);
  gtk_widget_class_bind_template_callback (widget_class, on_payload_button_toggled);

  gtk_widget_class_install_action (widget_class, "letter.copy", NULL, copy_action);
}

static void
sk_dead_letter_row_init (SkDeadLetterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sk_dead_letter_row_new (const SkDeadLetterRecord *letter)
{
  SkDeadLetterRow *self;

  g_return_val_if_fail (letter != NULL, NULL);

  self = g_object_new (SK_TYPE_DEAD_LETTER_ROW, NULL);
  self->letter_id = letter->id;
  self->resource = g_strdup (letter->resource);
  self->external_id = g_strdup (letter->external_id);
  self->reason = g_strdup (letter->reason);
  self->raw = letter->raw != NULL ? g_bytes_ref (letter->raw) : NULL;
  self->created_at = letter->created_at;
  self->attempts = letter->attempts;

  gtk_label_set_text (self->reason_label,
                      self->reason != NULL ? self->reason : _("The channel sent something Storekeep cannot read."));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->dismiss_button), "x", self->letter_id);
  sk_dead_letter_row_update_times (self, sk_time_now ());

  return GTK_WIDGET (self);
}

gint64
sk_dead_letter_row_get_letter_id (SkDeadLetterRow *self)
{
  g_return_val_if_fail (SK_IS_DEAD_LETTER_ROW (self), 0);

  return self->letter_id;
}

const char *
sk_dead_letter_row_get_reason (SkDeadLetterRow *self)
{
  g_return_val_if_fail (SK_IS_DEAD_LETTER_ROW (self), NULL);

  return self->reason;
}

void
sk_dead_letter_row_update_times (SkDeadLetterRow *self,
                                 gint64           now)
{
  g_autofree char *seen = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *details = NULL;

  g_return_if_fail (SK_IS_DEAD_LETTER_ROW (self));

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (self->created_at);
    g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

    /* Translators: when a payload was first seen, see g_date_time_format() */
    seen = local != NULL ? g_date_time_format (local, _("%e %B, %H:%M")) : g_strdup ("?");
    g_strstrip (seen);
  }
  attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d attempt", "%d attempts",
                                           (gulong) MAX (self->attempts, 0)),
                              (int) self->attempts);
  if (self->external_id != NULL && self->external_id[0] != '\0')
    /* Translators: "Order 450789469 · first seen 3 hours ago · 2 attempts" */
    details = g_strdup_printf (_("%s %s · first seen %s · %s"),
                               resource_label (self->resource),
                               self->external_id, seen, attempts);
  else
    /* Translators: "Order without an id · first seen 3 hours ago · 2 attempts" */
    details = g_strdup_printf (_("%s without an id · first seen %s · %s"),
                               resource_label (self->resource), seen, attempts);

  gtk_label_set_text (self->details_label, details);
}

void
sk_dead_letter_row_show_payload (SkDeadLetterRow *self,
                                 gboolean         show)
{
  g_return_if_fail (SK_IS_DEAD_LETTER_ROW (self));

  gtk_toggle_button_set_active (self->payload_button, show);
}
