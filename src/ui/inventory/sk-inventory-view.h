/* sk-inventory-view.h: the inventory editor: one stock count for every channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column view over SkSkuList (filtered and sorted in SQL): the SKU, its
 * product, on hand per location (editable: a typed count becomes an
 * adjustment with a reason), reserved, available, what each channel shows,
 * and its stock state. Search, a filter (low stock, out of stock, not
 * listed, kits) and a location. The SKU pane beside it; the unmatched
 * listings queue behind a banner; actions on the selected SKUs (adjust,
 * receive, transfer) and stock count CSV import and export. Every change
 * goes through SkInventory and is recorded in the ledger; its toast offers
 * Undo, which records the inverse movement (nothing is ever deleted).
 *
 * Actions: inventory.search, inventory.edit-count, inventory.adjust,
 * inventory.receive, inventory.transfer, inventory.undo-last,
 * inventory.unselect, inventory.clear-filters, inventory.show-unmatched,
 * inventory.show-list, inventory.import-counts, inventory.export-counts.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-count-cell.h"
#include "sk-inventory.h"
#include "sk-sku-list.h"
#include "sk-sku-pane.h"
#include "sk-stock-popover.h"
#include "sk-unmatched-queue.h"

G_BEGIN_DECLS

#define SK_TYPE_INVENTORY_VIEW (sk_inventory_view_get_type ())
G_DECLARE_FINAL_TYPE (SkInventoryView, sk_inventory_view, SK, INVENTORY_VIEW, GtkWidget)

GtkWidget         *sk_inventory_view_new                (SkContext        *context);
SkContext         *sk_inventory_view_get_context        (SkInventoryView  *self);
/* The engine that records edits (and recomputes what channels show in the
 * same transaction). By default the context's (sk_context_get_inventory);
 * without one there the view makes its own, which records the same way
 * but is not started. */
void               sk_inventory_view_set_inventory      (SkInventoryView  *self,
                                                         SkInventory      *inventory);
SkInventory       *sk_inventory_view_get_inventory      (SkInventoryView  *self);

/* The SkSkuList shown. */
GListModel        *sk_inventory_view_get_model          (SkInventoryView  *self);
GtkSelectionModel *sk_inventory_view_get_selection      (SkInventoryView  *self);
SkSkuPane         *sk_inventory_view_get_sku_pane       (SkInventoryView  *self);
SkUnmatchedQueue  *sk_inventory_view_get_unmatched_queue (SkInventoryView *self);

void               sk_inventory_view_focus_search       (SkInventoryView  *self);
void               sk_inventory_view_set_search_text    (SkInventoryView  *self,
                                                         const char       *text);
void               sk_inventory_view_set_filter         (SkInventoryView  *self,
                                                         SkSkuFilter       filter);
/* Show the stock of one location (0: all). */
void               sk_inventory_view_set_location_filter (SkInventoryView *self,
                                                         gint64            location_id);
/* Select one SKU (and show it in the pane); FALSE when it is not listed. */
gboolean           sk_inventory_view_select_sku         (SkInventoryView  *self,
                                                         gint64            sku_id);
/* The queue of unmatched listings instead of the list, and back. */
void               sk_inventory_view_show_unmatched     (SkInventoryView  *self,
                                                         gboolean          show);

/* "list", "empty", "no-results", "error" or "unmatched". */
const char        *sk_inventory_view_get_visible_page   (SkInventoryView  *self);
/* Channel listings waiting in the queue. */
gint64             sk_inventory_view_get_n_unmatched    (SkInventoryView  *self);

/* The editable count of @sku_id at @location_id, while its row is shown
 * (an SkCountCell), or NULL. */
GtkWidget         *sk_inventory_view_get_count_cell     (SkInventoryView  *self,
                                                         gint64            sku_id,
                                                         gint64            location_id);
/* The popover asking why a typed count changed. */
SkStockPopover    *sk_inventory_view_get_reason_popover (SkInventoryView  *self);
/* The forms of the selection bar. */
SkStockPopover    *sk_inventory_view_get_stock_popover  (SkInventoryView  *self,
                                                         SkStockPopoverMode mode);
/* The last toast the view showed, for tests; NULL before any. */
AdwToast          *sk_inventory_view_get_last_toast     (SkInventoryView  *self);
/* TRUE while an edit is being recorded. */
gboolean           sk_inventory_view_get_busy           (SkInventoryView  *self);

G_END_DECLS
