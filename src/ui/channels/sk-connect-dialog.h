/* sk-connect-dialog.h: connect a shop, or edit its connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shop type first (template child "kind_row": 0 Shopify, 1 WooCommerce
 * — site address, consumer key and secret — or 2 Amazon — seller id,
 * marketplace, LWA client id, secret and refresh token); fixed when editing.
 * For Shopify: shop domain, an optional display name, and one of two ways to connect
 * (template child "auth_row", an AdwComboRow): a Dev Dashboard app's
 * client ID and secret (position 0, the default; stored as
 * {"client_id","client_secret"}) or the Admin API access token of a custom
 * app created before 2026 (position 1); an "Advanced" API base URL for the
 * demo shop or a loopback test server. "Test Connection" tries the
 * credentials on a temporary channel and says in words what went wrong;
 * "Connect" is enabled after a successful test and adds the channel,
 * stores the secret in the Secret Service (rolling the channel back when
 * that fails), reloads the sync manager and starts a first sync. For an
 * existing channel the dialog is prefilled: the stored secret picks the
 * way and gives the client ID; an empty secret or token keeps the stored
 * one.
 *
 * Actions: connect.test, connect.save.
 * Signal "connected" (gint64 channel_id) after a successful save.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_CONNECT_DIALOG (sk_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SkConnectDialog, sk_connect_dialog, SK, CONNECT_DIALOG, AdwWindow)

SkConnectDialog *sk_connect_dialog_new             (SkContext       *ctx,
                                                    GtkWindow       *parent);
SkConnectDialog *sk_connect_dialog_new_for_channel (SkContext       *ctx,
                                                    GtkWindow       *parent,
                                                    gint64           channel_id);
/* 0 while adding a new shop. */
gint64           sk_connect_dialog_get_channel_id  (SkConnectDialog *self);
/* TRUE while a test or a save runs (property "busy"). */
gboolean         sk_connect_dialog_get_busy        (SkConnectDialog *self);
/* TRUE when the last test succeeded and nothing changed since. */
gboolean         sk_connect_dialog_get_tested      (SkConnectDialog *self);
/* The sentence shown under Test Connection, or NULL. */
const char      *sk_connect_dialog_get_status      (SkConnectDialog *self);

G_END_DECLS
