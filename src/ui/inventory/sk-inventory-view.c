/* sk-inventory-view.c: the inventory editor: one stock count for every channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget, its pages, selection and public API. Its parts:
 * sk-inventory-view-columns.c (columns and cells), -actions.c (changing
 * stock, undo) and -files.c (count files); sk-inventory-view-private.h
 * is what they share.
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inventory-logic.h"
#include "sk-inventory-view.h"
#include "sk-inventory-view-private.h"
#include "sk-store-inventory.h"

G_DEFINE_FINAL_TYPE (SkInventoryView, sk_inventory_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static SkStore *
store (SkInventoryView *self)
{
  return sk_context_get_store (self->context);
}

/* The one given, else the application's (in the context), else one of
 * our own: it records and recomputes the same way, but nobody started it
 * to follow the store. */
static SkInventory *
inventory (SkInventoryView *self)
{
  if (self->inventory == NULL && sk_context_get_inventory (self->context) != NULL)
    self->inventory = g_object_ref (sk_context_get_inventory (self->context));
  if (self->inventory == NULL)
    self->inventory = sk_inventory_new (store (self));
  return self->inventory;
}

static gboolean
is_filtering (SkInventoryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (text != NULL && *text != '\0') ||
         gtk_drop_down_get_selected (self->filter_dropdown) != SK_SKU_FILTER_ALL;
}

static void
show_toast (SkInventoryView *self,
            AdwToast        *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_set_object (&self->last_toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (toast));
}

static void
show_error_toast (SkInventoryView *self,
                  const GError    *error)
{
  g_autoptr(AdwToast) toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

/* Friend API for the view's parts (sk-inventory-view-private.h) */

SkStore *
_sk_inventory_view_get_store (SkInventoryView *self)
{
  return store (self);
}

SkInventory *
_sk_inventory_view_get_inventory (SkInventoryView *self)
{
  return inventory (self);
}

void
_sk_inventory_view_show_toast (SkInventoryView *self,
                               AdwToast        *toast)
{
  show_toast (self, toast);
}

void
_sk_inventory_view_show_error_toast (SkInventoryView *self,
                                     const GError    *error)
{
  show_error_toast (self, error);
}

/* The GtkListView inside the column view, for its list.* actions. */
static GtkWidget *
inner_list_view (SkInventoryView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to (SkInventoryView *self,
           guint            position)
{
  GtkWidget *list = inner_list_view (self);

  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
}

/* Pages */

static void
update_unmatched (SkInventoryView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean on_queue = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "unmatched") == 0;

  self->n_unmatched = sk_store_count_unmatched_listings (store (self), 0, &error);
  if (error != NULL)
    {
      g_warning ("Could not count the unmatched listings: %s", error->message);
      self->n_unmatched = 0;
    }
  text = sk_inventory_unmatched_banner (self->n_unmatched);
  if (text != NULL)
    gtk_label_set_label (self->unmatched_label, text);
  gtk_revealer_set_reveal_child (self->unmatched_revealer, text != NULL && !on_queue);
}

static void
update_page (SkInventoryView *self)
{
  const GError *error = sk_sku_list_get_error (self->skus);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->skus));
  SkInventoryPage page = sk_inventory_choose_page (n_items, is_filtering (self), error != NULL);

  if (page == SK_INVENTORY_PAGE_NO_RESULTS)
    {
      g_autofree char *text = NULL;

      text = sk_inventory_no_results_text (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                           gtk_drop_down_get_selected (self->filter_dropdown) != SK_SKU_FILTER_ALL);
      adw_status_page_set_description (self->no_results_page, text);
    }
  else if (page == SK_INVENTORY_PAGE_ERROR)
    adw_status_page_set_description (self->error_page, error->message);

  gtk_stack_set_visible_child_name (self->content_stack, sk_inventory_page_name (page));
  /* Nothing to search yet: no search field either. */
  gtk_widget_set_visible (self->toolbar, page != SK_INVENTORY_PAGE_EMPTY);
  gtk_widget_set_visible (self->toolbar_separator, page != SK_INVENTORY_PAGE_EMPTY);
}

