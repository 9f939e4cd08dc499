/* sk-csv-import.h: CSV rows into orders, a preview, and the import page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch is what a table and a mapping make: the orders that read
 * cleanly, and for everything else an error with its line number and a
 * dead letter with the raw rows. One row is one line item; the rows of an
 * order (same order id, anywhere in the file) become one SkOrder, and one
 * bad row keeps its whole order out (half an order would be wrong) while
 * the other orders import. Money is read exactly in the order's currency.
 *
 * The import itself is the CSV channel's run (sk-csv-channel.h): it
 * compares each order with the stored one, so importing the same file
 * again changes nothing and an edited row updates its order.
 */
#pragma once

#include <gio/gio.h>

#include "sk-channel.h"
#include "sk-csv-mapping.h"
#include "sk-csv-reader.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *orders;        /* SkOrder that read cleanly, in the order they first appear */
  GPtrArray *dead_letters;  /* SkDeadLetter: the orders and rows that did not */
  GPtrArray *errors;        /* SkCsvRowError, by line */
  guint      n_rows;        /* data rows in the file */
  guint      n_bad_rows;    /* rows with at least one error */
  guint      n_bad_orders;  /* orders left out because of them */
} SkCsvBatch;

/* Read @table with @mapping (validate the mapping first). Pure: no I/O. */
SkCsvBatch   *sk_csv_batch_build          (SkCsvTable         *table,
                                           const SkCsvMapping *mapping);
/* The same on a worker thread. */
void          sk_csv_batch_build_async    (SkCsvTable         *table,
                                           const SkCsvMapping *mapping,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
SkCsvBatch   *sk_csv_batch_build_finish   (GAsyncResult       *result,
                                           GError            **error);
void          sk_csv_batch_free           (SkCsvBatch         *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkCsvBatch, sk_csv_batch_free)

/* The first @max_orders orders, for a preview (new references). */
GPtrArray    *sk_csv_batch_preview        (const SkCsvBatch   *batch,
                                           guint               max_orders);

/* The page the CSV channel imports: every good order (a new reference to
 * each) and a copy of every dead letter; actor "import:csv". */
SkImportPage *sk_csv_batch_to_page        (const SkCsvBatch   *batch,
                                           gint64              channel_id);

/* "42 new orders imported, 3 rows with errors: Line 7: …" for people.
 * @summary NULL: before the import ("42 orders ready to import, …"). */
char         *sk_csv_format_summary       (const SkCsvBatch    *batch,
                                           const SkSyncSummary *summary);
/* The same without the errors: "42 new orders imported, 3 rows with
 * errors." (for a page that lists them). */
char         *sk_csv_format_counts        (const SkCsvBatch    *batch,
                                           const SkSyncSummary *summary);

G_END_DECLS
