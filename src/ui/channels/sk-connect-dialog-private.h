/* sk-connect-dialog-private.h: friend API between the parts of the connect dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-connect-dialog.h"
#include "sk-store-channels.h"

G_BEGIN_DECLS

/* The positions in kind_row. */
typedef enum {
  SHOP_SHOPIFY = 0,
  SHOP_WOO = 1,
  SHOP_AMAZON = 2,
} ShopKind;

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
  char            *stored_secret;    /* editing: the stored secret, once read (wiped) */
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

/* sk-connect-dialog.c */
ShopKind         _sk_connect_dialog_get_shop_kind  (SkConnectDialog  *self);
AuthKind         _sk_connect_dialog_get_auth_kind  (SkConnectDialog  *self);
gboolean         _sk_connect_dialog_credentials_unchanged (SkConnectDialog *self);
/* A field changed: the last test no longer counts. */
void             _sk_connect_dialog_fields_changed (SkConnectDialog  *self);
const char      *_sk_connect_row_text              (AdwEntryRow      *row);
gboolean         _sk_connect_row_filled            (AdwEntryRow      *row);
/* Overwrite a secret's bytes, then free it. */
void             _sk_connect_wipe_string           (char            **s);

/* sk-connect-dialog-fields.c */
const char      *_sk_connect_dialog_kind_id        (ShopKind          kind);
/* A record from the fields (not yet stored); NULL and a sentence when a
 * field is wrong. */
SkChannelRecord *_sk_connect_dialog_collect_record (SkConnectDialog  *self,
                                                    GError          **error);
/* The secret to test with and to store, for the way chosen. */
char            *_sk_connect_dialog_get_secret     (SkConnectDialog  *self,
                                                    GError          **error);
/* Editing: the stored secret, from the running channel or the keyring. */
char            *_sk_connect_dialog_dup_stored_secret (SkConnectDialog  *self,
                                                       GError          **error);
guint            _sk_connect_dialog_count_marketplaces (SkConnectDialog *self);
/* One check row per marketplace of the chosen region; @checked (or, when
 * NULL, the region's first marketplace) ticked. */
void             _sk_connect_dialog_fill_marketplaces (SkConnectDialog    *self,
                                                       const char *const  *checked);
void             _sk_connect_dialog_select_region  (SkConnectDialog  *self,
                                                    const char       *region);

G_END_DECLS