/* Actions' state */

static void
update_actions (SkInventoryView *self)
{
  gboolean any = self->n_selected > 0;
  gboolean stock = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "stock") == 0;
  gboolean can_move = any && self->locations != NULL && self->locations->len > 0;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "inventory.adjust", can_move);
  gtk_widget_action_set_enabled (widget, "inventory.receive", can_move);
  gtk_widget_action_set_enabled (widget, "inventory.transfer",
                                 any && self->locations != NULL && self->locations->len > 1);
  gtk_widget_action_set_enabled (widget, "inventory.edit-count", self->n_selected == 1 && stock);
  gtk_widget_action_set_enabled (widget, "inventory.unselect", any);
  gtk_widget_action_set_enabled (widget, "inventory.undo-last", self->undo_edits != NULL);
  gtk_widget_action_set_enabled (widget, "inventory.clear-filters", is_filtering (self));
  gtk_widget_action_set_enabled (widget, "inventory.show-list", !stock);

  gtk_widget_set_sensitive (GTK_WIDGET (self->adjust_button), can_move);
  gtk_widget_set_sensitive (GTK_WIDGET (self->receive_button), can_move);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transfer_button),
                            any && self->locations != NULL && self->locations->len > 1);
}

void
_sk_inventory_view_update_actions (SkInventoryView *self)
{
  update_actions (self);
}

static void
update_selection (SkInventoryView *self,
                  gboolean         user_changed)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (set);
  g_autofree char *summary = NULL;

  self->n_selected = (guint) MIN (n, G_MAXUINT);
  summary = sk_inventory_selection_summary (self->n_selected);

  if (n == 1)
    {
      g_autoptr(SkSkuItem) item = g_list_model_get_item (G_LIST_MODEL (self->skus),
                                                         gtk_bitset_get_minimum (set));

      sk_sku_pane_show_sku (self->sku_pane, item != NULL ? sk_sku_item_get_id (item) : 0);
    }
  else if (n > 1)
    sk_sku_pane_show_summary (self->sku_pane, self->n_selected);
  else
    sk_sku_pane_show_sku (self->sku_pane, 0);

  gtk_label_set_label (self->selection_label, summary != NULL ? summary : "");
  gtk_revealer_set_reveal_child (self->selection_revealer, n > 0);
  if (user_changed || n == 0)
    adw_flap_set_reveal_flap (self->flap, n > 0);
  update_actions (self);
}

static void
on_selection_changed (SkInventoryView *self)
{
  update_selection (self, TRUE);
}

static void
on_skus_items_changed (SkInventoryView *self,
                       guint            position,
                       guint            removed,
                       guint            added)
{
  update_page (self);
  if (self->n_selected > 0 || removed > 0)
    update_selection (self, FALSE);
}

/* Signal callbacks */

static void
on_store_changed (SkInventoryView *self,
                  SkStoreChange   *change)
{
  if (!(change->flags & (SK_STORE_CHANGE_INVENTORY | SK_STORE_CHANGE_CHANNELS)))
    return;
  if (_sk_inventory_view_reload_locations_and_channels (self))
    _sk_inventory_view_rebuild_columns (self, TRUE);
  /* The list refreshed its items in place before this handler ran. */
  _sk_inventory_view_rebind_all (self);
  update_unmatched (self);
  sk_sku_pane_reload (self->sku_pane);
  update_page (self);
  update_actions (self);
}

static void
on_search_entry_search_changed (SkInventoryView *self)
{
  sk_sku_list_set_search (self->skus, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_page (self);
  update_actions (self);
}

static void
on_search_entry_stop_search (SkInventoryView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_search_entry_activate (SkInventoryView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->skus)) == 0)
    return;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
  scroll_to (self, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_filter_dropdown_selected (SkInventoryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (self->skus == NULL)
    return;
  sk_sku_list_set_filter (self->skus, selected <= SK_SKU_FILTER_KITS ? selected : SK_SKU_FILTER_ALL);
  update_page (self);
  update_actions (self);
}

static void
on_location_dropdown_selected (SkInventoryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->location_dropdown);
  gint64 location_id = 0;

  if (self->filling_locations || self->locations == NULL)
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= self->locations->len)
    location_id = ((const SkLocation *) g_ptr_array_index (self->locations, selected - 1))->id;
  if (location_id == self->location_filter)
    return;
  self->location_filter = location_id;
  _sk_inventory_view_rebuild_columns (self, FALSE);
}

