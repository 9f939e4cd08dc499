/* test-demo-shop.c: the embedded demo shop speaks Shopify's Admin REST API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests go out through a synchronous SoupSession on the test thread:
 * that works only because the server runs on its own thread.
 */
#define G_LOG_DOMAIN "test-demo-shop"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sk-demo-data.h"
#include "sk-demo-shop.h"
#include "sk-shopify-normalize.h"
#include "sk-test-util.h"
#include "sk-time.h"

#define N_ORDERS 600
#define API "/admin/api/" SK_SHOPIFY_API_VERSION
#define UNAUTHORIZED_BODY \
  "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}"
#define THROTTLED_BODY \
  "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}"

typedef struct {
  SkDemoShop  *shop;
  SoupSession *session;
} Fixture;

typedef struct {
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->shop = sk_demo_shop_new (42, N_ORDERS);
  g_assert_true (sk_demo_shop_start (f->shop, &error));
  g_assert_no_error (error);
  /* out of the way, except where a test sets it */
  sk_demo_shop_set_rate_limit (f->shop, 100000, 100000);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  sk_demo_shop_stop (f->shop);
  g_assert_finalize_object (f->shop);
}

static Reply *
fetch_with (SoupSession *session,
            SkDemoShop  *shop,
            const char  *path_or_url,
            const char  *token)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);

  if (g_str_has_prefix (path_or_url, "http"))
    url = g_strdup (path_or_url);
  else
    url = g_strconcat (sk_demo_shop_get_base_url (shop), path_or_url, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  g_assert_nonnull (msg);
  if (token != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 "X-Shopify-Access-Token", token);
  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static Reply *
fetch (Fixture    *f,
       const char *path_or_url)
{
  return fetch_with (f->session, f->shop, path_or_url, SK_DEMO_SHOP_TOKEN);
}

static char *
body_text (Reply *reply)
{
  gsize len;
  const char *data = g_bytes_get_data (reply->body, &len);

  return g_strndup (data, len);
}

static JsonNode *
parse_body (Reply   *reply,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (reply->body, &len);

  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
parse_ok (Reply *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = parse_body (reply, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static void
assert_body (Reply      *reply,
             const char *expected)
{
  g_autofree char *text = body_text (reply);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_call_limit_header (Reply *reply)
{
  const char *value = soup_message_headers_get_one (reply->headers,
                                                     "X-Shopify-Shop-Api-Call-Limit");

  g_assert_nonnull (value);
  g_assert_true (g_regex_match_simple ("^[0-9]+/[0-9]+$", value, 0, 0));
}

/* The URL of the link with @rel in the Link header, or NULL. */
static char *
link_url (Reply      *reply,
          const char *rel)
{
  const char *value = soup_message_headers_get_one (reply->headers, "Link");
  g_auto(GStrv) links = NULL;
  g_autofree char *suffix = g_strdup_printf (">; rel=\"%s\"", rel);

  if (value == NULL)
    return NULL;
  links = g_strsplit (value, ", ", -1);
  for (guint i = 0; links[i] != NULL; i++)
    if (links[i][0] == '<' && g_str_has_suffix (links[i], suffix))
      return g_strndup (links[i] + 1, strlen (links[i]) - strlen (suffix) - 1);
  return NULL;
}

static JsonArray *
orders_of (JsonNode *root)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_get_array_member (json_node_get_object (root), "orders");
}

/* Exact decimals, as the app must read them: never through double. */
static gboolean
try_parse_amount (const char *text,
                  int         exponent,
                  gint64     *out)
{
  gboolean negative = FALSE;
  gint64 value = 0;
  int decimals = -1;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*text == '-')
    {
      negative = TRUE;
      text++;
    }
  if (!g_ascii_isdigit (*text))
    return FALSE;
  for (; *text != '\0'; text++)
    {
      if (*text == '.' && decimals < 0)
        {
          decimals = 0;
          continue;
        }
      if (!g_ascii_isdigit (*text) || value > G_MAXINT64 / 100)
        return FALSE;
      value = value * 10 + (*text - '0');
      if (decimals >= 0)
        decimals++;
    }
  if (decimals < 0 ? exponent != 0 : decimals != exponent)
    return FALSE;  /* "12.3" for USD, "1200.00" for JPY */
  *out = negative ? -value : value;
  return TRUE;
}

static gint64
amount_member (JsonObject *object,
               const char *name,
               int         exponent)
{
  const char *text = json_object_get_string_member (object, name);
  gint64 value = 0;

  if (!try_parse_amount (text, exponent, &value))
    g_error ("%s is not an amount with %d decimals: %s", name, exponent, text);
  return value;
}

/* A *_set must say the same as the legacy string, in the same currency. */
static void
check_money_set (JsonObject *object,
                 const char *set_name,
                 gint64      expected,
                 const char *currency,
                 int         exponent)
{
  JsonObject *set = json_object_get_object_member (object, set_name);
  const char *sides[] = { "shop_money", "presentment_money" };

  g_assert_nonnull (set);
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      JsonObject *money = json_object_get_object_member (set, sides[i]);

      g_assert_cmpint (amount_member (money, "amount", exponent), ==, expected);
      g_assert_cmpstr (json_object_get_string_member (money, "currency_code"), ==, currency);
    }
}

static gint64
sum_tax_lines (JsonObject *object,
               int         exponent)
{
  JsonArray *lines = json_object_get_array_member (object, "tax_lines");
  gint64 sum = 0;

  for (guint i = 0; i < json_array_get_length (lines); i++)
    sum += amount_member (json_array_get_object_element (lines, i), "price", exponent);
  return sum;
}

typedef struct {
  guint n_orders;
  guint n_jpy;
  guint n_above_2_53;
  guint n_refunds;
  guint n_cancelled;
  guint n_fulfillments;
  guint n_discounts;
  GHashTable *financial;    /* code → count */
  GHashTable *fulfillment;
  GHashTable *countries;
  GHashTable *currencies;
} Mix;

static void
mix_clear (Mix *mix)
{
  g_clear_pointer (&mix->financial, g_hash_table_unref);
  g_clear_pointer (&mix->fulfillment, g_hash_table_unref);
  g_clear_pointer (&mix->countries, g_hash_table_unref);
  g_clear_pointer (&mix->currencies, g_hash_table_unref);
}

static void
mix_count (GHashTable **table,
           const char  *key)
{
  if (*table == NULL)
    *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (*table, g_strdup (key != NULL ? key : "null"),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (*table, key != NULL ? key : "null")) + 1));
}

/* Everything a shop owner's books rely on adds up, in minor units. */
static void
check_order (JsonObject *o,
             Mix        *mix)
{
  const char *currency = json_object_get_string_member (o, "currency");
  int exp = g_str_equal (currency, "JPY") ? 0 : 2;
  JsonArray *lines = json_object_get_array_member (o, "line_items");
  JsonArray *shipping_lines = json_object_get_array_member (o, "shipping_lines");
  JsonArray *refunds = json_object_get_array_member (o, "refunds");
  JsonArray *codes = json_object_get_array_member (o, "discount_codes");
  const char *financial = json_object_get_string_member_with_default (o, "financial_status", NULL);
  gint64 line_sum = 0, discount_sum = 0, line_tax = 0, shipping = 0, shipping_tax = 0;
  gint64 subtotal, total, total_tax, refunded = 0, code_sum = 0;
  JsonNode *id_node = json_object_get_member (o, "id");

  g_assert_nonnull (id_node);
  g_assert_cmpint (json_node_get_value_type (id_node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (id_node), >, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "name"), "#"));
  g_assert_cmpstr (json_object_get_string_member (o, "presentment_currency"), ==, currency);
  g_assert_cmpuint (json_array_get_length (lines), >=, 1);
  g_assert_cmpuint (json_array_get_length (lines), <=, 5);

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      gint64 price = amount_member (line, "price", exp);
      gint64 quantity = json_object_get_int_member (line, "quantity");

      g_assert_cmpint (quantity, >=, 1);
      g_assert_true (g_regex_match_simple ("^[A-Z0-9]+(-[A-Z0-9]+)+$",
                                           json_object_get_string_member (line, "sku"), 0, 0));
      g_assert_nonnull (json_object_get_string_member (line, "title"));
      check_money_set (line, "price_set", price, currency, exp);
      line_sum += price * quantity;
      discount_sum += amount_member (line, "total_discount", exp);
      line_tax += sum_tax_lines (line, exp);
    }
  for (guint i = 0; i < json_array_get_length (shipping_lines); i++)
    {
      JsonObject *line = json_array_get_object_element (shipping_lines, i);

      shipping += amount_member (line, "price", exp);
      shipping_tax += sum_tax_lines (line, exp);
    }
  for (guint i = 0; i < json_array_get_length (codes); i++)
    code_sum += amount_member (json_array_get_object_element (codes, i), "amount", exp);

  subtotal = amount_member (o, "subtotal_price", exp);
  total = amount_member (o, "total_price", exp);
  total_tax = amount_member (o, "total_tax", exp);

  g_assert_cmpint (amount_member (o, "total_line_items_price", exp), ==, line_sum);
  g_assert_cmpint (amount_member (o, "total_discounts", exp), ==, discount_sum);
  g_assert_cmpint (code_sum, ==, discount_sum);
  g_assert_cmpint (subtotal, ==, line_sum - discount_sum);
  g_assert_cmpint (total_tax, ==, line_tax + shipping_tax);
  g_assert_cmpint (total_tax, ==, sum_tax_lines (o, exp));
  g_assert_cmpint (total, ==, subtotal + shipping + total_tax);
  check_money_set (o, "total_price_set", total, currency, exp);
  check_money_set (o, "subtotal_price_set", subtotal, currency, exp);
  check_money_set (o, "total_tax_set", total_tax, currency, exp);
  check_money_set (o, "total_discounts_set", discount_sum, currency, exp);
  check_money_set (o, "total_shipping_price_set", shipping, currency, exp);

  for (guint i = 0; i < json_array_get_length (refunds); i++)
    {
      JsonObject *refund = json_array_get_object_element (refunds, i);
      JsonArray *transactions = json_object_get_array_member (refund, "transactions");
      JsonArray *refund_lines = json_object_get_array_member (refund, "refund_line_items");
      JsonArray *adjustments = json_object_get_array_member (refund, "order_adjustments");
      gint64 paid_back = 0, owed = 0;

      for (guint j = 0; j < json_array_get_length (transactions); j++)
        {
          JsonObject *t = json_array_get_object_element (transactions, j);

          g_assert_cmpstr (json_object_get_string_member (t, "kind"), ==, "refund");
          g_assert_cmpstr (json_object_get_string_member (t, "currency"), ==, currency);
          paid_back += amount_member (t, "amount", exp);
        }
      for (guint j = 0; j < json_array_get_length (refund_lines); j++)
        {
          JsonObject *rl = json_array_get_object_element (refund_lines, j);
          JsonObject *sub = json_object_get_object_member (
            json_object_get_object_member (rl, "subtotal_set"), "shop_money");
          JsonObject *tax = json_object_get_object_member (
            json_object_get_object_member (rl, "total_tax_set"), "shop_money");

          owed += amount_member (sub, "amount", exp) + amount_member (tax, "amount", exp);
        }
      for (guint j = 0; j < json_array_get_length (adjustments); j++)
        {
          JsonObject *adj = json_array_get_object_element (adjustments, j);

          /* Shopify writes refunded shipping as a negative adjustment */
          owed -= amount_member (adj, "amount", exp) + amount_member (adj, "tax_amount", exp);
        }
      g_assert_cmpint (paid_back, ==, owed);
      refunded += paid_back;
    }

  if (g_strcmp0 (financial, "refunded") == 0)
    g_assert_cmpint (refunded, ==, total);
  else if (g_strcmp0 (financial, "partially_refunded") == 0)
    {
      g_assert_cmpint (refunded, >, 0);
      g_assert_cmpint (refunded, <, total);
    }
  else
    g_assert_cmpint (refunded, ==, 0);
  if (g_strcmp0 (financial, "voided") == 0)
    g_assert_cmpint (amount_member (o, "current_total_price", exp), ==, 0);
  else
    g_assert_cmpint (amount_member (o, "current_total_price", exp), ==, total - refunded);
  if (!json_object_get_null_member (o, "cancelled_at"))
    {
      g_assert_nonnull (json_object_get_string_member (o, "cancel_reason"));
      g_assert_true (g_strcmp0 (financial, "voided") == 0 || g_strcmp0 (financial, "refunded") == 0);
      mix->n_cancelled++;
    }

  mix->n_orders++;
  mix->n_jpy += exp == 0;
  mix->n_above_2_53 += json_node_get_int (id_node) > (G_GINT64_CONSTANT (1) << 53);
  mix->n_refunds += json_array_get_length (refunds);
  mix->n_fulfillments += json_array_get_length (json_object_get_array_member (o, "fulfillments"));
  mix->n_discounts += json_array_get_length (codes) > 0;
  mix_count (&mix->financial, financial);
  mix_count (&mix->fulfillment,
             json_object_get_string_member_with_default (o, "fulfillment_status", NULL));
  mix_count (&mix->currencies, currency);
  mix_count (&mix->countries, json_object_get_string_member (
               json_object_get_object_member (o, "shipping_address"), "country_code"));
}

