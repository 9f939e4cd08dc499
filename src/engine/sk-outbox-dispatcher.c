/* sk-outbox-dispatcher.c: sends the outbox to the channels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pass: recover rows left "sending" (once per start), then take due
 * rows one by one; each taken row goes to its pusher while the next take
 * looks for a row of another channel (the store hands out one row per
 * channel at a time). When a row is settled, the pass takes again, so a
 * channel's next row follows at once. The pass ends when a take finds
 * nothing and nothing is being sent; then the timer is set for the
 * earliest next_attempt_at.
 */
#define G_LOG_DOMAIN "sk-outbox"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-channel.h"
#include "sk-error.h"
#include "sk-outbox-dispatcher.h"
#include "sk-secrets.h"
#include "sk-stock-push.h"
#include "sk-store-channels.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-time.h"

struct _SkOutboxDispatcher
{
  GObject parent_instance;

  SkStore *store;
  SkSyncManager *sync;
  SkHttp *http;
  GHashTable *pushers;          /* kind → SkPusher */
  GHashTable *secrets;          /* gint64 * channel id → secret, wiped when dropped */
  SkSecretLookupFunc lookup_func;
  gpointer lookup_data;
  GDestroyNotify lookup_destroy;
  guint backoff_base;
  guint backoff_cap;

  gboolean running;
  GCancellable *cancellable;    /* of the sends; replaced by stop */
  guint timer_id;

  /* The pass */
  gboolean recovered;
  gboolean recovering;
  gboolean taking;
  gboolean again;
  guint in_flight;
  GPtrArray *waiters;           /* Waiter */
};

typedef struct {
  GTask *task;
  guint sent;
} Waiter;

/* One row on its way. */
typedef struct {
  SkOutboxDispatcher *self;     /* owned */
  GCancellable *cancellable;    /* the dispatcher's as the row was taken */
  SkOutboxRow *row;
  SkChannelRecord *record;
  SkPusher *pusher;
  SkPushResult *result;
  gint64 next_attempt_at;
  char *problem_key;
  gboolean problem_is_new;
} Send;

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  SIGNAL_SENT,
  SIGNAL_RETRY_SCHEDULED,
  SIGNAL_REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkOutboxDispatcher, sk_outbox_dispatcher, G_TYPE_OBJECT)

static void pump (SkOutboxDispatcher *self);

/* Helpers */

static void
wipe_secret (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static char *
default_lookup (const SkChannelRecord  *record,
                gpointer                user_data,
                GError                **error)
{
  return sk_secrets_lookup (record, NULL, error);
}

gint64
sk_outbox_backoff_delay (guint attempts,
                         guint base_seconds,
                         guint cap_seconds)
{
  gint64 delay = MAX (base_seconds, 1);
  gint64 cap = MAX (cap_seconds, 1);
  gint64 half;

  for (guint i = 1; i < attempts && delay < cap; i++)
    delay *= 2;
  delay = MIN (delay, cap);
  half = delay / 2;
  return delay - half + (half > 0 ? g_random_int_range (0, (gint32) MIN (half, G_MAXINT32 - 1) + 1) : 0);
}

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_clear_object (&send->cancellable);
  g_clear_pointer (&send->row, sk_outbox_row_free);
  g_clear_pointer (&send->record, sk_channel_record_free);
  g_clear_object (&send->pusher);
  g_clear_pointer (&send->result, sk_push_result_free);
  g_free (send->problem_key);
  g_free (send);
}

/* The end of a pass */

static gboolean
on_timer (gpointer data)
{
  SkOutboxDispatcher *self = data;

  self->timer_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Wake up at the earliest next_attempt_at, or after @failed passes at the
 * poll interval (a store that cannot be read is not asked every second). */
static void
schedule_timer (SkOutboxDispatcher *self,
                gboolean            failed)
{
  g_autoptr(GError) error = NULL;
  gint64 due = 0, delay;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (!self->running)
    return;

  if (!failed)
    due = sk_store_outbox_next_due (self->store, &error);
  if (error != NULL)
    g_warning ("Could not read when the outbox is due: %s", error->message);
  delay = due > 0 ? due - sk_time_now () : SK_OUTBOX_POLL_INTERVAL;
  delay = CLAMP (delay, 1, SK_OUTBOX_POLL_INTERVAL);
  g_debug ("Next outbox pass in %" G_GINT64_FORMAT " s", delay);
  self->timer_id = g_timeout_add_seconds (delay, on_timer, self);
}

static void
finish_pass (SkOutboxDispatcher *self,
             const GError       *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (error == NULL && (self->taking || self->recovering || self->in_flight > 0))
    return;

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_memdup2 (&waiter->sent, sizeof waiter->sent), g_free);
      g_object_unref (waiter->task);
      g_free (waiter);
    }
  schedule_timer (self, error != NULL);
}

