/* sk-store-stock.c: the stock ledger, levels and reservations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A movement is one append-only ledger row and, in the same transaction,
 * the level of its bucket (sellable on hand, damaged, quarantine) at its
 * location and the SKU's totals. Reserved counts are kept by triggers on
 * the reservations table (0005-inventory.sql), so orders deleted by a
 * cascade release what they held. sk_store_check_stock_consistency
 * recomputes all of it from the ledger and the reservations.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-store-inventory-private.h"

/* Movements */

static char *
location_name (SkStoreTxn *txn,
               gint64      location_id)
{
  sqlite3_stmt *stmt;
  gboolean row = FALSE;
  char *name = NULL;

  stmt = sk_store_txn_prepare (txn, "SELECT name FROM locations WHERE id = ?", NULL);
  if (stmt == NULL)
    return g_strdup ("?");
  sqlite3_bind_int64 (stmt, 1, location_id);
  if (_sk_inv_step (txn, stmt, &row, NULL) && row)
    name = _sk_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return name ? name : g_strdup ("?");
}

static gboolean
check_active_location (SkStoreTxn  *txn,
                       gint64       location_id,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gboolean active = FALSE;

  stmt = sk_store_txn_prepare (txn, "SELECT archived_at IS NULL FROM locations WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, location_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  active = row && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!active)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This location no longer exists or was archived. Choose another location."));
  return active;
}

static const char *
level_column (SkStockCondition condition)
{
  switch (condition)
    {
    case SK_STOCK_CONDITION_DAMAGED:
      return "damaged";
    case SK_STOCK_CONDITION_QUARANTINE:
      return "quarantine";
    case SK_STOCK_CONDITION_RESELLABLE:
    default:
      return "on_hand";
    }
}

static gboolean
read_bucket (SkStoreTxn        *txn,
             gint64             sku_id,
             gint64             location_id,
             SkStockCondition   condition,
             gint64            *out_level,
             GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *out_level = 0;
  stmt = sk_store_txn_prepare (txn,
                               "SELECT on_hand, damaged, quarantine FROM stock_levels"
                               " WHERE sku_id = ? AND location_id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    *out_level = sqlite3_column_int64 (stmt, (int) condition);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
update_level (SkStoreTxn        *txn,
              gint64             sku_id,
              gint64             location_id,
              SkStockCondition   condition,
              gint64             delta,
              gint64             now,
              GError           **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  const char *column = level_column (condition);

  /* Three texts, each cached once. */
  sql = g_strdup_printf ("INSERT INTO stock_levels (sku_id, location_id, %s, updated_at)"
                         " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sku_id, location_id)"
                         " DO UPDATE SET %s = %s + excluded.%s, updated_at = excluded.updated_at",
                         column, column, column, column);
  stmt = sk_store_txn_prepare (txn, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  sqlite3_bind_int64 (stmt, 3, delta);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  stmt = sk_store_txn_prepare (txn,
                               condition == SK_STOCK_CONDITION_RESELLABLE
                                 ? "UPDATE skus SET on_hand = on_hand + ?1, updated_at = ?2 WHERE id = ?3"
                                 : "UPDATE skus SET unsellable = unsellable + ?1, updated_at = ?2 WHERE id = ?3",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, delta);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, sku_id);
  return _sk_store_txn_step_done (txn, stmt, error);
}

gboolean
sk_store_txn_record_movement (SkStoreTxn  *txn,
                              SkMovement  *m,
                              gboolean     allow_negative,
                              GError     **error)
{
  g_autofree char *sku = NULL;
  sqlite3_stmt *stmt;
  gboolean is_kit = FALSE;
  gint64 level = 0;
  gint64 now = _sk_store_now ();

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (m != NULL, FALSE);

  if (!_sk_inv_lookup_sku (txn, m->sku_id, &sku, &is_kit, error))
    return FALSE;
  if (is_kit)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("“%s” is a kit: it holds no stock of its own. Change the stock of its components instead."),
                   sku);
      return FALSE;
    }
  if (!check_active_location (txn, m->location_id, error) ||
      !read_bucket (txn, m->sku_id, m->location_id, m->condition, &level, error))
    return FALSE;

  if (m->kind == SK_MOVEMENT_COUNT)
    m->quantity = m->counted - level;
  else
    m->counted = -1;
  m->balance = level + m->quantity;

  if (m->balance < 0 && !allow_negative)
    {
      g_autofree char *where = location_name (txn, m->location_id);

      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Only %lld of “%s” is at %s, so %lld cannot be taken out. Count the shelf and correct the level first.",
                                "Only %lld of “%s” are at %s, so %lld cannot be taken out. Count the shelf and correct the level first.",
                                (gulong) MAX (level, 0)),
                   (long long) level, sku, where, (long long) -m->quantity);
      return FALSE;
    }

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO stock_movements (at, sku_id, location_id, kind, bucket,"
                               " quantity, counted, balance, reason, order_id, other_location_id,"
                               " ref_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, m->sku_id);
  sqlite3_bind_int64 (stmt, 3, m->location_id);
  _sk_store_bind_text (stmt, 4, sk_movement_kind_to_string (m->kind));
  _sk_store_bind_text (stmt, 5, sk_stock_condition_to_string (m->condition));
  sqlite3_bind_int64 (stmt, 6, m->quantity);
  _sk_inv_bind_int_or_null (stmt, 7, m->counted, -1);
  sqlite3_bind_int64 (stmt, 8, m->balance);
  _sk_store_bind_text (stmt, 9, m->reason);
  _sk_inv_bind_int_or_null (stmt, 10, m->order_id, 0);
  _sk_inv_bind_int_or_null (stmt, 11, m->other_location_id, 0);
  _sk_inv_bind_int_or_null (stmt, 12, m->ref_id, 0);
  _sk_store_bind_text (stmt, 13, m->actor ? m->actor : "user");
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  m->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
  m->at = now;

  if (m->quantity != 0 &&
      !update_level (txn, m->sku_id, m->location_id, m->condition, m->quantity, now, error))
    return FALSE;
  return _sk_inv_mark_dirty (txn, m->sku_id, error);
}

