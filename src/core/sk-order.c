/* sk-order.c: one order from any channel, normalized to our model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-core"

#include "config.h"

#include <string.h>

#include "sk-order.h"

struct _SkOrder
{
  GObject parent_instance;

  gint64 id;
  gint64 channel_id;
  char *external_id;
  char *number;

  gint64 created_at;
  gint64 updated_at;
  gint64 processed_at;
  gint64 cancelled_at;
  gint64 closed_at;

  char currency[4];
  gint64 subtotal;
  gint64 total_tax;
  gint64 total_shipping;
  gint64 total_discounts;
  gint64 total_refunded;
  gint64 total;

  SkOrderStatus status;
  SkPaymentStatus payment_status;
  SkFulfillmentStatus fulfillment_status;
  char *status_code;
  char *payment_code;
  char *fulfillment_code;

  char *customer_id;
  char *customer_name;
  char *email;
  char *phone;

  SkAddress *shipping_address;
  SkAddress *billing_address;
  char *ship_city;
  char *ship_country;

  GPtrArray *lines;
  GPtrArray *refunds;
  GPtrArray *fulfillments;
  gint64 item_count;

  char *note;
  GStrv tags;

  gboolean on_hold;
  char *hold_reason;
  gboolean archived;
};

G_DEFINE_FINAL_TYPE (SkOrder, sk_order, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Boxed parts */

SkAddress *
sk_address_new (void)
{
  return g_new0 (SkAddress, 1);
}

SkAddress *
sk_address_copy (const SkAddress *a)
{
  SkAddress *copy;

  if (a == NULL)
    return NULL;

  copy = sk_address_new ();
  copy->name = g_strdup (a->name);
  copy->company = g_strdup (a->company);
  copy->line1 = g_strdup (a->line1);
  copy->line2 = g_strdup (a->line2);
  copy->city = g_strdup (a->city);
  copy->region = g_strdup (a->region);
  copy->region_code = g_strdup (a->region_code);
  copy->postcode = g_strdup (a->postcode);
  copy->country = g_strdup (a->country);
  copy->country_code = g_strdup (a->country_code);
  copy->phone = g_strdup (a->phone);
  return copy;
}

void
sk_address_free (SkAddress *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->company);
  g_free (a->line1);
  g_free (a->line2);
  g_free (a->city);
  g_free (a->region);
  g_free (a->region_code);
  g_free (a->postcode);
  g_free (a->country);
  g_free (a->country_code);
  g_free (a->phone);
  g_free (a);
}

static void
append_part (GString *s, const char *part, const char *sep)
{
  if (part == NULL || *part == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, sep);
  g_string_append (s, part);
}

char *
sk_address_format_short (const SkAddress *a)
{
  GString *s;

  g_return_val_if_fail (a != NULL, NULL);

  s = g_string_new (NULL);
  append_part (s, a->city, ", ");
  append_part (s, a->region_code ? a->region_code : a->region, ", ");
  append_part (s, a->postcode, " ");
  append_part (s, a->country_code ? a->country_code : a->country, ", ");
  return g_string_free (s, FALSE);
}

G_DEFINE_BOXED_TYPE (SkAddress, sk_address, sk_address_copy, sk_address_free)

static gboolean
address_equal (const SkAddress *a, const SkAddress *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->company, b->company) == 0 &&
         g_strcmp0 (a->line1, b->line1) == 0 &&
         g_strcmp0 (a->line2, b->line2) == 0 &&
         g_strcmp0 (a->city, b->city) == 0 &&
         g_strcmp0 (a->region, b->region) == 0 &&
         g_strcmp0 (a->region_code, b->region_code) == 0 &&
         g_strcmp0 (a->postcode, b->postcode) == 0 &&
         g_strcmp0 (a->country, b->country) == 0 &&
         g_strcmp0 (a->country_code, b->country_code) == 0 &&
         g_strcmp0 (a->phone, b->phone) == 0;
}

