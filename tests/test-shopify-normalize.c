/* test-shopify-normalize.c: Shopify order JSON → SkOrder, pages → dead letters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-money.h"
#include "sk-shopify-normalize.h"
#include "sk-store-import.h"
#include "sk-test-util.h"

#define FIXTURE_DIR "orders/shopify"

/* Helpers */

static SkImportPage *
new_page (void)
{
  return sk_import_page_new (7, "orders", "sync:shopify");
}

static SkImportPage *
normalize_text (const char *body, gsize len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, len);
  g_autoptr(GError) error = NULL;
  SkImportPage *page = new_page ();

  g_assert_true (sk_shopify_normalize_page (bytes, page, &error));
  g_assert_no_error (error);
  return page;
}

static SkImportPage *
normalize_fixture (const char *name)
{
  g_autofree char *relative = g_build_filename (FIXTURE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = sk_test_load_fixture (relative);
  g_autoptr(GError) error = NULL;
  SkImportPage *page = new_page ();

  g_assert_true (sk_shopify_normalize_page (bytes, page, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < page->dead_letters->len; i++)
    {
      SkDeadLetter *letter = g_ptr_array_index (page->dead_letters, i);

      g_test_message ("%s: dead letter: %s", name, letter->reason);
    }
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
  return page;
}

static SkOrder *
page_order (SkImportPage *page, guint i)
{
  g_assert_cmpuint (i, <, page->orders->len);
  return g_ptr_array_index (page->orders, i);
}

static SkOrderLine *
order_line (SkOrder *order, guint i)
{
  GPtrArray *lines = sk_order_get_lines (order);

  g_assert_cmpuint (i, <, lines->len);
  return g_ptr_array_index (lines, i);
}

static void
append_address (GString *s, const char *what, SkAddress *a)
{
  if (a == NULL)
    {
      g_string_append_printf (s, "%s: none\n", what);
      return;
    }
  g_string_append_printf (s, "%s: %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", what,
                          a->name, a->company, a->line1, a->line2, a->city, a->region,
                          a->region_code, a->postcode, a->country, a->country_code, a->phone);
}

static char *
dump_order (SkOrder *o)
{
  GString *s = g_string_new (NULL);
  g_autofree char *tags = sk_order_dup_tags_string (o);

  g_string_append_printf (s, "%s %s %" G_GINT64_FORMAT " %s\n", sk_order_get_external_id (o),
                          sk_order_get_number (o), sk_order_get_channel_id (o),
                          sk_order_get_currency (o));
  g_string_append_printf (s, "times %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          sk_order_get_created_at (o), sk_order_get_updated_at (o),
                          sk_order_get_processed_at (o), sk_order_get_cancelled_at (o),
                          sk_order_get_closed_at (o));
  g_string_append_printf (s, "money %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          sk_order_get_subtotal (o), sk_order_get_total_tax (o),
                          sk_order_get_total_shipping (o), sk_order_get_total_discounts (o),
                          sk_order_get_total_refunded (o), sk_order_get_total (o));
  g_string_append_printf (s, "status %d %s %d %s %d %s\n",
                          sk_order_get_status (o), sk_order_get_status_code (o),
                          sk_order_get_payment_status (o), sk_order_get_payment_code (o),
                          sk_order_get_fulfillment_status (o), sk_order_get_fulfillment_code (o));
  g_string_append_printf (s, "customer %s %s %s %s\n", sk_order_get_customer_id (o),
                          sk_order_get_customer_name (o), sk_order_get_email (o),
                          sk_order_get_phone (o));
  append_address (s, "ship", sk_order_get_shipping_address (o));
  append_address (s, "bill", sk_order_get_billing_address (o));
  g_string_append_printf (s, "dest %s %s items %" G_GINT64_FORMAT " note %s tags %s\n",
                          sk_order_get_ship_city (o), sk_order_get_ship_country (o),
                          sk_order_get_item_count (o), sk_order_get_note (o), tags);
  for (guint i = 0; i < sk_order_get_lines (o)->len; i++)
    {
      SkOrderLine *l = order_line (o, i);

      g_string_append_printf (s, "line %s %s %s %s %s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              l->external_id, l->product_id, l->variant_id, l->sku, l->title,
                              l->variant_title, l->quantity, l->unit_price, l->total_discount,
                              l->total_tax);
    }
  for (guint i = 0; i < sk_order_get_refunds (o)->len; i++)
    {
      SkRefund *r = g_ptr_array_index (sk_order_get_refunds (o), i);

      g_string_append_printf (s, "refund %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n",
                              r->external_id, r->created_at, r->amount, r->note);
    }
  for (guint i = 0; i < sk_order_get_fulfillments (o)->len; i++)
    {
      SkFulfillment *f = g_ptr_array_index (sk_order_get_fulfillments (o), i);

      g_string_append_printf (s, "fulfillment %s %" G_GINT64_FORMAT " %s %s %s %s\n",
                              f->external_id, f->created_at, f->status_code,
                              f->tracking_company, f->tracking_number, f->tracking_url);
    }
  return g_string_free (s, FALSE);
}

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Set (or with a NULL @json, remove) the member at @path ("line_items.0.
 * quantity": names and array indexes) to the JSON text @json. */
static void
set_path (JsonNode *root, const char *path, const char *json)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonNode *node = root;

  for (guint i = 0; i + 1 < n; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node),
                                       g_ascii_strtoull (parts[i], NULL, 10));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint index = g_ascii_strtoull (parts[n - 1], NULL, 10);

      g_assert_nonnull (json);
      json_array_remove_element (array, index);
      /* json-glib has no insert: rebuild the array. */
      {
        g_autoptr(JsonArray) rebuilt = json_array_new ();
        guint len = json_array_get_length (array);

        for (guint i = 0; i <= len; i++)
          {
            if (i == index)
              json_array_add_element (rebuilt, parse_json (json));
            if (i < len)
              json_array_add_element (rebuilt, json_node_copy (json_array_get_element (array, i)));
          }
        json_node_set_array (node, rebuilt);
      }
      return;
    }

  if (json == NULL)
    json_object_remove_member (json_node_get_object (node), parts[n - 1]);
  else
    json_object_set_member (json_node_get_object (node), parts[n - 1], parse_json (json));
}

/* A small current-shape order: ids above 2^53, money in *_set objects with
 * a presentment currency that is not the shop's. */
static const char base_order_json[] =
  "{"
  "  \"id\": 820982911946154508,"
  "  \"name\": \"#9999\","
  "  \"order_number\": 9999,"
  "  \"created_at\": \"2024-10-02T09:04:27-05:00\","
  "  \"updated_at\": \"2024-10-02T09:05:00-05:00\","
  "  \"processed_at\": \"2024-10-02T09:04:27-05:00\","
  "  \"closed_at\": null, \"cancelled_at\": null, \"cancel_reason\": null,"
  "  \"currency\": \"USD\","
  "  \"financial_status\": \"paid\","
  "  \"fulfillment_status\": null,"
  "  \"total_price\": \"10.00\","
  "  \"total_price_set\": {\"shop_money\": {\"amount\": \"10.00\", \"currency_code\": \"USD\"},"
  "                        \"presentment_money\": {\"amount\": \"9.10\", \"currency_code\": \"EUR\"}},"
  "  \"email\": \"ann@example.com\","
  "  \"tags\": \"gift, VIP\","
  "  \"note\": \"Ring twice\","
  "  \"customer\": {\"id\": 115310627314723954, \"first_name\": \"Ann\", \"last_name\": \"Lee\"},"
  "  \"line_items\": [{\"id\": 866550311766439020, \"product_id\": 788032119674292922,"
  "                   \"variant_id\": 642667041472713922, \"sku\": \"TEE-M\", \"title\": \"Tee\","
  "                   \"variant_title\": \"M\", \"quantity\": 1, \"price\": \"10.00\","
  "                   \"price_set\": {\"shop_money\": {\"amount\": \"10.00\", \"currency_code\": \"USD\"}},"
  "                   \"requires_shipping\": true, \"tax_lines\": [], \"discount_allocations\": []}],"
  "  \"refunds\": [],"
  "  \"fulfillments\": []"
  "}";

static JsonNode *
base_order (void)
{
  return parse_json (base_order_json);
}

/* The order in @root, read from the tree and, to the same result, from its
 * bytes in a page. */
static SkOrder *
normalize_node (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = json_to_string (root, FALSE);
  g_autofree char *body = g_strdup_printf ("{\"orders\":[%s]}", json);
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
  SkOrder *order = sk_shopify_normalize_order (root, 7, &error);
  g_autofree char *from_tree = NULL;
  g_autofree char *from_page = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
  g_assert_cmpuint (page->orders->len, ==, 1);
  from_tree = dump_order (order);
  from_page = dump_order (page_order (page, 0));
  g_assert_cmpstr (from_page, ==, from_tree);
  return order;
}

/* Every fixture file */

