/* sk-store-listings.c: channel listings, listing rules and stock pushes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A listing ties a channel's product/variant to a master SKU. The catalog
 * pull upserts them (matching by SKU text, then by a barcode no other
 * listing of the channel and no other SKU has); the user resolves the
 * rest. Rules say what a channel should show. The engine's recompute
 * loads its work set here (sk_store_txn_load_stock_work) and queues pushes
 * through sk_store_txn_queue_stock_push, which keeps at most one pending
 * "stock-level" outbox row per listing: a burst of changes updates that
 * row's payload instead of adding rows.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-store-inventory-private.h"

#define LISTING_COLUMNS \
  "l.id, l.channel_id, l.product_ref, l.variant_ref, l.inventory_ref, l.location_ref," \
  " l.sku, l.barcode, l.title, l.sku_id, l.match_state, l.match_why, l.channel_quantity," \
  " l.confirmed_quantity, l.target_quantity, l.removed_at, l.updated_at, c.name"

static SkListing *
listing_from_stmt (sqlite3_stmt *stmt)
{
  SkListing *listing = g_new0 (SkListing, 1);

  listing->id = sqlite3_column_int64 (stmt, 0);
  listing->channel_id = sqlite3_column_int64 (stmt, 1);
  listing->product_ref = _sk_store_column_dup (stmt, 2);
  listing->variant_ref = _sk_store_column_dup (stmt, 3);
  listing->inventory_ref = _sk_store_column_dup (stmt, 4);
  listing->location_ref = _sk_store_column_dup (stmt, 5);
  listing->sku = _sk_store_column_dup (stmt, 6);
  listing->barcode = _sk_store_column_dup (stmt, 7);
  listing->title = _sk_store_column_dup (stmt, 8);
  listing->sku_id = _sk_inv_column_int (stmt, 9, 0);
  listing->match_state = sk_match_state_from_string ((const char *) sqlite3_column_text (stmt, 10));
  listing->match_why = _sk_store_column_dup (stmt, 11);
  listing->channel_quantity = _sk_inv_column_int (stmt, 12, -1);
  listing->confirmed_quantity = _sk_inv_column_int (stmt, 13, -1);
  listing->target_quantity = _sk_inv_column_int (stmt, 14, -1);
  listing->removed_at = _sk_inv_column_int (stmt, 15, 0);
  listing->updated_at = sqlite3_column_int64 (stmt, 16);
  listing->channel_name = _sk_store_column_dup (stmt, 17);
  listing->reorder_point = -1;
  return listing;
}

static GPtrArray *
read_listings (SkStore     *self,
               const char  *sql,
               gint64       id,
               GError     **error)
{
  g_autoptr(GPtrArray) listings = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_reader_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  for (;;)
    {
      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      g_ptr_array_add (listings, listing_from_stmt (stmt));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&listings);
}

SkListing *
sk_store_get_listing (SkStore  *self,
                      gint64    listing_id,
                      GError  **error)
{
  g_autoptr(GPtrArray) listings = NULL;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  listings = read_listings (self,
                            "SELECT " LISTING_COLUMNS " FROM listings l"
                            " JOIN channels c ON c.id = l.channel_id WHERE l.id = ?1",
                            listing_id, error);
  if (listings == NULL)
    return NULL;
  if (listings->len == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This listing no longer exists. Refresh the channel’s catalog and try again."));
      return NULL;
    }
  return g_ptr_array_steal_index (listings, 0);
}

SkListing *
sk_store_find_listing (SkStore     *self,
                       gint64       channel_id,
                       const char  *product_ref,
                       const char  *variant_ref,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  SkListing *listing = NULL;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);
  g_return_val_if_fail (product_ref != NULL, NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " LISTING_COLUMNS " FROM listings l"
                                  " JOIN channels c ON c.id = l.channel_id"
                                  " WHERE l.channel_id = ? AND l.product_ref = ? AND l.variant_ref = ?",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  _sk_store_bind_text (stmt, 2, product_ref);
  _sk_store_bind_text (stmt, 3, variant_ref ? variant_ref : "");
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return NULL;
  if (row)
    listing = listing_from_stmt (stmt);
  sqlite3_reset (stmt);
  return listing;
}

GPtrArray *
sk_store_list_unmatched_listings (SkStore  *self,
                                  gint64    channel_id,
                                  GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  return read_listings (self,
                        "SELECT " LISTING_COLUMNS " FROM listings l"
                        " JOIN channels c ON c.id = l.channel_id AND c.removed_at IS NULL"
                        " WHERE l.match_state = 'unmatched' AND l.removed_at IS NULL"
                        " AND (?1 = 0 OR l.channel_id = ?1)"
                        " ORDER BY l.channel_id, l.title COLLATE NOCASE, l.id",
                        channel_id, error);
}

gint64
sk_store_count_unmatched_listings (SkStore  *self,
                                   gint64    channel_id,
                                   GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 count = -1;

  g_return_val_if_fail (SK_IS_STORE (self), -1);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT count(*) FROM listings l"
                                  " JOIN channels c ON c.id = l.channel_id AND c.removed_at IS NULL"
                                  " WHERE l.match_state = 'unmatched' AND l.removed_at IS NULL"
                                  " AND (?1 = 0 OR l.channel_id = ?1)",
                                  error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return -1;
  if (row)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

GPtrArray *
sk_store_list_sku_listings (SkStore  *self,
                            gint64    sku_id,
                            GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  return read_listings (self,
                        "SELECT " LISTING_COLUMNS " FROM listings l"
                        " JOIN channels c ON c.id = l.channel_id AND c.removed_at IS NULL"
                        " WHERE l.sku_id = ?1 AND l.removed_at IS NULL"
                        " ORDER BY c.name COLLATE NOCASE, l.channel_id, l.id",
                        sku_id, error);
}

/* Pending pushes and the unmatched queue */