static gboolean edit_error (GError     **error,
                            const char  *format,
                            ...) G_GNUC_PRINTF (2, 3);

static gboolean
edit_error (GError     **error,
            const char  *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT, format, args));
  va_end (args);
  return FALSE;
}

gboolean
sk_store_txn_record_stock_edit (SkStoreTxn         *txn,
                                const SkStockEdit  *edit,
                                const char         *reason,
                                const char         *actor,
                                GError            **error)
{
  SkMovement m = { 0, };
  SkMovement in = { 0, };
  g_autofree char *sku = NULL;
  const char *why = edit->reason ? edit->reason : reason;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  if (!_sk_inv_lookup_sku (txn, edit->sku_id, &sku, NULL, error))
    return FALSE;

  m.kind = edit->kind;
  m.sku_id = edit->sku_id;
  m.location_id = edit->location_id;
  m.quantity = edit->quantity;
  m.reason = (char *) why;
  m.actor = (char *) (actor ? actor : "user");
  m.counted = -1;
  if (m.location_id <= 0)
    m.location_id = sk_store_txn_ensure_default_location (txn, error);
  if (m.location_id <= 0)
    return FALSE;

  switch (edit->kind)
    {
    case SK_MOVEMENT_RECEIVE:
      if (edit->quantity <= 0)
        return edit_error (error, _("Enter how many of “%s” arrived: a number above zero."), sku);
      break;

    case SK_MOVEMENT_ADJUST:
      if (edit->quantity == 0)
        return edit_error (error, _("The adjustment of “%s” changes nothing. Enter how many to add or take away."), sku);
      if (why == NULL || *why == '\0')
        return edit_error (error, _("Say why the stock of “%s” changes: an adjustment needs a reason, such as “Damaged in storage”."), sku);
      break;

    case SK_MOVEMENT_COUNT:
      if (edit->quantity < 0)
        return edit_error (error, _("A count of “%s” cannot be below zero. Enter what is on the shelf."), sku);
      m.counted = edit->quantity;
      break;

    case SK_MOVEMENT_RETURN:
      if (edit->quantity <= 0)
        return edit_error (error, _("Enter how many of “%s” came back: a number above zero."), sku);
      m.condition = edit->condition;
      m.order_id = edit->order_id;
      break;

    case SK_MOVEMENT_TRANSFER_OUT:
      if (edit->quantity <= 0)
        return edit_error (error, _("Enter how many of “%s” to transfer: a number above zero."), sku);
      if (edit->to_location_id <= 0 || edit->to_location_id == m.location_id)
        return edit_error (error, _("Choose where “%s” goes: another location than the one it leaves."), sku);
      if (!check_active_location (txn, edit->to_location_id, error))
        return FALSE;
      m.quantity = -edit->quantity;
      m.other_location_id = edit->to_location_id;
      if (!sk_store_txn_record_movement (txn, &m, FALSE, error))
        return FALSE;
      in.kind = SK_MOVEMENT_TRANSFER_IN;
      in.sku_id = edit->sku_id;
      in.location_id = edit->to_location_id;
      in.quantity = edit->quantity;
      in.counted = -1;
      in.reason = m.reason;
      in.actor = m.actor;
      in.other_location_id = m.location_id;
      in.ref_id = m.id;
      return sk_store_txn_record_movement (txn, &in, FALSE, error);

    case SK_MOVEMENT_TRANSFER_IN:
    case SK_MOVEMENT_SALE:
    default:
      return edit_error (error, _("This change to “%s” cannot be made by hand. Use a transfer, an adjustment or a count."), sku);
    }

  return sk_store_txn_record_movement (txn, &m, FALSE, error);
}

