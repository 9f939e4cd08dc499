/* sk-demo-data-amazon.c: the demo shop's orders in Amazon's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order book (sk-demo-data.c) keeps one record per order and the
 * catalogue derives the rest from the seed; this file lists and writes
 * those orders as the Selling Partner API Orders v0 does (see
 * sk-demo-data.h for the mapping) and records the packages confirmed
 * through confirmShipment. Money stays in integer minor units.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data.h"
#include "sk-demo-data-private.h"
#include "sk-time.h"

#define ID_MODULUS     G_GUINT64_CONSTANT (10000000)
#define ID_MULTIPLIER  G_GUINT64_CONSTANT (7654321)
#define ID_OFFSET      G_GUINT64_CONSTANT (1234567)
#define ITEM_ID_BASE   G_GUINT64_CONSTANT (27100000000000)
#define STREAM_AMAZON  0x41
#define DAY            (G_GINT64_CONSTANT (86400))

static const char *status_codes[] = {
  "Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled",
};
G_STATIC_ASSERT (G_N_ELEMENTS (status_codes) == SK_DEMO_AMAZON_N_STATUSES);

const char *
sk_demo_amazon_status_code (SkDemoAmazonStatus status)
{
  return status < SK_DEMO_AMAZON_N_STATUSES ? status_codes[status] : NULL;
}

SkDemoAmazonStatus
sk_demo_amazon_status_from_code (const char *code)
{
  for (guint i = 0; code != NULL && i < SK_DEMO_AMAZON_N_STATUSES; i++)
    if (g_str_equal (code, status_codes[i]))
      return (SkDemoAmazonStatus) i;
  return SK_DEMO_AMAZON_N_STATUSES;
}

/* What never changes about an Amazon order: who, where, what, how much. */

typedef struct {
  SkDemoContent         c;
  SkDemoCustomer        cust;
  gboolean              ca;         /* amazon.ca, else amazon.com */
  gboolean              afn;
  gboolean              prime;
  const char           *currency;
  gint64                amount[SK_DEMO_MAX_LINES];  /* ItemPrice: the line's */
  gint64                promo[SK_DEMO_MAX_LINES];
  gint64                tax[SK_DEMO_MAX_LINES];
  gint64                ship;
  gint64                ship_tax;
  gint64                total;
  guint64               hash;
} AmazonView;

static gint64
tax_of (gint64 amount,
        guint  ppm)
{
  return (amount * ppm + 500000) / 1000000;
}

/* The catalogue's USD price on amazon.ca: whole dollars, with the same
 * .95 ending as the USD price. */
static gint64
cad_price (gint64 usd_cents)
{
  gint64 v = MAX (1, (usd_cents * 136 / 100 + 50) / 100) * 100;

  return usd_cents % 100 != 0 ? v - 5 : v;
}

static void
derive_view (SkDemoData *self,
             guint       row,
             AmazonView *v)
{
  guint64 seed = _sk_demo_data_seed (self);
  SkDemoRng r = _sk_demo_rng_for (seed, row, STREAM_AMAZON);
  guint ppm;

  memset (v, 0, sizeof *v);
  _sk_demo_derive_content (seed, row, &v->c);
  /* Amazon ships within the marketplace's country: the order's customer,
   * or the next one who lives in the United States or Canada. */
  for (guint i = 0; i < 64; i++)
    {
      _sk_demo_derive_customer (seed, v->c.customer + i, &v->cust);
      if (g_str_equal (v->cust.country->code, "US") || g_str_equal (v->cust.country->code, "CA"))
        break;
    }
  v->ca = g_str_equal (v->cust.country->code, "CA");
  v->currency = v->ca ? "CAD" : "USD";
  v->hash = _sk_demo_rng_next (&r);
  v->afn = _sk_demo_rng_chance (&r, 33);
  v->prime = v->afn ? _sk_demo_rng_chance (&r, 75) : v->c.shipping == 1;

  ppm = v->cust.city->tax_ppm[0] + v->cust.city->tax_ppm[1];
  for (guint i = 0; i < v->c.n_lines; i++)
    {
      const SkDemoLine *line = &v->c.lines[i];
      gint64 unit = _sk_demo_product (line->product)->price_usd;

      if (v->ca)
        unit = cad_price (unit);
      v->amount[i] = unit * line->quantity;
      if (v->c.discount != NULL && v->c.discount->percent > 0)
        v->promo[i] = v->amount[i] * v->c.discount->percent / 100;
      v->tax[i] = tax_of (v->amount[i] - v->promo[i], ppm);
      v->total += v->amount[i] - v->promo[i] + v->tax[i];
    }
  if (v->c.shipping == 2 || v->prime)
    v->ship = 0;
  else if (v->c.shipping == 1)
    v->ship = v->ca ? 1999 : 1499;
  else
    v->ship = v->ca ? 899 : 599;
  if (v->cust.city->tax_shipping)
    v->ship_tax = tax_of (v->ship, ppm);
  v->total += v->ship + v->ship_tax;
}