/* Actions */

static void
action_search (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  sk_inventory_view_focus_search (SK_INVENTORY_VIEW (widget));
}

static void
action_unselect (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
action_clear_filters (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->filter_dropdown, SK_SKU_FILTER_ALL);
  sk_sku_list_set_search (self->skus, NULL);
  update_page (self);
  update_actions (self);
}

static void
action_show_unmatched (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  sk_inventory_view_show_unmatched (SK_INVENTORY_VIEW (widget), TRUE);
}

static void
action_show_list (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  sk_inventory_view_show_unmatched (SK_INVENTORY_VIEW (widget), FALSE);
}

/* GObject */

static void
sk_inventory_view_constructed (GObject *object)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (object);

  G_OBJECT_CLASS (sk_inventory_view_parent_class)->constructed (object);

  g_assert (SK_IS_CONTEXT (self->context));

  _sk_inventory_view_setup_columns (self);

  self->skus = sk_sku_list_new (store (self));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->skus)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  _sk_inventory_view_reload_locations_and_channels (self);
  _sk_inventory_view_rebuild_columns (self, TRUE);

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skus, "items-changed",
                           G_CALLBACK (on_skus_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (_sk_inventory_view_on_column_sorter_changed), self, G_CONNECT_SWAPPED);
  /* After the list's own handler (connected when it was made). */
  g_signal_connect_object (store (self), "changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (_sk_inventory_view_on_flap_layout_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (_sk_inventory_view_on_flap_layout_changed), self, G_CONNECT_SWAPPED);

  sk_sku_pane_set_context (self->sku_pane, self->context);
  sk_unmatched_queue_set_context (self->unmatched_queue, self->context);
  update_unmatched (self);
  update_page (self);
  update_selection (self, FALSE);
}

static void
sk_inventory_view_dispose (GObject *object)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* Nothing may reach the half-disposed widgets below. */
  if (self->skus != NULL)
    g_signal_handlers_disconnect_by_data (self->skus, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (store (self), self);
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  g_clear_weak_pointer (&self->pending_cell);
  if (self->reason_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->reason_popover));
      self->reason_popover = NULL;
    }
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_INVENTORY_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->location_columns, g_ptr_array_unref);
  g_clear_pointer (&self->channel_columns, g_ptr_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->skus);
  g_clear_object (&self->last_toast);
  g_clear_pointer (&self->undo_edits, g_ptr_array_unref);
  _sk_inventory_view_pending_clear (&self->pending);

  G_OBJECT_CLASS (sk_inventory_view_parent_class)->dispose (object);
}

static void
sk_inventory_view_finalize (GObject *object)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->inventory);
  g_clear_object (&self->context);
  g_clear_pointer (&self->locations, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_free (self->undo_reason);
  g_free (self->undo_text);
  g_free (self->location_layout);

  G_OBJECT_CLASS (sk_inventory_view_parent_class)->finalize (object);
}

static void
sk_inventory_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  GTK_WIDGET_CLASS (sk_inventory_view_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->reason_popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->reason_popover)))
    _sk_inventory_view_point_at_cell (self);
  if (self->reason_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->reason_popover));
}

