/* sk-demo-data-private.h: shared by the demo shop's order book and its catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue (sk-demo-catalog.c) knows the world the demo shop sells
 * in: currencies, places, people, products, discount codes, carriers. From
 * a seed and an order's row it derives everything about that order that
 * never changes (customer, lines, money); the order book (sk-demo-data.c)
 * keeps what does change.
 */
#pragma once

#include <glib.h>

#include "sk-demo-json.h"

G_BEGIN_DECLS

/* PRNG: splitmix64, one independent stream per (seed, row, purpose). */

typedef struct {
  guint64 s;
} SkDemoRng;

enum {
  SK_DEMO_STREAM_CONTENT = 1,
  SK_DEMO_STREAM_CUSTOMER,
  SK_DEMO_STREAM_LIFE,
  SK_DEMO_STREAM_TRACKING,
  SK_DEMO_STREAM_DATA,
  SK_DEMO_STREAM_TIME,
};

static inline guint64
_sk_demo_mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline guint64
_sk_demo_rng_next (SkDemoRng *r)
{
  r->s += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return _sk_demo_mix64 (r->s);
}

static inline guint
_sk_demo_rng_below (SkDemoRng *r,
                    guint      n)
{
  return n == 0 ? 0 : (guint) (_sk_demo_rng_next (r) % n);
}

static inline gint64
_sk_demo_rng_range (SkDemoRng *r,
                    gint64     lo,
                    gint64     hi)
{
  return lo + (gint64) (_sk_demo_rng_next (r) % (guint64) (hi - lo + 1));
}

static inline gboolean
_sk_demo_rng_chance (SkDemoRng *r,
                     guint      percent)
{
  return _sk_demo_rng_below (r, 100) < percent;
}

static inline SkDemoRng
_sk_demo_rng_for (guint64 seed,
                  guint64 row,
                  guint64 stream)
{
  SkDemoRng r;

  r.s = _sk_demo_mix64 (seed ^ _sk_demo_mix64 (row * G_GUINT64_CONSTANT (0xD1B54A32D192ED03) + stream));
  return r;
}

/* The world */

typedef struct {
  const char *code;
  int         exponent;
  guint       per_100_usd; /* units (minor for exponent 2) per USD 1.00 × 100 */
  gint64      ship_standard;
  gint64      ship_express;
  gint64      free_over;
  gint64      fixed_off;   /* the TRAIL20 code */
} SkDemoCurrency;

typedef struct {
  const char *city;
  const char *province;   /* NULL where Shopify has none */
  const char *province_code;
  const char *zip;        /* '#' a digit, '@' a capital letter */
  const char *latitude;
  const char *longitude;
  guint       tax_ppm[2]; /* parts per million, 0 = no such tax */
  const char *tax_title[2];
  gboolean    tax_shipping;
} SkDemoCity;

typedef struct {
  const char       *code;
  const char       *name;
  guint             currency;
  guint             names;        /* index into name_groups */
  const char       *locale;
  const char       *phone;
  gboolean          number_first; /* "92 Chestnut Street" or "Hauptstraße 92" */
  const char       *streets[5];
  const SkDemoCity *cities;
  guint             n_cities;
  guint             weight;
  guint             carriers[2];
} SkDemoCountry;

typedef struct {
  const char *company;
  const char *format; /* tracking number: '#' digit, '@' letter, '*' either */
  const char *url_prefix;
} SkDemoCarrier;

typedef struct {
  const char *display;
  const char *ascii; /* for the e-mail address; NULL: display */
} SkDemoName;

typedef struct {
  const char *code;
  const char *title;
} SkDemoOption;

typedef struct {
  const char *sku;
  const char *title;
  const char *vendor;
  gint64      price_usd; /* cents */
  guint       grams;
  guint8      dim_a;
  guint8      dim_b;
} SkDemoProduct;

typedef struct {
  const char *code;
  guint       percent; /* 0: a fixed amount (SkDemoCurrency.fixed_off) */
} SkDemoDiscount;

enum { SK_DEMO_PAY_CAPTURE, SK_DEMO_PAY_AUTHORIZE, SK_DEMO_PAY_MANUAL };

#define SK_DEMO_MAX_LINES 5

