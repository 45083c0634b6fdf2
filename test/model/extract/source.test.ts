import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { emptySourceFacts, scanSource, sourceJobs } from '../../../src/model/extract/source.js';
import { extractInProcess, extractWithWorkers, locateWorker, workerCount } from '../../../src/model/extract/source-pool.js';
import { ServiceMatcher } from '../../../src/model/extract/source-targets.js';
import type { ScanContext } from '../../../src/model/extract/source-types.js';
import { HOSTILE } from '../../helpers/hostile.js';
import { tmpDir } from '../../helpers/tmp.js';
import { at, call, listAll, scan, write } from './source-helpers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/source/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const scanFixture = (name: string, services: string[], serviceNames?: string[]) => scan(path.join(FIXTURES, name), services, serviceNames);

describe('scanSource: an Express service', () => {
  it('finds axios calls in loops, env URLs, health route, memory sessions and local files; skips node_modules, dist and .d.ts', async () => {
    const { facts, diagnostics, parsed } = await scanFixture('express', ['orders'], ['orders', 'payments', 'inventory']);
    const f = 'services/orders/src/server.js';
    expect(diagnostics).toEqual([]);
    expect(parsed).toBe(1);
    expect(facts('orders')).toEqual({
      files: 1,
      tracing: null,
      healthRoutes: [{ path: '/health', location: at(f, 14, 1) }],
      calls: [
        call({ client: 'axios', method: 'POST', url: 'env:PAYMENTS_URL', envVar: 'PAYMENTS_URL', target: 'payments', inLoop: true, location: at(f, 17, 68) }),
        call({ client: 'axios', url: 'http://inventory-service:8080/stock/${order.sku}', target: 'inventory', inLoop: true, location: at(f, 19, 11) }),
        call({ method: 'PUT', url: 'env:NOTIFY_URL', envVar: 'NOTIFY_URL', location: at(f, 27, 26) }),
      ],
      messaging: [],
      crossImports: [],
      localState: [
        { kind: 'memory-session', detail: 'express-session without a store (sessions kept in process memory)', location: at(f, 12, 9) },
        { kind: 'local-file', detail: "writeFileSync('data/last-batch.json') writes to the local disk", location: at(f, 21, 3) },
      ],
      sagas: [],
    });
  });
});

describe('scanSource: sagas', () => {
  it('reads a saga\'s ordered steps from a SagaStep[] (orchestration) or ChoreographyStep[] array; ignores other arrays and non-literal steps', async () => {
    const root = tmpDir();
    write(root, {
      'services/orders/src/sagas/place-order/definition.ts': `import type { SagaStep } from '../saga.js';
export const placeOrderSteps: readonly SagaStep[] = [
  { name: 'orders', timeoutMs: 30_000, compensationRetries: 5 },
  { name: 'payments', timeoutMs: 30_000, compensationRetries: 5 },
];
`,
      'services/orders/src/refund.ts': `const refundSteps: Array<SagaStep> = [{ name: 'payments' }, { name: 'orders' }];
const notSteps: string[] = ['a', 'b'];
const dynamic: SagaStep[] = [{ name: pick() }];
export { refundSteps, notSteps, dynamic };
`,
      'services/orders/src/sagas/ship/ship.choreography.ts': `import type { ChoreographyStep } from '../initiator.js';
export const shipSteps: readonly ChoreographyStep[] = [{ name: 'orders' }, { name: 'shipping' }];
`,
    });
    const { facts } = await scan(root, ['orders']);
    expect(facts('orders').sagas).toEqual([
      { name: 'refund', style: 'orchestration', steps: ['payments', 'orders'], location: at('services/orders/src/refund.ts', 1, 38) },
      { name: 'place-order', style: 'orchestration', steps: ['orders', 'payments'], location: at('services/orders/src/sagas/place-order/definition.ts', 2, 53) },
      { name: 'ship', style: 'choreography', steps: ['orders', 'shipping'], location: at('services/orders/src/sagas/ship/ship.choreography.ts', 2, 55) },
    ]);
  });
});

