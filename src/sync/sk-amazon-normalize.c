/* sk-amazon-normalize.c: Selling Partner API Orders v0 JSON → SkOrder (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Amazon sends and how it is read:
 * - Fields are PascalCase. Money is {"CurrencyCode": "USD", "Amount":
 *   "11.01"}, the amount a decimal text read exactly (sk-money). Booleans
 *   come as JSON booleans or as the texts "true"/"false"; both are read.
 * - ItemPrice, ItemTax and PromotionDiscount are for the whole line, not
 *   per unit. Our lines store a unit price, so the unit price is the line
 *   price divided by the quantity, rounded half to even; the exact line
 *   amounts stay in the order's subtotal, tax and total, which are sums of
 *   what Amazon sent (or OrderTotal itself). A line price that does not
 *   divide evenly is normal (a multi-buy promotion) and not an error.
 * - Pending orders come without OrderTotal (Amazon fixes the price when the
 *   payment is authorized). Their total is then computed from the items;
 *   where Amazon shows prices with tax included (every marketplace except
 *   the US and Canada) the tax is not added again.
 * - OrderStatus is kept as the original code of all three statuses; orders
 *   fulfilled by Amazon (FulfillmentChannel AFN) are tagged "FBA" and need
 *   no shipping from the seller until Amazon has shipped them.
 * Any field of the wrong type or an amount that is not exact makes the
 * order a dead letter whose reason names the field, e.g.
 * "OrderItems[0].ItemPrice.Amount \"ten\" is not an amount."
 */
#define G_LOG_DOMAIN "sk-amazon"

#include "config.h"

#include <string.h>

#include "sk-amazon-normalize.h"
#include "sk-error.h"
#include "sk-money.h"
#include "sk-time.h"

#define MAX_QUOTED 48

/* Marketplaces */

typedef struct {
  const char *id;
  const char *name;       /* as getOrders' SalesChannel names it */
  const char *country;
  const char *currency;
  const char *region;
  gboolean    tax_added;  /* prices shown without tax, tax added at checkout */
} Marketplace;

static const Marketplace marketplaces[] = {
  { "ATVPDKIKX0DER", "Amazon.com", "US", "USD", "na", TRUE },
  { "A2EUQ1WTGCTBG2", "Amazon.ca", "CA", "CAD", "na", TRUE },
  { "A1AM78C64UM0Y8", "Amazon.com.mx", "MX", "MXN", "na", FALSE },
  { "A2Q3Y263D00KWC", "Amazon.com.br", "BR", "BRL", "na", FALSE },
  { "A28R8C7NBKEWEA", "Amazon.ie", "IE", "EUR", "eu", FALSE },
  { "A1RKKUPIHCS9HS", "Amazon.es", "ES", "EUR", "eu", FALSE },
  { "A1F83G8C2ARO7P", "Amazon.co.uk", "GB", "GBP", "eu", FALSE },
  { "A13V1IB3VIYZZH", "Amazon.fr", "FR", "EUR", "eu", FALSE },
  { "AMEN7PMS3EDWL", "Amazon.com.be", "BE", "EUR", "eu", FALSE },
  { "A1805IZSGTT6HS", "Amazon.nl", "NL", "EUR", "eu", FALSE },
  { "A1PA6795UKMFR9", "Amazon.de", "DE", "EUR", "eu", FALSE },
  { "APJ6JRA9NG5V4", "Amazon.it", "IT", "EUR", "eu", FALSE },
  { "A2NODRKZP88ZB9", "Amazon.se", "SE", "SEK", "eu", FALSE },
  { "AE08WJ6YKNBMC", "Amazon.co.za", "ZA", "ZAR", "eu", FALSE },
  { "A1C3SOZRARQ6R3", "Amazon.pl", "PL", "PLN", "eu", FALSE },
  { "ARBP9OOSHTCHU", "Amazon.eg", "EG", "EGP", "eu", FALSE },
  { "A33AVAJ2PDY3EV", "Amazon.com.tr", "TR", "TRY", "eu", FALSE },
  { "A17E79C6D8DWNP", "Amazon.sa", "SA", "SAR", "eu", FALSE },
  { "A2VIGQ35RCS4UG", "Amazon.ae", "AE", "AED", "eu", FALSE },
  { "A21TJRUUN4KGV", "Amazon.in", "IN", "INR", "eu", FALSE },
  { "A19VAU5U5O7RUS", "Amazon.sg", "SG", "SGD", "fe", FALSE },
  { "A39IBJ37TRP1C6", "Amazon.com.au", "AU", "AUD", "fe", FALSE },
  { "A1VC38T7YXB528", "Amazon.co.jp", "JP", "JPY", "fe", FALSE },
};

static const Marketplace *
find_marketplace (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (marketplaces); i++)
    if (g_str_equal (marketplaces[i].id, id))
      return &marketplaces[i];
  return NULL;
}

const char *
sk_amazon_marketplace_currency (const char *marketplace_id)
{
  const Marketplace *m = find_marketplace (marketplace_id);

  return m != NULL ? m->currency : NULL;
}

