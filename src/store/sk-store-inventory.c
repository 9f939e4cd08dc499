/* sk-store-inventory.c: the SKU master, kits, locations and settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plain records of sk-store-inventory.h, the enumerations' nicks, and
 * the writes and reads of the SKU master, kits and locations. The ledger
 * lives in sk-store-stock.c, listings and pushes in sk-store-listings.c.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-money.h"
#include "sk-store-inventory-private.h"

/* Enumerations */

static const char * const movement_kinds[] = {
  "receive", "adjust", "count", "transfer-out", "transfer-in", "sale", "return",
};
static const char * const conditions[] = { "sellable", "damaged", "quarantine" };
static const char * const location_kinds[] = { "warehouse", "store", "3pl" };
static const char * const match_states[] = { "unmatched", "auto", "manual", "ignored" };

static int
nick_index (const char * const *nicks,
            guint               n,
            const char         *nick)
{
  for (guint i = 0; nick != NULL && i < n; i++)
    if (g_str_equal (nicks[i], nick))
      return (int) i;
  return 0;
}

const char *
sk_movement_kind_to_string (SkMovementKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (movement_kinds), "adjust");
  return movement_kinds[kind];
}

SkMovementKind
sk_movement_kind_from_string (const char *nick)
{
  return nick_index (movement_kinds, G_N_ELEMENTS (movement_kinds), nick);
}

const char *
sk_stock_condition_to_string (SkStockCondition condition)
{
  g_return_val_if_fail ((guint) condition < G_N_ELEMENTS (conditions), "sellable");
  return conditions[condition];
}

SkStockCondition
sk_stock_condition_from_string (const char *nick)
{
  return nick_index (conditions, G_N_ELEMENTS (conditions), nick);
}

const char *
sk_location_kind_to_string (SkLocationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (location_kinds), "warehouse");
  return location_kinds[kind];
}

SkLocationKind
sk_location_kind_from_string (const char *nick)
{
  return nick_index (location_kinds, G_N_ELEMENTS (location_kinds), nick);
}

const char *
sk_match_state_to_string (SkMatchState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (match_states), "unmatched");
  return match_states[state];
}

SkMatchState
sk_match_state_from_string (const char *nick)
{
  return nick_index (match_states, G_N_ELEMENTS (match_states), nick);
}

/* Records */

SkProduct *
sk_product_new (const char *title)
{
  SkProduct *product = g_new0 (SkProduct, 1);

  product->title = g_strdup (title);
  return product;
}

void
sk_product_free (SkProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->title);
  g_free (product->vendor);
  g_free (product);
}

SkSku *
sk_sku_new (const char *sku,
            const char *title)
{
  SkSku *record = g_new0 (SkSku, 1);

  record->sku = g_strdup (sku);
  record->title = g_strdup (title);
  record->reorder_point = -1;
  return record;
}

SkSku *
sk_sku_copy (const SkSku *sku)
{
  SkSku *copy;

  g_return_val_if_fail (sku != NULL, NULL);

  copy = g_memdup2 (sku, sizeof *sku);
  copy->sku = g_strdup (sku->sku);
  copy->barcode = g_strdup (sku->barcode);
  copy->title = g_strdup (sku->title);
  copy->variant_title = g_strdup (sku->variant_title);
  copy->weight_unit = g_strdup (sku->weight_unit);
  copy->dimension_unit = g_strdup (sku->dimension_unit);
  copy->cost_currency = g_strdup (sku->cost_currency);
  return copy;
}

void
sk_sku_free (SkSku *sku)
{
  if (sku == NULL)
    return;
  g_free (sku->sku);
  g_free (sku->barcode);
  g_free (sku->title);
  g_free (sku->variant_title);
  g_free (sku->weight_unit);
  g_free (sku->dimension_unit);
  g_free (sku->cost_currency);
  g_free (sku);
}

G_DEFINE_BOXED_TYPE (SkSku, sk_sku, sk_sku_copy, sk_sku_free)

SkKitComponent *
sk_kit_component_new (gint64 component_id,
                      gint64 quantity)
{
  SkKitComponent *component = g_new0 (SkKitComponent, 1);

  component->component_id = component_id;
  component->quantity = quantity;
  return component;
}

void
sk_kit_component_free (SkKitComponent *component)
{
  if (component == NULL)
    return;
  g_free (component->sku);
  g_free (component->title);
  g_free (component);
}

SkLocation *
sk_location_new (const char     *name,
                 SkLocationKind  kind)
{
  SkLocation *location = g_new0 (SkLocation, 1);

  location->name = g_strdup (name);
  location->kind = kind;
  return location;
}

