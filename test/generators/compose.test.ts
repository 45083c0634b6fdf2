import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/run.js';
import { isUpgradeOf } from '../../src/generate/yaml/compose.js';
import { composeSchemaErrors, dclint } from '../helpers/e2e.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate, recordingLogger } from '../helpers/generate.js';
import { HOSTILE } from '../helpers/hostile.js';
import { compose, read } from '../helpers/messaging.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

/**
 * A workspace as the generators leave it: orders → payments over RabbitMQ,
 * shipping → billing over Kafka (all with PostgreSQL), notifier without a
 * database, and the gateway in front of them.
 */
async function workspace(): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  for (const name of ['orders', 'payments', 'shipping', 'billing']) await generate('service', { name }, { cwd });
  await generate('service', { name: 'notifier', db: 'none' }, { cwd });
  await generate('producer', { service: 'orders', broker: 'rabbitmq', topic: 'order-created', event: 'OrderCreated' }, { cwd });
  await generate('consumer', { service: 'payments', broker: 'rabbitmq', topic: 'order-created', event: 'OrderCreated' }, { cwd });
  await generate('producer', { service: 'shipping', broker: 'kafka', topic: 'parcel-sent', event: 'ParcelSent' }, { cwd });
  await generate('consumer', { service: 'billing', broker: 'kafka', topic: 'parcel-sent', event: 'ParcelSent' }, { cwd });
  await generate('gateway', {}, { cwd });
  return cwd;
}

