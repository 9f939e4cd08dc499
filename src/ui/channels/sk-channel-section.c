/* sk-channel-section.c: one channel on the Channels page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-amazon-normalize.h"
#include "sk-channel-health.h"
#include "sk-channel-section.h"
#include "sk-connect-dialog.h"
#include "sk-csv-import-dialog.h"
#include "sk-dead-letter-row.h"
#include "sk-secrets.h"
#include "sk-outbox-dispatcher.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-time.h"

/* More letters than this are summarised in one row. */
#define MAX_LETTER_ROWS 50

struct _SkChannelSection
{
  GtkWidget        parent_instance;

  SkContext       *ctx;
  SkChannel       *channel;
  gint64           channel_id;
  /* The stored record, re-read on SK_STORE_CHANGE_CHANNELS (name, paused). */
  SkChannelRecord *record;
  GCancellable    *cancellable;
  /* letter ids and attempts shown now, to skip needless rebuilds */
  GArray          *letter_keys;
  GPtrArray       *letter_rows;
  GtkWidget       *more_letters_row;
  GPtrArray       *refused_rows;   /* rows under outbox_row */

  GtkImage        *state_icon;
  GtkLabel        *name_label;
  GtkLabel        *account_label;
  GtkWidget       *sync_button;
  GtkWidget       *import_button;
  GtkButton       *pause_button;
  GtkWidget       *edit_button;
  GtkWidget       *remove_button;
  GtkLabel        *state_label;
  AdwActionRow    *last_sync_row;
  GtkLabel        *last_sync_label;
  AdwActionRow    *progress_row;
  GtkProgressBar  *progress_bar;
  AdwActionRow    *error_row;
  GtkLabel        *failures_label;
  GtkWidget       *fix_button;
  AdwExpanderRow  *letters_row;
  AdwExpanderRow  *outbox_row;
  GtkImage        *outbox_icon;
};

G_DEFINE_FINAL_TYPE (SkChannelSection, sk_channel_section, GTK_TYPE_WIDGET)

static const char *state_classes[] = { "success", "warning", "error", "accent" };

static SkStore *
get_store (SkChannelSection *self)
{
  return sk_context_get_store (self->ctx);
}

static SkSyncManager *
get_sync (SkChannelSection *self)
{
  return sk_context_get_sync_manager (self->ctx);
}

static void
show_toast (SkChannelSection *self,
            const char       *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static gboolean
is_paused (SkChannelSection *self)
{
  if (sk_channel_get_state (self->channel) == SK_CHANNEL_STATE_PAUSED)
    return TRUE;
  return self->record != NULL && self->record->paused;
}

static void
set_state_class (GtkWidget  *widget,
                 const char *klass)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (widget, state_classes[i]);
  if (klass != NULL)
    gtk_widget_add_css_class (widget, klass);
}

/* A CSV source has nothing to poll: its orders come from files. */
static gboolean
is_file_source (SkChannelSection *self)
{
  return g_strcmp0 (sk_channel_get_kind (self->channel), "csv") == 0;
}

static void
update_actions (SkChannelSection *self)
{
  SkChannelState state = sk_channel_get_state (self->channel);
  gboolean file_source = is_file_source (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.sync",
                                 !file_source && state != SK_CHANNEL_STATE_SYNCING &&
                                 !is_paused (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.toggle-pause", !file_source);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.edit", !file_source);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "channel.import", file_source);
}

/* Sync Now, Pause and Edit for shops; Import File… for a CSV source. */
static void
update_buttons (SkChannelSection *self)
{
  gboolean file_source = is_file_source (self);

  gtk_widget_set_visible (self->sync_button, !file_source);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !file_source);
  gtk_widget_set_visible (self->edit_button, !file_source);
  gtk_widget_set_visible (self->import_button, file_source);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->last_sync_row),
                                 file_source ? _("Last Import") : _("Last Successful Sync"));
  gtk_widget_set_tooltip_text (self->remove_button,
                               file_source ? _("Remove Source") : _("Remove Shop"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  file_source ? _("Remove Source") : _("Remove Shop"), -1);
}

/* An Amazon channel's marketplaces, "Amazon.com, Amazon.ca"; NULL for
 * other channels. */
