/* sk-store-inventory.h: the SKU master, stock ledger, reservations, listings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is stored (resources/sql/0005-inventory.sql):
 *
 * - SKUs (one per sellable variant, the SKU text unique) grouped under
 *   products; kits are SKUs made of other SKUs and hold no stock.
 * - Locations (own warehouse, shop backroom, 3PL); one is the default, where
 *   open orders reserve.
 * - An append-only ledger of stock movements per SKU and location, and the
 *   levels derived from it, written in the same transaction. A movement a
 *   person asks for that would take a level below zero is refused with
 *   SK_STORE_ERROR_CONSTRAINT; a sale recorded because a channel shipped an
 *   order is a fact, so it is recorded anyway and the engine opens a
 *   "negative-stock" problem.
 * - Reservations of the lines of orders Storekeep tracks (see the engine,
 *   src/engine/sk-inventory.h).
 * - Listings: a channel's product/variant and the master SKU it sells,
 *   matched by SKU text or barcode, or by the user; and per-channel listing
 *   rules (buffer, percentage, maximum, stop below).
 *
 * Every write that can change what a SKU has available, or what a channel
 * should show, marks the SKU for the engine's recompute (stock_dirty) and
 * is announced with SK_STORE_CHANGE_INVENTORY. SkInventory (engine) reacts
 * by recomputing them and queueing stock pushes; nothing here decides
 * quantities for channels.
 *
 * Reads use the reader connection (the thread that opened the store);
 * writes go through the writer thread. The functions named sk_store_txn_*
 * run inside a job on the writer thread; the engine composes them.
 */
#pragma once

#include "sk-order.h"
#include "sk-store.h"

G_BEGIN_DECLS

/* Enumerations; the nicks are what the database stores. */

typedef enum {
  SK_MOVEMENT_RECEIVE,       /* goods arrived */
  SK_MOVEMENT_ADJUST,        /* a correction, with a reason */
  SK_MOVEMENT_COUNT,         /* a cycle count: sets an absolute level */
  SK_MOVEMENT_TRANSFER_OUT,  /* a transfer is an out and an in row */
  SK_MOVEMENT_TRANSFER_IN,
  SK_MOVEMENT_SALE,          /* an order shipped */
  SK_MOVEMENT_RETURN,        /* came back, in a condition */
} SkMovementKind;

typedef enum {
  SK_STOCK_CONDITION_RESELLABLE,  /* counts as on hand */
  SK_STOCK_CONDITION_DAMAGED,
  SK_STOCK_CONDITION_QUARANTINE,
} SkStockCondition;

typedef enum {
  SK_LOCATION_KIND_WAREHOUSE,
  SK_LOCATION_KIND_STORE,    /* a shop's backroom */
  SK_LOCATION_KIND_3PL,
} SkLocationKind;

typedef enum {
  SK_MATCH_STATE_UNMATCHED,  /* waits for the user */
  SK_MATCH_STATE_AUTO,       /* same SKU or barcode */
  SK_MATCH_STATE_MANUAL,     /* matched by the user */
  SK_MATCH_STATE_IGNORED,    /* not inventory: never matched, never pushed */
} SkMatchState;

const char       *sk_movement_kind_to_string      (SkMovementKind    kind);
SkMovementKind    sk_movement_kind_from_string    (const char       *nick);
const char       *sk_stock_condition_to_string    (SkStockCondition  condition);
SkStockCondition  sk_stock_condition_from_string  (const char       *nick);
const char       *sk_location_kind_to_string      (SkLocationKind    kind);
SkLocationKind    sk_location_kind_from_string    (const char       *nick);
const char       *sk_match_state_to_string        (SkMatchState      state);
SkMatchState      sk_match_state_from_string      (const char       *nick);

/* Products and SKUs */

typedef struct {
  gint64  id;          /* 0 until added */
  char   *title;
  char   *vendor;
  gint64  created_at;
  gint64  updated_at;
} SkProduct;

SkProduct *sk_product_new  (const char *title);
void       sk_product_free (SkProduct  *product);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkProduct, sk_product_free)

