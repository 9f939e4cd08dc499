/* sk-shopify-catalog-normalize.h: Shopify products, variants, inventory
 * items and levels → listings (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Shopify catalog arrives in pieces: pages of products (each with its
 * variants), then the inventory items and the inventory levels of the
 * variants' inventory items, in batches. SkShopifyCatalog gathers them and
 * builds one SkListing per variant (sk-store-inventory.h):
 *
 *   product_ref     the product id          variant_ref   the variant id
 *   inventory_ref   inventory_item_id       sku, barcode  trimmed; "" → NULL
 *   title           "Product – Variant" ("Product" alone for Shopify's
 *                   single "Default Title" variant)
 *   location_ref    the Shopify location whose level Storekeep sets, see
 *                   below
 *   channel_quantity  "available" at that location: what the channel
 *                   shows; -1 when Shopify does not track the variant
 *                   (inventory_management null, or the item's tracked
 *                   false) or no level is known
 *   proposed        master data for a SKU made from the listing: title,
 *                   variant title, barcode, weight in the variant's own
 *                   unit (1.25 lb → 1250 thousandths of "lb"; else grams),
 *                   cost from the inventory item in the shop's currency
 *
 * The location of a listing: the preferred location given to build (the
 * channel's setting, else the shop's primary location) when the item has a
 * level there; else its only location; else the lowest location id. Levels
 * at other locations are left alone by Storekeep. Without any level for
 * the item (levels not fetched), the variant's inventory_quantity is taken
 * and the preferred location is used.
 *
 * Ids are read from JSON integers or strings, never through a double.
 * Everything here is pure: no I/O, any thread (one at a time).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-store-inventory.h"

G_BEGIN_DECLS

typedef struct _SkShopifyCatalog SkShopifyCatalog;

/* @currency: the shop's currency (shop.json), for inventory item costs;
 * NULL when unknown (costs are then left out). */
SkShopifyCatalog *sk_shopify_catalog_new      (const char        *currency);
void              sk_shopify_catalog_free     (SkShopifyCatalog  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkShopifyCatalog, sk_shopify_catalog_free)

/* {"products": [...]}, {"product": {...}} or a bare array of products:
 * one listing per variant. A variant added again (same product and
 * variant id) replaces the earlier one. FALSE and
 * SK_CORE_ERROR_INVALID_PAYLOAD when @root is none of these; a product or
 * variant without an id is skipped and counted. */
gboolean          sk_shopify_catalog_add_products  (SkShopifyCatalog  *self,
                                                    JsonNode          *root,
                                                    GError           **error);
/* {"variants": [...]} or {"variant": {...}} (variants.json): variants
 * with their product_id but without their product's title. */
gboolean          sk_shopify_catalog_add_variants  (SkShopifyCatalog  *self,
                                                    JsonNode          *root,
                                                    GError           **error);
/* {"inventory_items": [...]} or {"inventory_item": {...}}: whether the
 * item is tracked, and its cost. */
gboolean          sk_shopify_catalog_add_inventory_items (SkShopifyCatalog  *self,
                                                    JsonNode          *root,
                                                    GError           **error);
/* {"inventory_levels": [...]} or {"inventory_level": {...}}. */
gboolean          sk_shopify_catalog_add_levels    (SkShopifyCatalog  *self,
                                                    JsonNode          *root,
                                                    GError           **error);

/* The inventory item ids of the variants added so far, in the order
 * first seen, without repeats ("808950810"). */
GPtrArray        *sk_shopify_catalog_get_inventory_item_ids (SkShopifyCatalog *self);
/* Listings added so far, and products or variants skipped for want of an
 * id. */
guint             sk_shopify_catalog_get_n_listings (SkShopifyCatalog *self);
guint             sk_shopify_catalog_get_skipped    (SkShopifyCatalog *self);

/* The listings (SkListing, new), in the order the variants came, with the
 * locations chosen as above; @preferred_location may be NULL. */
GPtrArray        *sk_shopify_catalog_build         (SkShopifyCatalog  *self,
                                                    const char        *preferred_location);

/* A JSON id (integer or digits) as text, or NULL. */
char             *sk_shopify_catalog_dup_id        (JsonObject        *object,
                                                    const char        *member);

G_END_DECLS
