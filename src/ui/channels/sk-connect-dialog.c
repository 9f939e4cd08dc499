/* sk-connect-dialog.c: connect a shop, or edit its connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two ways in: a Dev Dashboard app's client ID and secret (stored as the
 * JSON secret of sk-shopify-auth.h; the channel asks for access tokens
 * itself) or the Admin API access token of a custom app made before 2026.
 * Editing, the stored secret picks the way and fills in the client ID; the
 * secret itself never comes back into a field.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-connect-dialog.h"
#include "sk-error.h"
#include "sk-amazon-normalize.h"
#include "sk-http.h"
#include "sk-lwa.h"
#include "sk-secrets.h"
#include "sk-shopify-channel.h"
#include "sk-store-channels.h"
#include "sk-woo-channel.h"

/* The positions in kind_row. */
typedef enum {
  SHOP_SHOPIFY = 0,
  SHOP_WOO = 1,
  SHOP_AMAZON = 2,
} ShopKind;

static const char *shop_kinds[] = { "shopify", "woocommerce", "amazon" };

/* The marketplaces a seller can pick, by region (an Amazon channel reads
 * one region's endpoint; sk_amazon_marketplace_region() tells which). */
static const struct {
  const char *id;
  const char *label;
  const char *site;
} amazon_marketplaces[] = {
  { "ATVPDKIKX0DER",  N_("United States"),        "amazon.com" },
  { "A2EUQ1WTGCTBG2", N_("Canada"),               "amazon.ca" },
  { "A1AM78C64UM0Y8", N_("Mexico"),               "amazon.com.mx" },
  { "A2Q3Y263D00KWC", N_("Brazil"),               "amazon.com.br" },
  { "A1F83G8C2ARO7P", N_("United Kingdom"),       "amazon.co.uk" },
  { "A1PA6795UKMFR9", N_("Germany"),              "amazon.de" },
  { "A13V1IB3VIYZZH", N_("France"),               "amazon.fr" },
  { "APJ6JRA9NG5V4",  N_("Italy"),                "amazon.it" },
  { "A1RKKUPIHCS9HS", N_("Spain"),                "amazon.es" },
  { "A1805IZSGTT6HS", N_("Netherlands"),          "amazon.nl" },
  { "AMEN7PMS3EDWL",  N_("Belgium"),              "amazon.com.be" },
  { "A28R8C7NBKEWEA", N_("Ireland"),              "amazon.ie" },
  { "A2NODRKZP88ZB9", N_("Sweden"),               "amazon.se" },
  { "A1C3SOZRARQ6R3", N_("Poland"),               "amazon.pl" },
  { "A33AVAJ2PDY3EV", N_("Turkey"),               "amazon.com.tr" },
  { "A2VIGQ35RCS4UG", N_("United Arab Emirates"), "amazon.ae" },
  { "A17E79C6D8DWNP", N_("Saudi Arabia"),         "amazon.sa" },
  { "ARBP9OOSHTCHU",  N_("Egypt"),                "amazon.eg" },
  { "AE08WJ6YKNBMC",  N_("South Africa"),         "amazon.co.za" },
  { "A21TJRUUN4KGV",  N_("India"),                "amazon.in" },
  { "A1VC38T7YXB528", N_("Japan"),                "amazon.co.jp" },
  { "A39IBJ37TRP1C6", N_("Australia"),            "amazon.com.au" },
  { "A19VAU5U5O7RUS", N_("Singapore"),            "amazon.sg" },
};

/* The positions in amazon_region_row. */
static const char *amazon_regions[] = { "na", "eu", "fe" };

/* The positions in auth_row. */
typedef enum {
  AUTH_UNKNOWN = -1,
  AUTH_APP = 0,
  AUTH_TOKEN = 1,
} AuthKind;

struct _SkConnectDialog
{
  AdwWindow        parent_instance;

  SkContext       *ctx;
  gint64           channel_id;     /* 0: a new shop */
  SkChannelRecord *original;       /* the stored record when editing */
  GCancellable    *cancellable;
  GCancellable    *lookup_cancellable; /* reading the stored secret to prefill */
  SkChannel       *test_channel;   /* the temporary channel of a test */
  gboolean         busy;
  gboolean         tested;
  char            *status;
  AuthKind         stored_kind;    /* editing: how the stored secret connects */
  char            *stored_client_id; /* editing: the stored client ID or consumer key */
  gboolean         auth_chosen;    /* the user picked a way: keep it */
  gboolean         prefilling;

