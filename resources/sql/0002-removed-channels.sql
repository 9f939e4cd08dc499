-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 2.

-- A channel removed while keeping its orders stays as a row with removed_at
-- set, so its orders keep their channel (name, kind) and stay searchable.
-- Connecting the same shop again revives the row.
ALTER TABLE channels ADD COLUMN removed_at INTEGER;

-- Tags added in Storekeep. orders.tags is what is shown (the channel's tags
-- plus these); an import replaces the channel's part and keeps these.
ALTER TABLE orders ADD COLUMN local_tags TEXT NOT NULL DEFAULT '';

-- Search rows go with their order, also when a channel's orders are removed
-- by ON DELETE CASCADE.
CREATE TRIGGER orders_fts_delete AFTER DELETE ON orders
  BEGIN DELETE FROM orders_fts WHERE rowid = old.id; END;
