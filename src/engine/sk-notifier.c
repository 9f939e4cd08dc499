/* sk-notifier.c: desktop notifications for problems, behind one module
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One notification per problem, keyed like the store's problems table
 * ("channel-auth:<id>", "channel-failing:<id>", "dead-letters:<id>",
 * "outbox-refused:<row id>"). The
 * store remembers which problems were notified (notified_at), so neither a
 * retry nor a restart of the app notifies twice; the NotifyNotification of
 * each key is kept so an explicit resend replaces the bubble in place and a
 * recovery withdraws it.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-notifier"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libnotify/notify.h>

#include "sk-error.h"
#include "sk-notifier.h"
#include "sk-store-problems.h"

#define SK_NOTIFIER_ICON "io.github.storekeep.Storekeep"

struct _SkNotifier
{
  GObject        parent_instance;

  char          *app_name;
  SkSyncManager *sync;
  SkOutboxDispatcher *dispatcher;
  SkStore       *store;
  /* dedup key → NotifyNotification */
  GHashTable    *notifications;
  guint          sent_count;
};

enum {
  SIGNAL_SHOW_CHANNEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkNotifier, sk_notifier, G_TYPE_OBJECT)

/* Attached to each notification for its action callback. */
typedef struct {
  SkNotifier *notifier; /* weak */
  gint64      channel_id;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  g_clear_weak_pointer (&action->notifier);
  g_free (action);
}

static char *
channel_key (const char *kind,
             SkChannel  *channel)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, sk_channel_get_id (channel));
}

/* The shop as people know it: its domain, else its display name. */
static const char *
channel_label (SkChannel *channel)
{
  const SkChannelRecord *record = sk_channel_get_record (channel);

  if (record != NULL && record->account != NULL && record->account[0] != '\0')
    return record->account;
  return sk_channel_get_name (channel);
}

/* The channel's platform as people call it; a CSV import has none, so it
 * goes by its own name ("Shop Counter"). */
static const char *
channel_kind_label (SkChannel *channel)
{
  const char *kind = sk_channel_get_kind (channel);

  if (g_strcmp0 (kind, "shopify") == 0)
    return "Shopify";
  if (g_strcmp0 (kind, "woocommerce") == 0)
    return "WooCommerce";
  if (g_strcmp0 (kind, "amazon") == 0)
    return "Amazon";
  if (g_strcmp0 (kind, "csv") == 0)
    return sk_channel_get_name (channel);
  return kind != NULL ? kind : _("The channel");
}

/* TRUE when the store already notified the open problem @key (for
 * instance before the app was restarted). */
static gboolean
store_problem_was_notified (SkNotifier *self,
                            const char *key)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return FALSE;

  problems = sk_store_list_problems (self->store, &error);
  if (problems == NULL)
    {
      g_debug ("Could not read the open problems: %s", error->message);
      return FALSE;
    }

  for (guint i = 0; i < problems->len; i++)
    {
      SkProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->dedup_key, key) == 0)
        return problem->notified_at != 0;
    }

  return FALSE;
}

static void
on_notification_action (NotifyNotification *notification,
                        char               *action,
                        gpointer            user_data)
{
  ActionData *data = user_data;

  if (data->notifier != NULL && data->channel_id != 0)
    g_signal_emit (data->notifier, signals[SIGNAL_SHOW_CHANNEL], 0, data->channel_id);
}

static void
on_notification_closed (NotifyNotification *notification,
                        gpointer            user_data)
{
  SkNotifier *self = user_data;
  const char *key = g_object_get_data (G_OBJECT (notification), "sk-dedup-key");

  /* Forget a bubble the user closed; the store still remembers that the
   * problem was notified, so it does not come back on the next retry. */
  if (key != NULL &&
      g_hash_table_lookup (self->notifications, key) == notification)
    g_hash_table_remove (self->notifications, key);
}

