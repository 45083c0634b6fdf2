/**
 * gateway: The API gateway: the one door to the services of this workspace
 *
 * Bootstrap: configuration → route table → Redis → upstreams → app → shutdown hooks → listen.
 * Start with `npm start`, which loads ./instrumentation.js first.
 * Generators edit this file: keep the `main` function and its
 * `readinessChecks` and `closers` arrays.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createVerifier } from './gateway/auth.js';
import { loadGatewayConfig } from './gateway/config.js';
import { gatewayPlugin } from './gateway/plugin.js';
import { closeRedis, createRedis, redisCheck, redisConnected } from './gateway/redis.js';
import { resolveRoutes } from './gateway/route.js';
import { createUpstreams, upstreamChecks } from './gateway/upstream.js';
import type { ReadinessCheck } from './health/checks.js';
import { shutdownTracing } from './instrumentation.js';
import { createLogger } from './logger.js';
import { routes } from './routes.js';
import { registerShutdown, type Closer } from './shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const gatewayConfig = loadGatewayConfig();
  const resolved = resolveRoutes(routes, config.services);
  const logger = createLogger(config);

  const redis = createRedis(gatewayConfig.redisUrl, logger, gatewayConfig.rateLimit.failOpen);
  const upstreams = createUpstreams(resolved, gatewayConfig.upstream, logger);

  // Redis is critical only when the gateway cannot serve without it (RATE_LIMIT_FAIL_OPEN=false).
  const { health } = gatewayConfig;
  const readinessChecks: ReadinessCheck[] = [
    redisCheck(redis, { critical: !gatewayConfig.rateLimit.failOpen, details: health.details }),
    ...upstreamChecks(upstreams, { cacheMs: health.cacheMs, details: health.details, logger }),
  ];

  const app = await buildApp({ config, logger, readinessChecks, trustProxy: gatewayConfig.trustProxy });
  await app.register(gatewayPlugin, {
    config: gatewayConfig,
    routes: resolved,
    upstreams,
    verify: createVerifier(gatewayConfig.auth),
    redis,
  });

  // Run in this order on SIGTERM/SIGINT: stop taking requests, then release what they used.
  const closers: Closer[] = [
    { name: 'http', close: () => app.close() },
    { name: 'upstreams', close: async () => upstreams.forEach((upstream) => upstream.close()) },
    { name: 'redis', close: () => closeRedis(redis) },
    { name: 'tracing', close: () => shutdownTracing() },
  ];
  registerShutdown({ closers, logger, timeoutMs: config.shutdownTimeoutMs });

  // Requests counted before Redis answers would be counted in this process only: give it a moment first.
  if (!(await redisConnected(redis, 5000))) logger.warn({}, 'redis not connected yet; taking requests anyway');
  await app.listen({ host: config.host, port: config.port });
  // `/api/orders → orders (http://orders:3000/orders)`: the service, and the URL the prefix becomes there.
  logger.info({ routes: resolved.map((r) => `${r.prefix} → ${r.service} (${r.upstream.replace(/\/+$/, '')}${r.rewritePrefix})`) }, 'gateway routes');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
