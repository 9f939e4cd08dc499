/* sk-demo-shop.c: an in-process shop server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SoupServer lives on its own thread with its own GMainContext, so a
 * client on any other thread (even a synchronous one) can talk to it. The
 * order book (SkDemoData), the fault switches and the leaky bucket are
 * shared with the caller's thread under one mutex.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sk-demo-data.h"
#include "sk-amazon-channel.h"
#include "sk-demo-shop.h"
#include "sk-shopify-normalize.h"
#include "sk-time.h"
#include "sk-woo-normalize.h"

#include "sk-demo-shop-private.h"

G_DEFINE_FINAL_TYPE (SkDemoShop, sk_demo_shop, G_TYPE_OBJECT)

typedef struct {
  SkDemoShop        *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  GSource           *source;
} Pending;

typedef struct {
  guint  n_new;
  guint  n_updates;
  gint64 now;
} Advance;

static gint64
demo_now (void)
{
  return sk_time_now ();
}

/* The books move on together, the Amazon one by a third. Call with the
 * lock held. */
static void
advance_locked (SkDemoShop *self,
                guint       n_new,
                guint       n_updates,
                gint64      now)
{
  Advance step = { n_new, n_updates, now };

  sk_demo_data_advance (self->data, n_new, n_updates, now);
  if (self->woo_data != NULL)
    sk_demo_data_advance (self->woo_data, n_new, n_updates, now);
  else
    g_array_append_val (self->woo_log, step);
  if (self->amazon_data != NULL)
    sk_demo_data_advance (self->amazon_data, AMAZON_SHARE (n_new), AMAZON_SHARE (n_updates), now);
  else
    g_array_append_val (self->amazon_log, step);
}

/* The WooCommerce book, the same it would be had it been made with the
 * shop: most users of the demo shop never ask for it. Call with the lock
 * held. */
SkDemoData *
_sk_demo_shop_woo_book (SkDemoShop *self)
{
  if (self->woo_data != NULL)
    return self->woo_data;
  self->woo_data = sk_demo_data_new (self->seed ^ WOO_SEED_SALT, self->n_initial,
                                     self->created_now);
  for (guint i = 0; i < self->woo_log->len; i++)
    {
      const Advance *step = &g_array_index (self->woo_log, Advance, i);

      sk_demo_data_advance (self->woo_data, step->n_new, step->n_updates, step->now);
    }
  g_array_set_size (self->woo_log, 0);
  return self->woo_data;
}

/* The Amazon seller's book, made the same way. Call with the lock held. */
SkDemoData *
_sk_demo_shop_amazon_book (SkDemoShop *self)
{
  if (self->amazon_data != NULL)
    return self->amazon_data;
  self->amazon_data = sk_demo_data_new (self->seed ^ AMAZON_SEED_SALT,
                                        AMAZON_SHARE (self->n_initial), self->created_now);
  for (guint i = 0; i < self->amazon_log->len; i++)
    {
      const Advance *step = &g_array_index (self->amazon_log, Advance, i);

      sk_demo_data_advance (self->amazon_data, AMAZON_SHARE (step->n_new),
                            AMAZON_SHARE (step->n_updates), step->now);
    }
  g_array_set_size (self->amazon_log, 0);
  return self->amazon_data;
}

/* Takes one firing of a counted fault. Call with the lock held. */
gboolean
_sk_demo_shop_take_fault (SkDemoShop  *self,
            SkDemoFault  fault)
{
  guint i = _sk_demo_fault_index (fault);

  if (self->fault_count[i] == 0)
    return FALSE;
  self->fault_count[i]--;
  return TRUE;
}

/* The leaky bucket. Call with the lock held. */

static void
bucket_leak (SkDemoShop *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 leaked = (now - self->level_at) * self->leak_per_second / 1000;

  self->level_milli = MAX (0, self->level_milli - leaked);
  self->level_at = now;
}

static gboolean
bucket_take (SkDemoShop *self)
{
  bucket_leak (self);
  if (self->bucket == 0)
    return TRUE;
  if (self->level_milli + 1000 > (gint64) self->bucket * 1000)
    return FALSE;
  self->level_milli += 1000;
  return TRUE;
}