static NotifyNotification *
create_notification (SkNotifier *self,
                     const char *dedup_key,
                     const char *summary,
                     const char *body,
                     gint64      channel_id)
{
  NotifyNotification *notification;
  ActionData *data;

  notification = notify_notification_new (summary, body, SK_NOTIFIER_ICON);
  notify_notification_set_app_name (notification, self->app_name);
  notify_notification_set_urgency (notification, NOTIFY_URGENCY_NORMAL);
  notify_notification_set_hint (notification, "desktop-entry",
                                g_variant_new_string (SK_NOTIFIER_ICON));
  g_object_set_data_full (G_OBJECT (notification), "sk-dedup-key",
                          g_strdup (dedup_key), g_free);

  data = g_new0 (ActionData, 1);
  g_set_weak_pointer (&data->notifier, self);
  data->channel_id = channel_id;
  notify_notification_add_action (notification, "default", _("Show"),
                                  on_notification_action, data,
                                  action_data_free);

  g_signal_connect_object (notification, "closed",
                           G_CALLBACK (on_notification_closed), self, 0);

  return notification;
}

/* Notify @key unless this problem was notified already. */
static void
notify_problem_once (SkNotifier *self,
                     const char *key,
                     const char *summary,
                     const char *body,
                     gint64      channel_id)
{
  g_autoptr(GError) error = NULL;

  if (g_hash_table_contains (self->notifications, key) ||
      store_problem_was_notified (self, key))
    {
      g_debug ("Problem %s was notified already", key);
      return;
    }

  sk_notifier_send (self, key, summary, body, channel_id);

  if (self->store != NULL &&
      !sk_store_mark_problem_notified (self->store, key, &error))
    g_debug ("Could not mark problem %s notified: %s", key, error->message);
}

static void
on_channel_failed (SkSyncManager *sync,
                   SkChannel     *channel,
                   const GError  *error,
                   gboolean       needs_user,
                   SkNotifier    *self)
{
  g_autofree char *key = NULL;
  g_autofree char *summary = NULL;
  const char *body;

  if (!needs_user)
    return;

  if (error != NULL && g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH))
    {
      key = channel_key ("channel-auth", channel);
      /* Translators: "Shopify refused the access token for acme.myshopify.com" */
      summary = g_strdup_printf (_("%s refused the access token for %s"),
                                 channel_kind_label (channel),
                                 channel_label (channel));
      body = _("Open Storekeep and enter a new token in the channel settings.");
    }
  else if (error != NULL && g_error_matches (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS))
    {
      key = channel_key ("channel-auth", channel);
      summary = g_strdup_printf (_("The access token for %s is missing"),
                                 channel_label (channel));
      body = _("Open Storekeep and enter the token again in the channel settings.");
    }
  else
    {
      key = channel_key ("channel-failing", channel);
      summary = g_strdup_printf (_("Orders from %s are not syncing"),
                                 channel_label (channel));
      body = (error != NULL && error->message != NULL)
        ? error->message
        : _("Storekeep keeps trying. Open it to see the channel’s health.");
    }

  notify_problem_once (self, key, summary, body, sk_channel_get_id (channel));
}

static void
on_dead_letters (SkSyncManager *sync,
                 SkChannel     *channel,
                 guint          new_count,
                 SkNotifier    *self)
{
  g_autofree char *key = NULL;
  g_autofree char *summary = NULL;

  if (new_count == 0)
    return;

  key = channel_key ("dead-letters", channel);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u order from %s could not be imported",
                                          "%u orders from %s could not be imported",
                                          new_count),
                             new_count, channel_label (channel));
  notify_problem_once (self, key, summary,
                       _("Open Storekeep to see why, then retry or dismiss them."),
                       sk_channel_get_id (channel));
}

static void
on_channel_recovered (SkSyncManager *sync,
                      SkChannel     *channel,
                      SkNotifier    *self)
{
  g_autofree char *auth_key = channel_key ("channel-auth", channel);
  g_autofree char *failing_key = channel_key ("channel-failing", channel);

  sk_notifier_withdraw (self, auth_key);
  sk_notifier_withdraw (self, failing_key);
}

/* TRUE when the problem @key is still open in the store. */
static gboolean
store_problem_is_open (SkNotifier *self,
                       const char *key)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  problems = sk_store_list_problems (self->store, &error);
  if (problems == NULL)
    {
      g_debug ("Could not read the open problems: %s", error->message);
      return TRUE;
    }
  for (guint i = 0; i < problems->len; i++)
    if (g_strcmp0 (((SkProblem *) g_ptr_array_index (problems, i))->dedup_key, key) == 0)
      return TRUE;
  return FALSE;
}

