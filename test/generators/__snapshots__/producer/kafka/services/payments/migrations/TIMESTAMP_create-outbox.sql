-- Up Migration
-- Transactional outbox: events are inserted in the same transaction as the
-- state change they report; the relay claims pending rows for a lease
-- (`claimed_until`, `claim_id`), publishes them in `seq` order outside any
-- transaction and stamps `published_at`. Rows stay until published (broker
-- down = rows wait); published rows are deleted after the retention window
-- (MESSAGING_RETENTION_HOURS).
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  topic text NOT NULL,
  event_type text NOT NULL,
  message_key text,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_until timestamptz,
  claim_id uuid
);

CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;
-- The relay's "an earlier row of this entity is claimed elsewhere" test.
CREATE INDEX outbox_pending_key_idx ON outbox (topic, message_key, seq) WHERE published_at IS NULL;
-- Retention deletes the oldest published rows in batches.
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Down Migration
DROP TABLE outbox;
