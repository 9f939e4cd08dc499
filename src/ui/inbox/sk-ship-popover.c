/* sk-ship-popover.c: "Mark as Shipped" for the order in the pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-ship-popover.h"

typedef struct {
  int             position;
  gint64          left;
  GtkCheckButton *check;
  GtkSpinButton  *spin;      /* owned when not shown (one left) */
} LineRow;

struct _SkShipPopover
{
  GtkPopover parent_instance;

  gint64 order_id;
  GPtrArray *line_rows;     /* LineRow */
  gboolean busy;

  GtkLabel *title_label;
  AdwEntryRow *carrier_row;
  GtkMenuButton *carrier_button;
  AdwEntryRow *tracking_row;
  AdwEntryRow *url_row;
  GtkListBox *lines_list;
  GtkLabel *error_label;
  GtkButton *confirm_button;
};

enum {
  SIGNAL_CONFIRM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkShipPopover, sk_ship_popover, GTK_TYPE_POPOVER)

/* Brand names: not translated. */
static const char * const carriers[] = {
  "UPS", "USPS", "FedEx", "DHL", "DHL Express", "DPD", "GLS", "Hermes",
  "Royal Mail", "Canada Post", "Australia Post", "Japan Post", "La Poste",
  "PostNL", "Deutsche Post", NULL
};

/* The carrier of the last parcel, offered for the next one. */
static char *last_carrier;

static void
line_row_free (LineRow *row)
{
  if (row->left <= 1)
    g_clear_object (&row->spin);
  g_free (row);
}

static char *
editable_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static gboolean
url_is_acceptable (const char *url)
{
  return *url == '\0' ||
         g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "http://", 7) == 0;
}

static gboolean
any_line_chosen (SkShipPopover *self)
{
  for (guint i = 0; i < self->line_rows->len; i++)
    {
      LineRow *row = g_ptr_array_index (self->line_rows, i);

      if (gtk_check_button_get_active (row->check))
        return TRUE;
    }
  return FALSE;
}

static void
update_ready (SkShipPopover *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button),
                            !self->busy && sk_ship_popover_get_ready (self));
}

static void
on_field_changed (SkShipPopover *self)
{
  g_autofree char *url = editable_text (self->url_row);

  /* An error said what to fix; it is being fixed. */
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (url_is_acceptable (url))
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  update_ready (self);
}

static void
on_line_toggled (GtkCheckButton *check,
                 SkShipPopover  *self)
{
  for (guint i = 0; i < self->line_rows->len; i++)
    {
      LineRow *row = g_ptr_array_index (self->line_rows, i);

      if (row->check == check)
        gtk_widget_set_sensitive (GTK_WIDGET (row->spin), gtk_check_button_get_active (check));
    }
  on_field_changed (self);
}

static void
on_entry_activated (SkShipPopover *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->confirm_button)))
    g_signal_emit (self, signals[SIGNAL_CONFIRM], 0);
}

static void
on_confirm_button_clicked (SkShipPopover *self)
{
  g_autofree char *url = editable_text (self->url_row);

  if (!url_is_acceptable (url))
    {
      sk_ship_popover_show_error (self, _("The tracking link must start with https://. Copy it from the carrier’s website, or leave it empty."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CONFIRM], 0);
}

static void
on_popover_show (SkShipPopover *self)
{
  const char *carrier = gtk_editable_get_text (GTK_EDITABLE (self->carrier_row));

  if (carrier == NULL || *carrier == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->carrier_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
}

static void
carrier_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SkShipPopover *self = SK_SHIP_POPOVER (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->carrier_row), g_variant_get_string (parameter, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_row));
}

