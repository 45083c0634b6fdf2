/**
 * End to end, the generated gateway as an attacker and a reviewer would try it, against real Redis and
 * PostgreSQL: a workspace with `orders` and the gateway, generated with the built bins, installed once
 * (Node 22), built and started. Then: `Expect: 100-continue` uploads never open a breaker; a burst of bad
 * tokens is rate limited (by forwarded address, TRUST_PROXY on); a route's limit is one counter for its prefix
 * and every path under it; with a Redis of the test's own stopped while requests flow, fail open stays ready
 * with per-process limits (logged once) and fail closed answers 503 to requests and readiness; /health/ready
 * is cached, says only up / down and is rate limited; 401 challenges follow RFC 6750; compose passes the key
 * setting an HS256 set-up uses.
 *
 * Everything this test puts in the shared Redis is keyed by addresses and subjects carrying its process id,
 * and removed afterwards.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from '../helpers/scratch.js';
import { freePort, getJson, installAndBuild, requireServer, runBin, shopWorkspace, startService, waitFor } from '../helpers/e2e.js';

const hasServers = (await requireServer('PostgreSQL', 5432)) && (await requireServer('Redis', 6379));
const work = mkdtempSync(path.join(tmpdir(), 'archkit-gwh-'));
const ws = path.join(work, 'shop');
const servers = scratch('gwh');
const db = servers.database('orders');
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'shop-api';
const SECRET = `a-shared-secret-of-this-test-${process.pid}-0123456789`;
const RATE_LIMIT = 5;

// Clients of this test: forwarded addresses and token subjects that carry the process id (cleanup below).
const tag = process.pid.toString(16);
let clients = 0;
const address = () => `fd00::${tag}:${(++clients).toString(16)}`;
const subject = (what: string) => `${what}-gwh-${process.pid}-${++clients}`;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function token(claims: Record<string, unknown>, secret = SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...claims })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A stand-in upstream behind `/api/stub`: counts its readiness probes, records what it received. */
let stub: Server;
let stubPort = 0;
let stubProbes = 0;
let stubReady = true;
const stubSeen: Array<{ method: string; expect: string | undefined; bytes: number }> = [];

let ordersPort = 0;
const children: ResultPromise[] = [];

/** The gateway's environment: HS256 with the test's secret, Redis, the two upstreams. */
function gatewayEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: String(port),
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_ALGORITHMS: 'HS256',
    JWT_SECRET: SECRET,
    ORDERS_SERVICE_URL: `http://127.0.0.1:${ordersPort}`,
    STUB_SERVICE_URL: `http://127.0.0.1:${stubPort}`,
    TRUST_PROXY: 'true',
    RATE_LIMIT_MAX: String(RATE_LIMIT),
    RATE_LIMIT_WINDOW_MS: '60000',
    BREAKER_VOLUME_THRESHOLD: '3',
    BREAKER_ERROR_THRESHOLD_PERCENT: '50',
    BREAKER_RESET_TIMEOUT_MS: '60000',
    ...extra,
  };
}

async function startGateway(extra: Record<string, string> = {}): Promise<{ url: string; child: ResultPromise }> {
  const port = await freePort();
  const child = startService(ws, 'gateway', gatewayEnv(port, extra));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => ((await fetch(`${url}/health/live`).catch(() => null))?.ok ? true : undefined), 40_000, 'the gateway live');
  return { url, child };
}

async function stopChild(child: ResultPromise): Promise<string> {
  child.kill('SIGTERM');
  const result = await child;
  return `${String(result.stdout)}\n${String(result.stderr)}`;
}

/** A request through node:http, which (unlike fetch) sends `Expect: 100-continue` and waits for the 100. */
function postExpectingContinue(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { expect: '100-continue', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.on('continue', () => req.end(body));
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
  });
}

const call = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
};

async function redisKeysOfThisTest(port = 6379): Promise<string[]> {
  const keys: string[] = [];
  for (const pattern of [`*${tag}:*`, `*-gwh-${process.pid}-*`]) {
    const scan = await execa('redis-cli', ['-p', String(port), '--scan', '--pattern', pattern], { reject: false });
    keys.push(...String(scan.stdout).split('\n').filter(Boolean));
  }
  return keys;
}