SkLocation *
sk_location_copy (const SkLocation *location)
{
  SkLocation *copy;

  g_return_val_if_fail (location != NULL, NULL);

  copy = g_memdup2 (location, sizeof *location);
  copy->name = g_strdup (location->name);
  copy->address = location->address ? sk_address_copy (location->address) : NULL;
  return copy;
}

void
sk_location_free (SkLocation *location)
{
  if (location == NULL)
    return;
  g_free (location->name);
  g_clear_pointer (&location->address, sk_address_free);
  g_free (location);
}

G_DEFINE_BOXED_TYPE (SkLocation, sk_location, sk_location_copy, sk_location_free)

void
sk_movement_free (SkMovement *movement)
{
  if (movement == NULL)
    return;
  g_free (movement->reason);
  g_free (movement->actor);
  g_free (movement->location_name);
  g_free (movement->order_number);
  g_free (movement);
}

SkStockEdit *
sk_stock_edit_new (SkMovementKind kind,
                   gint64         sku_id,
                   gint64         location_id,
                   gint64         quantity)
{
  SkStockEdit *edit = g_new0 (SkStockEdit, 1);

  edit->kind = kind;
  edit->sku_id = sku_id;
  edit->location_id = location_id;
  edit->quantity = quantity;
  return edit;
}

void
sk_stock_edit_free (SkStockEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->reason);
  g_free (edit);
}

void
sk_stock_level_free (SkStockLevel *level)
{
  if (level == NULL)
    return;
  g_free (level->location_name);
  g_free (level->sku);
  g_free (level->title);
  g_free (level);
}

void
sk_reservation_free (SkReservation *reservation)
{
  if (reservation == NULL)
    return;
  g_free (reservation->order_number);
  g_free (reservation->sku);
  g_free (reservation);
}

SkListing *
sk_listing_new (const char *product_ref,
                const char *variant_ref)
{
  SkListing *listing = g_new0 (SkListing, 1);

  listing->product_ref = g_strdup (product_ref);
  listing->variant_ref = g_strdup (variant_ref);
  listing->channel_quantity = -1;
  listing->confirmed_quantity = -1;
  listing->target_quantity = -1;
  listing->reorder_point = -1;
  return listing;
}

void
sk_listing_free (SkListing *listing)
{
  if (listing == NULL)
    return;
  g_free (listing->product_ref);
  g_free (listing->variant_ref);
  g_free (listing->inventory_ref);
  g_free (listing->location_ref);
  g_free (listing->sku);
  g_free (listing->barcode);
  g_free (listing->title);
  g_free (listing->match_why);
  g_free (listing->channel_name);
  g_clear_pointer (&listing->proposed, sk_sku_free);
  g_free (listing);
}

void
sk_listing_rule_init (SkListingRule *rule)
{
  g_return_if_fail (rule != NULL);
  memset (rule, 0, sizeof *rule);
  rule->percent = 100;
  rule->maximum = -1;
}

SkListingRule *
sk_listing_rule_copy (const SkListingRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);
  return g_memdup2 (rule, sizeof *rule);
}

void
sk_listing_rule_free (SkListingRule *rule)
{
  g_free (rule);
}

static void
order_stock_line_free (gpointer data)
{
  SkOrderStockLine *line = data;

  g_free (line->sku);
  g_free (line->title);
  g_clear_pointer (&line->components, g_array_unref);
  g_free (line);
}

void
sk_order_stock_free (SkOrderStock *stock)
{
  if (stock == NULL)
    return;
  g_free (stock->channel_name);
  g_free (stock->number);
  g_clear_pointer (&stock->lines, g_ptr_array_unref);
  g_clear_pointer (&stock->reservations, g_ptr_array_unref);
  g_free (stock);
}

GPtrArray *
_sk_inv_new_stock_lines (void)
{
  return g_ptr_array_new_with_free_func (order_stock_line_free);
}

void
sk_stock_work_free (SkStockWork *work)
{
  if (work == NULL)
    return;
  g_clear_pointer (&work->skus, g_array_unref);
  g_clear_pointer (&work->parts, g_array_unref);
  g_clear_pointer (&work->listings, g_array_unref);
  g_clear_pointer (&work->open_problems, g_hash_table_unref);
  if (work->strings != NULL)
    g_string_chunk_free (work->strings);
  g_free (work);
}

/* Shared helpers */

gboolean
_sk_inv_step (SkStoreTxn    *txn,
              sqlite3_stmt  *stmt,
              gboolean      *out_row,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  *out_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return sk_store_txn_set_error (txn, rc, error);
    }
  return TRUE;
}

