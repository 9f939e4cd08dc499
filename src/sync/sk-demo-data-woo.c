/* sk-demo-data-woo.c: the demo shop's orders in WooCommerce's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order book (sk-demo-data.c) keeps one record per order and the
 * catalogue derives the rest from the seed; this file lists and writes
 * those orders as the WooCommerce REST API v3 does (see sk-demo-data.h for
 * the mapping). Money stays in integer minor units; the one number
 * WooCommerce writes unrounded, a line's price, is written by long
 * division.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data.h"
#include "sk-demo-data-private.h"

#define WOO_ID_BASE    G_GUINT64_CONSTANT (1200)
#define WOO_ID_STEP    G_GUINT64_CONSTANT (4)
#define ITEM_ID_BASE   G_GUINT64_CONSTANT (5000)
#define PRODUCT_BASE   G_GUINT64_CONSTANT (40)
#define VARIATION_BASE G_GUINT64_CONSTANT (400)
#define TAX_RATE_BASE  11
#define WC_VERSION     "8.9.3"

static const char *status_codes[] = {
  "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash",
};
G_STATIC_ASSERT (G_N_ELEMENTS (status_codes) == SK_DEMO_WOO_N_STATUSES);

const char *
sk_demo_woo_status_code (SkDemoWooStatus status)
{
  return status < SK_DEMO_WOO_N_STATUSES ? status_codes[status] : NULL;
}

SkDemoWooStatus
sk_demo_woo_status_from_code (const char *code)
{
  for (guint i = 0; code != NULL && i < SK_DEMO_WOO_N_STATUSES; i++)
    if (g_str_equal (code, status_codes[i]))
      return (SkDemoWooStatus) i;
  return SK_DEMO_WOO_N_STATUSES;
}

static SkDemoWooStatus
status_of (const SkDemoOrder *o)
{
  if (o->woo_completed)
    return SK_DEMO_WOO_COMPLETED;
  if (o->cancelled_at != 0)
    {
      if (o->cancel_reason == SK_DEMO_CANCEL_DECLINED)
        return SK_DEMO_WOO_FAILED;
      return o->financial == SK_DEMO_FIN_REFUNDED ? SK_DEMO_WOO_REFUNDED : SK_DEMO_WOO_CANCELLED;
    }
  switch (o->financial)
    {
    case SK_DEMO_FIN_PENDING:
      return SK_DEMO_WOO_ON_HOLD;
    case SK_DEMO_FIN_AUTHORIZED:
      return SK_DEMO_WOO_PENDING;
    case SK_DEMO_FIN_REFUNDED:
      return SK_DEMO_WOO_REFUNDED;
    case SK_DEMO_FIN_VOIDED:
      return SK_DEMO_WOO_CANCELLED;
    default:
      return _sk_demo_order_fully_fulfilled (o) ? SK_DEMO_WOO_COMPLETED : SK_DEMO_WOO_PROCESSING;
    }
}

SkDemoWooStatus
sk_demo_data_woo_status (SkDemoData *self,
                         guint       row)
{
  g_return_val_if_fail (self != NULL, SK_DEMO_WOO_N_STATUSES);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), SK_DEMO_WOO_N_STATUSES);

  return status_of (_sk_demo_data_order (self, row));
}

guint64
sk_demo_data_woo_id (SkDemoData *self,
                     guint       row)
{
  return WOO_ID_BASE + (guint64) row * WOO_ID_STEP;
}

gboolean
sk_demo_data_woo_find (SkDemoData *self,
                       guint64     id,
                       guint      *out_row)
{
  guint64 row;

  g_return_val_if_fail (self != NULL, FALSE);

  if (id < WOO_ID_BASE || (id - WOO_ID_BASE) % WOO_ID_STEP != 0)
    return FALSE;
  row = (id - WOO_ID_BASE) / WOO_ID_STEP;
  if (row >= sk_demo_data_get_n_orders (self))
    return FALSE;
  if (out_row != NULL)
    *out_row = (guint) row;
  return TRUE;
}

static gboolean
woo_matches (const SkDemoOrder     *o,
             const SkDemoWooFilter *f)
{
  SkDemoWooStatus status = status_of (o);

  if (f->statuses == 0 ? status == SK_DEMO_WOO_TRASH : !(f->statuses & (1u << status)))
    return FALSE;
  if (f->modified_after != 0 && o->updated_at <= f->modified_after)
    return FALSE;
  if (f->modified_before != 0 && o->updated_at >= f->modified_before)
    return FALSE;
  if (f->created_after != 0 && o->created_at <= f->created_after)
    return FALSE;
  if (f->created_before != 0 && o->created_at >= f->created_before)
    return FALSE;
  return TRUE;
}

guint
sk_demo_data_woo_list (SkDemoData            *self,
                       const SkDemoWooFilter *filter,
                       SkDemoWooOrderBy       orderby,
                       gboolean               ascending,
                       guint                  offset,
                       guint                  limit,
                       guint                 *out_rows,
                       guint                 *out_total)
{
  guint n, total = 0, count = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (limit == 0 || out_rows != NULL, 0);

  /* Rows are in creation order, which is also id order. A scan of every
   * record is a fraction of a millisecond for the shops the demo makes. */
  n = sk_demo_data_get_n_orders (self);
  for (guint k = 0; k < n; k++)
    {
      guint position = ascending ? k : n - 1 - k;
      guint row = orderby == SK_DEMO_WOO_BY_MODIFIED ? _sk_demo_data_sorted_row (self, position)
                                                     : position;

      if (!woo_matches (_sk_demo_data_order (self, row), filter))
        continue;
      if (total >= offset && count < limit)
        out_rows[count++] = row;
      total++;
    }
  if (out_total != NULL)
    *out_total = total;
  return count;
}