gboolean
_sk_inv_supersede_pending (SkStoreTxn  *txn,
                   gint64       listing_id,
                   guint       *out_count,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE outbox SET state = 'superseded'"
                               " WHERE subject_type = 'listing' AND subject_id = ?"
                               " AND kind = '" SK_OUTBOX_KIND_STOCK_LEVEL "' AND state = 'pending'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, listing_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = sqlite3_changes (sk_store_txn_get_db (txn));
  if (sqlite3_changes (sk_store_txn_get_db (txn)) > 0)
    sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);
  return TRUE;
}

static gboolean
channel_info (SkStoreTxn  *txn,
              gint64       channel_id,
              char       **out_name,
              char       **out_kind,
              GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT name, kind FROM channels WHERE id = ? AND removed_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      if (out_name != NULL)
        *out_name = _sk_store_column_dup (stmt, 0);
      if (out_kind != NULL)
        *out_kind = _sk_store_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!row)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This channel is no longer connected. Connect the shop again to manage its listings."));
  return row;
}

/* Open or resolve "unmatched-listings:<channel id>"; returns the count. */
static gboolean
refresh_unmatched_problem (SkStoreTxn  *txn,
                           gint64       channel_id,
                           guint       *out_count,
                           GError     **error)
{
  g_autofree char *key = g_strdup_printf ("unmatched-listings:%" G_GINT64_FORMAT, channel_id);
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 count = 0;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT count(*) FROM listings WHERE channel_id = ?"
                               " AND match_state = 'unmatched' AND removed_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (out_count != NULL)
    *out_count = (guint) count;

  if (count == 0)
    return sk_store_txn_resolve_inventory_problem (txn, key, NULL, error);

  if (!channel_info (txn, channel_id, &name, NULL, error))
    return FALSE;
  {
    g_autofree char *message =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "%lld listing on %s matches no SKU, so its stock is not kept in step. Match it to a SKU or ignore it in the inventory.",
                                    "%lld listings on %s match no SKU, so their stock is not kept in step. Match them to SKUs or ignore them in the inventory.",
                                    (gulong) count),
                       (long long) count, name);

    return sk_store_txn_open_inventory_problem (txn, "unmatched-listings", key, channel_id,
                                                "channel", channel_id, message, NULL, error);
  }
}

/* The catalog upsert */

typedef struct
{
  gint64 channel_id;
  GPtrArray *listings;
  SkListingUpsertFlags flags;
  SkListingUpsertResult result;
} UpsertJob;

static void
upsert_job_free (gpointer data)
{
  UpsertJob *job = data;

  g_ptr_array_unref (job->listings);
  g_free (job);
}

typedef struct
{
  SkStoreTxn *txn;
  UpsertJob *job;
  char *channel_name;
  char *actor;
  gint64 now;
  gint64 seed_location;
  GHashTable *seen;          /* listing ids of this upsert */
  GHashTable *shared_barcodes;  /* barcode → listings of the channel with it */
  gboolean catalog_changed;
} UpsertContext;

/* Barcodes that more than one listing of the channel carries (not
 * removed): barcode → count. Two variants with one barcode are not one
 * product as far as the pull can tell, so neither is matched by it. */