gboolean
_sk_inv_reader_step (SkStore       *store,
                     sqlite3_stmt  *stmt,
                     gboolean      *out_row,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  *out_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return sk_store_reader_set_error (store, rc, error);
    }
  return TRUE;
}

gint64
_sk_inv_column_int (sqlite3_stmt *stmt,
                    int           column,
                    gint64        fallback)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return fallback;
  return sqlite3_column_int64 (stmt, column);
}

void
_sk_inv_bind_int_or_null (sqlite3_stmt *stmt,
                          int           index,
                          gint64        value,
                          gint64        null_value)
{
  if (value == null_value)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

char *
_sk_inv_strdup_trimmed (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

gboolean
_sk_inv_mark_dirty (SkStoreTxn  *txn,
                    gint64       sku_id,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn, "INSERT OR IGNORE INTO stock_dirty (sku_id) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
_sk_inv_bump_catalog (SkStoreTxn  *txn,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO inventory_settings (key, value)"
                               " VALUES ('catalog-generation', 2)"
                               " ON CONFLICT (key) DO UPDATE SET value = value + 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
_sk_inv_lookup_sku (SkStoreTxn  *txn,
                    gint64       sku_id,
                    char       **out_sku,
                    gboolean    *out_is_kit,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn, "SELECT sku, is_kit FROM skus WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (!row)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This SKU no longer exists. Refresh the inventory and try again."));
      return FALSE;
    }
  if (out_sku != NULL)
    *out_sku = _sk_store_column_dup (stmt, 0);
  if (out_is_kit != NULL)
    *out_is_kit = sqlite3_column_int (stmt, 1) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_sk_inv_get_reorder_point (SkStoreTxn  *txn,
                           gint64       sku_id,
                           gint64      *out_point,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *out_point = -1;
  stmt = sk_store_txn_prepare (txn, "SELECT coalesce (reorder_point, -1) FROM skus WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    *out_point = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!row)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This SKU no longer exists. Refresh the inventory and try again."));
  return row;
}

gboolean
_sk_inv_log_reorder_point (SkStoreTxn  *txn,
                           gint64       sku_id,
                           gint64       from,
                           gint64       to,
                           const char  *actor,
                           const char  *why,
                           GError     **error)
{
  char from_text[32], to_text[32];

  g_snprintf (from_text, sizeof from_text, "%" G_GINT64_FORMAT, from);
  g_snprintf (to_text, sizeof to_text, "%" G_GINT64_FORMAT, to);
  return _sk_store_txn_add_event (txn, actor, "sku", sku_id, SK_INV_EVENT_REORDER_POINT,
                                  from >= 0 ? from_text : NULL, to >= 0 ? to_text : NULL,
                                  why, error);
}

SkSku *
_sk_inv_sku_from_stmt (sqlite3_stmt *stmt)
{
  SkSku *sku = g_new0 (SkSku, 1);

  sku->id = sqlite3_column_int64 (stmt, 0);
  sku->product_id = _sk_inv_column_int (stmt, 1, 0);
  sku->sku = _sk_store_column_dup (stmt, 2);
  sku->barcode = _sk_store_column_dup (stmt, 3);
  sku->title = _sk_store_column_dup (stmt, 4);
  sku->variant_title = _sk_store_column_dup (stmt, 5);
  sku->weight = _sk_inv_column_int (stmt, 6, 0);
  sku->weight_unit = _sk_store_column_dup (stmt, 7);
  sku->length = _sk_inv_column_int (stmt, 8, 0);
  sku->width = _sk_inv_column_int (stmt, 9, 0);
  sku->height = _sk_inv_column_int (stmt, 10, 0);
  sku->dimension_unit = _sk_store_column_dup (stmt, 11);
  sku->cost = _sk_inv_column_int (stmt, 12, 0);
  sku->cost_currency = _sk_store_column_dup (stmt, 13);
  sku->reorder_point = _sk_inv_column_int (stmt, 14, -1);
  sku->is_kit = sqlite3_column_int (stmt, 15) != 0;
  sku->archived = sqlite3_column_int (stmt, 16) != 0;
  sku->on_hand = sqlite3_column_int64 (stmt, 17);
  sku->unsellable = sqlite3_column_int64 (stmt, 18);
  sku->reserved = sqlite3_column_int64 (stmt, 19);
  sku->available = sqlite3_column_int64 (stmt, 20);
  sku->created_at = sqlite3_column_int64 (stmt, 21);
  sku->updated_at = sqlite3_column_int64 (stmt, 22);
  return sku;
}

gboolean
sk_store_txn_add_inventory_event (SkStoreTxn  *txn,
                                  const char  *actor,
                                  const char  *subject_type,
                                  gint64       subject_id,
                                  const char  *what,
                                  const char  *from_value,
                                  const char  *to_value,
                                  const char  *why,
                                  GError     **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);
  return _sk_store_txn_add_event (txn, actor, subject_type, subject_id, what,
                                  from_value, to_value, why, error);
}

