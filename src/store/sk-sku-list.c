/* sk-sku-list.c: a lazy GListModel of SKUs for the inventory editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ids of the current view are read with one query (filter and sort in
 * SQL); rows are read by id in pages when a position is asked for, with a
 * small LRU of pages. Objects handed out are remembered weakly so one SKU
 * is one SkSkuItem while anybody holds it, and a refresh updates them in
 * place. A change of the ids is emitted as one items-changed over the
 * range between the common prefix and the common suffix.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <string.h>

#include "sk-sku-list.h"
#include "sk-store-inventory-private.h"

#define PAGE_SIZE 128
#define MAX_PAGES 16

/* SkSkuItem */

typedef struct
{
  gint64 location_id;
  gint64 on_hand;
  gint64 reserved;
} LocationLevel;

typedef struct
{
  gint64 channel_id;
  gint64 target;
  gint64 confirmed;
} ChannelQuantity;

struct _SkSkuItem
{
  GObject parent_instance;

  gint64 id;
  char *sku;
  char *title;
  char *variant_title;
  char *barcode;
  gboolean is_kit;
  gboolean archived;
  gint64 on_hand;
  gint64 unsellable;
  gint64 reserved;
  gint64 available;
  gint64 reorder_point;
  guint n_listings;
  GArray *levels;      /* LocationLevel */
  GArray *channels;    /* ChannelQuantity */
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_SKU,
  ITEM_PROP_TITLE,
  ITEM_PROP_VARIANT_TITLE,
  ITEM_PROP_BARCODE,
  ITEM_PROP_IS_KIT,
  ITEM_PROP_ARCHIVED,
  ITEM_PROP_ON_HAND,
  ITEM_PROP_UNSELLABLE,
  ITEM_PROP_RESERVED,
  ITEM_PROP_AVAILABLE,
  ITEM_PROP_REORDER_POINT,
  ITEM_PROP_LOW_STOCK,
  ITEM_PROP_N_LISTINGS,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (SkSkuItem, sk_sku_item, G_TYPE_OBJECT)

static void
sk_sku_item_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SkSkuItem *self = SK_SKU_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case ITEM_PROP_SKU:
      g_value_set_string (value, self->sku);
      break;
    case ITEM_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case ITEM_PROP_VARIANT_TITLE:
      g_value_set_string (value, self->variant_title);
      break;
    case ITEM_PROP_BARCODE:
      g_value_set_string (value, self->barcode);
      break;
    case ITEM_PROP_IS_KIT:
      g_value_set_boolean (value, self->is_kit);
      break;
    case ITEM_PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;
    case ITEM_PROP_ON_HAND:
      g_value_set_int64 (value, self->on_hand);
      break;
    case ITEM_PROP_UNSELLABLE:
      g_value_set_int64 (value, self->unsellable);
      break;
    case ITEM_PROP_RESERVED:
      g_value_set_int64 (value, self->reserved);
      break;
    case ITEM_PROP_AVAILABLE:
      g_value_set_int64 (value, self->available);
      break;
    case ITEM_PROP_REORDER_POINT:
      g_value_set_int64 (value, self->reorder_point);
      break;
    case ITEM_PROP_LOW_STOCK:
      g_value_set_boolean (value, sk_sku_item_get_low_stock (self));
      break;
    case ITEM_PROP_N_LISTINGS:
      g_value_set_uint (value, self->n_listings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_sku_item_finalize (GObject *object)
{
  SkSkuItem *self = SK_SKU_ITEM (object);

  g_free (self->sku);
  g_free (self->title);
  g_free (self->variant_title);
  g_free (self->barcode);
  g_array_unref (self->levels);
  g_array_unref (self->channels);

  G_OBJECT_CLASS (sk_sku_item_parent_class)->finalize (object);
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
boolean_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
sk_sku_item_class_init (SkSkuItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sk_sku_item_get_property;
  object_class->finalize = sk_sku_item_finalize;

  item_properties[ITEM_PROP_ID] = int64_property ("id");
  item_properties[ITEM_PROP_SKU] = string_property ("sku");
  item_properties[ITEM_PROP_TITLE] = string_property ("title");
  item_properties[ITEM_PROP_VARIANT_TITLE] = string_property ("variant-title");
  item_properties[ITEM_PROP_BARCODE] = string_property ("barcode");
  item_properties[ITEM_PROP_IS_KIT] = boolean_property ("is-kit");
  item_properties[ITEM_PROP_ARCHIVED] = boolean_property ("archived");
  item_properties[ITEM_PROP_ON_HAND] = int64_property ("on-hand");
  item_properties[ITEM_PROP_UNSELLABLE] = int64_property ("unsellable");
  item_properties[ITEM_PROP_RESERVED] = int64_property ("reserved");
  item_properties[ITEM_PROP_AVAILABLE] = int64_property ("available");
  item_properties[ITEM_PROP_REORDER_POINT] = int64_property ("reorder-point");
  item_properties[ITEM_PROP_LOW_STOCK] = boolean_property ("low-stock");
  item_properties[ITEM_PROP_N_LISTINGS] =
    g_param_spec_uint ("n-listings", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
sk_sku_item_init (SkSkuItem *self)
{
  self->levels = g_array_new (FALSE, FALSE, sizeof (LocationLevel));
  self->channels = g_array_new (FALSE, FALSE, sizeof (ChannelQuantity));
  self->reorder_point = -1;
}

gint64
sk_sku_item_get_id (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->id;
}

const char *
sk_sku_item_get_sku (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), NULL);
  return self->sku;
}

const char *
sk_sku_item_get_title (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), NULL);
  return self->title;
}

const char *
sk_sku_item_get_variant_title (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), NULL);
  return self->variant_title;
}