static void
sk_inventory_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (object);

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
sk_inventory_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (object);

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
sk_inventory_view_class_init (SkInventoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sk_inventory_view_constructed;
  object_class->dispose = sk_inventory_view_dispose;
  object_class->finalize = sk_inventory_view_finalize;
  object_class->get_property = sk_inventory_view_get_property;
  object_class->set_property = sk_inventory_view_set_property;
  widget_class->size_allocate = sk_inventory_view_size_allocate;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, SK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SK_TYPE_SKU_PANE);
  g_type_ensure (SK_TYPE_STOCK_POPOVER);
  g_type_ensure (SK_TYPE_UNMATCHED_QUEUE);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-inventory-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inventoryview");

  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, unmatched_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, unmatched_label);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, toolbar_separator);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, location_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, flap);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, sku_column);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, product_column);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, reserved_column);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, available_column);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, state_column);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, adjust_button);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, receive_button);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, adjust_popover);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, receive_popover);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, transfer_popover);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, sku_pane);
  gtk_widget_class_bind_template_child (widget_class, SkInventoryView, unmatched_queue);

  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_dropdown_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_location_dropdown_selected);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_stock_popover_show",
                                                G_CALLBACK (_sk_inventory_view_on_stock_popover_show));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_adjust_popover_apply",
                                                G_CALLBACK (_sk_inventory_view_on_adjust_popover_apply));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_receive_popover_apply",
                                                G_CALLBACK (_sk_inventory_view_on_receive_popover_apply));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_transfer_popover_apply",
                                                G_CALLBACK (_sk_inventory_view_on_transfer_popover_apply));

  gtk_widget_class_install_action (widget_class, "inventory.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "inventory.edit-count", NULL, _sk_inventory_view_action_edit_count);
  gtk_widget_class_install_action (widget_class, "inventory.adjust", NULL, _sk_inventory_view_action_adjust);
  gtk_widget_class_install_action (widget_class, "inventory.receive", NULL, _sk_inventory_view_action_receive);
  gtk_widget_class_install_action (widget_class, "inventory.transfer", NULL, _sk_inventory_view_action_transfer);
  gtk_widget_class_install_action (widget_class, "inventory.undo-last", NULL, _sk_inventory_view_action_undo_last);
  gtk_widget_class_install_action (widget_class, "inventory.unselect", NULL, action_unselect);
  gtk_widget_class_install_action (widget_class, "inventory.clear-filters", NULL, action_clear_filters);
  gtk_widget_class_install_action (widget_class, "inventory.show-unmatched", NULL, action_show_unmatched);
  gtk_widget_class_install_action (widget_class, "inventory.show-list", NULL, action_show_list);
  gtk_widget_class_install_action (widget_class, "inventory.import-counts", NULL, _sk_inventory_view_action_import_counts);
  gtk_widget_class_install_action (widget_class, "inventory.export-counts", NULL, _sk_inventory_view_action_export_counts);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "inventory.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "inventory.edit-count", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "inventory.adjust", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "inventory.receive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "inventory.transfer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "inventory.undo-last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "inventory.unselect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "inventory.import-counts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "inventory.export-counts", NULL);
}

static void
sk_inventory_view_init (SkInventoryView *self)
{
  self->cancellable = g_cancellable_new ();
  self->bound = g_hash_table_new (NULL, NULL);
  self->location_columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->channel_columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->channels_shown = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->reason_popover = SK_STOCK_POPOVER (sk_stock_popover_new (SK_STOCK_POPOVER_REASON));
  gtk_widget_set_parent (GTK_WIDGET (self->reason_popover), GTK_WIDGET (self));
  gtk_popover_set_position (GTK_POPOVER (self->reason_popover), GTK_POS_BOTTOM);
  g_signal_connect_object (self->reason_popover, "apply", G_CALLBACK (_sk_inventory_view_on_reason_popover_apply),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_popover, "closed", G_CALLBACK (_sk_inventory_view_on_reason_popover_closed),
                           self, G_CONNECT_SWAPPED);
}

/* Public API */

GtkWidget *
sk_inventory_view_new (SkContext *context)
{
  g_return_val_if_fail (SK_IS_CONTEXT (context), NULL);

  return g_object_new (SK_TYPE_INVENTORY_VIEW, "context", context, NULL);
}

SkContext *
sk_inventory_view_get_context (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return self->context;
}