typedef struct
{
  GPtrArray *edits;
  const char *reason;
  const char *actor;
} EditsJob;

static gboolean
record_edits_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  EditsJob *job = data;

  for (guint i = 0; i < job->edits->len; i++)
    if (!sk_store_txn_record_stock_edit (txn, g_ptr_array_index (job->edits, i),
                                         job->reason, job->actor, error))
      return FALSE;
  return TRUE;
}

gboolean
sk_store_record_stock_edits (SkStore     *self,
                             GPtrArray   *edits,
                             const char  *reason,
                             const char  *actor,
                             GError     **error)
{
  EditsJob job = { edits, reason, actor };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (edits != NULL, FALSE);

  return sk_store_run_sync (self, record_edits_job, &job, error);
}

GPtrArray *
sk_store_list_movements (SkStore  *self,
                         gint64    sku_id,
                         gint64    location_id,
                         gint64    before_id,
                         guint     limit,
                         GError  **error)
{
  g_autoptr(GPtrArray) movements = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT m.id, m.at, m.sku_id, m.location_id, m.kind, m.bucket,"
                                  " m.quantity, m.counted, m.balance, m.reason, m.order_id,"
                                  " m.other_location_id, m.ref_id, m.actor, l.name, o.number"
                                  " FROM stock_movements m JOIN locations l ON l.id = m.location_id"
                                  " LEFT JOIN orders o ON o.id = m.order_id"
                                  " WHERE m.sku_id = ?1 AND (?2 = 0 OR m.location_id = ?2)"
                                  " AND (?3 = 0 OR m.id < ?3)"
                                  " ORDER BY m.id DESC LIMIT ?4",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  sqlite3_bind_int64 (stmt, 3, before_id);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? limit : G_MAXINT);

  movements = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_movement_free);
  for (;;)
    {
      SkMovement *m;

      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      m = g_new0 (SkMovement, 1);
      m->id = sqlite3_column_int64 (stmt, 0);
      m->at = sqlite3_column_int64 (stmt, 1);
      m->sku_id = sqlite3_column_int64 (stmt, 2);
      m->location_id = sqlite3_column_int64 (stmt, 3);
      m->kind = sk_movement_kind_from_string ((const char *) sqlite3_column_text (stmt, 4));
      m->condition = sk_stock_condition_from_string ((const char *) sqlite3_column_text (stmt, 5));
      m->quantity = sqlite3_column_int64 (stmt, 6);
      m->counted = _sk_inv_column_int (stmt, 7, -1);
      m->balance = sqlite3_column_int64 (stmt, 8);
      m->reason = _sk_store_column_dup (stmt, 9);
      m->order_id = _sk_inv_column_int (stmt, 10, 0);
      m->other_location_id = _sk_inv_column_int (stmt, 11, 0);
      m->ref_id = _sk_inv_column_int (stmt, 12, 0);
      m->actor = _sk_store_column_dup (stmt, 13);
      m->location_name = _sk_store_column_dup (stmt, 14);
      m->order_number = _sk_store_column_dup (stmt, 15);
      g_ptr_array_add (movements, m);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&movements);
}

/* Levels */

static SkStockLevel *
level_from_stmt (sqlite3_stmt *stmt,
                 gint64        sku_id)
{
  SkStockLevel *level = g_new0 (SkStockLevel, 1);

  level->sku_id = sku_id;
  level->location_id = sqlite3_column_int64 (stmt, 0);
  level->location_name = _sk_store_column_dup (stmt, 1);
  level->on_hand = sqlite3_column_int64 (stmt, 2);
  level->damaged = sqlite3_column_int64 (stmt, 3);
  level->quarantine = sqlite3_column_int64 (stmt, 4);
  level->reserved = sqlite3_column_int64 (stmt, 5);
  level->available = level->on_hand - level->reserved;
  return level;
}

