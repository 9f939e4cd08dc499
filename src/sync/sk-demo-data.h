/* sk-demo-data.h: the demo shop's order book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SkDemoData keeps one compact record per order (id, times, payment,
 * fulfillment, refund and cancellation state) and writes each order as
 * Shopify Admin REST JSON on demand: line items, customer, addresses,
 * taxes, discounts, shipping, fulfillments and refunds are derived from the
 * seed and the order's position, so the same seed gives the same JSON and
 * 100,000 orders cost a few megabytes (see sk-demo-catalog.c for what is
 * drawn, sk-demo-json.h for the writer). All money is computed in integer
 * minor units and adds up exactly:
 *
 *   total_line_items_price = Σ price × quantity
 *   subtotal_price         = total_line_items_price − total_discounts
 *   total_price            = subtotal_price + shipping + total_tax
 *
 * SkDemoData is not thread-safe: SkDemoShop guards it with a mutex.
 */
#pragma once

#include <glib.h>

#include "sk-demo-json.h"

G_BEGIN_DECLS

/* The order book. */
typedef struct _SkDemoData SkDemoData;

/* Which orders a query returns (Shopify's status parameter). */
typedef enum {
  SK_DEMO_STATUS_OPEN,       /* Shopify's default: not closed, not cancelled */
  SK_DEMO_STATUS_CLOSED,
  SK_DEMO_STATUS_CANCELLED,
  SK_DEMO_STATUS_ANY,
} SkDemoStatus;

/* Bounds are inclusive Unix seconds; 0 means no bound. */
typedef struct {
  SkDemoStatus status;
  gint64       updated_at_min;
  gint64       updated_at_max;
  gint64       created_at_min;
  gint64       created_at_max;
} SkDemoFilter;

/* How sk_demo_data_write_order() spoils an order on purpose. */
typedef enum {
  SK_DEMO_MALFORM_NONE,
  SK_DEMO_MALFORM_BAD_TOTAL,   /* total_price and total_price_set "12,3O" */
  SK_DEMO_MALFORM_NO_ID,       /* the "id" member is missing */
} SkDemoMalform;

/* @n_orders orders created over the 60 days before @now (Unix seconds),
 * each already through the payments, fulfillments, refunds and
 * cancellations its age allows. */
SkDemoData *sk_demo_data_new          (guint64        seed,
                                       guint          n_orders,
                                       gint64         now);
void        sk_demo_data_free         (SkDemoData    *self);
guint       sk_demo_data_get_n_orders (SkDemoData    *self);
/* The latest simulated time (never goes backwards). */
gint64      sk_demo_data_get_now      (SkDemoData    *self);

/* Simulated time moves to MAX (@now, the previous now): @n_new orders are
 * created and @n_updates distinct existing ones take their next step
 * (capture, fulfillment, refund, cancellation, or an edit of notes and
 * tags), all with updated_at = now. Deterministic for a given seed and
 * sequence of calls (and nows). */
void        sk_demo_data_advance      (SkDemoData    *self,
                                       guint          n_new,
                                       guint          n_updates,
                                       gint64         now);

/* Orders are listed by (updated_at, id) ascending; "rows" are stable order
 * indices (0 is the first order ever created). */
guint       sk_demo_data_count        (SkDemoData         *self,
                                       const SkDemoFilter *filter);
/* Up to @limit rows matching @filter strictly after (@forward) or strictly
 * before the cursor (@cursor_updated_at, @cursor_id), in ascending order,
 * into @out_rows. A forward page with @cursor_updated_at = G_MININT64
 * starts at the beginning. @more_before / @more_after (may be NULL) tell
 * whether matching rows exist before the first / after the last row
 * returned. Returns the number of rows. */
guint       sk_demo_data_page         (SkDemoData         *self,
                                       const SkDemoFilter *filter,
                                       gboolean            forward,
                                       gint64              cursor_updated_at,
                                       guint64             cursor_id,
                                       guint               limit,
                                       guint              *out_rows,
                                       gboolean           *more_before,
                                       gboolean           *more_after);
/* The row of the order with Shopify id @id. */
gboolean    sk_demo_data_find         (SkDemoData         *self,
                                       guint64             id,
                                       guint              *out_row);
/* The Shopify id of line @line of the order at @row. */
guint64     sk_demo_data_line_id      (SkDemoData         *self,
                                       guint               row,
                                       guint               line);
/* What the shop's API users do (sk-demo-data-push.c) */

/* The order at row r has one fulfillment order, SK_DEMO_FO_ID_BASE + r;
 * its line i is SK_DEMO_FO_LINE_ID_BASE + 8 r + i. */