static gboolean
load_shared_barcodes (UpsertContext  *ctx,
                      GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT barcode, count(*) FROM listings"
                               " WHERE channel_id = ? AND removed_at IS NULL AND barcode IS NOT NULL"
                               " GROUP BY barcode HAVING count(*) > 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->job->channel_id);
  for (;;)
    {
      if (!_sk_inv_step (ctx->txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      g_hash_table_insert (ctx->shared_barcodes, _sk_store_column_dup (stmt, 0),
                           GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The SKU a listing matches by SKU text, then by barcode: only when no
 * other listing of the channel has that barcode and exactly one SKU has
 * it. When the barcode is ambiguous, *out_id is 0 and *out_why says why,
 * for the unmatched queue. */
static gboolean
find_match (UpsertContext  *ctx,
            const char     *sku,
            const char     *barcode,
            gint64         *out_id,
            char          **out_why,
            GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *out_id = 0;
  if (sku != NULL)
    {
      stmt = sk_store_txn_prepare (ctx->txn, "SELECT id FROM skus WHERE sku = ?", error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, sku);
      if (!_sk_inv_step (ctx->txn, stmt, &row, error))
        return FALSE;
      if (row)
        {
          *out_id = sqlite3_column_int64 (stmt, 0);
          *out_why = g_strdup_printf (_("Same SKU “%s”"), sku);
        }
      sqlite3_reset (stmt);
      if (*out_id != 0)
        return TRUE;
    }
  if (barcode != NULL)
    {
      guint shared = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->shared_barcodes, barcode));
      gint64 first = 0;
      guint n = 0;

      if (shared > 1)
        {
          *out_why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Barcode %s is used by %u variant on this channel; match them by hand.",
                                                   "Barcode %s is used by %u variants on this channel; match them by hand.",
                                                   shared),
                                      barcode, shared);
          return TRUE;
        }

      stmt = sk_store_txn_prepare (ctx->txn, "SELECT id FROM skus WHERE barcode = ?", error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, barcode);
      for (;;)
        {
          if (!_sk_inv_step (ctx->txn, stmt, &row, error))
            return FALSE;
          if (!row)
            break;
          if (n++ == 0)
            first = sqlite3_column_int64 (stmt, 0);
        }
      sqlite3_reset (stmt);
      if (n == 1)
        {
          *out_id = first;
          *out_why = g_strdup_printf (_("Same barcode “%s”"), barcode);
        }
      else if (n > 1)
        *out_why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Barcode %s is on %u SKU; match this listing by hand.",
                                                 "Barcode %s is on %u SKUs; match this listing by hand.",
                                                 n),
                                    barcode, n);
    }
  return TRUE;
}

static gboolean
create_sku_for (UpsertContext  *ctx,
                SkListing      *listing,
                const char     *sku,
                const char     *barcode,
                gint64         *out_id,
                GError        **error)
{
  g_autoptr(SkSku) record = NULL;

  record = listing->proposed ? sk_sku_copy (listing->proposed) : sk_sku_new (NULL, NULL);
  if (record->sku == NULL)
    record->sku = g_strdup (sku);
  if (record->title == NULL)
    record->title = g_strdup (listing->title ? listing->title : sku);
  if (record->barcode == NULL)
    record->barcode = g_strdup (barcode);
  record->id = 0;
  if (!_sk_inv_insert_sku (ctx->txn, record, FALSE, error))
    return FALSE;
  ctx->catalog_changed = TRUE;
  *out_id = record->id;
  ctx->job->result.skus_created++;
  return TRUE;
}

static gboolean
seed_stock (UpsertContext  *ctx,
            gint64          sku_id,
            gint64          quantity,
            GError        **error)
{
  g_autofree char *reason = NULL;
  SkMovement m = { 0, };
  sqlite3_stmt *stmt;
  gboolean row;
  gboolean empty = FALSE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT NOT s.is_kit AND NOT EXISTS"
                               " (SELECT 1 FROM stock_movements m WHERE m.sku_id = s.id)"
                               " FROM skus s WHERE s.id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sku_id);
  if (!_sk_inv_step (ctx->txn, stmt, &row, error))
    return FALSE;
  empty = row && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!empty)
    return TRUE;

  if (ctx->seed_location == 0)
    ctx->seed_location = sk_store_txn_ensure_default_location (ctx->txn, error);
  if (ctx->seed_location == 0)
    return FALSE;

  reason = g_strdup_printf (_("Imported from %s"), ctx->channel_name);
  m.kind = SK_MOVEMENT_COUNT;
  m.sku_id = sku_id;
  m.location_id = ctx->seed_location;
  m.counted = quantity;
  m.reason = reason;
  m.actor = ctx->actor;
  if (!sk_store_txn_record_movement (ctx->txn, &m, FALSE, error))
    return FALSE;
  ctx->job->result.seeded++;
  return TRUE;
}

typedef struct
{
  gint64 id;
  gint64 sku_id;
  SkMatchState state;
} StoredListing;

