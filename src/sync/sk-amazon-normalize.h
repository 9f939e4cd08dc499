/* sk-amazon-normalize.h: Selling Partner API Orders v0 JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Amazon spreads one order over three calls: getOrders (the order), then
 * getOrderItems (its lines, paged) and getOrderAddress (its shipping
 * address, personal data that may be withheld). The connector gathers the
 * three into an SkAmazonOrderParts; these functions turn that into an
 * SkOrder or a dead letter. Nothing here does I/O; everything runs on any
 * thread.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-order.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

/* Tags put on orders, beside the original codes. */
#define SK_AMAZON_TAG_FBA                "FBA"
#define SK_AMAZON_TAG_PRIME              "Prime"
#define SK_AMAZON_TAG_BUSINESS           "Business"
#define SK_AMAZON_TAG_PREMIUM            "Premium"
#define SK_AMAZON_TAG_REPLACEMENT        "Replacement"
#define SK_AMAZON_TAG_GIFT               "Gift"
#define SK_AMAZON_TAG_CANCEL_REQUESTED   "Cancel requested"
/* Besides these, each order is tagged with its marketplace's name as
 * getOrders' SalesChannel gives it ("Amazon.com", "Amazon.ca"; see
 * sk_amazon_marketplace_tag()). */
/* Amazon refused the address (getOrderAddress answered 403): the order is
 * imported with what getOrders said of the destination, if anything. */
#define SK_AMAZON_TAG_ADDRESS_RESTRICTED "Address restricted"

/* What the connector gathered for one order. */
typedef struct {
  JsonNode *order;               /* an element of payload.Orders */
  JsonNode *items;               /* array: OrderItems of every page, or NULL
                                  * when they were not fetched */
  JsonNode *address;             /* getOrderAddress's payload object, or NULL */
  gboolean  address_restricted;  /* getOrderAddress was refused */
  char     *failure;             /* why the order could not be completed
                                  * (Amazon refused its items): a dead letter */
} SkAmazonOrderParts;

SkAmazonOrderParts *sk_amazon_order_parts_new  (JsonNode           *order);
void                sk_amazon_order_parts_free (SkAmazonOrderParts *parts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkAmazonOrderParts, sk_amazon_order_parts_free)

/* The AmazonOrderId of @order ("902-1845936-5435065"), or NULL when it is
 * missing or not made of letters, digits and dashes (it goes into URLs). */
const char *sk_amazon_order_id             (JsonNode     *order);

/* A getOrders answer: @out_orders gets a new reference to each element of
 * payload.Orders (JsonNode), @out_next_token payload.NextToken or NULL.
 * FALSE (SK_SYNC_ERROR_BAD_RESPONSE) when the body is not JSON of that
 * shape. */
gboolean    sk_amazon_parse_orders_page    (GBytes       *body,
                                            GPtrArray   **out_orders,
                                            char        **out_next_token,
                                            GError      **error);
/* A getOrderItems answer: appends payload.OrderItems to @items (a JSON
 * array node), sets @out_next_token to payload.NextToken or NULL. */
gboolean    sk_amazon_parse_items_page     (GBytes       *body,
                                            JsonNode     *items,
                                            char        **out_next_token,
                                            GError      **error);
/* A getOrderAddress answer: its payload object. */
JsonNode   *sk_amazon_parse_address        (GBytes       *body,
                                            GError      **error);

/* One order. Maps OrderStatus and FulfillmentChannel onto our taxonomy,
 * keeping OrderStatus as the original code. Returns NULL and
 * SK_CORE_ERROR_INVALID_PAYLOAD/_MONEY/_CURRENCY/_TIME with a reason
 * naming the field when the order cannot be trusted. */
SkOrder    *sk_amazon_normalize_order      (const SkAmazonOrderParts *parts,
                                            gint64                    channel_id,
                                            GError                  **error);

/* Every order of a page: good ones to @page->orders, bad ones to
 * @page->dead_letters with their reason and raw JSON
 * ({"Order": …, "OrderItems": […], "OrderAddress": …}). */
void        sk_amazon_normalize_page       (GPtrArray    *parts,
                                            SkImportPage *page);

/* Status mapping, exposed for tests. Unknown codes map to UNKNOWN. */
SkOrderStatus       sk_amazon_map_order_status       (const char *code);
SkPaymentStatus     sk_amazon_map_payment_status     (const char *code);
SkFulfillmentStatus sk_amazon_map_fulfillment_status (const char *code,
                                                      gboolean    by_amazon);

/* Line money: Amazon's ItemPrice is for the whole line. The unit price is
 * @line_total / @quantity rounded half to even (the line total itself stays
 * exact in the order's subtotal and total); @line_total when @quantity is
 * 0. */
gint64      sk_amazon_unit_price           (gint64        line_total,
                                            gint64        quantity);

/* Marketplace facts: the currency, and the region ("na", "eu", "fe") of
 * its endpoint; NULL for an id we do not know. */
const char *sk_amazon_marketplace_currency (const char   *marketplace_id);
const char *sk_amazon_marketplace_region   (const char   *marketplace_id);
/* The tag an order placed in @marketplace_id gets ("Amazon.ca" for
 * A2EUQ1WTGCTBG2), NULL for an id we do not know; and back: the id of the
 * first marketplace tag among @tags (NULL-terminated, may be NULL), or
 * NULL when there is none. */
const char *sk_amazon_marketplace_tag      (const char   *marketplace_id);
const char *sk_amazon_marketplace_from_tags (const char * const *tags);

G_END_DECLS