static void
set_call_limit_header (SkDemoShop         *self,
                       SoupMessageHeaders *headers)
{
  char value[32];
  gint64 used;

  bucket_leak (self);
  used = (self->level_milli + 999) / 1000;
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT "/%u", used, self->bucket);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Api-Call-Limit", value);
}

/* Responses */

static void
set_body (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          GString           *body)
{
  gsize len = body->len;

  if (status == SOUP_STATUS_NO_CONTENT)
    {
      soup_server_message_set_status (msg, status, NULL);
      g_string_free (body, TRUE);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
}

GString *
_sk_demo_static_body (const char *text)
{
  return g_string_new (text);
}

GString *
_sk_demo_param_error (const char *param,
             const char *message)
{
  GString *body = g_string_new (NULL);
  SkDemoJson w;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "errors");
  sk_demo_json_string (&w, param, message);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
  return body;
}

static GString *
shop_body (SkDemoShop *self)
{
  GString *body = g_string_sized_new (2048);
  SkDemoJson w;
  gint64 since = sk_demo_data_get_now (self->data) - 3 * 365 * 86400;

  sk_demo_json_init (&w, body);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_object (&w, "shop");
  sk_demo_json_uint (&w, "id", G_GUINT64_CONSTANT (60123456789));
  sk_demo_json_string (&w, "name", "Demo Outfitters");
  sk_demo_json_string (&w, "email", "owner@demo-outfitters.example");
  sk_demo_json_string (&w, "domain", DEMO_DOMAIN);
  sk_demo_json_string (&w, "province", "Kentucky");
  sk_demo_json_string (&w, "country", "US");
  sk_demo_json_string (&w, "address1", "92 Chestnut Street");
  sk_demo_json_string (&w, "zip", "40202");
  sk_demo_json_string (&w, "city", "Louisville");
  sk_demo_json_null (&w, "source");
  sk_demo_json_string (&w, "phone", "+1 502-555-0100");
  sk_demo_json_raw (&w, "latitude", "38.2527");
  sk_demo_json_raw (&w, "longitude", "-85.7585");
  sk_demo_json_string (&w, "primary_locale", "en");
  sk_demo_json_string (&w, "address2", "");
  sk_demo_json_time (&w, "created_at", since, -300);
  sk_demo_json_time (&w, "updated_at", since + 86400, -300);
  sk_demo_json_string (&w, "country_code", "US");
  sk_demo_json_string (&w, "country_name", "United States");
  sk_demo_json_string (&w, "currency", "USD");
  sk_demo_json_string (&w, "customer_email", "hello@demo-outfitters.example");
  sk_demo_json_string (&w, "timezone", "(GMT-05:00) Eastern Time (US & Canada)");
  sk_demo_json_string (&w, "iana_timezone", "America/New_York");
  sk_demo_json_string (&w, "shop_owner", "Bob Norman");
  sk_demo_json_string (&w, "money_format", "${{amount}}");
  sk_demo_json_string (&w, "money_with_currency_format", "${{amount}} USD");
  sk_demo_json_string (&w, "weight_unit", "kg");
  sk_demo_json_string (&w, "province_code", "KY");
  sk_demo_json_bool (&w, "taxes_included", FALSE);
  sk_demo_json_null (&w, "tax_shipping");
  sk_demo_json_bool (&w, "county_taxes", TRUE);
  sk_demo_json_string (&w, "plan_display_name", "Basic");
  sk_demo_json_string (&w, "plan_name", "basic");
  sk_demo_json_bool (&w, "has_discounts", TRUE);
  sk_demo_json_bool (&w, "has_gift_cards", FALSE);
  sk_demo_json_string (&w, "myshopify_domain", DEMO_DOMAIN);
  sk_demo_json_string (&w, "money_in_emails_format", "${{amount}}");
  sk_demo_json_string (&w, "money_with_currency_in_emails_format", "${{amount}} USD");
  sk_demo_json_bool (&w, "eligible_for_payments", TRUE);
  sk_demo_json_bool (&w, "password_enabled", FALSE);
  sk_demo_json_bool (&w, "has_storefront", TRUE);
  sk_demo_json_bool (&w, "finances", TRUE);
  sk_demo_json_uint (&w, "primary_location_id", G_GUINT64_CONSTANT (71234567890));
  sk_demo_json_bool (&w, "checkout_api_supported", TRUE);
  sk_demo_json_bool (&w, "multi_location_enabled", TRUE);
  sk_demo_json_bool (&w, "setup_required", FALSE);
  sk_demo_json_bool (&w, "pre_launch_enabled", FALSE);
  sk_demo_json_raw (&w, "enabled_presentment_currencies", "[\"USD\",\"CAD\",\"GBP\",\"EUR\",\"JPY\"]");
  sk_demo_json_end_object (&w);
  sk_demo_json_end_object (&w);
  return body;
}

