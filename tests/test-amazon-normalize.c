/* test-amazon-normalize.c: Selling Partner API Orders v0 JSON → SkOrder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payloads are Amazon's own examples from the Orders v0 model (see
 * tests/fixtures/SOURCES.md); the expected values were read off them by
 * hand.
 */
#include "config.h"

#include <string.h>

#include "sk-amazon-normalize.h"
#include "sk-error.h"
#include "sk-store-import.h"
#include "sk-test-util.h"

#define FIXTURE_DIR "orders/amazon"

/* Helpers */

static GBytes *
load (const char *name)
{
  g_autofree char *relative = g_build_filename (FIXTURE_DIR, name, NULL);

  return sk_test_load_fixture (relative);
}

/* A deep, mutable copy (json_node_copy shares objects, and the parser's
 * are sealed). */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  JsonNode *copy = json_from_string (text, &error);

  g_assert_no_error (error);
  return copy;
}

/* The orders of a getOrders fixture (mutable copies). */
static GPtrArray *
load_orders (const char *name, char **out_next_token)
{
  g_autoptr(GBytes) body = load (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autofree char *next = NULL;
  GPtrArray *copies;

  g_assert_true (sk_amazon_parse_orders_page (body, &orders, &next, &error));
  g_assert_no_error (error);
  copies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (copies, deep_copy (g_ptr_array_index (orders, i)));
  if (out_next_token != NULL)
    *out_next_token = g_steal_pointer (&next);
  return copies;
}

static JsonNode *
new_array_node (void)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  return node;
}

