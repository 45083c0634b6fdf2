import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { findWorkspaceRoot, scan } from '../../src/model/scan.js';
import { tmpDir } from '../helpers/tmp.js';

function repo(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), content);
  }
  return root;
}

const pkg = (name: string, deps: string[] = []) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) });

describe('scan', () => {
  it('finds workspace services, joins compose, and gives databases an identity', async () => {
    const root = repo({
      'package.json': JSON.stringify({ name: 'shop', workspaces: ['services/*', 'packages/*'] }),
      'arch.config.json': '{}',
      'services/orders/package.json': pkg('orders', ['fastify', 'pg', 'amqplib']),
      'services/orders/tsconfig.json': '{}',
      'services/payments/package.json': pkg('payments', ['express', 'pg']),
      'packages/shared-types/package.json': pkg('@shop/types'),
      'compose.yaml': [
        'services:',
        '  orders:',
        '    build: ./services/orders',
        '    environment:',
        '      DATABASE_URL: postgres://app:${ORDERS_DB_PASSWORD}@orders-db:5432/orders',
        '    depends_on: [orders-db, rabbitmq]',
        '    healthcheck:',
        '      test: ["CMD", "true"]',
        '  orders-db:',
        '    image: postgres:17.7-alpine',
        '    environment:',
        '      POSTGRES_DB: orders',
        '  payments:',
        '    build:',
        '      context: services/payments',
        '    environment:',
        '      - DATABASE_URL=postgres://app@orders-db:5432/orders',
        '    deploy:',
        '      replicas: 3',
        '  billing:',
        '    image: example/billing-go:1.4.0',
        '    ports: ["8080:8080"]',
        '  rabbitmq:',
        '    image: rabbitmq:4.1-management',
        '',
      ].join('\n'),
    });
    const model = await scan(root);
    expect(model.kind).toBe('workspace');
    expect(model.workspace).toEqual({ patterns: ['services/*', 'packages/*'], configFile: 'arch.config.json', composeFile: 'compose.yaml' });
    expect(model.services.map((s) => [s.name, s.dir, s.origins])).toEqual([
      ['billing', null, ['compose']],
      ['orders', 'services/orders', ['workspace', 'compose']],
      ['payments', 'services/payments', ['workspace', 'compose']],
    ]);
    const orders = model.services.find((s) => s.name === 'orders')!;
    expect(orders).toMatchObject({ language: 'typescript', frameworks: ['fastify'], databaseClients: ['postgres'], brokers: ['rabbitmq'], databases: ['postgres://orders-db/orders'] });
    expect(orders.compose).toMatchObject({ key: 'orders', line: 2, healthcheck: true, dependsOn: ['orders-db', 'rabbitmq'] });
    expect(model.services.find((s) => s.name === 'payments')!.compose!.replicas).toBe(3);
    expect(model.databases).toEqual([
      { id: 'postgres://orders-db/orders', engine: 'postgres', host: 'orders-db', name: 'orders', container: 'orders-db', users: ['orders', 'payments'], location: { file: 'compose.yaml', line: 9 } },
    ]);
    expect(model.brokers).toEqual([{ kind: 'rabbitmq', container: 'rabbitmq', location: { file: 'compose.yaml', line: 23 } }]);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('tells two databases on one server apart', async () => {
    const root = repo({
      'compose.yaml': [
        'services:',
        '  a:',
        '    image: example/a:1',
        '    environment: { DATABASE_URL: "postgres://u@pg:5432/a" }',
        '  b:',
        '    image: example/b:1',
        '    environment: { DATABASE_URL: "postgres://u@pg:5432/b" }',
        '',
      ].join('\n'),
    });
    const model = await scan(root);
    expect(model.databases.map((d) => [d.id, d.users])).toEqual([
      ['postgres://pg/a', ['a']],
      ['postgres://pg/b', ['b']],
    ]);
  });

  it('finds a standalone service and the gateway', async () => {
    expect(await scan(repo({ 'package.json': pkg('@acme/api-gateway', ['fastify']) }))).toMatchObject({
      kind: 'standalone',
      gateway: 'api-gateway',
      services: [{ name: 'api-gateway', dir: '.', isGateway: true }],
    });
  });

  it('a service whose build folder is missing stays a service, unless its name is an infrastructure product', async () => {
    const root = repo({
      'services/orders/package.json': pkg('orders', ['fastify']),
      'services/orders/Dockerfile': 'FROM node:22\n',
      'compose.yaml': [
        'services:',
        '  orders:',
        '    build: ./services/orders',
        '  billing:',
        '    build: ./services/billing',
        '  kibana:',
        '    build: ./elk/kibana',
        '  search:',
        '    build: ./elk/search',
        '',
      ].join('\n'),
    });
    const model = await scan(root);
    expect(model.services.map((s) => s.name).sort()).toEqual(['billing', 'orders', 'search']);
    expect(model.infrastructure.find((i) => i.key === 'kibana')).toMatchObject({ image: null, role: 'observability' });
  });

  it("a gateway service's upstreams from URL variables carry a breaker when it is built on a breaker library", async () => {
    const gatewayRepo = (deps: string[]) =>
      repo({
        'arch.config.json': JSON.stringify({ gateway: 'gateway' }),
        'services/gateway/package.json': pkg('gateway', deps),
        'services/orders/package.json': pkg('orders', ['fastify']),
        'compose.yaml': ['services:', '  gateway:', '    build: ./services/gateway', '    environment:', '      ORDERS_URL: http://orders:3000', '  orders:', '    build: ./services/orders', ''].join('\n'),
      });
    const routes = async (deps: string[]) => (await scan(gatewayRepo(deps), { source: true })).gateways.flatMap((g) => g.routes.map((r) => [r.target, r.breaker]));
    expect(await routes(['fastify', '@fastify/http-proxy', 'opossum'])).toEqual([['orders', true]]);
    expect(await routes(['fastify', '@fastify/http-proxy'])).toEqual([['orders', false]]);
  });

  it('turns unparseable files into diagnostics, not crashes', async () => {
    const model = await scan(repo({ 'package.json': '{ nope', 'compose.yaml': 'services:\n  a: [\n' }));
    expect(model.diagnostics.map((d) => d.file)).toEqual(['compose.yaml', 'package.json']);
    expect(model.kind).toBe('unknown');
  });

  it('refuses a broken arch.config.json with a ConfigError', async () => {
    await expect(scan(repo({ 'arch.config.json': '{ "rules": ' }))).rejects.toThrow(ConfigError);
  });

  it('findWorkspaceRoot walks up to the workspace', () => {
    const root = repo({ 'arch.config.json': '{}', 'services/orders/src/x.ts': '' });
    expect(findWorkspaceRoot(path.join(root, 'services/orders/src'))).toBe(root);
    expect(findWorkspaceRoot(tmpDir())).toBeNull();
  });
});
