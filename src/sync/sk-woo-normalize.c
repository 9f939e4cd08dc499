/* sk-woo-normalize.c: WooCommerce REST API v3 order JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two halves, as for Shopify. The order reader takes one order object and
 * refuses it with a reason naming the field and its value when something
 * cannot be trusted (see sk-woo-normalize.h for what is read how).
 * sk_woo_normalize_page() walks the array of a response body, parses each
 * order on its own and, when one does not parse, finds its end with a small
 * scanner, so a broken order becomes a dead letter with its own bytes while
 * the rest of the page imports.
 */
#define G_LOG_DOMAIN "sk-sync"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-json.h"
#include "sk-normalize-private.h"
#include "sk-money.h"
#include "sk-time.h"
#include "sk-woo-normalize.h"

/* Field access
 *
 * Readers take the object, the member name and a prefix giving the path of
 * the object in the order ("line_items[2]."); errors start with the full
 * path of the field. Absent and null members read as NULL/0. */

static gboolean
get_object (const SkJsonValue   *obj,
            const char          *name,
            const char          *prefix,
            const SkJsonValue  **out,
            GError             **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  *out = NULL;
  if (v == NULL)
    return TRUE;
  /* PHP writes an empty associative array as [] */
  if (v->type == SK_JSON_ARRAY && v->length == 0)
    return TRUE;
  if (v->type != SK_JSON_OBJECT)
    return _sk_normalize_type_error (error, prefix, name, v, "an object");
  *out = v;
  return TRUE;
}

/* A text member; a number is taken as its digits (a postcode sent as
 * 94103), an empty or blank text reads as NULL. */
static gboolean
get_text (const SkJsonValue  *obj,
          const char         *name,
          const char         *prefix,
          char              **out,
          GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);
  g_autofree char *text = NULL;

  g_assert (*out == NULL);
  if (v == NULL)
    return TRUE;
  if (v->type == SK_JSON_STRING)
    text = g_strstrip (g_strdup (v->string));
  else if (v->type == SK_JSON_INT)
    text = g_strdup_printf ("%" G_GINT64_FORMAT, v->integer);
  else
    return _sk_normalize_type_error (error, prefix, name, v, "a text");
  if (*text != '\0')
    *out = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
is_decimal_id (const char *s)
{
  guint64 value;

  for (gsize n = 0; s[n] != '\0'; n++)
    if (!g_ascii_isdigit (s[n]))
      return FALSE;
  return g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64 - 1, &value, NULL);
}

/* An id: a JSON integer ≥ 0 or a text of digits. WooCommerce writes 0 for
 * "none" (customer_id of a guest, variation_id of a simple product): that
 * reads as NULL. */
static gboolean
get_id (const SkJsonValue  *obj,
        const char         *name,
        const char         *prefix,
        gboolean            required,
        char              **out,
        GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  g_assert (*out == NULL);
  if (v == NULL)
    return required ? _sk_normalize_missing_error (error, prefix, name) : TRUE;
  if (v->type == SK_JSON_INT && v->integer >= 0 && v->integer < G_MAXINT64)
    {
      if (v->integer > 0)
        *out = g_strdup_printf ("%" G_GINT64_FORMAT, v->integer);
    }
  else if (v->type == SK_JSON_STRING && is_decimal_id (v->string))
    {
      if (strspn (v->string, "0") != strlen (v->string))
        *out = g_strdup (v->string);
    }
  else
    return _sk_normalize_type_error (error, prefix, name, v, "an id");

  if (*out == NULL && required)
    return _sk_normalize_type_error (error, prefix, name, v, "an id");
  return TRUE;
}

/* An amount: a decimal text ("29.35", how WooCommerce sends totals), a JSON
 * integer or a JSON number (how it sends line prices). @round: more
 * decimals than the currency has are rounded half to even instead of
 * refused. Absent, null or "" is 0 when @optional. */
static gboolean
get_amount (const SkJsonValue  *obj,
            const char         *name,
            const char         *prefix,
            const char         *currency,
            gboolean            optional,
            gboolean            round,
            gint64             *out,
            GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);
  gboolean ok;

  *out = 0;
  if (v == NULL || (v->type == SK_JSON_STRING && *v->string == '\0'))
    {
      if (optional)
        return TRUE;
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s%s is missing.", prefix, name);
      return FALSE;
    }
  switch (v->type)
    {
    case SK_JSON_STRING:
      ok = sk_money_parse_decimal (v->string, sk_currency_exponent (currency),
                                   round, out, error);
      break;
    case SK_JSON_INT:
      ok = sk_money_parse_int (v->integer, currency, out, error);
      break;
    case SK_JSON_DOUBLE:
      ok = sk_money_parse_json_number (v, currency, round, out, error);
      break;
    default:
      {
        g_autofree char *described = _sk_normalize_describe_value (v);

        g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                     "%s is not an amount.", described);
        ok = FALSE;
      }
      break;
    }
  if (!ok)
    g_prefix_error (error, "%s%s ", prefix, name);
  return ok;
}