/* Problems inside a job */

gboolean
sk_store_txn_open_inventory_problem (SkStoreTxn  *txn,
                                     const char  *kind,
                                     const char  *dedup_key,
                                     gint64       channel_id,
                                     const char  *subject_type,
                                     gint64       subject_id,
                                     const char  *message,
                                     gboolean    *out_is_new,
                                     GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 id = 0;
  g_autofree char *old_message = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (kind != NULL && dedup_key != NULL && message != NULL, FALSE);

  if (out_is_new != NULL)
    *out_is_new = FALSE;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT id, message FROM exceptions"
                               " WHERE dedup_key = ? AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, dedup_key);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      id = sqlite3_column_int64 (stmt, 0);
      old_message = _sk_store_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (id != 0)
    {
      if (g_strcmp0 (old_message, message) == 0)
        return TRUE;
      stmt = sk_store_txn_prepare (txn, "UPDATE exceptions SET message = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, message);
      sqlite3_bind_int64 (stmt, 2, id);
    }
  else
    {
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO exceptions (kind, dedup_key, channel_id,"
                                   " subject_type, subject_id, message, opened_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, kind);
      _sk_store_bind_text (stmt, 2, dedup_key);
      _sk_inv_bind_int_or_null (stmt, 3, channel_id, 0);
      _sk_store_bind_text (stmt, 4, subject_type);
      _sk_inv_bind_int_or_null (stmt, 5, subject_id, 0);
      _sk_store_bind_text (stmt, 6, message);
      sqlite3_bind_int64 (stmt, 7, _sk_store_now ());
      if (out_is_new != NULL)
        *out_is_new = TRUE;
    }
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_EXCEPTIONS);
  return TRUE;
}

gboolean
sk_store_txn_resolve_inventory_problem (SkStoreTxn  *txn,
                                        const char  *dedup_key,
                                        gboolean    *out_was_open,
                                        GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean changed;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (dedup_key != NULL, FALSE);

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE exceptions SET resolved_at = ?"
                               " WHERE dedup_key = ? AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _sk_store_now ());
  _sk_store_bind_text (stmt, 2, dedup_key);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  changed = sqlite3_changes (sk_store_txn_get_db (txn)) > 0;
  if (changed)
    sk_store_txn_note (txn, SK_STORE_CHANGE_EXCEPTIONS);
  if (out_was_open != NULL)
    *out_was_open = changed;
  return TRUE;
}

/* Settings */

gint64
sk_store_txn_get_stock_setting (SkStoreTxn  *txn,
                                const char  *key,
                                gint64       fallback,
                                GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 value = fallback;

  g_return_val_if_fail (txn != NULL, fallback);

  stmt = sk_store_txn_prepare (txn, "SELECT value FROM inventory_settings WHERE key = ?", error);
  if (stmt == NULL)
    return fallback;
  _sk_store_bind_text (stmt, 1, key);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return fallback;
  if (row)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gint64
sk_store_get_stock_tracking_since (SkStore  *self,
                                   GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 value = 0;

  g_return_val_if_fail (SK_IS_STORE (self), 0);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT value FROM inventory_settings WHERE key = 'tracking-since'",
                                  error);
  if (stmt == NULL || !_sk_inv_reader_step (self, stmt, &row, error))
    return 0;
  if (row)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

typedef struct
{
  gint64 a;
  gint64 b;
  gint64 c;
  const char *text;
  gpointer record;
  gint64 out;
} SimpleJob;

static gboolean
set_tracking_since_job (SkStoreTxn  *txn,
                        gpointer     data,
                        GError     **error)
{
  SimpleJob *job = data;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "INSERT OR REPLACE INTO inventory_settings (key, value)"
                               " VALUES ('tracking-since', ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->a);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  /* Orders looked at before may now be tracked: the engine's next pass
   * catches up (sk_store_has_stock_work says so until then). */
  stmt = sk_store_txn_prepare (txn, "DELETE FROM order_stock WHERE tracked = 0", error);
  if (stmt == NULL || !_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  stmt = sk_store_txn_prepare (txn,
                               "INSERT OR REPLACE INTO inventory_settings (key, value)"
                               " VALUES ('catch-up', 1)",
                               error);
  if (stmt == NULL || !_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_set_stock_tracking_since (SkStore  *self,
                                   gint64    unix_utc,
                                   GError  **error)
{
  SimpleJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  job.a = unix_utc;
  return sk_store_run_sync (self, set_tracking_since_job, &job, error);
}

gboolean
sk_store_has_stock_work (SkStore *self)
{
  sqlite3_stmt *stmt;
  gboolean row = FALSE;
  gboolean dirty = FALSE;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT EXISTS (SELECT 1 FROM stock_dirty) OR EXISTS (SELECT 1"
                                  " FROM inventory_settings WHERE key = 'catch-up' AND value <> 0)",
                                  NULL);
  if (stmt == NULL || !_sk_inv_reader_step (self, stmt, &row, NULL))
    return FALSE;
  if (row)
    dirty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return dirty;
}

/* Products and SKUs */

static gboolean
add_product_job (SkStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  SkProduct *product = ((SimpleJob *) data)->record;
  sqlite3_stmt *stmt;
  gint64 now = _sk_store_now ();

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO products (title, vendor, created_at, updated_at)"
                               " VALUES (?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, product->title);
  _sk_store_bind_text (stmt, 2, product->vendor);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  product->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
  product->created_at = product->updated_at = now;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_add_product (SkStore    *self,
                      SkProduct  *product,
                      GError    **error)
{
  SimpleJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (product != NULL, FALSE);

  if (product->title == NULL || *g_strstrip (product->title) == '\0')
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("A product needs a title. Enter one, then save again."));
      return FALSE;
    }
  job.record = product;
  return sk_store_run_sync (self, add_product_job, &job, error);
}

static gboolean
valid_unit (const char         *unit,
            const char * const *units)
{
  if (unit == NULL)
    return TRUE;
  return g_strv_contains (units, unit);
}

/* Check the master fields a person typed. */
static gboolean
validate_sku (const SkSku  *sku,
              GError      **error)
{
  static const char * const weight_units[] = { "g", "kg", "oz", "lb", NULL };
  static const char * const dimension_units[] = { "mm", "cm", "m", "in", NULL };
  g_autofree char *text = _sk_inv_strdup_trimmed (sku->sku);
  g_autofree char *title = _sk_inv_strdup_trimmed (sku->title);

  if (text == NULL)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("Every item needs a SKU. Enter the code you use for it, then save again."));
      return FALSE;
    }
  if (title == NULL)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The SKU “%s” needs a title. Enter one, then save again."), text);
      return FALSE;
    }
  if (!valid_unit (sku->weight_unit, weight_units) ||
      !valid_unit (sku->dimension_unit, dimension_units))
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The weight or size of “%s” has a unit Storekeep does not know. Use g, kg, oz or lb, and mm, cm, m or in."),
                   text);
      return FALSE;
    }
  if (sku->cost_currency != NULL && !sk_currency_is_valid (sku->cost_currency))
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The cost of “%s” is in “%s”, which is not a currency code. Use a code like EUR or USD."),
                   text, sku->cost_currency);
      return FALSE;
    }
  if (sku->weight < 0 || sku->length < 0 || sku->width < 0 || sku->height < 0 || sku->cost < 0)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The weight, size or cost of “%s” is below zero. Correct it, then save again."),
                   text);
      return FALSE;
    }
  return TRUE;
}