JsonObject *
_sk_demo_request_object (SoupServerMessage *msg,
                         JsonNode         **out_root)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  *out_root = NULL;
  if (request == NULL || request->data == NULL || request->length == 0 ||
      !json_parser_load_from_data (parser, request->data, (gssize) request->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *out_root = json_node_copy (root);
  return json_node_get_object (*out_root);
}

/* Query parameters */

static gboolean
parse_time_param (GHashTable  *query,
                  const char  *name,
                  gint64      *out,
                  GString    **error_body)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;

  *out = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      *error_body = _sk_demo_param_error (name, "is invalid");
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
parse_filter (GHashTable    *query,
              SkDemoFilter  *filter,
              GString      **error_body)
{
  const char *status = query != NULL ? g_hash_table_lookup (query, "status") : NULL;

  memset (filter, 0, sizeof *filter);
  if (status == NULL || g_str_equal (status, "open"))
    filter->status = SK_DEMO_STATUS_OPEN;
  else if (g_str_equal (status, "any"))
    filter->status = SK_DEMO_STATUS_ANY;
  else if (g_str_equal (status, "closed"))
    filter->status = SK_DEMO_STATUS_CLOSED;
  else if (g_str_equal (status, "cancelled"))
    filter->status = SK_DEMO_STATUS_CANCELLED;
  else
    {
      *error_body = _sk_demo_param_error ("status", "is invalid");
      return FALSE;
    }
  return parse_time_param (query, "updated_at_min", &filter->updated_at_min, error_body) &&
         parse_time_param (query, "updated_at_max", &filter->updated_at_max, error_body) &&
         parse_time_param (query, "created_at_min", &filter->created_at_min, error_body) &&
         parse_time_param (query, "created_at_max", &filter->created_at_max, error_body);
}

/* page_info: base64url of "1|direction|status|updated_at_min|updated_at_max|
 * created_at_min|created_at_max|cursor_updated_at|cursor_id", so a page
 * carries its filters and its position by key, not by offset: paging stays
 * stable while orders are added and updated. */

static char *
encode_page_info (const SkDemoFilter *f,
                  gboolean            forward,
                  gint64              updated_at,
                  guint64             id)
{
  g_autofree char *plain = NULL;
  char *token;
  gsize len;

  plain = g_strdup_printf ("1|%s|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%"
                           G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                           "|%" G_GUINT64_FORMAT,
                           forward ? "next" : "prev", (int) f->status,
                           f->updated_at_min, f->updated_at_max,
                           f->created_at_min, f->created_at_max, updated_at, id);
  token = g_base64_encode ((const guchar *) plain, strlen (plain));
  for (char *p = token; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  len = strlen (token);
  while (len > 0 && token[len - 1] == '=')
    token[--len] = '\0';
  return token;
}

static gboolean
decode_page_info (const char   *token,
                  SkDemoFilter *f,
                  gboolean     *forward,
                  gint64       *updated_at,
                  guint64      *id)
{
  g_autoptr(GString) b64 = g_string_new (token);
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gint64 v[6];
  gint64 status;
  gsize len;

  for (gsize i = 0; i < b64->len; i++)
    {
      char c = b64->str[i];

      if (c == '-')
        b64->str[i] = '+';
      else if (c == '_')
        b64->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return FALSE;
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  plain = g_base64_decode (b64->str, &len);
  if (plain == NULL || len == 0 || len > 256)
    return FALSE;
  text = g_strndup ((const char *) plain, len);
  parts = g_strsplit (text, "|", -1);
  if (g_strv_length (parts) != 9 || !g_str_equal (parts[0], "1"))
    return FALSE;
  if (g_str_equal (parts[1], "next"))
    *forward = TRUE;
  else if (g_str_equal (parts[1], "prev"))
    *forward = FALSE;
  else
    return FALSE;
  if (!g_ascii_string_to_signed (parts[2], 10, SK_DEMO_STATUS_OPEN, SK_DEMO_STATUS_ANY,
                                 &status, NULL))
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_string_to_signed (parts[3 + i], 10, G_MININT64, G_MAXINT64, &v[i], NULL))
      return FALSE;
  if (!g_ascii_string_to_unsigned (parts[8], 10, 0, G_MAXUINT64, id, NULL))
    return FALSE;
  memset (f, 0, sizeof *f);
  f->status = (SkDemoStatus) status;
  f->updated_at_min = v[0];
  f->updated_at_max = v[1];
  f->created_at_min = v[2];
  f->created_at_max = v[3];
  *updated_at = v[4];
  return TRUE;
}

static void
append_link (GString            *links,
             SkDemoShop         *self,
             const char         *version,
             guint               limit,
             const char         *fields,
             const SkDemoFilter *f,
             gboolean            forward,
             guint               row)
{
  g_autofree char *token = NULL;
  gint64 updated_at;
  guint64 id;

  sk_demo_data_get_key (self->data, row, &updated_at, &id);
  token = encode_page_info (f, forward, updated_at, id);
  if (links->len > 0)
    g_string_append (links, ", ");
  g_string_append_printf (links, "<%s/admin/api/%s/orders.json?limit=%u", self->base_url, version, limit);
  if (fields != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (fields, ",", FALSE);

      g_string_append_printf (links, "&fields=%s", escaped);
    }
  g_string_append_printf (links, "&page_info=%s>; rel=\"%s\"", token, forward ? "next" : "previous");
}

/* GET orders.json and orders/count.json. Call with the lock held. */
static guint
serve_orders (SkDemoShop         *self,
              SoupServerMessage  *msg,
              const char         *version,
              GHashTable         *query,
              gboolean            count_only,
              GString           **body)
{
  SkDemoFilter filter;
  const char *page_info = query != NULL ? g_hash_table_lookup (query, "page_info") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *fields = query != NULL ? g_hash_table_lookup (query, "fields") : NULL;
  gboolean forward = TRUE;
  gint64 cursor_updated_at = G_MININT64;
  guint64 cursor_id = 0;
  guint64 limit = DEFAULT_LIMIT;
  guint rows[MAX_LIMIT];
  gboolean more_before = FALSE, more_after = FALSE;
  guint n;
  guint malformed = G_MAXUINT;
  SkDemoMalform malform = SK_DEMO_MALFORM_NONE;
  g_autoptr(GString) links = NULL;

  if (page_info != NULL && !count_only)
    {
      GHashTableIter iter;
      const char *key;

      /* Shopify: a request with page_info takes no other filter */
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        if (!g_str_equal (key, "page_info") && !g_str_equal (key, "limit") &&
            !g_str_equal (key, "fields"))
          {
            g_autofree char *message =
              g_strdup_printf ("%s cannot be passed when page_info is present. See "
                               "https://shopify.dev/api/usage/pagination-rest for more "
                               "information.", key);

            *body = _sk_demo_param_error (key, message);
            return SOUP_STATUS_BAD_REQUEST;
          }
      if (!decode_page_info (page_info, &filter, &forward, &cursor_updated_at, &cursor_id))
        {
          *body = _sk_demo_param_error ("page_info", "Invalid value.");
          return SOUP_STATUS_BAD_REQUEST;
        }
    }
  else if (!parse_filter (query, &filter, body))
    return SOUP_STATUS_BAD_REQUEST;

  if (count_only)
    {
      *body = g_string_new (NULL);
      g_string_append_printf (*body, "{\"count\":%u}", sk_demo_data_count (self->data, &filter));
      return SOUP_STATUS_OK;
    }

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 0, G_MAXUINT64, &limit, NULL))
    {
      *body = _sk_demo_param_error ("limit", "is invalid");
      return SOUP_STATUS_BAD_REQUEST;
    }
  limit = CLAMP (limit, 1, MAX_LIMIT);

  n = sk_demo_data_page (self->data, &filter, forward, cursor_updated_at, cursor_id,
                         (guint) limit, rows, &more_before, &more_after);
  if (n > 0 && _sk_demo_shop_take_fault (self, SK_DEMO_FAULT_MALFORMED_ORDER))
    {
      /* the middle order of the page, broken one way then the other */
      malformed = n / 2;
      malform = self->fault_count[_sk_demo_fault_index (SK_DEMO_FAULT_MALFORMED_ORDER)] % 2 == 1
        ? SK_DEMO_MALFORM_BAD_TOTAL : SK_DEMO_MALFORM_NO_ID;
    }
  *body = g_string_sized_new (n * 6144 + 64);
  sk_demo_data_write_orders (self->data, rows, n, malformed, malform, *body);

  links = g_string_new (NULL);
  if (n > 0 && more_before)
    append_link (links, self, version, (guint) limit, fields, &filter, FALSE, rows[0]);
  if (n > 0 && more_after)
    append_link (links, self, version, (guint) limit, fields, &filter, TRUE, rows[n - 1]);
  if (links->len > 0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Link", links->str);
  return SOUP_STATUS_OK;
}


static void
respond (SkDemoShop        *self,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *token;
  const char *content_type = JSON_TYPE;
  g_autofree char *version = NULL;
  const char *rest = NULL;
  GString *body = NULL;
  guint status = SOUP_STATUS_OK;
  char request_id[48];
  gboolean woo = g_str_has_prefix (path, "/wp-json") &&
                 (path[strlen ("/wp-json")] == '\0' || path[strlen ("/wp-json")] == '/');
  gboolean lwa = FALSE;
  gboolean amazon = !woo && _sk_demo_shop_is_amazon (path, &lwa);

  if (woo)
    content_type = WOO_JSON_TYPE;
  g_snprintf (request_id, sizeof request_id, "demo-%08x",
              (guint) g_atomic_int_get (&self->request_count));
  soup_message_headers_replace (headers, "X-Request-Id", request_id);

  if (g_str_has_prefix (path, "/admin/api/"))
    {
      const char *start = path + strlen ("/admin/api/");
      const char *slash = strchr (start, '/');

      if (slash != NULL && slash > start)
        {
          version = g_strndup (start, slash - start);
          rest = slash + 1;
        }
    }

  g_mutex_lock (&self->lock);

  if (_sk_demo_shop_take_fault (self, SK_DEMO_FAULT_NOT_JSON))
    {
      status = SOUP_STATUS_BAD_GATEWAY;
      content_type = "text/html";
      body = _sk_demo_static_body (BODY_BAD_GATEWAY);
    }
  else if (_sk_demo_shop_take_fault (self, SK_DEMO_FAULT_500))
    {
      status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      body = _sk_demo_static_body (woo ? WOO_BODY_SERVER_ERROR
                                   : lwa ? LWA_BODY_SERVER_ERROR
                                   : amazon ? AMAZON_BODY_SERVER_ERROR : BODY_SERVER_ERROR);
    }
  else if (_sk_demo_shop_take_fault (self, SK_DEMO_FAULT_429))
    {
      status = STATUS_TOO_MANY_REQUESTS;
      soup_message_headers_replace (headers, "Retry-After", "1");
      body = _sk_demo_static_body (woo ? WOO_BODY_THROTTLED
                                   : lwa ? LWA_BODY_THROTTLED
                                   : amazon ? AMAZON_BODY_THROTTLED : BODY_THROTTLED);
    }
  else if (_sk_demo_shop_take_fault (self, SK_DEMO_FAULT_429_NO_RETRY_AFTER))
    {
      status = STATUS_TOO_MANY_REQUESTS;
      body = _sk_demo_static_body (woo ? WOO_BODY_THROTTLED
                                   : lwa ? LWA_BODY_THROTTLED
                                   : amazon ? AMAZON_BODY_THROTTLED : BODY_THROTTLED);
    }
  else if (woo)
    status = _sk_demo_shop_serve_woo (self, msg, path + strlen ("/wp-json"), query, &body);
  else if (amazon)
    status = _sk_demo_shop_serve_amazon (self, msg, path, query, &body);
  else if (version == NULL)
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = _sk_demo_static_body (BODY_NOT_FOUND);
    }
  else if ((token = soup_message_headers_get_one (request_headers, "X-Shopify-Access-Token")) == NULL ||
           !g_str_equal (token, SK_DEMO_SHOP_TOKEN))
    {
      status = SOUP_STATUS_UNAUTHORIZED;
      body = _sk_demo_static_body (BODY_UNAUTHORIZED);
    }
  else if (!bucket_take (self))
    {
      status = STATUS_TOO_MANY_REQUESTS;
      soup_message_headers_replace (headers, "Retry-After", "2.0");
      body = _sk_demo_static_body (BODY_THROTTLED);
    }
  else if ((status = _sk_demo_shop_serve_fulfillments (self, msg, method, rest, &body)) != 0 ||
           (status = _sk_demo_shop_serve_catalog (self, msg, method, version, rest, query,
                                                  &body)) != 0)
    ;
  else if (g_strcmp0 (method, SOUP_METHOD_GET) != 0)
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = _sk_demo_static_body (BODY_NOT_FOUND);
    }
  else if (g_str_equal (rest, "shop.json"))
    {
      status = SOUP_STATUS_OK;
      body = shop_body (self);
    }
  else if (g_str_equal (rest, "orders.json"))
    status = serve_orders (self, msg, version, query, FALSE, &body);
  else if (g_str_equal (rest, "orders/count.json"))
    status = serve_orders (self, msg, version, query, TRUE, &body);
  else
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = _sk_demo_static_body (BODY_NOT_FOUND);
    }

  if (version != NULL)
    soup_message_headers_replace (headers, "X-Shopify-API-Version", version);
  if (body->len > 1 && _sk_demo_shop_take_fault (self, SK_DEMO_FAULT_TRUNCATED))
    g_string_truncate (body, body->len / 2);
  if (!woo && !amazon)
    set_call_limit_header (self, headers);
  if (amazon && !lwa)
    {
      char amzn_id[48];

      g_snprintf (amzn_id, sizeof amzn_id, "6f1c2d3e-0000-4000-8000-%012x",
                  (guint) g_atomic_int_get (&self->request_count));
      soup_message_headers_replace (headers, "x-amzn-RequestId", amzn_id);
      soup_message_headers_replace (headers, "x-amzn-RateLimit-Limit", AMAZON_RATE_LIMIT);
    }

  g_mutex_unlock (&self->lock);

  set_body (msg, status, content_type, body);
}

