/* sk-demo-shop-catalog.c: both demo shops' products and stock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue of sk-demo-catalog.c, listed by both shops with the same
 * SKUs and the same starting stock (sk_demo_initial_stock()):
 *
 * Shopify (Admin REST 2024-10): GET products.json (limit ≤ 250, default
 * 50, paged by page_info through the Link header), inventory_items.json
 * ?ids=…, inventory_levels.json?inventory_item_ids=…&location_ids=…,
 * locations.json; POST inventory_levels/set.json {location_id,
 * inventory_item_id, available} sets the level.
 *
 * WooCommerce (v3): GET products (per_page ≤ 100, default 10, page,
 * X-WP-Total and X-WP-TotalPages; simple products for those without
 * options, variable ones with variations otherwise), products/ID,
 * products/ID/variations (paged the same way) and variations/VID; PUT
 * (or POST, PATCH) products/ID and products/ID/variations/VID take
 * stock_quantity and manage_stock. low_stock_amount comes from
 * sk_demo_low_stock_amount() (null for most).
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data-private.h"
#include "sk-demo-shop-private.h"

#define LOCATION_ID    G_GUINT64_CONSTANT (71234567890)
#define CATALOG_SINCE  G_GINT64_CONSTANT (1704067200)  /* 2024-01-01 */
#define WOO_PRICE_PERCENT 92                            /* EUR for USD */

static guint
slots (void)
{
  return sk_demo_catalog_n_products () * CATALOG_SLOTS;
}

void
_sk_demo_shop_catalog_init (SkDemoShop *self)
{
  self->shopify_stock = g_new0 (gint64, slots ());
  self->woo_stock = g_new0 (gint64, slots ());
  for (guint p = 0; p < sk_demo_catalog_n_products (); p++)
    for (guint v = 0; v < sk_demo_catalog_n_variants (p); v++)
      {
        self->shopify_stock[p * CATALOG_SLOTS + v] = sk_demo_initial_stock (p, v);
        self->woo_stock[p * CATALOG_SLOTS + v] = sk_demo_initial_stock (p, v);
      }
}

void
_sk_demo_shop_catalog_free (SkDemoShop *self)
{
  g_clear_pointer (&self->shopify_stock, g_free);
  g_clear_pointer (&self->woo_stock, g_free);
}

static void
append_sku (GString *out,
            guint    p,
            guint    v)
{
  _sk_demo_append_variant (out, _sk_demo_product (p), v, FALSE, TRUE);
}

