/* sk-lwa.c: Login with Amazon, refresh token → access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST token_url with grant_type=refresh_token, refresh_token, client_id
 * and client_secret, form-encoded; the answer is {"access_token": "Atza|…",
 * "token_type": "bearer", "expires_in": 3600}. A refused authorization is
 * 400 {"error": "invalid_grant", "error_description": …} (or
 * invalid_client / unauthorized_client, or a 401).
 *
 * One exchange at a time: requests that arrive while one runs wait for it.
 * It runs with the cancellable of the first request; if that one is
 * cancelled, the requests still waiting start another exchange.
 */
#define G_LOG_DOMAIN "sk-amazon"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-lwa.h"
#include "sk-time.h"

#define DEFAULT_LIFETIME 3600

struct _SkLwaClient
{
  GObject parent_instance;

  SkHttp *http;
  char *token_url;
  char *seller;
  SkLwaCredentials *credentials;

  char *access_token;
  char *old_token;        /* the one before, for scrubbing */
  gint64 expires_at;      /* unix seconds */
  gint64 refresh_at;

  GQueue waiters;         /* GTask */
  gboolean exchanging;
  guint generation;       /* bumped by configure: drops stale answers */
};

G_DEFINE_FINAL_TYPE (SkLwaClient, sk_lwa_client, G_TYPE_OBJECT)

/* Credentials */

static void
clear_string (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

void
sk_lwa_credentials_free (SkLwaCredentials *credentials)
{
  if (credentials == NULL)
    return;
  clear_string (&credentials->client_id);
  clear_string (&credentials->client_secret);
  clear_string (&credentials->refresh_token);
  g_free (credentials);
}

static SkLwaCredentials *
credentials_copy (const SkLwaCredentials *credentials)
{
  SkLwaCredentials *copy = g_new0 (SkLwaCredentials, 1);

  copy->client_id = g_strdup (credentials->client_id);
  copy->client_secret = g_strdup (credentials->client_secret);
  copy->refresh_token = g_strdup (credentials->refresh_token);
  return copy;
}

gboolean
sk_lwa_credentials_equal (const SkLwaCredentials *a,
                          const SkLwaCredentials *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->client_id, b->client_id) == 0 &&
         g_strcmp0 (a->client_secret, b->client_secret) == 0 &&
         g_strcmp0 (a->refresh_token, b->refresh_token) == 0;
}

/* Member @name as a non-empty text, trimmed. */
static char *
dup_text_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    {
      clear_string (&text);
      return NULL;
    }
  return g_steal_pointer (&text);
}

SkLwaCredentials *
sk_lwa_credentials_parse (const char  *secret,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkLwaCredentials) credentials = NULL;
  JsonNode *root;
  JsonObject *obj;

  if (secret == NULL || *secret == '\0')
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("No Amazon credentials are stored for this channel. Enter the client id, client secret and refresh token in the channel settings."));
      return NULL;
    }
  /* The parser's own error could quote the secret: not used. */
  if (!json_parser_load_from_data (parser, secret, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("The stored Amazon credentials cannot be read. Enter the client id, client secret and refresh token again in the channel settings."));
      return NULL;
    }

  obj = json_node_get_object (root);
  credentials = g_new0 (SkLwaCredentials, 1);
  credentials->client_id = dup_text_member (obj, "client_id");
  credentials->client_secret = dup_text_member (obj, "client_secret");
  credentials->refresh_token = dup_text_member (obj, "refresh_token");

  if (credentials->client_id == NULL || credentials->client_secret == NULL ||
      credentials->refresh_token == NULL)
    {
      const char *missing = credentials->client_id == NULL ? "client_id"
                            : credentials->client_secret == NULL ? "client_secret"
                            : "refresh_token";

      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                   _("The stored Amazon credentials have no %s. Enter the client id, client secret and refresh token again in the channel settings."),
                   missing);
      return NULL;
    }
  return g_steal_pointer (&credentials);
}

