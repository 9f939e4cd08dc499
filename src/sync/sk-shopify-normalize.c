/* sk-shopify-normalize.c: Shopify Admin REST order JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two halves. The order reader takes one order object, current shape (money
 * in *_set.shop_money) or legacy (money as strings), and refuses it with a
 * reason naming the field and its value when something cannot be trusted.
 * sk_shopify_normalize_page() splits a response body into the raw bytes of
 * each order with a small scanner and parses each order on its own, so one
 * broken order (bad UTF-8, bad JSON, bad field) becomes a dead letter with
 * its own bytes while the rest of the page imports.
 *
 * Orders are read as SkJsonValue (sk-json.h) rather than json-glib nodes:
 * building json-glib trees cost three times what everything else does. A
 * JsonNode given to sk_shopify_normalize_order() is imported first.
 */
#define G_LOG_DOMAIN "sk-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-json.h"
#include "sk-normalize-private.h"
#include "sk-money.h"
#include "sk-time.h"
#include "sk-shopify-normalize.h"

/* Field access
 *
 * Every reader takes the object, the member name and a prefix giving the
 * path of the object in the order ("line_items[2]."), and fails with a
 * message that starts with the full path of the field. Absent and null
 * members read as NULL/0. */

/* Element @index of list @name is not an object. */
static gboolean
element_error (GError            **error,
               const char         *prefix,
               const char         *name,
               guint               index,
               const SkJsonValue  *v)
{
  g_autofree char *indexed = g_strdup_printf ("%s[%u]", name, index);

  return _sk_normalize_type_error (error, prefix, indexed, v, "an object");
}

/* The decimal text of @value: printf is a tenth of the time spent on an
 * order, most of it on ids. */
static char *
int_to_text (gint64 value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 magnitude = value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;

  *--p = '\0';
  do
    {
      *--p = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';
  return g_strndup (p, buf + sizeof buf - 1 - p);
}

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
  if (v->type != SK_JSON_OBJECT)
    return _sk_normalize_type_error (error, prefix, name, v, "an object");
  *out = v;
  return TRUE;
}

/* A text member; a number is taken as its decimal digits (a zip code sent
 * as 40202), an empty text reads as NULL. */
static gboolean
get_text (const SkJsonValue  *obj,
          const char         *name,
          const char         *prefix,
          char              **out,
          GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  g_assert (*out == NULL);
  if (v == NULL)
    return TRUE;
  if (v->type == SK_JSON_STRING)
    {
      *out = *v->string != '\0' ? g_strdup (v->string) : NULL;
      return TRUE;
    }
  if (v->type == SK_JSON_INT)
    {
      *out = int_to_text (v->integer);
      return TRUE;
    }
  return _sk_normalize_type_error (error, prefix, name, v, "a text");
}

/* A text member whose value only matters when it is a text (statuses,
 * kinds): the string or NULL, never an error. */
static const char *
peek_string (const SkJsonValue *obj, const char *name)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  return v != NULL && v->type == SK_JSON_STRING ? v->string : NULL;
}

/* A positive decimal that fits in 63 bits, as every Shopify id does. */
static gboolean
is_decimal_id (const char *s)
{
  guint64 value;

  for (gsize n = 0; s[n] != '\0'; n++)
    if (!g_ascii_isdigit (s[n]))
      return FALSE;
  return g_ascii_string_to_unsigned (s, 10, 1, G_MAXINT64 - 1, &value, NULL);
}

/* An id: a positive JSON integer (kept in 64 bits, so ids above 2^53
 * survive) or a text of digits. Out: its decimal text. json-glib 1.6 turns
 * integers beyond 64 bits into -1, G_MININT64 or G_MAXINT64 without an
 * error, so for trees imported from it G_MAXINT64 itself is refused too. */
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
  if (v->type == SK_JSON_INT && v->integer > 0 && v->integer < G_MAXINT64)
    {
      *out = int_to_text (v->integer);
      return TRUE;
    }
  if (v->type == SK_JSON_STRING && is_decimal_id (v->string))
    {
      *out = g_strdup (v->string);
      return TRUE;
    }
  return _sk_normalize_type_error (error, prefix, name, v, "an id");
}

/* A count (quantity): a JSON integer ≥ 0, or a text of digits. */
static gboolean
get_count (const SkJsonValue  *obj,
           const char         *name,
           const char         *prefix,
           gint64             *out,
           GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);
  guint64 value;

  if (v == NULL)
    return _sk_normalize_missing_error (error, prefix, name);
  if (v->type == SK_JSON_INT && v->integer >= 0)
    {
      *out = v->integer;
      return TRUE;
    }
  if (v->type == SK_JSON_STRING &&
      g_ascii_string_to_unsigned (v->string, 10, 0, G_MAXINT64, &value, NULL))
    {
      *out = (gint64) value;
      return TRUE;
    }
  return _sk_normalize_type_error (error, prefix, name, v, "a whole number of items");
}

/* Member @name of @obj as an amount, as sk_money_parse_member() reads
 * one: a decimal text, a JSON integer or a JSON number. */
