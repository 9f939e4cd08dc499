/* sk-stock-push.c: stock levels to Shopify and WooCommerce
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two small pushers (see sk-stock-push.h): read what the channel shows,
 * write the new absolute number when it differs, record what the channel
 * confirmed. Both live here because they share the payload, the wording
 * of their results and the confirmation.
 */
#define G_LOG_DOMAIN "sk-push"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-shopify-request.h"
#include "sk-stock-push.h"
#include "sk-store-inventory.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define STATUS_TOO_MANY_REQUESTS 429

/* The payload */

static char *
dup_ref (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) != '\0')
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static gboolean
int_member (JsonObject *object,
            const char *member,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

void
sk_stock_push_free (SkStockPush *push)
{
  if (push == NULL)
    return;
  g_free (push->sku);
  g_free (push->product_ref);
  g_free (push->variant_ref);
  g_free (push->inventory_ref);
  g_free (push->location_ref);
  g_free (push);
}

SkStockPush *
sk_stock_push_parse (const char  *payload,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkStockPush) push = g_new0 (SkStockPush, 1);
  JsonObject *object;
  JsonNode *root;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;
  object = json_node_get_object (root);
  push->sku = dup_ref (object, "sku");
  push->product_ref = dup_ref (object, "product_ref");
  push->variant_ref = dup_ref (object, "variant_ref");
  push->inventory_ref = dup_ref (object, "inventory_ref");
  push->location_ref = dup_ref (object, "location_ref");
  if (!int_member (object, "listing_id", &push->listing_id) || push->listing_id <= 0 ||
      !int_member (object, "quantity", &push->quantity) || push->product_ref == NULL)
    goto invalid;
  if (push->quantity < 0)
    {
      /* Never a negative number on a channel: nothing to sell is 0. */
      g_message ("A stock push for listing %" G_GINT64_FORMAT " carried %" G_GINT64_FORMAT "; sending 0",
                 push->listing_id, push->quantity);
      push->quantity = 0;
    }
  if (!int_member (object, "previous", &push->previous))
    push->previous = -1;
  return g_steal_pointer (&push);

invalid:
  g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                       _("This stock update is damaged and cannot be sent. Change the stock of the item again to send a new one."));
  return NULL;
}

/* Shared by the two pushers */

static gboolean
is_numeric_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static const char *
item_label (SkStockPush *push)
{
  return push->sku != NULL ? push->sku : push->product_ref;
}

static gint64
retry_after_seconds (SkHttpResponse *response)
{
  const char *value = soup_message_headers_get_one (response->headers, "Retry-After");
  gint64 delay_us = sk_http_parse_retry_after (value, g_get_real_time () / G_USEC_PER_SEC);

  if (delay_us < 0)
    return 0;
  return (delay_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/* The result for an answer that is not a success. */
static SkPushResult *
result_for_status (SkPushJob      *job,
                   SkStockPush    *push,
                   SkHttpResponse *response,
                   const char     *permission)
{
  const char *channel = sk_push_channel_label (job);
  guint status = response->status;
  g_autofree char *words = sk_push_error_text (response->body);
  g_autofree char *message = NULL;
  SkPushResult *result;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      message = g_strdup_printf (_("%s refused Storekeep’s credentials while it set the stock of “%s”. Check the channel settings; Storekeep will try again."),
                                 channel, item_label (push));
      result = sk_push_result_new_retry (0, message);
      result->credentials_refused = TRUE;
      return result;
    }
  if (status == SOUP_STATUS_FORBIDDEN)
    {
      message = g_strdup_printf (_("%s did not allow Storekeep to set the stock of “%s”: the %s permission is missing. Allow it in the channel’s admin; Storekeep will try again."),
                                 channel, item_label (push), permission);
      return sk_push_result_new_retry (0, message);
    }
  if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_REQUEST_TIMEOUT ||
      SOUP_STATUS_IS_SERVER_ERROR (status) || SOUP_STATUS_IS_REDIRECTION (status) || status < 100)
    {
      message = g_strdup_printf (_("%s could not take the stock of “%s” just now (HTTP %u). Storekeep will try again."),
                                 channel, item_label (push), status);
      return sk_push_result_new_retry (retry_after_seconds (response), message);
    }
  if (words != NULL && *words != '\0')
    message = g_strdup_printf (_("%s refused the stock of “%s” (HTTP %u): “%s”. Check the item on %s, then try again."),
                               channel, item_label (push), status, words, channel);
  else
    message = g_strdup_printf (_("%s refused the stock of “%s” (HTTP %u). Check the item on %s, then try again."),
                               channel, item_label (push), status, channel);
  return sk_push_result_new_refused (message);
}

