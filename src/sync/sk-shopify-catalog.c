/* sk-shopify-catalog.c: fetch a Shopify shop's catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   GET /admin/api/VERSION/shop.json                  primary location, currency
 *   GET /admin/api/VERSION/products.json?limit=250    then &page_info=… (Link)
 *   GET /admin/api/VERSION/inventory_items.json?ids=…&limit=250
 *   GET /admin/api/VERSION/inventory_levels.json?inventory_item_ids=…&limit=250
 *       then &page_info=… (Link), for each batch of 50 inventory item ids
 *
 * One request at a time, through Shopify's leaky bucket. Each answer is
 * parsed on a worker thread into an SkShopifyCatalog
 * (sk-shopify-catalog-normalize.h), which builds the listings at the end.
 * The token client and the bucket are kept on the channel object, so
 * later pulls reuse an app's access token instead of asking for a new one.
 */
#define G_LOG_DOMAIN "sk-catalog"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-catalog-private.h"
#include "sk-error.h"
#include "sk-push.h"
#include "sk-shopify-catalog-normalize.h"
#include "sk-shopify-request.h"

#define AUTH_KEY "sk-catalog-shopify-token-client"
#define LIMITER_KEY "sk-catalog-shopify-limiter"
#define PERMISSION "read_products and read_inventory"

typedef enum {
  STEP_SHOP,
  STEP_PRODUCTS,
  STEP_ITEMS,
  STEP_LEVELS,
} Step;

typedef struct {
  SkChannel            *channel;
  SkChannelRecord      *record;
  SkHttp               *http;
  SkShopifyTokenClient *client;       /* NULL: a plain token */
  SkRateLimiter        *limiter;
  char                 *plain_token;
  char                 *secret;       /* for scrubbing */
  char                 *preferred;    /* the location to set */
  char                 *currency;
  SkShopifyCatalog     *catalog;
  GPtrArray            *item_ids;     /* the catalog's, copied when products are done */

  Step                  step;
  char                 *page_info;    /* the next page of the step, NULL: first */
  guint                 batch;        /* the batch of item ids */
  SkCatalogSummary      summary;
  SkHttpResponse       *response;     /* being fed */
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
  g_clear_object (&fetch->client);
  g_clear_pointer (&fetch->limiter, sk_rate_limiter_unref);
  wipe_string (&fetch->plain_token);
  wipe_string (&fetch->secret);
  g_free (fetch->preferred);
  g_free (fetch->currency);
  g_clear_pointer (&fetch->catalog, sk_shopify_catalog_free);
  g_clear_pointer (&fetch->item_ids, g_ptr_array_unref);
  g_free (fetch->page_info);
  g_clear_pointer (&fetch->response, sk_http_response_free);
  g_free (fetch);
}

static void
fail (GTask  *task,
      GError *error)   /* taken */
{
  Fetch *fetch = g_task_get_task_data (task);
  char *scrubbed = sk_shopify_scrub (error->message, fetch->secret, fetch->plain_token,
                                     fetch->client);

  g_free (error->message);
  error->message = scrubbed;
  g_task_return_error (task, error);
}

/* The channel setting "inventory_location_id", if any. */
static char *
setting_location (const SkChannelRecord *record)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (record->settings == NULL || !json_parser_load_from_data (parser, record->settings, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return sk_shopify_catalog_dup_id (json_node_get_object (root), "inventory_location_id");
}

static void advance (GTask *task);

/* Feeding the catalog (worker thread) */

static gboolean
feed_shop (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  Fetch *fetch = data;
  JsonNode *shop = JSON_NODE_HOLDS_OBJECT (root)
                   ? json_object_get_member (json_node_get_object (root), "shop") : NULL;
  JsonObject *object;

  if (shop == NULL || !JSON_NODE_HOLDS_OBJECT (shop))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                   _("%s answered, but not like a Shopify shop. Check the shop address."),
                   sk_shopify_record_shop_name (fetch->record));
      return FALSE;
    }
  object = json_node_get_object (shop);
  fetch->currency = g_strdup (json_object_get_string_member_with_default (object, "currency", NULL));
  if (fetch->preferred == NULL)
    fetch->preferred = sk_shopify_catalog_dup_id (object, "primary_location_id");
  return TRUE;
}