static GMenuModel *
carriers_menu (void)
{
  GMenu *menu = g_menu_new ();

  for (guint i = 0; carriers[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (carriers[i], NULL);

      g_menu_item_set_action_and_target_value (item, "ship.carrier",
                                               g_variant_new_string (carriers[i]));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static char *
line_subtitle (const SkOrderLine *line,
               gint64             left)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char count[32];

  if (line->variant_title != NULL && *line->variant_title != '\0')
    g_string_append (text, line->variant_title);
  if (line->sku != NULL && *line->sku != '\0')
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: the stock keeping unit of an order line */
      g_string_append_printf (text, _("SKU %s"), line->sku);
    }
  if (left < line->quantity)
    {
      g_autofree char *part = NULL;

      g_snprintf (count, sizeof count, "%" G_GINT64_FORMAT, left);
      /* Translators: how many of an item are not shipped yet, "2 left" */
      part = g_strdup_printf (_("%s left"), count);
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
line_row_new (SkShipPopover     *self,
              int                position,
              const SkOrderLine *line,
              gint64             left)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, (double) left, 1);
  g_autofree char *subtitle = line_subtitle (line, left);
  g_autofree char *spin_label = NULL;
  const char *title = line->title != NULL && *line->title != '\0' ? line->title
                                                                  : _("Untitled item");
  LineRow *data = g_new0 (LineRow, 1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) left);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Translators: accessible name of the count of an item in a parcel */
  spin_label = g_strdup_printf (_("How many of “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  spin_label, -1);
  gtk_widget_set_tooltip_text (spin, _("How many go in this parcel"));
  if (left > 1)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  else
    {
      /* One left: nothing to count. The spin button stays unparented,
       * holding 1. */
      GtkWidget *one = gtk_label_new (C_("quantity in a parcel", "× 1"));

      gtk_widget_add_css_class (one, "dim-label");
      gtk_widget_add_css_class (one, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), one);
      g_object_ref_sink (spin);
    }

  data->position = position;
  data->left = left;
  data->check = GTK_CHECK_BUTTON (check);
  data->spin = GTK_SPIN_BUTTON (spin);
  g_ptr_array_add (self->line_rows, data);

  g_signal_connect_object (check, "toggled", G_CALLBACK (on_line_toggled), self, 0);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_field_changed), self,
                           G_CONNECT_SWAPPED);
  return row;
}

static void
sk_ship_popover_dispose (GObject *object)
{
  SkShipPopover *self = SK_SHIP_POPOVER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_SHIP_POPOVER);

  G_OBJECT_CLASS (sk_ship_popover_parent_class)->dispose (object);
}

static void
sk_ship_popover_finalize (GObject *object)
{
  SkShipPopover *self = SK_SHIP_POPOVER (object);

  g_clear_pointer (&self->line_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sk_ship_popover_parent_class)->finalize (object);
}

static void
sk_ship_popover_class_init (SkShipPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_ship_popover_dispose;
  object_class->finalize = sk_ship_popover_finalize;

  /**
   * SkShipPopover::confirm:
   *
   * The user asked to record the shipment as entered.
   */
  signals[SIGNAL_CONFIRM] =
    g_signal_new ("confirm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-ship-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, title_label);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, carrier_row);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, carrier_button);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, tracking_row);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, url_row);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, lines_list);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, error_label);
  gtk_widget_class_bind_template_child (widget_class, SkShipPopover, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);

  gtk_widget_class_install_action (widget_class, "ship.carrier", "s", carrier_action);
}

static void
sk_ship_popover_init (SkShipPopover *self)
{
  g_autoptr(GMenuModel) menu = carriers_menu ();

  self->line_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) line_row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_menu_model (self->carrier_button, menu);
  if (last_carrier != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->carrier_row), last_carrier);
  update_ready (self);
}

GtkWidget *
sk_ship_popover_new (void)
{
  return g_object_new (SK_TYPE_SHIP_POPOVER, NULL);
}