typedef struct {
  gint64    id;              /* 0 until added */
  gint64    product_id;      /* 0: none */
  char     *sku;             /* required, unique, trimmed */
  char     *barcode;
  char     *title;           /* required */
  char     *variant_title;
  gint64    weight;          /* thousandths of weight_unit; unit NULL: unknown */
  char     *weight_unit;     /* "g", "kg", "oz", "lb" */
  gint64    length;          /* thousandths of dimension_unit */
  gint64    width;
  gint64    height;
  char     *dimension_unit;  /* "mm", "cm", "m", "in"; NULL: unknown */
  gint64    cost;            /* minor units of cost_currency */
  char     *cost_currency;   /* NULL: cost unknown */
  gint64    reorder_point;   /* -1: no reorder alert */
  gboolean  is_kit;          /* set through sk_store_set_kit_components */
  gboolean  archived;

  /* Read only: kept by the store and the engine. */
  gint64    on_hand;         /* sellable, all locations */
  gint64    unsellable;      /* damaged + quarantine */
  gint64    reserved;
  gint64    available;       /* on hand − reserved; for a kit, what its
                              * components allow (last recompute) */
  gint64    created_at;
  gint64    updated_at;
} SkSku;

#define SK_TYPE_SKU (sk_sku_get_type ())
GType      sk_sku_get_type (void) G_GNUC_CONST;
SkSku     *sk_sku_new      (const char *sku,
                            const char *title);
SkSku     *sk_sku_copy     (const SkSku *sku);
void       sk_sku_free     (SkSku      *sku);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkSku, sk_sku_free)

gboolean   sk_store_add_product          (SkStore     *self,
                                          SkProduct   *product,
                                          GError     **error);
/* Adds a SKU; sets sku->id. A SKU text already in use, or an empty one,
 * is SK_STORE_ERROR_CONSTRAINT with a sentence. Bumps the catalog
 * generation, so orders whose lines named this SKU before it existed are
 * reserved on the engine's next pass. */
gboolean   sk_store_add_sku              (SkStore     *self,
                                          SkSku       *sku,
                                          GError     **error);
/* The master fields (not stock, not is_kit): the user's edit. A changed
 * reorder point is logged as the user's ("reorder-point" event on the
 * SKU), so catalog pulls leave it alone from then on. */
gboolean   sk_store_update_sku           (SkStore     *self,
                                          const SkSku *sku,
                                          GError     **error);
/* The user sets (≥ 0) or removes (-1) the reorder point of @sku_id:
 * "Low stock" when available falls to it. Logged as above; marks the SKU
 * for recompute. NOT_FOUND when the SKU is gone. */
gboolean   sk_store_set_sku_reorder_point (SkStore    *self,
                                          gint64       sku_id,
                                          gint64       reorder_point,
                                          GError     **error);
SkSku     *sk_store_get_sku              (SkStore     *self,
                                          gint64       sku_id,
                                          GError     **error);   /* NOT_FOUND */
/* NULL without error when absent. */
SkSku     *sk_store_find_sku             (SkStore     *self,
                                          const char  *sku,
                                          GError     **error);
SkSku     *sk_store_find_sku_by_barcode  (SkStore     *self,
                                          const char  *barcode,
                                          GError     **error);
gint64     sk_store_count_skus           (SkStore     *self,
                                          GError     **error);

/* Kits */

typedef struct {
  gint64  component_id;
  gint64  quantity;      /* > 0: how many go into one kit */
  /* Read only (listing). */
  char   *sku;
  char   *title;
  gint64  available;
} SkKitComponent;

SkKitComponent *sk_kit_component_new  (gint64 component_id,
                                       gint64 quantity);
void            sk_kit_component_free (SkKitComponent *component);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkKitComponent, sk_kit_component_free)

/* Make @kit_id a kit of @components (SkKitComponent), replacing earlier
 * ones; an empty array makes it a plain SKU again. Refused
 * (SK_STORE_ERROR_CONSTRAINT) when a component is a kit or the kit itself,
 * a quantity is not positive, or the SKU has stock of its own (kits hold
 * none: count it to zero first). */
gboolean   sk_store_set_kit_components   (SkStore     *self,
                                          gint64       kit_id,
                                          GPtrArray   *components,
                                          GError     **error);
GPtrArray *sk_store_list_kit_components  (SkStore     *self,
                                          gint64       kit_id,
                                          GError     **error);  /* SkKitComponent */

/* Locations */