/* Confirming on the writer thread */

typedef struct {
  gint64 listing_id;
  gint64 quantity;
} Confirm;

static gboolean
confirm_job (SkStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  Confirm *confirm = data;

  return sk_store_txn_confirm_listing_quantity (txn, confirm->listing_id, confirm->quantity, error);
}

typedef void (*ReturnFunc) (GTask *task, SkPushResult *result);

typedef struct {
  GTask *task;
  SkPushResult *result;
  ReturnFunc return_func;
} Confirming;

static void
on_confirmed (GObject *source, GAsyncResult *result, gpointer data)
{
  Confirming *confirming = data;
  g_autoptr(GError) error = NULL;

  sk_store_run_finish (SK_STORE (source), result, &error);
  /* The channel has it either way; a listing removed meanwhile or a
   * failed write is corrected by the next recompute or catalog pull. */
  if (g_error_matches (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND))
    g_debug ("A listing was removed while its stock was sent");
  else if (error != NULL)
    g_warning ("Could not record the stock a channel confirmed: %s", error->message);
  confirming->return_func (confirming->task, confirming->result);
  g_object_unref (confirming->task);
  g_free (confirming);
}

/* Record @quantity as confirmed for @push's listing, then answer @result
 * through @return_func. Takes @task's reference and @result. */
static void
confirm_then_return (SkStore      *store,
                     GTask        *task,
                     SkStockPush  *push,
                     gint64        quantity,
                     SkPushResult *result,
                     ReturnFunc    return_func)
{
  Confirm *confirm = g_new0 (Confirm, 1);
  Confirming *confirming = g_new0 (Confirming, 1);

  confirm->listing_id = push->listing_id;
  confirm->quantity = MAX (quantity, 0);
  confirming->task = task;
  confirming->result = result;
  confirming->return_func = return_func;
  /* Not cancellable: what the channel took is written down. */
  sk_store_run_async (store, confirm_job, confirm, g_free, NULL, on_confirmed, confirming);
}

/* A JSON body. */
static GBytes *
body_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return sk_push_json_bytes (root);
}

/* Shopify */

#define SK_TYPE_SHOPIFY_STOCK_PUSHER (sk_shopify_stock_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SkShopifyStockPusher, sk_shopify_stock_pusher, SK, SHOPIFY_STOCK_PUSHER, GObject)

struct _SkShopifyStockPusher
{
  GObject parent_instance;

  SkStore    *store;
  GHashTable *limiters;   /* gint64 * channel id → SkRateLimiter */
  GHashTable *clients;    /* gint64 * channel id → SkShopifyTokenClient */
};

static void sk_shopify_stock_pusher_iface_init (SkPusherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkShopifyStockPusher, sk_shopify_stock_pusher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_PUSHER, sk_shopify_stock_pusher_iface_init))

typedef struct {
  SkPushJob            *job;
  SkStockPush          *push;
  SkRateLimiter        *limiter;
  SkShopifyTokenClient *client;
  char                 *plain_token;
} ShopifyPush;

static void
shopify_push_free (ShopifyPush *sp)
{
  g_clear_pointer (&sp->job, sk_push_job_unref);
  g_clear_pointer (&sp->push, sk_stock_push_free);
  g_clear_pointer (&sp->limiter, sk_rate_limiter_unref);
  g_clear_object (&sp->client);
  if (sp->plain_token != NULL)
    memset (sp->plain_token, 0, strlen (sp->plain_token));
  g_free (sp->plain_token);
  g_free (sp);
}

static void
shopify_return (GTask        *task,
                SkPushResult *result)
{
  ShopifyPush *sp = g_task_get_task_data (task);
  char *scrubbed = sk_shopify_scrub (result->message, sp->job->secret, sp->plain_token, sp->client);

  g_free (result->message);
  result->message = scrubbed;
  g_task_return_pointer (task, result, (GDestroyNotify) sk_push_result_free);
}