static gint64
time_member (JsonObject *o,
             const char *name)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (json_object_get_string_member (o, name), NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static guint
count_of (Fixture    *f,
          const char *query)
{
  g_autofree char *path = g_strconcat (API "/orders/count.json?", query, NULL);
  g_autoptr(Reply) reply = fetch (f, path);
  g_autoptr(JsonNode) root = parse_ok (reply);

  return (guint) json_object_get_int_member (json_node_get_object (root), "count");
}

/* All orders matching @query, following rel="next", checking that each
 * comes once and in (updated_at, id) order. */
static GPtrArray *
fetch_all (Fixture    *f,
           const char *query,
           guint      *n_pages)
{
  g_autofree char *url = g_strconcat (API "/orders.json?", query, NULL);
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint pages = 0;

  while (url != NULL)
    {
      g_autoptr(Reply) reply = fetch (f, url);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonArray *page = orders_of (root);

      assert_call_limit_header (reply);
      for (guint i = 0; i < json_array_get_length (page); i++)
        {
          JsonObject *o = json_array_get_object_element (page, i);

          g_ptr_array_add (orders, json_object_ref (o));
        }
      g_free (url);
      url = link_url (reply, "next");
      if (pages > 0)
        {
          g_autofree char *previous = link_url (reply, "previous");

          g_assert_nonnull (previous);
        }
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }

  /* every order exactly once, by (updated_at, id) */
  for (guint i = 0; i < orders->len; i++)
    {
      JsonObject *o = g_ptr_array_index (orders, i);
      gint64 id = json_object_get_int_member (o, "id");

      g_assert_false (g_hash_table_contains (seen, &id));
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      if (i > 0)
        {
          JsonObject *prev = g_ptr_array_index (orders, i - 1);
          gint64 a = time_member (prev, "updated_at");
          gint64 b = time_member (o, "updated_at");

          g_assert_true (a < b || (a == b && json_object_get_int_member (prev, "id") < id));
        }
    }
  if (n_pages != NULL)
    *n_pages = pages;
  return orders;
}

static void
test_start_stop (void)
{
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (1, 10);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first_url = NULL;

  g_assert_null (sk_demo_shop_get_base_url (shop));
  g_assert_cmpstr (sk_demo_shop_get_domain (shop), ==, "demo-outfitters.myshopify.com");
  g_assert_cmpuint (sk_demo_shop_get_n_orders (shop), ==, 10);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(Reply) reply = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *shop_object;

      g_assert_true (sk_demo_shop_start (shop, &error));
      g_assert_no_error (error);
      g_assert_true (sk_demo_shop_start (shop, &error));  /* already running */
      g_assert_true (g_str_has_prefix (sk_demo_shop_get_base_url (shop), "http://127.0.0.1:"));
      if (first_url == NULL)
        first_url = g_strdup (sk_demo_shop_get_base_url (shop));

      reply = fetch_with (session, shop, API "/shop.json", SK_DEMO_SHOP_TOKEN);
      root = parse_ok (reply);
      shop_object = json_object_get_object_member (json_node_get_object (root), "shop");
      g_assert_cmpstr (json_object_get_string_member (shop_object, "name"), ==, "Demo Outfitters");
      g_assert_cmpstr (json_object_get_string_member (shop_object, "currency"), ==, "USD");
      g_assert_cmpstr (json_object_get_string_member (shop_object, "myshopify_domain"), ==,
                       "demo-outfitters.myshopify.com");
      g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Shopify-API-Version"), ==,
                       SK_SHOPIFY_API_VERSION);
      assert_call_limit_header (reply);
      /* Shopify's default bucket */
      g_assert_true (g_str_has_suffix (soup_message_headers_get_one (reply->headers,
                                                                     "X-Shopify-Shop-Api-Call-Limit"),
                                       "/40"));

      sk_demo_shop_stop (shop);
      sk_demo_shop_stop (shop);
      g_assert_null (sk_demo_shop_get_base_url (shop));
    }

  /* nobody listens any more */
  {
    g_autofree char *url = g_strconcat (first_url, API "/shop.json", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
    g_autoptr(GBytes) body = NULL;

    soup_session_abort (session);
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_null (body);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* disposing a running shop joins its thread */
  g_assert_true (sk_demo_shop_start (shop, &error));
  g_assert_cmpuint (sk_demo_shop_get_request_count (shop), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&shop));
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Reply) none = fetch_with (f->session, f->shop, API "/orders.json", NULL);
  g_autoptr(Reply) wrong = fetch_with (f->session, f->shop, API "/orders.json", "shpat_wrong");
  g_autoptr(Reply) right = fetch (f, API "/orders.json");

  g_assert_cmpuint (none->status, ==, SOUP_STATUS_UNAUTHORIZED);
  assert_body (none, UNAUTHORIZED_BODY);
  assert_call_limit_header (none);
  g_assert_cmpuint (wrong->status, ==, SOUP_STATUS_UNAUTHORIZED);
  assert_body (wrong, UNAUTHORIZED_BODY);
  g_assert_cmpuint (right->status, ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (right->headers, NULL),
                                   "application/json"));
  g_assert_cmpuint (sk_demo_shop_get_request_count (f->shop), ==, 3);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  const char *paths[] = { API "/products/nope.json", "/", "/admin/orders.json",
                          "/admin/api/", API "/orders/count" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Reply) reply = fetch (f, paths[i]);

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_NOT_FOUND);
      assert_body (reply, "{\"errors\":\"Not Found\"}");
      assert_call_limit_header (reply);
    }

  /* any API version is accepted, and echoed */
  {
    g_autoptr(Reply) reply = fetch (f, "/admin/api/2023-01/shop.json");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Shopify-API-Version"), ==,
                     "2023-01");
  }
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = NULL;
  guint pages = 0;
  Mix mix = { 0 };

  orders = fetch_all (f, "status=any&limit=50", &pages);
  g_assert_cmpuint (orders->len, ==, N_ORDERS);
  g_assert_cmpuint (pages, ==, N_ORDERS / 50);
  g_assert_cmpuint (count_of (f, "status=any"), ==, N_ORDERS);

  /* every order served is sound, and the shop is varied */
  for (guint i = 0; i < orders->len; i++)
    check_order (g_ptr_array_index (orders, i), &mix);
  g_assert_cmpuint (mix.n_orders, ==, N_ORDERS);
  g_assert_cmpuint (mix.n_jpy, >, 0);
  g_assert_cmpuint (mix.n_above_2_53, >, 0);
  g_assert_cmpuint (mix.n_above_2_53, <, N_ORDERS);
  g_assert_cmpuint (mix.n_refunds, >, 0);
  g_assert_cmpuint (mix.n_cancelled, >, 0);
  g_assert_cmpuint (mix.n_fulfillments, >, 0);
  g_assert_cmpuint (mix.n_discounts, >, 0);
  g_assert_cmpuint (g_hash_table_size (mix.financial), >=, 5);
  g_assert_cmpuint (g_hash_table_size (mix.fulfillment), ==, 3);
  g_assert_cmpuint (g_hash_table_size (mix.currencies), ==, 5);
  g_assert_cmpuint (g_hash_table_size (mix.countries), ==, 8);
  mix_clear (&mix);

  /* Shopify's default is status=open: fewer orders */
  {
    g_autoptr(GPtrArray) open_orders = fetch_all (f, "limit=250", NULL);

    g_assert_cmpuint (open_orders->len, ==, count_of (f, ""));
    g_assert_cmpuint (open_orders->len, <, N_ORDERS);
    g_assert_cmpuint (open_orders->len, >, 0);
    for (guint i = 0; i < open_orders->len; i++)
      {
        JsonObject *o = g_ptr_array_index (open_orders, i);

        g_assert_true (json_object_get_null_member (o, "closed_at"));
        g_assert_true (json_object_get_null_member (o, "cancelled_at"));
      }
  }

  /* limit: default 50, at most 250 */
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");
    g_autoptr(JsonNode) root = parse_ok (reply);
    g_autoptr(Reply) big = fetch (f, API "/orders.json?status=any&limit=1000");
    g_autoptr(JsonNode) big_root = parse_ok (big);

    g_assert_cmpuint (json_array_get_length (orders_of (root)), ==, 50);
    g_assert_cmpuint (json_array_get_length (orders_of (big_root)), ==, 250);
  }
}

static void
test_paging_previous (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) first = fetch (f, API "/orders.json?status=any&limit=40");
  g_autoptr(JsonNode) first_root = parse_ok (first);
  g_autofree char *next = link_url (first, "next");
  g_autofree char *none = link_url (first, "previous");
  g_autoptr(Reply) second = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  g_autofree char *previous = NULL;
  g_autoptr(Reply) back = NULL;
  g_autoptr(JsonNode) back_root = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_nonnull (next);
  g_assert_null (none);
  g_assert_true (g_str_has_prefix (next, sk_demo_shop_get_base_url (f->shop)));
  g_assert_nonnull (strstr (next, "limit=40"));
  g_assert_nonnull (strstr (next, "page_info="));
  g_assert_null (strstr (next, "status="));

  second = fetch (f, next);
  second_root = parse_ok (second);
  g_assert_cmpuint (json_array_get_length (orders_of (second_root)), ==, 40);
  previous = link_url (second, "previous");
  g_assert_nonnull (previous);
  back = fetch (f, previous);
  back_root = parse_ok (back);
  a = json_to_string (first_root, FALSE);
  b = json_to_string (back_root, FALSE);
  g_assert_cmpstr (a, ==, b);

  /* with page_info, no other filter: Shopify answers 400 */
  {
    g_autofree char *url = g_strconcat (next, "&status=any", NULL);
    g_autoptr(Reply) reply = fetch (f, url);
    g_autofree char *text = body_text (reply);

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
    g_assert_nonnull (strstr (text, "status cannot be passed when page_info is present"));
  }
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?page_info=bm90IGEgY3Vyc29y&limit=5");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
  }
}

static char *
format_with_offset (gint64      unix_utc,
                    const char *offset)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (offset);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static void
