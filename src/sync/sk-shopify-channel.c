/* sk-shopify-channel.c: the Shopify Admin REST connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run pulls GET /admin/api/VERSION/orders.json?status=any&limit=250
 * &order=updated_at asc&updated_at_min=… and follows the Link header's
 * rel="next" page_info (which carries the filter and the order).
 * Page k+1 is fetched while page k is normalized (on a worker thread) and
 * imported (on the store's writer thread); pages commit in order, each with
 * the cursor that points past it, so a run that stops anywhere resumes at
 * the first page not committed. The loop is the paged-run engine's
 * (sk-paged-run.c); Shopify's rules (page_info, the expired page_info of
 * an interrupted run, the count for the progress) stay here.
 *
 * The high-water mark a complete run leaves is the newest updated_at it
 * saw, but never later than the moment the run began (Shopify's clock: the
 * Date header of the run's first answer, or ours without one). An order
 * read on page 1 and changed while later pages are read moves past the
 * pages already read; a page after it may hold an order changed later
 * still, and a mark taken from that order would leave the first one out
 * of every later run. The next run goes back SK_SHOPIFY_OVERLAP_SECONDS
 * before the mark; orders read twice import as unchanged.
 *
 * The secret is a plain Admin API access token, or the client ID and
 * secret of a Dev Dashboard app (see sk-shopify-auth.h): then every request
 * first takes an access token from the token client, which asks Shopify for
 * one when it has none or it is about to expire. A request refused with
 * 401 makes it ask for a new token once, and is sent again. The token
 * client is shared with the catalog pull and the pushers of the same shop
 * (sk_shopify_prepare_auth()).
 */
#define G_LOG_DOMAIN "sk-shopify"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-paged-run-private.h"
#include "sk-shopify-channel.h"
#include "sk-shopify-normalize.h"
#include "sk-shopify-request.h"
#include "sk-store-import.h"
#include "sk-time.h"

#define ACTOR "sync:shopify"
#define PAGE_LIMIT "250"
#define MIN_INTERVAL 30

struct _SkShopifyChannel
{
  SkChannel parent_instance;

  SkRateLimiter *limiter;
  SkShopifyTokenClient *auth;   /* created with the first app credentials */
};

G_DEFINE_FINAL_TYPE (SkShopifyChannel, sk_shopify_channel, SK_TYPE_CHANNEL)

/* Helpers */

/* The shop as people know it, for messages. */
static const char *
shop_name (SkShopifyChannel *self)
{
  return sk_shopify_record_shop_name (sk_channel_get_record (SK_CHANNEL (self)));
}

static char *
api_url (SkShopifyChannel *self, const char *endpoint, const char *query)
{
  return sk_shopify_record_api_url (sk_channel_get_record (SK_CHANNEL (self)), endpoint, query);
}

/* Reads the secret as a run or a test begins. A plain access token: a copy
 * in @out_token. App credentials: the token client shared by everyone who
 * talks to this shop for the app is configured for them and @out_token is
 * NULL. FALSE and NO_CREDENTIALS when there is neither. */
static gboolean
prepare_auth (SkShopifyChannel  *self,
              char             **out_token,
              GError           **error)
{
  SkChannel *channel = SK_CHANNEL (self);

  if (!sk_shopify_prepare_auth (sk_channel_get_http (channel), sk_channel_get_record (channel),
                                sk_channel_get_secret (channel), &self->auth, out_token, error))
    return FALSE;
  /* What the token client knows stays out of messages too. */
  if (self->auth != NULL)
    _sk_channel_set_token_client (channel, SK_TOKEN_CLIENT (self->auth));
  return TRUE;
}

