/* sk-store-import.c: idempotent import of a page of orders with its cursor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Nothing lost, nothing doubled": a page of orders, its dead letters and
 * the cursor past it are written in one transaction on the writer thread.
 * Orders are keyed by (channel_id, external_id); an order is rewritten when
 * its updated_at is newer than the stored one, or equal with other content:
 * channels give updated_at in whole seconds, so a payment recorded in the
 * same second as the version we hold carries the same updated_at. What the
 * channel said of an order is kept as a digest (orders.content_digest) to
 * tell the two apart; an older updated_at is always stale.
 *
 * What an import keeps of an existing order: the local state (on hold, the
 * hold reason, archived) and the tags added in Storekeep (orders.local_tags).
 * The channel's own tags are replaced by the incoming ones, so a channel tag
 * removed in Storekeep comes back when the channel sends the order again.
 *
 * Speed matters (a first sync can bring 100,000 orders): statements are
 * prepared once per connection, each order costs one lookup and no
 * transaction of its own, and the orders' digests are computed on a helper
 * thread while the writer stores the orders before them.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-order.h"
#include "sk-store-import.h"
#include "sk-store-private.h"

/* Dead letters and pages */

SkDeadLetter *
sk_dead_letter_new (const char *resource,
                    const char *external_id,
                    const char *reason,
                    GBytes     *raw)
{
  SkDeadLetter *letter = g_new0 (SkDeadLetter, 1);

  letter->resource = g_strdup (resource ? resource : "orders");
  letter->external_id = g_strdup (external_id);
  letter->reason = g_strdup (reason);
  letter->raw = raw ? g_bytes_ref (raw) : NULL;
  return letter;
}

void
sk_dead_letter_free (SkDeadLetter *letter)
{
  if (letter == NULL)
    return;
  g_free (letter->resource);
  g_free (letter->external_id);
  g_free (letter->reason);
  g_clear_pointer (&letter->raw, g_bytes_unref);
  g_free (letter);
}

SkImportPage *
sk_import_page_new (gint64      channel_id,
                    const char *resource,
                    const char *actor)
{
  SkImportPage *page = g_new0 (SkImportPage, 1);

  page->channel_id = channel_id;
  page->resource = g_strdup (resource ? resource : "orders");
  page->actor = g_strdup (actor);
  page->orders = g_ptr_array_new_with_free_func (g_object_unref);
  page->dead_letters = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_dead_letter_free);
  return page;
}

void
sk_import_page_free (SkImportPage *page)
{
  if (page == NULL)
    return;
  g_free (page->resource);
  g_free (page->actor);
  g_clear_pointer (&page->orders, g_ptr_array_unref);
  g_clear_pointer (&page->dead_letters, g_ptr_array_unref);
  sk_sync_cursor_clear (&page->cursor);
  g_free (page);
}

/* The import job */

typedef struct
{
  SkImportPage *page;
  SkImportResult result;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  sk_import_page_free (job->page);
  g_free (job);
}

/* What one page needs to know once. */
typedef struct
{
  SkStoreTxn *txn;
  SkImportPage *page;
  SkImportResult *result;
  char *kind;
  char *actor;
  char *imported_why;
  char *updated_why;
  gboolean has_open_letters;
  gint64 now;
  GArray *search_rows;          /* SearchRow, written after the orders */
  GHashTable *search_index;     /* order id → position in search_rows */
  struct _DigestBatch *digests; /* NULL: the writer computes them */
  GString *update_sql;
} PageContext;

/* Search rows are written together at the end of the page: FTS5 flushes
 * its pending terms at every statement savepoint, so interleaving them
 * with the other inserts makes one tiny segment per order (a third of the
 * import time). */
typedef struct
{
  gint64 order_id;
  gboolean replace;
  SkOrder *order;
} SearchRow;

static void
search_row_clear (gpointer data)
{
  SearchRow *row = data;

  g_clear_object (&row->order);
}

/* What is stored about an order before the import touches it. */
typedef struct
{
  gint64 id;
  gint64 updated_at;
  char *status;
  char *payment_status;
  char *fulfillment_status;
  gint64 total_refunded;
  char *local_tags;
  char *content_digest;   /* NULL for orders imported before schema 6 */
  /* The other columns of the inbox's indexes (see order_update_sql ()) */
  char *number;
  gint64 created_at;
  gint64 total;
  char *customer_name;
} StoredOrder;

static void
stored_order_clear (StoredOrder *stored)
{
  g_free (stored->status);
  g_free (stored->payment_status);
  g_free (stored->fulfillment_status);
  g_free (stored->local_tags);
  g_free (stored->content_digest);
  g_free (stored->number);
  g_free (stored->customer_name);
  memset (stored, 0, sizeof *stored);
}

/* Digests: SHA-256 over a length-prefixed serialization, so that NULL,
 * "" and the boundaries between fields cannot be confused. */

#define DIGEST_VERSION "sk-order/1"

static void
digest_int (GChecksum *sum,
            gint64     value)
{
  guint64 le = GUINT64_TO_LE ((guint64) value);

  g_checksum_update (sum, (const guchar *) &le, sizeof le);
}

static void
digest_str (GChecksum  *sum,
            const char *text)
{
  if (text == NULL)
    {
      digest_int (sum, -1);
      return;
    }
  digest_int (sum, (gint64) strlen (text));
  g_checksum_update (sum, (const guchar *) text, strlen (text));
}

static void
digest_address (GChecksum *sum,
                SkAddress *a)
{
  if (a == NULL)
    {
      digest_int (sum, 0);
      return;
    }
  digest_int (sum, 1);
  digest_str (sum, a->name);
  digest_str (sum, a->company);
  digest_str (sum, a->line1);
  digest_str (sum, a->line2);
  digest_str (sum, a->city);
  digest_str (sum, a->region);
  digest_str (sum, a->region_code);
  digest_str (sum, a->postcode);
  digest_str (sum, a->country);
  digest_str (sum, a->country_code);
  digest_str (sum, a->phone);
}