test_updated_at_min (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) all = fetch_all (f, "status=any&limit=250", NULL);
  gint64 threshold = time_member (g_ptr_array_index (all, 400), "updated_at");
  guint expected = 0;
  const char *offsets[] = { "+01:00", "-05:00", "+00:00" };

  for (guint i = 0; i < all->len; i++)
    expected += time_member (g_ptr_array_index (all, i), "updated_at") >= threshold;
  g_assert_cmpuint (expected, >=, 200);

  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    {
      g_autofree char *when = format_with_offset (threshold, offsets[k]);
      g_autofree char *escaped = g_uri_escape_string (when, NULL, FALSE);
      g_autofree char *query = g_strdup_printf ("status=any&limit=70&updated_at_min=%s", escaped);
      g_autofree char *count_query = g_strdup_printf ("status=any&updated_at_min=%s", escaped);
      g_autoptr(GPtrArray) recent = fetch_all (f, query, NULL);

      g_assert_cmpuint (recent->len, ==, expected);
      g_assert_cmpuint (count_of (f, count_query), ==, expected);
      for (guint i = 0; i < recent->len; i++)
        g_assert_cmpint (time_member (g_ptr_array_index (recent, i), "updated_at"), >=, threshold);
    }

  /* a '+' that was not percent-encoded arrives as a space: not a time */
  {
    g_autofree char *when = format_with_offset (threshold, "+01:00");
    g_autofree char *path = g_strconcat (API "/orders.json?status=any&updated_at_min=", when, NULL);
    g_autoptr(Reply) reply = fetch (f, path);
    g_autoptr(Reply) garbage = fetch (f, API "/orders.json?updated_at_min=yesterday");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_REQUEST);
    g_assert_cmpuint (garbage->status, ==, SOUP_STATUS_BAD_REQUEST);
  }
}

static void
test_count (Fixture       *f,
            gconstpointer  data)
{
  guint open = count_of (f, "status=open");
  guint closed = count_of (f, "status=closed");
  guint cancelled = count_of (f, "status=cancelled");

  g_assert_cmpuint (count_of (f, "status=any"), ==, N_ORDERS);
  g_assert_cmpuint (count_of (f, ""), ==, open);
  g_assert_cmpuint (open, >, 0);
  g_assert_cmpuint (closed, >, 0);
  g_assert_cmpuint (cancelled, >, 0);
  /* cancelled orders are closed too */
  g_assert_cmpuint (open + closed, ==, N_ORDERS);
  g_assert_cmpuint (count_of (f, "status=any&updated_at_min=2999-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpuint (count_of (f, "status=any&updated_at_min=2000-01-01T00:00:00-05:00"), ==, N_ORDERS);
}

static void
test_fault_429 (Fixture       *f,
                gconstpointer  data)
{
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_429, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");

      g_assert_cmpuint (reply->status, ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "1");
      assert_body (reply, THROTTLED_BODY);
      assert_call_limit_header (reply);
    }

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_429_NO_RETRY_AFTER, 1);
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");

    g_assert_cmpuint (reply->status, ==, 429);
    g_assert_null (soup_message_headers_get_one (reply->headers, "Retry-After"));
    assert_body (reply, THROTTLED_BODY);
  }
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  }
}

static void
test_fault_500 (Fixture       *f,
                gconstpointer  data)
{
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_500, 1);
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
    assert_body (reply, "{\"errors\":\"Internal Server Error\"}");
    assert_call_limit_header (reply);
  }
  {
    g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  }
}

static void
test_fault_truncated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) whole = fetch (f, API "/orders.json?status=any&limit=20");
  g_autoptr(Reply) cut = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_TRUNCATED, 1);
  cut = fetch (f, API "/orders.json?status=any&limit=20");
  g_assert_cmpuint (cut->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (cut->body), ==, g_bytes_get_size (whole->body) / 2);
  g_assert_cmpint (soup_message_headers_get_content_length (cut->headers), ==,
                   g_bytes_get_size (cut->body));
  root = parse_body (cut, &error);
  g_assert_null (root);
  g_assert_nonnull (error);

  {
    g_autoptr(Reply) again = fetch (f, API "/orders.json?status=any&limit=20");

    g_assert_true (g_bytes_equal (again->body, whole->body));
  }
}

static void
test_fault_not_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_NOT_JSON, 1);
  reply = fetch (f, API "/orders.json?status=any");
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_BAD_GATEWAY);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "text/html");
  text = body_text (reply);
  g_assert_nonnull (strstr (text, "<h1>502 Bad Gateway</h1>"));
  root = parse_body (reply, &error);
  g_assert_null (root);
  g_assert_nonnull (error);

  {
    g_autoptr(Reply) ok = fetch (f, API "/orders.json?status=any");

    g_assert_cmpuint (ok->status, ==, SOUP_STATUS_OK);
  }
}

/* How many orders of @array an importer must reject. */
static guint
count_bad_orders (JsonArray *array)
{
  guint bad = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *currency = json_object_get_string_member (o, "currency");
      gint64 total;

      if (!json_object_has_member (o, "id") ||
          !try_parse_amount (json_object_get_string_member (o, "total_price"),
                             g_str_equal (currency, "JPY") ? 0 : 2, &total))
        bad++;
    }
  return bad;
}

static void
test_fault_malformed (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *next = NULL;
  guint kinds = 0;

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 4);
  next = g_strdup (API "/orders.json?status=any&limit=25");
  for (guint page = 0; page < 6; page++)
    {
      g_autoptr(Reply) reply = fetch (f, next);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonArray *array = orders_of (root);
      JsonObject *middle = json_array_get_object_element (array, 12);

      /* the first four pages have exactly one bad order, in the middle */
      g_assert_cmpuint (count_bad_orders (array), ==, page < 4 ? 1 : 0);
      if (page < 4)
        kinds |= json_object_has_member (middle, "id") ? 1 : 2;
      g_free (next);
      next = link_url (reply, "next");
    }
  /* both ways of breaking an order show up */
  g_assert_cmpuint (kinds, ==, 3);
}

typedef struct {
  SkDemoShop *shop;
  gint64      elapsed;
  guint       status;
} SlowRequest;

static gpointer
slow_request_thread (gpointer data)
{
  SlowRequest *request = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Reply) reply = fetch_with (session, request->shop, API "/orders.json?status=any",
                                       SK_DEMO_SHOP_TOKEN);

  request->elapsed = g_get_monotonic_time () - start;
  request->status = reply->status;
  return NULL;
}

static void
test_fault_slow (Fixture       *f,
                 gconstpointer  data)
{
  SlowRequest requests[3];
  GThread *threads[3];
  gint64 start;

  sk_demo_shop_set_slow_ms (f->shop, 600);
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_SLOW, 1);

  /* three at once: a server that slept on its thread would take 1.8 s */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      requests[i] = (SlowRequest) { f->shop, 0, 0 };
      threads[i] = g_thread_new ("slow-request", slow_request_thread, &requests[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (requests[i].status, ==, SOUP_STATUS_OK);
      g_assert_cmpint (requests[i].elapsed, >=, 600 * 1000);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);

  /* SLOW stays on until cleared */
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = fetch (f, API "/shop.json");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 600 * 1000);
  }
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_SLOW, 0);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Reply) reply = fetch (f, API "/shop.json");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
  }
}

static gpointer
abandoned_request_thread (gpointer data)
{
  const char *url = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg),
                               "X-Shopify-Access-Token", SK_DEMO_SHOP_TOKEN);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  return GUINT_TO_POINTER (soup_message_get_status (msg));
}

static void
test_slow_stop (void)
{
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (3, 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 deadline, start;
  GThread *thread;

  /* stopping with a delayed answer pending neither hangs nor leaks */
  g_assert_true (sk_demo_shop_start (shop, &error));
  sk_demo_shop_set_slow_ms (shop, 20000);
  sk_demo_shop_inject_fault (shop, SK_DEMO_FAULT_SLOW, 1);
  url = g_strconcat (sk_demo_shop_get_base_url (shop), API "/shop.json", NULL);
  thread = g_thread_new ("abandoned-request", abandoned_request_thread, url);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (sk_demo_shop_get_request_count (shop) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (5 * 1000);
  g_assert_cmpuint (sk_demo_shop_get_request_count (shop), ==, 1);

  start = g_get_monotonic_time ();
  sk_demo_shop_stop (shop);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_thread_join (thread)), !=, SOUP_STATUS_OK);
  g_assert_finalize_object (g_steal_pointer (&shop));
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  guint i;

  sk_demo_shop_set_rate_limit (f->shop, 5, 1);

  /* five calls fill the bucket; the next is refused (a slow machine may
   * leak a call or two meanwhile) */
  for (i = 1; i <= 20; i++)
    {
      g_autoptr(Reply) reply = fetch (f, API "/orders.json?status=any&limit=5");
      const char *used = soup_message_headers_get_one (reply->headers,
                                                        "X-Shopify-Shop-Api-Call-Limit");

      if (reply->status == 429)
        {
          g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "2.0");
          g_assert_cmpstr (used, ==, "5/5");
          assert_body (reply, THROTTLED_BODY);
          break;
        }
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      if (i <= 5)
        {
          g_autofree char *expected = g_strdup_printf ("%u/5", i);
          g_autofree char *leaked = g_strdup_printf ("%u/5", i - 1);

          g_assert_true (g_str_equal (used, expected) || g_str_equal (used, leaked));
        }
    }
  g_assert_cmpuint (i, >=, 6);
  g_assert_cmpuint (i, <=, 20);

  /* the bucket leaks one call a second */
  g_usleep (1100 * 1000);
  {
    g_autoptr(Reply) reply = fetch (f, API "/shop.json");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  }
}

static void
test_advance (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) before = fetch_all (f, "status=any&limit=250", NULL);
  g_autoptr(GHashTable) old_json = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *when = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *query = NULL;
  gint64 newest = 0;
  guint n_new = 0, n_changed = 0;
  Mix mix = { 0 };

  for (guint i = 0; i < before->len; i++)
    {
      JsonObject *o = g_ptr_array_index (before, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);
      gint64 *id = g_new (gint64, 1);

      *id = json_object_get_int_member (o, "id");
      g_hash_table_insert (old_json, id, json_to_string (node, FALSE));
      newest = MAX (newest, time_member (o, "updated_at"));
    }

  sk_demo_shop_advance (f->shop, 7, 5);
  g_assert_cmpuint (sk_demo_shop_get_n_orders (f->shop), ==, N_ORDERS + 7);
  g_assert_cmpuint (count_of (f, "status=any"), ==, N_ORDERS + 7);

  when = format_with_offset (newest, "-05:00");
  escaped = g_uri_escape_string (when, NULL, FALSE);
  query = g_strdup_printf ("status=any&limit=3&updated_at_min=%s", escaped);
  after = fetch_all (f, query, NULL);
  for (guint i = 0; i < after->len; i++)
    {
      JsonObject *o = g_ptr_array_index (after, i);
      gint64 id = json_object_get_int_member (o, "id");
      const char *was = g_hash_table_lookup (old_json, &id);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);
      g_autofree char *now = json_to_string (node, FALSE);

      check_order (o, &mix);
      g_assert_cmpint (time_member (o, "updated_at"), >=, newest);
      if (was == NULL)
        n_new++;
      else if (!g_str_equal (was, now))
        n_changed++;
    }
  g_assert_cmpuint (n_new, ==, 7);
  g_assert_cmpuint (n_changed, ==, 5);
  mix_clear (&mix);

  /* new orders continue the numbering */
  {
    JsonObject *last = NULL;

    for (guint i = 0; i < after->len; i++)
      {
        JsonObject *o = g_ptr_array_index (after, i);

        if (json_object_get_int_member (o, "order_number") == 1000 + N_ORDERS + 7)
          last = o;
      }
    g_assert_nonnull (last);
  }
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint n;

  sk_demo_shop_set_live (f->shop, 20);
  while (sk_demo_shop_get_n_orders (f->shop) < N_ORDERS + 5 && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  sk_demo_shop_set_live (f->shop, 0);
  n = sk_demo_shop_get_n_orders (f->shop);
  g_assert_cmpuint (n, >=, N_ORDERS + 5);
  g_usleep (100 * 1000);
  g_assert_cmpuint (sk_demo_shop_get_n_orders (f->shop), ==, n);
  g_assert_cmpuint (count_of (f, "status=any"), ==, n);
}