typedef struct {
  gint64          id;           /* 0 until added */
  char           *name;         /* required, unique */
  SkLocationKind  kind;
  SkAddress      *address;      /* may be NULL; name and company unused */
  gboolean        is_default;   /* where open orders reserve */
  gint64          archived_at;  /* 0: in use */
  gint64          created_at;
} SkLocation;

#define SK_TYPE_LOCATION (sk_location_get_type ())
GType       sk_location_get_type (void) G_GNUC_CONST;
SkLocation *sk_location_new      (const char       *name,
                                  SkLocationKind    kind);
SkLocation *sk_location_copy     (const SkLocation *location);
void        sk_location_free     (SkLocation       *location);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkLocation, sk_location_free)

/* The first location added becomes the default. */
gboolean    sk_store_add_location          (SkStore           *self,
                                            SkLocation        *location,
                                            GError           **error);
gboolean    sk_store_update_location       (SkStore           *self,
                                            const SkLocation  *location,
                                            GError           **error);
/* Open orders reserve here from now on (existing reservations stay). */
gboolean    sk_store_set_default_location  (SkStore           *self,
                                            gint64             location_id,
                                            GError           **error);
/* Refused while it holds stock or reservations, and for the default. */
gboolean    sk_store_archive_location      (SkStore           *self,
                                            gint64             location_id,
                                            GError           **error);
/* Active ones, default first, then by name. */
GPtrArray  *sk_store_list_locations        (SkStore           *self,
                                            gboolean           include_archived,
                                            GError           **error);  /* SkLocation */
SkLocation *sk_store_get_location          (SkStore           *self,
                                            gint64             location_id,
                                            GError           **error);
/* By name (case-insensitive); NULL without error when absent. */
SkLocation *sk_store_find_location         (SkStore           *self,
                                            const char        *name,
                                            GError           **error);
/* The default location, created as "Main warehouse" when there is none
 * yet (writer). */
gint64      sk_store_ensure_default_location (SkStore         *self,
                                            GError           **error);

/* The ledger */

typedef struct {
  gint64            id;
  gint64            at;
  gint64            sku_id;
  gint64            location_id;
  SkMovementKind    kind;
  SkStockCondition  condition;         /* the bucket it changed */
  gint64            quantity;          /* signed change */
  gint64            counted;           /* counts: the counted value; else -1 */
  gint64            balance;           /* the bucket's level after it */
  char             *reason;
  gint64            order_id;          /* sales, returns; 0: none */
  gint64            other_location_id; /* transfers */
  gint64            ref_id;            /* transfer-in: its transfer-out row */
  char             *actor;             /* "user", "engine:inventory", "sync:shopify" */
  /* Listing only. */
  char             *location_name;
  char             *order_number;
} SkMovement;

void       sk_movement_free (SkMovement *movement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkMovement, sk_movement_free)

/* What a person (or a CSV file) asks for. */
typedef struct {
  SkMovementKind    kind;            /* RECEIVE, ADJUST, COUNT, TRANSFER_OUT
                                      * (a whole transfer), RETURN */
  gint64            sku_id;
  gint64            location_id;     /* 0: the default location */
  gint64            quantity;        /* receive, transfer, return: > 0;
                                      * adjust: the signed change (≠ 0);
                                      * count: the counted level (≥ 0) */
  gint64            to_location_id;  /* transfers */
  SkStockCondition  condition;       /* returns */
  gint64            order_id;        /* returns: optional */
  char             *reason;          /* NULL: the batch's reason */
} SkStockEdit;

SkStockEdit *sk_stock_edit_new  (SkMovementKind  kind,
                                 gint64          sku_id,
                                 gint64          location_id,
                                 gint64          quantity);
void         sk_stock_edit_free (SkStockEdit    *edit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkStockEdit, sk_stock_edit_free)

/* Record @edits (SkStockEdit) in one transaction, all or nothing: one
 * ledger row each (two for a transfer), levels and totals updated, the
 * SKUs marked for recompute. Adjustments need a reason (the edit's or
 * @reason). A level that would go below zero, a kit, an archived or
 * unknown location or SKU are SK_STORE_ERROR_CONSTRAINT /
 * SK_STORE_ERROR_NOT_FOUND with a sentence naming the SKU. Through
 * SkInventory (sk_inventory_apply_edits_async) the recompute and the
 * stock pushes happen in the same transaction; here they happen on the
 * engine's next pass. */
