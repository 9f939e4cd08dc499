/* sk-shopify-channel.h: the Shopify Admin REST connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The channel's secret is a plain Admin API access token (a custom app made
 * in the Shopify admin before 2026) or the JSON object {"client_id": …,
 * "client_secret": …} of a Dev Dashboard app, whose access tokens the
 * channel asks for itself with the client credentials grant at
 * {base URL}/admin/oauth/access_token (see sk-shopify-auth.h), keeps in
 * memory and renews before they expire or when a request gets a 401.
 */
#pragma once

#include "sk-channel.h"
#include "sk-shopify-auth.h"

G_BEGIN_DECLS

#define SK_TYPE_SHOPIFY_CHANNEL (sk_shopify_channel_get_type ())
G_DECLARE_FINAL_TYPE (SkShopifyChannel, sk_shopify_channel, SK, SHOPIFY_CHANNEL, SkChannel)

/* Overlap subtracted from the high-water mark on each run, seconds. */
#define SK_SHOPIFY_OVERLAP_SECONDS 300

SkChannel *sk_shopify_channel_new (SkStore               *store,
                                   SkHttp                *http,
                                   const SkChannelRecord *record);

/* "acme" or "acme.myshopify.com" or "https://acme.myshopify.com/admin" →
 * "acme.myshopify.com"; NULL and an error for something that is not a shop
 * domain. */
char      *sk_shopify_normalize_shop_domain (const char *input,
                                             GError    **error);

G_END_DECLS