const char *
sk_sku_item_get_barcode (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), NULL);
  return self->barcode;
}

gboolean
sk_sku_item_get_is_kit (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), FALSE);
  return self->is_kit;
}

gboolean
sk_sku_item_get_archived (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), FALSE);
  return self->archived;
}

gint64
sk_sku_item_get_on_hand (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->on_hand;
}

gint64
sk_sku_item_get_unsellable (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->unsellable;
}

gint64
sk_sku_item_get_reserved (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->reserved;
}

gint64
sk_sku_item_get_available (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->available;
}

gint64
sk_sku_item_get_reorder_point (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), -1);
  return self->reorder_point;
}

gboolean
sk_sku_item_get_low_stock (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), FALSE);
  return self->reorder_point >= 0 && self->available <= self->reorder_point;
}

guint
sk_sku_item_get_n_listings (SkSkuItem *self)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);
  return self->n_listings;
}

gint64
sk_sku_item_get_on_hand_at (SkSkuItem *self,
                            gint64     location_id)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);

  for (guint i = 0; i < self->levels->len; i++)
    if (g_array_index (self->levels, LocationLevel, i).location_id == location_id)
      return g_array_index (self->levels, LocationLevel, i).on_hand;
  return 0;
}

gint64
sk_sku_item_get_reserved_at (SkSkuItem *self,
                             gint64     location_id)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), 0);

  for (guint i = 0; i < self->levels->len; i++)
    if (g_array_index (self->levels, LocationLevel, i).location_id == location_id)
      return g_array_index (self->levels, LocationLevel, i).reserved;
  return 0;
}

gboolean
sk_sku_item_get_channel_quantity (SkSkuItem *self,
                                  gint64     channel_id,
                                  gint64    *out_target,
                                  gint64    *out_confirmed)
{
  g_return_val_if_fail (SK_IS_SKU_ITEM (self), FALSE);

  for (guint i = 0; i < self->channels->len; i++)
    {
      ChannelQuantity *c = &g_array_index (self->channels, ChannelQuantity, i);

      if (c->channel_id == channel_id)
        {
          if (out_target != NULL)
            *out_target = c->target;
          if (out_confirmed != NULL)
            *out_confirmed = c->confirmed;
          return TRUE;
        }
    }
  if (out_target != NULL)
    *out_target = -1;
  if (out_confirmed != NULL)
    *out_confirmed = -1;
  return FALSE;
}

/* Reading rows */

#define ITEM_COLUMNS \
  "s.id, s.sku, s.title, s.variant_title, s.barcode, s.is_kit, s.archived, s.on_hand," \
  " s.unsellable, s.reserved, s.available, coalesce (s.reorder_point, -1)," \
  " (SELECT count(*) FROM listings l JOIN channels c ON c.id = l.channel_id" \
  "  WHERE l.sku_id = s.id AND l.removed_at IS NULL AND c.removed_at IS NULL" \
  "  AND l.match_state IN ('auto', 'manual'))"