/* The SKU that already uses @text, other than @except_id. */
static gboolean
find_sku_id (SkStoreTxn  *txn,
             const char  *text,
             gint64       except_id,
             gint64      *out_id,
             char       **out_title,
             GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *out_id = 0;
  stmt = sk_store_txn_prepare (txn, "SELECT id, title FROM skus WHERE sku = ? AND id <> ?", error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, text);
  sqlite3_bind_int64 (stmt, 2, except_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_title != NULL)
        *out_title = _sk_store_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_sku_fields (sqlite3_stmt *stmt,
                 const SkSku  *sku,
                 const char   *text,
                 const char   *title,
                 const char   *barcode)
{
  gboolean has_weight = sku->weight_unit != NULL;
  gboolean has_size = sku->dimension_unit != NULL;

  _sk_inv_bind_int_or_null (stmt, 1, sku->product_id, 0);
  _sk_store_bind_text (stmt, 2, text);
  _sk_store_bind_text (stmt, 3, barcode);
  _sk_store_bind_text (stmt, 4, title);
  _sk_store_bind_text (stmt, 5, sku->variant_title);
  if (has_weight)
    sqlite3_bind_int64 (stmt, 6, sku->weight);
  _sk_store_bind_text (stmt, 7, sku->weight_unit);
  if (has_size)
    {
      sqlite3_bind_int64 (stmt, 8, sku->length);
      sqlite3_bind_int64 (stmt, 9, sku->width);
      sqlite3_bind_int64 (stmt, 10, sku->height);
    }
  _sk_store_bind_text (stmt, 11, sku->dimension_unit);
  if (sku->cost_currency != NULL)
    sqlite3_bind_int64 (stmt, 12, sku->cost);
  _sk_store_bind_text (stmt, 13, sku->cost_currency);
  _sk_inv_bind_int_or_null (stmt, 14, sku->reorder_point < 0 ? -1 : sku->reorder_point, -1);
  sqlite3_bind_int (stmt, 15, sku->archived ? 1 : 0);
}

gboolean
_sk_inv_insert_sku (SkStoreTxn  *txn,
                    SkSku       *sku,
                    gboolean     bump_catalog,
                    GError     **error)
{
  g_autofree char *text = _sk_inv_strdup_trimmed (sku->sku);
  g_autofree char *title = _sk_inv_strdup_trimmed (sku->title);
  g_autofree char *barcode = _sk_inv_strdup_trimmed (sku->barcode);
  g_autofree char *other_title = NULL;
  sqlite3_stmt *stmt;
  gint64 other = 0;
  gint64 now = _sk_store_now ();

  if (!validate_sku (sku, error) ||
      !find_sku_id (txn, text, 0, &other, &other_title, error))
    return FALSE;
  if (other != 0)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The SKU “%s” is already used by “%s”. Choose another SKU, or edit that item."),
                   text, other_title);
      return FALSE;
    }

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO skus (product_id, sku, barcode, title, variant_title,"
                               " weight, weight_unit, length, width, height, dimension_unit, cost,"
                               " cost_currency, reorder_point, archived, created_at, updated_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                               " ?14, ?15, ?16, ?16)",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_sku_fields (stmt, sku, text, title, barcode);
  sqlite3_bind_int64 (stmt, 16, now);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  sku->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
  sku->created_at = sku->updated_at = now;
  sku->is_kit = FALSE;
  sku->on_hand = sku->unsellable = sku->reserved = sku->available = 0;
  if (bump_catalog && !_sk_inv_bump_catalog (txn, error))
    return FALSE;
  return _sk_inv_mark_dirty (txn, sku->id, error);
}