static gboolean
lookup_listing (UpsertContext   *ctx,
                const char      *product_ref,
                const char      *variant_ref,
                StoredListing   *out,
                GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  memset (out, 0, sizeof *out);
  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT id, sku_id, match_state FROM listings"
                               " WHERE channel_id = ? AND product_ref = ? AND variant_ref = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->job->channel_id);
  _sk_store_bind_text (stmt, 2, product_ref);
  _sk_store_bind_text (stmt, 3, variant_ref);
  if (!_sk_inv_step (ctx->txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->sku_id = _sk_inv_column_int (stmt, 1, 0);
      out->state = sk_match_state_from_string ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_listing (UpsertContext  *ctx,
               SkListing      *listing,
               const char     *variant_ref,
               const char     *sku,
               const char     *barcode,
               StoredListing  *stored,
               GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 q = listing->channel_quantity;

  if (stored->id == 0)
    {
      stmt = sk_store_txn_prepare (ctx->txn,
                                   "INSERT INTO listings (channel_id, product_ref, variant_ref,"
                                   " inventory_ref, location_ref, sku, barcode, title,"
                                   " channel_quantity, confirmed_quantity, created_at, updated_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?10)",
                                   error);
    }
  else
    {
      stmt = sk_store_txn_prepare (ctx->txn,
                                   "UPDATE listings SET inventory_ref = coalesce (?4, inventory_ref),"
                                   " location_ref = coalesce (?5, location_ref), sku = ?6, barcode = ?7,"
                                   " title = coalesce (?8, title),"
                                   " channel_quantity = coalesce (?9, channel_quantity),"
                                   " confirmed_quantity = coalesce (?9, confirmed_quantity),"
                                   " removed_at = NULL, updated_at = ?10 WHERE id = ?11",
                                   error);
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->job->channel_id);
  _sk_store_bind_text (stmt, 2, listing->product_ref);
  _sk_store_bind_text (stmt, 3, variant_ref);
  _sk_store_bind_text (stmt, 4, listing->inventory_ref);
  _sk_store_bind_text (stmt, 5, listing->location_ref);
  _sk_store_bind_text (stmt, 6, sku);
  _sk_store_bind_text (stmt, 7, barcode);
  _sk_store_bind_text (stmt, 8, listing->title);
  if (q >= 0)
    sqlite3_bind_int64 (stmt, 9, q);
  sqlite3_bind_int64 (stmt, 10, ctx->now);
  if (stored->id != 0)
    sqlite3_bind_int64 (stmt, 11, stored->id);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    return FALSE;

  if (stored->id == 0)
    {
      stored->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (ctx->txn));
      stored->state = SK_MATCH_STATE_UNMATCHED;
      ctx->job->result.inserted++;
    }
  else
    ctx->job->result.updated++;
  listing->id = stored->id;
  return TRUE;
}

static gboolean
set_match (SkStoreTxn    *txn,
           gint64         listing_id,
           gint64         old_sku_id,
           gint64         sku_id,
           SkMatchState   state,
           const char    *why,
           const char    *actor,
           GError       **error)
{
  sqlite3_stmt *stmt;
  const char *what;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE listings SET sku_id = ?, match_state = ?, match_why = ?,"
                               " target_quantity = NULL, updated_at = ? WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_inv_bind_int_or_null (stmt, 1, sku_id, 0);
  _sk_store_bind_text (stmt, 2, sk_match_state_to_string (state));
  _sk_store_bind_text (stmt, 3, why);
  sqlite3_bind_int64 (stmt, 4, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 5, listing_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  switch (state)
    {
    case SK_MATCH_STATE_IGNORED:
      what = "ignored";
      break;
    case SK_MATCH_STATE_UNMATCHED:
      what = "unmatched";
      break;
    case SK_MATCH_STATE_AUTO:
    case SK_MATCH_STATE_MANUAL:
    default:
      what = "matched";
      break;
    }
  {
    char from[32] = "", to[32] = "";

    if (old_sku_id != 0)
      g_snprintf (from, sizeof from, "%" G_GINT64_FORMAT, old_sku_id);
    if (sku_id != 0)
      g_snprintf (to, sizeof to, "%" G_GINT64_FORMAT, sku_id);
    if (!_sk_store_txn_add_event (txn, actor, "listing", listing_id, what,
                                  old_sku_id ? from : NULL, sku_id ? to : NULL, why, error))
      return FALSE;
  }

  if ((old_sku_id != 0 && !_sk_inv_mark_dirty (txn, old_sku_id, error)) ||
      (sku_id != 0 && !_sk_inv_mark_dirty (txn, sku_id, error)))
    return FALSE;
  /* The caller bumps the catalog generation (once for a whole pull). */
  return sku_id != 0 || _sk_inv_supersede_pending (txn, listing_id, NULL, error);
}

/* The note on a listing the pull leaves unmatched: why it could not be
 * matched (NULL: nothing to say). The pull decides again on each listing
 * it matches, so it also owns this note. */
static gboolean
set_unmatched_why (UpsertContext  *ctx,
                   gint64          listing_id,
                   const char     *why,
                   GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "UPDATE listings SET match_why = ?1, updated_at = ?2"
                               " WHERE id = ?3 AND match_why IS NOT ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, why);
  sqlite3_bind_int64 (stmt, 2, ctx->now);
  sqlite3_bind_int64 (stmt, 3, listing_id);
  return _sk_store_txn_step_done (ctx->txn, stmt, error);
}

/* The channel's low-stock threshold as the reorder point of @sku_id, when
 * it has none and the user never set or removed one. */
static gboolean
adopt_reorder_point (UpsertContext  *ctx,
                     gint64          sku_id,
                     gint64          reorder_point,
                     GError        **error)
{
  g_autofree char *why = NULL;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "UPDATE skus SET reorder_point = ?1, updated_at = ?2"
                               " WHERE id = ?3 AND reorder_point IS NULL AND NOT EXISTS"
                               " (SELECT 1 FROM events e WHERE e.subject_type = 'sku'"
                               " AND e.subject_id = ?3 AND e.what = '" SK_INV_EVENT_REORDER_POINT "'"
                               " AND e.actor = 'user')",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, reorder_point);
  sqlite3_bind_int64 (stmt, 2, ctx->now);
  sqlite3_bind_int64 (stmt, 3, sku_id);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (ctx->txn)) == 0)
    return TRUE;
  /* Translators: why a SKU got its reorder point; %s is a channel */
  why = g_strdup_printf (_("The low stock threshold on %s"), ctx->channel_name);
  return _sk_inv_log_reorder_point (ctx->txn, sku_id, -1, reorder_point, ctx->actor, why, error);
}