static void
pending_free (Pending *p)
{
  if (p->source != NULL)
    {
      g_source_destroy (p->source);
      g_source_unref (p->source);
    }
  g_clear_object (&p->msg);
  g_clear_pointer (&p->query, g_hash_table_unref);
  g_free (p->path);
  g_free (p);
}

static gboolean
on_slow_done (gpointer user_data)
{
  Pending *p = user_data;
  SkDemoShop *self = p->self;

  self->pending = g_list_remove (self->pending, p);
  respond (self, p->msg, p->path, p->query);
  soup_server_message_unpause (p->msg);
  pending_free (p);
  return G_SOURCE_REMOVE;
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SkDemoShop *self = user_data;
  guint delay = 0;

  g_atomic_int_inc (&self->request_count);

  g_mutex_lock (&self->lock);
  if (self->slow)
    delay = self->slow_ms;
  g_mutex_unlock (&self->lock);

  if (delay > 0)
    {
      /* answer later from a timeout on this thread: the server keeps
       * serving other requests meanwhile */
      Pending *p = g_new0 (Pending, 1);

      p->self = self;
      p->msg = g_object_ref (msg);
      p->path = g_strdup (path);
      p->query = query != NULL ? g_hash_table_ref (query) : NULL;
      p->source = g_timeout_source_new (delay);
      g_source_set_callback (p->source, on_slow_done, p, NULL);
      g_source_attach (p->source, self->context);
      self->pending = g_list_prepend (self->pending, p);
      soup_server_message_pause (msg);
      return;
    }
  respond (self, msg, path, query);
}

