/* sk-inventory.h: reservations, availability, channel quantities and pushes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SkInventory follows the store on the main thread. When orders are
 * imported or change (SkStore::changed with order ids), or SKUs are marked
 * for recompute (a movement, a rule, a listing match, an order deleted),
 * it queues one job on the writer thread that, in one transaction:
 *
 * 1. applies the orders' reservations: an open order tracked by Storekeep
 *    (created since the store's tracking-since time) reserves each line's
 *    SKU at the default location, a kit line reserves its components;
 *    cancelling or refunding releases; shipping (the channel's fulfilled
 *    status, or shipments recorded in Storekeep) consumes: a sale movement
 *    and the reservation released; a restock returns what was consumed.
 *    A line whose SKU matches nothing opens an "unmatched-sku" problem;
 *    a line with neither a SKU nor a matched listing (a custom item, a
 *    gift card) is not inventory and is left alone.
 * 2. recomputes the marked SKUs (and the kits made of them): available =
 *    on hand − reserved; a kit's = min over components of
 *    floor(available / quantity per kit).
 * 3. computes what each listing's channel should show
 *    (sk_inventory_channel_quantity) and, when it differs from what the
 *    channel last confirmed, writes or updates the listing's one pending
 *    "stock-level" outbox row with the absolute number (never negative);
 *    when it equals it again, the pending row is withdrawn.
 * 4. opens or resolves problems (dedup keys):
 *      "stock-out:<sku id>"        kind "stock-out": a listed SKU has
 *                                  nothing available (the notifier hooks
 *                                  desktop notifications to this kind);
 *      "low-stock:<sku id>"        kind "low-stock": available at or below
 *                                  the SKU's reorder point;
 *      "negative-stock:<sku id>"   kind "negative-stock": a level below
 *                                  zero at a location (sales of shipped
 *                                  orders are facts and are recorded even
 *                                  then; movements people ask for are
 *                                  refused instead);
 *      "unmatched-sku:<channel id>:<sku>"  kind "unmatched-sku": an order
 *                                  line names a SKU Storekeep does not know;
 *      "unmatched-listings:<channel id>"   (opened by the catalog upsert).
 *
 * Every decision is in the event log with its reason: "reserved" /
 * "released" on the order, "stock-push" (from → to, the rule that decided)
 * and "stock-push-withdrawn" on the listing. So within one sync cycle of an
 * order arriving on any channel, every other channel's pending push
 * carries the lower number.
 *
 * The same job runs for the edits people make (receive, adjust, count,
 * transfer, return), so a count and the pushes it causes are one
 * transaction.
 */
#pragma once

#include <gio/gio.h>

#include "sk-store-inventory.h"

G_BEGIN_DECLS

/* Pure functions */

/* What a channel should show for @available units under @rule:
 *   0 when available ≤ 0 or available < stop_below;
 *   else floor((available − buffer) × percent / 100), at most maximum
 *   (when ≥ 0), never below 0. */
gint64   sk_inventory_channel_quantity (gint64               available,
                                        const SkListingRule *rule);
/* A kit's availability: min over its parts of
 * floor(max(component_available, 0) / quantity); 0 without parts. */
gint64   sk_inventory_kit_available    (const SkStockWorkPart *parts,
                                        guint                  n_parts);
/* "Channel rule: keep 2 back, show 50 %, at most 20, none below 3" or
 * "No rule: everything available". @source as in SkStockWorkListing. */
char    *sk_inventory_describe_rule    (const SkListingRule *rule,
                                        int                  source);
/* "1.25" → 1250 (thousandths), exactly; for weights and sizes typed by
 * people or sent by channels. */
gboolean sk_inventory_parse_measure    (const char          *text,
                                        gint64              *out_thousandths,
                                        GError             **error);
/* 1250 → "1.25", 1000 → "1". */
char    *sk_inventory_format_measure   (gint64               thousandths);

/* What one pass did. */
typedef struct {
  guint orders_applied;        /* tracked orders looked at */
  guint reservations_changed;  /* reservation rows written */
  guint sales_recorded;        /* sale movements of shipped orders */
  guint returns_recorded;      /* restocks */
  guint skus_recomputed;
  guint targets_changed;       /* listings whose channel quantity moved */
  guint pushes_queued;         /* new outbox rows */
  guint pushes_coalesced;      /* pending rows given a new number */
  guint pushes_withdrawn;      /* pending rows superseded */
  guint problems_opened;
  guint problems_resolved;
} SkInventoryReport;

#define SK_TYPE_INVENTORY (sk_inventory_get_type ())
G_DECLARE_FINAL_TYPE (SkInventory, sk_inventory, SK, INVENTORY, GObject)

/* Main thread. Does nothing until started. */
SkInventory *sk_inventory_new          (SkStore      *store);
SkStore     *sk_inventory_get_store    (SkInventory  *self);
/* Follow the store. The first pass also catches up orders imported while
 * nobody followed (by the command line) and SKUs left marked. */
void         sk_inventory_start        (SkInventory  *self);
/* TRUE while a pass is queued or running ("busy" property). */
gboolean     sk_inventory_get_busy     (SkInventory  *self);

/* Signals:
 *   "processed" (const SkInventoryReport *report): a pass committed.
 *   "problem-opened" (const char *kind, const char *dedup_key,
 *       const char *message): a new problem, once per problem (the
 *       notifier sends desktop notifications for kind "stock-out"). */

/* Record @edits (SkStockEdit, see sk_store_record_stock_edits), then
 * recompute and push, in one transaction. @reason is the batch's reason
 * ("Inline edit", "Cycle count 2024-10", "Bulk adjust: damaged"). */
void         sk_inventory_apply_edits_async  (SkInventory        *self,
                                              GPtrArray          *edits,
                                              const char         *reason,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean     sk_inventory_apply_edits_finish (SkInventory        *self,
                                              GAsyncResult       *result,
                                              SkInventoryReport  *out_report,
                                              GError            **error);
gboolean     sk_inventory_apply_edits_sync   (SkInventory        *self,
                                              GPtrArray          *edits,
                                              const char         *reason,
                                              SkInventoryReport  *out_report,
                                              GError            **error);

/* A pass now, waiting for it (tests, the command line, benchmarks):
 * @order_ids (may be NULL) are applied; @catch_up also applies every
 * order not yet taken as far as its last change; @all recomputes every
 * SKU instead of the marked ones. Passes never overlap: the writer thread
 * runs them one after the other. */
gboolean     sk_inventory_run_sync     (SkInventory        *self,
                                        const gint64       *order_ids,
                                        guint               n_orders,
                                        gboolean            catch_up,
                                        gboolean            all,
                                        SkInventoryReport  *out_report,
                                        GError            **error);

G_END_DECLS
