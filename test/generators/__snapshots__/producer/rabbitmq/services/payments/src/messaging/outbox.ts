/**
 * Transactional outbox. `recordEvent` inserts the event with the caller's
 * transaction client, so the event exists exactly when the state change
 * committed. The relay publishes pending rows in the order they were
 * written, waits for the broker's confirmation, then stamps them published:
 * a broker outage leaves rows waiting, never lost. A crash between the
 * confirmation and the stamp publishes a row again; consumers apply each
 * message id once, so that is harmless (at-least-once delivery).
 *
 * Each row keeps the trace context of the code that recorded it, and the relay
 * publishes the row in that context: publication and consumption join the
 * trace of the request that caused the event.
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
  pool: Pick<Pool, 'connect'>;
  broker: B;
  routes: readonly OutboxRoute<B>[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  pollIntervalMs: number;
  batchSize?: number;
  /** A publish that takes longer fails (the row is retried later). */
  publishTimeoutMs?: number;
}

interface Row {
  id: string;
  topic: string;
  event_type: string;
  message_key: string | null;
  payload: EventEnvelope<unknown>;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 30_000;

export function startOutboxRelay<B>(options: OutboxRelayOptions<B>): OutboxRelay {
  const { pool, broker, logger, pollIntervalMs, batchSize = 100, publishTimeoutMs = 10_000 } = options;
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
    while (!stopped && (await publishBatch()) === batchSize);
  }

  /** One transaction: lock, read pending rows in order, publish each, stamp it. Returns the rows published. */
  async function publishBatch(): Promise<number> {
    const client = await pool.connect();
    let failed: unknown;
    let published = 0;
    try {
      await client.query('BEGIN');
      // One relay at a time across replicas, so rows leave in the order they were written.
      const lock = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext('archkit.outbox-relay')) AS locked");
      if (!lock.rows[0]?.locked) {
        await client.query('COMMIT');
        return 0;
      }
      if (!checkedRoutes) {
        checkedRoutes = true;
        const unrouted = await client.query<{ topic: string }>(
          'SELECT DISTINCT topic FROM outbox WHERE published_at IS NULL AND NOT (topic = ANY($1::text[]))',
          [[...routes.keys()]],
        );
        for (const { topic } of unrouted.rows) logger.error({ topic }, 'outbox relay: no route for this topic; its rows wait (add it to outbox-routes.ts)');
      }
      const { rows } = await client.query<Row>(
        'SELECT id, topic, event_type, message_key, payload, headers FROM outbox WHERE published_at IS NULL AND topic = ANY($2::text[]) ORDER BY seq LIMIT $1',
        [batchSize, [...routes.keys()]],
      );
      // A topic whose publish failed is held back for the rest of the batch: its
      // later rows must not overtake the failed one. Other topics go on.
      const held = new Set<string>();
      for (const row of rows) {
        if (held.has(row.topic)) continue;
        const route = routes.get(row.topic)!;
        const message: OutboxMessage = { id: row.id, topic: row.topic, type: row.event_type, key: row.message_key, payload: row.payload, headers: row.headers };
        try {
          const recordedIn = propagation.extract(ROOT_CONTEXT, message.headers);
          await withTimeout(context.with(recordedIn, () => route.publish(broker, message)), publishTimeoutMs);
        } catch (error) {
          failed ??= error;
          held.add(row.topic);
          await client.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, String(error instanceof Error ? error.message : error).slice(0, 1000)]);
          continue;
        }
        await client.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [row.id]);
        published++;
      }
      await client.query('COMMIT');
      if (failed !== undefined) throw failed;
      return published;
    } catch (error) {
      if (failed === undefined) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
