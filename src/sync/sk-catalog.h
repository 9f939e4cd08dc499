/* sk-catalog.h: pull a channel's catalog into the listings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A catalog pull asks a channel for every product it sells and stores one
 * listing per sellable variant (sk-store-inventory.h), matched to the
 * master SKUs by SKU text or barcode; what does not match waits in the
 * queue of unmatched listings ("unmatched-listings:<channel id>").
 *
 *   Shopify      GET shop.json (primary location, currency), then
 *                products.json?limit=250 following the Link header's
 *                page_info, then inventory_items.json?ids=… and
 *                inventory_levels.json?inventory_item_ids=… in batches of
 *                SK_CATALOG_SHOPIFY_BATCH ids (levels follow their own Link
 *                pages). Normalized by sk-shopify-catalog-normalize.h.
 *                The location set for a listing is the channel setting
 *                "inventory_location_id" when there is one, else the
 *                shop's primary location (see the normalizer).
 *   WooCommerce  GET products?per_page=100&page=N while X-WP-TotalPages
 *                says there are more (or pages come full), then
 *                products/{id}/variations?per_page=100 for every variable
 *                product, paged the same way. Normalized by
 *                sk-woo-catalog-normalize.h.
 *
 * What the channel shows becomes each listing's channel and confirmed
 * quantity ("what the channel last confirmed"); it never overwrites
 * Storekeep's own counts. The one exception is a SKU with no stock history
 * at all: it gets a starting count (a "count" movement at the default
 * location) of what the channel shows, so a new profile starts with the
 * channel's numbers (SK_LISTING_UPSERT_SEED_STOCK). Master SKUs are
 * created from listings only on request (SK_CATALOG_PULL_CREATE_SKUS) and
 * automatically when the profile has no SKU yet: the first catalog pulled
 * into an empty profile fills the master, later ones are matched to it.
 * A complete pull also marks the listings the channel no longer has as
 * removed (SK_LISTING_UPSERT_FULL). The engine then pushes wherever a
 * channel shows something else than it should.
 *
 * When: SkCatalogScheduler follows the sync manager: after a channel's
 * successful order sync, it pulls that channel's catalog when none was
 * ever pulled or the last one is older than its interval
 * (SK_CATALOG_INTERVAL, a day); a failed pull is tried again no sooner
 * than SK_CATALOG_RETRY_INTERVAL later. The UI pulls on demand ("Refresh
 * catalog") with sk_catalog_pull_async or sk_catalog_scheduler_pull_now.
 * The time of the last complete pull is the channel's sync cursor
 * "catalog" (sk_catalog_get_last_pull).
 *
 * Requests go through the channel's SkHttp with the channel's secret (the
 * same credentials and token logic as its order sync). Main thread.
 */
#pragma once

#include <gio/gio.h>

#include "sk-channel.h"
#include "sk-store-inventory.h"
#include "sk-sync-manager.h"

G_BEGIN_DECLS

/* The sync cursor whose high-water mark is the last complete pull. */
#define SK_CATALOG_RESOURCE "catalog"
/* Seconds between automatic pulls of one channel. */
#define SK_CATALOG_INTERVAL (24 * 60 * 60)
/* Seconds before an automatic pull that failed is tried again. */
#define SK_CATALOG_RETRY_INTERVAL (60 * 60)
/* Inventory item ids per Shopify request. */
#define SK_CATALOG_SHOPIFY_BATCH 50
/* Products per Shopify page and per WooCommerce page. */
#define SK_CATALOG_SHOPIFY_LIMIT 250
#define SK_CATALOG_WOO_PER_PAGE 100

typedef enum {
  SK_CATALOG_PULL_DEFAULT     = 0,
  /* Create a master SKU for each listing whose SKU text matches none. */
  SK_CATALOG_PULL_CREATE_SKUS = 1 << 0,
} SkCatalogPullFlags;