static char *
handle_of (const char *title)
{
  GString *s = g_string_new (NULL);

  for (const char *c = title; *c != '\0'; c++)
    if (g_ascii_isalnum (*c))
      g_string_append_c (s, g_ascii_tolower (*c));
    else if (s->len > 0 && s->str[s->len - 1] != '-')
      g_string_append_c (s, '-');
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

static guint
bad_param (GString    **body,
           const char  *param)
{
  *body = _sk_demo_param_error (param, "is invalid");
  return SOUP_STATUS_BAD_REQUEST;
}

/* Shopify */

static void
write_shopify_variant (SkDemoShop *self,
                       guint       p,
                       guint       v,
                       SkDemoJson *w,
                       GString    *tmp)
{
  const SkDemoProduct *product = _sk_demo_product (p);
  const char *n1, *v1, *n2, *v2;
  char barcode[14];
  gint64 stock = self->shopify_stock[p * CATALOG_SLOTS + v];

  sk_demo_variant_options (p, v, &n1, &v1, &n2, &v2);
  sk_demo_barcode (p, v, barcode);
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_uint (w, "id", sk_demo_variant_id (p, v));
  sk_demo_json_uint (w, "product_id", sk_demo_product_id (p));
  g_string_truncate (tmp, 0);
  if (!_sk_demo_append_variant (tmp, product, v, FALSE, FALSE))
    g_string_assign (tmp, "Default Title");
  sk_demo_json_string (w, "title", tmp->str);
  sk_demo_json_decimal (w, "price", product->price_usd, 2);
  g_string_truncate (tmp, 0);
  append_sku (tmp, p, v);
  sk_demo_json_string (w, "sku", tmp->str);
  sk_demo_json_int (w, "position", v + 1);
  sk_demo_json_string (w, "inventory_policy", "deny");
  sk_demo_json_null (w, "compare_at_price");
  sk_demo_json_string (w, "fulfillment_service", "manual");
  sk_demo_json_string (w, "inventory_management", "shopify");
  sk_demo_json_string (w, "option1", v1 != NULL ? v1 : "Default Title");
  sk_demo_json_string (w, "option2", v2);
  sk_demo_json_null (w, "option3");
  sk_demo_json_time (w, "created_at", CATALOG_SINCE + p * 3600, -300);
  sk_demo_json_time (w, "updated_at", CATALOG_SINCE + p * 3600, -300);
  sk_demo_json_bool (w, "taxable", TRUE);
  sk_demo_json_string (w, "barcode", barcode);
  sk_demo_json_uint (w, "grams", product->grams);
  sk_demo_json_decimal_number (w, "weight", product->grams, 3);
  sk_demo_json_string (w, "weight_unit", "kg");
  sk_demo_json_uint (w, "inventory_item_id", sk_demo_inventory_item_id (p, v));
  sk_demo_json_int (w, "inventory_quantity", stock);
  sk_demo_json_int (w, "old_inventory_quantity", stock);
  sk_demo_json_bool (w, "requires_shipping", TRUE);
  sk_demo_json_end_object (w);
}

static void
write_shopify_product (SkDemoShop *self,
                       guint       p,
                       SkDemoJson *w,
                       GString    *tmp)
{
  const SkDemoProduct *product = _sk_demo_product (p);
  g_autofree char *handle = handle_of (product->title);
  const char *n1, *v1, *n2, *v2;

  sk_demo_variant_options (p, 0, &n1, &v1, &n2, &v2);
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_uint (w, "id", sk_demo_product_id (p));
  sk_demo_json_string (w, "title", product->title);
  sk_demo_json_string (w, "body_html", "");
  sk_demo_json_string (w, "vendor", product->vendor);
  sk_demo_json_string (w, "product_type", "Outdoor");
  sk_demo_json_time (w, "created_at", CATALOG_SINCE + p * 3600, -300);
  sk_demo_json_string (w, "handle", handle);
  sk_demo_json_time (w, "updated_at", CATALOG_SINCE + p * 3600, -300);
  sk_demo_json_time (w, "published_at", CATALOG_SINCE + p * 3600, -300);
  sk_demo_json_string (w, "status", "active");
  sk_demo_json_string (w, "tags", product->vendor);
  sk_demo_json_begin_array (w, "variants");
  for (guint v = 0; v < sk_demo_catalog_n_variants (p); v++)
    write_shopify_variant (self, p, v, w, tmp);
  sk_demo_json_end_array (w);
  sk_demo_json_begin_array (w, "options");
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_string (w, "name", n1 != NULL ? n1 : "Title");
  sk_demo_json_int (w, "position", 1);
  sk_demo_json_end_object (w);
  if (n2 != NULL)
    {
      sk_demo_json_begin_object (w, NULL);
      sk_demo_json_string (w, "name", n2);
      sk_demo_json_int (w, "position", 2);
      sk_demo_json_end_object (w);
    }
  sk_demo_json_end_array (w);
  sk_demo_json_raw (w, "images", "[]");
  sk_demo_json_null (w, "image");
  sk_demo_json_end_object (w);
}

/* page_info for products: "c1|OFFSET" in base64url. */
static char *
products_page_info (guint offset)
{
  g_autofree char *plain = g_strdup_printf ("c1|%u", offset);
  char *token = g_base64_encode ((const guchar *) plain, strlen (plain));

  for (char *c = token; *c != '\0'; c++)
    if (*c == '+')
      *c = '-';
    else if (*c == '/')
      *c = '_';
    else if (*c == '=')
      *c = '\0';
  return token;
}

static gboolean
products_offset (const char *token,
                 guint64    *offset)
{
  g_autoptr(GString) b64 = g_string_new (token);
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  plain = g_base64_decode (b64->str, &len);
  if (plain == NULL || len < 4)
    return FALSE;
  text = g_strndup ((const char *) plain, len);
  return g_str_has_prefix (text, "c1|") &&
         g_ascii_string_to_unsigned (text + 3, 10, 0, G_MAXUINT, offset, NULL);
}

static guint
serve_products (SkDemoShop         *self,
                SoupServerMessage  *msg,
                const char         *version,
                GHashTable         *query,
                GString           **body)
{
  const char *limit_text = _sk_demo_query_param (query, "limit");
  const char *page_info = _sk_demo_query_param (query, "page_info");
  g_autoptr(GString) tmp = g_string_new (NULL);
  g_autoptr(GString) links = g_string_new (NULL);
  guint64 limit = 50, offset = 0;
  guint n = sk_demo_catalog_n_products (), end;
  SkDemoJson w;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, G_MAXUINT32, &limit, NULL))
    return bad_param (body, "limit");
  limit = MIN (limit, 250);
  if (page_info != NULL && !products_offset (page_info, &offset))
    {
      *body = _sk_demo_param_error ("page_info", "Invalid value.");
      return SOUP_STATUS_BAD_REQUEST;
    }
  offset = MIN (offset, n);
  end = (guint) MIN (offset + limit, n);

  *body = g_string_sized_new (64 * 1024);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, "products");
  for (guint p = (guint) offset; p < end; p++)
    write_shopify_product (self, p, &w, tmp);
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);

  if (offset > 0)
    {
      g_autofree char *token = products_page_info ((guint) (offset > limit ? offset - limit : 0));

      g_string_append_printf (links, "<%s/admin/api/%s/products.json?limit=%u&page_info=%s>; rel=\"previous\"",
                              self->base_url, version, (guint) limit, token);
    }
  if (end < n)
    {
      g_autofree char *token = products_page_info (end);

      g_string_append_printf (links, "%s<%s/admin/api/%s/products.json?limit=%u&page_info=%s>; rel=\"next\"",
                              links->len > 0 ? ", " : "", self->base_url, version, (guint) limit, token);
    }
  if (links->len > 0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link", links->str);
  return SOUP_STATUS_OK;
}