static gint64
fixed_now (gpointer data)
{
  return G_GINT64_CONSTANT (1717243200);  /* 2024-06-01T12:00:00Z */
}

static GBytes *
first_page_of (guint64 seed)
{
  g_autoptr(SkDemoShop) shop = sk_demo_shop_new (seed, 300);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = NULL;

  g_assert_true (sk_demo_shop_start (shop, &error));
  reply = fetch_with (session, shop, API "/orders.json?status=any&limit=250", SK_DEMO_SHOP_TOKEN);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  sk_demo_shop_stop (shop);
  return g_bytes_ref (reply->body);
}

static void
test_determinism (void)
{
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) c = NULL;

  sk_time_set_now_func (fixed_now, NULL);
  a = first_page_of (7);
  b = first_page_of (7);
  c = first_page_of (8);
  sk_time_set_now_func (NULL, NULL);

  g_assert_cmpuint (g_bytes_get_size (a), >, 100000);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));

  /* the same through the data API, after the same advances */
  {
    SkDemoData *d1 = sk_demo_data_new (99, 200, 1717243200);
    SkDemoData *d2 = sk_demo_data_new (99, 200, 1717243200);
    g_autoptr(GString) s1 = g_string_new (NULL);
    g_autoptr(GString) s2 = g_string_new (NULL);
    SkDemoFilter filter = { SK_DEMO_STATUS_ANY, 0, 0, 0, 0 };
    guint rows1[250], rows2[250];
    guint n1, n2;

    sk_demo_data_advance (d1, 10, 30, 1717243300);
    sk_demo_data_advance (d2, 10, 30, 1717243300);
    n1 = sk_demo_data_page (d1, &filter, TRUE, G_MININT64, 0, 250, rows1, NULL, NULL);
    n2 = sk_demo_data_page (d2, &filter, TRUE, G_MININT64, 0, 250, rows2, NULL, NULL);
    g_assert_cmpuint (n1, ==, 210);
    g_assert_cmpuint (n2, ==, 210);
    sk_demo_data_write_orders (d1, rows1, n1, G_MAXUINT, SK_DEMO_MALFORM_NONE, s1);
    sk_demo_data_write_orders (d2, rows2, n2, G_MAXUINT, SK_DEMO_MALFORM_NONE, s2);
    g_assert_true (g_string_equal (s1, s2));
    sk_demo_data_free (d1);
    sk_demo_data_free (d2);
  }
}

static void
test_json_writer (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  SkDemoJson w;

  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_string (&w, "s", "a \"quoted\" \\ line\nbreak\x01 é");
  sk_demo_json_int (&w, "i", G_MININT64);
  sk_demo_json_uint (&w, "u", G_MAXUINT64);
  sk_demo_json_decimal (&w, "usd", -345, 2);
  sk_demo_json_decimal (&w, "jpy", 1200, 0);
  sk_demo_json_decimal_number (&w, "n", 5, 2);
  sk_demo_json_time (&w, "t", 1199980800, -300);
  sk_demo_json_time (&w, "t2", 1199980800, 60);
  sk_demo_json_time (&w, "none", 0, 0);
  sk_demo_json_begin_array (&w, "a");
  sk_demo_json_bool (&w, NULL, TRUE);
  sk_demo_json_null (&w, NULL);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_array (&w);
  sk_demo_json_money_set (&w, "m", 40994, "USD");
  sk_demo_json_end_object (&w);

  g_assert_cmpstr (out->str, ==,
                   "{\"s\":\"a \\\"quoted\\\" \\\\ line\\nbreak\\u0001 é\","
                   "\"i\":-9223372036854775808,\"u\":18446744073709551615,"
                   "\"usd\":\"-3.45\",\"jpy\":\"1200\",\"n\":0.05,"
                   "\"t\":\"2008-01-10T11:00:00-05:00\",\"t2\":\"2008-01-10T17:00:00+01:00\","
                   "\"none\":null,\"a\":[true,null,{}],"
                   "\"m\":{\"shop_money\":{\"amount\":\"409.94\",\"currency_code\":\"USD\"},"
                   "\"presentment_money\":{\"amount\":\"409.94\",\"currency_code\":\"USD\"}}}");
}

/* 100,000 orders must serve fast enough for the ingest benchmark. */
static void
test_big_shop (void)
{
  g_autoptr(SkDemoShop) shop = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start, worst = 0;
  guint pages = 0;

  if (!g_test_slow ())
    {
      g_test_skip ("100,000 orders: run with -m slow");
      return;
    }

  start = g_get_monotonic_time ();
  shop = sk_demo_shop_new (5, 100000);
  g_test_message ("generated 100,000 orders in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (sk_demo_shop_start (shop, &error));
  sk_demo_shop_set_rate_limit (shop, 0, 0);
  url = g_strdup (API "/orders.json?status=any&limit=250");
  start = g_get_monotonic_time ();
  while (url != NULL && pages < 40)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(Reply) reply = fetch_with (session, shop, url, SK_DEMO_SHOP_TOKEN);

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      worst = MAX (worst, g_get_monotonic_time () - t);
      g_free (url);
      url = link_url (reply, "next");
      pages++;
    }
  g_test_message ("40 pages of 250 in %.0f ms, worst %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0, worst / 1000.0);
}

/* Fulfillments, catalogue and stock (both dialects) */

enum { AUTH_SHOPIFY, AUTH_WOO, AUTH_NONE };

static Reply *
call (Fixture    *f,
      const char *method,
      const char *path_or_url,
      const char *json,
      int         auth)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  SoupMessageHeaders *headers;

  url = g_str_has_prefix (path_or_url, "http") ? g_strdup (path_or_url)
        : g_strconcat (sk_demo_shop_get_base_url (f->shop), path_or_url, NULL);
  msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (auth == AUTH_SHOPIFY)
    soup_message_headers_append (headers, "X-Shopify-Access-Token", SK_DEMO_SHOP_TOKEN);
  else if (auth == AUTH_WOO)
    {
      g_autofree char *pair = g_strconcat (SK_DEMO_WOO_CONSUMER_KEY ":", SK_DEMO_WOO_CONSUMER_SECRET, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_append (headers, "Authorization", value);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static JsonNode *
parse_status (Reply *reply,
              guint  status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpuint (reply->status, ==, status);
  root = parse_body (reply, &error);
  g_assert_no_error (error);
  return root;
}

static JsonObject *
object_at (JsonArray *array,
           guint      i)
{
  return json_node_get_object (json_array_get_element (array, i));
}

/* An open, unfulfilled order with two lines or more. */
static JsonObject *
find_unfulfilled (JsonNode *root)
{
  JsonArray *orders = orders_of (root);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = object_at (orders, i);

      if (json_object_get_null_member (o, "fulfillment_status") &&
          json_object_get_null_member (o, "cancelled_at") &&
          json_array_get_length (json_object_get_array_member (o, "line_items")) >= 2)
        return o;
    }
  g_assert_not_reached ();
}

static JsonObject *
order_in (JsonNode *root,
          gint64    id)
{
  JsonArray *orders = orders_of (root);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (json_object_get_int_member (object_at (orders, i), "id") == id)
      return object_at (orders, i);
  return NULL;
}

static void
test_shopify_fulfillment (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Reply) list = fetch (f, API "/orders.json?limit=250");
  g_autoptr(JsonNode) root = parse_ok (list);
  JsonObject *order = find_unfulfilled (root);
  gint64 id = json_object_get_int_member (order, "id");
  JsonArray *lines = json_object_get_array_member (order, "line_items");
  g_autofree char *fo_path = g_strdup_printf (API "/orders/%" G_GINT64_FORMAT "/fulfillment_orders.json", id);
  g_autofree char *f_path = g_strdup_printf (API "/orders/%" G_GINT64_FORMAT "/fulfillments.json", id);
  g_autofree char *since = NULL;
  g_autoptr(JsonNode) fo_root = NULL;
  g_autoptr(GString) post = g_string_new (NULL);
  JsonObject *fo;
  JsonArray *fo_lines;

  /* auth, unknown ids */
  {
    g_autoptr(Reply) reply = call (f, "GET", fo_path, NULL, AUTH_NONE);
    g_autoptr(Reply) unknown = fetch (f, API "/orders/123/fulfillment_orders.json");
    g_autoptr(Reply) unknown_fo = call (f, "POST", API "/fulfillments.json",
                                        "{\"fulfillment\":{\"line_items_by_fulfillment_order\":"
                                        "[{\"fulfillment_order_id\":1}]}}", AUTH_SHOPIFY);

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpuint (unknown->status, ==, SOUP_STATUS_NOT_FOUND);
    assert_body (unknown, "{\"errors\":\"Not Found\"}");
    g_assert_cmpuint (unknown_fo->status, ==, SOUP_STATUS_NOT_FOUND);
  }

  /* one open fulfillment order matching the line items */
  {
    g_autoptr(Reply) reply = fetch (f, fo_path);

    fo_root = parse_ok (reply);
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (fo_root), "fulfillment_orders")), ==, 1);
  fo = object_at (json_object_get_array_member (json_node_get_object (fo_root), "fulfillment_orders"), 0);
  g_assert_cmpstr (json_object_get_string_member (fo, "status"), ==, "open");
  g_assert_cmpint (json_object_get_int_member (fo, "order_id"), ==, id);
  fo_lines = json_object_get_array_member (fo, "line_items");
  g_assert_cmpuint (json_array_get_length (fo_lines), ==, json_array_get_length (lines));
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_assert_cmpint (json_object_get_int_member (object_at (fo_lines, i), "line_item_id"), ==,
                       json_object_get_int_member (object_at (lines, i), "id"));
      g_assert_cmpint (json_object_get_int_member (object_at (fo_lines, i), "fulfillable_quantity"), ==,
                       json_object_get_int_member (object_at (lines, i), "quantity"));
    }

  /* ship the first line: partial */
  g_string_printf (post, "{\"fulfillment\":{\"line_items_by_fulfillment_order\":[{\"fulfillment_order_id\":%"
                   G_GINT64_FORMAT ",\"fulfillment_order_line_items\":[{\"id\":%" G_GINT64_FORMAT
                   ",\"quantity\":%" G_GINT64_FORMAT "}]}],\"tracking_info\":{\"number\":\"1Z999AA10123456784\","
                   "\"company\":\"UPS\",\"url\":\"https://ups.example/1Z999AA10123456784\"},\"notify_customer\":false}}",
                   json_object_get_int_member (fo, "id"),
                   json_object_get_int_member (object_at (fo_lines, 0), "id"),
                   json_object_get_int_member (object_at (fo_lines, 0), "quantity"));
  since = sk_time_format_iso8601 (sk_time_now () - 1);
  {
    g_autoptr(Reply) reply = call (f, "POST", API "/fulfillments.json", post->str, AUTH_SHOPIFY);
    g_autoptr(Reply) again = call (f, "POST", API "/fulfillments.json", post->str, AUTH_SHOPIFY);
    g_autoptr(JsonNode) answer = parse_status (reply, SOUP_STATUS_CREATED);
    JsonObject *made = json_object_get_object_member (json_node_get_object (answer), "fulfillment");

    g_assert_cmpstr (json_object_get_string_member (made, "tracking_number"), ==, "1Z999AA10123456784");
    g_assert_cmpuint (again->status, ==, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  }

  /* a later orders query sees it */
  {
    g_autofree char *escaped = g_uri_escape_string (since, NULL, FALSE);
    g_autofree char *path = g_strdup_printf (API "/orders.json?status=any&updated_at_min=%s", escaped);
    g_autoptr(Reply) reply = fetch (f, path);
    g_autoptr(JsonNode) later = parse_ok (reply);
    JsonObject *changed = order_in (later, id);
    JsonArray *fulfillments;
    gboolean found = FALSE;

    g_assert_nonnull (changed);
    g_assert_cmpstr (json_object_get_string_member (changed, "fulfillment_status"), ==, "partial");
    fulfillments = json_object_get_array_member (changed, "fulfillments");
    for (guint i = 0; i < json_array_get_length (fulfillments); i++)
      found |= g_strcmp0 (json_object_get_string_member (object_at (fulfillments, i), "tracking_number"),
                          "1Z999AA10123456784") == 0;
    g_assert_true (found);
    g_assert_cmpint (json_object_get_int_member (object_at (json_object_get_array_member (changed, "line_items"), 0),
                                                 "fulfillable_quantity"), ==, 0);
  }

  /* the rest, without naming lines: fulfilled; fulfillments.json has both */
  g_string_printf (post, "{\"fulfillment\":{\"line_items_by_fulfillment_order\":[{\"fulfillment_order_id\":%"
                   G_GINT64_FORMAT "}],\"tracking_info\":{\"number\":\"JD0002\",\"company\":\"DHL\"}}}",
                   json_object_get_int_member (fo, "id"));
  {
    g_autoptr(Reply) reply = call (f, "POST", API "/fulfillments.json", post->str, AUTH_SHOPIFY);
    g_autoptr(Reply) listed = fetch (f, f_path);
    g_autoptr(Reply) fos = fetch (f, fo_path);
    g_autoptr(Reply) orders = fetch (f, API "/orders.json?status=any&limit=250");
    g_autoptr(JsonNode) answer = parse_status (reply, SOUP_STATUS_CREATED);
    g_autoptr(JsonNode) listed_root = parse_ok (listed);
    g_autoptr(JsonNode) fos_root = parse_ok (fos);
    g_autoptr(JsonNode) orders_root = parse_ok (orders);
    JsonObject *changed;

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (listed_root), "fulfillments")), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (object_at (json_object_get_array_member (json_node_get_object (fos_root), "fulfillment_orders"), 0), "status"), ==, "closed");
    /* it moved: it is on a later page now, or this one */
    changed = order_in (orders_root, id);
    if (changed != NULL)
      g_assert_cmpstr (json_object_get_string_member (changed, "fulfillment_status"), ==, "fulfilled");
  }
}