describe('scanSource: a NestJS service', () => {
  it('finds HttpService calls with ConfigService URLs, event patterns with the Kafka transport, client.emit, controller health routes', async () => {
    const { facts, diagnostics } = await scanFixture('nest', ['billing'], ['billing', 'users']);
    const dir = 'services/billing/src';
    expect(diagnostics).toEqual([]);
    expect(facts('billing')).toEqual({
      files: 4,
      tracing: null,
      healthRoutes: [
        { path: '/health', location: at(`${dir}/health.controller.ts`, 8, 3) },
        { path: '/health/live', location: at(`${dir}/health.controller.ts`, 14, 3) },
      ],
      calls: [
        call({ client: '@nestjs/axios', url: 'env:USERS_SERVICE_URL', envVar: 'USERS_SERVICE_URL', target: 'users', location: at(`${dir}/users.client.ts`, 15, 43) }),
        call({ client: '@nestjs/axios', method: 'POST', url: 'http://users:3000/users/${id}/name', target: 'users', location: at(`${dir}/users.client.ts`, 20, 26) }),
      ],
      messaging: [
        { broker: 'kafka', role: 'consumer', channel: 'order-created', location: at(`${dir}/invoices.controller.ts`, 12, 3) },
        { broker: 'kafka', role: 'producer', channel: 'invoice-created', location: at(`${dir}/invoices.controller.ts`, 15, 5) },
        // @MessagePattern({ cmd: 'invoice.get' }) answers requests: nobody emits the pattern, so it consumes nothing.
      ],
      crossImports: [],
      localState: [],
      sagas: [],
    });
  });

  it('drops patterns of a TCP microservice, and takes the broker from package.json when no transport is visible', async () => {
    const root = tmpDir();
    const controller = "import { EventPattern } from '@nestjs/microservices';\nexport class C {\n  @EventPattern('x')\n  on() {}\n}\n";
    write(root, {
      'services/tcp/src/c.ts': controller,
      'services/tcp/src/main.ts': "import { Transport } from '@nestjs/microservices';\nexport const options = { transport: Transport.TCP };\n",
      'services/rmq/package.json': JSON.stringify({ name: 'rmq', dependencies: { amqplib: '^0.10.0' } }),
      'services/rmq/src/c.ts': controller,
      'services/none/src/c.ts': controller,
    });
    const { facts } = await scan(root, ['tcp', 'rmq', 'none']);
    expect(facts('tcp').messaging).toEqual([]);
    expect(facts('none').messaging).toEqual([]);
    expect(facts('rmq').messaging).toEqual([{ broker: 'rabbitmq', role: 'consumer', channel: 'x', location: at('services/rmq/src/c.ts', 3, 3) }]);
  });
});

describe('scanSource: the archkit-generated service shape', () => {
  it('counts calls through the opossum service-client as outbound calls behind a breaker, with their targets', async () => {
    const { facts, diagnostics, parsed } = await scanFixture('generated', ['orders', 'payments'], ['orders', 'payments', 'inventory']);
    const dir = 'services/orders/src';
    expect(diagnostics).toEqual([]);
    expect(parsed).toBe(8);
    expect(facts('orders')).toEqual({
      files: 7,
      tracing: at(`${dir}/instrumentation.ts`, 7, 9),
      healthRoutes: [
        { path: '/health/live', location: at(`${dir}/health/routes.ts`, 4, 3) },
        { path: '/health/ready', location: at(`${dir}/health/routes.ts`, 5, 3) },
      ],
      calls: [
        // The request inside the client itself: run by the breaker through `call` → `attempt`.
        call({ method: null, url: "${baseUrl}/${request.path.replace(/^\\/+/, '')}", breaker: true, location: at(`${dir}/http/service-client.ts`, 24, 28) }),
        // payments = createServiceClient({ name: 'payments', baseUrl: serviceUrlOf(config, 'payments') }), imported from clients.ts
        call({ client: 'service-client', method: 'POST', url: '/charges', target: 'payments', breaker: true, inLoop: true, location: at(`${dir}/routes/orders.ts`, 11, 13) }),
        call({
          client: 'service-client',
          url: 'env:INVENTORY_SERVICE_URL',
          envVar: 'INVENTORY_SERVICE_URL',
          target: 'inventory',
          breaker: true,
          location: at(`${dir}/routes/orders.ts`, 13, 11),
        }),
      ],
      messaging: [],
      crossImports: [],
      localState: [],
      sagas: [],
    });
    expect(facts('payments')).toEqual({ ...emptySourceFacts(), files: 1, healthRoutes: [{ path: '/healthz', location: at('services/payments/src/main.ts', 4, 1) }] });
  });
});