/* Writing an order */

typedef struct {
  SkDemoJson            w;
  const SkDemoOrder    *o;
  const SkDemoContent  *c;
  const SkDemoCustomer *cust;
  guint                 row;
  guint64               id;
  const char           *site_url;
  int                   exp;
  GString              *tmp;
} WooWriter;

static gint64
tax_of (gint64 amount,
        guint  ppm)
{
  return (amount * ppm + 500000) / 1000000;
}

/* @amount minor units ÷ @count, as a JSON number: "3", "16.5", or ten
 * decimals when it does not come out (PHP would write more). */
static void
write_quotient (WooWriter  *ww,
                const char *key,
                gint64      amount,
                gint64      count,
                int         exponent)
{
  GString *s = ww->tmp;
  gint64 scale = 1;
  gint64 den, rem;

  for (int i = 0; i < exponent; i++)
    scale *= 10;
  den = MAX (count, 1) * scale;
  g_string_truncate (s, 0);
  g_string_append_printf (s, "%" G_GINT64_FORMAT, amount / den);
  rem = amount % den;
  if (rem != 0)
    {
      g_string_append_c (s, '.');
      for (guint i = 0; i < 10 && rem != 0; i++)
        {
          rem *= 10;
          g_string_append_c (s, (char) ('0' + rem / den));
          rem %= den;
        }
    }
  sk_demo_json_raw (&ww->w, key, s->str);
}

static const char *
currency_symbol (const char *code)
{
  if (g_str_equal (code, "EUR"))
    return "&euro;";
  if (g_str_equal (code, "GBP"))
    return "&pound;";
  if (g_str_equal (code, "JPY"))
    return "&yen;";
  return "&#36;";
}

static void
append_street (GString              *out,
               const SkDemoCustomer *cu,
               gboolean              billing)
{
  const SkDemoCountry *country = cu->country;
  guint street = billing ? cu->billing_street : cu->street;
  guint house = billing ? cu->billing_house : cu->house;

  if (g_str_equal (country->code, "JP"))
    g_string_append_printf (out, "%s%u-%u", country->streets[street], 1 + house % 30, 1 + house % 17);
  else if (country->number_first)
    g_string_append_printf (out, "%u %s", house, country->streets[street]);
  else
    g_string_append_printf (out, "%s %u", country->streets[street], house);
}

