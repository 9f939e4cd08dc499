/* sk-connect-dialog.c: connect a shop, or edit its connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shopify (a Dev Dashboard app's client ID and secret, stored as the JSON
 * secret of sk-shopify-auth.h, or the Admin API access token of a custom
 * app made before 2026), WooCommerce (a REST API key pair) or Amazon (a
 * seller's LWA credentials, a region and its marketplaces). The connection
 * is tested before it is saved. Editing, the stored secret picks the way
 * and fills in the client ID or consumer key; the secret parts never come
 * back into a field. What the fields make (the record and the secret) is
 * in sk-connect-dialog-fields.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-connect-dialog-private.h"
#include "sk-amazon-normalize.h"
#include "sk-lwa.h"
#include "sk-secrets.h"
#include "sk-shopify-channel.h"
#include "sk-store-channels.h"
#include "sk-woo-channel.h"


enum {
  PROP_0,
  PROP_BUSY,
  PROP_TESTED,
  PROP_STATUS,
  N_PROPS
};

enum {
  SIGNAL_CONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkConnectDialog, sk_connect_dialog, ADW_TYPE_WINDOW)

typedef enum {
  STATUS_NONE,
  STATUS_WORKING,
  STATUS_OK,
  STATUS_ERROR,
} StatusKind;

ShopKind
_sk_connect_dialog_get_shop_kind (SkConnectDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected == SHOP_WOO || selected == SHOP_AMAZON ? (ShopKind) selected : SHOP_SHOPIFY;
}

AuthKind
_sk_connect_dialog_get_auth_kind (SkConnectDialog *self)
{
  return adw_combo_row_get_selected (self->auth_row) == AUTH_TOKEN ? AUTH_TOKEN : AUTH_APP;
}

const char *
_sk_connect_row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A text field with something in it besides blanks. */
gboolean
_sk_connect_row_filled (AdwEntryRow *row)
{
  for (const char *p = _sk_connect_row_text (row); *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

/* Editing: the field is empty or still holds the stored client ID (or
 * consumer key), which the dialog filled in. */
static gboolean
row_keeps_stored_id (SkConnectDialog *self,
                     AdwEntryRow     *row)
{
  g_autofree char *typed = g_strstrip (g_strdup (_sk_connect_row_text (row)));

  return typed[0] == '\0' || g_strcmp0 (typed, self->stored_client_id) == 0;
}

/* Editing: nothing typed would change the stored secret. */
gboolean
_sk_connect_dialog_credentials_unchanged (SkConnectDialog *self)
{
  g_autofree char *client_id = NULL;

  if (self->original == NULL)
    return FALSE;
  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_WOO)
    return row_keeps_stored_id (self, self->woo_key_row) && !_sk_connect_row_filled (self->woo_secret_row);
  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_AMAZON)
    return row_keeps_stored_id (self, self->amazon_client_id_row) &&
           !_sk_connect_row_filled (self->amazon_client_secret_row) &&
           !_sk_connect_row_filled (self->amazon_refresh_token_row);
  if (_sk_connect_dialog_get_auth_kind (self) == AUTH_TOKEN)
    return !_sk_connect_row_filled (self->token_row) &&
           (self->stored_kind == AUTH_TOKEN || self->stored_kind == AUTH_UNKNOWN);
  if (_sk_connect_row_filled (self->client_secret_row))
    return FALSE;
  client_id = g_strstrip (g_strdup (_sk_connect_row_text (self->client_id_row)));
  if (self->stored_kind == AUTH_UNKNOWN)
    return client_id[0] == '\0';
  return self->stored_kind == AUTH_APP && g_strcmp0 (client_id, self->stored_client_id) == 0;
}

static gboolean
have_credentials (SkConnectDialog *self)
{
  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_WOO)
    return (_sk_connect_row_filled (self->woo_key_row) && _sk_connect_row_filled (self->woo_secret_row)) ||
           _sk_connect_dialog_credentials_unchanged (self);
  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_AMAZON)
    {
      /* Editing, the same app: an empty secret or token keeps the stored one. */
      gboolean same_app = self->original != NULL && self->stored_client_id != NULL &&
                          row_keeps_stored_id (self, self->amazon_client_id_row);

      return _sk_connect_dialog_credentials_unchanged (self) ||
             ((_sk_connect_row_filled (self->amazon_client_id_row) || same_app) &&
              (_sk_connect_row_filled (self->amazon_client_secret_row) || same_app) &&
              (_sk_connect_row_filled (self->amazon_refresh_token_row) || same_app));
    }
  if (_sk_connect_dialog_get_auth_kind (self) == AUTH_TOKEN)
    return _sk_connect_row_filled (self->token_row) || self->original != NULL;
  return _sk_connect_row_filled (self->client_id_row) &&
         (_sk_connect_row_filled (self->client_secret_row) || self->original != NULL);
}