beforeAll(async () => {
  if (!hasServers) return;
  stub = createServer((req, res) => {
    if (req.url === '/health/ready') {
      stubProbes++;
      res.writeHead(stubReady ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: stubReady ? 'ok' : 'unavailable' }));
      return;
    }
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      stubSeen.push({ method: req.method ?? '', expect: req.headers.expect, bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubPort = (stub.address() as { port: number }).port;

  await servers.setUp();
  await shopWorkspace(work, ['orders']);
  const gateway = await runBin('arch', ['add-gateway', '--yes', '--no-install'], { cwd: ws });
  expect(gateway.exitCode, String(gateway.stderr)).toBe(0);
  // The user's edit: a public route to the stand-in upstream.
  const table = path.join(ws, 'services/gateway/src/routes.ts');
  const routes = readFileSync(table, 'utf8');
  const entry = "{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders' }";
  expect(routes).toContain(entry);
  writeFileSync(table, routes.replace(entry, `${entry},\n  { service: 'stub', prefix: '/api/stub', rewritePrefix: '/stub', public: true, rateLimit: { max: 1000, windowMs: 60_000 } }`));
  await installAndBuild(ws);

  ordersPort = await freePort();
  children.push(startService(ws, 'orders', { PORT: String(ordersPort), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}` }));
  await waitFor(async () => ((await getJson(`http://127.0.0.1:${ordersPort}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 40_000, 'orders ready');
}, 600_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await new Promise<void>((resolve) => (stub ? stub.close(() => resolve()) : resolve()));
  if (hasServers) {
    const keys = await redisKeysOfThisTest();
    if (keys.length > 0) await execa('redis-cli', ['-p', '6379', 'del', ...keys], { reject: false });
    await servers.tearDown();
  }
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasServers)('the generated gateway under attack', () => {
  it('forwards uploads sent with Expect: 100-continue, and they never open the breaker (item 1)', async () => {
    const { url } = await startGateway({ HEALTH_DETAILS: 'true' });
    const body = JSON.stringify({ data: 'x'.repeat(64 * 1024) });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await postExpectingContinue(`${url}/api/stub/upload`, body));
    expect(statuses).toEqual(Array<number>(6).fill(200));
    const uploads = stubSeen.filter((seen) => seen.method === 'POST');
    expect(uploads).toHaveLength(6);
    expect(uploads.every((seen) => seen.expect === undefined && seen.bytes === Buffer.byteLength(body))).toBe(true);
    expect((await call(`${url}/api/stub/items`)).status).toBe(200);
    const ready = await getJson(`${url}/health/ready`);
    expect(ready.body).toMatchObject({ checks: { 'upstream:stub': { status: 'ok' } } });
  });

  it('rate limits a burst of bad tokens by the client address (TRUST_PROXY), and answers 401 per RFC 6750 (items 2, 9)', async () => {
    const { url } = await startGateway();
    const attacker = address();
    const forged = token({ sub: subject('intruder'), roles: ['admin'] }, `not-the-secret-${SECRET}`);
    const statuses: number[] = [];
    let challenge: string | null = null;
    let body = '';
    for (let i = 0; i < RATE_LIMIT + 3; i++) {
      const res = await call(`${url}/api/orders`, { authorization: `Bearer ${forged}`, 'x-forwarded-for': attacker });
      statuses.push(res.status);
      if (res.status === 401) {
        body = res.text;
        challenge = res.headers.get('www-authenticate');
      }
    }
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(401), 429, 429, 429]);
    expect(challenge).toBe('Bearer error="invalid_token", error_description="invalid token"');
    expect(JSON.parse(body).message).toBe('invalid token');
    expect(body).not.toMatch(/signature/i);
    // Another address has its own counter; no token at all: a bare challenge.
    const other = await call(`${url}/api/orders`, { 'x-forwarded-for': address() });
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("counts a route's prefix and every path under it as one limit (item 3)", async () => {
    const { url } = await startGateway();
    const bearer = { authorization: `Bearer ${token({ sub: subject('buyer') })}` };
    const seen: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      const res = await call(`${url}/api/orders`, bearer);
      statuses.push(res.status);
      seen.push(`${res.status} remaining ${res.headers.get('x-ratelimit-remaining')}`);
    }
    expect(statuses, seen.join(', ')).toEqual(Array<number>(RATE_LIMIT).fill(200));
    const beyond = await call(`${url}/api/orders/00000000-0000-4000-8000-000000000000`, bearer);
    expect(beyond.status, `${seen.join(', ')}, then ${beyond.status} remaining ${beyond.headers.get('x-ratelimit-remaining')}`).toBe(429);
  });

  it('bounds the public /health/ready: cached fan-out, up / down only, rate limited (item 5)', async () => {
    const { url } = await startGateway({ HEALTH_CACHE_MS: '60000', HEALTH_RATE_LIMIT_MAX: '20' });
    stubReady = false;
    try {
      const before = stubProbes;
      const responses = await Promise.all(Array.from({ length: 60 }, () => getJson(`${url}/health/ready`)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40);
      expect(stubProbes - before).toBe(1);
      const answer = responses.find((r) => r.status === 200)!.body;
      expect(answer).toMatchObject({ checks: { 'upstream:stub': { status: 'error', error: 'unavailable' } } });
      expect(JSON.stringify(answer)).not.toMatch(/answered|503/);
    } finally {
      stubReady = true;
    }
  });

  it('passes the HS256 secret through compose: every key source the gateway accepts, none required (item 15)', async () => {
    const compose = parse(readFileSync(path.join(ws, 'compose.yaml'), 'utf8')) as { services: Record<string, { environment: Record<string, string> }> };
    const environment = compose.services.gateway!.environment;
    for (const key of ['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_PUBLIC_KEY_FILE', 'JWT_SECRET']) expect(environment[key], key).toBe(`\${${key}:-}`);
    // What compose would give the gateway from a .env holding only an HS256 set-up (compose's ${VAR:-default} and ${VAR:?error}).
    const dotenv: Record<string, string> = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_ALGORITHMS: 'HS256', JWT_SECRET: SECRET };
    const resolved: Record<string, string> = {};
    for (const key of Object.keys(environment).filter((k) => k.startsWith('JWT_'))) {
      resolved[key] = String(environment[key]).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_all, name: string, how?: string, rest?: string) => {
        if (dotenv[name]) return dotenv[name];
        if (how === '?') throw new Error(`compose requires ${name}: ${rest}`);
        return rest ?? '';
      });
    }
    const { url } = await startGateway({ JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_ALGORITHMS: '', JWT_SECRET: '', ...resolved });
    expect((await call(`${url}/api/orders`, { authorization: `Bearer ${token({ sub: subject('hs') })}` })).status).toBe(200);
  });
});

