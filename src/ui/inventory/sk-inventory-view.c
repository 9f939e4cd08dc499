/* sk-inventory-view.c: the inventory editor: one stock count for every channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-column-sorter.h"
#include "sk-count-cell.h"
#include "sk-inventory-logic.h"
#include "sk-inventory-view.h"
#include "sk-inventory-view-private.h"
#include "sk-stock-csv.h"
#include "sk-stock-csv-dialog.h"
#include "sk-store-channels.h"
#include "sk-store-inventory.h"


G_DEFINE_FINAL_TYPE (SkInventoryView, sk_inventory_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_selection (SkInventoryView *self,
                              gboolean         user_changed);
static void rebuild_columns  (SkInventoryView *self,
                              gboolean         force);

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

static void
pending_clear (PendingCount *pending)
{
  g_clear_pointer (&pending->sku, g_free);
  memset (pending, 0, sizeof *pending);
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

/* Friend API for sk-inventory-view-files.c */

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

static const SkLocation *
find_location (SkInventoryView *self,
               gint64           location_id)
{
  for (guint i = 0; self->locations != NULL && i < self->locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (self->locations, i);

      if (location->id == location_id || (location_id == 0 && location->is_default))
        return location;
    }
  return NULL;
}

static const char *
location_name (SkInventoryView *self,
               gint64           location_id)
{
  const SkLocation *location = find_location (self, location_id);

  return location != NULL ? location->name : "";
}

/* Where counts are typed and goods arrive unless said otherwise: the
 * location shown, else the default one. */
