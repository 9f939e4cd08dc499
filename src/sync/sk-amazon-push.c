/* sk-amazon-push.c: shipment confirmations to Amazon (SP-API Orders v0)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   POST /orders/v0/orders/{orderId}/shipmentConfirmation
 *   {"marketplaceId": "ATVPDKIKX0DER",
 *    "packageDetail": {"packageReferenceId": "<shipment id>",
 *                      "carrierCode": "UPS" | "Other", "carrierName": …,
 *                      "trackingNumber": …, "shipDate": "…Z",
 *                      "orderItems": [{"orderItemId": …, "quantity": n}]}}
 *   → 204 No Content
 *
 * confirmShipment is idempotent per package: the same packageReferenceId
 * again edits the package instead of adding one. The shipment id is that
 * reference, so a repeated attempt needs no check first; an answer saying
 * the package or order is already confirmed or shipped counts as sent.
 *
 * The marketplaceId is the order's own: a channel may read several
 * marketplaces of one region (amazon.com and amazon.ca), and Amazon
 * refuses a confirmation in another marketplace than the order's. The
 * normalizer tags each order with its marketplace ("Amazon.ca"), and the
 * outbox row carries the order's tags (sk-store-outbox.h).
 *
 * Credentials as the connector reads them (see sk-amazon-channel.h): the
 * secret is the SkLwaCredentials JSON, the settings give the marketplaces,
 * the region and the LWA token URL; base_url replaces the endpoint.
 * Everything about authorization is in configure() and sp_headers(), so
 * the connector and this pusher share one SkLwaClient.
 */
#define G_LOG_DOMAIN "sk-push"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-error.h"
#include "sk-lwa.h"
#include "sk-push.h"

/* confirmShipment's documented limits. */
#define CONFIRM_RATE 2.0
#define CONFIRM_BURST 10.0
#define TOKEN_HEADER "x-amz-access-token"

#define SK_TYPE_AMAZON_PUSHER (sk_amazon_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SkAmazonPusher, sk_amazon_pusher, SK, AMAZON_PUSHER, GObject)

struct _SkAmazonPusher
{
  GObject parent_instance;

  GHashTable *clients;    /* gint64 * channel id → SkLwaClient */
  GHashTable *limiters;   /* gint64 * channel id → SkRateLimiter */
};

static void sk_amazon_pusher_iface_init (SkPusherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkAmazonPusher, sk_amazon_pusher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_PUSHER, sk_amazon_pusher_iface_init))

typedef struct {
  SkPushJob         *job;
  SkPushFulfillment *f;
  SkLwaClient       *lwa;
  SkRateLimiter     *limiter;
  char              *endpoint;      /* no trailing slash */
  char              *marketplace;
  char              *token;
  gboolean           renewed;
} Push;

static void
push_free (Push *push)
{
  g_clear_pointer (&push->job, sk_push_job_unref);
  g_clear_pointer (&push->f, sk_push_fulfillment_free);
  g_clear_object (&push->lwa);
  g_clear_pointer (&push->limiter, sk_rate_limiter_unref);
  g_free (push->endpoint);
  g_free (push->marketplace);
  if (push->token != NULL)
    memset (push->token, 0, strlen (push->token));
  g_free (push->token);
  g_free (push);
}

/* Carriers */

/* Amazon's spelling of common carriers' codes; anything else goes as
 * "Other" with the name as entered. */
static const char *carrier_codes[] = {
  "UPS", "USPS", "FedEx", "DHL", "DHL eCommerce", "OnTrac", "Amazon Shipping",
  "Royal Mail", "Parcelforce", "Deutsche Post", "DPD", "GLS", "Hermes",
  "La Poste", "Colissimo", "Chronopost", "PostNL", "TNT", "Correos",
  "Poste Italiane", "Canada Post", "Purolator", "Australia Post",
  "Japan Post", "Yamato Transport", "Sagawa Express",
};