describe.skipIf(!hasServers)('the generated gateway when its Redis stops while requests flow (item 4)', () => {
  let redis: ResultPromise | undefined;
  let redisPort = 0;
  const redisDir = path.join(work, 'redis');

  beforeAll(async () => {
    if (!hasServers) return;
    redisPort = await freePort();
    rmSync(redisDir, { recursive: true, force: true });
    mkdirSync(redisDir, { recursive: true });
    redis = execa('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', redisDir], { reject: false });
    await waitFor(async () => ((await execa('redis-cli', ['-p', String(redisPort), 'ping'], { reject: false })).stdout === 'PONG' ? true : undefined), 10_000, 'our redis-server');
  });

  afterAll(async () => {
    redis?.kill('SIGKILL');
    await redis;
  });

  it('fail open stays ready with per-process limits (logged once); fail closed answers 503 to requests and readiness', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, LOG_LEVEL: 'info' };
    const open = await startGateway({ ...env, RATE_LIMIT_FAIL_OPEN: 'true' });
    const closed = await startGateway({ ...env, RATE_LIMIT_FAIL_OPEN: 'false' });
    for (const gw of [open, closed]) expect((await getJson(`${gw.url}/health/ready`)).status).toBe(200);

    const bearer = (who: string) => ({ authorization: `Bearer ${token({ sub: who })}` });
    // Requests flow while Redis stops.
    let flowing = true;
    const flow = (async () => {
      const statuses: number[] = [];
      while (flowing) statuses.push((await call(`${open.url}/api/stub/flow`, bearer(subject('flow')))).status);
      return statuses;
    })();
    redis!.kill('SIGTERM');
    await redis;
    redis = undefined;
    await waitFor(async () => ((await getJson(`${closed.url}/health/ready`)).status === 503 ? true : undefined), 15_000, 'the fail-closed gateway unready');
    flowing = false;
    const flowed = await flow;
    expect(flowed.every((status) => status === 200)).toBe(true);

    // Fail closed: 503 to requests (with Retry-After) and to readiness.
    const refused = await call(`${closed.url}/api/stub/items`, bearer(subject('closed')));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await getJson(`${closed.url}/health/ready`)).status).toBe(503);

    // Fail open: ready, and the route's limit still applies, counted in the process.
    expect((await getJson(`${open.url}/health/ready`)).status).toBe(200);
    const who = bearer(subject('open'));
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 1; i++) statuses.push((await call(`${open.url}/api/orders`, who)).status);
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(200), 429]);

    const openLog = await stopChild(open.child);
    await stopChild(closed.child);
    expect(openLog.match(/redis unavailable/g)).toHaveLength(1);
    expect(openLog).toContain('RATE_LIMIT_FAIL_OPEN=true');
  });
});
