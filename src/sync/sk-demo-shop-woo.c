/* sk-demo-shop-woo.c: the demo shop's WooCommerce REST API v3 dialect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders (list, one, completing them with PUT), order notes, the
 * indexes and system_status; products are sk-demo-shop-catalog.c's.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sk-demo-shop-private.h"
#include "sk-time.h"

/* The WooCommerce dialect. Call with the lock held. */

GString *
_sk_demo_woo_param_error (const char *param,
                 const char *message)
{
  GString *body = g_string_new (NULL);
  g_autofree char *summary = g_strdup_printf ("Invalid parameter(s): %s", param);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_string (&w, "code", "rest_invalid_param");
  sk_demo_json_string (&w, "message", summary);
  sk_demo_json_begin_object (&w, "data");
  sk_demo_json_int (&w, "status", 400);
  sk_demo_json_begin_object (&w, "params");
  sk_demo_json_string (&w, param, message);
  sk_demo_json_end_object (&w);
  sk_demo_json_raw (&w, "details", "{}");
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
  return body;
}

/* HTTP Basic with the consumer key and secret; 0 when they are right. */
static guint
woo_check_auth (SoupServerMessage  *msg,
                GString           **body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *pair = NULL;
  const char *colon;
  gsize len;

  if (value == NULL || g_ascii_strncasecmp (value, "Basic ", 6) != 0)
    {
      *body = _sk_demo_static_body (WOO_BODY_CANNOT_VIEW);
      return SOUP_STATUS_UNAUTHORIZED;
    }
  decoded = g_base64_decode (value + 6, &len);
  pair = g_strndup ((const char *) decoded, len);
  colon = strchr (pair, ':');
  if (colon == NULL || strncmp (pair, SK_DEMO_WOO_CONSUMER_KEY, colon - pair) != 0 ||
      (gsize) (colon - pair) != strlen (SK_DEMO_WOO_CONSUMER_KEY))
    {
      *body = _sk_demo_static_body (WOO_BODY_BAD_KEY);
      return SOUP_STATUS_UNAUTHORIZED;
    }
  if (!g_str_equal (colon + 1, SK_DEMO_WOO_CONSUMER_SECRET))
    {
      *body = _sk_demo_static_body (WOO_BODY_BAD_SECRET);
      return SOUP_STATUS_UNAUTHORIZED;
    }
  return 0;
}

const char *
_sk_demo_query_param (GHashTable *query,
             const char *name)
{
  return query != NULL ? g_hash_table_lookup (query, name) : NULL;
}

gboolean
_sk_demo_woo_uint_param (GHashTable  *query,
                const char  *name,
                guint64      min,
                guint64      max,
                guint64     *inout,
                GString    **body)
{
  const char *text = _sk_demo_query_param (query, name);

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, inout, NULL))
    {
      g_autofree char *message = max == G_MAXUINT32
        ? g_strdup_printf ("%s must be greater than or equal to %" G_GUINT64_FORMAT, name, min)
        : g_strdup_printf ("%s must be between %" G_GUINT64_FORMAT " (inclusive) and %"
                           G_GUINT64_FORMAT " (inclusive)", name, min, max);

      *body = _sk_demo_woo_param_error (name, message);
      return FALSE;
    }
  return TRUE;
}

/* An ISO 8601 date: with its own offset, or read in UTC (dates_are_gmt)
 * or in the site's zone. */
