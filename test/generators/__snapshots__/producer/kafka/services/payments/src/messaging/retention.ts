/**
 * Retention of the messaging tables, run by the service itself: published
 * outbox rows and inbox ids older than the window (MESSAGING_RETENTION_HOURS)
 * are deleted every MESSAGING_RETENTION_INTERVAL_MS, in batches of `batchSize`
 * rows (short transactions, no long lock), oldest first through an index on
 * the timestamp. Pending outbox rows are never deleted. An inbox id deleted
 * is forgotten: a message redelivered after the window would be applied
 * again, so keep the window longer than any redelivery can take.
 */
import type { Pool } from 'pg';
import type { Logger } from '../logger.js';

export interface Retention {
  stop(): Promise<void>;
}

export interface RetentionOptions {
  pool: Pick<Pool, 'query'>;
  logger: Pick<Logger, 'info' | 'warn'>;
  hours: number;
  intervalMs: number;
  batchSize?: number;
}

/** Each table: what a batch deletes (`$1` the window in hours, `$2` the batch size); a table that does not exist is skipped. */
const TABLES = [
  {
    table: 'outbox',
    sql: `DELETE FROM outbox WHERE id IN (
            SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(hours => $1)
             ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  },
  {
    table: 'inbox',
    sql: `DELETE FROM inbox WHERE (consumer, message_id) IN (
            SELECT consumer, message_id FROM inbox WHERE processed_at < now() - make_interval(hours => $1)
             ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  },
] as const;

export function startRetention(options: RetentionOptions): Retention {
  const { pool, logger, hours, intervalMs, batchSize = 1000 } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function sweep(): Promise<void> {
    for (const { table, sql } of TABLES) {
      const exists = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
      if (!exists.rows[0]?.found) continue;
      let deleted = 0;
      for (;;) {
        const result = await pool.query(sql, [hours, batchSize]);
        deleted += result.rowCount ?? 0;
        if (stopped || (result.rowCount ?? 0) < batchSize) break;
      }
      if (deleted > 0) logger.info({ table, deleted, hours }, 'retention: deleted old rows');
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep()
        .catch((err: unknown) => logger.warn({ err }, 'retention: sweep failed; trying again at the next interval'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
