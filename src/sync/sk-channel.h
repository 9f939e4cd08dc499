/* sk-channel.h: a sales channel connector (derivable)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A channel knows how to pull orders from one account into the store. One
 * run pulls every page updated since the cursor, committing each page with
 * the cursor past it. Subclasses: SkShopifyChannel, later WooCommerce,
 * Amazon, CSV.
 */
#pragma once

#include <gio/gio.h>

#include "sk-http.h"
#include "sk-store.h"
#include "sk-store-channels.h"

G_BEGIN_DECLS

typedef enum {
  SK_CHANNEL_STATE_IDLE,
  SK_CHANNEL_STATE_SYNCING,
  SK_CHANNEL_STATE_FAILING,   /* last run failed; will retry */
  SK_CHANNEL_STATE_NEEDS_ATTENTION, /* auth refused etc.: the user must act */
  SK_CHANNEL_STATE_PAUSED,
} SkChannelState;

#define SK_TYPE_CHANNEL_STATE (sk_channel_state_get_type ())
GType sk_channel_state_get_type (void) G_GNUC_CONST;

/* Progress of a running sync, for the health view. */
typedef struct {
  guint  pages;
  guint  orders;          /* orders received in this run */
  gint64 expected_orders; /* -1 when the channel does not say (Shopify count) */
} SkSyncProgress;

/* What one run did. */
typedef struct {
  guint pages;
  guint inserted;
  guint updated;
  guint unchanged;
  guint stale;
  guint dead_lettered;
} SkSyncSummary;

#define SK_TYPE_CHANNEL (sk_channel_get_type ())
G_DECLARE_DERIVABLE_TYPE (SkChannel, sk_channel, SK, CHANNEL, GObject)

struct _SkChannelClass
{
  GObjectClass parent_class;

  /* One run: pull everything new since the cursor. Update progress with
   * _sk_channel_set_progress (see sk-channel-private.h). */
  void     (*sync_async)            (SkChannel           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  gboolean (*sync_finish)           (SkChannel           *self,
                                     GAsyncResult        *result,
                                     SkSyncSummary       *out_summary,
                                     GError             **error);
  /* A cheap authenticated request that proves URL and credentials work. */
  void     (*test_connection_async) (SkChannel           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  gboolean (*test_connection_finish)(SkChannel           *self,
                                     GAsyncResult        *result,
                                     GError             **error);
  /* Shortest poll interval the channel's limits allow, in seconds. */
  guint    (*get_min_interval)      (SkChannel           *self);

  gpointer padding[8];
};

/* Properties: "store", "http", "record" (construct-only), "state"
 * (SK_TYPE_CHANNEL_STATE), "last-success" (gint64 unix), "last-error"
 * (string), "consecutive-failures", "dead-letters" (gint64),
 * "progress-pages", "progress-orders", "progress-expected"; each notifies
 * only when its value changes. Main thread. */
SkStore               *sk_channel_get_store                (SkChannel *self);
SkHttp                *sk_channel_get_http                 (SkChannel *self);
const SkChannelRecord *sk_channel_get_record               (SkChannel *self);
gint64                 sk_channel_get_id                   (SkChannel *self);
const char            *sk_channel_get_name                 (SkChannel *self);
const char            *sk_channel_get_kind                 (SkChannel *self);
/* The secret (token) used for requests, held in memory only; set from
 * libsecret by the caller. Never logged. */
void                   sk_channel_set_secret               (SkChannel *self,
                                                            const char *secret);
const char            *sk_channel_get_secret               (SkChannel *self);

SkChannelState         sk_channel_get_state                (SkChannel *self);
gint64                 sk_channel_get_last_success         (SkChannel *self);
const char            *sk_channel_get_last_error           (SkChannel *self);
guint                  sk_channel_get_consecutive_failures (SkChannel *self);
gint64                 sk_channel_get_dead_letters         (SkChannel *self);
void                   sk_channel_get_progress             (SkChannel *self,
                                                            SkSyncProgress *out);
guint                  sk_channel_get_min_interval         (SkChannel *self);

/* Runs the subclass's sync_async, maintaining state, last success/error,
 * failure count and dead-letter count. A second call while a run is going
 * joins nothing: it fails with G_IO_ERROR_PENDING. A paused channel fails
 * with SK_SYNC_ERROR_PAUSED. A cancelled run (G_IO_ERROR_CANCELLED) is not
 * counted as a failure: the state goes back to what it was. */
void                   sk_channel_sync_async               (SkChannel           *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean               sk_channel_sync_finish              (SkChannel           *self,
                                                            GAsyncResult        *result,
                                                            SkSyncSummary       *out_summary,
                                                            GError             **error);
void                   sk_channel_test_connection_async    (SkChannel           *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean               sk_channel_test_connection_finish   (SkChannel           *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Create the right subclass for @record->kind; NULL and an error
 * (G_IO_ERROR_NOT_SUPPORTED) for an unknown kind. */
SkChannel             *sk_channel_new_for_record           (SkStore               *store,
                                                            SkHttp                *http,
                                                            const SkChannelRecord *record,
                                                            GError               **error);

G_END_DECLS
