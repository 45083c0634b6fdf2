import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceClient, ServiceCallError, type ServiceClient, type ServiceClientOptions } from '../src/http/service-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let hits: { method: string; url: string; body: string }[];
const clients: ServiceClient[] = [];

beforeEach(async () => {
  hits = [];
  handler = (_req, res) => res.writeHead(200).end();
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const c = createServiceClient({ name: 'upstream', baseUrl, retryDelayMs: 1, ...options });
  clients.push(c);
  return c;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** Answers `failures` times with `status`, then 200. */
const failThenSucceed = (failures: number, status: number): Handler => {
  let n = 0;
  return (_req, res) => (n++ < failures ? json(res, status, { n }) : json(res, 200, { ok: true }));
};

describe('createServiceClient', () => {
  it('sends JSON to baseUrl + path with the query and parses JSON answers', async () => {
    handler = (_req, res, body) => json(res, 201, { received: JSON.parse(body) });
    const res = await client().post('/things', { name: 'x' }, { query: { dryRun: true, skip: undefined } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ received: { name: 'x' } });
    expect(hits).toEqual([{ method: 'POST', url: '/api/things?dryRun=true', body: '{"name":"x"}' }]);
  });

  it('retries GET on 503 with backoff, then succeeds', async () => {
    handler = failThenSucceed(2, 503);
    const res = await client({ retries: 2 }).get('/things');
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(hits).toHaveLength(3);
  });

  it('retries GET on a network error', async () => {
    handler = (req, res) => (hits.length === 1 ? req.socket.destroy() : json(res, 200, { ok: true }));
    const res = await client().get('/things');
    expect(res.status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it('never retries POST or PATCH', async () => {
    handler = failThenSucceed(1, 503);
    await expect(client().post('/things', { a: 1 })).rejects.toMatchObject({ code: 'UPSTREAM_STATUS', status: 503 });
    expect(hits).toHaveLength(1);

    handler = failThenSucceed(1, 503);
    hits = [];
    await expect(client().patch('/things/1', { a: 1 })).rejects.toBeInstanceOf(ServiceCallError);
    expect(hits).toHaveLength(1);
  });

  it('gives up after the configured retries', async () => {
    handler = (_req, res) => json(res, 502, {});
    await expect(client({ retries: 3 }).get('/things')).rejects.toMatchObject({ code: 'UPSTREAM_STATUS', status: 502 });
    expect(hits).toHaveLength(4);
  });

  it('returns 4xx answers without retrying or counting them as failures', async () => {
    handler = (_req, res) => json(res, 404, { error: 'not found' });
    const c = client({ volumeThreshold: 1 });
    for (let i = 0; i < 3; i++) expect((await c.get('/missing')).status).toBe(404);
    expect(hits).toHaveLength(3);
    expect(c.breaker.opened).toBe(false);
  });

  it('times out a slow call', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 1000).unref();
    const started = Date.now();
    await expect(client({ timeoutMs: 100 }).get('/slow')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('opens the breaker after failures, then fails fast without calling the upstream', async () => {
    handler = (_req, res) => json(res, 500, {});
    const c = client({ retries: 0, volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 });
    await expect(c.get('/a')).rejects.toMatchObject({ code: 'UPSTREAM_STATUS' });
    await expect(c.get('/a')).rejects.toMatchObject({ code: 'UPSTREAM_STATUS' });
    expect(c.breaker.opened).toBe(true);

    await expect(c.get('/a')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(hits).toHaveLength(2);
  });

  it('closes the breaker again after resetTimeout once a trial call succeeds', async () => {
    handler = failThenSucceed(2, 500);
    const c = client({ retries: 0, volumeThreshold: 2, resetTimeoutMs: 50 });
    await expect(c.get('/a')).rejects.toThrow();
    await expect(c.get('/a')).rejects.toThrow();
    expect(c.breaker.opened).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(c.breaker.halfOpen).toBe(true);
    expect((await c.get('/a')).status).toBe(200);
    expect(c.breaker.closed).toBe(true);
  });

  it('uses the fallback when a call fails and while the breaker is open', async () => {
    handler = (_req, res) => json(res, 503, {});
    const seen: string[] = [];
    const c = client({
      retries: 0,
      volumeThreshold: 1,
      fallback: (request, error) => {
        seen.push(`${request.path} ${error.code}`);
        return { status: 200, headers: new Headers(), body: { cached: true } };
      },
    });
    expect(await c.get('/a')).toMatchObject({ status: 200, body: { cached: true } });
    expect(c.breaker.opened).toBe(true);
    expect(await c.get('/b')).toMatchObject({ body: { cached: true } });
    expect(seen).toEqual(['/a UPSTREAM_STATUS', '/b CIRCUIT_OPEN']);
    expect(hits).toHaveLength(1);
  });
});
