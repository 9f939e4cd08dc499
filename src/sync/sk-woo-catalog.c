/* sk-woo-catalog.c: fetch a WooCommerce shop's catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   GET /wp-json/wc/v3/products?per_page=100&page=N&orderby=id&order=asc
 *   GET /wp-json/wc/v3/products/{id}/variations?per_page=100&page=N
 *       for every variable product
 *
 * A list goes on while X-WP-TotalPages says there are more pages, or,
 * without that header, while pages come full. One request at a time
 * through a gentle bucket (as the connector's: burst 10, 5 a second);
 * answers are parsed on a worker thread into an SkWooCatalog
 * (sk-woo-catalog-normalize.h). The keys go out as HTTP Basic
 * authentication, as in the connector (sk-woo-channel.h).
 */
#define G_LOG_DOMAIN "sk-catalog"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-catalog-private.h"
#include "sk-error.h"
#include "sk-push.h"
#include "sk-woo-catalog-normalize.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define LIMITER_KEY "sk-catalog-woo-limiter"
#define BUCKET_SIZE 10
#define REFILL_PER_SECOND 5

typedef struct {
  SkChannel       *channel;
  SkChannelRecord *record;
  SkHttp          *http;
  SkRateLimiter   *limiter;
  char            *authorization;   /* "Basic …" */
  char            *key;             /* for scrubbing */
  char            *secret;
  SkWooCatalog    *catalog;

  guint            variable;        /* index of the variable product being read; G_MAXUINT: products */
  char            *parent;          /* its id */
  guint            page;
  guint            items;           /* elements in the page being fed */
  SkCatalogSummary summary;
  SkHttpResponse  *response;
} Fetch;

static void
wipe_string (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->channel);
  g_clear_pointer (&fetch->record, sk_channel_record_free);
  g_clear_object (&fetch->http);
  g_clear_pointer (&fetch->limiter, sk_rate_limiter_unref);
  wipe_string (&fetch->authorization);
  wipe_string (&fetch->key);
  wipe_string (&fetch->secret);
  g_clear_pointer (&fetch->catalog, sk_woo_catalog_free);
  g_free (fetch->parent);
  g_clear_pointer (&fetch->response, sk_http_response_free);
  g_free (fetch);
}

static char *
site_url (const SkChannelRecord *record)
{
  g_autofree char *url = NULL;
  gsize len;

  if (record->base_url != NULL && *record->base_url != '\0')
    url = g_strdup (record->base_url);
  else
    url = g_strconcat ("https://", record->account != NULL ? record->account : "", NULL);
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

static void
fail (GTask  *task,
      GError *error)   /* taken */
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GString) message = g_string_new (error->message);

  if (fetch->authorization != NULL)
    g_string_replace (message, fetch->authorization + strlen ("Basic "), "…", 0);
  if (fetch->secret != NULL && *fetch->secret != '\0')
    g_string_replace (message, fetch->secret, "…", 0);
  if (fetch->key != NULL && *fetch->key != '\0')
    g_string_replace (message, fetch->key, "…", 0);
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&message), FALSE);
  g_task_return_error (task, error);
}

static void advance (GTask *task);

static gboolean
feed_products (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  Fetch *fetch = data;

  fetch->items = JSON_NODE_HOLDS_ARRAY (root) ? json_array_get_length (json_node_get_array (root)) : 1;
  return sk_woo_catalog_add_products (catalog, root, error);
}

static gboolean
feed_variations (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  Fetch *fetch = data;

  fetch->items = JSON_NODE_HOLDS_ARRAY (root) ? json_array_get_length (json_node_get_array (root)) : 1;
  return sk_woo_catalog_add_variations (catalog, fetch->parent, root, error);
}

/* Whether the list being read has a page after fetch->page. */
static gboolean
has_next_page (Fetch *fetch)
{
  const char *value = soup_message_headers_get_one (fetch->response->headers, "X-WP-TotalPages");
  g_autofree char *text = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  guint64 total;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &total, NULL))
    return fetch->page < total;
  return fetch->items >= SK_CATALOG_WOO_PER_PAGE;
}

static void
on_fed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GPtrArray *variable = sk_woo_catalog_get_variable_products (fetch->catalog);
  GError *error = NULL;

  if (!_sk_catalog_feed_finish (result, &error))
    {
      fail (task, error);
      return;
    }
  if (has_next_page (fetch))
    fetch->page++;
  else
    {
      /* The next list: the products' first, then each variable
       * product's variations. */
      fetch->variable = fetch->variable == G_MAXUINT ? 0 : fetch->variable + 1;
      fetch->page = 1;
      g_clear_pointer (&fetch->parent, g_free);
      if (fetch->variable < variable->len)
        fetch->parent = g_strdup (g_ptr_array_index (variable, fetch->variable));
    }
  g_clear_pointer (&fetch->response, sk_http_response_free);
  advance (g_steal_pointer (&task));
}

