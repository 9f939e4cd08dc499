/* sk-stock-popover.h: the small forms that record stock movements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One popover, four forms:
 * - reason: after a count typed in a cell, why it changed (a preset
 *   reason records at once; another reason is typed);
 * - adjust: a change (+/−) at a location for the selected SKUs, with a
 *   reason;
 * - receive: a quantity arriving at a location, with an optional note;
 * - transfer: a quantity moving from one location to another.
 * It only collects; "apply" tells its owner to record. Not modal: Escape
 * or a click elsewhere closes it and nothing is recorded.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  SK_STOCK_POPOVER_REASON,
  SK_STOCK_POPOVER_ADJUST,
  SK_STOCK_POPOVER_RECEIVE,
  SK_STOCK_POPOVER_TRANSFER,
} SkStockPopoverMode;

#define SK_TYPE_STOCK_POPOVER_MODE (sk_stock_popover_mode_get_type ())
GType sk_stock_popover_mode_get_type (void) G_GNUC_CONST;

#define SK_TYPE_STOCK_POPOVER (sk_stock_popover_get_type ())
G_DECLARE_FINAL_TYPE (SkStockPopover, sk_stock_popover, SK, STOCK_POPOVER, GtkPopover)

/* Property "mode" (construct). Signal "apply" (no arguments): the form is
 * complete; read it with the getters below. */
GtkWidget          *sk_stock_popover_new             (SkStockPopoverMode mode);
SkStockPopoverMode  sk_stock_popover_get_mode        (SkStockPopover *self);
/* The locations to choose from (SkLocation), and which to preselect (0:
 * keep the choice, else the first). For a transfer, @preferred is "from"
 * and "to" becomes the next one. */
void                sk_stock_popover_set_locations   (SkStockPopover *self,
                                                      GPtrArray      *locations,
                                                      gint64          preferred);
/* The line under the title: what is being changed. */
void                sk_stock_popover_set_summary     (SkStockPopover *self,
                                                      const char     *summary);
/* Empty the form (quantity back to its start, no reason typed). */
void                sk_stock_popover_reset           (SkStockPopover *self);

gint64              sk_stock_popover_get_location    (SkStockPopover *self);
gint64              sk_stock_popover_get_to_location (SkStockPopover *self);
/* Receive and transfer: > 0; adjust: the signed change. */
gint64              sk_stock_popover_get_quantity    (SkStockPopover *self);
void                sk_stock_popover_set_quantity    (SkStockPopover *self,
                                                      gint64          quantity);
/* The reason chosen or typed (adjust, reason) or the note (receive,
 * transfer; NULL when none). */
const char         *sk_stock_popover_get_reason      (SkStockPopover *self);
/* What clicking a preset reason does: records with @reason when the rest
 * of the form is complete. FALSE when it is not. */
gboolean            sk_stock_popover_choose_reason   (SkStockPopover *self,
                                                      const char     *reason);
/* What the main button does (the typed reason or note). */
gboolean            sk_stock_popover_submit          (SkStockPopover *self);

G_END_DECLS