static gboolean
woo_date_param (GHashTable  *query,
                const char  *name,
                gboolean     gmt,
                gint64      *out,
                GString    **body)
{
  const char *text = _sk_demo_query_param (query, name);
  g_autoptr(GTimeZone) zone = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  zone = g_time_zone_new_offset (gmt ? 0 : SK_DEMO_WOO_SITE_OFFSET_MINUTES * 60);
  if (!sk_time_parse_iso8601 (text, zone, out, NULL))
    {
      *body = _sk_demo_woo_param_error (name, "Invalid date.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
woo_statuses (GHashTable  *query,
              guint       *out,
              GString    **body)
{
  const char *text = _sk_demo_query_param (query, "status");
  g_auto(GStrv) codes = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  codes = g_strsplit (text, ",", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      SkDemoWooStatus status;

      g_strstrip (codes[i]);
      if (g_str_equal (codes[i], "any"))
        {
          /* everything but trash, plus what else is asked */
          for (guint k = 0; k < SK_DEMO_WOO_N_STATUSES; k++)
            if (k != SK_DEMO_WOO_TRASH)
              *out |= 1u << k;
          continue;
        }
      status = sk_demo_woo_status_from_code (codes[i]);
      if (status == SK_DEMO_WOO_N_STATUSES)
        {
          g_autofree char *message =
            g_strdup_printf ("status[%u] is not one of any, trash, pending, processing, "
                             "on-hold, completed, cancelled, refunded, failed, and "
                             "checkout-draft.", i);

          *body = _sk_demo_woo_param_error ("status", message);
          return FALSE;
        }
      *out |= 1u << status;
    }
  return TRUE;
}

static void
append_woo_link (GString    *links,
                 SkDemoShop *self,
                 GHashTable *query,
                 guint       page,
                 const char *rel)
{
  GHashTableIter iter;
  const char *key, *value;

  if (links->len > 0)
    g_string_append (links, ", ");
  g_string_append_printf (links, "<%s/wp-json/wc/v3/orders?page=%u", self->base_url, page);
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
        {
          g_autofree char *k = NULL;
          g_autofree char *v = NULL;

          if (g_str_equal (key, "page"))
            continue;
          k = g_uri_escape_string (key, NULL, FALSE);
          v = g_uri_escape_string (value, NULL, FALSE);
          g_string_append_printf (links, "&%s=%s", k, v);
        }
    }
  g_string_append_printf (links, ">; rel=\"%s\"", rel);
}

/* GET /wp-json/wc/v3/orders */
static guint
serve_woo_orders (SkDemoShop         *self,
                  SoupServerMessage  *msg,
                  GHashTable         *query,
                  GString           **body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SkDemoData *book = _sk_demo_shop_woo_book (self);
  SkDemoWooFilter filter = { 0 };
  SkDemoWooOrderBy orderby = SK_DEMO_WOO_BY_DATE;
  const char *order = _sk_demo_query_param (query, "order");
  const char *orderby_text = _sk_demo_query_param (query, "orderby");
  const char *gmt_text = _sk_demo_query_param (query, "dates_are_gmt");
  guint64 page = 1, per_page = WOO_DEFAULT_PER_PAGE, offset = 0;
  gboolean gmt = FALSE, ascending = FALSE;
  g_autofree guint *rows = NULL;
  g_autoptr(GString) links = g_string_new (NULL);
  guint n, total, total_pages;
  guint malformed = G_MAXUINT;
  SkDemoMalform malform = SK_DEMO_MALFORM_NONE;
  char number[24];

  if (!_sk_demo_woo_uint_param (query, "page", 1, G_MAXUINT32, &page, body) ||
      !_sk_demo_woo_uint_param (query, "per_page", 1, WOO_MAX_PER_PAGE, &per_page, body) ||
      !_sk_demo_woo_uint_param (query, "offset", 0, G_MAXUINT32, &offset, body) ||
      !woo_statuses (query, &filter.statuses, body))
    return SOUP_STATUS_BAD_REQUEST;
  if (order != NULL && !g_str_equal (order, "asc") && !g_str_equal (order, "desc"))
    {
      *body = _sk_demo_woo_param_error ("order", "order is not one of asc and desc.");
      return SOUP_STATUS_BAD_REQUEST;
    }
  ascending = g_strcmp0 (order, "asc") == 0;
  if (orderby_text == NULL || g_str_equal (orderby_text, "date") ||
      g_str_equal (orderby_text, "include") || g_str_equal (orderby_text, "title") ||
      g_str_equal (orderby_text, "slug"))
    orderby = SK_DEMO_WOO_BY_DATE;
  else if (g_str_equal (orderby_text, "id"))
    orderby = SK_DEMO_WOO_BY_ID;
  else if (g_str_equal (orderby_text, "modified"))
    orderby = SK_DEMO_WOO_BY_MODIFIED;
  else
    {
      *body = _sk_demo_woo_param_error ("orderby", "orderby is not one of date, id, include, title, slug, and modified.");
      return SOUP_STATUS_BAD_REQUEST;
    }
  if (gmt_text != NULL)
    {
      if (g_str_equal (gmt_text, "true") || g_str_equal (gmt_text, "1"))
        gmt = TRUE;
      else if (!g_str_equal (gmt_text, "false") && !g_str_equal (gmt_text, "0"))
        {
          *body = _sk_demo_woo_param_error ("dates_are_gmt", "dates_are_gmt is not of type boolean.");
          return SOUP_STATUS_BAD_REQUEST;
        }
    }
  if (!woo_date_param (query, "modified_after", gmt, &filter.modified_after, body) ||
      !woo_date_param (query, "modified_before", gmt, &filter.modified_before, body) ||
      !woo_date_param (query, "after", gmt, &filter.created_after, body) ||
      !woo_date_param (query, "before", gmt, &filter.created_before, body))
    return SOUP_STATUS_BAD_REQUEST;

  if (_sk_demo_query_param (query, "offset") == NULL)
    offset = (page - 1) * per_page;
  rows = g_new (guint, per_page);
  n = sk_demo_data_woo_list (book, &filter, orderby, ascending, (guint) MIN (offset, G_MAXUINT),
                             (guint) per_page, rows, &total);
  total_pages = (guint) ((total + per_page - 1) / per_page);
  if (_sk_demo_query_param (query, "offset") == NULL && page > total_pages && total > 0)
    {
      *body = _sk_demo_static_body (WOO_BODY_PAGE_RANGE);
      return SOUP_STATUS_BAD_REQUEST;
    }

  g_snprintf (number, sizeof number, "%u", total);
  soup_message_headers_replace (headers, "X-WP-Total", number);
  g_snprintf (number, sizeof number, "%u", total_pages);
  soup_message_headers_replace (headers, "X-WP-TotalPages", number);
  if (page > 1)
    append_woo_link (links, self, query, (guint) page - 1, "prev");
  if (page < total_pages)
    append_woo_link (links, self, query, (guint) page + 1, "next");
  if (links->len > 0)
    soup_message_headers_replace (headers, "Link", links->str);

  if (n > 0 && _sk_demo_shop_take_fault (self, SK_DEMO_FAULT_MALFORMED_ORDER))
    {
      malformed = n / 2;
      malform = self->fault_count[_sk_demo_fault_index (SK_DEMO_FAULT_MALFORMED_ORDER)] % 2 == 1
        ? SK_DEMO_MALFORM_BAD_TOTAL : SK_DEMO_MALFORM_NO_ID;
    }
  *body = g_string_sized_new (n * 4096 + 16);
  sk_demo_data_write_woo_orders (book, rows, n, malformed, malform, self->base_url, *body);
  return SOUP_STATUS_OK;
}

static GString *
woo_system_status (SkDemoShop *self)
{
  GString *body = g_string_sized_new (1024);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "environment");
  sk_demo_json_string (&w, "home_url", self->base_url);
  sk_demo_json_string (&w, "site_url", self->base_url);
  sk_demo_json_string (&w, "version", "8.9.3");
  sk_demo_json_string (&w, "wp_version", "6.5.5");
  sk_demo_json_bool (&w, "wp_multisite", FALSE);
  sk_demo_json_string (&w, "language", "en_GB");
  sk_demo_json_string (&w, "server_info", "Storekeep-Demo-Shop");
  sk_demo_json_string (&w, "php_version", "8.2.20");
  sk_demo_json_string (&w, "default_timezone", "UTC");
  sk_demo_json_end_object (&w);
  sk_demo_json_begin_object (&w, "settings");
  sk_demo_json_bool (&w, "api_enabled", TRUE);
  sk_demo_json_bool (&w, "force_ssl", FALSE);
  sk_demo_json_string (&w, "currency", "EUR");
  sk_demo_json_string (&w, "currency_symbol", "&euro;");
  sk_demo_json_string (&w, "currency_position", "right_space");
  sk_demo_json_string (&w, "thousand_separator", ".");
  sk_demo_json_string (&w, "decimal_separator", ",");
  sk_demo_json_int (&w, "number_of_decimals", 2);
  sk_demo_json_bool (&w, "geolocation_enabled", FALSE);
  sk_demo_json_end_object (&w);
  sk_demo_json_begin_object (&w, "security");
  sk_demo_json_bool (&w, "secure_connection", FALSE);
  sk_demo_json_bool (&w, "hide_errors", TRUE);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
  return body;
}

/* GET /wp-json and /wp-json/wc/v3: what the site offers (no keys needed). */
static GString *
woo_index (SkDemoShop *self,
           gboolean    root)
{
  GString *body = g_string_sized_new (512);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  if (root)
    {
      sk_demo_json_string (&w, "name", SK_DEMO_WOO_SITE_NAME);
      sk_demo_json_string (&w, "description", "Handwoven blankets and outdoor gear");
      sk_demo_json_string (&w, "url", self->base_url);
      sk_demo_json_string (&w, "home", self->base_url);
      sk_demo_json_int (&w, "gmt_offset", SK_DEMO_WOO_SITE_OFFSET_MINUTES / 60);
      sk_demo_json_string (&w, "timezone_string", "");
      sk_demo_json_raw (&w, "namespaces", "[\"wp/v2\",\"wc/v3\"]");
    }
  else
    {
      sk_demo_json_string (&w, "namespace", "wc/v3");
      sk_demo_json_raw (&w, "routes",
                        "{\"/wc/v3\":{\"methods\":[\"GET\"]},"
                        "\"/wc/v3/orders\":{\"methods\":[\"GET\",\"POST\"]},"
                        "\"/wc/v3/orders/(?P<id>[\\\\d]+)\":{\"methods\":[\"GET\",\"POST\",\"PUT\",\"PATCH\",\"DELETE\"]},"
                        "\"/wc/v3/system_status\":{\"methods\":[\"GET\"]}}");
    }
  sk_demo_json_end_object (&w);
  return body;
}

/* GET /wp-json/wc/v3/orders/ID */
static guint
serve_woo_order (SkDemoShop  *self,
                 const char  *id_text,
                 GString    **body)
{
  SkDemoData *book = _sk_demo_shop_woo_book (self);
  guint64 id = 0;
  guint row;
  SkDemoJson w;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXUINT64, &id, NULL) ||
      !sk_demo_data_woo_find (book, id, &row))
    {
      *body = _sk_demo_static_body (WOO_BODY_INVALID_ID);
      return SOUP_STATUS_NOT_FOUND;
    }
  *body = g_string_sized_new (4096);
  sk_demo_json_init (&w, *body);
  sk_demo_data_write_woo_order (book, row, self->base_url, &w, SK_DEMO_MALFORM_NONE);
  return SOUP_STATUS_OK;
}

