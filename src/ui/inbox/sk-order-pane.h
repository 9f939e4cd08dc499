/* sk-order-pane.h: everything about one order, beside the inbox list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the order's header, lines, addresses, totals, payment and
 * fulfillment, shipments, what was sent to the channels (the order's
 * outbox rows, refreshed as the dispatcher sends them, with "Try Again"
 * on a refused one), note, tags and history. Its buttons activate the
 * inbox's actions (inbox.release, inbox.add-tag …), which apply to the
 * selection the pane shows; "Mark as Shipped…" opens an SkShipPopover and
 * records the shipment itself (sk-store-outbox.h).
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-order.h"

G_BEGIN_DECLS

#define SK_TYPE_ORDER_PANE (sk_order_pane_get_type ())
G_DECLARE_FINAL_TYPE (SkOrderPane, sk_order_pane, SK, ORDER_PANE, AdwBin)

GtkWidget *sk_order_pane_new              (void);
void       sk_order_pane_set_context      (SkOrderPane *self,
                                           SkContext   *context);
/* Load and show order @order_id (0 shows nothing). */
void       sk_order_pane_show_order       (SkOrderPane *self,
                                           gint64       order_id);
/* Several orders are selected: say how many, instead of one order. */
void       sk_order_pane_show_summary     (SkOrderPane *self,
                                           guint        n_orders);
/* Read the shown order again (it changed in the store). */
void       sk_order_pane_reload           (SkOrderPane *self);
/* The order shown, as loaded with its parts; NULL when none. */
SkOrder   *sk_order_pane_get_order        (SkOrderPane *self);
gint64     sk_order_pane_get_order_id     (SkOrderPane *self);
/* Number of history entries shown (for tests). */
guint      sk_order_pane_get_history_count (SkOrderPane *self);

/* The order shown has items left to ship ("can-ship" property). */
gboolean   sk_order_pane_get_can_ship     (SkOrderPane *self);
/* Open the "Mark as Shipped" popover; FALSE when the order cannot ship
 * or the pane is not on screen. */
gboolean   sk_order_pane_mark_shipped     (SkOrderPane *self);
/* The SkShipPopover (for tests). */
GtkWidget *sk_order_pane_get_ship_popover (SkOrderPane *self);
/* Shipments recorded in Storekeep, and rows under "Sent to Channels". */
guint      sk_order_pane_get_shipment_count (SkOrderPane *self);
guint      sk_order_pane_get_outbox_count (SkOrderPane *self);
/* Title and state line of outbox row @index, "title\nstate" (tests). */
char      *sk_order_pane_dup_outbox_text  (SkOrderPane *self,
                                           guint        index);
/* The last toast the pane showed (for tests); NULL before any. */
AdwToast  *sk_order_pane_get_last_toast   (SkOrderPane *self);

G_END_DECLS