/* First pass: store what the channel sent. */
static gboolean
write_one (UpsertContext  *ctx,
           SkListing      *listing,
           GError        **error)
{
  g_autofree char *sku = _sk_inv_strdup_trimmed (listing->sku);
  g_autofree char *barcode = _sk_inv_strdup_trimmed (listing->barcode);
  const char *variant_ref = listing->variant_ref ? listing->variant_ref : "";
  StoredListing stored;

  if (listing->product_ref == NULL || *listing->product_ref == '\0')
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("%s sent a product without an id, so its catalog was not saved. Sync again; if it keeps happening, report the problem."),
                   ctx->channel_name);
      return FALSE;
    }

  if (!lookup_listing (ctx, listing->product_ref, variant_ref, &stored, error) ||
      !write_listing (ctx, listing, variant_ref, sku, barcode, &stored, error))
    return FALSE;
  g_hash_table_add (ctx->seen, g_memdup2 (&stored.id, sizeof stored.id));
  return TRUE;
}

/* Second pass, once the whole batch is stored (so a barcode shared with a
 * listing later in the batch is known): match, create (when @may_create),
 * seed. */
static gboolean
match_one (UpsertContext  *ctx,
           SkListing      *listing,
           gboolean        may_create,
           GError        **error)
{
  g_autofree char *sku = _sk_inv_strdup_trimmed (listing->sku);
  g_autofree char *barcode = _sk_inv_strdup_trimmed (listing->barcode);
  g_autofree char *why = NULL;
  const char *variant_ref = listing->variant_ref ? listing->variant_ref : "";
  StoredListing stored;
  gint64 match = 0;

  if (!lookup_listing (ctx, listing->product_ref, variant_ref, &stored, error))
    return FALSE;
  if (stored.id == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This listing no longer exists. Refresh the channel’s catalog and try again."));
      return FALSE;
    }

  if (stored.state == SK_MATCH_STATE_UNMATCHED || stored.state == SK_MATCH_STATE_AUTO)
    {
      if (!find_match (ctx, sku, barcode, &match, &why, error))
        return FALSE;
      if (match == 0 && sku != NULL && may_create && (ctx->job->flags & SK_LISTING_UPSERT_CREATE_SKUS))
        {
          if (!create_sku_for (ctx, listing, sku, barcode, &match, error))
            return FALSE;
          g_free (why);
          why = g_strdup_printf (_("Created from this listing on %s"), ctx->channel_name);
        }
      if (match != stored.sku_id)
        {
          if (!set_match (ctx->txn, stored.id, stored.sku_id, match,
                          match ? SK_MATCH_STATE_AUTO : SK_MATCH_STATE_UNMATCHED,
                          why, SK_INVENTORY_ACTOR, error))
            return FALSE;
          if (match != 0)
            ctx->job->result.matched++;
          stored.sku_id = match;
          ctx->catalog_changed = TRUE;
        }
      else if (match == 0 && !set_unmatched_why (ctx, stored.id, why, error))
        return FALSE;
    }

  if (stored.sku_id == 0 || stored.state == SK_MATCH_STATE_IGNORED)
    return TRUE;
  if (listing->reorder_point >= 0 &&
      !adopt_reorder_point (ctx, stored.sku_id, listing->reorder_point, error))
    return FALSE;
  if ((ctx->job->flags & SK_LISTING_UPSERT_SEED_STOCK) && listing->channel_quantity >= 0 &&
      !seed_stock (ctx, stored.sku_id, listing->channel_quantity, error))
    return FALSE;
  /* What the channel shows may differ from what it should. */
  return _sk_inv_mark_dirty (ctx->txn, stored.sku_id, error);
}

/* Listings of the channel this upsert did not send that now share a
 * barcode with one it did (a partial upsert): matched again, so that a
 * barcode match made before the second variant appeared does not stay. */
