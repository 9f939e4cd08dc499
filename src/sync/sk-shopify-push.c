/* sk-shopify-push.c: fulfillments with tracking to Shopify, through
 * fulfillment orders (Admin REST 2024-10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   [check first] GET  /admin/api/VERSION/orders/{id}/fulfillments.json
 *                 a fulfillment with our tracking number that is not
 *                 cancelled or failed: it arrived, nothing is sent again
 *                 GET  /admin/api/VERSION/orders/{id}/fulfillment_orders.json
 *                 POST /admin/api/VERSION/fulfillments.json
 *
 * Our shipment lines map onto fulfillment order line items by
 * line_item_id (our order line's external id), taking from the open
 * fulfillment orders in Shopify's order until each quantity is covered.
 * The customer is not notified by Shopify (notify_customer false): the
 * merchant decides that in Shopify's settings, not Storekeep.
 *
 * Credentials as the connector reads them (sk-shopify-request.h): a plain
 * access token goes out as it is; a Dev Dashboard app's client ID and
 * secret get an access token from the token client kept per channel, and
 * a request refused with 401 asks for a new token once and goes again.
 */
#define G_LOG_DOMAIN "sk-push"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-push.h"
#include "sk-shopify-normalize.h"
#include "sk-shopify-request.h"

#define SK_TYPE_SHOPIFY_PUSHER (sk_shopify_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SkShopifyPusher, sk_shopify_pusher, SK, SHOPIFY_PUSHER, GObject)

struct _SkShopifyPusher
{
  GObject parent_instance;

  GHashTable *limiters;   /* gint64 * channel id → SkRateLimiter */
  GHashTable *clients;    /* gint64 * channel id → SkShopifyTokenClient */
};

static void sk_shopify_pusher_iface_init (SkPusherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkShopifyPusher, sk_shopify_pusher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_PUSHER, sk_shopify_pusher_iface_init))

typedef struct {
  SkPushJob            *job;
  SkPushFulfillment    *f;
  SkRateLimiter        *limiter;
  char                 *api;          /* "https://acme.myshopify.com/admin/api/2024-10" */
  SkShopifyTokenClient *client;       /* app credentials; NULL: a plain token */
  char                 *plain_token;
} Push;

static void
push_free (Push *push)
{
  g_clear_pointer (&push->job, sk_push_job_unref);
  g_clear_pointer (&push->f, sk_push_fulfillment_free);
  g_clear_pointer (&push->limiter, sk_rate_limiter_unref);
  g_free (push->api);
  g_clear_object (&push->client);
  if (push->plain_token != NULL)
    memset (push->plain_token, 0, strlen (push->plain_token));
  g_free (push->plain_token);
  g_free (push);
}

static SkRateLimiter *
limiter_for (SkShopifyPusher *self,
             gint64           channel_id)
{
  SkRateLimiter *limiter = g_hash_table_lookup (self->limiters, &channel_id);

  if (limiter == NULL)
    {
      limiter = sk_shopify_rate_limiter_new ();
      g_hash_table_insert (self->limiters, g_memdup2 (&channel_id, sizeof channel_id), limiter);
    }
  return sk_rate_limiter_ref (limiter);
}

static char *
api_root (const SkChannelRecord *channel)
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
  return g_strconcat (base, "/admin/api/" SK_SHOPIFY_API_VERSION, NULL);
}

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

/* Every message leaves without the secret, the client secret or a token. */
static void
return_result (GTask *task, SkPushResult *result)
{
  Push *push = g_task_get_task_data (task);
  char *scrubbed = sk_shopify_scrub (result->message, push->job->secret, push->plain_token,
                                     push->client);

  g_free (result->message);
  result->message = scrubbed;
  g_task_return_pointer (task, result, (GDestroyNotify) sk_push_result_free);
}

static void
return_refused (GTask *task, const char *message)
{
  return_result (task, sk_push_result_new_refused (message));
}

/* Send one request of @push; @callback gets the SkHttp result. */
static void
request (GTask               *task,
         const char          *method,
         const char          *path,
         JsonNode            *body,
         GAsyncReadyCallback  callback)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = body != NULL ? sk_push_json_bytes (body) : NULL;
  g_autofree char *url = g_strconcat (push->api, path, NULL);

  sk_shopify_send_async (push->job->http, push->client, push->plain_token, push->limiter,
                         method, url, bytes, g_task_get_cancellable (task), callback,
                         g_object_ref (task));
}

