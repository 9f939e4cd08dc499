-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 5: inventory.
--
-- The SKU master, kits, locations, an append-only stock ledger with the
-- levels derived from it, reservations of open orders, channel listings and
-- their rules. The code that reads and writes these tables is
-- src/store/sk-store-inventory.c; the decisions (reservations, channel
-- quantities, pushes, exceptions) are made in src/engine/sk-inventory.c.
-- CHECKs on rows written in bulk compare with OR, not IN (…): SQLite
-- builds an ephemeral index for an IN list on every row written.
-- Quantities are whole units. Measurements are INTEGER thousandths of their
-- unit (1.25 kg is 1250 with weight_unit 'kg'); cost is minor units plus an
-- ISO 4217 code, like all money.

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  vendor      TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- One row per sellable variant. on_hand and reserved are the totals over
-- all locations, kept in the same transaction as stock_levels; available
-- is written by the engine's recompute (for a kit: what its components
-- allow).
CREATE TABLE skus (
  id              INTEGER PRIMARY KEY,
  product_id      INTEGER REFERENCES products (id) ON DELETE SET NULL,
  sku             TEXT NOT NULL UNIQUE,
  barcode         TEXT,                   -- GTIN, EAN, UPC, ISBN as printed
  title           TEXT NOT NULL,
  variant_title   TEXT,
  weight          INTEGER,                -- thousandths of weight_unit
  weight_unit     TEXT CHECK (weight_unit = 'g' OR weight_unit = 'kg' OR weight_unit = 'oz'
                                OR weight_unit = 'lb'),
  length          INTEGER,                -- thousandths of dimension_unit
  width           INTEGER,
  height          INTEGER,
  dimension_unit  TEXT CHECK (dimension_unit = 'mm' OR dimension_unit = 'cm'
                                OR dimension_unit = 'm' OR dimension_unit = 'in'),
  cost            INTEGER,                -- minor units
  cost_currency   TEXT,
  reorder_point   INTEGER,                -- NULL: no reorder alert
  is_kit          INTEGER NOT NULL DEFAULT 0,
  archived        INTEGER NOT NULL DEFAULT 0,
  on_hand         INTEGER NOT NULL DEFAULT 0,   -- sellable, all locations
  unsellable      INTEGER NOT NULL DEFAULT 0,   -- damaged + quarantine
  reserved        INTEGER NOT NULL DEFAULT 0,
  available       INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX skus_by_barcode ON skus (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX skus_by_title ON skus (title, id);
CREATE INDEX skus_by_available ON skus (available, id);
CREATE INDEX skus_by_product ON skus (product_id);

-- A kit (skus.is_kit) holds no stock of its own: it is made of components
-- when it sells. Components are plain SKUs, never kits.
CREATE TABLE kit_components (
  kit_id        INTEGER NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
  component_id  INTEGER NOT NULL REFERENCES skus (id),
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (kit_id, component_id)
) WITHOUT ROWID;
CREATE INDEX kit_components_by_component ON kit_components (component_id, kit_id);

CREATE TABLE locations (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('warehouse', 'store', '3pl')),
  line1         TEXT,
  line2         TEXT,
  city          TEXT,
  region        TEXT,
  postcode      TEXT,
  country_code  TEXT,
  phone         TEXT,
  is_default    INTEGER NOT NULL DEFAULT 0,   -- where open orders reserve
  archived_at   INTEGER,
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX locations_one_default ON locations (is_default) WHERE is_default = 1;

-- The ledger: one row per movement, never updated or deleted. quantity is
-- the signed change of the bucket at the location; balance is the bucket's
-- level after it. A cycle count stores the counted value and the change it
-- made; a transfer is two rows written together (ref_id of the incoming
-- row is the outgoing row). Returns land in the bucket of their
-- condition: only 'sellable' (resellable) counts as on hand.
CREATE TABLE stock_movements (
  id                 INTEGER PRIMARY KEY,
  at                 INTEGER NOT NULL,
  sku_id             INTEGER NOT NULL REFERENCES skus (id),
  location_id        INTEGER NOT NULL REFERENCES locations (id),
  kind               TEXT NOT NULL CHECK (kind = 'receive' OR kind = 'adjust'
                       OR kind = 'count' OR kind = 'transfer-out' OR kind = 'transfer-in'
                       OR kind = 'sale' OR kind = 'return'),
  bucket             TEXT NOT NULL DEFAULT 'sellable'
                     CHECK (bucket = 'sellable' OR bucket = 'damaged' OR bucket = 'quarantine'),
  quantity           INTEGER NOT NULL,
  counted            INTEGER,
  balance            INTEGER NOT NULL,
  reason             TEXT,
  order_id           INTEGER,              -- no foreign key: orders may go
  other_location_id  INTEGER,
  ref_id             INTEGER,
  actor              TEXT NOT NULL
);
CREATE INDEX stock_movements_by_sku ON stock_movements (sku_id, id);
CREATE INDEX stock_movements_by_order ON stock_movements (order_id) WHERE order_id IS NOT NULL;
CREATE TRIGGER stock_movements_append_only_update BEFORE UPDATE ON stock_movements
  BEGIN SELECT RAISE (ABORT, 'stock movements are append-only'); END;
CREATE TRIGGER stock_movements_append_only_delete BEFORE DELETE ON stock_movements
  BEGIN SELECT RAISE (ABORT, 'stock movements are append-only'); END;

-- The current level per SKU and location, derived from the ledger (see
-- sk_store_check_stock_consistency) and from the reservations (reserved is
-- kept by the triggers below).
CREATE TABLE stock_levels (
  sku_id       INTEGER NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
  location_id  INTEGER NOT NULL REFERENCES locations (id),
  on_hand      INTEGER NOT NULL DEFAULT 0,
  damaged      INTEGER NOT NULL DEFAULT 0,
  quarantine   INTEGER NOT NULL DEFAULT 0,
  reserved     INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sku_id, location_id)
) WITHOUT ROWID;
CREATE INDEX stock_levels_by_location ON stock_levels (location_id, sku_id);

-- What Storekeep decided for each line of an order it tracks: quantity is
-- still held (reserved), consumed went out as a sale movement, returned
-- came back by a restock. A kit line has one row per component
-- (via_kit_id set).
CREATE TABLE reservations (
  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  sku_id       INTEGER NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
  location_id  INTEGER NOT NULL REFERENCES locations (id),
  quantity     INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  consumed     INTEGER NOT NULL DEFAULT 0,
  returned     INTEGER NOT NULL DEFAULT 0,
  via_kit_id   INTEGER,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (order_id, position, sku_id)
) WITHOUT ROWID;
CREATE INDEX reservations_by_sku ON reservations (sku_id, order_id) WHERE quantity > 0;

-- Reserved counts follow the reservations, also when orders are deleted by
-- ON DELETE CASCADE; the SKU is marked for the engine's recompute. (With
-- ON CONFLICT DO NOTHING, not INSERT OR IGNORE: the upsert that writes a
-- reservation would override an OR clause inside the trigger.)
CREATE TRIGGER reservations_insert AFTER INSERT ON reservations
  WHEN new.quantity <> 0
