/**
 * Idempotent consumption: a message's id is recorded in the same
 * transaction as the handler's work. A redelivered message finds its id
 * and is skipped; a handler that throws rolls both back, so the retry
 * starts clean. Acknowledge the message only after `processOnce` resolved.
 */
import type { Pool, PoolClient } from 'pg';

export interface Inbox {
  processOnce(consumer: string, messageId: string, work: (db: PoolClient) => Promise<void>): Promise<'processed' | 'duplicate'>;
}

export function pgInbox(pool: Pick<Pool, 'connect'>): Inbox {
  return {
    async processOnce(consumer, messageId, work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [consumer, messageId],
        );
        if (inserted.rowCount === 0) {
          await client.query('COMMIT');
          return 'duplicate';
        }
        await work(client);
        await client.query('COMMIT');
        return 'processed';
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
