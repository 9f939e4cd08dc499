/* sk-stock-popover.c: the small forms that record stock movements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inventory-logic.h"
#include "sk-stock-popover.h"
#include "sk-store-inventory.h"

#define MAX_QUANTITY 1000000000

struct _SkStockPopover
{
  GtkPopover parent_instance;

  SkStockPopoverMode mode;
  GPtrArray *locations;    /* SkLocation */
  char *reason;            /* the one last submitted */

  GtkLabel *title_label;
  GtkLabel *summary_label;
  GtkGrid *form_grid;
  GtkLabel *location_label;
  GtkDropDown *location_dropdown;
  GtkLabel *to_label;
  GtkDropDown *to_dropdown;
  GtkLabel *quantity_label;
  GtkSpinButton *quantity_spin;
  GtkAdjustment *quantity_adjustment;
  GtkWidget *reasons_box;
  GtkGrid *reasons_grid;
  GtkEntry *reason_entry;
  GtkLabel *error_label;
  GtkButton *submit_button;
};

G_DEFINE_FINAL_TYPE (SkStockPopover, sk_stock_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_MODE,
  N_PROPS
};

enum {
  SIGNAL_APPLY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
sk_stock_popover_mode_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SK_STOCK_POPOVER_REASON, "SK_STOCK_POPOVER_REASON", "reason" },
        { SK_STOCK_POPOVER_ADJUST, "SK_STOCK_POPOVER_ADJUST", "adjust" },
        { SK_STOCK_POPOVER_RECEIVE, "SK_STOCK_POPOVER_RECEIVE", "receive" },
        { SK_STOCK_POPOVER_TRANSFER, "SK_STOCK_POPOVER_TRANSFER", "transfer" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static (g_intern_static_string ("SkStockPopoverMode"), values);

      g_once_init_leave (&type, id);
    }
  return type;
}

/* Helpers */

static gint64
location_at (SkStockPopover *self,
             GtkDropDown    *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  const SkLocation *location;

  if (self->locations == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= self->locations->len)
    return 0;
  location = g_ptr_array_index (self->locations, selected);
  return location->id;
}

static char *
typed_reason (SkStockPopover *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
}

/* What is missing, as a sentence; NULL when the form (without the
 * reason) is complete. */
static const char *
form_problem (SkStockPopover *self)
{
  gint64 quantity = sk_stock_popover_get_quantity (self);

  switch (self->mode)
    {
    case SK_STOCK_POPOVER_REASON:
      return NULL;
    case SK_STOCK_POPOVER_ADJUST:
      if (location_at (self, self->location_dropdown) == 0)
        return _("Choose a location.");
      if (quantity == 0)
        return "";   /* nothing typed yet: no sentence */
      return NULL;
    case SK_STOCK_POPOVER_RECEIVE:
      if (location_at (self, self->location_dropdown) == 0)
        return _("Choose a location.");
      return quantity > 0 ? NULL : "";
    case SK_STOCK_POPOVER_TRANSFER:
      if (self->locations == NULL || self->locations->len < 2)
        return _("Stock can only move between two locations, and there is one.");
      if (location_at (self, self->location_dropdown) == location_at (self, self->to_dropdown))
        return _("Choose two different locations.");
      return quantity > 0 ? NULL : "";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
reason_required (SkStockPopover *self)
{
  return self->mode == SK_STOCK_POPOVER_REASON || self->mode == SK_STOCK_POPOVER_ADJUST;
}

static void
update_form (SkStockPopover *self)
{
  const char *problem = form_problem (self);
  g_autofree char *reason = typed_reason (self);
  gboolean complete = problem == NULL && (!reason_required (self) || *reason != '\0');
  GtkWidget *child;

  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), complete);
  gtk_label_set_label (self->error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), problem != NULL && *problem != '\0');
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->reasons_grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_sensitive (child, problem == NULL);
}

static void
fill_dropdown (GtkDropDown *dropdown,
               GPtrArray   *locations)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (locations, i);

      gtk_string_list_append (names, location->name);
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (names));
}

static void
emit_apply (SkStockPopover *self,
            const char     *reason)
{
  g_free (self->reason);
  self->reason = reason != NULL && *reason != '\0' ? g_strdup (reason) : NULL;
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SIGNAL_APPLY], 0);
}

static void
on_preset_clicked (GtkButton      *button,
                   SkStockPopover *self)
{
  sk_stock_popover_choose_reason (self, gtk_button_get_label (button));
}