/* A quantity: a whole number of items, however it is written (2, 2.0, "2",
 * "2.00"). A fraction of an item is refused, never rounded (see the
 * header). */
static gboolean
get_quantity (const SkJsonValue  *item,
              const char         *prefix,
              gint64             *out,
              GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (item, "quantity");
  g_autofree char *text = NULL;
  g_autofree char *whole = NULL;
  const char *dot;
  guint64 value;

  if (v == NULL)
    return _sk_normalize_missing_error (error, prefix, "quantity");
  if (v->type == SK_JSON_INT)
    {
      if (v->integer < 0)
        return _sk_normalize_type_error (error, prefix, "quantity", v, "a whole number of items");
      *out = v->integer;
      return TRUE;
    }
  if (v->type == SK_JSON_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", v->number));
    }
  else if (v->type == SK_JSON_STRING)
    text = g_strstrip (g_strdup (v->string));
  else
    return _sk_normalize_type_error (error, prefix, "quantity", v, "a whole number of items");

  dot = strchr (text, '.');
  whole = dot != NULL ? g_strndup (text, dot - text) : g_strdup (text);
  if (*whole == '\0' || strspn (whole, "0123456789") != strlen (whole) ||
      !g_ascii_string_to_unsigned (whole, 10, 0, G_MAXINT64, &value, NULL) ||
      (dot != NULL && (dot[1] == '\0' || strspn (dot + 1, "0123456789") != strlen (dot + 1))))
    return _sk_normalize_type_error (error, prefix, "quantity", v, "a whole number of items");
  if (dot != NULL && strspn (dot + 1, "0") != strlen (dot + 1))
    {
      g_autofree char *described = _sk_normalize_describe_value (v);

      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   "%squantity %s is a fraction of an item: Storekeep counts stock in "
                   "whole items and does not round it.", prefix, described);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

/* WooCommerce writes each date twice, both without an offset: @name in the
 * site's time zone and @name_gmt in UTC. The UTC one is read; the local one
 * only when it says its offset itself. */
static gboolean
get_date (const SkJsonValue  *obj,
          const char         *name,
          gboolean            optional,
          gint64             *out,
          GError            **error)
{
  g_autofree char *gmt_name = g_strconcat (name, "_gmt", NULL);
  const SkJsonValue *gmt = _sk_normalize_get_member (obj, gmt_name);
  const SkJsonValue *local = _sk_normalize_get_member (obj, name);
  g_autoptr(GTimeZone) probe = NULL;
  gint64 as_utc, as_probe;

  *out = 0;
  if (gmt != NULL && !(gmt->type == SK_JSON_STRING && *gmt->string == '\0'))
    {
      if (gmt->type != SK_JSON_STRING)
        {
          g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                       "%s is not a text with a date and time.", gmt_name);
          return FALSE;
        }
      if (!sk_time_parse_iso8601 (gmt->string, NULL, out, error))
        {
          g_prefix_error (error, "%s ", gmt_name);
          return FALSE;
        }
      return TRUE;
    }

  if (local == NULL || (local->type == SK_JSON_STRING && *local->string == '\0'))
    {
      if (optional)
        return TRUE;
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s is missing.", gmt_name);
      return FALSE;
    }
  if (local->type != SK_JSON_STRING)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s is not a text with a date and time.", name);
      return FALSE;
    }
  /* A text with its own offset reads the same in any default zone. */
  probe = g_time_zone_new_offset (3600);
  if (!sk_time_parse_iso8601 (local->string, NULL, &as_utc, error) ||
      !sk_time_parse_iso8601 (local->string, probe, &as_probe, error))
    {
      g_prefix_error (error, "%s ", name);
      return FALSE;
    }
  if (as_utc != as_probe)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s is missing and %s \"%s\" is in the site's time zone, which "
                   "the order does not say.", gmt_name, name, local->string);
      return FALSE;
    }
  *out = as_utc;
  return TRUE;
}

/* Statuses */

