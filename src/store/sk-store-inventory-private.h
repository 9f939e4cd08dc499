/* sk-store-inventory-private.h: what the inventory files of src/store/ share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sk-store-inventory.c: enums, records, the SKU master, kits, settings,
 *   problems and events inside a job.
 * sk-store-locations.c: locations and the default one.
 * sk-store-stock.c: the ledger, levels, reservations and orders as the
 *   engine sees them, the consistency check.
 * sk-store-listings.c: listings, the catalog upsert, listing rules.
 * sk-store-stock-work.c: the recompute's work set and the stock pushes.
 */
#pragma once

#include "sk-store-inventory.h"
#include "sk-store-private.h"

G_BEGIN_DECLS

#define SK_INVENTORY_ACTOR "engine:inventory"

/* Step a statement that returns at most one row: *out_row tells. On error
 * the statement is reset. The caller resets after reading the row. */
gboolean  _sk_inv_step         (SkStoreTxn    *txn,
                                sqlite3_stmt  *stmt,
                                gboolean      *out_row,
                                GError       **error);
/* The same on the reader connection. */
gboolean  _sk_inv_reader_step  (SkStore       *store,
                                sqlite3_stmt  *stmt,
                                gboolean      *out_row,
                                GError       **error);

/* A column as gint64, @fallback for SQL NULL. */
gint64    _sk_inv_column_int   (sqlite3_stmt  *stmt,
                                int            column,
                                gint64         fallback);
/* Bind @value, or NULL when it equals @null_value. */
void      _sk_inv_bind_int_or_null (sqlite3_stmt *stmt,
                                int            index,
                                gint64         value,
                                gint64         null_value);

/* Mark SKUs for the engine's recompute and note the change. */
gboolean  _sk_inv_mark_dirty   (SkStoreTxn    *txn,
                                gint64         sku_id,
                                GError       **error);
/* A SKU text or listing match changed: orders with unmatched lines are
 * looked at again. */
gboolean  _sk_inv_bump_catalog (SkStoreTxn    *txn,
                                GError       **error);

/* The SKU's text and kit flag; FALSE with NOT_FOUND when absent. */
gboolean  _sk_inv_lookup_sku   (SkStoreTxn    *txn,
                                gint64         sku_id,
                                char         **out_sku,
                                gboolean      *out_is_kit,
                                GError       **error);

SkSku    *_sk_inv_sku_from_stmt (sqlite3_stmt *stmt);
#define SK_INV_SKU_COLUMNS \
  "s.id, s.product_id, s.sku, s.barcode, s.title, s.variant_title, s.weight," \
  " s.weight_unit, s.length, s.width, s.height, s.dimension_unit, s.cost," \
  " s.cost_currency, s.reorder_point, s.is_kit, s.archived, s.on_hand," \
  " s.unsellable, s.reserved, s.available, s.created_at, s.updated_at"

/* Insert a new SKU (validated, unique); sets sku->id. Without
 * @bump_catalog the caller bumps the catalog generation itself (once for
 * many SKUs). */
gboolean  _sk_inv_insert_sku   (SkStoreTxn    *txn,
                                SkSku         *sku,
                                gboolean       bump_catalog,
                                GError       **error);
/* An empty array of SkOrderStockLine that frees them. */
GPtrArray *_sk_inv_new_stock_lines (void);

/* Withdraw the pending stock push of a listing; *out_count: rows. */
gboolean  _sk_inv_supersede_pending (SkStoreTxn *txn,
                                gint64         listing_id,
                                guint         *out_count,
                                GError       **error);

/* The event on a SKU ("sku", id) that records a change of its reorder
 * point; actor "user" when the user made it. */
#define SK_INV_EVENT_REORDER_POINT "reorder-point"

/* The reorder point of @sku_id (-1: none); FALSE with NOT_FOUND when the
 * SKU is absent. */
gboolean  _sk_inv_get_reorder_point (SkStoreTxn *txn,
                                gint64         sku_id,
                                gint64        *out_point,
                                GError       **error);
/* Log a change of @sku_id's reorder point from @from to @to (-1: none). */
gboolean  _sk_inv_log_reorder_point (SkStoreTxn *txn,
                                gint64         sku_id,
                                gint64         from,
                                gint64         to,
                                const char    *actor,
                                const char    *why,
                                GError       **error);

/* Trimmed copy, NULL for NULL or blank. */
char     *_sk_inv_strdup_trimmed (const char *text);

G_END_DECLS