/* The digits at *@p up to the next '/' or the end, moved past. */
static gboolean
take_id (const char **p,
         guint64     *id)
{
  gsize n = strspn (*p, "0123456789");
  g_autofree char *digits = NULL;

  if (n == 0 || ((*p)[n] != '\0' && (*p)[n] != '/'))
    return FALSE;
  digits = g_strndup (*p, n);
  *p += n;
  return g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, id, NULL);
}

/* PUT/POST/PATCH /orders/ID: only the status is taken. */
static guint
update_woo_order (SkDemoShop         *self,
                  SoupServerMessage  *msg,
                  guint64             id,
                  GString           **body)
{
  SkDemoData *book = _sk_demo_shop_woo_book (self);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = _sk_demo_request_object (msg, &root);
  const char *status;
  guint row;
  SkDemoJson w;

  if (!sk_demo_data_woo_find (book, id, &row))
    {
      *body = _sk_demo_static_body (WOO_BODY_INVALID_ID);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (object == NULL)
    {
      *body = _sk_demo_woo_param_error ("body", "The request body is not a JSON object.");
      return SOUP_STATUS_BAD_REQUEST;
    }
  status = json_object_get_string_member_with_default (object, "status", NULL);
  if (status != NULL)
    {
      SkDemoWooStatus code = sk_demo_woo_status_from_code (status);

      if (code != SK_DEMO_WOO_COMPLETED && code != sk_demo_data_woo_status (book, row))
        {
          /* the demo keeps its own story: only completing is taken */
          *body = _sk_demo_woo_param_error ("status", "The demo shop only completes orders.");
          return SOUP_STATUS_BAD_REQUEST;
        }
      if (code == SK_DEMO_WOO_COMPLETED)
        sk_demo_data_woo_complete (book, row, sk_time_now ());
    }
  *body = g_string_sized_new (4096);
  sk_demo_json_init (&w, *body);
  sk_demo_data_write_woo_order (book, row, self->base_url, &w, SK_DEMO_MALFORM_NONE);
  return SOUP_STATUS_OK;
}

/* GET and POST /orders/ID/notes, GET /orders/ID/notes/NOTE */
static guint
serve_woo_notes (SkDemoShop         *self,
                 SoupServerMessage  *msg,
                 const char         *method,
                 guint64             id,
                 guint64             note_id,
                 GString           **body)
{
  SkDemoData *book = _sk_demo_shop_woo_book (self);
  guint row;

  if (!sk_demo_data_woo_find (book, id, &row))
    {
      *body = _sk_demo_static_body (WOO_BODY_INVALID_ID);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (g_str_equal (method, SOUP_METHOD_POST) && note_id == 0)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object = _sk_demo_request_object (msg, &root);
      const char *text = object != NULL
        ? json_object_get_string_member_with_default (object, "note", NULL) : NULL;

      if (text == NULL || *text == '\0')
        {
          *body = _sk_demo_static_body (WOO_BODY_MISSING_NOTE);
          return SOUP_STATUS_BAD_REQUEST;
        }
      note_id = sk_demo_data_woo_add_note (book, row, text,
                                           object != NULL &&
                                           json_object_get_boolean_member_with_default (object, "customer_note", FALSE),
                                           sk_time_now ());
      *body = g_string_new (NULL);
      sk_demo_data_woo_write_notes (book, row, note_id, *body);
      return SOUP_STATUS_CREATED;
    }
  if (!g_str_equal (method, SOUP_METHOD_GET))
    {
      *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }
  *body = g_string_new (NULL);
  if (!sk_demo_data_woo_write_notes (book, row, note_id, *body))
    {
      g_string_assign (*body, WOO_BODY_INVALID_NOTE);
      return SOUP_STATUS_NOT_FOUND;
    }
  return SOUP_STATUS_OK;
}

/* @route is the path after /wp-json. */
guint
_sk_demo_shop_serve_woo (SkDemoShop         *self,
                         SoupServerMessage  *msg,
                         const char         *route,
                         GHashTable         *query,
                         GString           **body)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean update = g_strcmp0 (method, SOUP_METHOD_PUT) == 0 ||
                    g_strcmp0 (method, SOUP_METHOD_POST) == 0 ||
                    g_strcmp0 (method, "PATCH") == 0;
  const char *rest;
  const char *p;
  guint64 id = 0, note_id = 0;
  guint status;

  if (get && (*route == '\0' || g_str_equal (route, "/")))
    {
      *body = woo_index (self, TRUE);
      return SOUP_STATUS_OK;
    }
  if (get && (g_str_equal (route, "/wc/v3") || g_str_equal (route, "/wc/v3/")))
    {
      *body = woo_index (self, FALSE);
      return SOUP_STATUS_OK;
    }
  if (!g_str_has_prefix (route, "/wc/v3/"))
    {
      *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }

  rest = route + strlen ("/wc/v3/");
  if (g_str_equal (rest, "products") || g_str_has_prefix (rest, "products/"))
    {
      if ((status = woo_check_auth (msg, body)) != 0)
        return status;
      return _sk_demo_shop_serve_woo_products (self, msg, method, rest + strlen ("products"),
                                               query, body);
    }
  if (get && (g_str_equal (rest, "orders") || g_str_equal (rest, "system_status")))
    {
      if ((status = woo_check_auth (msg, body)) != 0)
        return status;
      if (g_str_equal (rest, "orders"))
        return serve_woo_orders (self, msg, query, body);
      *body = woo_system_status (self);
      return SOUP_STATUS_OK;
    }
  p = rest + strlen ("orders/");
  if (!g_str_has_prefix (rest, "orders/") || !take_id (&p, &id))
    {
      *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
      return SOUP_STATUS_NOT_FOUND;
    }
  if (*p == '\0' && (get || update))
    {
      if ((status = woo_check_auth (msg, body)) != 0)
        return status;
      if (get)
        return serve_woo_order (self, rest + strlen ("orders/"), body);
      return update_woo_order (self, msg, id, body);
    }
  if (g_str_has_prefix (p, "/notes"))
    {
      const char *n = p + strlen ("/notes");

      if (*n == '\0' || (*n == '/' && (n++, take_id (&n, &note_id)) && *n == '\0'))
        {
          if ((status = woo_check_auth (msg, body)) != 0)
            return status;
          return serve_woo_notes (self, msg, method, id, note_id, body);
        }
    }
  *body = _sk_demo_static_body (WOO_BODY_NO_ROUTE);
  return SOUP_STATUS_NOT_FOUND;
}
