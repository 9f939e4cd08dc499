/* sk-notifier.h: desktop notifications for problems, behind one module
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Listens to the sync manager and sends one libnotify notification per new
 * problem (not per retry): a channel refusing its credentials, a channel
 * failing repeatedly, orders landing in dead letters; and to the outbox
 * dispatcher: a channel refusing a shipment for good. Each notification has
 * a default action that asks the app to show that channel's health
 * ("show-channel" signal with the channel id). GTK-free.
 */
#pragma once

#include <gio/gio.h>

#include "sk-outbox-dispatcher.h"
#include "sk-inventory.h"
#include "sk-sync-manager.h"

G_BEGIN_DECLS

#define SK_TYPE_NOTIFIER (sk_notifier_get_type ())
G_DECLARE_FINAL_TYPE (SkNotifier, sk_notifier, SK, NOTIFIER, GObject)

/* @app_name: "Storekeep". notify_init is called once. */
SkNotifier *sk_notifier_new              (const char    *app_name);
/* Start following @sync (its store's problems table decides what is new). */
void        sk_notifier_watch            (SkNotifier    *self,
                                          SkSyncManager *sync);
/* Also follow @dispatcher: one notification ("A channel refused a
 * shipment", with the channel's own words) per refused outbox row, when
 * its "refused" signal says the problem is new; withdrawn when the
 * problem is resolved (Try Again). */
void        sk_notifier_watch_outbox     (SkNotifier         *self,
                                          SkOutboxDispatcher *dispatcher);
/* Follow the inventory engine: one notification per stock-out of a listed
 * SKU (problem kind "stock-out"). */
void        sk_notifier_watch_inventory  (SkNotifier    *self,
                                          SkInventory   *inventory);
/* Send a notification now (used by the watchers, and by engines later for
 * stock-outs, late parcels...). @channel_id 0 when not about a channel. */
void        sk_notifier_send             (SkNotifier    *self,
                                          const char    *dedup_key,
                                          const char    *summary,
                                          const char    *body,
                                          gint64         channel_id);
/* Withdraw the notification of a solved problem. */
void        sk_notifier_withdraw         (SkNotifier    *self,
                                          const char    *dedup_key);
/* Notifications sent so far (for tests). */
guint       sk_notifier_get_sent_count   (SkNotifier    *self);

/* Signal "show-channel" (gint64 channel_id): the user clicked a
 * notification. */

G_END_DECLS
