/* sk-store-stock-work.c: the recompute's work set and the stock pushes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's recompute (src/engine/sk-inventory.c) loads the SKUs marked
 * in stock_dirty (and the kits made of them), their components, their
 * listings with the rule that applies and the push in flight, writes what
 * it decides, and clears the marks, all in its own transaction. A push is
 * one "stock-level" outbox row per listing while it is pending: a burst of
 * changes updates that row's payload instead of adding rows.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-store-inventory-private.h"

static gboolean
exec_step (SkStoreTxn  *txn,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = sk_store_txn_prepare (txn, sql, error);

  return stmt != NULL && _sk_store_txn_step_done (txn, stmt, error);
}

static const char *
chunk_text (SkStockWork   *work,
            sqlite3_stmt  *stmt,
            int            column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_string_chunk_insert_const (work->strings, text) : NULL;
}

static gboolean
load_work_skus (SkStoreTxn    *txn,
                SkStockWork   *work,
                GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT s.id, s.sku, s.title, s.is_kit, s.on_hand, s.reserved,"
                               " s.available, coalesce (s.reorder_point, -1),"
                               " (SELECT coalesce (min (v.on_hand), 0) FROM stock_levels v WHERE v.sku_id = s.id)"
                               /* Driven by the marks: a pass for one order must
                                * not read the whole catalog. */
                               " FROM stock_dirty d CROSS JOIN skus s ON s.id = d.sku_id ORDER BY d.sku_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      SkStockWorkSku sku;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      sku.sku_id = sqlite3_column_int64 (stmt, 0);
      sku.sku = chunk_text (work, stmt, 1);
      sku.title = chunk_text (work, stmt, 2);
      sku.is_kit = sqlite3_column_int (stmt, 3) != 0;
      sku.on_hand = sqlite3_column_int64 (stmt, 4);
      sku.reserved = sqlite3_column_int64 (stmt, 5);
      sku.available = sqlite3_column_int64 (stmt, 6);
      sku.reorder_point = sqlite3_column_int64 (stmt, 7);
      sku.lowest_level = sqlite3_column_int64 (stmt, 8);
      sku.n_listings = 0;   /* counted from the listings */
      g_array_append_val (work->skus, sku);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_work_parts (SkStoreTxn    *txn,
                 SkStockWork   *work,
                 GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT k.kit_id, k.component_id, k.quantity, c.on_hand - c.reserved"
                               " FROM stock_dirty d CROSS JOIN kit_components k ON k.kit_id = d.sku_id"
                               " JOIN skus c ON c.id = k.component_id ORDER BY d.sku_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      SkStockWorkPart part;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      part.kit_id = sqlite3_column_int64 (stmt, 0);
      part.component_id = sqlite3_column_int64 (stmt, 1);
      part.quantity = sqlite3_column_int64 (stmt, 2);
      part.component_available = sqlite3_column_int64 (stmt, 3);
      g_array_append_val (work->parts, part);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
rule_from_columns (sqlite3_stmt  *stmt,
                   int            first,
                   SkListingRule *rule)
{
  rule->buffer = sqlite3_column_int64 (stmt, first);
  rule->percent = sqlite3_column_int (stmt, first + 1);
  rule->maximum = _sk_inv_column_int (stmt, first + 2, -1);
  rule->stop_below = sqlite3_column_int64 (stmt, first + 3);
}

/* The active channels' names and default rules: a handful of rows, read
 * once instead of joined to every listing. */
typedef struct
{
  gint64 id;            /* the hash key points here */
  const char *name;
  gboolean has_rule;
  SkListingRule rule;
} ChannelInfo;

static GHashTable *
load_channels (SkStoreTxn   *txn,
               SkStockWork  *work,
               GError      **error)
{
  g_autoptr(GHashTable) channels = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT c.id, c.name, r.id IS NOT NULL, r.buffer, r.percent, r.maximum,"
                               " r.stop_below FROM channels c LEFT JOIN listing_rules r"
                               " ON r.channel_id = c.id AND r.sku_id IS NULL"
                               " WHERE c.removed_at IS NULL",
                               error);
  if (stmt == NULL)
    return NULL;
  for (;;)
    {
      ChannelInfo *info;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      info = g_new0 (ChannelInfo, 1);
      info->id = sqlite3_column_int64 (stmt, 0);
      info->name = chunk_text (work, stmt, 1);
      sk_listing_rule_init (&info->rule);
      info->rule.channel_id = info->id;
      info->has_rule = sqlite3_column_int (stmt, 2) != 0;
      if (info->has_rule)
        rule_from_columns (stmt, 3, &info->rule);
      g_hash_table_insert (channels, &info->id, info);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&channels);
}

