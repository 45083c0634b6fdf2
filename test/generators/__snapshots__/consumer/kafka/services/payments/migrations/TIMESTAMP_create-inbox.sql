-- Up Migration
-- Idempotent consumers: the id of every message a consumer has applied,
-- written in the same transaction as the handler's work, so a redelivered
-- message is recognised and applied once.
CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

-- Down Migration
DROP TABLE inbox;
