/* sk-woo-push.c: shipments to WooCommerce (REST API v3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   [check first] GET  /wp-json/wc/v3/orders/{id}/notes   our tracking note?
 *   [check first] GET  /wp-json/wc/v3/orders/{id}         completed already?
 *   [complete]    PUT  /wp-json/wc/v3/orders/{id}         {"status": "completed"}
 *                 POST /wp-json/wc/v3/orders/{id}/notes   the tracking note
 *
 * WooCommerce has no fulfillments: the order is completed when everything
 * shipped (a partial shipment leaves the status alone), and a private note
 * ("Shipped with CARRIER, tracking NUMBER URL") keeps the tracking. Each
 * step is skipped when the check before a repeated attempt shows it done,
 * so a note is never added twice. Keys as the connector uses them (see
 * sk-woo-channel.h): HTTP Basic with the consumer key and secret.
 */
#define G_LOG_DOMAIN "sk-push"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-push.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define SK_TYPE_WOO_PUSHER (sk_woo_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SkWooPusher, sk_woo_pusher, SK, WOO_PUSHER, GObject)

struct _SkWooPusher
{
  GObject parent_instance;
};

static void sk_woo_pusher_iface_init (SkPusherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkWooPusher, sk_woo_pusher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_PUSHER, sk_woo_pusher_iface_init))

typedef struct {
  SkPushJob         *job;
  SkPushFulfillment *f;
  char              *order_url;      /* ".../wp-json/wc/v3/orders/{id}" */
  char              *authorization;  /* "Basic …" */
  char              *key;            /* for scrubbing */
  char              *secret;
  gboolean           note_done;
  char              *note_id;
  gboolean           status_done;
  gboolean           sent_something;
} Push;

static void
wipe (char **text)
{
  if (*text != NULL)
    memset (*text, 0, strlen (*text));
  g_clear_pointer (text, g_free);
}

static void
push_free (Push *push)
{
  g_clear_pointer (&push->job, sk_push_job_unref);
  g_clear_pointer (&push->f, sk_push_fulfillment_free);
  g_free (push->order_url);
  wipe (&push->authorization);
  wipe (&push->key);
  wipe (&push->secret);
  g_free (push->note_id);
  g_free (push);
}

static char *
site_root (const SkChannelRecord *channel)
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

/* The key, the secret and their Basic encoding never reach a message. */
static char *
scrub (Push *push, const char *text)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  if (push->authorization != NULL)
    g_string_replace (out, push->authorization + strlen ("Basic "), "…", 0);
  if (push->secret != NULL && *push->secret != '\0')
    g_string_replace (out, push->secret, "…", 0);
  if (push->key != NULL && *push->key != '\0')
    g_string_replace (out, push->key, "…", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
return_result (GTask *task, SkPushResult *result)
{
  Push *push = g_task_get_task_data (task);
  char *scrubbed = scrub (push, result->message);

  g_free (result->message);
  result->message = scrubbed;
  g_task_return_pointer (task, result, (GDestroyNotify) sk_push_result_free);
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

static void
request (GTask               *task,
         const char          *method,
         const char          *suffix,
         JsonNode            *body,
         GAsyncReadyCallback  callback)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) bytes = body != NULL ? sk_push_json_bytes (body) : NULL;
  g_autofree char *url = g_strconcat (push->order_url, suffix, NULL);

  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_headers_append (headers, "Authorization", push->authorization);
  sk_http_send_async (push->job->http, method, url, headers, bytes,
                      bytes != NULL ? "application/json" : NULL, NULL,
                      g_task_get_cancellable (task), callback, g_object_ref (task));
}

static SkHttpResponse *
finish_request (GTask        *task,
                GAsyncResult *result)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *words = NULL;
  SkHttpResponse *response;

  response = sk_http_send_finish (push->job->http, result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        return_result (task, sk_push_result_for_error (push->job, error));
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

static void advance (GTask *task);

/* The note */

static char *
note_text (SkPushFulfillment *f)
{
  GString *text = g_string_new (NULL);

  g_string_printf (text, _("Shipped with %s, tracking %s"), f->carrier, f->tracking_number);
  if (f->tracking_url != NULL)
    g_string_append_printf (text, " %s", f->tracking_url);
  if (!f->complete)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("In this parcel:"));
      for (guint i = 0; i < f->lines->len; i++)
        {
          SkPushLine *line = g_ptr_array_index (f->lines, i);

          g_string_append_printf (text, "%s %" G_GINT64_FORMAT " × %s", i > 0 ? "," : "",
                                  line->quantity, line->title != NULL ? line->title : "");
        }
    }
  return g_string_free (text, FALSE);
}