/** Edits compose.yaml through the yaml Document API, as a user's editor would leave it. */
function editCompose(cwd: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const file = path.join(cwd, 'compose.yaml');
  const doc = parseDocument(read(cwd, 'compose.yaml'));
  edit(doc);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

/**
 * Where each container of a compose file is: only the published entry points
 * (`published`) are on `edge` as well as the internal `backend`; every other
 * container is on `backend` alone, and `backend` is internal.
 */
function expectIsolated(doc: ReturnType<typeof compose>, published: readonly string[] = ['gateway', 'jaeger']): void {
  const networks = (doc as { networks?: Record<string, { internal?: boolean } | null> }).networks;
  expect(networks?.backend).toEqual({ internal: true });
  expect(networks).toHaveProperty('edge');
  expect(networks?.edge?.internal ?? false).toBe(false);
  const placed = Object.fromEntries(Object.entries(doc.services).map(([name, entry]) => [name, entry.networks]));
  const expected = Object.fromEntries(Object.keys(doc.services).map((name) => [name, published.includes(name) ? ['backend', 'edge'] : ['backend']]));
  expect(placed).toEqual(expected);
  // Only the entry points publish ports.
  expect(Object.keys(doc.services).filter((name) => 'ports' in doc.services[name]!).sort()).toEqual([...published].sort());
}

/** compose.yaml as archkit wrote it before the networks: no top-level `networks:`, no service on one. */
function withoutNetworks(cwd: string): void {
  editCompose(cwd, (doc) => {
    doc.delete('networks');
    for (const name of Object.keys(compose(cwd).services)) doc.deleteIn(['services', name, 'networks']);
  });
}

const notUnchanged = (plan: ReadonlyArray<{ path: string; kind: string }>) => plan.filter((f) => f.kind !== 'unchanged').map((f) => [f.path, f.kind]);

describe('arch compose', () => {
  it('changes nothing in a workspace the generators made, and writes a deleted compose.yaml back byte for byte', async () => {
    const cwd = await workspace();
    const generated = snapshotDir(cwd);
    const again = await generate('compose', {}, { cwd });
    expect(notUnchanged(again.plan)).toEqual([]);

    rmSync(path.join(cwd, 'compose.yaml'));
    rmSync(path.join(cwd, 'otel-collector.yaml'));
    const restored = await generate('compose', {}, { cwd });
    expect(notUnchanged(restored.plan)).toEqual([
      ['compose.yaml', 'create'],
      ['otel-collector.yaml', 'create'],
    ]);
    expect(snapshotDir(cwd)).toEqual(generated);
  });

  it('puts every container on the internal backend network, and only the gateway and the trace viewer on edge too', async () => {
    const cwd = await workspace();
    const doc = compose(cwd);
    expect(Object.keys(doc.services).sort()).toEqual(['billing', 'billing-db', 'gateway', 'jaeger', 'kafka', 'notifier', 'orders', 'orders-db', 'otel-collector', 'payments', 'payments-db', 'rabbitmq', 'redis', 'shipping', 'shipping-db']);
    expectIsolated(doc);
    expect(await composeSchemaErrors(doc)).toEqual([]);
    // The workspace README says what the internal network cuts, and how to give one service the internet.
    expect(read(cwd, 'README.md')).toMatch(/## Networks\n\nEvery container in `compose.yaml` is on `backend`, an internal network[^#]*cannot reach the internet[^#]*add `edge` to its `networks:`/);
  });

  it('brings a compose.yaml from before the networks onto them, leaves the user\'s own service alone with a hint; a second run changes nothing', async () => {
    const cwd = await workspace();
    const fresh = read(cwd, 'compose.yaml');
    withoutNetworks(cwd);
    const file = path.join(cwd, 'compose.yaml');
    const adminer = "  # my database browser\n  adminer:\n    image: adminer:5.3.0\n    ports:\n      - '127.0.0.1:8090:8080'\n";
    writeFileSync(file, read(cwd, 'compose.yaml').replace(/^services:\n/m, `services:\n${adminer}`));
    const old = read(cwd, 'compose.yaml');
    expect(old).not.toContain('networks:');

    const check = await runCli(['compose', '--check'], { cwd });
    expect(check.code).toBe(1);
    expect(check.stdout.split('\n')).toEqual(expect.arrayContaining(['    +    networks:', '    +      - backend', '    +  backend:', '    +    internal: true']));
    expect(read(cwd, 'compose.yaml')).toBe(old);

    const log = recordingLogger();
    const run = await generate('compose', {}, { cwd, log });
    expect(notUnchanged(run.plan)).toEqual([['compose.yaml', 'update']]);
    const after = compose(cwd);
    // The user's service: untouched (no networks given), with its comment, and a hint that it is cut off.
    expect(after.services.adminer).toEqual({ image: 'adminer:5.3.0', ports: ['127.0.0.1:8090:8080'] });
    expect(read(cwd, 'compose.yaml')).toContain(adminer);
    const { adminer: _, ...archkit } = after.services;
    expectIsolated({ ...after, services: archkit });
    expect(log.infos.filter((line) => line.includes('networks'))).toEqual([
      "compose.yaml: adminer has no `networks:`: on Compose's default network, it cannot reach the containers on `backend`, nor they it. If that is not what you want, add `networks: [backend]` (and `edge` to publish a port or reach the internet); `npx arch compose` does it for archkit's own entries.",
    ]);
    expect(log.warnings).toEqual([]);
    // Apart from the user's service, what a workspace made today has, byte for byte (comments and key order included).
    expect(read(cwd, 'compose.yaml').replace(adminer, '')).toBe(fresh);
    expect(await composeSchemaErrors(after)).toEqual([]);
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });

    const second = await generate('compose', {}, { cwd });
    expect(notUnchanged(second.plan)).toEqual([]);
    expect((await runCli(['compose', '--check'], { cwd })).code).toBe(0);
  });

  it('create-service in a workspace whose compose.yaml predates the networks warns that the older entries are off them', async () => {
    const cwd = await workspace();
    withoutNetworks(cwd);
    const log = recordingLogger();
    await generate('service', { name: 'inventory' }, { cwd, log });
    const warning = log.warnings.find((line) => line.includes('no `networks:`'));
    // All but the new service (and its database), which are on `backend` already.
    const older = 'billing, billing-db, gateway, jaeger, kafka, notifier, orders, orders-db, otel-collector, payments, payments-db, rabbitmq, redis, shipping, shipping-db';
    expect(warning).toMatch(new RegExp(`^compose\\.yaml: ${older} have no \`networks:\`: on Compose's default network, they cannot reach the containers on \`backend\`, nor they them\\. `));
    expect(compose(cwd).services.inventory!.networks).toEqual(['backend']);
    await generate('compose', {}, { cwd });
    expectIsolated(compose(cwd));
  });

  it('restores what is missing, moves archkit\'s pinned images up their release line, keeps the user\'s changes and entries', async () => {
    const cwd = await workspace();
    const original = compose(cwd);
    editCompose(cwd, (doc) => {
      doc.deleteIn(['services', 'orders']);
      doc.deleteIn(['services', 'redis']);
      doc.deleteIn(['services', 'payments-db', 'healthcheck']);
      doc.deleteIn(['volumes', 'orders-db-data']);
      doc.deleteIn(['services', 'gateway', 'environment', 'ORDERS_SERVICE_URL']);
      doc.setIn(['services', 'payments', 'environment', 'LOG_LEVEL'], 'debug');
      doc.setIn(['services', 'payments-db', 'image'], 'postgres:17.5-alpine');
      doc.setIn(['services', 'billing-db', 'image'], 'postgres:16.9-alpine');
      doc.setIn(['services', 'rabbitmq', 'image'], 'rabbitmq:4.0.9-management-alpine');
      doc.setIn(['services', 'jaeger', 'image'], 'jaegertracing/jaeger:2.99.0');
    });
    // The user's own service, with a comment, first under `services:`.
    const file = path.join(cwd, 'compose.yaml');
    writeFileSync(file, read(cwd, 'compose.yaml').replace(/^services:\n/m, "services:\n  # my database browser\n  adminer:\n    image: adminer:5.3.0\n    ports:\n      - '127.0.0.1:8090:8080'\n"));
    const log = recordingLogger();
    const run = await generate('compose', {}, { cwd, log });
    expect(notUnchanged(run.plan)).toEqual([['compose.yaml', 'update']]);

    const after = compose(cwd);
    expect(after.services.orders).toEqual(original.services.orders);
    expect(after.services.redis).toEqual(original.services.redis);
    expect(after.services['payments-db']!.healthcheck).toEqual(original.services['payments-db']!.healthcheck);
    expect(after.volumes!['orders-db-data']).toEqual(original.volumes!['orders-db-data']);
    expect((after.services.gateway!.environment as Record<string, string>).ORDERS_SERVICE_URL).toBe('http://orders:3000');
    // Kept: the user's value, another major, another variant, a newer tag of theirs, their own service and comment.
    expect((after.services.payments!.environment as Record<string, string>).LOG_LEVEL).toBe('debug');
    expect(after.services['billing-db']!.image).toBe('postgres:16.9-alpine');
    expect(after.services.rabbitmq!.image).toBe('rabbitmq:4.0.9-management-alpine');
    expect(after.services.jaeger!.image).toBe('jaegertracing/jaeger:2.99.0');
    expect(after.services.adminer).toEqual({ image: 'adminer:5.3.0', ports: ['127.0.0.1:8090:8080'] });
    expect(read(cwd, 'compose.yaml')).toContain('# my database browser');
    // Moved up: an older tag of the image archkit pins, same line.
    expect(after.services['payments-db']!.image).toBe(original.services['payments-db']!.image);
    expect(log.infos).toContain(`compose.yaml: services.payments-db.image: postgres:17.5-alpine → ${String(original.services['payments-db']!.image)}`);
    expect(log.warnings.filter((w) => w.includes('kept your'))).toEqual([
      'compose.yaml: kept your services.jaeger.image (it differs from what archkit would write; --force replaces it)',
      'compose.yaml: kept your services.billing-db.image (it differs from what archkit would write; --force replaces it)',
      'compose.yaml: kept your services.rabbitmq.image (it differs from what archkit would write; --force replaces it)',
      'compose.yaml: kept your services.payments.environment.LOG_LEVEL (it differs from what archkit would write; --force replaces it)',
    ]);
    expect(await composeSchemaErrors(after)).toEqual([]);
    // Only the user's own adminer is found wanting (published directly, no healthcheck): everything archkit wrote passes.
    const { findings } = (await check(cwd)).result;
    expect(findings.filter((f) => !f.message.startsWith('adminer '))).toEqual([]);

    const second = await generate('compose', {}, { cwd });
    expect(notUnchanged(second.plan)).toEqual([]);

    await generate('compose', {}, { cwd, force: true });
    const forced = compose(cwd);
    expect((forced.services.payments!.environment as Record<string, string>).LOG_LEVEL).toBe('${LOG_LEVEL:-info}');
    expect(forced.services.rabbitmq!.image).toBe(original.services.rabbitmq!.image);
    expect(forced.services.adminer).toEqual({ image: 'adminer:5.3.0', ports: ['127.0.0.1:8090:8080'] });
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });
  });

  it('gives a service folder without entries its own: port from .env.example or EXPOSE, database, broker, place behind the gateway', async () => {
    const cwd = await workspace();
    await generate('service', { name: 'inventory' }, { cwd });
    await generate('service', { name: 'search', db: 'none' }, { cwd });
    // As if both were copied in by hand: no compose entries, no gateway URL; ports only in their own files.
    editCompose(cwd, (doc) => {
      for (const key of ['inventory', 'inventory-db', 'search']) doc.deleteIn(['services', key]);
      doc.deleteIn(['volumes', 'inventory-db-data']);
      for (const key of ['INVENTORY_SERVICE_URL', 'SEARCH_SERVICE_URL']) doc.deleteIn(['services', 'gateway', 'environment', key]);
      for (const key of ['inventory', 'search']) doc.deleteIn(['services', 'gateway', 'depends_on', key]);
    });
    const env = path.join(cwd, 'services/inventory/.env.example');
    writeFileSync(env, read(cwd, 'services/inventory/.env.example').replace(/^PORT=.*$/m, 'PORT=3999'));
    rmSync(path.join(cwd, 'services/search/.env.example'));
    const dockerfile = path.join(cwd, 'services/search/Dockerfile');
    writeFileSync(dockerfile, read(cwd, 'services/search/Dockerfile').replace(/^EXPOSE \d+$/m, 'EXPOSE 4100/tcp'));
    // A hand-written package with no Dockerfile: reported, left out.
    mkdirSync(path.join(cwd, 'services/legacy'));
    writeFileSync(path.join(cwd, 'services/legacy/package.json'), JSON.stringify({ name: 'legacy', dependencies: { express: '5.1.0' } }));

    const log = recordingLogger();
    await generate('compose', {}, { cwd, log });
    const after = compose(cwd);
    expect(after.services.inventory).toMatchObject({ environment: { PORT: '3999' }, expose: ['3999'], depends_on: { 'inventory-db': { condition: 'service_healthy' } } });
    expect(after.services['inventory-db']).toMatchObject({ environment: { POSTGRES_DB: 'inventory' } });
    expect(after.volumes).toHaveProperty('inventory-db-data');
    expect(after.services.search).toMatchObject({ environment: { PORT: '4100' }, expose: ['4100'] });
    expect(after.services.search).not.toHaveProperty('depends_on');
    const gateway = after.services.gateway as { environment: Record<string, string>; depends_on: Record<string, unknown> };
    expect(gateway.environment).toMatchObject({ INVENTORY_SERVICE_URL: 'http://inventory:3999', SEARCH_SERVICE_URL: 'http://search:4100' });
    expect(Object.keys(gateway.depends_on)).toEqual(expect.arrayContaining(['inventory', 'search']));
    expect(after.services).not.toHaveProperty('legacy');
    expect(log.warnings).toContain('services/legacy has no Dockerfile, so compose cannot build it; add one (create-service writes one), then run arch compose again');
    expect(await composeSchemaErrors(after)).toEqual([]);
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });
  });

  it('reports entries whose folder is gone, and with --prune removes them with their database, volume, gateway URL and route', async () => {
    const cwd = await workspace();
    rmSync(path.join(cwd, 'services/billing'), { recursive: true });
    rmSync(path.join(cwd, 'services/shipping'), { recursive: true });
    const before = snapshotDir(cwd);
    const log = recordingLogger();
    const reported = await generate('compose', {}, { cwd, log });
    expect(notUnchanged(reported.plan)).toEqual([]);
    expect(log.warnings).toEqual([
      'compose.yaml: billing builds ./services/billing, which is gone; arch compose --prune removes it',
      'compose.yaml: shipping builds ./services/shipping, which is gone; arch compose --prune removes it',
    ]);
    expect(snapshotDir(cwd)).toEqual(before);

    const envBefore = read(cwd, '.env.example');
    expect(envBefore).toMatch(/^BILLING_DB_PASSWORD=/m);
    const pruned = await generate('compose', { prune: true }, { cwd });
    expect(notUnchanged(pruned.plan)).toEqual([
      ['.env.example', 'update'],
      ['compose.yaml', 'update'],
      ['services/gateway/.env.example', 'update'],
      ['services/gateway/src/routes.ts', 'update'],
    ]);
    const env = read(cwd, '.env.example');
    expect(env).not.toMatch(/BILLING_DB_PASSWORD|SHIPPING_DB_PASSWORD|# billing:|# shipping:/);
    expect(env).toMatch(/^ORDERS_DB_PASSWORD=/m);
    expect(env).toMatch(/^RABBITMQ_PASSWORD=/m);
    const gatewayEnv = read(cwd, 'services/gateway/.env.example');
    expect(gatewayEnv).not.toMatch(/BILLING_SERVICE_URL|SHIPPING_SERVICE_URL/);
    expect(gatewayEnv).toMatch(/^ORDERS_SERVICE_URL=/m);
    const after = compose(cwd);
    for (const key of ['billing', 'billing-db', 'shipping', 'shipping-db']) expect(after.services).not.toHaveProperty(key);
    expect(Object.keys(after.volumes!)).not.toContain('billing-db-data');
    expect(Object.keys(after.volumes!)).not.toContain('shipping-db-data');
    expect(Object.keys(after.volumes!)).toContain('orders-db-data');
    const gateway = after.services.gateway as { environment: Record<string, string>; depends_on: Record<string, unknown> };
    expect(Object.keys(gateway.depends_on).sort()).toEqual(['notifier', 'orders', 'payments', 'redis']);
    expect(gateway.environment).not.toHaveProperty('BILLING_SERVICE_URL');
    expect(gateway.environment).toHaveProperty('ORDERS_SERVICE_URL');
    const routes = read(cwd, 'services/gateway/src/routes.ts');
    expect(routes).not.toContain("service: 'billing'");
    expect(routes).not.toContain("service: 'shipping'");
    expect(routes).toContain("{ service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders' }");
    // Kafka stays: the broker is infrastructure, not the removed services' own.
    expect(after.services).toHaveProperty('kafka');
    expect(await composeSchemaErrors(after)).toEqual([]);
    expect(notUnchanged((await generate('compose', { prune: true }, { cwd })).plan)).toEqual([]);
  });

  it('--prune with a route table the user reshaped: compose is pruned, the route is left to remove by hand', async () => {
    const cwd = await workspace();
    rmSync(path.join(cwd, 'services/notifier'), { recursive: true });
    writeFileSync(path.join(cwd, 'services/gateway/src/routes.ts'), 'export default [];\n');
    const log = recordingLogger();
    await generate('compose', { prune: true }, { cwd, log });
    expect(compose(cwd).services).not.toHaveProperty('notifier');
    expect(read(cwd, 'services/gateway/src/routes.ts')).toBe('export default [];\n');
    expect(log.warnings).toContain('services/gateway/src/routes.ts: no `routes` array where archkit expects it; remove the routes to notifier by hand');
  });

  it('leaves out for good what x-archkit.omit names (the trace viewer, when traces go elsewhere)', async () => {
    const cwd = await workspace();
    editCompose(cwd, (doc) => {
      doc.deleteIn(['services', 'jaeger']);
      doc.deleteIn(['services', 'otel-collector', 'depends_on']);
      // First, where Compose linters expect extension fields.
      (doc.contents as { items: unknown[] }).items.unshift(doc.createPair('x-archkit', { omit: ['jaeger'] }));
    });
    const before = snapshotDir(cwd);
    const run = await generate('compose', {}, { cwd });
    expect(notUnchanged(run.plan)).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(before);
    // create-service and the other generators honour it too.
    await generate('service', { name: 'inventory' }, { cwd });
    expect(compose(cwd).services).not.toHaveProperty('jaeger');
    expect(await composeSchemaErrors(compose(cwd))).toEqual([]);
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });
  });

  it('a database the user pointed elsewhere is not given a container of its own', async () => {
    const cwd = await workspace();
    editCompose(cwd, (doc) => {
      doc.setIn(['services', 'notifier', 'environment', 'DATABASE_URL'], 'postgres://notifier@db.internal:5432/notifier');
      doc.deleteIn(['services', 'orders-db']);
      doc.deleteIn(['services', 'orders', 'depends_on', 'orders-db']);
      doc.setIn(['services', 'orders', 'environment', 'DATABASE_URL'], 'postgres://orders@managed.example.com:5432/orders');
    });
    const pkg = path.join(cwd, 'services/notifier/package.json');
    writeFileSync(pkg, read(cwd, 'services/notifier/package.json').replace('"dependencies": {', '"dependencies": {\n    "pg": "8.23.1",'));
    await generate('compose', {}, { cwd });
    const after = compose(cwd);
    expect(after.services).not.toHaveProperty('orders-db');
    expect(after.services).not.toHaveProperty('notifier-db');
    expect((after.services.orders!.environment as Record<string, string>).DATABASE_URL).toBe('postgres://orders@managed.example.com:5432/orders');
  });

  it('writes the header of a recreated compose.yaml safely from any workspace description', async () => {
    const cwd = await workspace();
    const pkg = path.join(cwd, 'package.json');
    const json = JSON.parse(read(cwd, 'package.json')) as Record<string, unknown>;
    for (const description of HOSTILE) {
      writeFileSync(pkg, JSON.stringify({ ...json, description }, null, 2));
      rmSync(path.join(cwd, 'compose.yaml'));
      await generate('compose', {}, { cwd });
      const doc = parseDocument(read(cwd, 'compose.yaml'));
      expect(doc.errors, description).toEqual([]);
      expect(Object.keys(compose(cwd).services)).toContain('orders');
      expect(read(cwd, 'compose.yaml').split('\n')[0]!.startsWith('#'), description).toBe(true);
    }
  });

  it('a hand-written service folder with a Dockerfile gets its entries under its folder name; a folder name compose cannot take is reported', async () => {
    const cwd = await workspace();
    mkdirSync(path.join(cwd, 'services/odd'));
    writeFileSync(path.join(cwd, 'services/odd/package.json'), JSON.stringify({ name: 'Odd "name"\n  x: ${y}', dependencies: { fastify: '5.12.8' } }));
    writeFileSync(path.join(cwd, 'services/odd/Dockerfile'), 'FROM node:22\nEXPOSE 3100\n');
    const hostile = 'Bad "dir" ${y} `x` #';
    mkdirSync(path.join(cwd, 'services', hostile));
    writeFileSync(path.join(cwd, 'services', hostile, 'package.json'), JSON.stringify({ name: 'bad', dependencies: { fastify: '5.12.8' } }));
    writeFileSync(path.join(cwd, 'services', hostile, 'Dockerfile'), 'FROM node:22\nEXPOSE 3200\n');
    const log = recordingLogger();
    await generate('compose', {}, { cwd, log });
    const after = compose(cwd);
    expect(after.services.odd).toMatchObject({ build: { context: './services/odd' }, environment: { PORT: '3100', OTEL_SERVICE_NAME: 'odd' } });
    expect((after.services.gateway!.environment as Record<string, string>).ODD_SERVICE_URL).toBe('http://odd:3100');
    expect(Object.keys(after.services).filter((key) => key.includes('"') || key.includes('$'))).toEqual([]);
    expect(log.warnings.filter((w) => w.startsWith(`services/${hostile}: left out of compose.yaml: `))).toHaveLength(1);
    expect(await composeSchemaErrors(after)).toEqual([]);
  });

  it('an entry the user renamed keeps its name: the folder it builds gets no second entry', async () => {
    const cwd = await workspace();
    writeFileSync(path.join(cwd, 'compose.yaml'), read(cwd, 'compose.yaml').replace(/^  notifier:$/m, '  notifier-api:'));
    const before = snapshotDir(cwd);
    const log = recordingLogger();
    const run = await generate('compose', {}, { cwd, log });
    expect(notUnchanged(run.plan)).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(before);
    expect(log.infos).toContain('compose.yaml: services/notifier runs as notifier-api, an entry of yours: left as it is');
  });

  it('--check: exit 0 when up to date; exit 1 with a unified diff of every file out of date, nothing written; --dry-run shows the same diff', async () => {
    const cwd = await workspace();
    const clean = await runCli(['compose', '--check'], { cwd });
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, 'Up to date with the workspace: a run would change nothing.\n', '']);

    // Out of date: a healthcheck deleted, a password variable gone from .env.example.
    editCompose(cwd, (doc) => doc.deleteIn(['services', 'payments-db', 'healthcheck']));
    const env = path.join(cwd, '.env.example');
    writeFileSync(env, read(cwd, '.env.example').replace(/^ORDERS_DB_PASSWORD=.*\n/m, ''));
    const stale = snapshotDir(cwd);
    const check = await runCli(['compose', '--check'], { cwd });
    expect(check.code).toBe(1);
    expect(check.stderr.split('\n')).toEqual([
      'error 2 files are out of date with the workspace: .env.example, compose.yaml',
      'Run `npx arch compose` to bring them in line, then commit the result.',
      '',
    ]);
    expect(snapshotDir(cwd)).toEqual(stale);
    const lines = check.stdout.split('\n');
    expect(lines.filter((l) => !l.startsWith('    '))).toEqual(['  update     .env.example', '  update     compose.yaml', 'Out of date: 0 to create, 2 to update; nothing written.', '']);
    expect(lines).toEqual(expect.arrayContaining(['    --- a/compose.yaml', '    +++ b/compose.yaml', '    +    healthcheck:', '    +ORDERS_DB_PASSWORD=change-me']));

    // Each diff is a real patch: applied to the file on disk, it gives what `arch compose` writes.
    const patches = check.stdout.split(/^  update +\S+\n/m).slice(1).map((block) => block.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.slice(4)).join('\n') + '\n');
    const dry = await runCli(['compose', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    for (const patch of patches) expect(dry.stdout).toContain(patch.trimEnd().split('\n').map((l) => `    ${l}`).join('\n'));
    expect(snapshotDir(cwd)).toEqual(stale);
    expect((await runCli(['compose', '--yes'], { cwd })).code).toBe(0);
    expect(applyPatch(stale['.env.example']!, patches[0]!)).toBe(read(cwd, '.env.example'));
    expect(applyPatch(stale['compose.yaml']!, patches[1]!)).toBe(read(cwd, 'compose.yaml'));
    expect((await runCli(['compose', '--check'], { cwd })).code).toBe(0);
  });

  it('--check is offered by sync generators only, and the help says what it does', async () => {
    const cwd = await workspace();
    const help = await runCli(['compose', '--help'], { cwd });
    expect(help.stdout).toMatch(/--check\s+write nothing; exit 1 with a diff when a file is out of date/);
    expect(help.stdout).toContain('$ arch compose --check');
    const other = await runCli(['add-gateway', '--check', '--yes'], { cwd });
    expect([other.code, other.stderr.split('\n')[0]]).toEqual([2, "error unknown option '--check'"]);
  });

  it('refuses bad input with one line, exit 2, nothing written', async () => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    for (const args of [['compose', '--bogus'], ['compose', 'extra-argument']]) {
      const res = await runCli([...args, '--yes'], { cwd });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    }
    writeFileSync(path.join(cwd, 'compose.yaml'), 'services:\n  orders: [unclosed\n');
    const broken = snapshotDir(cwd);
    const res = await runCli(['compose', '--yes'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('compose.yaml: cannot parse YAML');
    expect(snapshotDir(cwd)).toEqual(broken);
    writeFileSync(path.join(cwd, 'compose.yaml'), before['compose.yaml']!);

    const dry = await runCli(['compose', '--dry-run', '--prune'], { cwd });
    expect(dry.code).toBe(0);
    expect(snapshotDir(cwd)).toEqual(before);

    const outside = tmpDir();
    const away = await runCli(['compose', '--yes'], { cwd: outside });
    expect(away.code).toBe(2);
    expect(away.stderr).toContain('arch compose runs inside an archkit workspace');
    expect(snapshotDir(outside)).toEqual({});
  });
});

