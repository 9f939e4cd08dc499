/* sk-sync-manager.c: polls every channel on an adaptive interval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry per channel holds its timer, its interval and its running sync.
 * Runs are independent: a channel that cannot be reached waits for its own
 * timeouts and never holds up another. After a run, problems are opened or
 * resolved in the store (on a worker thread, the store's write waits for
 * its writer thread) and only then are the signals emitted, so a listener
 * sees the store already up to date. Main thread only.
 */
#define G_LOG_DOMAIN "sk-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-secrets.h"
#include "sk-store-problems.h"
#include "sk-sync-manager.h"

typedef struct _Entry Entry;

struct _SkSyncManager
{
  GObject parent_instance;

  SkStore *store;
  SkHttp *http;
  GListStore *channels;
  GHashTable *entries;        /* gint64 * id → Entry */

  SkSecretLookupFunc lookup_func;
  gpointer lookup_data;
  GDestroyNotify lookup_destroy;

  gboolean running;
  guint min_interval;          /* seconds; each channel's own minimum still wins */
};

struct _Entry
{
  gatomicrefcount ref_count;
  SkChannel *channel;
  gint64 id;
  guint interval;              /* seconds until the next automatic run */
  guint timer_id;
  GCancellable *cancellable;   /* non-NULL while a run is going */
  GPtrArray *waiters;          /* SyncGroup, completed when the run ends */
  gboolean removed;
  /* Problems that may be open in the store (TRUE at first: a previous
   * session may have left them open). */
  gboolean maybe_failing;
  gboolean maybe_letters;
  gboolean had_failure;        /* the last finished run failed */
};

/* One sync_now call, waiting for its runs. */
typedef struct {
  GTask *task;
  guint pending;
  GSource *cancel_source;
  GPtrArray *entries;
} SyncGroup;

enum {
  PROP_0,
  PROP_STORE,
  PROP_HTTP,
  PROP_RUNNING,
  PROP_MIN_INTERVAL,
  N_PROPS
};

enum {
  SIGNAL_CHANNEL_FAILED,
  SIGNAL_CHANNEL_RECOVERED,
  SIGNAL_DEAD_LETTERS,
  SIGNAL_SYNC_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkSyncManager, sk_sync_manager, G_TYPE_OBJECT)

static void entry_run (SkSyncManager *self, Entry *entry);

/* Entries */

static Entry *
entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
entry_unref (Entry *entry)
{
  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;
  g_assert (entry->timer_id == 0);
  g_clear_object (&entry->channel);
  g_clear_object (&entry->cancellable);
  g_clear_pointer (&entry->waiters, g_ptr_array_unref);
  g_free (entry);
}

static guint
base_interval (SkSyncManager *self,
               Entry         *entry)
{
  return MAX (self->min_interval, sk_channel_get_min_interval (entry->channel));
}

/* Quiet channels back off up to this; never below the base. */
static guint
max_interval (SkSyncManager *self,
              Entry         *entry)
{
  return MAX (SK_SYNC_MAX_INTERVAL, base_interval (self, entry));
}

static Entry *
entry_new (SkSyncManager *self,
           SkChannel     *channel)
{
  Entry *entry = g_new0 (Entry, 1);

  g_atomic_ref_count_init (&entry->ref_count);
  entry->channel = g_object_ref (channel);
  entry->id = sk_channel_get_id (channel);
  entry->interval = MAX (self->min_interval, sk_channel_get_min_interval (channel));
  entry->waiters = g_ptr_array_new ();
  entry->maybe_failing = TRUE;
  entry->maybe_letters = TRUE;
  return entry;
}

/* Paused, or never run by the manager: a channel with a minimum interval
 * of 0 has no remote to poll (CSV files); the user starts its runs. */
static gboolean
entry_paused (Entry *entry)
{
  return sk_channel_get_record (entry->channel)->paused ||
         sk_channel_get_min_interval (entry->channel) == 0;
}

