/* sk-catalog.c: pull a channel's catalog into the listings, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-catalog"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-catalog-private.h"
#include "sk-error.h"
#include "sk-store-import.h"
#include "sk-time.h"

#define STATUS_TOO_MANY_REQUESTS 429

/* Shared by the fetchers */

const char *
_sk_catalog_channel_label (SkChannel *channel)
{
  const SkChannelRecord *record = sk_channel_get_record (channel);

  if (record->name != NULL && *record->name != '\0')
    return record->name;
  if (record->account != NULL && *record->account != '\0')
    return record->account;
  return record->kind != NULL ? record->kind : "";
}

GError *
_sk_catalog_status_error (SkHttpResponse *response,
                          const char     *channel_label,
                          const char     *platform,
                          const char     *permission,
                          gboolean        app,
                          const char     *words)
{
  guint status = response->status;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (app)
        return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                            _("%s refused the access token it had just handed out to the app of %s. Check that the app is still installed on this store, then refresh the catalog again."),
                            platform, channel_label);
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                          _("%s refused Storekeep’s credentials for %s. Check them in the channel settings, then refresh the catalog again."),
                          platform, channel_label);
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                          _("%s did not let Storekeep read the products of %s: the %s permission is missing. Grant it in the shop’s admin, then refresh the catalog again."),
                          platform, channel_label, permission);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                          _("%s did not find the catalog of %s. Check the shop address in the channel settings."),
                          platform, channel_label);
    case STATUS_TOO_MANY_REQUESTS:
      return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                          _("%s asked Storekeep to slow down while it read the catalog of %s. Storekeep will try again later."),
                          platform, channel_label);
    default:
      break;
    }
  if (SOUP_STATUS_IS_SERVER_ERROR (status) || SOUP_STATUS_IS_REDIRECTION (status) || status < 100)
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                        _("%s could not hand over the catalog of %s (HTTP %u). Storekeep will try again later."),
                        platform, channel_label, status);
  if (words != NULL && *words != '\0')
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                        _("%s refused to hand over the catalog of %s (HTTP %u): “%s”. Check the channel settings, then refresh the catalog again."),
                        platform, channel_label, status, words);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                      _("%s refused to hand over the catalog of %s (HTTP %u). Check the channel settings, then refresh the catalog again."),
                      platform, channel_label, status);
}

typedef struct {
  GBytes            *body;
  SkCatalogFeedFunc  feed;
  gpointer           catalog;
  gpointer           data;
  char              *label;
  char              *platform;
} Feed;

static void
feed_free (Feed *feed)
{
  g_bytes_unref (feed->body);
  g_free (feed->label);
  g_free (feed->platform);
  g_free (feed);
}

static void
feed_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Feed *feed = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  const char *text;
  gsize len;

  text = g_bytes_get_data (feed->body, &len);
  if (text == NULL || len == 0 || !json_parser_load_from_data (parser, text, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                               _("%s sent part of the catalog of %s in a form Storekeep cannot read. Refresh the catalog again later; if it keeps happening, check the shop."),
                               feed->platform, feed->label);
      return;
    }
  if (!feed->feed (feed->catalog, json_parser_get_root (parser), feed->data, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
_sk_catalog_feed_async (GBytes              *body,
                        SkCatalogFeedFunc    feed_func,
                        gpointer             catalog,
                        gpointer             data,
                        const char          *channel_label,
                        const char          *platform,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Feed *feed = g_new0 (Feed, 1);

  g_task_set_source_tag (task, _sk_catalog_feed_async);
  feed->body = g_bytes_ref (body);
  feed->feed = feed_func;
  feed->catalog = catalog;
  feed->data = data;
  feed->label = g_strdup (channel_label);
  feed->platform = g_strdup (platform);
  g_task_set_task_data (task, feed, (GDestroyNotify) feed_free);
  g_task_run_in_thread (task, feed_thread);
}

gboolean
_sk_catalog_feed_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Fetch */

gboolean
sk_catalog_supports_kind (const char *kind)
{
  return g_strcmp0 (kind, "shopify") == 0 || g_strcmp0 (kind, "woocommerce") == 0;
}

typedef struct {
  SkCatalogSummary summary;
  SkCatalogPullFlags flags;
  GPtrArray *listings;
} Pull;

static void
pull_free (Pull *pull)
{
  g_clear_pointer (&pull->listings, g_ptr_array_unref);
  g_free (pull);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkChannel *channel = SK_CHANNEL (source);
  Pull *pull = g_task_get_task_data (task);
  GPtrArray *listings;
  GError *error = NULL;

  if (g_strcmp0 (sk_channel_get_kind (channel), "shopify") == 0)
    listings = sk_shopify_catalog_fetch_finish (channel, result, &pull->summary, &error);
  else
    listings = sk_woo_catalog_fetch_finish (channel, result, &pull->summary, &error);
  if (listings == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, listings, (GDestroyNotify) g_ptr_array_unref);
}

void
sk_catalog_fetch_async (SkChannel           *channel,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *kind;

  g_return_if_fail (SK_IS_CHANNEL (channel));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (channel, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_catalog_fetch_async);
  g_task_set_task_data (task, g_new0 (Pull, 1), (GDestroyNotify) pull_free);

  kind = sk_channel_get_kind (channel);
  if (g_strcmp0 (kind, "shopify") == 0)
    sk_shopify_catalog_fetch_async (channel, cancellable, on_fetched, g_steal_pointer (&task));
  else if (g_strcmp0 (kind, "woocommerce") == 0)
    sk_woo_catalog_fetch_async (channel, cancellable, on_fetched, g_steal_pointer (&task));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("Storekeep cannot read the catalog of %s: channels of this kind have none. Add its products by hand or from a CSV file."),
                             _sk_catalog_channel_label (channel));
}

GPtrArray *
sk_catalog_fetch_finish (SkChannel         *channel,
                         GAsyncResult      *result,
                         SkCatalogSummary  *out_summary,
                         GError           **error)
{
  Pull *pull;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), NULL);
  g_return_val_if_fail (g_task_is_valid (result, channel), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_catalog_fetch_async, NULL);

  pull = g_task_get_task_data (G_TASK (result));
  if (out_summary != NULL)
    *out_summary = pull->summary;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Pull: fetch, store, record the time */