static gboolean
rematch_unseen_shared (UpsertContext  *ctx,
                       GError        **error)
{
  g_autoptr(GPtrArray) again = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  if (g_hash_table_size (ctx->shared_barcodes) == 0)
    return TRUE;
  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT id, product_ref, variant_ref, sku, barcode FROM listings"
                               " WHERE channel_id = ? AND removed_at IS NULL AND barcode IS NOT NULL"
                               " AND match_state IN ('unmatched', 'auto')",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->job->channel_id);
  again = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  for (;;)
    {
      gint64 id;
      SkListing *listing;

      if (!_sk_inv_step (ctx->txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      if (g_hash_table_contains (ctx->seen, &id) ||
          !g_hash_table_contains (ctx->shared_barcodes, sqlite3_column_text (stmt, 4)))
        continue;
      listing = sk_listing_new ((const char *) sqlite3_column_text (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2));
      listing->sku = _sk_store_column_dup (stmt, 3);
      listing->barcode = _sk_store_column_dup (stmt, 4);
      g_ptr_array_add (again, listing);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < again->len; i++)
    if (!match_one (ctx, g_ptr_array_index (again, i), FALSE, error))
      return FALSE;
  return TRUE;
}

static gboolean
remove_unseen (UpsertContext  *ctx,
               GError        **error)
{
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT id, coalesce (sku_id, 0) FROM listings"
                               " WHERE channel_id = ? AND removed_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->job->channel_id);
  for (;;)
    {
      gint64 pair[2];

      if (!_sk_inv_step (ctx->txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      pair[0] = sqlite3_column_int64 (stmt, 0);
      pair[1] = sqlite3_column_int64 (stmt, 1);
      if (!g_hash_table_contains (ctx->seen, &pair[0]))
        g_array_append_vals (gone, pair, 1);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < gone->len; i++)
    {
      gint64 *pair = &((gint64 *) gone->data)[2 * i];

      stmt = sk_store_txn_prepare (ctx->txn, "UPDATE listings SET removed_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ctx->now);
      sqlite3_bind_int64 (stmt, 2, pair[0]);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error) ||
          !_sk_inv_supersede_pending (ctx->txn, pair[0], NULL, error) ||
          (pair[1] != 0 && !_sk_inv_mark_dirty (ctx->txn, pair[1], error)))
        return FALSE;
      ctx->job->result.removed++;
    }
  return TRUE;
}

static gboolean
upsert_job_run (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  UpsertJob *job = data;
  UpsertContext ctx = { 0, };
  g_autofree char *kind = NULL;
  gboolean ok = FALSE;

  memset (&job->result, 0, sizeof job->result);
  ctx.txn = txn;
  ctx.job = job;
  ctx.now = _sk_store_now ();
  ctx.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ctx.shared_barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!channel_info (txn, job->channel_id, &ctx.channel_name, &kind, error))
    goto out;
  ctx.actor = g_strconcat ("sync:", kind, NULL);

  for (guint i = 0; i < job->listings->len; i++)
    if (!write_one (&ctx, g_ptr_array_index (job->listings, i), error))
      goto out;
  /* What left the catalog shares no barcode with what is in it. */
  if ((job->flags & SK_LISTING_UPSERT_FULL) && !remove_unseen (&ctx, error))
    goto out;
  if (!load_shared_barcodes (&ctx, error))
    goto out;
  for (guint i = 0; i < job->listings->len; i++)
    if (!match_one (&ctx, g_ptr_array_index (job->listings, i), TRUE, error))
      goto out;
  if (!rematch_unseen_shared (&ctx, error))
    goto out;

  if (ctx.catalog_changed && !_sk_inv_bump_catalog (txn, error))
    goto out;
  if (!refresh_unmatched_problem (txn, job->channel_id, &job->result.unmatched, error))
    goto out;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  ok = TRUE;

out:
  g_free (ctx.channel_name);
  g_free (ctx.actor);
  g_hash_table_unref (ctx.seen);
  g_hash_table_unref (ctx.shared_barcodes);
  if (!ok)
    memset (&job->result, 0, sizeof job->result);
  return ok;
}

gboolean
sk_store_upsert_listings_sync (SkStore                *self,
                               gint64                  channel_id,
                               GPtrArray              *listings,
                               SkListingUpsertFlags    flags,
                               SkListingUpsertResult  *out_result,
                               GError                **error)
{
  UpsertJob job = { 0, };
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (listings != NULL, FALSE);

  job.channel_id = channel_id;
  job.listings = listings;
  job.flags = flags;
  ok = sk_store_run_sync (self, upsert_job_run, &job, error);
  if (out_result != NULL)
    *out_result = job.result;
  return ok;
}

static void
on_upsert_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sk_store_run_finish (SK_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
sk_store_upsert_listings_async (SkStore               *self,
                                gint64                 channel_id,
                                GPtrArray             *listings,
                                SkListingUpsertFlags   flags,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  UpsertJob *job;

  g_return_if_fail (SK_IS_STORE (self));
  g_return_if_fail (listings != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_store_upsert_listings_async);
  g_task_set_check_cancellable (task, FALSE);

  job = g_new0 (UpsertJob, 1);
  job->channel_id = channel_id;
  job->listings = g_ptr_array_ref (listings);
  job->flags = flags;
  g_task_set_task_data (task, job, upsert_job_free);

  sk_store_run_async (self, upsert_job_run, job, NULL, cancellable,
                      on_upsert_done, g_object_ref (task));
}

gboolean
sk_store_upsert_listings_finish (SkStore                *self,
                                 GAsyncResult           *result,
                                 SkListingUpsertResult  *out_result,
                                 GError                **error)
{
  UpsertJob *job;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_upsert_listings_async, FALSE);

  if (out_result != NULL)
    memset (out_result, 0, sizeof *out_result);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (out_result != NULL)
    *out_result = job->result;
  return TRUE;
}

/* The user's decisions on listings */

typedef struct
{
  gint64 listing_id;
  gint64 sku_id;
  SkMatchState state;
  gint64 quantity;
} ListingJob;

static gboolean
decide_listing_job (SkStoreTxn  *txn,
                    gpointer     data,
                    GError     **error)
{
  ListingJob *job = data;
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 channel_id = 0, old_sku = 0;

  stmt = sk_store_txn_prepare (txn, "SELECT channel_id, coalesce (sku_id, 0) FROM listings WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->listing_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      channel_id = sqlite3_column_int64 (stmt, 0);
      old_sku = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!row)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This listing no longer exists. Refresh the channel’s catalog and try again."));
      return FALSE;
    }

  switch (job->state)
    {
    case SK_MATCH_STATE_MANUAL:
      if (!_sk_inv_lookup_sku (txn, job->sku_id, &text, NULL, error))
        return FALSE;
      why = g_strdup_printf (_("Matched to “%s” by you"), text);
      break;
    case SK_MATCH_STATE_IGNORED:
      why = g_strdup (_("Ignored by you: not kept in step with the inventory"));
      break;
    case SK_MATCH_STATE_UNMATCHED:
    case SK_MATCH_STATE_AUTO:
    default:
      why = g_strdup (_("Unmatched by you"));
      break;
    }

  return set_match (txn, job->listing_id, old_sku, job->sku_id, job->state, why, "user", error) &&
         _sk_inv_bump_catalog (txn, error) &&
         refresh_unmatched_problem (txn, channel_id, NULL, error);
}