gboolean   sk_store_record_stock_edits   (SkStore     *self,
                                          GPtrArray   *edits,
                                          const char  *reason,
                                          const char  *actor,
                                          GError     **error);

/* A SKU's ledger, newest first: @location_id 0 for all; @before_id 0 for
 * the newest page, else the id of the last row of the previous page. */
GPtrArray *sk_store_list_movements       (SkStore     *self,
                                          gint64       sku_id,
                                          gint64       location_id,
                                          gint64       before_id,
                                          guint        limit,
                                          GError     **error);  /* SkMovement */

/* Levels */

typedef struct {
  gint64  sku_id;
  gint64  location_id;
  char   *location_name;
  gint64  on_hand;       /* sellable */
  gint64  damaged;
  gint64  quarantine;
  gint64  reserved;
  gint64  available;     /* on_hand − reserved; may be negative */
  /* sk_store_list_all_stock_levels only. */
  char   *sku;
  char   *title;
} SkStockLevel;

void       sk_stock_level_free (SkStockLevel *level);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkStockLevel, sk_stock_level_free)

/* One row per active location (zeros where nothing was ever recorded),
 * default location first. A kit has zeros everywhere (see its
 * components). */
GPtrArray *sk_store_list_stock_levels    (SkStore     *self,
                                          gint64       sku_id,
                                          GError     **error);  /* SkStockLevel */
/* Every plain SKU (not archived, not a kit) at every active location
 * (or only @location_id), by SKU then location, default first: the stock
 * CSV export. */
GPtrArray *sk_store_list_all_stock_levels (SkStore    *self,
                                          gint64       location_id,
                                          GError     **error);  /* SkStockLevel */
/* One level; zeros when nothing was recorded. */
gboolean   sk_store_get_stock_level      (SkStore     *self,
                                          gint64       sku_id,
                                          gint64       location_id,
                                          SkStockLevel *out,
                                          GError     **error);

/* Recompute every level from the ledger and the reservations and compare
 * with the maintained tables (stock_levels and the SKU totals). FALSE
 * with SK_STORE_ERROR_CORRUPT and the first difference in the message.
 * Slow: for tests and "Check inventory" in the CLI. */
gboolean   sk_store_check_stock_consistency (SkStore  *self,
                                          GError     **error);

/* Reservations */

typedef struct {
  gint64  order_id;
  char   *order_number;   /* listing only */
  gint64  channel_id;     /* listing only */
  int     position;       /* the order line */
  gint64  sku_id;
  char   *sku;            /* listing only */
  gint64  location_id;
  gint64  quantity;       /* still reserved */
  gint64  consumed;       /* went out as sales */
  gint64  returned;       /* came back by a restock */
  gint64  via_kit_id;     /* 0, or the kit sold on the line */
} SkReservation;

void       sk_reservation_free (SkReservation *reservation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkReservation, sk_reservation_free)

/* Open reservations of a SKU (quantity > 0), oldest order first. */
GPtrArray *sk_store_list_sku_reservations   (SkStore  *self,
                                             gint64    sku_id,
                                             GError  **error);  /* SkReservation */
/* Every reservation row of an order (also consumed ones). */
GPtrArray *sk_store_list_order_reservations (SkStore  *self,
                                             gint64    order_id,
                                             GError  **error);  /* SkReservation */

/* Listings */

typedef struct {
  gint64        id;                 /* 0 until stored */
  gint64        channel_id;
  char         *product_ref;        /* required: the channel's product id */
  char         *variant_ref;        /* variant / variation id; NULL or "" for none */
  char         *inventory_ref;      /* Shopify inventory_item_id */
  char         *location_ref;       /* the channel location whose level is set */
  char         *sku;                /* as the channel has it */
  char         *barcode;
  char         *title;              /* "Trail shoe – 42 / Blue" */
  gint64        sku_id;             /* 0: not matched */
  SkMatchState  match_state;
  char         *match_why;          /* "Same SKU “TS-42”" */
  gint64        channel_quantity;   /* as last pulled; -1: unknown */
  gint64        confirmed_quantity; /* what the channel last confirmed; -1 */
  gint64        target_quantity;    /* what it should show; -1 until computed */
  gint64        removed_at;         /* gone from the channel's catalog */
  gint64        updated_at;
  /* Listing only. */
  char         *channel_name;
  /* Upsert only, optional: master data for a SKU created from this
   * listing (SK_LISTING_UPSERT_CREATE_SKUS); sku and title default to the
   * listing's. */
  SkSku        *proposed;
  /* Upsert only: the channel's own low-stock threshold for this item
   * (WooCommerce low_stock_amount); -1: none. The SKU it matches, or
   * is created from it, takes it as its reorder point when it has none
   * and the user never set one (see sk_store_upsert_listings_sync). */
  gint64        reorder_point;
} SkListing;