void
sk_ship_popover_set_order (SkShipPopover *self,
                           SkOrder       *order,
                           const gint64  *left,
                           guint          n_left)
{
  GPtrArray *lines;
  GtkWidget *child;
  g_autofree char *title = NULL;
  const char *number;

  g_return_if_fail (SK_IS_SHIP_POPOVER (self));
  g_return_if_fail (SK_IS_ORDER (order));

  if (self->order_id != sk_order_get_id (order))
    sk_ship_popover_reset (self);
  self->order_id = sk_order_get_id (order);

  number = sk_order_get_number (order);
  if (number == NULL)
    number = sk_order_get_external_id (order);
  /* Translators: heading of the shipping popover, "Ship Order #1042" */
  title = g_strdup_printf (_("Ship Order %s"), number != NULL ? number : "");
  gtk_label_set_label (self->title_label, title);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_list))) != NULL)
    gtk_list_box_remove (self->lines_list, child);
  g_ptr_array_set_size (self->line_rows, 0);

  lines = sk_order_get_lines (order);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      gint64 line_left = i < n_left ? left[i] : 0;

      if (line_left > 0)
        gtk_list_box_append (self->lines_list,
                             line_row_new (self, (int) i, g_ptr_array_index (lines, i), line_left));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  sk_ship_popover_set_busy (self, FALSE);
}

gint64
sk_ship_popover_get_order_id (SkShipPopover *self)
{
  g_return_val_if_fail (SK_IS_SHIP_POPOVER (self), 0);

  return self->order_id;
}

guint
sk_ship_popover_get_n_lines (SkShipPopover *self)
{
  g_return_val_if_fail (SK_IS_SHIP_POPOVER (self), 0);

  return self->line_rows->len;
}

gboolean
sk_ship_popover_get_ready (SkShipPopover *self)
{
  g_autofree char *carrier = NULL;
  g_autofree char *number = NULL;

  g_return_val_if_fail (SK_IS_SHIP_POPOVER (self), FALSE);

  carrier = editable_text (self->carrier_row);
  number = editable_text (self->tracking_row);
  return self->order_id != 0 && *carrier != '\0' && *number != '\0' && any_line_chosen (self);
}

SkShipment *
sk_ship_popover_build_shipment (SkShipPopover *self)
{
  g_autofree char *carrier = NULL;
  g_autofree char *number = NULL;
  g_autofree char *url = NULL;
  SkShipment *shipment;

  g_return_val_if_fail (SK_IS_SHIP_POPOVER (self), NULL);

  if (!sk_ship_popover_get_ready (self))
    return NULL;

  carrier = editable_text (self->carrier_row);
  number = editable_text (self->tracking_row);
  url = editable_text (self->url_row);
  if (!url_is_acceptable (url))
    return NULL;

  shipment = sk_shipment_new (self->order_id, carrier, number, *url != '\0' ? url : NULL);
  for (guint i = 0; i < self->line_rows->len; i++)
    {
      LineRow *row = g_ptr_array_index (self->line_rows, i);

      if (gtk_check_button_get_active (row->check))
        sk_shipment_add_line (shipment, row->position,
                              (gint64) gtk_spin_button_get_value_as_int (row->spin));
    }

  g_free (last_carrier);
  last_carrier = g_strdup (carrier);
  return shipment;
}

void
sk_ship_popover_set_busy (SkShipPopover *self,
                          gboolean       busy)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));

  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->carrier_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tracking_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_list), !busy);
  update_ready (self);
}

void
sk_ship_popover_show_error (SkShipPopover *self,
                            const char    *message)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

void
sk_ship_popover_reset (SkShipPopover *self)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->tracking_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

void
sk_ship_popover_set_carrier (SkShipPopover *self,
                             const char    *carrier)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->carrier_row), carrier != NULL ? carrier : "");
}

void
sk_ship_popover_set_tracking (SkShipPopover *self,
                              const char    *number,
                              const char    *url)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->tracking_row), number != NULL ? number : "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

void
sk_ship_popover_set_line_quantity (SkShipPopover *self,
                                   int            position,
                                   gint64         quantity)
{
  g_return_if_fail (SK_IS_SHIP_POPOVER (self));

  for (guint i = 0; i < self->line_rows->len; i++)
    {
      LineRow *row = g_ptr_array_index (self->line_rows, i);

      if (row->position != position)
        continue;
      gtk_check_button_set_active (row->check, quantity > 0);
      if (quantity > 0)
        gtk_spin_button_set_value (row->spin, (double) MIN (quantity, row->left));
      return;
    }
  g_warning ("Line %d is not offered for shipping", position);
}

const char * const *
sk_ship_popover_get_carriers (void)
{
  return carriers;
}