static GPtrArray *
all_products (Fixture *f)
{
  GPtrArray *skus = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = g_strdup (API "/products.json?limit=25");
  guint pages = 0;

  while (next != NULL)
    {
      g_autoptr(Reply) reply = fetch (f, next);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonArray *products = json_object_get_array_member (json_node_get_object (root), "products");

      pages++;
      g_assert_cmpuint (json_array_get_length (products), <=, 25);
      for (guint i = 0; i < json_array_get_length (products); i++)
        {
          JsonArray *variants = json_object_get_array_member (object_at (products, i), "variants");

          for (guint j = 0; j < json_array_get_length (variants); j++)
            {
              JsonObject *v = object_at (variants, j);

              g_assert_cmpint (json_object_get_int_member (v, "product_id"), ==,
                               json_object_get_int_member (object_at (products, i), "id"));
              g_assert_cmpuint (strlen (json_object_get_string_member (v, "barcode")), ==, 13);
              g_assert_cmpint (json_object_get_int_member (v, "inventory_quantity"), >=, 0);
              g_ptr_array_add (skus, g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                                      json_object_get_string_member (v, "sku"),
                                                      json_object_get_int_member (v, "id"),
                                                      json_object_get_int_member (v, "inventory_item_id")));
            }
        }
      g_clear_pointer (&next, g_free);
      next = link_url (reply, "next");
    }
  g_assert_cmpuint (pages, >=, 3);
  return skus;
}

static void
test_shopify_catalog (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) variants = all_products (f);
  g_autoptr(GHashTable) by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(Reply) orders = fetch (f, API "/orders.json?status=any&limit=100");
  g_autoptr(JsonNode) root = parse_ok (orders);
  JsonArray *array = orders_of (root);
  g_auto(GStrv) first = NULL;
  g_autofree char *levels_path = NULL;
  g_autofree char *set_body = NULL;

  g_assert_cmpuint (variants->len, >, 150);
  for (guint i = 0; i < variants->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (variants->pdata[i], "|", 2);

      g_assert_false (g_hash_table_contains (by_sku, parts[0]));
      g_hash_table_insert (by_sku, g_strdup (parts[0]), variants->pdata[i]);
    }
  /* the orders sell what is listed, with the same variant ids */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonArray *lines = json_object_get_array_member (object_at (array, i), "line_items");

      for (guint j = 0; j < json_array_get_length (lines); j++)
        {
          JsonObject *line = object_at (lines, j);
          const char *entry = g_hash_table_lookup (by_sku, json_object_get_string_member (line, "sku"));
          g_autofree char *variant = g_strdup_printf ("|%" G_GINT64_FORMAT "|",
                                                      json_object_get_int_member (line, "variant_id"));

          g_assert_nonnull (entry);
          g_assert_nonnull (strstr (entry, variant));
        }
    }
  g_hash_table_steal_all (by_sku);

  /* locations, levels, set */
  first = g_strsplit (variants->pdata[0], "|", 3);
  levels_path = g_strdup_printf (API "/inventory_levels.json?inventory_item_ids=%s&location_ids=71234567890", first[2]);
  {
    g_autoptr(Reply) locations = fetch (f, API "/locations.json");
    g_autoptr(JsonNode) loc = parse_ok (locations);
    g_autoptr(Reply) unauthorized = call (f, "GET", levels_path, NULL, AUTH_NONE);

    g_assert_cmpint (json_object_get_int_member (object_at (json_object_get_array_member (json_node_get_object (loc), "locations"), 0), "id"), ==, 71234567890);
    g_assert_cmpuint (unauthorized->status, ==, SOUP_STATUS_UNAUTHORIZED);
  }
  set_body = g_strdup_printf ("{\"location_id\":71234567890,\"inventory_item_id\":%s,\"available\":4242}", first[2]);
  {
    g_autoptr(Reply) set = call (f, "POST", API "/inventory_levels/set.json", set_body, AUTH_SHOPIFY);
    g_autoptr(JsonNode) set_root = parse_ok (set);
    g_autoptr(Reply) unknown = call (f, "POST", API "/inventory_levels/set.json",
                                     "{\"location_id\":71234567890,\"inventory_item_id\":5,\"available\":1}",
                                     AUTH_SHOPIFY);
    g_autoptr(Reply) levels = fetch (f, levels_path);
    g_autoptr(JsonNode) levels_root = parse_ok (levels);
    JsonArray *list = json_object_get_array_member (json_node_get_object (levels_root), "inventory_levels");

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (set_root), "inventory_level"), "available"), ==, 4242);
    g_assert_cmpuint (unknown->status, ==, SOUP_STATUS_NOT_FOUND);
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpint (json_object_get_int_member (object_at (list, 0), "available"), ==, 4242);
  }
}

static void
test_woo_fulfillment (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) list = call (f, "GET", "/wp-json/wc/v3/orders?status=processing&per_page=5", NULL, AUTH_WOO);
  g_autoptr(JsonNode) root = parse_ok (list);
  JsonObject *order = object_at (json_node_get_array (root), 0);
  gint64 id = json_object_get_int_member (order, "id");
  g_autofree char *path = g_strdup_printf ("/wp-json/wc/v3/orders/%" G_GINT64_FORMAT, id);
  g_autofree char *notes = g_strdup_printf ("%s/notes", path);

  {
    g_autoptr(Reply) unauthorized = call (f, "PUT", path, "{\"status\":\"completed\"}", AUTH_NONE);
    g_autoptr(Reply) unknown = call (f, "PUT", "/wp-json/wc/v3/orders/7", "{\"status\":\"completed\"}", AUTH_WOO);
    g_autoptr(Reply) unknown_notes = call (f, "GET", "/wp-json/wc/v3/orders/7/notes", NULL, AUTH_WOO);

    g_assert_cmpuint (unauthorized->status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpuint (unknown->status, ==, SOUP_STATUS_NOT_FOUND);
    g_assert_nonnull (strstr (g_bytes_get_data (unknown->body, NULL), "woocommerce_rest_shop_order_invalid_id"));
    g_assert_cmpuint (unknown_notes->status, ==, SOUP_STATUS_NOT_FOUND);
  }
  {
    g_autoptr(Reply) empty = call (f, "GET", notes, NULL, AUTH_WOO);
    g_autoptr(JsonNode) empty_root = parse_ok (empty);
    g_autoptr(Reply) posted = call (f, "POST", notes, "{\"note\":\"Shipped with DHL, tracking JD1\",\"customer_note\":false}", AUTH_WOO);
    g_autoptr(JsonNode) posted_root = parse_status (posted, SOUP_STATUS_CREATED);
    g_autoptr(Reply) listed = call (f, "GET", notes, NULL, AUTH_WOO);
    g_autoptr(JsonNode) listed_root = parse_ok (listed);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (empty_root)), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (posted_root), "note"), ==,
                     "Shipped with DHL, tracking JD1");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (listed_root)), ==, 1);
  }
  {
    g_autoptr(Reply) put = call (f, "PUT", path, "{\"status\":\"completed\"}", AUTH_WOO);
    g_autoptr(JsonNode) put_root = parse_ok (put);
    g_autoptr(Reply) later = call (f, "GET", "/wp-json/wc/v3/orders?status=completed&orderby=modified&order=desc&per_page=1", NULL, AUTH_WOO);
    g_autoptr(JsonNode) later_root = parse_ok (later);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (put_root), "status"), ==, "completed");
    g_assert_cmpint (json_object_get_int_member (object_at (json_node_get_array (later_root), 0), "id"), ==, id);
  }
}

