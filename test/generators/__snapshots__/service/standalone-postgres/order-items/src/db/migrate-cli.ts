/**
 * `npm run migrate`: create the database if it is missing, then apply pending
 * migrations. `npm run db:create` (`--create-only`) only creates the database.
 */
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { ensureDatabase, migrate } from './migrate.js';

try {
  const config = loadConfig();
  const logger = createLogger(config);
  if (process.argv.includes('--create-only')) {
    const created = await ensureDatabase(config.database.url, logger);
    if (!created) logger.info('database already exists');
  } else {
    await migrate(config.database.url, logger);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