static void
set_string (SkSkuItem   *item,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[prop]);
}

static void
set_int (SkSkuItem *item,
         gint64    *field,
         gint64     value,
         guint      prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[prop]);
}

static void
set_boolean (SkSkuItem *item,
             gboolean  *field,
             gboolean   value,
             guint      prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[prop]);
}

/* Fill @item from a row of ITEM_COLUMNS, notifying what changed. */
static void
item_update_from_stmt (SkSkuItem    *item,
                       sqlite3_stmt *stmt)
{
  gboolean low = sk_sku_item_get_low_stock (item);
  gint64 n_listings = item->n_listings;

  g_object_freeze_notify (G_OBJECT (item));
  item->id = sqlite3_column_int64 (stmt, 0);
  set_string (item, &item->sku, (const char *) sqlite3_column_text (stmt, 1), ITEM_PROP_SKU);
  set_string (item, &item->title, (const char *) sqlite3_column_text (stmt, 2), ITEM_PROP_TITLE);
  set_string (item, &item->variant_title, (const char *) sqlite3_column_text (stmt, 3), ITEM_PROP_VARIANT_TITLE);
  set_string (item, &item->barcode, (const char *) sqlite3_column_text (stmt, 4), ITEM_PROP_BARCODE);
  set_boolean (item, &item->is_kit, sqlite3_column_int (stmt, 5) != 0, ITEM_PROP_IS_KIT);
  set_boolean (item, &item->archived, sqlite3_column_int (stmt, 6) != 0, ITEM_PROP_ARCHIVED);
  set_int (item, &item->on_hand, sqlite3_column_int64 (stmt, 7), ITEM_PROP_ON_HAND);
  set_int (item, &item->unsellable, sqlite3_column_int64 (stmt, 8), ITEM_PROP_UNSELLABLE);
  set_int (item, &item->reserved, sqlite3_column_int64 (stmt, 9), ITEM_PROP_RESERVED);
  set_int (item, &item->available, sqlite3_column_int64 (stmt, 10), ITEM_PROP_AVAILABLE);
  set_int (item, &item->reorder_point, sqlite3_column_int64 (stmt, 11), ITEM_PROP_REORDER_POINT);
  set_int (item, &n_listings, sqlite3_column_int64 (stmt, 12), ITEM_PROP_N_LISTINGS);
  item->n_listings = (guint) n_listings;
  if (low != sk_sku_item_get_low_stock (item))
    g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_LOW_STOCK]);
  g_object_thaw_notify (G_OBJECT (item));
}