static gboolean
add_sku_job (SkStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  return _sk_inv_insert_sku (txn, ((SimpleJob *) data)->record, TRUE, error);
}

gboolean
sk_store_add_sku (SkStore  *self,
                  SkSku    *sku,
                  GError  **error)
{
  SimpleJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (sku != NULL, FALSE);

  job.record = sku;
  return sk_store_run_sync (self, add_sku_job, &job, error);
}

static gboolean
update_sku_job (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  const SkSku *sku = ((SimpleJob *) data)->record;
  g_autofree char *text = _sk_inv_strdup_trimmed (sku->sku);
  g_autofree char *title = _sk_inv_strdup_trimmed (sku->title);
  g_autofree char *barcode = _sk_inv_strdup_trimmed (sku->barcode);
  g_autofree char *old_text = NULL;
  g_autofree char *other_title = NULL;
  sqlite3_stmt *stmt;
  gint64 other = 0;
  gint64 old_point = -1;
  gint64 new_point = sku->reorder_point < 0 ? -1 : sku->reorder_point;

  if (!validate_sku (sku, error) ||
      !_sk_inv_lookup_sku (txn, sku->id, &old_text, NULL, error) ||
      !_sk_inv_get_reorder_point (txn, sku->id, &old_point, error) ||
      !find_sku_id (txn, text, sku->id, &other, &other_title, error))
    return FALSE;
  if (other != 0)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The SKU “%s” is already used by “%s”. Choose another SKU, or edit that item."),
                   text, other_title);
      return FALSE;
    }

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE skus SET product_id = ?1, sku = ?2, barcode = ?3, title = ?4,"
                               " variant_title = ?5, weight = ?6, weight_unit = ?7, length = ?8,"
                               " width = ?9, height = ?10, dimension_unit = ?11, cost = ?12,"
                               " cost_currency = ?13, reorder_point = ?14, archived = ?15,"
                               " updated_at = ?16 WHERE id = ?17",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_sku_fields (stmt, sku, text, title, barcode);
  sqlite3_bind_int64 (stmt, 16, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 17, sku->id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  if (g_strcmp0 (old_text, text) != 0 && !_sk_inv_bump_catalog (txn, error))
    return FALSE;
  if (old_point != new_point &&
      !_sk_inv_log_reorder_point (txn, sku->id, old_point, new_point, "user", NULL, error))
    return FALSE;
  /* The reorder point or the archive flag may change what is flagged. */
  return _sk_inv_mark_dirty (txn, sku->id, error);
}

