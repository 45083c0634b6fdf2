import { describe, expect, it } from 'vitest';
import { lines, repo } from '../helpers/repo.js';
import { runCli } from '../helpers/run-cli.js';

const pkg = (name: string, deps: string[]) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) });

/** orders calls payments through an opossum breaker; payments calls stock once per item, with no breaker. */
const shop = () =>
  repo({
    'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*'] }),
    'compose.yaml': lines(
      'services:',
      '  orders:',
      '    build: ./services/orders',
      '    environment:',
      '      DATABASE_URL: postgres://app@orders-db:5432/orders',
      '    healthcheck:',
      '      test: ["CMD", "true"]',
      '  payments:',
      '    build: ./services/payments',
      '    environment:',
      '      DATABASE_URL: postgres://app@orders-db:5432/payments',
      '  stock:',
      '    build: ./services/stock',
      '    environment:',
      '      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318',
      '  orders-db:',
      '    image: postgres:17',
    ),
    'services/orders/package.json': pkg('orders', ['fastify', 'axios', 'opossum', 'pg']),
    'services/orders/src/main.ts': lines(
      "import axios from 'axios';",
      "import CircuitBreaker from 'opossum';",
      '',
      'async function pay(id: string) {',
      '  return axios.post(`http://payments:3000/pay/${id}`);',
      '}',
      'const breaker = new CircuitBreaker(pay, { timeout: 2000 });',
      'export const order = (id: string) => breaker.fire(id);',
    ),
    'services/payments/package.json': pkg('payments', ['fastify', 'pg']),
    'services/payments/src/main.ts': lines('export async function reserve(ids: string[]) {', '  for (const id of ids) {', '    await fetch(`http://stock:3000/items/${id}`);', '  }', '}'),
    'services/stock/package.json': pkg('stock', ['fastify', 'amqplib']),
    'services/stock/src/main.ts': 'export const stock = 1;\n',
  });

describe('arch check --explain', () => {
  it('circuit-breakers: the verdict, then per service its calls (where, per item, behind a breaker) and its breakers', async () => {
    const root = shop();
    const { code, stdout, stderr } = await runCli(['check', root, '--explain', 'circuit-breakers'], { cwd: root });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const text = stdout.split('\n');
    expect(text[0]).toBe('Circuit breakers for resilience: pass');
    expect(text[1]).toMatch(/breakers protect the calls of orders/);
    expect(text[1]).toMatch(/unprotected: payments/);
    const block = (name: string) => text.slice(text.findIndex((l) => l.startsWith(`${name} (`)), text.findIndex((l) => l.startsWith(`${name} (`)) + 3);
    expect(block('orders')).toEqual([
      'orders (services/orders; javascript, 1 source file read, build manifest read)',
      '  calls: payments (services/orders/src/main.ts:5, behind a breaker)',
      expect.stringMatching(/^ {2}breakers: .*\(services\/orders\/src\/main\.ts:5\)/),
    ]);
    expect(block('payments')).toEqual(['payments (services/payments; javascript, 1 source file read, build manifest read)', '  calls: stock (services/payments/src/main.ts:3, per item)', '  breakers: none found']);
    expect(block('stock')).toEqual(['stock (services/stock; javascript, 1 source file read, build manifest read)', '  calls: no call to another service found', '  breakers: none found']);
    // Only the findings of this item follow.
    const findings = text.slice(text.findIndex((l) => l.startsWith('findings (')));
    expect(findings).toEqual(['findings (1):', '  services/payments/src/main.ts:3 payments makes 1 call to other services and uses no circuit breaker at all (circuit-breakers)', '']);
  });

  it('shared-database: the identities per service', async () => {
    const root = shop();
    const { stdout } = await runCli(['check', root, '--explain', 'shared-database'], { cwd: root });
    expect(stdout).toMatch(/^Anti-pattern: shared database: pass\n/);
    expect(stdout).toContain('  databases: postgres://orders-db/orders\n');
    expect(stdout).toContain('  databases: postgres://orders-db/payments\n');
    expect(stdout).toContain('  databases: no connection setting found\n');
  });

  it('an unknown item name is one clear line and exit 2', async () => {
    const root = shop();
    const { code, stdout, stderr } = await runCli(['check', root, '--explain', 'circuit-breaker'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/circuit-breaker/);
    expect(stderr).toMatch(/circuit-breakers/);
  });
});

describe('arch check --format json: services[]', () => {
  it('gives each service its facts: database identity, health, tracing, breakers, brokers, sync calls with files', async () => {
    const root = shop();
    const { stdout } = await runCli(['check', root, '--format', 'json'], { cwd: root });
    const report = JSON.parse(stdout) as { services: Array<Record<string, unknown>> };
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['orders', 'payments', 'stock']);
    expect(byName.orders).toMatchObject({
      dir: 'services/orders',
      databases: ['postgres://orders-db/orders'],
      health: { answer: 'yes', evidence: [expect.stringContaining('compose healthcheck (compose.yaml:2)')] },
      tracing: { answer: 'no' },
      brokers: [],
      syncCalls: [{ to: 'payments', at: 'services/orders/src/main.ts:5', inLoop: false, breaker: true }],
    });
    expect((byName.orders!.breakers as string[]).length).toBeGreaterThan(0);
    expect(byName.payments).toMatchObject({
      databases: ['postgres://orders-db/payments'],
      health: { answer: 'no' },
      breakers: [],
      syncCalls: [{ to: 'stock', at: 'services/payments/src/main.ts:3', inLoop: true, breaker: false }],
    });
    expect(byName.stock).toMatchObject({
      databases: [],
      tracing: { answer: 'yes', evidence: ['OTEL_EXPORTER_OTLP_ENDPOINT (compose.yaml:12)'] },
      brokers: ['rabbitmq'],
      syncCalls: [],
      breakers: [],
    });
  });
});
