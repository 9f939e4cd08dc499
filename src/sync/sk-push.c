/* sk-push.c: the pusher interface and what the pushers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-push"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-push.h"

#define MAX_WORDS 300
#define STATUS_TOO_MANY_REQUESTS 429

G_DEFINE_INTERFACE (SkPusher, sk_pusher, G_TYPE_OBJECT)

static void
sk_pusher_default_init (SkPusherInterface *iface)
{
}

void
sk_pusher_push_async (SkPusher            *self,
                      SkPushJob           *job,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (SK_IS_PUSHER (self));
  g_return_if_fail (job != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  SK_PUSHER_GET_IFACE (self)->push_async (self, job, cancellable, callback, user_data);
}

SkPushResult *
sk_pusher_push_finish (SkPusher      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (SK_IS_PUSHER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return SK_PUSHER_GET_IFACE (self)->push_finish (self, result, error);
}

SkPusher *
sk_pusher_new_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "shopify") == 0)
    return sk_shopify_pusher_new ();
  if (g_strcmp0 (kind, "woocommerce") == 0)
    return sk_woo_pusher_new ();
  if (g_strcmp0 (kind, "amazon") == 0)
    return sk_amazon_pusher_new ();
  return NULL;
}

/* Results */

static SkPushResult *
result_new (SkPushOutcome outcome, const char *message)
{
  SkPushResult *result = g_new0 (SkPushResult, 1);

  result->outcome = outcome;
  result->message = g_strdup (message);
  return result;
}

SkPushResult *
sk_push_result_new_sent (const char *channel_ref,
                         gboolean    already_there)
{
  SkPushResult *result = result_new (SK_PUSH_SENT, NULL);

  result->channel_ref = g_strdup (channel_ref);
  result->already_there = already_there;
  return result;
}

SkPushResult *
sk_push_result_new_retry (gint64      retry_after,
                          const char *message)
{
  SkPushResult *result = result_new (SK_PUSH_RETRY, message);

  result->retry_after = MAX (retry_after, 0);
  return result;
}

SkPushResult *
sk_push_result_new_refused (const char *message)
{
  return result_new (SK_PUSH_REFUSED, message);
}

void
sk_push_result_free (SkPushResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result->channel_ref);
  g_free (result);
}

/* Jobs */

typedef struct {
  SkPushJob job;
  gatomicrefcount ref_count;
} PushJobReal;

SkPushJob *
sk_push_job_new (SkHttp                *http,
                 const SkChannelRecord *channel,
                 const char            *secret,
                 const SkOutboxRow     *row,
                 gboolean               check_first)
{
  PushJobReal *real;

  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  real = g_new0 (PushJobReal, 1);
  g_atomic_ref_count_init (&real->ref_count);
  real->job.http = g_object_ref (http);
  real->job.channel = sk_channel_record_copy (channel);
  real->job.secret = g_strdup (secret);
  real->job.row = sk_outbox_row_copy (row);
  real->job.check_first = check_first;
  return &real->job;
}

SkPushJob *
sk_push_job_ref (SkPushJob *job)
{
  PushJobReal *real = (PushJobReal *) job;

  g_return_val_if_fail (job != NULL, NULL);
  g_atomic_ref_count_inc (&real->ref_count);
  return job;
}

void
sk_push_job_unref (SkPushJob *job)
{
  PushJobReal *real = (PushJobReal *) job;

  g_return_if_fail (job != NULL);
  if (!g_atomic_ref_count_dec (&real->ref_count))
    return;
  g_clear_object (&job->http);
  g_clear_pointer (&job->channel, sk_channel_record_free);
  if (job->secret != NULL)
    memset (job->secret, 0, strlen (job->secret));
  g_clear_pointer (&job->secret, g_free);
  g_clear_pointer (&job->row, sk_outbox_row_free);
  g_free (real);
}

/* Payloads */

static void
push_line_free (SkPushLine *line)
{
  g_free (line->external_id);
  g_free (line->sku);
  g_free (line->title);
  g_free (line);
}