static void
test_woo_catalog (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint pages = 1, total = 0;
  gint64 variable_id = 0, variation_id = 0;

  {
    g_autoptr(Reply) unauthorized = call (f, "GET", "/wp-json/wc/v3/products", NULL, AUTH_NONE);

    g_assert_cmpuint (unauthorized->status, ==, SOUP_STATUS_UNAUTHORIZED);
  }
  for (guint page = 1; page <= pages; page++)
    {
      g_autofree char *path = g_strdup_printf ("/wp-json/wc/v3/products?per_page=20&page=%u&orderby=id&order=asc", page);
      g_autoptr(Reply) reply = call (f, "GET", path, NULL, AUTH_WOO);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonArray *products = json_node_get_array (root);

      pages = (guint) g_ascii_strtoull (soup_message_headers_get_one (reply->headers, "X-WP-TotalPages"), NULL, 10);
      total = (guint) g_ascii_strtoull (soup_message_headers_get_one (reply->headers, "X-WP-Total"), NULL, 10);
      for (guint i = 0; i < json_array_get_length (products); i++)
        {
          JsonObject *p = object_at (products, i);
          gint64 pid = json_object_get_int_member (p, "id");

          if (g_str_equal (json_object_get_string_member (p, "type"), "simple"))
            {
              g_hash_table_add (skus, g_strdup_printf ("%s|%" G_GINT64_FORMAT "|0", json_object_get_string_member (p, "sku"), pid));
              continue;
            }
          {
            g_autofree char *vpath = g_strdup_printf ("/wp-json/wc/v3/products/%" G_GINT64_FORMAT "/variations?per_page=100", pid);
            g_autoptr(Reply) vreply = call (f, "GET", vpath, NULL, AUTH_WOO);
            g_autoptr(JsonNode) vroot = parse_ok (vreply);
            JsonArray *vars = json_node_get_array (vroot);

            g_assert_cmpuint (json_array_get_length (vars), ==, json_array_get_length (json_object_get_array_member (p, "variations")));
            for (guint j = 0; j < json_array_get_length (vars); j++)
              g_hash_table_add (skus, g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                                       json_object_get_string_member (object_at (vars, j), "sku"), pid,
                                                       json_object_get_int_member (object_at (vars, j), "id")));
            variable_id = pid;
            variation_id = json_object_get_int_member (object_at (vars, 0), "id");
          }
        }
    }
  g_assert_cmpuint (pages, ==, (total + 19) / 20);
  g_assert_cmpuint (total, >=, 50);
  g_assert_cmpuint (g_hash_table_size (skus), >, 150);

  /* the orders' lines are listed products */
  {
    g_autoptr(Reply) reply = call (f, "GET", "/wp-json/wc/v3/orders?per_page=50", NULL, AUTH_WOO);
    g_autoptr(JsonNode) root = parse_ok (reply);
    JsonArray *orders = json_node_get_array (root);

    for (guint i = 0; i < json_array_get_length (orders); i++)
      {
        JsonArray *lines = json_object_get_array_member (object_at (orders, i), "line_items");

        for (guint j = 0; j < json_array_get_length (lines); j++)
          {
            JsonObject *line = object_at (lines, j);
            g_autofree char *key = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                                    json_object_get_string_member (line, "sku"),
                                                    json_object_get_int_member (line, "product_id"),
                                                    json_object_get_int_member (line, "variation_id"));

            g_assert_true (g_hash_table_contains (skus, key));
          }
      }
  }

  /* stock: set on a variation, seen by a later read */
  {
    g_autofree char *vpath = g_strdup_printf ("/wp-json/wc/v3/products/%" G_GINT64_FORMAT "/variations/%" G_GINT64_FORMAT,
                                              variable_id, variation_id);
    g_autoptr(Reply) put = call (f, "PUT", vpath, "{\"stock_quantity\":77,\"manage_stock\":true}", AUTH_WOO);
    g_autoptr(JsonNode) put_root = parse_ok (put);
    g_autoptr(Reply) get = call (f, "GET", vpath, NULL, AUTH_WOO);
    g_autoptr(JsonNode) get_root = parse_ok (get);
    g_autoptr(Reply) unknown = call (f, "PUT", "/wp-json/wc/v3/products/9999", "{\"stock_quantity\":1}", AUTH_WOO);
    g_autoptr(Reply) past = call (f, "GET", "/wp-json/wc/v3/products?per_page=100&page=3", NULL, AUTH_WOO);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (put_root), "stock_quantity"), ==, 77);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (get_root), "stock_quantity"), ==, 77);
    g_assert_cmpuint (unknown->status, ==, SOUP_STATUS_NOT_FOUND);
    g_assert_cmpuint (past->status, ==, SOUP_STATUS_BAD_REQUEST);
  }
}


/* The Amazon dialect: Login with Amazon and the Orders v0 API */

#define AMAZON_MARKETPLACES "MarketplaceIds=" SK_DEMO_AMAZON_MARKETPLACE_US "," SK_DEMO_AMAZON_MARKETPLACE_CA

static Reply *
amazon_call (Fixture    *f,
             const char *method,
             const char *path,
             const char *content_type,
             const char *request,
             const char *token)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path)
                         : g_strconcat (sk_demo_shop_get_base_url (f->shop), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "x-amz-access-token", token);
  if (request != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (request, strlen (request));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  reply->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static Reply *
lwa_request (Fixture    *f,
             const char *grant_type,
             const char *client_secret,
             const char *refresh_token)
{
  g_autofree char *form = soup_form_encode ("grant_type", grant_type,
                                            "refresh_token", refresh_token,
                                            "client_id", SK_DEMO_AMAZON_CLIENT_ID,
                                            "client_secret", client_secret, NULL);

  return amazon_call (f, "POST", SK_DEMO_AMAZON_LWA_PATH,
                      "application/x-www-form-urlencoded;charset=UTF-8", form, NULL);
}

static char *
amazon_token (Fixture *f)
{
  g_autoptr(Reply) reply = lwa_request (f, "refresh_token", SK_DEMO_AMAZON_CLIENT_SECRET,
                                        SK_DEMO_AMAZON_REFRESH_TOKEN);
  g_autoptr(JsonNode) root = parse_ok (reply);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "access_token"));
}

static Reply *
amazon_get (Fixture    *f,
            const char *path,
            const char *token)
{
  return amazon_call (f, "GET", path, NULL, NULL, token);
}

/* errors[0] of an SP-API error body, checked for its shape. */
static void
assert_amazon_error (Reply      *reply,
                     guint       status,
                     const char *code,
                     const char *details_part)
{
  g_autoptr(JsonNode) root = parse_status (reply, status);
  JsonArray *errors = json_object_get_array_member (json_node_get_object (root), "errors");
  JsonObject *first = object_at (errors, 0);

  g_assert_cmpstr (json_object_get_string_member (first, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (first, "message"));
  if (details_part != NULL)
    g_assert_nonnull (strstr (json_object_get_string_member (first, "details"), details_part));
}

static JsonObject *
payload_of (JsonNode *root)
{
  return json_object_get_object_member (json_node_get_object (root), "payload");
}

/* An hour and a minute from now: the access tokens have expired. */
static gint64
later_now (gpointer data)
{
  return g_get_real_time () / G_USEC_PER_SEC + 3660;
}

static char *
iso_ago (gint64 seconds)
{
  return sk_time_format_iso8601 (sk_time_now () - seconds);
}

/* Minor units of an SP-API Money object, read exactly. */
static gint64
amazon_money (JsonObject *object,
              const char *name,
              const char *currency)
{
  JsonObject *money;
  gint64 value = 0;

  if (!json_object_has_member (object, name))
    return 0;
  money = json_object_get_object_member (object, name);
  g_assert_cmpstr (json_object_get_string_member (money, "CurrencyCode"), ==, currency);
  g_assert_true (try_parse_amount (json_object_get_string_member (money, "Amount"), 2, &value));
  return value;
}

static void
test_amazon_token (Fixture       *f,
                   gconstpointer  data)
{
  {
    g_autoptr(Reply) reply = lwa_request (f, "refresh_token", SK_DEMO_AMAZON_CLIENT_SECRET,
                                          SK_DEMO_AMAZON_REFRESH_TOKEN);
    g_autoptr(JsonNode) root = parse_ok (reply);
    JsonObject *o = json_node_get_object (root);

    g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "access_token"), "Atza|"));
    g_assert_cmpstr (json_object_get_string_member (o, "token_type"), ==, "bearer");
    g_assert_cmpint (json_object_get_int_member (o, "expires_in"), ==, 3600);
    /* not an SP-API answer */
    g_assert_null (soup_message_headers_get_one (reply->headers, "x-amzn-RateLimit-Limit"));
  }
  {
    g_autoptr(Reply) reply = lwa_request (f, "refresh_token", "amzn1.oa2-cs.v1.wrong",
                                          SK_DEMO_AMAZON_REFRESH_TOKEN);
    g_autoptr(JsonNode) root = parse_status (reply, SOUP_STATUS_UNAUTHORIZED);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==, "invalid_client");
    g_assert_nonnull (json_object_get_string_member (json_node_get_object (root), "error_description"));
  }
  {
    g_autoptr(Reply) reply = lwa_request (f, "refresh_token", SK_DEMO_AMAZON_CLIENT_SECRET, "Atzr|revoked");
    g_autoptr(JsonNode) root = parse_status (reply, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==, "invalid_grant");
  }
  {
    g_autoptr(Reply) reply = lwa_request (f, "client_credentials", SK_DEMO_AMAZON_CLIENT_SECRET,
                                          SK_DEMO_AMAZON_REFRESH_TOKEN);
    g_autoptr(JsonNode) root = parse_status (reply, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==,
                     "unsupported_grant_type");
  }
  {
    /* JSON is not what Login with Amazon takes */
    g_autoptr(Reply) reply = amazon_call (f, "POST", SK_DEMO_AMAZON_LWA_PATH, "application/json",
                                          "{\"grant_type\":\"refresh_token\"}", NULL);
    g_autoptr(JsonNode) root = parse_status (reply, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==, "invalid_request");
  }
}

static void
test_amazon_auth (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = amazon_token (f);
  g_autofree char *since = iso_ago (10 * 86400);
  g_autofree char *path = g_strdup_printf ("/orders/v0/orders?" AMAZON_MARKETPLACES "&LastUpdatedAfter=%s", since);

  {
    g_autoptr(Reply) reply = amazon_get (f, path, NULL);

    assert_amazon_error (reply, SOUP_STATUS_FORBIDDEN, "Unauthorized", "missing");
    g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "x-amzn-RateLimit-Limit"), ==, "20.0");
  }
  {
    g_autoptr(Reply) reply = amazon_get (f, path, "Atza|IwEBIsomeone-else");

    assert_amazon_error (reply, SOUP_STATUS_FORBIDDEN, "Unauthorized", "invalid");
  }
  {
    /* a token of ours, an hour and a minute later */
    g_autoptr(Reply) reply = NULL;

    sk_time_set_now_func (later_now, NULL);
    reply = amazon_get (f, path, token);
    sk_time_set_now_func (NULL, NULL);
    assert_amazon_error (reply, SOUP_STATUS_FORBIDDEN, "Unauthorized", "expired");
  }
  {
    g_autoptr(Reply) reply = amazon_get (f, path, token);
    g_autoptr(JsonNode) root = parse_ok (reply);

    g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "x-amzn-RateLimit-Limit"), ==, "20.0");
    g_assert_nonnull (soup_message_headers_get_one (reply->headers, "x-amzn-RequestId"));
    g_assert_true (json_object_has_member (payload_of (root), "Orders"));
  }
  {
    g_autoptr(Reply) reply = amazon_get (f, "/orders/v0/nothing", token);

    assert_amazon_error (reply, SOUP_STATUS_NOT_FOUND, "NotFound", NULL);
  }
}

/* Every order of @query, following NextToken with only the marketplaces,
 * checking each comes once and in order of @key. */
static GPtrArray *
amazon_fetch_all (Fixture    *f,
                  const char *token,
                  const char *query,
                  const char *key,
                  guint      *n_pages)
{
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_strconcat ("/orders/v0/orders?" AMAZON_MARKETPLACES "&", query, NULL);
  guint pages = 0;

  while (path != NULL)
    {
      g_autoptr(Reply) reply = amazon_get (f, path, token);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonObject *payload = payload_of (root);
      JsonArray *page = json_object_get_array_member (payload, "Orders");
      const char *next = json_object_get_string_member_with_default (payload, "NextToken", NULL);

      g_assert_true (json_object_has_member (payload, "LastUpdatedBefore") ||
                     json_object_has_member (payload, "CreatedBefore"));
      for (guint i = 0; i < json_array_get_length (page); i++)
        g_ptr_array_add (orders, json_object_ref (object_at (page, i)));
      g_clear_pointer (&path, g_free);
      if (next != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (next, NULL, FALSE);

          path = g_strconcat ("/orders/v0/orders?" AMAZON_MARKETPLACES "&NextToken=", escaped, NULL);
        }
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }
  for (guint i = 0; i < orders->len; i++)
    {
      JsonObject *o = g_ptr_array_index (orders, i);
      const char *id = json_object_get_string_member (o, "AmazonOrderId");

      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, g_strdup (id));
      if (i > 0)
        g_assert_cmpint (time_member (g_ptr_array_index (orders, i - 1), key), <=, time_member (o, key));
    }
  if (n_pages != NULL)
    *n_pages = pages;
  return orders;
}

