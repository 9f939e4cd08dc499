/* sk-connect-dialog-fields.c: what the connect dialog's fields say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The channel record and the secret the fields describe, for each kind of
 * shop (typed, or when editing, kept from the stored secret), and the
 * Amazon marketplaces of the chosen region.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-connect-dialog-private.h"
#include "sk-error.h"
#include "sk-http.h"
#include "sk-lwa.h"
#include "sk-secrets.h"
#include "sk-shopify-channel.h"
#include "sk-woo-channel.h"

static const char *shop_kinds[] = { "shopify", "woocommerce", "amazon" };

const char *
_sk_connect_dialog_kind_id (ShopKind kind)
{
  return kind <= SHOP_AMAZON ? shop_kinds[kind] : shop_kinds[SHOP_SHOPIFY];
}

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

guint
_sk_connect_dialog_count_marketplaces (SkConnectDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->marketplace_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->marketplace_checks, i)))
      n++;
  return n;
}

/* Editing: the stored secret, from the running channel or the keyring. */
char *
_sk_connect_dialog_dup_stored_secret (SkConnectDialog  *self,
                   GError          **error)
{
  SkChannel *channel;

  if (self->stored_secret != NULL)
    return g_strdup (self->stored_secret);
  channel = sk_sync_manager_find_channel (sk_context_get_sync_manager (self->ctx), self->channel_id);
  if (channel != NULL && sk_channel_get_secret (channel) != NULL)
    return g_strdup (sk_channel_get_secret (channel));

  return sk_secrets_lookup (self->original, NULL, error);
}

/* The text of a secret field; NULL when it holds only blanks. Pasted
 * secrets often carry a stray space or newline. */
static char *
dup_typed (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (_sk_connect_row_text (row)));

  if (text[0] == '\0')
    _sk_connect_wipe_string (&text);
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
      stored = _sk_connect_dialog_dup_stored_secret (self, error);
      if (stored == NULL)
        return NULL;
      if (!sk_shopify_secret_is_app_credentials (stored))
        return g_steal_pointer (&stored);
      _sk_connect_wipe_string (&stored);
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
      _sk_connect_wipe_string (&client_secret);
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("That is an access token, not a client secret. Choose the access token in “Connect With”, or copy the client secret from the app’s Settings in the Dev Dashboard."));
      return NULL;
    }
  if (client_secret == NULL && self->original != NULL)
    {
      stored = _sk_connect_dialog_dup_stored_secret (self, error);
      if (stored == NULL)
        return NULL;
      if (sk_shopify_secret_is_app_credentials (stored))
        {
          g_autoptr(SkShopifyAppCredentials) credentials = sk_shopify_app_credentials_parse (stored, NULL);

          if (credentials != NULL)
            client_secret = g_strdup (credentials->client_secret);
        }
      _sk_connect_wipe_string (&stored);
    }
  if (client_secret == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Enter the app’s client secret from the Dev Dashboard."));
      return NULL;
    }

  secret = sk_shopify_app_credentials_to_secret (client_id, client_secret);
  _sk_connect_wipe_string (&client_secret);
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

  if (_sk_connect_dialog_credentials_unchanged (self))
    return _sk_connect_dialog_dup_stored_secret (self, error);

  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_WOO)
    {
      g_autofree char *key = dup_typed (self->woo_key_row);
      char *secret = dup_typed (self->woo_secret_row);
      char *result;

      if (key == NULL && self->original != NULL)
        key = g_strdup (self->stored_client_id);
      if (key == NULL || secret == NULL)
        {
          _sk_connect_wipe_string (&secret);
          g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               _("Enter both the consumer key and the consumer secret from WooCommerce › Settings › Advanced › REST API."));
          return NULL;
        }
      result = sk_woo_channel_build_secret (key, secret);
      _sk_connect_wipe_string (&secret);
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
          stored = _sk_connect_dialog_dup_stored_secret (self, error);
          if (stored == NULL)
            goto out;
          old = sk_lwa_credentials_parse (stored, NULL);
          /* The keyring may hold another app's credentials by now. */
          if (old != NULL && credentials.client_id != NULL &&
              g_strcmp0 (credentials.client_id, old->client_id) != 0)
            g_clear_pointer (&old, sk_lwa_credentials_free);
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
          _sk_connect_wipe_string (&stored);
        }

      if (credentials.client_id == NULL || credentials.client_secret == NULL ||
          credentials.refresh_token == NULL)
        g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                             _("Enter the LWA client ID, the client secret and the refresh token of your Seller Central app."));
      else
        result = sk_lwa_credentials_to_secret (&credentials);
    out:
      g_free (credentials.client_id);
      _sk_connect_wipe_string (&credentials.client_secret);
      _sk_connect_wipe_string (&credentials.refresh_token);
      return result;
    }
}

/* The secret to test with and to store, for the way chosen. */
char *
_sk_connect_dialog_get_secret (SkConnectDialog  *self,
            GError          **error)
{
  if (_sk_connect_dialog_get_shop_kind (self) == SHOP_WOO || _sk_connect_dialog_get_shop_kind (self) == SHOP_AMAZON)
    return get_other_secret (self, error);
  if (_sk_connect_dialog_get_auth_kind (self) == AUTH_TOKEN)
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
  char *base_url = g_strstrip (g_strdup (_sk_connect_row_text (self->base_url_row)));

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
  record->kind = g_strdup (_sk_connect_dialog_kind_id (kind));
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

  site = sk_woo_normalize_site_url (_sk_connect_row_text (self->woo_site_row), error);
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

  name = g_strstrip (g_strdup (_sk_connect_row_text (self->name_row)));
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
  g_autofree char *url = g_strstrip (g_strdup (_sk_connect_row_text (row)));

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
  g_autofree char *seller = g_strstrip (g_ascii_strup (_sk_connect_row_text (self->amazon_seller_row), -1));
  g_autofree char *base_url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *lwa_url = NULL;
  g_autoptr(GStrvBuilder) checked = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
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
  if (_sk_connect_dialog_count_marketplaces (self) == 0)
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

  for (guint i = 0; i < self->marketplace_checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->marketplace_checks, i);

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        g_strv_builder_add (checked, gtk_widget_get_name (check));
    }
  ids = g_strv_builder_end (checked);

  name = g_strstrip (g_strdup (_sk_connect_row_text (self->name_row)));
  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (_("Amazon"));
    }

  return new_record (self, SHOP_AMAZON, g_steal_pointer (&name), g_steal_pointer (&seller),
                     g_steal_pointer (&base_url),
                     sk_amazon_channel_build_settings ((const char * const *) ids,
                                                       amazon_regions[region], lwa_url));
}

/* A record from the fields (not yet stored); NULL and a sentence when a
 * field is wrong. */
SkChannelRecord *
_sk_connect_dialog_collect_record (SkConnectDialog  *self,
                GError          **error)
{
  switch (_sk_connect_dialog_get_shop_kind (self))
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
  _sk_connect_dialog_fields_changed (self);
}

/* One check row per marketplace of the region; @checked (or, when NULL,
 * the region's first marketplace) ticked. */
void
_sk_connect_dialog_fill_marketplaces (SkConnectDialog    *self,
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

void
_sk_connect_dialog_select_region (SkConnectDialog *self,
                                  const char      *region)
{
  for (guint i = 0; region != NULL && i < G_N_ELEMENTS (amazon_regions); i++)
    if (g_strcmp0 (amazon_regions[i], region) == 0)
      adw_combo_row_set_selected (self->amazon_region_row, i);
}
