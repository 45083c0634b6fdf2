/**
 * End to end, the API gateway against real Redis and PostgreSQL: a workspace
 * with `orders`, `payments` and the gateway, generated with the built bins,
 * installed once (Node 22), type-checked, tested, started (two gateway
 * processes sharing Redis). Then: 401 without a token, with a forged one, an
 * unsigned one and an algorithm-confusion one; 403 without the role the
 * user's route edit asks for; 200 with the upstream's answer and the identity
 * headers set by the gateway (the client's own never pass); with tracing on,
 * the client's trace continued through the gateway's spans to the upstream; one rate limit
 * across both gateways; with an upstream stopped, 503 at once once its
 * breaker is open, and 200 again after it is back.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from '../helpers/scratch.js';
import { SPAN_KIND, descendsFrom, expectTypechecks, freePort, getJson, installAndBuild, npm, psql, requireServer, runBin, shopWorkspace, startOtlpSink, startService, waitFor } from '../helpers/e2e.js';

const hasServers = (await requireServer('PostgreSQL', 5432)) && (await requireServer('Redis', 6379));
const work = mkdtempSync(path.join(tmpdir(), 'archkit-gw-'));
const ws = path.join(work, 'shop');
const id = `${process.pid}`;
// Its databases, removed afterwards (test/helpers/scratch.ts).
const servers = scratch('gw');
const db = { orders: servers.database('orders'), payments: servers.database('payments') };
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'shop-api';
const RATE_LIMIT = 6;
const TIMEOUT_MS = 5000;

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with `key` (RS256), HS256 with `secret`, or unsigned (`alg: none`). */
function token(claims: Record<string, unknown>, how: { key?: KeyObject; hs256Secret?: string; none?: boolean } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const alg = how.none ? 'none' : how.hs256Secret !== undefined ? 'HS256' : 'RS256';
  const input = `${b64({ alg, typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...claims })}`;
  if (how.none) return `${input}.`;
  const signature = how.hs256Secret !== undefined ? createHmac('sha256', how.hs256Secret).update(input).digest() : sign('sha256', Buffer.from(input), how.key ?? keys.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/** The address this test's requests without a valid token come from (their rate-limit key). */
const CLIENT_ADDRESS = `fd00::${process.pid.toString(16)}:1`;

const subject = (() => {
  let n = 0;
  return (what: string) => `${what}-${id}-${++n}`;
})();

const ports = { orders: 0, payments: 0, gatewayA: 0, gatewayB: 0, gatewayTraced: 0 };
const children: Record<string, ResultPromise | undefined> = {};

function start(name: keyof typeof ports, extra: Record<string, string> = {}): ResultPromise {
  const service = name.startsWith('gateway') ? 'gateway' : name;
  const env: Record<string, string> = { PORT: String(ports[name]) };
  if (name === 'orders' || name === 'payments') env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${db[name]}`;
  else {
    Object.assign(env, {
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_ALGORITHMS: 'RS256',
      JWT_PUBLIC_KEY: publicPem,
      ORDERS_SERVICE_URL: `http://127.0.0.1:${ports.orders}`,
      PAYMENTS_SERVICE_URL: `http://127.0.0.1:${ports.payments}`,
      RATE_LIMIT_MAX: String(RATE_LIMIT),
      RATE_LIMIT_WINDOW_MS: '60000',
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      BREAKER_VOLUME_THRESHOLD: '3',
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_TIMEOUT_MS: '2000',
      // Requests without a token are counted by address: this test's own (X-Forwarded-For), not the machine's.
      TRUST_PROXY: 'true',
    });
  }
  const child = startService(ws, service, { ...env, ...extra });
  children[name] = child;
  return child;
}

