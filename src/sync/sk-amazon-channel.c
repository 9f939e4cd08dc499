/* sk-amazon-channel.c: the Amazon Selling Partner API (Orders v0) connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run:
 *   GET /orders/v0/orders?MarketplaceIds=…&LastUpdatedAfter=…  (page 1)
 *   GET /orders/v0/orders?MarketplaceIds=…&NextToken=…         (page k)
 * and for each order of a page, side by side,
 *   GET /orders/v0/orders/{id}/orderItems[?NextToken=…]  (all its pages)
 *   GET /orders/v0/orders/{id}/address
 * Every request carries x-amz-access-token from SkLwaClient, which renews
 * it before it expires. When a page has its items and addresses, it is
 * normalized on a worker thread and imported on the store's writer thread
 * in one transaction with the cursor that points past it (page_token =
 * NextToken), so a run that stops anywhere resumes at the first page not
 * committed.
 *
 * Each operation has its own token bucket with Amazon's documented limits,
 * adjusted by the x-amzn-RateLimit-Limit header. SkHttp retries 429 and
 * 5xx with backoff and Retry-After.
 *
 * An address Amazon refuses (403: personal data the app may not see) does
 * not stop the order: it imports with what getOrders says of the
 * destination and the tag "Address restricted". Items Amazon refuses for
 * one order (400, 404), and items or an address Amazon cannot give (a 5xx
 * once SkHttp's retries are spent) or gives in a shape we cannot read,
 * make that order a dead letter and the page goes on: a run that stopped
 * there would stop at the same page every time. Only getOrders itself, a
 * refused token, a missing permission, rate limits and the network stop
 * the run.
 *
 * The high-water mark a complete run leaves is the newest LastUpdateDate
 * it saw, but never later than the moment the run began (Amazon's clock:
 * the Date header of the run's first getOrders answer, or ours without
 * one): an order read on page 1 and changed while later pages are read is
 * not on those pages, and a page after it may hold an order changed later
 * still. The next run goes back SK_AMAZON_OVERLAP_SECONDS before the mark.
 */
#define G_LOG_DOMAIN "sk-amazon"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-lwa.h"
#include "sk-store-import.h"
#include "sk-time.h"

#define ACTOR "sync:amazon"
#define MIN_INTERVAL 120
#define RATE_HEADER "x-amzn-RateLimit-Limit"
#define TOKEN_HEADER "x-amz-access-token"

typedef struct {
  SkRateLimiter *limiter;
  double         rate;
  double         burst;
} Limit;

static const Limit documented_limits[SK_AMAZON_N_OPERATIONS] = {
  [SK_AMAZON_OP_GET_ORDERS] = { NULL, 0.0167, 20 },
  [SK_AMAZON_OP_GET_ORDER_ITEMS] = { NULL, 0.5, 30 },
  [SK_AMAZON_OP_GET_ORDER_ADDRESS] = { NULL, 0.5, 30 },
};

struct _SkAmazonChannel
{
  SkChannel parent_instance;

  Limit limits[SK_AMAZON_N_OPERATIONS];
  SkLwaClient *lwa;   /* the seller's shared client, once configured */
};

G_DEFINE_FINAL_TYPE (SkAmazonChannel, sk_amazon_channel, SK_TYPE_CHANNEL)

/* Settings */

typedef struct {
  char  *endpoint;        /* no trailing slash */
  char  *marketplaces;    /* "ATVPDKIKX0DER,A2EUQ1WTGCTBG2" */
} Config;