/* Orders picked up at the shop have no shipping address. */
static gboolean
is_pickup (const WooWriter *ww)
{
  return ww->c->shipping == 2 && ww->row % 4 == 1;
}

static void
write_address (WooWriter  *ww,
               const char *key,
               gboolean    billing)
{
  const SkDemoCustomer *cu = ww->cust;
  gboolean empty = !billing && is_pickup (ww);
  guint house = billing ? cu->billing_house : cu->house;

  g_string_truncate (ww->tmp, 0);
  if (!empty)
    append_street (ww->tmp, cu, billing);

  sk_demo_json_begin_object (&ww->w, key);
  sk_demo_json_string (&ww->w, "first_name", empty ? "" : cu->first->display);
  sk_demo_json_string (&ww->w, "last_name", empty ? "" : cu->last->display);
  sk_demo_json_string (&ww->w, "company", !empty && cu->k % 23 == 0 ? "Trailhead Co-op" : "");
  sk_demo_json_string (&ww->w, "address_1", ww->tmp->str);
  sk_demo_json_string (&ww->w, "address_2", !empty && house % 9 == 0 ? "Apt 4" : "");
  sk_demo_json_string (&ww->w, "city", empty ? "" : cu->city->city);
  sk_demo_json_string (&ww->w, "state", empty || cu->city->province_code == NULL ? ""
                                                                                : cu->city->province_code);
  sk_demo_json_string (&ww->w, "postcode", empty ? "" : cu->zip);
  sk_demo_json_string (&ww->w, "country", empty ? "" : cu->country->code);
  /* Orders entered by hand in the admin may have no e-mail address. */
  if (billing && cu->k % 29 != 5)
    sk_demo_json_string (&ww->w, "email", cu->email);
  sk_demo_json_string (&ww->w, "phone", empty || !billing ? "" : cu->phone);
  sk_demo_json_end_object (&ww->w);
}

static void
write_taxes (WooWriter    *ww,
             const gint64  totals[2],
             const gint64  subtotals[2])
{
  sk_demo_json_begin_array (&ww->w, "taxes");
  for (guint j = 0; j < 2; j++)
    {
      if (ww->c->city->tax_ppm[j] == 0)
        continue;
      sk_demo_json_begin_object (&ww->w, NULL);
      sk_demo_json_uint (&ww->w, "id", TAX_RATE_BASE + j);
      sk_demo_json_decimal (&ww->w, "total", totals[j], ww->exp);
      if (subtotals != NULL)
        sk_demo_json_decimal (&ww->w, "subtotal", subtotals[j], ww->exp);
      else
        sk_demo_json_string (&ww->w, "subtotal", "");
      sk_demo_json_end_object (&ww->w);
    }
  sk_demo_json_end_array (&ww->w);
}