void
sk_woo_map_status (const char          *code,
                   SkOrderStatus       *out_order,
                   SkPaymentStatus     *out_payment,
                   SkFulfillmentStatus *out_fulfillment)
{
  static const struct {
    const char          *code;
    SkOrderStatus        order;
    SkPaymentStatus      payment;
    SkFulfillmentStatus  fulfillment;
  } map[] = {
    /* awaiting payment */
    { "pending", SK_ORDER_STATUS_PENDING, SK_PAYMENT_STATUS_PENDING, SK_FULFILLMENT_STATUS_UNFULFILLED },
    /* awaiting payment confirmation (a bank transfer, a held authorization) */
    { "on-hold", SK_ORDER_STATUS_PENDING, SK_PAYMENT_STATUS_PENDING, SK_FULFILLMENT_STATUS_UNFULFILLED },
    /* paid, to be shipped */
    { "processing", SK_ORDER_STATUS_OPEN, SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "completed", SK_ORDER_STATUS_COMPLETED, SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_FULFILLED },
    { "cancelled", SK_ORDER_STATUS_CANCELLED, SK_PAYMENT_STATUS_VOIDED, SK_FULFILLMENT_STATUS_UNFULFILLED },
    /* whether it had shipped before the refund, WooCommerce does not say */
    { "refunded", SK_ORDER_STATUS_COMPLETED, SK_PAYMENT_STATUS_REFUNDED, SK_FULFILLMENT_STATUS_UNKNOWN },
    /* the payment was declined; the customer may still pay */
    { "failed", SK_ORDER_STATUS_PENDING, SK_PAYMENT_STATUS_FAILED, SK_FULFILLMENT_STATUS_UNFULFILLED },
    /* deleted in the WooCommerce admin */
    { "trash", SK_ORDER_STATUS_CANCELLED, SK_PAYMENT_STATUS_UNKNOWN, SK_FULFILLMENT_STATUS_UNKNOWN },
  };
  SkOrderStatus order = SK_ORDER_STATUS_UNKNOWN;
  SkPaymentStatus payment = SK_PAYMENT_STATUS_UNKNOWN;
  SkFulfillmentStatus fulfillment = SK_FULFILLMENT_STATUS_UNKNOWN;

  if (code != NULL && g_str_has_prefix (code, "wc-"))
    code += 3;
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (code, map[i].code))
      {
        order = map[i].order;
        payment = map[i].payment;
        fulfillment = map[i].fulfillment;
        break;
      }
  if (out_order != NULL)
    *out_order = order;
  if (out_payment != NULL)
    *out_payment = payment;
  if (out_fulfillment != NULL)
    *out_fulfillment = fulfillment;
}

static gboolean
read_statuses (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, "status");
  SkOrderStatus status;
  SkPaymentStatus payment;
  SkFulfillmentStatus fulfillment;
  gint64 paid_at = 0;
  gint64 refunded = sk_order_get_total_refunded (order);

  if (v == NULL)
    return _sk_normalize_missing_error (error, "", "status");
  if (v->type != SK_JSON_STRING || *v->string == '\0')
    return _sk_normalize_type_error (error, "", "status", v, "a status");
  if (!get_date (obj, "date_paid", TRUE, &paid_at, error))
    return FALSE;
  sk_order_set_processed_at (order, paid_at);

  sk_woo_map_status (v->string, &status, &payment, &fulfillment);
  /* Money taken before a cancellation, or for an order in a plugin's
   * status, is still taken. */
  if (paid_at != 0 && (payment == SK_PAYMENT_STATUS_VOIDED || payment == SK_PAYMENT_STATUS_UNKNOWN))
    payment = SK_PAYMENT_STATUS_PAID;
  if (payment == SK_PAYMENT_STATUS_PAID && refunded > 0)
    payment = refunded >= sk_order_get_total (order) ? SK_PAYMENT_STATUS_REFUNDED
                                                     : SK_PAYMENT_STATUS_PARTIALLY_REFUNDED;

  sk_order_set_status (order, status, v->string);
  sk_order_set_payment_status (order, payment, v->string);
  sk_order_set_fulfillment_status (order, fulfillment, v->string);
  return TRUE;
}

/* Entities */

static const struct {
  const char *name;
  gunichar    c;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0x00A0 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
  { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A }, { "ldquo", 0x201C },
  { "rdquo", 0x201D }, { "bdquo", 0x201E }, { "times", 0x00D7 }, { "prime", 0x2032 },
  { "Prime", 0x2033 }, { "euro", 0x20AC }, { "pound", 0x00A3 }, { "copy", 0x00A9 },
  { "reg", 0x00AE }, { "trade", 0x2122 }, { "deg", 0x00B0 },
};

/* The character of the entity at @p ("&ndash;…"), with its length; 0 when
 * it is not one. */