/* An inventory item id to its product and variant. */
static gboolean
item_of (guint64  id,
         guint   *p,
         guint   *v)
{
  guint64 base = sk_demo_inventory_item_id (0, 0);

  if (id < base || id - base >= slots ())
    return FALSE;
  *p = (guint) ((id - base) / CATALOG_SLOTS);
  *v = (guint) ((id - base) % CATALOG_SLOTS);
  return *v < sk_demo_catalog_n_variants (*p);
}

/* A comma-separated list of ids; FALSE when one is not a number. */
static gboolean
parse_ids (const char *text,
           GArray     *out)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 id;

      if (*g_strstrip (parts[i]) == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, G_MAXUINT64, &id, NULL))
        return FALSE;
      g_array_append_val (out, id);
    }
  return TRUE;
}

static void
write_level (SkDemoShop *self,
             guint       p,
             guint       v,
             SkDemoJson *w,
             const char *key)
{
  sk_demo_json_begin_object (w, key);
  sk_demo_json_uint (w, "inventory_item_id", sk_demo_inventory_item_id (p, v));
  sk_demo_json_uint (w, "location_id", LOCATION_ID);
  sk_demo_json_int (w, "available", self->shopify_stock[p * CATALOG_SLOTS + v]);
  sk_demo_json_time (w, "updated_at", sk_demo_data_get_now (self->data), -300);
  sk_demo_json_string (w, "admin_graphql_api_id", "gid://shopify/InventoryLevel/71234567890");
  sk_demo_json_end_object (w);
}

