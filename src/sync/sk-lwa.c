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
 * The caching, the renewal and the single flight are SkTokenClient's.
 */
#define G_LOG_DOMAIN "sk-amazon"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-lwa.h"

#define DEFAULT_LIFETIME 3600

struct _SkLwaClient
{
  SkTokenClient parent_instance;

  SkLwaCredentials *credentials;
};

G_DEFINE_FINAL_TYPE (SkLwaClient, sk_lwa_client, SK_TYPE_TOKEN_CLIENT)

/* Credentials */

void
sk_lwa_credentials_free (SkLwaCredentials *credentials)
{
  if (credentials == NULL)
    return;
  sk_secret_wipe (&credentials->client_id);
  sk_secret_wipe (&credentials->client_secret);
  sk_secret_wipe (&credentials->refresh_token);
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
  credentials->client_id = sk_json_dup_text_member (obj, "client_id");
  credentials->client_secret = sk_json_dup_text_member (obj, "client_secret");
  credentials->refresh_token = sk_json_dup_text_member (obj, "refresh_token");

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

static gboolean
sk_lwa_client_has_credentials (SkTokenClient *client)
{
  return SK_LWA_CLIENT (client)->credentials != NULL;
}

static GError *
sk_lwa_client_missing_error (SkTokenClient *client)
{
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                      _("No Amazon credentials are stored for seller %s. Enter the client id, client secret and refresh token in the channel settings."),
                      sk_token_client_get_account (client));
}

static GBytes *
sk_lwa_client_request_body (SkTokenClient *client)
{
  SkLwaClient *self = SK_LWA_CLIENT (client);
  GString *body = g_string_new (NULL);

  sk_form_append (body, "grant_type", "refresh_token");
  sk_form_append (body, "refresh_token", self->credentials->refresh_token);
  sk_form_append (body, "client_id", self->credentials->client_id);
  sk_form_append (body, "client_secret", self->credentials->client_secret);
  return sk_form_finish (body);
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
  *out_code = sk_json_dup_text_member (json_node_get_object (root), "error");
  *out_description = sk_json_dup_text_member (json_node_get_object (root), "error_description");
}

static GError *
sk_lwa_client_refusal_error (SkTokenClient *client, SkHttpResponse *response)
{
  const char *seller = sk_token_client_get_account (client);
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
                        seller);
  if (status == 429)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                        _("Login with Amazon asked Storekeep to slow down for seller %s and kept refusing after several tries. Storekeep will try again in a few minutes."),
                        seller);
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                        _("Login with Amazon could not answer for seller %s (HTTP %u), even after several tries. Amazon may be having problems; Storekeep will try again later."),
                        seller, status);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                        _("The Login with Amazon address sends Storekeep elsewhere instead of answering. Check the channel settings."));

  scrubbed = sk_token_client_scrub (client, description != NULL ? description : code);
  if (scrubbed != NULL)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                        _("Login with Amazon refused to renew the access for seller %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                        seller, status, scrubbed);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                      _("Login with Amazon refused to renew the access for seller %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                      seller, status);
}

static GError *
sk_lwa_client_unreadable_error (SkTokenClient *client)
{
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                      _("Login with Amazon sent an answer Storekeep could not read while renewing the access for seller %s. Check the channel settings; Storekeep will try again at the next sync."),
                      sk_token_client_get_account (client));
}

static void
sk_lwa_client_scrub_secrets (SkTokenClient *client, GString *text)
{
  SkLwaClient *self = SK_LWA_CLIENT (client);

  if (self->credentials == NULL)
    return;
  sk_secret_scrub_in (text, self->credentials->client_secret);
  sk_secret_scrub_in (text, self->credentials->refresh_token);
  sk_secret_scrub_in (text, self->credentials->client_id);
}

/* GObject */

static void
sk_lwa_client_finalize (GObject *object)
{
  SkLwaClient *self = SK_LWA_CLIENT (object);

  g_clear_pointer (&self->credentials, sk_lwa_credentials_free);

  G_OBJECT_CLASS (sk_lwa_client_parent_class)->finalize (object);
}

static void
sk_lwa_client_class_init (SkLwaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkTokenClientClass *client_class = SK_TOKEN_CLIENT_CLASS (klass);

  object_class->finalize = sk_lwa_client_finalize;

  client_class->content_type = "application/x-www-form-urlencoded;charset=UTF-8";
  client_class->default_lifetime = DEFAULT_LIFETIME;
  client_class->refresh_margin = SK_LWA_REFRESH_MARGIN;
  client_class->has_credentials = sk_lwa_client_has_credentials;
  client_class->missing_error = sk_lwa_client_missing_error;
  client_class->request_body = sk_lwa_client_request_body;
  client_class->refusal_error = sk_lwa_client_refusal_error;
  client_class->unreadable_error = sk_lwa_client_unreadable_error;
  client_class->scrub = sk_lwa_client_scrub_secrets;
}

static void
sk_lwa_client_init (SkLwaClient *self)
{
}

/* Public API */

SkLwaClient *
sk_lwa_client_new (SkHttp *http)
{
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  return g_object_new (SK_TYPE_LWA_CLIENT, "http", http, NULL);
}

SkLwaClient *
sk_lwa_client_get_shared (SkHttp     *http,
                          const char *token_url,
                          const char *client_id)
{
  const char *url = token_url != NULL && *token_url != '\0' ? token_url : SK_LWA_TOKEN_URL;

  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  return sk_token_client_get_shared (SK_TYPE_LWA_CLIENT, http, url, client_id);
}

void
sk_lwa_client_configure (SkLwaClient            *self,
                         const char             *token_url,
                         const SkLwaCredentials *credentials,
                         const char             *seller)
{
  const char *url = token_url != NULL && *token_url != '\0' ? token_url : SK_LWA_TOKEN_URL;
  gboolean changed;

  g_return_if_fail (SK_IS_LWA_CLIENT (self));

  changed = !sk_lwa_credentials_equal (self->credentials, credentials);
  if (!_sk_token_client_configure (SK_TOKEN_CLIENT (self), url, seller, changed))
    return;
  g_clear_pointer (&self->credentials, sk_lwa_credentials_free);
  if (credentials != NULL)
    self->credentials = credentials_copy (credentials);
}

void
sk_lwa_client_get_token_async (SkLwaClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SK_IS_LWA_CLIENT (self));

  sk_token_client_get_token_async (SK_TOKEN_CLIENT (self), cancellable, callback, user_data);
}

char *
sk_lwa_client_get_token_finish (SkLwaClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), NULL);

  return sk_token_client_get_token_finish (SK_TOKEN_CLIENT (self), result, error);
}

void
sk_lwa_client_invalidate (SkLwaClient *self,
                          const char  *token)
{
  g_return_if_fail (SK_IS_LWA_CLIENT (self));

  sk_token_client_invalidate (SK_TOKEN_CLIENT (self), token);
}

gint64
sk_lwa_client_get_expires_at (SkLwaClient *self)
{
  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), 0);

  return sk_token_client_get_expires_at (SK_TOKEN_CLIENT (self));
}

char *
sk_lwa_client_scrub (SkLwaClient *self,
                     const char  *text)
{
  g_return_val_if_fail (SK_IS_LWA_CLIENT (self), NULL);

  return sk_token_client_scrub (SK_TOKEN_CLIENT (self), text);
}