/* The server thread */

static gpointer
server_thread (gpointer user_data)
{
  SkDemoShop *self = user_data;
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  server = soup_server_new ("server-header", "Storekeep-Demo-Shop", NULL);
  soup_server_add_handler (server, NULL, on_request, self, NULL);
  ok = soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);

  g_mutex_lock (&self->lock);
  if (ok)
    {
      GSList *uris = soup_server_get_uris (server);

      self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      self->lwa_url = g_strconcat (self->base_url, SK_DEMO_AMAZON_LWA_PATH, NULL);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }
  else
    self->start_error = g_steal_pointer (&error);
  self->started = TRUE;
  g_cond_broadcast (&self->started_cond);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_main_loop_run (self->loop);

  while (self->pending != NULL)
    {
      Pending *p = self->pending->data;

      self->pending = g_list_delete_link (self->pending, self->pending);
      pending_free (p);
    }
  soup_server_disconnect (server);
  g_object_unref (server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
on_quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_live_tick (gpointer user_data)
{
  SkDemoShop *self = user_data;

  g_mutex_lock (&self->lock);
  self->live_ticks++;
  advance_locked (self, 1 + self->live_ticks % 3, self->live_ticks % 4 == 0 ? 0 : 2,
                  demo_now ());
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

/* Call with the lock held. */
static void
update_live_source (SkDemoShop *self)
{
  if (self->live_source != NULL)
    {
      g_source_destroy (self->live_source);
      g_clear_pointer (&self->live_source, g_source_unref);
    }
  if (self->live_interval_ms == 0 || self->thread == NULL)
    return;
  self->live_source = g_timeout_source_new (self->live_interval_ms);
  g_source_set_callback (self->live_source, on_live_tick, self, NULL);
  g_source_attach (self->live_source, self->context);
}

/* GObject */

static void
sk_demo_shop_dispose (GObject *object)
{
  SkDemoShop *self = SK_DEMO_SHOP (object);

  sk_demo_shop_stop (self);

  G_OBJECT_CLASS (sk_demo_shop_parent_class)->dispose (object);
}

static void
sk_demo_shop_finalize (GObject *object)
{
  SkDemoShop *self = SK_DEMO_SHOP (object);

  g_assert (self->thread == NULL);
  g_clear_pointer (&self->data, sk_demo_data_free);
  g_clear_pointer (&self->woo_data, sk_demo_data_free);
  g_clear_pointer (&self->woo_log, g_array_unref);
  g_clear_pointer (&self->amazon_data, sk_demo_data_free);
  g_clear_pointer (&self->amazon_log, g_array_unref);
  _sk_demo_shop_catalog_free (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_free (self->base_url);
  g_free (self->lwa_url);
  g_cond_clear (&self->started_cond);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sk_demo_shop_parent_class)->finalize (object);
}

static void
sk_demo_shop_class_init (SkDemoShopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_demo_shop_dispose;
  object_class->finalize = sk_demo_shop_finalize;
}

static void
sk_demo_shop_init (SkDemoShop *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->started_cond);
  self->context = g_main_context_new ();
  self->bucket = 40;
  self->leak_per_second = 2;
  self->level_at = g_get_monotonic_time ();
  self->woo_log = g_array_new (FALSE, FALSE, sizeof (Advance));
  self->amazon_log = g_array_new (FALSE, FALSE, sizeof (Advance));
  _sk_demo_shop_catalog_init (self);
}

/* Public API */

SkDemoShop *
sk_demo_shop_new (guint64 seed,
                  guint   n_orders)
{
  SkDemoShop *self = g_object_new (SK_TYPE_DEMO_SHOP, NULL);

  self->seed = seed;
  self->n_initial = n_orders;
  self->created_now = demo_now ();
  self->data = sk_demo_data_new (seed, n_orders, self->created_now);
  return self;
}

gboolean
sk_demo_shop_start (SkDemoShop  *self,
                    GError     **error)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->thread != NULL)
    return TRUE;

  g_mutex_lock (&self->lock);
  self->started = FALSE;
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->lwa_url, g_free);
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("sk-demo-shop", server_thread, self);
  while (!self->started)
    g_cond_wait (&self->started_cond, &self->lock);
  if (self->start_error != NULL)
    {
      GError *start_error = g_steal_pointer (&self->start_error);

      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      /* the reason comes from GIO, already a sentence */
      g_propagate_prefixed_error (error, start_error, "%s ",
                                  _("The demo shop could not start on this computer."));
      return FALSE;
    }
  update_live_source (self);
  g_mutex_unlock (&self->lock);
  g_debug ("Demo shop listening on %s", self->base_url);
  return TRUE;
}