static gboolean
load_item_details (SkStore    *store,
                   SkSkuItem  *item,
                   GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  g_array_set_size (item->levels, 0);
  g_array_set_size (item->channels, 0);

  stmt = sk_store_reader_prepare (store,
                                  "SELECT location_id, on_hand, reserved FROM stock_levels WHERE sku_id = ?",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->id);
  for (;;)
    {
      LocationLevel level;

      if (!_sk_inv_reader_step (store, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      level.location_id = sqlite3_column_int64 (stmt, 0);
      level.on_hand = sqlite3_column_int64 (stmt, 1);
      level.reserved = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (item->levels, level);
    }
  sqlite3_reset (stmt);

  stmt = sk_store_reader_prepare (store,
                                  "SELECT l.channel_id, coalesce (l.target_quantity, -1),"
                                  " coalesce (l.confirmed_quantity, -1) FROM listings l"
                                  " WHERE l.sku_id = ? AND l.removed_at IS NULL"
                                  " AND l.match_state IN ('auto', 'manual') ORDER BY l.channel_id, l.id",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->id);
  for (;;)
    {
      ChannelQuantity c;

      if (!_sk_inv_reader_step (store, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      c.channel_id = sqlite3_column_int64 (stmt, 0);
      c.target = sqlite3_column_int64 (stmt, 1);
      c.confirmed = sqlite3_column_int64 (stmt, 2);
      /* Two listings of one SKU on a channel: the first speaks for it. */
      if (item->channels->len == 0 ||
          g_array_index (item->channels, ChannelQuantity, item->channels->len - 1).channel_id != c.channel_id)
        g_array_append_val (item->channels, c);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The row of @id into @item (new when NULL); NULL when the SKU is gone. */
static SkSkuItem *
read_item (SkStore    *store,
           gint64      id,
           SkSkuItem  *item,
           GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_reader_prepare (store, "SELECT " ITEM_COLUMNS " FROM skus s WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_sk_inv_reader_step (store, stmt, &row, error))
    return NULL;
  if (!row)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  item = item ? g_object_ref (item) : g_object_new (SK_TYPE_SKU_ITEM, NULL);
  item_update_from_stmt (item, stmt);
  sqlite3_reset (stmt);
  if (!load_item_details (store, item, error))
    g_clear_object (&item);
  return item;
}

/* SkSkuList */

typedef struct
{
  guint index;
  GPtrArray *items;   /* SkSkuItem or NULL (gone) */
  GList *link;
} Page;

struct _SkSkuList
{
  GObject parent_instance;

  SkStore *store;
  SkSkuFilter filter;
  char **words;
  SkSkuSort sort;
  gboolean descending;
  gboolean show_archived;

  GArray *ids;          /* gint64, the current view */
  gboolean loaded;
  GHashTable *pages;    /* index → Page */
  GQueue lru;
  GHashTable *live;     /* gint64 id → SkSkuItem handed out (weak) */
  GError *error;
};

static void sk_sku_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkSkuList, sk_sku_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sk_sku_list_model_init))

static void
remember_error (SkSkuList *self,
                GError    *error)
{
  if (error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_debug ("SKU list: %s", error->message);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_pages (SkSkuList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static void
live_weak_notify (gpointer  data,
                  GObject  *where_the_object_was)
{
  SkSkuList *self = data;
  gint64 id = SK_SKU_ITEM (where_the_object_was)->id;

  if (g_hash_table_lookup (self->live, &id) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->live, &id);
}

static void
remember_live (SkSkuList *self,
               SkSkuItem *item)
{
  SkSkuItem *known = g_hash_table_lookup (self->live, &item->id);

  if (known == item)
    return;
  if (known != NULL)
    g_object_weak_unref (G_OBJECT (known), live_weak_notify, self);
  g_hash_table_replace (self->live, g_memdup2 (&item->id, sizeof item->id), item);
  g_object_weak_ref (G_OBJECT (item), live_weak_notify, self);
}

static void
forget_live (SkSkuList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (G_OBJECT (value), live_weak_notify, self);
  g_hash_table_remove_all (self->live);
}

static void
escape_like (GString    *s,
             const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
}

/* The ids of the view, in order. */
static GArray *
query_ids (SkSkuList  *self,
           GError    **error)
{
  static const char * const order_by[] = {
    [SK_SKU_SORT_SKU] = "s.sku",
    [SK_SKU_SORT_TITLE] = "s.title COLLATE NOCASE",
    [SK_SKU_SORT_AVAILABLE] = "s.available",
    [SK_SKU_SORT_ON_HAND] = "s.on_hand",
  };
  g_autoptr(GString) sql = g_string_new ("SELECT s.id FROM skus s WHERE 1");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func (g_free);
  const char *direction = self->descending ? "DESC" : "ASC";
  sqlite3_stmt *stmt;
  gboolean row;

  if (!self->show_archived)
    g_string_append (sql, " AND s.archived = 0");
  switch (self->filter)
    {
    case SK_SKU_FILTER_LOW_STOCK:
      g_string_append (sql, " AND s.reorder_point IS NOT NULL AND s.available <= s.reorder_point");
      break;
    case SK_SKU_FILTER_OUT_OF_STOCK:
      g_string_append (sql, " AND s.available <= 0");
      break;
    case SK_SKU_FILTER_UNLISTED:
      g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM listings l"
                            " JOIN channels c ON c.id = l.channel_id AND c.removed_at IS NULL"
                            " WHERE l.sku_id = s.id AND l.removed_at IS NULL"
                            " AND l.match_state IN ('auto', 'manual'))");
      break;
    case SK_SKU_FILTER_KITS:
      g_string_append (sql, " AND s.is_kit = 1");
      break;
    case SK_SKU_FILTER_ALL:
    default:
      break;
    }
  for (guint i = 0; self->words != NULL && self->words[i] != NULL; i++)
    {
      GString *pattern = g_string_new ("%");

      escape_like (pattern, self->words[i]);
      g_string_append_c (pattern, '%');
      g_ptr_array_add (patterns, g_string_free (pattern, FALSE));
      g_string_append_printf (sql,
                              " AND (s.sku LIKE ?%u ESCAPE '\\' OR s.title LIKE ?%u ESCAPE '\\'"
                              " OR s.variant_title LIKE ?%u ESCAPE '\\' OR s.barcode LIKE ?%u ESCAPE '\\')",
                              i + 1, i + 1, i + 1, i + 1);
    }
  g_string_append_printf (sql, " ORDER BY %s %s, s.id %s", order_by[self->sort], direction, direction);

  /* The text varies with the filter; the cache keeps each shape. */
  stmt = sk_store_reader_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < patterns->len; i++)
    _sk_store_bind_text (stmt, (int) i + 1, patterns->pdata[i]);
  for (;;)
    {
      gint64 id;

      if (!_sk_inv_reader_step (self->store, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&ids);
}

static void
ensure_loaded (SkSkuList *self)
{
  g_autoptr(GError) error = NULL;
  GArray *ids;

  if (self->loaded)
    return;
  self->loaded = TRUE;
  ids = query_ids (self, &error);
  if (ids == NULL)
    {
      remember_error (self, error);
      return;
    }
  g_array_unref (self->ids);
  self->ids = ids;
}

static Page *
fetch_page (SkSkuList *self,
            guint      index)
{
  g_autoptr(GError) error = NULL;
  Page *page = g_new0 (Page, 1);
  guint start = index * PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->ids->len);

  page->index = index;
  page->items = g_ptr_array_new_full (end - start, g_object_unref);
  for (guint i = start; i < end && error == NULL; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      SkSkuItem *item = read_item (self->store, id, g_hash_table_lookup (self->live, &id), &error);

      /* A SKU removed since the ids were read shows as a blank row until
       * the next refresh. */
      if (item == NULL)
        item = g_object_new (SK_TYPE_SKU_ITEM, NULL);
      g_ptr_array_add (page->items, item);
    }
  remember_error (self, error);

  g_queue_push_head (&self->lru, page);
  page->link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  while (self->lru.length > MAX_PAGES)
    {
      Page *old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old->index));
    }
  return page;
}

/* Refresh objects handed out, in place. */
static void
refresh_live (SkSkuList *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (items, g_object_ref (value));
  for (guint i = 0; i < items->len && error == NULL; i++)
    {
      SkSkuItem *item = items->pdata[i];
      SkSkuItem *same = read_item (self->store, item->id, item, &error);

      g_clear_object (&same);
    }
  remember_error (self, error);
}

static void
requery (SkSkuList *self,
         gboolean   refresh_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) old = NULL;
  GArray *ids;
  guint prefix = 0, suffix = 0;

  if (!self->loaded)
    {
      /* Nobody looked yet: nothing to tell. */
      drop_pages (self);
      return;
    }
  ids = query_ids (self, &error);
  if (ids == NULL)
    {
      remember_error (self, error);
      return;
    }
  g_clear_error (&self->error);
  old = self->ids;
  self->ids = ids;
  drop_pages (self);
  if (refresh_items)
    refresh_live (self);

  while (prefix < old->len && prefix < ids->len &&
         g_array_index (old, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < ids->len - prefix &&
         g_array_index (old, gint64, old->len - 1 - suffix) ==
         g_array_index (ids, gint64, ids->len - 1 - suffix))
    suffix++;
  if (prefix == old->len && prefix == ids->len)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old->len - prefix - suffix, ids->len - prefix - suffix);
}

static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  SkSkuList     *self)
{
  if (change->flags & (SK_STORE_CHANGE_INVENTORY | SK_STORE_CHANGE_CHANNELS))
    requery (self, TRUE);
}

/* GListModel */

static GType
sk_sku_list_get_item_type (GListModel *model)
{
  return SK_TYPE_SKU_ITEM;
}

static guint
sk_sku_list_get_n_items (GListModel *model)
{
  SkSkuList *self = SK_SKU_LIST (model);

  ensure_loaded (self);
  return self->ids->len;
}

static gpointer
sk_sku_list_get_item (GListModel *model,
                      guint       position)
{
  SkSkuList *self = SK_SKU_LIST (model);
  guint index = position / PAGE_SIZE;
  Page *page;
  SkSkuItem *item;

  ensure_loaded (self);
  if (position >= self->ids->len)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      g_queue_unlink (&self->lru, page->link);
      g_queue_push_head_link (&self->lru, page->link);
    }
  else
    page = fetch_page (self, index);

  if (position % PAGE_SIZE >= page->items->len)
    return NULL;
  item = g_ptr_array_index (page->items, position % PAGE_SIZE);
  if (item->id != 0)
    remember_live (self, item);
  return g_object_ref (item);
}

static void
sk_sku_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sk_sku_list_get_item_type;
  iface->get_n_items = sk_sku_list_get_n_items;
  iface->get_item = sk_sku_list_get_item;
}

/* GObject */

static void
sk_sku_list_dispose (GObject *object)
{
  SkSkuList *self = SK_SKU_LIST (object);

  if (self->pages != NULL)
    drop_pages (self);
  if (self->live != NULL)
    forget_live (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_sku_list_parent_class)->dispose (object);
}

static void
sk_sku_list_finalize (GObject *object)
{
  SkSkuList *self = SK_SKU_LIST (object);

  g_strfreev (self->words);
  g_array_unref (self->ids);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->live);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (sk_sku_list_parent_class)->finalize (object);
}

