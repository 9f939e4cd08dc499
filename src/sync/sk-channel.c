/* sk-channel.c: a sales channel connector (derivable)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-channel"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-amazon-channel.h"
#include "sk-csv-channel.h"
#include "sk-order.h"
#include "sk-shopify-channel.h"
#include "sk-store-problems.h"
#include "sk-woo-channel.h"

typedef struct
{
  SkStore *store;
  SkHttp *http;
  SkChannelRecord *record;
  char *secret;
  SkTokenClient *token_client;

  SkChannelState state;
  gint64 last_success;
  char *last_error;
  guint consecutive_failures;
  gint64 dead_letters;
  SkSyncProgress progress;

  gboolean running;
} SkChannelPrivate;

enum {
  PROP_0,
  PROP_STORE,
  PROP_HTTP,
  PROP_RECORD,
  PROP_STATE,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_CONSECUTIVE_FAILURES,
  PROP_DEAD_LETTERS,
  PROP_PROGRESS_PAGES,
  PROP_PROGRESS_ORDERS,
  PROP_PROGRESS_EXPECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SkChannel, sk_channel, G_TYPE_OBJECT)

#define PRIV(self) ((SkChannelPrivate *) sk_channel_get_instance_private (self))

GType
sk_channel_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SK_CHANNEL_STATE_IDLE, "SK_CHANNEL_STATE_IDLE", "idle" },
        { SK_CHANNEL_STATE_SYNCING, "SK_CHANNEL_STATE_SYNCING", "syncing" },
        { SK_CHANNEL_STATE_FAILING, "SK_CHANNEL_STATE_FAILING", "failing" },
        { SK_CHANNEL_STATE_NEEDS_ATTENTION, "SK_CHANNEL_STATE_NEEDS_ATTENTION", "needs-attention" },
        { SK_CHANNEL_STATE_PAUSED, "SK_CHANNEL_STATE_PAUSED", "paused" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("SkChannelState"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* Setters that notify only on change */

static void
set_state (SkChannel *self, SkChannelState state)
{
  SkChannelPrivate *priv = PRIV (self);

  if (priv->state == state)
    return;
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_success (SkChannel *self, gint64 when)
{
  SkChannelPrivate *priv = PRIV (self);

  if (priv->last_success == when)
    return;
  priv->last_success = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

static void
set_last_error (SkChannel *self, const char *message)
{
  SkChannelPrivate *priv = PRIV (self);

  if (g_strcmp0 (priv->last_error, message) == 0)
    return;
  g_free (priv->last_error);
  priv->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_consecutive_failures (SkChannel *self, guint failures)
{
  SkChannelPrivate *priv = PRIV (self);

  if (priv->consecutive_failures == failures)
    return;
  priv->consecutive_failures = failures;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSECUTIVE_FAILURES]);
}

static void
set_dead_letters (SkChannel *self, gint64 count)
{
  SkChannelPrivate *priv = PRIV (self);

  if (priv->dead_letters == count)
    return;
  priv->dead_letters = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEAD_LETTERS]);
}