static gint64
working_location (SkInventoryView *self)
{
  const SkLocation *location;

  if (self->location_filter != 0)
    return self->location_filter;
  location = find_location (self, 0);
  if (location == NULL && self->locations != NULL && self->locations->len > 0)
    location = g_ptr_array_index (self->locations, 0);
  return location != NULL ? location->id : 0;
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

/* Locations and channels */

static gboolean
same_locations (GPtrArray *a,
                GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const SkLocation *x = g_ptr_array_index (a, i);
      const SkLocation *y = g_ptr_array_index (b, i);

      if (x->id != y->id || g_strcmp0 (x->name, y->name) != 0 || x->is_default != y->is_default)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_channels (GPtrArray *a,
               GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const SkChannelRecord *x = g_ptr_array_index (a, i);
      const SkChannelRecord *y = g_ptr_array_index (b, i);

      if (x->id != y->id || g_strcmp0 (x->name, y->name) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
fill_location_dropdown (SkInventoryView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (names, _("All Locations"));
  for (guint i = 0; i < self->locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (self->locations, i);

      gtk_string_list_append (names, location->name);
      if (location->id == self->location_filter)
        selected = i + 1;
    }
  if (selected == 0)
    self->location_filter = 0;
  self->filling_locations = TRUE;
  gtk_drop_down_set_model (self->location_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->location_dropdown, selected);
  self->filling_locations = FALSE;
  /* One location: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->location_dropdown), self->locations->len > 1);
}

/* TRUE when something changed. */
static gboolean
reload_locations_and_channels (SkInventoryView *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  locations = sk_store_list_locations (store (self), FALSE, &error);
  if (locations == NULL)
    {
      g_warning ("Could not list the locations: %s", error->message);
      g_clear_error (&error);
    }
  else if (!same_locations (locations, self->locations))
    {
      g_clear_pointer (&self->locations, g_ptr_array_unref);
      self->locations = g_steal_pointer (&locations);
      fill_location_dropdown (self);
      changed = TRUE;
    }

  channels = sk_store_list_channels (store (self), &error);
  if (channels == NULL)
    g_warning ("Could not list the channels: %s", error->message);
  else if (!same_channels (channels, self->channels))
    {
      g_clear_pointer (&self->channels, g_ptr_array_unref);
      self->channels = g_steal_pointer (&channels);
      changed = TRUE;
    }
  return changed;
}

/* Cells */

static void
set_count_text (GtkWidget *inscription,
                gint64     count)
{
  g_autofree char *text = sk_inventory_format_count (count);

  gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
}

static void
bind_location_cell (SkInventoryView *self,
                    GtkWidget       *cell,
                    SkSkuItem       *item,
                    gint64           location_id)
{
  gint64 on_hand = sk_sku_item_get_on_hand_at (item, location_id);
  gint64 reserved = sk_sku_item_get_reserved_at (item, location_id);
  g_autofree char *text = NULL;
  g_autofree char *reserved_text = NULL;
  g_autofree char *tip = NULL;

  if (sk_count_cell_get_editing (SK_COUNT_CELL (cell)))
    return;
  if (sk_sku_item_get_is_kit (item))
    {
      sk_count_cell_set_text (SK_COUNT_CELL (cell), "—");
      sk_count_cell_set_editable (SK_COUNT_CELL (cell), FALSE);
      gtk_widget_set_tooltip_text (cell, _("A kit holds no stock of its own: count its components"));
      return;
    }
  text = sk_inventory_format_count (on_hand);
  reserved_text = sk_inventory_format_count (reserved);
  sk_count_cell_set_editable (SK_COUNT_CELL (cell), TRUE);
  sk_count_cell_set_text (SK_COUNT_CELL (cell), text);
  /* Translators: tooltip of an editable count: on hand and reserved at a location */
  tip = g_strdup_printf (_("%s on hand at %s, %s reserved. Double-click or press F2 to type the new count, or +3 or −2 to change it."),
                         text, location_name (self, location_id), reserved_text);
  gtk_widget_set_tooltip_text (cell, tip);
}

static void
bind_on_hand_cell (SkInventoryView *self,
                   GtkWidget       *child,
                   SkSkuItem       *item)
{
  g_autoptr(GString) tip = g_string_new (NULL);

  set_count_text (child, sk_sku_item_get_on_hand (item));
  if (sk_sku_item_get_is_kit (item))
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (child), "—");
      gtk_widget_set_tooltip_text (child, _("A kit holds no stock of its own"));
      return;
    }
  for (guint i = 0; i < self->locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (self->locations, i);
      g_autofree char *count = sk_inventory_format_count (sk_sku_item_get_on_hand_at (item, location->id));

      if (tip->len > 0)
        g_string_append_c (tip, '\n');
      /* Translators: one line of the per-location tooltip, "Main warehouse: 12" */
      g_string_append_printf (tip, _("%s: %s"), location->name, count);
    }
  gtk_widget_set_tooltip_text (child, tip->str);
}

static void
bind_channel_cell (GtkWidget *child,
                   SkSkuItem *item,
                   gint64     channel_id)
{
  gint64 target = -1;
  gint64 confirmed = -1;
  gboolean listed = sk_sku_item_get_channel_quantity (item, channel_id, &target, &confirmed);
  gboolean pending = FALSE;
  g_autofree char *tip = NULL;
  g_autofree char *text = sk_inventory_channel_cell (listed, target, confirmed, &tip, &pending);

  gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
  gtk_widget_set_tooltip_text (child, tip);
  if (pending)
    gtk_widget_add_css_class (child, "accent");
  else
    gtk_widget_remove_css_class (child, "accent");
  if (!listed)
    gtk_widget_add_css_class (child, "dim-label");
  else
    gtk_widget_remove_css_class (child, "dim-label");
}

static void
bind_state_cell (GtkWidget *child,
                 SkSkuItem *item)
{
  SkStockState state = sk_inventory_stock_state (sk_sku_item_get_available (item),
                                                 sk_sku_item_get_reorder_point (item));
  SkPill pill = sk_inventory_stock_pill (state);
  const char *label = pill.label;
  const char *classes[] = { "status-pill", sk_inbox_pill_css_class (pill.style), NULL };

  if (state == SK_STOCK_STATE_OK && sk_sku_item_get_is_kit (item))
    {
      label = C_("sku", "Kit");
      classes[1] = sk_inbox_pill_css_class (SK_PILL_ACCENT);
    }
  gtk_label_set_label (GTK_LABEL (child), label);
  gtk_widget_set_css_classes (child, classes);
  gtk_widget_set_visible (child, *label != '\0');
}

static void
bind_cell (GtkListItem *list_item)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (list_item), "sk-column");
  SkSkuItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  g_autofree char *markup = NULL;
  const char *variant;
  SkStockState state;

  if (item == NULL || child == NULL)
    return;

  switch (info->kind)
    {
    case COL_SKU:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), sk_sku_item_get_sku (item));
      break;

    case COL_PRODUCT:
      variant = sk_sku_item_get_variant_title (item);
      if (variant != NULL && *variant != '\0')
        markup = g_markup_printf_escaped ("%s <span alpha=\"55%%\">%s</span>",
                                          sk_sku_item_get_title (item), variant);
      else
        markup = g_markup_escape_text (sk_sku_item_get_title (item) != NULL
                                       ? sk_sku_item_get_title (item) : "", -1);
      gtk_inscription_set_markup (GTK_INSCRIPTION (child), markup);
      break;

    case COL_LOCATION:
      bind_location_cell (info->self, child, item, info->id);
      break;

    case COL_ON_HAND:
      bind_on_hand_cell (info->self, child, item);
      break;

    case COL_RESERVED:
      set_count_text (child, sk_sku_item_get_reserved (item));
      break;

    case COL_AVAILABLE:
      set_count_text (child, sk_sku_item_get_available (item));
      state = sk_inventory_stock_state (sk_sku_item_get_available (item),
                                        sk_sku_item_get_reorder_point (item));
      gtk_widget_remove_css_class (child, "error");
      gtk_widget_remove_css_class (child, "warning");
      if (state == SK_STOCK_STATE_OUT || state == SK_STOCK_STATE_NEGATIVE)
        gtk_widget_add_css_class (child, "error");
      else if (state == SK_STOCK_STATE_LOW)
        gtk_widget_add_css_class (child, "warning");
      break;

    case COL_CHANNEL:
      bind_channel_cell (child, item, info->id);
      break;

    case COL_STATE:
      bind_state_cell (child, item);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* After the list refreshed its items in place (their per-location and
 * per-channel numbers do not notify). */
static void
rebind_all (SkInventoryView *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    bind_cell (key);
}

static void begin_count (SkInventoryView *self,
                         GtkWidget       *cell,
                         SkSkuItem       *item,
                         gint64           location_id,
                         gint64           from,
                         gint64           to);

static void
on_count_commit (SkCountCell *cell,
                 const char  *text,
                 GtkListItem *list_item)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (list_item), "sk-column");
  SkSkuItem *item = gtk_list_item_get_item (list_item);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  gint64 current;
  gint64 level;

  if (item == NULL || sk_sku_item_get_is_kit (item))
    return;

  current = sk_sku_item_get_on_hand_at (item, info->id);
  if (!sk_inventory_parse_count (text, current, &level, &error))
    {
      g_autoptr(AdwToast) toast = adw_toast_new (error->message);

      /* A typing slip: said, not kept on screen like a failure. */
      show_toast (info->self, toast);
      return;
    }
  if (level == current)
    return;
  /* The cell shows the new count while its reason is asked. */
  shown = sk_inventory_format_count (level);
  sk_count_cell_set_text (cell, shown);
  begin_count (info->self, GTK_WIDGET (cell), item, info->id, current, level);
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               ColumnInfo               *info)
{
  GtkWidget *child;

  switch (info->kind)
    {
    case COL_LOCATION:
      child = sk_count_cell_new ();
      g_signal_connect (child, "commit", G_CALLBACK (on_count_commit), list_item);
      break;

    case COL_STATE:
      child = gtk_label_new (NULL);
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      break;

    case COL_SKU:
    case COL_PRODUCT:
    case COL_ON_HAND:
    case COL_RESERVED:
    case COL_AVAILABLE:
    case COL_CHANNEL:
    default:
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_yalign (GTK_INSCRIPTION (child), 0.5);
      if (info->kind != COL_SKU && info->kind != COL_PRODUCT)
        {
          gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 1.0);
          gtk_widget_add_css_class (child, "numeric");
        }
      if (info->kind == COL_SKU)
        gtk_widget_add_css_class (child, "order-number");
      break;
    }

  g_object_set_data (G_OBJECT (list_item), "sk-column", info);
  gtk_list_item_set_child (list_item, child);
}

