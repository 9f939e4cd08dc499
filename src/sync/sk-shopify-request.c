/* sk-shopify-request.c: Admin API requests with a Shopify channel's
 * credentials, for the catalog pull and the pushers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-shopify"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-shopify-normalize.h"
#include "sk-shopify-request.h"

#define BUCKET_SIZE 40
#define LEAK_PER_SECOND 2

/* Helpers */

char *
sk_shopify_record_base_url (const SkChannelRecord *record)
{
  g_autofree char *url = NULL;
  gsize len;

  g_return_val_if_fail (record != NULL, NULL);

  if (record->base_url != NULL && *record->base_url != '\0')
    url = g_strdup (record->base_url);
  else
    url = g_strconcat ("https://", record->account != NULL ? record->account : "", NULL);
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

char *
sk_shopify_record_api_url (const SkChannelRecord *record,
                           const char            *endpoint,
                           const char            *query)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);

  base = sk_shopify_record_base_url (record);
  return g_strconcat (base, "/admin/api/" SK_SHOPIFY_API_VERSION "/", endpoint,
                      query != NULL ? "?" : "", query, NULL);
}

const char *
sk_shopify_record_shop_name (const SkChannelRecord *record)
{
  g_return_val_if_fail (record != NULL, "");

  if (record->account != NULL && *record->account != '\0')
    return record->account;
  if (record->base_url != NULL && *record->base_url != '\0')
    return record->base_url;
  return record->name != NULL ? record->name : "";
}

/* X-Shopify-Shop-Api-Call-Limit: "32/40" */
static void
read_call_limit (SkRateLimiter      *limiter,
                 SoupMessageHeaders *headers,
                 gint64              now_us,
                 gpointer            user_data)
{
  const char *value = soup_message_headers_get_one (headers, "X-Shopify-Shop-Api-Call-Limit");
  g_auto(GStrv) parts = NULL;
  guint64 used, limit;

  if (value == NULL)
    return;
  parts = g_strsplit (value, "/", 2);
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, 100000, &used, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 100000, &limit, NULL))
    return;
  sk_rate_limiter_observe (limiter, (double) used, (double) limit, now_us);
  /* A twentieth of the bucket leaks a second on every plan. */
  sk_rate_limiter_set_rate (limiter, (double) limit / 20.0, now_us);
}

SkRateLimiter *
sk_shopify_rate_limiter_new (void)
{
  SkRateLimiter *limiter = sk_rate_limiter_new (BUCKET_SIZE, LEAK_PER_SECOND);

  sk_rate_limiter_set_header_func (limiter, read_call_limit, NULL);
  return limiter;
}

char *
sk_shopify_next_page_info (SkHttpResponse *response)
{
  const char *link;
  g_autofree char *target = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *query;
  const char *token;

  g_return_val_if_fail (response != NULL, NULL);

  link = soup_message_headers_get_list (response->headers, "Link");
  target = sk_http_parse_link_header (link, "next");
  if (target == NULL)
    return NULL;
  /* Relative links are fine: only the query matters. */
  base = g_uri_parse ("https://shop.invalid/", G_URI_FLAGS_NONE, NULL);
  uri = g_uri_parse_relative (base, target, G_URI_FLAGS_NONE, NULL);
  query = uri != NULL ? g_uri_get_query (uri) : NULL;
  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  token = params != NULL ? g_hash_table_lookup (params, "page_info") : NULL;
  if (token == NULL || *token == '\0')
    return NULL;
  return g_strdup (token);
}

gboolean
sk_shopify_prepare_auth (SkHttp                 *http,
                         const SkChannelRecord  *record,
                         const char             *secret,
                         SkShopifyTokenClient  **inout_client,
                         char                  **out_plain_token,
                         GError                **error)
{
  g_autoptr(SkShopifyAppCredentials) credentials = NULL;
  g_autofree char *base = NULL;
  g_autofree char *token_url = NULL;
  g_autoptr(SkShopifyTokenClient) shared = NULL;

  g_return_val_if_fail (SK_IS_HTTP (http), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (inout_client != NULL, FALSE);
  g_return_val_if_fail (out_plain_token != NULL, FALSE);

  *out_plain_token = NULL;
  if (secret == NULL || *secret == '\0')
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                   _("No access token is stored for the Shopify shop %s. Enter the token in the channel settings."),
                   sk_shopify_record_shop_name (record));
      return FALSE;
    }
  if (!sk_shopify_secret_is_app_credentials (secret))
    {
      *out_plain_token = g_strdup (secret);
      return TRUE;
    }

  credentials = sk_shopify_app_credentials_parse (secret, error);
  if (credentials == NULL)
    return FALSE;
  base = sk_shopify_record_base_url (record);
  token_url = sk_shopify_token_url (base);
  /* One client for the app on this shop, whoever asks: its token and its
   * exchange are shared. */
  shared = sk_shopify_token_client_get_shared (http, token_url, credentials->client_id);
  g_set_object (inout_client, shared);
  sk_shopify_token_client_configure (*inout_client, token_url, credentials,
                                     sk_shopify_record_shop_name (record));
  return TRUE;
}