typedef struct {
  const char         *file;
  guint               n_orders;
  const char         *external_id;
  const char         *number;
  gint64              total;
  gint64              subtotal;
  gint64              tax;
  gint64              discounts;
  gint64              shipping;
  gint64              refunded;
  gint64              created_at;
  gint64              updated_at;
  gint64              processed_at;
  gint64              closed_at;
  SkOrderStatus       status;
  const char         *status_code;
  SkPaymentStatus     payment;
  const char         *payment_code;
  SkFulfillmentStatus fulfillment;
  const char         *fulfillment_code;
  const char         *customer_id;
  const char         *customer_name;
  const char         *email;
  const char         *phone;
  const char         *ship_city;
  guint               n_lines;
  gint64              item_count;
  guint               n_refunds;
  guint               n_fulfillments;
  const char         *note;
} Expected;

/* Read off the JSON files by hand. 1199980800 is 2008-01-10T11:00:00-05:00. */
static const Expected expected_fixtures[] = {
  { "order-legacy.json", 1, "450789469", "#1001",
    40994, 39800, 1194, 0, 0, 0,
    1199980800, 1199980800, 0, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_AUTHORIZED, "authorized",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@hostmail.com", NULL, "Louisville",
    3, 3, 0, 1, NULL },
  { "order-with-properties.json", 1, "450789469", "#1001",
    40994, 39800, 1194, 0, 0, 0,
    1199980800, 1199980800, 0, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_AUTHORIZED, "authorized",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@hostmail.com", NULL, "Louisville",
    2, 2, 0, 2, "Test note" },
  { "orders-list-legacy.json", 1, "450789469", "#1001",
    59894, 59700, 1194, 1000, 0, 0,
    1199980800, 1199980800, 1199980800, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED, "partially_refunded",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@hostmail.com", "+557734881234", "Louisville",
    0, 0, 0, 0, NULL },
  { "orders-list-legacy-2.json", 1, "450789469", "#1001",
    40994, 39800, 1194, 0, 0, 0,
    1199980800, 1199980800, 0, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_AUTHORIZED, "authorized",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@hostmail.com", NULL, "Louisville",
    3, 3, 0, 1, NULL },
  { "orders-list-2024-10.json", 1, "450789469", "#1001",
    59894, 59700, 1194, 1000, 0, 20900,
    1199980800, 1199980800, 1199980800, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED, "partially_refunded",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@mail.example.com", "+557734881234", "Louisville",
    3, 3, 1, 1, NULL },
  /* 2024-10-02T09:04:41-05:00 = 1727877881 */
  { "order-closed-2024-10.json", 1, "450789469", "#1001",
    59894, 59700, 1194, 1000, 0, 20900,
    1199980800, 1727877881, 1199980800, 1727877881,
    SK_ORDER_STATUS_COMPLETED, "closed", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED, "partially_refunded",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@mail.example.com", "+557734881234", "Louisville",
    3, 3, 1, 1, NULL },
  /* 2024-10-02T09:04:27-05:00 = 1727877867 */
  { "order-pending-2024-10.json", 1, "1073459974", "#1002",
    19900, 19900, 0, 0, 0, 0,
    1727877867, 1727877867, 1727877867, 0,
    SK_ORDER_STATUS_PENDING, "open", SK_PAYMENT_STATUS_PENDING, "pending",
    SK_FULFILLMENT_STATUS_UNFULFILLED, NULL,
    "207119551", "Bob Norman", "bob.norman@mail.example.com", "+16136120707", NULL,
    1, 1, 0, 0, NULL },
  /* 2024-10-02T09:03:44-05:00 = 1727877824 */
  { "order-fulfilled-2024-10.json", 1, "1073459965", "#1002",
    19900, 19900, 0, 0, 0, 0,
    1727877824, 1727877824, 1727877824, 0,
    SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PAID, "paid",
    SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled",
    "1073339460", NULL, "foo@example.com", NULL, NULL,
    1, 1, 0, 1, NULL },
};

static void
check_generic (const char *file, SkOrder *order)
{
  gint64 items = 0;

  g_test_message ("%s: order %s", file, sk_order_get_external_id (order));
  g_assert_nonnull (sk_order_get_external_id (order));
  for (const char *p = sk_order_get_external_id (order); *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p));
  g_assert_true (sk_currency_is_valid (sk_order_get_currency (order)));
  g_assert_cmpint (sk_order_get_channel_id (order), ==, 7);
  g_assert_cmpint (sk_order_get_created_at (order), >, 0);
  g_assert_cmpint (sk_order_get_updated_at (order), >=, sk_order_get_created_at (order));
  g_assert_cmpint (sk_order_get_total (order), >=, 0);
  g_assert_cmpint (sk_order_get_status (order), !=, SK_ORDER_STATUS_UNKNOWN);
  g_assert_true (g_str_has_prefix (sk_order_get_number (order), "#"));
  for (guint i = 0; i < sk_order_get_lines (order)->len; i++)
    {
      SkOrderLine *line = order_line (order, i);

      g_assert_cmpint (line->quantity, >, 0);
      g_assert_cmpint (line->unit_price, >, 0);
      g_assert_nonnull (line->title);
      items += line->quantity;
    }
  g_assert_cmpint (sk_order_get_item_count (order), ==, items);
}

static void
check_expected (const Expected *e, SkImportPage *page)
{
  SkOrder *order = page_order (page, 0);

  g_assert_cmpuint (page->orders->len, ==, e->n_orders);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, e->external_id);
  g_assert_cmpstr (sk_order_get_number (order), ==, e->number);
  g_assert_cmpstr (sk_order_get_currency (order), ==, "USD");
  g_assert_cmpint (sk_order_get_total (order), ==, e->total);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, e->subtotal);
  g_assert_cmpint (sk_order_get_total_tax (order), ==, e->tax);
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, e->discounts);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, e->shipping);
  g_assert_cmpint (sk_order_get_total_refunded (order), ==, e->refunded);
  g_assert_cmpint (sk_order_get_created_at (order), ==, e->created_at);
  g_assert_cmpint (sk_order_get_updated_at (order), ==, e->updated_at);
  g_assert_cmpint (sk_order_get_processed_at (order), ==, e->processed_at);
  g_assert_cmpint (sk_order_get_closed_at (order), ==, e->closed_at);
  g_assert_cmpint (sk_order_get_cancelled_at (order), ==, 0);
  g_assert_cmpint (sk_order_get_status (order), ==, e->status);
  g_assert_cmpstr (sk_order_get_status_code (order), ==, e->status_code);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, e->payment);
  g_assert_cmpstr (sk_order_get_payment_code (order), ==, e->payment_code);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, e->fulfillment);
  g_assert_cmpstr (sk_order_get_fulfillment_code (order), ==, e->fulfillment_code);
  g_assert_cmpstr (sk_order_get_customer_id (order), ==, e->customer_id);
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, e->customer_name);
  g_assert_cmpstr (sk_order_get_email (order), ==, e->email);
  g_assert_cmpstr (sk_order_get_phone (order), ==, e->phone);
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, e->ship_city);
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, e->n_lines);
  g_assert_cmpint (sk_order_get_item_count (order), ==, e->item_count);
  g_assert_cmpuint (sk_order_get_refunds (order)->len, ==, e->n_refunds);
  g_assert_cmpuint (sk_order_get_fulfillments (order)->len, ==, e->n_fulfillments);
  g_assert_cmpstr (sk_order_get_note (order), ==, e->note);
  g_assert_cmpstr (sk_order_get_tags (order)[0], ==, NULL);
}

static void
test_every_fixture (void)
{
  g_autofree char *dir_path = sk_test_fixture_path (FIXTURE_DIR);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen[G_N_ELEMENTS (expected_fixtures)] = { FALSE, };
  const char *name;
  guint n_files = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(SkImportPage) page = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      n_files++;
      g_test_message ("fixture %s", name);
      page = normalize_fixture (name);
      g_assert_cmpuint (page->orders->len, >=, 1);
      for (guint i = 0; i < page->orders->len; i++)
        check_generic (name, page_order (page, i));

      for (guint i = 0; i < G_N_ELEMENTS (expected_fixtures); i++)
        if (g_str_equal (expected_fixtures[i].file, name))
          {
            check_expected (&expected_fixtures[i], page);
            seen[i] = TRUE;
          }
    }

  /* Every file we know the values of was there. */
  for (guint i = 0; i < G_N_ELEMENTS (expected_fixtures); i++)
    {
      g_test_message ("expected %s", expected_fixtures[i].file);
      g_assert_true (seen[i]);
    }
  g_assert_cmpuint (n_files, >=, G_N_ELEMENTS (expected_fixtures));
}

