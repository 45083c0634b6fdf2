import { describe, expect, it } from 'vitest';
import { pgInbox } from '../../src/messaging/inbox.js';

/** A client whose inbox table is a Set, recording the transaction statements. */
function fakePool() {
  const seen = new Set<string>();
  let pending: string | undefined;
  const statements: string[] = [];
  const client = {
    async query(sql: string, params: string[] = []) {
      statements.push(sql.split(' ')[0]!);
      if (sql.startsWith('INSERT INTO inbox')) {
        const key = params.join('\0');
        if (seen.has(key)) return { rowCount: 0 };
        pending = key;
        return { rowCount: 1 };
      }
      if (sql === 'COMMIT' && pending) seen.add(pending);
      if (sql === 'COMMIT' || sql === 'ROLLBACK') pending = undefined;
      return { rowCount: 0 };
    },
    released: 0,
    release() {
      this.released++;
    },
  };
  return { pool: { connect: async () => client }, client, statements };
}

describe('pgInbox', () => {
  it('runs the work once per message id, in the same transaction as the record', async () => {
    const { pool, client, statements } = fakePool();
    const inbox = pgInbox(pool as never);
    let runs = 0;
    expect(await inbox.processOnce('c', 'm1', async () => void runs++)).toBe('processed');
    expect(await inbox.processOnce('c', 'm1', async () => void runs++)).toBe('duplicate');
    expect(await inbox.processOnce('other', 'm1', async () => void runs++)).toBe('processed');
    expect(runs).toBe(2);
    expect(statements.slice(0, 3)).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    expect(client.released).toBe(3);
  });

  it('rolls back the record when the work throws, so a retry runs it again', async () => {
    const { pool, statements } = fakePool();
    const inbox = pgInbox(pool as never);
    await expect(inbox.processOnce('c', 'm1', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(statements.at(-1)).toBe('ROLLBACK');
    expect(await inbox.processOnce('c', 'm1', async () => undefined)).toBe('processed');
  });
});
