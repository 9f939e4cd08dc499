/* sk-connect-dialog.c: connect a shop, or edit its connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-connect-dialog.h"
#include "sk-error.h"
#include "sk-http.h"
#include "sk-secrets.h"
#include "sk-shopify-channel.h"
#include "sk-store-channels.h"

struct _SkConnectDialog
{
  AdwWindow        parent_instance;

  SkContext       *ctx;
  gint64           channel_id;     /* 0: a new shop */
  SkChannelRecord *original;       /* the stored record when editing */
  GCancellable    *cancellable;
  SkChannel       *test_channel;   /* the temporary channel of a test */
  gboolean         busy;
  gboolean         tested;
  char            *status;

  AdwPreferencesGroup *shop_group;
  AdwEntryRow     *domain_row;
  AdwEntryRow     *token_row;
  AdwEntryRow     *name_row;
  AdwExpanderRow  *advanced_row;
  AdwEntryRow     *base_url_row;
  GtkWidget       *connect_button;
  GtkWidget       *test_button;
  GtkWidget       *status_box;
  GtkSpinner      *spinner;
  GtkImage        *status_icon;
  GtkLabel        *status_label;
};

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

static void
update_actions (SkConnectDialog *self)
{
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  gboolean have_token = token[0] != '\0' || self->original != NULL;
  gboolean can_test = !self->busy && domain[0] != '\0' && have_token;
  gboolean can_save = !self->busy && self->tested;

  /* Editing only the display name needs no new test. */
  if (self->original != NULL && !self->busy && !self->tested)
    {
      g_autofree char *normalized = sk_shopify_normalize_shop_domain (domain, NULL);
      const char *base_url = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));
      g_autofree char *default_url = g_strconcat ("https://", self->original->account, NULL);
      gboolean same_url = (base_url[0] == '\0' && g_strcmp0 (self->original->base_url, default_url) == 0) ||
                          g_strcmp0 (base_url, self->original->base_url) == 0;

      can_save = token[0] == '\0' && same_url &&
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

/* "demo-outfitters.myshopify.com" → "Demo Outfitters" */
static char *
default_name (const char *domain)
{
  g_autofree char *shop = g_strdup (domain);
  char *dot = strchr (shop, '.');
  gboolean word_start = TRUE;

  if (dot != NULL)
    *dot = '\0';
  for (char *p = shop; *p != '\0'; p++)
    {
      if (*p == '-' || *p == '_')
        {
          *p = ' ';
          word_start = TRUE;
        }
      else if (word_start)
        {
          *p = g_ascii_toupper (*p);
          word_start = FALSE;
        }
    }
  return g_steal_pointer (&shop);
}

/* The token to use: the one typed, or (editing, left empty) the stored one. */
static char *
get_token (SkConnectDialog  *self,
           GError          **error)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  SkChannel *channel;

  if (typed[0] != '\0')
    {
      /* Pasted tokens often carry a stray space or newline. */
      char *token = g_strstrip (g_strdup (typed));

      if (token[0] != '\0')
        return token;
      g_free (token);
    }

  if (self->original == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Enter the shop’s Admin API access token."));
      return NULL;
    }

  channel = sk_sync_manager_find_channel (sk_context_get_sync_manager (self->ctx), self->channel_id);
  if (channel != NULL && sk_channel_get_secret (channel) != NULL)
    return g_strdup (sk_channel_get_secret (channel));

  return sk_secrets_lookup (self->original, NULL, error);
}

/* A record from the fields (not yet stored); NULL and a sentence when a
 * field is wrong. */
static SkChannelRecord *
collect_record (SkConnectDialog  *self,
                GError          **error)
{
  g_autoptr(SkChannelRecord) record = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *name = NULL;

  domain = sk_shopify_normalize_shop_domain (gtk_editable_get_text (GTK_EDITABLE (self->domain_row)), error);
  if (domain == NULL)
    return NULL;

  base_url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_url_row))));
  if (base_url[0] == '\0')
    {
      g_free (base_url);
      base_url = g_strconcat ("https://", domain, NULL);
    }
  while (g_str_has_suffix (base_url, "/"))
    base_url[strlen (base_url) - 1] = '\0';
  if (!sk_http_check_url (base_url, error))
    return NULL;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (name[0] == '\0')
    {
      g_free (name);
      name = default_name (domain);
    }

  record = self->original != NULL ? sk_channel_record_copy (self->original) : sk_channel_record_new ();
  g_free (record->kind);
  record->kind = g_strdup ("shopify");
  g_free (record->name);
  record->name = g_steal_pointer (&name);
  g_free (record->account);
  record->account = g_steal_pointer (&domain);
  g_free (record->base_url);
  record->base_url = g_steal_pointer (&base_url);
  if (record->settings == NULL)
    record->settings = g_strdup ("{}");

  return g_steal_pointer (&record);
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

  record = collect_record (self, &error);
  if (record != NULL)
    token = get_token (self, &error);
  if (record == NULL || token == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  /* A throwaway channel: the secret lives in its memory only. */
  record->id = 0;
  g_clear_object (&self->test_channel);
  self->test_channel = sk_shopify_channel_new (sk_context_get_store (self->ctx),
                                               sk_sync_manager_get_http (sync),
                                               record);
  sk_channel_set_secret (self->test_channel, token);

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
      /* A new channel without its token would only fail: take it back. */
      if (self->original == NULL &&
          !sk_store_remove_channel (store, job->record->id, TRUE, &undo_error))
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

  record = collect_record (self, &error);
  if (record == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (self->original != NULL)
    {
      need_secret = gtk_editable_get_text (GTK_EDITABLE (self->token_row))[0] != '\0' ||
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

  token = get_token (self, &error);
  if (token == NULL)
    {
      if (self->original == NULL)
        sk_store_remove_channel (store, record->id, TRUE, NULL);
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  set_busy (self, TRUE);
  set_status (self, STATUS_WORKING, _("Saving the token in your keyring…"));

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

static void
on_name_row_changed (GtkEditable     *editable,
                     SkConnectDialog *self)
{
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

static void
prefill (SkConnectDialog *self)
{
  g_autofree char *default_url = g_strconcat ("https://", self->original->account, NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Shop"));
  gtk_button_set_label (GTK_BUTTON (self->connect_button), _("_Save"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                 _("New Access Token (Empty Keeps the Current One)"));
  gtk_editable_set_text (GTK_EDITABLE (self->domain_row), self->original->account);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->original->name);
  if (g_strcmp0 (self->original->base_url, default_url) != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), self->original->base_url);
      adw_expander_row_set_expanded (self->advanced_row, TRUE);
    }
  set_status (self, STATUS_NONE, NULL);
  set_tested (self, FALSE);
}

static gboolean
sk_connect_dialog_close_request (GtkWindow *window)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CONNECT_DIALOG);
  g_clear_object (&self->test_channel);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ctx);

  G_OBJECT_CLASS (sk_connect_dialog_parent_class)->dispose (object);
}

static void
sk_connect_dialog_finalize (GObject *object)
{
  SkConnectDialog *self = SK_CONNECT_DIALOG (object);

  g_clear_pointer (&self->original, sk_channel_record_free);
  g_free (self->status);

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
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, shop_group);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_box);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SkConnectDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "connect.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "connect.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sk_connect_dialog_init (SkConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
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