/* Statuses */

static gint64
history_shipped (const SkDemoOrder *o,
                 guint              line,
                 gint64             quantity)
{
  if (o->cancelled_at != 0)
    return 0;
  if (_sk_demo_order_fully_fulfilled (o))
    return quantity;
  if (o->n_fulfillments == 1 && o->first_fulfillment_partial && line == 0)
    return quantity;
  return 0;
}

static gint64
shipped_of (SkDemoData          *self,
            guint                row,
            const SkDemoContent *c,
            guint                line)
{
  const SkDemoOrder *o = _sk_demo_data_order (self, row);
  SkDemoExtra *extra = _sk_demo_data_extra (self, row, FALSE);
  gint64 quantity = c->lines[line].quantity;
  gint64 shipped = history_shipped (o, line, quantity);

  if (o->cancelled_at != 0)
    return 0;
  if (extra != NULL)
    shipped += extra->shipped[line];
  return MIN (shipped, quantity);
}

static gboolean
is_pending (const SkDemoOrder *o)
{
  return o->cancelled_at == 0 &&
         (o->financial == SK_DEMO_FIN_PENDING || o->financial == SK_DEMO_FIN_AUTHORIZED);
}

static SkDemoAmazonStatus
status_of (SkDemoData          *self,
           guint                row,
           const SkDemoContent *c)
{
  const SkDemoOrder *o = _sk_demo_data_order (self, row);
  gint64 ordered = 0, shipped = 0;

  if (o->cancelled_at != 0)
    return SK_DEMO_AMAZON_CANCELED;
  if (is_pending (o))
    return SK_DEMO_AMAZON_PENDING;
  for (guint i = 0; i < c->n_lines; i++)
    {
      ordered += c->lines[i].quantity;
      shipped += shipped_of (self, row, c, i);
    }
  if (shipped == 0)
    return SK_DEMO_AMAZON_UNSHIPPED;
  return shipped < ordered ? SK_DEMO_AMAZON_PARTIALLY_SHIPPED : SK_DEMO_AMAZON_SHIPPED;
}

SkDemoAmazonStatus
sk_demo_data_amazon_status (SkDemoData *self,
                            guint       row)
{
  SkDemoContent c;

  g_return_val_if_fail (self != NULL, SK_DEMO_AMAZON_N_STATUSES);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), SK_DEMO_AMAZON_N_STATUSES);

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  return status_of (self, row, &c);
}

gboolean
sk_demo_data_amazon_is_afn (SkDemoData *self,
                            guint       row)
{
  SkDemoRng r;

  g_return_val_if_fail (self != NULL, FALSE);

  /* the same draws as derive_view() */
  r = _sk_demo_rng_for (_sk_demo_data_seed (self), row, STREAM_AMAZON);
  (void) _sk_demo_rng_next (&r);
  return _sk_demo_rng_chance (&r, 33);
}

const char *
sk_demo_data_amazon_marketplace (SkDemoData *self,
                                 guint       row)
{
  AmazonView v;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), NULL);

  derive_view (self, row, &v);
  return v.ca ? SK_DEMO_AMAZON_MARKETPLACE_CA : SK_DEMO_AMAZON_MARKETPLACE_US;
}

/* Ids */