static gboolean
feed_products (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  return sk_shopify_catalog_add_products (catalog, root, error);
}

static gboolean
feed_items (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  return sk_shopify_catalog_add_inventory_items (catalog, root, error);
}

static gboolean
feed_levels (gpointer catalog, JsonNode *root, gpointer data, GError **error)
{
  return sk_shopify_catalog_add_levels (catalog, root, error);
}

static void
on_fed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *next = NULL;

  if (!_sk_catalog_feed_finish (result, &error))
    {
      fail (task, error);
      return;
    }
  if (fetch->step == STEP_SHOP)
    {
      fetch->catalog = sk_shopify_catalog_new (fetch->currency);
      fetch->step = STEP_PRODUCTS;
      g_clear_pointer (&fetch->response, sk_http_response_free);
      advance (g_steal_pointer (&task));
      return;
    }

  next = sk_shopify_next_page_info (fetch->response);
  g_clear_pointer (&fetch->response, sk_http_response_free);
  g_free (fetch->page_info);
  fetch->page_info = g_steal_pointer (&next);
  if (fetch->page_info != NULL)
    {
      advance (g_steal_pointer (&task));
      return;
    }

  /* The step (or the batch) is complete. */
  switch (fetch->step)
    {
    case STEP_PRODUCTS:
      fetch->item_ids = g_ptr_array_ref (sk_shopify_catalog_get_inventory_item_ids (fetch->catalog));
      fetch->step = STEP_ITEMS;
      fetch->batch = 0;
      break;
    case STEP_ITEMS:
      fetch->batch++;
      if (fetch->batch * SK_CATALOG_SHOPIFY_BATCH >= fetch->item_ids->len)
        {
          fetch->step = STEP_LEVELS;
          fetch->batch = 0;
        }
      break;
    case STEP_LEVELS:
      fetch->batch++;
      break;
    case STEP_SHOP:
    default:
      g_assert_not_reached ();
    }
  advance (g_steal_pointer (&task));
}

static void
on_answer (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *words = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  SkCatalogFeedFunc feed;

  fetch->response = sk_shopify_send_finish (result, &error);
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
                                            "Shopify", PERMISSION, fetch->client != NULL, words));
      return;
    }

  switch (fetch->step)
    {
    case STEP_SHOP:
      feed = feed_shop;
      break;
    case STEP_PRODUCTS:
      fetch->summary.pages++;
      feed = feed_products;
      break;
    case STEP_ITEMS:
      feed = feed_items;
      break;
    case STEP_LEVELS:
    default:
      feed = feed_levels;
      break;
    }
  _sk_catalog_feed_async (fetch->response->body, feed, fetch->catalog, fetch,
                          _sk_catalog_channel_label (fetch->channel), "Shopify",
                          cancellable, on_fed, g_steal_pointer (&task));
}

/* "a,b,c" of the current batch. */
static char *
batch_ids (Fetch *fetch)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  guint first = fetch->batch * SK_CATALOG_SHOPIFY_BATCH;

  for (guint i = first; i < fetch->item_ids->len && i < first + SK_CATALOG_SHOPIFY_BATCH; i++)
    {
      if (ids->len > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, g_ptr_array_index (fetch->item_ids, i));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
request (GTask      *task,
         const char *endpoint,
         const char *query)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *url = sk_shopify_record_api_url (fetch->record, endpoint, query);

  sk_shopify_send_async (fetch->http, fetch->client, fetch->plain_token, fetch->limiter,
                         "GET", url, NULL, g_task_get_cancellable (task), on_answer, task);
}

static void
finish (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  GPtrArray *listings = sk_shopify_catalog_build (fetch->catalog, fetch->preferred);

  fetch->summary.listings = listings->len;
  fetch->summary.skipped = sk_shopify_catalog_get_skipped (fetch->catalog);
  g_debug ("Fetched %u listings of %s in %u requests", listings->len,
           sk_shopify_record_shop_name (fetch->record), fetch->summary.requests);
  g_task_return_pointer (task, listings, (GDestroyNotify) g_ptr_array_unref);
}

