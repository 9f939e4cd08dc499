/* sk-sku-pane.h: everything about one SKU, beside the stock list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its totals and levels per location, a kit's components, its listings on
 * each channel (matched how, what the channel shows, what is being sent)
 * with the listing rule that decides that number, editable with a live
 * preview from sk_inventory_channel_quantity(), its reorder point (when
 * it counts as low stock), and its ledger history.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-store-inventory.h"

G_BEGIN_DECLS

#define SK_TYPE_SKU_PANE (sk_sku_pane_get_type ())
G_DECLARE_FINAL_TYPE (SkSkuPane, sk_sku_pane, SK, SKU_PANE, AdwBin)

void       sk_sku_pane_set_context      (SkSkuPane *self,
                                         SkContext *context);
/* 0: the empty page. */
void       sk_sku_pane_show_sku         (SkSkuPane *self,
                                         gint64     sku_id);
void       sk_sku_pane_show_summary     (SkSkuPane *self,
                                         guint      n_selected);
gint64     sk_sku_pane_get_sku_id       (SkSkuPane *self);
/* Read the shown SKU again (its numbers changed); rule editors with
 * changes not applied yet are kept. */
void       sk_sku_pane_reload           (SkSkuPane *self);

/* The rule editor of @channel_id (the SKU is listed there). */
/* What the preview says the channel will show; -1 without an editor. */
gint64     sk_sku_pane_get_rule_preview (SkSkuPane           *self,
                                         gint64               channel_id);
/* Put @rule's numbers into the editor, as typing them does. */
gboolean   sk_sku_pane_edit_rule        (SkSkuPane           *self,
                                         gint64               channel_id,
                                         const SkListingRule *rule);
/* What the editor's Apply button does. */
gboolean   sk_sku_pane_apply_rule       (SkSkuPane           *self,
                                         gint64               channel_id);
/* The reorder point row: put @reorder_point in it as typing does (-1
 * turns the alert off), and what its Apply button does. */
void       sk_sku_pane_edit_reorder_point  (SkSkuPane        *self,
                                            gint64            reorder_point);
gboolean   sk_sku_pane_apply_reorder_point (SkSkuPane        *self);
/* Ledger rows listed. */
guint      sk_sku_pane_get_n_movements  (SkSkuPane           *self);

G_END_DECLS