/* Settling a row */

static void
count_sent (SkOutboxDispatcher *self)
{
  for (guint i = 0; i < self->waiters->len; i++)
    ((Waiter *) g_ptr_array_index (self->waiters, i))->sent++;
}

static void
send_done (Send *send)
{
  SkOutboxDispatcher *self = send->self;

  g_assert (self->in_flight > 0);
  self->in_flight--;
  pump (self);
  finish_pass (self, NULL);
  send_free (send);
}

static void
open_problem_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  Send *send = data;
  g_autoptr(GError) error = NULL;

  if (!sk_store_open_problem (send->self->store, SK_OUTBOX_PROBLEM_KIND, send->problem_key,
                              send->row->channel_id, send->result->message,
                              &send->problem_is_new, &error))
    g_warning ("Could not record that %s refused outbox row %" G_GINT64_FORMAT ": %s",
               send->row->channel_kind, send->row->id, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_problem_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Send *send = data;

  g_signal_emit (send->self, signals[SIGNAL_REFUSED], 0, send->row->id, send->row->channel_id,
                 send->problem_key, send->result->message, send->problem_is_new);
  send_done (send);
}

static void
on_settled (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Send *send = data;
  SkOutboxDispatcher *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (!sk_store_outbox_settle_finish (SK_STORE (source), result, &error))
    {
      /* NOT_FOUND: recovered meanwhile (a stop and a start); the check
       * before the next attempt sorts it out. */
      if (g_error_matches (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND))
        g_debug ("Outbox row %" G_GINT64_FORMAT " was no longer being sent", send->row->id);
      else
        g_warning ("Could not record the outcome of outbox row %" G_GINT64_FORMAT ": %s",
                   send->row->id, error->message);
      send_done (send);
      return;
    }

  switch (send->result->outcome)
    {
    case SK_PUSH_SENT:
      count_sent (self);
      g_signal_emit (self, signals[SIGNAL_SENT], 0, send->row->id, send->row->channel_id,
                     send->result->already_there);
      break;
    case SK_PUSH_RETRY:
      g_signal_emit (self, signals[SIGNAL_RETRY_SCHEDULED], 0, send->row->id,
                     send->next_attempt_at, send->result->message);
      break;
    case SK_PUSH_REFUSED:
    default:
      /* The store write waits for the writer thread: not on this one. */
      send->problem_key = g_strdup_printf (SK_OUTBOX_PROBLEM_KIND ":%" G_GINT64_FORMAT,
                                           send->row->id);
      task = g_task_new (NULL, NULL, on_problem_opened, send);
      g_task_set_source_tag (task, on_settled);
      g_task_set_task_data (task, send, NULL);
      g_task_run_in_thread (task, open_problem_thread);
      return;
    }
  send_done (send);
}

/* Record @result (taken) for @send's row. */
static void
settle (Send         *send,
        SkPushResult *result)
{
  SkOutboxDispatcher *self = send->self;
  gint64 now = sk_time_now ();
  SkOutboxState state;
  gint64 at = now;

  send->result = result;
  switch (result->outcome)
    {
    case SK_PUSH_SENT:
      state = SK_OUTBOX_STATE_SENT;
      g_debug ("Outbox row %" G_GINT64_FORMAT " sent to %s%s", send->row->id,
               send->row->channel_kind, result->already_there ? " (it was there already)" : "");
      break;
    case SK_PUSH_RETRY:
      state = SK_OUTBOX_STATE_PENDING;
      at = now + MAX (sk_outbox_backoff_delay ((guint) MAX (send->row->attempts, 1),
                                               self->backoff_base, self->backoff_cap),
                      result->retry_after);
      send->next_attempt_at = at;
      g_debug ("Outbox row %" G_GINT64_FORMAT " retries in %" G_GINT64_FORMAT " s",
               send->row->id, at - now);
      break;
    case SK_PUSH_REFUSED:
    default:
      state = SK_OUTBOX_STATE_FAILED;
      g_debug ("%s refused outbox row %" G_GINT64_FORMAT ": %s", send->row->channel_kind, send->row->id, result->message);
      break;
    }
  if (result->message == NULL && state != SK_OUTBOX_STATE_SENT)
    result->message = g_strdup (_("The channel did not take this. Storekeep will try again."));

  /* Not cancellable: what happened is written down even while stopping. */
  sk_store_outbox_settle_async (self->store, send->row->id, state, at, result->message,
                                result->channel_ref, NULL, on_settled, send);
}

