/* sk-inventory-logic.h: what the inventory editor shows, decided without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain functions the inventory view, the SKU pane and the unmatched queue
 * call to turn stock numbers, ledger rows and listings into words and
 * colors, to read what people type into a count cell, and to plan the
 * inverse of an edit for its undo toast. Tests drive them without a
 * display (tests/test-inventory-logic.c).
 */
#pragma once

#include <glib.h>

#include "sk-inbox-logic.h"
#include "sk-store-inventory.h"

G_BEGIN_DECLS

/* How a SKU stands. */
typedef enum {
  SK_STOCK_STATE_OK,
  SK_STOCK_STATE_LOW,        /* available at or below the reorder point */
  SK_STOCK_STATE_OUT,        /* nothing available */
  SK_STOCK_STATE_NEGATIVE,   /* more reserved or sold than on hand */
} SkStockState;

SkStockState sk_inventory_stock_state      (gint64        available,
                                            gint64        reorder_point);
/* A pill for the state; SK_STOCK_STATE_OK has an empty label. */
SkPill       sk_inventory_stock_pill       (SkStockState  state);

/* Counts are plain numbers ("12"); negatives get a real minus sign
 * ("−3"). */
char        *sk_inventory_format_count     (gint64        count);
/* A signed change: "+3", "−2", "0". */
char        *sk_inventory_format_change    (gint64        change);

/* What a person typed into a count cell: "12" sets the level, "+3" and
 * "-2" (or "−2") change it relative to @current. Whitespace around is
 * fine. A result below zero, text that is not a whole number, or a number
 * too large is an SK_CORE_ERROR_INVALID_PAYLOAD with a sentence. */
gboolean     sk_inventory_parse_count      (const char   *text,
                                            gint64        current,
                                            gint64       *out_level,
                                            GError      **error);

/* The reasons offered for an adjustment, translated, NULL-terminated:
 * "Correction", "Found", "Damaged", "Lost or stolen". */
const char * const *sk_inventory_adjust_reasons (void);

/* Ledger rows in the SKU pane. @other_location_name names the other end
 * of a transfer (may be NULL). "Received", "Adjusted", "Counted 12",
 * "Moved to Shop backroom", "Moved from Main warehouse", "Sold · #1001",
 * "Returned (damaged)". */
char        *sk_inventory_movement_title   (const SkMovement *movement,
                                            const char       *other_location_name);
/* "Main warehouse · You · Today 14:05 · Damaged" */
char        *sk_inventory_movement_subtitle (const SkMovement *movement,
                                            gint64            now_unix,
                                            GTimeZone        *tz);
/* "You", "Inventory engine", "Shopify sync"… */
char        *sk_inventory_actor_label      (const char   *actor);

/* The inverse of @edits (SkStockEdit, as recorded) for an undo: a receive
 * becomes a negative adjustment, an adjustment its opposite, a transfer
 * the transfer back, a count an adjustment by the difference it made
 * (@count_changes[i]: the change edit i made, only read for counts; may
 * be NULL when there are none). Edits that changed nothing are left out.
 * Returns SkStockEdit in reverse order, or NULL when an edit cannot be
 * undone by a movement (a return). */
GPtrArray   *sk_inventory_plan_undo        (GPtrArray    *edits,
                                            const gint64 *count_changes);

/* Toasts after an edit. */
/* "TS-42 at Main warehouse: −2 (Damaged)" */
char        *sk_inventory_adjust_toast     (const char   *sku,
                                            const char   *location,
                                            gint64        change,
                                            const char   *reason);
/* "Received 5 × TS-42 at Main warehouse", "Received 5 each of 3 SKUs at
 * Main warehouse". */
char        *sk_inventory_receive_toast    (guint         n_skus,
                                            const char   *sku,
                                            gint64        quantity,
                                            const char   *location);
/* "Moved 3 × TS-42 from Main warehouse to Shop backroom", or "each of N
 * SKUs". */
char        *sk_inventory_transfer_toast   (guint         n_skus,
                                            const char   *sku,
                                            gint64        quantity,
                                            const char   *from,
                                            const char   *to);
/* "Adjusted 4 SKUs by −2 at Main warehouse (Damaged)" */
char        *sk_inventory_bulk_toast       (guint         n_skus,
                                            gint64        change,
                                            const char   *location,
                                            const char   *reason);
/* "Stock counts recorded: 3 changed, 10 confirmed" */
char        *sk_inventory_counts_toast     (guint         n_changed,
                                            guint         n_unchanged);

/* What a channel column shows for a SKU: "—" when not listed there, "?"
 * before anything is known, "8" when the channel shows what it should,
 * "10 → 8" while a push is pending. *@out_tooltip (may be NULL) explains
 * it; *@out_pending says a push is pending. */
char        *sk_inventory_channel_cell     (gboolean      listed,
                                            gint64        target,
                                            gint64        confirmed,
                                            char        **out_tooltip,
                                            gboolean     *out_pending);
/* For a listing in the SKU pane: "Shows 10 · sending 8", "Shows 8",
 * "Not known yet". */
char        *sk_inventory_listing_status   (const SkListing *listing);
/* "Matched by SKU or barcode", "Matched by you", "Not matched",
 * "Ignored". */
const char  *sk_inventory_match_label      (SkMatchState  state);
/* The channel's own ids for a listing: "Product 632910392 · Variant
 * 808950810"; "" when unknown. */
char        *sk_inventory_listing_refs     (const SkListing *listing);
/* Under an unmatched listing: "Demo Outfitters · SKU “TS-42” · Barcode
 * 4006381333931". */
char        *sk_inventory_unmatched_subtitle (const SkListing *listing);
/* The words a "Match to SKU…" search starts with: the listing's SKU text,
 * else its barcode, else its title. */
char        *sk_inventory_match_search_text (const SkListing *listing);

/* The live preview under a rule: "The channel will show 7 of 10
 * available." */
char        *sk_inventory_rule_preview     (gint64        available,
                                            gint64        quantity);

/* The banner over the list: "3 channel listings are not matched to a SKU.
 * Storekeep sends them no stock until you match them."; NULL for 0. */
char        *sk_inventory_unmatched_banner (gint64        n_unmatched);

/* Beside a kit component: "2 per kit · 10 available · enough for 5". */
char        *sk_inventory_component_text   (gint64        per_kit,
                                            gint64        available);

/* "3 SKUs selected" */
char        *sk_inventory_selection_summary (guint        n_selected);

/* Few locations get a column each; more share one "On hand" column. */
#define SK_INVENTORY_MAX_LOCATION_COLUMNS 3
gboolean     sk_inventory_use_location_columns (guint     n_locations);

/* Which page the view shows. */
typedef enum {
  SK_INVENTORY_PAGE_LIST,
  SK_INVENTORY_PAGE_EMPTY,        /* no SKUs at all */
  SK_INVENTORY_PAGE_NO_RESULTS,   /* a search or filter hides everything */
  SK_INVENTORY_PAGE_ERROR,
} SkInventoryPage;

SkInventoryPage sk_inventory_choose_page   (guint         n_items,
                                            gboolean      filtering,
                                            gboolean      has_error);
const char  *sk_inventory_page_name        (SkInventoryPage page);
/* "No SKUs match “shoe”." / "No SKUs match the filter." */
char        *sk_inventory_no_results_text  (const char   *search,
                                            gboolean      filtered);

G_END_DECLS
