/* sk-shopify-auth.c: a Dev Dashboard app's client ID and secret → an
 * Admin API access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The caching, the renewal and the single flight are SkTokenClient's.
 */
#define G_LOG_DOMAIN "sk-shopify"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-shopify-auth.h"

#define MAX_WORDS 300

struct _SkShopifyTokenClient
{
  SkTokenClient parent_instance;

  SkShopifyAppCredentials *credentials;
  char *scope;
};

G_DEFINE_FINAL_TYPE (SkShopifyTokenClient, sk_shopify_token_client, SK_TYPE_TOKEN_CLIENT)

/* Helpers */

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
  credentials->client_id = sk_json_dup_text_member (obj, "client_id");
  credentials->client_secret = sk_json_dup_text_member (obj, "client_secret");
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
  sk_secret_wipe (&credentials->client_id);
  sk_secret_wipe (&credentials->client_secret);
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

static gboolean
sk_shopify_token_client_has_credentials (SkTokenClient *client)
{
  return SK_SHOPIFY_TOKEN_CLIENT (client)->credentials != NULL;
}

static GError *
sk_shopify_token_client_missing_error (SkTokenClient *client)
{
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                      _("No client ID and secret are stored for the Shopify shop %s. Enter the app’s client ID and secret in the channel settings."),
                      sk_token_client_get_account (client));
}

static GBytes *
sk_shopify_token_client_request_body (SkTokenClient *client)
{
  SkShopifyTokenClient *self = SK_SHOPIFY_TOKEN_CLIENT (client);
  GString *body = g_string_new (NULL);

  sk_form_append (body, "grant_type", "client_credentials");
  sk_form_append (body, "client_id", self->credentials->client_id);
  sk_form_append (body, "client_secret", self->credentials->client_secret);
  return sk_form_finish (body);
}

static GError *
sk_shopify_token_client_refusal_error (SkTokenClient *client, SkHttpResponse *response)
{
  const char *shop = sk_token_client_get_account (client);
  g_autofree char *words = sk_shopify_error_text (response->body);
  g_autofree char *scrubbed = sk_token_client_scrub (client, words);
  guint status = response->status;

  if (status == 400 || status == 401 || status == 403)
    {
      if (scrubbed != NULL)
        return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                            /* Translators: %s is the shop domain, then Shopify’s own words */
                            _("Shopify refused the app’s client ID and secret for shop %s. Check them in the Dev Dashboard under your app’s Settings, and that the app is installed on this store. Shopify said: “%s”."),
                            shop, scrubbed);
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                          _("Shopify refused the app’s client ID and secret for shop %s. Check them in the Dev Dashboard under your app’s Settings, and that the app is installed on this store."),
                          shop);
    }
  if (status == 404)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("No Shopify shop answers at %s. Check the shop address."),
                        shop);
  if (status == 429)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                        _("Shopify asked Storekeep to slow down while it asked for an access token for shop %s, and kept refusing after several tries. Storekeep will try again in a few minutes."),
                        shop);
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                        _("Shopify could not hand out an access token for shop %s (HTTP %u), even after several tries. Shopify may be having problems; Storekeep will try again later."),
                        shop, status);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("The address %s sends Storekeep elsewhere instead of answering like a Shopify shop. Enter the shop’s .myshopify.com address in the channel settings."),
                        shop);
  if (scrubbed != NULL)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                        _("Shopify refused to hand out an access token for shop %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                        shop, status, scrubbed);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                      _("Shopify refused to hand out an access token for shop %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                      shop, status);
}

static GError *
sk_shopify_token_client_unreadable_error (SkTokenClient *client)
{
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                      _("Shopify sent an answer Storekeep could not read when it asked for an access token for shop %s. Check the shop address; Storekeep will try again at the next sync."),
                      sk_token_client_get_account (client));
}

static void
sk_shopify_token_client_grant_read (SkTokenClient *client, JsonObject *grant)
{
  SkShopifyTokenClient *self = SK_SHOPIFY_TOKEN_CLIENT (client);

  g_free (self->scope);
  self->scope = sk_json_dup_text_member (grant, "scope");
}

static void
sk_shopify_token_client_forgotten (SkTokenClient *client)
{
  g_clear_pointer (&SK_SHOPIFY_TOKEN_CLIENT (client)->scope, g_free);
}

