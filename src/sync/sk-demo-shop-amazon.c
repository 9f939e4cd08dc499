/* sk-demo-shop-amazon.c: the demo shop's Amazon dialect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Login with Amazon's token endpoint and the Selling Partner API Orders
 * v0: getOrders, getOrder, getOrderItems, getOrderAddress and
 * confirmShipment (see sk-demo-shop.h for what each takes). Handlers run
 * on the server thread with the shop's lock held.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sk-demo-data-private.h"
#include "sk-demo-shop-private.h"
#include "sk-time.h"

#define ORDERS_PATH "/orders/v0/orders"
#define TOKEN_PREFIX "Atza|IwEBIdemo-"
#define TOKEN_LIFETIME 3600
#define MAX_RESULTS 100
#define MAX_MARKETPLACES 50
/* Amazon answers with orders up to two minutes before the request. */
#define LAG_SECONDS 120
#define NEXT_TOKEN_VERSION "2"
/* OrderStatuses Amazon knows that the demo's orders never have */
#define OTHER_STATUS (1u << SK_DEMO_AMAZON_N_STATUSES)

gboolean
_sk_demo_shop_is_amazon (const char *path,
                         gboolean   *lwa)
{
  *lwa = g_str_equal (path, SK_DEMO_AMAZON_LWA_PATH);
  return *lwa || g_str_equal (path, "/orders") || g_str_has_prefix (path, "/orders/");
}

/* Bodies */

static GString *
amazon_error (const char *code,
              const char *message,
              const char *details)
{
  GString *body = g_string_new (NULL);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, "errors");
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_string (&w, "code", code);
  sk_demo_json_string (&w, "message", message);
  sk_demo_json_string (&w, "details", details != NULL ? details : "");
  sk_demo_json_end_object (&w);
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
  return body;
}

static guint
invalid_input (GString    **body,
               const char  *message)
{
  *body = amazon_error ("InvalidInput", message, "");
  return SOUP_STATUS_BAD_REQUEST;
}

static guint
not_found (GString **body)
{
  *body = amazon_error ("NotFound", "The requested resource was not found.", "");
  return SOUP_STATUS_NOT_FOUND;
}

static guint
lwa_error (GString    **body,
           guint        status,
           const char  *error,
           const char  *description)
{
  SkDemoJson w;

  *body = g_string_new (NULL);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_string (&w, "error_description", description);
  sk_demo_json_string (&w, "error", error);
  sk_demo_json_end_object (&w);
  return status;
}

/* Login with Amazon */

static GHashTable *
request_form (SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);
  g_autofree char *text = NULL;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    return NULL;
  text = request != NULL && request->data != NULL ? g_strndup (request->data, request->length)
                                                  : g_strdup ("");
  return soup_form_decode (text);
}

/* POST /auth/o2/token */
static guint
serve_token (SkDemoShop         *self,
             SoupServerMessage  *msg,
             GString           **body)
{
  g_autoptr(GHashTable) form = NULL;
  const char *grant_type, *client_id, *client_secret, *refresh_token;
  g_autofree char *token = NULL;
  gint64 expires;
  SkDemoJson w;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    return lwa_error (body, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                      "The request method must be POST.");
  form = request_form (msg);
  if (form == NULL)
    return lwa_error (body, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                      "The request must be application/x-www-form-urlencoded.");
  grant_type = g_hash_table_lookup (form, "grant_type");
  client_id = g_hash_table_lookup (form, "client_id");
  client_secret = g_hash_table_lookup (form, "client_secret");
  refresh_token = g_hash_table_lookup (form, "refresh_token");

  if (grant_type == NULL || *grant_type == '\0')
    return lwa_error (body, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                      "The request is missing a required parameter : grant_type");
  if (!g_str_equal (grant_type, "refresh_token"))
    return lwa_error (body, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                      "The authorization grant type is not supported by the authorization server");
  if (g_strcmp0 (client_id, SK_DEMO_AMAZON_CLIENT_ID) != 0 ||
      g_strcmp0 (client_secret, SK_DEMO_AMAZON_CLIENT_SECRET) != 0)
    return lwa_error (body, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                      "Client authentication failed");
  if (refresh_token == NULL || *refresh_token == '\0')
    return lwa_error (body, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                      "The request is missing a required parameter : refresh_token");
  if (!g_str_equal (refresh_token, SK_DEMO_AMAZON_REFRESH_TOKEN))
    return lwa_error (body, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                      "The request has an invalid grant parameter : refresh_token");

  expires = sk_time_now () + TOKEN_LIFETIME;
  token = g_strdup_printf (TOKEN_PREFIX "%" G_GINT64_FORMAT "-%08x", expires, ++self->amazon_tokens);
  *body = g_string_sized_new (256);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_string (&w, "access_token", token);
  sk_demo_json_string (&w, "refresh_token", refresh_token);
  sk_demo_json_string (&w, "token_type", "bearer");
  sk_demo_json_int (&w, "expires_in", TOKEN_LIFETIME);
  sk_demo_json_end_object (&w);
  return SOUP_STATUS_OK;
}