static const char *
carrier_code (const char *carrier)
{
  if (g_ascii_strcasecmp (carrier, "DHL Express") == 0)
    return "DHL";
  for (guint i = 0; i < G_N_ELEMENTS (carrier_codes); i++)
    if (g_ascii_strcasecmp (carrier, carrier_codes[i]) == 0)
      return carrier_codes[i];
  return NULL;
}

/* Settings and authorization */

static char *
strip_slashes (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
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

static char *
first_marketplace (JsonObject *settings)
{
  JsonArray *ids = sk_push_array_member (settings, "marketplace_ids");
  JsonNode *first;
  const char *id;

  if (ids == NULL || json_array_get_length (ids) == 0)
    return NULL;
  first = json_array_get_element (ids, 0);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
    return NULL;
  id = json_node_get_string (first);
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;
  return *id != '\0' ? g_strdup (id) : NULL;
}

/* The seller's LWA client, shared with the connector; kept here between
 * pushes too, so its access token is reused. */
static SkLwaClient *
client_for (SkAmazonPusher *self, SkPushJob *job, const char *lwa_url, const char *client_id)
{
  gint64 id = job->channel->id;
  SkLwaClient *client = sk_lwa_client_get_shared (job->http, lwa_url, client_id);

  g_hash_table_replace (self->clients, g_memdup2 (&id, sizeof id), g_object_ref (client));
  return client;
}

static SkRateLimiter *
limiter_for (SkAmazonPusher *self, gint64 channel_id)
{
  SkRateLimiter *limiter = g_hash_table_lookup (self->limiters, &channel_id);

  if (limiter == NULL)
    {
      limiter = sk_rate_limiter_new (CONFIRM_BURST, CONFIRM_RATE);
      g_hash_table_insert (self->limiters, g_memdup2 (&channel_id, sizeof channel_id), limiter);
    }
  return sk_rate_limiter_ref (limiter);
}

/* Endpoint, marketplace and the LWA client from the record and its
 * secret. FALSE with a result for the task when something is missing. */
static gboolean
configure (SkAmazonPusher  *self,
           Push            *push,
           SkPushResult   **out_result)
{
  const SkChannelRecord *record = push->job->channel;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkLwaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *settings = NULL;
  JsonNode *root;
  const char *endpoint = NULL;
  const char *order_marketplace;
  const char *region;

  if (record->settings != NULL &&
      json_parser_load_from_data (parser, record->settings, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    settings = json_node_get_object (root);

  order_marketplace = sk_amazon_marketplace_from_tags ((const char * const *) push->f->order_tags);
  push->marketplace = g_strdup (order_marketplace);
  /* Orders imported before their marketplace was kept (and outbox rows
   * written before the payload carried the tags) have no marketplace tag:
   * the channel's first marketplace is their best guess, right for every
   * channel that reads one marketplace. */
  if (push->marketplace == NULL)
    push->marketplace = first_marketplace (settings);
  if (record->base_url != NULL && *record->base_url != '\0')
    endpoint = record->base_url;
  else
    {
      region = settings_text (settings, "region");
      if (region == NULL && push->marketplace != NULL)
        region = sk_amazon_marketplace_region (push->marketplace);
      endpoint = sk_amazon_region_endpoint (region);
    }
  if (push->marketplace == NULL || endpoint == NULL)
    {
      message = g_strdup_printf (_("The marketplace or region of %s is not set, so the shipment of order %s cannot be confirmed. Choose them in the channel settings."),
                                 sk_push_channel_label (push->job), push->f->order_number);
      *out_result = sk_push_result_new_retry (0, message);
      return FALSE;
    }
  push->endpoint = strip_slashes (endpoint);

  credentials = sk_lwa_credentials_parse (push->job->secret, &error);
  if (credentials == NULL)
    {
      *out_result = sk_push_result_new_retry (0, error->message);
      (*out_result)->credentials_refused = TRUE;
      return FALSE;
    }
  push->lwa = client_for (self, push->job, settings_text (settings, "lwa_url"),
                         credentials->client_id);
  sk_lwa_client_configure (push->lwa, settings_text (settings, "lwa_url"), credentials,
                           record->account);
  push->limiter = limiter_for (self, record->id);
  return TRUE;
}

static SoupMessageHeaders *
sp_headers (Push *push)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_headers_append (headers, TOKEN_HEADER, push->token);
  return headers;
}

static void
return_result (GTask *task, SkPushResult *result)
{
  Push *push = g_task_get_task_data (task);

  if (push->lwa != NULL && result->message != NULL)
    {
      char *scrubbed = sk_lwa_client_scrub (push->lwa, result->message);

      g_free (result->message);
      result->message = scrubbed;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) sk_push_result_free);
}

/* The confirmation */

static JsonNode *
confirmation_body (Push *push)
{
  SkPushFulfillment *f = push->f;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reference = g_strdup_printf ("%" G_GINT64_FORMAT, f->shipment_id);
  const char *code = carrier_code (f->carrier);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "packageDetail");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "packageReferenceId");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "carrierCode");
  json_builder_add_string_value (builder, code != NULL ? code : "Other");
  if (code == NULL)
    {
      json_builder_set_member_name (builder, "carrierName");
      json_builder_add_string_value (builder, f->carrier);
    }
  json_builder_set_member_name (builder, "trackingNumber");
  json_builder_add_string_value (builder, f->tracking_number);
  json_builder_set_member_name (builder, "shipDate");
  json_builder_add_string_value (builder, f->shipped_at);
  json_builder_set_member_name (builder, "orderItems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < f->lines->len; i++)
    {
      SkPushLine *line = g_ptr_array_index (f->lines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "orderItemId");
      json_builder_add_string_value (builder, line->external_id);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, line->quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "marketplaceId");
  json_builder_add_string_value (builder, push->marketplace);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Amazon's words say the package is confirmed already. */
static gboolean
says_already_confirmed (const char *words)
{
  g_autofree char *lower = NULL;

  if (words == NULL)
    return FALSE;
  lower = g_ascii_strdown (words, -1);
  return strstr (lower, "already") != NULL &&
         (strstr (lower, "confirm") != NULL || strstr (lower, "shipped") != NULL);
}

/* A 401, or a 403 about the token: a new token may help, once. */
static gboolean
is_token_refusal (SkHttpResponse *response, const char *words)
{
  g_autofree char *lower = NULL;

  if (response->status == SOUP_STATUS_UNAUTHORIZED)
    return TRUE;
  if (response->status != SOUP_STATUS_FORBIDDEN || words == NULL)
    return FALSE;
  lower = g_ascii_strdown (words, -1);
  return strstr (lower, "token") != NULL;
}

static void ask_token (GTask *task);

static void
on_confirmed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *words = NULL;
  g_autofree char *reference = NULL;
  SkPushResult *outcome;

  response = sk_http_send_finish (SK_HTTP (source), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        return_result (task, sk_push_result_for_error (push->job, error));
      return;
    }

  reference = g_strdup_printf ("%" G_GINT64_FORMAT, push->f->shipment_id);
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      return_result (task, sk_push_result_new_sent (reference, FALSE));
      return;
    }

  words = sk_push_error_text (response->body);
  if (!push->renewed && is_token_refusal (response, words))
    {
      g_debug ("Amazon refused the access token of %s; renewing it", push->job->channel->account);
      sk_lwa_client_invalidate (push->lwa, push->token);
      push->renewed = TRUE;
      ask_token (g_steal_pointer (&task));
      return;
    }
  if (response->status == SOUP_STATUS_BAD_REQUEST && says_already_confirmed (words))
    {
      return_result (task, sk_push_result_new_sent (reference, TRUE));
      return;
    }
  outcome = sk_push_result_for_status (push->job, push->f->order_number, response, words);
  if (is_token_refusal (response, words))
    outcome->credentials_refused = TRUE;
  return_result (task, outcome);
}