/* The answer of a request, or NULL when @task got its result already. */
static SkHttpResponse *
shopify_finish_request (GTask        *task,
                        GAsyncResult *result)
{
  ShopifyPush *sp = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkHttpResponse *response;
  SkPushResult *outcome;

  response = sk_shopify_send_finish (result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return NULL;
        }
      outcome = sk_push_result_for_error (sp->job, error);
      /* The app's client ID and secret were refused: read them again. */
      outcome->credentials_refused = g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH) ||
                                     g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      shopify_return (task, outcome);
      return NULL;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return response;
  shopify_return (task, result_for_status (sp->job, sp->push, response, "write_inventory"));
  sk_http_response_free (response);
  return NULL;
}

static void
shopify_request (GTask               *task,
                 const char          *method,
                 const char          *endpoint,
                 const char          *query,
                 GBytes              *body,
                 GAsyncReadyCallback  callback)
{
  ShopifyPush *sp = g_task_get_task_data (task);
  g_autofree char *url = sk_shopify_record_api_url (sp->job->channel, endpoint, query);

  sk_shopify_send_async (sp->job->http, sp->client, sp->plain_token, sp->limiter, method, url,
                         body, g_task_get_cancellable (task), callback, task);
}

/* The "available" of an {"inventory_level": …} answer about @push's
 * item and location, or the quantity sent. */
static gint64
answered_level (SkHttpResponse *response,
                SkStockPush    *push)
{
  g_autoptr(JsonNode) root = sk_push_parse_json (response->body);
  g_autofree char *item = NULL;
  g_autofree char *location = NULL;
  JsonObject *level;
  JsonNode *node;
  gint64 available;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return push->quantity;
  node = json_object_get_member (json_node_get_object (root), "inventory_level");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return push->quantity;
  level = json_node_get_object (node);
  item = sk_push_dup_id (level, "inventory_item_id");
  location = sk_push_dup_id (level, "location_id");
  if (g_strcmp0 (item, push->inventory_ref) != 0 || g_strcmp0 (location, push->location_ref) != 0 ||
      !int_member (level, "available", &available))
    return push->quantity;
  return available;
}

static void
on_level_set (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  SkShopifyStockPusher *self = g_task_get_source_object (task);
  ShopifyPush *sp = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = shopify_finish_request (task, result);
  gint64 shown;

  if (response == NULL)
    {
      g_object_unref (task);
      return;
    }
  shown = answered_level (response, sp->push);
  g_debug ("Shopify shows %" G_GINT64_FORMAT " of %s now", shown, item_label (sp->push));
  confirm_then_return (self->store, task, sp->push, shown,
                       sk_push_result_new_sent (NULL, FALSE), shopify_return);
}

static void
set_level (GTask *task)
{
  ShopifyPush *sp = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  gint64 location = g_ascii_strtoll (sp->push->location_ref, NULL, 10);
  gint64 item = g_ascii_strtoll (sp->push->inventory_ref, NULL, 10);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "location_id");
  json_builder_add_int_value (builder, location);
  json_builder_set_member_name (builder, "inventory_item_id");
  json_builder_add_int_value (builder, item);
  json_builder_set_member_name (builder, "available");
  json_builder_add_int_value (builder, sp->push->quantity);
  json_builder_end_object (builder);
  body = body_bytes (builder);
  shopify_request (task, "POST", "inventory_levels/set.json", NULL, body, on_level_set);
}

static void
on_level_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  SkShopifyStockPusher *self = g_task_get_source_object (task);
  ShopifyPush *sp = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = shopify_finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *levels = NULL;

  if (response == NULL)
    {
      g_object_unref (task);
      return;
    }
  root = sk_push_parse_json (response->body);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    levels = sk_push_array_member (json_node_get_object (root), "inventory_levels");
  for (guint i = 0; levels != NULL && i < json_array_get_length (levels); i++)
    {
      JsonObject *level = sk_push_object_at (levels, i);
      g_autofree char *item = level != NULL ? sk_push_dup_id (level, "inventory_item_id") : NULL;
      g_autofree char *location = level != NULL ? sk_push_dup_id (level, "location_id") : NULL;
      gint64 available;

      if (g_strcmp0 (item, sp->push->inventory_ref) != 0 ||
          g_strcmp0 (location, sp->push->location_ref) != 0 ||
          !int_member (level, "available", &available))
        continue;
      if (available == sp->push->quantity)
        {
          g_debug ("Shopify shows %" G_GINT64_FORMAT " of %s already: nothing to send",
                   available, item_label (sp->push));
          confirm_then_return (self->store, task, sp->push, available,
                               sk_push_result_new_sent (NULL, TRUE), shopify_return);
          return;
        }
      g_debug ("Shopify shows %" G_GINT64_FORMAT " of %s, Storekeep wants %" G_GINT64_FORMAT,
               available, item_label (sp->push), sp->push->quantity);
    }
  set_level (task);
}

