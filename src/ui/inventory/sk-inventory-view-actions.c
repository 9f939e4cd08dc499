/* sk-inventory-view-actions.c: changing stock from the inventory view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The count typed in a cell and its reason popover; the selection bar's
 * adjust, receive and transfer forms and their actions; recording the
 * edits through the engine, with an undo of the newest change.
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-count-cell.h"
#include "sk-inventory-logic.h"
#include "sk-inventory-view-private.h"
#include "sk-store-inventory.h"

/* Helpers */

void
_sk_inventory_view_pending_clear (PendingCount *pending)
{
  g_clear_pointer (&pending->sku, g_free);
  memset (pending, 0, sizeof *pending);
}

/* The selected SKUs (SkSkuItem). */
static GPtrArray *
selected_items (SkInventoryView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        SkSkuItem *item = g_list_model_get_item (G_LIST_MODEL (self->skus), position);

        if (item != NULL && sk_sku_item_get_id (item) != 0)
          g_ptr_array_add (items, item);
        else if (item != NULL)
          g_object_unref (item);
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return items;
}

/* Recording edits */

typedef struct {
  SkInventoryView *self;
  GPtrArray *edits;
  char *reason;
  char *text;          /* the toast */
  GPtrArray *undo;     /* SkStockEdit, or NULL: no undo offered */
  gboolean is_undo;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->edits, g_ptr_array_unref);
  g_clear_pointer (&data->undo, g_ptr_array_unref);
  g_free (data->reason);
  g_free (data->text);
  g_free (data);
}

static void undo (SkInventoryView *self);

void
_sk_inventory_view_on_toast_undo (AdwToast        *toast,
                                  SkInventoryView *self)
{
  /* Only the newest change can be undone: older toasts do nothing. */
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "sk-serial")) == self->undo_serial)
    undo (self);
}

static void
on_edits_applied (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ApplyData *data = user_data;
  SkInventoryView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = NULL;

  self->n_busy--;
  if (!sk_inventory_apply_edits_finish (SK_INVENTORY (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sk_inventory_view_show_error_toast (self, error);
      apply_data_free (data);
      return;
    }

  if (data->is_undo)
    {
      /* Translators: toast after an undo; %s is the toast of the change undone */
      g_autofree char *text = g_strdup_printf (_("Undone: %s"), data->text);

      toast = adw_toast_new (text);
    }
  else
    toast = adw_toast_new (data->text);
  if (!data->is_undo && data->undo != NULL && data->undo->len > 0)
    {
      self->undo_serial++;
      g_clear_pointer (&self->undo_edits, g_ptr_array_unref);
      self->undo_edits = g_steal_pointer (&data->undo);
      g_free (self->undo_reason);
      /* Translators: the reason recorded with the movements of an undo */
      self->undo_reason = g_strdup_printf (_("Undo: %s"), data->reason != NULL ? data->reason : data->text);
      g_free (self->undo_text);
      self->undo_text = g_strdup (data->text);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data (G_OBJECT (toast), "sk-serial", GUINT_TO_POINTER (self->undo_serial));
      g_signal_connect_object (toast, "button-clicked",
                               G_CALLBACK (_sk_inventory_view_on_toast_undo), self, 0);
    }
  _sk_inventory_view_show_toast (self, toast);
  _sk_inventory_view_update_actions (self);
  apply_data_free (data);
}

/* Record @edits through the engine; takes @edits, @text and @undo_plan. */
static void
apply_edits (SkInventoryView *self,
             GPtrArray       *edits,
             const char      *reason,
             char            *text,
             GPtrArray       *undo_plan,
             gboolean         is_undo)
{
  ApplyData *data = g_new0 (ApplyData, 1);

  data->self = g_object_ref (self);
  data->edits = edits;
  data->reason = g_strdup (reason);
  data->text = text;
  data->undo = undo_plan;
  data->is_undo = is_undo;
  self->n_busy++;
  sk_inventory_apply_edits_async (_sk_inventory_view_get_inventory (self), edits, reason, self->cancellable,
                                  on_edits_applied, data);
}

static void
undo (SkInventoryView *self)
{
  GPtrArray *edits = g_steal_pointer (&self->undo_edits);

  if (edits == NULL)
    return;
  self->undo_serial++;
  apply_edits (self, edits, self->undo_reason, g_steal_pointer (&self->undo_text), NULL, TRUE);
  g_clear_pointer (&self->undo_reason, g_free);
  _sk_inventory_view_update_actions (self);
}

static GPtrArray *
new_edits (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
}

/* The plain SKUs among the selected (kits hold no stock). */
static GPtrArray *
selected_stock_items (SkInventoryView *self)
{
  g_autoptr(GPtrArray) items = selected_items (self);
  GPtrArray *stock = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < items->len; i++)
    {
      SkSkuItem *item = g_ptr_array_index (items, i);

      if (!sk_sku_item_get_is_kit (item))
        g_ptr_array_add (stock, g_object_ref (item));
    }
  if (stock->len == 0 && items->len > 0)
    {
      g_autoptr(AdwToast) toast = adw_toast_new (_("Kits hold no stock of their own: change the stock of their components instead"));

      _sk_inventory_view_show_toast (self, toast);
    }
  return stock;
}

/* The inline count */

/* The reason popover points at the cell typed in, also when the list
 * moves under it (the pane opening, a refresh). */
void
_sk_inventory_view_point_at_cell (SkInventoryView *self)
{
  graphene_rect_t bounds;
  GdkRectangle rect;
  GdkRectangle now;

  if (self->pending_cell == NULL ||
      !gtk_widget_compute_bounds (self->pending_cell, GTK_WIDGET (self), &bounds))
    return;
  rect.x = (int) bounds.origin.x;
  rect.y = (int) bounds.origin.y;
  rect.width = MAX ((int) bounds.size.width, 1);
  rect.height = MAX ((int) bounds.size.height, 1);
  if (gtk_popover_get_pointing_to (GTK_POPOVER (self->reason_popover), &now) &&
      gdk_rectangle_equal (&now, &rect))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->reason_popover), &rect);
}