static void
format_id (const AmazonView *v,
           guint             row,
           char              out[20])
{
  guint prefix = v->ca ? 701 + (guint) (v->hash % 2) : 111 + (guint) (v->hash % 4);
  guint middle = 1000000 + (guint) ((v->hash >> 8) % 9000000);
  guint last = (guint) (((guint64) row * ID_MULTIPLIER + ID_OFFSET) % ID_MODULUS);

  g_snprintf (out, 20, "%03u-%07u-%07u", prefix, middle, last);
}

void
sk_demo_data_amazon_id (SkDemoData *self,
                        guint       row,
                        char        out[20])
{
  AmazonView v;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));

  derive_view (self, row, &v);
  format_id (&v, row, out);
}

/* The inverse of ID_MULTIPLIER modulo ID_MODULUS (they are coprime). */
static guint64
multiplier_inverse (void)
{
  gint64 t = 0, new_t = 1;
  gint64 r = (gint64) ID_MODULUS, new_r = (gint64) ID_MULTIPLIER;

  while (new_r != 0)
    {
      gint64 q = r / new_r;
      gint64 tmp;

      tmp = t - q * new_t;
      t = new_t;
      new_t = tmp;
      tmp = r - q * new_r;
      r = new_r;
      new_r = tmp;
    }
  return (guint64) (t < 0 ? t + (gint64) ID_MODULUS : t);
}

gboolean
sk_demo_data_amazon_find (SkDemoData *self,
                          const char *id,
                          guint      *out_row)
{
  char expected[20];
  guint64 last, row;

  g_return_val_if_fail (self != NULL, FALSE);

  if (id == NULL || strlen (id) != 19 || id[3] != '-' || id[11] != '-' ||
      !g_ascii_string_to_unsigned (id + 12, 10, 0, ID_MODULUS - 1, &last, NULL))
    return FALSE;
  row = (last + ID_MODULUS - ID_OFFSET) % ID_MODULUS * multiplier_inverse () % ID_MODULUS;
  if (row >= sk_demo_data_get_n_orders (self))
    return FALSE;
  sk_demo_data_amazon_id (self, (guint) row, expected);
  if (!g_str_equal (expected, id))
    return FALSE;
  if (out_row != NULL)
    *out_row = (guint) row;
  return TRUE;
}

void
sk_demo_data_amazon_item_id (SkDemoData *self,
                             guint       row,
                             guint       line,
                             char        out[16])
{
  g_snprintf (out, 16, "%014" G_GUINT64_FORMAT, ITEM_ID_BASE + (guint64) row * 8 + line);
}

/* Listing */

gint64
sk_demo_data_amazon_key (SkDemoData *self,
                         guint       row,
                         gboolean    by_created)
{
  const SkDemoOrder *o = _sk_demo_data_order (self, row);

  return by_created ? o->created_at : o->updated_at;
}

static gboolean
amazon_matches (SkDemoData               *self,
                guint                     row,
                const SkDemoAmazonFilter *f)
{
  const SkDemoOrder *o = _sk_demo_data_order (self, row);
  gint64 key = f->by_created ? o->created_at : o->updated_at;
  AmazonView v;

  if ((f->after != 0 && key < f->after) || (f->before != 0 && key > f->before))
    return FALSE;
  derive_view (self, row, &v);
  if (!(f->marketplaces & (v.ca ? SK_DEMO_AMAZON_IN_CA : SK_DEMO_AMAZON_IN_US)))
    return FALSE;
  if (f->channels != 0 && !(f->channels & (v.afn ? SK_DEMO_AMAZON_BY_AFN : SK_DEMO_AMAZON_BY_MFN)))
    return FALSE;
  if (f->statuses != 0 && !(f->statuses & (1u << status_of (self, row, &v.c))))
    return FALSE;
  return TRUE;
}

guint
sk_demo_data_amazon_list (SkDemoData               *self,
                          const SkDemoAmazonFilter *filter,
                          gint64                    cursor_key,
                          guint                     cursor_row,
                          guint                     limit,
                          guint                    *out_rows,
                          gboolean                 *more)
{
  guint n, count = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (limit == 0 || out_rows != NULL, 0);

  if (more != NULL)
    *more = FALSE;
  /* Rows are in creation order; the book also keeps them by (updated_at,
   * id), and ids grow with rows. A scan is quick for the shops the demo
   * makes. */
  n = sk_demo_data_get_n_orders (self);
  for (guint k = 0; k < n; k++)
    {
      guint row = filter->by_created ? k : _sk_demo_data_sorted_row (self, k);
      gint64 key = sk_demo_data_amazon_key (self, row, filter->by_created);

      if (key < cursor_key || (key == cursor_key && row <= cursor_row))
        continue;
      if (!amazon_matches (self, row, filter))
        continue;
      if (count == limit)
        {
          if (more != NULL)
            *more = TRUE;
          break;
        }
      out_rows[count++] = row;
    }
  return count;
}