/* Sending a row */

static void
on_pushed (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Send *send = data;
  g_autoptr(GError) error = NULL;
  SkPushResult *outcome;

  outcome = sk_pusher_push_finish (SK_PUSHER (source), result, &error);
  if (outcome == NULL)
    {
      /* Stopped mid-send: the row stays "sending" and the next start
       * checks the channel before sending it again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("A pusher failed without a result: %s", error ? error->message : "?");
      send_done (send);
      return;
    }
  if (outcome->credentials_refused)
    g_hash_table_remove (send->self->secrets, &send->row->channel_id);
  settle (send, outcome);
}

static void
push (Send       *send,
      const char *secret)
{
  SkOutboxDispatcher *self = send->self;
  g_autoptr(SkPushJob) job = NULL;

  /* attempts counts this take: more than one means an earlier attempt
   * may have reached the channel. */
  job = sk_push_job_new (self->http, send->record, secret, send->row, send->row->attempts > 1);
  sk_pusher_push_async (send->pusher, job, send->cancellable, on_pushed, send);
}

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
  wipe_secret (lookup->secret);
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
                             _("No credentials are stored for %s. Enter them in the channel settings."),
                             lookup->record->name);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Send *send = data;
  Lookup *lookup = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  SkPushResult *outcome;
  gint64 *key;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_strcmp0 (send->row->kind, SK_OUTBOX_KIND_FULFILLMENT) == 0)
        message = g_strdup_printf (_("The shipment could not be sent to %s: %s"),
                                   send->record->name, error->message);
      else
        message = g_strdup_printf (_("The update could not be sent to %s: %s"),
                                   send->record->name, error->message);
      outcome = sk_push_result_new_retry (0, message);
      settle (send, outcome);
      return;
    }
  if (g_cancellable_is_cancelled (send->cancellable))
    {
      send_done (send);
      return;
    }
  key = g_memdup2 (&send->row->channel_id, sizeof (gint64));
  g_hash_table_replace (send->self->secrets, key, g_strdup (lookup->secret));
  push (send, lookup->secret);
}

/* The secret in memory: the sync manager's channel object, or ours. */
static const char *
known_secret (SkOutboxDispatcher *self,
              gint64              channel_id)
{
  SkChannel *channel = self->sync != NULL ? sk_sync_manager_find_channel (self->sync, channel_id) : NULL;

  if (channel != NULL && sk_channel_get_secret (channel) != NULL)
    return sk_channel_get_secret (channel);
  return g_hash_table_lookup (self->secrets, &channel_id);
}