static void
test_fixture_legacy_details (void)
{
  g_autoptr(SkImportPage) page = normalize_fixture ("order-legacy.json");
  SkOrder *order = page_order (page, 0);
  static const struct {
    const char *id;
    const char *sku;
    const char *variant_id;
    const char *variant_title;
  } lines[] = {
    { "466157049", "IPOD2008GREEN", "39072856", "green" },
    { "518995019", "IPOD2008RED", "49148385", "red" },
    { "703073504", "IPOD2008BLACK", "457924702", "black" },
  };
  SkAddress *ship;
  SkAddress *bill;
  SkFulfillment *f;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      SkOrderLine *line = order_line (order, i);

      g_assert_cmpstr (line->external_id, ==, lines[i].id);
      g_assert_cmpstr (line->sku, ==, lines[i].sku);
      g_assert_cmpstr (line->product_id, ==, "632910392");
      g_assert_cmpstr (line->variant_id, ==, lines[i].variant_id);
      g_assert_cmpstr (line->title, ==, "IPod Nano - 8gb");
      g_assert_cmpstr (line->variant_title, ==, lines[i].variant_title);
      g_assert_cmpint (line->quantity, ==, 1);
      g_assert_cmpint (line->unit_price, ==, 19900);
      g_assert_cmpint (line->total_discount, ==, 0);
      g_assert_cmpint (line->total_tax, ==, 0);
    }

  ship = sk_order_get_shipping_address (order);
  g_assert_nonnull (ship);
  g_assert_cmpstr (ship->name, ==, "Bob Norman");
  g_assert_null (ship->company);
  g_assert_cmpstr (ship->line1, ==, "Chestnut Street 92");
  g_assert_null (ship->line2);                       /* "" */
  g_assert_cmpstr (ship->city, ==, "Louisville");
  g_assert_cmpstr (ship->region, ==, "Kentucky");
  g_assert_cmpstr (ship->region_code, ==, "KY");
  g_assert_cmpstr (ship->postcode, ==, "40202");
  g_assert_cmpstr (ship->country, ==, "United States");
  g_assert_cmpstr (ship->country_code, ==, "US");
  g_assert_cmpstr (ship->phone, ==, "555-625-1199");
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "US");
  bill = sk_order_get_billing_address (order);
  g_assert_nonnull (bill);
  g_assert_cmpstr (bill->postcode, ==, "40202");

  /* 2014-01-22T15:58:27-05:00 */
  f = g_ptr_array_index (sk_order_get_fulfillments (order), 0);
  g_assert_cmpstr (f->external_id, ==, "255858046");
  g_assert_cmpint (f->created_at, ==, 1390424307);
  g_assert_cmpstr (f->status_code, ==, "failure");
  g_assert_null (f->tracking_company);
  g_assert_cmpstr (f->tracking_number, ==, "1Z2345");
  g_assert_cmpstr (f->tracking_url, ==,
                   "http://wwwapps.ups.com/etracking/tracking.cgi?InquiryNumber1=1Z2345"
                   "&TypeOfInquiryNumber=T&AcceptUPSLicenseAgreement=yes&submit=Track");
}

static void
test_fixture_properties_details (void)
{
  g_autoptr(SkImportPage) page = normalize_fixture ("order-with-properties.json");
  SkOrder *order = page_order (page, 0);
  SkOrderLine *coffee = order_line (order, 1);

  g_assert_null (order_line (order, 0)->sku);        /* "" */
  g_assert_cmpint (order_line (order, 0)->unit_price, ==, 4500);
  g_assert_cmpstr (coffee->external_id, ==, "641254555689");
  g_assert_cmpstr (coffee->product_id, ==, "288331137065");
  g_assert_cmpstr (coffee->variant_id, ==, "4107806867497");
  g_assert_cmpstr (coffee->title, ==, "Create Your Own Coffee 3 Pack (8oz bags)");
  g_assert_null (coffee->variant_title);
  g_assert_cmpint (coffee->unit_price, ==, 2400);
}

static void
test_fixture_current_details (void)
{
  g_autoptr(SkImportPage) page = normalize_fixture ("orders-list-2024-10.json");
  SkOrder *order = page_order (page, 0);
  static const gint64 discounts[] = { 334, 333, 333 };
  static const char *skus[] = { "IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK" };
  SkRefund *refund;
  SkFulfillment *f;

  for (guint i = 0; i < 3; i++)
    {
      SkOrderLine *line = order_line (order, i);

      g_assert_cmpstr (line->sku, ==, skus[i]);
      g_assert_cmpint (line->unit_price, ==, 19900);
      /* From discount_allocations; total_discount says "0.00". */
      g_assert_cmpint (line->total_discount, ==, discounts[i]);
      g_assert_cmpint (line->total_tax, ==, 398);
    }

  /* The refund gave back what its successful refund transaction moved. */
  refund = g_ptr_array_index (sk_order_get_refunds (order), 0);
  g_assert_cmpstr (refund->external_id, ==, "509562969");
  g_assert_cmpint (refund->amount, ==, 20900);
  g_assert_cmpint (refund->created_at, ==, 1727877551);
  g_assert_cmpstr (refund->note, ==, "it broke during shipping");

  f = g_ptr_array_index (sk_order_get_fulfillments (order), 0);
  g_assert_cmpstr (f->tracking_company, ==, "USPS");
  g_assert_cmpstr (f->tracking_number, ==, "1Z2345");
  g_assert_cmpstr (f->tracking_url, ==,
                   "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345");
  g_assert_cmpstr (sk_order_get_billing_address (order)->phone, ==, "+1(502)-459-2181");
}

/* The page reads orders through a filter that leaves out what the reader
 * does not use; the result must be what a full json-glib tree gives. */

static void
test_filtered_same_as_full (void)
{
  g_autofree char *dir_path = sk_test_fixture_path (FIXTURE_DIR);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_orders = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *relative = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(SkImportPage) page = NULL;
      g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
      JsonObject *obj;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      relative = g_build_filename (FIXTURE_DIR, name, NULL);
      root = sk_test_load_json (relative);
      obj = json_node_get_object (root);
      if (json_object_has_member (obj, "orders"))
        {
          JsonArray *orders = json_object_get_array_member (obj, "orders");

          for (guint i = 0; i < json_array_get_length (orders); i++)
            g_ptr_array_add (nodes, json_array_get_element (orders, i));
        }
      else
        g_ptr_array_add (nodes, json_object_get_member (obj, "order"));

      page = normalize_fixture (name);
      g_assert_cmpuint (page->orders->len, ==, nodes->len);
      for (guint i = 0; i < nodes->len; i++)
        {
          g_autoptr(SkOrder) full = normalize_node (g_ptr_array_index (nodes, i));
          g_autofree char *expected = dump_order (full);
          g_autofree char *actual = dump_order (page_order (page, i));

          g_assert_cmpstr (actual, ==, expected);
          n_orders++;
        }
    }
  g_assert_cmpuint (n_orders, >=, 8);
}

/* The current shape, ids, money */

static void
test_base_order (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = normalize_node (root);
  SkOrderLine *line = order_line (order, 0);
  g_autofree char *tags = sk_order_dup_tags_string (order);

  g_assert_cmpstr (sk_order_get_external_id (order), ==, "820982911946154508");
  g_assert_cmpstr (sk_order_get_customer_id (order), ==, "115310627314723954");
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "Ann Lee");
  g_assert_cmpstr (line->external_id, ==, "866550311766439020");
  g_assert_cmpstr (line->product_id, ==, "788032119674292922");
  g_assert_cmpstr (line->variant_id, ==, "642667041472713922");
  /* shop_money, not presentment_money. */
  g_assert_cmpint (sk_order_get_total (order), ==, 1000);
  g_assert_cmpstr (tags, ==, "VIP, gift");
  g_assert_cmpstr (sk_order_get_note (order), ==, "Ring twice");
  g_assert_null (sk_order_get_shipping_address (order));
}

static void
test_set_preferred_over_legacy (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;

  set_path (root, "total_price", "\"999.99\"");
  set_path (root, "line_items.0.price", "\"5.00\"");
  set_path (root, "subtotal_price", "\"1.00\"");
  set_path (root, "subtotal_price_set", "{\"shop_money\": {\"amount\": \"8.50\", \"currency_code\": \"USD\"}}");
  set_path (root, "total_tax", "\"0.70\"");
  set_path (root, "total_discounts_set", "{\"shop_money\": {\"amount\": \"1.50\"}}");
  set_path (root, "total_shipping_price_set", "{\"shop_money\": {\"amount\": \"4.95\"}}");
  set_path (root, "shipping_lines", "[{\"price\": \"100.00\"}]");
  order = normalize_node (root);

  g_assert_cmpint (sk_order_get_total (order), ==, 1000);
  g_assert_cmpint (order_line (order, 0)->unit_price, ==, 1000);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 850);
  g_assert_cmpint (sk_order_get_total_tax (order), ==, 70);        /* legacy only */
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, 150);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, 495);
}