static void
write_line_item (WooWriter *ww,
                 guint      i)
{
  const SkDemoLine *line = &ww->c->lines[i];
  const SkDemoProduct *p = _sk_demo_product (line->product);
  gint64 subtotal = line->price * line->quantity;
  gint64 total = subtotal - line->discount;
  gint64 subtotal_tax[2];
  gboolean has_variant;

  for (guint j = 0; j < 2; j++)
    subtotal_tax[j] = tax_of (subtotal, ww->c->city->tax_ppm[j]);

  sk_demo_json_begin_object (&ww->w, NULL);
  sk_demo_json_uint (&ww->w, "id", ITEM_ID_BASE + (guint64) ww->row * 8 + i);
  /* WooCommerce 3 titled variations "Product &ndash; Attribute". */
  g_string_assign (ww->tmp, p->title);
  g_string_append (ww->tmp, " &ndash; ");
  has_variant = _sk_demo_append_variant (ww->tmp, p, line->variant, FALSE, FALSE);
  if (!has_variant)
    g_string_truncate (ww->tmp, strlen (p->title));
  sk_demo_json_string (&ww->w, "name", ww->tmp->str);
  sk_demo_json_uint (&ww->w, "product_id", PRODUCT_BASE + line->product);
  sk_demo_json_uint (&ww->w, "variation_id",
                     has_variant ? VARIATION_BASE + (guint64) line->product * 64 + line->variant : 0);
  sk_demo_json_int (&ww->w, "quantity", line->quantity);
  sk_demo_json_string (&ww->w, "tax_class", "");
  sk_demo_json_decimal (&ww->w, "subtotal", subtotal, ww->exp);
  sk_demo_json_decimal (&ww->w, "subtotal_tax", subtotal_tax[0] + subtotal_tax[1], ww->exp);
  sk_demo_json_decimal (&ww->w, "total", total, ww->exp);
  sk_demo_json_decimal (&ww->w, "total_tax", line->tax[0] + line->tax[1], ww->exp);
  write_taxes (ww, line->tax, subtotal_tax);
  sk_demo_json_raw (&ww->w, "meta_data", "[]");
  g_string_truncate (ww->tmp, 0);
  _sk_demo_append_variant (ww->tmp, p, line->variant, FALSE, TRUE);
  sk_demo_json_string (&ww->w, "sku", ww->tmp->str);
  write_quotient (ww, "price", total, line->quantity, ww->exp);
  sk_demo_json_begin_object (&ww->w, "image");
  sk_demo_json_uint (&ww->w, "id", 900 + line->product);
  sk_demo_json_string (&ww->w, "src", "");
  sk_demo_json_end_object (&ww->w);
  sk_demo_json_null (&ww->w, "parent_name");
  sk_demo_json_end_object (&ww->w);
}

static void
write_tax_lines (WooWriter *ww)
{
  const SkDemoContent *c = ww->c;

  sk_demo_json_begin_array (&ww->w, "tax_lines");
  for (guint j = 0; j < 2; j++)
    {
      guint ppm = c->city->tax_ppm[j];
      char rate[32];

      if (ppm == 0)
        continue;
      g_snprintf (rate, sizeof rate, "%u.%04u", ppm / 10000, ppm % 10000);
      sk_demo_json_begin_object (&ww->w, NULL);
      sk_demo_json_uint (&ww->w, "id", ITEM_ID_BASE + (guint64) ww->row * 8 + 6 + j);
      g_string_printf (ww->tmp, "%s-%s%sTAX-%u", c->country->code,
                       c->city->province_code != NULL ? c->city->province_code : "",
                       c->city->province_code != NULL ? "-" : "", j + 1);
      sk_demo_json_string (&ww->w, "rate_code", ww->tmp->str);
      sk_demo_json_uint (&ww->w, "rate_id", TAX_RATE_BASE + j);
      if (c->city->tax_title[j] != NULL)
        sk_demo_json_string (&ww->w, "label", c->city->tax_title[j]);
      else
        {
          g_string_printf (ww->tmp, "%s State Tax", c->city->province_code);
          sk_demo_json_string (&ww->w, "label", ww->tmp->str);
        }
      sk_demo_json_bool (&ww->w, "compound", FALSE);
      sk_demo_json_decimal (&ww->w, "tax_total", c->tax[j] - c->ship_tax[j], ww->exp);
      sk_demo_json_decimal (&ww->w, "shipping_tax_total", c->ship_tax[j], ww->exp);
      sk_demo_json_raw (&ww->w, "rate_percent", rate);
      sk_demo_json_raw (&ww->w, "meta_data", "[]");
      sk_demo_json_end_object (&ww->w);
    }
  sk_demo_json_end_array (&ww->w);
}

