import { describe, expect, it } from 'vitest';
import { startRetention } from '../../src/messaging/retention.js';

const logger = { info() {}, warn() {} };

/** A stand-in for PostgreSQL: `old` rows per table, deleted `limit` at a time; `missing` tables do not exist. */
function fakePool(old: Record<string, number>, missing: string[] = []) {
  const batches: Array<[table: string, deleted: number]> = [];
  const pool = {
    async query(sql: string, params: unknown[] = []) {
      if (sql.startsWith('SELECT to_regclass')) return { rows: [{ found: !missing.includes(params[0] as string) }], rowCount: 1 };
      const table = /^DELETE FROM (\w+)/.exec(sql)![1]!;
      const deleted = Math.min(old[table] ?? 0, params[1] as number);
      old[table] = (old[table] ?? 0) - deleted;
      batches.push([table, deleted]);
      return { rows: [], rowCount: deleted };
    },
  };
  return { pool, batches };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('retention', () => {
  it('deletes old rows in batches until a batch comes back short', async () => {
    const old = { outbox: 5, inbox: 2 };
    const { pool, batches } = fakePool(old);
    const retention = startRetention({ pool: pool as never, logger, hours: 24, intervalMs: 10, batchSize: 2 });
    await until(() => old.outbox === 0 && old.inbox === 0);
    await retention.stop();
    expect(batches.slice(0, 5)).toEqual([['outbox', 2], ['outbox', 2], ['outbox', 1], ['inbox', 2], ['inbox', 0]]);
  });

  it('skips a table the service does not have', async () => {
    const { pool, batches } = fakePool({ outbox: 1 }, ['inbox']);
    const retention = startRetention({ pool: pool as never, logger, hours: 24, intervalMs: 10 });
    await until(() => batches.length > 0);
    await retention.stop();
    expect(batches.every(([table]) => table === 'outbox')).toBe(true);
  });
});