static void
sk_shopify_stock_pusher_push_async (SkPusher            *pusher,
                                    SkPushJob           *job,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  SkShopifyStockPusher *self = SK_SHOPIFY_STOCK_PUSHER (pusher);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *message = NULL;
  SkShopifyTokenClient *client;
  SkRateLimiter *limiter;
  ShopifyPush *sp;

  g_task_set_source_tag (task, sk_shopify_stock_pusher_push_async);
  sp = g_new0 (ShopifyPush, 1);
  sp->job = sk_push_job_ref (job);
  g_task_set_task_data (task, sp, (GDestroyNotify) shopify_push_free);

  sp->push = sk_stock_push_parse (job->row->payload, &error);
  if (sp->push == NULL)
    {
      shopify_return (task, sk_push_result_new_refused (error->message));
      g_object_unref (task);
      return;
    }
  if (!is_numeric_id (sp->push->inventory_ref) || !is_numeric_id (sp->push->location_ref))
    {
      message = g_strdup_printf (_("Storekeep does not know the Shopify inventory item or location of “%s” on %s, so its stock cannot be set. Refresh the channel’s catalog, then try again."),
                                 item_label (sp->push), sk_push_channel_label (job));
      shopify_return (task, sk_push_result_new_refused (message));
      g_object_unref (task);
      return;
    }

  client = g_hash_table_lookup (self->clients, &job->channel->id);
  sp->client = client != NULL ? g_object_ref (client) : NULL;
  if (!sk_shopify_prepare_auth (job->http, job->channel, job->secret, &sp->client,
                                &sp->plain_token, &error))
    {
      SkPushResult *result = sk_push_result_new_retry (0, error->message);

      result->credentials_refused = TRUE;
      shopify_return (task, result);
      g_object_unref (task);
      return;
    }
  if (sp->client != NULL && sp->client != client)
    g_hash_table_replace (self->clients, g_memdup2 (&job->channel->id, sizeof (gint64)),
                          g_object_ref (sp->client));

  limiter = g_hash_table_lookup (self->limiters, &job->channel->id);
  if (limiter == NULL)
    {
      limiter = sk_shopify_rate_limiter_new ();
      g_hash_table_insert (self->limiters, g_memdup2 (&job->channel->id, sizeof (gint64)), limiter);
    }
  sp->limiter = sk_rate_limiter_ref (limiter);

  query = g_strdup_printf ("inventory_item_ids=%s&location_ids=%s",
                           sp->push->inventory_ref, sp->push->location_ref);
  shopify_request (task, "GET", "inventory_levels.json", query, NULL, on_level_read);
}

static SkPushResult *
sk_shopify_stock_pusher_push_finish (SkPusher      *pusher,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pusher), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_shopify_stock_pusher_iface_init (SkPusherInterface *iface)
{
  iface->push_async = sk_shopify_stock_pusher_push_async;
  iface->push_finish = sk_shopify_stock_pusher_push_finish;
}

static void
sk_shopify_stock_pusher_finalize (GObject *object)
{
  SkShopifyStockPusher *self = SK_SHOPIFY_STOCK_PUSHER (object);

  g_clear_pointer (&self->limiters, g_hash_table_unref);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_shopify_stock_pusher_parent_class)->finalize (object);
}

static void
sk_shopify_stock_pusher_class_init (SkShopifyStockPusherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_shopify_stock_pusher_finalize;
}

static void
sk_shopify_stock_pusher_init (SkShopifyStockPusher *self)
{
  self->limiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) sk_rate_limiter_unref);
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

SkPusher *
sk_shopify_stock_pusher_new (SkStore *store)
{
  SkShopifyStockPusher *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  self = g_object_new (SK_TYPE_SHOPIFY_STOCK_PUSHER, NULL);
  self->store = g_object_ref (store);
  return SK_PUSHER (self);
}

/* WooCommerce */

#define SK_TYPE_WOO_STOCK_PUSHER (sk_woo_stock_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SkWooStockPusher, sk_woo_stock_pusher, SK, WOO_STOCK_PUSHER, GObject)