static JsonNode *
load_items (void)
{
  g_autoptr(GBytes) body = load ("getOrderItems.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(JsonNode) items = new_array_node ();

  g_assert_true (sk_amazon_parse_items_page (body, items, &next, &error));
  g_assert_no_error (error);
  g_assert_null (next);
  return deep_copy (items);
}

static JsonNode *
load_address (void)
{
  g_autoptr(GBytes) body = load ("getOrderAddress.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) address = sk_amazon_parse_address (body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (address);
  return deep_copy (address);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
obj (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static JsonObject *
item_obj (JsonNode *items, guint i)
{
  return obj (json_array_get_element (json_node_get_array (items), i));
}

static gint64
unix_of (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static SkOrderLine *
order_line (SkOrder *order, guint i)
{
  GPtrArray *lines = sk_order_get_lines (order);

  g_assert_cmpuint (i, <, lines->len);
  return g_ptr_array_index (lines, i);
}

static SkOrder *
normalize (JsonNode *order, JsonNode *items, JsonNode *address, gboolean restricted)
{
  g_autoptr(SkAmazonOrderParts) parts = sk_amazon_order_parts_new (order);
  g_autoptr(GError) error = NULL;
  SkOrder *result;

  parts->items = items != NULL ? json_node_ref (items) : NULL;
  parts->address = address != NULL ? json_node_ref (address) : NULL;
  parts->address_restricted = restricted;
  result = sk_amazon_normalize_order (parts, 42, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The reason an order is refused. */
static char *
refusal (JsonNode *order, JsonNode *items, GQuark domain, int code)
{
  g_autoptr(SkAmazonOrderParts) parts = sk_amazon_order_parts_new (order);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) result = NULL;

  parts->items = items != NULL ? json_node_ref (items) : NULL;
  result = sk_amazon_normalize_order (parts, 42, &error);
  g_assert_null (result);
  g_assert_error (error, domain, code);
  return g_strdup (error->message);
}

static gboolean
has_tag (SkOrder *order, const char *tag)
{
  return sk_order_has_tag (order, tag);
}

/* Fixtures */

/* Every file of the folder is read by the parser its name says, so a file
 * added there without a test fails here. */
static void
test_every_fixture (void)
{
  g_autofree char *dir_path = sk_test_fixture_path (FIXTURE_DIR);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GBytes) body = load (name);
      g_autoptr(GError) local = NULL;

      g_test_message ("%s", name);
      if (g_str_has_prefix (name, "getOrders"))
        {
          g_autoptr(GPtrArray) orders = NULL;
          g_autofree char *next = NULL;

          g_assert_true (sk_amazon_parse_orders_page (body, &orders, &next, &local));
          g_assert_no_error (local);
          g_assert_cmpuint (orders->len, >, 0);
          for (guint i = 0; i < orders->len; i++)
            {
              g_autoptr(SkOrder) order = normalize (g_ptr_array_index (orders, i),
                                                    NULL, NULL, FALSE);

              g_assert_nonnull (sk_order_get_external_id (order));
              g_assert_cmpstr (sk_order_get_currency (order), ==, "USD");
              g_assert_cmpint (sk_order_get_updated_at (order), >, 0);
            }
        }
      else if (g_str_equal (name, "getOrderItems.json"))
        {
          g_autoptr(JsonNode) items = new_array_node ();
          g_autofree char *next = NULL;

          g_assert_true (sk_amazon_parse_items_page (body, items, &next, &local));
          g_assert_no_error (local);
          g_assert_cmpuint (json_array_get_length (json_node_get_array (items)), ==, 1);
        }
      else if (g_str_equal (name, "getOrderAddress.json"))
        {
          g_autoptr(JsonNode) address = sk_amazon_parse_address (body, &local);

          g_assert_no_error (local);
          g_assert_true (json_object_has_member (obj (address), "ShippingAddress"));
        }
      else
        g_assert_not_reached ();
      n++;
    }
  g_assert_cmpuint (n, ==, 4);
}

/* getOrders.json's first order with getOrderItems.json and
 * getOrderAddress.json, which Amazon's model gives for that same order. */
static void
test_full_order (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(JsonNode) items = load_items ();
  g_autoptr(JsonNode) address = load_address ();
  g_autoptr(SkOrder) order = NULL;
  SkOrderLine *line;
  SkAddress *a;

  g_assert_cmpuint (orders->len, ==, 2);
  order = normalize (g_ptr_array_index (orders, 0), items, address, FALSE);

  g_assert_cmpstr (sk_order_get_external_id (order), ==, "902-1845936-5435065");
  g_assert_cmpstr (sk_order_get_number (order), ==, "902-1845936-5435065");
  g_assert_cmpint (sk_order_get_channel_id (order), ==, 42);
  /* 1970-01-19T03:58:30Z: 18 days and 3:58:30. */
  g_assert_cmpint (sk_order_get_created_at (order), ==, 18 * 86400 + 3 * 3600 + 58 * 60 + 30);
  g_assert_cmpint (sk_order_get_processed_at (order), ==, 1569510);
  g_assert_cmpint (sk_order_get_updated_at (order), ==, 1569512);
  g_assert_cmpint (sk_order_get_cancelled_at (order), ==, 0);

  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_OPEN);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_AUTHORIZED);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_UNFULFILLED);
  g_assert_cmpstr (sk_order_get_status_code (order), ==, "Unshipped");
  g_assert_cmpstr (sk_order_get_payment_code (order), ==, "Unshipped");
  g_assert_cmpstr (sk_order_get_fulfillment_code (order), ==, "Unshipped");

  /* OrderTotal 11.01 = ItemPrice 10.00 + ItemTax 1.01. */
  g_assert_cmpstr (sk_order_get_currency (order), ==, "USD");
  g_assert_cmpint (sk_order_get_total (order), ==, 1101);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 1000);
  g_assert_cmpint (sk_order_get_total_tax (order), ==, 101);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, 0);
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, 0);
  g_assert_cmpint (sk_order_get_total_refunded (order), ==, 0);

  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 1);
  line = order_line (order, 0);
  g_assert_cmpstr (line->external_id, ==, "05015851154158");
  g_assert_cmpstr (line->product_id, ==, "B00551Q3CS");
  g_assert_cmpstr (line->sku, ==, "NABetaASINB00551Q3CS");
  g_assert_cmpstr (line->title, ==, "B00551Q3CS [Card Book]");
  g_assert_null (line->variant_id);
  g_assert_cmpint (line->quantity, ==, 1);
  g_assert_cmpint (line->unit_price, ==, 1000);
  g_assert_cmpint (line->total_tax, ==, 101);
  g_assert_cmpint (line->total_discount, ==, 0);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 1);

  a = sk_order_get_shipping_address (order);
  g_assert_nonnull (a);
  g_assert_cmpstr (a->name, ==, "MFNIntegrationTestMerchant");
  g_assert_cmpstr (a->line1, ==, "2201 WESTLAKE AVE");
  g_assert_null (a->line2);
  g_assert_cmpstr (a->city, ==, "SEATTLE");
  g_assert_cmpstr (a->region, ==, "WA");
  g_assert_cmpstr (a->region_code, ==, "WA");
  g_assert_cmpstr (a->postcode, ==, "98121-2778");
  g_assert_cmpstr (a->country_code, ==, "US");
  g_assert_cmpstr (a->phone, ==, "+1 480-386-0930 ext. 73824");
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, "SEATTLE");
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "US");
  /* The ship-from address of getOrders is the seller's, not a billing
   * address. */
  g_assert_null (sk_order_get_billing_address (order));

  /* No BuyerInfo in this example: the addressee is the customer. */
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "MFNIntegrationTestMerchant");
  g_assert_null (sk_order_get_email (order));
  g_assert_null (sk_order_get_customer_id (order));

  /* IsGift "false" (a text); the buyer asked to cancel ("true", a text). */
  g_assert_false (has_tag (order, SK_AMAZON_TAG_GIFT));
  g_assert_true (has_tag (order, SK_AMAZON_TAG_CANCEL_REQUESTED));
  g_assert_false (has_tag (order, SK_AMAZON_TAG_FBA));
  g_assert_false (has_tag (order, SK_AMAZON_TAG_PRIME));
  g_assert_false (has_tag (order, SK_AMAZON_TAG_ADDRESS_RESTRICTED));
  g_assert_cmpstr (sk_order_get_note (order), ==,
                   "The buyer asked to cancel: Found cheaper somewhere else.");
}