static void
write_shipping_lines (WooWriter *ww)
{
  const SkDemoContent *c = ww->c;
  const char *method_id, *title;

  if (is_pickup (ww))
    {
      method_id = "local_pickup";
      title = "Local pickup";
    }
  else if (c->shipping == 2)
    {
      method_id = "free_shipping";
      title = "Free shipping";
    }
  else
    {
      method_id = "flat_rate";
      title = c->shipping == 1 ? "Express" : "Flat rate";
    }
  sk_demo_json_begin_array (&ww->w, "shipping_lines");
  sk_demo_json_begin_object (&ww->w, NULL);
  sk_demo_json_uint (&ww->w, "id", ITEM_ID_BASE + (guint64) ww->row * 8 + 5);
  sk_demo_json_string (&ww->w, "method_title", title);
  sk_demo_json_string (&ww->w, "method_id", method_id);
  sk_demo_json_string (&ww->w, "instance_id", c->shipping == 1 ? "2" : "1");
  sk_demo_json_decimal (&ww->w, "total", c->ship_price, ww->exp);
  sk_demo_json_decimal (&ww->w, "total_tax", c->ship_tax[0] + c->ship_tax[1], ww->exp);
  write_taxes (ww, c->ship_tax, NULL);
  sk_demo_json_raw (&ww->w, "meta_data", "[]");
  sk_demo_json_end_object (&ww->w);
  sk_demo_json_end_array (&ww->w);
}

static void
write_refunds (WooWriter *ww)
{
  const SkDemoOrder *o = ww->o;
  static const char *reasons[] = {
    "Returned: wrong size", "Damaged in transit", "", "Item arrived late",
  };

  sk_demo_json_begin_array (&ww->w, "refunds");
  /* newest first, as WooCommerce lists them */
  for (guint k = o->n_refunds; k > 0; k--)
    {
      guint j = k - 1;

      sk_demo_json_begin_object (&ww->w, NULL);
      sk_demo_json_uint (&ww->w, "id", ww->id + 1 + j);
      sk_demo_json_string (&ww->w, "reason", o->cancelled_at != 0 ? "Order cancelled"
                                             : reasons[(ww->row + j) % G_N_ELEMENTS (reasons)]);
      sk_demo_json_decimal (&ww->w, "total", -_sk_demo_order_refund_amount (o, ww->c, j), ww->exp);
      sk_demo_json_end_object (&ww->w);
    }
  sk_demo_json_end_array (&ww->w);
}

static void
write_payment (WooWriter *ww)
{
  const SkDemoContent *c = ww->c;

  if (c->payment == SK_DEMO_PAY_MANUAL)
    {
      sk_demo_json_string (&ww->w, "payment_method", "bacs");
      sk_demo_json_string (&ww->w, "payment_method_title", "Direct bank transfer");
      sk_demo_json_string (&ww->w, "transaction_id", "");
    }
  else if (c->paypal)
    {
      sk_demo_json_string (&ww->w, "payment_method", "ppcp-gateway");
      sk_demo_json_string (&ww->w, "payment_method_title", "PayPal");
      g_string_printf (ww->tmp, "%017" G_GINT64_MODIFIER "X", c->token[0] & G_GUINT64_CONSTANT (0xFFFFFFFFFFFFFFF));
      sk_demo_json_string (&ww->w, "transaction_id", ww->o->paid_at != 0 ? ww->tmp->str : "");
    }
  else
    {
      sk_demo_json_string (&ww->w, "payment_method", "stripe");
      sk_demo_json_string (&ww->w, "payment_method_title", "Credit Card (Stripe)");
      g_string_printf (ww->tmp, "pi_%016" G_GINT64_MODIFIER "x", c->token[1]);
      sk_demo_json_string (&ww->w, "transaction_id", ww->tmp->str);
    }
}

static void
write_links (WooWriter *ww)
{
  sk_demo_json_begin_object (&ww->w, "_links");
  sk_demo_json_begin_array (&ww->w, "self");
  sk_demo_json_begin_object (&ww->w, NULL);
  g_string_printf (ww->tmp, "%s/wp-json/wc/v3/orders/%" G_GUINT64_FORMAT, ww->site_url, ww->id);
  sk_demo_json_string (&ww->w, "href", ww->tmp->str);
  sk_demo_json_end_object (&ww->w);
  sk_demo_json_end_array (&ww->w);
  sk_demo_json_begin_array (&ww->w, "collection");
  sk_demo_json_begin_object (&ww->w, NULL);
  g_string_printf (ww->tmp, "%s/wp-json/wc/v3/orders", ww->site_url);
  sk_demo_json_string (&ww->w, "href", ww->tmp->str);
  sk_demo_json_end_object (&ww->w);
  sk_demo_json_end_array (&ww->w);
  sk_demo_json_end_object (&ww->w);
}