static char *
dup_marketplace_names (const SkChannelRecord *record)
{
  g_autoptr(JsonNode) settings = NULL;
  g_autoptr(GString) names = NULL;
  JsonNode *ids;

  if (g_strcmp0 (record->kind, "amazon") != 0 || record->settings == NULL)
    return NULL;
  settings = json_from_string (record->settings, NULL);
  if (settings == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    return NULL;
  ids = json_object_get_member (json_node_get_object (settings), "marketplace_ids");
  if (ids == NULL || !JSON_NODE_HOLDS_ARRAY (ids))
    return NULL;
  names = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (ids)); i++)
    {
      JsonNode *id = json_array_get_element (json_node_get_array (ids), i);
      const char *name = JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING
                         ? sk_amazon_marketplace_tag (json_node_get_string (id)) : NULL;

      if (name == NULL)
        continue;
      if (names->len > 0)
        /* Translators: separates marketplace names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, name);
    }
  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

static void
update_header (SkChannelSection *self)
{
  const SkChannelRecord *record = self->record != NULL ? self->record : sk_channel_get_record (self->channel);
  SkChannelState state = is_paused (self) ? SK_CHANNEL_STATE_PAUSED : sk_channel_get_state (self->channel);
  g_autofree char *account = NULL;
  g_autofree char *marketplaces = NULL;

  gtk_label_set_text (self->name_label,
                      record != NULL && record->name != NULL ? record->name : sk_channel_get_name (self->channel));
  marketplaces = record != NULL ? dup_marketplace_names (record) : NULL;
  if (marketplaces != NULL)
    /* Translators: "Amazon · Amazon.com, Amazon.ca · A2SELLERID" */
    account = g_strdup_printf (_("%s · %s · %s"),
                               sk_channel_kind_label (sk_channel_get_kind (self->channel)),
                               marketplaces, record->account != NULL ? record->account : "");
  else
    /* Translators: "Shopify · acme.myshopify.com" */
    account = g_strdup_printf (_("%s · %s"),
                               sk_channel_kind_label (sk_channel_get_kind (self->channel)),
                               record != NULL && record->account != NULL ? record->account : "");
  gtk_label_set_text (self->account_label, account);

  gtk_image_set_from_icon_name (self->state_icon, sk_channel_state_icon_name (state));
  set_state_class (GTK_WIDGET (self->state_icon), sk_channel_state_style_class (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sk_channel_state_label (state),
                                  -1);

  gtk_label_set_text (self->state_label, sk_channel_state_label (state));
  set_state_class (GTK_WIDGET (self->state_label), sk_channel_state_style_class (state));

  if (is_paused (self))
    {
      gtk_button_set_icon_name (self->pause_button, "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button), _("Resume Syncing"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resume Syncing"), -1);
    }
  else
    {
      gtk_button_set_icon_name (self->pause_button, "media-playback-pause-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button), _("Pause Syncing"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pause Syncing"), -1);
    }
}

static void
update_progress (SkChannelSection *self)
{
  SkSyncProgress progress = { 0, 0, -1 };
  g_autofree char *text = NULL;
  double fraction;
  gboolean syncing = sk_channel_get_state (self->channel) == SK_CHANNEL_STATE_SYNCING;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_row), syncing);
  if (!syncing)
    return;

  sk_channel_get_progress (self->channel, &progress);
  text = sk_channel_progress_text (&progress);
  adw_action_row_set_subtitle (self->progress_row, text != NULL ? text : _("Asking the shop for orders…"));

  fraction = sk_channel_progress_fraction (&progress);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), fraction >= 0);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
update_error (SkChannelSection *self)
{
  SkChannelState state = sk_channel_get_state (self->channel);
  const char *error = sk_channel_get_last_error (self->channel);
  guint failures = sk_channel_get_consecutive_failures (self->channel);
  gboolean show = error != NULL && error[0] != '\0' &&
                  (state == SK_CHANNEL_STATE_FAILING ||
                   state == SK_CHANNEL_STATE_NEEDS_ATTENTION ||
                   failures > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->error_row), show);
  if (!show)
    return;

  adw_action_row_set_subtitle (self->error_row, error);
  /* Retrying will not help: offer the way to fix it. */
  gtk_widget_set_visible (self->fix_button, state == SK_CHANNEL_STATE_NEEDS_ATTENTION);
  if (failures > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u failure in a row",
                                                            "%u failures in a row",
                                                            failures),
                                               failures);
      gtk_label_set_text (self->failures_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->failures_label), failures > 0);
}

void
sk_channel_section_update_times (SkChannelSection *self)
{
  g_autofree char *when = NULL;

  g_return_if_fail (SK_IS_CHANNEL_SECTION (self));

  when = sk_format_relative_time (sk_channel_get_last_success (self->channel), sk_time_now ());
  gtk_label_set_text (self->last_sync_label, when);
}