void
sk_inventory_view_set_inventory (SkInventoryView *self,
                                 SkInventory     *inventory)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));
  g_return_if_fail (inventory == NULL || SK_IS_INVENTORY (inventory));

  g_set_object (&self->inventory, inventory);
}

SkInventory *
sk_inventory_view_get_inventory (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return inventory (self);
}

GListModel *
sk_inventory_view_get_model (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->skus);
}

GtkSelectionModel *
sk_inventory_view_get_selection (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

SkSkuPane *
sk_inventory_view_get_sku_pane (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return self->sku_pane;
}

SkUnmatchedQueue *
sk_inventory_view_get_unmatched_queue (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return self->unmatched_queue;
}

void
sk_inventory_view_focus_search (SkInventoryView *self)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));

  sk_inventory_view_show_unmatched (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
sk_inventory_view_set_search_text (SkInventoryView *self,
                                   const char      *text)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Now, not after the entry's search delay. */
  on_search_entry_search_changed (self);
}

void
sk_inventory_view_set_filter (SkInventoryView *self,
                              SkSkuFilter      filter)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));
  g_return_if_fail (filter <= SK_SKU_FILTER_KITS);

  gtk_drop_down_set_selected (self->filter_dropdown, filter);
}

void
sk_inventory_view_set_location_filter (SkInventoryView *self,
                                       gint64           location_id)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));

  for (guint i = 0; self->locations != NULL && i < self->locations->len; i++)
    if (((const SkLocation *) g_ptr_array_index (self->locations, i))->id == location_id)
      {
        gtk_drop_down_set_selected (self->location_dropdown, i + 1);
        return;
      }
  gtk_drop_down_set_selected (self->location_dropdown, 0);
}

gboolean
sk_inventory_view_select_sku (SkInventoryView *self,
                              gint64           sku_id)
{
  guint position;

  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), FALSE);

  position = sk_sku_list_find (self->skus, sku_id);
  if (position == G_MAXUINT)
    return FALSE;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  scroll_to (self, position);
  return TRUE;
}

void
sk_inventory_view_show_unmatched (SkInventoryView *self,
                                  gboolean         show)
{
  g_return_if_fail (SK_IS_INVENTORY_VIEW (self));

  if (show)
    sk_unmatched_queue_reload (self->unmatched_queue);
  gtk_stack_set_visible_child_name (self->main_stack, show ? "unmatched" : "stock");
  update_unmatched (self);
  update_actions (self);
}

const char *
sk_inventory_view_get_visible_page (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "unmatched") == 0)
    return "unmatched";
  return gtk_stack_get_visible_child_name (self->content_stack);
}

gint64
sk_inventory_view_get_n_unmatched (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), 0);

  return self->n_unmatched;
}

GtkWidget *
sk_inventory_view_get_count_cell (SkInventoryView *self,
                                  gint64           sku_id,
                                  gint64           location_id)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ColumnInfo *info = g_object_get_data (G_OBJECT (key), "sk-column");
      SkSkuItem *item = gtk_list_item_get_item (key);

      if (info != NULL && info->kind == COL_LOCATION && info->id == location_id &&
          item != NULL && sk_sku_item_get_id (item) == sku_id)
        return gtk_list_item_get_child (key);
    }
  return NULL;
}

SkStockPopover *
sk_inventory_view_get_reason_popover (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return self->reason_popover;
}

SkStockPopover *
sk_inventory_view_get_stock_popover (SkInventoryView    *self,
                                     SkStockPopoverMode  mode)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  switch (mode)
    {
    case SK_STOCK_POPOVER_ADJUST:
      return self->adjust_popover;
    case SK_STOCK_POPOVER_RECEIVE:
      return self->receive_popover;
    case SK_STOCK_POPOVER_TRANSFER:
      return self->transfer_popover;
    case SK_STOCK_POPOVER_REASON:
    default:
      return self->reason_popover;
    }
}

AdwToast *
sk_inventory_view_get_last_toast (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), NULL);

  return self->last_toast;
}

gboolean
sk_inventory_view_get_busy (SkInventoryView *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY_VIEW (self), FALSE);

  return self->n_busy > 0;
}