/* Keys of the bubbles shown now that start with @prefix. */
static GPtrArray *
keys_with_prefix (SkNotifier *self,
                  const char *prefix)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->notifications);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix))
      g_ptr_array_add (keys, g_strdup (key));
  return keys;
}

/* Letters dismissed or imported by a retry: withdraw the bubble of every
 * channel that has none left. A refused shipment tried again: withdraw
 * its bubble once its problem is resolved. */
static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  SkNotifier    *self)
{
  if (change == NULL || (change->flags & SK_STORE_CHANGE_DEAD_LETTERS) != 0)
    {
      g_autoptr(GPtrArray) keys = keys_with_prefix (self, "dead-letters:");

      for (guint i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);
          gint64 channel_id = g_ascii_strtoll (key + strlen ("dead-letters:"), NULL, 10);
          g_autoptr(GError) error = NULL;
          gint64 count = sk_store_count_dead_letters (store, channel_id, &error);

          if (count == 0)
            sk_notifier_withdraw (self, key);
        }
    }

  if (change == NULL ||
      (change->flags & (SK_STORE_CHANGE_EXCEPTIONS | SK_STORE_CHANGE_OUTBOX)) != 0)
    {
      g_autoptr(GPtrArray) keys = keys_with_prefix (self, SK_OUTBOX_PROBLEM_KIND ":");

      for (guint i = 0; i < keys->len; i++)
        if (!store_problem_is_open (self, g_ptr_array_index (keys, i)))
          sk_notifier_withdraw (self, g_ptr_array_index (keys, i));
    }
}

static void
on_outbox_refused (SkOutboxDispatcher *dispatcher,
                   gint64              row_id,
                   gint64              channel_id,
                   const char         *dedup_key,
                   const char         *message,
                   gboolean            is_new,
                   SkNotifier         *self)
{
  if (!is_new || dedup_key == NULL)
    return;

  notify_problem_once (self, dedup_key, _("A channel refused a shipment"),
                       message != NULL && *message != '\0'
                         ? message
                         : _("Open Storekeep to see the channel’s words, then try again."),
                       channel_id);
}

/* Follow @store's changes (once). */
static void
follow_store (SkNotifier *self,
              SkStore    *store)
{
  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (self->store != NULL)
    g_signal_connect_object (self->store, "changed",
                             G_CALLBACK (on_store_changed), self, 0);
}

static void
sk_notifier_dispose (GObject *object)
{
  SkNotifier *self = SK_NOTIFIER (object);

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  if (self->dispatcher != NULL)
    g_signal_handlers_disconnect_by_data (self->dispatcher, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->dispatcher);
  g_clear_object (&self->store);
  if (self->notifications != NULL)
    g_hash_table_remove_all (self->notifications);

  G_OBJECT_CLASS (sk_notifier_parent_class)->dispose (object);
}

static void
sk_notifier_finalize (GObject *object)
{
  SkNotifier *self = SK_NOTIFIER (object);

  g_clear_pointer (&self->notifications, g_hash_table_unref);
  g_free (self->app_name);

  G_OBJECT_CLASS (sk_notifier_parent_class)->finalize (object);
}