static void
add_presets (SkStockPopover *self)
{
  const char * const *reasons = sk_inventory_adjust_reasons ();

  for (guint i = 0; reasons[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (reasons[i]);
      g_autofree char *tip = g_strdup_printf (_("Record the change as “%s”"), reasons[i]);

      gtk_widget_set_tooltip_text (button, tip);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_preset_clicked), self, 0);
      gtk_grid_attach (self->reasons_grid, button, (int) (i % 2), (int) (i / 2), 1, 1);
    }
}

static void
apply_mode (SkStockPopover *self)
{
  gboolean reason = self->mode == SK_STOCK_POPOVER_REASON;
  gboolean transfer = self->mode == SK_STOCK_POPOVER_TRANSFER;
  gboolean adjust = self->mode == SK_STOCK_POPOVER_ADJUST;

  gtk_widget_set_visible (GTK_WIDGET (self->form_grid), !reason);
  gtk_widget_set_visible (GTK_WIDGET (self->to_label), transfer);
  gtk_widget_set_visible (GTK_WIDGET (self->to_dropdown), transfer);
  gtk_widget_set_visible (self->reasons_box, reason || adjust);

  gtk_label_set_label (self->location_label, transfer ? C_("transfer", "_From")
                                                      : _("_Location"));
  gtk_label_set_label (self->quantity_label, adjust ? _("_Change") : _("_Quantity"));
  gtk_adjustment_configure (self->quantity_adjustment,
                            adjust ? 0 : 1, adjust ? -MAX_QUANTITY : 1, MAX_QUANTITY, 1, 10, 0);

  switch (self->mode)
    {
    case SK_STOCK_POPOVER_REASON:
      gtk_label_set_label (self->title_label, _("Why Did the Count Change?"));
      gtk_entry_set_placeholder_text (self->reason_entry, _("Another reason"));
      gtk_button_set_label (self->submit_button, _("_Record"));
      break;
    case SK_STOCK_POPOVER_ADJUST:
      gtk_label_set_label (self->title_label, _("Adjust Stock"));
      gtk_entry_set_placeholder_text (self->reason_entry, _("Another reason"));
      gtk_button_set_label (self->submit_button, _("_Adjust"));
      break;
    case SK_STOCK_POPOVER_RECEIVE:
      gtk_label_set_label (self->title_label, _("Receive Stock"));
      gtk_entry_set_placeholder_text (self->reason_entry, _("Note, for example the supplier (optional)"));
      gtk_button_set_label (self->submit_button, _("_Receive"));
      break;
    case SK_STOCK_POPOVER_TRANSFER:
      gtk_label_set_label (self->title_label, _("Transfer Stock"));
      gtk_entry_set_placeholder_text (self->reason_entry, _("Note (optional)"));
      gtk_button_set_label (self->submit_button, _("_Move Stock"));
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  reason_required (self) ? _("Reason") : _("Note"), -1);
  update_form (self);
}

/* Signal callbacks */

static void
on_form_changed (SkStockPopover *self)
{
  update_form (self);
}

static void
on_submit_button_clicked (SkStockPopover *self)
{
  sk_stock_popover_submit (self);
}

static void
on_popover_show (SkStockPopover *self)
{
  update_form (self);
  if (self->mode == SK_STOCK_POPOVER_REASON)
    {
      GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self->reasons_grid));

      if (first != NULL)
        gtk_widget_grab_focus (first);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->quantity_spin));
}

/* GObject */

static void
sk_stock_popover_constructed (GObject *object)
{
  SkStockPopover *self = SK_STOCK_POPOVER (object);

  G_OBJECT_CLASS (sk_stock_popover_parent_class)->constructed (object);
  apply_mode (self);
}

static void
sk_stock_popover_dispose (GObject *object)
{
  SkStockPopover *self = SK_STOCK_POPOVER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_STOCK_POPOVER);
  g_clear_pointer (&self->locations, g_ptr_array_unref);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (sk_stock_popover_parent_class)->dispose (object);
}

static void
sk_stock_popover_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SkStockPopover *self = SK_STOCK_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_stock_popover_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SkStockPopover *self = SK_STOCK_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_stock_popover_class_init (SkStockPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sk_stock_popover_constructed;
  object_class->dispose = sk_stock_popover_dispose;
  object_class->get_property = sk_stock_popover_get_property;
  object_class->set_property = sk_stock_popover_set_property;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, SK_TYPE_STOCK_POPOVER_MODE,
                       SK_STOCK_POPOVER_REASON,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_APPLY] =
    g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-stock-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, title_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, form_grid);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, location_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, location_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, to_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, to_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, quantity_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, quantity_spin);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, quantity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, reasons_grid);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, error_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockPopover, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_submit_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
}