static void
clear_letter_rows (SkChannelSection *self)
{
  for (guint i = 0; i < self->letter_rows->len; i++)
    adw_expander_row_remove (self->letters_row, g_ptr_array_index (self->letter_rows, i));
  g_ptr_array_set_size (self->letter_rows, 0);
  if (self->more_letters_row != NULL)
    {
      adw_expander_row_remove (self->letters_row, self->more_letters_row);
      self->more_letters_row = NULL;
    }
  g_array_set_size (self->letter_keys, 0);
}

static gboolean
letters_unchanged (SkChannelSection *self,
                   GPtrArray        *letters)
{
  if (self->letter_keys->len != letters->len * 2)
    return FALSE;
  for (guint i = 0; i < letters->len; i++)
    {
      SkDeadLetterRecord *letter = g_ptr_array_index (letters, i);

      if (g_array_index (self->letter_keys, gint64, 2 * i) != letter->id ||
          g_array_index (self->letter_keys, gint64, 2 * i + 1) != letter->attempts)
        return FALSE;
    }
  return TRUE;
}

static void
reload_letters (SkChannelSection *self)
{
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  letters = sk_store_list_dead_letters (get_store (self), self->channel_id, &error);
  if (letters == NULL)
    {
      g_warning ("Could not list the dead letters of channel %" G_GINT64_FORMAT ": %s",
                 self->channel_id, error->message);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->letters_row), letters->len > 0);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u order could not be imported",
                                           "%u orders could not be imported",
                                           letters->len),
                              letters->len);
  adw_expander_row_set_subtitle (self->letters_row, subtitle);

  if (letters_unchanged (self, letters))
    return;

  clear_letter_rows (self);
  for (guint i = 0; i < letters->len; i++)
    {
      SkDeadLetterRecord *letter = g_ptr_array_index (letters, i);

      g_array_append_val (self->letter_keys, letter->id);
      g_array_append_val (self->letter_keys, letter->attempts);
      if (i < MAX_LETTER_ROWS)
        {
          GtkWidget *row = sk_dead_letter_row_new (letter);

          adw_expander_row_add_row (self->letters_row, row);
          g_ptr_array_add (self->letter_rows, row);
        }
    }

  if (letters->len > MAX_LETTER_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %u more. Dismiss or fix these to see the rest.",
                                                            "And %u more. Dismiss or fix these to see the rest.",
                                                            letters->len - MAX_LETTER_ROWS),
                                               letters->len - MAX_LETTER_ROWS);

      self->more_letters_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->more_letters_row), more);
      adw_expander_row_add_row (self->letters_row, self->more_letters_row);
    }

  if (letters->len == 0)
    adw_expander_row_set_expanded (self->letters_row, FALSE);
}

/* Shipments for this channel that are waiting, or that it refused (with
 * its words and Try Again): where a "refused a shipment" notification
 * leads. */
static GtkWidget *
refused_row_new (const SkProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gint64 row_id = g_ascii_strtoll (problem->dedup_key + strlen (SK_OUTBOX_PROBLEM_KIND ":"), NULL, 10);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 6);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Send it to the channel again"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "channel.retry-outbox");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (row_id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static guint
reload_outbox (SkChannelSection *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  gint64 backlog;
  guint refused = 0;

  for (guint i = 0; i < self->refused_rows->len; i++)
    adw_expander_row_remove (self->outbox_row, g_ptr_array_index (self->refused_rows, i));
  g_ptr_array_set_size (self->refused_rows, 0);

  backlog = sk_store_count_outbox_backlog (get_store (self), self->channel_id, &error);
  if (backlog < 0)
    {
      g_debug ("Could not count the outbox: %s", error->message);
      g_clear_error (&error);
      backlog = 0;
    }
  problems = sk_store_list_problems (get_store (self), &error);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      SkProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row;

      if (problem->channel_id != self->channel_id ||
          g_strcmp0 (problem->kind, SK_OUTBOX_PROBLEM_KIND) != 0 ||
          !g_str_has_prefix (problem->dedup_key, SK_OUTBOX_PROBLEM_KIND ":"))
        continue;
      row = refused_row_new (problem);
      adw_expander_row_add_row (self->outbox_row, row);
      g_ptr_array_add (self->refused_rows, row);
      refused++;
    }

  if (refused > 0)
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u refused by the channel",
                                                   "%u refused by the channel", refused),
                            refused);
  if (backlog > 0)
    {
      guint waiting = (guint) MIN (backlog, G_MAXUINT);

      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u waiting to be sent",
                                                     "%u waiting to be sent", waiting),
                              waiting);
    }
  adw_expander_row_set_subtitle (self->outbox_row, subtitle->str);
  adw_expander_row_set_enable_expansion (self->outbox_row, refused > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->outbox_row), refused > 0 || backlog > 0);
  gtk_image_set_from_icon_name (self->outbox_icon,
                                refused > 0 ? "dialog-error-symbolic" : "mail-send-symbolic");
  if (refused > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->outbox_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->outbox_icon), "error");
  return refused;
}