static void
digest_parts (GChecksum *sum,
              SkOrder   *order)
{
  GPtrArray *lines = sk_order_get_lines (order);
  GPtrArray *refunds = sk_order_get_refunds (order);
  GPtrArray *fulfillments = sk_order_get_fulfillments (order);

  digest_int (sum, lines != NULL ? lines->len : 0);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      SkOrderLine *line = g_ptr_array_index (lines, i);

      digest_str (sum, line->external_id);
      digest_str (sum, line->product_id);
      digest_str (sum, line->variant_id);
      digest_str (sum, line->sku);
      digest_str (sum, line->title);
      digest_str (sum, line->variant_title);
      digest_int (sum, line->quantity);
      digest_int (sum, line->unit_price);
      digest_int (sum, line->total_discount);
      digest_int (sum, line->total_tax);
    }

  digest_int (sum, refunds != NULL ? refunds->len : 0);
  for (guint i = 0; refunds != NULL && i < refunds->len; i++)
    {
      SkRefund *refund = g_ptr_array_index (refunds, i);

      digest_str (sum, refund->external_id);
      digest_int (sum, refund->created_at);
      digest_int (sum, refund->amount);
      digest_str (sum, refund->note);
    }

  digest_int (sum, fulfillments != NULL ? fulfillments->len : 0);
  for (guint i = 0; fulfillments != NULL && i < fulfillments->len; i++)
    {
      SkFulfillment *f = g_ptr_array_index (fulfillments, i);

      digest_str (sum, f->external_id);
      digest_int (sum, f->created_at);
      digest_str (sum, f->status_code);
      digest_str (sum, f->tracking_company);
      digest_str (sum, f->tracking_number);
      digest_str (sum, f->tracking_url);
    }
}

/* What the channel said of @order, as hex: everything an import writes
 * from it, nothing of the local state (hold, archive, local tags). */
static char *
order_digest (SkOrder *order)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char * const *tags = sk_order_get_tags (order);

  digest_str (sum, DIGEST_VERSION);
  digest_str (sum, sk_order_get_external_id (order));
  digest_str (sum, sk_order_get_number (order));
  digest_int (sum, sk_order_get_created_at (order));
  digest_int (sum, sk_order_get_updated_at (order));
  digest_int (sum, sk_order_get_processed_at (order));
  digest_int (sum, sk_order_get_cancelled_at (order));
  digest_int (sum, sk_order_get_closed_at (order));
  digest_str (sum, sk_order_get_currency (order));
  digest_int (sum, sk_order_get_subtotal (order));
  digest_int (sum, sk_order_get_total_tax (order));
  digest_int (sum, sk_order_get_total_shipping (order));
  digest_int (sum, sk_order_get_total_discounts (order));
  digest_int (sum, sk_order_get_total_refunded (order));
  digest_int (sum, sk_order_get_total (order));
  digest_int (sum, sk_order_get_status (order));
  digest_int (sum, sk_order_get_payment_status (order));
  digest_int (sum, sk_order_get_fulfillment_status (order));
  digest_str (sum, sk_order_get_status_code (order));
  digest_str (sum, sk_order_get_payment_code (order));
  digest_str (sum, sk_order_get_fulfillment_code (order));
  digest_str (sum, sk_order_get_customer_id (order));
  digest_str (sum, sk_order_get_customer_name (order));
  digest_str (sum, sk_order_get_email (order));
  digest_str (sum, sk_order_get_phone (order));
  digest_str (sum, sk_order_get_ship_city (order));
  digest_str (sum, sk_order_get_ship_country (order));
  digest_int (sum, sk_order_get_item_count (order));
  digest_str (sum, sk_order_get_note (order));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    digest_str (sum, tags[i]);
  digest_int (sum, -2);   /* the end of the tags */
  digest_address (sum, sk_order_get_shipping_address (order));
  digest_address (sum, sk_order_get_billing_address (order));
  digest_parts (sum, order);
  return g_strdup (g_checksum_get_string (sum));
}

/* The key of a dead letter without an external id: its raw payload, or
 * its reason when it has none. */
static char *
letter_digest (SkDeadLetter *letter)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gconstpointer raw = NULL;
  gsize raw_len = 0;

  if (letter->raw != NULL)
    raw = g_bytes_get_data (letter->raw, &raw_len);
  if (raw_len > 0)
    {
      digest_str (sum, "raw");
      g_checksum_update (sum, raw, raw_len);
    }
  else
    {
      digest_str (sum, "reason");
      digest_str (sum, letter->reason);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* Digests ahead of the writer. SHA-256 over an order is about a ninth of
 * the writer's time per order, and nothing in it needs the database: a
 * helper thread computes a page's digests in order while the writer stores
 * the orders before them, so the writer only waits for the first one. The
 * orders are only read, by both threads; the writer joins the helper
 * before the page can be freed. */

/* Smaller pages (a webhook, a test) are not worth a thread hop. */
#define DIGEST_AHEAD_MIN_ORDERS 16

typedef struct _DigestBatch
{
  GPtrArray *orders;    /* SkOrder, the page's; not owned */
  char **digests;       /* one per order; the writer takes them */
  guint n_done;         /* digests[0 .. n_done - 1] are computed */
  gboolean stop;        /* the writer needs no more */
  gboolean finished;    /* the helper no longer touches the batch */
  GMutex lock;
  GCond cond;
} DigestBatch;

static void
digest_batch_run (gpointer data,
                  gpointer user_data)
{
  DigestBatch *batch = data;

  for (guint i = 0; i < batch->orders->len; i++)
    {
      char *digest;

      if (g_atomic_int_get (&batch->stop))
        break;
      digest = order_digest (g_ptr_array_index (batch->orders, i));
      g_mutex_lock (&batch->lock);
      batch->digests[i] = digest;
      batch->n_done = i + 1;
      g_cond_broadcast (&batch->cond);
      g_mutex_unlock (&batch->lock);
    }

  g_mutex_lock (&batch->lock);
  batch->finished = TRUE;
  g_cond_broadcast (&batch->cond);
  g_mutex_unlock (&batch->lock);
}

static GThreadPool *
digest_pool (void)
{
  static GThreadPool *pool = NULL;

  /* Shared by every store of the process; a batch never waits for
   * anything, so one store's batch only delays another's briefly. */
  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (digest_batch_run, NULL, 2, FALSE, NULL));
  return pool;
}

/* NULL when the page is too small to be worth it. */
static DigestBatch *
digest_batch_start (GPtrArray *orders)
{
  DigestBatch *batch;

  if (orders == NULL || orders->len < DIGEST_AHEAD_MIN_ORDERS)
    return NULL;

  batch = g_new0 (DigestBatch, 1);
  batch->orders = orders;
  batch->digests = g_new0 (char *, orders->len);
  g_mutex_init (&batch->lock);
  g_cond_init (&batch->cond);
  if (!g_thread_pool_push (digest_pool (), batch, NULL))
    {
      /* Cannot happen with a non-exclusive pool; compute on the writer. */
      batch->finished = TRUE;
    }
  return batch;
}