static guint
serve_items_or_levels (SkDemoShop  *self,
                       gboolean     levels,
                       GHashTable  *query,
                       GString    **body)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) locations = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GString) tmp = g_string_new (NULL);
  const char *id_param = levels ? "inventory_item_ids" : "ids";
  gboolean here = TRUE;
  SkDemoJson w;

  if (!parse_ids (_sk_demo_query_param (query, id_param), ids))
    return bad_param (body, id_param);
  if (!parse_ids (_sk_demo_query_param (query, "location_ids"), locations))
    return bad_param (body, "location_ids");
  if (levels && ids->len == 0 && locations->len == 0)
    {
      *body = _sk_demo_param_error ("base",
                                    "must include inventory_item_ids or location_ids");
      return 422;
    }
  if (locations->len > 0)
    {
      here = FALSE;
      for (guint i = 0; i < locations->len; i++)
        here |= g_array_index (locations, guint64, i) == LOCATION_ID;
    }
  *body = g_string_sized_new (8192);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, levels ? "inventory_levels" : "inventory_items");
  for (guint i = 0; here && i < MIN (ids->len, 250); i++)
    {
      guint64 id = g_array_index (ids, guint64, i);
      guint p, v;

      if (!item_of (id, &p, &v))
        continue;
      if (levels)
        {
          write_level (self, p, v, &w, NULL);
          continue;
        }
      sk_demo_json_begin_object (&w, NULL);
      sk_demo_json_uint (&w, "id", id);
      g_string_truncate (tmp, 0);
      append_sku (tmp, p, v);
      sk_demo_json_string (&w, "sku", tmp->str);
      sk_demo_json_decimal (&w, "cost", _sk_demo_product (p)->price_usd * 45 / 100, 2);
      sk_demo_json_string (&w, "country_code_of_origin", NULL);
      sk_demo_json_bool (&w, "tracked", TRUE);
      sk_demo_json_bool (&w, "requires_shipping", TRUE);
      sk_demo_json_end_object (&w);
    }
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
  return SOUP_STATUS_OK;
}

static GString *
locations_body (void)
{
  GString *body = g_string_new (NULL);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, "locations");
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_uint (&w, "id", LOCATION_ID);
  sk_demo_json_string (&w, "name", "Louisville Warehouse");
  sk_demo_json_string (&w, "address1", "92 Chestnut Street");
  sk_demo_json_string (&w, "city", "Louisville");
  sk_demo_json_string (&w, "zip", "40202");
  sk_demo_json_string (&w, "province", "Kentucky");
  sk_demo_json_string (&w, "country", "US");
  sk_demo_json_string (&w, "country_code", "US");
  sk_demo_json_bool (&w, "active", TRUE);
  sk_demo_json_bool (&w, "legacy", FALSE);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
  return body;
}

static gint64
json_int (JsonObject *object,
          const char *member,
          gboolean   *ok)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  guint64 v;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &v, NULL))
    return (gint64) v;
  *ok = FALSE;
  return 0;
}

/* POST inventory_levels/set.json */
static guint
set_level (SkDemoShop         *self,
           SoupServerMessage  *msg,
           GString           **body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request = _sk_demo_request_object (msg, &root);
  gboolean ok = TRUE;
  gint64 location = json_int (request, "location_id", &ok);
  gint64 item = json_int (request, "inventory_item_id", &ok);
  gint64 available = json_int (request, "available", &ok);
  guint p, v;
  SkDemoJson w;

  if (!ok)
    {
      *body = _sk_demo_param_error ("inventory_item_id, location_id, available",
                                    "Required parameter missing or invalid");
      return SOUP_STATUS_BAD_REQUEST;
    }
  if ((guint64) location != LOCATION_ID || !item_of ((guint64) item, &p, &v))
    {
      *body = _sk_demo_static_body (BODY_NOT_FOUND);
      return SOUP_STATUS_NOT_FOUND;
    }
  self->shopify_stock[p * CATALOG_SLOTS + v] = available;
  *body = g_string_new (NULL);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  write_level (self, p, v, &w, "inventory_level");
  sk_demo_json_end_object (&w);
  return SOUP_STATUS_OK;
}

