import { createPublicKey } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/run.js';
import { scan } from '../../src/model/scan.js';
import { composeSchemaErrors, dclint } from '../helpers/e2e.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { changed, compose, expectParses, read, snapshotNew } from '../helpers/messaging.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

/** A workspace with `orders` (PostgreSQL) and `notifier` (no database), `notifier` published by hand. */
async function workspace(): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  await generate('service', { name: 'orders' }, { cwd });
  await generate('service', { name: 'notifier', db: 'none' }, { cwd });
  const file = path.join(cwd, 'compose.yaml');
  // The user published notifier directly (with a comment of theirs).
  writeFileSync(file, read(cwd, 'compose.yaml').replace(/(\n  notifier:\n)/, '$1    # published for the demo\n    ports:\n      - "3001:3001"\n'));
  return cwd;
}

const routeLines = (table: string) => table.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('{ service:'));

describe('add-gateway', () => {
  it('renders a gateway service in front of every service, and re-runs to all unchanged', async () => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const first = await generate('gateway', {}, { cwd });
    const kinds = Object.fromEntries(first.plan.map((f) => [f.path, f.kind]));
    for (const file of ['src/routes.ts', 'src/gateway/plugin.ts', 'src/gateway/auth.ts', 'src/gateway/upstream.ts', 'src/main.ts', 'Dockerfile', 'test/gateway.test.ts']) {
      expect(kinds[`services/gateway/${file}`], file).toBe('create');
    }
    expect(kinds['services/gateway/src/http/service-client.ts']).toBeUndefined();
    expect(kinds['compose.yaml']).toBe('update');

    const after = snapshotDir(cwd);
    const files = changed(before, after);
    expectParses(files);
    expect(routeLines(after['services/gateway/src/routes.ts']!)).toEqual([
      "{ service: 'notifier', prefix: '/api/notifier', rewritePrefix: '/notifier' },",
      "{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders' }",
    ]);
    const pkg = JSON.parse(after['services/gateway/package.json']!) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@fastify/http-proxy', '@fastify/rate-limit', 'ioredis', 'jose', 'opossum']));
    expect(pkg.dependencies.pg).toBeUndefined();
    expect(after['services/gateway/src/instrumentation.ts']).toContain('new IORedisInstrumentation()');
    // Its start-up line lists each route as `/api/orders → orders (http://orders:3000/orders)`, not `→ orders/orders`.
    expect(after['services/gateway/src/main.ts']).toContain('`${r.prefix} → ${r.service} (${r.upstream.replace(/\\/+$/, \'\')}${r.rewritePrefix})`');
    // What the gateway adds to a service (the rest is the service's own templates, snapshotted there).
    const own = /^services\/gateway\/(src\/gateway\/|src\/routes\.ts|src\/main\.ts|README\.md|package\.json|\.env\.example|test\/gateway|test\/tokens)/;
    await snapshotNew(Object.fromEntries(Object.entries(files).filter(([file]) => own.test(file))), 'services/gateway', 'gateway/default');

    const second = await generate('gateway', {}, { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('makes the gateway the only published service, with Redis and two replicas; compose valid and dclint-clean', async () => {
    const cwd = await workspace();
    await generate('gateway', {}, { cwd });
    const doc = compose(cwd);
    const gateway = doc.services.gateway as { ports: string[]; deploy: { replicas: number }; depends_on: object; environment: Record<string, string> };
    expect(gateway.ports).toEqual(['127.0.0.1:8080-8081:8080']);
    expect(gateway.deploy.replicas).toBe(2);
    expect(gateway.depends_on).toEqual({
      notifier: { condition: 'service_healthy' },
      orders: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(gateway.environment).toMatchObject({ ORDERS_SERVICE_URL: 'http://orders:3000', NOTIFIER_SERVICE_URL: 'http://notifier:3001', REDIS_URL: 'redis://redis:6379' });
    expect(doc.services.redis).toMatchObject({ healthcheck: { test: ['CMD', 'redis-cli', 'ping'] } });
    const published = Object.entries(doc.services).filter(([, s]) => 'ports' in s).map(([name]) => name);
    expect(published.sort()).toEqual(['gateway', 'jaeger']);
    // Reachable from outside only through the gateway: it and the trace viewer join `edge`, everything else is on the internal `backend` alone.
    const networks = Object.fromEntries(Object.entries(doc.services).map(([name, s]) => [name, s.networks]));
    expect(networks).toEqual({ gateway: ['backend', 'edge'], jaeger: ['backend', 'edge'], notifier: ['backend'], orders: ['backend'], 'orders-db': ['backend'], 'otel-collector': ['backend'], redis: ['backend'] });
    expect((doc as { networks?: unknown }).networks).toEqual({ backend: { internal: true }, edge: null });
    expect(read(cwd, 'compose.yaml')).toContain('# published for the demo');
    expect(await composeSchemaErrors(doc)).toEqual([]);
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });
    expect(read(cwd, '.env.example')).toMatch(/^JWT_JWKS_URL=/m);
    // Either key source: an identity provider's JWKS, or a public key (the development key's, for one).
    expect(gateway.environment).toMatchObject({ JWT_JWKS_URL: '${JWT_JWKS_URL:-}', JWT_PUBLIC_KEY: '${JWT_PUBLIC_KEY:-}' });
    expect(read(cwd, '.env.example')).toContain('JWT_PUBLIC_KEY=<the line `npx arch token --public-key` prints>');
  });

  it('makes a development key: private key git-ignored (0600), the public one its .env.example verifies with; kept on re-runs', async () => {
    const cwd = await workspace();
    await generate('gateway', {}, { cwd });
    const privatePem = read(cwd, '.archkit/dev-jwt.key');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(path.join(cwd, '.archkit/dev-jwt.key')).mode & 0o777).toBe(0o600);
    expect(read(cwd, '.archkit/dev-jwt.pub')).toBe(createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString());
    expect(read(cwd, '.gitignore').split('\n')).toContain('.archkit/');
    const env = read(cwd, 'services/gateway/.env.example');
    expect(env).toMatch(/^JWT_PUBLIC_KEY_FILE=\.\.\/\.\.\/\.archkit\/dev-jwt\.pub$/m);
    expect(env).toMatch(/^JWT_ALGORITHMS=ES256$/m);
    expect(env).not.toMatch(/^JWT_JWKS_URL=/m);
    // The file the gateway reads, from its own folder.
    expect(readFileSync(path.resolve(cwd, 'services/gateway', '../../.archkit/dev-jwt.pub'), 'utf8')).toContain('BEGIN PUBLIC KEY');

    // A fresh clone has no .archkit/: add-gateway again makes a new pair and changes nothing else.
    rmSync(path.join(cwd, '.archkit'), { recursive: true });
    const again = await generate('gateway', {}, { cwd });
    expect(again.plan.filter((f) => f.kind !== 'unchanged').map((f) => [f.path, f.kind])).toEqual([
      ['.archkit/dev-jwt.key', 'create'],
      ['.archkit/dev-jwt.pub', 'create'],
    ]);
    expect(read(cwd, '.archkit/dev-jwt.key')).not.toBe(privatePem);
    expect(createPublicKey(read(cwd, '.archkit/dev-jwt.key')).export({ type: 'spki', format: 'pem' }).toString()).toBe(read(cwd, '.archkit/dev-jwt.pub'));
  });

  it('a gateway that already verifies with an identity provider keeps it (no second key source)', async () => {
    const cwd = await workspace();
    await generate('gateway', {}, { cwd });
    const file = path.join(cwd, 'services/gateway/.env.example');
    writeFileSync(file, read(cwd, 'services/gateway/.env.example').replace(/^JWT_PUBLIC_KEY_FILE=.*$/m, 'JWT_JWKS_URL=https://idp.test/jwks.json'));
    const before = read(cwd, 'services/gateway/.env.example');
    await generate('gateway', {}, { cwd });
    expect(read(cwd, 'services/gateway/.env.example')).toBe(before);
  });

  it('arch check: the model sees the gateway, the api-gateway rule passes, zero findings', async () => {
    const cwd = await workspace();
    const published = await check(cwd);
    expect(published.result.findings.map((f) => f.ruleId)).toContain('api-gateway');
    await generate('gateway', {}, { cwd });
    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.gateway).toBe('gateway');
    expect(model.services.find((s) => s.name === 'gateway')!.routesTo).toEqual(['notifier', 'orders']);
    expect(model.edges.filter((e) => e.from === 'gateway')).toEqual([]);
    expect(result.scorecard['api-gateway'].status).toBe('pass');
  });

  it('create-service puts a new service behind the gateway, keeps the user\'s route edits, and re-runs unchanged', async () => {
    const cwd = await workspace();
    await generate('gateway', {}, { cwd });
    const table = path.join(cwd, 'services/gateway/src/routes.ts');
    const edited = read(cwd, 'services/gateway/src/routes.ts').replace(
      "{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders' }",
      "{ service: 'orders', prefix: '/api/shop/orders', rewritePrefix: '/orders', roles: ['buyer'] /* mine */ }",
    );
    writeFileSync(table, edited);
    const run = await generate('service', { name: 'inventory' }, { cwd });
    expect(Object.fromEntries(run.plan.filter((f) => f.path.startsWith('services/gateway/')).map((f) => [f.path, f.kind]))).toEqual({
      'services/gateway/.env.example': 'update',
      'services/gateway/src/routes.ts': 'update',
    });
    const lines = routeLines(read(cwd, 'services/gateway/src/routes.ts'));
    expect(lines).toContain("{ service: 'orders', prefix: '/api/shop/orders', rewritePrefix: '/orders', roles: ['buyer'] /* mine */ },");
    expect(lines).toContain("{ service: 'inventory', prefix: '/api/inventory', rewritePrefix: '/inventory' }");
    expect(lines).toHaveLength(3);
    expect((compose(cwd).services.gateway as { environment: Record<string, string> }).environment.INVENTORY_SERVICE_URL).toBe('http://inventory:3002');
    expect(compose(cwd).services.inventory).not.toHaveProperty('ports');
    expect(read(cwd, 'services/gateway/.env.example')).toMatch(/^INVENTORY_SERVICE_URL=http:\/\/localhost:3002$/m);

    const again = await generate('service', { name: 'inventory' }, { cwd, force: true });
    expect(again.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    // add-gateway again: the table keeps the user's entry and everything else is unchanged.
    const gatewayAgain = await generate('gateway', {}, { cwd });
    expect(gatewayAgain.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    const { result } = await check(cwd);
    expect(result.findings).toEqual([]);
  });

  it('a route table the user reshaped gets instructions and nothing is written', async () => {
    const cwd = await workspace();
    await generate('gateway', {}, { cwd });
    writeFileSync(path.join(cwd, 'services/gateway/src/routes.ts'), "export default [];\n");
    const before = snapshotDir(cwd);
    const res = await runCli(['create-service', 'inventory', '--yes', '--no-install', '--no-git'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('services/gateway/src/routes.ts');
    expect(res.stderr).toContain("{ service: 'inventory', prefix: '/api/inventory', rewritePrefix: '/inventory' },");
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('refuses bad names, a second gateway, a name taken by a service, and runs only in a workspace', async () => {
    const cwd = await workspace();
    for (const [args, message] of [
      [['add-gateway', 'Edge'], /kebab-case|lowercase/i],
      [['add-gateway', '../edge'], /edge/],
      [['add-gateway', 'orders'], /already exists and is not a gateway/],
    ] as const) {
      const before = snapshotDir(cwd);
      const res = await runCli([...args, '--yes', '--no-install', '--no-git'], { cwd });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(snapshotDir(cwd)).toEqual(before);
    }
    await generate('gateway', {}, { cwd });
    const second = await runCli(['add-gateway', 'edge', '--yes', '--no-install', '--no-git'], { cwd });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already has a gateway: gateway');

    const outside = tmpDir();
    const res = await runCli(['add-gateway', '--yes', '--no-install', '--no-git'], { cwd: outside });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('workspace');
    expect((await scan(outside)).services).toEqual([]);
  });

  it('refuses, with one line and exit 2, writing nothing: a service named after an object key or the gateway, an event named after a global type', async () => {
    const cwd = await workspace();
    for (const [args, message] of [
      [['create-service', 'constructor'], /object key "constructor"/],
      [['create-service', 'to-string'], /object key "toString"/],
      [['create-service', 'gateway'], /reserved for the workspace's API gateway/],
      [['add-gateway', 'prototype'], /object key "prototype"/],
      [['add-saga', 'refund', '--steps', 'orders,gateway', '--create'], /reserved for the workspace's API gateway/],
      [['add-producer', 'orders', '--broker', 'rabbitmq', '--topic', 'order-created', '--event', 'Promise'], /"Promise" is a global TypeScript type/],
      [['add-consumer', 'orders', '--broker', 'rabbitmq', '--topic', 'record'], /"Record" is a global TypeScript type/],
    ] as const) {
      const before = snapshotDir(cwd);
      const res = await runCli([...args, '--yes', '--no-install', '--no-git'], { cwd });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      // One line (and at most a hint), never a stack.
      expect(res.stderr.trim().split('\n').length, res.stderr).toBeLessThanOrEqual(2);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(snapshotDir(cwd)).toEqual(before);
    }
    // The gateway itself still takes its default name.
    await generate('gateway', {}, { cwd });
    expect((await scan(cwd)).services.find((s) => s.name === 'gateway')?.isGateway).toBe(true);
  });
});