void
sk_demo_shop_stop (SkDemoShop *self)
{
  GSource *quit;

  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  if (self->live_source != NULL)
    {
      g_source_destroy (self->live_source);
      g_clear_pointer (&self->live_source, g_source_unref);
    }
  g_mutex_unlock (&self->lock);

  /* an idle rather than g_main_loop_quit() directly: it also works when
   * the thread has not entered the loop yet */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, on_quit, self->loop, NULL);
  g_source_attach (quit, self->context);
  g_source_unref (quit);

  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->lwa_url, g_free);
  g_mutex_unlock (&self->lock);
}

const char *
sk_demo_shop_get_base_url (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  return self->base_url;
}

const char *
sk_demo_shop_get_domain (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  return DEMO_DOMAIN;
}

const char *
sk_demo_shop_get_woo_site (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  return SK_DEMO_WOO_SITE;
}

const char *
sk_demo_shop_get_amazon_seller (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  return SK_DEMO_AMAZON_SELLER_ID;
}

const char *
sk_demo_shop_get_amazon_lwa_url (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  return self->lwa_url;
}

char *
sk_demo_shop_dup_amazon_settings (SkDemoShop *self)
{
  const char *marketplaces[] = { SK_DEMO_AMAZON_MARKETPLACE_US, SK_DEMO_AMAZON_MARKETPLACE_CA, NULL };

  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), NULL);

  if (self->lwa_url == NULL)
    return NULL;
  return sk_amazon_channel_build_settings (marketplaces, "na", self->lwa_url);
}