static gboolean
get_amount (const SkJsonValue  *obj,
            const char         *name,
            const char         *prefix,
            const char         *currency,
            gint64             *out,
            GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);
  gboolean ok;

  if (v == NULL)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s%s is missing.", prefix, name);
      return FALSE;
    }
  switch (v->type)
    {
    case SK_JSON_STRING:
      ok = sk_money_parse_decimal (v->string, sk_currency_exponent (currency),
                                   FALSE, out, error);
      break;
    case SK_JSON_INT:
      ok = sk_money_parse_int (v->integer, currency, out, error);
      break;
    case SK_JSON_DOUBLE:
      ok = sk_money_parse_json_number (v, currency, FALSE, out, error);
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

/* Money in the shop's currency: @set_name ({"shop_money": {"amount": "1.00",
 * "currency_code": "USD"}, "presentment_money": …}) when present, else the
 * legacy @legacy_name ("1.00"). Either name may be NULL. The currency has
 * been checked by then. */
static gboolean
get_money (const SkJsonValue  *obj,
           const char         *set_name,
           const char         *legacy_name,
           const char         *prefix,
           const char         *currency,
           gboolean            optional,
           gint64             *out,
           GError            **error)
{
  const SkJsonValue *set = set_name ? _sk_normalize_get_member (obj, set_name) : NULL;

  *out = 0;
  if (set != NULL)
    {
      g_autofree char *set_prefix = g_strconcat (prefix, set_name, ".", NULL);
      g_autofree char *shop_prefix = g_strconcat (set_prefix, "shop_money.", NULL);
      const SkJsonValue *shop_money;
      const char *code;

      if (set->type != SK_JSON_OBJECT)
        return _sk_normalize_type_error (error, prefix, set_name, set, "an amount with currency");
      if (!get_object (set, "shop_money", set_prefix, &shop_money, error))
        return FALSE;
      if (shop_money == NULL)
        return _sk_normalize_missing_error (error, set_prefix, "shop_money");
      code = peek_string (shop_money, "currency_code");
      if (code != NULL && g_strcmp0 (code, currency) != 0)
        {
          g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                       "%scurrency_code \"%s\" is not the shop currency %s.",
                       shop_prefix, code, currency);
          return FALSE;
        }
      return get_amount (shop_money, "amount", shop_prefix, currency, out, error);
    }

  if (legacy_name != NULL && _sk_normalize_get_member (obj, legacy_name) != NULL)
    return get_amount (obj, legacy_name, prefix, currency, out, error);

  if (optional)
    return TRUE;
  return _sk_normalize_missing_error (error, prefix, legacy_name ? legacy_name : set_name);
}

/* A time member, as sk_time_parse_member() reads one: absent, null or ""
 * is 0 when @optional. */
static gboolean
get_time (const SkJsonValue  *obj,
          const char         *name,
          const char         *prefix,
          gboolean            optional,
          gint64             *out,
          GError            **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  *out = 0;
  if (v == NULL || (v->type == SK_JSON_STRING && *v->string == '\0'))
    {
      if (optional)
        return TRUE;
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s%s is missing.", prefix, name);
      return FALSE;
    }
  if (v->type != SK_JSON_STRING)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s%s is not a text with a date and time.", prefix, name);
      return FALSE;
    }
  if (!sk_time_parse_iso8601 (v->string, NULL, out, error))
    {
      g_prefix_error (error, "%s%s ", prefix, name);
      return FALSE;
    }
  return TRUE;
}

/* Statuses */

SkPaymentStatus
sk_shopify_map_financial_status (const char *code)
{
  static const struct {
    const char     *code;
    SkPaymentStatus status;
  } map[] = {
    { "pending", SK_PAYMENT_STATUS_PENDING },
    { "authorized", SK_PAYMENT_STATUS_AUTHORIZED },
    { "partially_paid", SK_PAYMENT_STATUS_PARTIALLY_PAID },
    { "paid", SK_PAYMENT_STATUS_PAID },
    { "partially_refunded", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED },
    { "refunded", SK_PAYMENT_STATUS_REFUNDED },
    { "voided", SK_PAYMENT_STATUS_VOIDED },
    /* The authorization ran out before it was captured. */
    { "expired", SK_PAYMENT_STATUS_FAILED },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (code, map[i].code))
      return map[i].status;
  return SK_PAYMENT_STATUS_UNKNOWN;
}

SkFulfillmentStatus
sk_shopify_map_fulfillment_status (const char *code)
{
  /* Shopify sends null for an order with nothing fulfilled yet. */
  if (code == NULL || g_str_equal (code, "unfulfilled"))
    return SK_FULFILLMENT_STATUS_UNFULFILLED;
  if (g_str_equal (code, "partial"))
    return SK_FULFILLMENT_STATUS_PARTIAL;
  if (g_str_equal (code, "fulfilled"))
    return SK_FULFILLMENT_STATUS_FULFILLED;
  if (g_str_equal (code, "restocked"))
    return SK_FULFILLMENT_STATUS_RESTOCKED;
  return SK_FULFILLMENT_STATUS_UNKNOWN;
}

static gboolean
read_statuses (const SkJsonValue *obj,
               SkOrder    *order,
               gboolean    needs_shipping,
               GError    **error)
{
  const char *financial = NULL;
  const char *fulfillment = NULL;
  const SkJsonValue *node;
  SkFulfillmentStatus fulfillment_status;

  node = _sk_normalize_get_member (obj, "financial_status");
  if (node != NULL)
    {
      if (node->type != SK_JSON_STRING)
        return _sk_normalize_type_error (error, "", "financial_status", node, "a text");
      financial = node->string;
    }
  node = _sk_normalize_get_member (obj, "fulfillment_status");
  if (node != NULL)
    {
      if (node->type != SK_JSON_STRING)
        return _sk_normalize_type_error (error, "", "fulfillment_status", node, "a text");
      fulfillment = node->string;
    }

  sk_order_set_payment_status (order, sk_shopify_map_financial_status (financial), financial);

  fulfillment_status = sk_shopify_map_fulfillment_status (fulfillment);
  if (fulfillment == NULL && !needs_shipping)
    fulfillment_status = SK_FULFILLMENT_STATUS_NOT_REQUIRED;
  sk_order_set_fulfillment_status (order, fulfillment_status, fulfillment);

  if (sk_order_get_cancelled_at (order) != 0)
    {
      const char *reason = peek_string (obj, "cancel_reason");
      g_autofree char *code = reason && *reason ? g_strconcat ("cancelled:", reason, NULL)
                                                : g_strdup ("cancelled");

      sk_order_set_status (order, SK_ORDER_STATUS_CANCELLED, code);
    }
  else if (sk_order_get_closed_at (order) != 0)
    sk_order_set_status (order, SK_ORDER_STATUS_COMPLETED, "closed");
  else if (g_strcmp0 (financial, "pending") == 0)
    sk_order_set_status (order, SK_ORDER_STATUS_PENDING, "open");
  else
    sk_order_set_status (order, SK_ORDER_STATUS_OPEN, "open");
  return TRUE;
}