const char *
sk_amazon_marketplace_region (const char *marketplace_id)
{
  const Marketplace *m = find_marketplace (marketplace_id);

  return m != NULL ? m->region : NULL;
}

const char *
sk_amazon_marketplace_tag (const char *marketplace_id)
{
  const Marketplace *m = find_marketplace (marketplace_id);

  return m != NULL ? m->name : NULL;
}

const char *
sk_amazon_marketplace_from_tags (const char * const *tags)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (marketplaces); j++)
      if (g_str_equal (tags[i], marketplaces[j].name))
        return marketplaces[j].id;
  return NULL;
}

/* Parts */

SkAmazonOrderParts *
sk_amazon_order_parts_new (JsonNode *order)
{
  SkAmazonOrderParts *parts;

  g_return_val_if_fail (order != NULL, NULL);

  parts = g_new0 (SkAmazonOrderParts, 1);
  parts->order = json_node_ref (order);
  return parts;
}

void
sk_amazon_order_parts_free (SkAmazonOrderParts *parts)
{
  if (parts == NULL)
    return;
  g_clear_pointer (&parts->order, json_node_unref);
  g_clear_pointer (&parts->items, json_node_unref);
  g_clear_pointer (&parts->address, json_node_unref);
  g_free (parts->failure);
  g_free (parts);
}

/* Field access
 *
 * Every reader takes the object, the member name and a prefix giving the
 * path of the object in the order ("OrderItems[2]."), and fails with a
 * message that starts with the full path of the field. Absent and null
 * members read as NULL/0. */

static char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("{…}");
    case JSON_NODE_ARRAY:
      return g_strdup ("[…]");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", json_node_get_double (node)));
      }
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);

        if (g_utf8_strlen (s, -1) > MAX_QUOTED)
          return g_strdup_printf ("\"%.*s…\"",
                                  (int) (g_utf8_offset_to_pointer (s, MAX_QUOTED) - s), s);
        return g_strdup_printf ("\"%s\"", s);
      }
    default:
      return g_strdup ("?");
    }
}

static gboolean
type_error (GError    **error,
            const char *prefix,
            const char *name,
            JsonNode   *node,
            const char *expected)
{
  g_autofree char *described = describe_node (node);

  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
               "%s%s %s is not %s.", prefix, name, described, expected);
  return FALSE;
}

static gboolean
missing_error (GError **error, const char *prefix, const char *name)
{
  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
               "%s%s is missing.", prefix, name);
  return FALSE;
}

/* Member @name of @obj, NULL when absent or null. */
static JsonNode *
get_member (JsonObject *obj, const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
get_object (JsonObject   *obj,
            const char   *name,
            const char   *prefix,
            JsonObject  **out,
            GError      **error)
{
  JsonNode *node = get_member (obj, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error (error, prefix, name, node, "an object");
  *out = json_node_get_object (node);
  return TRUE;
}

/* A text member; a whole number is taken as its digits (a postcode sent as
 * 48817); an empty or blank text reads as NULL. */
static gboolean
get_text (JsonObject  *obj,
          const char  *name,
          const char  *prefix,
          char       **out,
          GError     **error)
{
  JsonNode *node = get_member (obj, name);

  g_assert (*out == NULL);
  if (node == NULL)
    return TRUE;
  if (is_string (node))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      *out = *text != '\0' ? g_steal_pointer (&text) : NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  return type_error (error, prefix, name, node, "a text");
}

/* A boolean: true/false, or the texts "true"/"false" (any case), as
 * Amazon sends both. Absent is FALSE. */
static gboolean
get_bool (JsonObject  *obj,
          const char  *name,
          const char  *prefix,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = get_member (obj, name);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }
  if (is_string (node))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      if (g_ascii_strcasecmp (text, "true") == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, "false") == 0 || *text == '\0')
        return TRUE;
    }
  return type_error (error, prefix, name, node, "true or false");
}

/* A count (quantity): a JSON integer ≥ 0, or a text of digits. */
static gboolean
get_count (JsonObject  *obj,
           const char  *name,
           const char  *prefix,
           gint64      *out,
           GError     **error)
{
  JsonNode *node = get_member (obj, name);
  guint64 value;

  if (node == NULL)
    return missing_error (error, prefix, name);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (is_string (node) &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
    {
      *out = (gint64) value;
      return TRUE;
    }
  return type_error (error, prefix, name, node, "a whole number of items");
}

static gboolean
get_time (JsonObject  *obj,
          const char  *name,
          const char  *prefix,
          gboolean     optional,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = get_member (obj, name);

  *out = 0;
  if (node == NULL || (is_string (node) && *json_node_get_string (node) == '\0'))
    {
      if (optional)
        return TRUE;
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s%s is missing.", prefix, name);
      return FALSE;
    }
  if (!is_string (node))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s%s is not a text with a date and time.", prefix, name);
      return FALSE;
    }
  if (!sk_time_parse_iso8601 (json_node_get_string (node), NULL, out, error))
    {
      g_prefix_error (error, "%s%s ", prefix, name);
      return FALSE;
    }
  return TRUE;
}

