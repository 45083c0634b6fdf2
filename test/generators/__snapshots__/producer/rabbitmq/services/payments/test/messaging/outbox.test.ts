import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from '../../src/messaging/envelope.js';
import { recordEvent, startOutboxRelay, type OutboxMessage, type OutboxRoute } from '../../src/messaging/outbox.js';

interface Row { id: string; seq: number; topic: string; event_type: string; message_key: string | null; payload: unknown; headers: Record<string, string>; published_at: Date | null; attempts: number; last_error: string | null }

/** An in-memory stand-in for the outbox table, answering the relay's SQL. */
function fakePool(rows: Row[]) {
  const log: string[] = [];
  const client = {
    async query(sql: string, params: unknown[] = []) {
      log.push(sql.split(' ')[0]!);
      if (/^(BEGIN|COMMIT|ROLLBACK)/.test(sql)) return { rows: [] };
      if (sql.includes('pg_try_advisory_xact_lock')) return { rows: [{ locked: true }] };
      if (sql.startsWith('SELECT DISTINCT topic')) {
        const known = params[0] as string[];
        return { rows: [...new Set(rows.filter((r) => !r.published_at && !known.includes(r.topic)).map((r) => r.topic))].map((topic) => ({ topic })) };
      }
      if (sql.startsWith('SELECT id')) {
        const [limit, topics] = params as [number, string[]];
        return { rows: rows.filter((r) => !r.published_at && topics.includes(r.topic)).sort((a, b) => a.seq - b.seq).slice(0, limit) };
      }
      const row = rows.find((r) => r.id === params[0])!;
      row.attempts++;
      if (sql.includes('published_at = now()')) row.published_at = new Date();
      else row.last_error = String(params[1]);
      return { rows: [] };
    },
    release() {},
  };
  return { pool: { connect: async () => client }, log };
}

const row = (seq: number, topic = 'orders'): Row => ({ id: `m${seq}`, seq, topic, event_type: 'OrderCreated', message_key: null, payload: { id: `m${seq}` }, headers: {}, published_at: null, attempts: 0, last_error: null });
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
    const { pool } = fakePool(rows);
    const sent: string[] = [];
    const route: OutboxRoute<null> = { topic: 'orders', publish: async (_b, m: OutboxMessage) => void sent.push(m.id) };
    const relay = startOutboxRelay({ pool: pool as never, broker: null, routes: [route], logger, pollIntervalMs: 10 });
    await until(() => rows.every((r) => r.published_at));
    await relay.stop();
    expect(sent).toEqual(['m1', 'm2', 'm3']);
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