static void
start_send (SkOutboxDispatcher *self,
            SkOutboxRow        *row)   /* taken */
{
  Send *send = g_new0 (Send, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *message = NULL;
  const char *secret;
  Lookup *lookup;

  self->in_flight++;
  send->self = g_object_ref (self);
  send->cancellable = g_object_ref (self->cancellable);
  send->row = row;

  /* Fulfillments go to the channel kind's pusher, other rows to the
   * pusher of "<kind>:<row kind>" ("shopify:stock-level"). */
  if (g_strcmp0 (row->kind, SK_OUTBOX_KIND_FULFILLMENT) == 0)
    send->pusher = g_hash_table_lookup (self->pushers, row->channel_kind);
  else
    {
      g_autofree char *key = g_strconcat (row->channel_kind, ":", row->kind, NULL);

      send->pusher = g_hash_table_lookup (self->pushers, key);
    }
  if (send->pusher == NULL)
    {
      if (g_strcmp0 (row->kind, SK_OUTBOX_KIND_FULFILLMENT) == 0)
        message = g_strdup_printf (_("Storekeep cannot tell channels of the kind “%s” about shipments, so %s was not told. Update the order on the channel itself."),
                                   row->channel_kind, row->channel_name);
      else
        message = g_strdup_printf (_("Storekeep cannot send this kind of update (“%s”) to %s. Change it on the channel itself."),
                                   row->kind, row->channel_name);
      settle (send, sk_push_result_new_refused (message));
      return;
    }
  g_object_ref (send->pusher);

  send->record = sk_store_get_channel (self->store, row->channel_id, &error);
  if (send->record == NULL)
    {
      settle (send, sk_push_result_new_retry (0, error->message));
      return;
    }

  secret = known_secret (self, row->channel_id);
  if (secret != NULL || self->lookup_func == NULL)
    {
      push (send, secret);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->func = self->lookup_func;
  lookup->func_data = self->lookup_data;
  lookup->record = sk_channel_record_copy (send->record);
  task = g_task_new (NULL, NULL, on_secret_looked_up, send);
  g_task_set_source_tag (task, start_send);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  g_task_run_in_thread (task, lookup_thread);
}

/* Taking rows */

typedef struct {
  SkOutboxDispatcher *self;
  GCancellable *cancellable;
} Take;

static void
take_free (Take *take)
{
  g_object_unref (take->self);
  g_object_unref (take->cancellable);
  g_free (take);
}

static void
on_taken (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Take *take = data;
  SkOutboxDispatcher *self = take->self;
  g_autoptr(GError) error = NULL;
  SkOutboxRow *row;

  self->taking = FALSE;
  row = sk_store_outbox_take_finish (SK_STORE (source), result, &error);
  if (error != NULL)
    {
      g_warning ("Could not take a row from the outbox: %s", error->message);
      self->again = FALSE;
      finish_pass (self, error);
    }
  else if (row != NULL && g_cancellable_is_cancelled (take->cancellable))
    {
      /* Stopped meanwhile: recovered at the next start. */
      sk_outbox_row_free (row);
      finish_pass (self, NULL);
    }
  else if (row != NULL)
    {
      start_send (self, row);
      pump (self);
    }
  else if (self->again)
    pump (self);
  else
    finish_pass (self, NULL);
  take_free (take);
}

static void
on_recovered (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(SkOutboxDispatcher) self = data;
  g_autoptr(GError) error = NULL;
  guint recovered = 0;

  self->recovering = FALSE;
  if (!sk_store_outbox_recover_finish (SK_STORE (source), result, &recovered, &error))
    {
      g_warning ("Could not recover the outbox: %s", error->message);
      finish_pass (self, error);
      return;
    }
  if (recovered > 0)
    g_message ("%u outbox rows were being sent when Storekeep stopped; they are checked with their channels before being sent again",
               recovered);
  self->recovered = TRUE;
  pump (self);
}

static void
pump (SkOutboxDispatcher *self)
{
  Take *take;

  if (!self->running && self->waiters->len == 0)
    return;
  if (!self->recovered)
    {
      if (!self->recovering)
        {
          self->recovering = TRUE;
          sk_store_outbox_recover_async (self->store, sk_time_now (), NULL, on_recovered,
                                         g_object_ref (self));
        }
      return;
    }
  if (self->taking)
    {
      self->again = TRUE;
      return;
    }

  self->taking = TRUE;
  self->again = FALSE;
  take = g_new0 (Take, 1);
  take->self = g_object_ref (self);
  take->cancellable = g_object_ref (self->cancellable);
  sk_store_outbox_take_async (self->store, sk_time_now (), NULL, on_taken, take);
}

static void
on_store_changed (SkStore            *store,
                  SkStoreChange      *change,
                  SkOutboxDispatcher *self)
{
  if (change == NULL)
    return;
  /* A channel edited: a new token may have been entered. */
  if (change->flags & SK_STORE_CHANGE_CHANNELS)
    g_hash_table_remove_all (self->secrets);
  if (self->running && (change->flags & (SK_STORE_CHANGE_OUTBOX | SK_STORE_CHANGE_CHANNELS)))
    pump (self);
}

/* GObject */

static void
sk_outbox_dispatcher_dispose (GObject *object)
{
  SkOutboxDispatcher *self = SK_OUTBOX_DISPATCHER (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  self->running = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (sk_outbox_dispatcher_parent_class)->dispose (object);
}

static void
sk_outbox_dispatcher_finalize (GObject *object)
{
  SkOutboxDispatcher *self = SK_OUTBOX_DISPATCHER (object);

  g_assert (self->waiters->len == 0);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->pushers, g_hash_table_unref);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->http);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_outbox_dispatcher_parent_class)->finalize (object);
}