gboolean
sk_store_update_sku (SkStore      *self,
                     const SkSku  *sku,
                     GError      **error)
{
  SimpleJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (sku != NULL && sku->id > 0, FALSE);

  job.record = (gpointer) sku;
  return sk_store_run_sync (self, update_sku_job, &job, error);
}

static gboolean
set_reorder_point_job (SkStoreTxn  *txn,
                       gpointer     data,
                       GError     **error)
{
  SimpleJob *job = data;
  sqlite3_stmt *stmt;
  gint64 old_point = -1;

  if (!_sk_inv_get_reorder_point (txn, job->a, &old_point, error))
    return FALSE;
  if (old_point == job->b)
    return TRUE;
  stmt = sk_store_txn_prepare (txn, "UPDATE skus SET reorder_point = ?, updated_at = ? WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_inv_bind_int_or_null (stmt, 1, job->b, -1);
  sqlite3_bind_int64 (stmt, 2, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 3, job->a);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  return _sk_inv_log_reorder_point (txn, job->a, old_point, job->b, "user", NULL, error) &&
         _sk_inv_mark_dirty (txn, job->a, error);
}

gboolean
sk_store_set_sku_reorder_point (SkStore  *self,
                                gint64    sku_id,
                                gint64    reorder_point,
                                GError  **error)
{
  SimpleJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (sku_id > 0, FALSE);

  job.a = sku_id;
  job.b = reorder_point < 0 ? -1 : reorder_point;
  return sk_store_run_sync (self, set_reorder_point_job, &job, error);
}

static SkSku *
read_one_sku (SkStore     *self,
              const char  *sql,
              gint64       id,
              const char  *text,
              GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  SkSku *sku = NULL;

  stmt = sk_store_reader_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    _sk_store_bind_text (stmt, 1, text);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return NULL;
  if (row)
    sku = _sk_inv_sku_from_stmt (stmt);
  sqlite3_reset (stmt);
  return sku;
}

SkSku *
sk_store_get_sku (SkStore  *self,
                  gint64    sku_id,
                  GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  SkSku *sku;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  sku = read_one_sku (self, "SELECT " SK_INV_SKU_COLUMNS " FROM skus s WHERE s.id = ?",
                      sku_id, NULL, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (sku == NULL)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This SKU no longer exists. Refresh the inventory and try again."));
  return sku;
}

SkSku *
sk_store_find_sku (SkStore     *self,
                   const char  *sku,
                   GError     **error)
{
  g_autofree char *text = _sk_inv_strdup_trimmed (sku);

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  if (text == NULL)
    return NULL;
  return read_one_sku (self, "SELECT " SK_INV_SKU_COLUMNS " FROM skus s WHERE s.sku = ?",
                       0, text, error);
}

SkSku *
sk_store_find_sku_by_barcode (SkStore     *self,
                              const char  *barcode,
                              GError     **error)
{
  g_autofree char *text = _sk_inv_strdup_trimmed (barcode);

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  if (text == NULL)
    return NULL;
  return read_one_sku (self,
                       "SELECT " SK_INV_SKU_COLUMNS " FROM skus s WHERE s.barcode = ?"
                       " ORDER BY s.archived, s.id LIMIT 1",
                       0, text, error);
}

gint64
sk_store_count_skus (SkStore  *self,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 count = -1;

  g_return_val_if_fail (SK_IS_STORE (self), -1);

  stmt = sk_store_reader_prepare (self, "SELECT count(*) FROM skus", error);
  if (stmt == NULL || !_sk_inv_reader_step (self, stmt, &row, error))
    return -1;
  if (row)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* Kits */

typedef struct
{
  gint64 kit_id;
  GPtrArray *components;
} KitJob;

static gboolean
check_component (SkStoreTxn            *txn,
                 const char            *kit_sku,
                 gint64                 kit_id,
                 const SkKitComponent  *component,
                 GError               **error)
{
  g_autofree char *text = NULL;
  gboolean is_kit = FALSE;

  if (component->component_id == kit_id)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The kit “%s” cannot contain itself. Remove it from its components."),
                   kit_sku);
      return FALSE;
    }
  if (!_sk_inv_lookup_sku (txn, component->component_id, &text, &is_kit, error))
    return FALSE;
  if (is_kit)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("“%s” is a kit, and kits cannot contain kits. Add its components to “%s” instead."),
                   text, kit_sku);
      return FALSE;
    }
  if (component->quantity <= 0)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("The kit “%s” needs at least one “%s” per kit. Enter a quantity of 1 or more."),
                   kit_sku, text);
      return FALSE;
    }
  return TRUE;
}

