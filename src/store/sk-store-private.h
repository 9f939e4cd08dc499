/* sk-store-private.h: helpers shared by the files of src/store/ and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-order.h"
#include "sk-store.h"

G_BEGIN_DECLS

/* Bring a raw connection's schema from its user_version up to
 * @target_version (-1: the latest), each migration in its own transaction.
 * Used by sk_store_open and by the migration tests to build databases of
 * earlier versions. */
gboolean  _sk_store_migrate            (sqlite3      *db,
                                        int           target_version,
                                        GError      **error);
/* The connection's PRAGMA user_version, or -1 with @error set. */
int       _sk_store_get_user_version   (sqlite3      *db,
                                        GError      **error);

/* The thread that opened the store (and owns the reader). */
gboolean  _sk_store_is_owner_thread    (SkStore      *self);

/* Now, in Unix seconds UTC. */
gint64    _sk_store_now                (void);

/* Bind a string, or SQL NULL for a NULL @value. The string is not copied:
 * step the statement while it lives. */
int       _sk_store_bind_text          (sqlite3_stmt *stmt,
                                        int           index,
                                        const char   *value);
/* Bind an integer, or NULL when @value is 0. */
int       _sk_store_bind_time          (sqlite3_stmt *stmt,
                                        int           index,
                                        gint64        value);
/* A column as a newly allocated string, NULL for SQL NULL. */
char     *_sk_store_column_dup         (sqlite3_stmt *stmt,
                                        int           column);

/* Step a statement that returns no rows; on failure set @error through the
 * transaction. Resets the statement. */
gboolean  _sk_store_txn_step_done      (SkStoreTxn   *txn,
                                        sqlite3_stmt *stmt,
                                        GError      **error);

/* The columns _sk_store_order_fill_from_row reads, for a query on
 * "orders o LEFT JOIN customers c ON c.id = o.customer_id". */
#define SK_STORE_ORDER_COLUMNS \
  "o.id, o.channel_id, o.external_id, o.number, c.external_id, o.created_at," \
  " o.updated_at, o.processed_at, o.cancelled_at, o.closed_at, o.currency," \
  " o.subtotal, o.total_tax, o.total_shipping, o.total_discounts," \
  " o.total_refunded, o.total, o.status, o.payment_status," \
  " o.fulfillment_status, o.status_code, o.payment_code, o.fulfillment_code," \
  " o.customer_name, o.email, o.phone, o.ship_country, o.ship_city," \
  " o.item_count, o.note, o.tags, o.on_hold, o.hold_reason, o.archived"

/* Set the order's own fields (not its lines, addresses, refunds or
 * fulfillments) from a row of SK_STORE_ORDER_COLUMNS. */
void      _sk_store_order_fill_from_row (SkOrder     *order,
                                         sqlite3_stmt *stmt);

/* Append one row to the event log from a job. */
gboolean  _sk_store_txn_add_event      (SkStoreTxn   *txn,
                                        const char   *actor,
                                        const char   *subject_type,
                                        gint64        subject_id,
                                        const char   *what,
                                        const char   *from_value,
                                        const char   *to_value,
                                        const char   *why,
                                        GError      **error);

/* A reader connection of its own, owner thread only, that can hold one
 * read snapshot for as long as it likes: the order list reads everything
 * it announces between two SkStore::changed from one snapshot. */
typedef struct _SkStoreReader SkStoreReader;

SkStoreReader *_sk_store_reader_new      (SkStore        *self,
                                          GError        **error);
void           _sk_store_reader_free     (SkStoreReader  *reader);
sqlite3       *_sk_store_reader_get_db   (SkStoreReader  *reader);
/* Cached like sk_store_reader_prepare; reset statements when done. */
sqlite3_stmt  *_sk_store_reader_prepare  (SkStoreReader  *reader,
                                          const char     *sql,
                                          GError        **error);
gboolean       _sk_store_reader_set_error (SkStoreReader *reader,
                                          int             rc,
                                          GError        **error);
/* Let go of any snapshot and take the newest: a read transaction that
 * stays open until the next pin or unpin. Every commit is numbered; the
 * reader knows the number of the last one it sees. */
gboolean       _sk_store_reader_pin      (SkStoreReader  *reader,
                                          GError        **error);
void           _sk_store_reader_unpin    (SkStoreReader  *reader);
/* The store moves idle readers to the newest snapshot now and then (so
 * the WAL can start over); when that fails the reader is left unpinned,
 * and @func is called on the owner thread. It must not free readers. */
typedef void (*SkStoreReaderLostFunc)    (SkStoreReader  *reader,
                                          const GError   *error,
                                          gpointer        data);
void           _sk_store_reader_set_lost_func (SkStoreReader         *reader,
                                               SkStoreReaderLostFunc  func,
                                               gpointer               data);
gboolean       _sk_store_reader_is_pinned (SkStoreReader *reader);
/* Tests: make the next pin (or re-pin) fail with SQLite error @rc. */
void           _sk_store_reader_fail_next_pin (SkStoreReader *reader,
                                               int            rc);
guint64        _sk_store_reader_get_seq  (SkStoreReader  *reader);

/* While SkStore::changed runs: the number of the commit it reports. */
guint64        _sk_store_get_change_seq  (SkStore        *self);
/* The orders changed by the commits numbered (@after, @upto] whose
 * SkStore::changed has not finished yet (so at least the one being
 * emitted and those after it), in one change: an order whose first change
 * in the range inserted it is in inserted_orders, every other one in
 * updated_orders (whether it still exists, the snapshot tells). */
SkStoreChange *_sk_store_collect_changes (SkStore        *self,
                                          guint64         after,
                                          guint64         upto);

G_END_DECLS