static void
on_cursor_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!sk_store_import_finish (SK_STORE (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_upserted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkChannel *channel = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  GError *error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  SkImportPage *page;

  if (!sk_store_upsert_listings_finish (SK_STORE (source), result, &pull->summary.upsert, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Catalog of %s: %u new, %u updated, %u matched, %u unmatched, %u SKUs created, %u seeded, %u removed",
           _sk_catalog_channel_label (channel), pull->summary.upsert.inserted,
           pull->summary.upsert.updated, pull->summary.upsert.matched,
           pull->summary.upsert.unmatched, pull->summary.upsert.skus_created,
           pull->summary.upsert.seeded, pull->summary.upsert.removed);

  /* The time of this complete pull, as the "catalog" cursor. */
  page = sk_import_page_new (sk_channel_get_id (channel), SK_CATALOG_RESOURCE, NULL);
  page->write_cursor = TRUE;
  page->cursor.high_water = sk_time_now ();
  sk_store_import_async (SK_STORE (source), page, cancellable,
                         on_cursor_written, g_steal_pointer (&task));
}

static void
on_pull_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkChannel *channel = SK_CHANNEL (source);
  Pull *pull = g_task_get_task_data (task);
  SkStore *store = sk_channel_get_store (channel);
  SkListingUpsertFlags flags = SK_LISTING_UPSERT_SEED_STOCK;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  gint64 n_skus;

  pull->listings = sk_catalog_fetch_finish (channel, result, &pull->summary, &error);
  if (pull->listings == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The first catalog of an empty profile fills the SKU master. */
  n_skus = sk_store_count_skus (store, NULL);
  if ((pull->flags & SK_CATALOG_PULL_CREATE_SKUS) || n_skus == 0)
    {
      flags |= SK_LISTING_UPSERT_CREATE_SKUS;
      pull->summary.created_skus = TRUE;
    }
  /* An empty answer never takes every listing away. */
  if (pull->listings->len > 0)
    flags |= SK_LISTING_UPSERT_FULL;
  sk_store_upsert_listings_async (store, sk_channel_get_id (channel), pull->listings, flags,
                                  cancellable, on_upserted, g_steal_pointer (&task));
}

void
sk_catalog_pull_async (SkChannel           *channel,
                       SkCatalogPullFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Pull *pull;

  g_return_if_fail (SK_IS_CHANNEL (channel));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (channel, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_catalog_pull_async);
  pull = g_new0 (Pull, 1);
  pull->flags = flags;
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);
  sk_catalog_fetch_async (channel, cancellable, on_pull_fetched, g_steal_pointer (&task));
}

gboolean
sk_catalog_pull_finish (SkChannel         *channel,
                        GAsyncResult      *result,
                        SkCatalogSummary  *out_summary,
                        GError           **error)
{
  Pull *pull;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, channel), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_catalog_pull_async, FALSE);

  pull = g_task_get_task_data (G_TASK (result));
  if (out_summary != NULL)
    *out_summary = pull->summary;
  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
