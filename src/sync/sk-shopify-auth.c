/* sk-shopify-auth.c: a Dev Dashboard app's client ID and secret → an
 * Admin API access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exchange at a time: requests for a token that arrive while one runs
 * wait for its answer. It runs with the cancellable of the first request;
 * if that one is cancelled, those still waiting start another exchange.
 */
#define G_LOG_DOMAIN "sk-shopify"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-shopify-auth.h"
#include "sk-time.h"

#define MAX_WORDS 300

struct _SkShopifyTokenClient
{
  GObject parent_instance;

  SkHttp *http;
  char *token_url;
  char *shop;
  SkShopifyAppCredentials *credentials;

  char *access_token;
  char *old_token;        /* the one before, for scrubbing */
  char *scope;
  gint64 expires_at;      /* unix seconds */
  gint64 refresh_at;

  GQueue waiters;         /* GTask */
  gboolean exchanging;
  guint generation;       /* bumped by configure: drops stale answers */
};

G_DEFINE_FINAL_TYPE (SkShopifyTokenClient, sk_shopify_token_client, G_TYPE_OBJECT)

/* Helpers */

static void
wipe_string (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
wipe_and_free (gpointer data)
{
  char *text = data;

  wipe_string (&text);
}

/* Member @name as a non-empty text, trimmed; NULL otherwise. */
static char *
dup_text_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    wipe_string (&text);
  return text;
}

/* The object at the root of @data, or NULL. */
static JsonObject *
parse_object (JsonParser *parser, const char *data, gssize len)
{
  JsonNode *root;

  /* The parser's own error could quote the input: never used. */
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

/* Credentials */

gboolean
sk_shopify_secret_is_app_credentials (const char *secret)
{
  if (secret == NULL)
    return FALSE;
  while (g_ascii_isspace (*secret))
    secret++;
  return *secret == '{';
}

SkShopifyAppCredentials *
sk_shopify_app_credentials_parse (const char  *secret,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SkShopifyAppCredentials) credentials = NULL;
  JsonObject *obj;

  obj = secret != NULL ? parse_object (parser, secret, -1) : NULL;
  if (obj == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("The stored Shopify app credentials cannot be read. Enter the app’s client ID and secret again in the channel settings."));
      return NULL;
    }

  credentials = g_new0 (SkShopifyAppCredentials, 1);
  credentials->client_id = dup_text_member (obj, "client_id");
  credentials->client_secret = dup_text_member (obj, "client_secret");
  if (credentials->client_id == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("The stored Shopify app credentials have no client ID. Enter the app’s client ID and secret again in the channel settings."));
      return NULL;
    }
  if (credentials->client_secret == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("The stored Shopify app credentials have no client secret. Enter the app’s client ID and secret again in the channel settings."));
      return NULL;
    }
  return g_steal_pointer (&credentials);
}

char *
sk_shopify_app_credentials_to_secret (const char *client_id,
                                      const char *client_secret)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (client_secret != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, client_secret);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
sk_shopify_app_credentials_equal (const SkShopifyAppCredentials *a,
                                  const SkShopifyAppCredentials *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->client_id, b->client_id) == 0 &&
         g_strcmp0 (a->client_secret, b->client_secret) == 0;
}

void
sk_shopify_app_credentials_free (SkShopifyAppCredentials *credentials)
{
  if (credentials == NULL)
    return;
  wipe_string (&credentials->client_id);
  wipe_string (&credentials->client_secret);
  g_free (credentials);
}

static SkShopifyAppCredentials *
credentials_copy (const SkShopifyAppCredentials *credentials)
{
  SkShopifyAppCredentials *copy = g_new0 (SkShopifyAppCredentials, 1);

  copy->client_id = g_strdup (credentials->client_id);
  copy->client_secret = g_strdup (credentials->client_secret);
  return copy;
}