/* The second order of getOrders.json, alone: no items fetched, no address. */
static void
test_order_without_parts (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(SkOrder) order = normalize (g_ptr_array_index (orders, 1), NULL, NULL, FALSE);

  g_assert_cmpstr (sk_order_get_external_id (order), ==, "902-8745147-1934268");
  g_assert_cmpint (sk_order_get_total (order), ==, 1101);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 0);
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 0);
  g_assert_null (sk_order_get_shipping_address (order));
  g_assert_null (sk_order_get_note (order));
  /* no tag but its marketplace's */
  g_assert_nonnull (sk_order_get_tags (order));
  g_assert_cmpstr (sk_order_get_tags (order)[0], ==, "Amazon.com");
  g_assert_null (sk_order_get_tags (order)[1]);
}

/* getOrders-nexttoken.json: a Pending order, without OrderTotal, with the
 * non-personal ShippingAddress and BuyerInfo getOrders carries. */
static void
test_pending_order (void)
{
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) orders = load_orders ("getOrders-nexttoken.json", &next);
  g_autoptr(SkOrder) order = NULL;
  SkAddress *a;

  g_assert_cmpstr (next, ==, "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4");
  g_assert_cmpuint (orders->len, ==, 1);
  order = normalize (g_ptr_array_index (orders, 0), NULL, NULL, FALSE);

  g_assert_cmpstr (sk_order_get_external_id (order), ==, "902-3159896-1390916");
  g_assert_cmpint (sk_order_get_created_at (order), ==, unix_of ("2017-01-20T19:49:35Z"));
  g_assert_cmpint (sk_order_get_created_at (order), ==, 1484941775);
  g_assert_cmpint (sk_order_get_updated_at (order), ==, 1484941775);
  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_PENDING);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_PENDING);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_UNFULFILLED);
  g_assert_cmpstr (sk_order_get_status_code (order), ==, "Pending");

  /* No OrderTotal and no items: the marketplace (amazon.com) says USD. */
  g_assert_cmpstr (sk_order_get_currency (order), ==, "USD");
  g_assert_cmpint (sk_order_get_total (order), ==, 0);

  a = sk_order_get_shipping_address (order);
  g_assert_nonnull (a);
  g_assert_cmpstr (a->name, ==, "Michigan address");
  g_assert_cmpstr (a->line1, ==, "1 Cross St.");
  g_assert_cmpstr (a->city, ==, "Canton");
  g_assert_cmpstr (a->region, ==, "MI");
  g_assert_cmpstr (a->postcode, ==, "48817");
  g_assert_cmpstr (a->country_code, ==, "US");

  g_assert_cmpstr (sk_order_get_email (order), ==, "user@example.com");
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "John Doe");
  /* IsPrime, IsBusinessOrder… are real false booleans here. */
  g_assert_false (has_tag (order, SK_AMAZON_TAG_PRIME));
  g_assert_false (has_tag (order, SK_AMAZON_TAG_BUSINESS));
}