char *
sk_shopify_scrub (const char           *text,
                  const char           *secret,
                  const char           *plain_token,
                  SkShopifyTokenClient *client)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  if (secret != NULL && *secret != '\0')
    g_string_replace (out, secret, "…", 0);
  if (plain_token != NULL && *plain_token != '\0')
    g_string_replace (out, plain_token, "…", 0);
  if (client != NULL)
    {
      char *scrubbed = sk_shopify_token_client_scrub (client, out->str);

      g_string_assign (out, scrubbed);
      sk_secret_wipe (&scrubbed);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Sending */

typedef struct {
  SkHttp               *http;
  SkShopifyTokenClient *client;
  SkRateLimiter        *limiter;
  char                 *method;
  char                 *url;
  GBytes               *body;
  char                 *plain_token;
  char                 *token;     /* what was sent */
  gboolean              renewed;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->http);
  g_clear_object (&send->client);
  g_clear_pointer (&send->limiter, sk_rate_limiter_unref);
  g_free (send->method);
  g_free (send->url);
  g_clear_pointer (&send->body, g_bytes_unref);
  sk_secret_wipe (&send->plain_token);
  sk_secret_wipe (&send->token);
  g_free (send);
}

static void request_token (GTask *task);

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Send *send = g_task_get_task_data (task);
  SkHttpResponse *response;
  GError *error = NULL;

  response = sk_http_send_finish (send->http, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* An app's token that expired early or was revoked: a new one, once. */
  if (response->status == SOUP_STATUS_UNAUTHORIZED && send->plain_token == NULL &&
      send->client != NULL && !send->renewed)
    {
      g_debug ("Shopify refused the app's access token; asking for a new one");
      sk_http_response_free (response);
      send->renewed = TRUE;
      sk_shopify_token_client_invalidate (send->client, send->token);
      request_token (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, response, (GDestroyNotify) sk_http_response_free);
}

static void
send_now (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_append (headers, "Accept", "application/json");
  if (send->token != NULL)
    soup_message_headers_append (headers, "X-Shopify-Access-Token", send->token);
  sk_http_send_async (send->http, send->method, send->url, headers, send->body,
                      send->body != NULL ? "application/json" : NULL, send->limiter,
                      g_task_get_cancellable (task), on_sent, task);
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  sk_secret_wipe (&send->token);
  send->token = sk_shopify_token_client_get_token_finish (SK_SHOPIFY_TOKEN_CLIENT (source),
                                                          result, &error);
  if (send->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  send_now (g_steal_pointer (&task));
}

static void
request_token (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  sk_shopify_token_client_get_token_async (send->client, g_task_get_cancellable (task),
                                           on_token, task);
}

void
sk_shopify_send_async (SkHttp               *http,
                       SkShopifyTokenClient *client,
                       const char           *plain_token,
                       SkRateLimiter        *limiter,
                       const char           *method,
                       const char           *url,
                       GBytes               *body,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  GTask *task;
  Send *send;

  g_return_if_fail (SK_IS_HTTP (http));
  g_return_if_fail (client == NULL || SK_IS_SHOPIFY_TOKEN_CLIENT (client));
  g_return_if_fail (plain_token != NULL || client != NULL);
  g_return_if_fail (method != NULL && url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_shopify_send_async);
  send = g_new0 (Send, 1);
  send->http = g_object_ref (http);
  send->client = client != NULL ? g_object_ref (client) : NULL;
  send->limiter = limiter != NULL ? sk_rate_limiter_ref (limiter) : NULL;
  send->method = g_strdup (method);
  send->url = g_strdup (url);
  send->body = body != NULL ? g_bytes_ref (body) : NULL;
  send->plain_token = g_strdup (plain_token);
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  if (plain_token != NULL)
    {
      send->token = g_strdup (plain_token);
      send_now (task);
    }
  else
    request_token (task);
}

SkHttpResponse *
sk_shopify_send_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_shopify_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