static void
retry_outbox_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  g_autoptr(GError) error = NULL;

  if (!sk_store_retry_outbox_row (get_store (self), g_variant_get_int64 (parameter), &error))
    show_toast (self, error->message);
}

static void
reload_record (SkChannelSection *self)
{
  g_autoptr(GError) error = NULL;
  SkChannelRecord *record = sk_store_get_channel (get_store (self), self->channel_id, &error);

  if (record == NULL)
    {
      /* Removed: the view drops this section when the manager reloads. */
      g_debug ("Channel %" G_GINT64_FORMAT " is gone: %s", self->channel_id,
               error != NULL ? error->message : "");
      return;
    }
  g_clear_pointer (&self->record, sk_channel_record_free);
  self->record = record;
}

static void
update_all (SkChannelSection *self)
{
  update_header (self);
  update_progress (self);
  update_error (self);
  sk_channel_section_update_times (self);
  update_actions (self);
}

static void
on_channel_notify (SkChannel        *channel,
                   GParamSpec       *pspec,
                   SkChannelSection *self)
{
  if (g_strcmp0 (pspec->name, "record") == 0)
    {
      g_clear_pointer (&self->record, sk_channel_record_free);
      self->record = sk_channel_record_copy (sk_channel_get_record (channel));
    }
  update_all (self);
  if (g_strcmp0 (pspec->name, "dead-letters") == 0)
    reload_letters (self);
}

static void
on_sync_now_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SkChannelSection) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The channel's health says how it went; only cancellation fails. */
  if (!sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, error->message);
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);

  sk_sync_manager_sync_now_async (get_sync (self), self->channel_id, self->cancellable,
                                  on_sync_now_done, g_object_ref (self));
}

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelSection) hold = g_object_ref (self);

  record = sk_store_get_channel (get_store (self), self->channel_id, &error);
  if (record == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  record->paused = !record->paused;
  if (!sk_store_update_channel (get_store (self), record, &error))
    {
      show_toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->record, sk_channel_record_free);
  self->record = sk_channel_record_copy (record);
  sk_sync_manager_reload (get_sync (self));
  update_all (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SkConnectDialog *dialog;

  dialog = sk_connect_dialog_new_for_channel (self->ctx,
                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              self->channel_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  /* The dialog offers the known sources; it cannot be told which one. */
  sk_csv_import_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->ctx);
}

static void
remove_channel (SkChannelSection *self,
                gboolean          delete_orders)
{
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  record = sk_store_get_channel (get_store (self), self->channel_id, &error);
  if (record == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  /* Stop a running "Sync Now" of this channel first. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!sk_store_remove_channel (get_store (self), self->channel_id, delete_orders, &error))
    {
      show_toast (self, error->message);
      return;
    }

  if (!sk_secrets_clear (record, NULL, &error))
    g_warning ("The token of %s stays in the keyring: %s", record->account, error->message);

  /* Translators: a toast, "Removed Acme Outdoor" */
  done = g_strdup_printf (_("Removed %s"), record->name);
  show_toast (self, done);

  /* Drops this section. */
  sk_sync_manager_reload (get_sync (self));
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    SkChannelSection *self)
{
  if (g_strcmp0 (response, "keep") == 0)
    remove_channel (self, FALSE);
  else if (g_strcmp0 (response, "delete") == 0)
    remove_channel (self, TRUE);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  gint64 n_orders;
  const char *name = gtk_label_get_text (self->name_label);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  n_orders = sk_store_count_orders (get_store (self), self->channel_id, &error);
  if (n_orders < 0)
    {
      g_debug ("Could not count orders: %s", error != NULL ? error->message : "");
      n_orders = 0;
    }

  /* Translators: "Remove Acme Outdoor?" */
  heading = g_strdup_printf (_("Remove %s?"), name);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %lld order can be kept in Storekeep (read-only) or deleted.",
                                       "Its %lld orders can be kept in Storekeep (read-only) or deleted.",
                                       (gulong) n_orders),
                          (long long) n_orders);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep Orders"),
                                    "delete", _("_Delete Orders"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dismiss_letter_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (widget);
  g_autoptr(GError) error = NULL;
  gint64 letter_id = g_variant_get_int64 (parameter);

  if (!sk_store_resolve_dead_letter (get_store (self), letter_id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  reload_letters (self);
}

static void
sk_channel_section_dispose (GObject *object)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->channel != NULL)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CHANNEL_SECTION);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->channel);
  g_clear_object (&self->ctx);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sk_channel_section_parent_class)->dispose (object);
}