/* The digest of the page's order at @index, owned by the caller. */
static char *
page_order_digest (PageContext *ctx,
                   guint        index)
{
  DigestBatch *batch = ctx->digests;
  char *digest = NULL;

  if (batch != NULL)
    {
      g_mutex_lock (&batch->lock);
      while (batch->n_done <= index && !batch->finished)
        g_cond_wait (&batch->cond, &batch->lock);
      if (index < batch->n_done)
        digest = g_steal_pointer (&batch->digests[index]);
      g_mutex_unlock (&batch->lock);
    }
  /* No batch, or each order asked for twice (never, but cheap to allow). */
  if (digest == NULL)
    digest = order_digest (g_ptr_array_index (ctx->page->orders, index));
  return digest;
}

/* Stops the helper, waits until it lets go of the page, frees the batch. */
static void
digest_batch_finish (DigestBatch *batch)
{
  if (batch == NULL)
    return;

  g_atomic_int_set (&batch->stop, TRUE);
  g_mutex_lock (&batch->lock);
  while (!batch->finished)
    g_cond_wait (&batch->cond, &batch->lock);
  g_mutex_unlock (&batch->lock);

  for (guint i = 0; i < batch->orders->len; i++)
    g_free (batch->digests[i]);
  g_free (batch->digests);
  g_mutex_clear (&batch->lock);
  g_cond_clear (&batch->cond);
  g_free (batch);
}

static gboolean
step_row_or_done (SkStoreTxn    *txn,
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

static gboolean
lookup_channel (PageContext  *ctx,
                GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT kind FROM channels WHERE id = ? AND removed_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  if (row)
    ctx->kind = _sk_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  if (ctx->kind == NULL)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("The channel of these orders is no longer connected, so they were not saved. Connect the shop again to sync it."));
      return FALSE;
    }

  ctx->actor = ctx->page->actor ? g_strdup (ctx->page->actor)
                                : g_strconcat ("sync:", ctx->kind, NULL);
  ctx->imported_why = g_strdup_printf (_("Imported from %s"), ctx->kind);
  ctx->updated_why = g_strdup_printf (_("Updated on %s"), ctx->kind);

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT EXISTS (SELECT 1 FROM dead_letters"
                               " WHERE channel_id = ? AND resource = ? AND resolved_at IS NULL)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, ctx->page->resource);
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  ctx->has_open_letters = row && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
lookup_order (PageContext  *ctx,
              const char   *external_id,
              StoredOrder  *stored,
              GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT id, updated_at, status, payment_status,"
                               " fulfillment_status, total_refunded, local_tags, content_digest,"
                               " number, created_at, total, customer_name"
                               " FROM orders WHERE channel_id = ? AND external_id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, external_id);
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      stored->id = sqlite3_column_int64 (stmt, 0);
      stored->updated_at = sqlite3_column_int64 (stmt, 1);
      stored->status = _sk_store_column_dup (stmt, 2);
      stored->payment_status = _sk_store_column_dup (stmt, 3);
      stored->fulfillment_status = _sk_store_column_dup (stmt, 4);
      stored->total_refunded = sqlite3_column_int64 (stmt, 5);
      stored->local_tags = _sk_store_column_dup (stmt, 6);
      stored->content_digest = _sk_store_column_dup (stmt, 7);
      stored->number = _sk_store_column_dup (stmt, 8);
      stored->created_at = sqlite3_column_int64 (stmt, 9);
      stored->total = sqlite3_column_int64 (stmt, 10);
      stored->customer_name = _sk_store_column_dup (stmt, 11);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
upsert_customer (PageContext  *ctx,
                 SkOrder      *order,
                 gint64       *out_id,
                 GError      **error)
{
  const char *external_id = sk_order_get_customer_id (order);
  sqlite3_stmt *stmt;
  gboolean row;

  *out_id = 0;
  if (external_id == NULL || *external_id == '\0')
    return TRUE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO customers (channel_id, external_id, name, email, phone)"
                               " VALUES (?, ?, ?, ?, ?)"
                               " ON CONFLICT (channel_id, external_id) DO UPDATE SET"
                               " name = coalesce (excluded.name, name),"
                               " email = coalesce (excluded.email, email),"
                               " phone = coalesce (excluded.phone, phone)"
                               " RETURNING id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, external_id);
  _sk_store_bind_text (stmt, 3, sk_order_get_customer_name (order));
  _sk_store_bind_text (stmt, 4, sk_order_get_email (order));
  _sk_store_bind_text (stmt, 5, sk_order_get_phone (order));
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  if (row)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static int
compare_tags (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The channel's tags plus the local ones, sorted and unique, as the
 * ", "-joined text SkOrder uses. */
static char *
merge_tags (SkOrder    *order,
            const char *local_tags)
{
  const char * const *tags = sk_order_get_tags (order);
  g_autoptr(GPtrArray) all = NULL;
  g_auto(GStrv) local = NULL;
  GString *s;

  if (local_tags == NULL || *local_tags == '\0')
    return sk_order_dup_tags_string (order);

  all = g_ptr_array_new_with_free_func (g_free);
  local = g_strsplit (local_tags, ",", -1);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (tags[i]));
  for (guint i = 0; local[i] != NULL; i++)
    {
      char *tag = g_strstrip (g_strdup (local[i]));

      if (*tag == '\0')
        g_free (tag);
      else
        g_ptr_array_add (all, tag);
    }
  g_ptr_array_sort (all, compare_tags);

  s = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    {
      if (i > 0 && g_str_equal (all->pdata[i], all->pdata[i - 1]))
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, all->pdata[i]);
    }
  return g_string_free (s, FALSE);
}

static const char *
ship_city (SkOrder *order)
{
  SkAddress *address = sk_order_get_shipping_address (order);

  if (sk_order_get_ship_city (order) != NULL)
    return sk_order_get_ship_city (order);
  return address ? address->city : NULL;
}

static const char *
ship_country (SkOrder *order)
{
  SkAddress *address = sk_order_get_shipping_address (order);

  if (sk_order_get_ship_country (order) != NULL)
    return sk_order_get_ship_country (order);
  return address ? address->country_code : NULL;
}

/* Parameters ?3 … ?30 and ?32 (the content digest) are the columns a
 * channel owns; ?1 and ?2 identify the order, ?31 is the row id for an
 * update. */
#define ORDER_INSERT_SQL \
  "INSERT INTO orders (channel_id, external_id, number, customer_id, created_at," \
  " updated_at, processed_at, cancelled_at, closed_at, currency, subtotal, total_tax," \
  " total_shipping, total_discounts, total_refunded, total, status, payment_status," \
  " fulfillment_status, status_code, payment_code, fulfillment_code, customer_name," \
  " email, phone, ship_country, ship_city, item_count, note, tags, content_digest)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16," \
  " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?32)"

/* An update sets the columns no index holds, and of the indexed ones only
 * those whose value changes: SQLite rewrites the entry of every index on
 * a column in the SET list, even when the value is the same, and orders
 * has eight such indexes (0001, 0003). Leaving out a column that keeps
 * its value stores the same row. (No trigger watches these columns; one
 * that did with UPDATE OF would have to be looked at here.) */
#define ORDER_UPDATE_SQL_HEAD \
  "UPDATE orders SET customer_id = ?4," \
  " processed_at = ?7, cancelled_at = ?8, closed_at = ?9, currency = ?10, subtotal = ?11," \
  " total_tax = ?12, total_shipping = ?13, total_discounts = ?14, total_refunded = ?15," \
  " status = ?17, status_code = ?20, payment_code = ?21, fulfillment_code = ?22," \
  " email = ?24, phone = ?25, ship_country = ?26, ship_city = ?27, item_count = ?28," \
  " note = ?29, tags = ?30, content_digest = ?32"
#define ORDER_UPDATE_SQL_TAIL \
  " WHERE id = ?31 AND channel_id = ?1 AND external_id = ?2"

static const char *
order_number (SkOrder *order)
{
  const char *number = sk_order_get_number (order);

  return number ? number : sk_order_get_external_id (order);
}

static void
bind_order (sqlite3_stmt *stmt,
            PageContext  *ctx,
            SkOrder      *order,
            gint64        customer_id,
            const char   *tags,
            const char   *digest)
{
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, sk_order_get_external_id (order));
  _sk_store_bind_text (stmt, 3, order_number (order));
  if (customer_id > 0)
    sqlite3_bind_int64 (stmt, 4, customer_id);
  sqlite3_bind_int64 (stmt, 5, sk_order_get_created_at (order));
  sqlite3_bind_int64 (stmt, 6, sk_order_get_updated_at (order));
  _sk_store_bind_time (stmt, 7, sk_order_get_processed_at (order));
  _sk_store_bind_time (stmt, 8, sk_order_get_cancelled_at (order));
  _sk_store_bind_time (stmt, 9, sk_order_get_closed_at (order));
  _sk_store_bind_text (stmt, 10, sk_order_get_currency (order));
  sqlite3_bind_int64 (stmt, 11, sk_order_get_subtotal (order));
  sqlite3_bind_int64 (stmt, 12, sk_order_get_total_tax (order));
  sqlite3_bind_int64 (stmt, 13, sk_order_get_total_shipping (order));
  sqlite3_bind_int64 (stmt, 14, sk_order_get_total_discounts (order));
  sqlite3_bind_int64 (stmt, 15, sk_order_get_total_refunded (order));
  sqlite3_bind_int64 (stmt, 16, sk_order_get_total (order));
  _sk_store_bind_text (stmt, 17, sk_order_status_to_string (sk_order_get_status (order)));
  _sk_store_bind_text (stmt, 18, sk_payment_status_to_string (sk_order_get_payment_status (order)));
  _sk_store_bind_text (stmt, 19, sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order)));
  _sk_store_bind_text (stmt, 20, sk_order_get_status_code (order));
  _sk_store_bind_text (stmt, 21, sk_order_get_payment_code (order));
  _sk_store_bind_text (stmt, 22, sk_order_get_fulfillment_code (order));
  _sk_store_bind_text (stmt, 23, sk_order_get_customer_name (order));
  _sk_store_bind_text (stmt, 24, sk_order_get_email (order));
  _sk_store_bind_text (stmt, 25, sk_order_get_phone (order));
  _sk_store_bind_text (stmt, 26, ship_country (order));
  _sk_store_bind_text (stmt, 27, ship_city (order));
  sqlite3_bind_int64 (stmt, 28, sk_order_get_item_count (order));
  _sk_store_bind_text (stmt, 29, sk_order_get_note (order));
  _sk_store_bind_text (stmt, 30, tags ? tags : "");
  _sk_store_bind_text (stmt, 32, digest);
}