#define SK_DEMO_FO_ID_BASE      G_GUINT64_CONSTANT (5510000000000)
#define SK_DEMO_FO_LINE_ID_BASE G_GUINT64_CONSTANT (16100000000000)

guint       sk_demo_data_n_lines      (SkDemoData         *self,
                                       guint               row);
/* What of line @line is left to fulfill (0 when it shipped, was
 * refunded or the order cancelled). */
gint64      sk_demo_data_fulfillable  (SkDemoData         *self,
                                       guint               row,
                                       guint               line);
/* Records a fulfillment of @quantities (by line, n_lines of them) with
 * its tracking at @now: the order's updated_at moves to @now. Returns
 * the fulfillment's id. */
guint64     sk_demo_data_add_fulfillment (SkDemoData      *self,
                                       guint               row,
                                       const gint64       *quantities,
                                       const char         *company,
                                       const char         *number,
                                       const char         *url,
                                       gint64              now);
/* {"fulfillment_orders":[…]}: one per order, its lines still to ship. */
void        sk_demo_data_write_fulfillment_orders (SkDemoData *self,
                                       guint               row,
                                       GString            *out);
/* {"fulfillments":[…]}: the order's, its history's and those posted. */
void        sk_demo_data_write_order_fulfillments (SkDemoData *self,
                                       guint               row,
                                       GString            *out);
/* {"fulfillment":{…}} for the posted fulfillment @id. */
void        sk_demo_data_write_fulfillment (SkDemoData    *self,
                                       guint               row,
                                       guint64             id,
                                       GString            *out);
/* WooCommerce: the order becomes completed, modified at @now. */
void        sk_demo_data_woo_complete (SkDemoData         *self,
                                       guint               row,
                                       gint64              now);
/* An order note; returns its id. */
guint64     sk_demo_data_woo_add_note (SkDemoData         *self,
                                       guint               row,
                                       const char         *text,
                                       gboolean            customer_note,
                                       gint64              now);
/* [...] of the order's notes, newest first, or the note @id alone
 * (FALSE when there is no such note). */
gboolean    sk_demo_data_woo_write_notes (SkDemoData      *self,
                                       guint               row,
                                       guint64             id,
                                       GString            *out);

/* The sort key of @row. */
void        sk_demo_data_get_key      (SkDemoData    *self,
                                       guint          row,
                                       gint64        *updated_at,
                                       guint64       *id);
/* Order @row as one JSON object. */
void        sk_demo_data_write_order  (SkDemoData    *self,
                                       guint          row,
                                       SkDemoJson    *w,
                                       SkDemoMalform  malform);
/* {"orders":[…]} for @rows; the order at @malformed_index (or none when it
 * is out of range) is spoiled with @malform. */
void        sk_demo_data_write_orders (SkDemoData    *self,
                                       const guint   *rows,
                                       guint          n_rows,
                                       guint          malformed_index,
                                       SkDemoMalform  malform,
                                       GString       *out);

/* The WooCommerce dialect (sk-demo-data-woo.c)
 *
 * The same records written as WooCommerce REST API v3 orders: small ids
 * in creation order (1200 + 4 × row; refunds take the ids just after their
 * order's), totals as decimal strings, line prices as JSON numbers (total
 * ÷ quantity, unrounded when it does not divide), dates twice without an
 * offset: in the site's zone (SK_DEMO_WOO_SITE_OFFSET_MINUTES east of UTC)
 * and as *_gmt. Some orders have no billing e-mail, pickup orders an empty
 * shipping address. The status comes from the record:
 *
 *   paid, not all shipped            processing
 *   paid, all shipped                completed
 *   bank transfer not yet paid       on-hold
 *   card authorized, not captured    pending
 *   refunded in full                 refunded
 *   cancelled, payment declined      failed
 *   cancelled otherwise              cancelled
 */

#define SK_DEMO_WOO_SITE_OFFSET_MINUTES 60

typedef enum {
  SK_DEMO_WOO_PENDING,
  SK_DEMO_WOO_PROCESSING,
  SK_DEMO_WOO_ON_HOLD,
  SK_DEMO_WOO_COMPLETED,
  SK_DEMO_WOO_CANCELLED,
  SK_DEMO_WOO_REFUNDED,
  SK_DEMO_WOO_FAILED,
  SK_DEMO_WOO_TRASH,
  SK_DEMO_WOO_N_STATUSES,
} SkDemoWooStatus;

