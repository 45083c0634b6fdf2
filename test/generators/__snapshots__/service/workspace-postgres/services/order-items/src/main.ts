/**
 * order-items: Keeps order items
 *
 * Bootstrap: configuration → database → app → shutdown hooks → listen.
 * Start with `npm start`, which loads ./instrumentation.js first.
 * Generators (`arch add-consumer`, …) edit this file: keep the `main`
 * function and its `readinessChecks` and `closers` arrays.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createPool, postgresCheck } from './db/pool.js';
import type { ReadinessCheck } from './health/checks.js';
import { shutdownTracing } from './instrumentation.js';
import { createLogger } from './logger.js';
import { createPgOrderItemsRepository } from './resources/order-items.repository.js';
import { registerShutdown, type Closer } from './shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);

  if (config.database.migrateOnStart) await migrate(config.database.url, logger);
  const pool = createPool(config.database, logger);

  const readinessChecks: ReadinessCheck[] = [postgresCheck(pool)];

  // Set on SIGTERM/SIGINT: readiness answers 503 for SHUTDOWN_DRAIN_DELAY_MS before the server closes.
  let draining = false;
  const app = await buildApp({
    config,
    logger,
    readinessChecks,
    draining: () => draining,
    ...(config.gatewaySharedSecret ? { gatewaySecret: config.gatewaySharedSecret } : {}),
    orderItemsRepository: createPgOrderItemsRepository(pool),
  });

  // Run in this order on SIGTERM/SIGINT. Consumers go after `http` (stop
  // taking new work first) and before `postgres` (they still need it to finish).
  const closers: Closer[] = [
    { name: 'http', close: () => app.close() },
    { name: 'postgres', close: () => pool.end() },
    { name: 'tracing', close: () => shutdownTracing() },
  ];
  registerShutdown({
    closers,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    onDrain: () => {
      draining = true;
    },
  });

  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
