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

/* @http may be NULL: the manager then makes its own session. */
SkSyncManager *sk_sync_manager_new            (SkStore       *store,
                                               SkHttp        *http);
SkStore       *sk_sync_manager_get_store      (SkSyncManager *self);
SkHttp        *sk_sync_manager_get_http       (SkSyncManager *self);

/* A GListModel of SkChannel, one per channel record of the store; kept in
 * step with the channels table. */
GListModel    *sk_sync_manager_get_channels   (SkSyncManager *self);
SkChannel     *sk_sync_manager_find_channel   (SkSyncManager *self,
                                               gint64         channel_id);
/* Re-read channel records from the store (after add/edit/remove; also done
 * by itself when the store reports a change to the channels) and forget
 * the secrets held in memory, so a token entered meanwhile is read again. */
void           sk_sync_manager_reload         (SkSyncManager *self);

/* Where secrets come from; by default libsecret (sk-secrets.h). Called on a
 * worker thread before a channel's first run, and again after a run that
 * the token or keyring failed, and after sk_sync_manager_reload(). */
typedef char *(*SkSecretLookupFunc) (const SkChannelRecord *record,
                                     gpointer               user_data,
                                     GError               **error);
void           sk_sync_manager_set_secret_lookup (SkSyncManager     *self,
                                                  SkSecretLookupFunc func,
                                                  gpointer           user_data,
                                                  GDestroyNotify     destroy);

/* Start/stop the adaptive polling timers. Start runs every channel that is
 * not paused once, then each on its own interval. */
void           sk_sync_manager_start          (SkSyncManager *self);
void           sk_sync_manager_stop           (SkSyncManager *self);
gboolean       sk_sync_manager_get_running    (SkSyncManager *self);
/* The shortest time between automatic runs of a channel while orders
 * arrive (the "sync-interval" setting), seconds, SK_SYNC_MIN_INTERVAL by
 * default; each channel's own minimum still applies above it, and a quiet
 * channel backs off up to MAX (SK_SYNC_MAX_INTERVAL, this). Applied at
 * once: a channel waiting on its timer waits the new interval from now.
 * Also the "min-interval" property (for g_settings_bind). */
void           sk_sync_manager_set_min_interval (SkSyncManager *self,
                                                 guint          seconds);
guint          sk_sync_manager_get_min_interval (SkSyncManager *self);
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
 *      after every failed run (not after a cancelled one). A failure that
 *      only the user can fix (refused token, missing scope, wrong address,
 *      no credentials) opens the problem "channel-auth:<id>" (token or
 *      keyring) or "channel-failing:<id>" (the others) at once; anything
 *      else opens "channel-failing:<id>" at the
 *      SK_SYNC_FAILURES_BEFORE_ALERT-th failure in a row. needs_user is
 *      TRUE only on the run that opened a NEW problem: one notification per
 *      problem, not per retry. The store is written before the signal.
 *   "channel-recovered" (SkChannel *channel)
 *      the first successful run after a failed one; the channel's
 *      "channel-auth:<id>" and "channel-failing:<id>" problems are resolved.
 *   "dead-letters" (SkChannel *channel, guint new_count)
 *      a successful run dead-lettered @new_count payloads; the problem
 *      "dead-letters:<id>" is open (resolved by a run once the channel has
 *      no open letters left).
 *   "sync-finished" (SkChannel *channel, SkSyncSummary *summary)
 *      after every successful run, with what it did. */
#define SK_SYNC_FAILURES_BEFORE_ALERT 3

G_END_DECLS