#define DEFINE_REFCOUNTED_PART(TypeName, type_name, free_fields)          \
  TypeName *                                                             \
  type_name##_new (void)                                                 \
  {                                                                      \
    return g_rc_box_new0 (TypeName);                                     \
  }                                                                      \
  static void                                                            \
  type_name##_clear (TypeName *self)                                     \
  {                                                                      \
    free_fields                                                          \
  }                                                                      \
  TypeName *                                                             \
  type_name##_ref (TypeName *self)                                       \
  {                                                                      \
    return g_rc_box_acquire (self);                                      \
  }                                                                      \
  void                                                                   \
  type_name##_unref (TypeName *self)                                     \
  {                                                                      \
    g_rc_box_release_full (self, (GDestroyNotify) type_name##_clear);    \
  }                                                                      \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_ref, type_name##_unref)

DEFINE_REFCOUNTED_PART (SkOrderLine, sk_order_line,
  g_free (self->external_id);
  g_free (self->product_id);
  g_free (self->variant_id);
  g_free (self->sku);
  g_free (self->title);
  g_free (self->variant_title);)

DEFINE_REFCOUNTED_PART (SkRefund, sk_refund,
  g_free (self->external_id);
  g_free (self->note);)

DEFINE_REFCOUNTED_PART (SkFulfillment, sk_fulfillment,
  g_free (self->external_id);
  g_free (self->status_code);
  g_free (self->tracking_company);
  g_free (self->tracking_number);
  g_free (self->tracking_url);)

/* SkOrder */

static void
sk_order_finalize (GObject *object)
{
  SkOrder *self = SK_ORDER (object);

  g_free (self->external_id);
  g_free (self->number);
  g_free (self->status_code);
  g_free (self->payment_code);
  g_free (self->fulfillment_code);
  g_free (self->customer_id);
  g_free (self->customer_name);
  g_free (self->email);
  g_free (self->phone);
  g_clear_pointer (&self->shipping_address, sk_address_free);
  g_clear_pointer (&self->billing_address, sk_address_free);
  g_free (self->ship_city);
  g_free (self->ship_country);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->refunds, g_ptr_array_unref);
  g_clear_pointer (&self->fulfillments, g_ptr_array_unref);
  g_free (self->note);
  g_strfreev (self->tags);
  g_free (self->hold_reason);

  G_OBJECT_CLASS (sk_order_parent_class)->finalize (object);
}