void
sk_push_fulfillment_free (SkPushFulfillment *f)
{
  if (f == NULL)
    return;
  g_free (f->order_external_id);
  g_free (f->order_number);
  g_strfreev (f->order_tags);
  g_free (f->carrier);
  g_free (f->tracking_number);
  g_free (f->tracking_url);
  g_free (f->shipped_at);
  g_clear_pointer (&f->lines, g_ptr_array_unref);
  g_free (f);
}

static char *
dup_string_member (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gint64
int_member (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static gboolean
parse_lines (JsonObject         *object,
             SkPushFulfillment  *f)
{
  JsonNode *node = json_object_get_member (object, "lines");
  JsonArray *lines;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  lines = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *element = json_array_get_element (lines, i);
      JsonObject *obj;
      SkPushLine *line;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return FALSE;
      obj = json_node_get_object (element);
      line = g_new0 (SkPushLine, 1);
      line->external_id = dup_string_member (obj, "external_id");
      line->sku = dup_string_member (obj, "sku");
      line->title = dup_string_member (obj, "title");
      line->quantity = int_member (obj, "quantity");
      g_ptr_array_add (f->lines, line);
      if (line->quantity <= 0)
        return FALSE;
    }
  return f->lines->len > 0;
}

/* "order_tags": a list of texts; anything else in it is left out. */
static char **
dup_tags_member (JsonObject *object)
{
  JsonArray *array = sk_push_array_member (object, "order_tags");
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (tags, json_node_get_string (node));
    }
  return g_strv_builder_end (tags);
}

SkPushFulfillment *
sk_push_fulfillment_parse (const char  *payload,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkPushFulfillment) f = NULL;
  JsonObject *object;
  JsonNode *root;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;
  object = json_node_get_object (root);

  f = g_new0 (SkPushFulfillment, 1);
  f->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) push_line_free);
  f->shipment_id = int_member (object, "shipment_id");
  f->order_external_id = dup_string_member (object, "order_external_id");
  f->order_number = dup_string_member (object, "order_number");
  f->order_tags = dup_tags_member (object);
  f->carrier = dup_string_member (object, "carrier");
  f->tracking_number = dup_string_member (object, "tracking_number");
  f->tracking_url = dup_string_member (object, "tracking_url");
  f->shipped_at = dup_string_member (object, "shipped_at");
  f->complete = json_object_get_boolean_member_with_default (object, "complete", FALSE);
  if (f->shipment_id <= 0 || f->order_external_id == NULL || f->carrier == NULL ||
      f->tracking_number == NULL || f->shipped_at == NULL || !parse_lines (object, f))
    goto invalid;
  if (f->order_number == NULL)
    f->order_number = g_strdup (f->order_external_id);
  return g_steal_pointer (&f);

invalid:
  g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                       _("Storekeep could not read what it had to send for this shipment. Record the shipment again."));
  return NULL;
}

/* Answers */

JsonNode *
sk_push_parse_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data;
  gsize len = 0;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