char *
sk_shopify_token_url (const char *base_url)
{
  g_autofree char *base = NULL;
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);

  base = g_strdup (base_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strconcat (base, SK_SHOPIFY_TOKEN_PATH, NULL);
}

gboolean
sk_shopify_scope_allows_orders (const char *scope)
{
  g_auto(GStrv) scopes = NULL;

  if (scope == NULL)
    return FALSE;
  scopes = g_strsplit (scope, ",", -1);
  for (guint i = 0; scopes[i] != NULL; i++)
    {
      g_strstrip (scopes[i]);
      if (g_str_equal (scopes[i], "read_orders") || g_str_equal (scopes[i], "write_orders"))
        return TRUE;
    }
  return FALSE;
}

/* Shopify's words */

static void
append_error_text (GString *out, JsonNode *node)
{
  if (node == NULL)
    return;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (out->len > 0)
            g_string_append (out, "; ");
          g_string_append (out, json_node_get_string (node));
        }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          append_error_text (out, json_array_get_element (array, i));
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            JsonNode *member = json_object_get_member (object, l->data);
            gsize before = out->len;

            append_error_text (out, member);
            /* {"email": ["is invalid"]} reads "email is invalid". */
            if (out->len > before)
              {
                gsize at = before > 0 ? before + 2 : 0;

                g_string_insert (out, at, " ");
                g_string_insert (out, at, l->data);
              }
          }
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

char *
sk_shopify_error_text (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *object;
  const char *data;
  gsize len = 0;

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (len > 64 * 1024)
    return NULL;
  object = parse_object (parser, data, len);
  if (object == NULL)
    return NULL;

  append_error_text (out, json_object_get_member (object, "errors"));
  if (out->len == 0)
    append_error_text (out, json_object_get_member (object, "error_description"));
  if (out->len == 0)
    append_error_text (out, json_object_get_member (object, "error"));
  if (out->len == 0)
    return NULL;
  if (out->len > MAX_WORDS)
    {
      g_string_truncate (out, MAX_WORDS);
      /* Do not leave half a UTF-8 character. */
      while (out->len > 0 && !g_utf8_validate (out->str, out->len, NULL))
        g_string_truncate (out, out->len - 1);
      g_string_append (out, "…");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The exchange */

static void
forget_token (SkShopifyTokenClient *self)
{
  wipe_string (&self->old_token);
  self->old_token = g_steal_pointer (&self->access_token);
  g_clear_pointer (&self->scope, g_free);
  self->expires_at = 0;
  self->refresh_at = 0;
}

static gboolean
token_is_fresh (SkShopifyTokenClient *self)
{
  return self->access_token != NULL && sk_time_now () < self->refresh_at;
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
request_body (SkShopifyTokenClient *self)
{
  GString *body = g_string_new (NULL);
  gsize len;
  char *text;

  append_param (body, "grant_type", "client_credentials");
  append_param (body, "client_id", self->credentials->client_id);
  append_param (body, "client_secret", self->credentials->client_secret);
  len = body->len;
  text = g_string_free (body, FALSE);
  return g_bytes_new_with_free_func (text, len, wipe_and_free, text);
}

static GError *
refusal_error (SkShopifyTokenClient *self, SkHttpResponse *response)
{
  g_autofree char *words = sk_shopify_error_text (response->body);
  g_autofree char *scrubbed = sk_shopify_token_client_scrub (self, words);
  guint status = response->status;

  if (status == 400 || status == 401 || status == 403)
    {
      if (scrubbed != NULL)
        return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                            /* Translators: %s is the shop domain, then Shopify’s own words */
                            _("Shopify refused the app’s client ID and secret for shop %s. Check them in the Dev Dashboard under your app’s Settings, and that the app is installed on this store. Shopify said: “%s”."),
                            self->shop, scrubbed);
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                          _("Shopify refused the app’s client ID and secret for shop %s. Check them in the Dev Dashboard under your app’s Settings, and that the app is installed on this store."),
                          self->shop);
    }
  if (status == 404)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("No Shopify shop answers at %s. Check the shop address."),
                        self->shop);
  if (status == 429)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                        _("Shopify asked Storekeep to slow down while it asked for an access token for shop %s, and kept refusing after several tries. Storekeep will try again in a few minutes."),
                        self->shop);
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                        _("Shopify could not hand out an access token for shop %s (HTTP %u), even after several tries. Shopify may be having problems; Storekeep will try again later."),
                        self->shop, status);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("The address %s sends Storekeep elsewhere instead of answering like a Shopify shop. Enter the shop’s .myshopify.com address in the channel settings."),
                        self->shop);
  if (scrubbed != NULL)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                        _("Shopify refused to hand out an access token for shop %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                        self->shop, status, scrubbed);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                      _("Shopify refused to hand out an access token for shop %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                      self->shop, status);
}