guint
sk_demo_shop_get_amazon_n_orders (SkDemoShop *self)
{
  guint n;

  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), 0);

  g_mutex_lock (&self->lock);
  n = sk_demo_data_get_n_orders (_sk_demo_shop_amazon_book (self));
  g_mutex_unlock (&self->lock);
  return n;
}

guint
sk_demo_shop_get_n_orders (SkDemoShop *self)
{
  guint n;

  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), 0);

  g_mutex_lock (&self->lock);
  n = sk_demo_data_get_n_orders (self->data);
  g_mutex_unlock (&self->lock);
  return n;
}

void
sk_demo_shop_inject_fault (SkDemoShop  *self,
                           SkDemoFault  fault,
                           guint        count)
{
  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < N_FAULTS; i++)
    {
      if (!(fault & (1u << i)))
        continue;
      if ((1u << i) == SK_DEMO_FAULT_SLOW)
        self->slow = count > 0;
      else
        self->fault_count[i] = count;
    }
  g_mutex_unlock (&self->lock);
}

void
sk_demo_shop_set_slow_ms (SkDemoShop *self,
                          guint       slow_ms)
{
  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  g_mutex_lock (&self->lock);
  self->slow_ms = slow_ms;
  g_mutex_unlock (&self->lock);
}

void
sk_demo_shop_set_rate_limit (SkDemoShop *self,
                             guint       bucket,
                             guint       leak_per_second)
{
  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  g_mutex_lock (&self->lock);
  bucket_leak (self);
  self->bucket = bucket;
  self->leak_per_second = leak_per_second;
  self->level_milli = MIN (self->level_milli, (gint64) bucket * 1000);
  g_mutex_unlock (&self->lock);
}

void
sk_demo_shop_advance (SkDemoShop *self,
                      guint       n_new,
                      guint       n_updates)
{
  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  g_mutex_lock (&self->lock);
  advance_locked (self, n_new, n_updates, demo_now ());
  g_mutex_unlock (&self->lock);
}

void
sk_demo_shop_set_live (SkDemoShop *self,
                       guint       interval_ms)
{
  g_return_if_fail (SK_IS_DEMO_SHOP (self));

  g_mutex_lock (&self->lock);
  self->live_interval_ms = interval_ms;
  update_live_source (self);
  g_mutex_unlock (&self->lock);
}

guint
sk_demo_shop_get_request_count (SkDemoShop *self)
{
  g_return_val_if_fail (SK_IS_DEMO_SHOP (self), 0);

  return (guint) g_atomic_int_get (&self->request_count);
}
