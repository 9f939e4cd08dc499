/* sk-types.c: names of the status taxonomies, and the error quarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-core"

#include "config.h"

#include "sk-error.h"
#include "sk-types.h"

G_DEFINE_QUARK (sk-core-error-quark, sk_core_error)
G_DEFINE_QUARK (sk-store-error-quark, sk_store_error)
G_DEFINE_QUARK (sk-sync-error-quark, sk_sync_error)

static const char *order_nicks[] = {
  "unknown", "pending", "open", "completed", "cancelled",
};
static const char *payment_nicks[] = {
  "unknown", "pending", "authorized", "partially-paid", "paid",
  "partially-refunded", "refunded", "voided", "failed",
};
static const char *fulfillment_nicks[] = {
  "unknown", "unfulfilled", "partial", "fulfilled", "restocked", "not-required",
};
static const char *shipment_nicks[] = {
  "unknown", "pre-transit", "in-transit", "out-for-delivery",
  "available-for-pickup", "delivered", "exception",
};

static const char *
nick_of (const char **nicks, guint n, guint value)
{
  return value < n ? nicks[value] : nicks[0];
}

static guint
value_of (const char **nicks, guint n, const char *nick)
{
  for (guint i = 0; nick != NULL && i < n; i++)
    if (g_str_equal (nicks[i], nick))
      return i;
  return 0;
}

#define TAXONOMY(Type, prefix, nicks)                                        \
  const char *prefix##_to_string (Type status)                               \
  {                                                                          \
    return nick_of (nicks, G_N_ELEMENTS (nicks), status);                    \
  }                                                                          \
  Type prefix##_from_string (const char *nick)                               \
  {                                                                          \
    return (Type) value_of (nicks, G_N_ELEMENTS (nicks), nick);              \
  }

TAXONOMY (SkOrderStatus, sk_order_status, order_nicks)
TAXONOMY (SkPaymentStatus, sk_payment_status, payment_nicks)
TAXONOMY (SkFulfillmentStatus, sk_fulfillment_status, fulfillment_nicks)
TAXONOMY (SkShipmentStatus, sk_shipment_status, shipment_nicks)
