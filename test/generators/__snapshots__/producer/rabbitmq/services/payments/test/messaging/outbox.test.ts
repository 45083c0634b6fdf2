import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from '../../src/messaging/envelope.js';
import { recordEvent, startOutboxRelay, type OutboxMessage, type OutboxRoute } from '../../src/messaging/outbox.js';

interface Row { id: string; seq: number; topic: string; event_type: string; message_key: string | null; payload: unknown; headers: Record<string, string>; published_at: Date | null; attempts: number; last_error: string | null; claim_id: string | null }

/** An in-memory stand-in for the outbox table, answering the relay's SQL; `inTransaction` tells whether a transaction is open. */
function fakePool(rows: Row[]) {
  const log: string[] = [];
  const state = { inTransaction: false };
  const query = async (sql: string, params: unknown[] = []) => {
    log.push(sql.trim().split(/\s/)[0]!);
    if (sql === 'BEGIN') state.inTransaction = true;
    if (/^(COMMIT|ROLLBACK)/.test(sql)) state.inTransaction = false;
    if (/^(BEGIN|COMMIT|ROLLBACK)/.test(sql) || sql.includes('pg_advisory_xact_lock')) return { rows: [] };
    if (sql.startsWith('SELECT DISTINCT topic')) {
      const known = params[0] as string[];
      return { rows: [...new Set(rows.filter((r) => !r.published_at && !known.includes(r.topic)).map((r) => r.topic))].map((topic) => ({ topic })) };
    }
    if (sql.startsWith('UPDATE outbox SET claimed_until = now() +')) {
      const [limit, topics, , token] = params as [number, string[], number, string];
      const claimed = rows.filter((r) => !r.published_at && !r.claim_id && topics.includes(r.topic)).sort((a, b) => a.seq - b.seq).slice(0, limit);
      for (const r of claimed) r.claim_id = token;
      return { rows: claimed.map((r) => ({ ...r, seq: String(r.seq) })) };
    }
    if (sql.startsWith('UPDATE outbox SET published_at = now()')) {
      for (const r of rows.filter((r) => (params[0] as string[]).includes(r.id))) Object.assign(r, { published_at: new Date(), attempts: r.attempts + 1, last_error: null, claim_id: null });
      return { rows: [] };
    }
    if (sql.startsWith('UPDATE outbox SET claimed_until = NULL')) {
      for (const r of rows.filter((r) => r.claim_id === params[0] && !r.published_at)) r.claim_id = null;
      return { rows: [] };
    }
    const row = rows.find((r) => r.id === params[0])!;
    row.attempts++;
    row.last_error = String(params[1]);
    return { rows: [] };
  };
  const client = { query, release() {} };
  return { pool: { connect: async () => client, query }, log, state };
}

const row = (seq: number, topic = 'orders'): Row => ({ id: `m${seq}`, seq, topic, event_type: 'OrderCreated', message_key: null, payload: { id: `m${seq}` }, headers: {}, published_at: null, attempts: 0, last_error: null, claim_id: null });
const logger = { info() {}, warn() {}, error() {} };
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('outbox', () => {
  it('records a validated event with its envelope', async () => {
    const Sample = defineEvent('Sample', 1, z.object({ id: z.string().min(1) }));
    const calls: unknown[][] = [];
    const envelope = await recordEvent({ query: async (...args: unknown[]) => void calls.push(args) } as never, 'samples', Sample, { id: 'a' });
    expect(envelope).toMatchObject({ type: 'Sample', version: 1, data: { id: 'a' } });
    expect(calls[0]![1]).toEqual([envelope.id, 'samples', 'Sample', null, JSON.stringify(envelope), '{}']);
    await expect(recordEvent({ query: async () => undefined } as never, 'samples', Sample, { id: '' })).rejects.toThrow();
  });

  it('publishes pending rows in order and stamps them', async () => {
    const rows = [row(2), row(1), row(3)];
    const { pool, state } = fakePool(rows);
    const sent: string[] = [];
    const inTransaction: boolean[] = [];
    const route: OutboxRoute<null> = { topic: 'orders', publish: async (_b, m: OutboxMessage) => void (sent.push(m.id), inTransaction.push(state.inTransaction)) };
    const relay = startOutboxRelay({ pool: pool as never, broker: null, routes: [route], logger, pollIntervalMs: 10 });
    await until(() => rows.every((r) => r.published_at));
    await relay.stop();
    expect(sent).toEqual(['m1', 'm2', 'm3']);
    // Claimed in one short transaction, published outside it.
    expect(inTransaction).toEqual([false, false, false]);
    expect(rows.every((r) => r.claim_id === null)).toBe(true);
  });

  it('keeps a row that failed to publish, holds back its topic, and publishes it on a later poll', async () => {
    const rows = [row(1), row(2), row(3, 'payments')];
    const { pool } = fakePool(rows);
    const sent: string[] = [];
    let fail = true;
    const publish = async (_b: null, m: OutboxMessage) => {
      if (fail && m.id === 'm1') throw new Error('broker unreachable');
      sent.push(m.id);
    };
    const relay = startOutboxRelay({ pool: pool as never, broker: null, routes: [{ topic: 'orders', publish }, { topic: 'payments', publish }], logger, pollIntervalMs: 10 });
    await until(() => rows[0]!.attempts > 0);
    expect(rows[0]).toMatchObject({ published_at: null, last_error: 'broker unreachable' });
    expect(rows[1]!.published_at).toBeNull();
    await until(() => rows[2]!.published_at !== null);
    fail = false;
    await until(() => rows.every((r) => r.published_at));
    await relay.stop();
    expect(sent).toEqual(['m3', 'm1', 'm2']);
  });

  it('leaves rows of a topic without a route', async () => {
    const rows = [row(1, 'unknown'), row(2)];
    const { pool } = fakePool(rows);
    const errors: unknown[] = [];
    const relay = startOutboxRelay({ pool: pool as never, broker: null, routes: [{ topic: 'orders', publish: async () => undefined }], logger: { ...logger, error: (o: unknown) => void errors.push(o) }, pollIntervalMs: 10 });
    await until(() => rows[1]!.published_at !== null);
    await relay.stop();
    expect(rows[0]!.published_at).toBeNull();
    expect(errors).toEqual([{ topic: 'unknown' }]);
  });

  it('stop() waits for the publish in hand', async () => {
    const rows = [row(1)];
    const { pool } = fakePool(rows);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const relay = startOutboxRelay({ pool: pool as never, broker: null, routes: [{ topic: 'orders', publish: async () => { started = true; await gate; } }], logger, pollIntervalMs: 10 });
    await until(() => started);
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(rows[0]!.published_at).not.toBeNull();
  });
});
