import { Pool } from 'pg';
import type { Config } from '../config.js';
import { SERVICE_NAME } from '../config.js';
import type { ReadinessCheck } from '../health/checks.js';
import type { Logger } from '../logger.js';

/** The service's connection pool to its own database. */
export function createPool(config: Config['database'], logger: Logger): Pool {
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: SERVICE_NAME,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => logger.error({ err }, 'idle postgres client error'));
  return pool;
}

export function postgresCheck(pool: Pool): ReadinessCheck {
  return {
    name: 'postgres',
    async check() {
      await pool.query('SELECT 1');
    },
  };
}
