/* sk-inventory-view-columns.c: the inventory view's columns and their cells
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The locations and channels the columns are made from; one editable count
 * column per location (or their total) and one column per channel, rebuilt
 * only when that choice changes; the cell factories that bind SkSkuItem
 * rows; and the sorters (the column view only says which column, SQL sorts).
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-column-sorter.h"
#include "sk-count-cell.h"
#include "sk-inventory-logic.h"
#include "sk-inventory-view-private.h"
#include "sk-store-channels.h"
#include "sk-store-inventory.h"

/* Locations and channels */

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

const char *
_sk_inventory_view_location_name (SkInventoryView *self,
                                  gint64           location_id)
{
  const SkLocation *location = find_location (self, location_id);

  return location != NULL ? location->name : "";
}

/* Where counts are typed and goods arrive unless said otherwise: the
 * location shown, else the default one. */
gint64
_sk_inventory_view_working_location (SkInventoryView *self)
{
  const SkLocation *location;

  if (self->location_filter != 0)
    return self->location_filter;
  location = find_location (self, 0);
  if (location == NULL && self->locations != NULL && self->locations->len > 0)
    location = g_ptr_array_index (self->locations, 0);
  return location != NULL ? location->id : 0;
}

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
gboolean
_sk_inventory_view_reload_locations_and_channels (SkInventoryView *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  locations = sk_store_list_locations (_sk_inventory_view_get_store (self), FALSE, &error);
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

  channels = sk_store_list_channels (_sk_inventory_view_get_store (self), &error);
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
                         text, _sk_inventory_view_location_name (self, location_id), reserved_text);
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
void
_sk_inventory_view_rebind_all (SkInventoryView *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    bind_cell (key);
}

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
      _sk_inventory_view_show_toast (info->self, toast);
      return;
    }
  if (level == current)
    return;
  /* The cell shows the new count while its reason is asked. */
  shown = sk_inventory_format_count (level);
  sk_count_cell_set_text (cell, shown);
  _sk_inventory_view_begin_count (info->self, GTK_WIDGET (cell), item, info->id, current, level);
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
                        _sk_inventory_view_location_name (self, self->location_filter),
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
void
_sk_inventory_view_rebuild_columns (SkInventoryView *self,
                                    gboolean         force)
{
  gboolean narrow = adw_flap_get_folded (self->flap);
  gboolean compact = narrow || adw_flap_get_reveal_flap (self->flap);

  show_column (self, self->reserved_column, self->product_column, !narrow);
  show_column (self, self->state_column, self->available_column, !compact);
  rebuild_location_columns (self, narrow, force);
  rebuild_channel_columns (self, compact, force);
}

void
_sk_inventory_view_on_flap_layout_changed (SkInventoryView *self)
{
  _sk_inventory_view_rebuild_columns (self, FALSE);
}

/* Sorting: the column view's sorter only says which column; SQL sorts. */

void
_sk_inventory_view_on_column_sorter_changed (SkInventoryView *self)
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

void
_sk_inventory_view_setup_columns (SkInventoryView *self)
{
  set_factory (self, self->sku_column, COL_SKU);
  set_factory (self, self->product_column, COL_PRODUCT);
  set_factory (self, self->reserved_column, COL_RESERVED);
  set_factory (self, self->available_column, COL_AVAILABLE);
  set_factory (self, self->state_column, COL_STATE);
  setup_sorters (self);
}