static void
write_dates (WooWriter  *ww,
             const char *key,
             gint64      t)
{
  g_autofree char *gmt = g_strconcat (key, "_gmt", NULL);

  sk_demo_json_time_local (&ww->w, key, t, SK_DEMO_WOO_SITE_OFFSET_MINUTES);
  sk_demo_json_time_local (&ww->w, gmt, t, 0);
}

void
sk_demo_data_write_woo_order (SkDemoData    *self,
                              guint          row,
                              const char    *site_url,
                              SkDemoJson    *w,
                              SkDemoMalform  malform)
{
  g_autoptr(GString) tmp = g_string_sized_new (128);
  const SkDemoOrder *o;
  SkDemoContent c;
  SkDemoCustomer cust;
  WooWriter ww;
  SkDemoWooStatus status;
  gint64 cart_tax, ship_tax, discount_tax = 0, completed = 0;
  char buf[64];

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));
  g_return_if_fail (w != NULL);

  o = _sk_demo_data_order (self, row);
  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  _sk_demo_derive_customer (_sk_demo_data_seed (self), c.customer, &cust);
  ww.w = *w;
  ww.o = o;
  ww.c = &c;
  ww.cust = &cust;
  ww.row = row;
  ww.id = sk_demo_data_woo_id (self, row);
  ww.site_url = site_url != NULL ? site_url : "";
  ww.exp = c.cur->exponent;
  ww.tmp = tmp;
  status = status_of (o);
  ship_tax = c.ship_tax[0] + c.ship_tax[1];
  cart_tax = c.tax_total - ship_tax;
  for (guint i = 0; i < c.n_lines; i++)
    for (guint j = 0; j < 2; j++)
      discount_tax += tax_of (c.lines[i].price * c.lines[i].quantity, c.city->tax_ppm[j]) -
                      c.lines[i].tax[j];
  if (_sk_demo_order_fully_fulfilled (o) && o->paid_at != 0)
    completed = o->fulfilled_at[o->n_fulfillments - 1];

  sk_demo_json_begin_object (&ww.w, NULL);
  if (malform != SK_DEMO_MALFORM_NO_ID)
    sk_demo_json_uint (&ww.w, "id", ww.id);
  sk_demo_json_int (&ww.w, "parent_id", 0);
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, ww.id);
  sk_demo_json_string (&ww.w, "number", buf);
  g_snprintf (buf, sizeof buf, "wc_order_%013" G_GINT64_MODIFIER "x", c.token[0] >> 12);
  sk_demo_json_string (&ww.w, "order_key", buf);
  sk_demo_json_string (&ww.w, "created_via", "checkout");
  sk_demo_json_string (&ww.w, "version", WC_VERSION);
  sk_demo_json_string (&ww.w, "status", sk_demo_woo_status_code (status));
  sk_demo_json_string (&ww.w, "currency", c.cur->code);
  write_dates (&ww, "date_created", o->created_at);
  write_dates (&ww, "date_modified", o->updated_at);
  sk_demo_json_decimal (&ww.w, "discount_total", c.discounts_total, ww.exp);
  sk_demo_json_decimal (&ww.w, "discount_tax", discount_tax, ww.exp);
  sk_demo_json_decimal (&ww.w, "shipping_total", c.ship_price, ww.exp);
  sk_demo_json_decimal (&ww.w, "shipping_tax", ship_tax, ww.exp);
  sk_demo_json_decimal (&ww.w, "cart_tax", cart_tax, ww.exp);
  if (malform == SK_DEMO_MALFORM_BAD_TOTAL)
    sk_demo_json_string (&ww.w, "total", "12,3O");
  else
    sk_demo_json_decimal (&ww.w, "total", c.total, ww.exp);
  sk_demo_json_decimal (&ww.w, "total_tax", c.tax_total, ww.exp);
  sk_demo_json_bool (&ww.w, "prices_include_tax", FALSE);
  sk_demo_json_uint (&ww.w, "customer_id", cust.k % 3 == 0 ? 0 : 2 + (guint64) cust.k);
  g_snprintf (buf, sizeof buf, "203.0.113.%u", c.ip);
  sk_demo_json_string (&ww.w, "customer_ip_address", buf);
  sk_demo_json_string (&ww.w, "customer_user_agent",
                       "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
  if (o->n_edits > 0)
    {
      g_snprintf (buf, sizeof buf, "Customer called about the order (%u).", o->n_edits);
      sk_demo_json_string (&ww.w, "customer_note", buf);
    }
  else
    sk_demo_json_string (&ww.w, "customer_note", c.note != NULL ? c.note : "");
  write_address (&ww, "billing", TRUE);
  write_address (&ww, "shipping", FALSE);
  write_payment (&ww);
  write_dates (&ww, "date_paid", o->paid_at);
  write_dates (&ww, "date_completed", completed);
  g_snprintf (buf, sizeof buf, "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
              c.token[1], c.token[0]);
  sk_demo_json_string (&ww.w, "cart_hash", buf);
  sk_demo_json_raw (&ww.w, "meta_data",
                    "[{\"id\":1,\"key\":\"_order_attribution_source_type\",\"value\":\"typein\"}]");

  sk_demo_json_begin_array (&ww.w, "line_items");
  for (guint i = 0; i < c.n_lines; i++)
    write_line_item (&ww, i);
  sk_demo_json_end_array (&ww.w);
  write_tax_lines (&ww);
  write_shipping_lines (&ww);
  sk_demo_json_raw (&ww.w, "fee_lines", "[]");
  sk_demo_json_begin_array (&ww.w, "coupon_lines");
  if (c.discount != NULL)
    {
      /* WooCommerce keeps coupon codes in lower case */
      g_autofree char *code = g_ascii_strdown (c.discount->code, -1);

      sk_demo_json_begin_object (&ww.w, NULL);
      sk_demo_json_uint (&ww.w, "id", ITEM_ID_BASE + (guint64) row * 8 + 4);
      sk_demo_json_string (&ww.w, "code", code);
      sk_demo_json_decimal (&ww.w, "discount", c.discounts_total, ww.exp);
      sk_demo_json_decimal (&ww.w, "discount_tax", discount_tax, ww.exp);
      sk_demo_json_raw (&ww.w, "meta_data", "[]");
      sk_demo_json_end_object (&ww.w);
    }
  sk_demo_json_end_array (&ww.w);
  write_refunds (&ww);
  g_snprintf (buf, sizeof buf, "%s/checkout/order-pay/%" G_GUINT64_FORMAT "/", ww.site_url, ww.id);
  sk_demo_json_string (&ww.w, "payment_url", buf);
  sk_demo_json_bool (&ww.w, "is_editable", status == SK_DEMO_WOO_PENDING || status == SK_DEMO_WOO_ON_HOLD);
  sk_demo_json_bool (&ww.w, "needs_payment", status == SK_DEMO_WOO_PENDING || status == SK_DEMO_WOO_FAILED);
  sk_demo_json_bool (&ww.w, "needs_processing", TRUE);
  sk_demo_json_string (&ww.w, "currency_symbol", currency_symbol (c.cur->code));
  write_links (&ww);
  sk_demo_json_end_object (&ww.w);

  /* hand the comma state back to the caller's writer */
  w->has_items = ww.w.has_items;
  w->depth = ww.w.depth;
}

void
sk_demo_data_write_woo_orders (SkDemoData    *self,
                               const guint   *rows,
                               guint          n_rows,
                               guint          malformed_index,
                               SkDemoMalform  malform,
                               const char    *site_url,
                               GString       *out)
{
  SkDemoJson w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (n_rows == 0 || rows != NULL);
  g_return_if_fail (out != NULL);

  sk_demo_json_init (&w, out);
  sk_demo_json_begin_array (&w, NULL);
  for (guint i = 0; i < n_rows; i++)
    sk_demo_data_write_woo_order (self, rows[i], site_url, &w,
                                  i == malformed_index ? malform : SK_DEMO_MALFORM_NONE);
  sk_demo_json_end_array (&w);
}
