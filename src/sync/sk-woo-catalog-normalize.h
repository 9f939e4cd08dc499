/* sk-woo-catalog-normalize.h: WooCommerce products and variations →
 * listings (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /wp-json/wc/v3/products answers pages of products; a variable
 * product's sellable variants come from /products/{id}/variations.
 * SkWooCatalog gathers them and builds one SkListing per thing that holds
 * stock:
 *
 *   a simple product (and any type a plugin adds that is not variable,
 *   grouped or external): product_ref its id, variant_ref NULL;
 *   a variation: product_ref the parent's id, variant_ref its own id;
 *   a variable product itself, a grouped or an external product: none.
 *
 *   sku, barcode   sku and global_unique_id (WooCommerce 9.2+), trimmed
 *   title          the product's name; for a variation "Parent – Black / S"
 *                  (its attribute options)
 *   channel_quantity  stock_quantity when WooCommerce manages the stock
 *                  (manage_stock true, or "parent" for a variation whose
 *                  parent manages it); -1 when it does not; a negative
 *                  number (backorders) shows 0
 *   reorder_point  low_stock_amount (an integer, or null for the
 *                  store-wide default, which is not read); a variation
 *                  with null has its parent product's
 *   proposed       title and variant title for a SKU made from it
 *
 * WooCommerce has one stock number per product or variation, so
 * location_ref stays NULL. Weights are left out: the product API does not
 * say their unit. Everything here is pure: no I/O, any thread (one at a
 * time).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-store-inventory.h"

G_BEGIN_DECLS

typedef struct _SkWooCatalog SkWooCatalog;

SkWooCatalog *sk_woo_catalog_new     (void);
void          sk_woo_catalog_free    (SkWooCatalog *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkWooCatalog, sk_woo_catalog_free)

/* A page of products (a JSON array) or one product (an object). FALSE
 * and SK_CORE_ERROR_INVALID_PAYLOAD when it is neither; a product without
 * an id is skipped and counted. A product added again replaces the
 * earlier one. */
gboolean      sk_woo_catalog_add_products   (SkWooCatalog  *self,
                                             JsonNode      *root,
                                             GError       **error);
/* A page of the variations of @parent_id (a JSON array) or one
 * variation. */
gboolean      sk_woo_catalog_add_variations (SkWooCatalog  *self,
                                             const char    *parent_id,
                                             JsonNode      *root,
                                             GError       **error);
/* The ids of the variable products added so far, in order ("799"). */
GPtrArray    *sk_woo_catalog_get_variable_products (SkWooCatalog *self);
guint         sk_woo_catalog_get_n_listings (SkWooCatalog  *self);
guint         sk_woo_catalog_get_skipped    (SkWooCatalog  *self);
/* The listings (SkListing, new): products in the order they came, each
 * variable product's variations where the product came. */
GPtrArray    *sk_woo_catalog_build          (SkWooCatalog  *self);

G_END_DECLS