static gunichar
read_entity (const char *p, gsize *len)
{
  const char *semi = strchr (p, ';');
  gsize n;

  if (semi == NULL || semi - p > 10 || semi - p < 3)
    return 0;
  n = semi - p - 1;
  *len = semi - p + 1;
  if (p[1] == '#')
    {
      g_autofree char *digits = g_strndup (p + 2, n - 1);
      gboolean hex = digits[0] == 'x' || digits[0] == 'X';
      guint64 value;

      if (!g_ascii_string_to_unsigned (hex ? digits + 1 : digits, hex ? 16 : 10,
                                       1, 0x10FFFF, &value, NULL) ||
          !g_unichar_validate ((gunichar) value))
        return 0;
      return (gunichar) value;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == n && strncmp (p + 1, entities[i].name, n) == 0)
      return entities[i].c;
  return 0;
}

char *
sk_woo_decode_entities (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  if (strchr (text, '&') == NULL)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0';)
    {
      gsize len = 0;
      gunichar c = *p == '&' ? read_entity (p, &len) : 0;

      if (c != 0)
        {
          g_string_append_unichar (out, c);
          p += len;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Parts */

/* A region code: what WooCommerce keeps for countries with a list of
 * states ("CA", "RJ", "NSW"); free text otherwise. */
static gboolean
looks_like_code (const char *state)
{
  gsize n = strlen (state);

  if (n == 0 || n > 3)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isupper (state[i]) && !g_ascii_isdigit (state[i]))
      return FALSE;
  return TRUE;
}

static gboolean
address_is_empty (const SkAddress *a)
{
  return a->name == NULL && a->company == NULL && a->line1 == NULL && a->line2 == NULL &&
         a->city == NULL && a->region == NULL && a->postcode == NULL &&
         a->country == NULL && a->phone == NULL;
}

static gboolean
read_address (const SkJsonValue  *obj,
              const char         *name,
              SkAddress         **out,
              char              **out_email,
              GError            **error)
{
  g_autoptr(SkAddress) address = NULL;
  g_autofree char *prefix = g_strconcat (name, ".", NULL);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *email = NULL;
  const SkJsonValue *a;

  *out = NULL;
  if (!get_object (obj, name, "", &a, error))
    return FALSE;
  if (a == NULL)
    return TRUE;

  address = sk_address_new ();
  if (!get_text (a, "first_name", prefix, &first, error) ||
      !get_text (a, "last_name", prefix, &last, error) ||
      !get_text (a, "company", prefix, &address->company, error) ||
      !get_text (a, "address_1", prefix, &address->line1, error) ||
      !get_text (a, "address_2", prefix, &address->line2, error) ||
      !get_text (a, "city", prefix, &address->city, error) ||
      !get_text (a, "state", prefix, &address->region, error) ||
      !get_text (a, "postcode", prefix, &address->postcode, error) ||
      !get_text (a, "country", prefix, &address->country, error) ||
      !get_text (a, "phone", prefix, &address->phone, error) ||
      !get_text (a, "email", prefix, &email, error))
    return FALSE;
  address->name = _sk_normalize_join_name (first, last);
  if (address->region != NULL && looks_like_code (address->region))
    address->region_code = g_strdup (address->region);
  /* WooCommerce keeps the ISO 3166-1 code. */
  if (address->country != NULL && strlen (address->country) == 2 &&
      g_ascii_isupper (address->country[0]) && g_ascii_isupper (address->country[1]))
    address->country_code = g_strdup (address->country);

  if (out_email != NULL)
    *out_email = g_steal_pointer (&email);
  if (!address_is_empty (address))
    *out = g_steal_pointer (&address);
  return TRUE;
}

static gboolean
read_customer (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  SkAddress *billing = NULL;
  SkAddress *shipping = NULL;
  g_autofree char *email = NULL;
  g_autofree char *customer_id = NULL;
  const char *name = NULL;
  const char *phone = NULL;

  if (!read_address (obj, "billing", &billing, &email, error))
    return FALSE;
  sk_order_take_billing_address (order, billing);
  if (!read_address (obj, "shipping", &shipping, NULL, error))
    return FALSE;
  sk_order_take_shipping_address (order, shipping);
  if (!get_id (obj, "customer_id", "", FALSE, &customer_id, error))
    return FALSE;

  if (billing != NULL)
    {
      name = billing->name;
      phone = billing->phone;
    }
  if (name == NULL && shipping != NULL)
    name = shipping->name;
  if (phone == NULL && shipping != NULL)
    phone = shipping->phone;

  sk_order_set_customer_id (order, customer_id);
  sk_order_set_customer_name (order, name);
  sk_order_set_email (order, email);
  sk_order_set_phone (order, phone);
  return TRUE;
}

/* @amount ÷ @count rounded half to even, in integers. */
static gint64
divide_half_even (gint64 amount, gint64 count)
{
  gint64 q = amount / count;
  gint64 r = amount % count;
  guint64 twice = (guint64) ABS (r) * 2;

  if (twice > (guint64) count || (twice == (guint64) count && (q % 2) != 0))
    q += amount < 0 ? -1 : 1;
  return q;
}

static gboolean
read_line (const SkJsonValue  *item,
           const char         *prefix,
           const char         *currency,
           SkOrderLine       **out,
           gint64             *out_total,
           GError            **error)
{
  g_autoptr(SkOrderLine) line = sk_order_line_new ();
  g_autofree char *name = NULL;
  const SkJsonValue *subtotal_node;
  gint64 subtotal = 0, total = 0, price = 0, product = 0;

  if (!get_id (item, "id", prefix, FALSE, &line->external_id, error) ||
      !get_id (item, "product_id", prefix, FALSE, &line->product_id, error) ||
      !get_id (item, "variation_id", prefix, FALSE, &line->variant_id, error) ||
      !get_text (item, "sku", prefix, &line->sku, error) ||
      !get_text (item, "name", prefix, &name, error) ||
      !get_quantity (item, prefix, &line->quantity, error) ||
      !get_amount (item, "total", prefix, currency, FALSE, FALSE, &total, error) ||
      !get_amount (item, "subtotal", prefix, currency, TRUE, FALSE, &subtotal, error) ||
      !get_amount (item, "total_tax", prefix, currency, TRUE, FALSE, &line->total_tax, error) ||
      !get_amount (item, "price", prefix, currency, TRUE, TRUE, &price, error))
    return FALSE;
  line->title = sk_woo_decode_entities (name);

  subtotal_node = _sk_normalize_get_member (item, "subtotal");
  if (line->quantity == 0)
    {
      /* Nothing was sold on this line: its price is all there is to show. */
      line->unit_price = price;
    }
  else
    {
      if (subtotal_node != NULL && !(subtotal_node->type == SK_JSON_STRING &&
                                     *subtotal_node->string == '\0'))
        line->unit_price = divide_half_even (subtotal, line->quantity);
      else if (_sk_normalize_get_member (item, "price") != NULL)
        line->unit_price = price;
      else
        line->unit_price = divide_half_even (total, line->quantity);

      /* What makes quantity × unit price − discount the line's total. */
      if (__builtin_mul_overflow (line->unit_price, line->quantity, &product) ||
          __builtin_sub_overflow (product, total, &line->total_discount))
        {
          g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                       "%ssubtotal is more than an amount can hold.", prefix);
          return FALSE;
        }
    }

  *out_total = total;
  *out = g_steal_pointer (&line);
  return TRUE;
}

static gboolean
read_lines (const SkJsonValue *obj, SkOrder *order, gint64 *subtotal, GError **error)
{
  const char *currency = sk_order_get_currency (order);
  const SkJsonValue *items;
  const SkJsonValue *fees;

  if (!_sk_normalize_get_array (obj, "line_items", "", &items, error) ||
      !_sk_normalize_get_array (obj, "fee_lines", "", &fees, error))
    return FALSE;

  for (guint i = 0; items != NULL && i < items->length; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("line_items[%u].", i);
      g_autoptr(SkOrderLine) line = NULL;
      const SkJsonValue *element = &items->elements[i];
      gint64 total = 0;

      if (element->type != SK_JSON_OBJECT)
        {
          g_autofree char *name = g_strdup_printf ("line_items[%u]", i);

          return _sk_normalize_type_error (error, "", name, element, "an object");
        }
      if (!read_line (element, prefix, currency, &line, &total, error) ||
          !_sk_normalize_add_amount (subtotal, total, "", "line_items", error))
        return FALSE;
      sk_order_add_line (order, line);
    }

  /* Fees (a payment surcharge, a gift wrap) are charged like items. */
  for (guint i = 0; fees != NULL && i < fees->length; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("fee_lines[%u].", i);
      const SkJsonValue *element = &fees->elements[i];
      gint64 total;

      if (element->type != SK_JSON_OBJECT)
        {
          g_autofree char *name = g_strdup_printf ("fee_lines[%u]", i);

          return _sk_normalize_type_error (error, "", name, element, "an object");
        }
      if (!get_amount (element, "total", prefix, currency, FALSE, FALSE, &total, error) ||
          !_sk_normalize_add_amount (subtotal, total, "", "fee_lines", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_refunds (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const char *currency = sk_order_get_currency (order);
  const SkJsonValue *refunds;
  gint64 sum = 0;

  if (!_sk_normalize_get_array (obj, "refunds", "", &refunds, error))
    return FALSE;
  for (guint i = 0; refunds != NULL && i < refunds->length; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("refunds[%u].", i);
      g_autoptr(SkRefund) refund = sk_refund_new ();
      const SkJsonValue *element = &refunds->elements[i];
      gint64 amount;

      if (element->type != SK_JSON_OBJECT)
        {
          g_autofree char *name = g_strdup_printf ("refunds[%u]", i);

          return _sk_normalize_type_error (error, "", name, element, "an object");
        }
      if (!get_id (element, "id", prefix, FALSE, &refund->external_id, error) ||
          !get_text (element, "reason", prefix, &refund->note, error) ||
          (refund->note == NULL && !get_text (element, "refund", prefix, &refund->note, error)) ||
          !get_amount (element, "total", prefix, currency, FALSE, FALSE, &amount, error))
        return FALSE;
      /* WooCommerce lists refunds as negative totals ("-10.00"): the money
       * that went back is their size. */
      refund->amount = amount < 0 ? -amount : amount;
      if (!_sk_normalize_add_amount (&sum, refund->amount, "", "refunds", error))
        return FALSE;
      sk_order_add_refund (order, refund);
    }
  sk_order_set_total_refunded (order, sum);
  return TRUE;
}

/* The order */

static gboolean
read_identity (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *note = NULL;
  gint64 created, modified, completed;

  if (!get_id (obj, "id", "", TRUE, &id, error))
    return FALSE;
  sk_order_set_external_id (order, id);

  if (!get_text (obj, "number", "", &number, error))
    return FALSE;
  if (number == NULL)
    number = g_strdup (id);
  if (strspn (number, "0123456789") == strlen (number))
    {
      char *hashed = g_strconcat ("#", number, NULL);

      g_free (number);
      number = hashed;
    }
  sk_order_set_number (order, number);

  if (!get_text (obj, "currency", "", &currency, error))
    return FALSE;
  if (currency == NULL)
    return _sk_normalize_missing_error (error, "", "currency");
  if (!sk_currency_is_valid (currency))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                   "currency \"%s\" is not an ISO 4217 currency code.", currency);
      return FALSE;
    }
  sk_order_set_currency (order, currency);

  if (!get_date (obj, "date_created", FALSE, &created, error) ||
      !get_date (obj, "date_modified", TRUE, &modified, error) ||
      !get_date (obj, "date_completed", TRUE, &completed, error))
    return FALSE;
  sk_order_set_created_at (order, created);
  sk_order_set_updated_at (order, modified != 0 ? modified : created);
  sk_order_set_closed_at (order, completed);

  if (!get_text (obj, "customer_note", "", &note, error))
    return FALSE;
  sk_order_set_note (order, note);
  return TRUE;
}

static gboolean
read_totals (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const char *currency = sk_order_get_currency (order);
  gint64 amount;

  if (!get_amount (obj, "total", "", currency, FALSE, FALSE, &amount, error))
    return FALSE;
  sk_order_set_total (order, amount);
  if (!get_amount (obj, "total_tax", "", currency, TRUE, FALSE, &amount, error))
    return FALSE;
  sk_order_set_total_tax (order, amount);
  if (!get_amount (obj, "shipping_total", "", currency, TRUE, FALSE, &amount, error))
    return FALSE;
  sk_order_set_total_shipping (order, amount);
  if (!get_amount (obj, "discount_total", "", currency, TRUE, FALSE, &amount, error))
    return FALSE;
  sk_order_set_total_discounts (order, amount);
  return TRUE;
}

static SkOrder *
normalize_value (const SkJsonValue  *obj,
                 gint64              channel_id,
                 GError            **error)
{
  g_autoptr(SkOrder) order = NULL;
  gint64 subtotal = 0;

  if (obj == NULL || obj->type != SK_JSON_OBJECT)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           "The order is not a JSON object.");
      return NULL;
    }

  order = sk_order_new ();
  sk_order_set_channel_id (order, channel_id);

  if (!read_identity (obj, order, error) ||
      !read_totals (obj, order, error) ||
      !read_customer (obj, order, error) ||
      !read_lines (obj, order, &subtotal, error) ||
      !read_refunds (obj, order, error) ||
      !read_statuses (obj, order, error))
    return NULL;
  sk_order_set_subtotal (order, subtotal);

  return g_steal_pointer (&order);
}

SkOrder *
sk_woo_normalize_order (JsonNode  *node,
                        gint64     channel_id,
                        GError   **error)
{
  g_autoptr(SkJsonDoc) doc = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           "The order is not a JSON object.");
      return NULL;
    }
  doc = sk_json_doc_new ();
  return normalize_value (sk_json_doc_import (doc, node), channel_id, error);
}