static void
entry_cancel_timer (Entry *entry)
{
  g_clear_handle_id (&entry->timer_id, g_source_remove);
}

typedef struct {
  SkSyncManager *self;
  Entry *entry;
} TimerData;

static void
timer_data_free (TimerData *data)
{
  entry_unref (data->entry);
  g_free (data);
}

static gboolean
on_timer (gpointer user_data)
{
  TimerData *data = user_data;

  data->entry->timer_id = 0;
  entry_run (data->self, data->entry);
  return G_SOURCE_REMOVE;
}

static void
entry_schedule (SkSyncManager *self, Entry *entry, guint seconds)
{
  TimerData *data;

  entry_cancel_timer (entry);
  if (!self->running || entry->removed || entry_paused (entry) || entry->cancellable != NULL)
    return;

  data = g_new0 (TimerData, 1);
  data->self = self;   /* timers are removed before the manager goes */
  data->entry = entry_ref (entry);
  if (seconds == 0)
    entry->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 0, on_timer, data,
                                          (GDestroyNotify) timer_data_free);
  else
    entry->timer_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, on_timer, data,
                                                  (GDestroyNotify) timer_data_free);
}

/* Sync groups */

static void
group_free (SyncGroup *group)
{
  if (group->cancel_source != NULL)
    {
      g_source_destroy (group->cancel_source);
      g_source_unref (group->cancel_source);
    }
  g_ptr_array_unref (group->entries);
  g_clear_object (&group->task);
  g_free (group);
}

static void
group_complete_one (SyncGroup *group)
{
  g_assert (group->pending > 0);

  if (--group->pending > 0)
    return;
  if (!g_task_return_error_if_cancelled (group->task))
    g_task_return_boolean (group->task, TRUE);
  group_free (group);
}

static gboolean
on_group_cancelled (GCancellable *cancellable, gpointer user_data)
{
  SyncGroup *group = user_data;

  for (guint i = 0; i < group->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (group->entries, i);

      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
    }
  return G_SOURCE_REMOVE;
}

/* The run of @entry ended (or never started): let its waiters go. */
static void
entry_release_waiters (Entry *entry)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&entry->waiters);

  entry->waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    group_complete_one (g_ptr_array_index (waiters, i));
}

/* After a run: the store, then the signals */

typedef struct {
  SkSyncManager *self;       /* owned */
  Entry *entry;              /* owned */
  SkSyncSummary summary;
  GError *error;             /* NULL: the run succeeded */

  /* Work for the store, done on a worker thread. */
  GPtrArray *resolve_keys;
  char *open_kind;
  char *open_key;
  char *open_message;
  char *letters_key;         /* "dead-letters:<id>", opened when non-NULL */
  char *letters_message;
  gboolean open_is_new;

  gboolean recovered;
  gboolean alert;            /* the failure reached the point of telling */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_object (&outcome->self);
  g_clear_pointer (&outcome->entry, entry_unref);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->resolve_keys, g_ptr_array_unref);
  g_free (outcome->open_kind);
  g_free (outcome->open_key);
  g_free (outcome->open_message);
  g_free (outcome->letters_key);
  g_free (outcome->letters_message);
  g_free (outcome);
}

static char *
problem_key (const char *kind, gint64 channel_id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, channel_id);
}

/* On a worker thread: the store's synchronous writes. */
static void
store_problems_thread (GTask        *task,
                       gpointer      source,
                       gpointer      data,
                       GCancellable *cancellable)
{
  Outcome *outcome = data;
  SkStore *store = outcome->self->store;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < outcome->resolve_keys->len; i++)
    if (!sk_store_resolve_problem (store, g_ptr_array_index (outcome->resolve_keys, i), &error))
      {
        g_warning ("Could not resolve a problem: %s", error->message);
        g_clear_error (&error);
      }
  if (outcome->open_key != NULL &&
      !sk_store_open_problem (store, outcome->open_kind, outcome->open_key, outcome->entry->id,
                              outcome->open_message, &outcome->open_is_new, &error))
    {
      g_warning ("Could not record a problem: %s", error->message);
      g_clear_error (&error);
    }
  if (outcome->letters_key != NULL &&
      !sk_store_open_problem (store, "dead-letters", outcome->letters_key, outcome->entry->id,
                              outcome->letters_message, NULL, &error))
    {
      g_warning ("Could not record a problem: %s", error->message);
      g_clear_error (&error);
    }
  g_task_return_boolean (task, TRUE);
}