/* Words for an HTTP answer that is not a success. */
static gboolean
check_status (SkShopifyChannel *self,
              SkHttpResponse   *response,
              gboolean          app,
              GError          **error)
{
  guint status = response->status;
  g_autofree char *words = NULL;
  g_autofree char *scrubbed = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  switch (status)
    {
    case 401:
      if (app)
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                     _("Shopify refused the access token it had just handed out to the app for shop %s. Check in the Dev Dashboard that the app is still installed on this store, then try again."),
                     shop_name (self));
      else
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                     _("Shopify refused the access token for shop %s. Check that the token is correct and has not been revoked, then enter it again in the channel settings."),
                     shop_name (self));
      return FALSE;
    case 403:
      if (app)
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                     _("Shopify did not allow Storekeep to read the orders of shop %s: the app lacks the read_orders permission. In the Dev Dashboard, give the app the read_orders scope in a new version, release it, and make sure the store has the updated app installed."),
                     shop_name (self));
      else
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                     _("Shopify did not allow Storekeep to read the orders of shop %s: the access token lacks the read_orders permission. Give the app the read_orders scope in the Shopify admin, then enter its new token in the channel settings."),
                     shop_name (self));
      return FALSE;
    case 404:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("No Shopify shop answers at %s. Check the shop address."),
                   shop_name (self));
      return FALSE;
    case 429:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                   _("Shopify asked Storekeep to slow down for shop %s and kept refusing after several tries. Storekeep will try again in a few minutes."),
                   shop_name (self));
      return FALSE;
    default:
      break;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("The address %s sends Storekeep elsewhere instead of answering like a Shopify shop. Enter the shop’s .myshopify.com address in the channel settings."),
                   shop_name (self));
      return FALSE;
    }
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                   _("Shopify could not answer for shop %s (HTTP %u), even after several tries. Shopify may be having problems; Storekeep will try again later."),
                   shop_name (self), status);
      return FALSE;
    }

  words = sk_shopify_error_text (response->body);
  scrubbed = _sk_channel_scrub_secret (SK_CHANNEL (self), words);
  if (scrubbed != NULL)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("Shopify refused the request for shop %s (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 shop_name (self), status, scrubbed);
  else
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("Shopify refused the request for shop %s (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 shop_name (self), status);
  return FALSE;
}

/* GET @url with @plain_token, or (NULL) with the app's access token; a
 * 401 on an app's token asks for a new one, once. */
static void
authed_get_async (SkShopifyChannel    *self,
                  const char          *url,
                  const char          *plain_token,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_assert (plain_token != NULL || self->auth != NULL);

  sk_shopify_send_async (sk_channel_get_http (SK_CHANNEL (self)),
                         plain_token == NULL ? self->auth : NULL, plain_token,
                         self->limiter, "GET", url, NULL, cancellable, callback, user_data);
}

/* A run: the paged-run engine (sk-paged-run.c) with Shopify's pages. The
 * run's data is the access token as the run began; NULL: an app's. */

static void
token_free (gpointer token)
{
  char *text = token;

  sk_secret_wipe (&text);
}

static char *
first_page_query (const SkSyncCursor *start)
{
  g_autofree char *since = NULL;
  g_autofree char *escaped = NULL;

  /* Oldest change first: a run that stops has read everything before the
   * last order it committed. */
  if (start->high_water <= 0)
    return g_strdup ("status=any&limit=" PAGE_LIMIT "&order=updated_at%20asc");

  since = sk_time_format_iso8601 (MAX (start->high_water - SK_SHOPIFY_OVERLAP_SECONDS, 0));
  escaped = g_uri_escape_string (since, NULL, FALSE);
  return g_strdup_printf ("status=any&limit=" PAGE_LIMIT "&order=updated_at%%20asc"
                          "&updated_at_min=%s", escaped);
}

/* An interrupted run goes on at its stored page_info. */
static char *
run_resume_token (SkPagedRun         *run,
                  const SkSyncCursor *cursor)
{
  if (cursor->run_started_at == 0 || cursor->page_token == NULL || *cursor->page_token == '\0')
    return NULL;
  g_debug ("Resuming %s after %" G_GINT64_FORMAT " pages",
           shop_name (SK_SHOPIFY_CHANNEL (_sk_paged_run_get_channel (run))), cursor->pages_done);
  return g_strdup (cursor->page_token);
}

static void
run_send_async (SkPagedRun          *run,
                const char          *token,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (_sk_paged_run_get_channel (run));
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;

  if (token != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);

      /* Shopify accepts only limit (and fields) beside page_info. */
      query = g_strdup_printf ("limit=" PAGE_LIMIT "&page_info=%s", escaped);
    }
  else
    query = first_page_query (_sk_paged_run_get_start (run));
  url = api_url (self, "orders.json", query);

  authed_get_async (self, url, _sk_paged_run_get_data (run), cancellable, callback, user_data);
}