static void
clear_secret (char **secret)
{
  if (*secret == NULL)
    return;
  memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* Friend API */

void
_sk_channel_set_progress (SkChannel *self,
                          guint      pages,
                          guint      orders,
                          gint64     expected_orders)
{
  SkChannelPrivate *priv = PRIV (self);

  g_return_if_fail (SK_IS_CHANNEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (priv->progress.pages != pages)
    {
      priv->progress.pages = pages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_PAGES]);
    }
  if (priv->progress.orders != orders)
    {
      priv->progress.orders = orders;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_ORDERS]);
    }
  if (priv->progress.expected_orders != expected_orders)
    {
      priv->progress.expected_orders = expected_orders;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_EXPECTED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
_sk_channel_get_cursor (SkChannel    *self,
                        const char   *resource,
                        SkSyncCursor *out,
                        GError      **error)
{
  SkChannelPrivate *priv = PRIV (self);

  g_return_val_if_fail (SK_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return sk_store_get_cursor (priv->store, priv->record->id, resource, out, error);
}

void
_sk_channel_set_record (SkChannel             *self,
                        const SkChannelRecord *record)
{
  SkChannelPrivate *priv = PRIV (self);
  gboolean was_paused;

  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (record != NULL);
  g_return_if_fail (record->id == priv->record->id);

  was_paused = priv->record->paused;
  sk_channel_record_free (priv->record);
  priv->record = sk_channel_record_copy (record);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);

  if (record->paused && !priv->running)
    set_state (self, SK_CHANNEL_STATE_PAUSED);
  else if (!record->paused && was_paused && priv->state == SK_CHANNEL_STATE_PAUSED)
    set_state (self, SK_CHANNEL_STATE_IDLE);
}

void
_sk_channel_refresh_dead_letters (SkChannel *self)
{
  SkChannelPrivate *priv = PRIV (self);
  g_autoptr(GError) error = NULL;
  gint64 count;

  g_return_if_fail (SK_IS_CHANNEL (self));

  if (priv->record->id == 0)
    return;
  count = sk_store_count_dead_letters (priv->store, priv->record->id, &error);
  if (error != NULL)
    {
      g_warning ("Could not count the dead letters of channel %" G_GINT64_FORMAT ": %s",
                 priv->record->id, error->message);
      return;
    }
  set_dead_letters (self, count);
}

gboolean
_sk_channel_error_needs_user (const GError *error)
{
  if (error == NULL || error->domain != SK_SYNC_ERROR)
    return FALSE;
  switch (error->code)
    {
    case SK_SYNC_ERROR_AUTH:
    case SK_SYNC_ERROR_FORBIDDEN:
    case SK_SYNC_ERROR_NOT_FOUND:
    case SK_SYNC_ERROR_NO_CREDENTIALS:
    case SK_SYNC_ERROR_INSECURE_URL:
    case SK_SYNC_ERROR_INVALID_URL:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
_sk_channel_scrub_secret (SkChannel  *self,
                          const char *text)
{
  SkChannelPrivate *priv = PRIV (self);
  g_autoptr(GString) scrubbed = NULL;

  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  if (text == NULL)
    return NULL;
  scrubbed = g_string_new (text);
  sk_secret_scrub_in (scrubbed, priv->secret);
  if (priv->token_client != NULL)
    {
      char *more = sk_token_client_scrub (priv->token_client, scrubbed->str);

      g_string_assign (scrubbed, more);
      sk_secret_free (more);
    }
  return g_string_free (g_steal_pointer (&scrubbed), FALSE);
}

void
_sk_channel_scrub_error (SkChannel *self,
                         GError    *error)
{
  char *scrubbed;

  g_return_if_fail (SK_IS_CHANNEL (self));

  if (error == NULL)
    return;
  scrubbed = _sk_channel_scrub_secret (self, error->message);
  g_free (error->message);
  error->message = scrubbed;
}

void
_sk_channel_record_failure (SkChannel    *self,
                            const GError *error)
{
  SkChannelPrivate *priv = PRIV (self);
  g_autofree char *message = NULL;

  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (error != NULL);

  message = _sk_channel_scrub_secret (self, error->message);
  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, _sk_channel_error_needs_user (error) ? SK_CHANNEL_STATE_NEEDS_ATTENTION
                                                         : SK_CHANNEL_STATE_FAILING);
  set_last_error (self, message);
  set_consecutive_failures (self, priv->consecutive_failures + 1);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_sk_channel_set_token_client (SkChannel     *self,
                              SkTokenClient *client)
{
  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (client == NULL || SK_IS_TOKEN_CLIENT (client));

  g_set_object (&PRIV (self)->token_client, client);
}

gint64
_sk_channel_response_date (SkHttpResponse *response)
{
  const char *value;
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (response != NULL, 0);

  value = soup_message_headers_get_one (response->headers, "Date");
  if (value == NULL)
    return 0;
  date = soup_date_time_new_from_http_string (value);
  return date != NULL ? MAX (g_date_time_to_unix (date), 0) : 0;
}

/* Paged runs */

SkImportPage *
_sk_channel_new_page (SkChannel  *self,
                      const char *actor)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return sk_import_page_new (PRIV (self)->record->id, SK_CHANNEL_ORDERS_RESOURCE, actor);
}

void
_sk_channel_begin_run_async (SkChannel          *self,
                             const char         *actor,
                             const SkSyncCursor *start,
                             gint64              run_started_at,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  SkImportPage *page;

  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (start != NULL);

  page = _sk_channel_new_page (self, actor);
  page->write_cursor = TRUE;
  page->cursor.high_water = start->high_water;
  page->cursor.run_started_at = run_started_at;
  sk_store_import_async (PRIV (self)->store, page, cancellable, callback, user_data);
}

void
_sk_channel_page_cursor (SkImportPage       *page,
                         const SkSyncCursor *start,
                         gint64              run_started_at,
                         gint64              run_max_seen,
                         gint64              pages_done,
                         const char         *next_token)
{
  g_return_if_fail (page != NULL);
  g_return_if_fail (start != NULL);

  page->write_cursor = TRUE;
  page->cursor.pages_done = pages_done + 1;
  if (next_token != NULL)
    {
      page->cursor.high_water = start->high_water;
      page->cursor.run_started_at = run_started_at;
      page->cursor.run_max_seen = run_max_seen;
      g_free (page->cursor.page_token);
      page->cursor.page_token = g_strdup (next_token);
    }
  else
    {
      page->cursor.high_water = MAX (start->high_water, MIN (run_max_seen, run_started_at));
      page->cursor.run_started_at = 0;
      page->cursor.run_max_seen = 0;
      g_clear_pointer (&page->cursor.page_token, g_free);
    }
}

gint64
_sk_import_page_max_updated (const SkImportPage *page)
{
  gint64 newest = 0;

  g_return_val_if_fail (page != NULL, 0);

  for (guint i = 0; page->orders != NULL && i < page->orders->len; i++)
    newest = MAX (newest, sk_order_get_updated_at (g_ptr_array_index (page->orders, i)));
  return newest;
}

void
_sk_sync_summary_add_page (SkSyncSummary        *summary,
                           const SkImportResult *imported)
{
  g_return_if_fail (summary != NULL);
  g_return_if_fail (imported != NULL);

  summary->pages++;
  summary->inserted += imported->inserted;
  summary->updated += imported->updated;
  summary->unchanged += imported->unchanged;
  summary->stale += imported->stale;
  summary->dead_lettered += imported->dead_lettered;
}

/* Runs */

typedef struct {
  SkChannelState previous;
} RunData;

static void
record_success (SkChannel *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, PRIV (self)->record->paused ? SK_CHANNEL_STATE_PAUSED
                                               : SK_CHANNEL_STATE_IDLE);
  set_last_success (self, g_get_real_time () / G_USEC_PER_SEC);
  set_last_error (self, NULL);
  set_consecutive_failures (self, 0);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SkChannel *self = SK_CHANNEL (source);
  SkChannelPrivate *priv = PRIV (self);
  g_autoptr(GTask) task = data;
  RunData *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary = { 0 };

  SK_CHANNEL_GET_CLASS (self)->sync_finish (self, result, &summary, &error);
  priv->running = FALSE;

  if (error == NULL)
    record_success (self);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, priv->record->paused ? SK_CHANNEL_STATE_PAUSED : run->previous);
  else
    _sk_channel_record_failure (self, error);
  _sk_channel_refresh_dead_letters (self);

  if (error != NULL)
    {
      _sk_channel_scrub_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, g_memdup2 (&summary, sizeof summary), g_free);
}

