-- Up Migration
-- The choreographed sagas this service starts (src/sagas/initiator.ts): one row per saga instance, its
-- outcome as the steps report it, and the deadline after which it is aborted.
CREATE TABLE IF NOT EXISTS saga_starts (
  id uuid PRIMARY KEY,
  saga text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'compensated', 'aborted')),
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  reason text,
  deadline timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The timer looks for overdue sagas only among running ones.
CREATE INDEX IF NOT EXISTS saga_starts_deadline ON saga_starts (deadline) WHERE status = 'running';

-- Down Migration
DROP TABLE IF EXISTS saga_starts;
