/* sk-token-client.c: credentials → a short-lived access token (derivable)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exchange at a time: requests for a token that arrive while one runs
 * wait for its answer. It runs with the cancellable of the first request;
 * if that one is cancelled, those still waiting start another exchange.
 */
#define G_LOG_DOMAIN "sk-token"

#include "config.h"

#include <string.h>


#include "sk-time.h"
#include "sk-token-client.h"

typedef struct
{
  SkHttp *http;
  char *token_url;
  char *account;
  char *registry_key;     /* set while sk_token_client_get_shared() knows it */

  char *access_token;
  char *old_token;        /* the one before, for scrubbing */
  gint64 expires_at;      /* unix seconds */
  gint64 refresh_at;

  GQueue waiters;         /* GTask */
  gboolean exchanging;
  guint generation;       /* bumped by configure: drops stale answers */
} SkTokenClientPrivate;

enum {
  PROP_0,
  PROP_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SkTokenClient, sk_token_client, G_TYPE_OBJECT)

#define PRIV(self) ((SkTokenClientPrivate *) sk_token_client_get_instance_private (self))

/* key → SkTokenClient (not a reference: a client leaves as it goes). */
static GHashTable *registry;
G_LOCK_DEFINE_STATIC (registry);

/* Secret hygiene */

void
sk_secret_wipe (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

void
sk_secret_free (gpointer s)
{
  char *text = s;

  sk_secret_wipe (&text);
}

void
sk_secret_scrub_in (GString    *text,
                    const char *secret)
{
  if (secret != NULL && *secret != '\0')
    g_string_replace (text, secret, "…", 0);
}

char *
sk_json_dup_text_member (JsonObject *obj,
                         const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    sk_secret_wipe (&text);
  return text;
}

void
sk_form_append (GString    *body,
                const char *name,
                const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (body->len > 0)
    g_string_append_c (body, '&');
  g_string_append (body, name);
  g_string_append_c (body, '=');
  g_string_append (body, escaped);
  memset (escaped, 0, strlen (escaped));
}

GBytes *
sk_form_finish (GString *body)
{
  gsize len = body->len;
  char *text = g_string_free (body, FALSE);

  return g_bytes_new_with_free_func (text, len, sk_secret_free, text);
}

/* The exchange */

static void
forget_token (SkTokenClient *self)
{
  SkTokenClientPrivate *priv = PRIV (self);

  sk_secret_wipe (&priv->old_token);
  priv->old_token = g_steal_pointer (&priv->access_token);
  priv->expires_at = 0;
  priv->refresh_at = 0;
  if (SK_TOKEN_CLIENT_GET_CLASS (self)->forgotten != NULL)
    SK_TOKEN_CLIENT_GET_CLASS (self)->forgotten (self);
}

static gboolean
token_is_fresh (SkTokenClient *self)
{
  SkTokenClientPrivate *priv = PRIV (self);

  return priv->access_token != NULL && sk_time_now () < priv->refresh_at;
}

/* {"access_token", "expires_in", …}: FALSE when there is no token. */
static gboolean
read_grant (SkTokenClient *self, GBytes *body)
{
  SkTokenClientClass *klass = SK_TOKEN_CLIENT_GET_CLASS (self);
  SkTokenClientPrivate *priv = PRIV (self);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token = NULL;
  JsonNode *root;
  JsonNode *expires;
  JsonObject *obj;
  const char *data;
  gint64 lifetime = klass->default_lifetime;
  gint64 now;
  gsize len = 0;

  /* The parser's own error could quote the input: never used. */
  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  obj = json_node_get_object (root);
  token = sk_json_dup_text_member (obj, "access_token");
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
  priv->access_token = g_steal_pointer (&token);
  priv->expires_at = now + lifetime;
  priv->refresh_at = priv->expires_at - MIN (klass->refresh_margin, lifetime / 2);
  if (klass->grant_read != NULL)
    klass->grant_read (self, obj);
  return TRUE;
}

static void start_exchange (SkTokenClient *self);

/* Answer every waiter; @error NULL: with the token. */
static void
complete_waiters (SkTokenClient *self, const GError *error)
{
  SkTokenClientPrivate *priv = PRIV (self);
  GTask *task;

  while ((task = g_queue_pop_head (&priv->waiters)) != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (priv->access_token), sk_secret_free);
      g_object_unref (task);
    }
}