/* Parts */

static gboolean
read_address (const SkJsonValue  *obj,
              const char  *name,
              SkAddress  **out,
              GError     **error)
{
  g_autoptr(SkAddress) address = NULL;
  g_autofree char *prefix = g_strconcat (name, ".", NULL);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const SkJsonValue *a;

  *out = NULL;
  if (!get_object (obj, name, "", &a, error))
    return FALSE;
  if (a == NULL)
    return TRUE;

  address = sk_address_new ();
  if (!get_text (a, "name", prefix, &address->name, error) ||
      !get_text (a, "first_name", prefix, &first, error) ||
      !get_text (a, "last_name", prefix, &last, error) ||
      !get_text (a, "company", prefix, &address->company, error) ||
      !get_text (a, "address1", prefix, &address->line1, error) ||
      !get_text (a, "address2", prefix, &address->line2, error) ||
      !get_text (a, "city", prefix, &address->city, error) ||
      !get_text (a, "province", prefix, &address->region, error) ||
      !get_text (a, "province_code", prefix, &address->region_code, error) ||
      !get_text (a, "zip", prefix, &address->postcode, error) ||
      !get_text (a, "country", prefix, &address->country, error) ||
      !get_text (a, "country_code", prefix, &address->country_code, error) ||
      !get_text (a, "phone", prefix, &address->phone, error))
    return FALSE;
  if (address->name == NULL)
    address->name = _sk_normalize_join_name (first, last);

  *out = g_steal_pointer (&address);
  return TRUE;
}

static gboolean
read_customer (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  const SkJsonValue *customer;

  if (!get_object (obj, "customer", "", &customer, error))
    return FALSE;

  if (!get_text (obj, "email", "", &email, error) ||
      (email == NULL && !get_text (obj, "contact_email", "", &email, error)) ||
      !get_text (obj, "phone", "", &phone, error))
    return FALSE;

  if (customer != NULL)
    {
      if (!get_id (customer, "id", "customer.", FALSE, &id, error) ||
          !get_text (customer, "first_name", "customer.", &first, error) ||
          !get_text (customer, "last_name", "customer.", &last, error) ||
          (email == NULL && !get_text (customer, "email", "customer.", &email, error)) ||
          (phone == NULL && !get_text (customer, "phone", "customer.", &phone, error)))
        return FALSE;
      name = _sk_normalize_join_name (first, last);
    }

  if (name == NULL && sk_order_get_shipping_address (order) != NULL)
    name = g_strdup (sk_order_get_shipping_address (order)->name);
  if (name == NULL && sk_order_get_billing_address (order) != NULL)
    name = g_strdup (sk_order_get_billing_address (order)->name);

  sk_order_set_customer_id (order, id);
  sk_order_set_customer_name (order, name);
  sk_order_set_email (order, email);
  sk_order_set_phone (order, phone);
  return TRUE;
}

static gboolean
read_line (const SkJsonValue   *item,
           const char   *prefix,
           const char   *currency,
           SkOrderLine **out,
           gboolean     *out_requires_shipping,
           GError      **error)
{
  g_autoptr(SkOrderLine) line = sk_order_line_new ();
  const SkJsonValue *allocations;
  const SkJsonValue *tax_lines;
  const SkJsonValue *node;

  if (!get_id (item, "id", prefix, FALSE, &line->external_id, error) ||
      !get_id (item, "product_id", prefix, FALSE, &line->product_id, error) ||
      !get_id (item, "variant_id", prefix, FALSE, &line->variant_id, error) ||
      !get_text (item, "sku", prefix, &line->sku, error) ||
      !get_text (item, "title", prefix, &line->title, error) ||
      !get_text (item, "variant_title", prefix, &line->variant_title, error) ||
      !get_count (item, "quantity", prefix, &line->quantity, error) ||
      !get_money (item, "price_set", "price", prefix, currency, FALSE,
                  &line->unit_price, error) ||
      !_sk_normalize_get_array (item, "discount_allocations", prefix, &allocations, error) ||
      !_sk_normalize_get_array (item, "tax_lines", prefix, &tax_lines, error))
    return FALSE;

  if (line->title == NULL && !get_text (item, "name", prefix, &line->title, error))
    return FALSE;

  /* Shopify spreads discounts over lines in discount_allocations; the older
   * total_discount is only set by scripts and draft orders, so it counts
   * only where there are no allocations. */
  if (allocations != NULL && allocations->length > 0)
    {
      for (guint i = 0; i < allocations->length; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%sdiscount_allocations[%u].", prefix, i);
          const SkJsonValue *element = &allocations->elements[i];
          gint64 amount;

          if (element->type != SK_JSON_OBJECT)
            return element_error (error, prefix, "discount_allocations", i, element);
          if (!get_money (element, "amount_set", "amount", sub,
                          currency, FALSE, &amount, error) ||
              !_sk_normalize_add_amount (&line->total_discount, amount, prefix, "discount_allocations", error))
            return FALSE;
        }
    }
  else if (!get_money (item, "total_discount_set", "total_discount", prefix, currency,
                       TRUE, &line->total_discount, error))
    return FALSE;

  for (guint i = 0; tax_lines != NULL && i < tax_lines->length; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%stax_lines[%u].", prefix, i);
      const SkJsonValue *element = &tax_lines->elements[i];
      gint64 amount;

      if (element->type != SK_JSON_OBJECT)
        return element_error (error, prefix, "tax_lines", i, element);
      if (!get_money (element, "price_set", "price", sub,
                      currency, FALSE, &amount, error) ||
          !_sk_normalize_add_amount (&line->total_tax, amount, prefix, "tax_lines", error))
        return FALSE;
    }

  node = _sk_normalize_get_member (item, "requires_shipping");
  *out_requires_shipping = !(node != NULL && node->type == SK_JSON_BOOLEAN && !node->boolean);

  *out = g_steal_pointer (&line);
  return TRUE;
}

