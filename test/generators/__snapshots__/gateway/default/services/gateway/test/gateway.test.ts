import { setTimeout as sleep } from 'node:timers/promises';
import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createVerifier } from '../src/gateway/auth.js';
import { loadGatewayConfig } from '../src/gateway/config.js';
import { gatewayPlugin } from '../src/gateway/plugin.js';
import { resolveRoutes, type GatewayRoute } from '../src/gateway/route.js';
import { closeRedis, redisCheck } from '../src/gateway/redis.js';
import { createUpstreams, upstreamChecks } from '../src/gateway/upstream.js';
import { testEnv } from './env.js';
import { AUDIENCE, createTestKeys, ISSUER, unsignedToken, type TestKeys } from './tokens.js';

// A real upstream on a free port: it echoes what it received and can fail or be slow on demand.
let upstream: FastifyInstance;
let upstreamUrl: string;
let hits = 0;
let readyHits = 0;
let seenExpect: string | undefined;
let keys: TestKeys;
let releaseSlow: () => void = () => {};
let slowAnswered = false;

beforeAll(async () => {
  keys = await createTestKeys();
  upstream = fastify();
  upstream.addHook('onRequest', async () => {
    hits++;
  });
  upstream.all('/orders', async (request) => ({ method: request.method, url: request.url, headers: request.headers }));
  upstream.all('/orders/*', async (request) => ({ method: request.method, url: request.url, headers: request.headers }));
  upstream.post('/orders/upload', async (request) => {
    seenExpect = request.headers.expect;
    return { received: request.body };
  });
  upstream.get('/orders/fail', async (_request, reply) => reply.code(500).send({ message: 'boom' }));
  // Answers only once the test lets it (`releaseSlow`), so "slower than the timeout" needs no clock.
  upstream.get('/orders/slow', async () => {
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    slowAnswered = true;
    return { late: true };
  });
  upstream.get('/health/ready', async () => {
    readyHits++;
    return { status: 'ok' };
  });
  upstreamUrl = await upstream.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await upstream.close();
});

