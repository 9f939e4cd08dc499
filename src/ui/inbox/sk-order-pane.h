/* sk-order-pane.h: everything about one order, beside the inbox list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the order's header, lines, addresses, totals, payment and
 * fulfillment, shipments, note, tags and history. Its buttons activate the
 * inbox's actions (inbox.release, inbox.add-tag …), which apply to the
 * selection the pane shows.
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

G_END_DECLS
