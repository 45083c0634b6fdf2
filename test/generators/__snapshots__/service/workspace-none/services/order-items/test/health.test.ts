import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { runReadinessChecks, type ReadinessCheck } from '../src/health/checks.js';
import { testEnv } from './env.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(readinessChecks: ReadinessCheck[], draining?: () => boolean): Promise<FastifyInstance> {
  app = await buildApp({
    config: loadConfig(testEnv),
    readinessChecks,
    ...(draining ? { draining } : {}),
  });
  return app;
}

const ok = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const failing = (name: string, message: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(message);
  },
});

describe('health routes', () => {
  it('with a gateway secret, answers 401 to a request without it or with another, and serves the gateway and the probes', async () => {
    app = await buildApp({
      config: loadConfig(testEnv),
      readinessChecks: [],
      gatewaySecret: 'sixteen-chars-or-more',
    });
    app.get('/probe', async () => ({ ok: true }));
    expect((await app.inject('/probe')).statusCode).toBe(401);
    expect((await app.inject({ url: '/probe', headers: { 'x-gateway-secret': 'sixteen-chars-or-less' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/probe', headers: { 'x-gateway-secret': 'sixteen-chars-or-more' } })).statusCode).toBe(200);
    expect((await app.inject('/health/ready')).statusCode).toBe(200);
  });

  it('without a gateway secret, serves every request', async () => {
    const started = await start([]);
    started.get('/probe', async () => ({ ok: true }));
    expect((await started.inject('/probe')).statusCode).toBe(200);
  });

  it('GET /health/ready answers 503 once draining, while other routes still answer (closing their connection)', async () => {
    let draining = false;
    const started = await start([ok('postgres')], () => draining);
    expect((await started.inject('/health/ready')).statusCode).toBe(200);
    expect((await started.inject('/health/live')).headers.connection).not.toBe('close');
    draining = true;
    const ready = await started.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', checks: { shutdown: { status: 'error', error: 'shutting down' } } });
    const live = await started.inject('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.headers.connection).toBe('close');
  });

  it('GET /health/live answers 200 even when dependencies are down', async () => {
    const res = await (await start([failing('postgres', 'connection refused')])).inject('/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers 200 when every check passes', async () => {
    const res = await (await start([ok('postgres'), ok('broker')])).inject('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { postgres: { status: 'ok' }, broker: { status: 'ok' } } });
  });

  it('GET /health/ready answers 200 with no dependencies to check', async () => {
    const res = await (await start([])).inject('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: {} });
  });

  it('GET /health/ready answers 503 and names the failing check', async () => {
    const res = await (await start([failing('postgres', 'connect ECONNREFUSED 127.0.0.1:5432'), ok('broker')])).inject(
      '/health/ready',
    );
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'unavailable',
      checks: {
        postgres: { status: 'error', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
        broker: { status: 'ok' },
      },
    });
  });

  it('reports a failing non-critical check without answering 503', async () => {
    const optional: ReadinessCheck = { ...failing('upstream:search', 'connect ECONNREFUSED'), critical: false };
    const res = await (await start([ok('postgres'), optional])).inject('/health/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'ok' }, 'upstream:search': { status: 'error', error: 'connect ECONNREFUSED' } },
    });
  });

  it('counts a check that hangs as failed', async () => {
    const hanging: ReadinessCheck = { name: 'postgres', check: () => new Promise(() => undefined) };
    const report = await runReadinessChecks([hanging, ok('broker')], 50);
    expect(report).toEqual({
      status: 'unavailable',
      checks: { postgres: { status: 'error', error: 'timed out after 50 ms' }, broker: { status: 'ok' } },
    });
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const server = await start([]);
    const kept = await server.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await server.inject({ url: '/health/live', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