/* Settings compared as JSON values, not as text: member order and
 * spacing do not matter. */
static gboolean
same_settings (const char *a,
               const char *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  node_a = json_from_string (a, NULL);
  node_b = json_from_string (b, NULL);
  return node_a != NULL && node_b != NULL && json_node_equal (node_a, node_b);
}

static void
update_actions (SkConnectDialog *self)
{
  ShopKind kind = _sk_connect_dialog_get_shop_kind (self);
  AdwEntryRow *address_row = kind == SHOP_WOO ? self->woo_site_row :
                             kind == SHOP_AMAZON ? self->amazon_seller_row : self->domain_row;
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));
  gboolean can_test = !self->busy && _sk_connect_row_filled (address_row) && have_credentials (self) &&
                      (kind != SHOP_AMAZON || _sk_connect_dialog_count_marketplaces (self) > 0);
  gboolean can_save = !self->busy && self->tested;

  /* Editing only the display name needs no new test. */
  if (self->original != NULL && !self->busy && !self->tested && kind != SHOP_SHOPIFY)
    {
      g_autoptr(SkChannelRecord) record = _sk_connect_dialog_collect_record (self, NULL);

      can_save = record != NULL && _sk_connect_dialog_credentials_unchanged (self) &&
                 g_strcmp0 (record->account, self->original->account) == 0 &&
                 g_strcmp0 (record->base_url, self->original->base_url) == 0 &&
                 same_settings (record->settings, self->original->settings);
    }
  else if (self->original != NULL && !self->busy && !self->tested)
    {
      g_autofree char *normalized = sk_shopify_normalize_shop_domain (domain, NULL);
      const char *base_url = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));
      g_autofree char *default_url = g_strconcat ("https://", self->original->account, NULL);
      gboolean same_url = (base_url[0] == '\0' && g_strcmp0 (self->original->base_url, default_url) == 0) ||
                          g_strcmp0 (base_url, self->original->base_url) == 0;

      can_save = _sk_connect_dialog_credentials_unchanged (self) && same_url &&
                 g_strcmp0 (normalized, self->original->account) == 0;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.test", can_test);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.save", can_save);
}

static void
set_busy (SkConnectDialog *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->shop_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->app_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->woo_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->amazon_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_row), !busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_tested (SkConnectDialog *self,
            gboolean         tested)
{
  if (self->tested == tested)
    return;
  self->tested = tested;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTED]);
}