static void
outcome_emit (Outcome *outcome)
{
  SkSyncManager *self = outcome->self;
  Entry *entry = outcome->entry;

  if (!entry->removed)
    {
      if (outcome->error != NULL)
        g_debug ("Channel %" G_GINT64_FORMAT " failed (%s, code %d), alert %d, new problem %d",
                 entry->id, g_quark_to_string (outcome->error->domain), outcome->error->code,
                 outcome->alert, outcome->open_is_new);
      if (outcome->error != NULL)
        g_signal_emit (self, signals[SIGNAL_CHANNEL_FAILED], 0, entry->channel, outcome->error,
                       outcome->alert && outcome->open_is_new);
      else
        {
          if (outcome->recovered)
            g_signal_emit (self, signals[SIGNAL_CHANNEL_RECOVERED], 0, entry->channel);
          if (outcome->summary.dead_lettered > 0)
            g_signal_emit (self, signals[SIGNAL_DEAD_LETTERS], 0, entry->channel,
                           outcome->summary.dead_lettered);
          g_signal_emit (self, signals[SIGNAL_SYNC_FINISHED], 0, entry->channel,
                         &outcome->summary);
        }
    }

  g_clear_object (&entry->cancellable);
  entry_schedule (self, entry, entry->interval);
  entry_release_waiters (entry);
}

static void
on_problems_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  Outcome *outcome = g_task_get_task_data (G_TASK (result));

  outcome_emit (outcome);
}

/* Decide intervals and problems after a run that ran. */
static void
entry_run_finished (SkSyncManager       *self,
                    Entry               *entry,
                    const SkSyncSummary *summary,
                    GError              *error)
{
  Outcome *outcome = g_new0 (Outcome, 1);
  SkChannel *channel = entry->channel;
  const char *name = sk_channel_get_name (channel);
  g_autoptr(GTask) task = NULL;

  outcome->self = g_object_ref (self);
  outcome->entry = entry_ref (entry);
  outcome->error = error;
  outcome->resolve_keys = g_ptr_array_new_with_free_func (g_free);
  if (summary != NULL)
    outcome->summary = *summary;

  if (error == NULL)
    {
      /* Orders flowing: look again soon; quiet: back off. */
      if (summary->inserted + summary->updated > 0)
        entry->interval = base_interval (self, entry);
      else
        entry->interval = MIN (entry->interval * 2, max_interval (self, entry));

      if (entry->maybe_failing)
        {
          g_ptr_array_add (outcome->resolve_keys, problem_key ("channel-auth", entry->id));
          g_ptr_array_add (outcome->resolve_keys, problem_key ("channel-failing", entry->id));
          entry->maybe_failing = FALSE;
        }
      outcome->recovered = entry->had_failure;
      entry->had_failure = FALSE;
      if (summary->dead_lettered > 0)
        {
          outcome->letters_key = problem_key ("dead-letters", entry->id);
          outcome->letters_message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u order from %s could not be imported. Open the channel’s health to see why, then retry or dismiss it.",
                                          "%u orders from %s could not be imported. Open the channel’s health to see why, then retry or dismiss them.",
                                          summary->dead_lettered),
                             summary->dead_lettered, name);
          entry->maybe_letters = TRUE;
        }
      else if (entry->maybe_letters && sk_channel_get_dead_letters (channel) == 0)
        {
          g_ptr_array_add (outcome->resolve_keys, problem_key ("dead-letters", entry->id));
          entry->maybe_letters = FALSE;
        }
    }
  else
    {
      gboolean needs_user = _sk_channel_error_needs_user (error);
      gboolean credentials = g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH) ||
                             g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
      guint failures = sk_channel_get_consecutive_failures (channel);

      entry->interval = MIN (entry->interval * 2, max_interval (self, entry));
      entry->maybe_failing = TRUE;
      entry->had_failure = TRUE;
      /* The user may enter a new token meanwhile: read it again next time. */
      if (credentials)
        sk_channel_set_secret (channel, NULL);

      if (needs_user || failures >= SK_SYNC_FAILURES_BEFORE_ALERT)
        {
          outcome->alert = TRUE;
          outcome->open_kind = g_strdup (credentials ? "channel-auth" : "channel-failing");
          outcome->open_key = problem_key (outcome->open_kind, entry->id);
          if (needs_user)
            outcome->open_message = g_strdup (error->message);
          else
            outcome->open_message =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Orders from %s did not sync %u time in a row. %s",
                                            "Orders from %s did not sync %u times in a row. %s",
                                            failures),
                               name, failures, error->message);
        }
    }

  if (outcome->resolve_keys->len == 0 && outcome->open_key == NULL && outcome->letters_key == NULL)
    {
      outcome_emit (outcome);
      outcome_free (outcome);
      return;
    }

  task = g_task_new (self, NULL, on_problems_stored, NULL);
  g_task_set_source_tag (task, entry_run_finished);
  g_task_set_task_data (task, outcome, (GDestroyNotify) outcome_free);
  g_task_run_in_thread (task, store_problems_thread);
}