BEGIN
  INSERT INTO stock_levels (sku_id, location_id, reserved, updated_at)
    VALUES (new.sku_id, new.location_id, new.quantity, new.updated_at)
    ON CONFLICT (sku_id, location_id) DO UPDATE SET reserved = reserved + excluded.reserved;
  UPDATE skus SET reserved = reserved + new.quantity WHERE id = new.sku_id;
  INSERT INTO stock_dirty (sku_id) VALUES (new.sku_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER reservations_update AFTER UPDATE OF quantity, location_id ON reservations
  WHEN new.quantity <> old.quantity OR new.location_id <> old.location_id
BEGIN
  UPDATE stock_levels SET reserved = reserved - old.quantity
    WHERE sku_id = old.sku_id AND location_id = old.location_id;
  INSERT INTO stock_levels (sku_id, location_id, reserved, updated_at)
    VALUES (new.sku_id, new.location_id, new.quantity, new.updated_at)
    ON CONFLICT (sku_id, location_id) DO UPDATE SET reserved = reserved + excluded.reserved;
  UPDATE skus SET reserved = reserved - old.quantity + new.quantity WHERE id = new.sku_id;
  INSERT INTO stock_dirty (sku_id) VALUES (new.sku_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER reservations_delete AFTER DELETE ON reservations
  WHEN old.quantity <> 0
BEGIN
  UPDATE stock_levels SET reserved = reserved - old.quantity
    WHERE sku_id = old.sku_id AND location_id = old.location_id;
  UPDATE skus SET reserved = reserved - old.quantity WHERE id = old.sku_id;
  INSERT INTO stock_dirty (sku_id) VALUES (old.sku_id) ON CONFLICT DO NOTHING;
END;

-- How far the engine has taken each order. An order created before
-- inventory tracking began ('tracking-since') is left alone.
CREATE TABLE order_stock (
  order_id            INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  tracked             INTEGER NOT NULL,
  applied_updated_at  INTEGER NOT NULL,
  unmatched           INTEGER NOT NULL DEFAULT 0,   -- lines without a SKU
  catalog_generation  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_stock_unmatched ON order_stock (catalog_generation) WHERE unmatched > 0;

-- SKUs whose availability or channel quantities must be recomputed; the
-- engine empties it in the transaction that recomputes them.
CREATE TABLE stock_dirty (
  sku_id  INTEGER PRIMARY KEY
);

-- A channel's product or variant, and the master SKU it sells.
CREATE TABLE listings (
  id                  INTEGER PRIMARY KEY,
  channel_id          INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  product_ref         TEXT NOT NULL,            -- the channel's product id
  variant_ref         TEXT NOT NULL DEFAULT '', -- variant/variation id, '' for none
  inventory_ref       TEXT,                     -- Shopify inventory_item_id
  location_ref        TEXT,                     -- the channel's location to set
  sku                 TEXT,                     -- as the channel has it
  barcode             TEXT,
  title               TEXT,
  sku_id              INTEGER REFERENCES skus (id) ON DELETE SET NULL,
  match_state         TEXT NOT NULL DEFAULT 'unmatched'
                      CHECK (match_state = 'unmatched' OR match_state = 'auto'
                             OR match_state = 'manual' OR match_state = 'ignored'),
  match_why           TEXT,
  channel_quantity    INTEGER,                  -- as last pulled
  confirmed_quantity  INTEGER,                  -- what the channel last confirmed
  target_quantity     INTEGER,                  -- what it should show, last computed
  push_generation     INTEGER NOT NULL DEFAULT 0,
  removed_at          INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  UNIQUE (channel_id, product_ref, variant_ref)
);
CREATE INDEX listings_by_sku ON listings (sku_id) WHERE sku_id IS NOT NULL;
CREATE INDEX listings_unmatched ON listings (channel_id, id) WHERE match_state = 'unmatched';

-- What a channel should show: a channel's default rule (sku_id NULL) and
-- per-SKU overrides.
CREATE TABLE listing_rules (
  id          INTEGER PRIMARY KEY,
  channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  sku_id      INTEGER REFERENCES skus (id) ON DELETE CASCADE,
  buffer      INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
  percent     INTEGER NOT NULL DEFAULT 100 CHECK (percent BETWEEN 0 AND 100),
  maximum     INTEGER CHECK (maximum >= 0),     -- NULL: no maximum
  stop_below  INTEGER NOT NULL DEFAULT 0 CHECK (stop_below >= 0),
  updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX listing_rules_default ON listing_rules (channel_id) WHERE sku_id IS NULL;
CREATE UNIQUE INDEX listing_rules_sku ON listing_rules (channel_id, sku_id) WHERE sku_id IS NOT NULL;

CREATE TABLE inventory_settings (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
-- Orders created from now on are tracked; older ones (a first sync's
-- history) already left the shelf before Storekeep counted it.
INSERT INTO inventory_settings (key, value) VALUES ('tracking-since', strftime ('%s', 'now'));
INSERT INTO inventory_settings (key, value) VALUES ('catalog-generation', 1);