static void
sk_outbox_dispatcher_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SkOutboxDispatcher *self = SK_OUTBOX_DISPATCHER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_outbox_dispatcher_class_init (SkOutboxDispatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_outbox_dispatcher_dispose;
  object_class->finalize = sk_outbox_dispatcher_finalize;
  object_class->get_property = sk_outbox_dispatcher_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[SIGNAL_RETRY_SCHEDULED] =
    g_signal_new ("retry-scheduled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
sk_outbox_dispatcher_init (SkOutboxDispatcher *self)
{
  static const char *kinds[] = { "shopify", "woocommerce", "amazon" };

  self->pushers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_hash_table_insert (self->pushers, g_strdup (kinds[i]), sk_pusher_new_for_kind (kinds[i]));
  self->secrets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, wipe_secret);
  self->lookup_func = default_lookup;
  self->backoff_base = SK_OUTBOX_BACKOFF_BASE;
  self->backoff_cap = SK_OUTBOX_BACKOFF_CAP;
  self->cancellable = g_cancellable_new ();
  self->waiters = g_ptr_array_new ();
}

/* Public API */

SkOutboxDispatcher *
sk_outbox_dispatcher_new (SkStore       *store,
                          SkSyncManager *sync,
                          SkHttp        *http)
{
  static const char *stock_kinds[] = { "shopify", "woocommerce" };
  SkOutboxDispatcher *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (sync == NULL || SK_IS_SYNC_MANAGER (sync), NULL);
  g_return_val_if_fail (http == NULL || SK_IS_HTTP (http), NULL);

  self = g_object_new (SK_TYPE_OUTBOX_DISPATCHER, NULL);
  self->store = g_object_ref (store);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  if (http != NULL)
    self->http = g_object_ref (http);
  else
    {
      SkRetryPolicy once = { 1, 500 * 1000, 60 * G_USEC_PER_SEC };

      self->http = sk_http_new ();
      sk_http_set_retry_policy (self->http, &once);
    }
  /* Stock levels ("<kind>:stock-level"); they record what the channel
   * confirmed in the store. */
  for (guint i = 0; i < G_N_ELEMENTS (stock_kinds); i++)
    g_hash_table_insert (self->pushers,
                         g_strconcat (stock_kinds[i], ":" SK_OUTBOX_KIND_STOCK_LEVEL, NULL),
                         sk_stock_pusher_new_for_kind (stock_kinds[i], store));
  g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);
  return self;
}

SkStore *
sk_outbox_dispatcher_get_store (SkOutboxDispatcher *self)
{
  g_return_val_if_fail (SK_IS_OUTBOX_DISPATCHER (self), NULL);

  return self->store;
}

SkHttp *
sk_outbox_dispatcher_get_http (SkOutboxDispatcher *self)
{
  g_return_val_if_fail (SK_IS_OUTBOX_DISPATCHER (self), NULL);

  return self->http;
}

void
sk_outbox_dispatcher_set_secret_lookup (SkOutboxDispatcher *self,
                                        SkSecretLookupFunc  func,
                                        gpointer            user_data,
                                        GDestroyNotify      destroy)
{
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup_func = func;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
  g_hash_table_remove_all (self->secrets);
}

void
sk_outbox_dispatcher_set_pusher (SkOutboxDispatcher *self,
                                 const char         *kind,
                                 SkPusher           *pusher)
{
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));
  g_return_if_fail (kind != NULL);
  g_return_if_fail (pusher == NULL || SK_IS_PUSHER (pusher));

  if (pusher == NULL)
    g_hash_table_remove (self->pushers, kind);
  else
    g_hash_table_replace (self->pushers, g_strdup (kind), g_object_ref (pusher));
}

void
sk_outbox_dispatcher_set_backoff (SkOutboxDispatcher *self,
                                  guint               base_seconds,
                                  guint               cap_seconds)
{
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));

  self->backoff_base = MAX (base_seconds, 1);
  self->backoff_cap = MAX (cap_seconds, self->backoff_base);
}

void
sk_outbox_dispatcher_start (SkOutboxDispatcher *self)
{
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  pump (self);
}

void
sk_outbox_dispatcher_stop (SkOutboxDispatcher *self)
{
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  /* Rows being sent stay "sending"; the next start recovers them. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->recovered = FALSE;
  if (!self->running)
    return;
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
sk_outbox_dispatcher_get_running (SkOutboxDispatcher *self)
{
  g_return_val_if_fail (SK_IS_OUTBOX_DISPATCHER (self), FALSE);

  return self->running;
}

void
sk_outbox_dispatcher_dispatch_async (SkOutboxDispatcher  *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Waiter *waiter;

  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, sk_outbox_dispatcher_dispatch_async);
  g_ptr_array_add (self->waiters, waiter);
  pump (self);
}

gboolean
sk_outbox_dispatcher_dispatch_finish (SkOutboxDispatcher  *self,
                                      GAsyncResult        *result,
                                      guint               *out_sent,
                                      GError             **error)
{
  g_autofree guint *sent = NULL;

  g_return_val_if_fail (SK_IS_OUTBOX_DISPATCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_outbox_dispatcher_dispatch_async, FALSE);

  sent = g_task_propagate_pointer (G_TASK (result), error);
  if (out_sent != NULL)
    *out_sent = sent != NULL ? *sent : 0;
  return sent != NULL;
}