sk_catalog_get_last_pull (SkStore  *store,
                          gint64    channel_id,
                          GError  **error)
{
  SkSyncCursor cursor = { 0, };
  gint64 at;

  g_return_val_if_fail (SK_IS_STORE (store), 0);

  if (!sk_store_get_cursor (store, channel_id, SK_CATALOG_RESOURCE, &cursor, error))
    return 0;
  at = cursor.high_water;
  sk_sync_cursor_clear (&cursor);
  return at;
}

/* SkCatalogScheduler */

struct _SkCatalogScheduler
{
  GObject parent_instance;

  SkSyncManager *sync;
  guint interval;
  GHashTable *running;      /* gint64 * channel id → Running */
  GHashTable *failed_at;    /* gint64 * channel id → gint64 * unix time */
  GCancellable *cancellable;
};

typedef struct {
  SkCatalogScheduler *self;  /* owned */
  SkChannel *channel;        /* owned */
  GPtrArray *waiters;        /* GTask of pull_now */
} Running;

enum {
  SIGNAL_PULL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkCatalogScheduler, sk_catalog_scheduler, G_TYPE_OBJECT)

static void
running_free (Running *running)
{
  g_object_unref (running->self);
  g_object_unref (running->channel);
  g_ptr_array_unref (running->waiters);
  g_free (running);
}

static void
on_scheduled_pull (GObject *source, GAsyncResult *result, gpointer data)
{
  Running *running = data;
  SkCatalogScheduler *self = running->self;
  SkCatalogSummary summary = { 0, };
  g_autoptr(GError) error = NULL;
  gint64 id = sk_channel_get_id (running->channel);
  gboolean ok;

  ok = sk_catalog_pull_finish (running->channel, result, &summary, &error);
  g_hash_table_remove (self->running, &id);
  if (ok)
    g_hash_table_remove (self->failed_at, &id);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A shop that cannot be reached now is no programming error: the
       * "pull-finished" signal carries the sentence for people. */
      g_message ("Could not pull the catalog of %s: %s",
                 _sk_catalog_channel_label (running->channel), error->message);
      g_hash_table_replace (self->failed_at, g_memdup2 (&id, sizeof id),
                            g_memdup2 (&(gint64) { sk_time_now () }, sizeof (gint64)));
    }

  g_signal_emit (self, signals[SIGNAL_PULL_FINISHED], 0, running->channel,
                 ok ? &summary : NULL, error);
  for (guint i = 0; i < running->waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (running->waiters, i);

      if (ok)
        g_task_return_pointer (task, g_memdup2 (&summary, sizeof summary), g_free);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  running_free (running);
}

static Running *
start_pull (SkCatalogScheduler *self,
            SkChannel          *channel)
{
  gint64 id = sk_channel_get_id (channel);
  Running *running = g_hash_table_lookup (self->running, &id);

  if (running != NULL)
    return running;
  running = g_new0 (Running, 1);
  running->self = g_object_ref (self);
  running->channel = g_object_ref (channel);
  running->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_insert (self->running, g_memdup2 (&id, sizeof id), running);
  g_debug ("Pulling the catalog of %s", _sk_catalog_channel_label (channel));
  sk_catalog_pull_async (channel, SK_CATALOG_PULL_DEFAULT, self->cancellable,
                         on_scheduled_pull, running);
  return running;
}

static gboolean
pull_is_due (SkCatalogScheduler *self,
             SkChannel          *channel)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sk_channel_get_id (channel);
  gint64 now = sk_time_now ();
  gint64 *failed = g_hash_table_lookup (self->failed_at, &id);
  gint64 last;

  if (self->interval == 0 || !sk_catalog_supports_kind (sk_channel_get_kind (channel)))
    return FALSE;
  if (g_hash_table_contains (self->running, &id))
    return FALSE;
  if (failed != NULL && now - *failed < MIN (SK_CATALOG_RETRY_INTERVAL, (gint64) self->interval))
    return FALSE;
  last = sk_catalog_get_last_pull (sk_channel_get_store (channel), id, &error);
  if (error != NULL)
    {
      g_warning ("Could not read when the catalog of %s was last pulled: %s",
                 _sk_catalog_channel_label (channel), error->message);
      return FALSE;
    }
  return last == 0 || now - last >= (gint64) self->interval;
}

