-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 3.

-- The inbox hides archived orders and shows the newest first. This index
-- lets it count the archived ones and page that default view, and its
-- anchors, without reading the orders table (src/store/sk-order-list.c).
CREATE INDEX orders_by_archived_created ON orders (archived, created_at, id);