static void
test_address_restricted (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders-nexttoken.json", NULL);
  g_autoptr(GPtrArray) plain = load_orders ("getOrders.json", NULL);
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(SkOrder) bare = NULL;

  /* Amazon refused getOrderAddress: what getOrders said stays. */
  order = normalize (g_ptr_array_index (orders, 0), NULL, NULL, TRUE);
  g_assert_true (has_tag (order, SK_AMAZON_TAG_ADDRESS_RESTRICTED));
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, "Canton");

  bare = normalize (g_ptr_array_index (plain, 0), NULL, NULL, TRUE);
  g_assert_true (has_tag (bare, SK_AMAZON_TAG_ADDRESS_RESTRICTED));
  g_assert_null (sk_order_get_shipping_address (bare));
}

/* Statuses */

static void
test_status_mapping (void)
{
  static const struct {
    const char          *code;
    SkOrderStatus        order;
    SkPaymentStatus      payment;
    SkFulfillmentStatus  mfn;
    SkFulfillmentStatus  afn;
  } cases[] = {
    { "PendingAvailability", SK_ORDER_STATUS_PENDING, SK_PAYMENT_STATUS_PENDING,
      SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "Pending", SK_ORDER_STATUS_PENDING, SK_PAYMENT_STATUS_PENDING,
      SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "Unshipped", SK_ORDER_STATUS_OPEN, SK_PAYMENT_STATUS_AUTHORIZED,
      SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "PartiallyShipped", SK_ORDER_STATUS_OPEN, SK_PAYMENT_STATUS_AUTHORIZED,
      SK_FULFILLMENT_STATUS_PARTIAL, SK_FULFILLMENT_STATUS_PARTIAL },
    { "Shipped", SK_ORDER_STATUS_COMPLETED, SK_PAYMENT_STATUS_PAID,
      SK_FULFILLMENT_STATUS_FULFILLED, SK_FULFILLMENT_STATUS_FULFILLED },
    { "InvoiceUnconfirmed", SK_ORDER_STATUS_OPEN, SK_PAYMENT_STATUS_PAID,
      SK_FULFILLMENT_STATUS_FULFILLED, SK_FULFILLMENT_STATUS_FULFILLED },
    { "Canceled", SK_ORDER_STATUS_CANCELLED, SK_PAYMENT_STATUS_VOIDED,
      SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "Unfulfillable", SK_ORDER_STATUS_OPEN, SK_PAYMENT_STATUS_UNKNOWN,
      SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "SomethingNew", SK_ORDER_STATUS_UNKNOWN, SK_PAYMENT_STATUS_UNKNOWN,
      SK_FULFILLMENT_STATUS_UNKNOWN, SK_FULFILLMENT_STATUS_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].code);
      g_assert_cmpint (sk_amazon_map_order_status (cases[i].code), ==, cases[i].order);
      g_assert_cmpint (sk_amazon_map_payment_status (cases[i].code), ==, cases[i].payment);
      g_assert_cmpint (sk_amazon_map_fulfillment_status (cases[i].code, FALSE), ==, cases[i].mfn);
      g_assert_cmpint (sk_amazon_map_fulfillment_status (cases[i].code, TRUE), ==, cases[i].afn);
    }
  g_assert_cmpint (sk_amazon_map_order_status (NULL), ==, SK_ORDER_STATUS_UNKNOWN);
}