static gboolean
read_lines (const SkJsonValue *obj,
            SkOrder    *order,
            gboolean   *out_needs_shipping,
            GError    **error)
{
  const char *currency = sk_order_get_currency (order);
  const SkJsonValue *items;
  guint n;

  *out_needs_shipping = TRUE;
  if (!_sk_normalize_get_array (obj, "line_items", "", &items, error))
    return FALSE;
  if (items == NULL)
    return TRUE;

  n = items->length;
  if (n > 0)
    *out_needs_shipping = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("line_items[%u].", i);
      g_autoptr(SkOrderLine) line = NULL;
      const SkJsonValue *element = &items->elements[i];
      gboolean requires_shipping = TRUE;

      if (element->type != SK_JSON_OBJECT)
        {
          g_autofree char *name = g_strdup_printf ("line_items[%u]", i);

          return _sk_normalize_type_error (error, "", name, element, "an object");
        }
      if (!read_line (element, prefix, currency, &line,
                      &requires_shipping, error))
        return FALSE;
      *out_needs_shipping |= requires_shipping;
      sk_order_add_line (order, line);
    }
  return TRUE;
}

static gboolean
read_refund (const SkJsonValue  *obj,
             const char  *prefix,
             const char  *currency,
             SkRefund   **out,
             GError     **error)
{
  g_autoptr(SkRefund) refund = sk_refund_new ();
  const SkJsonValue *transactions;
  const SkJsonValue *refund_lines;
  gboolean have_transactions = FALSE;

  if (!get_id (obj, "id", prefix, FALSE, &refund->external_id, error) ||
      !get_time (obj, "created_at", prefix, TRUE, &refund->created_at, error) ||
      !get_text (obj, "note", prefix, &refund->note, error) ||
      !_sk_normalize_get_array (obj, "transactions", prefix, &transactions, error) ||
      !_sk_normalize_get_array (obj, "refund_line_items", prefix, &refund_lines, error))
    return FALSE;

  /* The money that went back: successful refund transactions in the shop's
   * currency. */
  for (guint i = 0; transactions != NULL && i < transactions->length; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%stransactions[%u].", prefix, i);
      const SkJsonValue *element = &transactions->elements[i];
      const SkJsonValue *t;
      const char *tx_currency;
      gint64 amount;

      if (element->type != SK_JSON_OBJECT)
        return element_error (error, prefix, "transactions", i, element);
      t = element;
      if (g_strcmp0 (peek_string (t, "kind"), "refund") != 0 ||
          g_strcmp0 (peek_string (t, "status"), "success") != 0)
        continue;
      tx_currency = peek_string (t, "currency");
      if (tx_currency != NULL && g_strcmp0 (tx_currency, currency) != 0 &&
          _sk_normalize_get_member (t, "amount_set") == NULL)
        continue;
      if (!get_money (t, "amount_set", "amount", sub, currency, FALSE, &amount, error) ||
          !_sk_normalize_add_amount (&refund->amount, amount, prefix, "transactions", error))
        return FALSE;
      have_transactions = TRUE;
    }

  /* Without transactions (a refund without money movement, or one paid in
   * another currency), the refunded lines say what it was worth. */
  for (guint i = 0; !have_transactions && refund_lines != NULL &&
                    i < refund_lines->length; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%srefund_line_items[%u].", prefix, i);
      const SkJsonValue *element = &refund_lines->elements[i];
      const SkJsonValue *r;
      gint64 subtotal;
      gint64 tax;

      if (element->type != SK_JSON_OBJECT)
        return element_error (error, prefix, "refund_line_items", i, element);
      r = element;
      if (!get_money (r, "subtotal_set", "subtotal", sub, currency, TRUE, &subtotal, error) ||
          !get_money (r, "total_tax_set", "total_tax", sub, currency, TRUE, &tax, error) ||
          !_sk_normalize_add_amount (&refund->amount, subtotal, prefix, "refund_line_items", error) ||
          !_sk_normalize_add_amount (&refund->amount, tax, prefix, "refund_line_items", error))
        return FALSE;
    }

  *out = g_steal_pointer (&refund);
  return TRUE;
}

static gboolean
read_refunds (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const SkJsonValue *refunds;
  gint64 total = 0;

  if (!_sk_normalize_get_array (obj, "refunds", "", &refunds, error))
    return FALSE;
  for (guint i = 0; refunds != NULL && i < refunds->length; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("refunds[%u].", i);
      g_autoptr(SkRefund) refund = NULL;
      const SkJsonValue *element = &refunds->elements[i];

      if (element->type != SK_JSON_OBJECT)
        return element_error (error, "", "refunds", i, element);
      if (!read_refund (element, prefix,
                        sk_order_get_currency (order), &refund, error) ||
          !_sk_normalize_add_amount (&total, refund->amount, "", "refunds", error))
        return FALSE;
      sk_order_add_refund (order, refund);
    }
  sk_order_set_total_refunded (order, total);
  return TRUE;
}