  AdwPreferencesGroup *kind_group;
  AdwComboRow     *kind_row;
  AdwPreferencesGroup *shop_group;
  AdwEntryRow     *domain_row;
  AdwEntryRow     *name_row;
  AdwComboRow     *auth_row;
  AdwPreferencesGroup *app_group;
  AdwEntryRow     *client_id_row;
  AdwEntryRow     *client_secret_row;
  AdwPreferencesGroup *token_group;
  AdwEntryRow     *token_row;
  AdwPreferencesGroup *woo_group;
  AdwEntryRow     *woo_site_row;
  AdwEntryRow     *woo_key_row;
  AdwEntryRow     *woo_secret_row;
  AdwPreferencesGroup *amazon_group;
  AdwEntryRow     *amazon_seller_row;
  AdwComboRow     *amazon_region_row;
  AdwExpanderRow  *amazon_marketplaces_row;
  GPtrArray       *marketplace_rows;   /* AdwActionRow, in amazon_marketplaces_row */
  GPtrArray       *marketplace_checks; /* GtkCheckButton, named by marketplace id */
  AdwEntryRow     *amazon_client_id_row;
  AdwEntryRow     *amazon_client_secret_row;
  AdwEntryRow     *amazon_refresh_token_row;
  AdwExpanderRow  *advanced_row;
  AdwEntryRow     *base_url_row;
  AdwEntryRow     *lwa_url_row;
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

static ShopKind
get_shop_kind (SkConnectDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected == SHOP_WOO || selected == SHOP_AMAZON ? (ShopKind) selected : SHOP_SHOPIFY;
}

static AuthKind
get_auth_kind (SkConnectDialog *self)
{
  return adw_combo_row_get_selected (self->auth_row) == AUTH_TOKEN ? AUTH_TOKEN : AUTH_APP;
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A text field with something in it besides blanks. */
static gboolean
row_filled (AdwEntryRow *row)
{
  for (const char *p = row_text (row); *p != '\0'; p++)
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
  g_autofree char *typed = g_strstrip (g_strdup (row_text (row)));

  return typed[0] == '\0' || g_strcmp0 (typed, self->stored_client_id) == 0;
}

/* Editing: nothing typed would change the stored secret. */
static gboolean
credentials_unchanged (SkConnectDialog *self)
{
  g_autofree char *client_id = NULL;

  if (self->original == NULL)
    return FALSE;
  if (get_shop_kind (self) == SHOP_WOO)
    return row_keeps_stored_id (self, self->woo_key_row) && !row_filled (self->woo_secret_row);
  if (get_shop_kind (self) == SHOP_AMAZON)
    return row_keeps_stored_id (self, self->amazon_client_id_row) &&
           !row_filled (self->amazon_client_secret_row) &&
           !row_filled (self->amazon_refresh_token_row);
  if (get_auth_kind (self) == AUTH_TOKEN)
    return !row_filled (self->token_row) &&
           (self->stored_kind == AUTH_TOKEN || self->stored_kind == AUTH_UNKNOWN);
  if (row_filled (self->client_secret_row))
    return FALSE;
  client_id = g_strstrip (g_strdup (row_text (self->client_id_row)));
  if (self->stored_kind == AUTH_UNKNOWN)
    return client_id[0] == '\0';
  return self->stored_kind == AUTH_APP && g_strcmp0 (client_id, self->stored_client_id) == 0;
}

static gboolean
have_credentials (SkConnectDialog *self)
{
  if (get_shop_kind (self) == SHOP_WOO)
    return (row_filled (self->woo_key_row) && row_filled (self->woo_secret_row)) ||
           credentials_unchanged (self);
  if (get_shop_kind (self) == SHOP_AMAZON)
    {
      /* Editing, the same app: an empty secret or token keeps the stored one. */
      gboolean same_app = self->original != NULL && self->stored_client_id != NULL &&
                          row_keeps_stored_id (self, self->amazon_client_id_row);

      return credentials_unchanged (self) ||
             ((row_filled (self->amazon_client_id_row) || same_app) &&
              (row_filled (self->amazon_client_secret_row) || same_app) &&
              (row_filled (self->amazon_refresh_token_row) || same_app));
    }
  if (get_auth_kind (self) == AUTH_TOKEN)
    return row_filled (self->token_row) || self->original != NULL;
  return row_filled (self->client_id_row) &&
         (row_filled (self->client_secret_row) || self->original != NULL);
}

static SkChannelRecord *collect_record (SkConnectDialog  *self,
                                        GError          **error);

static guint
count_checked_marketplaces (SkConnectDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->marketplace_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->marketplace_checks, i)))
      n++;
  return n;
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
  ShopKind kind = get_shop_kind (self);
  AdwEntryRow *address_row = kind == SHOP_WOO ? self->woo_site_row :
                             kind == SHOP_AMAZON ? self->amazon_seller_row : self->domain_row;
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));
  gboolean can_test = !self->busy && row_filled (address_row) && have_credentials (self) &&
                      (kind != SHOP_AMAZON || count_checked_marketplaces (self) > 0);
  gboolean can_save = !self->busy && self->tested;

  /* Editing only the display name needs no new test. */
  if (self->original != NULL && !self->busy && !self->tested && kind != SHOP_SHOPIFY)
    {
      g_autoptr(SkChannelRecord) record = collect_record (self, NULL);

      can_save = record != NULL && credentials_unchanged (self) &&
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

      can_save = credentials_unchanged (self) && same_url &&
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

/* Editing: the stored secret, from the running channel or the keyring. */
static char *
dup_stored_secret (SkConnectDialog  *self,
                   GError          **error)
{
  SkChannel *channel;

  channel = sk_sync_manager_find_channel (sk_context_get_sync_manager (self->ctx), self->channel_id);
  if (channel != NULL && sk_channel_get_secret (channel) != NULL)
    return g_strdup (sk_channel_get_secret (channel));

  return sk_secrets_lookup (self->original, NULL, error);
}

static void
wipe_string (char **s)
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

  wipe_string (&s);
}