/* {"access_token", "expires_in", "scope"}: FALSE when there is no token. */
static gboolean
read_grant (SkShopifyTokenClient *self, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token = NULL;
  JsonObject *obj;
  JsonNode *expires;
  const char *data;
  gint64 lifetime = SK_SHOPIFY_DEFAULT_LIFETIME;
  gint64 now;
  gsize len = 0;

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  obj = parse_object (parser, data, len);
  if (obj == NULL)
    return FALSE;
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
  self->scope = dup_text_member (obj, "scope");
  self->expires_at = now + lifetime;
  self->refresh_at = self->expires_at - MIN (SK_SHOPIFY_REFRESH_MARGIN, lifetime / 2);
  return TRUE;
}

static void start_exchange (SkShopifyTokenClient *self);

/* Answer every waiter; @error NULL: with the token. */
static void
complete_waiters (SkShopifyTokenClient *self, const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), wipe_and_free);
      g_object_unref (task);
    }
}

/* The first waiter was cancelled: answer those who were, go on for the
 * others. */
static void
drop_cancelled_waiters (SkShopifyTokenClient *self, const GError *error)
{
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
}

typedef struct {
  SkShopifyTokenClient *self;
  guint                 generation;
} Exchange;

static void
on_exchanged (GObject *source, GAsyncResult *result, gpointer data)
{
  Exchange *exchange = data;
  g_autoptr(SkShopifyTokenClient) self = exchange->self;
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = exchange->generation;

  g_free (exchange);
  self->exchanging = FALSE;
  response = sk_http_send_finish (SK_HTTP (source), result, &error);

  /* Reconfigured meanwhile: this answer is for the old credentials. */
  if (generation != self->generation)
    {
      if (!g_queue_is_empty (&self->waiters))
        start_exchange (self);
      return;
    }

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drop_cancelled_waiters (self, error);
      return;
    }

  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    error = refusal_error (self, response);
  else if (error == NULL && !read_grant (self, response->body))
    error = g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                         _("Shopify sent an answer Storekeep could not read when it asked for an access token for shop %s. Check the shop address; Storekeep will try again at the next sync."),
                         self->shop);

  if (error != NULL)
    {
      char *scrubbed = sk_shopify_token_client_scrub (self, error->message);

      g_free (error->message);
      error->message = scrubbed;
      g_debug ("Shopify did not hand out an access token for %s", self->shop);
    }
  else
    g_debug ("Shopify handed out an access token for %s, valid for %" G_GINT64_FORMAT " s",
             self->shop, self->expires_at - sk_time_now ());
  complete_waiters (self, error);
}

static void
start_exchange (SkShopifyTokenClient *self)
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
                      "application/x-www-form-urlencoded", NULL,
                      g_task_get_cancellable (first), on_exchanged, exchange);
}

/* GObject */