describe('isUpgradeOf', () => {
  it.for([
    ['postgres:17.7-alpine', 'postgres:17.5-alpine', true],
    ['postgres:17.7-alpine', 'postgres:17.7-alpine', false],
    ['postgres:17.7-alpine', 'postgres:17.9-alpine', false],
    ['postgres:17.7-alpine', 'postgres:16.9-alpine', false],
    ['postgres:17.7-alpine', 'postgres:17.5', false],
    ['postgres:17.7-alpine', 'postgres:17-alpine', false],
    ['postgres:17.7-alpine', 'bitnami/postgresql:17.5', false],
    ['postgres:17.7-alpine', 'postgres@sha256:0123', false],
    ['redis:8.2.2-alpine', 'redis:8.0.10-alpine', true],
    ['otel/opentelemetry-collector-contrib:0.128.0', 'otel/opentelemetry-collector-contrib:0.128.0', false],
    ['otel/opentelemetry-collector-contrib:0.128.1', 'otel/opentelemetry-collector-contrib:0.128.0', true],
    ['otel/opentelemetry-collector-contrib:0.128.0', 'otel/opentelemetry-collector-contrib:0.120.0', false],
    ['registry.local:5000/team/api:1.2.3', 'registry.local:5000/team/api:1.2.0', true],
    ['registry.local:5000/team/api:1.2.3', 'registry.local:5000/team/api', false],
  ] as const)('%s over %s: %s', ([ours, theirs, expected]) => {
    expect(isUpgradeOf(ours, theirs)).toBe(expected);
  });
});