/* The answer of a request, or NULL when @task got its result already (a
 * transport failure, a cancellation, a refusal). */
static SkHttpResponse *
finish_request (GTask        *task,
                GAsyncResult *result)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *words = NULL;
  SkHttpResponse *response;

  response = sk_shopify_send_finish (result, &error);
  if (response == NULL)
    {
      SkPushResult *outcome;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return NULL;
        }
      outcome = sk_push_result_for_error (push->job, error);
      /* The app's client ID and secret were refused: read them again. */
      outcome->credentials_refused = g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH) ||
                                     g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      return_result (task, outcome);
      return NULL;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return response;

  words = sk_push_error_text (response->body);
  return_result (task, sk_push_result_for_status (push->job, push->f->order_number,
                                                  response, words));
  sk_http_response_free (response);
  return NULL;
}

/* A JSON answer's array member, or NULL with the task answered. */
static JsonArray *
answer_array (GTask          *task,
              SkHttpResponse *response,
              const char     *member,
              JsonNode      **out_root)
{
  Push *push = g_task_get_task_data (task);
  JsonNode *root = sk_push_parse_json (response->body);
  JsonNode *node = NULL;
  g_autofree char *message = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    node = json_object_get_member (json_node_get_object (root), member);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      *out_root = root;
      return json_node_get_array (node);
    }
  g_clear_pointer (&root, json_node_unref);
  message = g_strdup_printf (_("%s answered in a way Storekeep did not understand while it sent the shipment of order %s. Storekeep will try again."),
                             sk_push_channel_label (push->job), push->f->order_number);
  return_result (task, sk_push_result_new_retry (0, message));
  return NULL;
}

/* Step 3: the fulfillment */

static void
on_posted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  JsonNode *fulfillment;

  if (response == NULL)
    return;

  root = sk_push_parse_json (response->body);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      (fulfillment = json_object_get_member (json_node_get_object (root), "fulfillment")) != NULL &&
      JSON_NODE_HOLDS_OBJECT (fulfillment))
    id = sk_push_dup_id (json_node_get_object (fulfillment), "id");
  /* Shopify took it (2xx): sent, even when the answer says nothing more. */
  return_result (task, sk_push_result_new_sent (id, FALSE));
}

static JsonNode *
fulfillment_body (Push      *push,
                  JsonNode  *by_order)   /* taken */
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fulfillment");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "line_items_by_fulfillment_order");
  json_builder_add_value (builder, by_order);
  json_builder_set_member_name (builder, "tracking_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, push->f->tracking_number);
  json_builder_set_member_name (builder, "company");
  json_builder_add_string_value (builder, push->f->carrier);
  if (push->f->tracking_url != NULL)
    {
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, push->f->tracking_url);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "notify_customer");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Step 2: map our lines onto the fulfillment orders */