typedef struct {
  guint  product;
  guint  variant;
  gint64 quantity;
  gint64 price;
  gint64 discount;
  gint64 tax[2];
} SkDemoLine;

typedef struct {
  guint                 customer;
  const SkDemoCountry  *country;
  const SkDemoCity     *city;
  const SkDemoCurrency *cur;
  guint                 n_lines;
  SkDemoLine            lines[SK_DEMO_MAX_LINES];
  const SkDemoDiscount *discount;  /* NULL for none */
  guint                 shipping;  /* 0 standard, 1 express, 2 free */
  gint64                ship_price;
  gint64                ship_tax[2];
  gint64                line_items_total;
  gint64                discounts_total;
  gint64                subtotal;
  gint64                tax[2];
  gint64                tax_total;
  gint64                total;
  guint                 grams;
  int                   tz_offset; /* minutes east of UTC */
  guint                 payment;   /* SK_DEMO_PAY_* */
  gboolean              paypal;
  const char           *note;      /* NULL for none */
  guint                 tags;      /* see _sk_demo_append_tags() */
  guint64               token[2];
  guint8                ip;
} SkDemoContent;

typedef struct {
  guint                k;
  guint64              id;
  const SkDemoCountry *country;
  const SkDemoCity    *city;
  const SkDemoName    *first;
  const SkDemoName    *last;
  guint                street;
  guint                house;
  guint                billing_street;
  guint                billing_house;
  gboolean             accepts_marketing;
  char                 zip[16];
  char                 phone[24];
  char                 email[80];
} SkDemoCustomer;

/* The customer numbered @k. */
void                 _sk_demo_derive_customer (guint64         seed,
                                               guint           k,
                                               SkDemoCustomer *c);
/* What never changes about the order at @row. */
void                 _sk_demo_derive_content  (guint64         seed,
                                               guint           row,
                                               SkDemoContent  *c);
const SkDemoProduct *_sk_demo_product         (guint           index);
const SkDemoCarrier *_sk_demo_carrier         (guint           index);
/* "Ridgeline 2P Tent - Forest Green" (@with_title), "Forest Green" or,
 * with @sku, "TENT-2P-GRN". FALSE (and nothing appended) for a product
 * without variants unless @with_title or @sku. */
gboolean             _sk_demo_append_variant  (GString             *out,
                                               const SkDemoProduct *product,
                                               guint                variant,
                                               gboolean             with_title,
                                               gboolean             sku);
/* The tags of @mask, ", "-separated after whatever @out holds. */
void                 _sk_demo_append_tags     (GString        *out,
                                               guint           mask);
/* '#' a digit, '@' a capital letter, '*' either. */
void                 _sk_demo_fill_pattern    (char           *out,
                                               gsize           size,
                                               const char     *pattern,
                                               SkDemoRng      *r);

/* The catalogue as the shops list it (sk-demo-catalog.c): the same
 * products and SKUs in both, with ids of each dialect's kind. @v is the
 * variant's index (0 for a product without variants). */
guint    sk_demo_catalog_n_products (void);
guint    sk_demo_catalog_n_variants (guint product);
/* Whether the product has options (a WooCommerce "variable" product). */
gboolean sk_demo_catalog_has_variants (guint product);
guint64  sk_demo_product_id        (guint product);
guint64  sk_demo_variant_id        (guint product,
                                    guint v);
guint64  sk_demo_inventory_item_id (guint product,
                                    guint v);
guint64  sk_demo_woo_product_id    (guint product);
guint64  sk_demo_woo_variation_id  (guint product,
                                    guint v);
/* The stock the shops start with, the same in both. */
gint64   sk_demo_initial_stock     (guint product,
                                    guint v);
/* WooCommerce's low_stock_amount of the product (@variation FALSE) or of
 * each of its variations (TRUE); -1: none (null). */
gint64   sk_demo_low_stock_amount  (guint    product,
                                    gboolean variation);
/* A valid EAN-13 for the variant. */
void     sk_demo_barcode           (guint product,
                                    guint v,
                                    char  out[14]);
/* The option names and values of the variant ("Color", "Forest Green");
 * NULL where the product has no such option. */