static void
test_legacy_shipping_lines (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;

  set_path (root, "shipping_lines",
            "[{\"price\": \"4.95\"}, {\"price\": \"1.05\","
            " \"price_set\": {\"shop_money\": {\"amount\": \"2.05\"}}}]");
  order = normalize_node (root);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, 495 + 205);
}

static void
test_money_currencies (void)
{
  g_autoptr(JsonNode) jpy = base_order ();
  g_autoptr(JsonNode) kwd = base_order ();
  g_autoptr(JsonNode) number = base_order ();
  g_autoptr(SkOrder) order = NULL;

  set_path (jpy, "currency", "\"JPY\"");
  set_path (jpy, "total_price_set", "{\"shop_money\": {\"amount\": \"1000\", \"currency_code\": \"JPY\"}}");
  set_path (jpy, "line_items.0.price_set", "{\"shop_money\": {\"amount\": \"1000.0\", \"currency_code\": \"JPY\"}}");
  order = normalize_node (jpy);
  g_assert_cmpint (sk_order_get_total (order), ==, 1000);
  g_assert_cmpint (order_line (order, 0)->unit_price, ==, 1000);
  g_clear_object (&order);

  set_path (kwd, "currency", "\"KWD\"");
  set_path (kwd, "total_price_set", "{\"shop_money\": {\"amount\": \"1.234\", \"currency_code\": \"KWD\"}}");
  set_path (kwd, "line_items.0.price_set", "{\"shop_money\": {\"amount\": \"0.5\", \"currency_code\": \"KWD\"}}");
  order = normalize_node (kwd);
  g_assert_cmpint (sk_order_get_total (order), ==, 1234);
  g_assert_cmpint (order_line (order, 0)->unit_price, ==, 500);
  g_clear_object (&order);

  /* Amounts as JSON numbers: 30.00 and 7. */
  set_path (number, "total_price_set", NULL);
  set_path (number, "total_price", "30.00");
  set_path (number, "line_items.0.price_set", NULL);
  set_path (number, "line_items.0.price", "7");
  order = normalize_node (number);
  g_assert_cmpint (sk_order_get_total (order), ==, 3000);
  g_assert_cmpint (order_line (order, 0)->unit_price, ==, 700);
}

static void
test_line_discounts_and_taxes (void)
{
  g_autoptr(JsonNode) allocations = base_order ();
  g_autoptr(JsonNode) legacy = base_order ();
  g_autoptr(SkOrder) order = NULL;
  SkOrderLine *line;

  set_path (allocations, "line_items.0.quantity", "3");
  set_path (allocations, "line_items.0.total_discount", "\"9.99\"");
  set_path (allocations, "line_items.0.discount_allocations",
            "[{\"amount\": \"1.00\", \"amount_set\": {\"shop_money\": {\"amount\": \"1.10\"}}},"
            " {\"amount\": \"0.25\"}]");
  set_path (allocations, "line_items.0.tax_lines",
            "[{\"price\": \"0.60\", \"rate\": 0.06, \"title\": \"State\"},"
            " {\"price\": \"0.10\", \"price_set\": {\"shop_money\": {\"amount\": \"0.15\"}}}]");
  order = normalize_node (allocations);
  line = order_line (order, 0);
  g_assert_cmpint (line->quantity, ==, 3);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 3);
  g_assert_cmpint (line->total_discount, ==, 110 + 25);
  g_assert_cmpint (line->total_tax, ==, 60 + 15);
  g_clear_object (&order);

  /* No allocations: the line's own total_discount. */
  set_path (legacy, "line_items.0.total_discount", "\"2.50\"");
  order = normalize_node (legacy);
  g_assert_cmpint (order_line (order, 0)->total_discount, ==, 250);
}

static void
test_ids_as_strings (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;

  set_path (root, "id", "\"9007199254740993\"");
  set_path (root, "customer.id", "\"42\"");
  set_path (root, "line_items.0.id", "9223372036854775806");
  set_path (root, "line_items.0.product_id", "null");
  set_path (root, "line_items.0.quantity", "\"2\"");
  order = normalize_node (root);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, "9007199254740993");
  g_assert_cmpstr (sk_order_get_customer_id (order), ==, "42");
  g_assert_cmpstr (order_line (order, 0)->external_id, ==, "9223372036854775806");
  g_assert_null (order_line (order, 0)->product_id);
  g_assert_cmpint (order_line (order, 0)->quantity, ==, 2);
}

/* Statuses */

static void
test_map_financial (void)
{
  static const struct {
    const char     *code;
    SkPaymentStatus status;
  } cases[] = {
    { "pending", SK_PAYMENT_STATUS_PENDING },
    { "authorized", SK_PAYMENT_STATUS_AUTHORIZED },
    { "partially_paid", SK_PAYMENT_STATUS_PARTIALLY_PAID },
    { "paid", SK_PAYMENT_STATUS_PAID },
    { "partially_refunded", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED },
    { "refunded", SK_PAYMENT_STATUS_REFUNDED },
    { "voided", SK_PAYMENT_STATUS_VOIDED },
    { "expired", SK_PAYMENT_STATUS_FAILED },
    { "PAID", SK_PAYMENT_STATUS_UNKNOWN },
    { "something_new", SK_PAYMENT_STATUS_UNKNOWN },
    { "", SK_PAYMENT_STATUS_UNKNOWN },
    { NULL, SK_PAYMENT_STATUS_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sk_shopify_map_financial_status (cases[i].code), ==, cases[i].status);
}

static void
test_map_fulfillment (void)
{
  static const struct {
    const char         *code;
    SkFulfillmentStatus status;
  } cases[] = {
    { NULL, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "unfulfilled", SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "partial", SK_FULFILLMENT_STATUS_PARTIAL },
    { "fulfilled", SK_FULFILLMENT_STATUS_FULFILLED },
    { "restocked", SK_FULFILLMENT_STATUS_RESTOCKED },
    { "on_the_moon", SK_FULFILLMENT_STATUS_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sk_shopify_map_fulfillment_status (cases[i].code), ==, cases[i].status);
}

static void
test_order_status (void)
{
  static const struct {
    const char         *path;
    const char         *json;
    const char         *path2;
    const char         *json2;
    SkOrderStatus       status;
    const char         *code;
    SkPaymentStatus     payment;
    SkFulfillmentStatus fulfillment;
  } cases[] = {
    { "financial_status", "\"paid\"", NULL, NULL,
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "financial_status", "\"pending\"", NULL, NULL,
      SK_ORDER_STATUS_PENDING, "open", SK_PAYMENT_STATUS_PENDING, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "financial_status", "\"expired\"", NULL, NULL,
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_FAILED, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "financial_status", "null", NULL, NULL,
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_UNKNOWN, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "closed_at", "\"2024-10-03T10:00:00Z\"", "fulfillment_status", "\"fulfilled\"",
      SK_ORDER_STATUS_COMPLETED, "closed", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_FULFILLED },
    { "cancelled_at", "\"2024-10-03T10:00:00Z\"", "cancel_reason", "\"customer\"",
      SK_ORDER_STATUS_CANCELLED, "cancelled:customer", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "cancelled_at", "\"2024-10-03T10:00:00Z\"", "financial_status", "\"voided\"",
      SK_ORDER_STATUS_CANCELLED, "cancelled", SK_PAYMENT_STATUS_VOIDED, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "cancelled_at", "\"2024-10-03T10:00:00Z\"", "closed_at", "\"2024-10-03T11:00:00Z\"",
      SK_ORDER_STATUS_CANCELLED, "cancelled", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "fulfillment_status", "\"partial\"", NULL, NULL,
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_PARTIAL },
    { "fulfillment_status", "\"restocked\"", "financial_status", "\"refunded\"",
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_REFUNDED, SK_FULFILLMENT_STATUS_RESTOCKED },
    /* Nothing to ship: a gift card, a download. */
    { "line_items.0.requires_shipping", "false", NULL, NULL,
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "line_items.0.requires_shipping", "false", "fulfillment_status", "\"fulfilled\"",
      SK_ORDER_STATUS_OPEN, "open", SK_PAYMENT_STATUS_PAID, SK_FULFILLMENT_STATUS_FULFILLED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = base_order ();
      g_autoptr(SkOrder) order = NULL;

      g_test_message ("%s = %s, %s = %s", cases[i].path, cases[i].json,
                      cases[i].path2, cases[i].json2);
      set_path (root, cases[i].path, cases[i].json);
      if (cases[i].path2 != NULL)
        set_path (root, cases[i].path2, cases[i].json2);
      order = normalize_node (root);
      g_assert_cmpint (sk_order_get_status (order), ==, cases[i].status);
      g_assert_cmpstr (sk_order_get_status_code (order), ==, cases[i].code);
      g_assert_cmpint (sk_order_get_payment_status (order), ==, cases[i].payment);
      g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, cases[i].fulfillment);
    }
}

static void
test_original_codes (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;

  set_path (root, "financial_status", "\"partially_paid\"");
  set_path (root, "fulfillment_status", "\"something_new\"");
  order = normalize_node (root);
  g_assert_cmpstr (sk_order_get_payment_code (order), ==, "partially_paid");
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_UNKNOWN);
  g_assert_cmpstr (sk_order_get_fulfillment_code (order), ==, "something_new");
}

/* Customer, refunds, fulfillments */

static void
test_customer_fallbacks (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;

  /* No names on the customer: the shipping address's name. */
  set_path (root, "customer", "{\"id\": 5, \"first_name\": null, \"last_name\": \"\","
                              " \"email\": \"c@example.com\", \"phone\": \"+4930123\"}");
  set_path (root, "email", "null");
  set_path (root, "shipping_address", "{\"first_name\": \"Eve\", \"last_name\": \"Ng\","
                                      " \"city\": \"Berlin\", \"zip\": 10115,"
                                      " \"country_code\": \"DE\"}");
  order = normalize_node (root);
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "Eve Ng");
  g_assert_cmpstr (sk_order_get_email (order), ==, "c@example.com");
  g_assert_cmpstr (sk_order_get_phone (order), ==, "+4930123");
  g_assert_cmpstr (sk_order_get_shipping_address (order)->postcode, ==, "10115");
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, "Berlin");
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "DE");
  g_clear_object (&order);

  /* No customer at all (a POS sale): the billing name, contact_email. */
  set_path (root, "customer", "null");
  set_path (root, "shipping_address", "null");
  set_path (root, "contact_email", "\"pos@example.com\"");
  set_path (root, "billing_address", "{\"name\": \"Walk In\"}");
  order = normalize_node (root);
  g_assert_null (sk_order_get_customer_id (order));
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "Walk In");
  g_assert_cmpstr (sk_order_get_email (order), ==, "pos@example.com");
  g_assert_null (sk_order_get_ship_city (order));
}