/* Pages
 *
 * What the reader reads, for sk_json_doc_parse(): the rest of an order
 * (meta_data, _links, taxes, tax_lines…) is checked for syntax and left
 * out. Keep in step with the readers above. */

static const SkJsonFilter address_filter[] = {
  { "first_name", NULL }, { "last_name", NULL }, { "company", NULL },
  { "address_1", NULL }, { "address_2", NULL }, { "city", NULL },
  { "state", NULL }, { "postcode", NULL }, { "country", NULL },
  { "email", NULL }, { "phone", NULL },
  { NULL, NULL },
};

static const SkJsonFilter line_filter[] = {
  { "id", NULL }, { "name", NULL }, { "product_id", NULL },
  { "variation_id", NULL }, { "quantity", NULL }, { "sku", NULL },
  { "subtotal", NULL }, { "total", NULL }, { "total_tax", NULL },
  { "price", NULL },
  { NULL, NULL },
};

static const SkJsonFilter fee_filter[] = {
  { "total", NULL },
  { NULL, NULL },
};

static const SkJsonFilter refund_filter[] = {
  { "id", NULL }, { "reason", NULL }, { "refund", NULL }, { "total", NULL },
  { NULL, NULL },
};

static const SkJsonFilter order_filter[] = {
  { "id", NULL }, { "number", NULL }, { "status", NULL }, { "currency", NULL },
  { "date_created", NULL }, { "date_created_gmt", NULL },
  { "date_modified", NULL }, { "date_modified_gmt", NULL },
  { "date_paid", NULL }, { "date_paid_gmt", NULL },
  { "date_completed", NULL }, { "date_completed_gmt", NULL },
  { "total", NULL }, { "total_tax", NULL }, { "shipping_total", NULL },
  { "discount_total", NULL },
  { "customer_id", NULL }, { "customer_note", NULL },
  { "billing", address_filter }, { "shipping", address_filter },
  { "line_items", line_filter }, { "fee_lines", fee_filter },
  { "refunds", refund_filter },
  { NULL, NULL },
};

