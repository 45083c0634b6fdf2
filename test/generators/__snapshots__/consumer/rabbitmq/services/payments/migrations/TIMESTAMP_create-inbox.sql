-- Up Migration
-- Idempotent consumers: the id of every message a consumer has applied,
-- written in the same transaction as the handler's work, so a redelivered
-- message is recognised and applied once. Ids older than the retention
-- window (MESSAGING_RETENTION_HOURS) are deleted: keep the window longer
-- than any redelivery can take.
CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

-- Retention deletes the oldest ids in batches.
CREATE INDEX inbox_processed_idx ON inbox (processed_at);

-- Down Migration
DROP TABLE inbox;