static void
test_refunds (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;
  SkRefund *r;

  set_path (root, "refunds",
            "[{\"id\": 890088186047892319, \"created_at\": \"2024-10-03T10:00:00Z\","
            "  \"note\": \"damaged\","
            "  \"transactions\": ["
            "    {\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"3.00\", \"currency\": \"USD\"},"
            "    {\"kind\": \"refund\", \"status\": \"failure\", \"amount\": \"50.00\"},"
            "    {\"kind\": \"sale\", \"status\": \"success\", \"amount\": \"60.00\"},"
            "    {\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"1.50\"}],"
            "  \"refund_line_items\": [{\"subtotal\": 99.0, \"total_tax\": 1.0}]},"
            " {\"id\": 2, \"transactions\": [],"
            "  \"refund_line_items\": ["
            "    {\"subtotal\": 4.5, \"total_tax\": 0.27,"
            "     \"subtotal_set\": {\"shop_money\": {\"amount\": \"4.50\"}},"
            "     \"total_tax_set\": {\"shop_money\": {\"amount\": \"0.27\"}}},"
            "    {\"subtotal\": 1.25}]},"
            " {\"id\": 3,"
            "  \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\","
            "                      \"amount\": \"9.10\", \"currency\": \"EUR\"}],"
            "  \"refund_line_items\": [{\"subtotal_set\": {\"shop_money\": {\"amount\": \"10.00\"}}}]}]");
  order = normalize_node (root);

  g_assert_cmpuint (sk_order_get_refunds (order)->len, ==, 3);
  r = g_ptr_array_index (sk_order_get_refunds (order), 0);
  g_assert_cmpstr (r->external_id, ==, "890088186047892319");
  g_assert_cmpint (r->created_at, ==, 1727949600);
  g_assert_cmpstr (r->note, ==, "damaged");
  g_assert_cmpint (r->amount, ==, 450);          /* successful refunds only */
  /* No transactions: what the refunded lines were worth. */
  r = g_ptr_array_index (sk_order_get_refunds (order), 1);
  g_assert_cmpint (r->amount, ==, 450 + 27 + 125);
  /* Paid back in the customer's currency: the lines, in the shop's. */
  r = g_ptr_array_index (sk_order_get_refunds (order), 2);
  g_assert_cmpint (r->amount, ==, 1000);
  g_assert_cmpint (sk_order_get_total_refunded (order), ==, 450 + 602 + 1000);
}

static void
test_fulfillment_tracking (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(SkOrder) order = NULL;
  SkFulfillment *f;

  set_path (root, "fulfillments",
            "[{\"id\": 1, \"status\": \"success\", \"created_at\": \"2024-10-03T10:00:00Z\","
            "  \"tracking_company\": \"DHL Express\", \"tracking_number\": \"JD014600006281230701\","
            "  \"tracking_numbers\": [\"JD014600006281230701\", \"JD014600006281230702\"],"
            "  \"tracking_url\": null, \"tracking_urls\": [\"https://example.com/t/1\", \"https://example.com/t/2\"]},"
            " {\"id\": 2, \"status\": \"cancelled\", \"tracking_number\": null,"
            "  \"tracking_numbers\": [\"1Z999\"], \"tracking_urls\": []},"
            " {\"id\": 3, \"status\": \"open\"}]");
  order = normalize_node (root);

  f = g_ptr_array_index (sk_order_get_fulfillments (order), 0);
  g_assert_cmpstr (f->status_code, ==, "success");
  g_assert_cmpstr (f->tracking_company, ==, "DHL Express");
  g_assert_cmpstr (f->tracking_number, ==, "JD014600006281230701, JD014600006281230702");
  g_assert_cmpstr (f->tracking_url, ==, "https://example.com/t/1");
  g_assert_cmpint (f->created_at, ==, 1727949600);
  f = g_ptr_array_index (sk_order_get_fulfillments (order), 1);
  g_assert_cmpstr (f->tracking_number, ==, "1Z999");
  g_assert_null (f->tracking_url);
  f = g_ptr_array_index (sk_order_get_fulfillments (order), 2);
  g_assert_cmpstr (f->external_id, ==, "3");
  g_assert_null (f->tracking_number);
  g_assert_cmpint (f->created_at, ==, 0);
}

/* Validation */