static void
on_test_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SkChannel *self = SK_CHANNEL (source);
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  if (!SK_CHANNEL_GET_CLASS (self)->test_connection_finish (self, result, &error))
    {
      _sk_channel_scrub_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* GObject */

static void
sk_channel_constructed (GObject *object)
{
  SkChannel *self = SK_CHANNEL (object);
  SkChannelPrivate *priv = PRIV (self);
  SkSyncCursor cursor = { 0 };

  G_OBJECT_CLASS (sk_channel_parent_class)->constructed (object);

  g_assert (priv->store != NULL);
  g_assert (priv->http != NULL);
  g_assert (priv->record != NULL);

  if (priv->record->paused)
    priv->state = SK_CHANNEL_STATE_PAUSED;

  if (priv->record->id != 0)
    {
      /* The cursor of the last finished run tells when it succeeded. */
      if (sk_store_get_cursor (priv->store, priv->record->id, "orders", &cursor, NULL) &&
          cursor.run_started_at == 0 && cursor.high_water > 0)
        priv->last_success = cursor.updated_at;
      sk_sync_cursor_clear (&cursor);
      priv->dead_letters = sk_store_count_dead_letters (priv->store, priv->record->id, NULL);
      priv->dead_letters = MAX (priv->dead_letters, 0);
    }
}

static void
sk_channel_finalize (GObject *object)
{
  SkChannelPrivate *priv = PRIV (SK_CHANNEL (object));

  g_clear_object (&priv->store);
  g_clear_object (&priv->http);
  g_clear_pointer (&priv->record, sk_channel_record_free);
  clear_secret (&priv->secret);
  g_clear_object (&priv->token_client);
  g_clear_pointer (&priv->last_error, g_free);

  G_OBJECT_CLASS (sk_channel_parent_class)->finalize (object);
}

static void
sk_channel_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SkChannelPrivate *priv = PRIV (SK_CHANNEL (object));

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_HTTP:
      g_value_set_object (value, priv->http);
      break;
    case PROP_RECORD:
      g_value_set_boxed (value, priv->record);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, priv->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, priv->last_error);
      break;
    case PROP_CONSECUTIVE_FAILURES:
      g_value_set_uint (value, priv->consecutive_failures);
      break;
    case PROP_DEAD_LETTERS:
      g_value_set_int64 (value, priv->dead_letters);
      break;
    case PROP_PROGRESS_PAGES:
      g_value_set_uint (value, priv->progress.pages);
      break;
    case PROP_PROGRESS_ORDERS:
      g_value_set_uint (value, priv->progress.orders);
      break;
    case PROP_PROGRESS_EXPECTED:
      g_value_set_int64 (value, priv->progress.expected_orders);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_channel_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SkChannelPrivate *priv = PRIV (SK_CHANNEL (object));

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    case PROP_HTTP:
      priv->http = g_value_dup_object (value);
      break;
    case PROP_RECORD:
      priv->record = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static guint
