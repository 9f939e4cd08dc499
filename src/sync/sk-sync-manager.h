/* sk-sync-manager.h: polls every channel on an adaptive interval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-channel.h"

G_BEGIN_DECLS

#define SK_TYPE_SYNC_MANAGER (sk_sync_manager_get_type ())
G_DECLARE_FINAL_TYPE (SkSyncManager, sk_sync_manager, SK, SYNC_MANAGER, GObject)

/* Poll intervals, seconds: short while orders arrive, doubling while idle up
 * to the maximum, never below a channel's own minimum. */
#define SK_SYNC_MIN_INTERVAL 30
#define SK_SYNC_MAX_INTERVAL 900

SkSyncManager *sk_sync_manager_new            (SkStore       *store,
                                               SkHttp        *http);
SkStore       *sk_sync_manager_get_store      (SkSyncManager *self);
SkHttp        *sk_sync_manager_get_http       (SkSyncManager *self);

/* A GListModel of SkChannel, one per channel record of the store; kept in
 * step with the channels table. */
GListModel    *sk_sync_manager_get_channels   (SkSyncManager *self);
SkChannel     *sk_sync_manager_find_channel   (SkSyncManager *self,
                                               gint64         channel_id);
/* Re-read channel records from the store (after add/edit/remove). */
void           sk_sync_manager_reload         (SkSyncManager *self);

/* Where secrets come from; by default libsecret (sk-secrets.h). */
typedef char *(*SkSecretLookupFunc) (const SkChannelRecord *record,
                                     gpointer               user_data,
                                     GError               **error);
void           sk_sync_manager_set_secret_lookup (SkSyncManager     *self,
                                                  SkSecretLookupFunc func,
                                                  gpointer           user_data,
                                                  GDestroyNotify     destroy);

/* Start/stop the adaptive polling timers. */
void           sk_sync_manager_start          (SkSyncManager *self);
void           sk_sync_manager_stop           (SkSyncManager *self);
gboolean       sk_sync_manager_get_running    (SkSyncManager *self);
/* Interval the manager will wait before @channel's next automatic run. */
guint          sk_sync_manager_get_interval   (SkSyncManager *self,
                                               SkChannel     *channel);

/* Sync one channel now (or all with @channel_id 0), regardless of timers;
 * paused channels are skipped. Completes when every run has finished;
 * errors of individual channels are in their health, the call itself fails
 * only when cancelled. */
void           sk_sync_manager_sync_now_async (SkSyncManager      *self,
                                               gint64              channel_id,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean       sk_sync_manager_sync_now_finish(SkSyncManager      *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* Cancel every running sync (on quit). */
void           sk_sync_manager_cancel_all     (SkSyncManager *self);

/* Signals:
 *   "channel-failed" (SkChannel *channel, GError *error, gboolean needs_user)
 *      after a failed run: needs_user is TRUE for auth refusals at once and
 *      for anything else after SK_SYNC_FAILURES_BEFORE_ALERT failures in a
 *      row; also opens a problem in the store (once per problem).
 *   "channel-recovered" (SkChannel *channel)
 *   "dead-letters" (SkChannel *channel, guint new_count)
 *   "sync-finished" (SkChannel *channel, SkSyncSummary *summary) */
#define SK_SYNC_FAILURES_BEFORE_ALERT 3

G_END_DECLS
