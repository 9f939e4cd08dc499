/* sk-store-import.h: idempotent import of a page of orders with its cursor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-store.h"
#include "sk-store-channels.h"

G_BEGIN_DECLS

/* A payload that failed validation, kept with its reason and raw bytes. */
typedef struct {
  char   *resource;     /* "orders" */
  char   *external_id;  /* NULL when the payload had no usable id */
  char   *reason;       /* a sentence: "total_price \"abc\" is not an amount" */
  GBytes *raw;          /* the JSON of that one payload, as received */
} SkDeadLetter;

SkDeadLetter *sk_dead_letter_new  (const char *resource,
                                   const char *external_id,
                                   const char *reason,
                                   GBytes     *raw);
void          sk_dead_letter_free (SkDeadLetter *letter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkDeadLetter, sk_dead_letter_free)

typedef struct {
  gint64        channel_id;
  char         *resource;      /* "orders" */
  char         *actor;         /* for the event log: "sync:shopify" */
  GPtrArray    *orders;        /* SkOrder, normalized */
  GPtrArray    *dead_letters;  /* SkDeadLetter */
  gboolean      write_cursor;  /* write @cursor in the same transaction */
  SkSyncCursor  cursor;
} SkImportPage;

SkImportPage *sk_import_page_new  (gint64      channel_id,
                                   const char *resource,
                                   const char *actor);
void          sk_import_page_free (SkImportPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkImportPage, sk_import_page_free)

typedef struct {
  guint inserted;
  guint updated;
  guint unchanged;      /* same updated_at and same content: nothing written */
  guint stale;          /* older than stored: ignored */
  guint dead_lettered;  /* letters newly opened (one seen before only counts its attempt) */
} SkImportResult;

/* One transaction: upsert every order on (channel_id, external_id) with its
 * lines, addresses, refunds, fulfillments and search text; keep local state
 * (hold, archive, local tags) of existing orders; ignore an order whose
 * updated_at is older than the stored one (an equal updated_at with other
 * content, as when a payment lands in the same second, is an update); append events (imported, status
 * changes with from/to); store dead letters (one open letter per external
 * id, its attempts counted) and resolve open letters of orders that now
 * import; write the cursor. All or nothing. Takes ownership of @page. */
void          sk_store_import_async  (SkStore            *self,
                                      SkImportPage       *page,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean      sk_store_import_finish (SkStore            *self,
                                      GAsyncResult       *result,
                                      SkImportResult     *out_result,
                                      GError            **error);
gboolean      sk_store_import_sync   (SkStore            *self,
                                      SkImportPage       *page,
                                      SkImportResult     *out_result,
                                      GError            **error);

/* Write only the cursor (start of a run, end of a run). */
gboolean      sk_store_write_cursor  (SkStore            *self,
                                      gint64              channel_id,
                                      const char         *resource,
                                      const SkSyncCursor *cursor,
                                      GError            **error);

G_END_DECLS
