/**
 * The HTTP application: plugins and routes, built from its dependencies so
 * that tests can pass fakes and call it with `app.inject()`.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { ReadinessCheck } from './health/checks.js';
import { healthRoutes } from './health/routes.js';
import type { OrderItemsRepository } from './resources/order-items.repository.js';
import { orderItemsRoutes } from './resources/order-items.routes.js';

export interface AppDeps {
  config: Config;
  /** Omit for a silent app (tests). */
  logger?: FastifyBaseLogger;
  readinessChecks: readonly ReadinessCheck[];
  /** True once shutdown began: readiness fails and responses close their connection. */
  draining?: () => boolean;
  /**
   * When set, every request but the health probes must carry this secret in
   * `x-gateway-secret` (the gateway adds it), or it is answered 401: only the
   * gateway can call the service, even from inside the network.
   */
  gatewaySecret?: string;
  /** Take the client address from X-Forwarded-For set by these proxies (Fastify `trustProxy`). Default: trust none. */
  trustProxy?: boolean | string;
  orderItemsRepository: OrderItemsRepository;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    trustProxy: deps.trustProxy ?? false,
    // Keep the caller's x-request-id when it looks sane, otherwise make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
  });

  // This service listens on HOST (0.0.0.0 by default) and trusts its callers: identity headers
  // (x-user-*, set by the gateway after it checked the token, removed from what clients send) are
  // true only if nothing but the gateway can reach it. What makes that so: in compose it is on the
  // internal `backend` network alone (no published port; the gateway is the only container on it
  // that is also reachable from outside); and, when GATEWAY_SHARED_SECRET is set, the check below
  // answers 401 to any request without the gateway's secret, from inside the network too. Deployed
  // elsewhere, give it the same isolation (a NetworkPolicy, a private subnet) or set the secret.
  const secret = deps.gatewaySecret === undefined ? undefined : digest(deps.gatewaySecret);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (secret && !request.url.startsWith('/health/')) {
      const sent = request.headers['x-gateway-secret'];
      if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), secret)) {
        return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'requests must come through the gateway' });
      }
    }
    // Shutting down: clients with a kept-alive connection reconnect, to another instance.
    if (deps.draining?.()) reply.header('connection', 'close');
  });

  // Client errors (validation, 404…) keep Fastify's answer; unexpected errors
  // are logged in full but answered without internals.
  app.setErrorHandler((error, request, reply) => {
    if (statusCodeOf(error) < 500) return reply.send(error);
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
  });

  await app.register(healthRoutes, { checks: deps.readinessChecks, ...(deps.draining ? { draining: deps.draining } : {}) });
  await app.register(orderItemsRoutes, { prefix: '/order-items', repository: deps.orderItemsRepository });

  return app;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function statusCodeOf(error: unknown): number {
  const status = typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}