static void
on_item_notify (GtkListItem *list_item)
{
  bind_cell (list_item);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              ColumnInfo               *info)
{
  SkSkuItem *item = gtk_list_item_get_item (list_item);

  bind_cell (list_item);
  g_hash_table_add (info->self->bound, list_item);
  if (item != NULL)
    g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify),
                             list_item, G_CONNECT_SWAPPED);
}

static void
on_cell_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                ColumnInfo               *info)
{
  SkSkuItem *item = gtk_list_item_get_item (list_item);

  g_hash_table_remove (info->self->bound, list_item);
  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_notify, list_item);
}

static void
on_cell_teardown (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  ColumnInfo               *info)
{
  g_hash_table_remove (info->self->bound, list_item);
}

static GtkListItemFactory *
cell_factory (SkInventoryView *self,
              ColumnKind       kind,
              gint64           id)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  ColumnInfo *info = g_new0 (ColumnInfo, 1);

  info->self = self;
  info->kind = kind;
  info->id = id;
  g_object_set_data_full (G_OBJECT (factory), "sk-column", info, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), info);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), info);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind), info);
  g_signal_connect (factory, "teardown", G_CALLBACK (on_cell_teardown), info);
  return factory;
}

static void
set_factory (SkInventoryView     *self,
             GtkColumnViewColumn *column,
             ColumnKind           kind)
{
  g_autoptr(GtkListItemFactory) factory = cell_factory (self, kind, 0);

  gtk_column_view_column_set_factory (column, factory);
}