/* A run that did not happen or was cancelled: no bookkeeping. */
static void
entry_run_abandoned (SkSyncManager *self, Entry *entry)
{
  g_clear_object (&entry->cancellable);
  entry_schedule (self, entry, entry->interval);
  entry_release_waiters (entry);
}

typedef struct {
  SkSyncManager *self;
  Entry *entry;
} RunData;

static void
run_data_free (RunData *run)
{
  g_clear_object (&run->self);
  g_clear_pointer (&run->entry, entry_unref);
  g_free (run);
}

static void
on_channel_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RunData *run = user_data;
  GError *error = NULL;
  SkSyncSummary summary = { 0 };

  if (sk_channel_sync_finish (SK_CHANNEL (source), result, &summary, &error))
    entry_run_finished (run->self, run->entry, &summary, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING) ||
           g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_PAUSED))
    {
      g_debug ("Run of channel %" G_GINT64_FORMAT " did not happen: %s",
               run->entry->id, error->message);
      g_error_free (error);
      entry_run_abandoned (run->self, run->entry);
    }
  else
    entry_run_finished (run->self, run->entry, NULL, error);
  run_data_free (run);
}

static void
entry_start_sync (SkSyncManager *self, Entry *entry)
{
  RunData *run = g_new0 (RunData, 1);

  run->self = g_object_ref (self);
  run->entry = entry_ref (entry);
  sk_channel_sync_async (entry->channel, entry->cancellable, on_channel_synced, run);
}

/* Secrets, read on a worker thread: the keyring may take its time. */

typedef struct {
  SkSecretLookupFunc func;
  gpointer func_data;
  SkChannelRecord *record;
  char *secret;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  sk_channel_record_free (lookup->record);
  g_free (lookup->secret);
  g_free (lookup);
}