static gboolean
can_fulfill (JsonObject *fo)
{
  const char *status = json_object_get_string_member_with_default (fo, "status", "");
  JsonNode *actions = json_object_get_member (fo, "supported_actions");

  if (!g_str_equal (status, "open") && !g_str_equal (status, "in_progress"))
    return FALSE;
  if (actions != NULL && JSON_NODE_HOLDS_ARRAY (actions))
    {
      JsonArray *array = json_node_get_array (actions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *action = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (action) &&
              g_strcmp0 (json_node_get_string (action), "create_fulfillment") == 0)
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static gint64
fulfillable (JsonObject *item)
{
  const char *member = json_object_has_member (item, "fulfillable_quantity")
                       ? "fulfillable_quantity" : "quantity";
  JsonNode *node = json_object_get_member (item, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

typedef struct {
  gint64 fo_id;
  gint64 item_id;
  gint64 quantity;
} Take;

/* Cover @line's quantity from the open fulfillment orders, in Shopify's
 * order; each take is appended to @takes, and what earlier takes used of
 * an item is not available again. FALSE when it cannot be covered. */
static gboolean
cover_line (JsonArray   *fos,
            SkPushLine  *line,
            GArray      *takes)
{
  gint64 left = line->quantity;

  for (guint i = 0; i < json_array_get_length (fos) && left > 0; i++)
    {
      JsonObject *fo = sk_push_object_at (fos, i);
      JsonArray *items;

      if (fo == NULL || !can_fulfill (fo))
        continue;
      items = sk_push_array_member (fo, "fulfillment_order_line_items");
      for (guint j = 0; items != NULL && j < json_array_get_length (items) && left > 0; j++)
        {
          JsonObject *item = sk_push_object_at (items, j);
          g_autofree char *line_item_id = NULL;
          gint64 item_id, fo_id, available, take;

          if (item == NULL)
            continue;
          line_item_id = sk_push_dup_id (item, "line_item_id");
          item_id = json_object_get_int_member_with_default (item, "id", 0);
          fo_id = json_object_get_int_member_with_default (fo, "id", 0);
          available = fulfillable (item);
          if (g_strcmp0 (line_item_id, line->external_id) != 0 || item_id == 0 || fo_id == 0)
            continue;
          for (guint k = 0; k < takes->len; k++)
            if (g_array_index (takes, Take, k).item_id == item_id &&
                g_array_index (takes, Take, k).fo_id == fo_id)
              available -= g_array_index (takes, Take, k).quantity;
          take = MIN (left, available);
          if (take <= 0)
            continue;
          g_array_append_val (takes, ((Take) { fo_id, item_id, take }));
          left -= take;
        }
    }
  return left == 0;
}

/* [{"fulfillment_order_id", "fulfillment_order_line_items": [{"id",
 * "quantity"}]}], one entry per fulfillment order, in the order taken. */
static JsonNode *
group_takes (GArray *takes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GArray) done = g_array_new (FALSE, FALSE, sizeof (gint64));

  json_builder_begin_array (builder);
  for (guint i = 0; i < takes->len; i++)
    {
      gint64 fo_id = g_array_index (takes, Take, i).fo_id;
      gboolean seen = FALSE;

      for (guint k = 0; k < done->len; k++)
        seen = seen || g_array_index (done, gint64, k) == fo_id;
      if (seen)
        continue;
      g_array_append_val (done, fo_id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fulfillment_order_id");
      json_builder_add_int_value (builder, fo_id);
      json_builder_set_member_name (builder, "fulfillment_order_line_items");
      json_builder_begin_array (builder);
      for (guint j = i; j < takes->len; j++)
        {
          Take *take = &g_array_index (takes, Take, j);

          if (take->fo_id != fo_id)
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, take->item_id);
          json_builder_set_member_name (builder, "quantity");
          json_builder_add_int_value (builder, take->quantity);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
on_fulfillment_orders (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) takes = NULL;
  g_autoptr(JsonNode) by_order = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonArray *fos;

  if (response == NULL)
    return;
  fos = answer_array (task, response, "fulfillment_orders", &root);
  if (fos == NULL)
    return;

  takes = g_array_new (FALSE, FALSE, sizeof (Take));
  for (guint i = 0; i < push->f->lines->len; i++)
    {
      SkPushLine *line = g_ptr_array_index (push->f->lines, i);
      g_autofree char *message = NULL;

      if (line->external_id != NULL && cover_line (fos, line, takes))
        continue;
      message = g_strdup_printf (_("%s has nothing left to fulfill for “%s” of order %s: the item may have been fulfilled, moved or cancelled in the Shopify admin. Check the order in Shopify, then try again."),
                                 sk_push_channel_label (push->job),
                                 line->title != NULL ? line->title : line->external_id,
                                 push->f->order_number);
      return_refused (task, message);
      return;
    }

  by_order = group_takes (takes);
  body = fulfillment_body (push, g_steal_pointer (&by_order));
  request (task, "POST", "/fulfillments.json", body, on_posted);
}

static void
fetch_fulfillment_orders (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/orders/%s/fulfillment_orders.json",
                                           push->f->order_external_id);

  request (task, "GET", path, NULL, on_fulfillment_orders);
}

/* Step 1, after an earlier attempt: is it there already? */

static gboolean
has_tracking_number (JsonObject *fulfillment,
                     const char *number)
{
  JsonNode *numbers = json_object_get_member (fulfillment, "tracking_numbers");

  if (g_strcmp0 (json_object_get_string_member_with_default (fulfillment, "tracking_number", NULL),
                 number) == 0)
    return TRUE;
  if (numbers != NULL && JSON_NODE_HOLDS_ARRAY (numbers))
    {
      JsonArray *array = json_node_get_array (numbers);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              g_strcmp0 (json_node_get_string (element), number) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
on_fulfillments_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *fulfillments;

  if (response == NULL)
    return;
  fulfillments = answer_array (task, response, "fulfillments", &root);
  if (fulfillments == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (fulfillments); i++)
    {
      JsonObject *fulfillment = sk_push_object_at (fulfillments, i);
      const char *status;

      if (fulfillment == NULL)
        continue;
      status = json_object_get_string_member_with_default (fulfillment, "status", "");
      if (g_str_equal (status, "cancelled") || g_str_equal (status, "error") ||
          g_str_equal (status, "failure"))
        continue;
      if (has_tracking_number (fulfillment, push->f->tracking_number))
        {
          g_autofree char *id = sk_push_dup_id (fulfillment, "id");

          g_debug ("Shopify has the fulfillment of outbox row %" G_GINT64_FORMAT " already (%s)",
                   push->job->row->id, id);
          return_result (task, sk_push_result_new_sent (id, TRUE));
          return;
        }
    }
  fetch_fulfillment_orders (task);
}

/* The pusher */

/* A plain token, or the channel's token client configured for the app's
 * credentials (kept between pushes, so its access token is reused). */
static gboolean
prepare_auth (SkShopifyPusher  *self,
              Push             *push,
              GError          **error)
{
  const SkChannelRecord *channel = push->job->channel;
  SkShopifyTokenClient *client = g_hash_table_lookup (self->clients, &channel->id);

  push->client = client != NULL ? g_object_ref (client) : NULL;
  if (!sk_shopify_prepare_auth (push->job->http, channel, push->job->secret, &push->client,
                                &push->plain_token, error))
    return FALSE;
  if (push->client != NULL && push->client != client)
    g_hash_table_replace (self->clients, g_memdup2 (&channel->id, sizeof channel->id),
                          g_object_ref (push->client));
  return TRUE;
}

static void
sk_shopify_pusher_push_async (SkPusher            *pusher,
                              SkPushJob           *job,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SkShopifyPusher *self = SK_SHOPIFY_PUSHER (pusher);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Push *push;

  g_task_set_source_tag (task, sk_shopify_pusher_push_async);

  push = g_new0 (Push, 1);
  push->job = sk_push_job_ref (job);
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);

  push->f = sk_push_fulfillment_parse (job->row->payload, &error);
  if (push->f == NULL)
    {
      return_refused (task, error->message);
      return;
    }
  if (!is_numeric_id (push->f->order_external_id))
    {
      g_autofree char *message =
        g_strdup_printf (_("Order %s does not have a Shopify order id, so Shopify cannot be told it shipped."),
                         push->f->order_number);

      return_refused (task, message);
      return;
    }
  if (!prepare_auth (self, push, &error))
    {
      SkPushResult *result = sk_push_result_new_retry (0, error->message);

      result->credentials_refused = TRUE;
      return_result (task, result);
      return;
    }
  push->limiter = limiter_for (self, job->channel->id);
  push->api = api_root (job->channel);

  if (job->check_first)
    {
      g_autofree char *path = g_strdup_printf ("/orders/%s/fulfillments.json",
                                               push->f->order_external_id);

      request (task, "GET", path, NULL, on_fulfillments_checked);
    }
  else
    fetch_fulfillment_orders (task);
}

static SkPushResult *
sk_shopify_pusher_push_finish (SkPusher      *pusher,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pusher), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_shopify_pusher_iface_init (SkPusherInterface *iface)
{
  iface->push_async = sk_shopify_pusher_push_async;
  iface->push_finish = sk_shopify_pusher_push_finish;
}

static void
sk_shopify_pusher_finalize (GObject *object)
{
  SkShopifyPusher *self = SK_SHOPIFY_PUSHER (object);

  g_clear_pointer (&self->limiters, g_hash_table_unref);
  g_clear_pointer (&self->clients, g_hash_table_unref);

  G_OBJECT_CLASS (sk_shopify_pusher_parent_class)->finalize (object);
}

static void
sk_shopify_pusher_class_init (SkShopifyPusherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_shopify_pusher_finalize;
}

static void
sk_shopify_pusher_init (SkShopifyPusher *self)
{
  self->limiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) sk_rate_limiter_unref);
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

SkPusher *
sk_shopify_pusher_new (void)
{
  return g_object_new (SK_TYPE_SHOPIFY_PUSHER, NULL);
}