/* Columns */

static gboolean
column_position (SkInventoryView     *self,
                 GtkColumnViewColumn *column,
                 guint               *out_position)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (c == column)
        {
          if (out_position != NULL)
            *out_position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Hidden columns are taken out rather than made invisible: GTK 4.8 still
 * counts an invisible column's fixed width when it shares out the width
 * (as in the inbox). @after: the column it follows when shown. */
static void
show_column (SkInventoryView     *self,
             GtkColumnViewColumn *column,
             GtkColumnViewColumn *after,
             gboolean             show)
{
  guint position = 0;

  if (column_position (self, column, NULL) == show)
    return;
  if (!show)
    {
      gtk_column_view_remove_column (self->column_view, column);
      return;
    }
  if (column_position (self, after, &position))
    position++;
  gtk_column_view_insert_column (self->column_view, position, column);
}

static GtkColumnViewColumn *
add_dynamic_column (SkInventoryView *self,
                    GPtrArray       *columns,
                    guint            position,
                    const char      *title,
                    ColumnKind       kind,
                    gint64           id,
                    int              width)
{
  g_autoptr(GtkListItemFactory) factory = cell_factory (self, kind, id);
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, g_steal_pointer (&factory));

  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_insert_column (self->column_view, position, column);
  g_ptr_array_add (columns, column);
  return column;
}

static void
remove_columns (SkInventoryView *self,
                GPtrArray       *columns)
{
  for (guint i = 0; i < columns->len; i++)
    gtk_column_view_remove_column (self->column_view, g_ptr_array_index (columns, i));
  g_ptr_array_set_size (columns, 0);
}

/* One column per location when there are few (or the one chosen), else
 * their total. Only rebuilt when that choice changes: rebuilding drops
 * every cell, also one being edited. */
static void
rebuild_location_columns (SkInventoryView *self,
                          gboolean         narrow,
                          gboolean         force)
{
  guint n = self->locations != NULL ? self->locations->len : 0;
  gboolean per_location = self->location_filter == 0 && n > 0 &&
                          sk_inventory_use_location_columns (n) && !narrow;
  g_autofree char *layout = g_strdup_printf ("%" G_GINT64_FORMAT ":%d", self->location_filter,
                                             per_location);
  guint position = 0;

  if (!force && g_strcmp0 (layout, self->location_layout) == 0)
    return;
  g_free (self->location_layout);
  self->location_layout = g_steal_pointer (&layout);
  remove_columns (self, self->location_columns);

  column_position (self, self->product_column, &position);
  position++;
  if (self->location_filter != 0)
    add_dynamic_column (self, self->location_columns, position,
                        location_name (self, self->location_filter),
                        COL_LOCATION, self->location_filter, 136);
  else if (per_location)
    for (guint i = 0; i < n; i++)
      {
        const SkLocation *location = g_ptr_array_index (self->locations, i);

        add_dynamic_column (self, self->location_columns, position++, location->name,
                            COL_LOCATION, location->id, 136);
      }
  else
    {
      GtkColumnViewColumn *column = add_dynamic_column (self, self->location_columns, position,
                                                        _("On Hand"), COL_ON_HAND, 0, 84);
      g_autoptr(GtkSorter) sorter = sk_column_sorter_new (SK_SKU_SORT_ON_HAND);

      gtk_column_view_column_set_sorter (column, sorter);
    }
}

/* One column per channel unless the pane leaves no room. */
static void
rebuild_channel_columns (SkInventoryView *self,
                         gboolean         compact,
                         gboolean         force)
{
  int shown = compact || self->channels == NULL ? 0 : 1;
  guint position = 0;

  if (!force && shown == self->channels_shown)
    return;
  self->channels_shown = shown;
  remove_columns (self, self->channel_columns);
  if (!shown)
    return;
  column_position (self, self->available_column, &position);
  position++;
  for (guint i = 0; i < self->channels->len; i++)
    {
      const SkChannelRecord *channel = g_ptr_array_index (self->channels, i);

      add_dynamic_column (self, self->channel_columns, position++,
                          channel->name != NULL ? channel->name : channel->account,
                          COL_CHANNEL, channel->id, 120);
    }
}