static void
sk_order_class_init (SkOrderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_order_finalize;

  /**
   * SkOrder::changed:
   *
   * Emitted by sk_order_update_from() when the order was refreshed in place,
   * so list rows showing it can redraw.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sk_order_init (SkOrder *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_order_line_unref);
  self->refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_refund_unref);
  self->fulfillments = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_fulfillment_unref);
  self->tags = g_new0 (char *, 1);
}

SkOrder *
sk_order_new (void)
{
  return g_object_new (SK_TYPE_ORDER, NULL);
}

#define SK_ORDER_INT_ACCESSORS(field)                                  \
  gint64 sk_order_get_##field (SkOrder *self)                          \
  {                                                                    \
    g_return_val_if_fail (SK_IS_ORDER (self), 0);                      \
    return self->field;                                                \
  }                                                                    \
  void sk_order_set_##field (SkOrder *self, gint64 value)              \
  {                                                                    \
    g_return_if_fail (SK_IS_ORDER (self));                             \
    self->field = value;                                               \
  }

#define SK_ORDER_STR_ACCESSORS(field)                                  \
  const char *sk_order_get_##field (SkOrder *self)                     \
  {                                                                    \
    g_return_val_if_fail (SK_IS_ORDER (self), NULL);                   \
    return self->field;                                                \
  }                                                                    \
  void sk_order_set_##field (SkOrder *self, const char *value)         \
  {                                                                    \
    g_return_if_fail (SK_IS_ORDER (self));                             \
    if (g_strcmp0 (self->field, value) != 0)                           \
      {                                                                \
        g_free (self->field);                                          \
        self->field = g_strdup (value);                                \
      }                                                                \
  }

SK_ORDER_INT_ACCESSORS (id)
SK_ORDER_INT_ACCESSORS (channel_id)
SK_ORDER_STR_ACCESSORS (external_id)
SK_ORDER_STR_ACCESSORS (number)
SK_ORDER_INT_ACCESSORS (created_at)
SK_ORDER_INT_ACCESSORS (updated_at)
SK_ORDER_INT_ACCESSORS (processed_at)
SK_ORDER_INT_ACCESSORS (cancelled_at)
SK_ORDER_INT_ACCESSORS (closed_at)
SK_ORDER_INT_ACCESSORS (subtotal)
SK_ORDER_INT_ACCESSORS (total_tax)
SK_ORDER_INT_ACCESSORS (total_shipping)
SK_ORDER_INT_ACCESSORS (total_discounts)
SK_ORDER_INT_ACCESSORS (total_refunded)
SK_ORDER_INT_ACCESSORS (total)
SK_ORDER_STR_ACCESSORS (customer_id)
SK_ORDER_STR_ACCESSORS (customer_name)
SK_ORDER_STR_ACCESSORS (email)
SK_ORDER_STR_ACCESSORS (phone)
SK_ORDER_INT_ACCESSORS (item_count)
SK_ORDER_STR_ACCESSORS (note)

const char *
sk_order_get_currency (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->currency;
}

void
sk_order_set_currency (SkOrder *self, const char *code)
{
  g_return_if_fail (SK_IS_ORDER (self));
  g_strlcpy (self->currency, code ? code : "", sizeof self->currency);
}

SkOrderStatus
sk_order_get_status (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), SK_ORDER_STATUS_UNKNOWN);
  return self->status;
}

SkPaymentStatus
sk_order_get_payment_status (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), SK_PAYMENT_STATUS_UNKNOWN);
  return self->payment_status;
}

SkFulfillmentStatus
sk_order_get_fulfillment_status (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), SK_FULFILLMENT_STATUS_UNKNOWN);
  return self->fulfillment_status;
}

const char *
sk_order_get_status_code (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->status_code;
}

const char *
sk_order_get_payment_code (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->payment_code;
}

const char *
sk_order_get_fulfillment_code (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->fulfillment_code;
}

static void
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
sk_order_set_status (SkOrder *self, SkOrderStatus status, const char *code)
{
  g_return_if_fail (SK_IS_ORDER (self));
  self->status = status;
  replace_string (&self->status_code, code);
}

void
sk_order_set_payment_status (SkOrder *self, SkPaymentStatus status, const char *code)
{
  g_return_if_fail (SK_IS_ORDER (self));
  self->payment_status = status;
  replace_string (&self->payment_code, code);
}

void
sk_order_set_fulfillment_status (SkOrder *self, SkFulfillmentStatus status, const char *code)
{
  g_return_if_fail (SK_IS_ORDER (self));
  self->fulfillment_status = status;
  replace_string (&self->fulfillment_code, code);
}

SkAddress *
sk_order_get_shipping_address (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->shipping_address;
}

void
sk_order_take_shipping_address (SkOrder *self, SkAddress *address)
{
  g_return_if_fail (SK_IS_ORDER (self));
  if (self->shipping_address != address)
    g_clear_pointer (&self->shipping_address, sk_address_free);
  self->shipping_address = address;
  if (address != NULL)
    sk_order_set_ship_summary (self, address->city, address->country_code);
}

SkAddress *
sk_order_get_billing_address (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->billing_address;
}

void
sk_order_take_billing_address (SkOrder *self, SkAddress *address)
{
  g_return_if_fail (SK_IS_ORDER (self));
  if (self->billing_address != address)
    g_clear_pointer (&self->billing_address, sk_address_free);
  self->billing_address = address;
}

GPtrArray *
sk_order_get_lines (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->lines;
}

void
sk_order_add_line (SkOrder *self, SkOrderLine *line)
{
  g_return_if_fail (SK_IS_ORDER (self));
  g_return_if_fail (line != NULL);
  g_ptr_array_add (self->lines, sk_order_line_ref (line));
  self->item_count += line->quantity;
}

GPtrArray *
sk_order_get_refunds (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->refunds;
}

void
sk_order_add_refund (SkOrder *self, SkRefund *refund)
{
  g_return_if_fail (SK_IS_ORDER (self));
  g_return_if_fail (refund != NULL);
  g_ptr_array_add (self->refunds, sk_refund_ref (refund));
}

GPtrArray *
sk_order_get_fulfillments (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->fulfillments;
}

void
sk_order_add_fulfillment (SkOrder *self, SkFulfillment *fulfillment)
{
  g_return_if_fail (SK_IS_ORDER (self));
  g_return_if_fail (fulfillment != NULL);
  g_ptr_array_add (self->fulfillments, sk_fulfillment_ref (fulfillment));
}

/* Tags */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
sk_order_set_tags (SkOrder *self, const char * const *tags)
{
  g_autoptr(GPtrArray) clean = g_ptr_array_new ();

  g_return_if_fail (SK_IS_ORDER (self));

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      char *tag = g_strstrip (g_strdup (tags[i]));
      gboolean seen = FALSE;

      for (guint j = 0; j < clean->len && !seen; j++)
        seen = g_str_equal (clean->pdata[j], tag);
      if (*tag == '\0' || seen)
        g_free (tag);
      else
        g_ptr_array_add (clean, tag);
    }
  g_ptr_array_sort (clean, compare_strings);
  g_ptr_array_add (clean, NULL);

  g_strfreev (self->tags);
  self->tags = (GStrv) g_ptr_array_free (g_steal_pointer (&clean), FALSE);
}