static void
test_amazon_paging (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = amazon_token (f);
  g_autofree char *since = iso_ago (90 * 86400);
  g_autofree char *query = g_strdup_printf ("LastUpdatedAfter=%s&MaxResultsPerPage=17", since);
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_pages = 0, afn = 0, mfn = 0, ca = 0, us = 0;
  guint total = sk_demo_shop_get_amazon_n_orders (f->shop);

  g_assert_cmpuint (total, ==, (N_ORDERS + 2) / 3);
  orders = amazon_fetch_all (f, token, query, "LastUpdateDate", &n_pages);
  /* all but those changed in the last two minutes */
  g_assert_cmpuint (orders->len, <=, total);
  g_assert_cmpuint (orders->len, >=, total - 3);
  g_assert_cmpuint (n_pages, ==, (orders->len + 16) / 17);

  for (guint i = 0; i < orders->len; i++)
    {
      JsonObject *o = g_ptr_array_index (orders, i);
      const char *status = json_object_get_string_member (o, "OrderStatus");
      const char *marketplace = json_object_get_string_member (o, "MarketplaceId");
      const char *currency = g_str_equal (marketplace, SK_DEMO_AMAZON_MARKETPLACE_CA) ? "CAD" : "USD";

      g_assert_true (g_regex_match_simple ("^[0-9]{3}-[0-9]{7}-[0-9]{7}$",
                                           json_object_get_string_member (o, "AmazonOrderId"), 0, 0));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "PurchaseDate"), "Z"));
      g_hash_table_add (statuses, (gpointer) g_intern_string (status));
      if (g_str_equal (json_object_get_string_member (o, "FulfillmentChannel"), "AFN"))
        afn++;
      else
        mfn++;
      if (g_str_equal (currency, "CAD"))
        ca++;
      else
        us++;
      /* a pending order has no total yet */
      g_assert_true (json_object_has_member (o, "OrderTotal") ==
                     !(g_str_equal (status, "Pending") || g_str_equal (status, "Canceled")));
      if (json_object_has_member (o, "OrderTotal"))
        g_assert_cmpint (amazon_money (o, "OrderTotal", currency), >, 0);
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "IsPrime")));
    }
  g_assert_cmpuint (afn, >, 0);
  g_assert_cmpuint (mfn, >, afn);
  g_assert_cmpuint (ca, >, 0);
  g_assert_cmpuint (us, >, ca);
  g_assert_true (g_hash_table_contains (statuses, "Shipped"));
  g_assert_true (g_hash_table_contains (statuses, "Unshipped"));
  g_assert_true (g_hash_table_contains (statuses, "Canceled"));

  /* filters: creation date, status, channel */
  {
    g_autofree char *created = iso_ago (10 * 86400);
    g_autofree char *q = g_strdup_printf ("CreatedAfter=%s&OrderStatuses=Unshipped,PartiallyShipped&FulfillmentChannels=MFN",
                                          created);
    g_autoptr(GPtrArray) some = amazon_fetch_all (f, token, q, "PurchaseDate", NULL);

    g_assert_cmpuint (some->len, >, 0);
    g_assert_cmpuint (some->len, <, orders->len);
    for (guint i = 0; i < some->len; i++)
      {
        JsonObject *o = g_ptr_array_index (some, i);

        g_assert_cmpint (time_member (o, "PurchaseDate"), >=, sk_time_now () - 10 * 86400 - 5);
        g_assert_cmpstr (json_object_get_string_member (o, "FulfillmentChannel"), ==, "MFN");
        g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "OrderStatus"), "hipped"));
      }
  }

  /* what Amazon refuses */
  {
    g_autofree char *p1 = g_strdup_printf ("/orders/v0/orders?LastUpdatedAfter=%s", since);
    g_autofree char *p2 = g_strdup_printf ("/orders/v0/orders?" AMAZON_MARKETPLACES "&LastUpdatedAfter=%s&CreatedAfter=%s", since, since);
    g_autofree char *p3 = g_strdup_printf ("/orders/v0/orders?" AMAZON_MARKETPLACES "&LastUpdatedAfter=%s&MaxResultsPerPage=101", since);
    g_autofree char *p4 = g_strdup_printf ("/orders/v0/orders?MarketplaceIds=A1PA6795UKMFR9&LastUpdatedAfter=%s", since);
    const char *paths[] = {
      p1, p2, p3, p4,
      "/orders/v0/orders?" AMAZON_MARKETPLACES,
      "/orders/v0/orders?" AMAZON_MARKETPLACES "&NextToken=bm90IGEgdG9rZW4%3D",
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(Reply) reply = amazon_get (f, paths[i], token);

        assert_amazon_error (reply, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
      }
  }
}

static JsonObject *
first_order (Fixture    *f,
             const char *token,
             const char *filters,
             JsonNode  **out_root)
{
  g_autofree char *since = iso_ago (60 * 86400);
  g_autofree char *path = g_strdup_printf ("/orders/v0/orders?" AMAZON_MARKETPLACES "&LastUpdatedAfter=%s&%s",
                                           since, filters);
  g_autoptr(Reply) reply = amazon_get (f, path, token);
  JsonArray *orders;

  *out_root = parse_ok (reply);
  orders = json_object_get_array_member (payload_of (*out_root), "Orders");
  g_assert_cmpuint (json_array_get_length (orders), >, 0);
  return object_at (orders, 0);
}

static void
test_amazon_items_address (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *token = amazon_token (f);
  g_autoptr(GPtrArray) variants = all_products (f);
  g_autoptr(GHashTable) skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *since = iso_ago (90 * 86400);
  g_autofree char *query = g_strdup_printf ("LastUpdatedAfter=%s&OrderStatuses=Shipped,Unshipped", since);
  g_autoptr(GPtrArray) orders = NULL;
  guint checked = 0;

  for (guint i = 0; i < variants->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (variants, i), "|", 2);

      g_hash_table_add (skus, g_strdup (parts[0]));
    }
  orders = amazon_fetch_all (f, token, query, "LastUpdateDate", NULL);
  for (guint i = 0; i < orders->len && checked < 25; i++, checked++)
    {
      JsonObject *o = g_ptr_array_index (orders, i);
      const char *id = json_object_get_string_member (o, "AmazonOrderId");
      const char *currency = json_object_get_string_member (json_object_get_object_member (o, "OrderTotal"),
                                                            "CurrencyCode");
      g_autofree char *items_path = g_strdup_printf ("/orders/v0/orders/%s/orderItems", id);
      g_autofree char *address_path = g_strdup_printf ("/orders/v0/orders/%s/address", id);
      g_autofree char *order_path = g_strdup_printf ("/orders/v0/orders/%s", id);
      g_autoptr(Reply) items_reply = amazon_get (f, items_path, token);
      g_autoptr(JsonNode) items_root = parse_ok (items_reply);
      g_autoptr(Reply) address_reply = amazon_get (f, address_path, token);
      g_autoptr(JsonNode) address_root = parse_ok (address_reply);
      g_autoptr(Reply) order_reply = amazon_get (f, order_path, token);
      g_autoptr(JsonNode) order_root = parse_ok (order_reply);
      JsonArray *items = json_object_get_array_member (payload_of (items_root), "OrderItems");
      JsonObject *address = json_object_get_object_member (payload_of (address_root), "ShippingAddress");
      gint64 sum = 0, ordered = 0, shipped = 0;

      g_assert_cmpstr (json_object_get_string_member (payload_of (items_root), "AmazonOrderId"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (payload_of (order_root), "AmazonOrderId"), ==, id);
      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonObject *item = object_at (items, j);

          g_assert_true (g_hash_table_contains (skus, json_object_get_string_member (item, "SellerSKU")));
          g_assert_cmpuint (strlen (json_object_get_string_member (item, "ASIN")), ==, 10);
          g_assert_cmpuint (strlen (json_object_get_string_member (item, "OrderItemId")), ==, 14);
          /* Amazon sends this boolean as a text */
          g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (item, "IsGift")) &&
                         json_node_get_value_type (json_object_get_member (item, "IsGift")) == G_TYPE_STRING);
          sum += amazon_money (item, "ItemPrice", currency) - amazon_money (item, "PromotionDiscount", currency) +
                 amazon_money (item, "ItemTax", currency) + amazon_money (item, "ShippingPrice", currency) +
                 amazon_money (item, "ShippingTax", currency) - amazon_money (item, "ShippingDiscount", currency);
          ordered += json_object_get_int_member (item, "QuantityOrdered");
          shipped += json_object_get_int_member (item, "QuantityShipped");
        }
      /* the items add up to the order, exactly */
      g_assert_cmpint (sum, ==, amazon_money (o, "OrderTotal", currency));
      g_assert_cmpint (shipped, ==, json_object_get_int_member (o, "NumberOfItemsShipped"));
      g_assert_cmpint (ordered - shipped, ==, json_object_get_int_member (o, "NumberOfItemsUnshipped"));
      g_assert_true (g_str_equal (json_object_get_string_member (o, "OrderStatus"), "Shipped") == (shipped == ordered));
      g_assert_nonnull (json_object_get_string_member (address, "Name"));
      g_assert_nonnull (json_object_get_string_member (address, "AddressLine1"));
      g_assert_cmpstr (json_object_get_string_member (address, "CountryCode"), ==,
                       g_str_equal (currency, "CAD") ? "CA" : "US");
    }
  g_assert_cmpuint (checked, ==, 25);

  {
    g_autoptr(Reply) unknown = amazon_get (f, "/orders/v0/orders/111-0000000-0000000/orderItems", token);

    assert_amazon_error (unknown, SOUP_STATUS_NOT_FOUND, "NotFound", NULL);
  }
}

static char *
confirmation (const char *marketplace,
              const char *reference,
              const char *item_id,
              gint64      quantity)
{
  return g_strdup_printf ("{\"marketplaceId\":\"%s\","
                          "\"packageDetail\":{\"packageReferenceId\":\"%s\",\"carrierCode\":\"UPS\","
                          "\"trackingNumber\":\"1Z999AA10123456784\",\"shipDate\":\"2024-10-03T10:00:00Z\","
                          "\"orderItems\":[{\"orderItemId\":\"%s\",\"quantity\":%" G_GINT64_FORMAT "}]}}",
                          marketplace, reference, item_id, quantity);
}