struct _SkWooStockPusher
{
  GObject parent_instance;

  SkStore *store;
};

static void sk_woo_stock_pusher_iface_init (SkPusherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkWooStockPusher, sk_woo_stock_pusher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_PUSHER, sk_woo_stock_pusher_iface_init))

typedef struct {
  SkPushJob   *job;
  SkStockPush *push;
  char        *url;            /* the product or variation */
  char        *authorization;  /* "Basic …" */
  char        *key;
  char        *secret;
} WooPush;

static void
wipe (char **text)
{
  if (*text != NULL)
    memset (*text, 0, strlen (*text));
  g_clear_pointer (text, g_free);
}

static void
woo_push_free (WooPush *wp)
{
  g_clear_pointer (&wp->job, sk_push_job_unref);
  g_clear_pointer (&wp->push, sk_stock_push_free);
  g_free (wp->url);
  wipe (&wp->authorization);
  wipe (&wp->key);
  wipe (&wp->secret);
  g_free (wp);
}

static void
woo_return (GTask        *task,
            SkPushResult *result)
{
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(GString) out = NULL;

  if (result->message != NULL)
    {
      out = g_string_new (result->message);
      if (wp->authorization != NULL)
        g_string_replace (out, wp->authorization + strlen ("Basic "), "…", 0);
      if (wp->secret != NULL && *wp->secret != '\0')
        g_string_replace (out, wp->secret, "…", 0);
      if (wp->key != NULL && *wp->key != '\0')
        g_string_replace (out, wp->key, "…", 0);
      if (wp->job->secret != NULL && *wp->job->secret != '\0')
        g_string_replace (out, wp->job->secret, "…", 0);
      g_free (result->message);
      result->message = g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) sk_push_result_free);
}

static char *
woo_site (const SkChannelRecord *channel)
{
  g_autofree char *base = NULL;
  gsize len;

  if (channel->base_url != NULL && *channel->base_url != '\0')
    base = g_strdup (channel->base_url);
  else
    base = g_strconcat ("https://", channel->account != NULL ? channel->account : "", NULL);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_steal_pointer (&base);
}

static void
woo_request (GTask               *task,
             const char          *method,
             GBytes              *body,
             GAsyncReadyCallback  callback)
{
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_headers_append (headers, "Authorization", wp->authorization);
  sk_http_send_async (wp->job->http, method, wp->url, headers, body,
                      body != NULL ? "application/json" : NULL, NULL,
                      g_task_get_cancellable (task), callback, task);
}

static SkHttpResponse *
woo_finish_request (GTask        *task,
                    GAsyncResult *result)
{
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkHttpResponse *response;

  response = sk_http_send_finish (wp->job->http, result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        woo_return (task, sk_push_result_for_error (wp->job, error));
      return NULL;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return response;
  woo_return (task, result_for_status (wp->job, wp->push, response, "Read/Write"));
  sk_http_response_free (response);
  return NULL;
}

/* What a product or variation answer shows: stock_quantity when
 * WooCommerce manages its stock, else -1. */
static gint64
woo_shown (SkHttpResponse *response)
{
  g_autoptr(JsonNode) root = sk_push_parse_json (response->body);
  JsonObject *object;
  JsonNode *manage;
  gint64 quantity;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return -1;
  object = json_node_get_object (root);
  manage = json_object_get_member (object, "manage_stock");
  if (manage == NULL || !JSON_NODE_HOLDS_VALUE (manage) ||
      json_node_get_value_type (manage) != G_TYPE_BOOLEAN || !json_node_get_boolean (manage) ||
      !int_member (object, "stock_quantity", &quantity))
    return -1;
  return quantity;
}

static void
on_stock_put (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  SkWooStockPusher *self = g_task_get_source_object (task);
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = woo_finish_request (task, result);
  gint64 shown;

  if (response == NULL)
    {
      g_object_unref (task);
      return;
    }
  shown = woo_shown (response);
  confirm_then_return (self->store, task, wp->push, shown >= 0 ? shown : wp->push->quantity,
                       sk_push_result_new_sent (NULL, FALSE), woo_return);
}

static void
put_stock (GTask *task)
{
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stock_quantity");
  json_builder_add_int_value (builder, wp->push->quantity);
  json_builder_set_member_name (builder, "manage_stock");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  body = body_bytes (builder);
  woo_request (task, "PUT", body, on_stock_put);
}

static void
on_stock_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  SkWooStockPusher *self = g_task_get_source_object (task);
  WooPush *wp = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = woo_finish_request (task, result);
  gint64 shown;

  if (response == NULL)
    {
      g_object_unref (task);
      return;
    }
  shown = woo_shown (response);
  if (shown == wp->push->quantity)
    {
      g_debug ("WooCommerce shows %" G_GINT64_FORMAT " of %s already: nothing to send",
               shown, item_label (wp->push));
      confirm_then_return (self->store, task, wp->push, shown,
                           sk_push_result_new_sent (NULL, TRUE), woo_return);
      return;
    }
  put_stock (task);
}

