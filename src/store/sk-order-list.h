/* sk-order-list.h: a lazy GListModel of SkOrder over the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages rows from the reader connection by keyset on the sort key, keeps a
 * small cache of pages, filters by channel, statuses, date range and full
 * text, and answers SkStore::changed with minimal items-changed ranges.
 * Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "sk-order.h"
#include "sk-store.h"

G_BEGIN_DECLS

typedef enum {
  SK_ORDER_SORT_CREATED,    /* default, newest first */
  SK_ORDER_SORT_NUMBER,
  SK_ORDER_SORT_CUSTOMER,
  SK_ORDER_SORT_TOTAL,      /* minor units, regardless of currency */
  SK_ORDER_SORT_UPDATED,
} SkOrderSort;

#define SK_TYPE_ORDER_LIST (sk_order_list_get_type ())
G_DECLARE_FINAL_TYPE (SkOrderList, sk_order_list, SK, ORDER_LIST, GObject)

SkOrderList *sk_order_list_new                (SkStore       *store);

/* Filters; each change re-queries and emits one items-changed. */
void         sk_order_list_set_channel        (SkOrderList   *self,
                                               gint64         channel_id);   /* 0: all */
void         sk_order_list_set_payment_status (SkOrderList   *self,
                                               int            status);       /* -1: any */
void         sk_order_list_set_fulfillment_status (SkOrderList *self,
                                               int            status);       /* -1: any */
void         sk_order_list_set_order_status   (SkOrderList   *self,
                                               int            status);       /* -1: any */
/* Only orders on hold (TRUE), or any (FALSE). */
void         sk_order_list_set_only_on_hold   (SkOrderList   *self,
                                               gboolean       only_on_hold);
/* Archived orders are hidden unless this is TRUE. */
void         sk_order_list_set_show_archived  (SkOrderList   *self,
                                               gboolean       show_archived);
/* created_at in [from, to); 0 for an open end. */
void         sk_order_list_set_date_range     (SkOrderList   *self,
                                               gint64         from_unix,
                                               gint64         to_unix);
/* Words typed by a person; each word matches as a prefix over number,
 * customer, email, address, SKU and title. NULL or "" for none. */
void         sk_order_list_set_search         (SkOrderList   *self,
                                               const char    *text);
void         sk_order_list_set_sort           (SkOrderList   *self,
                                               SkOrderSort    sort,
                                               gboolean       descending);

/* Batch several filter changes into one re-query. */
void         sk_order_list_freeze             (SkOrderList   *self);
void         sk_order_list_thaw               (SkOrderList   *self);

/* Position of an order in the current view, or G_MAXUINT. */
guint        sk_order_list_find               (SkOrderList   *self,
                                               gint64         order_id);

/* The last query error (e.g. the database became unreadable), or NULL. */
const GError *sk_order_list_get_error         (SkOrderList   *self);

G_END_DECLS