let gateway: FastifyInstance | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const defaultRoutes: GatewayRoute[] = [
  { service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', roles: ['buyer', 'admin'] },
  { service: 'orders', prefix: '/api/catalogue', rewritePrefix: '/orders', public: true },
  { service: 'orders', prefix: '/api/limited', rewritePrefix: '/orders', public: true, rateLimit: { max: 2, windowMs: 60_000 } },
  { service: 'orders', prefix: '/api/quick', rewritePrefix: '/orders', public: true, timeoutMs: 100 },
  { service: 'orders', prefix: '/api/guarded', rewritePrefix: '/orders', rateLimit: { max: 2, windowMs: 60_000 } },
];

/** A Redis client that can never connect (nothing listens on port 1): the rate limiter's Redis is away. */
function unreachableRedis(): Redis {
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
}

async function start(routes: GatewayRoute[] = defaultRoutes, env: Record<string, string> = {}, logger?: FastifyBaseLogger, redis: Redis | null = null): Promise<FastifyInstance> {
  const vars = {
    ...testEnv,
    ORDERS_SERVICE_URL: upstreamUrl,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_ALGORITHMS: 'RS256',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    REDIS_URL: 'redis://127.0.0.1:6379',
    BODY_LIMIT_BYTES: '1024',
    BREAKER_VOLUME_THRESHOLD: '2',
    BREAKER_RESET_TIMEOUT_MS: '500',
    ...env,
  };
  const config = loadConfig(vars);
  const gatewayConfig = loadGatewayConfig(vars);
  const resolved = resolveRoutes(routes, config.services);
  const upstreams = createUpstreams(resolved, gatewayConfig.upstream);
  const { health } = gatewayConfig;
  const readinessChecks = [
    ...(redis ? [redisCheck(redis, { critical: !gatewayConfig.rateLimit.failOpen, details: health.details })] : []),
    ...upstreamChecks(upstreams, { cacheMs: health.cacheMs, details: health.details }),
  ];
  gateway = await buildApp({ config, logger, readinessChecks });
  await gateway.register(gatewayPlugin, { config: gatewayConfig, routes: resolved, upstreams, verify: createVerifier(gatewayConfig.auth), redis });
  gateway.addHook('onClose', async () => {
    upstreams.forEach((u) => u.close());
    if (redis) await closeRedis(redis);
  });
  return gateway;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authentication', () => {
  it('answers 401 without a token (or with another scheme) with a bare bearer challenge: no error code (RFC 6750)', async () => {
    const app = await start();
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }]) {
      const res = await app.inject({ url: '/api/orders/1', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('answers a bad token with invalid_token and a generic description; the reason goes to the log only', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = await start(defaultRoutes, {}, logger);
    const expired = await keys.sign({ roles: ['buyer'] }, { expiresIn: '-1m' });
    const res = await app.inject({ url: '/api/orders/1', headers: { ...bearer(expired), 'x-request-id': 'req-expired' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="invalid token"');
    expect(res.json().message).toBe('invalid token');
    expect(res.body).not.toMatch(/exp/);
    expect(lines.find((line) => line.reqId === 'req-expired' && line.msg === 'token rejected')?.reason).toMatch(/exp/);
  });

  it('answers 401 to unsigned, forged, expired, foreign and subject-less tokens', async () => {
    const app = await start();
    const bad = [
      unsignedToken({ roles: ['admin'] }),
      await keys.forge({ roles: ['admin'] }),
      await keys.sign({ roles: ['admin'] }, { expiresIn: '-1m' }),
      await keys.sign({ roles: ['admin'] }, { issuer: 'https://evil.test/' }),
      await keys.sign({ roles: ['admin'] }, { audience: 'another-api' }),
      await keys.sign({ roles: ['admin'] }, { subject: null }),
      'not-a-jwt',
    ];
    for (const token of bad) {
      const res = await app.inject({ url: '/api/orders/1', headers: bearer(token) });
      expect(res.statusCode, token).toBe(401);
    }
    expect((await app.inject({ url: '/api/orders/1', headers: { authorization: 'Basic dXNlcjpwYXNz' } })).statusCode).toBe(401);
  });

  it('stops accepting a token once it expires, even one it accepted (and remembered) before', async () => {
    const app = await start(defaultRoutes, { JWT_CLOCK_TOLERANCE_S: '0' });
    const token = await keys.sign({ roles: ['buyer'] }, { expiresIn: '2s' });
    expect((await app.inject({ url: '/api/orders/1', headers: bearer(token) })).statusCode).toBe(200);
    await sleep(2100);
    expect((await app.inject({ url: '/api/orders/1', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('answers 403 to a valid token without a required role', async () => {
    const res = await (await start()).inject({ url: '/api/orders/1', headers: bearer(await keys.sign({ roles: ['viewer'] })) });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('buyer');
  });

  it('checks scopes: every listed scope is needed', async () => {
    const app = await start([{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', scopes: ['orders:read', 'orders:write'] }]);
    const some = await app.inject({ url: '/api/orders/1', headers: bearer(await keys.sign({ scope: 'orders:read' })) });
    expect(some.statusCode).toBe(403);
    const all = await app.inject({ url: '/api/orders/1', headers: bearer(await keys.sign({ scope: 'orders:read orders:write' })) });
    expect(all.statusCode).toBe(200);
  });

  it('lets a public route through without a token', async () => {
    const res = await (await start()).inject('/api/catalogue/items');
    expect(res.statusCode).toBe(200);
    expect(res.json().headers['x-user-id']).toBeUndefined();
  });
});

describe('forwarding', () => {
  it('rewrites the path and sets identity, request id and forwarding headers; client identity headers never pass', async () => {
    const token = await keys.sign({ roles: ['buyer'], scope: 'orders:read' }, { subject: 'user-42' });
    const res = await (await start()).inject({
      url: '/api/orders/7?expand=lines',
      headers: { ...bearer(token), 'x-user-id': 'admin', 'x-user-roles': 'admin', 'x-user-tenant': 'other', 'x-request-id': 'req-1' },
    });
    expect(res.statusCode).toBe(200);
    const seen = res.json();
    expect(seen.url).toBe('/orders/7?expand=lines');
    expect(seen.headers['x-user-id']).toBe('user-42');
    expect(seen.headers['x-user-roles']).toBe('buyer');
    expect(seen.headers['x-user-scopes']).toBe('orders:read');
    expect(seen.headers['x-user-tenant']).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-request-id']).toBe('req-1');
    expect(seen.headers['x-forwarded-for']).toBeDefined();
    expect(res.headers['x-request-id']).toBe('req-1');
  });

  it("sends GATEWAY_SHARED_SECRET in x-gateway-secret, never a client's own, and nothing without it", async () => {
    const token = await keys.sign({ roles: ['buyer'] }, { subject: 'user-42' });
    const headers = { ...bearer(token), 'x-gateway-secret': 'forged-by-the-client' };
    const withSecret = await (await start(defaultRoutes, { GATEWAY_SHARED_SECRET: 'a-secret-of-16-chars+' })).inject({ url: '/api/orders/7', headers });
    expect(withSecret.json().headers['x-gateway-secret']).toBe('a-secret-of-16-chars+');
    const without = await (await start()).inject({ url: '/api/orders/7', headers });
    expect(without.json().headers['x-gateway-secret']).toBeUndefined();
  });

  it('drops the headers a client names in Connection (hop-by-hop)', async () => {
    const token = await keys.sign({ roles: ['buyer'] });
    const res = await (await start()).inject({ url: '/api/orders/1', headers: { ...bearer(token), connection: 'x-secret', 'x-secret': 'hop' } });
    expect(res.json().headers['x-secret']).toBeUndefined();
  });

  it("drops the upstream's own connection headers from the answer", async () => {
    const res = await (await start()).inject('/api/catalogue/items');
    expect(res.statusCode).toBe(200);
    expect(res.headers['keep-alive']).toBeUndefined();
  });

  it('answers 413 to a body over the limit, before the upstream sees it', async () => {
    const before = hits;
    const res = await (await start()).inject({ method: 'POST', url: '/api/catalogue/items', payload: 'x'.repeat(2048), headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(413);
    expect(hits).toBe(before);
  });
});

describe('rate limiting', () => {
  it('counts refused requests too: bad tokens are limited like any other request (by address)', async () => {
    const app = await start();
    const forged = bearer(await keys.forge({ roles: ['admin'] }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ url: '/api/guarded/1', headers: forged })).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    // Without a token at all, from the same address: the same counter.
    expect((await app.inject('/api/guarded/1')).statusCode).toBe(429);
  });

  it('keeps one counter per route: the prefix itself, every path under it and every method share it', async () => {
    const app = await start();
    const statuses = [
      (await app.inject('/api/limited')).statusCode,
      (await app.inject({ method: 'POST', url: '/api/limited/7', payload: {} })).statusCode,
      (await app.inject('/api/limited/8')).statusCode,
    ];
    expect(statuses).toEqual([200, 200, 429]);
    // Another route of the same service has its own counter.
    expect((await app.inject('/api/catalogue/items')).statusCode).toBe(200);
  });

  it('fails open without Redis: counts in this process instead, and stays ready', async () => {
    const app = await start(defaultRoutes, { RATE_LIMIT_FAIL_OPEN: 'true' }, undefined, unreachableRedis());
    expect([(await app.inject('/api/limited/1')).statusCode, (await app.inject('/api/limited/2')).statusCode, (await app.inject('/api/limited/3')).statusCode]).toEqual([200, 200, 429]);
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.redis).toEqual({ status: 'error', error: 'unavailable' });
  });

  it('fails closed without Redis when told to: 503 to requests and to /health/ready', async () => {
    const app = await start(defaultRoutes, { RATE_LIMIT_FAIL_OPEN: 'false' }, undefined, unreachableRedis());
    const res = await app.inject('/api/catalogue/items');
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/rate limiting is unavailable/);
    expect((await app.inject('/health/ready')).statusCode).toBe(503);
  });

  it('answers 429 with Retry-After once a client (here: its IP) passes the route limit', async () => {
    const app = await start();
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await app.inject('/api/limited/items');
      statuses.push(res.statusCode);
      retryAfter = res.headers['retry-after'];
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('counts per client: a token subject has its own budget', async () => {
    const app = await start();
    const alice = bearer(await keys.sign({}, { subject: 'alice' }));
    const bob = bearer(await keys.sign({}, { subject: 'bob' }));
    for (let i = 0; i < 2; i++) expect((await app.inject({ url: '/api/limited/x', headers: alice })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/limited/x', headers: alice })).statusCode).toBe(429);
    expect((await app.inject({ url: '/api/limited/x', headers: bob })).statusCode).toBe(200);
  });
});

describe('resilience', () => {
  it('answers 504 when the upstream is slower than the route timeout', async () => {
    try {
      const res = await (await start()).inject('/api/quick/slow');
      expect(res.statusCode).toBe(504);
      // The gateway gave up at the route's timeout, while the upstream still had not answered.
      expect(slowAnswered).toBe(false);
    } finally {
      releaseSlow();
    }
  });

  it('opens the breaker after failures and answers 503 without calling the upstream, then closes again', async () => {
    const app = await start([{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', public: true }]);
    expect((await app.inject('/api/orders/fail')).statusCode).toBe(500);
    expect((await app.inject('/api/orders/fail')).statusCode).toBe(500);
    const before = hits;
    const open = await app.inject('/api/orders/1');
    expect(open.statusCode).toBe(503);
    expect(open.json().message).toContain('circuit open');
    expect(open.headers['retry-after']).toBe('1');
    expect(hits).toBe(before);

    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks['upstream:orders']).toEqual({ status: 'error', error: 'unavailable' });

    await sleep(600);
    expect((await app.inject('/api/orders/1')).statusCode).toBe(200);
    expect((await app.inject('/api/orders/1')).statusCode).toBe(200);
  });

  it('forwards a request with Expect: 100-continue without it, and such requests never open the breaker', async () => {
    const app = await start([{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', public: true }]);
    for (let i = 0; i < 4; i++) {
      seenExpect = 'not called';
      const res = await app.inject({ method: 'POST', url: '/api/orders/upload', headers: { expect: '100-continue', 'content-type': 'application/json' }, payload: { n: i } });
      expect(res.statusCode, res.body).toBe(200);
      expect(seenExpect).toBeUndefined();
    }
    expect((await app.inject('/api/orders/1')).statusCode).toBe(200);
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const app = await start([{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', public: true }], {
      ORDERS_SERVICE_URL: 'http://127.0.0.1:9',
    });
    const res = await app.inject('/api/orders/1');
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toContain('orders');
  });

  it('reports each upstream in /health/ready', async () => {
    const res = await (await start()).inject('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual({ 'upstream:orders': { status: 'ok' } });
  });
});

describe('/health/ready in public', () => {
  it("reuses each upstream's answer for HEALTH_CACHE_MS: a burst of probes makes one call upstream", async () => {
    const app = await start(defaultRoutes, { HEALTH_CACHE_MS: '60000' });
    const before = readyHits;
    for (let i = 0; i < 5; i++) expect((await app.inject('/health/ready')).statusCode).toBe(200);
    expect(readyHits - before).toBe(1);
  });

  it('asks the upstream every time with HEALTH_CACHE_MS=0', async () => {
    const app = await start(defaultRoutes, { HEALTH_CACHE_MS: '0' });
    const before = readyHits;
    for (let i = 0; i < 3; i++) await app.inject('/health/ready');
    expect(readyHits - before).toBe(3);
  });

  it('says only up or down, unless HEALTH_DETAILS=true', async () => {
    const routes: GatewayRoute[] = [{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders', public: true }];
    const down = { ORDERS_SERVICE_URL: 'http://127.0.0.1:9' };
    const quiet = await (await start(routes, down)).inject('/health/ready');
    expect(quiet.json().checks['upstream:orders']).toEqual({ status: 'error', error: 'unavailable' });
    await gateway?.close();
    const detailed = await (await start(routes, { ...down, HEALTH_DETAILS: 'true' })).inject('/health/ready');
    expect(detailed.json().checks['upstream:orders'].error).not.toBe('unavailable');
  });

  it('is rate limited per client address (HEALTH_RATE_LIMIT_MAX a minute)', async () => {
    const app = await start(defaultRoutes, { HEALTH_RATE_LIMIT_MAX: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject('/health/ready')).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    // Liveness stays free.
    expect((await app.inject('/health/live')).statusCode).toBe(200);
  });
});

describe('request logs', () => {
  const capture = (level: string) => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines: (reqId: string) => lines.filter((line) => line.reqId === reqId) };
  };

  it('writes one access line per proxied request at info', async () => {
    const { logger, lines } = capture('info');
    const app = await start(defaultRoutes, {}, logger);
    expect((await app.inject({ url: '/api/catalogue/items', headers: { 'x-request-id': 'req-ok' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/orders/1', headers: { 'x-request-id': 'req-denied' } })).statusCode).toBe(401);
    expect(lines('req-ok')).toEqual([
      expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ method: 'GET', url: '/api/catalogue/items' }), res: { statusCode: 200 } }),
    ]);
    expect(lines('req-denied')).toEqual([expect.objectContaining({ msg: 'request completed', res: { statusCode: 401 } })]);
  });

  it("keeps Fastify's and the proxy's own lines at debug", async () => {
    const { logger, lines } = capture('debug');
    const app = await start(defaultRoutes, {}, logger);
    await app.inject({ url: '/api/catalogue/items', headers: { 'x-request-id': 'req-debug' } });
    expect(lines('req-debug').map((line) => line.msg)).toEqual(['incoming request', 'fetching from remote server', 'response received', 'request completed']);
  });
});
