-- Up Migration
CREATE TABLE "order_items" (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX "order_items_created_at_idx" ON "order_items" (created_at DESC);

-- Down Migration
DROP TABLE "order_items";