static void
lookup_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Lookup *lookup = data;
  GError *error = NULL;

  lookup->secret = lookup->func (lookup->record, lookup->func_data, &error);
  if (lookup->secret == NULL)
    {
      if (error == NULL)
        error = g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                             _("No credentials are stored for %s. Enter them again with Edit Connection in Channels."),
                             lookup->record->name);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_secret_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RunData *run = user_data;
  Lookup *lookup = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (run->entry->removed ||
      g_cancellable_is_cancelled (run->entry->cancellable))
    entry_run_abandoned (run->self, run->entry);
  else if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _sk_channel_record_failure (run->entry->channel, error);
      entry_run_finished (run->self, run->entry, NULL, error);
    }
  else
    {
      sk_channel_set_secret (run->entry->channel, lookup->secret);
      entry_start_sync (run->self, run->entry);
    }
  run_data_free (run);
}

static void
entry_run (SkSyncManager *self, Entry *entry)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;
  Lookup *lookup;

  if (entry->cancellable != NULL || entry->removed)
    return;
  if (entry_paused (entry))
    {
      entry_release_waiters (entry);
      return;
    }

  entry_cancel_timer (entry);
  entry->cancellable = g_cancellable_new ();

  if (sk_channel_get_secret (entry->channel) != NULL || self->lookup_func == NULL)
    {
      entry_start_sync (self, entry);
      return;
    }

  run = g_new0 (RunData, 1);
  run->self = g_object_ref (self);
  run->entry = entry_ref (entry);
  lookup = g_new0 (Lookup, 1);
  lookup->func = self->lookup_func;
  lookup->func_data = self->lookup_data;
  lookup->record = sk_channel_record_copy (sk_channel_get_record (entry->channel));

  task = g_task_new (self, NULL, on_secret_looked_up, run);
  g_task_set_source_tag (task, entry_run);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_task_run_in_thread (task, lookup_thread);
}

static char *
default_lookup (const SkChannelRecord *record,
                gpointer               user_data,
                GError               **error)
{
  return sk_secrets_lookup (record, NULL, error);
}

/* Channels */

static Entry *
find_entry (SkSyncManager *self, gint64 channel_id)
{
  return g_hash_table_lookup (self->entries, &channel_id);
}

static void
remove_entry (SkSyncManager *self, Entry *entry)
{
  guint position;

  entry_ref (entry);
  entry->removed = TRUE;
  entry_cancel_timer (entry);
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  if (g_list_store_find (self->channels, entry->channel, &position))
    g_list_store_remove (self->channels, position);
  g_hash_table_remove (self->entries, &entry->id);
  entry_unref (entry);
}

static void
add_entry (SkSyncManager *self, const SkChannelRecord *record)
{
  g_autoptr(SkChannel) channel = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;
  gint64 *key;

  channel = sk_channel_new_for_record (self->store, self->http, record, &error);
  if (channel == NULL)
    {
      g_warning ("Channel %" G_GINT64_FORMAT " is left out: %s", record->id, error->message);
      return;
    }

  entry = entry_new (self, channel);
  key = g_new (gint64, 1);
  *key = entry->id;
  g_hash_table_insert (self->entries, key, entry);
  g_list_store_append (self->channels, channel);
  entry_schedule (self, entry, 0);
}

static gboolean
records_differ (const SkChannelRecord *a, const SkChannelRecord *b)
{
  return g_strcmp0 (a->name, b->name) != 0 ||
         g_strcmp0 (a->account, b->account) != 0 ||
         g_strcmp0 (a->base_url, b->base_url) != 0 ||
         g_strcmp0 (a->secret_ref, b->secret_ref) != 0 ||
         g_strcmp0 (a->settings, b->settings) != 0 ||
         a->paused != b->paused;
}

