/* sk-order.h: one order from any channel, normalized to our model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SkOrder is what normalizers produce, what the store writes and reads, and
 * what the inbox lists. Nested parts (lines, addresses, refunds,
 * fulfillments) are plain reference-counted structs with public fields.
 * Times are Unix seconds UTC (0 = not set); money is minor units in the
 * order's currency.
 */
#pragma once

#include <glib-object.h>

#include "sk-types.h"

G_BEGIN_DECLS

struct _SkAddress {
  char *name;
  char *company;
  char *line1;
  char *line2;
  char *city;
  char *region;        /* province, state, county */
  char *region_code;
  char *postcode;
  char *country;       /* as the channel wrote it */
  char *country_code;  /* ISO 3166-1 alpha-2 */
  char *phone;
};

struct _SkOrderLine {
  char   *external_id;
  char   *product_id;
  char   *variant_id;
  char   *sku;
  char   *title;
  char   *variant_title;
  gint64  quantity;
  gint64  unit_price;      /* before discounts */
  gint64  total_discount;  /* for the whole line */
  gint64  total_tax;       /* for the whole line */
};

struct _SkRefund {
  char   *external_id;
  gint64  created_at;
  gint64  amount;          /* money returned to the customer, positive */
  char   *note;
};

struct _SkFulfillment {
  char   *external_id;
  gint64  created_at;
  char   *status_code;     /* the channel's own */
  char   *tracking_company;
  char   *tracking_number;
  char   *tracking_url;
};

#define SK_TYPE_ADDRESS     (sk_address_get_type ())
#define SK_TYPE_ORDER_LINE  (sk_order_line_get_type ())
#define SK_TYPE_REFUND      (sk_refund_get_type ())
#define SK_TYPE_FULFILLMENT (sk_fulfillment_get_type ())

GType          sk_address_get_type      (void) G_GNUC_CONST;
SkAddress     *sk_address_new           (void);
SkAddress     *sk_address_copy          (const SkAddress *address);
void           sk_address_free          (SkAddress       *address);
/* "Louisville, KY 40202, US" style one-liner for lists. */
char          *sk_address_format_short  (const SkAddress *address);

GType          sk_order_line_get_type   (void) G_GNUC_CONST;
SkOrderLine   *sk_order_line_new        (void);
SkOrderLine   *sk_order_line_ref        (SkOrderLine *line);
void           sk_order_line_unref      (SkOrderLine *line);

GType          sk_refund_get_type       (void) G_GNUC_CONST;
SkRefund      *sk_refund_new            (void);
SkRefund      *sk_refund_ref            (SkRefund *refund);
void           sk_refund_unref          (SkRefund *refund);

GType          sk_fulfillment_get_type  (void) G_GNUC_CONST;
SkFulfillment *sk_fulfillment_new       (void);
SkFulfillment *sk_fulfillment_ref       (SkFulfillment *fulfillment);
void           sk_fulfillment_unref     (SkFulfillment *fulfillment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkAddress, sk_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkOrderLine, sk_order_line_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkRefund, sk_refund_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkFulfillment, sk_fulfillment_unref)

#define SK_TYPE_ORDER (sk_order_get_type ())
G_DECLARE_FINAL_TYPE (SkOrder, sk_order, SK, ORDER, GObject)

SkOrder   *sk_order_new (void);

/* Identity. id is the local row id (0 until stored); external_id is the
 * channel's id as a decimal string (Shopify ids exceed 2^53). */
gint64               sk_order_get_id                 (SkOrder *self);
void                 sk_order_set_id                 (SkOrder *self, gint64 id);
gint64               sk_order_get_channel_id         (SkOrder *self);
void                 sk_order_set_channel_id         (SkOrder *self, gint64 channel_id);
const char          *sk_order_get_external_id        (SkOrder *self);
void                 sk_order_set_external_id        (SkOrder *self, const char *external_id);
const char          *sk_order_get_number             (SkOrder *self);
void                 sk_order_set_number             (SkOrder *self, const char *number);

/* Times. */
gint64               sk_order_get_created_at         (SkOrder *self);
void                 sk_order_set_created_at         (SkOrder *self, gint64 unix_utc);
gint64               sk_order_get_updated_at         (SkOrder *self);
void                 sk_order_set_updated_at         (SkOrder *self, gint64 unix_utc);
gint64               sk_order_get_processed_at       (SkOrder *self);
void                 sk_order_set_processed_at       (SkOrder *self, gint64 unix_utc);
gint64               sk_order_get_cancelled_at       (SkOrder *self);
void                 sk_order_set_cancelled_at       (SkOrder *self, gint64 unix_utc);
gint64               sk_order_get_closed_at          (SkOrder *self);
void                 sk_order_set_closed_at          (SkOrder *self, gint64 unix_utc);