const ready = (name: keyof typeof ports) =>
  waitFor(async () => ((await getJson(`http://127.0.0.1:${ports[name]}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 40_000, `${name} ready`);

async function stop(name: keyof typeof ports): Promise<void> {
  const child = children[name];
  child?.kill('SIGTERM');
  await child;
  children[name] = undefined;
}

const gw = (which: 'gatewayA' | 'gatewayB' | 'gatewayTraced', rest: string) => `http://127.0.0.1:${ports[which]}${rest}`;
const call = (url: string, bearer?: string, init: RequestInit = {}) =>
  getJson(url, { ...init, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(init.headers as Record<string, string> | undefined) } });

beforeAll(async () => {
  if (!hasServers) return;
  await servers.setUp();
  await shopWorkspace(work, ['orders', 'payments']);
  const gateway = await runBin('arch', ['add-gateway', '--yes', '--no-install'], { cwd: ws });
  expect(gateway.exitCode, String(gateway.stderr)).toBe(0);

  // The user's edits: payments needs the billing role; orders answers with the headers it received.
  const table = path.join(ws, 'services/gateway/src/routes.ts');
  const routes = readFileSync(table, 'utf8');
  const entry = "{ service: 'payments', prefix: '/api/payments', rewritePrefix: '/payments' }";
  expect(routes).toContain(entry);
  writeFileSync(table, routes.replace(entry, "{ service: 'payments', prefix: '/api/payments', rewritePrefix: '/payments', roles: ['billing'] }"));
  const app = path.join(ws, 'services/orders/src/app.ts');
  const appText = readFileSync(app, 'utf8');
  expect(appText).toContain('\n  return app;\n}');
  writeFileSync(app, appText.replace('\n  return app;\n}', "\n  app.get('/orders/whoami', async (request) => ({ headers: request.headers }));\n\n  return app;\n}"));

  await installAndBuild(ws);

  for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort();
  start('orders');
  start('payments');
  await Promise.all([ready('orders'), ready('payments')]);
  start('gatewayA');
  start('gatewayB');
  await Promise.all([ready('gatewayA'), ready('gatewayB')]);
}, 600_000);

afterAll(async () => {
  for (const child of Object.values(children)) child?.kill('SIGKILL');
  if (hasServers) {
    // The rate-limit counters of this test's subjects and address in the shared Redis.
    const keys: string[] = [];
    for (const pattern of [`*-${id}-*`, `*${CLIENT_ADDRESS}*`]) keys.push(...String((await execa('redis-cli', ['--scan', '--pattern', pattern], { reject: false })).stdout).split('\n').filter(Boolean));
    if (keys.length > 0) await execa('redis-cli', ['del', ...keys], { reject: false });
  }
  rmSync(work, { recursive: true, force: true });
  if (hasServers) await servers.tearDown();
});

describe.skipIf(!hasServers)('the gateway in front of orders and payments', () => {
  it('type-checks and passes its own tests', async () => {
    await expectTypechecks(ws);
    const tests = await npm(ws, ['test', '--workspace', 'gateway']);
    expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/gateway\.test\.ts/);
  });

  it('reports Redis and every upstream in /health/ready', async () => {
    const { status, body } = await getJson(gw('gatewayA', '/health/ready'));
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', checks: { redis: { status: 'ok' }, 'upstream:orders': { status: 'ok' }, 'upstream:payments': { status: 'ok' } } });
  });

  it('answers 401 without a token, and to forged, unsigned and algorithm-confused tokens', async () => {
    const claims = { sub: subject('intruder'), roles: ['billing'] };
    const from = { headers: { 'x-forwarded-for': CLIENT_ADDRESS } };
    expect((await call(gw('gatewayA', '/api/orders'), undefined, from)).status).toBe(401);
    for (const bad of [token(claims, { key: otherKeys.privateKey }), token(claims, { none: true }), token(claims, { hs256Secret: publicPem })]) {
      expect((await call(gw('gatewayA', '/api/payments'), bad, from)).status).toBe(401);
    }
  });

  it('answers 403 to a valid token without the role, 200 with it', async () => {
    expect((await call(gw('gatewayA', '/api/payments'), token({ sub: subject('viewer'), roles: ['viewer'] }))).status).toBe(403);
    const allowed = await call(gw('gatewayA', '/api/payments'), token({ sub: subject('clerk'), roles: ['billing'] }));
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ items: [] });
  });

  it("proxies to the upstream, whose database gets the write, with the gateway's identity headers only", async () => {
    const user = subject('buyer');
    const bearer = token({ sub: user, roles: ['buyer'], scope: 'orders:write' });
    const created = await call(gw('gatewayB', '/api/orders'), bearer, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'book' }) });
    expect(created.status).toBe(201);
    const orderId = (created.body as { id: string }).id;
    expect(await psql(db.orders, `SELECT name FROM orders WHERE id = '${orderId}'`)).toBe('book');

    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const seen = await call(gw('gatewayA', '/api/orders/whoami'), bearer, { headers: { 'x-user-id': 'admin', 'x-user-roles': 'admin', 'x-request-id': `req-${id}`, traceparent } });
    expect(seen.status).toBe(200);
    const headers = (seen.body as { headers: Record<string, string> }).headers;
    expect(headers['x-user-id']).toBe(user);
    expect(headers['x-user-roles']).toBe('buyer');
    expect(headers['x-user-scopes']).toBe('orders:write');
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-request-id']).toBe(`req-${id}`);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    // Tracing is off in this gateway: the client's trace context goes on unchanged.
    expect(headers.traceparent).toBe(traceparent);
  });

  it("continues the client's trace to the upstream and exports its own spans (tracing on)", async () => {
    const sink = await startOtlpSink();
    try {
      start('gatewayTraced', { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
      await ready('gatewayTraced');
      const traceId = randomBytes(16).toString('hex');
      const parentId = randomBytes(8).toString('hex');
      const seen = await call(gw('gatewayTraced', '/api/orders/whoami'), token({ sub: subject('traced') }), { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
      expect(seen.status).toBe(200);
      // The upstream is called in the same trace, from a span of the gateway's own.
      const [, upstreamTrace, upstreamParent] = (seen.body as { headers: Record<string, string> }).headers.traceparent?.split('-') ?? [];
      expect(upstreamTrace).toBe(traceId);
      expect(upstreamParent).not.toBe(parentId);
      const spans = await waitFor(async () => {
        const ours = sink.spans.filter((s) => s.traceId === traceId);
        return ours.some((s) => s.spanId === upstreamParent) && ours.some((s) => s.kind === SPAN_KIND.server) ? ours : undefined;
      }, 15_000, "the gateway's spans exported");
      const server = spans.find((s) => s.kind === SPAN_KIND.server)!;
      expect(server.parentSpanId).toBe(parentId);
      const outbound = spans.find((s) => s.spanId === upstreamParent)!;
      expect(outbound.kind).toBe(SPAN_KIND.client);
      expect(descendsFrom(outbound, server, spans)).toBe(true);
    } finally {
      await stop('gatewayTraced');
      await sink.close();
    }
  });

  it('enforces one rate limit across both gateway processes (Redis)', async () => {
    const bearer = token({ sub: subject('busy'), roles: ['buyer'] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < RATE_LIMIT + 2; i++) {
      const response = await fetch(gw(i % 2 === 0 ? 'gatewayA' : 'gatewayB', '/api/orders'), { headers: { authorization: `Bearer ${bearer}` } });
      await response.body?.cancel();
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(200), 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('fails fast with 503 once the breaker of a stopped upstream opens, and recovers after it is back', async () => {
    await stop('payments');
    const clerk = () => token({ sub: subject('clerk'), roles: ['billing'] });
    // 502 while the breaker counts the failures (earlier successes are in its window too), then open.
    const statuses: number[] = [];
    while (statuses.length < 6 && statuses.at(-1) !== 503) statuses.push((await call(gw('gatewayA', '/api/payments'), clerk())).status);
    expect(statuses.at(-1)).toBe(503);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([502]));

    const started = Date.now();
    const open = await call(gw('gatewayA', '/api/payments'), clerk());
    const elapsed = Date.now() - started;
    expect(open.status).toBe(503);
    expect((open.body as { message: string }).message).toContain('circuit open');
    expect(elapsed).toBeLessThan(TIMEOUT_MS / 5);
    const health = await getJson(gw('gatewayA', '/health/ready'));
    expect(health.status).toBe(200);
    // In public, only up or down (HEALTH_DETAILS=true would say why).
    expect(health.body).toMatchObject({ checks: { 'upstream:payments': { status: 'error', error: 'unavailable' } } });

    start('payments');
    await ready('payments');
    await waitFor(async () => ((await call(gw('gatewayA', '/api/payments'), clerk())).status === 200 ? true : undefined), 15_000, 'payments through the gateway again');
  });

  it('passes arch check with zero findings', async () => {
    const result = await runBin('arch', ['check', '--format', 'json'], { cwd: ws });
    expect(result.exitCode, String(result.stdout)).toBe(0);
    const report = JSON.parse(String(result.stdout)) as { findings: unknown[]; scorecard: Record<string, { status: string }> };
    expect(report.findings).toEqual([]);
    expect(report.scorecard['api-gateway']?.status).toBe('pass');
  });
});