SkListing *sk_listing_new  (const char *product_ref,
                            const char *variant_ref);
void       sk_listing_free (SkListing  *listing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkListing, sk_listing_free)

typedef enum {
  SK_LISTING_UPSERT_NONE        = 0,
  /* A listing with a SKU text that matches no master SKU creates one
   * (from listing->proposed when set). For the first pull of the channel
   * that holds the master catalog. */
  SK_LISTING_UPSERT_CREATE_SKUS = 1 << 0,
  /* A matched SKU whose ledger is empty gets a cycle count to the
   * channel's quantity at the default location ("Imported from …"), so
   * a new profile starts with the channel's stock. */
  SK_LISTING_UPSERT_SEED_STOCK  = 1 << 1,
  /* @listings is the channel's whole catalog: stored listings of the
   * channel not in it are marked removed (and no longer pushed). */
  SK_LISTING_UPSERT_FULL        = 1 << 2,
} SkListingUpsertFlags;

typedef struct {
  guint inserted;
  guint updated;
  guint matched;        /* newly matched automatically */
  guint unmatched;      /* of the channel, after the upsert */
  guint skus_created;
  guint seeded;         /* SKUs given a starting count */
  guint removed;
} SkListingUpsertResult;

/* The catalog pull: upsert @listings (SkListing) of @channel_id on
 * (channel, product_ref, variant_ref), one transaction. Keeps the match
 * of a listing matched by the user or ignored; matches the others by SKU
 * text, then by barcode. A barcode shared by two SKUs, or by two listings
 * of the channel, matches nothing: those listings stay unmatched with
 * match_why saying so.
 * A listing's reorder_point ≥ 0 becomes the reorder point of the SKU it
 * matches (or created) when that SKU has none and the user never set or
 * removed one ("reorder-point" event of actor "user"); logged as a
 * "reorder-point" event of the channel's sync actor. A reorder point the
 * user set is never overwritten.
 * channel_quantity ≥ 0 is what the channel shows now: it becomes the
 * confirmed quantity too. Opens or resolves the problem
 * "unmatched-listings:<channel id>". Marks the matched SKUs for recompute
 * (so a channel that shows the wrong number gets a push). */
gboolean   sk_store_upsert_listings_sync    (SkStore               *self,
                                             gint64                 channel_id,
                                             GPtrArray             *listings,
                                             SkListingUpsertFlags   flags,
                                             SkListingUpsertResult *out_result,
                                             GError               **error);