/* An FBA order with flags sent as texts, as older answers do. */
static void
test_fba_and_text_booleans (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  JsonObject *o = obj (g_ptr_array_index (orders, 0));
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(SkOrder) shipped = NULL;
  g_autoptr(SkOrder) cancelled = NULL;

  json_object_set_string_member (o, "FulfillmentChannel", "AFN");
  json_object_set_string_member (o, "IsPrime", "true");
  json_object_set_string_member (o, "IsBusinessOrder", "TRUE");
  json_object_set_boolean_member (o, "IsPremiumOrder", TRUE);
  json_object_set_string_member (o, "IsReplacementOrder", "false");
  order = normalize (g_ptr_array_index (orders, 0), NULL, NULL, FALSE);

  g_assert_true (has_tag (order, SK_AMAZON_TAG_FBA));
  g_assert_true (has_tag (order, SK_AMAZON_TAG_PRIME));
  g_assert_true (has_tag (order, SK_AMAZON_TAG_BUSINESS));
  g_assert_true (has_tag (order, SK_AMAZON_TAG_PREMIUM));
  g_assert_false (has_tag (order, SK_AMAZON_TAG_REPLACEMENT));
  /* Unshipped, but Amazon ships it: nothing for the seller to send. */
  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_OPEN);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_NOT_REQUIRED);
  g_assert_cmpstr (sk_order_get_fulfillment_code (order), ==, "Unshipped");

  json_object_set_string_member (o, "OrderStatus", "Shipped");
  shipped = normalize (g_ptr_array_index (orders, 0), NULL, NULL, FALSE);
  g_assert_cmpint (sk_order_get_status (shipped), ==, SK_ORDER_STATUS_COMPLETED);
  g_assert_cmpint (sk_order_get_fulfillment_status (shipped), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  g_assert_cmpint (sk_order_get_payment_status (shipped), ==, SK_PAYMENT_STATUS_PAID);

  json_object_set_string_member (o, "OrderStatus", "Canceled");
  cancelled = normalize (g_ptr_array_index (orders, 0), NULL, NULL, FALSE);
  g_assert_cmpint (sk_order_get_status (cancelled), ==, SK_ORDER_STATUS_CANCELLED);
  g_assert_cmpint (sk_order_get_cancelled_at (cancelled), ==, 1569512);
}

/* Money */

static void
test_unit_price (void)
{
  static const gint64 cases[][3] = {
    /* line total, quantity, unit price */
    { 1000, 1, 1000 },
    { 1000, 4, 250 },
    { 1000, 3, 333 },     /* 333.33 */
    { 2000, 3, 667 },     /* 666.67 */
    { 1001, 2, 500 },     /* 500.5: to even */
    { 1003, 2, 502 },     /* 501.5: to even */
    { 5, 2, 2 },          /* 2.5 */
    { 7, 2, 4 },          /* 3.5 */
    { 1, 3, 0 },
    { -1001, 2, -500 },
    { -1003, 2, -502 },
    { -1000, 3, -333 },
    { 0, 5, 0 },
    { 1000, 0, 1000 },    /* a cancelled line: nothing to divide by */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sk_amazon_unit_price (cases[i][0], cases[i][1]), ==, cases[i][2]);
}

/* ItemPrice is for the whole line: three for 10.00. */
static void
test_multi_quantity_line (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(JsonNode) items = load_items ();
  g_autoptr(JsonNode) shipping = parse ("{\"CurrencyCode\": \"USD\", \"Amount\": \"4.99\"}");
  g_autoptr(JsonNode) promotion = parse ("{\"CurrencyCode\": \"USD\", \"Amount\": \"1.50\"}");
  g_autoptr(SkOrder) order = NULL;
  JsonObject *item = item_obj (items, 0);
  SkOrderLine *line;

  json_object_set_int_member (item, "QuantityOrdered", 3);
  json_object_set_member (item, "ShippingPrice", json_node_ref (shipping));
  json_object_set_member (item, "PromotionDiscount", json_node_ref (promotion));
  json_object_set_string_member (item, "IsGift", "true");
  order = normalize (g_ptr_array_index (orders, 0), items, NULL, FALSE);

  line = order_line (order, 0);
  g_assert_cmpint (line->quantity, ==, 3);
  g_assert_cmpint (line->unit_price, ==, 333);
  g_assert_cmpint (line->total_discount, ==, 150);
  g_assert_cmpint (line->total_tax, ==, 101);
  /* The exact amounts stay in the order. */
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 1000 - 150);
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, 150);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, 499);
  g_assert_cmpint (sk_order_get_total (order), ==, 1101);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 3);
  g_assert_true (has_tag (order, SK_AMAZON_TAG_GIFT));
}

/* Without OrderTotal, the total is what the items add up to; where prices
 * include tax (Germany) the tax is not added again. */