guint
_sk_demo_shop_serve_catalog (SkDemoShop         *self,
                             SoupServerMessage  *msg,
                             const char         *method,
                             const char         *version,
                             const char         *rest,
                             GHashTable         *query,
                             GString           **body)
{
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;

  if (g_str_equal (rest, "inventory_levels/set.json") && g_strcmp0 (method, SOUP_METHOD_POST) == 0)
    return set_level (self, msg, body);
  if (!get)
    return 0;
  if (g_str_equal (rest, "products.json"))
    return serve_products (self, msg, version, query, body);
  if (g_str_equal (rest, "inventory_items.json"))
    return serve_items_or_levels (self, FALSE, query, body);
  if (g_str_equal (rest, "inventory_levels.json"))
    return serve_items_or_levels (self, TRUE, query, body);
  if (g_str_equal (rest, "locations.json"))
    {
      *body = locations_body ();
      return SOUP_STATUS_OK;
    }
  return 0;
}

/* WooCommerce */

static void
write_woo_stock (gint64      stock,
                 SkDemoJson *w)
{
  sk_demo_json_bool (w, "manage_stock", TRUE);
  sk_demo_json_int (w, "stock_quantity", stock);
  sk_demo_json_string (w, "stock_status", stock > 0 ? "instock" : "outofstock");
  sk_demo_json_string (w, "backorders", "no");
}

/* An integer, or null: the store-wide threshold (for a variation: its
 * product's). */
static void
write_woo_low_stock (gint64      amount,
                     SkDemoJson *w)
{
  if (amount >= 0)
    sk_demo_json_int (w, "low_stock_amount", amount);
  else
    sk_demo_json_null (w, "low_stock_amount");
}

static void
write_woo_variation (SkDemoShop *self,
                     guint       p,
                     guint       v,
                     SkDemoJson *w,
                     GString    *tmp)
{
  const SkDemoProduct *product = _sk_demo_product (p);
  const char *names[2], *values[2];
  char barcode[14];

  sk_demo_variant_options (p, v, &names[0], &values[0], &names[1], &values[1]);
  sk_demo_barcode (p, v, barcode);
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_uint (w, "id", sk_demo_woo_variation_id (p, v));
  sk_demo_json_uint (w, "parent_id", sk_demo_woo_product_id (p));
  sk_demo_json_string (w, "type", "variation");
  sk_demo_json_string (w, "status", "publish");
  g_string_truncate (tmp, 0);
  append_sku (tmp, p, v);
  sk_demo_json_string (w, "sku", tmp->str);
  sk_demo_json_string (w, "global_unique_id", barcode);
  sk_demo_json_decimal (w, "price", product->price_usd * WOO_PRICE_PERCENT / 100, 2);
  sk_demo_json_decimal (w, "regular_price", product->price_usd * WOO_PRICE_PERCENT / 100, 2);
  sk_demo_json_string (w, "sale_price", "");
  write_woo_stock (self->woo_stock[p * CATALOG_SLOTS + v], w);
  write_woo_low_stock (sk_demo_low_stock_amount (p, TRUE), w);
  g_string_printf (tmp, "%.3f", product->grams / 1000.0);
  sk_demo_json_string (w, "weight", tmp->str);
  sk_demo_json_begin_array (w, "attributes");
  for (guint k = 0; k < 2; k++)
    if (names[k] != NULL)
      {
        sk_demo_json_begin_object (w, NULL);
        sk_demo_json_int (w, "id", 0);
        sk_demo_json_string (w, "name", names[k]);
        sk_demo_json_string (w, "option", values[k]);
        sk_demo_json_end_object (w);
      }
  sk_demo_json_end_array (w);
  sk_demo_json_end_object (w);
}