static void
on_token (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_free (push->token);
  push->token = sk_lwa_client_get_token_finish (SK_LWA_CLIENT (source), result, &error);
  if (push->token == NULL)
    {
      SkPushResult *outcome;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      outcome = sk_push_result_for_error (push->job, error);
      outcome->credentials_refused = g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH) ||
                                     g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      return_result (task, outcome);
      return;
    }

  headers = sp_headers (push);
  body = confirmation_body (push);
  bytes = sk_push_json_bytes (body);
  url = g_strdup_printf ("%s" SK_AMAZON_ORDERS_PATH "/%s/shipmentConfirmation",
                         push->endpoint, push->f->order_external_id);
  sk_http_send_async (push->job->http, "POST", url, headers, bytes, "application/json",
                      push->limiter, g_task_get_cancellable (task), on_confirmed,
                      g_object_ref (task));
}

static void
ask_token (GTask *task)
{
  Push *push = g_task_get_task_data (task);

  sk_lwa_client_get_token_async (push->lwa, g_task_get_cancellable (task), on_token, task);
}

/* The pusher */

/* "902-1845936-5435065": it goes into the URL, so letters, digits and
 * dashes only. */
static gboolean
is_order_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_lines (Push *push, GTask *task)
{
  g_autofree char *message = NULL;

  for (guint i = 0; i < push->f->lines->len; i++)
    {
      SkPushLine *line = g_ptr_array_index (push->f->lines, i);

      if (line->external_id != NULL && *line->external_id != '\0')
        continue;
      message = g_strdup_printf (_("“%s” of order %s has no Amazon order item id, so Amazon cannot be told it shipped. Sync the channel, then record the shipment again."),
                                 line->title != NULL ? line->title : "", push->f->order_number);
      return_result (task, sk_push_result_new_refused (message));
      return FALSE;
    }
  return TRUE;
}