void
sk_order_set_tags_from_string (SkOrder *self, const char *comma_separated)
{
  g_auto(GStrv) parts = NULL;

  g_return_if_fail (SK_IS_ORDER (self));

  parts = g_strsplit (comma_separated ? comma_separated : "", ",", -1);
  sk_order_set_tags (self, (const char * const *) parts);
}

const char * const *
sk_order_get_tags (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return (const char * const *) self->tags;
}

char *
sk_order_dup_tags_string (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return g_strjoinv (", ", self->tags);
}

gboolean
sk_order_has_tag (SkOrder *self, const char *tag)
{
  g_return_val_if_fail (SK_IS_ORDER (self), FALSE);
  return tag != NULL && g_strv_contains ((const char * const *) self->tags, tag);
}

/* Local state */

gboolean
sk_order_get_on_hold (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), FALSE);
  return self->on_hold;
}

const char *
sk_order_get_hold_reason (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->hold_reason;
}

void
sk_order_set_hold (SkOrder *self, gboolean on_hold, const char *reason)
{
  g_return_if_fail (SK_IS_ORDER (self));
  self->on_hold = !!on_hold;
  replace_string (&self->hold_reason, on_hold ? reason : NULL);
}

gboolean
sk_order_get_archived (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), FALSE);
  return self->archived;
}

void
sk_order_set_archived (SkOrder *self, gboolean archived)
{
  g_return_if_fail (SK_IS_ORDER (self));
  self->archived = !!archived;
}

const char *
sk_order_get_ship_city (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->ship_city;
}

const char *
sk_order_get_ship_country (SkOrder *self)
{
  g_return_val_if_fail (SK_IS_ORDER (self), NULL);
  return self->ship_country;
}

void
sk_order_set_ship_summary (SkOrder *self, const char *city, const char *country_code)
{
  g_return_if_fail (SK_IS_ORDER (self));
  replace_string (&self->ship_city, city);
  replace_string (&self->ship_country, country_code);
}

/* Copying */

static gboolean
copy_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  replace_string (field, value);
  return TRUE;
}