/* The text of a secret field; NULL when it holds only blanks. Pasted
 * secrets often carry a stray space or newline. */
static char *
dup_typed (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (row_text (row)));

  if (text[0] == '\0')
    wipe_string (&text);
  return text;
}

static char *
get_token (SkConnectDialog  *self,
           GError          **error)
{
  g_autofree char *stored = NULL;
  char *typed = dup_typed (self->token_row);

  if (typed != NULL)
    return typed;

  /* Editing, left empty: the stored token, if it is one. */
  if (self->original != NULL)
    {
      stored = dup_stored_secret (self, error);
      if (stored == NULL)
        return NULL;
      if (!sk_shopify_secret_is_app_credentials (stored))
        return g_steal_pointer (&stored);
      wipe_string (&stored);
    }
  g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                       _("Enter the shop’s Admin API access token."));
  return NULL;
}

/* {"client_id", "client_secret"}: the client ID typed, the secret typed
 * or (editing, left empty) the stored one. */
static char *
get_app_secret (SkConnectDialog  *self,
                GError          **error)
{
  g_autofree char *client_id = dup_typed (self->client_id_row);
  g_autofree char *client_secret = dup_typed (self->client_secret_row);
  g_autofree char *stored = NULL;
  char *secret;

  if (client_id == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Enter the app’s client ID from the Dev Dashboard."));
      return NULL;
    }
  if (client_secret != NULL && g_str_has_prefix (client_secret, "shpat_"))
    {
      wipe_string (&client_secret);
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("That is an access token, not a client secret. Choose the access token in “Connect With”, or copy the client secret from the app’s Settings in the Dev Dashboard."));
      return NULL;
    }
  if (client_secret == NULL && self->original != NULL)
    {
      stored = dup_stored_secret (self, error);
      if (stored == NULL)
        return NULL;
      if (sk_shopify_secret_is_app_credentials (stored))
        {
          g_autoptr(SkShopifyAppCredentials) credentials = sk_shopify_app_credentials_parse (stored, NULL);

          if (credentials != NULL)
            client_secret = g_strdup (credentials->client_secret);
        }
      wipe_string (&stored);
    }
  if (client_secret == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Enter the app’s client secret from the Dev Dashboard."));
      return NULL;
    }

  secret = sk_shopify_app_credentials_to_secret (client_id, client_secret);
  wipe_string (&client_secret);
  return secret;
}

/* WooCommerce's key pair or Amazon's LWA credentials: typed, or
 * (editing) what is left empty comes from the stored secret, as long as
 * the key or client ID it belongs to stays the same. */
