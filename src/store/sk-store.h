/* sk-store.h: the SQLite store, its writer thread and its change signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SkStore per profile database. Writes run as jobs on a dedicated writer
 * thread, each inside one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on
 * error). Reads use a reader connection owned by the thread that created the
 * store (the main thread in the app). After a job commits, SkStore::changed
 * is emitted on the creating thread's main context with what changed.
 *
 * Nothing outside src/store/ includes sqlite3.h or writes SQL.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "sk-types.h"

G_BEGIN_DECLS

/* What a committed job changed, delivered with SkStore::changed. */
typedef enum {
  SK_STORE_CHANGE_ORDERS       = 1 << 0,
  SK_STORE_CHANGE_CHANNELS     = 1 << 1,
  SK_STORE_CHANGE_CURSORS      = 1 << 2,
  SK_STORE_CHANGE_DEAD_LETTERS = 1 << 3,
  SK_STORE_CHANGE_EVENTS       = 1 << 4,
  SK_STORE_CHANGE_OUTBOX       = 1 << 5,
  SK_STORE_CHANGE_EXCEPTIONS   = 1 << 6,
  SK_STORE_CHANGE_INVENTORY    = 1 << 7,  /* SKUs, stock, listings (sk-store-inventory.h) */
} SkStoreChangeFlags;

typedef struct {
  SkStoreChangeFlags flags;
  GArray *inserted_orders;   /* gint64 order ids, ascending */
  GArray *updated_orders;    /* gint64 order ids, ascending */
  GArray *deleted_orders;    /* gint64 order ids, ascending */
} SkStoreChange;

#define SK_TYPE_STORE_CHANGE (sk_store_change_get_type ())
GType sk_store_change_get_type (void) G_GNUC_CONST;

/* Handed to a job running on the writer thread. */
typedef struct _SkStoreTxn SkStoreTxn;

sqlite3      *sk_store_txn_get_db      (SkStoreTxn  *txn);
/* A prepared statement cached for the life of the writer connection, reset
 * and with bindings cleared. Do not finalize it. Asking again for the same
 * SQL resets it, so do not nest two uses of one SQL text. */
sqlite3_stmt *sk_store_txn_prepare     (SkStoreTxn  *txn,
                                        const char  *sql,
                                        GError     **error);
/* Record what the job changed, for SkStore::changed. */
void          sk_store_txn_note        (SkStoreTxn  *txn,
                                        SkStoreChangeFlags flags);
void          sk_store_txn_note_order  (SkStoreTxn  *txn,
                                        gint64       order_id,
                                        gboolean     inserted);
void          sk_store_txn_note_order_deleted (SkStoreTxn *txn,
                                        gint64       order_id);
/* Convert the connection's last error (SQLITE_FULL, BUSY, …) into
 * SK_STORE_ERROR with a sentence for people; returns FALSE for chaining. */
gboolean      sk_store_txn_set_error   (SkStoreTxn  *txn,
                                        int          rc,
                                        GError     **error);

/* A unit of work on the writer thread. Return FALSE and set @error to roll
 * the transaction back. */
typedef gboolean (*SkStoreJobFunc) (SkStoreTxn *txn,
                                    gpointer    data,
                                    GError    **error);

#define SK_TYPE_STORE (sk_store_get_type ())
G_DECLARE_FINAL_TYPE (SkStore, sk_store, SK, STORE, GObject)

/* Opens (creating if needed) the database at @path, applies migrations and
 * starts the writer thread. ":memory:" is not supported (two connections
 * must see one database): use a temporary file. */
SkStore      *sk_store_open            (const char  *path,
                                        GError     **error);
const char   *sk_store_get_path        (SkStore     *self);
int           sk_store_get_schema_version (SkStore  *self);
/* The newest schema version this build knows. */
int           sk_store_get_latest_version (void);

/* Queue @func on the writer thread; @callback runs on the caller's thread
 * default main context. @data is freed with @destroy when the job is done. */
void          sk_store_run_async       (SkStore            *self,
                                        SkStoreJobFunc      func,
                                        gpointer            data,
                                        GDestroyNotify      destroy,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean      sk_store_run_finish      (SkStore            *self,
                                        GAsyncResult       *result,
                                        GError            **error);
/* Run a job and wait for it (not from the writer thread). Used by the CLI,
 * tests and the synchronous helpers below. The changed signal is still
 * delivered through the creating thread's main context. */
gboolean      sk_store_run_sync        (SkStore            *self,
                                        SkStoreJobFunc      func,
                                        gpointer            data,
                                        GError            **error);

/* Wait until every queued job has run and stop the writer thread; later
 * jobs fail with SK_STORE_ERROR_CLOSED. Also done on finalize. */
void          sk_store_close           (SkStore            *self);

/* The reader connection; only from the thread that opened the store.
 * Statements from sk_store_reader_prepare are cached like the writer's:
 * reset them when done (a statement left stepping pins an old snapshot;
 * the store also resets them before emitting SkStore::changed). */
sqlite3      *sk_store_get_reader      (SkStore            *self);
sqlite3_stmt *sk_store_reader_prepare  (SkStore            *self,
                                        const char         *sql,
                                        GError            **error);
gboolean      sk_store_reader_set_error(SkStore            *self,
                                        int                 rc,
                                        GError            **error);

/* Convert an SQLite result code into SK_STORE_ERROR (exposed for tests). */
void          sk_store_error_from_sqlite (GError          **error,
                                          int               rc,
                                          const char       *detail);

G_END_DECLS