/* The CurrencyCode of money member @name, NULL when there is none. */
static const char *
peek_currency (JsonObject *obj, const char *name)
{
  JsonNode *node = get_member (obj, name);
  JsonNode *code;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  code = get_member (json_node_get_object (node), "CurrencyCode");
  if (code == NULL || !is_string (code) || *json_node_get_string (code) == '\0')
    return NULL;
  return json_node_get_string (code);
}

/* Money member @name ({"CurrencyCode", "Amount"}) in @currency: absent or
 * null is 0 and sets *@present FALSE. Another currency is an error. */
static gboolean
get_money (JsonObject  *obj,
           const char  *name,
           const char  *prefix,
           const char  *currency,
           gint64      *out,
           gboolean    *present,
           GError     **error)
{
  JsonNode *node = get_member (obj, name);
  g_autofree char *sub = g_strconcat (prefix, name, ".", NULL);
  JsonObject *money;
  JsonNode *amount;
  JsonNode *code;

  *out = 0;
  if (present != NULL)
    *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error (error, prefix, name, node, "an amount with a currency");
  money = json_node_get_object (node);

  code = get_member (money, "CurrencyCode");
  if (code != NULL && !is_string (code))
    return type_error (error, sub, "CurrencyCode", code, "a currency code");
  if (code != NULL && *json_node_get_string (code) != '\0' &&
      g_strcmp0 (json_node_get_string (code), currency) != 0)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                   "%sCurrencyCode \"%s\" is not the order currency %s.",
                   sub, json_node_get_string (code), currency);
      return FALSE;
    }

  amount = get_member (money, "Amount");
  if (amount == NULL)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%sAmount is missing.", sub);
      return FALSE;
    }
  if (!sk_money_parse_node (amount, currency, FALSE, out, error))
    {
      g_prefix_error (error, "%sAmount ", sub);
      return FALSE;
    }
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

static gboolean
add_amount (gint64     *sum,
            gint64      value,
            const char *what,
            GError    **error)
{
  if (__builtin_add_overflow (*sum, value, sum))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s adds up to more than an amount can hold.", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sub_amount (gint64     *sum,
            gint64      value,
            const char *what,
            GError    **error)
{
  if (__builtin_sub_overflow (*sum, value, sum))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s adds up to more than an amount can hold.", what);
      return FALSE;
    }
  return TRUE;
}

/* Statuses */

SkOrderStatus
sk_amazon_map_order_status (const char *code)
{
  static const struct {
    const char    *code;
    SkOrderStatus  status;
  } map[] = {
    /* Placed, the payment not yet authorized (a pre-order waits for its
     * release date). */
    { "PendingAvailability", SK_ORDER_STATUS_PENDING },
    { "Pending", SK_ORDER_STATUS_PENDING },
    { "Unshipped", SK_ORDER_STATUS_OPEN },
    { "PartiallyShipped", SK_ORDER_STATUS_OPEN },
    { "Shipped", SK_ORDER_STATUS_COMPLETED },
    /* Shipped, but the seller still has to confirm the invoice (China). */
    { "InvoiceUnconfirmed", SK_ORDER_STATUS_OPEN },
    { "Canceled", SK_ORDER_STATUS_CANCELLED },
    /* A Multi-Channel Fulfillment order Amazon cannot fulfil: someone has
     * to act on it. */
    { "Unfulfillable", SK_ORDER_STATUS_OPEN },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (code, map[i].code))
      return map[i].status;
  return SK_ORDER_STATUS_UNKNOWN;
}

SkPaymentStatus
sk_amazon_map_payment_status (const char *code)
{
  static const struct {
    const char      *code;
    SkPaymentStatus  status;
  } map[] = {
    { "PendingAvailability", SK_PAYMENT_STATUS_PENDING },
    { "Pending", SK_PAYMENT_STATUS_PENDING },
    /* Amazon authorizes at checkout and charges as items ship. */
    { "Unshipped", SK_PAYMENT_STATUS_AUTHORIZED },
    { "PartiallyShipped", SK_PAYMENT_STATUS_AUTHORIZED },
    { "Shipped", SK_PAYMENT_STATUS_PAID },
    { "InvoiceUnconfirmed", SK_PAYMENT_STATUS_PAID },
    /* The buyer was never charged. */
    { "Canceled", SK_PAYMENT_STATUS_VOIDED },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (code, map[i].code))
      return map[i].status;
  return SK_PAYMENT_STATUS_UNKNOWN;
}