/* @force: the locations or channels changed. */
static void
rebuild_columns (SkInventoryView *self,
                 gboolean         force)
{
  gboolean narrow = adw_flap_get_folded (self->flap);
  gboolean compact = narrow || adw_flap_get_reveal_flap (self->flap);

  show_column (self, self->reserved_column, self->product_column, !narrow);
  show_column (self, self->state_column, self->available_column, !compact);
  rebuild_location_columns (self, narrow, force);
  rebuild_channel_columns (self, compact, force);
}

static void
on_flap_layout_changed (SkInventoryView *self)
{
  rebuild_columns (self, FALSE);
}

/* Sorting: the column view's sorter only says which column; SQL sorts. */

static void
on_column_sorter_changed (SkInventoryView *self)
{
  int key;
  gboolean descending;

  if (self->applying_sort)
    return;
  if (!sk_column_sorter_probe (gtk_column_view_get_sorter (self->column_view), &key, &descending))
    {
      key = SK_SKU_SORT_SKU;
      descending = FALSE;
    }
  sk_sku_list_set_sort (self->skus, (SkSkuSort) key, descending);
}

static void
setup_sorters (SkInventoryView *self)
{
  const struct {
    GtkColumnViewColumn *column;
    SkSkuSort sort;
  } sortable[] = {
    { self->sku_column, SK_SKU_SORT_SKU },
    { self->product_column, SK_SKU_SORT_TITLE },
    { self->available_column, SK_SKU_SORT_AVAILABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sortable); i++)
    {
      g_autoptr(GtkSorter) sorter = sk_column_sorter_new (sortable[i].sort);

      gtk_column_view_column_set_sorter (sortable[i].column, sorter);
    }
  self->applying_sort = TRUE;
  gtk_column_view_sort_by_column (self->column_view, self->sku_column, GTK_SORT_ASCENDING);
  self->applying_sort = FALSE;
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

static void
on_toast_undo (AdwToast        *toast,
               SkInventoryView *self)
{
  /* Only the newest change can be undone: older toasts do nothing. */
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "sk-serial")) == self->undo_serial)
    undo (self);
}

void
_sk_inventory_view_on_toast_undo (AdwToast        *toast,
                                  SkInventoryView *self)
{
  on_toast_undo (toast, self);
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
        show_error_toast (self, error);
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
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_toast_undo), self, 0);
    }
  show_toast (self, toast);
  update_actions (self);
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
  sk_inventory_apply_edits_async (inventory (self), edits, reason, self->cancellable,
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
  update_actions (self);
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

      show_toast (self, toast);
    }
  return stock;
}

/* The inline count */

/* The reason popover points at the cell typed in, also when the list
 * moves under it (the pane opening, a refresh). */
static void
point_at_cell (SkInventoryView *self)
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

static void
begin_count (SkInventoryView *self,
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

  pending_clear (&self->pending);
  self->pending.sku_id = sk_sku_item_get_id (item);
  self->pending.sku = g_strdup (sk_sku_item_get_sku (item));
  self->pending.location_id = location_id;
  self->pending.from = from;
  self->pending.to = to;

  /* Translators: what a typed count changes: "TS-42 at Main warehouse: 12 → 10 (−2)" */
  summary = g_strdup_printf (_("%s at %s: %s → %s (%s)"), self->pending.sku,
                             location_name (self, location_id), from_text, to_text, change);
  sk_stock_popover_reset (self->reason_popover);
  sk_stock_popover_set_summary (self->reason_popover, summary);
  g_set_weak_pointer (&self->pending_cell, cell);
  point_at_cell (self);
  gtk_popover_popup (GTK_POPOVER (self->reason_popover));
}

static void
on_reason_popover_closed (SkInventoryView *self)
{
  /* Without a reason nothing is recorded: the cells show the levels. */
  g_clear_weak_pointer (&self->pending_cell);
  rebind_all (self);
}

static void
on_reason_popover_apply (SkInventoryView *self)
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
  text = sk_inventory_adjust_toast (self->pending.sku, location_name (self, self->pending.location_id),
                                    change, reason);
  apply_edits (self, edits, reason, text, sk_inventory_plan_undo (edits, NULL), FALSE);
  pending_clear (&self->pending);
}

