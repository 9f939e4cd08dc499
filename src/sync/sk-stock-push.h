/* sk-stock-push.h: stock levels to the channels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inventory engine (src/engine/sk-inventory.h) writes one pending
 * outbox row of kind SK_OUTBOX_KIND_STOCK_LEVEL per listing whose channel
 * should show another number than it last confirmed; its payload holds
 * the absolute quantity:
 *
 *   {"listing_id": 5, "sku": "TS-42", "product_ref": "632910392",
 *    "variant_ref": "808950810", "inventory_ref": "39072856",
 *    "location_ref": "655441491", "quantity": 7, "previous": 10}
 *
 * SkOutboxDispatcher hands such rows to these pushers (the pusher of
 * "<channel kind>:stock-level"). Each one first reads what the channel
 * shows now and writes only when it differs:
 *
 *   Shopify      GET  /admin/api/VERSION/inventory_levels.json
 *                     ?inventory_item_ids={inventory_ref}&location_ids={location_ref}
 *                POST /admin/api/VERSION/inventory_levels/set.json
 *                     {"location_id": …, "inventory_item_id": …, "available": N}
 *   WooCommerce  GET  /wp-json/wc/v3/products/{product_ref}
 *                     (or …/products/{product_ref}/variations/{variant_ref})
 *                PUT  the same URL {"stock_quantity": N, "manage_stock": true}
 *
 * Why read first: a channel lowers its own number when it sells. An order
 * taken on Shopify leaves Shopify showing 7 of 10 before Storekeep has
 * even imported it; the engine then wants 7 on every channel, Shopify
 * included (it last confirmed 10). Shopify already shows 7, so nothing is
 * written there: the row is sent "already there". Only a channel whose
 * number differs from Storekeep's gets the new one. The read also makes a
 * repeated attempt harmless, and it keeps Storekeep from raising a number
 * the channel has just lowered when both agree anyway.
 *
 * On success (written, or found already right) the pusher records the
 * channel's number as the listing's confirmed quantity
 * (sk_store_txn_confirm_listing_quantity, on the writer thread) before it
 * answers SENT; a later change then pushes again only when it differs from
 * that. A negative quantity is never sent: it goes out as 0. Messages name
 * the SKU and the channel and never contain a secret.
 */
#pragma once

#include "sk-push.h"
#include "sk-store.h"
#include "sk-store-inventory.h"

G_BEGIN_DECLS

/* A stock-level row's payload. */
typedef struct {
  gint64  listing_id;
  char   *sku;
  char   *product_ref;
  char   *variant_ref;     /* NULL: none */
  char   *inventory_ref;   /* Shopify inventory item */
  char   *location_ref;    /* Shopify location */
  gint64  quantity;        /* ≥ 0: negative payloads are read as 0 */
  gint64  previous;        /* what the channel last confirmed; -1 unknown */
} SkStockPush;

/* NULL and SK_CORE_ERROR_INVALID_PAYLOAD when @payload is not one (no
 * listing_id, no product_ref, no integer quantity). */
SkStockPush *sk_stock_push_parse (const char   *payload,
                                  GError      **error);
void         sk_stock_push_free  (SkStockPush  *push);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkStockPush, sk_stock_push_free)

/* The stock pushers; @store receives the confirmed quantities. */
SkPusher    *sk_shopify_stock_pusher_new  (SkStore    *store);
SkPusher    *sk_woo_stock_pusher_new      (SkStore    *store);
/* The stock pusher of a channel kind, or NULL for kinds Storekeep cannot
 * set stock on. */
SkPusher    *sk_stock_pusher_new_for_kind (const char *kind,
                                           SkStore    *store);

G_END_DECLS
