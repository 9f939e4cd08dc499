/* sk-store-orders.h: reading one order, its history, and local actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-order.h"
#include "sk-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  at;
  char   *actor;        /* "user", "sync:shopify" */
  char   *subject_type; /* "order" */
  gint64  subject_id;
  char   *what;         /* "imported", "payment-status", "hold", "tags", ... */
  char   *from_value;
  char   *to_value;
  char   *why;
} SkEvent;

void     sk_event_free            (SkEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkEvent, sk_event_free)

/* Everything about one order (lines, addresses, refunds, fulfillments,
 * local state), from the reader connection. NULL with
 * SK_STORE_ERROR_NOT_FOUND when it does not exist. */
SkOrder   *sk_store_load_order    (SkStore     *self,
                                   gint64       order_id,
                                   GError     **error);
/* By channel and external id; NULL without error when absent. */
SkOrder   *sk_store_find_order    (SkStore     *self,
                                   gint64       channel_id,
                                   const char  *external_id,
                                   GError     **error);
gint64     sk_store_count_orders  (SkStore     *self,
                                   gint64       channel_id,   /* 0: all */
                                   GError     **error);
/* Oldest first. */
GPtrArray *sk_store_list_events   (SkStore     *self,
                                   const char  *subject_type,
                                   gint64       subject_id,
                                   GError     **error);    /* SkEvent */

/* Local actions on one or many orders, each recorded in the event log with
 * @actor and @why, in one transaction, asynchronous on the writer thread. */
typedef enum {
  SK_ORDER_ACTION_HOLD,         /* arg: the reason (required) */
  SK_ORDER_ACTION_RELEASE,      /* arg: why, optional */
  SK_ORDER_ACTION_ADD_TAG,      /* arg: the tag */
  SK_ORDER_ACTION_REMOVE_TAG,   /* arg: the tag */
  SK_ORDER_ACTION_ARCHIVE,
  SK_ORDER_ACTION_UNARCHIVE,
} SkOrderAction;

void       sk_store_apply_action_async  (SkStore            *self,
                                         const gint64       *order_ids,
                                         guint               n_orders,
                                         SkOrderAction       action,
                                         const char         *arg,
                                         const char         *actor,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
/* @out_changed: how many orders actually changed (already on hold, tag
 * already present … do not count and are not logged). */
gboolean   sk_store_apply_action_finish (SkStore            *self,
                                         GAsyncResult       *result,
                                         guint              *out_changed,
                                         GError            **error);
gboolean   sk_store_apply_action_sync   (SkStore            *self,
                                         const gint64       *order_ids,
                                         guint               n_orders,
                                         SkOrderAction       action,
                                         const char         *arg,
                                         const char         *actor,
                                         guint              *out_changed,
                                         GError            **error);

G_END_DECLS