static void
reload (SkSyncManager *self, gboolean forget_secrets)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  GHashTableIter iter;
  gpointer value;

  records = sk_store_list_channels (self->store, &error);
  if (records == NULL)
    {
      g_warning ("Could not read the channels: %s", error->message);
      return;
    }

  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < records->len; i++)
    {
      SkChannelRecord *record = g_ptr_array_index (records, i);
      Entry *entry = find_entry (self, record->id);

      g_hash_table_add (seen, &record->id);
      if (entry != NULL && g_strcmp0 (sk_channel_get_kind (entry->channel), record->kind) != 0)
        {
          remove_entry (self, entry);
          entry = NULL;
        }
      if (entry == NULL)
        {
          add_entry (self, record);
          continue;
        }

      if (forget_secrets)
        sk_channel_set_secret (entry->channel, NULL);
      if (records_differ (sk_channel_get_record (entry->channel), record))
        {
          gboolean was_paused = entry_paused (entry);

          _sk_channel_set_record (entry->channel, record);
          if (record->paused)
            entry_cancel_timer (entry);
          else if (was_paused)
            {
              entry->interval = base_interval (self, entry);
              entry_schedule (self, entry, 0);
            }
        }
    }

  gone = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!g_hash_table_contains (seen, &((Entry *) value)->id))
      g_ptr_array_add (gone, value);
  for (guint i = 0; i < gone->len; i++)
    remove_entry (self, g_ptr_array_index (gone, i));
}

static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  SkSyncManager *self)
{
  if (change != NULL && (change->flags & SK_STORE_CHANGE_CHANNELS) != 0)
    reload (self, FALSE);
}

/* GObject */

static void
sk_sync_manager_constructed (GObject *object)
{
  SkSyncManager *self = SK_SYNC_MANAGER (object);

  G_OBJECT_CLASS (sk_sync_manager_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  if (self->http == NULL)
    self->http = sk_http_new ();

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self, 0);
  reload (self, FALSE);
}

static void
sk_sync_manager_dispose (GObject *object)
{
  SkSyncManager *self = SK_SYNC_MANAGER (object);

  self->running = FALSE;
  if (self->entries != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Entry *entry = value;

          entry->removed = TRUE;
          entry_cancel_timer (entry);
          if (entry->cancellable != NULL)
            g_cancellable_cancel (entry->cancellable);
        }
      g_hash_table_remove_all (self->entries);
    }
  if (self->channels != NULL)
    g_list_store_remove_all (self->channels);

  G_OBJECT_CLASS (sk_sync_manager_parent_class)->dispose (object);
}

static void
sk_sync_manager_finalize (GObject *object)
{
  SkSyncManager *self = SK_SYNC_MANAGER (object);

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->channels);
  g_clear_object (&self->store);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (sk_sync_manager_parent_class)->finalize (object);
}

static void
sk_sync_manager_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SkSyncManager *self = SK_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_MIN_INTERVAL:
      g_value_set_uint (value, self->min_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_sync_manager_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SkSyncManager *self = SK_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_MIN_INTERVAL:
      sk_sync_manager_set_min_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_sync_manager_class_init (SkSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sk_sync_manager_constructed;
  object_class->dispose = sk_sync_manager_dispose;
  object_class->finalize = sk_sync_manager_finalize;
  object_class->get_property = sk_sync_manager_get_property;
  object_class->set_property = sk_sync_manager_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, SK_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The "sync-interval" setting, bound by the application. */
  properties[PROP_MIN_INTERVAL] =
    g_param_spec_uint ("min-interval", NULL, NULL, 1, G_MAXUINT, SK_SYNC_MIN_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANNEL_FAILED] =
    g_signal_new ("channel-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, SK_TYPE_CHANNEL, G_TYPE_ERROR, G_TYPE_BOOLEAN);
  signals[SIGNAL_CHANNEL_RECOVERED] =
    g_signal_new ("channel-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SK_TYPE_CHANNEL);
  signals[SIGNAL_DEAD_LETTERS] =
    g_signal_new ("dead-letters", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, SK_TYPE_CHANNEL, G_TYPE_UINT);
  signals[SIGNAL_SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, SK_TYPE_CHANNEL, G_TYPE_POINTER);
}

static void
sk_sync_manager_init (SkSyncManager *self)
{
  self->channels = g_list_store_new (SK_TYPE_CHANNEL);
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) entry_unref);
  self->lookup_func = default_lookup;
  self->min_interval = SK_SYNC_MIN_INTERVAL;
}

/* Public API */

SkSyncManager *
sk_sync_manager_new (SkStore *store,
                     SkHttp  *http)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (http == NULL || SK_IS_HTTP (http), NULL);

  return g_object_new (SK_TYPE_SYNC_MANAGER, "store", store, "http", http, NULL);
}