static char *
get_other_secret (SkConnectDialog  *self,
                  GError          **error)
{
  g_autofree char *stored = NULL;

  if (credentials_unchanged (self))
    return dup_stored_secret (self, error);

  if (get_shop_kind (self) == SHOP_WOO)
    {
      g_autofree char *key = dup_typed (self->woo_key_row);
      char *secret = dup_typed (self->woo_secret_row);
      char *result;

      if (key == NULL && self->original != NULL)
        key = g_strdup (self->stored_client_id);
      if (key == NULL || secret == NULL)
        {
          wipe_string (&secret);
          g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               _("Enter both the consumer key and the consumer secret from WooCommerce › Settings › Advanced › REST API."));
          return NULL;
        }
      result = sk_woo_channel_build_secret (key, secret);
      wipe_string (&secret);
      return result;
    }
  else
    {
      SkLwaCredentials credentials = {
        dup_typed (self->amazon_client_id_row),
        dup_typed (self->amazon_client_secret_row),
        dup_typed (self->amazon_refresh_token_row),
      };
      char *result = NULL;

      if (self->original != NULL && self->stored_client_id != NULL &&
          (credentials.client_id == NULL ||
           g_strcmp0 (credentials.client_id, self->stored_client_id) == 0) &&
          (credentials.client_secret == NULL || credentials.refresh_token == NULL))
        {
          SkLwaCredentials *old;

          /* The same app: keep whichever part was left empty. */
          stored = dup_stored_secret (self, error);
          if (stored == NULL)
            goto out;
          old = sk_lwa_credentials_parse (stored, NULL);
          if (old != NULL)
            {
              if (credentials.client_id == NULL)
                credentials.client_id = g_strdup (old->client_id);
              if (credentials.client_secret == NULL)
                credentials.client_secret = g_strdup (old->client_secret);
              if (credentials.refresh_token == NULL)
                credentials.refresh_token = g_strdup (old->refresh_token);
              sk_lwa_credentials_free (old);
            }
          wipe_string (&stored);
        }

      if (credentials.client_id == NULL || credentials.client_secret == NULL ||
          credentials.refresh_token == NULL)
        g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                             _("Enter the LWA client ID, the client secret and the refresh token of your Seller Central app."));
      else
        result = sk_lwa_credentials_to_secret (&credentials);
    out:
      g_free (credentials.client_id);
      wipe_string (&credentials.client_secret);
      wipe_string (&credentials.refresh_token);
      return result;
    }
}

/* The secret to test with and to store, for the way chosen. */
static char *
get_secret (SkConnectDialog  *self,
            GError          **error)
{
  if (get_shop_kind (self) == SHOP_WOO || get_shop_kind (self) == SHOP_AMAZON)
    return get_other_secret (self, error);
  if (get_auth_kind (self) == AUTH_TOKEN)
    return get_token (self, error);
  return get_app_secret (self, error);
}

/* A Shopify record from the fields. */
static SkChannelRecord *
collect_shopify_record (SkConnectDialog  *self,
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
      name = sk_channel_default_name (domain);
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

/* The override in Advanced, or NULL when it is empty. */
static char *
dup_base_url_override (SkConnectDialog *self)
{
  char *base_url = g_strstrip (g_strdup (row_text (self->base_url_row)));

  if (base_url[0] == '\0')
    g_clear_pointer (&base_url, g_free);
  return base_url;
}

/* A record that keeps the stored one's id, secret reference and state. */
static SkChannelRecord *
new_record (SkConnectDialog *self,
            ShopKind         kind,
            char            *name,
            char            *account,
            char            *base_url,
            char            *settings)
{
  SkChannelRecord *record;

  record = self->original != NULL ? sk_channel_record_copy (self->original) : sk_channel_record_new ();
  g_free (record->kind);
  record->kind = g_strdup (shop_kinds[kind]);
  g_free (record->name);
  record->name = name;
  g_free (record->account);
  record->account = account;
  g_free (record->base_url);
  record->base_url = base_url;
  if (settings != NULL)
    {
      g_free (record->settings);
      record->settings = settings;
    }
  if (record->settings == NULL)
    record->settings = g_strdup ("{}");
  return record;
}

/* WooCommerce: the account is the site's host, the base URL the site's
 * address (or the override). */
static SkChannelRecord *
collect_woo_record (SkConnectDialog  *self,
                    GError          **error)
{
  g_autofree char *site = NULL;
  g_autofree char *override = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GUri) uri = NULL;

  site = sk_woo_normalize_site_url (row_text (self->woo_site_row), error);
  if (site == NULL)
    return NULL;
  uri = g_uri_parse (site, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                           _("That is not a web address. Enter the site’s address, like “shop.example.com”."));
      return NULL;
    }

  override = dup_base_url_override (self);
  if (override != NULL)
    {
      base_url = sk_woo_normalize_site_url (override, error);
      if (base_url == NULL)
        return NULL;
    }
  else
    base_url = g_strdup (site);

  name = g_strstrip (g_strdup (row_text (self->name_row)));
  if (name[0] == '\0')
    {
      g_free (name);
      name = sk_channel_default_name (g_uri_get_host (uri));
    }

  return new_record (self, SHOP_WOO, g_steal_pointer (&name), g_strdup (g_uri_get_host (uri)),
                     g_steal_pointer (&base_url), NULL);
}