/* The UPDATE for @order over @stored, in @sql (see ORDER_UPDATE_SQL_HEAD).
 * The values compared are the ones bind_order () binds. */
static const char *
order_update_sql (GString           *sql,
                  const StoredOrder *stored,
                  SkOrder           *order)
{
  g_string_assign (sql, ORDER_UPDATE_SQL_HEAD);
  if (g_strcmp0 (stored->number, order_number (order)) != 0)
    g_string_append (sql, ", number = ?3");
  if (stored->created_at != sk_order_get_created_at (order))
    g_string_append (sql, ", created_at = ?5");
  if (stored->updated_at != sk_order_get_updated_at (order))
    g_string_append (sql, ", updated_at = ?6");
  if (stored->total != sk_order_get_total (order))
    g_string_append (sql, ", total = ?16");
  if (g_strcmp0 (stored->payment_status,
                 sk_payment_status_to_string (sk_order_get_payment_status (order))) != 0)
    g_string_append (sql, ", payment_status = ?18");
  if (g_strcmp0 (stored->fulfillment_status,
                 sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order))) != 0)
    g_string_append (sql, ", fulfillment_status = ?19");
  if (g_strcmp0 (stored->customer_name, sk_order_get_customer_name (order)) != 0)
    g_string_append (sql, ", customer_name = ?23");
  g_string_append (sql, ORDER_UPDATE_SQL_TAIL);
  return sql->str;
}

