/**
 * Transactional outbox. `recordEvent` inserts the event with the caller's
 * transaction client, so the event exists exactly when the state change
 * committed.
 *
 * The relay never holds a transaction while it talks to the broker. Each
 * round: (1) a short transaction claims a batch of pending rows for a lease
 * (`FOR UPDATE SKIP LOCKED`, then `claimed_until`), (2) publishes them one by
 * one outside any transaction, each confirmed by the broker, (3) a second
 * short statement stamps the published rows and releases the rest. A slow or
 * unreachable broker pins no pool connection and blocks no writer. Several
 * replicas share the work: a row is claimed by one relay at a time, and a row
 * waits while an earlier row of the same topic and key is claimed elsewhere,
 * so each entity's events leave in the order they were written. A relay that
 * dies (or outlives its lease) leaves its rows to be claimed again: a row can
 * be published twice, never lost; consumers apply each message id once
 * (at-least-once delivery).
 *
 * Each row keeps the trace context of the code that recorded it, and the relay
 * publishes the row in that context: publication and consumption join the
 * trace of the request that caused the event. Polls that find nothing make no
 * spans (the pg instrumentation requires a parent span).
 */
import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger.js';
import type { EventContract, EventEnvelope } from './envelope.js';

export type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface OutboxMessage {
  id: string;
  topic: string;
  type: string;
  key: string | null;
  payload: EventEnvelope<unknown>;
  headers: Record<string, string>;
}