/* Writing */

static void
write_time (SkDemoJson *w,
            const char *key,
            gint64      t)
{
  g_autofree char *text = sk_time_format_iso8601 (t);

  sk_demo_json_string (w, key, text);
}

static void
write_money (SkDemoJson *w,
             const char *key,
             const char *currency,
             gint64      minor)
{
  sk_demo_json_begin_object (w, key);
  sk_demo_json_string (w, "CurrencyCode", currency);
  sk_demo_json_decimal (w, "Amount", minor, 2);
  sk_demo_json_end_object (w);
}

static void
append_street (GString              *out,
               const SkDemoCustomer *cu)
{
  /* the United States and Canada both put the number first */
  g_string_append_printf (out, "%u %s", cu->house, cu->country->streets[cu->street]);
}

/* The part of the address getOrders gives (@full FALSE) or all of it. */
static void
write_address (SkDemoJson       *w,
               const AmazonView *v,
               gboolean          full)
{
  const SkDemoCustomer *cu = &v->cust;
  g_autoptr(GString) tmp = g_string_new (NULL);

  sk_demo_json_begin_object (w, "ShippingAddress");
  if (full)
    {
      g_string_printf (tmp, "%s %s", cu->first->display, cu->last->display);
      sk_demo_json_string (w, "Name", tmp->str);
      if (cu->k % 23 == 0)
        sk_demo_json_string (w, "CompanyName", "Trailhead Co-op");
      g_string_truncate (tmp, 0);
      append_street (tmp, cu);
      sk_demo_json_string (w, "AddressLine1", tmp->str);
      if (cu->house % 9 == 0)
        sk_demo_json_string (w, "AddressLine2", "Apt 4");
    }
  sk_demo_json_string (w, "City", cu->city->city);
  sk_demo_json_string (w, "StateOrRegion", cu->city->province_code);
  sk_demo_json_string (w, "PostalCode", cu->zip);
  sk_demo_json_string (w, "CountryCode", cu->country->code);
  if (full)
    {
      sk_demo_json_string (w, "Phone", cu->phone);
      sk_demo_json_string (w, "AddressType", cu->k % 23 == 0 ? "Commercial" : "Residential");
    }
  sk_demo_json_end_object (w);
}

static void
buyer_email (const AmazonView *v,
             char              out[48])
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  SkDemoRng r = { v->hash ^ v->cust.id };
  guint i;

  for (i = 0; i < 15; i++)
    out[i] = alphabet[_sk_demo_rng_below (&r, sizeof alphabet - 1)];
  g_snprintf (out + i, 48 - i, "@marketplace.amazon.%s", v->ca ? "ca" : "com");
}