static void
sk_amazon_pusher_push_async (SkPusher            *pusher,
                             SkPushJob           *job,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  SkAmazonPusher *self = SK_AMAZON_PUSHER (pusher);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  SkPushResult *outcome = NULL;
  Push *push;

  g_task_set_source_tag (task, sk_amazon_pusher_push_async);
  push = g_new0 (Push, 1);
  push->job = sk_push_job_ref (job);
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);

  push->f = sk_push_fulfillment_parse (job->row->payload, &error);
  if (push->f == NULL)
    {
      return_result (task, sk_push_result_new_refused (error->message));
      return;
    }
  if (!is_order_id (push->f->order_external_id))
    {
      g_autofree char *message =
        g_strdup_printf (_("Order %s does not have an Amazon order id, so Amazon cannot be told it shipped."),
                         push->f->order_number);

      return_result (task, sk_push_result_new_refused (message));
      return;
    }
  if (!check_lines (push, task))
    return;
  if (!configure (self, push, &outcome))
    {
      return_result (task, outcome);
      return;
    }
  ask_token (g_steal_pointer (&task));
}

static SkPushResult *
sk_amazon_pusher_push_finish (SkPusher      *pusher,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pusher), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_amazon_pusher_iface_init (SkPusherInterface *iface)
{
  iface->push_async = sk_amazon_pusher_push_async;
  iface->push_finish = sk_amazon_pusher_push_finish;
}

static void
sk_amazon_pusher_finalize (GObject *object)
{
  SkAmazonPusher *self = SK_AMAZON_PUSHER (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->limiters, g_hash_table_unref);

  G_OBJECT_CLASS (sk_amazon_pusher_parent_class)->finalize (object);
}

static void
sk_amazon_pusher_class_init (SkAmazonPusherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_amazon_pusher_finalize;
}

static void
sk_amazon_pusher_init (SkAmazonPusher *self)
{
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->limiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) sk_rate_limiter_unref);
}

SkPusher *
sk_amazon_pusher_new (void)
{
  return g_object_new (SK_TYPE_AMAZON_PUSHER, NULL);
}