/* 0 when the request carries an access token of ours still valid. */
static guint
check_access (SoupServerMessage  *msg,
              GString           **body)
{
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "x-amz-access-token");
  const char *details = NULL;
  const char *dash;
  gint64 expires = 0;

  if (token == NULL || *token == '\0')
    details = "Access token is missing in the request header.";
  else
    {
      g_autofree char *digits = NULL;
      gsize hex;

      dash = g_str_has_prefix (token, TOKEN_PREFIX) ? strchr (token + strlen (TOKEN_PREFIX), '-') : NULL;
      if (dash != NULL)
        {
          digits = g_strndup (token + strlen (TOKEN_PREFIX), dash - token - strlen (TOKEN_PREFIX));
          hex = strspn (dash + 1, "0123456789abcdef");
          if (hex != 8 || dash[1 + hex] != '\0' ||
              !g_ascii_string_to_signed (digits, 10, 1, G_MAXINT64, &expires, NULL))
            expires = 0;
        }
      if (expires == 0)
        details = "The access token you provided is revoked, malformed or invalid.";
      else if (expires <= sk_time_now ())
        details = "The access token you provided has expired.";
    }
  if (details == NULL)
    return 0;
  *body = amazon_error ("Unauthorized", "Access to requested resource is denied.", details);
  return SOUP_STATUS_FORBIDDEN;
}

/* getOrders */

typedef struct {
  SkDemoAmazonFilter filter;
  guint              limit;
  gint64             cursor_key;
  guint              cursor_row;
} Position;

static char *
encode_next_token (const Position *p)
{
  g_autofree char *plain = NULL;

  plain = g_strdup_printf (NEXT_TOKEN_VERSION "|%d|%u|%u|%u|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                           "|%u|%" G_GINT64_FORMAT "|%u",
                           p->filter.by_created ? 1 : 0, p->filter.marketplaces, p->filter.statuses,
                           p->filter.channels, p->filter.after, p->filter.before, p->limit,
                           p->cursor_key, p->cursor_row);
  /* standard base64, '+', '/' and '=' and all, as Amazon's */
  return g_base64_encode ((const guchar *) plain, strlen (plain));
}