void     sk_demo_variant_options   (guint        product,
                                    guint        v,
                                    const char **name1,
                                    const char **value1,
                                    const char **name2,
                                    const char **value2);

/* The order book's record of one order: what changes over its life. The
 * Shopify writer (sk-demo-data.c) and the WooCommerce one
 * (sk-demo-data-woo.c) both show it. */

enum {
  SK_DEMO_FIN_PENDING,
  SK_DEMO_FIN_AUTHORIZED,
  SK_DEMO_FIN_PAID,
  SK_DEMO_FIN_PARTIALLY_REFUNDED,
  SK_DEMO_FIN_REFUNDED,
  SK_DEMO_FIN_VOIDED,
};

/* Of the cancellation reasons, the WooCommerce writer tells one apart: a
 * declined payment ("failed"). */
enum {
  SK_DEMO_CANCEL_NONE,
  SK_DEMO_CANCEL_DECLINED = 2,
};

typedef struct {
  guint64 id;
  gint64  created_at;
  gint64  updated_at;
  gint64  paid_at;
  gint64  fulfilled_at[2];
  gint64  refunded_at[2];
  gint64  cancelled_at;
  gint64  closed_at;
  gint64  edited_at;
  guint8  financial;          /* SK_DEMO_FIN_* */
  guint8  n_fulfillments;
  guint8  first_fulfillment_partial;
  guint8  n_refunds;
  guint8  first_refund_partial;
  guint8  cancel_reason;
  guint8  n_edits;
  guint8  woo_completed;      /* set completed through the REST API */
  guint8  has_extra;          /* see _sk_demo_data_extra() */
} SkDemoOrder;

/* What the shop's API users did to an order (sk-demo-data-push.c):
 * fulfillments posted with their tracking (Shopify) or packages confirmed
 * (Amazon, sk-demo-data-amazon.c), WooCommerce order notes. */
typedef struct {
  guint64 id;
  gint64  created_at;
  gint64  quantity[SK_DEMO_MAX_LINES];
  char   *company;
  char   *number;
  char   *url;
  char   *reference;  /* Amazon's packageReferenceId, else NULL */
} SkDemoShipment;

typedef struct {
  guint64  id;
  gint64   created_at;
  char    *text;
  gboolean customer_note;
} SkDemoNote;

typedef struct {
  GArray    *shipments;                  /* SkDemoShipment */
  gint64     shipped[SK_DEMO_MAX_LINES]; /* their sum, by line */
  GPtrArray *notes;                      /* SkDemoNote */
} SkDemoExtra;

typedef struct _SkDemoData SkDemoData;

const SkDemoOrder   *_sk_demo_data_order       (SkDemoData          *self,
                                                guint                row);
guint64              _sk_demo_data_seed        (SkDemoData          *self);
/* The row at @position in (updated_at, id) order. */
guint                _sk_demo_data_sorted_row  (SkDemoData          *self,
                                                guint                position);
gboolean             _sk_demo_order_fully_fulfilled (const SkDemoOrder   *o);
/* The row's extra, made when @create; NULL when there is none. */
SkDemoExtra         *_sk_demo_data_extra       (SkDemoData          *self,
                                                guint                row,
                                                gboolean             create);
void                 _sk_demo_extra_free       (SkDemoExtra         *extra);
/* updated_at becomes MAX (it, @now) and the row moves in the order. */
void                 _sk_demo_data_touch       (SkDemoData          *self,
                                                guint                row,
                                                gint64               now);
/* Whether line @i of the order at @row is fulfilled by its own history
 * (not counting shipments pushed through the API) or gone (refunded,
 * cancelled). */
gboolean             _sk_demo_data_line_done   (SkDemoData          *self,
                                                guint                row,
                                                guint                i);
/* Writes the shipments of @extra as Shopify fulfillments (array elements). */
void                 _sk_demo_extra_write_fulfillments (const SkDemoExtra *extra,
                                                        guint64            order_id,
                                                        guint64            line_id_base,
                                                        int                tz,
                                                        SkDemoJson        *w);
/* Refund @j (0 or 1) of the order, in minor units. */
gint64               _sk_demo_order_refund_amount   (const SkDemoOrder   *o,
                                                     const SkDemoContent *c,
                                                     guint                j);

G_END_DECLS
