/* sk-types.h: forward declarations and the status taxonomies of Storekeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _SkOrder         SkOrder;
typedef struct _SkOrderLine     SkOrderLine;
typedef struct _SkAddress       SkAddress;
typedef struct _SkRefund        SkRefund;
typedef struct _SkFulfillment   SkFulfillment;
typedef struct _SkStore         SkStore;
typedef struct _SkChannel       SkChannel;
typedef struct _SkHttp          SkHttp;
typedef struct _SkSyncManager   SkSyncManager;
typedef struct _SkOrderList     SkOrderList;

/* Our own taxonomies. Connectors map channel codes onto them and keep the
 * original code beside the mapped value. The nick strings (see
 * sk_*_status_to_string) are what the database stores: never renumber or
 * rename them. */

typedef enum {
  SK_ORDER_STATUS_UNKNOWN,
  SK_ORDER_STATUS_PENDING,     /* placed, awaiting payment or confirmation */
  SK_ORDER_STATUS_OPEN,        /* to be worked on */
  SK_ORDER_STATUS_COMPLETED,   /* closed by the channel: nothing left to do */
  SK_ORDER_STATUS_CANCELLED,
} SkOrderStatus;

typedef enum {
  SK_PAYMENT_STATUS_UNKNOWN,
  SK_PAYMENT_STATUS_PENDING,
  SK_PAYMENT_STATUS_AUTHORIZED,
  SK_PAYMENT_STATUS_PARTIALLY_PAID,
  SK_PAYMENT_STATUS_PAID,
  SK_PAYMENT_STATUS_PARTIALLY_REFUNDED,
  SK_PAYMENT_STATUS_REFUNDED,
  SK_PAYMENT_STATUS_VOIDED,
  SK_PAYMENT_STATUS_FAILED,
} SkPaymentStatus;

typedef enum {
  SK_FULFILLMENT_STATUS_UNKNOWN,
  SK_FULFILLMENT_STATUS_UNFULFILLED,
  SK_FULFILLMENT_STATUS_PARTIAL,
  SK_FULFILLMENT_STATUS_FULFILLED,
  SK_FULFILLMENT_STATUS_RESTOCKED,
  SK_FULFILLMENT_STATUS_NOT_REQUIRED,
} SkFulfillmentStatus;

typedef enum {
  SK_SHIPMENT_STATUS_UNKNOWN,
  SK_SHIPMENT_STATUS_PRE_TRANSIT,
  SK_SHIPMENT_STATUS_IN_TRANSIT,
  SK_SHIPMENT_STATUS_OUT_FOR_DELIVERY,
  SK_SHIPMENT_STATUS_AVAILABLE_FOR_PICKUP,
  SK_SHIPMENT_STATUS_DELIVERED,
  SK_SHIPMENT_STATUS_EXCEPTION,
} SkShipmentStatus;

const char         *sk_order_status_to_string        (SkOrderStatus       status);
SkOrderStatus       sk_order_status_from_string      (const char         *nick);
const char         *sk_payment_status_to_string      (SkPaymentStatus     status);
SkPaymentStatus     sk_payment_status_from_string    (const char         *nick);
const char         *sk_fulfillment_status_to_string  (SkFulfillmentStatus status);
SkFulfillmentStatus sk_fulfillment_status_from_string(const char         *nick);
const char         *sk_shipment_status_to_string     (SkShipmentStatus    status);
SkShipmentStatus    sk_shipment_status_from_string   (const char         *nick);

G_END_DECLS
