-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 4: shipments recorded in Storekeep.

-- A parcel that left (a tracking number and carrier entered by the user, or
-- a shipment created by routing). Written in one transaction with its
-- lines, an event, the order's new fulfillment status and the outbox row
-- that tells the channel (src/store/sk-store-outbox.c). Carrier tracking
-- joins on shipments.id.
CREATE TABLE shipments (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  carrier          TEXT NOT NULL,     -- as entered: 'UPS', 'DHL Express', ...
  tracking_number  TEXT NOT NULL,
  tracking_url     TEXT,
  shipped_at       INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  actor            TEXT NOT NULL      -- 'user', 'engine:routing', ...
);
CREATE INDEX shipments_by_order ON shipments (order_id, id);
CREATE INDEX shipments_by_tracking ON shipments (tracking_number);

-- What a shipment holds. An import rewrites order_lines (new row ids), so
-- a line is named by its place in the order and the channel's line id:
-- join on (shipments.order_id, shipment_lines.line_external_id) =
-- (order_lines.order_id, order_lines.external_id), or on the position when
-- the channel gives lines no id.
CREATE TABLE shipment_lines (
  shipment_id       INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,   -- order_lines.position
  line_external_id  TEXT,               -- order_lines.external_id
  sku               TEXT,
  title             TEXT NOT NULL,
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (shipment_id, position)
);

-- The channel's own id for what an outbox row created there (a Shopify
-- fulfillment id, a WooCommerce note id), once sent.
ALTER TABLE outbox ADD COLUMN channel_ref TEXT;

-- The order pane lists what was sent for an order.
CREATE INDEX outbox_by_subject ON outbox (subject_type, subject_id, id);