static gboolean
copy_int (gint64 *field, gint64 value)
{
  if (*field == value)
    return FALSE;
  *field = value;
  return TRUE;
}

static gboolean
copy_array (GPtrArray **field, GPtrArray *value)
{
  gboolean same = (*field)->len == value->len;

  for (guint i = 0; same && i < value->len; i++)
    same = (*field)->pdata[i] == value->pdata[i];
  if (same)
    return FALSE;
  g_ptr_array_unref (*field);
  *field = g_ptr_array_ref (value);
  return TRUE;
}

void
sk_order_update_from (SkOrder *self, SkOrder *o)
{
  gboolean changed = FALSE;

  g_return_if_fail (SK_IS_ORDER (self));
  g_return_if_fail (SK_IS_ORDER (o));

  if (self == o)
    return;

  changed |= copy_int (&self->id, o->id);
  changed |= copy_int (&self->channel_id, o->channel_id);
  changed |= copy_string (&self->external_id, o->external_id);
  changed |= copy_string (&self->number, o->number);
  changed |= copy_int (&self->created_at, o->created_at);
  changed |= copy_int (&self->updated_at, o->updated_at);
  changed |= copy_int (&self->processed_at, o->processed_at);
  changed |= copy_int (&self->cancelled_at, o->cancelled_at);
  changed |= copy_int (&self->closed_at, o->closed_at);
  if (strcmp (self->currency, o->currency) != 0)
    {
      memcpy (self->currency, o->currency, sizeof self->currency);
      changed = TRUE;
    }
  changed |= copy_int (&self->subtotal, o->subtotal);
  changed |= copy_int (&self->total_tax, o->total_tax);
  changed |= copy_int (&self->total_shipping, o->total_shipping);
  changed |= copy_int (&self->total_discounts, o->total_discounts);
  changed |= copy_int (&self->total_refunded, o->total_refunded);
  changed |= copy_int (&self->total, o->total);
  if (self->status != o->status || self->payment_status != o->payment_status ||
      self->fulfillment_status != o->fulfillment_status)
    {
      self->status = o->status;
      self->payment_status = o->payment_status;
      self->fulfillment_status = o->fulfillment_status;
      changed = TRUE;
    }
  changed |= copy_string (&self->status_code, o->status_code);
  changed |= copy_string (&self->payment_code, o->payment_code);
  changed |= copy_string (&self->fulfillment_code, o->fulfillment_code);
  changed |= copy_string (&self->customer_id, o->customer_id);
  changed |= copy_string (&self->customer_name, o->customer_name);
  changed |= copy_string (&self->email, o->email);
  changed |= copy_string (&self->phone, o->phone);
  if (!address_equal (self->shipping_address, o->shipping_address))
    {
      sk_order_take_shipping_address (self, sk_address_copy (o->shipping_address));
      changed = TRUE;
    }
  if (!address_equal (self->billing_address, o->billing_address))
    {
      sk_order_take_billing_address (self, sk_address_copy (o->billing_address));
      changed = TRUE;
    }
  changed |= copy_string (&self->ship_city, o->ship_city);
  changed |= copy_string (&self->ship_country, o->ship_country);
  changed |= copy_array (&self->lines, o->lines);
  changed |= copy_array (&self->refunds, o->refunds);
  changed |= copy_array (&self->fulfillments, o->fulfillments);
  changed |= copy_int (&self->item_count, o->item_count);
  changed |= copy_string (&self->note, o->note);
  if (!g_strv_equal ((const char * const *) self->tags, (const char * const *) o->tags))
    {
      sk_order_set_tags (self, (const char * const *) o->tags);
      changed = TRUE;
    }
  if (self->on_hold != o->on_hold || g_strcmp0 (self->hold_reason, o->hold_reason) != 0)
    {
      sk_order_set_hold (self, o->on_hold, o->hold_reason);
      changed = TRUE;
    }
  if (self->archived != o->archived)
    {
      self->archived = o->archived;
      changed = TRUE;
    }

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}