describe('scanSource: brokers', () => {
  it('finds kafkajs, amqplib and nats producers and consumers, with constants resolved across files', async () => {
    const { facts } = await scanFixture('messaging', ['notifier', 'audit']);
    const dir = 'services/notifier/src';
    const kafka = (role: 'producer' | 'consumer', channel: string | null, file: string, line: number, column: number) => ({ broker: 'kafka', role, channel, location: at(`${dir}/${file}`, line, column) });
    const rabbit = (role: 'producer' | 'consumer', channel: string, line: number, column: number) => ({ broker: 'rabbitmq', role, channel, location: at(`${dir}/rabbit.ts`, line, column) });
    expect(facts('notifier').messaging).toEqual([
      // publish(topic, …) sends to its parameter: its callers name the topics, conditions give both.
      kafka('producer', 'order-created', 'events.ts', 8, 80),
      kafka('producer', 'order-cancelled', 'events.ts', 8, 80),
      kafka('producer', 'email-sent', 'jobs.ts', 5, 9),
      kafka('producer', 'email-queued', 'jobs.ts', 6, 9),
      kafka('producer', 'order-created', 'kafka.ts', 9, 9),
      kafka('consumer', 'payment-settled', 'kafka.ts', 14, 9),
      kafka('consumer', 'env:REFUNDS_TOPIC', 'kafka.ts', 14, 9),
      kafka('consumer', null, 'kafka.ts', 15, 9),
      // topics: [...CONSUMED], an imported constant array
      kafka('consumer', 'payment-failed', 'kafka.ts', 16, 9),
      kafka('consumer', 'payment-settled', 'kafka.ts', 16, 9),
      rabbit('producer', 'notifications', 9, 3),
      rabbit('producer', 'sms', 10, 3),
      rabbit('producer', 'emails', 11, 3),
      rabbit('consumer', 'emails', 12, 9),
    ]);
    expect(facts('notifier').calls).toEqual([]);
    expect(facts('audit')).toMatchObject({
      tracing: at('services/audit/src/index.ts', 1, 1),
      messaging: [
        { broker: 'nats', role: 'producer', channel: 'audit.started', location: at('services/audit/src/index.ts', 6, 1) },
        { broker: 'nats', role: 'consumer', channel: 'audit.>', location: at('services/audit/src/index.ts', 7, 13) },
      ],
    });
  });
  it('takes a RabbitMQ consumer from bindQueue(queue, exchange): the exchange is the channel, not the queue', async () => {
    const root = tmpDir();
    write(root, {
      'services/payments/src/messaging/consume.ts': [
        "import type { Channel } from 'amqplib';",
        'export async function consumeFromExchange(channel: Channel, exchange: string, queue: string): Promise<void> {',
        "  await channel.assertExchange(exchange, 'topic', { durable: true });",
        '  await channel.assertQueue(queue, { durable: true });',
        "  await channel.bindQueue(queue, exchange, '#');",
        '  await channel.consume(queue, () => undefined);',
        '}',
        '',
      ].join('\n'),
      'services/payments/src/messaging/order-created.ts': [
        "import type { Channel } from 'amqplib';",
        "import { consumeFromExchange } from './consume.js';",
        "export const ORDER_CREATED_TOPIC = 'order-created';",
        "export const start = (channel: Channel) => consumeFromExchange(channel, ORDER_CREATED_TOPIC, 'payments.order-created');",
        '',
      ].join('\n'),
      'services/audit/src/main.ts': [
        "import amqp from 'amqplib';",
        "const channel = await (await amqp.connect('amqp://localhost')).createChannel();",
        "await channel.bindQueue('audit.all', 'payments', '#');",
        "await channel.consume('audit.all', () => undefined);",
        "await channel.consume('audit.direct', () => undefined);",
        'export function deadLetter(queue: string, body: Buffer) {',
        '  channel.sendToQueue(`${queue}.dlq`, body);',
        "  channel.sendToQueue('audit.' + queue, body);",
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['payments', 'audit']);
    expect(facts('payments').messaging).toEqual([
      { broker: 'rabbitmq', role: 'consumer', channel: 'order-created', location: at('services/payments/src/messaging/order-created.ts', 4, 44) },
    ]);
    expect(facts('audit').messaging).toEqual([
      { broker: 'rabbitmq', role: 'consumer', channel: 'payments', location: at('services/audit/src/main.ts', 3, 7) },
      { broker: 'rabbitmq', role: 'consumer', channel: 'audit.direct', location: at('services/audit/src/main.ts', 5, 7) },
      // Names built from unknown parts are no channel (not the text `${queue}.dlq`).
      { broker: 'rabbitmq', role: 'producer', channel: null, location: at('services/audit/src/main.ts', 7, 3) },
      { broker: 'rabbitmq', role: 'producer', channel: null, location: at('services/audit/src/main.ts', 8, 3) },
    ]);
  });
});

describe('scanSource: URLs', () => {
  it('follows variables, destructuring, config objects of sibling modules and URL helpers; a rebound name forgets its value', async () => {
    const root = tmpDir();
    write(root, {
      'services/a/src/config.ts': "export const config = { upstream: { payments: process.env.PAYMENTS_BASE_URL ?? 'http://localhost:3001' } };\n",
      'services/a/src/calls.ts': [
        "import { config } from './config.js';",
        'const { ORDERS_URL: orders = "http://localhost:3002" } = process.env;',
        'export async function one() {',
        '  const url = `http://inventory-svc:8080/items`;',
        '  await fetch(url);',
        '  await fetch(`${config.upstream.payments}/charges`);',
        "  await fetch(new URL('/orders', orders));",
        '}',
        'export async function two(id: string) {',
        '  const url = build(id);',
        '  await fetch(url, { method: id ? "POST" : "PUT" });',
        '}',
        'declare function build(id: string): string;',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['a'], ['a', 'payments', 'orders', 'inventory']);
    const f = 'services/a/src/calls.ts';
    expect(facts('a').calls).toEqual([
      call({ url: 'http://inventory-svc:8080/items', target: 'inventory', location: at(f, 5, 9) }),
      call({ url: 'env:PAYMENTS_BASE_URL', envVar: 'PAYMENTS_BASE_URL', target: 'payments', location: at(f, 6, 9) }),
      call({ url: 'env:ORDERS_URL', envVar: 'ORDERS_URL', target: 'orders', location: at(f, 7, 9) }),
      call({ method: 'POST', location: at(f, 11, 9) }),
    ]);
  });
});

describe('scanSource: request and environment defaults', () => {
  it("the request library is an HTTP client, and a host from an environment variable with the code's default is a placeholder the join resolves", async () => {
    const root = tmpDir();
    write(root, {
      'services/cart/server.js': [
        "const request = require('request');",
        "var catalogueHost = process.env.CATALOGUE_HOST || 'catalogue';",
        'function product(sku) {',
        "  request('http://' + catalogueHost + ':8080/product/' + sku, () => {});",
        "  request.post({ url: 'http://' + process.env.USER_HOST + '/users' }, () => {});",
        '}',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['cart'], ['cart', 'catalogue', 'user']);
    const f = 'services/cart/server.js';
    expect(facts('cart').calls).toEqual([
      call({ client: 'request', url: 'http://${CATALOGUE_HOST:-catalogue}:8080/product/${…}', location: at(f, 4, 3) }),
      call({ client: 'request', method: 'POST', url: 'http://${USER_HOST}/users', location: at(f, 5, 3) }),
    ]);
  });
});

describe('scanSource: tracing', () => {
  it('finds OpenTelemetry, Sentry with tracing and Elastic APM set-ups, the first one per service', async () => {
    const root = tmpDir();
    write(root, {
      'services/otel/src/tracing.ts': [
        "import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';",
        "import { registerInstrumentations } from '@opentelemetry/instrumentation';",
        'registerInstrumentations({ instrumentations: [] });',
        'export const provider = new NodeTracerProvider();',
      ].join('\n'),
      'services/sentry/src/main.ts': "import * as Sentry from '@sentry/node';\nSentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.1 });\n",
      'services/errors-only/src/main.ts': "import * as Sentry from '@sentry/node';\nSentry.init({ dsn: process.env.SENTRY_DSN });\n",
      'services/apm/src/main.js': "require('elastic-apm-node').start({ serviceName: 'apm' });\n",
      'services/none/src/main.ts': "export async function fetch() {}\nawait fetch();\n",
    });
    const { facts } = await scan(root, ['otel', 'sentry', 'errors-only', 'apm', 'none']);
    expect(facts('otel').tracing).toEqual(at('services/otel/src/tracing.ts', 3, 1));
    expect(facts('sentry').tracing).toEqual(at('services/sentry/src/main.ts', 2, 1));
    expect(facts('errors-only').tracing).toBeNull();
    expect(facts('apm').tracing).toEqual(at('services/apm/src/main.js', 1, 1));
    // A function of the file named fetch is not the global fetch.
    expect(facts('none')).toEqual({ ...emptySourceFacts(), files: 1 });
  });
});

describe('scanSource: clients and breakers', () => {
  it('recognises each HTTP client and gRPC, and which calls an opossum, cockatiel or wrapper breaker runs', async () => {
    const { facts } = await scanFixture('breakers', ['checkout'], ['checkout', 'payments', 'shipping', 'tax', 'cart', 'inventory']);
    const f = 'services/checkout/src/calls.ts';
    expect(facts('checkout').calls).toEqual([
      // new CircuitBreaker(chargeCard) runs chargeCard
      call({ client: 'axios', method: 'POST', url: 'http://payments:3000/cards/${id}/charge', target: 'payments', breaker: true, location: at(f, 16, 10) }),
      // policy.execute(() => fetch(…)) with cockatiel
      call({ url: 'http://shipping-svc/quotes', target: 'shipping', breaker: true, location: at(f, 22, 30) }),
      // withBreaker(() => got.post(…)), withBreaker from a sibling module
      call({ client: 'got', method: 'POST', url: 'http://tax-api/rates', target: 'tax', breaker: true, location: at(f, 23, 27) }),
      call({ client: 'axios', url: 'env:CART_SERVICE_URL', envVar: 'CART_SERVICE_URL', target: 'cart', location: at(f, 24, 9) }),
      call({ client: 'ky', method: 'DELETE', url: 'http://cart/items/${id}', target: 'cart', location: at(f, 25, 9) }),
      call({ client: 'superagent', method: 'PUT', url: 'http://payments/refunds', target: 'payments', location: at(f, 26, 9) }),
      call({ client: 'undici', method: 'POST', url: 'http://inventory:3000/reserve', target: 'inventory', location: at(f, 27, 9) }),
      call({ client: 'node:http', url: 'http://inventory:3000/stock', target: 'inventory', location: at(f, 28, 3) }),
      // tax.rates(id) on a client object whose methods go through withBreaker: the target of the client's own requests
      call({ client: 'tax', method: null, target: 'tax', breaker: true, inLoop: true, location: at(f, 32, 31) }),
      call({ url: 'http://tax-api/rates/${id}', target: 'tax', breaker: true, location: at('services/checkout/src/clients/tax.ts', 4, 44) }),
      call({
        kind: 'grpc',
        client: 'PaymentsClient',
        method: null,
        url: 'env:PAYMENTS_GRPC_ADDR',
        envVar: 'PAYMENTS_GRPC_ADDR',
        target: 'payments',
        location: at('services/checkout/src/grpc.ts', 4, 29),
      }),
    ]);
  });
});

describe('scanSource: service boundaries', () => {
  it("reports relative imports into another service's folder and imports of its npm package, nothing else", async () => {
    const { facts } = await scanFixture('boundaries', ['orders', 'payments']);
    const f = 'services/orders/src/report.ts';
    const cross = (specifier: string, line: number, column: number) => ({ specifier, target: 'payments', location: at(f, line, column) });
    expect(facts('orders').crossImports).toEqual([
      cross('../../payments/src/db.js', 1, 1),
      cross('@shop/payments', 2, 1),
      cross('@shop/payments/format', 3, 1),
      cross('../../payments/src/totals.js', 8, 1),
      cross('../../payments/src/legacy', 10, 16),
      cross('../../payments/src/metrics.js', 13, 25),
    ]);
    expect(facts('payments').crossImports).toEqual([]);
  });
});

describe('scanSource: bad and hostile files', () => {
  it('reports a syntax error and a binary file, and still extracts the rest; strings and comments are not code', async () => {
    const { facts, diagnostics, parsed } = await scanFixture('legacy', ['legacy'], ['legacy', 'payments']);
    const dir = 'services/legacy/src';
    expect(diagnostics).toEqual([
      { file: `${dir}/binary.ts`, message: 'skipped: binary file (NUL byte in its first 8 KB)' },
      { file: `${dir}/broken.ts`, line: 5, message: 'syntax error: Property assignment expected.' },
    ]);
    expect(parsed).toBe(3);
    expect(facts('legacy')).toEqual({
      files: 3,
      tracing: at(`${dir}/state.ts`, 9, 1),
      healthRoutes: [],
      calls: [
        call({ url: 'http://payments:3000/before-error', target: 'payments', location: at(`${dir}/broken.ts`, 2, 10) }),
        call({ url: 'http://payments:3000/after-error', target: 'payments', location: at(`${dir}/broken.ts`, 8, 10) }),
        call({ url: "http://payments:3000/${'`'}/x?q=${encodeURIComponent('*/ \"quoted\" \\n')}", target: 'payments', location: at(`${dir}/hostile.ts`, 7, 9) }),
        call({ url: "http://payments:3000/quote\"s'/*not-a-comment*/", target: 'payments', location: at(`${dir}/hostile.ts`, 8, 9) }),
      ],
      messaging: [],
      crossImports: [],
      localState: [
        { kind: 'memory-session', detail: 'express-session without a store (sessions kept in process memory)', location: at(`${dir}/state.ts`, 12, 9) },
        { kind: 'memory-session', detail: 'MemoryStore keeps its data in process memory', location: at(`${dir}/state.ts`, 14, 39) },
        { kind: 'in-memory-store', detail: 'MemoryStore keeps its data in process memory', location: at(`${dir}/state.ts`, 15, 15) },
        { kind: 'local-file', detail: "appendFile('audit.log') writes to the local disk", location: at(`${dir}/state.ts`, 18, 9) },
        { kind: 'local-file', detail: 'createWriteStream(`${process.cwd()}/uploads/${line}`) writes to the local disk', location: at(`${dir}/state.ts`, 20, 3) },
      ],
      sagas: [],
    });
  });

  it('keeps hostile URLs exactly as written, with lines counted as TypeScript counts them', async () => {
    const root = tmpDir();
    const lines = HOSTILE.map((text) => `await fetch(${JSON.stringify(`http://payments:3000/${text}`)});`);
    write(root, { 'services/a/src/hostile.ts': lines.join('\n') });
    const { facts, diagnostics } = await scan(root, ['a'], ['a', 'payments']);
    expect(diagnostics).toEqual([]);
    // U+2028 and U+2029 end a line for TypeScript (and for the editor that shows the finding).
    let line = 1;
    const expected = HOSTILE.map((text, i) => {
      const location = at('services/a/src/hostile.ts', line, 7);
      line += (lines[i] as string).split(/\u2028|\u2029/).length;
      return call({ url: `http://payments:3000/${text}`, target: 'payments', location });
    });
    expect(facts('a').calls).toEqual(expected);
  });

  it('does not mistake names of Object.prototype for known clients, modules or values', async () => {
    const root = tmpDir();
    write(root, {
      'services/a/package.json': JSON.stringify({ name: 'a' }),
      'services/a/src/proto.ts': [
        "import { constructor, toString } from './other.js';",
        "import hasOwnProperty from 'constructor';",
        'export { toString as __proto__ };',
        'const __proto__ = { valueOf: process.env.X };',
        'toString(constructor.get(__proto__.valueOf), hasOwnProperty);',
        'constructor(), valueOf(), __proto__.toString();',
        "new toString('x', credentials);",
      ].join('\n'),
      'services/a/src/other.ts': 'export const toString = () => 1;\nexport const constructor = { get: toString };\n',
    });
    const { facts, diagnostics } = await scan(root, ['a']);
    expect(diagnostics).toEqual([]);
    expect(facts('a')).toEqual({ ...emptySourceFacts(), files: 2 });
  });

  it('skips oversized files with a diagnostic and passes over a file that vanished', async () => {
    const root = tmpDir();
    write(root, { 'services/a/src/big.ts': `export const big = '${'x'.repeat(2 * 1024 * 1024)}';\n`, 'services/a/src/ok.ts': "fetch('http://a/x');\n" });
    const result = await scanSource({ root, services: [{ name: 'a', dir: 'services/a' }], files: ['services/a/src/big.ts', 'services/a/src/gone.ts', 'services/a/src/ok.ts'], serviceNames: ['a'] });
    expect(result.parsed).toBe(1);
    expect(result.diagnostics).toEqual([
      { file: 'services/a/src/big.ts', message: 'skipped: larger than the 1 MiB size limit (2097175 bytes)' },
    ]);
    expect(result.facts.get('a')?.calls).toHaveLength(1);
  });
});

describe('sourceJobs', () => {
  it('gives each file to the service with the longest dir, and skips tests, build output, declarations and files of no service', () => {
    const services = [
      { name: 'root', dir: '.' },
      { name: 'orders', dir: 'services/orders' },
      { name: 'orders-worker', dir: 'services/orders/worker/' },
    ];
    const files = [
      'services/orders/src/a.ts',
      'services/orders/worker/src/b.mjs',
      'services/orders/src/a.test.ts',
      'services/orders/src/a.spec.js',
      'services/orders/test/c.ts',
      'services/orders/src/__tests__/d.ts',
      'services/orders/dist/e.js',
      'services/orders/src/types.d.ts',
      'services/orders/README.md',
      'tools/f.cjs',
    ];
    expect(sourceJobs(services, files)).toEqual([
      { file: 'services/orders/src/a.ts', service: 'orders' },
      { file: 'services/orders/worker/src/b.mjs', service: 'orders-worker' },
      { file: 'tools/f.cjs', service: 'root' },
    ]);
  });
});

describe('ServiceMatcher', () => {
  const matcher = new ServiceMatcher(['payments', 'order-history', 'orders']);
  it.each([
    ['http://payments:3000/x', 'payments'],
    ['https://payments-service/x', 'payments'],
    ['http://payments-svc.default.svc.cluster.local/x', 'payments'],
    ['http://user:pw@order-history:80', 'order-history'],
    ['payments:50051', 'payments'],
    ['http://${host}:3000/x', null],
    ['/relative/path', null],
    ['http://example.com/payments', null],
  ])('host of %s → %s', (url, expected) => expect(matcher.fromUrl(url)).toBe(expected));
  it.each([
    ['PAYMENTS_URL', 'payments'],
    ['PAYMENTS_SERVICE_URL', 'payments'],
    ['ORDER_HISTORY_BASE_URL', 'order-history'],
    ['ORDERS_URL', 'orders'],
    ['ORDER_URL', null],
    ['DATABASE_URL', null],
  ])('env %s → %s', (name, expected) => expect(matcher.fromEnv(name)).toBe(expected));
});

describe('worker threads', () => {
  it('give the same results as extraction in this thread', async () => {
    const esbuild = await import('esbuild');
    const out = path.join(REPO, 'node_modules', '.cache', 'archkit-test', 'source-worker.mjs');
    await esbuild.build({
      absWorkingDir: REPO,
      entryPoints: ['src/model/extract/source-worker.ts'],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      external: ['typescript'],
      logLevel: 'error',
    });
    // Every fixture repository at once: the fixtures folder as the root, one service per fixture service.
    const services = listAll(FIXTURES)
      .map((file) => /^([^/]+\/services\/[^/]+)\//.exec(file)?.[1])
      .filter((dir): dir is string => dir !== undefined)
      .filter((dir, i, all) => all.indexOf(dir) === i)
      .map((dir) => ({ name: dir.replace('/services/', '-'), dir }));
    const ctx: ScanContext = { root: FIXTURES, services, serviceNames: [...services.map((s) => s.name), 'payments', 'users'], packages: new Map() };
    const jobs = sourceJobs(services, listAll(FIXTURES));
    expect(jobs.length).toBeGreaterThan(20);
    const here = await extractInProcess(jobs, ctx);
    // Workers only (this thread takes no share), so every file crosses a thread boundary.
    expect(await extractWithWorkers(jobs, ctx, pathToFileURL(out), 2, false)).toEqual(here);
  });

  it('are used for many files and at least two workers only: one worker beside this thread costs more than it saves', () => {
    const cores = vi.spyOn(os, 'availableParallelism');
    const pinned = process.env.ARCHKIT_WORKERS;
    delete process.env.ARCHKIT_WORKERS;
    try {
      cores.mockReturnValue(2);
      expect([300, 5000, 50_000].map(workerCount)).toEqual([0, 0, 0]);
      cores.mockReturnValue(8);
      expect([300, 999, 1000, 5000, 50_000].map(workerCount)).toEqual([0, 0, 4, 7, 7]);
      process.env.ARCHKIT_WORKERS = '1';
      expect(workerCount(300)).toBe(1);
    } finally {
      cores.mockRestore();
      if (pinned === undefined) delete process.env.ARCHKIT_WORKERS;
      else process.env.ARCHKIT_WORKERS = pinned;
    }
  });

  it('are found next to the compiled module, never when running from source', async () => {
    expect(await locateWorker(import.meta.url)).toBeNull();
    const dir = tmpDir();
    write(dir, { 'source-worker.js': '' });
    expect(await locateWorker(pathToFileURL(path.join(dir, 'source.js')).href)).toEqual(pathToFileURL(path.join(dir, 'source-worker.js')));
  });
});