char *
sk_lwa_credentials_to_secret (const SkLwaCredentials *credentials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (credentials != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, credentials->client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, credentials->client_secret);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, credentials->refresh_token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The exchange */

static void
forget_token (SkLwaClient *self)
{
  clear_string (&self->old_token);
  self->old_token = g_steal_pointer (&self->access_token);
  self->expires_at = 0;
  self->refresh_at = 0;
}

static gboolean
token_is_fresh (SkLwaClient *self)
{
  return self->access_token != NULL && sk_time_now () < self->refresh_at;
}

static void
zero_and_free (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

static void
append_param (GString *body, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (body->len > 0)
    g_string_append_c (body, '&');
  g_string_append (body, name);
  g_string_append_c (body, '=');
  g_string_append (body, escaped);
  memset (escaped, 0, strlen (escaped));
}

static GBytes *
request_body (SkLwaClient *self)
{
  GString *body = g_string_new (NULL);
  gsize len;
  char *text;

  append_param (body, "grant_type", "refresh_token");
  append_param (body, "refresh_token", self->credentials->refresh_token);
  append_param (body, "client_id", self->credentials->client_id);
  append_param (body, "client_secret", self->credentials->client_secret);
  len = body->len;
  text = g_string_free (body, FALSE);
  return g_bytes_new_with_free_func (text, len, zero_and_free, text);
}

/* The "error" and "error_description" of an LWA refusal. */
static void
read_refusal (GBytes *body, char **out_code, char **out_description)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  const char *data;
  gsize len;

  *out_code = NULL;
  *out_description = NULL;
  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0 || len > 64 * 1024 ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  *out_code = dup_text_member (json_node_get_object (root), "error");
  *out_description = dup_text_member (json_node_get_object (root), "error_description");
}

static GError *
refusal_error (SkLwaClient *self, SkHttpResponse *response)
{
  g_autofree char *code = NULL;
  g_autofree char *description = NULL;
  g_autofree char *scrubbed = NULL;
  guint status = response->status;

  read_refusal (response->body, &code, &description);

  if (status == 401 ||
      (status == 400 && (g_strcmp0 (code, "invalid_grant") == 0 ||
                         g_strcmp0 (code, "invalid_client") == 0 ||
                         g_strcmp0 (code, "unauthorized_client") == 0)))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                        _("Amazon refused the authorization for seller %s. Authorize Storekeep again in Seller Central, then update the channel."),
                        self->seller);
  if (status == 429)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                        _("Login with Amazon asked Storekeep to slow down for seller %s and kept refusing after several tries. Storekeep will try again in a few minutes."),
                        self->seller);
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                        _("Login with Amazon could not answer for seller %s (HTTP %u), even after several tries. Amazon may be having problems; Storekeep will try again later."),
                        self->seller, status);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("The Login with Amazon address sends Storekeep elsewhere instead of answering. Check the channel settings."));

  scrubbed = sk_lwa_client_scrub (self, description != NULL ? description : code);
  if (scrubbed != NULL)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                        _("Login with Amazon refused to renew the access for seller %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                        self->seller, status, scrubbed);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                      _("Login with Amazon refused to renew the access for seller %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                      self->seller, status);
}

/* Reads {"access_token", "expires_in"}; FALSE when they are not there. */
static gboolean
read_grant (SkLwaClient *self, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token = NULL;
  JsonNode *root;
  JsonNode *expires;
  JsonObject *obj;
  const char *data;
  gint64 lifetime = DEFAULT_LIFETIME;
  gint64 now;
  gsize len;

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  obj = json_node_get_object (root);
  token = dup_text_member (obj, "access_token");
  if (token == NULL)
    return FALSE;

  expires = json_object_get_member (obj, "expires_in");
  if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires))
    {
      guint64 value;

      if (json_node_get_value_type (expires) == G_TYPE_INT64 && json_node_get_int (expires) > 0)
        lifetime = json_node_get_int (expires);
      else if (json_node_get_value_type (expires) == G_TYPE_STRING &&
               g_ascii_string_to_unsigned (json_node_get_string (expires), 10, 1,
                                           G_MAXINT32, &value, NULL))
        lifetime = (gint64) value;
    }
  lifetime = MIN (lifetime, G_MAXINT32);

  forget_token (self);
  now = sk_time_now ();
  self->access_token = g_steal_pointer (&token);
  self->expires_at = now + lifetime;
  self->refresh_at = self->expires_at - MIN (SK_LWA_REFRESH_MARGIN, lifetime / 2);
  return TRUE;
}

static void start_exchange (SkLwaClient *self);

/* Answer every waiter; @error NULL: with the token. */
static void
complete_waiters (SkLwaClient *self, const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), zero_and_free);
      g_object_unref (task);
    }
}

typedef struct {
  SkLwaClient *self;
  guint        generation;
} Exchange;

static void
on_exchanged (GObject *source, GAsyncResult *result, gpointer data)
{
  Exchange *exchange = data;
  g_autoptr(SkLwaClient) self = exchange->self;
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = exchange->generation;

  g_free (exchange);
  self->exchanging = FALSE;
  response = sk_http_send_finish (SK_HTTP (source), result, &error);

  /* Credentials changed meanwhile: this answer is for the old ones. */
  if (generation != self->generation)
    {
      if (!g_queue_is_empty (&self->waiters))
        start_exchange (self);
      return;
    }

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Those who did not cancel go on with a new exchange. */
      GList *l = self->waiters.head;

      while (l != NULL)
        {
          GList *next = l->next;
          GTask *task = l->data;

          if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
            {
              g_queue_delete_link (&self->waiters, l);
              g_task_return_error (task, g_error_copy (error));
              g_object_unref (task);
            }
          l = next;
        }
      if (!g_queue_is_empty (&self->waiters))
        start_exchange (self);
      return;
    }

  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    error = refusal_error (self, response);
  else if (error == NULL && !read_grant (self, response->body))
    error = g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                         _("Login with Amazon sent an answer Storekeep could not read while renewing the access for seller %s. Check the channel settings; Storekeep will try again at the next sync."),
                         self->seller);

  if (error != NULL)
    {
      char *scrubbed = sk_lwa_client_scrub (self, error->message);

      g_free (error->message);
      error->message = scrubbed;
      g_debug ("Renewing the Amazon access token of %s failed", self->seller);
    }
  else
    g_debug ("Renewed the Amazon access token of %s", self->seller);
  complete_waiters (self, error);
}