void
sk_demo_data_write_amazon_order (SkDemoData    *self,
                                 guint          row,
                                 SkDemoJson    *w,
                                 SkDemoMalform  malform)
{
  const SkDemoOrder *o;
  AmazonView v;
  SkDemoAmazonStatus status;
  gint64 shipped = 0, ordered = 0;
  gboolean has_total;
  char id[20];
  char email[48];

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));
  g_return_if_fail (w != NULL);

  o = _sk_demo_data_order (self, row);
  derive_view (self, row, &v);
  format_id (&v, row, id);
  status = status_of (self, row, &v.c);
  for (guint i = 0; i < v.c.n_lines; i++)
    {
      ordered += v.c.lines[i].quantity;
      shipped += shipped_of (self, row, &v.c, i);
    }
  /* Amazon fixes the price when the payment is authorized */
  has_total = status != SK_DEMO_AMAZON_PENDING && status != SK_DEMO_AMAZON_CANCELED;

  sk_demo_json_begin_object (w, NULL);
  if (malform != SK_DEMO_MALFORM_NO_ID)
    sk_demo_json_string (w, "AmazonOrderId", id);
  write_time (w, "PurchaseDate", o->created_at);
  write_time (w, "LastUpdateDate", o->updated_at);
  sk_demo_json_string (w, "OrderStatus", sk_demo_amazon_status_code (status));
  sk_demo_json_string (w, "FulfillmentChannel", v.afn ? "AFN" : "MFN");
  sk_demo_json_string (w, "SalesChannel", v.ca ? "Amazon.ca" : "Amazon.com");
  sk_demo_json_string (w, "ShipServiceLevel",
                       v.c.shipping == 1 ? "Expedited" : v.afn ? "Std US D2D Dom" : "Std Cont US Street Addr");
  if (has_total)
    {
      if (malform == SK_DEMO_MALFORM_BAD_TOTAL)
        {
          sk_demo_json_begin_object (w, "OrderTotal");
          sk_demo_json_string (w, "CurrencyCode", v.currency);
          sk_demo_json_string (w, "Amount", "12,3O");
          sk_demo_json_end_object (w);
        }
      else
        write_money (w, "OrderTotal", v.currency, v.total);
    }
  sk_demo_json_int (w, "NumberOfItemsShipped", status == SK_DEMO_AMAZON_CANCELED ? 0 : shipped);
  sk_demo_json_int (w, "NumberOfItemsUnshipped", status == SK_DEMO_AMAZON_CANCELED ? 0 : ordered - shipped);
  sk_demo_json_string (w, "PaymentMethod", "Other");
  sk_demo_json_raw (w, "PaymentMethodDetails", "[\"Standard\"]");
  sk_demo_json_bool (w, "IsReplacementOrder", FALSE);
  sk_demo_json_string (w, "MarketplaceId",
                       v.ca ? SK_DEMO_AMAZON_MARKETPLACE_CA : SK_DEMO_AMAZON_MARKETPLACE_US);
  sk_demo_json_string (w, "ShipmentServiceLevelCategory",
                       v.c.shipping == 1 ? "Expedited" : v.ship == 0 ? "FreeEconomy" : "Standard");
  sk_demo_json_string (w, "OrderType", "StandardOrder");
  write_time (w, "EarliestShipDate", o->created_at + DAY / 4);
  write_time (w, "LatestShipDate", o->created_at + (v.c.shipping == 1 ? 1 : 3) * DAY);
  write_time (w, "EarliestDeliveryDate", o->created_at + (v.c.shipping == 1 ? 2 : 4) * DAY);
  write_time (w, "LatestDeliveryDate", o->created_at + (v.c.shipping == 1 ? 3 : 8) * DAY);
  sk_demo_json_bool (w, "IsBusinessOrder", v.cust.k % 23 == 0);
  sk_demo_json_bool (w, "IsPrime", v.prime);
  sk_demo_json_bool (w, "IsGlobalExpressEnabled", FALSE);
  sk_demo_json_bool (w, "IsPremiumOrder", v.c.shipping == 1 && !v.afn);
  sk_demo_json_bool (w, "IsSoldByAB", FALSE);
  sk_demo_json_bool (w, "IsIBA", FALSE);
  sk_demo_json_bool (w, "IsISPU", FALSE);
  sk_demo_json_bool (w, "IsAccessPointOrder", FALSE);
  sk_demo_json_bool (w, "HasRegulatedItems", FALSE);
  /* Amazon gives no address and no buyer before the payment */
  if (status != SK_DEMO_AMAZON_PENDING)
    {
      write_address (w, &v, FALSE);
      buyer_email (&v, email);
      sk_demo_json_begin_object (w, "BuyerInfo");
      sk_demo_json_string (w, "BuyerEmail", email);
      sk_demo_json_end_object (w);
    }
  sk_demo_json_begin_object (w, "AutomatedShippingSettings");
  sk_demo_json_bool (w, "HasAutomatedShippingSettings", FALSE);
  sk_demo_json_end_object (w);
  sk_demo_json_string (w, "ElectronicInvoiceStatus", "NotRequired");
  sk_demo_json_end_object (w);
}