static gboolean
delete_parts (PageContext  *ctx,
              gint64        order_id,
              GError      **error)
{
  static const char *sql[] = {
    "DELETE FROM order_lines WHERE order_id = ?",
    "DELETE FROM addresses WHERE order_id = ?",
    "DELETE FROM refunds WHERE order_id = ?",
    "DELETE FROM fulfillments WHERE order_id = ?",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = sk_store_txn_prepare (ctx->txn, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, order_id);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_address (PageContext  *ctx,
                gint64        order_id,
                const char   *kind,
                SkAddress    *a,
                GError      **error)
{
  sqlite3_stmt *stmt;

  if (a == NULL)
    return TRUE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO addresses (order_id, kind, name, company, line1,"
                               " line2, city, region, region_code, postcode, country,"
                               " country_code, phone)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  _sk_store_bind_text (stmt, 2, kind);
  _sk_store_bind_text (stmt, 3, a->name);
  _sk_store_bind_text (stmt, 4, a->company);
  _sk_store_bind_text (stmt, 5, a->line1);
  _sk_store_bind_text (stmt, 6, a->line2);
  _sk_store_bind_text (stmt, 7, a->city);
  _sk_store_bind_text (stmt, 8, a->region);
  _sk_store_bind_text (stmt, 9, a->region_code);
  _sk_store_bind_text (stmt, 10, a->postcode);
  _sk_store_bind_text (stmt, 11, a->country);
  _sk_store_bind_text (stmt, 12, a->country_code);
  _sk_store_bind_text (stmt, 13, a->phone);
  return _sk_store_txn_step_done (ctx->txn, stmt, error);
}

static gboolean
insert_lines (PageContext  *ctx,
              gint64        order_id,
              SkOrder      *order,
              GError      **error)
{
  GPtrArray *lines = sk_order_get_lines (order);
  sqlite3_stmt *stmt;

  if (lines == NULL || lines->len == 0)
    return TRUE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO order_lines (order_id, position, external_id,"
                               " product_id, variant_id, sku, title, variant_title, quantity,"
                               " unit_price, total_discount, total_tax)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      SkOrderLine *line = g_ptr_array_index (lines, i);

      sqlite3_bind_int64 (stmt, 1, order_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _sk_store_bind_text (stmt, 3, line->external_id);
      _sk_store_bind_text (stmt, 4, line->product_id);
      _sk_store_bind_text (stmt, 5, line->variant_id);
      _sk_store_bind_text (stmt, 6, line->sku);
      _sk_store_bind_text (stmt, 7, line->title ? line->title : "");
      _sk_store_bind_text (stmt, 8, line->variant_title);
      sqlite3_bind_int64 (stmt, 9, line->quantity);
      sqlite3_bind_int64 (stmt, 10, line->unit_price);
      sqlite3_bind_int64 (stmt, 11, line->total_discount);
      sqlite3_bind_int64 (stmt, 12, line->total_tax);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_refunds (PageContext  *ctx,
                gint64        order_id,
                SkOrder      *order,
                GError      **error)
{
  GPtrArray *refunds = sk_order_get_refunds (order);
  sqlite3_stmt *stmt;

  if (refunds == NULL || refunds->len == 0)
    return TRUE;

  /* A channel that repeats a refund in one payload must not fail the page. */
  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT OR REPLACE INTO refunds (order_id, external_id,"
                               " created_at, amount, note) VALUES (?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < refunds->len; i++)
    {
      SkRefund *refund = g_ptr_array_index (refunds, i);
      g_autofree char *fallback_id = NULL;

      if (refund->external_id == NULL)
        fallback_id = g_strdup_printf ("#%u", i + 1);
      sqlite3_bind_int64 (stmt, 1, order_id);
      _sk_store_bind_text (stmt, 2, refund->external_id ? refund->external_id : fallback_id);
      sqlite3_bind_int64 (stmt, 3, refund->created_at);
      sqlite3_bind_int64 (stmt, 4, refund->amount);
      _sk_store_bind_text (stmt, 5, refund->note);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_fulfillments (PageContext  *ctx,
                     gint64        order_id,
                     SkOrder      *order,
                     GError      **error)
{
  GPtrArray *fulfillments = sk_order_get_fulfillments (order);
  sqlite3_stmt *stmt;

  if (fulfillments == NULL || fulfillments->len == 0)
    return TRUE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT OR REPLACE INTO fulfillments (order_id, external_id,"
                               " created_at, status_code, tracking_company, tracking_number,"
                               " tracking_url) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < fulfillments->len; i++)
    {
      SkFulfillment *f = g_ptr_array_index (fulfillments, i);
      g_autofree char *fallback_id = NULL;

      if (f->external_id == NULL)
        fallback_id = g_strdup_printf ("#%u", i + 1);
      sqlite3_bind_int64 (stmt, 1, order_id);
      _sk_store_bind_text (stmt, 2, f->external_id ? f->external_id : fallback_id);
      sqlite3_bind_int64 (stmt, 3, f->created_at);
      _sk_store_bind_text (stmt, 4, f->status_code);
      _sk_store_bind_text (stmt, 5, f->tracking_company);
      _sk_store_bind_text (stmt, 6, f->tracking_number);
      _sk_store_bind_text (stmt, 7, f->tracking_url);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static void
append_word (GString    *s,
             const char *word,
             const char *sep)
{
  if (word == NULL || *word == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, sep);
  g_string_append (s, word);
}

static char *
address_text (SkAddress *a)
{
  GString *s = g_string_new (NULL);

  if (a != NULL)
    {
      append_word (s, a->name, ", ");
      append_word (s, a->company, ", ");
      append_word (s, a->line1, ", ");
      append_word (s, a->line2, ", ");
      append_word (s, a->city, ", ");
      append_word (s, a->region, ", ");
      append_word (s, a->region_code, " ");
      append_word (s, a->postcode, " ");
      append_word (s, a->country, ", ");
      append_word (s, a->country_code, " ");
    }
  return g_string_free (s, FALSE);
}

/* The columns of an order's search row, in the order of orders_fts. */
#define N_SEARCH_COLUMNS 6

typedef struct
{
  const char *column[N_SEARCH_COLUMNS];
  char *address;
  GString *skus;
  GString *titles;
} SearchText;

static void
search_text_init (SearchText *text,
                  SkOrder    *order)
{
  GPtrArray *lines = sk_order_get_lines (order);

  text->address = address_text (sk_order_get_shipping_address (order));
  text->skus = g_string_new (NULL);
  text->titles = g_string_new (NULL);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      SkOrderLine *line = g_ptr_array_index (lines, i);

      append_word (text->skus, line->sku, " ");
      append_word (text->titles, line->title, " ");
      append_word (text->titles, line->variant_title, " ");
    }
  text->column[0] = sk_order_get_number (order);
  text->column[1] = sk_order_get_customer_name (order);
  text->column[2] = sk_order_get_email (order);
  text->column[3] = text->address;
  text->column[4] = text->skus->str;
  text->column[5] = text->titles->str;
}

static void
search_text_clear (SearchText *text)
{
  g_free (text->address);
  g_string_free (text->skus, TRUE);
  g_string_free (text->titles, TRUE);
}

/* Whether the search row of @order_id holds @text already. An update that
 * leaves the searchable text as it was (a payment, a shipment) then keeps
 * its row: rewriting it would tokenize the old text (to take its terms out
 * of the index) and the same text again. */
static gboolean
search_row_is_same (PageContext       *ctx,
                    gint64             order_id,
                    const SearchText  *text,
                    gboolean          *out_same,
                    GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *out_same = FALSE;
  stmt = sk_store_txn_prepare (ctx->txn,
                               "SELECT number, customer, email, address, skus, titles"
                               " FROM orders_fts WHERE rowid = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      *out_same = TRUE;
      for (int i = 0; i < N_SEARCH_COLUMNS && *out_same; i++)
        *out_same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, i), text->column[i]) == 0;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_search_row (PageContext       *ctx,
                  gint64             order_id,
                  const SearchText  *text,
                  GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO orders_fts (rowid, number, customer, email,"
                               " address, skus, titles) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  for (int i = 0; i < N_SEARCH_COLUMNS; i++)
    _sk_store_bind_text (stmt, i + 2, text->column[i]);
  return _sk_store_txn_step_done (ctx->txn, stmt, error);
}

static gboolean
insert_parts (PageContext  *ctx,
              gint64        order_id,
              SkOrder      *order,
              GError      **error)
{
  return insert_address (ctx, order_id, "shipping", sk_order_get_shipping_address (order), error) &&
         insert_address (ctx, order_id, "billing", sk_order_get_billing_address (order), error) &&
         insert_lines (ctx, order_id, order, error) &&
         insert_refunds (ctx, order_id, order, error) &&
         insert_fulfillments (ctx, order_id, order, error);
}

static void
queue_search_row (PageContext *ctx,
                  gint64       order_id,
                  gboolean     replace,
                  SkOrder     *order)
{
  SearchRow row = { order_id, replace, g_object_ref (order) };
  gpointer position;

  /* The same order twice in one page: its last version wins. */
  if (g_hash_table_lookup_extended (ctx->search_index, &row.order_id, NULL, &position))
    {
      SearchRow *queued = &g_array_index (ctx->search_rows, SearchRow, GPOINTER_TO_UINT (position));

      g_set_object (&queued->order, order);
      g_object_unref (row.order);
      return;
    }

  g_array_append_val (ctx->search_rows, row);
  g_hash_table_insert (ctx->search_index,
                       g_memdup2 (&order_id, sizeof order_id),
                       GUINT_TO_POINTER (ctx->search_rows->len - 1));
}

/* Reads first (rows whose text is unchanged are left alone), then the
 * deletes, then the inserts. */
static gboolean
write_search_rows (PageContext  *ctx,
                   GError      **error)
{
  guint n = ctx->search_rows->len;
  SearchText *texts = g_new0 (SearchText, n);
  gboolean *keep = g_new0 (gboolean, n);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  for (guint i = 0; i < n; i++)
    {
      SearchRow *row = &g_array_index (ctx->search_rows, SearchRow, i);

      search_text_init (&texts[i], row->order);
      if (row->replace && !search_row_is_same (ctx, row->order_id, &texts[i], &keep[i], error))
        goto out;
    }

  for (guint i = 0; i < n; i++)
    {
      SearchRow *row = &g_array_index (ctx->search_rows, SearchRow, i);

      if (!row->replace || keep[i])
        continue;
      stmt = sk_store_txn_prepare (ctx->txn, "DELETE FROM orders_fts WHERE rowid = ?", error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, row->order_id);
      if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
        goto out;
    }

  for (guint i = 0; i < n; i++)
    {
      SearchRow *row = &g_array_index (ctx->search_rows, SearchRow, i);

      if (!keep[i] && !write_search_row (ctx, row->order_id, &texts[i], error))
        goto out;
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    search_text_clear (&texts[i]);
  g_free (texts);
  g_free (keep);
  return ok;
}

static gboolean
log_change (PageContext  *ctx,
            gint64        order_id,
            const char   *what,
            const char   *from_value,
            const char   *to_value,
            GError      **error)
{
  if (g_strcmp0 (from_value, to_value) == 0)
    return TRUE;
  return _sk_store_txn_add_event (ctx->txn, ctx->actor, "order", order_id, what,
                                  from_value, to_value, ctx->updated_why, error);
}

static gboolean
log_update_events (PageContext        *ctx,
                   const StoredOrder  *stored,
                   SkOrder            *order,
                   GError            **error)
{
  gint64 refunded = sk_order_get_total_refunded (order);

  if (!log_change (ctx, stored->id, "status", stored->status,
                   sk_order_status_to_string (sk_order_get_status (order)), error) ||
      !log_change (ctx, stored->id, "payment-status", stored->payment_status,
                   sk_payment_status_to_string (sk_order_get_payment_status (order)), error) ||
      !log_change (ctx, stored->id, "fulfillment-status", stored->fulfillment_status,
                   sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order)), error))
    return FALSE;

  if (refunded != stored->total_refunded)
    {
      char from[32], to[32];

      /* Minor units of the order's currency, as integers. */
      g_snprintf (from, sizeof from, "%" G_GINT64_FORMAT, stored->total_refunded);
      g_snprintf (to, sizeof to, "%" G_GINT64_FORMAT, refunded);
      if (!_sk_store_txn_add_event (ctx->txn, ctx->actor, "order", stored->id, "refunded",
                                    from, to, ctx->updated_why, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
resolve_letter (PageContext  *ctx,
                const char   *external_id,
                GError      **error)
{
  sqlite3_stmt *stmt;

  if (!ctx->has_open_letters)
    return TRUE;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "UPDATE dead_letters SET resolved_at = ?"
                               " WHERE channel_id = ? AND resource = ? AND external_id = ?"
                               " AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->now);
  sqlite3_bind_int64 (stmt, 2, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 3, ctx->page->resource);
  _sk_store_bind_text (stmt, 4, external_id);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (ctx->txn)) > 0)
    sk_store_txn_note (ctx->txn, SK_STORE_CHANGE_DEAD_LETTERS);
  return TRUE;
}

static gboolean
import_order (PageContext  *ctx,
              guint         index,
              GError      **error)
{
  SkOrder *order = g_ptr_array_index (ctx->page->orders, index);
  const char *external_id = sk_order_get_external_id (order);
  StoredOrder stored = { 0, };
  g_autofree char *tags = NULL;
  g_autofree char *digest = NULL;
  sqlite3_stmt *stmt;
  gint64 customer_id;
  gint64 order_id;
  gboolean ok = FALSE;

  if (!lookup_order (ctx, external_id, &stored, error))
    goto out;

  if (stored.id != 0 && sk_order_get_updated_at (order) < stored.updated_at)
    {
      ctx->result->stale++;
      ok = TRUE;
      goto out;
    }

  digest = page_order_digest (ctx, index);
  /* The same second: unchanged only when the content is the same too (an
   * order stored before digests were kept is rewritten once). */
  if (stored.id != 0 && sk_order_get_updated_at (order) == stored.updated_at &&
      g_strcmp0 (digest, stored.content_digest) == 0)
    {
      ctx->result->unchanged++;
      ok = resolve_letter (ctx, external_id, error);
      goto out;
    }

  if (!upsert_customer (ctx, order, &customer_id, error))
    goto out;

  tags = merge_tags (order, stored.local_tags);
  stmt = sk_store_txn_prepare (ctx->txn,
                               stored.id ? order_update_sql (ctx->update_sql, &stored, order)
                                         : ORDER_INSERT_SQL,
                               error);
  if (stmt == NULL)
    goto out;
  bind_order (stmt, ctx, order, customer_id, tags, digest);
  if (stored.id != 0)
    sqlite3_bind_int64 (stmt, 31, stored.id);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    goto out;

  if (stored.id != 0)
    {
      order_id = stored.id;
      if (!delete_parts (ctx, order_id, error) ||
          !insert_parts (ctx, order_id, order, error) ||
          !log_update_events (ctx, &stored, order, error))
        goto out;
      queue_search_row (ctx, order_id, TRUE, order);
      ctx->result->updated++;
      sk_store_txn_note_order (ctx->txn, order_id, FALSE);
    }
  else
    {
      order_id = sqlite3_last_insert_rowid (sk_store_txn_get_db (ctx->txn));
      if (!insert_parts (ctx, order_id, order, error) ||
          !_sk_store_txn_add_event (ctx->txn, ctx->actor, "order", order_id, "imported",
                                    NULL, sk_order_status_to_string (sk_order_get_status (order)),
                                    ctx->imported_why, error))
        goto out;
      queue_search_row (ctx, order_id, FALSE, order);
      ctx->result->inserted++;
      sk_store_txn_note_order (ctx->txn, order_id, TRUE);
    }

  ok = resolve_letter (ctx, external_id, error);

out:
  stored_order_clear (&stored);
  return ok;
}

static void
bind_raw (sqlite3_stmt *stmt,
          int           index,
          SkDeadLetter *letter)
{
  gconstpointer raw = NULL;
  gsize raw_len = 0;

  if (letter->raw != NULL)
    raw = g_bytes_get_data (letter->raw, &raw_len);
  if (raw_len > 0)
    sqlite3_bind_blob64 (stmt, index, raw, raw_len, SQLITE_STATIC);
  else
    sqlite3_bind_zeroblob (stmt, index, 0);
}

static const char *
letter_reason (SkDeadLetter *letter)
{
  return letter->reason ? letter->reason
                        : _("The channel sent data Storekeep could not read.");
}

/* A letter with an external id: one open letter per order, its attempts
 * counted. *@out_opened: this letter was not open before. */
static gboolean
store_letter_by_id (PageContext   *ctx,
                    SkDeadLetter  *letter,
                    gboolean      *out_opened,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO dead_letters (channel_id, resource, external_id,"
                               " reason, raw, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                               " ON CONFLICT (channel_id, resource, external_id)"
                               " WHERE resolved_at IS NULL AND external_id IS NOT NULL"
                               " DO UPDATE SET attempts = attempts + 1,"
                               " reason = excluded.reason, raw = excluded.raw"
                               " RETURNING attempts",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, letter->resource ? letter->resource : ctx->page->resource);
  _sk_store_bind_text (stmt, 3, letter->external_id);
  _sk_store_bind_text (stmt, 4, letter_reason (letter));
  bind_raw (stmt, 5, letter);
  sqlite3_bind_int64 (stmt, 6, ctx->now);
  if (!step_row_or_done (ctx->txn, stmt, &row, error))
    return FALSE;
  /* A new row starts at one attempt; a letter seen again has more. */
  *out_opened = row && sqlite3_column_int64 (stmt, 0) == 1;
  sqlite3_reset (stmt);
  return TRUE;
}

/* A letter without an external id: one open letter per payload (@key, a
 * digest). Letters stored before digests were kept are found by their raw
 * bytes and given the digest. */
static gboolean
store_letter_by_key (PageContext   *ctx,
                     SkDeadLetter  *letter,
                     const char    *key,
                     gboolean      *out_opened,
                     GError       **error)
{
  const char *resource = letter->resource ? letter->resource : ctx->page->resource;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (ctx->txn,
                               "UPDATE dead_letters SET attempts = attempts + 1,"
                               " reason = ?1, raw_digest = ?4"
                               " WHERE id = (SELECT id FROM dead_letters"
                               "  WHERE channel_id = ?2 AND resource = ?3"
                               "  AND external_id IS NULL AND resolved_at IS NULL"
                               "  AND (raw_digest = ?4 OR (raw_digest IS NULL AND raw = ?5))"
                               "  ORDER BY raw_digest IS NULL, id LIMIT 1)",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, letter_reason (letter));
  sqlite3_bind_int64 (stmt, 2, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 3, resource);
  _sk_store_bind_text (stmt, 4, key);
  bind_raw (stmt, 5, letter);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (ctx->txn)) > 0)
    {
      *out_opened = FALSE;
      return TRUE;
    }

  stmt = sk_store_txn_prepare (ctx->txn,
                               "INSERT INTO dead_letters (channel_id, resource, external_id,"
                               " reason, raw, created_at, raw_digest)"
                               " VALUES (?, ?, NULL, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->page->channel_id);
  _sk_store_bind_text (stmt, 2, resource);
  _sk_store_bind_text (stmt, 3, letter_reason (letter));
  bind_raw (stmt, 4, letter);
  sqlite3_bind_int64 (stmt, 5, ctx->now);
  _sk_store_bind_text (stmt, 6, key);
  if (!_sk_store_txn_step_done (ctx->txn, stmt, error))
    return FALSE;
  *out_opened = TRUE;
  return TRUE;
}

/* Only letters opened now count in the result: a payload read again on
 * every run is one problem, told once. @key: what an id-less letter is
 * known by, or NULL for a digest of its raw payload. */
static gboolean
store_dead_letter (PageContext   *ctx,
                   SkDeadLetter  *letter,
                   const char    *key,
                   GError       **error)
{
  g_autofree char *digest = NULL;
  gboolean opened = FALSE;
  gboolean ok;

  if (letter->external_id != NULL)
    ok = store_letter_by_id (ctx, letter, &opened, error);
  else
    {
      if (key == NULL)
        key = digest = letter_digest (letter);
      ok = store_letter_by_key (ctx, letter, key, &opened, error);
    }
  if (!ok)
    return FALSE;

  if (opened)
    ctx->result->dead_lettered++;
  sk_store_txn_note (ctx->txn, SK_STORE_CHANGE_DEAD_LETTERS);
  return TRUE;
}

static gboolean
store_cursor (SkStoreTxn          *txn,
              gint64               channel_id,
              const char          *resource,
              const SkSyncCursor  *cursor,
              GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO sync_cursors (channel_id, resource, high_water,"
                               " run_started_at, run_max_seen, page_token, pages_done, updated_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                               " ON CONFLICT (channel_id, resource) DO UPDATE SET"
                               " high_water = excluded.high_water,"
                               " run_started_at = excluded.run_started_at,"
                               " run_max_seen = excluded.run_max_seen,"
                               " page_token = excluded.page_token,"
                               " pages_done = excluded.pages_done,"
                               " updated_at = excluded.updated_at",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  _sk_store_bind_text (stmt, 2, resource);
  sqlite3_bind_int64 (stmt, 3, cursor->high_water);
  _sk_store_bind_time (stmt, 4, cursor->run_started_at);
  sqlite3_bind_int64 (stmt, 5, cursor->run_max_seen);
  _sk_store_bind_text (stmt, 6, cursor->page_token);
  sqlite3_bind_int64 (stmt, 7, cursor->pages_done);
  sqlite3_bind_int64 (stmt, 8, _sk_store_now ());
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_CURSORS);
  return TRUE;
}

static gboolean
import_job_run (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  ImportJob *job = data;
  SkImportPage *page = job->page;
  PageContext ctx = { 0, };
  gboolean ok = FALSE;

  memset (&job->result, 0, sizeof job->result);
  ctx.txn = txn;
  ctx.page = page;
  ctx.result = &job->result;
  ctx.now = _sk_store_now ();
  ctx.update_sql = g_string_new (NULL);
  ctx.search_rows = g_array_new (FALSE, FALSE, sizeof (SearchRow));
  g_array_set_clear_func (ctx.search_rows, search_row_clear);
  ctx.search_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (!lookup_channel (&ctx, error))
    goto out;

  ctx.digests = digest_batch_start (page->orders);
  for (guint i = 0; page->orders != NULL && i < page->orders->len; i++)
    {
      SkOrder *order = g_ptr_array_index (page->orders, i);

      if (sk_order_get_external_id (order) == NULL)
        {
          g_autoptr(SkDeadLetter) letter =
            sk_dead_letter_new (page->resource, NULL,
                                _("The channel sent an order without an id, so it could not be saved."),
                                NULL);
          g_autofree char *key = page_order_digest (&ctx, i);

          if (!store_dead_letter (&ctx, letter, key, error))
            goto out;
          continue;
        }
      if (!import_order (&ctx, i, error))
        goto out;
    }

  if (!write_search_rows (&ctx, error))
    goto out;

  for (guint i = 0; page->dead_letters != NULL && i < page->dead_letters->len; i++)
    if (!store_dead_letter (&ctx, g_ptr_array_index (page->dead_letters, i), NULL, error))
      goto out;

  if (page->write_cursor &&
      !store_cursor (txn, page->channel_id, page->resource, &page->cursor, error))
    goto out;

  ok = TRUE;

out:
  digest_batch_finish (ctx.digests);
  g_free (ctx.kind);
  g_free (ctx.actor);
  g_free (ctx.imported_why);
  g_free (ctx.updated_why);
  g_string_free (ctx.update_sql, TRUE);
  g_array_unref (ctx.search_rows);
  g_hash_table_unref (ctx.search_index);
  if (!ok)
    memset (&job->result, 0, sizeof job->result);
  return ok;
}

/* Public API */

static void
on_import_done (GObject      *source,
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
sk_store_import_async (SkStore             *self,
                       SkImportPage        *page,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (SK_IS_STORE (self));
  g_return_if_fail (page != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_store_import_async);
  /* Once the page is committed, say so even if the caller cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  job = g_new0 (ImportJob, 1);
  job->page = page;
  g_task_set_task_data (task, job, import_job_free);

  sk_store_run_async (self, import_job_run, job, NULL, cancellable,
                      on_import_done, g_object_ref (task));
}

gboolean
sk_store_import_finish (SkStore         *self,
                        GAsyncResult    *result,
                        SkImportResult  *out_result,
                        GError         **error)
{
  ImportJob *job;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_import_async, FALSE);

  if (out_result != NULL)
    memset (out_result, 0, sizeof *out_result);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (out_result != NULL)
    *out_result = job->result;
  return TRUE;
}

gboolean
sk_store_import_sync (SkStore         *self,
                      SkImportPage    *page,
                      SkImportResult  *out_result,
                      GError         **error)
{
  ImportJob job = { 0, };
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  job.page = page;
  ok = sk_store_run_sync (self, import_job_run, &job, error);
  sk_import_page_free (page);

  if (out_result != NULL)
    *out_result = job.result;
  return ok;
}

typedef struct
{
  gint64 channel_id;
  const char *resource;
  const SkSyncCursor *cursor;
} CursorJob;

static gboolean
write_cursor_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  CursorJob *job = data;

  return store_cursor (txn, job->channel_id, job->resource, job->cursor, error);
}

gboolean
sk_store_write_cursor (SkStore             *self,
                       gint64               channel_id,
                       const char          *resource,
                       const SkSyncCursor  *cursor,
                       GError             **error)
{
  CursorJob job = { channel_id, resource, cursor };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);
  g_return_val_if_fail (cursor != NULL, FALSE);

  return sk_store_run_sync (self, write_cursor_job, &job, error);
}