static void
config_clear (Config *config)
{
  g_clear_pointer (&config->endpoint, g_free);
  g_clear_pointer (&config->marketplaces, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Config, config_clear)

char *
sk_amazon_channel_build_settings (const char * const *marketplace_ids,
                                  const char         *region,
                                  const char         *lwa_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (marketplace_ids != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "marketplace_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; marketplace_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, marketplace_ids[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, region);
  if (lwa_url != NULL)
    {
      json_builder_set_member_name (builder, "lwa_url");
      json_builder_add_string_value (builder, lwa_url);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

const char *
sk_amazon_region_endpoint (const char *region)
{
  if (g_strcmp0 (region, "na") == 0)
    return "https://sellingpartnerapi-na.amazon.com";
  if (g_strcmp0 (region, "eu") == 0)
    return "https://sellingpartnerapi-eu.amazon.com";
  if (g_strcmp0 (region, "fe") == 0)
    return "https://sellingpartnerapi-fe.amazon.com";
  return NULL;
}

/* The seller as people know it, for messages. */
static const char *
seller_name (SkAmazonChannel *self)
{
  const SkChannelRecord *record = sk_channel_get_record (SK_CHANNEL (self));

  if (record->account != NULL && *record->account != '\0')
    return record->account;
  return record->name != NULL ? record->name : "";
}

static char *
strip_slashes (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

static JsonObject *
parse_settings (const char *settings, JsonParser *parser)
{
  JsonNode *root;

  if (settings == NULL || *settings == '\0')
    return NULL;
  if (!json_parser_load_from_data (parser, settings, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static const char *
settings_text (JsonObject *settings, const char *name)
{
  JsonNode *node = settings != NULL ? json_object_get_member (settings, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING || *json_node_get_string (node) == '\0')
    return NULL;
  return json_node_get_string (node);
}

/* marketplace_ids as "A,B", checked: letters and digits only. */
static char *
read_marketplaces (JsonObject *settings, char **out_first)
{
  JsonNode *node = settings != NULL ? json_object_get_member (settings, "marketplace_ids") : NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  JsonArray *array;

  *out_first = NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;
      id = json_node_get_string (element);
      if (*id == '\0' || strlen (id) > 32)
        return NULL;
      for (const char *p = id; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          return NULL;
      if (joined->len > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, id);
      if (*out_first == NULL)
        *out_first = g_strdup (id);
    }
  if (joined->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* Reads the record's settings and secret into @config and the LWA client.
 * Errors are ones only the user can fix. */
static gboolean
configure (SkAmazonChannel  *self,
           Config           *config,
           GError          **error)
{
  const SkChannelRecord *record = sk_channel_get_record (SK_CHANNEL (self));
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkLwaCredentials) credentials = NULL;
  g_autoptr(SkLwaClient) lwa = NULL;
  g_autofree char *first = NULL;
  JsonObject *settings;
  const char *region;
  const char *endpoint = NULL;

  settings = parse_settings (record->settings, parser);
  config->marketplaces = read_marketplaces (settings, &first);
  if (config->marketplaces == NULL)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                   _("No Amazon marketplace is chosen for seller %s. Choose at least one marketplace in the channel settings."),
                   seller_name (self));
      return FALSE;
    }

  if (record->base_url != NULL && *record->base_url != '\0')
    endpoint = record->base_url;
  else
    {
      region = settings_text (settings, "region");
      if (region == NULL)
        region = sk_amazon_marketplace_region (first);
      endpoint = sk_amazon_region_endpoint (region);
      if (endpoint == NULL)
        {
          g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                       _("“%s” is not an Amazon region Storekeep knows. Choose North America, Europe or Far East in the channel settings of seller %s."),
                       region != NULL ? region : "", seller_name (self));
          return FALSE;
        }
    }
  if (!sk_http_check_url (endpoint, error))
    return FALSE;
  config->endpoint = strip_slashes (endpoint);

  credentials = sk_lwa_credentials_parse (sk_channel_get_secret (SK_CHANNEL (self)), error);
  if (credentials == NULL)
    return FALSE;
  /* The seller's one client, shared with the pusher. */
  lwa = sk_lwa_client_get_shared (sk_channel_get_http (SK_CHANNEL (self)),
                                  settings_text (settings, "lwa_url"), credentials->client_id);
  if (lwa != self->lwa)
    {
      g_set_object (&self->lwa, lwa);
      _sk_channel_set_token_client (SK_CHANNEL (self), SK_TOKEN_CLIENT (lwa));
    }
  sk_lwa_client_configure (self->lwa, settings_text (settings, "lwa_url"), credentials,
                           seller_name (self));
  return TRUE;
}

/* Rate limits */

static void
set_limit (SkAmazonChannel *self, SkAmazonOperation op, double rate, double burst, double tokens)
{
  Limit *limit = &self->limits[op];
  SkRateLimiter *limiter = sk_rate_limiter_new (burst, rate);
  gint64 now = g_get_monotonic_time ();

  /* Start with the tokens the old bucket had left, not a fresh burst. */
  if (tokens >= 0 && tokens < burst)
    sk_rate_limiter_observe (limiter, burst - tokens, burst, now);
  g_clear_pointer (&limit->limiter, sk_rate_limiter_unref);
  limit->limiter = limiter;
  limit->rate = rate;
  limit->burst = burst;
}

/* x-amzn-RateLimit-Limit: "0.0167": the operation's rate for this seller. */
static void
observe_rate (SkAmazonChannel *self, SkAmazonOperation op, SkHttpResponse *response)
{
  const char *value = soup_message_headers_get_one (response->headers, RATE_HEADER);
  Limit *limit = &self->limits[op];
  char *end = NULL;
  double rate;

  if (value == NULL || !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return;
  /* A rate, not money: a double is right here. */
  rate = g_ascii_strtod (value, &end);
  if (end == value || !isfinite (rate) || rate <= 0 || rate > 1000)
    return;
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0' || fabs (rate - limit->rate) < 1e-6)
    return;
  g_debug ("Amazon says the rate of operation %d for %s is %s/s", op, seller_name (self), value);
  set_limit (self, op, rate, limit->burst,
             sk_rate_limiter_get_available (limit->limiter, g_get_monotonic_time ()));
}

/* Errors */

static void
scrub_error (SkAmazonChannel *self, GError *error)
{
  _sk_channel_scrub_error (SK_CHANNEL (self), error);
}

/* Amazon's words from {"errors": [{"code", "message", "details"}]}, or
 * NULL. */
static char *
amazon_error_text (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonNode *root, *errors;
  JsonArray *array;
  const char *data;
  gsize len;

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0 || len > 64 * 1024 ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  errors = json_object_get_member (json_node_get_object (root), "errors");
  if (errors == NULL || !JSON_NODE_HOLDS_ARRAY (errors))
    return NULL;
  array = json_node_get_array (errors);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *obj;
      const char *message, *details;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      obj = json_node_get_object (element);
      message = json_object_get_string_member_with_default (obj, "message", NULL);
      details = json_object_get_string_member_with_default (obj, "details", NULL);
      if (message == NULL || *message == '\0')
        message = json_object_get_string_member_with_default (obj, "code", NULL);
      if (message == NULL || *message == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, message);
      if (details != NULL && *details != '\0')
        g_string_append_printf (out, " (%s)", details);
    }
  if (out->len == 0)
    return NULL;
  if (out->len > 300)
    {
      g_string_truncate (out, 300);
      while (out->len > 0 && !g_utf8_validate (out->str, out->len, NULL))
        g_string_truncate (out, out->len - 1);
      g_string_append (out, "…");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A 401, or a 403 that says the access token was refused (expired,
 * revoked): a new token may help. A 403 without that is a missing role. */
static gboolean
is_token_refusal (SkHttpResponse *response)
{
  g_autofree char *words = NULL;
  g_autofree char *lower = NULL;

  if (response->status == SOUP_STATUS_UNAUTHORIZED)
    return TRUE;
  if (response->status != SOUP_STATUS_FORBIDDEN)
    return FALSE;
  words = amazon_error_text (response->body);
  if (words == NULL)
    return FALSE;
  lower = g_ascii_strdown (words, -1);
  return strstr (lower, "token") != NULL;
}

static GError *
auth_error (SkAmazonChannel *self)
{
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                      _("Amazon refused the authorization for seller %s. Authorize Storekeep again in Seller Central, then update the channel."),
                      seller_name (self));
}

/* Words for an answer that is not a success. */
static gboolean
check_status (SkAmazonChannel  *self,
              SkHttpResponse   *response,
              GError          **error)
{
  guint status = response->status;
  g_autofree char *words = NULL;
  g_autofree char *scrubbed = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  if (is_token_refusal (response))
    {
      g_propagate_error (error, auth_error (self));
      return FALSE;
    }
  switch (status)
    {
    case SOUP_STATUS_FORBIDDEN:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                   _("Amazon did not allow Storekeep to read the orders of seller %s. Check in Seller Central that Storekeep is authorized for this seller with the Orders role, and that the region in the channel settings is the seller’s, then update the channel."),
                   seller_name (self));
      return FALSE;
    case SOUP_STATUS_NOT_FOUND:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("The Amazon Selling Partner API does not answer for seller %s at this address. Check the region in the channel settings."),
                   seller_name (self));
      return FALSE;
    case 429:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                   _("Amazon asked Storekeep to slow down for seller %s and kept refusing after several tries. Storekeep will try again in a few minutes."),
                   seller_name (self));
      return FALSE;
    default:
      break;
    }
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("The Amazon address of seller %s sends Storekeep elsewhere instead of answering. Check the region in the channel settings."),
                   seller_name (self));
      return FALSE;
    }
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                   _("Amazon could not answer for seller %s (HTTP %u), even after several tries. Amazon may be having problems; Storekeep will try again later."),
                   seller_name (self), status);
      return FALSE;
    }

  words = amazon_error_text (response->body);
  scrubbed = _sk_channel_scrub_secret (SK_CHANNEL (self), words);
  if (scrubbed != NULL)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("Amazon refused the request for seller %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 seller_name (self), status, scrubbed);
  else
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("Amazon refused the request for seller %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 seller_name (self), status);
  return FALSE;
}

/* One Selling Partner API request: a token, then the GET; a refused token
 * is renewed once. */

typedef struct {
  SkAmazonOperation op;
  char             *url;
  char             *token;
  gboolean          renewed;
} SpRequest;

static void
sp_request_free (SpRequest *req)
{
  g_free (req->url);
  if (req->token != NULL)
    memset (req->token, 0, strlen (req->token));
  g_free (req->token);
  g_free (req);
}

static void sp_ask_token (GTask *task);

static void
on_sp_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  SpRequest *req = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  GError *error = NULL;

  response = sk_http_send_finish (SK_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  observe_rate (self, req->op, response);

  if (!req->renewed && is_token_refusal (response))
    {
      g_debug ("Amazon refused the access token of %s; renewing it", seller_name (self));
      sk_lwa_client_invalidate (self->lwa, req->token);
      req->renewed = TRUE;
      sp_ask_token (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&response),
                         (GDestroyNotify) sk_http_response_free);
}

static void
on_sp_token (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  SpRequest *req = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  GError *error = NULL;

  g_free (req->token);
  req->token = sk_lwa_client_get_token_finish (SK_LWA_CLIENT (source), result, &error);
  if (req->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_headers_append (headers, TOKEN_HEADER, req->token);
  sk_http_send_async (sk_channel_get_http (SK_CHANNEL (self)), "GET", req->url, headers,
                      NULL, NULL, self->limits[req->op].limiter,
                      g_task_get_cancellable (task), on_sp_sent, g_object_ref (task));
}

static void
sp_ask_token (GTask *task)
{
  SkAmazonChannel *self = g_task_get_source_object (task);

  sk_lwa_client_get_token_async (self->lwa, g_task_get_cancellable (task), on_sp_token, task);
}

static void
sp_get_async (SkAmazonChannel     *self,
              SkAmazonOperation    op,
              char                *url,   /* taken */
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SpRequest *req = g_new0 (SpRequest, 1);

  g_task_set_source_tag (task, sp_get_async);
  req->op = op;
  req->url = url;
  g_task_set_task_data (task, req, (GDestroyNotify) sp_request_free);
  sp_ask_token (task);
}

static SkHttpResponse *
sp_get_finish (SkAmazonChannel  *self,
               GAsyncResult     *result,
               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* URLs */

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static char *
orders_url (const Config *config, const char *next_token, gint64 updated_after)
{
  g_autofree char *marketplaces = escape (config->marketplaces);

  if (next_token != NULL)
    {
      g_autofree char *token = escape (next_token);

      /* With a NextToken, Amazon takes nothing else but the marketplaces. */
      return g_strdup_printf ("%s" SK_AMAZON_ORDERS_PATH "?MarketplaceIds=%s&NextToken=%s",
                              config->endpoint, marketplaces, token);
    }
  else
    {
      g_autofree char *since = sk_time_format_iso8601 (MAX (updated_after, 0));
      g_autofree char *escaped = escape (since);

      return g_strdup_printf ("%s" SK_AMAZON_ORDERS_PATH "?MarketplaceIds=%s&LastUpdatedAfter=%s",
                              config->endpoint, marketplaces, escaped);
    }
}

static char *
order_url (const Config *config, const char *order_id, const char *what, const char *next_token)
{
  g_autofree char *id = escape (order_id);
  g_autofree char *token = next_token != NULL ? escape (next_token) : NULL;

  return g_strdup_printf ("%s" SK_AMAZON_ORDERS_PATH "/%s/%s%s%s", config->endpoint, id, what,
                          token != NULL ? "?NextToken=" : "", token != NULL ? token : "");
}

/* A run */

typedef struct {
  gint64        channel_id;
  Config        config;
  SkSyncCursor  start;          /* the cursor as the run found it */
  gint64        run_started_at; /* the local clock, then Amazon's */
  gboolean      clock_read;     /* run_started_at is Amazon's, or resumed */
  gint64        run_max_seen;
  gint64        pages_done;     /* committed, this run and the one resumed */
  gboolean      resumed;
  guint         fetched;        /* getOrders pages fetched this run */
  char         *fetch_token;    /* NextToken of the page to fetch; NULL: first */

  /* The page in hand. */
  GPtrArray    *parts;          /* SkAmazonOrderParts */
  char         *next_token;     /* of the page in hand */
  guint         current;        /* the order whose items/address are fetched */
  guint         pending;        /* its requests in flight */
  guint         address_refusals;
  gboolean      skip_addresses;

  GError       *error;
  SkSyncSummary summary;
  guint         pages_this_run;
  guint         orders_seen;
} Run;

static void
run_free (Run *run)
{
  config_clear (&run->config);
  sk_sync_cursor_clear (&run->start);
  g_free (run->fetch_token);
  g_clear_pointer (&run->parts, g_ptr_array_unref);
  g_free (run->next_token);
  g_clear_error (&run->error);
  g_free (run);
}

/* Who owns the task: fetch_page(), fetch_items() and fetch_address() take
 * the reference they are given; next_order(), normalize_page(),
 * request_done() and finish() borrow it. */
static void fetch_page (GTask *task);
static void next_order (GTask *task);

static void
report_progress (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  _sk_channel_set_progress (g_task_get_source_object (task), run->pages_this_run,
                            run->orders_seen, -1);
}

static void
set_fatal (Run *run, GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

static void
finish (GTask *task)
{
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->error != NULL)
    {
      GError *error = g_steal_pointer (&run->error);

      scrub_error (self, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&run->summary, sizeof run->summary), g_free);
}

/* Importing a page */

static void
on_page_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkImportResult imported = { 0 };

  if (!sk_store_import_finish (SK_STORE (source), result, &imported, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      finish (task);
      return;
    }

  run->pages_done++;
  run->pages_this_run++;
  _sk_sync_summary_add_page (&run->summary, &imported);
  report_progress (task);

  if (run->next_token == NULL)
    {
      finish (task);
      return;
    }
  g_free (run->fetch_token);
  run->fetch_token = g_steal_pointer (&run->next_token);
  fetch_page (g_steal_pointer (&task));
}

typedef struct {
  GPtrArray    *parts;
  SkImportPage *page;
  gint64        max_updated;
} Normalize;

static void
normalize_free (Normalize *n)
{
  g_clear_pointer (&n->parts, g_ptr_array_unref);
  g_clear_pointer (&n->page, sk_import_page_free);
  g_free (n);
}

/* On a worker thread. */
static void
normalize_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Normalize *n = data;

  sk_amazon_normalize_page (n->parts, n->page);
  n->max_updated = _sk_import_page_max_updated (n->page);
  g_task_return_boolean (task, TRUE);
}

static void
on_page_normalized (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Normalize *n = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  SkImportPage *page;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      finish (task);
      return;
    }

  page = g_steal_pointer (&n->page);
  run->orders_seen += page->orders->len + page->dead_letters->len;
  run->run_max_seen = MAX (run->run_max_seen, n->max_updated);
  report_progress (task);

  /* On the last page the run is complete in the same transaction. An
   * order changed after the run began may be on none of the pages read
   * (see the top of the file): the next run starts from no later than
   * that moment. */
  _sk_channel_page_cursor (page, &run->start, run->run_started_at, run->run_max_seen,
                           run->pages_done, run->next_token);

  cancellable = g_task_get_cancellable (task);
  sk_store_import_async (sk_channel_get_store (SK_CHANNEL (self)), page,
                         cancellable, on_page_imported, g_steal_pointer (&task));
}

static void
normalize_page (GTask *task)
{
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;
  Normalize *n;

  n = g_new0 (Normalize, 1);
  n->parts = g_steal_pointer (&run->parts);
  n->page = _sk_channel_new_page (SK_CHANNEL (self), ACTOR);

  worker = g_task_new (self, g_task_get_cancellable (task), on_page_normalized,
                       g_object_ref (task));
  g_task_set_source_tag (worker, normalize_page);
  g_task_set_task_data (worker, n, (GDestroyNotify) normalize_free);
  g_task_run_in_thread (worker, normalize_thread);
}

/* Items and addresses */

static SkAmazonOrderParts *
current_parts (Run *run)
{
  return g_ptr_array_index (run->parts, run->current);
}

/* One request of the current order is done. */
static void
request_done (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  g_assert (run->pending > 0);
  if (--run->pending > 0)
    return;
  if (run->error == NULL && g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    set_fatal (run, error);
  if (run->error != NULL)
    {
      finish (task);
      return;
    }
  run->current++;
  next_order (task);
}

static void fetch_items (GTask *task, const char *next_token);

/* The current order cannot be completed: it becomes a dead letter with
 * what was gathered, and the page goes on. The first reason stays. */
static void
order_failed (SkAmazonOrderParts *parts,
              char               *reason)
{
  if (parts->failure == NULL)
    parts->failure = reason;
  else
    g_free (reason);
}

static void
on_items (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SkAmazonOrderParts *parts = current_parts (run);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  response = sp_get_finish (self, result, &error);
  if (response == NULL || run->error != NULL)
    {
      if (error != NULL)
        set_fatal (run, g_steal_pointer (&error));
      request_done (task);
      return;
    }

  if (response->status == SOUP_STATUS_BAD_REQUEST || response->status == SOUP_STATUS_NOT_FOUND)
    {
      /* Amazon will not give this order's items: the order is a dead
       * letter, the rest of the page goes on. */
      g_autofree char *words = amazon_error_text (response->body);
      g_autofree char *scrubbed = _sk_channel_scrub_secret (SK_CHANNEL (self), words);

      g_clear_pointer (&parts->items, json_node_unref);
      order_failed (parts, scrubbed != NULL
        ? g_strdup_printf (_("Amazon did not give the items of this order (HTTP %u): “%s”."),
                           response->status, scrubbed)
        : g_strdup_printf (_("Amazon did not give the items of this order (HTTP %u)."),
                           response->status));
      request_done (task);
      return;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (response->status))
    {
      /* SkHttp tried several times already. */
      order_failed (parts,
                    g_strdup_printf (_("Amazon could not give the items of this order (HTTP %u), even after several tries, so the order was put aside. It is read again when it changes on Amazon."),
                                     response->status));
      request_done (task);
      return;
    }

  if (!check_status (self, response, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      request_done (task);
      return;
    }

  if (!sk_amazon_parse_items_page (response->body, parts->items, &next, &error))
    {
      g_debug ("Unreadable items of Amazon order %s: %s",
               sk_amazon_order_id (parts->order), error->message);
      order_failed (parts,
                    g_strdup (_("Amazon sent the items of this order in a form Storekeep could not read, so the order was put aside. It is read again when it changes on Amazon.")));
      request_done (task);
      return;
    }

  if (next != NULL)
    {
      fetch_items (g_steal_pointer (&task), next);
      return;
    }
  request_done (task);
}

static void
fetch_items (GTask *task, const char *next_token)
{
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *id = sk_amazon_order_id (current_parts (run)->order);

  sp_get_async (self, SK_AMAZON_OP_GET_ORDER_ITEMS,
                order_url (&run->config, id, "orderItems", next_token),
                g_task_get_cancellable (task), on_items, task);
}

static void
on_address (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SkAmazonOrderParts *parts = current_parts (run);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = sp_get_finish (self, result, &error);
  if (response == NULL || run->error != NULL)
    {
      if (error != NULL)
        set_fatal (run, g_steal_pointer (&error));
      request_done (task);
      return;
    }

  if (response->status == SOUP_STATUS_FORBIDDEN && !is_token_refusal (response))
    {
      /* Personal data Storekeep may not see: the order still imports. */
      g_debug ("Amazon withheld the address of order %s of %s",
               sk_amazon_order_id (parts->order), seller_name (self));
      parts->address_restricted = TRUE;
      if (++run->address_refusals >= SK_AMAZON_ADDRESS_REFUSALS_BEFORE_SKIP)
        run->skip_addresses = TRUE;
      request_done (task);
      return;
    }
  run->address_refusals = 0;
  if (response->status == SOUP_STATUS_NOT_FOUND)
    {
      request_done (task);
      return;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (response->status))
    {
      /* SkHttp tried several times already. */
      order_failed (parts,
                    g_strdup_printf (_("Amazon could not give the address of this order (HTTP %u), even after several tries, so the order was put aside. It is read again when it changes on Amazon."),
                                     response->status));
      request_done (task);
      return;
    }

  if (!check_status (self, response, &error))
    set_fatal (run, g_steal_pointer (&error));
  else if ((parts->address = sk_amazon_parse_address (response->body, &error)) == NULL)
    {
      g_debug ("Unreadable address of Amazon order %s: %s",
               sk_amazon_order_id (parts->order), error->message);
      order_failed (parts,
                    g_strdup (_("Amazon sent the address of this order in a form Storekeep could not read, so the order was put aside. It is read again when it changes on Amazon.")));
    }
  request_done (task);
}

static void
fetch_address (GTask *task)
{
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *id = sk_amazon_order_id (current_parts (run)->order);

  sp_get_async (self, SK_AMAZON_OP_GET_ORDER_ADDRESS,
                order_url (&run->config, id, "address", NULL),
                g_task_get_cancellable (task), on_address, task);
}

/* Starts on the items and address of the next order with a usable id, or
 * normalizes the page when there is none. */
static void
next_order (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  SkAmazonOrderParts *parts;

  /* An order without a usable id becomes a dead letter as it is. */
  while (run->current < run->parts->len &&
         sk_amazon_order_id (current_parts (run)->order) == NULL)
    run->current++;

  if (run->current == run->parts->len)
    {
      normalize_page (task);
      return;
    }

  parts = current_parts (run);
  parts->items = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (parts->items, json_array_new ());
  run->pending = 1;
  if (!run->skip_addresses)
    {
      run->pending++;
      fetch_address (g_object_ref (task));
    }
  else
    parts->address_restricted = TRUE;
  fetch_items (g_object_ref (task), NULL);
}

/* getOrders pages */

static void
on_page_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;

  response = sp_get_finish (self, result, &error);
  if (response == NULL)
    {
      set_fatal (run, g_steal_pointer (&error));
      finish (task);
      return;
    }

  /* A NextToken of an interrupted run may have expired: start over from
   * the high-water mark; the overlap and idempotent import make that
   * safe. */
  if (response->status == SOUP_STATUS_BAD_REQUEST && run->resumed && run->fetched == 0)
    {
      g_debug ("Amazon refused the stored NextToken of %s; starting again", seller_name (self));
      run->resumed = FALSE;
      g_clear_pointer (&run->fetch_token, g_free);
      run->run_started_at = sk_time_now ();
      run->clock_read = FALSE;
      run->run_max_seen = 0;
      run->pages_done = 0;
      fetch_page (g_steal_pointer (&task));
      return;
    }

  g_clear_pointer (&run->next_token, g_free);
  if (!check_status (self, response, &error) ||
      !sk_amazon_parse_orders_page (response->body, &orders, &run->next_token, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      finish (task);
      return;
    }
  run->fetched++;

  /* The run began when Amazon answered its first page, by Amazon's clock,
   * which is the clock of every LastUpdateDate. */
  if (!run->clock_read)
    {
      gint64 date = _sk_channel_response_date (response);

      run->clock_read = TRUE;
      if (date > 0)
        run->run_started_at = date;
    }

  g_clear_pointer (&run->parts, g_ptr_array_unref);
  run->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_amazon_order_parts_free);
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (run->parts, sk_amazon_order_parts_new (g_ptr_array_index (orders, i)));
  run->current = 0;
  next_order (task);
}

static void
fetch_page (GTask *task)
{
  SkAmazonChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 since;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      set_fatal (run, error);
      finish (task);
      g_object_unref (task);
      return;
    }

  if (run->start.high_water > 0)
    since = run->start.high_water - SK_AMAZON_OVERLAP_SECONDS;
  else
    since = sk_time_now () - (gint64) SK_AMAZON_FIRST_SYNC_DAYS * 24 * 3600;

  sp_get_async (self, SK_AMAZON_OP_GET_ORDERS,
                orders_url (&run->config, run->fetch_token, since),
                g_task_get_cancellable (task), on_page_fetched, task);
}

static void
on_start_cursor_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sk_store_import_finish (SK_STORE (source), result, NULL, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      finish (task);
      return;
    }
  fetch_page (g_steal_pointer (&task));
}

/* Vfuncs */

static void
sk_amazon_channel_sync_async (SkChannel           *channel,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SkAmazonChannel *self = SK_AMAZON_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_amazon_channel_sync_async);

  run = g_new0 (Run, 1);
  run->channel_id = sk_channel_get_id (channel);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (!configure (self, &run->config, &error) ||
      !_sk_channel_get_cursor (channel, SK_CHANNEL_ORDERS_RESOURCE, &run->start, &error))
    {
      scrub_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report_progress (task);
  if (run->start.run_started_at != 0 && run->start.page_token != NULL &&
      *run->start.page_token != '\0')
    {
      /* An interrupted run: go on from its first uncommitted page. */
      run->resumed = TRUE;
      run->run_started_at = run->start.run_started_at;
      run->clock_read = TRUE;
      run->run_max_seen = run->start.run_max_seen;
      run->pages_done = run->start.pages_done;
      run->fetch_token = g_strdup (run->start.page_token);
      g_debug ("Resuming %s after %" G_GINT64_FORMAT " pages", seller_name (self), run->pages_done);
      fetch_page (g_steal_pointer (&task));
      return;
    }

  /* Say that a run has begun, before any page commits. */
  run->run_started_at = sk_time_now ();
  _sk_channel_begin_run_async (channel, ACTOR, &run->start, run->run_started_at, cancellable,
                               on_start_cursor_written, g_steal_pointer (&task));
}

static void
on_test_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkAmazonChannel *self = g_task_get_source_object (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autofree char *next = NULL;
  GError *error = NULL;

  response = sp_get_finish (self, result, &error);
  if (response == NULL || !check_status (self, response, &error) ||
      !sk_amazon_parse_orders_page (response->body, &orders, &next, &error))
    {
      scrub_error (self, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
sk_amazon_channel_test_connection_async (SkChannel           *channel,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SkAmazonChannel *self = SK_AMAZON_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_auto(Config) config = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *marketplaces = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_amazon_channel_test_connection_async);

  if (!configure (self, &config, &error))
    {
      scrub_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The cheapest proof: one order of the last day. */
  since = sk_time_format_iso8601 (sk_time_now () - 24 * 3600);
  escaped = escape (since);
  marketplaces = escape (config.marketplaces);
  sp_get_async (self, SK_AMAZON_OP_GET_ORDERS,
                g_strdup_printf ("%s" SK_AMAZON_ORDERS_PATH "?MarketplaceIds=%s&CreatedAfter=%s&MaxResultsPerPage=1",
                                 config.endpoint, marketplaces, escaped),
                cancellable, on_test_fetched, g_steal_pointer (&task));
}

static guint
sk_amazon_channel_get_min_interval (SkChannel *channel)
{
  return MIN_INTERVAL;
}

/* GObject */

static void
sk_amazon_channel_finalize (GObject *object)
{
  SkAmazonChannel *self = SK_AMAZON_CHANNEL (object);

  for (guint i = 0; i < SK_AMAZON_N_OPERATIONS; i++)
    g_clear_pointer (&self->limits[i].limiter, sk_rate_limiter_unref);
  g_clear_object (&self->lwa);

  G_OBJECT_CLASS (sk_amazon_channel_parent_class)->finalize (object);
}

static void
sk_amazon_channel_class_init (SkAmazonChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkChannelClass *channel_class = SK_CHANNEL_CLASS (klass);

  object_class->finalize = sk_amazon_channel_finalize;

  channel_class->sync_async = sk_amazon_channel_sync_async;
  channel_class->test_connection_async = sk_amazon_channel_test_connection_async;
  channel_class->get_min_interval = sk_amazon_channel_get_min_interval;
}

static void
sk_amazon_channel_init (SkAmazonChannel *self)
{
  for (guint i = 0; i < SK_AMAZON_N_OPERATIONS; i++)
    set_limit (self, i, documented_limits[i].rate, documented_limits[i].burst, -1);
}

/* Public API */

SkChannel *
sk_amazon_channel_new (SkStore               *store,
                       SkHttp                *http,
                       const SkChannelRecord *record)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  return g_object_new (SK_TYPE_AMAZON_CHANNEL,
                       "store", store,
                       "http", http,
                       "record", record,
                       NULL);
}

void
sk_amazon_channel_set_rate_limit (SkAmazonChannel   *self,
                                  SkAmazonOperation  op,
                                  double             rate_per_second,
                                  double             burst)
{
  g_return_if_fail (SK_IS_AMAZON_CHANNEL (self));
  g_return_if_fail (op < SK_AMAZON_N_OPERATIONS);
  g_return_if_fail (rate_per_second > 0);
  g_return_if_fail (burst >= 1);

  set_limit (self, op, rate_per_second, burst, -1);
}

SkRateLimiter *
sk_amazon_channel_get_rate_limiter (SkAmazonChannel   *self,
                                    SkAmazonOperation  op)
{
  g_return_val_if_fail (SK_IS_AMAZON_CHANNEL (self), NULL);
  g_return_val_if_fail (op < SK_AMAZON_N_OPERATIONS, NULL);

  return self->limits[op].limiter;
}