typedef struct {
  guint                  requests;   /* HTTP requests made */
  guint                  pages;      /* pages of products */
  guint                  listings;   /* listings fetched */
  guint                  skipped;    /* products or variants without an id */
  gboolean               created_skus;  /* SKUs were created from listings */
  SkListingUpsertResult  upsert;     /* what storing them did (pull only) */
} SkCatalogSummary;

/* TRUE for the channel kinds with a catalog pull ("shopify",
 * "woocommerce"). */
gboolean   sk_catalog_supports_kind   (const char          *kind);

/* Fetch @channel's catalog without storing it: the listings (SkListing)
 * as sk_store_upsert_listings_sync takes them. Errors are SK_SYNC_ERROR
 * (as the channel's sync: NO_CREDENTIALS, AUTH, FORBIDDEN, …, a sentence
 * that never holds the secret), SK_CORE_ERROR_INVALID_PAYLOAD for an
 * answer that is not a catalog, G_IO_ERROR_NOT_SUPPORTED for other kinds,
 * G_IO_ERROR_CANCELLED. */
void       sk_catalog_fetch_async     (SkChannel           *channel,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *sk_catalog_fetch_finish    (SkChannel           *channel,
                                       GAsyncResult        *result,
                                       SkCatalogSummary    *out_summary,
                                       GError             **error);

/* Fetch, then store (one transaction, on the writer thread) and record
 * the pull's time. @flags as above. */
void       sk_catalog_pull_async      (SkChannel           *channel,
                                       SkCatalogPullFlags   flags,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean   sk_catalog_pull_finish     (SkChannel           *channel,
                                       GAsyncResult        *result,
                                       SkCatalogSummary    *out_summary,
                                       GError             **error);

/* Unix time of @channel_id's last complete pull; 0 when never (reader). */
gint64     sk_catalog_get_last_pull   (SkStore             *store,
                                       gint64               channel_id,
                                       GError             **error);

/* The kind-specific fetchers behind sk_catalog_fetch_async. */
void       sk_shopify_catalog_fetch_async  (SkChannel           *channel,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *sk_shopify_catalog_fetch_finish (SkChannel           *channel,
                                            GAsyncResult        *result,
                                            SkCatalogSummary    *out_summary,
                                            GError             **error);
void       sk_woo_catalog_fetch_async      (SkChannel           *channel,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *sk_woo_catalog_fetch_finish     (SkChannel           *channel,
                                            GAsyncResult        *result,
                                            SkCatalogSummary    *out_summary,
                                            GError             **error);

/* SkCatalogScheduler: the automatic pulls (see above). */
#define SK_TYPE_CATALOG_SCHEDULER (sk_catalog_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (SkCatalogScheduler, sk_catalog_scheduler, SK, CATALOG_SCHEDULER, GObject)

/* Follows @sync's "sync-finished" from creation on. */
SkCatalogScheduler *sk_catalog_scheduler_new           (SkSyncManager      *sync);
/* Seconds between automatic pulls of a channel (tests shorten it); 0
 * turns automatic pulls off. */
void                sk_catalog_scheduler_set_interval  (SkCatalogScheduler *self,
                                                        guint               seconds);
/* TRUE while @channel_id's catalog is being pulled. */
gboolean            sk_catalog_scheduler_is_pulling    (SkCatalogScheduler *self,
                                                        gint64              channel_id);
/* Pull @channel_id's catalog now (the UI's "Refresh catalog"); joins a
 * pull of that channel already running. A channel that has not synced in
 * this session (its secret is not in memory yet) syncs first, which reads
 * the secret. */
void                sk_catalog_scheduler_pull_now_async  (SkCatalogScheduler  *self,
                                                          gint64               channel_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            sk_catalog_scheduler_pull_now_finish (SkCatalogScheduler  *self,
                                                          GAsyncResult        *result,
                                                          SkCatalogSummary    *out_summary,
                                                          GError             **error);
/* Signals:
 *   "pull-finished" (SkChannel *channel, gpointer summary, GError *error)
 *      after every pull the scheduler ran (automatic or pull_now):
 *      @summary (const SkCatalogSummary *) on success, else NULL and
 *      @error. */

G_END_DECLS