SkStore *
sk_sync_manager_get_store (SkSyncManager *self)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), NULL);

  return self->store;
}

SkHttp *
sk_sync_manager_get_http (SkSyncManager *self)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), NULL);

  return self->http;
}

GListModel *
sk_sync_manager_get_channels (SkSyncManager *self)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), NULL);

  return G_LIST_MODEL (self->channels);
}

SkChannel *
sk_sync_manager_find_channel (SkSyncManager *self,
                              gint64         channel_id)
{
  Entry *entry;

  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), NULL);

  entry = find_entry (self, channel_id);
  return entry != NULL ? entry->channel : NULL;
}

void
sk_sync_manager_reload (SkSyncManager *self)
{
  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  reload (self, TRUE);
}

void
sk_sync_manager_set_secret_lookup (SkSyncManager     *self,
                                   SkSecretLookupFunc func,
                                   gpointer           user_data,
                                   GDestroyNotify     destroy)
{
  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup_func = func;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
}

void
sk_sync_manager_start (SkSyncManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  if (self->running)
    return;
  self->running = TRUE;

  /* Every channel once at start, then on its own interval. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    entry_schedule (self, value, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
sk_sync_manager_stop (SkSyncManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  if (!self->running)
    return;
  self->running = FALSE;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    entry_cancel_timer (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
sk_sync_manager_get_running (SkSyncManager *self)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), FALSE);

  return self->running;
}

guint
sk_sync_manager_get_interval (SkSyncManager *self,
                              SkChannel     *channel)
{
  Entry *entry;

  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), 0);
  g_return_val_if_fail (SK_IS_CHANNEL (channel), 0);

  entry = find_entry (self, sk_channel_get_id (channel));
  return entry != NULL ? entry->interval : 0;
}

void
sk_sync_manager_set_min_interval (SkSyncManager *self,
                                  guint          seconds)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  seconds = MAX (seconds, 1);
  if (self->min_interval == seconds)
    return;
  self->min_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_INTERVAL]);

  /* Live: every channel starts over from its new base, and a channel
   * waiting on its timer waits the new time (a shorter one from now). */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      entry->interval = base_interval (self, entry);
      if (entry->timer_id != 0)
        entry_schedule (self, entry, entry->interval);
    }
}

guint
sk_sync_manager_get_min_interval (SkSyncManager *self)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), 0);

  return self->min_interval;
}

void
sk_sync_manager_sync_now_async (SkSyncManager      *self,
                                gint64              channel_id,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  SyncGroup *group;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SK_IS_SYNC_MANAGER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  group = g_new0 (SyncGroup, 1);
  group->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (group->task, sk_sync_manager_sync_now_async);
  group->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_unref);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      if ((channel_id == 0 || entry->id == channel_id) && !entry_paused (entry))
        g_ptr_array_add (group->entries, entry_ref (entry));
    }

  /* One count for the loop itself, so no run completes the group early. */
  group->pending = group->entries->len + 1;
  if (cancellable != NULL)
    {
      group->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (group->cancel_source, G_SOURCE_FUNC (on_group_cancelled),
                             group, NULL);
      g_source_attach (group->cancel_source, g_main_context_get_thread_default ());
    }
  for (guint i = 0; i < group->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (group->entries, i);

      g_ptr_array_add (entry->waiters, group);
      entry_run (self, entry);
    }
  group_complete_one (group);
}

gboolean
sk_sync_manager_sync_now_finish (SkSyncManager *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (SK_IS_SYNC_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sk_sync_manager_cancel_all (SkSyncManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SK_IS_SYNC_MANAGER (self));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
    }
}