void
_sk_inventory_view_begin_count (SkInventoryView *self,
                                GtkWidget       *cell,
                                SkSkuItem       *item,
                                gint64           location_id,
                                gint64           from,
                                gint64           to)
{
  g_autofree char *from_text = sk_inventory_format_count (from);
  g_autofree char *to_text = sk_inventory_format_count (to);
  g_autofree char *change = sk_inventory_format_change (to - from);
  g_autofree char *summary = NULL;

  _sk_inventory_view_pending_clear (&self->pending);
  self->pending.sku_id = sk_sku_item_get_id (item);
  self->pending.sku = g_strdup (sk_sku_item_get_sku (item));
  self->pending.location_id = location_id;
  self->pending.from = from;
  self->pending.to = to;

  /* Translators: what a typed count changes: "TS-42 at Main warehouse: 12 → 10 (−2)" */
  summary = g_strdup_printf (_("%s at %s: %s → %s (%s)"), self->pending.sku,
                             _sk_inventory_view_location_name (self, location_id),
                             from_text, to_text, change);
  sk_stock_popover_reset (self->reason_popover);
  sk_stock_popover_set_summary (self->reason_popover, summary);
  g_set_weak_pointer (&self->pending_cell, cell);
  _sk_inventory_view_point_at_cell (self);
  gtk_popover_popup (GTK_POPOVER (self->reason_popover));
}

void
_sk_inventory_view_on_reason_popover_closed (SkInventoryView *self)
{
  /* Without a reason nothing is recorded: the cells show the levels. */
  g_clear_weak_pointer (&self->pending_cell);
  _sk_inventory_view_rebind_all (self);
}

void
_sk_inventory_view_on_reason_popover_apply (SkInventoryView *self)
{
  const char *reason = sk_stock_popover_get_reason (self->reason_popover);
  GPtrArray *edits;
  gint64 change = self->pending.to - self->pending.from;
  char *text;

  if (self->pending.sku_id == 0 || change == 0 || reason == NULL)
    return;
  edits = new_edits ();
  g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_ADJUST, self->pending.sku_id,
                                             self->pending.location_id, change));
  text = sk_inventory_adjust_toast (self->pending.sku,
                                    _sk_inventory_view_location_name (self, self->pending.location_id),
                                    change, reason);
  apply_edits (self, edits, reason, text, sk_inventory_plan_undo (edits, NULL), FALSE);
  _sk_inventory_view_pending_clear (&self->pending);
}

/* The selection bar's forms */

void
_sk_inventory_view_on_stock_popover_show (SkInventoryView *self,
                                          SkStockPopover  *popover)
{
  g_autoptr(GPtrArray) items = selected_items (self);
  g_autofree char *summary = NULL;

  if (items->len == 1)
    {
      SkSkuItem *item = g_ptr_array_index (items, 0);

      summary = g_strdup_printf ("%s · %s", sk_sku_item_get_sku (item), sk_sku_item_get_title (item));
    }
  else
    summary = sk_inventory_selection_summary (items->len);
  sk_stock_popover_reset (popover);
  sk_stock_popover_set_locations (popover, self->locations, _sk_inventory_view_working_location (self));
  sk_stock_popover_set_summary (popover, summary);
}

void
_sk_inventory_view_on_adjust_popover_apply (SkInventoryView *self)
{
  g_autoptr(GPtrArray) items = selected_stock_items (self);
  gint64 location = sk_stock_popover_get_location (self->adjust_popover);
  gint64 change = sk_stock_popover_get_quantity (self->adjust_popover);
  const char *reason = sk_stock_popover_get_reason (self->adjust_popover);
  GPtrArray *edits;
  char *text;

  if (items->len == 0 || change == 0 || reason == NULL)
    return;
  edits = new_edits ();
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_ADJUST,
                                               sk_sku_item_get_id (g_ptr_array_index (items, i)),
                                               location, change));
  if (items->len == 1)
    text = sk_inventory_adjust_toast (sk_sku_item_get_sku (g_ptr_array_index (items, 0)),
                                      _sk_inventory_view_location_name (self, location), change, reason);
  else
    text = sk_inventory_bulk_toast (items->len, change,
                                    _sk_inventory_view_location_name (self, location), reason);
  apply_edits (self, edits, reason, text, sk_inventory_plan_undo (edits, NULL), FALSE);
}

