/* sk-shopify-channel.h: the Shopify Admin REST connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-channel.h"

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