static void
test_total_without_order_total (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(JsonNode) items = load_items ();
  g_autoptr(JsonNode) shipping = parse ("{\"CurrencyCode\": \"USD\", \"Amount\": \"4.99\"}");
  g_autoptr(JsonNode) shipping_tax = parse ("{\"CurrencyCode\": \"USD\", \"Amount\": \"0.50\"}");
  JsonObject *o = obj (g_ptr_array_index (orders, 0));
  g_autoptr(SkOrder) us = NULL;
  g_autoptr(SkOrder) de = NULL;
  g_autoptr(JsonNode) de_items = NULL;
  JsonArray *array;

  json_object_remove_member (o, "OrderTotal");
  json_object_set_member (item_obj (items, 0), "ShippingPrice", json_node_ref (shipping));
  json_object_set_member (item_obj (items, 0), "ShippingTax", json_node_ref (shipping_tax));
  us = normalize (g_ptr_array_index (orders, 0), items, NULL, FALSE);
  g_assert_cmpstr (sk_order_get_currency (us), ==, "USD");
  /* 10.00 + 4.99 + 1.01 + 0.50 */
  g_assert_cmpint (sk_order_get_total (us), ==, 1650);
  g_assert_cmpint (sk_order_get_total_tax (us), ==, 151);

  /* The same on amazon.de in euros: 19% VAT inside 11.90. */
  json_object_set_string_member (o, "MarketplaceId", "A1PA6795UKMFR9");
  de_items = parse ("[{\"OrderItemId\": \"1\", \"SellerSKU\": \"MUG-1\", \"QuantityOrdered\": 1,"
                    " \"ItemPrice\": {\"CurrencyCode\": \"EUR\", \"Amount\": \"11.90\"},"
                    " \"ItemTax\": {\"CurrencyCode\": \"EUR\", \"Amount\": \"1.90\"}}]");
  array = json_node_get_array (de_items);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  de = normalize (g_ptr_array_index (orders, 0), de_items, NULL, FALSE);
  g_assert_cmpstr (sk_order_get_currency (de), ==, "EUR");
  g_assert_cmpint (sk_order_get_total (de), ==, 1190);
  g_assert_cmpint (sk_order_get_total_tax (de), ==, 190);
}

static void
test_jpy (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(JsonNode) total = parse ("{\"CurrencyCode\": \"JPY\", \"Amount\": \"1980.00\"}");
  g_autoptr(SkOrder) order = NULL;
  JsonObject *o = obj (g_ptr_array_index (orders, 1));

  json_object_set_string_member (o, "MarketplaceId", "A1VC38T7YXB528");
  json_object_set_member (o, "OrderTotal", json_node_ref (total));
  order = normalize (g_ptr_array_index (orders, 1), NULL, NULL, FALSE);
  g_assert_cmpstr (sk_order_get_currency (order), ==, "JPY");
  g_assert_cmpint (sk_order_get_total (order), ==, 1980);
}

