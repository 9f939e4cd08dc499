/* sk-demo-profile.h: the embedded demo shop's channels in a profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo shop (sk-demo-shop.h) speaks three dialects: a shop on
 * Shopify, another on WooCommerce and a seller on Amazon, each with orders
 * of its own. The app's --demo and `storekeep demo` set up the same three
 * channels with this, and read their keys with the same secret lookup.
 */
#pragma once

#include "sk-demo-shop.h"
#include "sk-store-channels.h"

G_BEGIN_DECLS

#define SK_DEMO_PROFILE_N_CHANNELS 3

/* Adds a channel for each of @shop's dialects to @store, in the order
 * Shopify, WooCommerce, Amazon, with secret_ref "demo". A profile that has
 * them already (a named profile used for a demo before) keeps them,
 * pointed at this run's server. @out_ids, when not NULL, gets the three
 * channel ids in that order. @shop must be running. */
gboolean  sk_demo_profile_add_channels   (SkStore               *store,
                                          SkDemoShop            *shop,
                                          gint64                 out_ids[SK_DEMO_PROFILE_N_CHANNELS],
                                          GError               **error);

/* An SkSecretLookupFunc (sk-sync-manager.h) giving the demo shop's keys,
 * by the channel's kind. Thread-safe; @user_data is unused. */
char     *sk_demo_profile_secret_lookup  (const SkChannelRecord *record,
                                          gpointer               user_data,
                                          GError               **error);

G_END_DECLS