static void
sk_sku_list_class_init (SkSkuListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_sku_list_dispose;
  object_class->finalize = sk_sku_list_finalize;
}

static void
sk_sku_list_init (SkSkuList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&self->lru);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Public API */

SkSkuList *
sk_sku_list_new (SkStore *store)
{
  SkSkuList *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  self = g_object_new (SK_TYPE_SKU_LIST, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);
  return self;
}

void
sk_sku_list_set_filter (SkSkuList   *self,
                        SkSkuFilter  filter)
{
  g_return_if_fail (SK_IS_SKU_LIST (self));
  g_return_if_fail (filter <= SK_SKU_FILTER_KITS);

  if (self->filter == filter)
    return;
  self->filter = filter;
  requery (self, FALSE);
}

void
sk_sku_list_set_search (SkSkuList  *self,
                        const char *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (SK_IS_SKU_LIST (self));

  if (text != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (text, " \t\n", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  words = g_strv_builder_end (builder);
  if (words[0] == NULL)
    g_clear_pointer (&words, g_strfreev);
  if ((words == NULL && self->words == NULL) ||
      (words != NULL && self->words != NULL &&
       g_strv_equal ((const char * const *) words, (const char * const *) self->words)))
    return;
  g_strfreev (self->words);
  self->words = g_steal_pointer (&words);
  requery (self, FALSE);
}

void
sk_sku_list_set_sort (SkSkuList *self,
                      SkSkuSort  sort,
                      gboolean   descending)
{
  g_return_if_fail (SK_IS_SKU_LIST (self));
  g_return_if_fail (sort <= SK_SKU_SORT_ON_HAND);

  if (self->sort == sort && self->descending == !!descending)
    return;
  self->sort = sort;
  self->descending = !!descending;
  requery (self, FALSE);
}

void
sk_sku_list_set_show_archived (SkSkuList *self,
                               gboolean   show_archived)
{
  g_return_if_fail (SK_IS_SKU_LIST (self));

  if (self->show_archived == !!show_archived)
    return;
  self->show_archived = !!show_archived;
  requery (self, FALSE);
}

guint
sk_sku_list_find (SkSkuList *self,
                  gint64     sku_id)
{
  g_return_val_if_fail (SK_IS_SKU_LIST (self), G_MAXUINT);

  ensure_loaded (self);
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == sku_id)
      return i;
  return G_MAXUINT;
}

void
sk_sku_list_refresh (SkSkuList *self)
{
  g_return_if_fail (SK_IS_SKU_LIST (self));
  requery (self, TRUE);
}

const GError *
sk_sku_list_get_error (SkSkuList *self)
{
  g_return_val_if_fail (SK_IS_SKU_LIST (self), NULL);
  return self->error;
}