SkFulfillmentStatus
sk_amazon_map_fulfillment_status (const char *code,
                                  gboolean    by_amazon)
{
  if (code == NULL)
    return SK_FULFILLMENT_STATUS_UNKNOWN;
  if (g_str_equal (code, "Shipped") || g_str_equal (code, "InvoiceUnconfirmed"))
    return SK_FULFILLMENT_STATUS_FULFILLED;
  if (g_str_equal (code, "PartiallyShipped"))
    return SK_FULFILLMENT_STATUS_PARTIAL;
  if (g_str_equal (code, "Pending") || g_str_equal (code, "PendingAvailability") ||
      g_str_equal (code, "Unshipped") || g_str_equal (code, "Canceled") ||
      g_str_equal (code, "Unfulfillable"))
    /* Amazon ships its own (FBA) orders: nothing for the seller to send. */
    return by_amazon ? SK_FULFILLMENT_STATUS_NOT_REQUIRED : SK_FULFILLMENT_STATUS_UNFULFILLED;
  return SK_FULFILLMENT_STATUS_UNKNOWN;
}

gint64
sk_amazon_unit_price (gint64 line_total,
                      gint64 quantity)
{
  gint64 q, r, twice;

  if (quantity <= 0)
    return line_total;

  q = line_total / quantity;
  r = line_total % quantity;
  if (r == 0)
    return q;

  /* Half to even, on magnitudes; |r| < quantity so 2|r| cannot overflow
   * for any quantity below 2^62. */
  twice = 2 * (r < 0 ? -r : r);
  if (twice > quantity || (twice == quantity && (q % 2) != 0))
    q += line_total < 0 ? -1 : 1;
  return q;
}

/* Ids */

/* Letters, digits and dashes ("902-1845936-5435065"): it goes into URLs. */
static gboolean
is_order_id (const char *id)
{
  if (*id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

const char *
sk_amazon_order_id (JsonNode *order)
{
  JsonNode *node;

  if (order == NULL || !JSON_NODE_HOLDS_OBJECT (order))
    return NULL;
  node = get_member (json_node_get_object (order), "AmazonOrderId");
  if (node == NULL || !is_string (node) || !is_order_id (json_node_get_string (node)))
    return NULL;
  return json_node_get_string (node);
}

/* The order */

typedef struct {
  gint64 items;        /* ItemPrice */
  gint64 shipping;     /* ShippingPrice */
  gint64 gift_wrap;    /* GiftWrapPrice */
  gint64 tax;          /* ItemTax + ShippingTax + GiftWrapTax − discount taxes */
  gint64 promotions;   /* PromotionDiscount */
  gint64 shipping_discounts; /* ShippingDiscount */
  gint64 cod_fees;     /* CODFee − CODFeeDiscount */
} Sums;

static char *
join_lines (const char *a, const char *b)
{
  if (a == NULL)
    return g_strdup (b);
  if (b == NULL)
    return g_strdup (a);
  return g_strconcat (a, ", ", b, NULL);
}

/* An Address object of the Orders API. */
static gboolean
read_address (JsonObject  *obj,
              const char  *name,
              const char  *prefix,
              SkAddress  **out,
              GError     **error)
{
  g_autoptr(SkAddress) address = NULL;
  g_autofree char *sub = g_strconcat (prefix, name, ".", NULL);
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;
  g_autofree char *county = NULL;
  g_autofree char *district = NULL;
  JsonObject *a;

  *out = NULL;
  if (!get_object (obj, name, prefix, &a, error))
    return FALSE;
  if (a == NULL)
    return TRUE;

  address = sk_address_new ();
  if (!get_text (a, "Name", sub, &address->name, error) ||
      !get_text (a, "CompanyName", sub, &address->company, error) ||
      !get_text (a, "AddressLine1", sub, &address->line1, error) ||
      !get_text (a, "AddressLine2", sub, &line2, error) ||
      !get_text (a, "AddressLine3", sub, &line3, error) ||
      !get_text (a, "City", sub, &address->city, error) ||
      !get_text (a, "County", sub, &county, error) ||
      !get_text (a, "District", sub, &district, error) ||
      !get_text (a, "StateOrRegion", sub, &address->region, error) ||
      !get_text (a, "PostalCode", sub, &address->postcode, error) ||
      !get_text (a, "CountryCode", sub, &address->country_code, error) ||
      !get_text (a, "Phone", sub, &address->phone, error))
    return FALSE;

  address->line2 = join_lines (line2, line3);
  /* Some countries have no city but a district or county. */
  if (address->city == NULL)
    address->city = g_strdup (district != NULL ? district : county);
  if (address->country_code != NULL)
    {
      char *upper = g_ascii_strup (address->country_code, -1);

      g_free (address->country_code);
      address->country_code = upper;
    }
  /* In the US and Canada StateOrRegion is the postal code of the state. */
  if (address->region != NULL && strlen (address->region) == 2 &&
      (g_strcmp0 (address->country_code, "US") == 0 ||
       g_strcmp0 (address->country_code, "CA") == 0))
    address->region_code = g_ascii_strup (address->region, -1);

  if (address->name == NULL && address->line1 == NULL && address->city == NULL &&
      address->postcode == NULL && address->country_code == NULL)
    return TRUE;
  *out = g_steal_pointer (&address);
  return TRUE;
}

/* The currency: OrderTotal's, else the first an item names, else the
 * marketplace's. */
static gboolean
read_currency (JsonObject  *obj,
               JsonNode    *items,
               char       **out,
               GError     **error)
{
  static const char *item_money[] = { "ItemPrice", "ItemTax", "ShippingPrice", "PromotionDiscount" };
  const char *code = peek_currency (obj, "OrderTotal");
  g_autofree char *where = g_strdup ("OrderTotal.");
  JsonNode *marketplace;

  if (code == NULL && items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    {
      JsonArray *array = json_node_get_array (items);

      for (guint i = 0; code == NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          for (guint k = 0; code == NULL && JSON_NODE_HOLDS_OBJECT (item) &&
                            k < G_N_ELEMENTS (item_money); k++)
            {
              code = peek_currency (json_node_get_object (item), item_money[k]);
              if (code != NULL)
                {
                  g_free (where);
                  where = g_strdup_printf ("OrderItems[%u].%s.", i, item_money[k]);
                }
            }
        }
    }
  marketplace = get_member (obj, "MarketplaceId");
  if (code == NULL && marketplace != NULL && is_string (marketplace))
    code = sk_amazon_marketplace_currency (json_node_get_string (marketplace));
  if (code == NULL)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                           "OrderTotal is missing and neither the items nor the marketplace tell the currency.");
      return FALSE;
    }
  if (!sk_currency_is_valid (code))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                   "%sCurrencyCode \"%s\" is not an ISO 4217 currency code.", where, code);
      return FALSE;
    }
  *out = g_strdup (code);
  return TRUE;
}