/* Only unshipped orders can still be cancelled by their buyer. */
static const char *
cancel_request (guint              row,
                SkDemoAmazonStatus status)
{
  static const char *reasons[] = {
    "Found cheaper somewhere else.", "Ordered by mistake.", "Delivery too slow.",
  };

  if (status != SK_DEMO_AMAZON_UNSHIPPED || row % 29 != 7)
    return NULL;
  return reasons[row % G_N_ELEMENTS (reasons)];
}

void
sk_demo_data_write_amazon_items (SkDemoData *self,
                                 guint       row,
                                 GString    *out)
{
  g_autoptr(GString) tmp = g_string_sized_new (128);
  SkDemoAmazonStatus status;
  const char *cancel_reason;
  AmazonView v;
  SkDemoJson w;
  char id[20];
  char item_id[16];
  char asin[12];

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));

  derive_view (self, row, &v);
  format_id (&v, row, id);
  status = status_of (self, row, &v.c);
  cancel_reason = cancel_request (row, status);

  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "payload");
  sk_demo_json_string (&w, "AmazonOrderId", id);
  sk_demo_json_begin_array (&w, "OrderItems");
  for (guint i = 0; i < v.c.n_lines; i++)
    {
      const SkDemoLine *line = &v.c.lines[i];
      const SkDemoProduct *p = _sk_demo_product (line->product);
      SkDemoRng r = _sk_demo_rng_for (0, (guint64) line->product * 64 + line->variant, STREAM_AMAZON);

      sk_demo_json_begin_object (&w, NULL);
      /* an ASIN is the product's, the same in every order */
      _sk_demo_fill_pattern (asin, sizeof asin, "B0********", &r);
      sk_demo_json_string (&w, "ASIN", asin);
      g_string_truncate (tmp, 0);
      _sk_demo_append_variant (tmp, p, line->variant, FALSE, TRUE);
      sk_demo_json_string (&w, "SellerSKU", tmp->str);
      sk_demo_data_amazon_item_id (self, row, i, item_id);
      sk_demo_json_string (&w, "OrderItemId", item_id);
      g_string_printf (tmp, "%s ", p->vendor);
      _sk_demo_append_variant (tmp, p, line->variant, TRUE, FALSE);
      sk_demo_json_string (&w, "Title", tmp->str);
      sk_demo_json_int (&w, "QuantityOrdered", line->quantity);
      sk_demo_json_int (&w, "QuantityShipped", shipped_of (self, row, &v.c, i));
      sk_demo_json_begin_object (&w, "ProductInfo");
      sk_demo_json_string (&w, "NumberOfItems", "1");
      sk_demo_json_end_object (&w);
      write_money (&w, "ItemPrice", v.currency, v.amount[i]);
      write_money (&w, "ItemTax", v.currency, v.tax[i]);
      if (i == 0)
        {
          write_money (&w, "ShippingPrice", v.currency, v.ship);
          write_money (&w, "ShippingTax", v.currency, v.ship_tax);
          write_money (&w, "ShippingDiscount", v.currency, 0);
          write_money (&w, "ShippingDiscountTax", v.currency, 0);
        }
      write_money (&w, "PromotionDiscount", v.currency, v.promo[i]);
      write_money (&w, "PromotionDiscountTax", v.currency, 0);
      sk_demo_json_begin_array (&w, "PromotionIds");
      if (v.promo[i] > 0)
        sk_demo_json_string (&w, NULL, v.c.discount->code);
      sk_demo_json_end_array (&w);
      /* Amazon writes these two as texts */
      sk_demo_json_string (&w, "IsGift", (v.c.tags & 2) != 0 ? "true" : "false");
      sk_demo_json_string (&w, "ConditionId", "New");
      sk_demo_json_string (&w, "ConditionSubtypeId", "New");
      sk_demo_json_bool (&w, "IsTransparency", FALSE);
      sk_demo_json_bool (&w, "SerialNumberRequired", FALSE);
      sk_demo_json_begin_object (&w, "BuyerRequestedCancel");
      sk_demo_json_string (&w, "IsBuyerRequestedCancel", cancel_reason != NULL ? "true" : "false");
      sk_demo_json_string (&w, "BuyerCancelReason", cancel_reason != NULL ? cancel_reason : "");
      sk_demo_json_end_object (&w);
      sk_demo_json_end_object (&w);
    }
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
}

