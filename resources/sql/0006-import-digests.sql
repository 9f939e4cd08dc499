-- SPDX-License-Identifier: GPL-3.0-or-later
-- Storekeep schema, version 6: what an import compares beyond updated_at.

-- A SHA-256 (hex) of what the channel said of an order, normalized: its
-- statuses, money, lines, addresses, refunds, fulfillments, tags, note…,
-- never the local state. Channels give updated_at in whole seconds, so a
-- change in the same second as the stored version has the same updated_at:
-- the import rewrites the order when the digest differs
-- (src/store/sk-store-import.c). NULL for orders imported before: the next
-- import of the same version rewrites them once.
ALTER TABLE orders ADD COLUMN content_digest TEXT;

-- A dead letter without an external id is known by a SHA-256 (hex) of its
-- raw payload, so reading the same broken payload again counts an attempt
-- instead of opening another letter.
ALTER TABLE dead_letters ADD COLUMN raw_digest TEXT;

-- Letters without an id opened more than once before this version: the
-- oldest open one of each payload stays, with the attempts of the others,
-- which are closed.
UPDATE dead_letters
  SET attempts = attempts + (SELECT coalesce (sum (d.attempts), 0) FROM dead_letters d
                             WHERE d.channel_id = dead_letters.channel_id
                               AND d.resource = dead_letters.resource
                               AND d.external_id IS NULL AND d.resolved_at IS NULL
                               AND d.raw = dead_letters.raw AND d.id > dead_letters.id)
  WHERE external_id IS NULL AND resolved_at IS NULL
    AND id IN (SELECT min (id) FROM dead_letters
               WHERE external_id IS NULL AND resolved_at IS NULL
               GROUP BY channel_id, resource, raw);
UPDATE dead_letters
  SET resolved_at = created_at
  WHERE external_id IS NULL AND resolved_at IS NULL
    AND id NOT IN (SELECT min (id) FROM dead_letters
                   WHERE external_id IS NULL AND resolved_at IS NULL
                   GROUP BY channel_id, resource, raw);

CREATE UNIQUE INDEX dead_letters_open_raw ON dead_letters (channel_id, resource, raw_digest)
  WHERE resolved_at IS NULL AND external_id IS NULL;