static void
set_status (SkConnectDialog *self,
            StatusKind       kind,
            const char      *text)
{
  static const char *classes[] = { "success", "error" };

  gtk_widget_set_visible (self->status_box, kind != STATUS_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), kind == STATUS_WORKING);
  gtk_spinner_set_spinning (self->spinner, kind == STATUS_WORKING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), kind == STATUS_OK || kind == STATUS_ERROR);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  if (kind == STATUS_OK)
    {
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "success");
    }
  else if (kind == STATUS_ERROR)
    {
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
    }
  gtk_label_set_text (self->status_label, text != NULL ? text : "");

  if (g_strcmp0 (self->status, text) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

void
_sk_connect_wipe_string (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
wipe_and_free (gpointer data)
{
  char *s = data;

  _sk_connect_wipe_string (&s);
}

static void
on_test_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SkConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  SkChannel *channel = SK_CHANNEL (source);

  if (!sk_channel_test_connection_finish (channel, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (channel == self->test_channel)
        {
          set_busy (self, FALSE);
          set_status (self, STATUS_ERROR, error->message);
        }
      return;
    }

  if (channel != self->test_channel)
    return;

  {
    const SkChannelRecord *record = sk_channel_get_record (channel);
    /* Translators: the connection test passed; %s is the shop domain */
    g_autofree char *text = g_strdup_printf (_("Storekeep can read orders from %s."),
                                             record->account);

    set_busy (self, FALSE);
    set_status (self, STATUS_OK, text);
    set_tested (self, TRUE);
  }
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (widget);
  SkSyncManager *sync = sk_context_get_sync_manager (self->ctx);
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_tested (self, FALSE);

  record = _sk_connect_dialog_collect_record (self, &error);
  if (record != NULL)
    token = _sk_connect_dialog_get_secret (self, &error);
  if (record == NULL || token == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  /* A throwaway channel: the secret lives in its memory only. */
  record->id = 0;
  g_clear_object (&self->test_channel);
  self->test_channel = sk_channel_new_for_record (sk_context_get_store (self->ctx),
                                                  sk_sync_manager_get_http (sync),
                                                  record, &error);
  if (self->test_channel == NULL)
    {
      _sk_connect_wipe_string (&token);
      set_status (self, STATUS_ERROR, error->message);
      return;
    }
  sk_channel_set_secret (self->test_channel, token);
  _sk_connect_wipe_string (&token);

  set_busy (self, TRUE);
  set_status (self, STATUS_WORKING, _("Testing the connection…"));
  sk_channel_test_connection_async (self->test_channel, self->cancellable,
                                    on_test_done, g_object_ref (self));
}

/* Storing the secret runs on a worker thread: the keyring may ask the
 * user to unlock it. */
typedef struct {
  SkChannelRecord *record;
  char            *token;
} SecretJob;

static void
secret_job_free (SecretJob *job)
{
  sk_channel_record_free (job->record);
  if (job->token != NULL)
    memset (job->token, 0, strlen (job->token));
  g_free (job->token);
  g_free (job);
}

static void
store_secret_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;

  if (!sk_secrets_store (job->record, job->token, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_first_sync_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The channel's health shows the outcome. */
  if (!sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error))
    g_debug ("First sync: %s", error->message);
}

static void
finish_save (SkConnectDialog *self,
             gint64           channel_id,
             const char      *token)
{
  SkSyncManager *sync = sk_context_get_sync_manager (self->ctx);
  SkChannel *channel;

  sk_sync_manager_reload (sync);
  channel = sk_sync_manager_find_channel (sync, channel_id);
  if (channel != NULL && token != NULL)
    sk_channel_set_secret (channel, token);
  sk_sync_manager_sync_now_async (sync, channel_id, NULL, on_first_sync_done, NULL);

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0, channel_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_secret_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SkConnectDialog) self = SK_CONNECT_DIALOG (source);
  SecretJob *job = g_task_get_task_data (G_TASK (result));
  SkStore *store = sk_context_get_store (self->ctx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) undo_error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* A new channel without its token would only fail: take it back.
       * Keep orders: adding a shop that was removed earlier with its
       * orders kept brings that channel back, and its orders must
       * survive a failed reconnection. */
      if (self->original == NULL &&
          !sk_store_remove_channel (store, job->record->id, FALSE, &undo_error))
        g_warning ("Could not take back the channel: %s", undo_error->message);
      set_busy (self, FALSE);
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (self->original != NULL)
    {
      if (!sk_store_update_channel (store, job->record, &error))
        {
          set_busy (self, FALSE);
          set_status (self, STATUS_ERROR, error->message);
          return;
        }
      /* Moved to another shop: the old token goes. */
      if (g_strcmp0 (self->original->account, job->record->account) != 0 &&
          !sk_secrets_clear (self->original, NULL, &undo_error))
        g_warning ("The old token stays in the keyring: %s", undo_error->message);
    }

  finish_save (self, job->record->id, job->token);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (widget);
  SkStore *store = sk_context_get_store (self->ctx);
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *token = NULL;
  gboolean need_secret;
  SecretJob *job;

  record = _sk_connect_dialog_collect_record (self, &error);
  if (record == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (self->original != NULL)
    {
      need_secret = !_sk_connect_dialog_credentials_unchanged (self) ||
                    g_strcmp0 (self->original->account, record->account) != 0;
      if (!need_secret)
        {
          if (!sk_store_update_channel (store, record, &error))
            {
              set_status (self, STATUS_ERROR, error->message);
              return;
            }
          finish_save (self, record->id, NULL);
          return;
        }
      if (record->secret_ref == NULL)
        record->secret_ref = g_uuid_string_random ();
    }
  else
    {
      record->secret_ref = g_uuid_string_random ();
      record->paused = FALSE;
      if (!sk_store_add_channel (store, record, &error))
        {
          set_status (self, STATUS_ERROR, error->message);
          return;
        }
    }

  token = _sk_connect_dialog_get_secret (self, &error);
  if (token == NULL)
    {
      if (self->original == NULL)
        sk_store_remove_channel (store, record->id, FALSE, NULL);  /* keep a revived channel's orders */
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  set_busy (self, TRUE);
  set_status (self, STATUS_WORKING,
              _sk_connect_dialog_get_shop_kind (self) != SHOP_SHOPIFY ? _("Saving the keys in your keyring…") :
              _sk_connect_dialog_get_auth_kind (self) == AUTH_APP ? _("Saving the client secret in your keyring…")
                                               : _("Saving the token in your keyring…"));

  job = g_new0 (SecretJob, 1);
  job->record = g_steal_pointer (&record);
  job->token = g_steal_pointer (&token);
  task = g_task_new (self, NULL, on_secret_stored, g_object_ref (self));
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, job, (GDestroyNotify) secret_job_free);
  g_task_run_in_thread (task, store_secret_thread);
}

static void
on_connection_field_changed (GtkEditable     *editable,
                             SkConnectDialog *self)
{
  if (self->busy)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->test_channel);
  set_tested (self, FALSE);
  set_status (self, STATUS_NONE, NULL);
  update_actions (self);
}

void
_sk_connect_dialog_fields_changed (SkConnectDialog *self)
{
  on_connection_field_changed (NULL, self);
}

static void
on_name_row_changed (GtkEditable     *editable,
                     SkConnectDialog *self)
{
  update_actions (self);
}

static void
update_auth_groups (SkConnectDialog *self)
{
  AuthKind kind = _sk_connect_dialog_get_auth_kind (self);
  ShopKind shop = _sk_connect_dialog_get_shop_kind (self);

  gtk_widget_set_visible (GTK_WIDGET (self->shop_group), shop == SHOP_SHOPIFY);
  gtk_widget_set_visible (GTK_WIDGET (self->app_group), shop == SHOP_SHOPIFY && kind == AUTH_APP);
  gtk_widget_set_visible (GTK_WIDGET (self->token_group), shop == SHOP_SHOPIFY && kind == AUTH_TOKEN);
  gtk_widget_set_visible (GTK_WIDGET (self->woo_group), shop == SHOP_WOO);
  gtk_widget_set_visible (GTK_WIDGET (self->amazon_group), shop == SHOP_AMAZON);
  gtk_widget_set_visible (GTK_WIDGET (self->lwa_url_row), shop == SHOP_AMAZON);
}

static void
on_kind_row_selected (AdwComboRow     *row,
                      GParamSpec      *pspec,
                      SkConnectDialog *self)
{
  update_auth_groups (self);
  if (self->busy)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->test_channel);
  set_tested (self, FALSE);
  set_status (self, STATUS_NONE, NULL);
  update_actions (self);
}

static void
on_region_row_selected (AdwComboRow     *row,
                        GParamSpec      *pspec,
                        SkConnectDialog *self)
{
  if (self->marketplace_rows == NULL)
    return;  /* still building the template */
  _sk_connect_dialog_fill_marketplaces (self, NULL);
  on_kind_row_selected (row, pspec, self);
}

static void
on_auth_row_selected (AdwComboRow     *row,
                      GParamSpec      *pspec,
                      SkConnectDialog *self)
{
  if (!self->prefilling)
    self->auth_chosen = TRUE;
  update_auth_groups (self);
  if (self->busy)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->test_channel);
  set_tested (self, FALSE);
  set_status (self, STATUS_NONE, NULL);
  update_actions (self);
}