typedef enum {
  SK_DEMO_WOO_BY_DATE,       /* created; the same order as the ids */
  SK_DEMO_WOO_BY_ID,
  SK_DEMO_WOO_BY_MODIFIED,
} SkDemoWooOrderBy;

/* Bounds are exclusive Unix seconds, as WooCommerce's after/before; 0 is
 * no bound. @statuses has bit (1 << status) for each status asked; 0 is
 * "any", which in WooCommerce is every status but trash. */
typedef struct {
  guint  statuses;
  gint64 modified_after;
  gint64 modified_before;
  gint64 created_after;
  gint64 created_before;
} SkDemoWooFilter;

/* "on-hold"; NULL for SK_DEMO_WOO_N_STATUSES. */
const char     *sk_demo_woo_status_code     (SkDemoWooStatus status);
/* The status for "on-hold", or SK_DEMO_WOO_N_STATUSES. */
SkDemoWooStatus sk_demo_woo_status_from_code (const char     *code);
SkDemoWooStatus sk_demo_data_woo_status     (SkDemoData         *self,
                                             guint               row);
guint64         sk_demo_data_woo_id         (SkDemoData         *self,
                                             guint               row);
gboolean        sk_demo_data_woo_find       (SkDemoData         *self,
                                             guint64             id,
                                             guint              *out_row);
/* The rows matching @filter sorted by @orderby, from the @offset-th up to
 * @limit of them, into @out_rows; *@out_total counts every match. Returns
 * the number of rows written. */
guint           sk_demo_data_woo_list       (SkDemoData         *self,
                                             const SkDemoWooFilter *filter,
                                             SkDemoWooOrderBy    orderby,
                                             gboolean            ascending,
                                             guint               offset,
                                             guint               limit,
                                             guint              *out_rows,
                                             guint              *out_total);
/* Order @row as one JSON object; @site_url ("http://127.0.0.1:PORT") goes
 * into its _links. SK_DEMO_MALFORM_BAD_TOTAL spoils "total",
 * SK_DEMO_MALFORM_NO_ID leaves "id" out. */
void            sk_demo_data_write_woo_order  (SkDemoData    *self,
                                               guint          row,
                                               const char    *site_url,
                                               SkDemoJson    *w,
                                               SkDemoMalform  malform);
/* [...] for @rows, the one at @malformed_index spoiled with @malform. */
void            sk_demo_data_write_woo_orders (SkDemoData    *self,
                                               const guint   *rows,
                                               guint          n_rows,
                                               guint          malformed_index,
                                               SkDemoMalform  malform,
                                               const char    *site_url,
                                               GString       *out);

/* The Amazon dialect (sk-demo-data-amazon.c)
 *
 * The same records written as Selling Partner API Orders v0 orders of a
 * seller on amazon.com and amazon.ca (one North America account): ids
 * like "113-4827391-0573215", PascalCase fields, money as
 * {"CurrencyCode", "Amount"} with the amount a decimal text, the item
 * prices for the whole line (ItemPrice = unit price × quantity), taxes
 * added on top (US sales tax, Canadian GST/HST/PST), shipping on the first
 * item, and dates in UTC ("…Z"). Amazon sells in its own currency, so the
 * prices are the catalogue's in USD (or CAD on amazon.ca), and the buyer
 * lives in the marketplace's country: the order's customer, or the next
 * one who does. The SKUs are the catalogue's. About a third of the orders
 * are fulfilled by Amazon (AFN), the rest by the seller (MFN). The status
 * comes from the record and the shipments confirmed through the API:
 *
 *   cancelled                                  Canceled
 *   not yet paid (bank transfer, authorized)   Pending
 *   nothing shipped                            Unshipped
 *   some items shipped                         PartiallyShipped
 *   every item shipped                         Shipped
 *
 * Refunds do not change an Amazon order's status.
 */

#define SK_DEMO_AMAZON_MARKETPLACE_US "ATVPDKIKX0DER"
#define SK_DEMO_AMAZON_MARKETPLACE_CA "A2EUQ1WTGCTBG2"

typedef enum {
  SK_DEMO_AMAZON_PENDING,
  SK_DEMO_AMAZON_UNSHIPPED,
  SK_DEMO_AMAZON_PARTIALLY_SHIPPED,
  SK_DEMO_AMAZON_SHIPPED,
  SK_DEMO_AMAZON_CANCELED,
  SK_DEMO_AMAZON_N_STATUSES,
} SkDemoAmazonStatus;