static void
sk_shopify_token_client_finalize (GObject *object)
{
  SkShopifyTokenClient *self = SK_SHOPIFY_TOKEN_CLIENT (object);

  g_assert (g_queue_is_empty (&self->waiters));
  g_clear_object (&self->http);
  g_free (self->token_url);
  g_free (self->shop);
  g_free (self->scope);
  g_clear_pointer (&self->credentials, sk_shopify_app_credentials_free);
  wipe_string (&self->access_token);
  wipe_string (&self->old_token);

  G_OBJECT_CLASS (sk_shopify_token_client_parent_class)->finalize (object);
}

static void
sk_shopify_token_client_class_init (SkShopifyTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_shopify_token_client_finalize;
}

static void
sk_shopify_token_client_init (SkShopifyTokenClient *self)
{
  g_queue_init (&self->waiters);
  self->shop = g_strdup ("");
}

/* Public API */

SkShopifyTokenClient *
sk_shopify_token_client_new (SkHttp *http)
{
  SkShopifyTokenClient *self;

  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  self = g_object_new (SK_TYPE_SHOPIFY_TOKEN_CLIENT, NULL);
  self->http = g_object_ref (http);
  return self;
}

void
sk_shopify_token_client_configure (SkShopifyTokenClient          *self,
                                   const char                    *token_url,
                                   const SkShopifyAppCredentials *credentials,
                                   const char                    *shop)
{
  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));

  g_free (self->shop);
  self->shop = g_strdup (shop != NULL ? shop : "");

  if (g_strcmp0 (self->token_url, token_url) == 0 &&
      sk_shopify_app_credentials_equal (self->credentials, credentials))
    return;

  g_free (self->token_url);
  self->token_url = g_strdup (token_url);
  g_clear_pointer (&self->credentials, sk_shopify_app_credentials_free);
  if (credentials != NULL)
    self->credentials = credentials_copy (credentials);
  forget_token (self);
  self->generation++;
}

void
sk_shopify_token_client_get_token_async (SkShopifyTokenClient *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_shopify_token_client_get_token_async);

  if (self->credentials == NULL || self->token_url == NULL)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               _("No client ID and secret are stored for the Shopify shop %s. Enter the app’s client ID and secret in the channel settings."),
                               self->shop);
      return;
    }
  if (token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), wipe_and_free);
      return;
    }

  g_queue_push_tail (&self->waiters, g_steal_pointer (&task));
  if (!self->exchanging)
    start_exchange (self);
}

char *
sk_shopify_token_client_get_token_finish (SkShopifyTokenClient  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sk_shopify_token_client_invalidate (SkShopifyTokenClient *self,
                                    const char           *token)
{
  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));

  if (token != NULL && g_strcmp0 (self->access_token, token) == 0)
    forget_token (self);
}

gint64
sk_shopify_token_client_get_expires_at (SkShopifyTokenClient *self)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), 0);

  return self->access_token != NULL ? self->expires_at : 0;
}

const char *
sk_shopify_token_client_get_scope (SkShopifyTokenClient *self)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);

  return self->access_token != NULL ? self->scope : NULL;
}

char *
sk_shopify_token_client_scrub (SkShopifyTokenClient *self,
                               const char           *text)
{
  g_autoptr(GString) scrubbed = NULL;
  g_autofree char *escaped = NULL;
  const char *secrets[4] = { NULL, };

  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);

  if (text == NULL)
    return NULL;
  if (self->credentials != NULL)
    {
      secrets[0] = self->credentials->client_secret;
      /* As it went in the form body, should a server echo that. */
      escaped = g_uri_escape_string (self->credentials->client_secret, NULL, FALSE);
      secrets[1] = escaped;
    }
  secrets[2] = self->access_token;
  secrets[3] = self->old_token;

  scrubbed = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL && *secrets[i] != '\0')
      g_string_replace (scrubbed, secrets[i], "…", 0);
  if (escaped != NULL)
    memset (escaped, 0, strlen (escaped));
  return g_string_free (g_steal_pointer (&scrubbed), FALSE);
}