#define LEVEL_QUERY \
  "SELECT l.id, l.name, coalesce (s.on_hand, 0), coalesce (s.damaged, 0)," \
  " coalesce (s.quarantine, 0), coalesce (s.reserved, 0)" \
  " FROM locations l LEFT JOIN stock_levels s ON s.location_id = l.id AND s.sku_id = ?1"

GPtrArray *
sk_store_list_stock_levels (SkStore  *self,
                            gint64    sku_id,
                            GError  **error)
{
  g_autoptr(GPtrArray) levels = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  LEVEL_QUERY
                                  " WHERE l.archived_at IS NULL"
                                  " ORDER BY l.is_default DESC, l.name COLLATE NOCASE, l.id",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sku_id);

  levels = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_level_free);
  for (;;)
    {
      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      g_ptr_array_add (levels, level_from_stmt (stmt, sku_id));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&levels);
}

GPtrArray *
sk_store_list_all_stock_levels (SkStore  *self,
                                gint64    location_id,
                                GError  **error)
{
  g_autoptr(GPtrArray) levels = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT l.id, l.name, coalesce (v.on_hand, 0), coalesce (v.damaged, 0),"
                                  " coalesce (v.quarantine, 0), coalesce (v.reserved, 0), s.id, s.sku, s.title"
                                  " FROM skus s JOIN locations l ON l.archived_at IS NULL AND (?1 = 0 OR l.id = ?1)"
                                  " LEFT JOIN stock_levels v ON v.sku_id = s.id AND v.location_id = l.id"
                                  " WHERE s.is_kit = 0 AND s.archived = 0"
                                  " ORDER BY s.sku, l.is_default DESC, l.name COLLATE NOCASE, l.id",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, location_id);

  levels = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_level_free);
  for (;;)
    {
      SkStockLevel *level;

      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      level = level_from_stmt (stmt, sqlite3_column_int64 (stmt, 6));
      level->sku = _sk_store_column_dup (stmt, 7);
      level->title = _sk_store_column_dup (stmt, 8);
      g_ptr_array_add (levels, level);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&levels);
}