/* A URL from an Advanced field: NULL when empty (and no error), without
 * a trailing slash, checked (https, or http on loopback only). */
static char *
dup_url_override (AdwEntryRow  *row,
                  gboolean     *ok,
                  GError      **error)
{
  g_autofree char *url = g_strstrip (g_strdup (row_text (row)));

  *ok = TRUE;
  if (url[0] == '\0')
    return NULL;
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  if (!sk_http_check_url (url, error))
    {
      *ok = FALSE;
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* Amazon: the account is the seller id; the settings name the region
 * and the marketplaces checked (and a token URL from Advanced). */
static SkChannelRecord *
collect_amazon_record (SkConnectDialog  *self,
                       GError          **error)
{
  g_autofree char *seller = g_strstrip (g_ascii_strup (row_text (self->amazon_seller_row), -1));
  g_autofree char *base_url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *lwa_url = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint region = adw_combo_row_get_selected (self->amazon_region_row);
  gboolean ok;

  if (seller[0] == '\0')
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Enter your seller ID. Seller Central shows it under Settings › Account Info › Merchant Token."));
      return NULL;
    }
  for (const char *p = seller; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      {
        g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                             _("A seller ID has only letters and digits. Copy it again from Seller Central."));
        return NULL;
      }
  if (count_checked_marketplaces (self) == 0)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Choose at least one marketplace you sell on."));
      return NULL;
    }
  if (region >= G_N_ELEMENTS (amazon_regions))
    region = 0;

  base_url = dup_url_override (self->base_url_row, &ok, error);
  if (!ok)
    return NULL;
  if (base_url == NULL)
    base_url = g_strdup ("");
  lwa_url = dup_url_override (self->lwa_url_row, &ok, error);
  if (!ok)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "marketplace_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->marketplace_checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->marketplace_checks, i);

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        json_builder_add_string_value (builder, gtk_widget_get_name (check));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, amazon_regions[region]);
  if (lwa_url != NULL)
    {
      json_builder_set_member_name (builder, "lwa_url");
      json_builder_add_string_value (builder, lwa_url);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  name = g_strstrip (g_strdup (row_text (self->name_row)));
  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (_("Amazon"));
    }

  return new_record (self, SHOP_AMAZON, g_steal_pointer (&name), g_steal_pointer (&seller),
                     g_steal_pointer (&base_url), json_to_string (root, FALSE));
}

/* A record from the fields (not yet stored); NULL and a sentence when a
 * field is wrong. */