static void
on_note_posted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;

  if (response == NULL)
    return;
  root = sk_push_parse_json (response->body);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    push->note_id = sk_push_dup_id (json_node_get_object (root), "id");
  push->note_done = TRUE;
  push->sent_something = TRUE;
  advance (task);
}

static void
post_note (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = note_text (push->f);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "customer_note");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  request (task, "POST", "/notes", body, on_note_posted);
}

/* The status */

static void
on_completed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);

  if (response == NULL)
    return;
  push->status_done = TRUE;
  push->sent_something = TRUE;
  advance (task);
}

static void
put_completed (GTask *task)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "completed");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  request (task, "PUT", "", body, on_completed);
}

/* The checks */

static void
on_order_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;

  if (response == NULL)
    return;
  root = sk_push_parse_json (response->body);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    push->status_done = g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                               "status", NULL),
                                   "completed") == 0;
  advance (task);
}

static void
on_notes_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = finish_request (task, result);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *notes;

  if (response == NULL)
    return;
  root = sk_push_parse_json (response->body);
  notes = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  for (guint i = 0; notes != NULL && i < json_array_get_length (notes); i++)
    {
      JsonObject *note = sk_push_object_at (notes, i);
      const char *text;

      if (note == NULL)
        continue;
      text = json_object_get_string_member_with_default (note, "note", NULL);
      if (text != NULL && strstr (text, push->f->tracking_number) != NULL)
        {
          push->note_done = TRUE;
          push->note_id = sk_push_dup_id (note, "id");
          break;
        }
    }
  if (push->f->complete)
    request (task, "GET", "", NULL, on_order_checked);
  else
    advance (task);
}

/* The order of things: status first (when complete), then the note. */
static void
advance (GTask *task)
{
  Push *push = g_task_get_task_data (task);

  if (push->f->complete && !push->status_done)
    put_completed (task);
  else if (!push->note_done)
    post_note (task);
  else
    return_result (task, sk_push_result_new_sent (push->note_id, !push->sent_something));
}

/* The pusher */

static gboolean
prepare (Push *push, GTask *task)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *message = NULL;

  push->f = sk_push_fulfillment_parse (push->job->row->payload, &error);
  if (push->f == NULL)
    {
      return_result (task, sk_push_result_new_refused (error->message));
      return FALSE;
    }
  if (!is_numeric_id (push->f->order_external_id))
    {
      message = g_strdup_printf (_("Order %s does not have a WooCommerce order id, so the shop cannot be told it shipped."),
                                 push->f->order_number);
      return_result (task, sk_push_result_new_refused (message));
      return FALSE;
    }
  if (!sk_woo_channel_parse_secret (push->job->secret, &push->key, &push->secret))
    {
      SkPushResult *result;

      message = g_strdup_printf (_("No complete WooCommerce keys are stored for %s, so the shipment of order %s cannot be sent. Enter the consumer key and consumer secret in the channel settings."),
                                 sk_push_channel_label (push->job), push->f->order_number);
      result = sk_push_result_new_retry (0, message);
      result->credentials_refused = TRUE;
      return_result (task, result);
      return FALSE;
    }

  push->authorization = sk_woo_basic_authorization (push->key, push->secret);

  site = site_root (push->job->channel);
  push->order_url = g_strdup_printf ("%s" SK_WOO_API_PREFIX "/orders/%s", site,
                                     push->f->order_external_id);
  return TRUE;
}

static void
sk_woo_pusher_push_async (SkPusher            *pusher,
                          SkPushJob           *job,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (pusher, cancellable, callback, user_data);
  Push *push;

  g_task_set_source_tag (task, sk_woo_pusher_push_async);
  push = g_new0 (Push, 1);
  push->job = sk_push_job_ref (job);
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);

  if (!prepare (push, task))
    return;
  if (job->check_first)
    request (task, "GET", "/notes", NULL, on_notes_checked);
  else
    advance (task);
}

static SkPushResult *
sk_woo_pusher_push_finish (SkPusher      *pusher,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pusher), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_woo_pusher_iface_init (SkPusherInterface *iface)
{
  iface->push_async = sk_woo_pusher_push_async;
  iface->push_finish = sk_woo_pusher_push_finish;
}

static void
sk_woo_pusher_class_init (SkWooPusherClass *klass)
{
}

static void
sk_woo_pusher_init (SkWooPusher *self)
{
}

SkPusher *
sk_woo_pusher_new (void)
{
  return g_object_new (SK_TYPE_WOO_PUSHER, NULL);
}