static void
test_validation (void)
{
  static const struct {
    const char *path;
    const char *json;      /* NULL: remove */
    int         code;
    const char *message;
  } cases[] = {
    { "id", NULL, SK_CORE_ERROR_INVALID_PAYLOAD, "id is missing." },
    { "id", "null", SK_CORE_ERROR_INVALID_PAYLOAD, "id is missing." },
    { "id", "\"abc\"", SK_CORE_ERROR_INVALID_PAYLOAD, "id \"abc\" is not an id." },
    { "id", "\"\"", SK_CORE_ERROR_INVALID_PAYLOAD, "id \"\" is not an id." },
    { "id", "-5", SK_CORE_ERROR_INVALID_PAYLOAD, "id -5 is not an id." },
    { "id", "0", SK_CORE_ERROR_INVALID_PAYLOAD, "id 0 is not an id." },
    { "id", "1.5", SK_CORE_ERROR_INVALID_PAYLOAD, "id 1.5 is not an id." },
    { "id", "{}", SK_CORE_ERROR_INVALID_PAYLOAD, "id {…} is not an id." },
    /* Beyond 64 bits json-glib wraps or clamps: never a valid id. */
    { "id", "99999999999999999999", SK_CORE_ERROR_INVALID_PAYLOAD, NULL },
    { "id", "9223372036854775808", SK_CORE_ERROR_INVALID_PAYLOAD, NULL },
    { "id", "-9223372036854775809", SK_CORE_ERROR_INVALID_PAYLOAD, NULL },
    { "id", "\"99999999999999999999\"", SK_CORE_ERROR_INVALID_PAYLOAD,
      "id \"99999999999999999999\" is not an id." },
    { "created_at", NULL, SK_CORE_ERROR_INVALID_TIME, "created_at is missing." },
    { "updated_at", "\"\"", SK_CORE_ERROR_INVALID_TIME, "updated_at is missing." },
    { "updated_at", "\"yesterday\"", SK_CORE_ERROR_INVALID_TIME,
      "updated_at \"yesterday\" is not a date and time." },
    { "cancelled_at", "\"2025-10-07T11: 28: 07-05: 00\"", SK_CORE_ERROR_INVALID_TIME,
      "cancelled_at \"2025-10-07T11: 28: 07-05: 00\" is not a date and time." },
    { "currency", NULL, SK_CORE_ERROR_INVALID_PAYLOAD, "currency is missing." },
    { "currency", "\"XYZ\"", SK_CORE_ERROR_INVALID_CURRENCY,
      "currency \"XYZ\" is not an ISO 4217 currency code." },
    { "currency", "\"usd\"", SK_CORE_ERROR_INVALID_CURRENCY,
      "currency \"usd\" is not an ISO 4217 currency code." },
    { "total_price_set.shop_money.amount", "\"abc\"", SK_CORE_ERROR_INVALID_MONEY,
      "total_price_set.shop_money.amount \"abc\" is not an amount." },
    { "total_price_set.shop_money.amount", "\"10.001\"", SK_CORE_ERROR_INVALID_MONEY,
      "total_price_set.shop_money.amount \"10.001\" has more than 2 decimal places." },
    { "total_price_set.shop_money.amount", NULL, SK_CORE_ERROR_INVALID_MONEY,
      "total_price_set.shop_money.amount is missing." },
    { "total_price_set.shop_money.currency_code", "\"EUR\"", SK_CORE_ERROR_INVALID_CURRENCY,
      "total_price_set.shop_money.currency_code \"EUR\" is not the shop currency USD." },
    { "total_price_set.shop_money", NULL, SK_CORE_ERROR_INVALID_PAYLOAD,
      "total_price_set.shop_money is missing." },
    { "total_price_set", "\"10.00\"", SK_CORE_ERROR_INVALID_PAYLOAD,
      "total_price_set \"10.00\" is not an amount with currency." },
    { "line_items", "{}", SK_CORE_ERROR_INVALID_PAYLOAD, "line_items {…} is not a list." },
    { "line_items", "\"none\"", SK_CORE_ERROR_INVALID_PAYLOAD, "line_items \"none\" is not a list." },
    { "line_items.0", "\"x\"", SK_CORE_ERROR_INVALID_PAYLOAD, "line_items[0] \"x\" is not an object." },
    { "line_items.0.quantity", "\"two\"", SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].quantity \"two\" is not a whole number of items." },
    { "line_items.0.quantity", "-1", SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].quantity -1 is not a whole number of items." },
    { "line_items.0.quantity", "1.5", SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].quantity 1.5 is not a whole number of items." },
    { "line_items.0.quantity", NULL, SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].quantity is missing." },
    { "line_items.0.price_set.shop_money.amount", "\"1,00\"", SK_CORE_ERROR_INVALID_MONEY,
      "line_items[0].price_set.shop_money.amount \"1,00\" is not an amount." },
    { "line_items.0.sku", "[\"a\"]", SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].sku […] is not a text." },
    { "line_items.0.variant_id", "\"gid://shopify/ProductVariant/1\"", SK_CORE_ERROR_INVALID_PAYLOAD,
      "line_items[0].variant_id \"gid://shopify/ProductVariant/1\" is not an id." },
    { "line_items.0.tax_lines", "[{\"price\": \"x\"}]", SK_CORE_ERROR_INVALID_MONEY,
      "line_items[0].tax_lines[0].price \"x\" is not an amount." },
    { "line_items.0.discount_allocations", "[{\"amount\": true}]", SK_CORE_ERROR_INVALID_MONEY,
      "line_items[0].discount_allocations[0].amount true is not an amount." },
    { "shipping_address", "\"Main Street 1\"", SK_CORE_ERROR_INVALID_PAYLOAD,
      "shipping_address \"Main Street 1\" is not an object." },
    { "shipping_address", "{\"city\": {\"name\": \"Paris\"}}", SK_CORE_ERROR_INVALID_PAYLOAD,
      "shipping_address.city {…} is not a text." },
    { "customer", "[]", SK_CORE_ERROR_INVALID_PAYLOAD, "customer […] is not an object." },
    { "customer.id", "\"me\"", SK_CORE_ERROR_INVALID_PAYLOAD, "customer.id \"me\" is not an id." },
    { "financial_status", "5", SK_CORE_ERROR_INVALID_PAYLOAD, "financial_status 5 is not a text." },
    { "fulfillment_status", "{}", SK_CORE_ERROR_INVALID_PAYLOAD, "fulfillment_status {…} is not a text." },
    { "refunds", "[{\"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"x\"}]}]",
      SK_CORE_ERROR_INVALID_MONEY, "refunds[0].transactions[0].amount \"x\" is not an amount." },
    { "refunds", "[{\"created_at\": \"soon\"}]", SK_CORE_ERROR_INVALID_TIME,
      "refunds[0].created_at \"soon\" is not a date and time." },
    { "refunds", "[5]", SK_CORE_ERROR_INVALID_PAYLOAD, "refunds[0] 5 is not an object." },
    { "fulfillments", "[{\"tracking_numbers\": [1]}]", SK_CORE_ERROR_INVALID_PAYLOAD,
      "fulfillments[0].tracking_numbers 1 is not a list of texts." },
    { "shipping_lines", "[{\"price\": \"free\"}]", SK_CORE_ERROR_INVALID_MONEY,
      "shipping_lines[0].price \"free\" is not an amount." },
    { "tags", "[\"a\"]", SK_CORE_ERROR_INVALID_PAYLOAD, "tags […] is not a text." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = base_order ();
      g_autoptr(GError) error = NULL;
      SkOrder *order;

      g_test_message ("%s = %s", cases[i].path, cases[i].json ? cases[i].json : "(removed)");
      set_path (root, cases[i].path, cases[i].json);
      order = sk_shopify_normalize_order (root, 7, &error);
      g_assert_null (order);
      g_assert_error (error, SK_CORE_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);

      /* Through a page, the same reason goes to the dead letter. */
      {
        g_autofree char *json = json_to_string (root, FALSE);
        g_autofree char *body = g_strdup_printf ("{\"orders\": [%s]}", json);
        g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
        SkDeadLetter *letter;

        g_assert_cmpuint (page->orders->len, ==, 0);
        g_assert_cmpuint (page->dead_letters->len, ==, 1);
        letter = g_ptr_array_index (page->dead_letters, 0);
        g_assert_cmpstr (letter->reason, ==, error->message);
        g_assert_cmpmem (g_bytes_get_data (letter->raw, NULL), g_bytes_get_size (letter->raw),
                         json, strlen (json));
      }
    }
}

static void
test_validation_legacy_money (void)
{
  g_autoptr(JsonNode) root = base_order ();
  g_autoptr(GError) error = NULL;

  set_path (root, "total_price_set", NULL);
  set_path (root, "total_price", "\"12,50\"");
  g_assert_null (sk_shopify_normalize_order (root, 7, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_cmpstr (error->message, ==, "total_price \"12,50\" is not an amount.");
  g_clear_error (&error);

  set_path (root, "total_price", NULL);
  g_assert_null (sk_shopify_normalize_order (root, 7, &error));
  g_assert_cmpstr (error->message, ==, "total_price is missing.");
  g_clear_error (&error);

  /* JPY has no decimals. */
  set_path (root, "currency", "\"JPY\"");
  set_path (root, "total_price", "\"1000.50\"");
  set_path (root, "line_items.0.price_set", NULL);
  set_path (root, "line_items.0.price", "\"1000\"");
  g_assert_null (sk_shopify_normalize_order (root, 7, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_true (g_str_has_prefix (error->message, "total_price \"1000.50\""));
}

static void
test_not_an_object (void)
{
  static const char *nodes[] = { "[]", "5", "\"order\"", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      g_autoptr(JsonNode) node = parse_json (nodes[i]);
      g_autoptr(GError) error = NULL;

      g_assert_null (sk_shopify_normalize_order (node, 7, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
    }
}

/* Pages */

static char *
order_json_with (const char *id_json, const char *total)
{
  g_autoptr(JsonNode) root = base_order ();

  set_path (root, "id", id_json);
  set_path (root, "total_price_set.shop_money.amount", total);
  return json_to_string (root, FALSE);
}

/* base_order_json with the order's total (the first shop_money amount)
 * written as @number, a JSON number, byte for byte. */
static char *
order_text_with_total (const char *number)
{
  const char *anchor = "{\"shop_money\": {\"amount\": \"10.00\"";
  const char *at = strstr (base_order_json, anchor);

  g_assert_nonnull (at);
  return g_strdup_printf ("{\"orders\":[%.*s{\"shop_money\": {\"amount\": %s%s]}",
                          (int) (at - base_order_json), base_order_json, number,
                          at + strlen (anchor));
}

/* Money written as a JSON number is read from the digits on the page, never
 * through a double: too many decimals are refused, not rounded away, and a
 * total with more digits than a double holds is exact or too large. */
static void
test_page_money_numbers (void)
{
  static const struct {
    const char *number;
    gint64      total;       /* when it imports */
    const char *reason;      /* when it is a dead letter */
  } cases[] = {
    { "10.5", 1050, NULL },
    { "1.5e1", 1500, NULL },
    { "12345678901234567.89", G_GINT64_CONSTANT (1234567890123456789), NULL },
    { "19.999999999999999", 0,
      "total_price_set.shop_money.amount \"19.999999999999999\" has more than 2 decimal places." },
    { "123456789012345678.9", 0,
      "total_price_set.shop_money.amount \"123456789012345678.9\" is too large to be an amount." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = order_text_with_total (cases[i].number);
      g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));

      g_test_message ("%s", cases[i].number);
      if (cases[i].reason == NULL)
        {
          g_assert_cmpuint (page->dead_letters->len, ==, 0);
          g_assert_cmpint (sk_order_get_total (page_order (page, 0)), ==, cases[i].total);
        }
      else
        {
          g_assert_cmpuint (page->orders->len, ==, 0);
          g_assert_cmpuint (page->dead_letters->len, ==, 1);
          g_assert_cmpstr (((SkDeadLetter *) page->dead_letters->pdata[0])->reason, ==,
                           cases[i].reason);
        }
    }
}

static void
test_page_bad_among_good (void)
{
  g_autofree char *good1 = order_json_with ("1001", "\"1.00\"");
  g_autofree char *bad = order_json_with ("1002", "\"abc\"");
  g_autofree char *good2 = order_json_with ("1003", "\"3.00\"");
  g_autofree char *body = g_strdup_printf ("{\"orders\":[%s,\n  %s , %s]}", good1, bad, good2);
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
  SkDeadLetter *letter;
  gsize raw_len;
  const char *raw;

  g_assert_cmpuint (page->orders->len, ==, 2);
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, 0)), ==, "1001");
  g_assert_cmpint (sk_order_get_total (page_order (page, 0)), ==, 100);
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, 1)), ==, "1003");
  g_assert_cmpint (sk_order_get_total (page_order (page, 1)), ==, 300);
  g_assert_cmpint (sk_order_get_channel_id (page_order (page, 1)), ==, 7);

  g_assert_cmpuint (page->dead_letters->len, ==, 1);
  letter = g_ptr_array_index (page->dead_letters, 0);
  g_assert_cmpstr (letter->resource, ==, "orders");
  g_assert_cmpstr (letter->external_id, ==, "1002");
  g_assert_cmpstr (letter->reason, ==, "total_price_set.shop_money.amount \"abc\" is not an amount.");
  /* Exactly that order's bytes. */
  raw = g_bytes_get_data (letter->raw, &raw_len);
  g_assert_cmpmem (raw, raw_len, bad, strlen (bad));
}