typedef enum {
  SCAN_OK,
  SCAN_TRUNCATED,   /* the body ended inside a value */
  SCAN_MALFORMED,   /* something that cannot be JSON */
} ScanResult;

static const char *
skip_ws (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* Past the string that starts at *@pp. */
static ScanResult
skip_string (const char **pp, const char *end)
{
  const char *p = *pp + 1;

  while (p < end && *p != '"')
    p += *p == '\\' ? 2 : 1;
  if (p >= end)
    return SCAN_TRUNCATED;
  *pp = p + 1;
  return SCAN_OK;
}

/* Past one value: strings with their escapes and nesting are followed,
 * nothing more is checked (each order then meets a real parser). */
static ScanResult
skip_value (const char **pp, const char *end)
{
  const char *p = *pp;
  int depth = 0;

  if (p >= end)
    return SCAN_TRUNCATED;
  if (*p == '"')
    return skip_string (pp, end);
  if (*p != '{' && *p != '[')
    {
      while (p < end && *p != ',' && *p != ']' && *p != '}' &&
             *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        p++;
      if (p == *pp)
        return SCAN_MALFORMED;
      if (p >= end)
        return SCAN_TRUNCATED;
      *pp = p;
      return SCAN_OK;
    }
  while (p < end)
    {
      ScanResult r;

      switch (*p)
        {
        case '"':
          if ((r = skip_string (&p, end)) != SCAN_OK)
            return r;
          continue;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (--depth == 0)
            {
              *pp = p + 1;
              return SCAN_OK;
            }
          break;
        default:
          break;
        }
      p++;
    }
  return SCAN_TRUNCATED;
}

static char *
peek_order_id (const SkJsonValue *root)
{
  char *id = NULL;

  if (root->type == SK_JSON_OBJECT && !get_id (root, "id", "", TRUE, &id, NULL))
    g_clear_pointer (&id, g_free);
  return id;
}

/* The "id" of an order that does not parse, as far as it can be read: its
 * first "id": followed by digits. */
static char *
scan_order_id (const char *data, gsize len)
{
  static const char key[] = "\"id\":";
  const char *p = g_strstr_len (data, (gssize) len, key);
  const char *end = data + len;
  const char *digits;

  if (p == NULL)
    return NULL;
  p = skip_ws (p + strlen (key), end);
  if (p < end && *p == '"')
    p++;
  digits = p;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  if (p == digits || p - digits > 18)
    return NULL;
  return g_strndup (digits, p - digits);
}

static void
normalize_element (SkImportPage      *page,
                   const SkJsonValue *root,
                   const GError      *parse_error,
                   const char        *raw,
                   gsize              len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;
  SkOrder *order;

  if (root == NULL)
    {
      reason = g_strdup_printf ("The order is not valid JSON: %s.", parse_error->message);
      id = scan_order_id (raw, len);
    }
  else if ((order = normalize_value (root, page->channel_id, &error)) != NULL)
    {
      g_ptr_array_add (page->orders, order);
      return;
    }
  else
    {
      reason = g_strdup (error->message);
      id = peek_order_id (root);
    }
  _sk_normalize_add_dead_letter (page, id, reason, raw, len);
}

static gboolean
starts_with (const char *p, const char *end, const char *word)
{
  gsize n = strlen (word);

  return (gsize) (end - p) >= n && memcmp (p, word, n) == 0;
}

/* The body's bytes past a byte order mark and white space. */
static const char *
body_start (GBytes *body, const char **out_end)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL)
    {
      data = "";
      len = 0;
    }
  *out_end = data + len;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3;
  return skip_ws (data, *out_end);
}