static void
sk_channel_section_finalize (GObject *object)
{
  SkChannelSection *self = SK_CHANNEL_SECTION (object);

  g_clear_pointer (&self->record, sk_channel_record_free);
  g_clear_pointer (&self->letter_keys, g_array_unref);
  g_clear_pointer (&self->letter_rows, g_ptr_array_unref);
  g_clear_pointer (&self->refused_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sk_channel_section_parent_class)->finalize (object);
}

static void
sk_channel_section_class_init (SkChannelSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_channel_section_dispose;
  object_class->finalize = sk_channel_section_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storekeep/Storekeep/ui/sk-channel-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, name_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, account_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, sync_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, import_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, state_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, progress_row);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, error_row);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, failures_label);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, fix_button);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, letters_row);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, outbox_row);
  gtk_widget_class_bind_template_child (widget_class, SkChannelSection, outbox_icon);

  gtk_widget_class_install_action (widget_class, "channel.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "channel.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "channel.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "channel.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "channel.retry-outbox", "x", retry_outbox_action);
  gtk_widget_class_install_action (widget_class, "channel.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "channel.dismiss-letter", "x", dismiss_letter_action);
}

static void
sk_channel_section_init (SkChannelSection *self)
{
  self->cancellable = g_cancellable_new ();
  self->letter_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->letter_rows = g_ptr_array_new ();
  self->refused_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sk_channel_section_new (SkContext *ctx,
                        SkChannel *channel)
{
  SkChannelSection *self;

  g_return_val_if_fail (SK_IS_CONTEXT (ctx), NULL);
  g_return_val_if_fail (SK_IS_CHANNEL (channel), NULL);

  self = g_object_new (SK_TYPE_CHANNEL_SECTION, NULL);
  self->ctx = g_object_ref (ctx);
  self->channel = g_object_ref (channel);
  self->channel_id = sk_channel_get_id (channel);
  self->record = sk_channel_record_copy (sk_channel_get_record (channel));

  g_signal_connect_object (channel, "notify", G_CALLBACK (on_channel_notify), self, 0);

  reload_record (self);
  update_buttons (self);
  update_all (self);
  reload_letters (self);
  reload_outbox (self);

  return GTK_WIDGET (self);
}

SkChannel *
sk_channel_section_get_channel (SkChannelSection *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL_SECTION (self), NULL);

  return self->channel;
}

gint64
sk_channel_section_get_channel_id (SkChannelSection *self)
{
  g_return_val_if_fail (SK_IS_CHANNEL_SECTION (self), 0);

  return self->channel_id;
}

void
sk_channel_section_refresh (SkChannelSection *self,
                            guint             flags)
{
  g_return_if_fail (SK_IS_CHANNEL_SECTION (self));

  if (flags & SK_STORE_CHANGE_CHANNELS)
    reload_record (self);
  if (flags & (SK_STORE_CHANGE_DEAD_LETTERS | SK_STORE_CHANGE_EXCEPTIONS))
    reload_letters (self);
  if (flags & (SK_STORE_CHANGE_OUTBOX | SK_STORE_CHANGE_EXCEPTIONS))
    reload_outbox (self);
  update_all (self);
}

void
sk_channel_section_reveal (SkChannelSection *self)
{
  g_return_if_fail (SK_IS_CHANNEL_SECTION (self));

  if (self->letter_rows->len > 0)
    adw_expander_row_set_expanded (self->letters_row, TRUE);
  if (self->refused_rows->len > 0)
    adw_expander_row_set_expanded (self->outbox_row, TRUE);
}

GList *
sk_channel_section_get_letter_rows (SkChannelSection *self)
{
  GList *rows = NULL;

  g_return_val_if_fail (SK_IS_CHANNEL_SECTION (self), NULL);

  for (guint i = self->letter_rows->len; i > 0; i--)
    rows = g_list_prepend (rows, g_ptr_array_index (self->letter_rows, i - 1));
  return rows;
}