/* Bits of SkDemoAmazonFilter.marketplaces and .channels */
enum {
  SK_DEMO_AMAZON_IN_US  = 1 << 0,
  SK_DEMO_AMAZON_IN_CA  = 1 << 1,
  SK_DEMO_AMAZON_BY_MFN = 1 << 0,
  SK_DEMO_AMAZON_BY_AFN = 1 << 1,
};

/* Orders by (LastUpdateDate, row), or with @by_created by (PurchaseDate,
 * row); bounds inclusive Unix seconds, 0 for none. @statuses has bit
 * (1 << status) per status asked, 0 for all; @channels 0 for both;
 * @marketplaces must name at least one. */
typedef struct {
  guint    marketplaces;
  guint    statuses;
  guint    channels;
  gboolean by_created;
  gint64   after;
  gint64   before;
} SkDemoAmazonFilter;

/* "PartiallyShipped"; NULL for SK_DEMO_AMAZON_N_STATUSES. */
const char        *sk_demo_amazon_status_code      (SkDemoAmazonStatus status);
/* The status for "Shipped", or SK_DEMO_AMAZON_N_STATUSES. */
SkDemoAmazonStatus sk_demo_amazon_status_from_code (const char        *code);
SkDemoAmazonStatus sk_demo_data_amazon_status      (SkDemoData        *self,
                                                    guint              row);
/* Whether Amazon ships the order (AFN). */
gboolean           sk_demo_data_amazon_is_afn      (SkDemoData        *self,
                                                    guint              row);
/* SK_DEMO_AMAZON_MARKETPLACE_US or _CA. */
const char        *sk_demo_data_amazon_marketplace (SkDemoData        *self,
                                                    guint              row);
/* The AmazonOrderId, "113-4827391-0573215". */
void               sk_demo_data_amazon_id          (SkDemoData        *self,
                                                    guint              row,
                                                    char               out[20]);
gboolean           sk_demo_data_amazon_find        (SkDemoData        *self,
                                                    const char        *id,
                                                    guint             *out_row);
/* Up to @limit rows matching @filter strictly after the position
 * (@cursor_key, @cursor_row) in the filter's order (@cursor_key
 * G_MININT64: from the start) into @out_rows; *@more (may be NULL) tells
 * whether more rows match after the last one. */
guint              sk_demo_data_amazon_list        (SkDemoData               *self,
                                                    const SkDemoAmazonFilter *filter,
                                                    gint64                    cursor_key,
                                                    guint                     cursor_row,
                                                    guint                     limit,
                                                    guint                    *out_rows,
                                                    gboolean                 *more);
/* The sort key of @row under @by_created. */
gint64             sk_demo_data_amazon_key         (SkDemoData        *self,
                                                    guint              row,
                                                    gboolean           by_created);
/* Order @row as an element of getOrders' Orders; SK_DEMO_MALFORM_BAD_TOTAL
 * spoils OrderTotal.Amount, SK_DEMO_MALFORM_NO_ID leaves AmazonOrderId
 * out. */
void               sk_demo_data_write_amazon_order (SkDemoData        *self,
                                                    guint              row,
                                                    SkDemoJson        *w,
                                                    SkDemoMalform      malform);
/* getOrderItems' and getOrderAddress' answers: {"payload":{…}}. */
void               sk_demo_data_write_amazon_items (SkDemoData        *self,
                                                    guint              row,
                                                    GString           *out);
void               sk_demo_data_write_amazon_address (SkDemoData      *self,
                                                    guint              row,
                                                    GString           *out);
/* The OrderItemId of line @line, 14 digits. */
void               sk_demo_data_amazon_item_id     (SkDemoData        *self,
                                                    guint              row,
                                                    guint              line,
                                                    char               out[16]);
/* QuantityShipped of line @line: by the order's history and the
 * packages confirmed. */
gint64             sk_demo_data_amazon_shipped     (SkDemoData        *self,
                                                    guint              row,
                                                    guint              line);
/* confirmShipment: package @reference with @quantities by line (n_lines
 * of them, 0 for the lines not in it). The same @reference again replaces
 * that package. FALSE with Amazon's words in @out_message when the order
 * or the package cannot be confirmed; otherwise the order's
 * LastUpdateDate moves to @now. */
gboolean           sk_demo_data_amazon_confirm     (SkDemoData        *self,
                                                    guint              row,
                                                    const char        *reference,
                                                    const char        *carrier,
                                                    const char        *tracking,
                                                    const gint64      *quantities,
                                                    gint64             now,
                                                    const char       **out_message);
/* The packages confirmed for the order. */
guint              sk_demo_data_amazon_n_packages  (SkDemoData        *self,
                                                    guint              row);

G_END_DECLS