export async function recordEvent<T>(
  db: Queryable,
  topic: string,
  contract: EventContract<T>,
  data: T,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<EventEnvelope<T>> {
  const envelope: EventEnvelope<T> = {
    id: randomUUID(),
    type: contract.type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    data: contract.schema.parse(data),
  };
  await db.query(
    'INSERT INTO outbox (id, topic, event_type, message_key, payload, headers) VALUES ($1, $2, $3, $4, $5, $6)',
    [envelope.id, topic, envelope.type, options.key ?? null, JSON.stringify(envelope), JSON.stringify({ ...activeTraceContext(), ...options.headers })],
  );
  return envelope;
}

/** The W3C trace context headers of the active span (none when tracing is off). */
function activeTraceContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** How rows of one topic are published (see outbox-routes.ts). */
export interface OutboxRoute<B> {
  topic: string;
  publish(broker: B, message: OutboxMessage): Promise<void>;
}

export interface OutboxRelay {
  /** Stops polling and waits for the batch in hand. */
  stop(): Promise<void>;
  /** Polls now instead of at the next interval. */
  wake(): void;
}

export interface OutboxRelayOptions<B> {
  pool: Pick<Pool, 'connect' | 'query'>;
  broker: B;
  routes: readonly OutboxRoute<B>[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  pollIntervalMs: number;
  batchSize?: number;
  /** A publish that takes longer fails (the row is retried later). */
  publishTimeoutMs?: number;
  /** How long a claimed batch belongs to this relay; it publishes no row once the lease could run out before the confirm. */
  leaseMs?: number;
}

interface Row {
  id: string;
  /** bigint, as text. */
  seq: string;
  topic: string;
  event_type: string;
  message_key: string | null;
  payload: EventEnvelope<unknown>;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 30_000;

export function startOutboxRelay<B>(options: OutboxRelayOptions<B>): OutboxRelay {
  const { pool, broker, logger, pollIntervalMs, batchSize = 100, publishTimeoutMs = 10_000 } = options;
  const leaseMs = Math.max(options.leaseMs ?? 60_000, publishTimeoutMs * 2);
  const routes = new Map(options.routes.map((r) => [r.topic, r]));
  let checkedRoutes = false;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(poll, delayMs);
  };

  function poll(): void {
    if (stopped || running) return;
    running = drain()
      .then(() => {
        failures = 0;
      })
      .catch((err: unknown) => {
        failures++;
        logger.warn({ err, failures }, 'outbox relay: publishing failed; rows stay in the outbox and are retried');
      })
      .finally(() => {
        running = undefined;
        schedule(failures === 0 ? pollIntervalMs : Math.min(pollIntervalMs * 2 ** failures, MAX_BACKOFF_MS));
      });
  }

  async function drain(): Promise<void> {
    if (!checkedRoutes) {
      checkedRoutes = true;
      const unrouted = await pool.query<{ topic: string }>(
        'SELECT DISTINCT topic FROM outbox WHERE published_at IS NULL AND NOT (topic = ANY($1::text[]))',
        [[...routes.keys()]],
      );
      for (const { topic } of unrouted.rows) logger.error({ topic }, 'outbox relay: no route for this topic; its rows wait (add it to outbox-routes.ts)');
    }
    while (!stopped) {
      const claimed = await claim();
      if (claimed.rows.length === 0) return;
      await publishClaimed(claimed);
      if (claimed.rows.length < batchSize) return;
    }
  }

  /** Short transaction 1: claim the oldest pending rows no other relay holds, for a lease. */
  async function claim(): Promise<{ token: string; rows: Row[]; deadline: number }> {
    const token = randomUUID();
    const deadline = Date.now() + leaseMs;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Claims are serialised (they take milliseconds) so that two relays never see the same rows as unclaimed.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('archkit.outbox-claim'))");
      const { rows } = await client.query<Row>(
        `UPDATE outbox SET claimed_until = now() + make_interval(secs => $3::double precision / 1000), claim_id = $4
          WHERE id IN (
            SELECT o.id FROM outbox o
             WHERE o.published_at IS NULL AND o.topic = ANY($2::text[])
               AND (o.claimed_until IS NULL OR o.claimed_until < now())
               AND NOT EXISTS (
                 SELECT 1 FROM outbox e
                  WHERE e.published_at IS NULL AND e.topic = o.topic AND e.message_key IS NOT DISTINCT FROM o.message_key
                    AND e.seq < o.seq AND e.claimed_until >= now())
             ORDER BY o.seq LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING id, seq, topic, event_type, message_key, payload, headers`,
        [batchSize, [...routes.keys()], leaseMs, token],
      );
      await client.query('COMMIT');
      rows.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
      return { token, rows, deadline };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Outside any transaction: publish in order, each confirmed; then short transaction 2 stamps and releases. */
  async function publishClaimed({ token, rows, deadline }: { token: string; rows: Row[]; deadline: number }): Promise<void> {
    const published: string[] = [];
    let failed: { id: string; error: unknown } | undefined;
    // After a failure, later rows of the same topic and key must not overtake the failed one: they are released unpublished.
    const held = new Set<string>();
    for (const row of rows) {
      const chain = `${row.topic}\u0000${row.message_key ?? ''}`;
      if (stopped || held.has(chain) || Date.now() + publishTimeoutMs > deadline) {
        held.add(chain);
        continue;
      }
      const route = routes.get(row.topic)!;
      const message: OutboxMessage = { id: row.id, topic: row.topic, type: row.event_type, key: row.message_key, payload: row.payload, headers: row.headers };
      try {
        const recordedIn = propagation.extract(ROOT_CONTEXT, message.headers);
        await withTimeout(context.with(recordedIn, () => route.publish(broker, message)), publishTimeoutMs);
        published.push(row.id);
      } catch (error) {
        held.add(chain);
        if (!failed) failed = { id: row.id, error };
        await pool
          .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, String(error instanceof Error ? error.message : error).slice(0, 1000)])
          .catch(() => undefined);
      }
    }
    await pool.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL, claimed_until = NULL, claim_id = NULL WHERE id = ANY($1::uuid[])', [published]);
    await pool.query('UPDATE outbox SET claimed_until = NULL, claim_id = NULL WHERE claim_id = $1 AND published_at IS NULL', [token]);
    if (failed) throw failed.error;
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    wake() {
      if (!running) schedule(0);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