/* Walks the array at @p: each element goes to @page when it is not NULL. */
static ScanResult
walk_array (const char   *p,
            const char   *end,
            SkImportPage *page,
            guint        *out_count,
            const char  **out_stop)
{
  g_autoptr(SkJsonDoc) doc = page != NULL ? sk_json_doc_new () : NULL;
  ScanResult r = SCAN_OK;

  *out_count = 0;
  g_assert (p < end && *p == '[');
  p = skip_ws (p + 1, end);
  if (p < end && *p == ']')
    p++;
  else
    for (;;)
      {
        g_autoptr(GError) parse_error = NULL;
        const SkJsonValue *root = NULL;
        const char *begin;
        gsize consumed = 0;

        p = skip_ws (p, end);
        begin = p;
        if (page != NULL)
          root = sk_json_doc_parse_prefix (doc, begin, end - begin, order_filter,
                                           &consumed, &parse_error);
        if (root != NULL)
          p = begin + consumed;
        else if ((r = skip_value (&p, end)) != SCAN_OK)
          break;
        if (page != NULL)
          normalize_element (page, root, parse_error, begin, p - begin);
        (*out_count)++;

        p = skip_ws (p, end);
        if (p >= end)
          {
            r = SCAN_TRUNCATED;
            break;
          }
        if (*p == ']')
          {
            p++;
            break;
          }
        if (*p != ',')
          {
            r = SCAN_MALFORMED;
            break;
          }
        p++;
      }
  if (r == SCAN_OK && skip_ws (p, end) != end)
    r = SCAN_MALFORMED;
  *out_stop = p;
  return r;
}