gboolean
sk_store_get_stock_level (SkStore       *self,
                          gint64         sku_id,
                          gint64         location_id,
                          SkStockLevel  *out,
                          GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->sku_id = sku_id;
  out->location_id = location_id;
  stmt = sk_store_reader_prepare (self, LEVEL_QUERY " WHERE l.id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    {
      out->on_hand = sqlite3_column_int64 (stmt, 2);
      out->damaged = sqlite3_column_int64 (stmt, 3);
      out->quarantine = sqlite3_column_int64 (stmt, 4);
      out->reserved = sqlite3_column_int64 (stmt, 5);
      out->available = out->on_hand - out->reserved;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The consistency check: each query returns the first row that disagrees,
 * with a description. */
static const char * const consistency_checks[] = {
  /* Levels against the sums of the ledger. */
  "WITH ledger AS (SELECT sku_id, location_id,"
  "   sum (CASE WHEN bucket = 'sellable' THEN quantity ELSE 0 END) AS on_hand,"
  "   sum (CASE WHEN bucket = 'damaged' THEN quantity ELSE 0 END) AS damaged,"
  "   sum (CASE WHEN bucket = 'quarantine' THEN quantity ELSE 0 END) AS quarantine"
  "   FROM stock_movements GROUP BY sku_id, location_id)"
  " SELECT printf ('SKU %d at location %d: level %d/%d/%d, ledger %d/%d/%d', g.sku_id,"
  "   g.location_id, coalesce (l.on_hand, 0), coalesce (l.damaged, 0),"
  "   coalesce (l.quarantine, 0), g.on_hand, g.damaged, g.quarantine)"
  " FROM ledger g LEFT JOIN stock_levels l USING (sku_id, location_id)"
  " WHERE coalesce (l.on_hand, 0) <> g.on_hand OR coalesce (l.damaged, 0) <> g.damaged"
  "   OR coalesce (l.quarantine, 0) <> g.quarantine LIMIT 1",
  /* Levels with no ledger behind them. */
  "SELECT printf ('SKU %d at location %d: level %d/%d/%d without movements', sku_id,"
  "   location_id, on_hand, damaged, quarantine)"
  " FROM stock_levels l WHERE (on_hand <> 0 OR damaged <> 0 OR quarantine <> 0)"
  " AND NOT EXISTS (SELECT 1 FROM stock_movements m"
  "   WHERE m.sku_id = l.sku_id AND m.location_id = l.location_id) LIMIT 1",
  /* Every balance is the running sum of its bucket. */
  "SELECT printf ('movement %d: balance %d, running sum %d', id, balance, running)"
  " FROM (SELECT id, balance, sum (quantity) OVER (PARTITION BY sku_id, location_id, bucket"
  "   ORDER BY id ROWS UNBOUNDED PRECEDING) AS running FROM stock_movements)"
  " WHERE balance <> running LIMIT 1",
  /* A count's change is what it took to reach the counted value. */
  "SELECT printf ('count %d: counted %d but balance %d', id, counted, balance)"
  " FROM stock_movements WHERE kind = 'count' AND counted <> balance LIMIT 1",
  /* Reserved against the reservations. */
  "WITH held AS (SELECT sku_id, location_id, sum (quantity) AS reserved"
  "   FROM reservations GROUP BY sku_id, location_id)"
  " SELECT printf ('SKU %d at location %d: reserved %d, reservations %d', h.sku_id,"
  "   h.location_id, coalesce (l.reserved, 0), h.reserved)"
  " FROM held h LEFT JOIN stock_levels l USING (sku_id, location_id)"
  " WHERE coalesce (l.reserved, 0) <> h.reserved LIMIT 1",
  "SELECT printf ('SKU %d at location %d: reserved %d without reservations', sku_id,"
  "   location_id, reserved)"
  " FROM stock_levels l WHERE reserved <> 0 AND NOT EXISTS (SELECT 1 FROM reservations r"
  "   WHERE r.sku_id = l.sku_id AND r.location_id = l.location_id AND r.quantity > 0) LIMIT 1",
  /* The SKU totals. */
  "SELECT printf ('SKU %d: totals %d/%d/%d, levels %d/%d/%d', s.id, s.on_hand, s.unsellable,"
  "   s.reserved, coalesce (t.on_hand, 0), coalesce (t.unsellable, 0), coalesce (t.reserved, 0))"
  " FROM skus s LEFT JOIN (SELECT sku_id, sum (on_hand) AS on_hand,"
  "   sum (damaged + quarantine) AS unsellable, sum (reserved) AS reserved"
  "   FROM stock_levels GROUP BY sku_id) t ON t.sku_id = s.id"
  " WHERE s.on_hand <> coalesce (t.on_hand, 0) OR s.unsellable <> coalesce (t.unsellable, 0)"
  "   OR s.reserved <> coalesce (t.reserved, 0) LIMIT 1",
};

gboolean
sk_store_check_stock_consistency (SkStore  *self,
                                  GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (consistency_checks); i++)
    {
      sqlite3_stmt *stmt = sk_store_reader_prepare (self, consistency_checks[i], error);
      g_autofree char *difference = NULL;
      gboolean row;

      if (stmt == NULL || !_sk_inv_reader_step (self, stmt, &row, error))
        return FALSE;
      if (row)
        difference = _sk_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      if (difference != NULL)
        {
          g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CORRUPT,
                       _("The stock levels do not match the stock history (%s). Report the problem; a cycle count of the SKU sets it right."),
                       difference);
          return FALSE;
        }
    }
  return TRUE;
}

/* Reservations */

static GPtrArray *
list_reservations (SkStore     *self,
                   const char  *sql,
                   gint64       id,
                   GError     **error)
{
  g_autoptr(GPtrArray) reservations = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_reader_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  reservations = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_reservation_free);
  for (;;)
    {
      SkReservation *r;

      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      r = g_new0 (SkReservation, 1);
      r->order_id = sqlite3_column_int64 (stmt, 0);
      r->order_number = _sk_store_column_dup (stmt, 1);
      r->channel_id = sqlite3_column_int64 (stmt, 2);
      r->position = sqlite3_column_int (stmt, 3);
      r->sku_id = sqlite3_column_int64 (stmt, 4);
      r->sku = _sk_store_column_dup (stmt, 5);
      r->location_id = sqlite3_column_int64 (stmt, 6);
      r->quantity = sqlite3_column_int64 (stmt, 7);
      r->consumed = sqlite3_column_int64 (stmt, 8);
      r->returned = sqlite3_column_int64 (stmt, 9);
      r->via_kit_id = _sk_inv_column_int (stmt, 10, 0);
      g_ptr_array_add (reservations, r);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&reservations);
}