/* A kit holds no stock, and a component of a kit cannot become one. */
static gboolean
check_can_become_kit (SkStoreTxn  *txn,
                      gint64       kit_id,
                      const char  *kit_sku,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  g_autofree char *parent = NULL;
  gint64 held = 0;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT k.sku FROM kit_components c JOIN skus k ON k.id = c.kit_id"
                               " WHERE c.component_id = ? LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, kit_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    parent = _sk_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (parent != NULL)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("“%s” is a part of the kit “%s”, and kits cannot contain kits. Remove it from “%s” first."),
                   kit_sku, parent, parent);
      return FALSE;
    }

  stmt = sk_store_txn_prepare (txn,
                               "SELECT on_hand <> 0 OR unsellable <> 0 OR reserved <> 0 OR EXISTS"
                               " (SELECT 1 FROM stock_levels WHERE sku_id = ?1"
                               "  AND (on_hand <> 0 OR damaged <> 0 OR quarantine <> 0 OR reserved <> 0))"
                               " FROM skus WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, kit_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    held = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (held)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("“%s” has stock or open orders of its own, and a kit holds none: it is made of its components when it sells. Count it to zero first, or create the kit under a new SKU."),
                   kit_sku);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_kit_job (SkStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  KitJob *job = data;
  g_autofree char *kit_sku = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean was_kit = FALSE;
  gboolean is_kit = job->components != NULL && job->components->len > 0;
  sqlite3_stmt *stmt;

  if (!_sk_inv_lookup_sku (txn, job->kit_id, &kit_sku, &was_kit, error))
    return FALSE;
  if (is_kit && !was_kit && !check_can_become_kit (txn, job->kit_id, kit_sku, error))
    return FALSE;

  stmt = sk_store_txn_prepare (txn, "DELETE FROM kit_components WHERE kit_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->kit_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  for (guint i = 0; is_kit && i < job->components->len; i++)
    {
      SkKitComponent *component = g_ptr_array_index (job->components, i);

      if (!check_component (txn, kit_sku, job->kit_id, component, error))
        return FALSE;
      if (!g_hash_table_add (seen, &component->component_id))
        {
          g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                       _("A component is listed twice in the kit “%s”. Enter it once with the total quantity."),
                       kit_sku);
          return FALSE;
        }
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO kit_components (kit_id, component_id, quantity)"
                                   " VALUES (?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, job->kit_id);
      sqlite3_bind_int64 (stmt, 2, component->component_id);
      sqlite3_bind_int64 (stmt, 3, component->quantity);
      if (!_sk_store_txn_step_done (txn, stmt, error))
        return FALSE;
    }

  stmt = sk_store_txn_prepare (txn, "UPDATE skus SET is_kit = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, is_kit ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 3, job->kit_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  if (!_sk_store_txn_add_event (txn, "user", "sku", job->kit_id, "kit",
                                was_kit ? "kit" : NULL, is_kit ? "kit" : NULL,
                                is_kit ? _("Components changed") : _("No longer a kit"), error))
    return FALSE;
  return _sk_inv_bump_catalog (txn, error) && _sk_inv_mark_dirty (txn, job->kit_id, error);
}

gboolean
sk_store_set_kit_components (SkStore    *self,
                             gint64      kit_id,
                             GPtrArray  *components,
                             GError    **error)
{
  KitJob job = { kit_id, components };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kit_id > 0, FALSE);

  return sk_store_run_sync (self, set_kit_job, &job, error);
}

GPtrArray *
sk_store_list_kit_components (SkStore  *self,
                              gint64    kit_id,
                              GError  **error)
{
  g_autoptr(GPtrArray) components = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT c.component_id, c.quantity, s.sku, s.title, s.on_hand - s.reserved"
                                  " FROM kit_components c JOIN skus s ON s.id = c.component_id"
                                  " WHERE c.kit_id = ? ORDER BY s.sku",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, kit_id);

  components = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_kit_component_free);
  for (;;)
    {
      SkKitComponent *component;

      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      component = sk_kit_component_new (sqlite3_column_int64 (stmt, 0),
                                        sqlite3_column_int64 (stmt, 1));
      component->sku = _sk_store_column_dup (stmt, 2);
      component->title = _sk_store_column_dup (stmt, 3);
      component->available = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (components, component);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&components);
}
