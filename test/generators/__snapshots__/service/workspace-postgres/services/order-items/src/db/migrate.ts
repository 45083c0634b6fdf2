/**
 * Schema migrations: plain SQL files in `migrations/`, applied in name order
 * by node-pg-migrate under a PostgreSQL advisory lock, so that several
 * replicas starting together apply each migration exactly once.
 */
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { Client, escapeIdentifier } from 'pg';
import type { Logger } from '../logger.js';

/** `<root>/migrations`, from both `src/db/` (tsx) and `dist/db/` (node). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const INVALID_CATALOG_NAME = '3D000';
const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the database named in `databaseUrl` when it does not exist yet, by
 * connecting to the server's `postgres` maintenance database. Meant for local
 * development and tests; in production the database already exists and this
 * is a single successful connection. Returns true when it created the database.
 */
export async function ensureDatabase(databaseUrl: string, logger: Logger): Promise<boolean> {
  const probe = new Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if (pgCode(error) !== INVALID_CATALOG_NAME) throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }

  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
    logger.info({ database }, 'created database');
    return true;
  } catch (error) {
    // Another replica created it between our probe and now.
    if (pgCode(error) === DUPLICATE_DATABASE) return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/** Creates the database if needed, then applies every pending migration. */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  await ensureDatabase(databaseUrl, logger);
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    singleTransaction: true,
    checkOrder: true,
    advisoryLockMode: 'wait',
    logger: {
      debug: (msg: string) => logger.debug(msg),
      info: (msg: string) => logger.debug(msg),
      warn: (msg: string) => logger.warn(msg),
      error: (msg: string) => logger.error(msg),
    },
  });
  const names = applied.map((m) => m.name);
  logger.info({ applied: names }, names.length > 0 ? 'migrations applied' : 'database schema up to date');
  return names;
}

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