/* The next request, or the end. Takes @task. */
static void
advance (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *ids = NULL;

  if (fetch->page_info != NULL)
    escaped = g_uri_escape_string (fetch->page_info, NULL, FALSE);

  switch (fetch->step)
    {
    case STEP_SHOP:
      request (task, "shop.json", NULL);
      return;
    case STEP_PRODUCTS:
      /* Shopify takes only limit (and fields) beside page_info. */
      if (escaped != NULL)
        query = g_strdup_printf ("limit=%d&page_info=%s", SK_CATALOG_SHOPIFY_LIMIT, escaped);
      else
        query = g_strdup_printf ("limit=%d", SK_CATALOG_SHOPIFY_LIMIT);
      request (task, "products.json", query);
      return;
    case STEP_ITEMS:
      if (fetch->item_ids->len == 0)
        break;
      ids = batch_ids (fetch);
      query = g_strdup_printf ("ids=%s&limit=%d", ids, SK_CATALOG_SHOPIFY_LIMIT);
      request (task, "inventory_items.json", query);
      return;
    case STEP_LEVELS:
      if (fetch->batch * SK_CATALOG_SHOPIFY_BATCH >= fetch->item_ids->len)
        break;
      if (escaped != NULL)
        query = g_strdup_printf ("limit=%d&page_info=%s", SK_CATALOG_SHOPIFY_LIMIT, escaped);
      else
        {
          ids = batch_ids (fetch);
          query = g_strdup_printf ("inventory_item_ids=%s&limit=%d", ids, SK_CATALOG_SHOPIFY_LIMIT);
        }
      request (task, "inventory_levels.json", query);
      return;
    default:
      g_assert_not_reached ();
    }
  finish (task);
  g_object_unref (task);
}

/* The token client and the bucket of @channel's catalog pulls. */
static void
shared_state (SkChannel             *channel,
              SkShopifyTokenClient **out_client,
              SkRateLimiter        **out_limiter)
{
  SkRateLimiter *limiter = g_object_get_data (G_OBJECT (channel), LIMITER_KEY);
  SkShopifyTokenClient *client = g_object_get_data (G_OBJECT (channel), AUTH_KEY);

  if (limiter == NULL)
    {
      limiter = sk_shopify_rate_limiter_new ();
      g_object_set_data_full (G_OBJECT (channel), LIMITER_KEY, limiter,
                              (GDestroyNotify) sk_rate_limiter_unref);
    }
  *out_limiter = sk_rate_limiter_ref (limiter);
  *out_client = client != NULL ? g_object_ref (client) : NULL;
}

void
sk_shopify_catalog_fetch_async (SkChannel           *channel,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;
  GError *error = NULL;

  g_return_if_fail (SK_IS_CHANNEL (channel));
  g_return_if_fail (g_strcmp0 (sk_channel_get_kind (channel), "shopify") == 0);

  task = g_task_new (channel, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_shopify_catalog_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->channel = g_object_ref (channel);
  fetch->record = sk_channel_record_copy (sk_channel_get_record (channel));
  fetch->http = g_object_ref (sk_channel_get_http (channel));
  fetch->secret = g_strdup (sk_channel_get_secret (channel));
  fetch->preferred = setting_location (fetch->record);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  shared_state (channel, &fetch->client, &fetch->limiter);
  if (!sk_shopify_prepare_auth (fetch->http, fetch->record, fetch->secret, &fetch->client,
                                &fetch->plain_token, &error))
    {
      fail (task, error);
      g_object_unref (task);
      return;
    }
  if (fetch->client != NULL && g_object_get_data (G_OBJECT (channel), AUTH_KEY) != fetch->client)
    g_object_set_data_full (G_OBJECT (channel), AUTH_KEY, g_object_ref (fetch->client),
                            g_object_unref);

  fetch->step = STEP_SHOP;
  advance (task);
}

GPtrArray *
sk_shopify_catalog_fetch_finish (SkChannel         *channel,
                                 GAsyncResult      *result,
                                 SkCatalogSummary  *out_summary,
                                 GError           **error)
{
  Fetch *fetch;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), NULL);
  g_return_val_if_fail (g_task_is_valid (result, channel), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_shopify_catalog_fetch_async, NULL);

  fetch = g_task_get_task_data (G_TASK (result));
  if (out_summary != NULL)
    *out_summary = fetch->summary;
  return g_task_propagate_pointer (G_TASK (result), error);
}