static void
test_page_invalid_utf8 (void)
{
  g_autofree char *good1 = order_json_with ("2001", "\"1.00\"");
  g_autofree char *good2 = order_json_with ("2003", "\"3.00\"");
  /* "café" in Latin-1 inside a Shopify order: one stray byte. */
  const char bad[] = "{\"id\": 2002, \"note\": \"caf\xe9 \\\"au lait\\\" ]}\", \"currency\": \"USD\"}";
  g_autofree char *body = g_strdup_printf ("{\"orders\": [%s, %s, %s]}", good1, bad, good2);
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
  g_autofree char *expected_reason = NULL;
  SkDeadLetter *letter;
  gsize raw_len;
  const char *raw;

  g_assert_cmpuint (page->orders->len, ==, 2);
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, 0)), ==, "2001");
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, 1)), ==, "2003");

  g_assert_cmpuint (page->dead_letters->len, ==, 1);
  letter = g_ptr_array_index (page->dead_letters, 0);
  g_assert_cmpstr (letter->external_id, ==, "2002");
  expected_reason = g_strdup_printf ("The order is not valid JSON: "
                                     "text that is not valid UTF-8 at byte %d.",
                                     (int) (strchr (bad, '\xe9') - bad));
  g_assert_cmpstr (letter->reason, ==, expected_reason);
  raw = g_bytes_get_data (letter->raw, &raw_len);
  g_assert_cmpmem (raw, raw_len, bad, strlen (bad));
}

static void
test_page_broken_element (void)
{
  g_autofree char *good = order_json_with ("3001", "\"1.00\"");
  const char *broken[] = {
    "{\"id\": 3002, \"total_price\": 12.3.4}",
    "{\"id\": \"3002\", \"note\": \"a\" \"b\"}",
    "{\"id\": 3002, \"x\": NaN}",
    "{\"id\": 3002,}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"orders\":[%s,%s,%s]}", good, broken[i], good);
      g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
      SkDeadLetter *letter;

      g_test_message ("%s", broken[i]);
      g_assert_cmpuint (page->orders->len, ==, 2);
      g_assert_cmpuint (page->dead_letters->len, ==, 1);
      letter = g_ptr_array_index (page->dead_letters, 0);
      g_assert_cmpstr (letter->external_id, ==, "3002");
      g_assert_true (g_str_has_prefix (letter->reason, "The order is not valid JSON"));
      g_assert_cmpmem (g_bytes_get_data (letter->raw, NULL), g_bytes_get_size (letter->raw),
                       broken[i], strlen (broken[i]));
    }
}

static void
test_page_elements_not_orders (void)
{
  g_autofree char *good = order_json_with ("4001", "\"1.00\"");
  g_autofree char *body = g_strdup_printf ("{\"orders\":[null, 5, %s, [], \"x\"]}", good);
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));

  g_assert_cmpuint (page->orders->len, ==, 1);
  g_assert_cmpuint (page->dead_letters->len, ==, 4);
  for (guint i = 0; i < page->dead_letters->len; i++)
    {
      SkDeadLetter *letter = g_ptr_array_index (page->dead_letters, i);

      g_assert_null (letter->external_id);
      g_assert_cmpstr (letter->reason, ==, "The order is not a JSON object.");
    }
}

static void
test_page_big_ids (void)
{
  static const char body[] =
    "{\"orders\": [{\"id\": 9007199254740993, \"name\": \"#1\", \"currency\": \"USD\","
    "  \"created_at\": \"2024-01-01T00:00:00Z\", \"updated_at\": \"2024-01-01T00:00:00Z\","
    "  \"total_price\": \"1.00\", \"customer\": {\"id\": 9223372036854775806},"
    "  \"line_items\": [{\"id\": 9007199254740995, \"product_id\": 18014398509481985,"
    "                   \"variant_id\": 9007199254740993, \"quantity\": 1, \"price\": \"1.00\","
    "                   \"title\": \"x\"}],"
    "  \"refunds\": [{\"id\": 9007199254740997, \"transactions\": []}],"
    "  \"fulfillments\": [{\"id\": 9007199254740999}]},"
    " {\"id\": \"9007199254740995\", \"order_number\": 1002, \"currency\": \"USD\","
    "  \"created_at\": \"2024-01-01T00:00:00Z\", \"updated_at\": \"2024-01-01T00:00:00Z\","
    "  \"total_price\": \"1.00\"}]}";
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
  SkOrder *order;
  SkOrderLine *line;

  g_assert_cmpuint (page->dead_letters->len, ==, 0);
  g_assert_cmpuint (page->orders->len, ==, 2);
  order = page_order (page, 0);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, "9007199254740993");
  g_assert_cmpstr (sk_order_get_customer_id (order), ==, "9223372036854775806");
  line = order_line (order, 0);
  g_assert_cmpstr (line->external_id, ==, "9007199254740995");
  g_assert_cmpstr (line->product_id, ==, "18014398509481985");
  g_assert_cmpstr (line->variant_id, ==, "9007199254740993");
  g_assert_cmpstr (((SkRefund *) g_ptr_array_index (sk_order_get_refunds (order), 0))->external_id,
                   ==, "9007199254740997");
  g_assert_cmpstr (((SkFulfillment *) g_ptr_array_index (sk_order_get_fulfillments (order), 0))->external_id,
                   ==, "9007199254740999");

  order = page_order (page, 1);
  g_assert_cmpstr (sk_order_get_external_id (order), ==, "9007199254740995");
  g_assert_cmpstr (sk_order_get_number (order), ==, "#1002");
}

static void
test_page_scanner_edges (void)
{
  g_autofree char *good = order_json_with ("5001", "\"1.00\"");
  /* Brackets, quotes and backslashes inside strings; a decoy "orders" in a
   * string and in a nested object before the real one; a byte order mark. */
  g_autofree char *body =
    g_strdup_printf ("\xef\xbb\xbf {\"note\": \"\\\"orders\\\": [ {\\\\\", "
                     "\"meta\": {\"orders\": [1, 2, {\"x\": \"]}\"}]}, "
                     "\"orders\" : [ %s ],\"link\": null, \"n\": -1.5e3, \"t\": true } \n",
                     good);
  g_autoptr(JsonNode) tricky = base_order ();
  g_autofree char *tricky_json = NULL;
  g_autofree char *body2 = NULL;
  g_autoptr(SkImportPage) page = normalize_text (body, strlen (body));
  g_autoptr(SkImportPage) page2 = NULL;

  g_assert_cmpuint (page->orders->len, ==, 1);
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, 0)), ==, "5001");

  set_path (tricky, "note", "\"}]\\\\\\\"{[ caf\\u00e9 \\ud83d\\ude00\"");
  tricky_json = json_to_string (tricky, TRUE);
  body2 = g_strdup_printf ("{\"orders\":[%s,%s]}", tricky_json, good);
  page2 = normalize_text (body2, strlen (body2));
  g_assert_cmpuint (page2->dead_letters->len, ==, 0);
  g_assert_cmpuint (page2->orders->len, ==, 2);
  g_assert_cmpstr (sk_order_get_note (page_order (page2, 0)), ==, "}]\\\"{[ café 😀");
}

