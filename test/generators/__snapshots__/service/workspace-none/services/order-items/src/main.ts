/**
 * order-items: Keeps order items
 *
 * Bootstrap: configuration → app → shutdown hooks → listen.
 * Start with `npm start`, which loads ./instrumentation.js first.
 * Generators (`arch add-consumer`, …) edit this file: keep the `main`
 * function and its `readinessChecks` and `closers` arrays.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import type { ReadinessCheck } from './health/checks.js';
import { shutdownTracing } from './instrumentation.js';
import { createLogger } from './logger.js';
import { registerShutdown, type Closer } from './shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);

  const readinessChecks: ReadinessCheck[] = [];

  // Set on SIGTERM/SIGINT: readiness answers 503 for SHUTDOWN_DRAIN_DELAY_MS before the server closes.
  let draining = false;
  const app = await buildApp({
    config,
    logger,
    readinessChecks,
    draining: () => draining,
    ...(config.gatewaySharedSecret ? { gatewaySecret: config.gatewaySharedSecret } : {}),
  });

  // Run in this order on SIGTERM/SIGINT. Consumers go after `http` (stop
  // taking new work first).
  const closers: Closer[] = [
    { name: 'http', close: () => app.close() },
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