static gboolean
read_line (JsonObject   *item,
           const char   *prefix,
           const char   *currency,
           Sums         *sums,
           SkOrderLine **out,
           gboolean     *out_gift,
           char        **out_cancel_reason,
           GError      **error)
{
  g_autoptr(SkOrderLine) line = sk_order_line_new ();
  static const char *taxes[] = { "ShippingTax", "GiftWrapTax" };
  static const char *discount_taxes[] = { "PromotionDiscountTax", "ShippingDiscountTax" };
  JsonObject *cancel;
  gint64 price, amount;
  gboolean requested = FALSE;

  if (!get_text (item, "OrderItemId", prefix, &line->external_id, error) ||
      !get_text (item, "ASIN", prefix, &line->product_id, error) ||
      !get_text (item, "SellerSKU", prefix, &line->sku, error) ||
      !get_text (item, "Title", prefix, &line->title, error) ||
      !get_count (item, "QuantityOrdered", prefix, &line->quantity, error) ||
      !get_money (item, "ItemPrice", prefix, currency, &price, NULL, error) ||
      !get_money (item, "ItemTax", prefix, currency, &line->total_tax, NULL, error) ||
      !get_money (item, "PromotionDiscount", prefix, currency, &line->total_discount, NULL, error) ||
      !get_bool (item, "IsGift", prefix, out_gift, error) ||
      !get_object (item, "BuyerRequestedCancel", prefix, &cancel, error))
    return FALSE;

  line->unit_price = sk_amazon_unit_price (price, line->quantity);
  if (!add_amount (&sums->items, price, "ItemPrice", error) ||
      !add_amount (&sums->tax, line->total_tax, "ItemTax", error) ||
      !add_amount (&sums->promotions, line->total_discount, "PromotionDiscount", error))
    return FALSE;

  if (!get_money (item, "ShippingPrice", prefix, currency, &amount, NULL, error) ||
      !add_amount (&sums->shipping, amount, "ShippingPrice", error) ||
      !get_money (item, "ShippingDiscount", prefix, currency, &amount, NULL, error) ||
      !add_amount (&sums->shipping_discounts, amount, "ShippingDiscount", error) ||
      !get_money (item, "GiftWrapPrice", prefix, currency, &amount, NULL, error) ||
      !add_amount (&sums->gift_wrap, amount, "GiftWrapPrice", error) ||
      !get_money (item, "CODFee", prefix, currency, &amount, NULL, error) ||
      !add_amount (&sums->cod_fees, amount, "CODFee", error) ||
      !get_money (item, "CODFeeDiscount", prefix, currency, &amount, NULL, error) ||
      !sub_amount (&sums->cod_fees, amount, "CODFeeDiscount", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (taxes); i++)
    if (!get_money (item, taxes[i], prefix, currency, &amount, NULL, error) ||
        !add_amount (&sums->tax, amount, taxes[i], error))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (discount_taxes); i++)
    if (!get_money (item, discount_taxes[i], prefix, currency, &amount, NULL, error) ||
        !sub_amount (&sums->tax, amount, discount_taxes[i], error))
      return FALSE;

  if (cancel != NULL)
    {
      g_autofree char *sub = g_strconcat (prefix, "BuyerRequestedCancel.", NULL);

      if (!get_bool (cancel, "IsBuyerRequestedCancel", sub, &requested, error))
        return FALSE;
      if (requested &&
          !get_text (cancel, "BuyerCancelReason", sub, out_cancel_reason, error))
        return FALSE;
      if (requested && *out_cancel_reason == NULL)
        *out_cancel_reason = g_strdup ("");
    }

  *out = g_steal_pointer (&line);
  return TRUE;
}