static void
on_sync_finished (SkSyncManager      *sync,
                  SkChannel          *channel,
                  gpointer            summary,
                  SkCatalogScheduler *self)
{
  if (pull_is_due (self, channel))
    start_pull (self, channel);
}

static void
sk_catalog_scheduler_dispose (GObject *object)
{
  SkCatalogScheduler *self = SK_CATALOG_SCHEDULER (object);

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (sk_catalog_scheduler_parent_class)->dispose (object);
}

static void
sk_catalog_scheduler_finalize (GObject *object)
{
  SkCatalogScheduler *self = SK_CATALOG_SCHEDULER (object);

  g_assert (g_hash_table_size (self->running) == 0);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->failed_at, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (sk_catalog_scheduler_parent_class)->finalize (object);
}

static void
sk_catalog_scheduler_class_init (SkCatalogSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_catalog_scheduler_dispose;
  object_class->finalize = sk_catalog_scheduler_finalize;

  signals[SIGNAL_PULL_FINISHED] =
    g_signal_new ("pull-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, SK_TYPE_CHANNEL, G_TYPE_POINTER, G_TYPE_ERROR);
}

static void
sk_catalog_scheduler_init (SkCatalogScheduler *self)
{
  self->interval = SK_CATALOG_INTERVAL;
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->failed_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

SkCatalogScheduler *
sk_catalog_scheduler_new (SkSyncManager *sync)
{
  SkCatalogScheduler *self;

  g_return_val_if_fail (SK_IS_SYNC_MANAGER (sync), NULL);

  self = g_object_new (SK_TYPE_CATALOG_SCHEDULER, NULL);
  self->sync = g_object_ref (sync);
  g_signal_connect (sync, "sync-finished", G_CALLBACK (on_sync_finished), self);
  return self;
}

void
sk_catalog_scheduler_set_interval (SkCatalogScheduler *self,
                                   guint               seconds)
{
  g_return_if_fail (SK_IS_CATALOG_SCHEDULER (self));

  self->interval = seconds;
}

gboolean
sk_catalog_scheduler_is_pulling (SkCatalogScheduler *self,
                                 gint64              channel_id)
{
  g_return_val_if_fail (SK_IS_CATALOG_SCHEDULER (self), FALSE);

  return g_hash_table_contains (self->running, &channel_id);
}

static void
on_synced_first (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkCatalogScheduler *self = g_task_get_source_object (task);
  SkChannel *channel = g_task_get_task_data (task);
  GError *error = NULL;
  Running *running;

  if (!sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* A failed sync is in the channel's health; the pull says why it
   * cannot run itself. */
  running = start_pull (self, channel);
  g_ptr_array_add (running->waiters, g_steal_pointer (&task));
}

void
sk_catalog_scheduler_pull_now_async (SkCatalogScheduler  *self,
                                     gint64               channel_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SkChannel *channel;
  Running *running;

  g_return_if_fail (SK_IS_CATALOG_SCHEDULER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_catalog_scheduler_pull_now_async);
  channel = sk_sync_manager_find_channel (self->sync, channel_id);
  if (channel == NULL)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                               _("This channel is no longer connected, so its catalog cannot be read. Connect the shop again."));
      return;
    }
  if (!sk_catalog_supports_kind (sk_channel_get_kind (channel)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Storekeep cannot read the catalog of %s: channels of this kind have none. Add its products by hand or from a CSV file."),
                               _sk_catalog_channel_label (channel));
      return;
    }
  if (sk_channel_get_secret (channel) == NULL)
    {
      /* Not synced in this session yet: the sync reads the secret. */
      g_task_set_task_data (task, g_object_ref (channel), g_object_unref);
      sk_sync_manager_sync_now_async (self->sync, channel_id, cancellable, on_synced_first,
                                      g_steal_pointer (&task));
      return;
    }
  running = start_pull (self, channel);
  g_ptr_array_add (running->waiters, g_steal_pointer (&task));
}

gboolean
sk_catalog_scheduler_pull_now_finish (SkCatalogScheduler  *self,
                                      GAsyncResult        *result,
                                      SkCatalogSummary    *out_summary,
                                      GError             **error)
{
  g_autofree SkCatalogSummary *summary = NULL;

  g_return_val_if_fail (SK_IS_CATALOG_SCHEDULER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  if (summary != NULL && out_summary != NULL)
    *out_summary = *summary;
  return summary != NULL;
}