static void
on_entry_activated (AdwEntryRow     *row,
                    SkConnectDialog *self)
{
  if (gtk_widget_activate_action (GTK_WIDGET (self), "connect.save", NULL))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.test", NULL);
}

/* The choices in auth_row's popup are long sentences: shown whole (the
 * default list items cut them at 20 characters), with a check mark on the
 * selected one. */
static void
update_auth_check (AdwComboRow *row,
                   GParamSpec  *pspec,
                   GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected (row) == gtk_list_item_get_position (item));
}

static void
on_auth_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    AdwComboRow              *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
on_auth_item_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       gtk_string_object_get_string (string));
  g_signal_connect (row, "notify::selected", G_CALLBACK (update_auth_check), item);
  update_auth_check (row, NULL, item);
}

/* The factory belongs to the row, which outlives its items. */
static void
on_auth_item_unbind (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, update_auth_check, item);
}

/* Editing a WooCommerce or Amazon channel: fill in the consumer key or
 * the LWA client ID the stored secret holds (not its secret parts). */
static void
apply_stored_other_secret (SkConnectDialog *self,
                           const char      *secret)
{
  g_autofree char *id = NULL;
  AdwEntryRow *row;

  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_WOO)
    {
      g_autofree char *consumer_secret = NULL;

      row = self->woo_key_row;
      if (sk_woo_channel_parse_secret (secret, &id, &consumer_secret))
        _sk_connect_wipe_string (&consumer_secret);
    }
  else
    {
      SkLwaCredentials *credentials = sk_lwa_credentials_parse (secret, NULL);

      row = self->amazon_client_id_row;
      if (credentials != NULL)
        id = g_strdup (credentials->client_id);
      sk_lwa_credentials_free (credentials);
    }
  if (id == NULL)
    return;

  g_free (self->stored_client_id);
  self->stored_client_id = g_steal_pointer (&id);
  self->prefilling = TRUE;
  if (!_sk_connect_row_filled (row))
    gtk_editable_set_text (GTK_EDITABLE (row), self->stored_client_id);
  self->prefilling = FALSE;
  if (!self->busy)
    {
      set_tested (self, FALSE);
      set_status (self, STATUS_NONE, NULL);
    }
  update_actions (self);
}