static gboolean
read_lines (JsonNode   *items,
            SkOrder    *order,
            Sums       *sums,
            GPtrArray  *tags,
            char      **out_note,
            GError    **error)
{
  const char *currency = sk_order_get_currency (order);
  g_autofree char *cancel_reason = NULL;
  gboolean gift = FALSE;
  JsonArray *array;

  if (items == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (items))
    return type_error (error, "", "OrderItems", items, "a list");

  array = json_node_get_array (items);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("OrderItems[%u].", i);
      g_autoptr(SkOrderLine) line = NULL;
      g_autofree char *reason = NULL;
      JsonNode *element = json_array_get_element (array, i);
      gboolean line_gift = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autofree char *name = g_strdup_printf ("OrderItems[%u]", i);

          return type_error (error, "", name, element, "an object");
        }
      if (!read_line (json_node_get_object (element), prefix, currency, sums,
                      &line, &line_gift, &reason, error))
        return FALSE;
      gift |= line_gift;
      if (reason != NULL && cancel_reason == NULL)
        cancel_reason = g_steal_pointer (&reason);
      sk_order_add_line (order, line);
    }

  if (gift)
    g_ptr_array_add (tags, SK_AMAZON_TAG_GIFT);
  if (cancel_reason != NULL)
    {
      g_ptr_array_add (tags, SK_AMAZON_TAG_CANCEL_REQUESTED);
      *out_note = *cancel_reason != '\0'
                    ? g_strconcat ("The buyer asked to cancel: ", cancel_reason, NULL)
                    : g_strdup ("The buyer asked to cancel.");
    }
  return TRUE;
}

static gboolean
read_identity (JsonObject *obj, SkOrder *order, GError **error)
{
  JsonNode *id = get_member (obj, "AmazonOrderId");
  gint64 t;

  if (id == NULL)
    return missing_error (error, "", "AmazonOrderId");
  if (!is_string (id) || !is_order_id (json_node_get_string (id)))
    return type_error (error, "", "AmazonOrderId", id, "an Amazon order id");
  sk_order_set_external_id (order, json_node_get_string (id));
  sk_order_set_number (order, json_node_get_string (id));

  if (!get_time (obj, "PurchaseDate", "", FALSE, &t, error))
    return FALSE;
  sk_order_set_created_at (order, t);
  sk_order_set_processed_at (order, t);
  if (!get_time (obj, "LastUpdateDate", "", FALSE, &t, error))
    return FALSE;
  sk_order_set_updated_at (order, t);
  return TRUE;
}

static gboolean
read_statuses (JsonObject *obj,
               SkOrder    *order,
               GPtrArray  *tags,
               GError    **error)
{
  JsonNode *node = get_member (obj, "OrderStatus");
  g_autofree char *channel = NULL;
  const char *code;
  gboolean by_amazon;

  if (node == NULL)
    return missing_error (error, "", "OrderStatus");
  if (!is_string (node))
    return type_error (error, "", "OrderStatus", node, "a text");
  code = json_node_get_string (node);

  if (!get_text (obj, "FulfillmentChannel", "", &channel, error))
    return FALSE;
  by_amazon = g_strcmp0 (channel, "AFN") == 0;
  if (by_amazon)
    g_ptr_array_add (tags, SK_AMAZON_TAG_FBA);

  sk_order_set_status (order, sk_amazon_map_order_status (code), code);
  sk_order_set_payment_status (order, sk_amazon_map_payment_status (code), code);
  sk_order_set_fulfillment_status (order, sk_amazon_map_fulfillment_status (code, by_amazon), code);
  /* Amazon does not say when; the last update is when it happened. */
  if (g_str_equal (code, "Canceled"))
    sk_order_set_cancelled_at (order, sk_order_get_updated_at (order));
  return TRUE;
}

/* The marketplace the order was placed in, as a tag ("Amazon.ca"): its
 * shipment is confirmed there (sk-amazon-push.c). A marketplace we do not
 * know gets none. */
static void
read_marketplace (JsonObject *obj, GPtrArray *tags)
{
  JsonNode *node = get_member (obj, "MarketplaceId");
  const Marketplace *marketplace;

  if (node == NULL || !is_string (node))
    return;
  marketplace = find_marketplace (json_node_get_string (node));
  if (marketplace != NULL)
    g_ptr_array_add (tags, (gpointer) marketplace->name);
}