static void
write_woo_product (SkDemoShop *self,
                   guint       p,
                   SkDemoJson *w,
                   GString    *tmp)
{
  const SkDemoProduct *product = _sk_demo_product (p);
  gboolean variable = sk_demo_catalog_has_variants (p);
  g_autofree char *slug = handle_of (product->title);
  const char *names[2], *values[2];
  char barcode[14];

  sk_demo_variant_options (p, 0, &names[0], &values[0], &names[1], &values[1]);
  sk_demo_barcode (p, 0, barcode);
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_uint (w, "id", sk_demo_woo_product_id (p));
  sk_demo_json_string (w, "name", product->title);
  sk_demo_json_string (w, "slug", slug);
  g_string_printf (tmp, "%s/product/%s/", self->base_url, slug);
  sk_demo_json_string (w, "permalink", tmp->str);
  sk_demo_json_time_local (w, "date_created", CATALOG_SINCE + p * 3600, SK_DEMO_WOO_SITE_OFFSET_MINUTES);
  sk_demo_json_time_local (w, "date_modified", CATALOG_SINCE + p * 3600, SK_DEMO_WOO_SITE_OFFSET_MINUTES);
  sk_demo_json_string (w, "type", variable ? "variable" : "simple");
  sk_demo_json_string (w, "status", "publish");
  g_string_assign (tmp, product->sku);
  sk_demo_json_string (w, "sku", tmp->str);
  sk_demo_json_string (w, "global_unique_id", variable ? "" : barcode);
  sk_demo_json_decimal (w, "price", product->price_usd * WOO_PRICE_PERCENT / 100, 2);
  sk_demo_json_decimal (w, "regular_price", product->price_usd * WOO_PRICE_PERCENT / 100, 2);
  sk_demo_json_string (w, "sale_price", "");
  if (variable)
    {
      sk_demo_json_bool (w, "manage_stock", FALSE);
      sk_demo_json_null (w, "stock_quantity");
      sk_demo_json_string (w, "stock_status", "instock");
    }
  else
    write_woo_stock (self->woo_stock[p * CATALOG_SLOTS], w);
  write_woo_low_stock (sk_demo_low_stock_amount (p, FALSE), w);
  g_string_printf (tmp, "%.3f", product->grams / 1000.0);
  sk_demo_json_string (w, "weight", tmp->str);
  sk_demo_json_begin_array (w, "attributes");
  for (guint k = 0; k < 2; k++)
    if (names[k] != NULL)
      {
        const char *n1, *v1, *n2, *v2;

        sk_demo_json_begin_object (w, NULL);
        sk_demo_json_int (w, "id", 0);
        sk_demo_json_string (w, "name", names[k]);
        sk_demo_json_bool (w, "variation", TRUE);
        sk_demo_json_begin_array (w, "options");
        for (guint v = 0; v < sk_demo_catalog_n_variants (p); v++)
          {
            gboolean seen = FALSE;

            sk_demo_variant_options (p, v, &n1, &v1, &n2, &v2);
            for (guint u = 0; u < v && !seen; u++)
              {
                const char *m1, *w1, *m2, *w2;

                sk_demo_variant_options (p, u, &m1, &w1, &m2, &w2);
                seen = g_strcmp0 (k == 0 ? v1 : v2, k == 0 ? w1 : w2) == 0;
              }
            if (!seen)
              sk_demo_json_string (w, NULL, k == 0 ? v1 : v2);
          }
        sk_demo_json_end_array (w);
        sk_demo_json_end_object (w);
      }
  sk_demo_json_end_array (w);
  sk_demo_json_begin_array (w, "variations");
  for (guint v = 0; variable && v < sk_demo_catalog_n_variants (p); v++)
    sk_demo_json_uint (w, NULL, sk_demo_woo_variation_id (p, v));
  sk_demo_json_end_array (w);
  sk_demo_json_end_object (w);
}

static void
set_woo_paging (SoupServerMessage *msg,
                guint              total,
                guint              per_page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char number[24];

  g_snprintf (number, sizeof number, "%u", total);
  soup_message_headers_replace (headers, "X-WP-Total", number);
  g_snprintf (number, sizeof number, "%u", (total + per_page - 1) / per_page);
  soup_message_headers_replace (headers, "X-WP-TotalPages", number);
}

/* PUT products/ID or products/ID/variations/VID: stock_quantity and
 * manage_stock. */