/* The first text of a list member ("tracking_urls"), or the texts joined
 * with ", " when @join. */
static gboolean
get_text_list (const SkJsonValue  *obj,
               const char  *name,
               const char  *prefix,
               gboolean     join,
               char       **out,
               GError     **error)
{
  g_autoptr(GString) s = NULL;
  const SkJsonValue *array;

  g_assert (*out == NULL);
  if (!_sk_normalize_get_array (obj, name, prefix, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < array->length; i++)
    {
      const SkJsonValue *element = &array->elements[i];
      const char *text;

      if (element->type != SK_JSON_STRING)
        return _sk_normalize_type_error (error, prefix, name, element, "a list of texts");
      text = element->string;
      if (*text == '\0')
        continue;
      if (s == NULL)
        s = g_string_new (text);
      else if (!join)
        break;
      else
        g_string_append_printf (s, ", %s", text);
    }
  *out = s ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
  return TRUE;
}

static gboolean
read_fulfillment (const SkJsonValue *obj,
                  const char     *prefix,
                  SkFulfillment **out,
                  GError        **error)
{
  g_autoptr(SkFulfillment) f = sk_fulfillment_new ();
  g_autofree char *numbers = NULL;

  if (!get_id (obj, "id", prefix, FALSE, &f->external_id, error) ||
      !get_time (obj, "created_at", prefix, TRUE, &f->created_at, error) ||
      !get_text (obj, "status", prefix, &f->status_code, error) ||
      !get_text (obj, "tracking_company", prefix, &f->tracking_company, error) ||
      !get_text (obj, "tracking_number", prefix, &f->tracking_number, error) ||
      !get_text_list (obj, "tracking_numbers", prefix, TRUE, &numbers, error) ||
      !get_text (obj, "tracking_url", prefix, &f->tracking_url, error) ||
      (f->tracking_url == NULL &&
       !get_text_list (obj, "tracking_urls", prefix, FALSE, &f->tracking_url, error)))
    return FALSE;

  /* tracking_number is the first of tracking_numbers; keep them all when a
   * fulfillment went out in several parcels. */
  if (numbers != NULL && (f->tracking_number == NULL || strchr (numbers, ',') != NULL))
    {
      g_free (f->tracking_number);
      f->tracking_number = g_steal_pointer (&numbers);
    }

  *out = g_steal_pointer (&f);
  return TRUE;
}

static gboolean
read_fulfillments (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const SkJsonValue *fulfillments;

  if (!_sk_normalize_get_array (obj, "fulfillments", "", &fulfillments, error))
    return FALSE;
  for (guint i = 0; fulfillments != NULL && i < fulfillments->length; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("fulfillments[%u].", i);
      g_autoptr(SkFulfillment) f = NULL;
      const SkJsonValue *element = &fulfillments->elements[i];

      if (element->type != SK_JSON_OBJECT)
        return element_error (error, "", "fulfillments", i, element);
      if (!read_fulfillment (element, prefix, &f, error))
        return FALSE;
      sk_order_add_fulfillment (order, f);
    }
  return TRUE;
}

/* The order */

static gboolean
read_identity (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *order_number = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *note = NULL;
  g_autofree char *tags = NULL;
  gint64 t;

  if (!get_id (obj, "id", "", TRUE, &id, error))
    return FALSE;
  sk_order_set_external_id (order, id);

  if (!get_text (obj, "name", "", &number, error) ||
      (number == NULL && !get_text (obj, "order_number", "", &order_number, error)))
    return FALSE;
  if (number == NULL && order_number != NULL)
    number = g_strconcat ("#", order_number, NULL);
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

  if (!get_time (obj, "created_at", "", FALSE, &t, error))
    return FALSE;
  sk_order_set_created_at (order, t);
  if (!get_time (obj, "updated_at", "", FALSE, &t, error))
    return FALSE;
  sk_order_set_updated_at (order, t);
  if (!get_time (obj, "processed_at", "", TRUE, &t, error))
    return FALSE;
  sk_order_set_processed_at (order, t);
  if (!get_time (obj, "cancelled_at", "", TRUE, &t, error))
    return FALSE;
  sk_order_set_cancelled_at (order, t);
  if (!get_time (obj, "closed_at", "", TRUE, &t, error))
    return FALSE;
  sk_order_set_closed_at (order, t);

  if (!get_text (obj, "note", "", &note, error) ||
      !get_text (obj, "tags", "", &tags, error))
    return FALSE;
  sk_order_set_note (order, note);
  sk_order_set_tags_from_string (order, tags);
  return TRUE;
}

static gboolean
read_totals (const SkJsonValue *obj, SkOrder *order, GError **error)
{
  const char *currency = sk_order_get_currency (order);
  gint64 amount;

  if (!get_money (obj, "total_price_set", "total_price", "", currency, FALSE, &amount, error))
    return FALSE;
  sk_order_set_total (order, amount);
  if (!get_money (obj, "subtotal_price_set", "subtotal_price", "", currency, TRUE, &amount, error))
    return FALSE;
  sk_order_set_subtotal (order, amount);
  if (!get_money (obj, "total_tax_set", "total_tax", "", currency, TRUE, &amount, error))
    return FALSE;
  sk_order_set_total_tax (order, amount);
  if (!get_money (obj, "total_discounts_set", "total_discounts", "", currency, TRUE, &amount, error))
    return FALSE;
  sk_order_set_total_discounts (order, amount);

  if (_sk_normalize_get_member (obj, "total_shipping_price_set") != NULL)
    {
      if (!get_money (obj, "total_shipping_price_set", NULL, "", currency, FALSE, &amount, error))
        return FALSE;
    }
  else
    {
      /* Legacy orders: the sum of the shipping lines. */
      const SkJsonValue *shipping_lines;

      amount = 0;
      if (!_sk_normalize_get_array (obj, "shipping_lines", "", &shipping_lines, error))
        return FALSE;
      for (guint i = 0; shipping_lines != NULL && i < shipping_lines->length; i++)
        {
          g_autofree char *prefix = g_strdup_printf ("shipping_lines[%u].", i);
          const SkJsonValue *element = &shipping_lines->elements[i];
          gint64 price;

          if (element->type != SK_JSON_OBJECT)
            return element_error (error, "", "shipping_lines", i, element);
          if (!get_money (element, "price_set", "price", prefix,
                          currency, FALSE, &price, error) ||
              !_sk_normalize_add_amount (&amount, price, "", "shipping_lines", error))
            return FALSE;
        }
    }
  sk_order_set_total_shipping (order, amount);
  return TRUE;
}

static SkOrder *
normalize_value (const SkJsonValue  *obj,
                 gint64              channel_id,
                 GError            **error)
{
  g_autoptr(SkOrder) order = NULL;
  SkAddress *address = NULL;
  gboolean needs_shipping;

  if (obj == NULL || obj->type != SK_JSON_OBJECT)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           "The order is not a JSON object.");
      return NULL;
    }

  order = sk_order_new ();
  sk_order_set_channel_id (order, channel_id);

  if (!read_identity (obj, order, error) ||
      !read_totals (obj, order, error))
    return NULL;

  if (!read_address (obj, "shipping_address", &address, error))
    return NULL;
  sk_order_take_shipping_address (order, address);
  if (!read_address (obj, "billing_address", &address, error))
    return NULL;
  sk_order_take_billing_address (order, address);

  if (!read_customer (obj, order, error) ||
      !read_lines (obj, order, &needs_shipping, error) ||
      !read_statuses (obj, order, needs_shipping, error) ||
      !read_refunds (obj, order, error) ||
      !read_fulfillments (obj, order, error))
    return NULL;

  return g_steal_pointer (&order);
}