static gboolean
read_flags (JsonObject *obj, GPtrArray *tags, GError **error)
{
  static const struct {
    const char *field;
    const char *tag;
  } flags[] = {
    { "IsPrime", SK_AMAZON_TAG_PRIME },
    { "IsBusinessOrder", SK_AMAZON_TAG_BUSINESS },
    { "IsPremiumOrder", SK_AMAZON_TAG_PREMIUM },
    { "IsReplacementOrder", SK_AMAZON_TAG_REPLACEMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      gboolean value;

      if (!get_bool (obj, flags[i].field, "", &value, error))
        return FALSE;
      if (value)
        g_ptr_array_add (tags, (gpointer) flags[i].tag);
    }
  return TRUE;
}

static gboolean
read_customer (JsonObject *obj, SkOrder *order, GError **error)
{
  g_autofree char *email = NULL;
  g_autofree char *name = NULL;
  JsonObject *buyer;
  SkAddress *shipping;

  if (!get_object (obj, "BuyerInfo", "", &buyer, error))
    return FALSE;
  if (buyer != NULL &&
      (!get_text (buyer, "BuyerEmail", "BuyerInfo.", &email, error) ||
       !get_text (buyer, "BuyerName", "BuyerInfo.", &name, error)))
    return FALSE;
  /* Before BuyerInfo, the same fields sat on the order itself. */
  if ((email == NULL && !get_text (obj, "BuyerEmail", "", &email, error)) ||
      (name == NULL && !get_text (obj, "BuyerName", "", &name, error)))
    return FALSE;

  shipping = sk_order_get_shipping_address (order);
  if (name == NULL && shipping != NULL)
    name = g_strdup (shipping->name);

  sk_order_set_email (order, email);
  sk_order_set_customer_name (order, name);
  if (shipping != NULL)
    sk_order_set_phone (order, shipping->phone);
  return TRUE;
}

/* The shipping address: getOrderAddress's when Amazon gave it, else the
 * part of it that getOrders carries (often only city, region, postcode and
 * country). */
static gboolean
read_shipping (const SkAmazonOrderParts *parts,
               JsonObject               *obj,
               SkOrder                  *order,
               GPtrArray                *tags,
               GError                  **error)
{
  SkAddress *address = NULL;

  if (parts->address != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (parts->address))
        return type_error (error, "", "OrderAddress", parts->address, "an object");
      if (!read_address (json_node_get_object (parts->address), "ShippingAddress",
                         "OrderAddress.", &address, error))
        return FALSE;
    }
  if (address == NULL && !read_address (obj, "ShippingAddress", "", &address, error))
    return FALSE;
  if (parts->address_restricted)
    g_ptr_array_add (tags, SK_AMAZON_TAG_ADDRESS_RESTRICTED);
  sk_order_take_shipping_address (order, address);
  return TRUE;
}

/* subtotal: the items after their promotions; discounts: promotions and
 * shipping discounts; shipping: before its discount. */
static gboolean
read_totals (JsonObject  *obj,
             SkOrder     *order,
             const Sums  *sums,
             GError     **error)
{
  const char *currency = sk_order_get_currency (order);
  const Marketplace *marketplace = NULL;
  JsonNode *marketplace_id = get_member (obj, "MarketplaceId");
  gint64 subtotal = sums->items;
  gint64 discounts = sums->promotions;
  gint64 total;
  gboolean present;

  if (!sub_amount (&subtotal, sums->promotions, "PromotionDiscount", error) ||
      !add_amount (&discounts, sums->shipping_discounts, "ShippingDiscount", error))
    return FALSE;
  sk_order_set_subtotal (order, subtotal);
  sk_order_set_total_tax (order, sums->tax);
  sk_order_set_total_shipping (order, sums->shipping);
  sk_order_set_total_discounts (order, discounts);

  if (!get_money (obj, "OrderTotal", "", currency, &total, &present, error))
    return FALSE;
  if (present)
    {
      sk_order_set_total (order, total);
      return TRUE;
    }

  /* No OrderTotal (a pending order): what the items add up to. */
  if (marketplace_id != NULL && is_string (marketplace_id))
    marketplace = find_marketplace (json_node_get_string (marketplace_id));
  total = subtotal;
  if (!add_amount (&total, sums->shipping, "ShippingPrice", error) ||
      !sub_amount (&total, sums->shipping_discounts, "ShippingDiscount", error) ||
      !add_amount (&total, sums->gift_wrap, "GiftWrapPrice", error) ||
      !add_amount (&total, sums->cod_fees, "CODFee", error))
    return FALSE;
  if (marketplace != NULL && marketplace->tax_added &&
      !add_amount (&total, sums->tax, "ItemTax", error))
    return FALSE;
  sk_order_set_total (order, total);
  return TRUE;
}

SkOrder *
sk_amazon_normalize_order (const SkAmazonOrderParts  *parts,
                           gint64                     channel_id,
                           GError                   **error)
{
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  g_autofree char *currency = NULL;
  g_autofree char *note = NULL;
  JsonObject *obj;
  Sums sums = { 0 };

  g_return_val_if_fail (parts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (parts->order == NULL || !JSON_NODE_HOLDS_OBJECT (parts->order))
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           "The order is not a JSON object.");
      return NULL;
    }
  obj = json_node_get_object (parts->order);

  order = sk_order_new ();
  sk_order_set_channel_id (order, channel_id);

  if (!read_identity (obj, order, error) ||
      !read_currency (obj, parts->items, &currency, error))
    return NULL;
  sk_order_set_currency (order, currency);

  read_marketplace (obj, tags);
  if (!read_statuses (obj, order, tags, error) ||
      !read_flags (obj, tags, error) ||
      !read_shipping (parts, obj, order, tags, error) ||
      !read_customer (obj, order, error) ||
      !read_lines (parts->items, order, &sums, tags, &note, error) ||
      !read_totals (obj, order, &sums, error))
    return NULL;

  g_ptr_array_add (tags, NULL);
  sk_order_set_tags (order, (const char * const *) tags->pdata);
  sk_order_set_note (order, note);
  return g_steal_pointer (&order);
}