static gboolean
decide_listing (SkStore       *self,
                gint64         listing_id,
                gint64         sku_id,
                SkMatchState   state,
                GError       **error)
{
  ListingJob job = { listing_id, sku_id, state, 0 };

  return sk_store_run_sync (self, decide_listing_job, &job, error);
}

gboolean
sk_store_match_listing (SkStore  *self,
                        gint64    listing_id,
                        gint64    sku_id,
                        GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (sku_id > 0, FALSE);

  return decide_listing (self, listing_id, sku_id, SK_MATCH_STATE_MANUAL, error);
}

gboolean
sk_store_ignore_listing (SkStore  *self,
                         gint64    listing_id,
                         GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  return decide_listing (self, listing_id, 0, SK_MATCH_STATE_IGNORED, error);
}

gboolean
sk_store_unmatch_listing (SkStore  *self,
                          gint64    listing_id,
                          GError  **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  return decide_listing (self, listing_id, 0, SK_MATCH_STATE_UNMATCHED, error);
}

gboolean
sk_store_txn_confirm_listing_quantity (SkStoreTxn  *txn,
                                       gint64       listing_id,
                                       gint64       quantity,
                                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 sku_id = 0, target = -1;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (quantity >= 0, FALSE);

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE listings SET confirmed_quantity = ?, updated_at = ? WHERE id = ?"
                               " RETURNING coalesce (sku_id, 0), coalesce (target_quantity, -1)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, quantity);
  sqlite3_bind_int64 (stmt, 2, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 3, listing_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      sku_id = sqlite3_column_int64 (stmt, 0);
      target = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (!row)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This listing no longer exists. Refresh the channel’s catalog and try again."));
      return FALSE;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  if (sku_id != 0 && target != quantity)
    return _sk_inv_mark_dirty (txn, sku_id, error);
  return TRUE;
}

static gboolean
confirm_job (SkStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  ListingJob *job = data;

  return sk_store_txn_confirm_listing_quantity (txn, job->listing_id, job->quantity, error);
}

gboolean
sk_store_confirm_listing_quantity (SkStore  *self,
                                   gint64    listing_id,
                                   gint64    quantity,
                                   GError  **error)
{
  ListingJob job = { listing_id, 0, 0, quantity };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (quantity >= 0, FALSE);

  return sk_store_run_sync (self, confirm_job, &job, error);
}

/* Rules */

#define RULE_COLUMNS "id, channel_id, coalesce (sku_id, 0), buffer, percent, coalesce (maximum, -1), stop_below"

static void
rule_from_stmt (sqlite3_stmt  *stmt,
                SkListingRule *rule)
{
  rule->id = sqlite3_column_int64 (stmt, 0);
  rule->channel_id = sqlite3_column_int64 (stmt, 1);
  rule->sku_id = sqlite3_column_int64 (stmt, 2);
  rule->buffer = sqlite3_column_int64 (stmt, 3);
  rule->percent = sqlite3_column_int (stmt, 4);
  rule->maximum = sqlite3_column_int64 (stmt, 5);
  rule->stop_below = sqlite3_column_int64 (stmt, 6);
}

static gboolean
mark_rule_skus_dirty (SkStoreTxn  *txn,
                      gint64       channel_id,
                      gint64       sku_id,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  if (sku_id != 0)
    return _sk_inv_mark_dirty (txn, sku_id, error);
  stmt = sk_store_txn_prepare (txn,
                               "INSERT OR IGNORE INTO stock_dirty (sku_id)"
                               " SELECT DISTINCT sku_id FROM listings"
                               " WHERE channel_id = ? AND sku_id IS NOT NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

static gboolean
set_rule_job (SkStoreTxn  *txn,
              gpointer     data,
              GError     **error)
{
  SkListingRule *rule = data;
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 id = 0;
  g_autofree char *description = NULL;

  if (!channel_info (txn, rule->channel_id, NULL, NULL, error))
    return FALSE;
  if (rule->sku_id != 0 && !_sk_inv_lookup_sku (txn, rule->sku_id, NULL, NULL, error))
    return FALSE;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT id FROM listing_rules WHERE channel_id = ? AND sku_id IS ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule->channel_id);
  _sk_inv_bind_int_or_null (stmt, 2, rule->sku_id, 0);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id != 0)
    stmt = sk_store_txn_prepare (txn,
                                 "UPDATE listing_rules SET buffer = ?3, percent = ?4, maximum = ?5,"
                                 " stop_below = ?6, updated_at = ?7 WHERE id = ?8",
                                 error);
  else
    stmt = sk_store_txn_prepare (txn,
                                 "INSERT INTO listing_rules (channel_id, sku_id, buffer, percent,"
                                 " maximum, stop_below, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule->channel_id);
  _sk_inv_bind_int_or_null (stmt, 2, rule->sku_id, 0);
  sqlite3_bind_int64 (stmt, 3, rule->buffer);
  sqlite3_bind_int (stmt, 4, rule->percent);
  _sk_inv_bind_int_or_null (stmt, 5, rule->maximum, -1);
  sqlite3_bind_int64 (stmt, 6, rule->stop_below);
  sqlite3_bind_int64 (stmt, 7, _sk_store_now ());
  if (id != 0)
    sqlite3_bind_int64 (stmt, 8, id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  rule->id = id ? id : sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));

  description = g_strdup_printf ("buffer %lld, %d %%, max %lld, stop below %lld",
                                 (long long) rule->buffer, rule->percent,
                                 (long long) rule->maximum, (long long) rule->stop_below);
  if (!_sk_store_txn_add_event (txn, "user", rule->sku_id ? "sku" : "channel",
                                rule->sku_id ? rule->sku_id : rule->channel_id,
                                "listing-rule", NULL, description, NULL, error))
    return FALSE;
  return mark_rule_skus_dirty (txn, rule->channel_id, rule->sku_id, error);
}

gboolean
sk_store_set_listing_rule (SkStore        *self,
                           SkListingRule  *rule,
                           GError        **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  if (rule->buffer < 0 || rule->percent < 0 || rule->percent > 100 ||
      rule->maximum < -1 || rule->stop_below < 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("This listing rule cannot be saved: the buffer, maximum and “stop below” must be zero or more, and the percentage between 0 and 100."));
      return FALSE;
    }
  return sk_store_run_sync (self, set_rule_job, rule, error);
}

