/* sk-count-cell.c: a count in the stock list that can be typed over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No template: a list shows dozens of these and recycles them while
 * scrolling, so the entry is only made for a cell that is edited.
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include "sk-count-cell.h"

struct _SkCountCell
{
  GtkWidget parent_instance;

  char *text;
  gboolean editable;
  gboolean editing;
  gboolean stopping;
  GtkWidget *label;    /* GtkInscription */
  GtkWidget *entry;    /* GtkEntry, made on the first edit */
};

G_DEFINE_FINAL_TYPE (SkCountCell, sk_count_cell, GTK_TYPE_WIDGET)

enum {
  SIGNAL_COMMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_entry_activate (SkCountCell *self)
{
  sk_count_cell_stop_editing (self, TRUE);
}

static gboolean
on_entry_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      SkCountCell           *self)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;
  sk_count_cell_stop_editing (self, FALSE);
  return GDK_EVENT_STOP;
}

static void
on_entry_focus_leave (SkCountCell *self)
{
  /* Clicking elsewhere keeps what was typed, as in a spreadsheet. */
  if (self->editing && !self->stopping)
    sk_count_cell_stop_editing (self, TRUE);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            SkCountCell     *self)
{
  /* The first click selects the row (the list's own gesture). */
  if (n_press == 2 && !self->editing)
    sk_count_cell_start_editing (self);
}

static void
ensure_entry (SkCountCell *self)
{
  GtkEventController *key;
  GtkEventController *focus;

  if (self->entry != NULL)
    return;
  self->entry = gtk_entry_new ();
  gtk_entry_set_alignment (GTK_ENTRY (self->entry), 1.0);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 3);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 8);
  gtk_widget_add_css_class (self->entry, "numeric");
  gtk_widget_set_visible (self->entry, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self)), -1);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_entry_key_pressed), self);
  gtk_widget_add_controller (self->entry, key);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_entry_focus_leave), self);
  gtk_widget_add_controller (self->entry, focus);
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));
}

/* GObject */

static void
sk_count_cell_dispose (GObject *object)
{
  SkCountCell *self = SK_COUNT_CELL (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->entry, gtk_widget_unparent);

  G_OBJECT_CLASS (sk_count_cell_parent_class)->dispose (object);
}

static void
sk_count_cell_finalize (GObject *object)
{
  SkCountCell *self = SK_COUNT_CELL (object);

  g_free (self->text);

  G_OBJECT_CLASS (sk_count_cell_parent_class)->finalize (object);
}

static void
sk_count_cell_class_init (SkCountCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_count_cell_dispose;
  object_class->finalize = sk_count_cell_finalize;

  signals[SIGNAL_COMMIT] =
    g_signal_new ("commit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countcell");
}

static void
sk_count_cell_init (SkCountCell *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->editable = TRUE;
  self->label = gtk_inscription_new (NULL);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (self->label), 1.0);
  gtk_inscription_set_yalign (GTK_INSCRIPTION (self->label), 0.5);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/* Public API */

GtkWidget *
sk_count_cell_new (void)
{
  return g_object_new (SK_TYPE_COUNT_CELL, NULL);
}

void
sk_count_cell_set_text (SkCountCell *self,
                        const char  *text)
{
  g_return_if_fail (SK_IS_COUNT_CELL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->label), text);
}

const char *
sk_count_cell_get_text (SkCountCell *self)
{
  g_return_val_if_fail (SK_IS_COUNT_CELL (self), NULL);

  if (self->editing)
    return gtk_editable_get_text (GTK_EDITABLE (self->entry));
  return self->text != NULL ? self->text : "";
}

void
sk_count_cell_set_editable (SkCountCell *self,
                            gboolean     editable)
{
  g_return_if_fail (SK_IS_COUNT_CELL (self));

  self->editable = !!editable;
  if (!self->editable)
    sk_count_cell_stop_editing (self, FALSE);
}

gboolean
sk_count_cell_get_editable (SkCountCell *self)
{
  g_return_val_if_fail (SK_IS_COUNT_CELL (self), FALSE);

  return self->editable;
}

gboolean
sk_count_cell_get_editing (SkCountCell *self)
{
  g_return_val_if_fail (SK_IS_COUNT_CELL (self), FALSE);

  return self->editing;
}

void
sk_count_cell_start_editing (SkCountCell *self)
{
  g_return_if_fail (SK_IS_COUNT_CELL (self));

  if (!self->editable || self->editing)
    return;
  ensure_entry (self);
  self->editing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), self->text != NULL ? self->text : "");
  gtk_widget_set_visible (self->label, FALSE);
  gtk_widget_set_visible (self->entry, TRUE);
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
sk_count_cell_set_typed (SkCountCell *self,
                         const char  *text)
{
  g_return_if_fail (SK_IS_COUNT_CELL (self));

  if (self->editing)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
}

void
sk_count_cell_stop_editing (SkCountCell *self,
                            gboolean     commit)
{
  g_autoptr(SkCountCell) hold = NULL;
  g_autofree char *typed = NULL;
  gboolean had_focus;

  g_return_if_fail (SK_IS_COUNT_CELL (self));

  if (!self->editing || self->stopping)
    return;
  hold = g_object_ref (self);
  self->stopping = TRUE;
  self->editing = FALSE;
  typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  had_focus = gtk_widget_has_focus (self->entry) ||
              gtk_widget_has_focus (gtk_widget_get_first_child (self->entry));
  gtk_widget_set_visible (self->entry, FALSE);
  gtk_widget_set_visible (self->label, TRUE);
  /* Keep the keyboard in the list rather than losing it to the window. */
  if (had_focus && gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_COLUMN_VIEW) != NULL)
    gtk_widget_grab_focus (gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_COLUMN_VIEW));
  self->stopping = FALSE;
  if (commit && g_strcmp0 (typed, self->text != NULL ? self->text : "") != 0)
    g_signal_emit (self, signals[SIGNAL_COMMIT], 0, typed);
}