/* The first waiter was cancelled: answer those who were, go on for the
 * others. */
static void
drop_cancelled_waiters (SkTokenClient *self, const GError *error)
{
  SkTokenClientPrivate *priv = PRIV (self);
  GList *l = priv->waiters.head;

  while (l != NULL)
    {
      GList *next = l->next;
      GTask *task = l->data;

      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_queue_delete_link (&priv->waiters, l);
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      l = next;
    }
  if (!g_queue_is_empty (&priv->waiters))
    start_exchange (self);
}

typedef struct {
  SkTokenClient *self;
  guint          generation;
} Exchange;

static void
on_exchanged (GObject *source, GAsyncResult *result, gpointer data)
{
  Exchange *exchange = data;
  g_autoptr(SkTokenClient) self = exchange->self;
  SkTokenClientPrivate *priv = PRIV (self);
  SkTokenClientClass *klass = SK_TOKEN_CLIENT_GET_CLASS (self);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = exchange->generation;

  g_free (exchange);
  priv->exchanging = FALSE;
  response = sk_http_send_finish (SK_HTTP (source), result, &error);

  /* Reconfigured meanwhile: this answer is for the old credentials. */
  if (generation != priv->generation)
    {
      if (!g_queue_is_empty (&priv->waiters))
        start_exchange (self);
      return;
    }

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drop_cancelled_waiters (self, error);
      return;
    }

  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    error = klass->refusal_error (self, response);
  else if (error == NULL && !read_grant (self, response->body))
    error = klass->unreadable_error (self);

  if (error != NULL)
    {
      char *scrubbed = sk_token_client_scrub (self, error->message);

      g_free (error->message);
      error->message = scrubbed;
      g_debug ("No access token for %s from %s", priv->account,
               G_OBJECT_TYPE_NAME (self));
    }
  else
    g_debug ("An access token for %s from %s, valid for %" G_GINT64_FORMAT " s",
             priv->account, G_OBJECT_TYPE_NAME (self), priv->expires_at - sk_time_now ());
  complete_waiters (self, error);
}

static void
start_exchange (SkTokenClient *self)
{
  SkTokenClientPrivate *priv = PRIV (self);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = SK_TOKEN_CLIENT_GET_CLASS (self)->request_body (self);
  GTask *first = g_queue_peek_head (&priv->waiters);
  Exchange *exchange;

  g_assert (first != NULL);
  g_assert (!priv->exchanging);

  soup_message_headers_append (headers, "Accept", "application/json");
  exchange = g_new0 (Exchange, 1);
  exchange->self = g_object_ref (self);
  exchange->generation = priv->generation;
  priv->exchanging = TRUE;
  sk_http_send_async (priv->http, "POST", priv->token_url, headers, body,
                      SK_TOKEN_CLIENT_GET_CLASS (self)->content_type, NULL,
                      g_task_get_cancellable (first), on_exchanged, exchange);
}

/* GObject */

static void
sk_token_client_finalize (GObject *object)
{
  SkTokenClient *self = SK_TOKEN_CLIENT (object);
  SkTokenClientPrivate *priv = PRIV (self);

  if (priv->registry_key != NULL)
    {
      G_LOCK (registry);
      if (registry != NULL && g_hash_table_lookup (registry, priv->registry_key) == self)
        g_hash_table_remove (registry, priv->registry_key);
      G_UNLOCK (registry);
      g_clear_pointer (&priv->registry_key, g_free);
    }

  g_assert (g_queue_is_empty (&priv->waiters));
  g_clear_object (&priv->http);
  g_free (priv->token_url);
  g_free (priv->account);
  sk_secret_wipe (&priv->access_token);
  sk_secret_wipe (&priv->old_token);

  G_OBJECT_CLASS (sk_token_client_parent_class)->finalize (object);
}