sk_channel_real_get_min_interval (SkChannel *self)
{
  return 60;
}

/* For subclasses whose sync_async returns a g_memdup2()'d SkSyncSummary
 * from a GTask of their own. */
static gboolean
sk_channel_real_sync_finish (SkChannel      *self,
                             GAsyncResult   *result,
                             SkSyncSummary  *out_summary,
                             GError        **error)
{
  g_autofree SkSyncSummary *summary = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  if (summary != NULL && out_summary != NULL)
    *out_summary = *summary;
  return summary != NULL;
}

/* For subclasses whose test_connection_async returns a boolean GTask. */
static gboolean
sk_channel_real_test_connection_finish (SkChannel     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sk_channel_class_init (SkChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = sk_channel_constructed;
  object_class->finalize = sk_channel_finalize;
  object_class->get_property = sk_channel_get_property;
  object_class->set_property = sk_channel_set_property;

  klass->get_min_interval = sk_channel_real_get_min_interval;
  klass->sync_finish = sk_channel_real_sync_finish;
  klass->test_connection_finish = sk_channel_real_test_connection_finish;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SK_TYPE_STORE, construct);
  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, SK_TYPE_HTTP, construct);
  properties[PROP_RECORD] =
    g_param_spec_boxed ("record", NULL, NULL, SK_TYPE_CHANNEL_RECORD,
                        construct | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SK_TYPE_CHANNEL_STATE,
                       SK_CHANNEL_STATE_IDLE, ro);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_CONSECUTIVE_FAILURES] =
    g_param_spec_uint ("consecutive-failures", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DEAD_LETTERS] =
    g_param_spec_int64 ("dead-letters", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PROGRESS_PAGES] =
    g_param_spec_uint ("progress-pages", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_PROGRESS_ORDERS] =
    g_param_spec_uint ("progress-orders", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_PROGRESS_EXPECTED] =
    g_param_spec_int64 ("progress-expected", NULL, NULL, -1, G_MAXINT64, -1, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_channel_init (SkChannel *self)
{
  SkChannelPrivate *priv = PRIV (self);

  priv->state = SK_CHANNEL_STATE_IDLE;
  priv->progress.expected_orders = -1;
}

/* Public API */

SkStore *
sk_channel_get_store (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->store;
}

SkHttp *
sk_channel_get_http (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->http;
}

const SkChannelRecord *
sk_channel_get_record (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->record;
}

gint64
sk_channel_get_id (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), 0);

  return PRIV (self)->record->id;
}