static SkHttpResponse *
run_send_finish (SkPagedRun    *run,
                 GObject       *source,
                 GAsyncResult  *result,
                 GError       **error)
{
  return sk_shopify_send_finish (result, error);
}

static SkPagedAnswer
run_read_answer (SkPagedRun      *run,
                 const char      *token,
                 SkHttpResponse  *response,
                 GBytes         **out_body,
                 char           **out_next,
                 GError         **error)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (_sk_paged_run_get_channel (run));

  /* A page_info from an interrupted run may have expired: start over
   * from the high-water mark; the overlap and idempotent import make
   * that safe. */
  if (response->status == SOUP_STATUS_BAD_REQUEST && _sk_paged_run_is_resumed (run) &&
      _sk_paged_run_get_fetched (run) == 0)
    {
      g_debug ("Shopify refused the stored page of an interrupted run of %s; starting again",
               shop_name (self));
      return SK_PAGED_ANSWER_RESTART;
    }

  if (!check_status (self, response, _sk_paged_run_get_data (run) == NULL, error))
    return SK_PAGED_ANSWER_FAILED;

  *out_body = g_bytes_ref (response->body);
  *out_next = sk_shopify_next_page_info (response);
  return SK_PAGED_ANSWER_PAGE;
}

static void
on_count_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkPagedRun *run = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *count;
  gsize len;
  const char *body;

  /* Only for the progress bar: a failure here is no failure of the run. */
  response = sk_shopify_send_finish (result, NULL);
  if (response == NULL || !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return;
  body = g_bytes_get_data (response->body, &len);
  if (body == NULL || !json_parser_load_from_data (parser, body, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  count = json_object_get_member (json_node_get_object (root), "count");
  if (count == NULL || json_node_get_value_type (count) != G_TYPE_INT64)
    return;
  _sk_paged_run_set_expected (run, MAX (json_node_get_int (count), 0));
}

/* A first backfill asks how many orders there are, for the progress. */
static void
run_begun (SkPagedRun *run,
           GTask      *task)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (_sk_paged_run_get_channel (run));
  g_autofree char *url = NULL;

  if (_sk_paged_run_get_start (run)->high_water != 0)
    return;
  url = api_url (self, "orders/count.json", "status=any");
  authed_get_async (self, url, _sk_paged_run_get_data (run), g_task_get_cancellable (task),
                    on_count_fetched, g_object_ref (task));
}

static const SkPagedRunFuncs run_funcs = {
  .actor = ACTOR,
  .resume_token = run_resume_token,
  .begun = run_begun,
  .send_async = run_send_async,
  .send_finish = run_send_finish,
  .read_answer = run_read_answer,
  .normalize = sk_shopify_normalize_page,
};

/* Vfuncs */

static void
sk_shopify_channel_sync_async (SkChannel           *channel,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_shopify_channel_sync_async);

  if (!prepare_auth (self, &token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _sk_paged_run_start (task, &run_funcs, g_steal_pointer (&token), token_free);
}

static void
on_shop_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkShopifyChannel *self = g_task_get_source_object (task);
  gboolean app = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *body;
  const char *scope;
  gsize len;

  response = sk_shopify_send_finish (result, &error);
  if (response == NULL || !check_status (self, response, app, &error))
    {
      _sk_channel_scrub_error (SK_CHANNEL (self), error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = g_bytes_get_data (response->body, &len);
  if (body == NULL || !json_parser_load_from_data (parser, body, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "shop"))
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                               _("%s answered, but not like a Shopify shop. Check the shop address."),
                               shop_name (self));
      return;
    }

  /* shop.json needs no scope, orders.json does: an app's token says what
   * it may do, so a missing scope shows now rather than at the first
   * sync. */
  scope = app ? sk_shopify_token_client_get_scope (self->auth) : NULL;
  if (scope != NULL && !sk_shopify_scope_allows_orders (scope))
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                               _("Storekeep reached shop %s, but the app may not read its orders: it lacks the read_orders permission. In the Dev Dashboard, give the app the read_orders scope in a new version, release it, and make sure the store has the updated app installed."),
                               shop_name (self));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
sk_shopify_channel_test_connection_async (SkChannel           *channel,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_shopify_channel_test_connection_async);

  if (!prepare_auth (self, &token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, GINT_TO_POINTER (token == NULL), NULL);
  url = api_url (self, "shop.json", NULL);
  authed_get_async (self, url, token, cancellable, on_shop_fetched, g_steal_pointer (&task));
  sk_secret_wipe (&token);
}

static guint
sk_shopify_channel_get_min_interval (SkChannel *channel)
{
  return MIN_INTERVAL;
}

/* GObject */

static void
sk_shopify_channel_finalize (GObject *object)
{
  SkShopifyChannel *self = SK_SHOPIFY_CHANNEL (object);

  g_clear_pointer (&self->limiter, sk_rate_limiter_unref);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (sk_shopify_channel_parent_class)->finalize (object);
}

static void
sk_shopify_channel_class_init (SkShopifyChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkChannelClass *channel_class = SK_CHANNEL_CLASS (klass);

  object_class->finalize = sk_shopify_channel_finalize;

  channel_class->sync_async = sk_shopify_channel_sync_async;
  channel_class->test_connection_async = sk_shopify_channel_test_connection_async;
  channel_class->get_min_interval = sk_shopify_channel_get_min_interval;
}

static void
sk_shopify_channel_init (SkShopifyChannel *self)
{
  /* Shopify's leaky bucket for the Admin REST API: 40 requests, 2 leak
   * per second; the answers' call-limit header keeps us in step. */
  self->limiter = sk_shopify_rate_limiter_new ();
}

/* Public API */

SkChannel *
sk_shopify_channel_new (SkStore               *store,
                        SkHttp                *http,
                        const SkChannelRecord *record)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  return g_object_new (SK_TYPE_SHOPIFY_CHANNEL,
                       "store", store,
                       "http", http,
                       "record", record,
                       NULL);
}