static gboolean
decode_next_token (const char *token,
                   Position   *p)
{
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 by_created, marketplaces, statuses, channels, limit, row;
  gint64 after, before, key;
  gsize len;

  if (*token == '\0' || strlen (token) % 4 != 0 ||
      strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (token))
    return FALSE;
  plain = g_base64_decode (token, &len);
  if (plain == NULL || len == 0 || len > 256)
    return FALSE;
  text = g_strndup ((const char *) plain, len);
  parts = g_strsplit (text, "|", -1);
  if (g_strv_length (parts) != 10 || !g_str_equal (parts[0], NEXT_TOKEN_VERSION) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 1, &by_created, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, 3, &marketplaces, NULL) ||
      !g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXUINT32, &statuses, NULL) ||
      !g_ascii_string_to_unsigned (parts[4], 10, 0, 3, &channels, NULL) ||
      !g_ascii_string_to_signed (parts[5], 10, 0, G_MAXINT64, &after, NULL) ||
      !g_ascii_string_to_signed (parts[6], 10, 0, G_MAXINT64, &before, NULL) ||
      !g_ascii_string_to_unsigned (parts[7], 10, 1, MAX_RESULTS, &limit, NULL) ||
      !g_ascii_string_to_signed (parts[8], 10, G_MININT64, G_MAXINT64, &key, NULL) ||
      !g_ascii_string_to_unsigned (parts[9], 10, 0, G_MAXUINT32, &row, NULL))
    return FALSE;
  memset (p, 0, sizeof *p);
  p->filter.by_created = by_created == 1;
  p->filter.marketplaces = (guint) marketplaces;
  p->filter.statuses = (guint) statuses;
  p->filter.channels = (guint) channels;
  p->filter.after = after;
  p->filter.before = before;
  p->limit = (guint) limit;
  p->cursor_key = key;
  p->cursor_row = (guint) row;
  return TRUE;
}