SkOrder *
sk_shopify_normalize_order (JsonNode  *node,
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

/* Splitting a page
 *
 * A byte scanner that knows just enough JSON to find where each value ends:
 * strings with their escapes, and nesting. It checks no more than that; each
 * order's bytes then go through a real parser on their own. */

typedef struct {
  const char *start;
  const char *p;
  const char *end;
} Scanner;

typedef enum {
  SCAN_OK,
  SCAN_TRUNCATED,   /* the body ended inside a value */
  SCAN_MALFORMED,   /* something that cannot be JSON */
} ScanResult;

static void
scan_ws (Scanner *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* At '"': to just past the closing quote. */
static ScanResult
scan_string (Scanner *s)
{
  const char *p = s->p + 1;

  while (p < s->end)
    {
      const char *q = memchr (p, '"', s->end - p);
      const char *bs;
      gsize n_backslashes = 0;

      if (q == NULL)
        break;
      /* The quote ends the string unless an odd run of backslashes
       * escapes it. */
      for (bs = q; bs > p && bs[-1] == '\\'; bs--)
        n_backslashes++;
      if (n_backslashes % 2 == 0)
        {
          s->p = q + 1;
          return SCAN_OK;
        }
      p = q + 1;
    }
  s->p = s->end;
  return SCAN_TRUNCATED;
}

static ScanResult
scan_value (Scanner *s)
{
  guint depth = 0;

  if (s->p >= s->end)
    return SCAN_TRUNCATED;

  switch (*s->p)
    {
    case '"':
      return scan_string (s);
    case '{':
    case '[':
      while (s->p < s->end)
        {
          char c = *s->p;

          if (c == '"')
            {
              if (scan_string (s) != SCAN_OK)
                return SCAN_TRUNCATED;
              continue;
            }
          if (c == '{' || c == '[')
            depth++;
          else if (c == '}' || c == ']')
            {
              if (--depth == 0)
                {
                  s->p++;
                  return SCAN_OK;
                }
            }
          s->p++;
        }
      return SCAN_TRUNCATED;
    case '}':
    case ']':
    case ',':
    case ':':
      return SCAN_MALFORMED;
    default:
      {
        /* A number, true, false or null. */
        const char *begin = s->p;
        gsize n;

        while (s->p < s->end && *s->p != '\0' && strchr (",}] \t\r\n", *s->p) == NULL)
          s->p++;
        n = s->p - begin;
        if (s->p >= s->end)
          return SCAN_TRUNCATED;
        if (g_ascii_isdigit (*begin) || *begin == '-' ||
            (n == 4 && memcmp (begin, "true", 4) == 0) ||
            (n == 5 && memcmp (begin, "false", 5) == 0) ||
            (n == 4 && memcmp (begin, "null", 4) == 0))
          return SCAN_OK;
        return SCAN_MALFORMED;
      }
    }
}

/* At '{': calls @member for each member with the key's raw bytes; the
 * callback must leave s->p past the value. */
typedef ScanResult (*MemberFunc) (Scanner *s, const char *key, gsize key_len, gpointer data);

static ScanResult
scan_object (Scanner *s, MemberFunc member, gpointer data)
{
  ScanResult r;

  if (s->p >= s->end)
    return SCAN_TRUNCATED;
  if (*s->p != '{')
    return SCAN_MALFORMED;
  s->p++;
  scan_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return SCAN_OK;
    }
  for (;;)
    {
      const char *key;

      scan_ws (s);
      if (s->p >= s->end)
        return SCAN_TRUNCATED;
      if (*s->p != '"')
        return SCAN_MALFORMED;
      key = s->p + 1;
      if ((r = scan_string (s)) != SCAN_OK)
        return r;
      scan_ws (s);
      if (s->p >= s->end)
        return SCAN_TRUNCATED;
      if (*s->p != ':')
        return SCAN_MALFORMED;
      s->p++;
      scan_ws (s);
      if ((r = member (s, key, s->p - key, data)) != SCAN_OK)
        return r;
      scan_ws (s);
      if (s->p >= s->end)
        return SCAN_TRUNCATED;
      if (*s->p == '}')
        {
          s->p++;
          return SCAN_OK;
        }
      if (*s->p != ',')
        return SCAN_MALFORMED;
      s->p++;
    }
}

static gboolean
key_is (const char *key, gsize key_end_offset, const char *name)
{
  /* key points after the opening quote; key_end_offset counts to the start
   * of the value, so the key's own bytes end at the closing quote. */
  gsize n = strlen (name);

  return strncmp (key, name, n) == 0 && key[n] == '"' && key_end_offset > n;
}

typedef struct {
  char *id;
} IdScan;

static ScanResult
id_member (Scanner *s, const char *key, gsize key_len, gpointer data)
{
  IdScan *scan = data;
  const char *begin = s->p;
  ScanResult r = scan_value (s);

  if (r == SCAN_OK && scan->id == NULL && key_is (key, key_len, "id"))
    {
      g_autofree char *text = NULL;

      if (*begin == '"')
        text = g_strndup (begin + 1, s->p - begin - 2);
      else
        text = g_strndup (begin, s->p - begin);
      if (is_decimal_id (text))
        scan->id = g_steal_pointer (&text);
    }
  return r;
}

/* The top-level "id" of an order's raw bytes, as far as they can be read:
 * for dead letters of orders that do not parse. */
static char *
scan_order_id (const char *data, gsize len)
{
  Scanner s = { data, data, data + len };
  IdScan scan = { NULL };

  scan_ws (&s);
  scan_object (&s, id_member, &scan);
  return scan.id;
}

static char *
peek_order_id (const SkJsonValue *root)
{
  char *id = NULL;

  if (root->type == SK_JSON_OBJECT && !get_id (root, "id", "", TRUE, &id, NULL))
    g_clear_pointer (&id, g_free);
  return id;
}

/* What the order reader reads, for sk_json_doc_parse():
 * building only these members makes a page several times faster to read
 * (presentment money, customer consents, fulfillments' copies of the line
 * items… are most of an order's bytes). Keep these tables in step with the
 * readers above; /shopify/page/filtered-same-as-full checks it. */

static const SkJsonFilter shop_money_filter[] = {
  { "amount", NULL },
  { "currency_code", NULL },
  { NULL, NULL },
};

static const SkJsonFilter money_set_filter[] = {
  { "shop_money", shop_money_filter },
  { NULL, NULL },
};

static const SkJsonFilter address_filter[] = {
  { "name", NULL }, { "first_name", NULL }, { "last_name", NULL },
  { "company", NULL }, { "address1", NULL }, { "address2", NULL },
  { "city", NULL }, { "province", NULL }, { "province_code", NULL },
  { "zip", NULL }, { "country", NULL }, { "country_code", NULL },
  { "phone", NULL },
  { NULL, NULL },
};

static const SkJsonFilter customer_filter[] = {
  { "id", NULL }, { "first_name", NULL }, { "last_name", NULL },
  { "email", NULL }, { "phone", NULL },
  { NULL, NULL },
};

static const SkJsonFilter allocation_filter[] = {
  { "amount", NULL },
  { "amount_set", money_set_filter },
  { NULL, NULL },
};

static const SkJsonFilter price_filter[] = {
  { "price", NULL },
  { "price_set", money_set_filter },
  { NULL, NULL },
};

static const SkJsonFilter line_filter[] = {
  { "id", NULL }, { "product_id", NULL }, { "variant_id", NULL },
  { "sku", NULL }, { "title", NULL }, { "name", NULL },
  { "variant_title", NULL }, { "quantity", NULL },
  { "price", NULL }, { "price_set", money_set_filter },
  { "discount_allocations", allocation_filter },
  { "total_discount", NULL }, { "total_discount_set", money_set_filter },
  { "tax_lines", price_filter },
  { "requires_shipping", NULL },
  { NULL, NULL },
};

static const SkJsonFilter transaction_filter[] = {
  { "kind", NULL }, { "status", NULL }, { "currency", NULL },
  { "amount", NULL }, { "amount_set", money_set_filter },
  { NULL, NULL },
};

static const SkJsonFilter refund_line_filter[] = {
  { "subtotal", NULL }, { "subtotal_set", money_set_filter },
  { "total_tax", NULL }, { "total_tax_set", money_set_filter },
  { NULL, NULL },
};

static const SkJsonFilter refund_filter[] = {
  { "id", NULL }, { "created_at", NULL }, { "note", NULL },
  { "transactions", transaction_filter },
  { "refund_line_items", refund_line_filter },
  { NULL, NULL },
};

static const SkJsonFilter fulfillment_filter[] = {
  { "id", NULL }, { "created_at", NULL }, { "status", NULL },
  { "tracking_company", NULL }, { "tracking_number", NULL },
  { "tracking_numbers", NULL }, { "tracking_url", NULL },
  { "tracking_urls", NULL },
  { NULL, NULL },
};

static const SkJsonFilter order_filter[] = {
  { "id", NULL }, { "name", NULL }, { "order_number", NULL },
  { "currency", NULL },
  { "created_at", NULL }, { "updated_at", NULL }, { "processed_at", NULL },
  { "cancelled_at", NULL }, { "closed_at", NULL }, { "cancel_reason", NULL },
  { "note", NULL }, { "tags", NULL },
  { "financial_status", NULL }, { "fulfillment_status", NULL },
  { "total_price", NULL }, { "total_price_set", money_set_filter },
  { "subtotal_price", NULL }, { "subtotal_price_set", money_set_filter },
  { "total_tax", NULL }, { "total_tax_set", money_set_filter },
  { "total_discounts", NULL }, { "total_discounts_set", money_set_filter },
  { "total_shipping_price_set", money_set_filter },
  { "shipping_lines", price_filter },
  { "email", NULL }, { "contact_email", NULL }, { "phone", NULL },
  { "customer", customer_filter },
  { "shipping_address", address_filter },
  { "billing_address", address_filter },
  { "line_items", line_filter },
  { "refunds", refund_filter },
  { "fulfillments", fulfillment_filter },
  { NULL, NULL },
};

/* One element of the page: its root when it parsed, else the reason. */
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
      /* The reader checks the UTF-8 too: "…: text that is not valid UTF-8
       * at byte 40." */
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

typedef struct {
  SkImportPage *page;
  SkJsonDoc    *doc;
  gboolean      found;
} PageScan;

/* An order in the page: parsed where it starts; only when that fails is
 * its end found by the scanner, and its bytes dead-lettered. */
static ScanResult
read_element (Scanner *s, PageScan *scan)
{
  g_autoptr(GError) error = NULL;
  const char *begin = s->p;
  const SkJsonValue *root;
  gsize consumed = 0;
  ScanResult r;

  root = sk_json_doc_parse_prefix (scan->doc, begin, s->end - begin, order_filter,
                                   &consumed, &error);
  if (root != NULL)
    s->p = begin + consumed;
  else if ((r = scan_value (s)) != SCAN_OK)
    return r;
  normalize_element (scan->page, root, error, begin, s->p - begin);
  return SCAN_OK;
}

static ScanResult
page_member (Scanner *s, const char *key, gsize key_len, gpointer data)
{
  PageScan *scan = data;
  ScanResult r;

  if (key_is (key, key_len, "orders") && s->p < s->end && *s->p == '[')
    {
      scan->found = TRUE;
      s->p++;
      scan_ws (s);
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return SCAN_OK;
        }
      for (;;)
        {
          scan_ws (s);
          if ((r = read_element (s, scan)) != SCAN_OK)
            return r;
          scan_ws (s);
          if (s->p >= s->end)
            return SCAN_TRUNCATED;
          if (*s->p == ']')
            {
              s->p++;
              return SCAN_OK;
            }
          if (*s->p != ',')
            return SCAN_MALFORMED;
          s->p++;
        }
    }

  if (key_is (key, key_len, "order") && s->p < s->end && *s->p == '{')
    {
      scan->found = TRUE;
      return read_element (s, scan);
    }

  return scan_value (s);
}