static void
sk_woo_stock_pusher_push_async (SkPusher            *pusher,
                                SkPushJob           *job,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (pusher, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *site = NULL;
  WooPush *wp;

  g_task_set_source_tag (task, sk_woo_stock_pusher_push_async);
  wp = g_new0 (WooPush, 1);
  wp->job = sk_push_job_ref (job);
  g_task_set_task_data (task, wp, (GDestroyNotify) woo_push_free);

  wp->push = sk_stock_push_parse (job->row->payload, &error);
  if (wp->push == NULL)
    {
      woo_return (task, sk_push_result_new_refused (error->message));
      g_object_unref (task);
      return;
    }
  if (!is_numeric_id (wp->push->product_ref) ||
      (wp->push->variant_ref != NULL && !is_numeric_id (wp->push->variant_ref)))
    {
      message = g_strdup_printf (_("Storekeep does not know the WooCommerce product of “%s” on %s, so its stock cannot be set. Refresh the channel’s catalog, then try again."),
                                 item_label (wp->push), sk_push_channel_label (job));
      woo_return (task, sk_push_result_new_refused (message));
      g_object_unref (task);
      return;
    }
  if (!sk_woo_channel_parse_secret (job->secret, &wp->key, &wp->secret))
    {
      SkPushResult *result;

      message = g_strdup_printf (_("No complete WooCommerce keys are stored for %s, so the stock of “%s” cannot be sent. Enter the consumer key and consumer secret in the channel settings."),
                                 sk_push_channel_label (job), item_label (wp->push));
      result = sk_push_result_new_retry (0, message);
      result->credentials_refused = TRUE;
      woo_return (task, result);
      g_object_unref (task);
      return;
    }
  wp->authorization = sk_woo_basic_authorization (wp->key, wp->secret);

  site = woo_site (job->channel);
  if (wp->push->variant_ref != NULL)
    wp->url = g_strdup_printf ("%s" SK_WOO_API_PREFIX "/products/%s/variations/%s", site,
                               wp->push->product_ref, wp->push->variant_ref);
  else
    wp->url = g_strdup_printf ("%s" SK_WOO_API_PREFIX "/products/%s", site, wp->push->product_ref);
  woo_request (task, "GET", NULL, on_stock_read);
}

static SkPushResult *
sk_woo_stock_pusher_push_finish (SkPusher      *pusher,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pusher), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_woo_stock_pusher_iface_init (SkPusherInterface *iface)
{
  iface->push_async = sk_woo_stock_pusher_push_async;
  iface->push_finish = sk_woo_stock_pusher_push_finish;
}

static void
sk_woo_stock_pusher_finalize (GObject *object)
{
  SkWooStockPusher *self = SK_WOO_STOCK_PUSHER (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_woo_stock_pusher_parent_class)->finalize (object);
}

static void
sk_woo_stock_pusher_class_init (SkWooStockPusherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_woo_stock_pusher_finalize;
}

static void
sk_woo_stock_pusher_init (SkWooStockPusher *self)
{
}

SkPusher *
sk_woo_stock_pusher_new (SkStore *store)
{
  SkWooStockPusher *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  self = g_object_new (SK_TYPE_WOO_STOCK_PUSHER, NULL);
  self->store = g_object_ref (store);
  return SK_PUSHER (self);
}

SkPusher *
sk_stock_pusher_new_for_kind (const char *kind,
                              SkStore    *store)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  if (g_strcmp0 (kind, "shopify") == 0)
    return sk_shopify_stock_pusher_new (store);
  if (g_strcmp0 (kind, "woocommerce") == 0)
    return sk_woo_stock_pusher_new (store);
  return NULL;
}