/* The same on the writer thread; @listings is referenced until done. */
void       sk_store_upsert_listings_async   (SkStore               *self,
                                             gint64                 channel_id,
                                             GPtrArray             *listings,
                                             SkListingUpsertFlags   flags,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
gboolean   sk_store_upsert_listings_finish  (SkStore               *self,
                                             GAsyncResult          *result,
                                             SkListingUpsertResult *out_result,
                                             GError               **error);

SkListing *sk_store_get_listing             (SkStore     *self,
                                             gint64       listing_id,
                                             GError     **error);
/* By the channel's ids; NULL without error when absent. */
SkListing *sk_store_find_listing            (SkStore     *self,
                                             gint64       channel_id,
                                             const char  *product_ref,
                                             const char  *variant_ref,
                                             GError     **error);
/* The queue to resolve: unmatched, not removed; @channel_id 0 for all. */
GPtrArray *sk_store_list_unmatched_listings (SkStore     *self,
                                             gint64       channel_id,
                                             GError     **error);  /* SkListing */
gint64     sk_store_count_unmatched_listings (SkStore    *self,
                                             gint64       channel_id,
                                             GError     **error);
/* A SKU's listings on every channel (not removed), by channel. */
GPtrArray *sk_store_list_sku_listings       (SkStore     *self,
                                             gint64       sku_id,
                                             GError     **error);  /* SkListing */
/* The user's decisions; each is logged ("matched", "ignored",
 * "unmatched" events on the listing) and marks the SKUs for recompute. */
gboolean   sk_store_match_listing           (SkStore     *self,
                                             gint64       listing_id,
                                             gint64       sku_id,
                                             GError     **error);
gboolean   sk_store_ignore_listing          (SkStore     *self,
                                             gint64       listing_id,
                                             GError     **error);
gboolean   sk_store_unmatch_listing         (SkStore     *self,
                                             gint64       listing_id,
                                             GError     **error);
/* For the stock pusher: the channel now shows @quantity for the listing
 * (a push was accepted). When it differs from what the listing should
 * show, the SKU is marked for recompute and a new push follows. */
gboolean   sk_store_confirm_listing_quantity (SkStore    *self,
                                             gint64       listing_id,
                                             gint64       quantity,
                                             GError     **error);
gboolean   sk_store_txn_confirm_listing_quantity (SkStoreTxn *txn,
                                             gint64       listing_id,
                                             gint64       quantity,
                                             GError     **error);

/* Listing rules */

typedef struct {
  gint64  id;
  gint64  channel_id;
  gint64  sku_id;       /* 0: the channel's default rule */
  gint64  buffer;       /* kept back: shown = available − buffer */
  int     percent;      /* 0 … 100 of what is left after the buffer */
  gint64  maximum;      /* -1: none */
  gint64  stop_below;   /* available below this: show 0; 0 for never */
} SkListingRule;

/* No buffer, 100 %, no maximum, never stop: what a channel without a
 * rule gets. */
void       sk_listing_rule_init          (SkListingRule       *rule);
SkListingRule *sk_listing_rule_copy      (const SkListingRule *rule);
void       sk_listing_rule_free          (SkListingRule       *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkListingRule, sk_listing_rule_free)

/* Insert or replace the rule of (channel_id, sku_id); sets rule->id. A
 * negative buffer, a percentage outside 0 … 100 … is
 * SK_STORE_ERROR_CONSTRAINT. Marks the SKUs concerned for recompute. */
gboolean   sk_store_set_listing_rule     (SkStore             *self,
                                          SkListingRule       *rule,
                                          GError             **error);
gboolean   sk_store_delete_listing_rule  (SkStore             *self,
                                          gint64               channel_id,
                                          gint64               sku_id,
                                          GError             **error);
/* The rules that apply to a SKU: the channel defaults and its own
 * overrides, by channel. */
GPtrArray *sk_store_list_listing_rules   (SkStore             *self,
                                          gint64               sku_id,
                                          GError             **error);  /* SkListingRule */
/* What decides for (channel, SKU): its override, the channel default, or
 * the built-in default (*out_source: 2, 1, 0). */
gboolean   sk_store_get_effective_rule   (SkStore             *self,
                                          gint64               channel_id,
                                          gint64               sku_id,
                                          SkListingRule       *out,
                                          int                 *out_source,
                                          GError             **error);

/* Settings */

/* Orders created at or after this time are tracked (reserved, consumed);
 * older ones are history. Set when the schema was created. */
gint64     sk_store_get_stock_tracking_since (SkStore    *self,
                                              GError    **error);
gboolean   sk_store_set_stock_tracking_since (SkStore    *self,
                                              gint64      unix_utc,
                                              GError    **error);
/* TRUE when SKUs wait for the engine's recompute, or orders for a
 * catch-up after tracking-since moved (reader). */
gboolean   sk_store_has_stock_work       (SkStore     *self);

/* For the engine (src/engine/sk-inventory.c), inside a writer job. */

gboolean   sk_store_txn_record_stock_edit (SkStoreTxn        *txn,
                                           const SkStockEdit *edit,
                                           const char        *reason,
                                           const char        *actor,
                                           GError           **error);
/* Append one ledger row and update the levels. In: kind, sku_id,
 * location_id, condition, quantity (the change; for COUNT ignored, the
 * change is computed from counted), counted, reason, order_id,
 * other_location_id, ref_id, actor. Out: id, at, balance. A level below
 * zero is refused unless @allow_negative. */
gboolean   sk_store_txn_record_movement  (SkStoreTxn        *txn,
                                          SkMovement        *movement,
                                          gboolean           allow_negative,
                                          GError           **error);
gint64     sk_store_txn_ensure_default_location (SkStoreTxn *txn,
                                          GError           **error);
/* inventory_settings; @fallback when unset. */
gint64     sk_store_txn_get_stock_setting (SkStoreTxn       *txn,
                                           const char       *key,
                                           gint64            fallback,
                                           GError          **error);

/* An order as the engine sees it. */
typedef struct {
  int     position;
  char   *sku;           /* as on the line */
  char   *title;
  gint64  quantity;
  gint64  shipped;       /* by shipments recorded in Storekeep */
  gint64  sku_id;        /* 0: matches no SKU (by listing, then SKU text) */
  gboolean ignored;      /* its listing is ignored: not inventory */
  gboolean is_kit;
  GArray *components;    /* SkStockPart (component_id, quantity) of a kit */
} SkOrderStockLine;

typedef struct {
  gint64  kit_id;
  gint64  component_id;
  gint64  quantity;
} SkStockPart;

typedef struct {
  gint64               order_id;
  gint64               channel_id;
  char                *channel_name;
  char                *number;
  gint64               created_at;
  gint64               updated_at;
  SkOrderStatus        status;
  SkPaymentStatus      payment_status;
  SkFulfillmentStatus  fulfillment_status;
  gboolean             known;        /* the engine saw it before */
  gboolean             tracked;
  guint                unmatched;    /* unmatched lines when last applied */
  GPtrArray           *lines;        /* SkOrderStockLine */
  GPtrArray           *reservations; /* SkReservation (order_id … via_kit_id) */
} SkOrderStock;

void       sk_order_stock_free (SkOrderStock *stock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkOrderStock, sk_order_stock_free)

/* NULL without error when the order does not exist (deleted). An order
 * the engine never saw that was created before @tracking_since comes back
 * with tracked FALSE and no lines or reservations. */
SkOrderStock *sk_store_txn_load_order_stock (SkStoreTxn          *txn,
                                             gint64               order_id,
                                             gint64               tracking_since,
                                             GError             **error);
/* Insert or update one reservation row (the triggers keep the reserved
 * levels); a row with nothing reserved, consumed or returned is deleted. */
gboolean   sk_store_txn_write_reservation   (SkStoreTxn          *txn,
                                             const SkReservation *reservation,
                                             GError             **error);
gboolean   sk_store_txn_mark_order_stock    (SkStoreTxn          *txn,
                                             gint64               order_id,
                                             gboolean             tracked,
                                             gint64               updated_at,
                                             guint                unmatched,
                                             GError             **error);
/* Orders with unmatched lines whose catalog changed since they were
 * applied and, with @catch_up (or when tracking-since moved since the
 * last catch-up), every order created since tracking began that was not
 * applied at its current updated_at. Ascending ids. */
GArray    *sk_store_txn_list_stale_orders   (SkStoreTxn          *txn,
                                             gboolean             catch_up,
                                             GError             **error);  /* gint64 */

/* A savepoint inside a job, so one order that cannot be applied is
 * skipped without losing the rest of the pass. @name is an SQL
 * identifier. (Generic; they may move to sk-store.h.) */
gboolean   sk_store_txn_savepoint           (SkStoreTxn          *txn,
                                             const char          *name,
                                             GError             **error);
gboolean   sk_store_txn_release_savepoint   (SkStoreTxn          *txn,
                                             const char          *name,
                                             GError             **error);
gboolean   sk_store_txn_rollback_savepoint  (SkStoreTxn          *txn,
                                             const char          *name,
                                             GError             **error);

/* What a recompute works on: the SKUs marked (or all), plus the kits made
 * of them, their components, their listings with the rule that applies and
 * the pending push of each, and the inventory problems open now. */
typedef struct {
  gint64        sku_id;
  const char   *sku;
  const char   *title;
  gboolean      is_kit;
  gint64        on_hand;
  gint64        reserved;
  gint64        available;        /* as stored */
  gint64        reorder_point;    /* -1: none */
  gint64        lowest_level;     /* lowest on hand at one location */
  guint         n_listings;       /* active matched listings */
} SkStockWorkSku;

typedef struct {
  gint64        listing_id;
  gint64        channel_id;
  gint64        sku_id;
  const char   *channel_name;
  const char   *product_ref;
  const char   *variant_ref;
  const char   *inventory_ref;
  const char   *location_ref;
  const char   *sku;
  gint64        confirmed_quantity;  /* -1: unknown */
  gint64        target_quantity;     /* -1: never computed */
  gint64        push_generation;
  SkListingRule rule;
  int           rule_source;         /* 0 built-in, 1 channel, 2 SKU */
  gint64        pending_outbox_id;   /* 0: none */
  gint64        pending_quantity;
  gint64        sending_quantity;    /* of a push being sent now; -1: none */
} SkStockWorkListing;

typedef struct {
  gint64        kit_id;
  gint64        component_id;
  gint64        quantity;
  gint64        component_available;  /* its on hand − reserved */
} SkStockWorkPart;

typedef struct {
  GArray       *skus;        /* SkStockWorkSku, ascending sku_id */
  GArray       *parts;       /* SkStockWorkPart, by kit_id */
  GArray       *listings;    /* SkStockWorkListing, by sku_id */
  GHashTable   *open_problems; /* dedup key → NULL: inventory problems open */
  GStringChunk *strings;
} SkStockWork;

void       sk_stock_work_free (SkStockWork *work);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkStockWork, sk_stock_work_free)

