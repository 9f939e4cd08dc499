/* sk-woo-normalize.h: WooCommerce REST API v3 order JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-order.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

/* Where the REST API v3 lives under a site's address. */
#define SK_WOO_API_PREFIX "/wp-json/wc/v3"

/* One order object of GET /wp-json/wc/v3/orders.
 *
 * - id → external id; number → "#727" (a number of digits gets a "#", a
 *   plugin's own numbering like "WC-1234" is kept as it is).
 * - Dates: the *_gmt twins (UTC, written without an offset) are read; the
 *   site-local date_created, date_modified… only when the twin is missing
 *   and the local text carries an offset itself. A local date without one
 *   cannot be placed in time, and the order is refused rather than guessed.
 *   No date_modified at all: the creation date stands in for it.
 * - Totals are decimal strings read exactly ("29.35"); more decimals than
 *   the currency has are refused unless they are zeros.
 * - Lines: the unit price is subtotal ÷ quantity (before discounts), exact
 *   when it divides and otherwise rounded half to even, and the line's
 *   discount is unit price × quantity − total, so quantity × unit price −
 *   discount is always WooCommerce's own line total. The line "price" is a
 *   JSON number, total ÷ quantity after discounts and often unrounded
 *   (16.5289256198): it is read as decimal text, rounded half to even to
 *   minor units (sk_money_parse_double with round = TRUE), and used only for
 *   a line that has no subtotal.
 * - Quantities: 2, 2.0, "2" and "2.00" are 2. A fractional quantity (1.5
 *   or "1.5", from measurement plugins) is NOT rounded: Storekeep counts
 *   stock in whole items, so such an order becomes a dead letter with the
 *   reason, where it stays visible, instead of importing a wrong count.
 * - Statuses: see sk_woo_map_status(); a paid order (date_paid set) with
 *   refunds is partially refunded or refunded by the sum of its refunds.
 * - refunds [{id, reason, total: "-10.00"}] → refunds with positive amounts
 *   and total_refunded; fee_lines count in the subtotal (line totals +
 *   fees), so subtotal + shipping_total + total_tax = total.
 * - billing and shipping may lack keys or be all empty (a virtual order):
 *   an address with nothing in it is no address. Billing's email and phone
 *   are the customer's. customer_note is the order note; meta_data is not
 *   read. Names of lines have their HTML entities decoded ("&ndash;").
 *
 * Returns NULL and SK_CORE_ERROR_INVALID_PAYLOAD/_MONEY/_TIME/_CURRENCY
 * with a reason naming the field when the order cannot be trusted. */
SkOrder  *sk_woo_normalize_order (JsonNode     *order,
                                  gint64        channel_id,
                                  GError      **error);

/* A whole response body, a JSON array of orders: fills @page->orders with
 * the good orders and @page->dead_letters with the bad ones (reason + that
 * order's raw JSON). Returns FALSE (SK_SYNC_ERROR_BAD_RESPONSE) only when
 * the body as a whole is not a JSON array or is cut short. Runs on any
 * thread. */
gboolean  sk_woo_normalize_page  (GBytes       *body,
                                  SkImportPage *page,
                                  GError      **error);

/* The number of elements of a response body that is a JSON array, found
 * without parsing them; -1 when the body is not an array or ends early. */
gint      sk_woo_count_page      (GBytes       *body);

/* WooCommerce's order status (with or without the "wc-" prefix) on our
 * three taxonomies:
 *
 *   pending     pending    payment pending   unfulfilled
 *   on-hold     pending    payment pending   unfulfilled
 *   processing  open       paid              unfulfilled
 *   completed   completed  paid              fulfilled
 *   cancelled   cancelled  voided            unfulfilled
 *   refunded    completed  refunded          unknown
 *   failed      pending    failed            unfulfilled
 *   trash       cancelled  unknown           unknown
 *
 * Anything else (a plugin's own status) is unknown on all three; the
 * normalizer keeps the code beside the mapped values either way. */
void      sk_woo_map_status      (const char          *code,
                                  SkOrderStatus       *out_order,
                                  SkPaymentStatus     *out_payment,
                                  SkFulfillmentStatus *out_fulfillment);

/* "Ship Your Idea &ndash; Black" → "Ship Your Idea – Black": numeric
 * entities and the named ones WordPress writes into titles. Unknown or
 * broken entities stay as they are. */
char     *sk_woo_decode_entities (const char          *text);

G_END_DECLS