static gboolean
update_woo_stock (SkDemoShop         *self,
                  SoupServerMessage  *msg,
                  guint               slot,
                  GString           **body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request = _sk_demo_request_object (msg, &root);
  JsonNode *node;

  if (request == NULL)
    {
      *body = _sk_demo_woo_param_error ("body", "The request body is not a JSON object.");
      return FALSE;
    }
  node = json_object_get_member (request, "stock_quantity");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          *body = _sk_demo_woo_param_error ("stock_quantity", "stock_quantity is not of type integer.");
          return FALSE;
        }
      self->woo_stock[slot] = json_node_get_int (node);
    }
  return TRUE;
}

guint
_sk_demo_shop_serve_woo_products (SkDemoShop         *self,
                                  SoupServerMessage  *msg,
                                  const char         *method,
                                  const char         *rest,
                                  GHashTable         *query,
                                  GString           **body)
{
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean update = g_strcmp0 (method, SOUP_METHOD_PUT) == 0 ||
                    g_strcmp0 (method, SOUP_METHOD_POST) == 0 ||
                    g_strcmp0 (method, "PATCH") == 0;
  g_autoptr(GString) tmp = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit (*rest == '/' ? rest + 1 : rest, "/", -1);
  guint n_parts = *rest == '\0' ? 0 : g_strv_length (parts);
  guint64 page = 1, per_page = 10, id = 0, vid = 0;
  guint p = 0, v = 0, total, first;
  SkDemoJson w;

  if (n_parts >= 1 &&
      (!g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT64, &id, NULL) ||
       id < sk_demo_woo_product_id (0) ||
       (p = (guint) (id - sk_demo_woo_product_id (0))) >= sk_demo_catalog_n_products ()))
    {
      gboolean digits = strspn (parts[0], "0123456789") == strlen (parts[0]);

      *body = _sk_demo_static_body (digits ? WOO_BODY_INVALID_PRODUCT : WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (n_parts >= 2 && !g_str_equal (parts[1], "variations"))
    {
      *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (n_parts == 3 &&
      (!g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXUINT64, &vid, NULL) ||
       !sk_demo_catalog_has_variants (p) ||
       vid < sk_demo_woo_variation_id (p, 0) ||
       (v = (guint) (vid - sk_demo_woo_variation_id (p, 0))) >= sk_demo_catalog_n_variants (p)))
    {
      *body = _sk_demo_static_body (WOO_BODY_INVALID_VARIATION);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (n_parts > 3 || (!get && !(update && (n_parts == 1 || n_parts == 3))))
    {
      *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }

  if (n_parts == 0 || n_parts == 2)
    {
      if (!_sk_demo_woo_uint_param (query, "page", 1, G_MAXUINT32, &page, body) ||
          !_sk_demo_woo_uint_param (query, "per_page", 1, 100, &per_page, body))
        return SOUP_STATUS_BAD_REQUEST;
      total = n_parts == 0 ? sk_demo_catalog_n_products ()
              : sk_demo_catalog_has_variants (p) ? sk_demo_catalog_n_variants (p) : 0;
      if (page > 1 && (page - 1) * per_page >= total)
        {
          *body = _sk_demo_static_body (WOO_BODY_PAGE_RANGE);
          return SOUP_STATUS_BAD_REQUEST;
        }
      set_woo_paging (msg, total, (guint) per_page);
      first = (guint) ((page - 1) * per_page);
      *body = g_string_sized_new (32 * 1024);
      sk_demo_json_init (&w, *body);
      sk_demo_json_begin_array (&w, NULL);
      for (guint i = first; i < MIN (total, first + per_page); i++)
        if (n_parts == 0)
          write_woo_product (self, i, &w, tmp);
        else
          write_woo_variation (self, p, i, &w, tmp);
      sk_demo_json_end_array (&w);
      return SOUP_STATUS_OK;
    }

  if (update && !update_woo_stock (self, msg, p * CATALOG_SLOTS + v, body))
    return SOUP_STATUS_BAD_REQUEST;
  *body = g_string_sized_new (4096);
  sk_demo_json_init (&w, *body);
  if (n_parts == 1)
    write_woo_product (self, p, &w, tmp);
  else
    write_woo_variation (self, p, v, &w, tmp);
  return SOUP_STATUS_OK;
}
