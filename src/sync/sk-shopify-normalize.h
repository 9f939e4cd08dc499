/* sk-shopify-normalize.h: Shopify Admin REST order JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-order.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

/* The Admin REST API version the connector speaks. */
#define SK_SHOPIFY_API_VERSION "2024-10"

/* One order object (legacy shape or current one with *_set money, ids above
 * 2^53, refunds, fulfillments, cancellations). Maps financial_status and
 * fulfillment_status onto our taxonomy, keeping the original codes. Returns
 * NULL and SK_CORE_ERROR_INVALID_PAYLOAD/_MONEY/_TIME with a precise reason
 * when the order cannot be trusted. */
SkOrder  *sk_shopify_normalize_order (JsonNode    *order,
                                      gint64       channel_id,
                                      GError     **error);

/* A whole response body ({"orders": [...]}, or {"order": {...}}): fills
 * @page->orders with the good orders and @page->dead_letters with the bad
 * ones (reason + that order's raw JSON). Invalid UTF-8 inside one order
 * dead-letters that order only. Returns FALSE (SK_SYNC_ERROR_BAD_RESPONSE)
 * only when the body as a whole is not JSON or not that shape. Runs on any
 * thread. */
gboolean  sk_shopify_normalize_page  (GBytes       *body,
                                      SkImportPage *page,
                                      GError      **error);

/* Status mapping, exposed for tests. */
SkPaymentStatus     sk_shopify_map_financial_status   (const char *code);
SkFulfillmentStatus sk_shopify_map_fulfillment_status (const char *code);

G_END_DECLS