static void
sk_token_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SkTokenClientPrivate *priv = PRIV (SK_TOKEN_CLIENT (object));

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, priv->http);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_token_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SkTokenClientPrivate *priv = PRIV (SK_TOKEN_CLIENT (object));

  switch (prop_id)
    {
    case PROP_HTTP:
      priv->http = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_token_client_class_init (SkTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_token_client_finalize;
  object_class->get_property = sk_token_client_get_property;
  object_class->set_property = sk_token_client_set_property;

  klass->content_type = "application/x-www-form-urlencoded";
  klass->default_lifetime = 3600;
  klass->refresh_margin = 60;

  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, SK_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_token_client_init (SkTokenClient *self)
{
  SkTokenClientPrivate *priv = PRIV (self);

  g_queue_init (&priv->waiters);
  priv->account = g_strdup ("");
}

/* Public API */

gpointer
sk_token_client_get_shared (GType       type,
                            SkHttp     *http,
                            const char *token_url,
                            const char *client_id)
{
  g_autofree char *plain = NULL;
  char *key;
  SkTokenClient *client;

  g_return_val_if_fail (g_type_is_a (type, SK_TYPE_TOKEN_CLIENT), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);

  /* The client id may be sensitive: the key holds a digest of it. */
  plain = g_strdup_printf ("%s\n%p\n%s\n%s", g_type_name (type), (gpointer) http,
                           token_url != NULL ? token_url : "", client_id != NULL ? client_id : "");
  key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, plain, -1);
  memset (plain, 0, strlen (plain));

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  client = g_hash_table_lookup (registry, key);
  if (client != NULL)
    {
      g_object_ref (client);
      g_free (key);
    }
  else
    {
      client = g_object_new (type, "http", http, NULL);
      PRIV (client)->registry_key = g_strdup (key);
      g_hash_table_insert (registry, key, client);
    }
  G_UNLOCK (registry);
  return client;
}

SkHttp *
sk_token_client_get_http (SkTokenClient *self)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), NULL);

  return PRIV (self)->http;
}

const char *
sk_token_client_get_token_url (SkTokenClient *self)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), NULL);

  return PRIV (self)->token_url;
}

const char *
sk_token_client_get_account (SkTokenClient *self)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), NULL);

  return PRIV (self)->account;
}

gboolean
_sk_token_client_configure (SkTokenClient *self,
                            const char    *token_url,
                            const char    *account,
                            gboolean       credentials_changed)
{
  SkTokenClientPrivate *priv;

  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), FALSE);

  priv = PRIV (self);
  g_free (priv->account);
  priv->account = g_strdup (account != NULL ? account : "");

  if (g_strcmp0 (priv->token_url, token_url) == 0 && !credentials_changed)
    return FALSE;

  g_free (priv->token_url);
  priv->token_url = g_strdup (token_url);
  forget_token (self);
  priv->generation++;
  return TRUE;
}

void
sk_token_client_get_token_async (SkTokenClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  SkTokenClientPrivate *priv;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = PRIV (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_token_client_get_token_async);

  if (priv->token_url == NULL || !SK_TOKEN_CLIENT_GET_CLASS (self)->has_credentials (self))
    {
      g_task_return_error (task, SK_TOKEN_CLIENT_GET_CLASS (self)->missing_error (self));
      return;
    }
  if (token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (priv->access_token), sk_secret_free);
      return;
    }

  g_queue_push_tail (&priv->waiters, g_steal_pointer (&task));
  if (!priv->exchanging)
    start_exchange (self);
}

char *
sk_token_client_get_token_finish (SkTokenClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sk_token_client_invalidate (SkTokenClient *self,
                            const char    *token)
{
  g_return_if_fail (SK_IS_TOKEN_CLIENT (self));

  if (token != NULL && g_strcmp0 (PRIV (self)->access_token, token) == 0)
    forget_token (self);
}

gint64
sk_token_client_get_expires_at (SkTokenClient *self)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), 0);

  return PRIV (self)->access_token != NULL ? PRIV (self)->expires_at : 0;
}

gboolean
sk_token_client_has_token (SkTokenClient *self)
{
  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), FALSE);

  return PRIV (self)->access_token != NULL;
}

char *
sk_token_client_scrub (SkTokenClient *self,
                       const char    *text)
{
  SkTokenClientPrivate *priv;
  g_autoptr(GString) scrubbed = NULL;

  g_return_val_if_fail (SK_IS_TOKEN_CLIENT (self), NULL);

  if (text == NULL)
    return NULL;
  priv = PRIV (self);
  scrubbed = g_string_new (text);
  if (SK_TOKEN_CLIENT_GET_CLASS (self)->scrub != NULL)
    SK_TOKEN_CLIENT_GET_CLASS (self)->scrub (self, scrubbed);
  sk_secret_scrub_in (scrubbed, priv->access_token);
  sk_secret_scrub_in (scrubbed, priv->old_token);
  return g_string_free (g_steal_pointer (&scrubbed), FALSE);
}