static gboolean
delete_rule_job (SkStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  SkListingRule *rule = data;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn, "DELETE FROM listing_rules WHERE channel_id = ? AND sku_id IS ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule->channel_id);
  _sk_inv_bind_int_or_null (stmt, 2, rule->sku_id, 0);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
    return TRUE;
  if (!_sk_store_txn_add_event (txn, "user", rule->sku_id ? "sku" : "channel",
                                rule->sku_id ? rule->sku_id : rule->channel_id,
                                "listing-rule", NULL, NULL, NULL, error))
    return FALSE;
  return mark_rule_skus_dirty (txn, rule->channel_id, rule->sku_id, error);
}

gboolean
sk_store_delete_listing_rule (SkStore  *self,
                              gint64    channel_id,
                              gint64    sku_id,
                              GError  **error)
{
  SkListingRule rule;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  sk_listing_rule_init (&rule);
  rule.channel_id = channel_id;
  rule.sku_id = sku_id;
  return sk_store_run_sync (self, delete_rule_job, &rule, error);
}

GPtrArray *
sk_store_list_listing_rules (SkStore  *self,
                             gint64    sku_id,
                             GError  **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " RULE_COLUMNS " FROM listing_rules"
                                  " WHERE sku_id IS NULL OR sku_id = ?1"
                                  " ORDER BY channel_id, sku_id IS NOT NULL",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sku_id);

  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_rule_free);
  for (;;)
    {
      SkListingRule *rule;

      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      rule = g_new0 (SkListingRule, 1);
      rule_from_stmt (stmt, rule);
      g_ptr_array_add (rules, rule);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rules);
}

gboolean
sk_store_get_effective_rule (SkStore        *self,
                             gint64          channel_id,
                             gint64          sku_id,
                             SkListingRule  *out,
                             int            *out_source,
                             GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  int source = 0;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  sk_listing_rule_init (out);
  out->channel_id = channel_id;
  out->sku_id = sku_id;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " RULE_COLUMNS " FROM listing_rules"
                                  " WHERE channel_id = ?1 AND (sku_id IS NULL OR sku_id = ?2)"
                                  " ORDER BY sku_id IS NULL LIMIT 1",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  sqlite3_bind_int64 (stmt, 2, sku_id);
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    {
      rule_from_stmt (stmt, out);
      source = out->sku_id != 0 ? 2 : 1;
    }
  sqlite3_reset (stmt);
  if (out_source != NULL)
    *out_source = source;
  return TRUE;
}