static void
test_page_empty_list (void)
{
  g_autoptr(SkImportPage) page = normalize_text ("{\"orders\": []}", 14);

  g_assert_cmpuint (page->orders->len, ==, 0);
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
}

static void
assert_bad_response (const char *body, gsize len, const char *fragment)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, len);
  g_autoptr(SkImportPage) page = new_page ();
  g_autoptr(GError) error = NULL;

  g_assert_false (sk_shopify_normalize_page (bytes, page, &error));
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (fragment != NULL)
    {
      if (strstr (error->message, fragment) == NULL)
        g_error ("“%s” not in “%s”", fragment, error->message);
    }
  g_assert_cmpuint (page->orders->len, ==, 0);
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
}

static void
assert_bad_text (const char *body, const char *fragment)
{
  assert_bad_response (body, strlen (body), fragment);
}

static void
test_page_not_json (void)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Shopify · There was a problem</title>"
    "</head><body>Sorry, this shop is currently unavailable.</body></html>";

  assert_bad_response (html, strlen (html), "<!DOCTYPE html> <html lang=\"en\">");
  assert_bad_text ("", "empty");
  assert_bad_text (" \n\t", "empty");
  assert_bad_text ("null", "no orders");
  assert_bad_text ("[{\"id\": 1}]", "no orders");
  assert_bad_text ("Service Unavailable\xff\xfe", "not JSON");
  /* JSON, but not a page of orders. */
  assert_bad_text ("{}", "no orders");
  assert_bad_text ("{\"errors\": \"Not Found\"}", "no orders");
  assert_bad_text ("{\"orders\": null}", "no orders");
  assert_bad_text ("{\"orders\": {\"id\": 1}}", "no orders");
  assert_bad_text ("{\"order\": [1]}", "no orders");
  assert_bad_text ("{\"customers\": []}", "no orders");
  /* Not JSON as a whole. */
  assert_bad_text ("{\"orders\": []} trailing", "not valid JSON");
  assert_bad_text ("{\"orders\": [] \"more\": 1}", "not valid JSON");
  assert_bad_text ("{\"orders\": [{\"id\": 1} {\"id\": 2}]}", "not valid JSON");
  assert_bad_text ("{orders: []}", "not valid JSON");
}

static void
test_page_truncated (void)
{
  g_autoptr(GBytes) fixture = sk_test_load_fixture (FIXTURE_DIR "/orders-list-2024-10.json");
  gsize len;
  const char *data = g_bytes_get_data (fixture, &len);
  const char *last_brace = data + len;
  guint n_cuts = 0;

  while (last_brace > data && last_brace[-1] != '}')
    last_brace--;
  g_assert_cmpuint (last_brace - data, >, 1000);

  /* Cut anywhere before the final brace: never a page, never a crash. */
  for (gsize cut = 0; cut < (gsize) (last_brace - data); cut += (cut < 64 ? 1 : 97))
    {
      g_autofree char *copy = g_memdup2 (data, cut);

      assert_bad_response (copy, cut, NULL);
      n_cuts++;
    }
  g_assert_cmpuint (n_cuts, >, 300);
  assert_bad_response (data, last_brace - data - 1, "ended early");
  assert_bad_text ("{\"orders\":[{\"id\":1,", "ended early");
  assert_bad_text ("{\"orders\":[{\"id\":1, \"note\": \"abc", "ended early");
  assert_bad_text ("{\"orders\":[{\"id\":1}", "ended early");
  assert_bad_text ("{\"orders\":[]", "ended early");
  assert_bad_text ("{\"orders\":[{\"id\":1, \"n\": 12", "ended early");
}

/* One order object as the 2024-10 list has it, copied @n times with new
 * ids: a page far bigger than Shopify's 250, to catch work that grows
 * faster than the page. */
static GBytes *
make_big_page (guint n)
{
  g_autoptr(JsonNode) root = sk_test_load_json (FIXTURE_DIR "/order-pending-2024-10.json");
  JsonNode *order = json_object_get_member (json_node_get_object (root), "order");
  g_autofree char *one = json_to_string (order, FALSE);
  const char *id_at = strstr (one, "1073459974");
  GString *body = g_string_sized_new ((strlen (one) + 8) * n + 16);

  g_assert_nonnull (id_at);
  g_string_append (body, "{\"orders\":[");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      /* Same length as the original id: 1073459974 → 2000000000 + i. */
      g_string_append_len (body, one, id_at - one);
      g_string_append_printf (body, "%u", 2000000000u + i);
      g_string_append (body, id_at + 10);
    }
  g_string_append (body, "]}");
  return g_string_free_to_bytes (body);
}

static void
run_big_page (guint n, double max_seconds)
{
  g_autoptr(GBytes) body = make_big_page (n);
  g_autoptr(SkImportPage) page = new_page ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *last_id = g_strdup_printf ("%u", 2000000000u + n - 1);
  double seconds;

  g_assert_true (sk_shopify_normalize_page (body, page, &error));
  seconds = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (page->orders->len, ==, n);
  g_assert_cmpuint (page->dead_letters->len, ==, 0);
  g_assert_cmpstr (sk_order_get_external_id (page_order (page, n - 1)), ==, last_id);
  g_test_minimized_result (seconds, "%u orders (%" G_GSIZE_FORMAT " bytes) in %.3f s",
                           n, g_bytes_get_size (body), seconds);
  g_assert_cmpfloat (seconds, <, max_seconds);
}

static void
test_page_speed (void)
{
  /* 10,000 orders of 5 KB take about 0.25 s here; the bound leaves room
   * for a loaded CI machine and still catches work that grows faster than
   * the page. The real budget (100,000 orders well under 5 s) is checked
   * by /shopify/page/speed-100k with -m perf. */
  run_big_page (10000, 2.0);
}

static void
test_page_speed_100k (void)
{
  if (!g_test_perf ())
    {
      g_test_skip ("run with -m perf");
      return;
    }
  run_big_page (100000, 5.0);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/shopify/fixtures/every-file", test_every_fixture);
  g_test_add_func ("/shopify/fixtures/legacy-details", test_fixture_legacy_details);
  g_test_add_func ("/shopify/fixtures/properties-details", test_fixture_properties_details);
  g_test_add_func ("/shopify/fixtures/current-details", test_fixture_current_details);
  g_test_add_func ("/shopify/page/filtered-same-as-full", test_filtered_same_as_full);
  g_test_add_func ("/shopify/order/current-shape", test_base_order);
  g_test_add_func ("/shopify/order/set-preferred-over-legacy", test_set_preferred_over_legacy);
  g_test_add_func ("/shopify/order/legacy-shipping-lines", test_legacy_shipping_lines);
  g_test_add_func ("/shopify/order/currencies", test_money_currencies);
  g_test_add_func ("/shopify/order/line-discounts-taxes", test_line_discounts_and_taxes);
  g_test_add_func ("/shopify/order/ids-as-strings", test_ids_as_strings);
  g_test_add_func ("/shopify/order/customer-fallbacks", test_customer_fallbacks);
  g_test_add_func ("/shopify/order/refunds", test_refunds);
  g_test_add_func ("/shopify/order/fulfillment-tracking", test_fulfillment_tracking);
  g_test_add_func ("/shopify/status/financial", test_map_financial);
  g_test_add_func ("/shopify/status/fulfillment", test_map_fulfillment);
  g_test_add_func ("/shopify/status/order", test_order_status);
  g_test_add_func ("/shopify/status/original-codes", test_original_codes);
  g_test_add_func ("/shopify/validation/fields", test_validation);
  g_test_add_func ("/shopify/validation/legacy-money", test_validation_legacy_money);
  g_test_add_func ("/shopify/validation/not-an-object", test_not_an_object);
  g_test_add_func ("/shopify/page/bad-among-good", test_page_bad_among_good);
  g_test_add_func ("/shopify/page/money-numbers", test_page_money_numbers);
  g_test_add_func ("/shopify/page/invalid-utf8", test_page_invalid_utf8);
  g_test_add_func ("/shopify/page/broken-element", test_page_broken_element);
  g_test_add_func ("/shopify/page/elements-not-orders", test_page_elements_not_orders);
  g_test_add_func ("/shopify/page/big-ids", test_page_big_ids);
  g_test_add_func ("/shopify/page/scanner-edges", test_page_scanner_edges);
  g_test_add_func ("/shopify/page/empty-list", test_page_empty_list);
  g_test_add_func ("/shopify/page/not-json", test_page_not_json);
  g_test_add_func ("/shopify/page/truncated", test_page_truncated);
  g_test_add_func ("/shopify/page/speed", test_page_speed);
  g_test_add_func ("/shopify/page/speed-100k", test_page_speed_100k);

  return g_test_run ();
}