static void
test_amazon_confirm_shipment (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *token = amazon_token (f);
  g_autoptr(JsonNode) list_root = NULL;
  JsonObject *order = first_order (f, token, "OrderStatuses=Unshipped&FulfillmentChannels=MFN", &list_root);
  g_autofree char *id = g_strdup (json_object_get_string_member (order, "AmazonOrderId"));
  g_autofree char *marketplace = g_strdup (json_object_get_string_member (order, "MarketplaceId"));
  /* the seller's other marketplace, where this order was not placed */
  const char *elsewhere = g_str_equal (marketplace, SK_DEMO_AMAZON_MARKETPLACE_US)
                            ? SK_DEMO_AMAZON_MARKETPLACE_CA : SK_DEMO_AMAZON_MARKETPLACE_US;
  gint64 updated = time_member (order, "LastUpdateDate");
  g_autofree char *items_path = g_strdup_printf ("/orders/v0/orders/%s/orderItems", id);
  g_autofree char *confirm_path = g_strdup_printf ("/orders/v0/orders/%s/shipmentConfirmation", id);
  g_autofree char *order_path = g_strdup_printf ("/orders/v0/orders/%s", id);
  g_autofree char *item_id = NULL;
  gint64 quantity;

  {
    g_autoptr(Reply) reply = amazon_get (f, items_path, token);
    g_autoptr(JsonNode) root = parse_ok (reply);
    JsonObject *item = object_at (json_object_get_array_member (payload_of (root), "OrderItems"), 0);

    item_id = g_strdup (json_object_get_string_member (item, "OrderItemId"));
    quantity = json_object_get_int_member (item, "QuantityOrdered");
    g_assert_cmpint (json_object_get_int_member (item, "QuantityShipped"), ==, 0);
  }

  /* refused: an item of no order, too many, no tracking, no token,
   * another marketplace of the seller's than the order's */
  {
    g_autofree char *wrong_item = confirmation (marketplace, "p1", "00000000000000", 1);
    g_autofree char *too_many = confirmation (marketplace, "p1", item_id, quantity + 1);
    g_autofree char *fine = confirmation (marketplace, "p1", item_id, quantity);
    g_autofree char *other_marketplace = confirmation (elsewhere, "p1", item_id, quantity);
    g_autoptr(Reply) r1 = amazon_call (f, "POST", confirm_path, "application/json", wrong_item, token);
    g_autoptr(Reply) r2 = amazon_call (f, "POST", confirm_path, "application/json", too_many, token);
    g_autoptr(Reply) r3 = amazon_call (f, "POST", confirm_path, "application/json",
                                       "{\"marketplaceId\":\"ATVPDKIKX0DER\",\"packageDetail\":{\"packageReferenceId\":\"p1\"}}", token);
    g_autoptr(Reply) r4 = amazon_call (f, "POST", confirm_path, "application/json", fine, NULL);
    g_autoptr(Reply) r5 = amazon_call (f, "POST", "/orders/v0/orders/111-0000000-0000000/shipmentConfirmation",
                                       "application/json", fine, token);
    g_autoptr(Reply) r6 = amazon_call (f, "POST", confirm_path, "application/json", other_marketplace, token);
    g_autoptr(JsonNode) r6_root = NULL;
    JsonObject *r6_error;

    assert_amazon_error (r1, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
    assert_amazon_error (r2, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
    assert_amazon_error (r3, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
    assert_amazon_error (r4, SOUP_STATUS_FORBIDDEN, "Unauthorized", NULL);
    assert_amazon_error (r5, SOUP_STATUS_NOT_FOUND, "NotFound", NULL);
    assert_amazon_error (r6, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
    r6_root = parse_status (r6, SOUP_STATUS_BAD_REQUEST);
    r6_error = object_at (json_object_get_array_member (json_node_get_object (r6_root), "errors"), 0);
    g_assert_nonnull (strstr (json_object_get_string_member (r6_error, "message"), "marketplaceId"));
  }

  /* one package with the first item; sent again, it replaces itself */
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *body = confirmation (marketplace, "4711", item_id, quantity);
      g_autoptr(Reply) reply = amazon_call (f, "POST", confirm_path, "application/json", body, token);

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_NO_CONTENT);
      g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 0);
    }
  {
    g_autoptr(Reply) reply = amazon_get (f, items_path, token);
    g_autoptr(JsonNode) root = parse_ok (reply);
    JsonArray *items = json_object_get_array_member (payload_of (root), "OrderItems");
    g_autoptr(Reply) order_reply = amazon_get (f, order_path, token);
    g_autoptr(JsonNode) order_root = parse_ok (order_reply);
    JsonObject *now_order = payload_of (order_root);

    g_assert_cmpint (json_object_get_int_member (object_at (items, 0), "QuantityShipped"), ==, quantity);
    g_assert_cmpstr (json_object_get_string_member (now_order, "OrderStatus"), ==,
                     json_array_get_length (items) == 1 ? "Shipped" : "PartiallyShipped");
    g_assert_cmpint (json_object_get_int_member (now_order, "NumberOfItemsShipped"), ==, quantity);
    g_assert_cmpint (time_member (now_order, "LastUpdateDate"), >, updated);
  }
  {
    /* a second package of the same item: nothing is left of it */
    g_autofree char *again = confirmation (marketplace, "4712", item_id, 1);
    g_autoptr(Reply) reply = amazon_call (f, "POST", confirm_path, "application/json", again, token);

    assert_amazon_error (reply, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
  }
  {
    /* Amazon ships its own */
    g_autoptr(JsonNode) afn_root = NULL;
    JsonObject *afn = first_order (f, token, "OrderStatuses=Unshipped,Shipped&FulfillmentChannels=AFN", &afn_root);
    const char *afn_id = json_object_get_string_member (afn, "AmazonOrderId");
    g_autofree char *afn_items = g_strdup_printf ("/orders/v0/orders/%s/orderItems", afn_id);
    g_autofree char *afn_confirm = g_strdup_printf ("/orders/v0/orders/%s/shipmentConfirmation", afn_id);
    g_autoptr(Reply) items_reply = amazon_get (f, afn_items, token);
    g_autoptr(JsonNode) items_root = parse_ok (items_reply);
    JsonObject *item = object_at (json_object_get_array_member (payload_of (items_root), "OrderItems"), 0);
    g_autofree char *body = confirmation (json_object_get_string_member (afn, "MarketplaceId"), "9",
                                          json_object_get_string_member (item, "OrderItemId"), 1);
    g_autoptr(Reply) reply = amazon_call (f, "POST", afn_confirm, "application/json", body, token);

    assert_amazon_error (reply, SOUP_STATUS_BAD_REQUEST, "InvalidInput", NULL);
  }
}

static void
test_amazon_faults (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = amazon_token (f);
  g_autofree char *since = iso_ago (90 * 86400);
  g_autofree char *path = g_strdup_printf ("/orders/v0/orders?" AMAZON_MARKETPLACES "&LastUpdatedAfter=%s", since);

  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_500, 1);
  {
    g_autoptr(Reply) reply = amazon_get (f, path, token);

    assert_amazon_error (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalFailure", NULL);
    g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "x-amzn-RateLimit-Limit"), ==, "20.0");
  }
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_429, 1);
  {
    g_autoptr(Reply) reply = amazon_get (f, path, token);

    assert_amazon_error (reply, 429, "QuotaExceeded", NULL);
    g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Retry-After"));
  }
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_500, 1);
  {
    g_autoptr(Reply) reply = lwa_request (f, "refresh_token", SK_DEMO_AMAZON_CLIENT_SECRET,
                                          SK_DEMO_AMAZON_REFRESH_TOKEN);
    g_autoptr(JsonNode) root = parse_status (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==, "server_error");
  }
  sk_demo_shop_inject_fault (f->shop, SK_DEMO_FAULT_MALFORMED_ORDER, 2);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(Reply) reply = amazon_get (f, path, token);
      g_autoptr(JsonNode) root = parse_ok (reply);
      JsonArray *orders = json_object_get_array_member (payload_of (root), "Orders");
      guint spoiled = 0;

      for (guint i = 0; i < json_array_get_length (orders); i++)
        {
          JsonObject *o = object_at (orders, i);
          JsonObject *total = json_object_has_member (o, "OrderTotal")
                              ? json_object_get_object_member (o, "OrderTotal") : NULL;

          if (!json_object_has_member (o, "AmazonOrderId") ||
              (total != NULL && g_str_equal (json_object_get_string_member (total, "Amount"), "12,3O")))
            spoiled++;
        }
      g_assert_cmpuint (spoiled, ==, 1);
    }
}

static void
test_amazon_advance (Fixture       *f,
                     gconstpointer  data)
{
  guint before = sk_demo_shop_get_amazon_n_orders (f->shop);

  sk_demo_shop_advance (f->shop, 7, 4);
  g_assert_cmpuint (sk_demo_shop_get_amazon_n_orders (f->shop), ==, before + 3);
  g_assert_cmpuint (sk_demo_shop_get_n_orders (f->shop), ==, N_ORDERS + 7);
}

static void
test_amazon_late_book (void)
{
  g_autoptr(SkDemoShop) early = sk_demo_shop_new (7, 90);
  g_autoptr(SkDemoShop) late = sk_demo_shop_new (7, 90);

  /* the book made before or after the advances is the same */
  sk_time_set_now_func (fixed_now, NULL);
  g_assert_cmpuint (sk_demo_shop_get_amazon_n_orders (early), ==, 30);
  sk_demo_shop_advance (early, 5, 5);
  sk_demo_shop_advance (late, 5, 5);
  g_assert_cmpuint (sk_demo_shop_get_amazon_n_orders (late), ==, 32);
  g_assert_cmpuint (sk_demo_shop_get_amazon_n_orders (early), ==, 32);
  sk_time_set_now_func (NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* GLib's GNOME proxy module wants GSettings schemas, which the isolated
   * test directories do not have; loopback needs no proxy anyway */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

#define FIXTURE_TEST(path, func) \
  g_test_add ("/demo-shop/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/demo-shop/start-stop", test_start_stop);
  g_test_add_func ("/demo-shop/slow-stop", test_slow_stop);
  FIXTURE_TEST ("auth", test_auth);
  FIXTURE_TEST ("not-found", test_not_found);
  FIXTURE_TEST ("paging", test_paging);
  FIXTURE_TEST ("paging-previous", test_paging_previous);
  FIXTURE_TEST ("updated-at-min", test_updated_at_min);
  FIXTURE_TEST ("count", test_count);
  FIXTURE_TEST ("fault/429", test_fault_429);
  FIXTURE_TEST ("fault/500", test_fault_500);
  FIXTURE_TEST ("fault/truncated", test_fault_truncated);
  FIXTURE_TEST ("fault/not-json", test_fault_not_json);
  FIXTURE_TEST ("fault/malformed-order", test_fault_malformed);
  FIXTURE_TEST ("fault/slow", test_fault_slow);
  FIXTURE_TEST ("rate-limit", test_rate_limit);
  FIXTURE_TEST ("advance", test_advance);
  FIXTURE_TEST ("live", test_live);
  FIXTURE_TEST ("shopify/fulfillment", test_shopify_fulfillment);
  FIXTURE_TEST ("shopify/catalog", test_shopify_catalog);
  FIXTURE_TEST ("woo/fulfillment", test_woo_fulfillment);
  FIXTURE_TEST ("woo/catalog", test_woo_catalog);
  FIXTURE_TEST ("amazon/token", test_amazon_token);
  FIXTURE_TEST ("amazon/auth", test_amazon_auth);
  FIXTURE_TEST ("amazon/paging", test_amazon_paging);
  FIXTURE_TEST ("amazon/items-address", test_amazon_items_address);
  FIXTURE_TEST ("amazon/confirm-shipment", test_amazon_confirm_shipment);
  FIXTURE_TEST ("amazon/faults", test_amazon_faults);
  FIXTURE_TEST ("amazon/advance", test_amazon_advance);
  g_test_add_func ("/demo-shop/amazon/late-book", test_amazon_late_book);
  g_test_add_func ("/demo-shop/determinism", test_determinism);
  g_test_add_func ("/demo-shop/json-writer", test_json_writer);
  g_test_add_func ("/demo-shop/big-shop", test_big_shop);

  return g_test_run ();
}