const char *
sk_channel_get_name (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->record->name;
}

const char *
sk_channel_get_kind (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->record->kind;
}

void
sk_channel_set_secret (SkChannel  *self,
                       const char *secret)
{
  SkChannelPrivate *priv;

  g_return_if_fail (SK_IS_CHANNEL (self));

  priv = PRIV (self);
  if (priv->secret == secret)
    return;
  clear_secret (&priv->secret);
  priv->secret = g_strdup (secret);
}

const char *
sk_channel_get_secret (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->secret;
}

SkChannelState
sk_channel_get_state (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), SK_CHANNEL_STATE_IDLE);

  return PRIV (self)->state;
}

gint64
sk_channel_get_last_success (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), 0);

  return PRIV (self)->last_success;
}

const char *
sk_channel_get_last_error (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), NULL);

  return PRIV (self)->last_error;
}

guint
sk_channel_get_consecutive_failures (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), 0);

  return PRIV (self)->consecutive_failures;
}

gint64
sk_channel_get_dead_letters (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), 0);

  return PRIV (self)->dead_letters;
}

void
sk_channel_get_progress (SkChannel      *self,
                         SkSyncProgress *out)
{
  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (out != NULL);

  *out = PRIV (self)->progress;
}

guint
sk_channel_get_min_interval (SkChannel *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), 0);

  return SK_CHANNEL_GET_CLASS (self)->get_min_interval (self);
}

void
sk_channel_sync_async (SkChannel           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  SkChannelPrivate *priv;
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv = PRIV (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_channel_sync_async);

  if (priv->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("%s is already being synchronized."),
                               priv->record->name);
      return;
    }
  if (priv->record->paused)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_PAUSED,
                               _("%s is paused. Resume it in the channel settings to sync its orders."),
                               priv->record->name);
      return;
    }
  if (SK_CHANNEL_GET_CLASS (self)->sync_async == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Storekeep cannot sync channels of this kind yet."));
      return;
    }

  run = g_new0 (RunData, 1);
  run->previous = priv->state;
  g_task_set_task_data (task, run, g_free);

  priv->running = TRUE;
  _sk_channel_set_progress (self, 0, 0, -1);
  set_state (self, SK_CHANNEL_STATE_SYNCING);
  SK_CHANNEL_GET_CLASS (self)->sync_async (self, cancellable, on_sync_done,
                                           g_steal_pointer (&task));
}

gboolean
sk_channel_sync_finish (SkChannel      *self,
                        GAsyncResult   *result,
                        SkSyncSummary  *out_summary,
                        GError        **error)
{
  g_autofree SkSyncSummary *summary = NULL;

  g_return_val_if_fail (SK_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_channel_sync_async, FALSE);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  if (out_summary != NULL)
    {
      if (summary != NULL)
        *out_summary = *summary;
      else
        memset (out_summary, 0, sizeof *out_summary);
    }
  return summary != NULL;
}

void
sk_channel_test_connection_async (SkChannel           *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_channel_test_connection_async);

  if (SK_CHANNEL_GET_CLASS (self)->test_connection_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  SK_CHANNEL_GET_CLASS (self)->test_connection_async (self, cancellable, on_test_done,
                                                      g_steal_pointer (&task));
}

gboolean
sk_channel_test_connection_finish (SkChannel     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (SK_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

SkChannel *
sk_channel_new_for_record (SkStore               *store,
                           SkHttp                *http,
                           const SkChannelRecord *record,
                           GError               **error)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  if (g_strcmp0 (record->kind, "shopify") == 0)
    return sk_shopify_channel_new (store, http, record);
  if (g_strcmp0 (record->kind, "amazon") == 0)
    return sk_amazon_channel_new (store, http, record);
  if (g_strcmp0 (record->kind, SK_CSV_CHANNEL_KIND) == 0)
    return sk_csv_channel_new (store, http, record);
  if (g_strcmp0 (record->kind, "woocommerce") == 0)
    return sk_woo_channel_new (store, http, record);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("Storekeep does not know channels of the kind “%s”. A newer version of Storekeep may support it."),
               record->kind != NULL ? record->kind : "");
  return NULL;
}