/* Editing: pick the way the stored secret connects, fill in its client
 * ID, and say that an empty secret keeps it. */
static void
apply_stored_secret (SkConnectDialog *self,
                     const char      *secret)
{
  if (secret == NULL)
    return;
  /* Kept for Test and Save, which then need not ask the keyring on the
   * main thread. */
  if (self->stored_secret != secret)
    {
      _sk_connect_wipe_string (&self->stored_secret);
      self->stored_secret = g_strdup (secret);
    }
  if (_sk_connect_dialog_get_shop_kind (self) != SHOP_SHOPIFY)
    {
      apply_stored_other_secret (self, secret);
      return;
    }
  if (self->auth_chosen)
    return;

  self->prefilling = TRUE;
  if (sk_shopify_secret_is_app_credentials (secret))
    {
      g_autoptr(SkShopifyAppCredentials) credentials = sk_shopify_app_credentials_parse (secret, NULL);

      self->stored_kind = AUTH_APP;
      g_free (self->stored_client_id);
      self->stored_client_id = credentials != NULL ? g_strdup (credentials->client_id) : NULL;
      adw_combo_row_set_selected (self->auth_row, AUTH_APP);
      if (self->stored_client_id != NULL && !_sk_connect_row_filled (self->client_id_row))
        gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), self->stored_client_id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_secret_row),
                                     _("New Client Secret (Empty Keeps the Current One)"));
    }
  else
    {
      self->stored_kind = AUTH_TOKEN;
      adw_combo_row_set_selected (self->auth_row, AUTH_TOKEN);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                     _("New Access Token (Empty Keeps the Current One)"));
    }
  self->prefilling = FALSE;
  update_auth_groups (self);
  if (!self->busy)
    {
      set_tested (self, FALSE);
      set_status (self, STATUS_NONE, NULL);
    }
  update_actions (self);
}

/* The keyring may be slow or ask to be unlocked: off the main thread. */
static void
lookup_secret_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  char *secret = sk_secrets_lookup (task_data, cancellable, &error);

  if (secret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, wipe_and_free);
}

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SkConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = g_task_propagate_pointer (G_TASK (result), &error);

  if (secret == NULL)
    {
      /* Not fatal: the user can still enter new credentials. */
      g_debug ("No stored secret to prefill from: %s", error->message);
      return;
    }
  /* Closed meanwhile. */
  if (self->ctx == NULL)
    {
      _sk_connect_wipe_string (&secret);
      return;
    }
  apply_stored_secret (self, secret);
  _sk_connect_wipe_string (&secret);
}