void
_sk_inventory_view_on_receive_popover_apply (SkInventoryView *self)
{
  g_autoptr(GPtrArray) items = selected_stock_items (self);
  gint64 location = sk_stock_popover_get_location (self->receive_popover);
  gint64 quantity = sk_stock_popover_get_quantity (self->receive_popover);
  const char *note = sk_stock_popover_get_reason (self->receive_popover);
  GPtrArray *edits;
  char *text;

  if (items->len == 0 || quantity <= 0)
    return;
  edits = new_edits ();
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_RECEIVE,
                                               sk_sku_item_get_id (g_ptr_array_index (items, i)),
                                               location, quantity));
  text = sk_inventory_receive_toast (items->len, sk_sku_item_get_sku (g_ptr_array_index (items, 0)),
                                     quantity, _sk_inventory_view_location_name (self, location));
  apply_edits (self, edits, note, text,
               sk_inventory_plan_undo (edits, NULL), FALSE);
}

void
_sk_inventory_view_on_transfer_popover_apply (SkInventoryView *self)
{
  g_autoptr(GPtrArray) items = selected_stock_items (self);
  gint64 from = sk_stock_popover_get_location (self->transfer_popover);
  gint64 to = sk_stock_popover_get_to_location (self->transfer_popover);
  gint64 quantity = sk_stock_popover_get_quantity (self->transfer_popover);
  const char *note = sk_stock_popover_get_reason (self->transfer_popover);
  GPtrArray *edits;
  char *text;

  if (items->len == 0 || quantity <= 0 || from == to)
    return;
  edits = new_edits ();
  for (guint i = 0; i < items->len; i++)
    {
      SkStockEdit *edit = sk_stock_edit_new (SK_MOVEMENT_TRANSFER_OUT,
                                             sk_sku_item_get_id (g_ptr_array_index (items, i)),
                                             from, quantity);

      edit->to_location_id = to;
      g_ptr_array_add (edits, edit);
    }
  text = sk_inventory_transfer_toast (items->len, sk_sku_item_get_sku (g_ptr_array_index (items, 0)),
                                      quantity, _sk_inventory_view_location_name (self, from),
                                      _sk_inventory_view_location_name (self, to));
  apply_edits (self, edits, note, text,
               sk_inventory_plan_undo (edits, NULL), FALSE);
}

static gboolean
edit_count_later (gpointer data)
{
  SkInventoryView *self = data;

  if (self->location_filter != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "inventory.edit-count", NULL);
  return G_SOURCE_REMOVE;
}

void
_sk_inventory_view_action_edit_count (GtkWidget  *widget,
                                      const char *name,
                                      GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);
  g_autoptr(GPtrArray) items = selected_items (self);
  GtkWidget *cell;

  if (items->len != 1)
    return;
  cell = sk_inventory_view_get_count_cell (self, sk_sku_item_get_id (g_ptr_array_index (items, 0)),
                                           _sk_inventory_view_working_location (self));
  if (cell != NULL)
    sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  else if (self->location_filter == 0 && _sk_inventory_view_working_location (self) != 0)
    {
      /* Many locations share one total column: show the default one's
       * counts, then edit there once the row is bound again. */
      sk_inventory_view_set_location_filter (self, _sk_inventory_view_working_location (self));
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, edit_count_later, g_object_ref (self), g_object_unref);
    }
}

static void
popup_form (SkInventoryView *self,
            GtkMenuButton   *button)
{
  if (!gtk_widget_get_sensitive (GTK_WIDGET (button)))
    return;
  gtk_revealer_set_reveal_child (self->selection_revealer, TRUE);
  gtk_menu_button_popup (button);
}

void
_sk_inventory_view_action_adjust (GtkWidget  *widget,
                                  const char *name,
                                  GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->adjust_button);
}

void
_sk_inventory_view_action_receive (GtkWidget  *widget,
                                   const char *name,
                                   GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->receive_button);
}

void
_sk_inventory_view_action_transfer (GtkWidget  *widget,
                                    const char *name,
                                    GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->transfer_button);
}

void
_sk_inventory_view_action_undo_last (GtkWidget  *widget,
                                     const char *name,
                                     GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  /* Only the toast that offers this undo: an error toast stays up (and
   * libadwaita 1.2 cannot dismiss a high-priority toast while the one it
   * replaced is still animating out). */
  if (self->last_toast != NULL &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->last_toast), "sk-serial")) == self->undo_serial &&
      self->undo_edits != NULL)
    adw_toast_dismiss (self->last_toast);
  undo (self);
}