static void
start_exchange (SkLwaClient *self)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = request_body (self);
  GTask *first = g_queue_peek_head (&self->waiters);
  Exchange *exchange;

  g_assert (first != NULL);
  g_assert (!self->exchanging);

  soup_message_headers_append (headers, "Accept", "application/json");
  exchange = g_new0 (Exchange, 1);
  exchange->self = g_object_ref (self);
  exchange->generation = self->generation;
  self->exchanging = TRUE;
  sk_http_send_async (self->http, "POST", self->token_url, headers, body,
                      "application/x-www-form-urlencoded;charset=UTF-8", NULL,
                      g_task_get_cancellable (first), on_exchanged, exchange);
}

/* GObject */

static void
sk_lwa_client_finalize (GObject *object)
{
  SkLwaClient *self = SK_LWA_CLIENT (object);

  g_assert (g_queue_is_empty (&self->waiters));
  g_clear_object (&self->http);
  g_free (self->token_url);
  g_free (self->seller);
  g_clear_pointer (&self->credentials, sk_lwa_credentials_free);
  clear_string (&self->access_token);
  clear_string (&self->old_token);

  G_OBJECT_CLASS (sk_lwa_client_parent_class)->finalize (object);
}

static void
sk_lwa_client_class_init (SkLwaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_lwa_client_finalize;
}

static void
sk_lwa_client_init (SkLwaClient *self)
{
  g_queue_init (&self->waiters);
  self->token_url = g_strdup (SK_LWA_TOKEN_URL);
  self->seller = g_strdup ("");
}

/* Public API */

SkLwaClient *
sk_lwa_client_new (SkHttp *http)
{
  SkLwaClient *self;

  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  self = g_object_new (SK_TYPE_LWA_CLIENT, NULL);
  self->http = g_object_ref (http);
  return self;
}

void
sk_lwa_client_configure (SkLwaClient            *self,
                         const char             *token_url,
                         const SkLwaCredentials *credentials,
                         const char             *seller)
{
  const char *url = token_url != NULL && *token_url != '\0' ? token_url : SK_LWA_TOKEN_URL;

  g_return_if_fail (SK_IS_LWA_CLIENT (self));

  g_free (self->seller);
  self->seller = g_strdup (seller != NULL ? seller : "");

  if (g_strcmp0 (self->token_url, url) == 0 &&
      sk_lwa_credentials_equal (self->credentials, credentials))
    return;

  g_free (self->token_url);
  self->token_url = g_strdup (url);
  g_clear_pointer (&self->credentials, sk_lwa_credentials_free);
  if (credentials != NULL)
    self->credentials = credentials_copy (credentials);
  forget_token (self);
  self->generation++;
}

void
sk_lwa_client_get_token_async (SkLwaClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_LWA_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_lwa_client_get_token_async);

  if (self->credentials == NULL)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               _("No Amazon credentials are stored for seller %s. Enter the client id, client secret and refresh token in the channel settings."),
                               self->seller);
      return;
    }
  if (token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), zero_and_free);
      return;
    }

  g_queue_push_tail (&self->waiters, g_steal_pointer (&task));
  if (!self->exchanging)
    start_exchange (self);
}

char *
sk_lwa_client_get_token_finish (SkLwaClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sk_lwa_client_invalidate (SkLwaClient *self,
                          const char  *token)
{
  g_return_if_fail (SK_IS_LWA_CLIENT (self));

  if (token != NULL && g_strcmp0 (self->access_token, token) == 0)
    forget_token (self);
}

gint64
sk_lwa_client_get_expires_at (SkLwaClient *self)
{
  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), 0);

  return self->access_token != NULL ? self->expires_at : 0;
}

char *
sk_lwa_client_scrub (SkLwaClient *self,
                     const char  *text)
{
  g_autoptr(GString) scrubbed = NULL;
  const char *secrets[5] = { NULL, };

  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), NULL);

  if (text == NULL)
    return NULL;
  if (self->credentials != NULL)
    {
      secrets[0] = self->credentials->client_secret;
      secrets[1] = self->credentials->refresh_token;
      secrets[2] = self->credentials->client_id;
    }
  secrets[3] = self->access_token;
  secrets[4] = self->old_token;

  scrubbed = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL && *secrets[i] != '\0')
      g_string_replace (scrubbed, secrets[i], "…", 0);
  return g_string_free (g_steal_pointer (&scrubbed), FALSE);
}