/* Money, in minor units of the order's currency. */
const char          *sk_order_get_currency           (SkOrder *self);
void                 sk_order_set_currency           (SkOrder *self, const char *code);
gint64               sk_order_get_subtotal           (SkOrder *self);
void                 sk_order_set_subtotal           (SkOrder *self, gint64 minor);
gint64               sk_order_get_total_tax          (SkOrder *self);
void                 sk_order_set_total_tax          (SkOrder *self, gint64 minor);
gint64               sk_order_get_total_shipping     (SkOrder *self);
void                 sk_order_set_total_shipping     (SkOrder *self, gint64 minor);
gint64               sk_order_get_total_discounts    (SkOrder *self);
void                 sk_order_set_total_discounts    (SkOrder *self, gint64 minor);
gint64               sk_order_get_total_refunded     (SkOrder *self);
void                 sk_order_set_total_refunded     (SkOrder *self, gint64 minor);
gint64               sk_order_get_total              (SkOrder *self);
void                 sk_order_set_total              (SkOrder *self, gint64 minor);

/* Statuses: ours, and the channel's original codes beside them. */
SkOrderStatus        sk_order_get_status             (SkOrder *self);
SkPaymentStatus      sk_order_get_payment_status     (SkOrder *self);
SkFulfillmentStatus  sk_order_get_fulfillment_status (SkOrder *self);
const char          *sk_order_get_status_code        (SkOrder *self);
const char          *sk_order_get_payment_code       (SkOrder *self);
const char          *sk_order_get_fulfillment_code   (SkOrder *self);
void                 sk_order_set_status             (SkOrder *self, SkOrderStatus status, const char *code);
void                 sk_order_set_payment_status     (SkOrder *self, SkPaymentStatus status, const char *code);
void                 sk_order_set_fulfillment_status (SkOrder *self, SkFulfillmentStatus status, const char *code);

/* Customer. */
const char          *sk_order_get_customer_id        (SkOrder *self);  /* channel's */
void                 sk_order_set_customer_id        (SkOrder *self, const char *external_id);
const char          *sk_order_get_customer_name      (SkOrder *self);
void                 sk_order_set_customer_name      (SkOrder *self, const char *name);
const char          *sk_order_get_email              (SkOrder *self);
void                 sk_order_set_email              (SkOrder *self, const char *email);
const char          *sk_order_get_phone              (SkOrder *self);
void                 sk_order_set_phone              (SkOrder *self, const char *phone);

/* Addresses: owned by the order; set takes ownership. */
SkAddress           *sk_order_get_shipping_address   (SkOrder *self);
void                 sk_order_take_shipping_address  (SkOrder *self, SkAddress *address);
SkAddress           *sk_order_get_billing_address    (SkOrder *self);
void                 sk_order_take_billing_address   (SkOrder *self, SkAddress *address);

/* Parts, in channel order. The arrays belong to the order. */
GPtrArray           *sk_order_get_lines              (SkOrder *self);  /* SkOrderLine */
void                 sk_order_add_line               (SkOrder *self, SkOrderLine *line);
GPtrArray           *sk_order_get_refunds            (SkOrder *self);  /* SkRefund */
void                 sk_order_add_refund             (SkOrder *self, SkRefund *refund);
GPtrArray           *sk_order_get_fulfillments       (SkOrder *self);  /* SkFulfillment */
void                 sk_order_add_fulfillment        (SkOrder *self, SkFulfillment *fulfillment);
/* Sum of line quantities. */
gint64               sk_order_get_item_count         (SkOrder *self);
void                 sk_order_set_item_count         (SkOrder *self, gint64 count);

/* Notes and tags (tags sorted, unique, trimmed). */
const char          *sk_order_get_note               (SkOrder *self);
void                 sk_order_set_note               (SkOrder *self, const char *note);
const char * const  *sk_order_get_tags               (SkOrder *self);
void                 sk_order_set_tags               (SkOrder *self, const char * const *tags);
/* Parse "a, b,c" as channels send tags. */
void                 sk_order_set_tags_from_string   (SkOrder *self, const char *comma_separated);
char                *sk_order_dup_tags_string        (SkOrder *self);
gboolean             sk_order_has_tag                (SkOrder *self, const char *tag);

/* Local state, never overwritten by a channel import. */
gboolean             sk_order_get_on_hold            (SkOrder *self);
const char          *sk_order_get_hold_reason        (SkOrder *self);
void                 sk_order_set_hold               (SkOrder *self, gboolean on_hold, const char *reason);
gboolean             sk_order_get_archived           (SkOrder *self);
void                 sk_order_set_archived           (SkOrder *self, gboolean archived);

/* Destination for lists: the shipping address's city and country code. */
const char          *sk_order_get_ship_city          (SkOrder *self);
const char          *sk_order_get_ship_country       (SkOrder *self);
void                 sk_order_set_ship_summary       (SkOrder *self, const char *city, const char *country_code);

/* Copy every field of @other into @self (for refreshing a listed item in
 * place) and emit SkOrder::changed once if anything changed. */
void                 sk_order_update_from            (SkOrder *self, SkOrder *other);

G_END_DECLS