#define RESERVATION_QUERY \
  "SELECT r.order_id, o.number, o.channel_id, r.position, r.sku_id, s.sku, r.location_id," \
  " r.quantity, r.consumed, r.returned, r.via_kit_id" \
  " FROM reservations r JOIN orders o ON o.id = r.order_id JOIN skus s ON s.id = r.sku_id"

GPtrArray *
sk_store_list_sku_reservations (SkStore  *self,
                                gint64    sku_id,
                                GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  return list_reservations (self,
                            RESERVATION_QUERY " WHERE r.sku_id = ?1 AND r.quantity > 0"
                            " ORDER BY o.created_at, r.order_id, r.position",
                            sku_id, error);
}

GPtrArray *
sk_store_list_order_reservations (SkStore  *self,
                                  gint64    order_id,
                                  GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  return list_reservations (self,
                            RESERVATION_QUERY " WHERE r.order_id = ?1 ORDER BY r.position, r.sku_id",
                            order_id, error);
}

/* Orders as the engine sees them */

static gboolean
resolve_line (SkStoreTxn        *txn,
              gint64             channel_id,
              const char        *product_ref,
              const char        *variant_ref,
              SkOrderStockLine  *line,
              GError           **error)
{
  g_autofree char *text = _sk_inv_strdup_trimmed (line->sku);
  sqlite3_stmt *stmt;
  gboolean row;

  if (product_ref != NULL)
    {
      stmt = sk_store_txn_prepare (txn,
                                   "SELECT l.match_state, s.id, s.is_kit FROM listings l"
                                   " LEFT JOIN skus s ON s.id = l.sku_id"
                                   " WHERE l.channel_id = ? AND l.product_ref = ? AND l.variant_ref = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, channel_id);
      _sk_store_bind_text (stmt, 2, product_ref);
      _sk_store_bind_text (stmt, 3, variant_ref ? variant_ref : "");
      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (row)
        {
          SkMatchState state = sk_match_state_from_string ((const char *) sqlite3_column_text (stmt, 0));

          line->ignored = (state == SK_MATCH_STATE_IGNORED);
          if ((state == SK_MATCH_STATE_AUTO || state == SK_MATCH_STATE_MANUAL) &&
              sqlite3_column_type (stmt, 1) != SQLITE_NULL)
            {
              line->sku_id = sqlite3_column_int64 (stmt, 1);
              line->is_kit = sqlite3_column_int (stmt, 2) != 0;
            }
        }
      sqlite3_reset (stmt);
      if (line->sku_id != 0 || line->ignored)
        return TRUE;
    }

  if (text == NULL)
    return TRUE;
  stmt = sk_store_txn_prepare (txn, "SELECT id, is_kit FROM skus WHERE sku = ?", error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, text);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      line->sku_id = sqlite3_column_int64 (stmt, 0);
      line->is_kit = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_components (SkStoreTxn        *txn,
                 SkOrderStockLine  *line,
                 GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  line->components = g_array_new (FALSE, FALSE, sizeof (SkStockPart));
  stmt = sk_store_txn_prepare (txn,
                               "SELECT component_id, quantity FROM kit_components WHERE kit_id = ?"
                               " ORDER BY component_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, line->sku_id);
  for (;;)
    {
      SkStockPart part = { line->sku_id, 0, 0 };

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      part.component_id = sqlite3_column_int64 (stmt, 0);
      part.quantity = sqlite3_column_int64 (stmt, 1);
      g_array_append_val (line->components, part);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_shipped (SkStoreTxn        *txn,
              gint64             order_id,
              SkOrderStockLine  *line,
              GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT coalesce (sum (sl.quantity), 0) FROM shipment_lines sl"
                               " JOIN shipments sh ON sh.id = sl.shipment_id"
                               " WHERE sh.order_id = ? AND sl.position = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int (stmt, 2, line->position);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    line->shipped = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_stock_lines (SkStoreTxn    *txn,
                  SkOrderStock  *stock,
                  GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  /* Collect the rows first: resolving a line uses other statements. */
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);

  stmt = sk_store_txn_prepare (txn,
                               "SELECT position, sku, title, quantity, product_id, variant_id"
                               " FROM order_lines WHERE order_id = ? ORDER BY position",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, stock->order_id);
  for (;;)
    {
      SkOrderStockLine *line;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      line = g_new0 (SkOrderStockLine, 1);
      line->position = sqlite3_column_int (stmt, 0);
      line->sku = _sk_store_column_dup (stmt, 1);
      line->title = _sk_store_column_dup (stmt, 2);
      line->quantity = MAX (sqlite3_column_int64 (stmt, 3), 0);
      g_ptr_array_add (stock->lines, line);
      g_ptr_array_add (refs, _sk_store_column_dup (stmt, 4));
      g_ptr_array_add (refs, _sk_store_column_dup (stmt, 5));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < stock->lines->len; i++)
    {
      SkOrderStockLine *line = g_ptr_array_index (stock->lines, i);

      if (!resolve_line (txn, stock->channel_id, refs->pdata[2 * i], refs->pdata[2 * i + 1],
                         line, error) ||
          !load_shipped (txn, stock->order_id, line, error))
        return FALSE;
      if (line->is_kit && !load_components (txn, line, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_stock_reservations (SkStoreTxn    *txn,
                         SkOrderStock  *stock,
                         GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT position, sku_id, location_id, quantity, consumed, returned,"
                               " via_kit_id FROM reservations WHERE order_id = ?"
                               " ORDER BY position, sku_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, stock->order_id);
  for (;;)
    {
      SkReservation *r;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      r = g_new0 (SkReservation, 1);
      r->order_id = stock->order_id;
      r->channel_id = stock->channel_id;
      r->position = sqlite3_column_int (stmt, 0);
      r->sku_id = sqlite3_column_int64 (stmt, 1);
      r->location_id = sqlite3_column_int64 (stmt, 2);
      r->quantity = sqlite3_column_int64 (stmt, 3);
      r->consumed = sqlite3_column_int64 (stmt, 4);
      r->returned = sqlite3_column_int64 (stmt, 5);
      r->via_kit_id = _sk_inv_column_int (stmt, 6, 0);
      g_ptr_array_add (stock->reservations, r);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

SkOrderStock *
sk_store_txn_load_order_stock (SkStoreTxn  *txn,
                               gint64       order_id,
                               gint64       tracking_since,
                               GError     **error)
{
  g_autoptr(SkOrderStock) stock = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (txn != NULL, NULL);

  stmt = sk_store_txn_prepare (txn,
                               "SELECT o.channel_id, c.name, o.number, o.created_at, o.updated_at,"
                               " o.status, o.payment_status, o.fulfillment_status,"
                               " s.order_id IS NOT NULL, coalesce (s.tracked, 0), coalesce (s.unmatched, 0)"
                               " FROM orders o JOIN channels c ON c.id = o.channel_id"
                               " LEFT JOIN order_stock s ON s.order_id = o.id WHERE o.id = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return NULL;
  if (!row)
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  stock = g_new0 (SkOrderStock, 1);
  stock->order_id = order_id;
  stock->channel_id = sqlite3_column_int64 (stmt, 0);
  stock->channel_name = _sk_store_column_dup (stmt, 1);
  stock->number = _sk_store_column_dup (stmt, 2);
  stock->created_at = sqlite3_column_int64 (stmt, 3);
  stock->updated_at = sqlite3_column_int64 (stmt, 4);
  stock->status = sk_order_status_from_string ((const char *) sqlite3_column_text (stmt, 5));
  stock->payment_status = sk_payment_status_from_string ((const char *) sqlite3_column_text (stmt, 6));
  stock->fulfillment_status = sk_fulfillment_status_from_string ((const char *) sqlite3_column_text (stmt, 7));
  stock->known = sqlite3_column_int (stmt, 8) != 0;
  stock->tracked = sqlite3_column_int (stmt, 9) != 0;
  stock->unmatched = (guint) sqlite3_column_int (stmt, 10);
  sqlite3_reset (stmt);

  stock->lines = _sk_inv_new_stock_lines ();
  stock->reservations = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_reservation_free);
  if (!stock->known)
    stock->tracked = stock->created_at >= tracking_since;
  if (!stock->tracked)
    return g_steal_pointer (&stock);

  if (!load_stock_lines (txn, stock, error) ||
      !load_stock_reservations (txn, stock, error))
    return NULL;
  return g_steal_pointer (&stock);
}

gboolean
sk_store_txn_write_reservation (SkStoreTxn           *txn,
                                const SkReservation  *r,
                                GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (r->quantity >= 0, FALSE);

  if (r->quantity == 0 && r->consumed == 0 && r->returned == 0)
    {
      stmt = sk_store_txn_prepare (txn,
                                   "DELETE FROM reservations"
                                   " WHERE order_id = ? AND position = ? AND sku_id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, r->order_id);
      sqlite3_bind_int (stmt, 2, r->position);
      sqlite3_bind_int64 (stmt, 3, r->sku_id);
    }
  else
    {
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO reservations (order_id, position, sku_id, location_id,"
                                   " quantity, consumed, returned, via_kit_id, updated_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                   " ON CONFLICT (order_id, position, sku_id) DO UPDATE SET"
                                   " location_id = excluded.location_id, quantity = excluded.quantity,"
                                   " consumed = excluded.consumed, returned = excluded.returned,"
                                   " via_kit_id = excluded.via_kit_id, updated_at = excluded.updated_at",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, r->order_id);
      sqlite3_bind_int (stmt, 2, r->position);
      sqlite3_bind_int64 (stmt, 3, r->sku_id);
      sqlite3_bind_int64 (stmt, 4, r->location_id);
      sqlite3_bind_int64 (stmt, 5, r->quantity);
      sqlite3_bind_int64 (stmt, 6, r->consumed);
      sqlite3_bind_int64 (stmt, 7, r->returned);
      _sk_inv_bind_int_or_null (stmt, 8, r->via_kit_id, 0);
      sqlite3_bind_int64 (stmt, 9, _sk_store_now ());
    }
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_txn_mark_order_stock (SkStoreTxn  *txn,
                               gint64       order_id,
                               gboolean     tracked,
                               gint64       updated_at,
                               guint        unmatched,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = sk_store_txn_prepare (txn,
                               "INSERT OR REPLACE INTO order_stock (order_id, tracked,"
                               " applied_updated_at, unmatched, catalog_generation)"
                               " VALUES (?, ?, ?, ?, (SELECT coalesce (max (value), 0)"
                               " FROM inventory_settings WHERE key = 'catalog-generation'))",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int (stmt, 2, tracked ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, updated_at);
  sqlite3_bind_int64 (stmt, 4, unmatched);
  return _sk_store_txn_step_done (txn, stmt, error);
}

GArray *
sk_store_txn_list_stale_orders (SkStoreTxn  *txn,
                                gboolean     catch_up,
                                GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean row;
  GError *local_error = NULL;
  gint64 since, generation;

  g_return_val_if_fail (txn != NULL, NULL);

  since = sk_store_txn_get_stock_setting (txn, "tracking-since", 0, &local_error);
  if (local_error == NULL)
    generation = sk_store_txn_get_stock_setting (txn, "catalog-generation", 0, &local_error);
  if (local_error == NULL && sk_store_txn_get_stock_setting (txn, "catch-up", 0, &local_error) != 0)
    {
      stmt = sk_store_txn_prepare (txn, "DELETE FROM inventory_settings WHERE key = 'catch-up'", error);
      if (stmt == NULL || !_sk_store_txn_step_done (txn, stmt, error))
        return NULL;
      catch_up = TRUE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  stmt = sk_store_txn_prepare (txn,
                               catch_up
                                 ? "SELECT o.id FROM orders o LEFT JOIN order_stock s ON s.order_id = o.id"
                                   " WHERE o.created_at >= ?1"
                                   " AND (s.order_id IS NULL OR (s.tracked AND s.applied_updated_at <> o.updated_at))"
                                   " UNION SELECT order_id FROM order_stock"
                                   " WHERE unmatched > 0 AND catalog_generation < ?2"
                                   " ORDER BY 1"
                                 /* Unsorted, so the partial index is used; the
                                  * engine sorts. */
                                 : "SELECT order_id FROM order_stock"
                                   " WHERE unmatched > 0 AND catalog_generation < ?2",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, generation);
  for (;;)
    {
      gint64 id;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&ids);
}

/* Savepoints */

static gboolean
savepoint_exec (SkStoreTxn  *txn,
                const char  *verb,
                const char  *name,
                GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  sql = g_strconcat (verb, " ", name, NULL);
  stmt = sk_store_txn_prepare (txn, sql, error);
  return stmt != NULL && _sk_store_txn_step_done (txn, stmt, error);
}

gboolean
sk_store_txn_savepoint (SkStoreTxn  *txn,
                        const char  *name,
                        GError     **error)
{
  return savepoint_exec (txn, "SAVEPOINT", name, error);
}

gboolean
sk_store_txn_release_savepoint (SkStoreTxn  *txn,
                                const char  *name,
                                GError     **error)
{
  return savepoint_exec (txn, "RELEASE", name, error);
}

gboolean
sk_store_txn_rollback_savepoint (SkStoreTxn  *txn,
                                 const char  *name,
                                 GError     **error)
{
  /* ROLLBACK TO leaves the savepoint open: release it too. */
  return savepoint_exec (txn, "ROLLBACK TO", name, error) &&
         savepoint_exec (txn, "RELEASE", name, error);
}