static void
sk_stock_popover_init (SkStockPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_presets (self);
}

/* Public API */

GtkWidget *
sk_stock_popover_new (SkStockPopoverMode mode)
{
  return g_object_new (SK_TYPE_STOCK_POPOVER, "mode", mode, NULL);
}

SkStockPopoverMode
sk_stock_popover_get_mode (SkStockPopover *self)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), SK_STOCK_POPOVER_REASON);

  return self->mode;
}

void
sk_stock_popover_set_locations (SkStockPopover *self,
                                GPtrArray      *locations,
                                gint64          preferred)
{
  gint64 from = 0;
  gint64 to = 0;
  guint from_index = 0;

  g_return_if_fail (SK_IS_STOCK_POPOVER (self));

  if (preferred == 0)
    {
      from = location_at (self, self->location_dropdown);
      to = location_at (self, self->to_dropdown);
    }
  else
    from = preferred;

  g_clear_pointer (&self->locations, g_ptr_array_unref);
  self->locations = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_location_free);
  for (guint i = 0; locations != NULL && i < locations->len; i++)
    g_ptr_array_add (self->locations, sk_location_copy (g_ptr_array_index (locations, i)));

  fill_dropdown (self->location_dropdown, self->locations);
  fill_dropdown (self->to_dropdown, self->locations);
  for (guint i = 0; i < self->locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (self->locations, i);

      if (location->id == from)
        from_index = i;
    }
  gtk_drop_down_set_selected (self->location_dropdown, from_index);
  if (self->locations->len > 1)
    {
      guint to_index = (from_index + 1) % self->locations->len;

      for (guint i = 0; to != 0 && to != from && i < self->locations->len; i++)
        if (((const SkLocation *) g_ptr_array_index (self->locations, i))->id == to)
          to_index = i;
      gtk_drop_down_set_selected (self->to_dropdown, to_index);
    }
  update_form (self);
}

void
sk_stock_popover_set_summary (SkStockPopover *self,
                              const char     *summary)
{
  g_return_if_fail (SK_IS_STOCK_POPOVER (self));

  gtk_label_set_label (self->summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL && *summary != '\0');
}

void
sk_stock_popover_reset (SkStockPopover *self)
{
  g_return_if_fail (SK_IS_STOCK_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), "");
  gtk_adjustment_set_value (self->quantity_adjustment,
                            self->mode == SK_STOCK_POPOVER_ADJUST ? 0 : 1);
  update_form (self);
}

gint64
sk_stock_popover_get_location (SkStockPopover *self)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), 0);

  return location_at (self, self->location_dropdown);
}

gint64
sk_stock_popover_get_to_location (SkStockPopover *self)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), 0);

  return location_at (self, self->to_dropdown);
}

gint64
sk_stock_popover_get_quantity (SkStockPopover *self)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), 0);

  return (gint64) gtk_adjustment_get_value (self->quantity_adjustment);
}

void
sk_stock_popover_set_quantity (SkStockPopover *self,
                               gint64          quantity)
{
  g_return_if_fail (SK_IS_STOCK_POPOVER (self));

  gtk_adjustment_set_value (self->quantity_adjustment, (double) quantity);
  update_form (self);
}

const char *
sk_stock_popover_get_reason (SkStockPopover *self)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), NULL);

  return self->reason;
}

gboolean
sk_stock_popover_choose_reason (SkStockPopover *self,
                                const char     *reason)
{
  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), FALSE);
  g_return_val_if_fail (reason != NULL && *reason != '\0', FALSE);

  gtk_spin_button_update (self->quantity_spin);
  if (form_problem (self) != NULL)
    return FALSE;
  emit_apply (self, reason);
  return TRUE;
}

gboolean
sk_stock_popover_submit (SkStockPopover *self)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (SK_IS_STOCK_POPOVER (self), FALSE);

  gtk_spin_button_update (self->quantity_spin);
  reason = typed_reason (self);
  if (form_problem (self) != NULL || (reason_required (self) && *reason == '\0'))
    return FALSE;
  emit_apply (self, reason);
  return TRUE;
}
