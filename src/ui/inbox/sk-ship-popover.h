/* sk-ship-popover.h: "Mark as Shipped" for the order in the pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Carrier (typed, or picked from the usual ones), tracking number, an
 * optional tracking link, and which items go in the parcel: every item
 * not shipped yet is ticked with all that is left of it; untick an item or
 * lower its count for a partial shipment. "Mark as Shipped" emits
 * "confirm"; the pane records the shipment and closes the popover, or
 * shows the store's sentence with sk_ship_popover_show_error().
 */
#pragma once

#include <adwaita.h>

#include "sk-order.h"
#include "sk-store-outbox.h"

G_BEGIN_DECLS

#define SK_TYPE_SHIP_POPOVER (sk_ship_popover_get_type ())
G_DECLARE_FINAL_TYPE (SkShipPopover, sk_ship_popover, SK, SHIP_POPOVER, GtkPopover)

GtkWidget  *sk_ship_popover_new               (void);
/* Offer @order's lines: @left[i] is what is left to ship of line i (the
 * index in sk_order_get_lines); lines with nothing left are not offered.
 * Clears an earlier error and the tracking fields of another order. */
void        sk_ship_popover_set_order         (SkShipPopover *self,
                                               SkOrder       *order,
                                               const gint64  *left,
                                               guint          n_left);
/* The order offered, 0 before any. */
gint64      sk_ship_popover_get_order_id      (SkShipPopover *self);
/* Lines offered now. */
guint       sk_ship_popover_get_n_lines       (SkShipPopover *self);
/* The shipment as entered (with its lines), or NULL when something
 * required is missing. */
SkShipment *sk_ship_popover_build_shipment    (SkShipPopover *self);
gboolean    sk_ship_popover_get_ready         (SkShipPopover *self);
/* While the shipment is recorded: the fields are insensitive. */
void        sk_ship_popover_set_busy          (SkShipPopover *self,
                                               gboolean       busy);
void        sk_ship_popover_show_error        (SkShipPopover *self,
                                               const char    *message);
/* After a recorded shipment: empty the tracking fields (the carrier stays
 * for the next parcel). */
void        sk_ship_popover_reset             (SkShipPopover *self);

/* What a person types or ticks (tests, prefill). */
void        sk_ship_popover_set_carrier       (SkShipPopover *self,
                                               const char    *carrier);
void        sk_ship_popover_set_tracking      (SkShipPopover *self,
                                               const char    *number,
                                               const char    *url);
/* Ship @quantity of line @position; 0 unticks it. */
void        sk_ship_popover_set_line_quantity (SkShipPopover *self,
                                               int            position,
                                               gint64         quantity);

/* The carriers suggested, NULL-terminated. */
const char * const *sk_ship_popover_get_carriers (void);

/* Signal "confirm": the user asked to record the shipment. */

G_END_DECLS
