/* sk-csv-channel.h: a source of orders without an API, fed by CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A point of sale, a market stall's spreadsheet, any channel that can only
 * export a file. Its channel record: kind "csv", account a slug of the
 * name ("shop-counter-pos"), base_url "file:" (nothing to reach), no
 * secret; settings hold the saved column mapping (sk-csv-mapping.h).
 *
 * There is nothing to poll: get_min_interval() returns 0, which tells the
 * sync manager to leave the channel out of its timers and of "sync all"
 * (the user starts each import). Its run is the import of one file: the
 * engine reads the file into an SkImportPage and hands it to
 * sk_csv_channel_import_async(), which runs it as the channel's sync, so
 * state, last success and dead letters show in the channel's health like
 * any other channel's. A run without a page imports nothing.
 *
 * A file says nothing about when an order last changed, so the run
 * compares each order with the stored one: the same content keeps the
 * stored updated_at (the store counts it unchanged, so importing a file
 * twice imports nothing twice); different content gets a newer updated_at
 * (the store updates it). An order without a date is dated when it is
 * first imported.
 */
#pragma once

#include "sk-channel.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

#define SK_CSV_CHANNEL_KIND "csv"

#define SK_TYPE_CSV_CHANNEL (sk_csv_channel_get_type ())
G_DECLARE_FINAL_TYPE (SkCsvChannel, sk_csv_channel, SK, CSV_CHANNEL, SkChannel)

SkChannel       *sk_csv_channel_new          (SkStore               *store,
                                              SkHttp                *http,
                                              const SkChannelRecord *record);

/* A record for a new source called @name ("Shop Counter (POS)"), not yet
 * stored. */
SkChannelRecord *sk_csv_channel_record_new   (const char            *name);

/* Import @page (taken) as this channel's run. Fails like
 * sk_channel_sync_async() when a run is going or the channel is paused.
 * Main thread (the store's reader is used to compare orders). */
void             sk_csv_channel_import_async  (SkCsvChannel        *self,
                                               SkImportPage        *page,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean         sk_csv_channel_import_finish (SkCsvChannel        *self,
                                               GAsyncResult        *result,
                                               SkSyncSummary       *out_summary,
                                               GError             **error);

/* A digest of what a file can say about @order (number, date, money,
 * statuses, customer, address, lines); equal digests mean nothing to
 * update. Free with g_free(). */
char            *sk_csv_channel_order_digest  (SkOrder             *order);

G_END_DECLS
