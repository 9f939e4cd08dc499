/* sk-channel-private.h: friend API of SkChannel for its subclasses and the
 * sync manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-channel.h"

G_BEGIN_DECLS

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

G_END_DECLS
