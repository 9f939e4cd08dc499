-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 1.
-- Times are INTEGER Unix seconds in UTC. Money is INTEGER minor units with an
-- ISO 4217 code beside it. Enumerations are stored as their stable nick
-- strings (see src/core/sk-enums.h), original channel codes beside them.

CREATE TABLE channels (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,              -- 'shopify', 'woocommerce', ...
  name          TEXT NOT NULL,
  account       TEXT NOT NULL,              -- shop domain or seller id
  base_url      TEXT NOT NULL,              -- API root, overridable for loopback
  secret_ref    TEXT,                       -- libsecret attribute value; never the secret
  paused        INTEGER NOT NULL DEFAULT 0,
  settings      TEXT NOT NULL DEFAULT '{}', -- JSON, connector specific
  created_at    INTEGER NOT NULL,
  UNIQUE (kind, account)
);

CREATE TABLE customers (
  id            INTEGER PRIMARY KEY,
  channel_id    INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  external_id   TEXT NOT NULL,
  name          TEXT,
  email         TEXT,
  phone         TEXT,
  UNIQUE (channel_id, external_id)
);

CREATE TABLE orders (
  id                  INTEGER PRIMARY KEY,
  channel_id          INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  external_id         TEXT NOT NULL,
  number              TEXT NOT NULL,
  customer_id         INTEGER REFERENCES customers (id) ON DELETE SET NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  processed_at        INTEGER,
  cancelled_at        INTEGER,
  closed_at           INTEGER,
  currency            TEXT NOT NULL,
  subtotal            INTEGER NOT NULL DEFAULT 0,
  total_tax           INTEGER NOT NULL DEFAULT 0,
  total_shipping      INTEGER NOT NULL DEFAULT 0,
  total_discounts     INTEGER NOT NULL DEFAULT 0,
  total_refunded      INTEGER NOT NULL DEFAULT 0,
  total               INTEGER NOT NULL,
  status              TEXT NOT NULL,
  payment_status      TEXT NOT NULL,
  fulfillment_status  TEXT NOT NULL,
  status_code         TEXT,   -- channel's own codes, as received
  payment_code        TEXT,
  fulfillment_code    TEXT,
  customer_name       TEXT,
  email               TEXT,
  phone               TEXT,
  ship_country        TEXT,   -- ISO 3166-1 alpha-2, denormalized for the inbox
  ship_city           TEXT,
  item_count          INTEGER NOT NULL DEFAULT 0,
  note                TEXT,
  tags                TEXT NOT NULL DEFAULT '',  -- comma separated, as channels do
  on_hold             INTEGER NOT NULL DEFAULT 0,
  hold_reason         TEXT,
  archived            INTEGER NOT NULL DEFAULT 0,
  UNIQUE (channel_id, external_id)
);
CREATE INDEX orders_by_created ON orders (created_at, id);
CREATE INDEX orders_by_updated ON orders (updated_at, id);
CREATE INDEX orders_by_total ON orders (total, id);
CREATE INDEX orders_by_number ON orders (number, id);
CREATE INDEX orders_by_customer ON orders (customer_name, id);
CREATE INDEX orders_by_channel_created ON orders (channel_id, created_at, id);
CREATE INDEX orders_by_fulfillment_created ON orders (fulfillment_status, created_at, id);
CREATE INDEX orders_by_payment_created ON orders (payment_status, created_at, id);

CREATE TABLE addresses (
  id            INTEGER PRIMARY KEY,
  order_id      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('shipping', 'billing')),
  name          TEXT,
  company       TEXT,
  line1         TEXT,
  line2         TEXT,
  city          TEXT,
  region        TEXT,
  region_code   TEXT,
  postcode      TEXT,
  country       TEXT,
  country_code  TEXT,
  phone         TEXT,
  UNIQUE (order_id, kind)
);

CREATE TABLE order_lines (
  id             INTEGER PRIMARY KEY,
  order_id       INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  external_id    TEXT,
  product_id     TEXT,   -- channel's product and variant ids, for listings
  variant_id     TEXT,
  sku            TEXT,
  title          TEXT NOT NULL,
  variant_title  TEXT,
  quantity       INTEGER NOT NULL,
  unit_price     INTEGER NOT NULL,
  total_discount INTEGER NOT NULL DEFAULT 0,
  total_tax      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (order_id, position)
);
CREATE INDEX order_lines_by_sku ON order_lines (sku);

CREATE TABLE refunds (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  external_id  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  amount       INTEGER NOT NULL,
  note         TEXT,
  UNIQUE (order_id, external_id)
);

CREATE TABLE fulfillments (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  external_id      TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  status_code      TEXT,
  tracking_company TEXT,
  tracking_number  TEXT,
  tracking_url     TEXT,
  UNIQUE (order_id, external_id)
);

-- Full-text search over the inbox; rowid = orders.id.
CREATE VIRTUAL TABLE orders_fts USING fts5 (
  number, customer, email, address, skus, titles,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Where a channel's incremental pull stands. One transaction writes a page of
-- orders and the cursor past it.
CREATE TABLE sync_cursors (
  channel_id     INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  resource       TEXT NOT NULL,
  high_water     INTEGER NOT NULL DEFAULT 0,  -- newest updated_at fully synced
  run_started_at INTEGER,                     -- set while a run is in progress
  run_max_seen   INTEGER NOT NULL DEFAULT 0,  -- newest updated_at seen by that run
  page_token     TEXT,                        -- where the run resumes (page_info, next token)
  pages_done     INTEGER NOT NULL DEFAULT 0,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (channel_id, resource)
);

-- Payloads that failed validation; they never stop the rest of a sync.
CREATE TABLE dead_letters (
  id           INTEGER PRIMARY KEY,
  channel_id   INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  resource     TEXT NOT NULL,
  external_id  TEXT,
  reason       TEXT NOT NULL,
  raw          BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 1,
  resolved_at  INTEGER
);
CREATE UNIQUE INDEX dead_letters_open ON dead_letters (channel_id, resource, external_id)
  WHERE resolved_at IS NULL AND external_id IS NOT NULL;

-- Append-only history of every state change.
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  actor         TEXT NOT NULL,      -- 'user', 'sync:shopify', 'engine:routing', ...
  subject_type  TEXT NOT NULL,      -- 'order', 'channel', ...
  subject_id    INTEGER NOT NULL,
  what          TEXT NOT NULL,      -- 'imported', 'status', 'hold', 'tags', ...
  from_value    TEXT,
  to_value      TEXT,
  why           TEXT
);
CREATE INDEX events_by_subject ON events (subject_type, subject_id, at);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE (ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE (ABORT, 'events are append-only'); END;

-- What must reach a channel; written in the same transaction as the change.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  channel_id       INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  kind             TEXT NOT NULL,     -- 'fulfillment', 'stock-level', ...
  subject_type     TEXT NOT NULL,
  subject_id       INTEGER NOT NULL,
  idempotency_key  TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL,     -- JSON
  state            TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'superseded')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Open problems the user should see; one row per problem, not per retry.
CREATE TABLE exceptions (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,       -- 'channel-auth', 'channel-failing', 'dead-letters', ...
  dedup_key     TEXT NOT NULL,       -- identifies "the same problem"
  channel_id    INTEGER REFERENCES channels (id) ON DELETE CASCADE,
  subject_type  TEXT,
  subject_id    INTEGER,
  message       TEXT NOT NULL,
  opened_at     INTEGER NOT NULL,
  resolved_at   INTEGER,
  notified_at   INTEGER
);
CREATE UNIQUE INDEX exceptions_open ON exceptions (dedup_key) WHERE resolved_at IS NULL;
