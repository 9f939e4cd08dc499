/* sk-outbox-dispatcher.h: sends the outbox to the channels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dispatcher takes due outbox rows (sk-store-outbox.h) one channel at
 * a time, each channel's rows in order, and hands each to its channel
 * kind's pusher (sk-push.h):
 *
 *   sent     → the row is "sent" with sent_at (and the channel's id of what
 *              it made); "sent" is emitted.
 *   retry    → back to "pending", next_attempt_at = now + backoff: base ×
 *              2^(attempts − 1), capped at SK_OUTBOX_BACKOFF_CAP, with
 *              jitter (half fixed, half random), never sooner than the
 *              channel's Retry-After; last_error says why;
 *              "retry-scheduled" is emitted.
 *   refused  → "failed" with the channel's words as last_error; the problem
 *              "outbox-refused:<row id>" (kind "outbox-refused") is opened
 *              with that message, then "refused" is emitted.
 *
 * Rows left in "sending" by a process that stopped are made pending again
 * before the first take, and every take after the first attempt asks the
 * pusher to check the channel's state before sending, so nothing is sent
 * twice. A row being sent when the dispatcher stops (or is disposed) stays
 * "sending" and is recovered that way at the next start.
 *
 * It runs when started: at once, when the store reports outbox changes,
 * at the earliest next_attempt_at, and at least every
 * SK_OUTBOX_POLL_INTERVAL seconds. Secrets come from the sync manager's
 * channel objects when they hold one, else from the lookup function
 * (libsecret by default), kept in memory only.
 *
 * Requests go through an SkHttp without automatic retries: a POST retried
 * blindly after a timeout could send a fulfillment twice, so every retry
 * goes through the outbox (and its check). Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "sk-push.h"
#include "sk-store.h"
#include "sk-sync-manager.h"

G_BEGIN_DECLS

/* Seconds. */
#define SK_OUTBOX_BACKOFF_BASE  30
#define SK_OUTBOX_BACKOFF_CAP   3600
#define SK_OUTBOX_POLL_INTERVAL 300

/* The problem a refusal opens. */
#define SK_OUTBOX_PROBLEM_KIND "outbox-refused"

#define SK_TYPE_OUTBOX_DISPATCHER (sk_outbox_dispatcher_get_type ())
G_DECLARE_FINAL_TYPE (SkOutboxDispatcher, sk_outbox_dispatcher, SK, OUTBOX_DISPATCHER, GObject)

/* @sync may be NULL (secrets then come only from the lookup function).
 * @http may be NULL, and should be in the app: the dispatcher then makes
 * its own session with one attempt per request (see above). */
SkOutboxDispatcher *sk_outbox_dispatcher_new          (SkStore            *store,
                                                       SkSyncManager      *sync,
                                                       SkHttp             *http);
SkStore            *sk_outbox_dispatcher_get_store    (SkOutboxDispatcher *self);
SkHttp             *sk_outbox_dispatcher_get_http     (SkOutboxDispatcher *self);

/* Where secrets come from when the sync manager has none in memory; by
 * default sk_secrets_lookup(). Called on a worker thread. */
void                sk_outbox_dispatcher_set_secret_lookup (SkOutboxDispatcher *self,
                                                            SkSecretLookupFunc  func,
                                                            gpointer            user_data,
                                                            GDestroyNotify      destroy);
/* Replace the pusher of a channel kind (tests, the demo shop); NULL
 * removes it (rows of that kind then fail as unsupported). */
void                sk_outbox_dispatcher_set_pusher   (SkOutboxDispatcher *self,
                                                       const char         *kind,
                                                       SkPusher           *pusher);
/* Backoff base and cap, seconds (tests shorten them). */
void                sk_outbox_dispatcher_set_backoff  (SkOutboxDispatcher *self,
                                                       guint               base_seconds,
                                                       guint               cap_seconds);

/* Start/stop the automatic runs (store changes, timers). Stop cancels the
 * rows being sent; they stay "sending" until the next start recovers
 * them. */
void                sk_outbox_dispatcher_start        (SkOutboxDispatcher *self);
void                sk_outbox_dispatcher_stop         (SkOutboxDispatcher *self);
gboolean            sk_outbox_dispatcher_get_running  (SkOutboxDispatcher *self);

/* One pass now, started or not: every row due by now is sent (or
 * rescheduled, or failed). Completes when nothing due is left and nothing
 * is being sent. @out_sent: rows that became "sent" during the pass.
 * Fails only when cancelled or when the store cannot be read. */
void                sk_outbox_dispatcher_dispatch_async  (SkOutboxDispatcher  *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            sk_outbox_dispatcher_dispatch_finish (SkOutboxDispatcher  *self,
                                                          GAsyncResult        *result,
                                                          guint               *out_sent,
                                                          GError             **error);

/* The delay before attempt @attempts + 1, seconds: min (cap, base ×
 * 2^(attempts − 1)), half of it fixed and half random. Exposed for tests. */
gint64              sk_outbox_backoff_delay           (guint               attempts,
                                                       guint               base_seconds,
                                                       guint               cap_seconds);

/* Signals (all on the main thread, after the store was written):
 *   "sent" (gint64 row_id, gint64 channel_id, gboolean already_there)
 *      the channel has the row; already_there: the check before a repeated
 *      attempt found it, nothing was sent again.
 *   "retry-scheduled" (gint64 row_id, gint64 next_attempt_at, const char *message)
 *   "refused" (gint64 row_id, gint64 channel_id, const char *dedup_key,
 *              const char *message, gboolean is_new)
 *      the channel refused the row for good; the problem @dedup_key
 *      ("outbox-refused:<row id>") is open with @message (the channel's
 *      own words). @is_new is TRUE once per problem: a notifier sends one
 *      notification then, e.g.
 *        if (is_new) sk_notifier_send (notifier, dedup_key, summary,
 *                                      message, channel_id);
 *      with a summary such as "A channel refused a shipment".
 */

G_END_DECLS