/* The selection bar's forms */

static void
on_stock_popover_show (SkInventoryView *self,
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
  sk_stock_popover_set_locations (popover, self->locations, working_location (self));
  sk_stock_popover_set_summary (popover, summary);
}

static void
on_adjust_popover_apply (SkInventoryView *self)
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
                                      location_name (self, location), change, reason);
  else
    text = sk_inventory_bulk_toast (items->len, change, location_name (self, location), reason);
  apply_edits (self, edits, reason, text, sk_inventory_plan_undo (edits, NULL), FALSE);
}

static void
on_receive_popover_apply (SkInventoryView *self)
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
                                     quantity, location_name (self, location));
  apply_edits (self, edits, note, text,
               sk_inventory_plan_undo (edits, NULL), FALSE);
}

static void
on_transfer_popover_apply (SkInventoryView *self)
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
                                      quantity, location_name (self, from), location_name (self, to));
  apply_edits (self, edits, note, text,
               sk_inventory_plan_undo (edits, NULL), FALSE);
}

/* Signal callbacks */

static void
on_store_changed (SkInventoryView *self,
                  SkStoreChange   *change)
{
  if (!(change->flags & (SK_STORE_CHANGE_INVENTORY | SK_STORE_CHANGE_CHANNELS)))
    return;
  if (reload_locations_and_channels (self))
    rebuild_columns (self, TRUE);
  /* The list refreshed its items in place before this handler ran. */
  rebind_all (self);
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
  rebuild_columns (self, FALSE);
}

/* Actions */

static void
action_search (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  sk_inventory_view_focus_search (SK_INVENTORY_VIEW (widget));
}

static gboolean
edit_count_later (gpointer data)
{
  SkInventoryView *self = data;

  if (self->location_filter != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "inventory.edit-count", NULL);
  return G_SOURCE_REMOVE;
}

static void
action_edit_count (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);
  g_autoptr(GPtrArray) items = selected_items (self);
  GtkWidget *cell;

  if (items->len != 1)
    return;
  cell = sk_inventory_view_get_count_cell (self, sk_sku_item_get_id (g_ptr_array_index (items, 0)),
                                           working_location (self));
  if (cell != NULL)
    sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  else if (self->location_filter == 0 && working_location (self) != 0)
    {
      /* Many locations share one total column: show the default one's
       * counts, then edit there once the row is bound again. */
      sk_inventory_view_set_location_filter (self, working_location (self));
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

static void
action_adjust (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->adjust_button);
}

static void
action_receive (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->receive_button);
}

static void
action_transfer (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);

  popup_form (self, self->transfer_button);
}

static void
action_undo_last (GtkWidget  *widget,
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

  set_factory (self, self->sku_column, COL_SKU);
  set_factory (self, self->product_column, COL_PRODUCT);
  set_factory (self, self->reserved_column, COL_RESERVED);
  set_factory (self, self->available_column, COL_AVAILABLE);
  set_factory (self, self->state_column, COL_STATE);
  setup_sorters (self);

  self->skus = sk_sku_list_new (store (self));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->skus)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  reload_locations_and_channels (self);
  rebuild_columns (self, TRUE);

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skus, "items-changed",
                           G_CALLBACK (on_skus_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_column_sorter_changed), self, G_CONNECT_SWAPPED);
  /* After the list's own handler (connected when it was made). */
  g_signal_connect_object (store (self), "changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_layout_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (on_flap_layout_changed), self, G_CONNECT_SWAPPED);

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
  pending_clear (&self->pending);

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
    point_at_cell (self);
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
  gtk_widget_class_bind_template_callback (widget_class, on_stock_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_adjust_popover_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_receive_popover_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_popover_apply);

  gtk_widget_class_install_action (widget_class, "inventory.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "inventory.edit-count", NULL, action_edit_count);
  gtk_widget_class_install_action (widget_class, "inventory.adjust", NULL, action_adjust);
  gtk_widget_class_install_action (widget_class, "inventory.receive", NULL, action_receive);
  gtk_widget_class_install_action (widget_class, "inventory.transfer", NULL, action_transfer);
  gtk_widget_class_install_action (widget_class, "inventory.undo-last", NULL, action_undo_last);
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
  g_signal_connect_object (self->reason_popover, "apply", G_CALLBACK (on_reason_popover_apply),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_popover, "closed", G_CALLBACK (on_reason_popover_closed),
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