static void
load_stored_secret (SkConnectDialog *self)
{
  SkChannel *channel = sk_sync_manager_find_channel (sk_context_get_sync_manager (self->ctx),
                                                     self->channel_id);
  g_autoptr(GTask) task = NULL;

  if (channel != NULL && sk_channel_get_secret (channel) != NULL)
    {
      apply_stored_secret (self, sk_channel_get_secret (channel));
      return;
    }
  task = g_task_new (NULL, self->lookup_cancellable, on_secret_looked_up, g_object_ref (self));
  g_task_set_source_tag (task, load_stored_secret);
  g_task_set_task_data (task, sk_channel_record_copy (self->original),
                        (GDestroyNotify) sk_channel_record_free);
  g_task_run_in_thread (task, lookup_secret_thread);
}

static void
prefill_done (SkConnectDialog *self)
{
  set_status (self, STATUS_NONE, NULL);
  set_tested (self, FALSE);
  update_actions (self);
}

static void
prefill (SkConnectDialog *self)
{
  g_autofree char *default_url = g_strconcat ("https://", self->original->account, NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Shop"));
  gtk_button_set_label (GTK_BUTTON (self->connect_button), _("_Save"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->original->name);

  /* The kind of a shop stays what it is. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), FALSE);
  if (g_strcmp0 (self->original->kind, _sk_connect_dialog_kind_id (SHOP_WOO)) == 0)
    {
      adw_combo_row_set_selected (self->kind_row, SHOP_WOO);
      if (self->original->base_url != NULL && g_str_has_prefix (self->original->base_url, default_url))
        gtk_editable_set_text (GTK_EDITABLE (self->woo_site_row), self->original->base_url);
      else
        {
          gtk_editable_set_text (GTK_EDITABLE (self->woo_site_row), self->original->account);
          gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), self->original->base_url);
          adw_expander_row_set_expanded (self->advanced_row, TRUE);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->woo_secret_row),
                                     _("New Consumer Secret (Empty Keeps the Current Keys)"));
      prefill_done (self);
      load_stored_secret (self);
      return;
    }
  if (g_strcmp0 (self->original->kind, _sk_connect_dialog_kind_id (SHOP_AMAZON)) == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_autoptr(GStrvBuilder) checked = g_strv_builder_new ();
      g_auto(GStrv) ids = NULL;
      const char *region = NULL;

      adw_combo_row_set_selected (self->kind_row, SHOP_AMAZON);
      gtk_editable_set_text (GTK_EDITABLE (self->amazon_seller_row), self->original->account);
      if (self->original->settings != NULL &&
          json_parser_load_from_data (parser, self->original->settings, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          JsonNode *array = json_object_get_member (object, "marketplace_ids");

          if (array != NULL && JSON_NODE_HOLDS_ARRAY (array))
            for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
              {
                JsonNode *id = json_array_get_element (json_node_get_array (array), i);

                if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING)
                  {
                    g_strv_builder_add (checked, json_node_get_string (id));
                    if (region == NULL)
                      region = sk_amazon_marketplace_region (json_node_get_string (id));
                  }
              }
          if (json_object_has_member (object, "region") &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "region")))
            region = json_object_get_string_member (object, "region");
          if (json_object_has_member (object, "lwa_url") &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "lwa_url")))
            {
              gtk_editable_set_text (GTK_EDITABLE (self->lwa_url_row),
                                     json_object_get_string_member (object, "lwa_url"));
              adw_expander_row_set_expanded (self->advanced_row, TRUE);
            }
        }
      ids = g_strv_builder_end (checked);
      _sk_connect_dialog_select_region (self, region);
      _sk_connect_dialog_fill_marketplaces (self, (const char *const *) ids);
      if (self->original->base_url != NULL && self->original->base_url[0] != '\0')
        {
          gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), self->original->base_url);
          adw_expander_row_set_expanded (self->advanced_row, TRUE);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amazon_refresh_token_row),
                                     _("New Refresh Token (Empty Keeps the Current One)"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amazon_client_secret_row),
                                     _("New Client Secret (Empty Keeps the Current One)"));
      prefill_done (self);
      load_stored_secret (self);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->domain_row), self->original->account);
  if (g_strcmp0 (self->original->base_url, default_url) != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), self->original->base_url);
      adw_expander_row_set_expanded (self->advanced_row, TRUE);
    }
  set_status (self, STATUS_NONE, NULL);
  set_tested (self, FALSE);
  load_stored_secret (self);
}

static gboolean
sk_connect_dialog_close_request (GtkWindow *window)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lookup_cancellable);
  return GTK_WINDOW_CLASS (sk_connect_dialog_parent_class)->close_request (window);
}

static void
sk_connect_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_TESTED:
      g_value_set_boolean (value, self->tested);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_connect_dialog_dispose (GObject *object)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lookup_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CONNECT_DIALOG);
  g_clear_object (&self->test_channel);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->ctx);

  G_OBJECT_CLASS (sk_connect_dialog_parent_class)->dispose (object);
}

static void
sk_connect_dialog_finalize (GObject *object)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (object);

  g_clear_pointer (&self->original, sk_channel_record_free);
  g_free (self->status);
  g_free (self->stored_client_id);
  _sk_connect_wipe_string (&self->stored_secret);
  g_clear_pointer (&self->marketplace_rows, g_ptr_array_unref);
  g_clear_pointer (&self->marketplace_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (sk_connect_dialog_parent_class)->finalize (object);
}

static void
sk_connect_dialog_class_init (SkConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = sk_connect_dialog_get_property;
  object_class->dispose = sk_connect_dialog_dispose;
  object_class->finalize = sk_connect_dialog_finalize;
  window_class->close_request = sk_connect_dialog_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TESTED] =
    g_param_spec_boolean ("tested", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SkConnectDialog::connected:
   * @channel_id: the channel added or edited
   */
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storekeep/Storekeep/ui/sk-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, kind_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, shop_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, woo_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, woo_site_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, woo_key_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, woo_secret_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_seller_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_region_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_marketplaces_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, amazon_refresh_token_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, auth_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, app_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, token_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, lwa_url_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_box);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_region_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "connect.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "connect.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sk_connect_dialog_init (SkConnectDialog *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->marketplace_rows = g_ptr_array_new ();
  self->marketplace_checks = g_ptr_array_new ();
  _sk_connect_dialog_fill_marketplaces (self, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (on_auth_item_setup), self->auth_row);
  g_signal_connect (factory, "bind", G_CALLBACK (on_auth_item_bind), self->auth_row);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_auth_item_unbind), self->auth_row);
  adw_combo_row_set_list_factory (self->auth_row, factory);
  self->cancellable = g_cancellable_new ();
  self->lookup_cancellable = g_cancellable_new ();
  self->stored_kind = AUTH_UNKNOWN;
  update_auth_groups (self);
  update_actions (self);
}

