-- Up Migration
-- This service's parts in choreographed sagas (src/sagas/choreography.ts): one row per saga instance
-- once its step ran, was refused, or was closed by an abort; changed in the transaction that consumes
-- the event and records the next one in the outbox.
CREATE TABLE IF NOT EXISTS saga_steps (
  saga text NOT NULL,
  id uuid NOT NULL,
  step text NOT NULL,
  status text NOT NULL CHECK (status IN ('done', 'refused', 'compensated', 'aborted')),
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (saga, id)
);

-- Down Migration
DROP TABLE IF EXISTS saga_steps;