static SkChannelRecord *
collect_record (SkConnectDialog  *self,
                GError          **error)
{
  switch (get_shop_kind (self))
    {
    case SHOP_WOO:
      return collect_woo_record (self, error);
    case SHOP_AMAZON:
      return collect_amazon_record (self, error);
    case SHOP_SHOPIFY:
    default:
      return collect_shopify_record (self, error);
    }
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
    token = get_secret (self, &error);
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
      wipe_string (&token);
      set_status (self, STATUS_ERROR, error->message);
      return;
    }
  sk_channel_set_secret (self->test_channel, token);
  wipe_string (&token);

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

  record = collect_record (self, &error);
  if (record == NULL)
    {
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  if (self->original != NULL)
    {
      need_secret = !credentials_unchanged (self) ||
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

  token = get_secret (self, &error);
  if (token == NULL)
    {
      if (self->original == NULL)
        sk_store_remove_channel (store, record->id, FALSE, NULL);  /* keep a revived channel's orders */
      set_status (self, STATUS_ERROR, error->message);
      return;
    }

  set_busy (self, TRUE);
  set_status (self, STATUS_WORKING,
              get_shop_kind (self) != SHOP_SHOPIFY ? _("Saving the keys in your keyring…") :
              get_auth_kind (self) == AUTH_APP ? _("Saving the client secret in your keyring…")
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

static void
on_name_row_changed (GtkEditable     *editable,
                     SkConnectDialog *self)
{
  update_actions (self);
}

static void
update_auth_groups (SkConnectDialog *self)
{
  AuthKind kind = get_auth_kind (self);
  ShopKind shop = get_shop_kind (self);

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

/* "Germany, France" under the Marketplaces row. */
static void
update_marketplaces_subtitle (SkConnectDialog *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < self->marketplace_checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->marketplace_checks, i);

      if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        continue;
      if (names->len > 0)
        /* Translators: separates marketplace names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, adw_preferences_row_get_title (g_ptr_array_index (self->marketplace_rows, i)));
    }
  adw_expander_row_set_subtitle (self->amazon_marketplaces_row,
                                 names->len > 0 ? names->str : _("Choose at least one"));
}

static void
on_marketplace_toggled (GtkCheckButton  *check,
                        SkConnectDialog *self)
{
  update_marketplaces_subtitle (self);
  on_connection_field_changed (NULL, self);
}

/* One check row per marketplace of the region; @checked (or, when NULL,
 * the region's first marketplace) ticked. */
static void
fill_marketplaces (SkConnectDialog    *self,
                   const char *const  *checked)
{
  guint region = adw_combo_row_get_selected (self->amazon_region_row);

  if (region >= G_N_ELEMENTS (amazon_regions))
    region = 0;
  for (guint i = 0; i < self->marketplace_rows->len; i++)
    adw_expander_row_remove (self->amazon_marketplaces_row, g_ptr_array_index (self->marketplace_rows, i));
  g_ptr_array_set_size (self->marketplace_rows, 0);
  g_ptr_array_set_size (self->marketplace_checks, 0);

  for (guint i = 0; i < G_N_ELEMENTS (amazon_marketplaces); i++)
    {
      GtkWidget *row;
      GtkWidget *check;
      gboolean active;

      if (g_strcmp0 (sk_amazon_marketplace_region (amazon_marketplaces[i].id), amazon_regions[region]) != 0)
        continue;
      active = checked != NULL ? g_strv_contains (checked, amazon_marketplaces[i].id)
                               : self->marketplace_checks->len == 0;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(amazon_marketplaces[i].label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), amazon_marketplaces[i].site);
      check = gtk_check_button_new ();
      gtk_widget_set_name (check, amazon_marketplaces[i].id);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL,
                                      -1);
      g_signal_connect (check, "toggled", G_CALLBACK (on_marketplace_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->amazon_marketplaces_row, row);
      g_ptr_array_add (self->marketplace_rows, row);
      g_ptr_array_add (self->marketplace_checks, check);
    }
  update_marketplaces_subtitle (self);
}

static void
on_region_row_selected (AdwComboRow     *row,
                        GParamSpec      *pspec,
                        SkConnectDialog *self)
{
  if (self->marketplace_rows == NULL)
    return;  /* still building the template */
  fill_marketplaces (self, NULL);
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

  if (get_shop_kind (self) == SHOP_WOO)
    {
      g_autofree char *consumer_secret = NULL;

      row = self->woo_key_row;
      if (sk_woo_channel_parse_secret (secret, &id, &consumer_secret))
        wipe_string (&consumer_secret);
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
  if (!row_filled (row))
    gtk_editable_set_text (GTK_EDITABLE (row), self->stored_client_id);
  self->prefilling = FALSE;
  set_tested (self, FALSE);
  set_status (self, STATUS_NONE, NULL);
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
  if (get_shop_kind (self) != SHOP_SHOPIFY)
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
      if (self->stored_client_id != NULL && !row_filled (self->client_id_row))
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
  set_tested (self, FALSE);
  set_status (self, STATUS_NONE, NULL);
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
      wipe_string (&secret);
      return;
    }
  apply_stored_secret (self, secret);
  wipe_string (&secret);
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
  if (g_strcmp0 (self->original->kind, shop_kinds[SHOP_WOO]) == 0)
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
  if (g_strcmp0 (self->original->kind, shop_kinds[SHOP_AMAZON]) == 0)
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
      for (guint i = 0; region != NULL && i < G_N_ELEMENTS (amazon_regions); i++)
        if (g_strcmp0 (amazon_regions[i], region) == 0)
          adw_combo_row_set_selected (self->amazon_region_row, i);
      fill_marketplaces (self, (const char *const *) ids);
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
  fill_marketplaces (self, NULL);
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