/* MarketplaceIds: the seller's two marketplaces, as bits. */
static gboolean
parse_marketplaces (GHashTable  *query,
                    guint       *out,
                    GString    **body)
{
  const char *text = _sk_demo_query_param (query, "MarketplaceIds");
  g_auto(GStrv) ids = NULL;

  *out = 0;
  if (text == NULL || *text == '\0')
    {
      invalid_input (body, "MarketplaceIds is required.");
      return FALSE;
    }
  ids = g_strsplit (text, ",", -1);
  if (g_strv_length (ids) > MAX_MARKETPLACES)
    {
      invalid_input (body, "MarketplaceIds can have at most 50 marketplaces.");
      return FALSE;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_strstrip (ids[i]);
      if (g_str_equal (ids[i], SK_DEMO_AMAZON_MARKETPLACE_US))
        *out |= SK_DEMO_AMAZON_IN_US;
      else if (g_str_equal (ids[i], SK_DEMO_AMAZON_MARKETPLACE_CA))
        *out |= SK_DEMO_AMAZON_IN_CA;
      else
        {
          g_autofree char *message =
            g_strdup_printf ("Invalid MarketplaceIds: the seller does not participate in marketplace %s.",
                             ids[i]);

          invalid_input (body, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_time (GHashTable  *query,
            const char  *name,
            gint64      *out,
            GString    **body)
{
  const char *text = _sk_demo_query_param (query, name);

  *out = 0;
  if (text == NULL)
    return TRUE;
  if (!sk_time_parse_iso8601 (text, NULL, out, NULL) || *out <= 0)
    {
      g_autofree char *message = g_strdup_printf ("%s is not a valid ISO 8601 date and time.", name);

      invalid_input (body, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_statuses (GHashTable  *query,
                guint       *out,
                GString    **body)
{
  static const char *others[] = { "PendingAvailability", "InvoiceUnconfirmed", "Unfulfillable" };
  const char *text = _sk_demo_query_param (query, "OrderStatuses");
  g_auto(GStrv) codes = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  codes = g_strsplit (text, ",", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      SkDemoAmazonStatus status = sk_demo_amazon_status_from_code (g_strstrip (codes[i]));
      gboolean other = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (others); k++)
        other |= g_str_equal (codes[i], others[k]);
      if (other)
        *out |= OTHER_STATUS;
      else if (status != SK_DEMO_AMAZON_N_STATUSES)
        *out |= 1u << status;
      else
        {
          g_autofree char *message = g_strdup_printf ("%s is not a valid value for OrderStatuses.", codes[i]);

          invalid_input (body, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_channels (GHashTable  *query,
                guint       *out,
                GString    **body)
{
  const char *text = _sk_demo_query_param (query, "FulfillmentChannels");
  g_auto(GStrv) codes = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  codes = g_strsplit (text, ",", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_strstrip (codes[i]);
      if (g_str_equal (codes[i], "MFN"))
        *out |= SK_DEMO_AMAZON_BY_MFN;
      else if (g_str_equal (codes[i], "AFN"))
        *out |= SK_DEMO_AMAZON_BY_AFN;
      else
        {
          invalid_input (body, "FulfillmentChannels takes AFN and MFN.");
          return FALSE;
        }
    }
  return TRUE;
}

/* The first request of a listing: its filters from the query. */
static guint
parse_first_request (GHashTable  *query,
                     Position    *p,
                     GString    **body)
{
  gint64 created_after, created_before, updated_after, updated_before, latest;
  guint64 limit = MAX_RESULTS;
  const char *limit_text = _sk_demo_query_param (query, "MaxResultsPerPage");

  if (!parse_time (query, "CreatedAfter", &created_after, body) ||
      !parse_time (query, "CreatedBefore", &created_before, body) ||
      !parse_time (query, "LastUpdatedAfter", &updated_after, body) ||
      !parse_time (query, "LastUpdatedBefore", &updated_before, body) ||
      !parse_statuses (query, &p->filter.statuses, body) ||
      !parse_channels (query, &p->filter.channels, body))
    return SOUP_STATUS_BAD_REQUEST;
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_RESULTS, &limit, NULL))
    return invalid_input (body, "MaxResultsPerPage must be between 1 and 100.");
  p->limit = (guint) limit;

  if ((created_after == 0) == (updated_after == 0))
    return invalid_input (body, "Exactly one of CreatedAfter and LastUpdatedAfter must be specified.");
  if ((created_after != 0 && updated_before != 0) || (updated_after != 0 && created_before != 0))
    return invalid_input (body, "CreatedBefore goes with CreatedAfter, LastUpdatedBefore with LastUpdatedAfter.");
  p->filter.by_created = created_after != 0;
  p->filter.after = p->filter.by_created ? created_after : updated_after;
  p->filter.before = p->filter.by_created ? created_before : updated_before;

  latest = sk_time_now () - LAG_SECONDS;
  if (p->filter.before > latest)
    return invalid_input (body, p->filter.by_created
                          ? "CreatedBefore must be no later than two minutes before the time of the request."
                          : "LastUpdatedBefore must be no later than two minutes before the time of the request.");
  if (p->filter.before == 0)
    p->filter.before = latest;
  if (p->filter.before < p->filter.after && p->filter.after <= latest)
    return invalid_input (body, p->filter.by_created
                          ? "CreatedBefore must be later than CreatedAfter."
                          : "LastUpdatedBefore must be later than LastUpdatedAfter.");
  p->cursor_key = G_MININT64;
  p->cursor_row = 0;
  return 0;
}

/* GET /orders/v0/orders */
static guint
serve_orders (SkDemoShop         *self,
              GHashTable         *query,
              GString           **body)
{
  SkDemoData *book = _sk_demo_shop_amazon_book (self);
  const char *next_token = _sk_demo_query_param (query, "NextToken");
  g_autofree guint *rows = NULL;
  g_autofree char *before = NULL;
  Position p = { { 0 }, 0, 0, 0 };
  guint marketplaces;
  guint n, status;
  gboolean more = FALSE;
  guint malformed = G_MAXUINT;
  SkDemoMalform malform = SK_DEMO_MALFORM_NONE;
  SkDemoJson w;

  if (!parse_marketplaces (query, &marketplaces, body))
    return SOUP_STATUS_BAD_REQUEST;
  if (next_token != NULL)
    {
      /* Amazon reads nothing else with a NextToken */
      if (!decode_next_token (next_token, &p))
        return invalid_input (body, "Invalid NextToken.");
    }
  else if ((status = parse_first_request (query, &p, body)) != 0)
    return status;
  p.filter.marketplaces = marketplaces;

  rows = g_new (guint, p.limit);
  n = p.filter.before >= p.filter.after
        ? sk_demo_data_amazon_list (book, &p.filter, p.cursor_key, p.cursor_row, p.limit, rows, &more)
        : 0;
  if (n > 0 && _sk_demo_shop_take_fault (self, SK_DEMO_FAULT_MALFORMED_ORDER))
    {
      malformed = n / 2;
      malform = self->fault_count[_sk_demo_fault_index (SK_DEMO_FAULT_MALFORMED_ORDER)] % 2 == 1
        ? SK_DEMO_MALFORM_BAD_TOTAL : SK_DEMO_MALFORM_NO_ID;
    }

  *body = g_string_sized_new (n * 2048 + 256);
  sk_demo_json_init (&w, *body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "payload");
  sk_demo_json_begin_array (&w, "Orders");
  for (guint i = 0; i < n; i++)
    sk_demo_data_write_amazon_order (book, rows[i], &w, i == malformed ? malform : SK_DEMO_MALFORM_NONE);
  sk_demo_json_end_array (&w);
  if (more)
    {
      g_autofree char *token = NULL;

      p.cursor_row = rows[n - 1];
      p.cursor_key = sk_demo_data_amazon_key (book, p.cursor_row, p.filter.by_created);
      token = encode_next_token (&p);
      sk_demo_json_string (&w, "NextToken", token);
    }
  before = sk_time_format_iso8601 (p.filter.before);
  sk_demo_json_string (&w, p.filter.by_created ? "CreatedBefore" : "LastUpdatedBefore", before);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
  return SOUP_STATUS_OK;
}

/* confirmShipment */

static const char *
text_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return *json_node_get_string (node) != '\0' ? json_node_get_string (node) : NULL;
}

/* POST /orders/v0/orders/ID/shipmentConfirmation */
static guint
confirm_shipment (SkDemoShop         *self,
                  SoupServerMessage  *msg,
                  guint               row,
                  GString           **body)
{
  SkDemoData *book = _sk_demo_shop_amazon_book (self);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = _sk_demo_request_object (msg, &root);
  JsonObject *package = NULL;
  JsonNode *items_node;
  JsonArray *items;
  const char *marketplace, *reference, *carrier, *carrier_name, *tracking, *ship_date;
  const char *message = NULL;
  gint64 quantities[SK_DEMO_MAX_LINES] = { 0 };
  guint n_lines = sk_demo_data_n_lines (book, row);
  gint64 shipped_at;

  if (object == NULL)
    return invalid_input (body, "The request body is not a JSON object.");
  marketplace = text_member (object, "marketplaceId");
  if (marketplace == NULL)
    return invalid_input (body, "marketplaceId is required.");
  if (!g_str_equal (marketplace, SK_DEMO_AMAZON_MARKETPLACE_US) &&
      !g_str_equal (marketplace, SK_DEMO_AMAZON_MARKETPLACE_CA))
    return invalid_input (body, "Invalid marketplaceId: the seller does not participate in this marketplace.");
  /* As Amazon does: an order is confirmed in its own marketplace only. */
  if (!g_str_equal (marketplace, sk_demo_data_amazon_marketplace (book, row)))
    return invalid_input (body, "Invalid marketplaceId: the order was not placed in this marketplace.");
  if (json_object_has_member (object, "packageDetail") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "packageDetail")))
    package = json_object_get_object_member (object, "packageDetail");
  if (package == NULL)
    return invalid_input (body, "packageDetail is required.");
  reference = text_member (package, "packageReferenceId");
  carrier = text_member (package, "carrierCode");
  carrier_name = text_member (package, "carrierName");
  tracking = text_member (package, "trackingNumber");
  ship_date = text_member (package, "shipDate");
  if (reference == NULL)
    return invalid_input (body, "packageDetail.packageReferenceId is required.");
  if (carrier == NULL)
    return invalid_input (body, "packageDetail.carrierCode is required.");
  if (g_str_equal (carrier, "Other") && carrier_name == NULL)
    return invalid_input (body, "packageDetail.carrierName is required when carrierCode is Other.");
  if (tracking == NULL)
    return invalid_input (body, "packageDetail.trackingNumber is required.");
  if (ship_date == NULL || !sk_time_parse_iso8601 (ship_date, NULL, &shipped_at, NULL))
    return invalid_input (body, "packageDetail.shipDate must be an ISO 8601 date and time.");

  items_node = json_object_get_member (package, "orderItems");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node) ||
      json_array_get_length (items = json_node_get_array (items_node)) == 0)
    return invalid_input (body, "packageDetail.orderItems must list at least one item.");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *item_id = text_member (item, "orderItemId");
      JsonNode *quantity = item != NULL ? json_object_get_member (item, "quantity") : NULL;
      guint line = G_MAXUINT;

      for (guint k = 0; item_id != NULL && k < n_lines; k++)
        {
          char id[16];

          sk_demo_data_amazon_item_id (book, row, k, id);
          if (g_str_equal (id, item_id))
            line = k;
        }
      if (line == G_MAXUINT)
        return invalid_input (body, "An orderItemId of the package is not an item of this order.");
      if (quantity == NULL || !JSON_NODE_HOLDS_VALUE (quantity) ||
          json_node_get_value_type (quantity) != G_TYPE_INT64 || json_node_get_int (quantity) < 1)
        return invalid_input (body, "The quantity of an order item must be a whole number of 1 or more.");
      quantities[line] += json_node_get_int (quantity);
    }

  if (!sk_demo_data_amazon_confirm (book, row, reference,
                                    g_str_equal (carrier, "Other") ? carrier_name : carrier,
                                    tracking, quantities, sk_time_now (), &message))
    return invalid_input (body, message);
  *body = g_string_new (NULL);
  return SOUP_STATUS_NO_CONTENT;
}

/* The Orders API */

guint
_sk_demo_shop_serve_amazon (SkDemoShop         *self,
                            SoupServerMessage  *msg,
                            const char         *path,
                            GHashTable         *query,
                            GString           **body)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean post = g_strcmp0 (method, SOUP_METHOD_POST) == 0;
  g_autofree char *id = NULL;
  const char *rest, *slash;
  SkDemoData *book;
  guint status;
  guint row;

  if (g_str_equal (path, SK_DEMO_AMAZON_LWA_PATH))
    return serve_token (self, msg, body);
  if ((status = check_access (msg, body)) != 0)
    return status;

  book = _sk_demo_shop_amazon_book (self);
  if (g_str_equal (path, ORDERS_PATH))
    return get ? serve_orders (self, query, body) : not_found (body);
  if (!g_str_has_prefix (path, ORDERS_PATH "/"))
    return not_found (body);

  rest = path + strlen (ORDERS_PATH "/");
  slash = strchr (rest, '/');
  id = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  rest = slash != NULL ? slash + 1 : "";
  if (!sk_demo_data_amazon_find (book, id, &row))
    return not_found (body);

  if (get && *rest == '\0')
    {
      SkDemoJson w;

      /* getOrder's payload is the order itself */
      *body = g_string_sized_new (2048);
      g_string_append (*body, "{\"payload\":");
      sk_demo_json_init (&w, *body);
      sk_demo_data_write_amazon_order (book, row, &w, SK_DEMO_MALFORM_NONE);
      g_string_append_c (*body, '}');
      return SOUP_STATUS_OK;
    }
  if (get && g_str_equal (rest, "orderItems"))
    {
      if (_sk_demo_query_param (query, "NextToken") != NULL)
        return invalid_input (body, "Invalid NextToken.");
      *body = g_string_sized_new (4096);
      sk_demo_data_write_amazon_items (book, row, *body);
      return SOUP_STATUS_OK;
    }
  if (get && g_str_equal (rest, "address"))
    {
      *body = g_string_sized_new (512);
      sk_demo_data_write_amazon_address (book, row, *body);
      return SOUP_STATUS_OK;
    }
  if (post && g_str_equal (rest, "shipmentConfirmation"))
    return confirm_shipment (self, msg, row, body);
  return not_found (body);
}
