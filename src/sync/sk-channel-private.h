/* sk-channel-private.h: friend API of SkChannel for its subclasses and the
 * sync manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-channel.h"
#include "sk-store-import.h"
#include "sk-token-client.h"

G_BEGIN_DECLS

/* The cursor resource of a channel's orders. */
#define SK_CHANNEL_ORDERS_RESOURCE "orders"

/* Progress of the running sync (notifies "progress-*" on change);
 * @expected_orders -1 when unknown. Main thread. */
void     _sk_channel_set_progress       (SkChannel   *self,
                                         guint        pages,
                                         guint        orders,
                                         gint64       expected_orders);
/* The stored cursor of @resource for this channel (reader connection,
 * main thread); zeroed when there is none. */
gboolean _sk_channel_get_cursor         (SkChannel    *self,
                                         const char   *resource,
                                         SkSyncCursor *out,
                                         GError      **error);
/* Replace the record after an edit (same id and kind): name, account,
 * base URL, paused. Pausing moves the state to PAUSED, resuming to IDLE. */
void     _sk_channel_set_record         (SkChannel             *self,
                                         const SkChannelRecord *record);
/* Count open dead letters again (reader connection, main thread). */
void     _sk_channel_refresh_dead_letters (SkChannel *self);
/* Book a failure that happened before a run could start (the keyring was
 * locked, ...) exactly as a failed run: state, last error, failure count. */
void     _sk_channel_record_failure     (SkChannel    *self,
                                         const GError *error);
/* TRUE for errors only the user can fix (refused token, missing scope,
 * wrong address, no credentials, insecure URL). */
gboolean _sk_channel_error_needs_user   (const GError *error);
/* Replace every occurrence of the channel's secret in @text by "…", so a
 * token echoed by a server never reaches a message. */
char    *_sk_channel_scrub_secret       (SkChannel    *self,
                                         const char   *text);
/* The same for an error's message, in place. */
void     _sk_channel_scrub_error        (SkChannel    *self,
                                         GError       *error);
/* The token client the channel takes access tokens from (NULL: none);
 * the scrubbing above then also replaces what it knows (client secret,
 * access tokens). */
void     _sk_channel_set_token_client   (SkChannel     *self,
                                         SkTokenClient *client);

/* The server's clock when it answered (its Date header), or 0. */
gint64   _sk_channel_response_date      (SkHttpResponse *response);

/* Paged runs: what every connector's run does the same way. A run writes
 * the cursor "a run began" before any page commits, then commits each page
 * with the cursor that points past it, and the last one with the run
 * complete. */

/* An empty page of orders of this channel, imported as @actor. */
SkImportPage *_sk_channel_new_page      (SkChannel    *self,
                                         const char   *actor);
/* Write the cursor "a run began at @run_started_at", keeping the
 * high-water mark of @start; finish with sk_store_import_finish(). */
void     _sk_channel_begin_run_async    (SkChannel          *self,
                                         const char         *actor,
                                         const SkSyncCursor *start,
                                         gint64              run_started_at,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
/* Set @page to write the cursor past it. @next_token non-NULL: the run
 * goes on at that page; NULL: the run is complete, and the next one starts
 * from the newest change seen, but never later than the moment the run
 * began (an order changed after that may sit on a page already read), nor
 * earlier than @start's mark. @next_token is copied. */
void     _sk_channel_page_cursor        (SkImportPage       *page,
                                         const SkSyncCursor *start,
                                         gint64              run_started_at,
                                         gint64              run_max_seen,
                                         gint64              pages_done,
                                         const char         *next_token);
/* The newest updated_at of @page's orders (0 when none). Any thread. */
gint64   _sk_import_page_max_updated    (const SkImportPage *page);
/* Add a committed page to @summary. */
void     _sk_sync_summary_add_page      (SkSyncSummary        *summary,
                                         const SkImportResult *imported);

G_END_DECLS