char *
sk_push_dup_id (JsonObject *object,
                const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

JsonObject *
sk_push_object_at (JsonArray *array,
                   guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
sk_push_array_member (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

GBytes *
sk_push_json_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
append_words (GString *out, const char *words)
{
  if (words == NULL || *words == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, "; ");
  g_string_append (out, words);
}

static void
collect_words (GString *out, JsonNode *node, const char *label)
{
  if (node == NULL)
    return;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *text = NULL;

          /* {"base": ["…"]} is the whole record: no label. */
          if (label != NULL && g_strcmp0 (label, "base") != 0)
            text = g_strdup_printf ("%s %s", label, json_node_get_string (node));
          else
            text = g_strdup (json_node_get_string (node));
          append_words (out, text);
        }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          collect_words (out, json_array_get_element (array, i), label);
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        const char *message = json_object_get_string_member_with_default (object, "message", NULL);
        g_autoptr(GList) members = NULL;

        /* Amazon's {"code", "message", "details"} */
        if (message != NULL && *message != '\0')
          {
            const char *details = json_object_get_string_member_with_default (object, "details", NULL);
            g_autofree char *text = NULL;

            if (details != NULL && *details != '\0')
              text = g_strdup_printf ("%s (%s)", message, details);
            else
              text = g_strdup (message);
            append_words (out, text);
            break;
          }
        members = json_object_get_members (object);
        for (GList *l = members; l != NULL; l = l->next)
          collect_words (out, json_object_get_member (object, l->data), l->data);
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

char *
sk_push_error_text (GBytes *body)
{
  g_autoptr(JsonNode) root = sk_push_parse_json (body);
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);

  collect_words (out, json_object_get_member (object, "errors"), NULL);
  if (out->len == 0)
    collect_words (out, json_object_get_member (object, "error"), NULL);
  if (out->len == 0)
    append_words (out, json_object_get_string_member_with_default (object, "message", NULL));
  if (out->len == 0)
    return NULL;
  if (out->len > MAX_WORDS)
    {
      g_string_truncate (out, MAX_WORDS);
      while (out->len > 0 && !g_utf8_validate (out->str, out->len, NULL))
        g_string_truncate (out, out->len - 1);
      g_string_append (out, "…");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
sk_push_scrub (const char *text,
               const char *secret)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  if (secret != NULL && *secret != '\0')
    g_string_replace (out, secret, "…", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
sk_push_channel_label (SkPushJob *job)
{
  const SkChannelRecord *channel = job->channel;

  if (channel->name != NULL && *channel->name != '\0')
    return channel->name;
  if (channel->account != NULL && *channel->account != '\0')
    return channel->account;
  return channel->kind != NULL ? channel->kind : "";
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

SkPushResult *
sk_push_result_for_status (SkPushJob      *job,
                           const char     *order_name,
                           SkHttpResponse *response,
                           const char     *words)
{
  const char *channel = sk_push_channel_label (job);
  guint status = response->status;
  g_autofree char *scrubbed = sk_push_scrub (words, job->secret);
  g_autofree char *message = NULL;
  SkPushResult *result;

  g_return_val_if_fail (!SOUP_STATUS_IS_SUCCESSFUL (status), NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      message = g_strdup_printf (_("%s refused Storekeep’s credentials while it sent the shipment of order %s. Check the channel settings; Storekeep will try again."),
                                 channel, order_name);
      result = sk_push_result_new_retry (0, message);
      result->credentials_refused = TRUE;
      return result;
    }
  if (status == SOUP_STATUS_FORBIDDEN)
    {
      message = g_strdup_printf (_("%s did not allow Storekeep to mark order %s as shipped: a permission for fulfilling orders is missing. Allow it in the channel’s admin; Storekeep will try again."),
                                 channel, order_name);
      return sk_push_result_new_retry (0, message);
    }
  if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_REQUEST_TIMEOUT ||
      SOUP_STATUS_IS_SERVER_ERROR (status) || SOUP_STATUS_IS_REDIRECTION (status) ||
      status < 100)
    {
      message = g_strdup_printf (_("%s could not take the shipment of order %s just now (HTTP %u). Storekeep will try again."),
                                 channel, order_name, status);
      return sk_push_result_new_retry (retry_after_seconds (response), message);
    }

  if (scrubbed != NULL && *scrubbed != '\0')
    message = g_strdup_printf (_("%s refused the shipment of order %s (HTTP %u): “%s”. Check the order on %s, then try again."),
                               channel, order_name, status, scrubbed, channel);
  else
    message = g_strdup_printf (_("%s refused the shipment of order %s (HTTP %u). Check the order on %s, then try again."),
                               channel, order_name, status, channel);
  return sk_push_result_new_refused (message);
}

SkPushResult *
sk_push_result_for_error (SkPushJob    *job,
                          const GError *error)
{
  g_autofree char *message = sk_push_scrub (error->message, job->secret);

  return sk_push_result_new_retry (0, message);
}
