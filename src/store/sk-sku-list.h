/* sk-sku-list.h: a lazy GListModel of SKUs for the inventory editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are SkSkuItem objects: the SKU's master fields and stock totals
 * as properties (bind them in a GtkColumnView), and per location / per
 * channel numbers through functions. The list keeps the ids of the current
 * filter and sort (one query; 50,000 SKUs are 400 KB) and reads rows in
 * pages of 128 when asked. When the store announces an inventory change,
 * the ids are read again and one items-changed covers the part that
 * differs; items already handed out are refreshed in place (their
 * properties notify), so a count typed in a cell shows its new available
 * number without the row being replaced. Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "sk-store.h"

G_BEGIN_DECLS

#define SK_TYPE_SKU_ITEM (sk_sku_item_get_type ())
G_DECLARE_FINAL_TYPE (SkSkuItem, sk_sku_item, SK, SKU_ITEM, GObject)

/* Properties (read-only, notify when a refresh changes them): "id",
 * "sku", "title", "variant-title", "barcode", "is-kit", "archived",
 * "on-hand", "unsellable", "reserved", "available", "reorder-point" (-1:
 * none), "low-stock" (available ≤ reorder point), "n-listings" (matched,
 * active listings). */
gint64       sk_sku_item_get_id             (SkSkuItem *self);
const char  *sk_sku_item_get_sku            (SkSkuItem *self);
const char  *sk_sku_item_get_title          (SkSkuItem *self);
const char  *sk_sku_item_get_variant_title  (SkSkuItem *self);
const char  *sk_sku_item_get_barcode        (SkSkuItem *self);
gboolean     sk_sku_item_get_is_kit         (SkSkuItem *self);
gboolean     sk_sku_item_get_archived       (SkSkuItem *self);
gint64       sk_sku_item_get_on_hand        (SkSkuItem *self);
gint64       sk_sku_item_get_unsellable     (SkSkuItem *self);
gint64       sk_sku_item_get_reserved       (SkSkuItem *self);
gint64       sk_sku_item_get_available      (SkSkuItem *self);
gint64       sk_sku_item_get_reorder_point  (SkSkuItem *self);
gboolean     sk_sku_item_get_low_stock      (SkSkuItem *self);
guint        sk_sku_item_get_n_listings     (SkSkuItem *self);
/* Sellable on hand and reserved at one location (0 when none). */
gint64       sk_sku_item_get_on_hand_at     (SkSkuItem *self,
                                             gint64     location_id);
gint64       sk_sku_item_get_reserved_at    (SkSkuItem *self,
                                             gint64     location_id);
/* What @channel_id should show (the last computed target) and what it
 * last confirmed; FALSE when the SKU is not listed there. -1 for a value
 * not known yet. */
gboolean     sk_sku_item_get_channel_quantity (SkSkuItem *self,
                                             gint64     channel_id,
                                             gint64    *out_target,
                                             gint64    *out_confirmed);

typedef enum {
  SK_SKU_FILTER_ALL,
  SK_SKU_FILTER_LOW_STOCK,     /* at or below the reorder point */
  SK_SKU_FILTER_OUT_OF_STOCK,  /* nothing available */
  SK_SKU_FILTER_UNLISTED,      /* on no channel (unmatched) */
  SK_SKU_FILTER_KITS,
} SkSkuFilter;

typedef enum {
  SK_SKU_SORT_SKU,             /* default, ascending */
  SK_SKU_SORT_TITLE,
  SK_SKU_SORT_AVAILABLE,
  SK_SKU_SORT_ON_HAND,
} SkSkuSort;

#define SK_TYPE_SKU_LIST (sk_sku_list_get_type ())
G_DECLARE_FINAL_TYPE (SkSkuList, sk_sku_list, SK, SKU_LIST, GObject)

SkSkuList   *sk_sku_list_new            (SkStore      *store);
/* Each change re-queries and emits one items-changed. */
void         sk_sku_list_set_filter     (SkSkuList    *self,
                                         SkSkuFilter   filter);
/* Words typed by a person; each must appear in the SKU, title, variant
 * title or barcode (case-insensitive). NULL or "" for none. */
void         sk_sku_list_set_search     (SkSkuList    *self,
                                         const char   *text);
void         sk_sku_list_set_sort       (SkSkuList    *self,
                                         SkSkuSort     sort,
                                         gboolean      descending);
/* Archived SKUs are hidden unless this is TRUE. */
void         sk_sku_list_set_show_archived (SkSkuList *self,
                                         gboolean      show_archived);
/* Position of a SKU in the current view, or G_MAXUINT. */
guint        sk_sku_list_find           (SkSkuList    *self,
                                         gint64        sku_id);
/* Read everything again now (also done on SkStore::changed). */
void         sk_sku_list_refresh        (SkSkuList    *self);
/* The last query error, or NULL. */
const GError *sk_sku_list_get_error     (SkSkuList    *self);

G_END_DECLS