static gboolean
load_work_listings (SkStoreTxn    *txn,
                    SkStockWork   *work,
                    GError       **error)
{
  g_autoptr(GHashTable) channels = load_channels (txn, work, error);
  sqlite3_stmt *stmt;
  gboolean row;

  if (channels == NULL)
    return FALSE;
  stmt = sk_store_txn_prepare (txn,
                               "SELECT l.id, l.channel_id, l.sku_id, s.sku, l.product_ref, l.variant_ref,"
                               " l.inventory_ref, l.location_ref,"
                               " coalesce (l.confirmed_quantity, -1), coalesce (l.target_quantity, -1),"
                               " l.push_generation,"
                               " r.id IS NOT NULL, r.buffer, r.percent, r.maximum, r.stop_below,"
                               " p.id, coalesce (json_extract (p.payload, '$.quantity'), -1),"
                               " coalesce ((SELECT json_extract (o.payload, '$.quantity') FROM outbox o"
                               "   WHERE o.subject_type = 'listing' AND o.subject_id = l.id"
                               "   AND o.kind = '" SK_OUTBOX_KIND_STOCK_LEVEL "' AND o.state = 'sending'"
                               "   ORDER BY o.id DESC LIMIT 1), -1)"
                               " FROM stock_dirty d CROSS JOIN listings l ON l.sku_id = d.sku_id"
                               " JOIN skus s ON s.id = l.sku_id"
                               " LEFT JOIN listing_rules r ON r.channel_id = l.channel_id AND r.sku_id = l.sku_id"
                               " LEFT JOIN outbox p ON p.id = (SELECT o.id FROM outbox o"
                               "   WHERE o.subject_type = 'listing' AND o.subject_id = l.id"
                               "   AND o.kind = '" SK_OUTBOX_KIND_STOCK_LEVEL "' AND o.state = 'pending'"
                               "   ORDER BY o.id DESC LIMIT 1)"
                               " WHERE l.removed_at IS NULL AND l.match_state IN ('auto', 'manual')"
                               " ORDER BY d.sku_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      SkStockWorkListing l;
      ChannelInfo *channel;
      gint64 channel_id;

      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      channel_id = sqlite3_column_int64 (stmt, 1);
      channel = g_hash_table_lookup (channels, &channel_id);
      if (channel == NULL)
        continue;   /* a removed channel gets nothing */
      memset (&l, 0, sizeof l);
      l.listing_id = sqlite3_column_int64 (stmt, 0);
      l.channel_id = channel_id;
      l.sku_id = sqlite3_column_int64 (stmt, 2);
      l.channel_name = channel->name;
      l.sku = chunk_text (work, stmt, 3);
      l.product_ref = chunk_text (work, stmt, 4);
      l.variant_ref = chunk_text (work, stmt, 5);
      l.inventory_ref = chunk_text (work, stmt, 6);
      l.location_ref = chunk_text (work, stmt, 7);
      l.confirmed_quantity = sqlite3_column_int64 (stmt, 8);
      l.target_quantity = sqlite3_column_int64 (stmt, 9);
      l.push_generation = sqlite3_column_int64 (stmt, 10);
      l.rule = channel->rule;
      l.rule_source = channel->has_rule ? 1 : 0;
      if (sqlite3_column_int (stmt, 11))
        {
          rule_from_columns (stmt, 12, &l.rule);
          l.rule.sku_id = l.sku_id;
          l.rule_source = 2;
        }
      l.pending_outbox_id = _sk_inv_column_int (stmt, 16, 0);
      l.pending_quantity = sqlite3_column_int64 (stmt, 17);
      l.sending_quantity = sqlite3_column_int64 (stmt, 18);
      g_array_append_val (work->listings, l);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Each SKU's count of active listings, from the loaded listings (both
 * arrays are by SKU). */
static void
count_listings (SkStockWork *work)
{
  guint l = 0;

  for (guint i = 0; i < work->skus->len; i++)
    {
      SkStockWorkSku *sku = &g_array_index (work->skus, SkStockWorkSku, i);

      while (l < work->listings->len &&
             g_array_index (work->listings, SkStockWorkListing, l).sku_id < sku->sku_id)
        l++;
      for (; l < work->listings->len &&
             g_array_index (work->listings, SkStockWorkListing, l).sku_id == sku->sku_id; l++)
        sku->n_listings++;
    }
}

static gboolean
load_open_problems (SkStoreTxn    *txn,
                    SkStockWork   *work,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT dedup_key FROM exceptions WHERE resolved_at IS NULL"
                               " AND kind IN ('stock-out', 'low-stock', 'negative-stock')",
                               error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      if (!_sk_inv_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      g_hash_table_add (work->open_problems, _sk_store_column_dup (stmt, 0));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

SkStockWork *
sk_store_txn_load_stock_work (SkStoreTxn  *txn,
                              gboolean     all,
                              GError     **error)
{
  g_autoptr(SkStockWork) work = NULL;

  g_return_val_if_fail (txn != NULL, NULL);

  if (all && !exec_step (txn, "INSERT OR IGNORE INTO stock_dirty (sku_id) SELECT id FROM skus", error))
    return NULL;
  /* A kit follows its components. */
  if (!exec_step (txn,
                  "INSERT OR IGNORE INTO stock_dirty (sku_id)"
                  " SELECT DISTINCT k.kit_id FROM stock_dirty d"
                  " JOIN kit_components k ON k.component_id = d.sku_id",
                  error))
    return NULL;

  work = g_new0 (SkStockWork, 1);
  work->skus = g_array_new (FALSE, FALSE, sizeof (SkStockWorkSku));
  work->parts = g_array_new (FALSE, FALSE, sizeof (SkStockWorkPart));
  work->listings = g_array_new (FALSE, FALSE, sizeof (SkStockWorkListing));
  work->open_problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  work->strings = g_string_chunk_new (4096);

  if (!load_work_skus (txn, work, error) ||
      !load_work_parts (txn, work, error) ||
      !load_work_listings (txn, work, error) ||
      !load_open_problems (txn, work, error))
    return NULL;
  count_listings (work);
  return g_steal_pointer (&work);
}

gboolean
sk_store_txn_set_sku_available (SkStoreTxn  *txn,
                                gint64       sku_id,
                                gint64       available,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = sk_store_txn_prepare (txn, "UPDATE skus SET available = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, available);
  sqlite3_bind_int64 (stmt, 2, sku_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_txn_set_listing_target (SkStoreTxn  *txn,
                                 gint64       listing_id,
                                 gint64       quantity,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);

  stmt = sk_store_txn_prepare (txn, "UPDATE listings SET target_quantity = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _sk_inv_bind_int_or_null (stmt, 1, quantity, -1);
  sqlite3_bind_int64 (stmt, 2, listing_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

/* JSON by hand: a push is written for every listing of a busy catalog,
 * and a builder and generator per row cost ten times this. */
static void
append_json_string (GString    *json,
                    const char *value)
{
  g_string_append_c (json, '"');
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (json, "\\u%04x", *p);
      else
        g_string_append_c (json, (char) *p);
    }
  g_string_append_c (json, '"');
}

static void
add_ref (GString    *json,
         const char *name,
         const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_printf (json, ", \"%s\": ", name);
  append_json_string (json, value);
}

static char *
push_payload (const SkStockWorkListing *l,
              gint64                    quantity)
{
  GString *json = g_string_sized_new (192);

  g_string_append_printf (json, "{\"listing_id\": %" G_GINT64_FORMAT, l->listing_id);
  add_ref (json, "sku", l->sku);
  add_ref (json, "product_ref", l->product_ref);
  add_ref (json, "variant_ref", l->variant_ref);
  add_ref (json, "inventory_ref", l->inventory_ref);
  add_ref (json, "location_ref", l->location_ref);
  g_string_append_printf (json, ", \"quantity\": %" G_GINT64_FORMAT, quantity);
  if (l->confirmed_quantity >= 0)
    g_string_append_printf (json, ", \"previous\": %" G_GINT64_FORMAT, l->confirmed_quantity);
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

gboolean
sk_store_txn_queue_stock_push (SkStoreTxn                *txn,
                               const SkStockWorkListing  *l,
                               gint64                     quantity,
                               const char                *why,
                               SkStockPushOutcome        *out_outcome,
                               GError                   **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  gint64 now = _sk_store_now ();
  gint64 from;
  char from_text[32] = "", to_text[32] = "";

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (l != NULL, FALSE);

  if (out_outcome != NULL)
    *out_outcome = SK_STOCK_PUSH_NONE;

  if (quantity < 0)
    {
      guint n = 0;

      if (l->pending_outbox_id == 0)
        return TRUE;
      if (!_sk_inv_supersede_pending (txn, l->listing_id, &n, error))
        return FALSE;
      if (n == 0)
        return TRUE;
      g_snprintf (from_text, sizeof from_text, "%" G_GINT64_FORMAT, l->pending_quantity);
      if (l->confirmed_quantity >= 0)
        g_snprintf (to_text, sizeof to_text, "%" G_GINT64_FORMAT, l->confirmed_quantity);
      if (out_outcome != NULL)
        *out_outcome = SK_STOCK_PUSH_SUPERSEDED;
      return _sk_store_txn_add_event (txn, SK_INVENTORY_ACTOR, "listing", l->listing_id,
                                      "stock-push-withdrawn", from_text,
                                      l->confirmed_quantity >= 0 ? to_text : NULL, why, error);
    }

  payload = push_payload (l, quantity);
  if (l->pending_outbox_id != 0)
    {
      stmt = sk_store_txn_prepare (txn,
                                   "UPDATE outbox SET payload = ? WHERE id = ? AND state = 'pending'",
                                   error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, payload);
      sqlite3_bind_int64 (stmt, 2, l->pending_outbox_id);
      if (!_sk_store_txn_step_done (txn, stmt, error))
        return FALSE;
      if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
        {
          g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED,
                               _("A stock update waiting to be sent changed while Storekeep updated it. Try again."));
          return FALSE;
        }
      from = l->pending_quantity;
      if (out_outcome != NULL)
        *out_outcome = SK_STOCK_PUSH_COALESCED;
    }
  else
    {
      gint64 generation = l->push_generation + 1;

      key = g_strdup_printf ("stock:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, l->listing_id, generation);
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO outbox (channel_id, kind, subject_type, subject_id,"
                                   " idempotency_key, payload, state, next_attempt_at, created_at)"
                                   " VALUES (?1, '" SK_OUTBOX_KIND_STOCK_LEVEL "', 'listing', ?2, ?3, ?4,"
                                   " 'pending', ?5, ?5)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, l->channel_id);
      sqlite3_bind_int64 (stmt, 2, l->listing_id);
      _sk_store_bind_text (stmt, 3, key);
      _sk_store_bind_text (stmt, 4, payload);
      sqlite3_bind_int64 (stmt, 5, now);
      if (!_sk_store_txn_step_done (txn, stmt, error))
        return FALSE;

      stmt = sk_store_txn_prepare (txn, "UPDATE listings SET push_generation = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, generation);
      sqlite3_bind_int64 (stmt, 2, l->listing_id);
      if (!_sk_store_txn_step_done (txn, stmt, error))
        return FALSE;
      from = l->confirmed_quantity;
      if (out_outcome != NULL)
        *out_outcome = SK_STOCK_PUSH_QUEUED;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);

  if (from >= 0)
    g_snprintf (from_text, sizeof from_text, "%" G_GINT64_FORMAT, from);
  g_snprintf (to_text, sizeof to_text, "%" G_GINT64_FORMAT, quantity);
  return _sk_store_txn_add_event (txn, SK_INVENTORY_ACTOR, "listing", l->listing_id, "stock-push",
                                  from >= 0 ? from_text : NULL, to_text, why, error);
}

gboolean
sk_store_txn_clear_stock_work (SkStoreTxn         *txn,
                               const SkStockWork  *work,
                               GError            **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (work != NULL, FALSE);

  /* Every mark is in @work: the marks were read in this transaction, the
   * writer thread is the only writer, and nothing the recompute writes
   * (availability, targets, pushes, problems) marks a SKU. */
  return exec_step (txn, "DELETE FROM stock_dirty", error);
}