SkConnectDialog *
sk_connect_dialog_new (SkContext *ctx,
                       GtkWindow *parent)
{
  SkConnectDialog *self;

  g_return_val_if_fail (SK_IS_CONTEXT (ctx), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (SK_TYPE_CONNECT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->ctx = g_object_ref (ctx);
  update_actions (self);
  return self;
}

SkConnectDialog *
sk_connect_dialog_new_for_channel (SkContext *ctx,
                                   GtkWindow *parent,
                                   gint64     channel_id)
{
  SkConnectDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SK_IS_CONTEXT (ctx), NULL);
  g_return_val_if_fail (channel_id > 0, NULL);

  self = sk_connect_dialog_new (ctx, parent);
  self->channel_id = channel_id;
  self->original = sk_store_get_channel (sk_context_get_store (ctx), channel_id, &error);
  if (self->original == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->shop_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->app_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->token_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->kind_group), FALSE);
      return self;
    }
  prefill (self);
  update_actions (self);
  return self;
}

gint64
sk_connect_dialog_get_channel_id (SkConnectDialog *self)
{
  g_return_val_if_fail (SK_IS_CONNECT_DIALOG (self), 0);

  return self->channel_id;
}

gboolean
sk_connect_dialog_get_busy (SkConnectDialog *self)
{
  g_return_val_if_fail (SK_IS_CONNECT_DIALOG (self), FALSE);

  return self->busy;
}

gboolean
sk_connect_dialog_get_tested (SkConnectDialog *self)
{
  g_return_val_if_fail (SK_IS_CONNECT_DIALOG (self), FALSE);

  return self->tested;
}

const char *
sk_connect_dialog_get_status (SkConnectDialog *self)
{
  g_return_val_if_fail (SK_IS_CONNECT_DIALOG (self), NULL);

  return self->status;
}