gint
sk_woo_count_page (GBytes *body)
{
  const char *end;
  const char *stop;
  const char *p;
  guint count;

  g_return_val_if_fail (body != NULL, -1);

  p = body_start (body, &end);
  if (p >= end || *p != '[' || walk_array (p, end, NULL, &count, &stop) != SCAN_OK)
    return -1;
  return (gint) MIN (count, (guint) G_MAXINT);
}

gboolean
sk_woo_normalize_page (GBytes        *body,
                       SkImportPage  *page,
                       GError       **error)
{
  const char *data;
  const char *end;
  const char *stop;
  const char *p;
  guint n_orders, n_dead_letters, count;
  gsize len;
  ScanResult r;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (body, &len);
  p = body_start (body, &end);
  if (p >= end)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           _("WooCommerce sent an empty response instead of orders. "
                             "Storekeep will try again at the next sync."));
      return FALSE;
    }
  if (*p != '[')
    {
      g_autofree char *excerpt = _sk_normalize_body_excerpt (p, end - p);

      if (*p == '{' || *p == '"' || *p == '-' || g_ascii_isdigit (*p) ||
          starts_with (p, end, "null") || starts_with (p, end, "true") ||
          starts_with (p, end, "false"))
        g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                             _("The response from WooCommerce has no list of orders in it. "
                               "Check that the site address points to a WooCommerce shop."));
      else
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                     _("WooCommerce sent a response that is not JSON (it begins with “%s”). "
                       "Check the site address; if it is right, the site may be having "
                       "problems and Storekeep will try again at the next sync."),
                     excerpt);
      return FALSE;
    }

  n_orders = page->orders->len;
  n_dead_letters = page->dead_letters->len;
  r = walk_array (p, end, page, &count, &stop);
  if (r == SCAN_OK)
    return TRUE;

  /* Nothing of a broken page is kept. */
  g_ptr_array_set_size (page->orders, n_orders);
  g_ptr_array_set_size (page->dead_letters, n_dead_letters);
  if (r == SCAN_TRUNCATED)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                 _("The response from WooCommerce ended early, after %lu bytes. "
                   "The connection may have been interrupted; Storekeep will try "
                   "again at the next sync."),
                 (unsigned long) len);
  else
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                 _("The response from WooCommerce is not valid JSON (at byte %lu). "
                   "Storekeep will try again at the next sync."),
                 (unsigned long) (stop - data));
  return FALSE;
}