void
sk_demo_data_write_amazon_address (SkDemoData *self,
                                   guint       row,
                                   GString    *out)
{
  AmazonView v;
  SkDemoJson w;
  char id[20];

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));

  derive_view (self, row, &v);
  format_id (&v, row, id);
  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "payload");
  sk_demo_json_string (&w, "AmazonOrderId", id);
  /* none before the payment */
  if (status_of (self, row, &v.c) != SK_DEMO_AMAZON_PENDING)
    write_address (&w, &v, TRUE);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
}

/* Shipments */

gint64
sk_demo_data_amazon_shipped (SkDemoData *self,
                             guint       row,
                             guint       line)
{
  SkDemoContent c;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  if (line >= c.n_lines)
    return 0;
  return shipped_of (self, row, &c, line);
}

guint
sk_demo_data_amazon_n_packages (SkDemoData *self,
                                guint       row)
{
  SkDemoExtra *extra;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  extra = _sk_demo_data_extra (self, row, FALSE);
  return extra != NULL ? extra->shipments->len : 0;
}

gboolean
sk_demo_data_amazon_confirm (SkDemoData    *self,
                             guint          row,
                             const char    *reference,
                             const char    *carrier,
                             const char    *tracking,
                             const gint64  *quantities,
                             gint64         now,
                             const char   **out_message)
{
  SkDemoExtra *extra;
  SkDemoShipment *same = NULL;
  SkDemoShipment s = { 0 };
  SkDemoContent c;
  SkDemoAmazonStatus status;
  gint64 total = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), FALSE);
  g_return_val_if_fail (reference != NULL && quantities != NULL, FALSE);
  g_return_val_if_fail (out_message != NULL, FALSE);

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  status = status_of (self, row, &c);
  if (sk_demo_data_amazon_is_afn (self, row))
    {
      *out_message = "The order is fulfilled by Amazon; its shipment cannot be confirmed by the seller.";
      return FALSE;
    }
  if (status == SK_DEMO_AMAZON_CANCELED)
    {
      *out_message = "The order is canceled; its shipment cannot be confirmed.";
      return FALSE;
    }
  if (status == SK_DEMO_AMAZON_PENDING)
    {
      *out_message = "The order is pending; a shipment can be confirmed once it is unshipped.";
      return FALSE;
    }

  extra = _sk_demo_data_extra (self, row, TRUE);
  for (guint k = 0; k < extra->shipments->len; k++)
    {
      SkDemoShipment *old = &g_array_index (extra->shipments, SkDemoShipment, k);

      if (g_strcmp0 (old->reference, reference) == 0)
        same = old;
    }
  /* what each line has left, not counting the package replaced */
  for (guint i = 0; i < c.n_lines; i++)
    {
      gint64 left = c.lines[i].quantity - shipped_of (self, row, &c, i) +
                    (same != NULL ? same->quantity[i] : 0);

      if (quantities[i] < 0 || quantities[i] > left)
        {
          *out_message = left == 0 && status == SK_DEMO_AMAZON_SHIPPED
            ? "The order is already shipped."
            : "The quantity of an order item is more than is left to ship.";
          return FALSE;
        }
      total += quantities[i];
    }
  if (total == 0)
    {
      *out_message = "The package has no items.";
      return FALSE;
    }

  if (same != NULL)
    {
      for (guint i = 0; i < c.n_lines; i++)
        {
          extra->shipped[i] += quantities[i] - same->quantity[i];
          same->quantity[i] = quantities[i];
        }
      g_free (same->company);
      g_free (same->number);
      same->company = g_strdup (carrier);
      same->number = g_strdup (tracking);
    }
  else
    {
      s.id = ITEM_ID_BASE / 8 + (guint64) row * 16 + extra->shipments->len;
      s.created_at = MAX (now, sk_demo_data_get_now (self));
      for (guint i = 0; i < c.n_lines; i++)
        {
          s.quantity[i] = quantities[i];
          extra->shipped[i] += quantities[i];
        }
      s.company = g_strdup (carrier);
      s.number = g_strdup (tracking);
      s.reference = g_strdup (reference);
      g_array_append_val (extra->shipments, s);
    }
  _sk_demo_data_touch (self, row, now);
  *out_message = NULL;
  return TRUE;
}
