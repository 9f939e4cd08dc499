/* sk-demo-shop-shopify.c: the demo shop's Shopify fulfillments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   GET  orders/{id}/fulfillment_orders.json  one fulfillment order per
 *        order, its lines with what is left to ship
 *   POST fulfillments.json                    line_items_by_fulfillment_order
 *        and tracking_info; recorded on the order (fulfillment_status,
 *        fulfillments, updated_at), 201 {"fulfillment":{…}}
 *   GET  orders/{id}/fulfillments.json        the order's fulfillments
 *
 * Unknown orders and fulfillment orders answer 404 {"errors":"Not Found"};
 * quantities beyond what is left 422, as Shopify does.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data-private.h"
#include "sk-demo-shop-private.h"
#include "sk-time.h"

#define BODY_BAD_QUANTITY \
  "{\"errors\":[\"Invalid fulfillment order line item quantity requested.\"]}"
#define BODY_NOT_OPEN \
  "{\"errors\":[\"Fulfillment order is not in an open state.\"]}"
#define BODY_NO_LINES \
  "{\"errors\":{\"fulfillment\":\"Required parameter missing or invalid\"}}"

static guint
not_found (GString **body)
{
  *body = _sk_demo_static_body (BODY_NOT_FOUND);
  return SOUP_STATUS_NOT_FOUND;
}

static guint
unprocessable (GString    **body,
               const char  *text)
{
  *body = _sk_demo_static_body (text);
  return SOUP_STATUS_UNPROCESSABLE_ENTITY;
}

static gint64
int_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      guint64 v;

      if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &v, NULL))
        return (gint64) v;
    }
  return -1;
}

static const char *
tracking_member (JsonObject *tracking,
                 const char *member)
{
  const char *value;

  if (tracking == NULL)
    return NULL;
  value = json_object_get_string_member_with_default (tracking, member, NULL);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* POST fulfillments.json: all the fulfillment orders named must be the
 * same order's (there is one per order). */
static guint
post_fulfillment (SkDemoShop         *self,
                  SoupServerMessage  *msg,
                  GString           **body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request = _sk_demo_request_object (msg, &root);
  JsonObject *fulfillment = NULL, *tracking = NULL;
  JsonArray *by_order = NULL;
  gint64 quantities[SK_DEMO_MAX_LINES] = { 0 };
  gint64 total = 0;
  guint row = G_MAXUINT, n_lines;
  guint64 id;

  if (request != NULL && json_object_has_member (request, "fulfillment") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "fulfillment")))
    fulfillment = json_object_get_object_member (request, "fulfillment");
  if (fulfillment != NULL && json_object_has_member (fulfillment, "line_items_by_fulfillment_order") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (fulfillment, "line_items_by_fulfillment_order")))
    by_order = json_object_get_array_member (fulfillment, "line_items_by_fulfillment_order");
  if (by_order == NULL || json_array_get_length (by_order) == 0)
    {
      *body = _sk_demo_static_body (BODY_NO_LINES);
      return SOUP_STATUS_BAD_REQUEST;
    }
  if (json_object_has_member (fulfillment, "tracking_info") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (fulfillment, "tracking_info")))
    tracking = json_object_get_object_member (fulfillment, "tracking_info");

  for (guint k = 0; k < json_array_get_length (by_order); k++)
    {
      JsonNode *node = json_array_get_element (by_order, k);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 fo_id = entry != NULL ? int_member (entry, "fulfillment_order_id") : -1;
      JsonArray *items = NULL;
      guint fo_row;

      if (fo_id < (gint64) SK_DEMO_FO_ID_BASE ||
          (guint64) fo_id - SK_DEMO_FO_ID_BASE >= sk_demo_data_get_n_orders (self->data))
        return not_found (body);
      fo_row = (guint) ((guint64) fo_id - SK_DEMO_FO_ID_BASE);
      if (row != G_MAXUINT && row != fo_row)
        return unprocessable (body, BODY_NOT_OPEN);
      row = fo_row;
      n_lines = sk_demo_data_n_lines (self->data, row);
      if (json_object_has_member (entry, "fulfillment_order_line_items") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (entry, "fulfillment_order_line_items")))
        items = json_object_get_array_member (entry, "fulfillment_order_line_items");
      if (items == NULL)
        {
          /* no lines: everything left */
          for (guint i = 0; i < n_lines; i++)
            quantities[i] = sk_demo_data_fulfillable (self->data, row, i);
          continue;
        }
      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonNode *item_node = json_array_get_element (items, j);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (item_node) ? json_node_get_object (item_node) : NULL;
          gint64 item_id = item != NULL ? int_member (item, "id") : -1;
          gint64 quantity = item != NULL ? int_member (item, "quantity") : -1;
          guint64 base = SK_DEMO_FO_LINE_ID_BASE + (guint64) row * 8;
          guint i;

          if (item_id < (gint64) base || (guint64) item_id - base >= n_lines)
            return not_found (body);
          i = (guint) ((guint64) item_id - base);
          if (quantity <= 0)
            return unprocessable (body, BODY_BAD_QUANTITY);
          quantities[i] += quantity;
        }
    }

  n_lines = sk_demo_data_n_lines (self->data, row);
  for (guint i = 0; i < n_lines; i++)
    {
      if (quantities[i] > sk_demo_data_fulfillable (self->data, row, i))
        return unprocessable (body, BODY_BAD_QUANTITY);
      total += quantities[i];
    }
  if (total == 0)
    return unprocessable (body, BODY_NOT_OPEN);

  id = sk_demo_data_add_fulfillment (self->data, row, quantities,
                                     tracking_member (tracking, "company"),
                                     tracking_member (tracking, "number"),
                                     tracking_member (tracking, "url"),
                                     sk_time_now ());
  *body = g_string_sized_new (1024);
  sk_demo_data_write_fulfillment (self->data, row, id, *body);
  return SOUP_STATUS_CREATED;
}

guint
_sk_demo_shop_serve_fulfillments (SkDemoShop         *self,
                                  SoupServerMessage  *msg,
                                  const char         *method,
                                  const char         *rest,
                                  GString           **body)
{
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  const char *p, *slash;
  g_autofree char *digits = NULL;
  guint64 id;
  guint row;

  if (g_str_equal (rest, "fulfillments.json"))
    {
      if (g_strcmp0 (method, SOUP_METHOD_POST) != 0)
        return not_found (body);
      return post_fulfillment (self, msg, body);
    }
  if (!g_str_has_prefix (rest, "orders/"))
    return 0;
  p = rest + strlen ("orders/");
  slash = strchr (p, '/');
  if (slash == NULL || slash == p || strspn (p, "0123456789") != (gsize) (slash - p) ||
      (!g_str_equal (slash, "/fulfillment_orders.json") &&
       !g_str_equal (slash, "/fulfillments.json")))
    return 0;
  if (!get)
    return not_found (body);
  digits = g_strndup (p, slash - p);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, &id, NULL) ||
      !sk_demo_data_find (self->data, id, &row))
    return not_found (body);
  *body = g_string_sized_new (2048);
  if (g_str_equal (slash, "/fulfillments.json"))
    sk_demo_data_write_order_fulfillments (self->data, row, *body);
  else
    sk_demo_data_write_fulfillment_orders (self->data, row, *body);
  return SOUP_STATUS_OK;
}
