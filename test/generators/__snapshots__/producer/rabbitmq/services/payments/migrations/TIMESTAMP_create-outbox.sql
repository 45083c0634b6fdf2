-- Up Migration
-- Transactional outbox: events are inserted in the same transaction as the
-- state change they report; the relay publishes them in `seq` order and
-- stamps `published_at`. Rows stay until published (broker down = rows wait).
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
  last_error text
);

CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;