/* Refusals: each names its field. */
static void
test_refusals (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  JsonNode *order = g_ptr_array_index (orders, 0);
  JsonObject *o = obj (order);
  JsonObject *total = json_object_get_object_member (o, "OrderTotal");
  g_autoptr(JsonNode) items = load_items ();
  JsonObject *item = item_obj (items, 0);
  JsonObject *price = json_object_get_object_member (item, "ItemPrice");
  char *reason;

  /* A comma for a point. */
  json_object_set_string_member (total, "Amount", "11,01");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_test_message ("%s", reason);
  g_assert_true (g_str_has_prefix (reason, "OrderTotal.Amount "));
  g_free (reason);
  /* More decimals than the currency has. */
  json_object_set_string_member (total, "Amount", "11.015");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_free (reason);
  json_object_set_string_member (total, "Amount", "11.01");

  json_object_set_string_member (total, "CurrencyCode", "US$");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY);
  g_assert_nonnull (strstr (reason, "US$"));
  g_free (reason);
  json_object_set_string_member (total, "CurrencyCode", "USD");

  /* An item in another currency than the order. */
  json_object_set_string_member (price, "CurrencyCode", "EUR");
  reason = refusal (order, items, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY);
  g_assert_cmpstr (reason, ==, "OrderItems[0].ItemPrice.CurrencyCode \"EUR\" is not the order currency USD.");
  g_free (reason);
  json_object_set_string_member (price, "CurrencyCode", "USD");

  json_object_set_string_member (price, "Amount", "ten");
  reason = refusal (order, items, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_true (g_str_has_prefix (reason, "OrderItems[0].ItemPrice.Amount "));
  g_free (reason);
  json_object_set_string_member (price, "Amount", "10.00");

  json_object_set_int_member (item, "QuantityOrdered", -1);
  reason = refusal (order, items, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (reason, ==, "OrderItems[0].QuantityOrdered -1 is not a whole number of items.");
  g_free (reason);
  json_object_set_int_member (item, "QuantityOrdered", 1);

  json_object_set_string_member (item, "IsGift", "maybe");
  reason = refusal (order, items, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (reason, ==, "OrderItems[0].IsGift \"maybe\" is not true or false.");
  g_free (reason);
  json_object_set_string_member (item, "IsGift", "false");

  json_object_set_int_member (o, "IsPrime", 1);
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (reason, ==, "IsPrime 1 is not true or false.");
  g_free (reason);
  json_object_set_boolean_member (o, "IsPrime", FALSE);

  json_object_set_string_member (o, "LastUpdateDate", "yesterday");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_true (g_str_has_prefix (reason, "LastUpdateDate "));
  g_free (reason);
  json_object_remove_member (o, "LastUpdateDate");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_cmpstr (reason, ==, "LastUpdateDate is missing.");
  g_free (reason);
  json_object_set_string_member (o, "LastUpdateDate", "1970-01-19T03:58:32Z");

  json_object_set_string_member (o, "AmazonOrderId", "902/../admin");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (reason, ==, "AmazonOrderId \"902/../admin\" is not an Amazon order id.");
  g_free (reason);
  g_assert_null (sk_amazon_order_id (order));
  json_object_set_string_member (o, "AmazonOrderId", "902-1845936-5435065");
  g_assert_cmpstr (sk_amazon_order_id (order), ==, "902-1845936-5435065");

  json_object_remove_member (o, "OrderStatus");
  reason = refusal (order, NULL, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_cmpstr (reason, ==, "OrderStatus is missing.");
  g_free (reason);
}

/* A page: the good orders import, the bad one is a dead letter carrying
 * the three parts it was made of. */
static void
test_page_with_dead_letter (void)
{
  g_autoptr(GPtrArray) orders = load_orders ("getOrders.json", NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_amazon_order_parts_free);
  g_autoptr(SkImportPage) page = sk_import_page_new (42, "orders", "sync:amazon");
  g_autoptr(JsonNode) raw = NULL;
  SkAmazonOrderParts *p;
  SkDeadLetter *letter;
  const char *data;
  gsize len;

  p = sk_amazon_order_parts_new (g_ptr_array_index (orders, 0));
  p->items = load_items ();
  p->address = load_address ();
  g_ptr_array_add (parts, p);

  json_object_set_string_member (json_object_get_object_member (obj (g_ptr_array_index (orders, 1)),
                                                                "OrderTotal"),
                                 "Amount", "eleven");
  g_ptr_array_add (parts, sk_amazon_order_parts_new (g_ptr_array_index (orders, 1)));

  /* Amazon refused this one's items. */
  p = sk_amazon_order_parts_new (g_ptr_array_index (orders, 0));
  p->failure = g_strdup ("Amazon did not give the items of this order (HTTP 404).");
  g_ptr_array_add (parts, p);

  sk_amazon_normalize_page (parts, page);
  g_assert_cmpuint (page->orders->len, ==, 1);
  g_assert_cmpuint (page->dead_letters->len, ==, 2);
  g_assert_cmpstr (sk_order_get_external_id (g_ptr_array_index (page->orders, 0)), ==,
                   "902-1845936-5435065");

  letter = g_ptr_array_index (page->dead_letters, 0);
  g_assert_cmpstr (letter->external_id, ==, "902-8745147-1934268");
  g_assert_cmpstr (letter->resource, ==, "orders");
  g_assert_true (g_str_has_prefix (letter->reason, "OrderTotal.Amount \"eleven\""));
  data = g_bytes_get_data (letter->raw, &len);
  raw = json_from_string (data, NULL);
  g_assert_nonnull (raw);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (raw), "Order"),
                                                  "AmazonOrderId"), ==, "902-8745147-1934268");

  letter = g_ptr_array_index (page->dead_letters, 1);
  g_assert_cmpstr (letter->external_id, ==, "902-1845936-5435065");
  g_assert_cmpstr (letter->reason, ==, "Amazon did not give the items of this order (HTTP 404).");
}

