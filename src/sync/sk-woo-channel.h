/* sk-woo-channel.h: the WooCommerce REST API v3 connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The record's base_url is the site's address ("https://shop.example", or
 * "https://example.com/shop" for WordPress in a folder); when it is empty,
 * "https://" + account. The account is the site as people know it
 * ("shop.example") and names the shop in messages. The secret set with
 * sk_channel_set_secret() is a JSON object {"consumer_key": "ck_…",
 * "consumer_secret": "cs_…"} (see sk_woo_channel_build_secret()); the keys
 * go out as HTTP Basic authentication, over https only (plain http is
 * allowed for loopback addresses, for the demo shop and tests).
 */
#pragma once

#include "sk-channel.h"

G_BEGIN_DECLS

#define SK_TYPE_WOO_CHANNEL (sk_woo_channel_get_type ())
G_DECLARE_FINAL_TYPE (SkWooChannel, sk_woo_channel, SK, WOO_CHANNEL, SkChannel)

/* Overlap subtracted from the high-water mark on each run, seconds. */
#define SK_WOO_OVERLAP_SECONDS 600
/* Orders asked per page: WooCommerce's maximum. */
#define SK_WOO_PER_PAGE 100

SkChannel *sk_woo_channel_new           (SkStore               *store,
                                         SkHttp                *http,
                                         const SkChannelRecord *record);

/* The secret to store for a key pair: {"consumer_key":…,"consumer_secret":…}. */
char      *sk_woo_channel_build_secret  (const char  *consumer_key,
                                         const char  *consumer_secret);
/* The key pair of a stored secret; FALSE when it is not such an object or
 * either key is missing or empty. */
gboolean   sk_woo_channel_parse_secret  (const char  *secret,
                                         char       **out_consumer_key,
                                         char       **out_consumer_secret);
/* "Basic …" (HTTP Basic over TLS, as WooCommerce wants it) for a key pair;
 * the intermediate copies are wiped. For the connector, the catalog pull
 * and the pushers. */
char      *sk_woo_basic_authorization   (const char  *key,
                                         const char  *secret);

/* "shop.example", "https://shop.example/", "https://shop.example/wp-json/wc/v3"
 * or "https://example.com/shop/wp-admin" → "https://shop.example" /
 * "https://example.com/shop": the site address the connector wants, with
 * https:// added when no scheme is given. NULL and SK_SYNC_ERROR_INVALID_URL
 * or _INSECURE_URL (http:// to a host that is not loopback) otherwise. */
char      *sk_woo_normalize_site_url    (const char  *input,
                                         GError     **error);

G_END_DECLS