/* Whether a body that is not an object still starts like a JSON value: then
 * it is JSON of the wrong shape rather than an error page. */
static gboolean
starts_json_value (const char *p, gsize len)
{
  static const char *words[] = { "null", "true", "false" };

  if (*p == '[' || *p == '"' || *p == '-' || g_ascii_isdigit (*p))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize n = strlen (words[i]);

      if (len >= n && memcmp (p, words[i], n) == 0 &&
          (len == n || strchr (" \t\r\n", p[n]) != NULL))
        return TRUE;
    }
  return FALSE;
}

gboolean
sk_shopify_normalize_page (GBytes        *body,
                           SkImportPage  *page,
                           GError       **error)
{
  g_autoptr(SkJsonDoc) doc = NULL;
  const char *data;
  gsize len;
  guint n_orders;
  guint n_dead_letters;
  Scanner s;
  PageScan scan;
  ScanResult r;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (body, &len);
  if (data == NULL)
    data = "";
  doc = sk_json_doc_new ();
  scan.page = page;
  scan.doc = doc;
  scan.found = FALSE;
  n_orders = page->orders->len;
  n_dead_letters = page->dead_letters->len;
  s.start = s.p = data;
  s.end = data + len;

  /* Skip a UTF-8 byte order mark and white space. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;
  scan_ws (&s);
  if (s.p >= s.end)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           _("Shopify sent an empty response instead of orders. "
                             "Storekeep will try again at the next sync."));
      return FALSE;
    }
  if (*s.p != '{' && starts_json_value (s.p, s.end - s.p))
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           _("The response from Shopify has no orders in it. "
                             "Check that the shop address points to a Shopify store."));
      return FALSE;
    }
  if (*s.p != '{')
    {
      g_autofree char *excerpt = _sk_normalize_body_excerpt (s.p, s.end - s.p);

      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   _("Shopify sent a response that is not JSON (it begins with “%s”). "
                     "Check the shop address; if it is right, Shopify may be having "
                     "problems and Storekeep will try again at the next sync."),
                   excerpt);
      return FALSE;
    }

  /* Orders are read as the scan meets them; if the page turns out broken
   * after all, they are taken back. */
  r = scan_object (&s, page_member, &scan);
  if (r == SCAN_OK)
    {
      scan_ws (&s);
      if (s.p != s.end)
        r = SCAN_MALFORMED;
    }
  if (r != SCAN_OK)
    {
      g_ptr_array_set_size (page->orders, n_orders);
      g_ptr_array_set_size (page->dead_letters, n_dead_letters);
    }
  if (r == SCAN_TRUNCATED)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   _("The response from Shopify ended early, after %zu bytes. "
                     "The connection may have been interrupted; Storekeep will try "
                     "again at the next sync."),
                   len);
      return FALSE;
    }
  if (r == SCAN_MALFORMED)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   _("The response from Shopify is not valid JSON (at byte %zu). "
                     "Storekeep will try again at the next sync."),
                   (gsize) (s.p - data));
      return FALSE;
    }
  if (!scan.found)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           _("The response from Shopify has no orders in it. "
                             "Check that the shop address points to a Shopify store."));
      return FALSE;
    }

  return TRUE;
}