SkStockWork *sk_store_txn_load_stock_work  (SkStoreTxn            *txn,
                                            gboolean               all,
                                            GError               **error);
gboolean   sk_store_txn_set_sku_available  (SkStoreTxn            *txn,
                                            gint64                 sku_id,
                                            gint64                 available,
                                            GError               **error);
gboolean   sk_store_txn_set_listing_target (SkStoreTxn            *txn,
                                            gint64                 listing_id,
                                            gint64                 quantity,
                                            GError               **error);

typedef enum {
  SK_STOCK_PUSH_NONE,        /* nothing written */
  SK_STOCK_PUSH_QUEUED,      /* a new outbox row */
  SK_STOCK_PUSH_COALESCED,   /* the pending row now carries the new number */
  SK_STOCK_PUSH_SUPERSEDED,  /* the pending row was withdrawn */
} SkStockPushOutcome;

/* The outbox kind of a stock push; subject_type "listing". */
#define SK_OUTBOX_KIND_STOCK_LEVEL "stock-level"

/* Queue @quantity (≥ 0) for @listing: update the payload of its pending
 * "stock-level" row if there is one, else add a row with the idempotency
 * key "stock:<listing id>:<generation>" (the generation counts the rows
 * of the listing). Payload:
 *   {"listing_id": 5, "sku": "TS-42", "product_ref": "632910392",
 *    "variant_ref": "808950810", "inventory_ref": "39072856",
 *    "location_ref": "655441491", "quantity": 7, "previous": 10}
 * (refs absent when unknown; previous: the confirmed quantity or absent).
 * With @quantity -1 the pending row, if any, is superseded instead. Logs a
 * "stock-push" event on the listing with @why. */