static void
sk_shopify_token_client_scrub_secrets (SkTokenClient *client, GString *text)
{
  SkShopifyTokenClient *self = SK_SHOPIFY_TOKEN_CLIENT (client);
  g_autofree char *escaped = NULL;

  if (self->credentials == NULL)
    return;
  sk_secret_scrub_in (text, self->credentials->client_secret);
  /* As it went in the form body, should a server echo that. */
  escaped = g_uri_escape_string (self->credentials->client_secret, NULL, FALSE);
  sk_secret_scrub_in (text, escaped);
  sk_secret_wipe (&escaped);
}

/* GObject */

static void
sk_shopify_token_client_finalize (GObject *object)
{
  SkShopifyTokenClient *self = SK_SHOPIFY_TOKEN_CLIENT (object);

  g_free (self->scope);
  g_clear_pointer (&self->credentials, sk_shopify_app_credentials_free);

  G_OBJECT_CLASS (sk_shopify_token_client_parent_class)->finalize (object);
}

static void
sk_shopify_token_client_class_init (SkShopifyTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkTokenClientClass *client_class = SK_TOKEN_CLIENT_CLASS (klass);

  object_class->finalize = sk_shopify_token_client_finalize;

  client_class->default_lifetime = SK_SHOPIFY_DEFAULT_LIFETIME;
  client_class->refresh_margin = SK_SHOPIFY_REFRESH_MARGIN;
  client_class->has_credentials = sk_shopify_token_client_has_credentials;
  client_class->missing_error = sk_shopify_token_client_missing_error;
  client_class->request_body = sk_shopify_token_client_request_body;
  client_class->refusal_error = sk_shopify_token_client_refusal_error;
  client_class->unreadable_error = sk_shopify_token_client_unreadable_error;
  client_class->grant_read = sk_shopify_token_client_grant_read;
  client_class->forgotten = sk_shopify_token_client_forgotten;
  client_class->scrub = sk_shopify_token_client_scrub_secrets;
}

static void
sk_shopify_token_client_init (SkShopifyTokenClient *self)
{
}

/* Public API */

SkShopifyTokenClient *
sk_shopify_token_client_new (SkHttp *http)
{
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  return g_object_new (SK_TYPE_SHOPIFY_TOKEN_CLIENT, "http", http, NULL);
}

SkShopifyTokenClient *
sk_shopify_token_client_get_shared (SkHttp     *http,
                                    const char *token_url,
                                    const char *client_id)
{
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  return sk_token_client_get_shared (SK_TYPE_SHOPIFY_TOKEN_CLIENT, http, token_url, client_id);
}

void
sk_shopify_token_client_configure (SkShopifyTokenClient          *self,
                                   const char                    *token_url,
                                   const SkShopifyAppCredentials *credentials,
                                   const char                    *shop)
{
  gboolean changed;

  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));

  changed = !sk_shopify_app_credentials_equal (self->credentials, credentials);
  if (!_sk_token_client_configure (SK_TOKEN_CLIENT (self), token_url, shop, changed))
    return;
  g_clear_pointer (&self->credentials, sk_shopify_app_credentials_free);
  if (credentials != NULL)
    self->credentials = credentials_copy (credentials);
}

void
sk_shopify_token_client_get_token_async (SkShopifyTokenClient *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));

  sk_token_client_get_token_async (SK_TOKEN_CLIENT (self), cancellable, callback, user_data);
}

char *
sk_shopify_token_client_get_token_finish (SkShopifyTokenClient  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);

  return sk_token_client_get_token_finish (SK_TOKEN_CLIENT (self), result, error);
}

void
sk_shopify_token_client_invalidate (SkShopifyTokenClient *self,
                                    const char           *token)
{
  g_return_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self));

  sk_token_client_invalidate (SK_TOKEN_CLIENT (self), token);
}

gint64
sk_shopify_token_client_get_expires_at (SkShopifyTokenClient *self)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), 0);

  return sk_token_client_get_expires_at (SK_TOKEN_CLIENT (self));
}

const char *
sk_shopify_token_client_get_scope (SkShopifyTokenClient *self)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);

  return sk_token_client_has_token (SK_TOKEN_CLIENT (self)) ? self->scope : NULL;
}

char *
sk_shopify_token_client_scrub (SkShopifyTokenClient *self,
                               const char           *text)
{
  g_return_val_if_fail (SK_IS_SHOPIFY_TOKEN_CLIENT (self), NULL);

  return sk_token_client_scrub (SK_TOKEN_CLIENT (self), text);
}