static gboolean
is_shop_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 63 || !g_ascii_isalnum (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

char *
sk_shopify_normalize_shop_domain (const char  *input,
                                  GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *path = NULL;
  char *shop;

  g_return_val_if_fail (input != NULL, NULL);

  text = g_ascii_strdown (input, -1);
  g_strstrip (text);
  if (strstr (text, "://") != NULL)
    uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  else
    {
      g_autofree char *with_scheme = g_strconcat ("https://", text, NULL);

      uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
    }
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      host = g_strdup (g_uri_get_host (uri));
      path = g_uri_get_path (uri);
    }

  if (host != NULL)
    {
      /* The new admin address: admin.shopify.com/store/acme */
      if (g_str_equal (host, "admin.shopify.com") && path != NULL &&
          g_str_has_prefix (path, "/store/"))
        {
          g_auto(GStrv) parts = g_strsplit (path + strlen ("/store/"), "/", 2);

          if (is_shop_name (parts[0]))
            return g_strconcat (parts[0], ".myshopify.com", NULL);
        }
      else if (g_str_has_suffix (host, ".myshopify.com"))
        {
          g_autofree char *name = g_strndup (host, strlen (host) - strlen (".myshopify.com"));

          if (is_shop_name (name))
            return g_steal_pointer (&host);
        }
      else if (is_shop_name (host) && (path == NULL || *path == '\0'))
        {
          shop = g_strconcat (host, ".myshopify.com", NULL);
          return shop;
        }
    }

  g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
               _("“%s” is not a Shopify shop address. Enter the shop’s .myshopify.com address, for example acme.myshopify.com."),
               input);
  return NULL;
}