gboolean   sk_store_txn_queue_stock_push   (SkStoreTxn                *txn,
                                            const SkStockWorkListing  *listing,
                                            gint64                     quantity,
                                            const char                *why,
                                            SkStockPushOutcome        *out_outcome,
                                            GError                   **error);
gboolean   sk_store_txn_clear_stock_work   (SkStoreTxn            *txn,
                                            const SkStockWork     *work,
                                            GError               **error);
/* An event-log row written by the engine inside a job. */
gboolean   sk_store_txn_add_inventory_event       (SkStoreTxn  *txn,
                                                   const char  *actor,
                                                   const char  *subject_type,
                                                   gint64       subject_id,
                                                   const char  *what,
                                                   const char  *from_value,
                                                   const char  *to_value,
                                                   const char  *why,
                                                   GError     **error);
/* The inventory's problems, opened and resolved inside a job; same
 * semantics as sk_store_open_problem (one open row per dedup key). */
gboolean   sk_store_txn_open_inventory_problem    (SkStoreTxn  *txn,
                                                   const char  *kind,
                                                   const char  *dedup_key,
                                                   gint64       channel_id,
                                                   const char  *subject_type,
                                                   gint64       subject_id,
                                                   const char  *message,
                                                   gboolean    *out_is_new,
                                                   GError     **error);
gboolean   sk_store_txn_resolve_inventory_problem (SkStoreTxn  *txn,
                                                   const char  *dedup_key,
                                                   gboolean    *out_was_open,
                                                   GError     **error);

G_END_DECLS