/* Responses */

static JsonNode *
parse_payload (GBytes *body, const char *what, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonNode *payload;
  const char *data;
  gsize len;

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   "Amazon answered %s with an empty response. Storekeep will try again at the next sync.",
                   what);
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, &local))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   "Amazon answered %s with something that is not valid JSON. The connection may have been interrupted; Storekeep will try again at the next sync.",
                   what);
      return NULL;
    }
  root = json_parser_get_root (parser);
  payload = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
              ? json_object_get_member (json_node_get_object (root), "payload") : NULL;
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   "Amazon answered %s without the expected payload. Check the region in the channel settings; Storekeep will try again at the next sync.",
                   what);
      return NULL;
    }
  return json_node_ref (payload);
}

static char *
next_token_of (JsonObject *payload)
{
  JsonNode *node = get_member (payload, "NextToken");

  if (node == NULL || !is_string (node) || *json_node_get_string (node) == '\0')
    return NULL;
  return g_strdup (json_node_get_string (node));
}

gboolean
sk_amazon_parse_orders_page (GBytes     *body,
                             GPtrArray **out_orders,
                             char      **out_next_token,
                             GError    **error)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (out_orders != NULL, FALSE);
  g_return_val_if_fail (out_next_token != NULL, FALSE);

  payload = parse_payload (body, "the list of orders", error);
  if (payload == NULL)
    return FALSE;
  list = get_member (json_node_get_object (payload), "Orders");
  if (list != NULL && !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           "Amazon sent a list of orders whose Orders is not a list. Storekeep will try again at the next sync.");
      return FALSE;
    }

  orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  array = list != NULL ? json_node_get_array (list) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (orders, json_array_dup_element (array, i));

  *out_next_token = next_token_of (json_node_get_object (payload));
  *out_orders = g_steal_pointer (&orders);
  return TRUE;
}

gboolean
sk_amazon_parse_items_page (GBytes    *body,
                            JsonNode  *items,
                            char     **out_next_token,
                            GError   **error)
{
  g_autoptr(JsonNode) payload = NULL;
  JsonNode *list;
  JsonArray *from, *to;

  g_return_val_if_fail (items != NULL && JSON_NODE_HOLDS_ARRAY (items), FALSE);
  g_return_val_if_fail (out_next_token != NULL, FALSE);

  payload = parse_payload (body, "the items of an order", error);
  if (payload == NULL)
    return FALSE;
  list = get_member (json_node_get_object (payload), "OrderItems");
  if (list != NULL && !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                           "Amazon sent the items of an order without a list of items. Storekeep will try again at the next sync.");
      return FALSE;
    }

  from = list != NULL ? json_node_get_array (list) : NULL;
  to = json_node_get_array (items);
  for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
    json_array_add_element (to, json_array_dup_element (from, i));

  *out_next_token = next_token_of (json_node_get_object (payload));
  return TRUE;
}

JsonNode *
sk_amazon_parse_address (GBytes  *body,
                         GError **error)
{
  return parse_payload (body, "the address of an order", error);
}

/* Pages */

static GBytes *
raw_of (const SkAmazonOrderParts *parts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Order");
  json_builder_add_value (builder, json_node_copy (parts->order));
  if (parts->items != NULL)
    {
      json_builder_set_member_name (builder, "OrderItems");
      json_builder_add_value (builder, json_node_copy (parts->items));
    }
  if (parts->address != NULL)
    {
      json_builder_set_member_name (builder, "OrderAddress");
      json_builder_add_value (builder, json_node_copy (parts->address));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

void
sk_amazon_normalize_page (GPtrArray    *parts,
                          SkImportPage *page)
{
  g_return_if_fail (parts != NULL);
  g_return_if_fail (page != NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      SkAmazonOrderParts *p = g_ptr_array_index (parts, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(SkOrder) order = NULL;
      g_autoptr(GBytes) raw = NULL;
      const char *reason;

      if (p->failure == NULL)
        order = sk_amazon_normalize_order (p, page->channel_id, &error);
      if (order != NULL)
        {
          g_ptr_array_add (page->orders, g_steal_pointer (&order));
          continue;
        }

      reason = p->failure != NULL ? p->failure : error->message;
      raw = raw_of (p);
      g_ptr_array_add (page->dead_letters,
                       sk_dead_letter_new (page->resource, sk_amazon_order_id (p->order),
                                           reason, raw));
    }
}