static void
on_answer (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *words = NULL;
  gboolean products = fetch->variable == G_MAXUINT;
  GCancellable *cancellable;

  fetch->response = sk_http_send_finish (fetch->http, result, &error);
  if (fetch->response == NULL)
    {
      fail (task, error);
      return;
    }
  fetch->summary.requests++;
  if (!SOUP_STATUS_IS_SUCCESSFUL (fetch->response->status))
    {
      words = sk_push_error_text (fetch->response->body);
      fail (task, _sk_catalog_status_error (fetch->response, _sk_catalog_channel_label (fetch->channel),
                                            "WooCommerce", "Read", FALSE, words));
      return;
    }
  if (products)
    fetch->summary.pages++;
  cancellable = g_task_get_cancellable (task);
  _sk_catalog_feed_async (fetch->response->body, products ? feed_products : feed_variations,
                          fetch->catalog, fetch, _sk_catalog_channel_label (fetch->channel),
                          "WooCommerce", cancellable, on_fed, g_steal_pointer (&task));
}

static void
finish (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  GPtrArray *listings = sk_woo_catalog_build (fetch->catalog);

  fetch->summary.listings = listings->len;
  fetch->summary.skipped = sk_woo_catalog_get_skipped (fetch->catalog);
  g_debug ("Fetched %u listings of %s in %u requests", listings->len,
           _sk_catalog_channel_label (fetch->channel), fetch->summary.requests);
  g_task_return_pointer (task, listings, (GDestroyNotify) g_ptr_array_unref);
}

/* The next request, or the end. Takes @task. */
static void
advance (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *site = NULL;
  g_autofree char *url = NULL;

  if (fetch->variable != G_MAXUINT && fetch->parent == NULL)
    {
      finish (task);
      g_object_unref (task);
      return;
    }

  site = site_url (fetch->record);
  if (fetch->parent == NULL)
    url = g_strdup_printf ("%s" SK_WOO_API_PREFIX "/products?per_page=%d&page=%u&orderby=id&order=asc",
                           site, SK_CATALOG_WOO_PER_PAGE, fetch->page);
  else
    url = g_strdup_printf ("%s" SK_WOO_API_PREFIX "/products/%s/variations?per_page=%d&page=%u",
                           site, fetch->parent, SK_CATALOG_WOO_PER_PAGE, fetch->page);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_headers_append (headers, "Authorization", fetch->authorization);
  sk_http_send_async (fetch->http, "GET", url, headers, NULL, NULL, fetch->limiter,
                      g_task_get_cancellable (task), on_answer, task);
}

void
sk_woo_catalog_fetch_async (SkChannel           *channel,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;
  SkRateLimiter *limiter;

  g_return_if_fail (SK_IS_CHANNEL (channel));
  g_return_if_fail (g_strcmp0 (sk_channel_get_kind (channel), "woocommerce") == 0);

  task = g_task_new (channel, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_woo_catalog_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->channel = g_object_ref (channel);
  fetch->record = sk_channel_record_copy (sk_channel_get_record (channel));
  fetch->http = g_object_ref (sk_channel_get_http (channel));
  fetch->catalog = sk_woo_catalog_new ();
  fetch->variable = G_MAXUINT;
  fetch->page = 1;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  if (!sk_woo_channel_parse_secret (sk_channel_get_secret (channel), &fetch->key, &fetch->secret))
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               _("No complete WooCommerce keys are stored for %s, so its catalog cannot be read. Enter the consumer key and consumer secret in the channel settings."),
                               _sk_catalog_channel_label (channel));
      g_object_unref (task);
      return;
    }
  fetch->authorization = sk_woo_basic_authorization (fetch->key, fetch->secret);

  limiter = g_object_get_data (G_OBJECT (channel), LIMITER_KEY);
  if (limiter == NULL)
    {
      limiter = sk_rate_limiter_new (BUCKET_SIZE, REFILL_PER_SECOND);
      g_object_set_data_full (G_OBJECT (channel), LIMITER_KEY, limiter,
                              (GDestroyNotify) sk_rate_limiter_unref);
    }
  fetch->limiter = sk_rate_limiter_ref (limiter);
  advance (task);
}

GPtrArray *
sk_woo_catalog_fetch_finish (SkChannel         *channel,
                             GAsyncResult      *result,
                             SkCatalogSummary  *out_summary,
                             GError           **error)
{
  Fetch *fetch;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), NULL);
  g_return_val_if_fail (g_task_is_valid (result, channel), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_woo_catalog_fetch_async, NULL);

  fetch = g_task_get_task_data (G_TASK (result));
  if (out_summary != NULL)
    *out_summary = fetch->summary;
  return g_task_propagate_pointer (G_TASK (result), error);
}
