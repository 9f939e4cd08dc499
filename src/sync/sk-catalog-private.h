/* sk-catalog-private.h: what the catalog fetchers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-catalog.h"
#include "sk-http.h"

G_BEGIN_DECLS

/* Feeds one parsed answer into a catalog being gathered; runs on a
 * worker thread, one at a time per catalog. */
typedef gboolean (*SkCatalogFeedFunc) (gpointer   catalog,
                                       JsonNode  *root,
                                       gpointer   data,
                                       GError   **error);

/* Parse @body as JSON on a worker thread and hand it to @feed. A body that
 * is not JSON is SK_SYNC_ERROR_BAD_RESPONSE naming @channel_label and
 * @platform ("Shopify", "WooCommerce"). @catalog and @data must outlive
 * the call. */
void      _sk_catalog_feed_async  (GBytes              *body,
                                   SkCatalogFeedFunc    feed,
                                   gpointer             catalog,
                                   gpointer             data,
                                   const char          *channel_label,
                                   const char          *platform,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  _sk_catalog_feed_finish (GAsyncResult        *result,
                                   GError             **error);

/* The error for a catalog answer that is not a success (AUTH, FORBIDDEN
 * with the permission to grant, NOT_FOUND, RATE_LIMITED, SERVER, REFUSED
 * with @words, the channel's own words), about @channel_label on
 * @platform. @permission: "read_products and read_inventory" or
 * "Read". @app: Shopify app credentials (a Dev Dashboard app). */
GError   *_sk_catalog_status_error (SkHttpResponse     *response,
                                    const char         *channel_label,
                                    const char         *platform,
                                    const char         *permission,
                                    gboolean            app,
                                    const char         *words);

/* The channel as people know it: its name, else its account. */
const char *_sk_catalog_channel_label (SkChannel *channel);

G_END_DECLS