static void
test_bad_responses (void)
{
  const char *bodies[] = {
    "",
    "<html>Service Unavailable</html>",
    "{\"errors\": [{\"code\": \"InvalidInput\"}]}",
    "{\"payload\": {\"Orders\": {}}}",
    "{\"payload\": {\"Orders\": [",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GPtrArray) orders = NULL;
      g_autofree char *next = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (sk_amazon_parse_orders_page (body, &orders, &next, &error));
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
      g_assert_null (orders);
    }
}

static void
test_marketplaces (void)
{
  g_assert_cmpstr (sk_amazon_marketplace_currency ("ATVPDKIKX0DER"), ==, "USD");
  g_assert_cmpstr (sk_amazon_marketplace_region ("ATVPDKIKX0DER"), ==, "na");
  g_assert_cmpstr (sk_amazon_marketplace_currency ("A1F83G8C2ARO7P"), ==, "GBP");
  g_assert_cmpstr (sk_amazon_marketplace_region ("A1PA6795UKMFR9"), ==, "eu");
  g_assert_cmpstr (sk_amazon_marketplace_currency ("A1VC38T7YXB528"), ==, "JPY");
  g_assert_cmpstr (sk_amazon_marketplace_region ("A39IBJ37TRP1C6"), ==, "fe");
  g_assert_null (sk_amazon_marketplace_currency ("NOPE"));
  g_assert_null (sk_amazon_marketplace_region (NULL));

  /* the tag an order gets, and back */
  g_assert_cmpstr (sk_amazon_marketplace_tag ("ATVPDKIKX0DER"), ==, "Amazon.com");
  g_assert_cmpstr (sk_amazon_marketplace_tag ("A2EUQ1WTGCTBG2"), ==, "Amazon.ca");
  g_assert_cmpstr (sk_amazon_marketplace_tag ("A1F83G8C2ARO7P"), ==, "Amazon.co.uk");
  g_assert_null (sk_amazon_marketplace_tag ("NOPE"));
  g_assert_cmpstr (sk_amazon_marketplace_from_tags ((const char *[]) { "Prime", "Amazon.ca", NULL }),
                   ==, "A2EUQ1WTGCTBG2");
  g_assert_cmpstr (sk_amazon_marketplace_from_tags ((const char *[]) { "Amazon.com", NULL }),
                   ==, "ATVPDKIKX0DER");
  g_assert_null (sk_amazon_marketplace_from_tags ((const char *[]) { "Prime", "amazon.ca", NULL }));
  g_assert_null (sk_amazon_marketplace_from_tags (NULL));
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/amazon/fixtures/every-file", test_every_fixture);
  g_test_add_func ("/amazon/fixtures/full-order", test_full_order);
  g_test_add_func ("/amazon/fixtures/order-without-parts", test_order_without_parts);
  g_test_add_func ("/amazon/fixtures/pending-order", test_pending_order);
  g_test_add_func ("/amazon/order/address-restricted", test_address_restricted);
  g_test_add_func ("/amazon/order/status-mapping", test_status_mapping);
  g_test_add_func ("/amazon/order/fba-and-text-booleans", test_fba_and_text_booleans);
  g_test_add_func ("/amazon/money/unit-price", test_unit_price);
  g_test_add_func ("/amazon/money/multi-quantity-line", test_multi_quantity_line);
  g_test_add_func ("/amazon/money/total-without-order-total", test_total_without_order_total);
  g_test_add_func ("/amazon/money/jpy", test_jpy);
  g_test_add_func ("/amazon/order/refusals", test_refusals);
  g_test_add_func ("/amazon/page/dead-letter", test_page_with_dead_letter);
  g_test_add_func ("/amazon/page/bad-responses", test_bad_responses);
  g_test_add_func ("/amazon/marketplaces", test_marketplaces);

  return g_test_run ();
}