static void
sk_notifier_class_init (SkNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_notifier_dispose;
  object_class->finalize = sk_notifier_finalize;

  /**
   * SkNotifier::show-channel:
   * @channel_id: the channel the notification was about
   *
   * The user clicked a notification (its default action).
   */
  signals[SIGNAL_SHOW_CHANNEL] =
    g_signal_new ("show-channel",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sk_notifier_init (SkNotifier *self)
{
  self->notifications = g_hash_table_new_full (g_str_hash, g_str_equal,
                                               g_free, g_object_unref);
}

SkNotifier *
sk_notifier_new (const char *app_name)
{
  SkNotifier *self;

  g_return_val_if_fail (app_name != NULL, NULL);

  if (!notify_is_initted ())
    notify_init (app_name);

  self = g_object_new (SK_TYPE_NOTIFIER, NULL);
  self->app_name = g_strdup (app_name);
  return self;
}

void
sk_notifier_watch (SkNotifier    *self,
                   SkSyncManager *sync)
{
  g_return_if_fail (SK_IS_NOTIFIER (self));
  g_return_if_fail (SK_IS_SYNC_MANAGER (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  follow_store (self, sk_sync_manager_get_store (sync));

  g_signal_connect_object (sync, "channel-failed",
                           G_CALLBACK (on_channel_failed), self, 0);
  g_signal_connect_object (sync, "dead-letters",
                           G_CALLBACK (on_dead_letters), self, 0);
  g_signal_connect_object (sync, "channel-recovered",
                           G_CALLBACK (on_channel_recovered), self, 0);
}

void
sk_notifier_watch_outbox (SkNotifier         *self,
                          SkOutboxDispatcher *dispatcher)
{
  g_return_if_fail (SK_IS_NOTIFIER (self));
  g_return_if_fail (SK_IS_OUTBOX_DISPATCHER (dispatcher));

  if (self->dispatcher == dispatcher)
    return;

  if (self->dispatcher != NULL)
    g_signal_handlers_disconnect_by_data (self->dispatcher, self);
  g_set_object (&self->dispatcher, dispatcher);
  if (self->store == NULL)
    follow_store (self, sk_outbox_dispatcher_get_store (dispatcher));

  g_signal_connect_object (dispatcher, "refused",
                           G_CALLBACK (on_outbox_refused), self, 0);
}

static void
on_inventory_problem_opened (SkInventory *inventory,
                             const char  *kind,
                             const char  *dedup_key,
                             const char  *message,
                             SkNotifier  *self)
{
  /* Low stock and unmatched SKUs wait in the window; a listed item that
   * sold out needs the owner now, before customers meet "sold out". */
  if (g_strcmp0 (kind, "stock-out") != 0 || dedup_key == NULL)
    return;
  sk_notifier_send (self, dedup_key, _("An item is out of stock"),
                    message, 0);
}

void
sk_notifier_watch_inventory (SkNotifier  *self,
                             SkInventory *inventory)
{
  g_return_if_fail (SK_IS_NOTIFIER (self));
  g_return_if_fail (SK_IS_INVENTORY (inventory));

  g_signal_connect_object (inventory, "problem-opened",
                           G_CALLBACK (on_inventory_problem_opened), self, 0);
}

void
sk_notifier_send (SkNotifier *self,
                  const char *dedup_key,
                  const char *summary,
                  const char *body,
                  gint64      channel_id)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SK_IS_NOTIFIER (self));
  g_return_if_fail (dedup_key != NULL);
  g_return_if_fail (summary != NULL);

  notification = g_hash_table_lookup (self->notifications, dedup_key);
  if (notification != NULL)
    {
      /* Same problem again: replace the bubble in place. */
      notify_notification_update (notification, summary, body, SK_NOTIFIER_ICON);
    }
  else
    {
      notification = create_notification (self, dedup_key, summary, body, channel_id);
      g_hash_table_insert (self->notifications, g_strdup (dedup_key), notification);
    }

  if (!notify_notification_show (notification, &error))
    {
      /* No notification server (a bare session): the badge in the window
       * still shows the problem. */
      g_debug ("Could not show a notification: %s", error->message);
      return;
    }

  self->sent_count++;
}

void
sk_notifier_withdraw (SkNotifier *self,
                      const char *dedup_key)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SK_IS_NOTIFIER (self));
  g_return_if_fail (dedup_key != NULL);

  notification = g_hash_table_lookup (self->notifications, dedup_key);
  if (notification == NULL)
    return;

  g_object_ref (notification);
  g_hash_table_remove (self->notifications, dedup_key);
  if (!notify_notification_close (notification, &error))
    g_debug ("Could not withdraw a notification: %s", error->message);
  g_object_unref (notification);
}

guint
sk_notifier_get_sent_count (SkNotifier *self)
{
  g_return_val_if_fail (SK_IS_NOTIFIER (self), 0);

  return self->sent_count;
}
