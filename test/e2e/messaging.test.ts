/**
 * End to end, messaging over the real RabbitMQ and PostgreSQL: `orders`
 * produces OrderCreated through its outbox, `payments` consumes it
 * idempotently. Generated with the built bins, installed once (Node 22),
 * type-checked, tested, started. Then: the event's effect lands in payments'
 * database; a redelivered message is applied once; a handler that always
 * fails ends in the dead-letter queue with the reason; events written while
 * RabbitMQ is unreachable wait in the outbox and go out once it is back;
 * SIGTERM during consumption loses nothing; both services trace, and the
 * relay's publication and the consumption join the trace of the request that
 * recorded the event.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors, createInTransaction, dclint, descendsFrom, expectTypechecks, freePort, getJson, installAndBuild, npm, psql, QUICK_MESSAGING, requireServer, runBin, shopWorkspace, SPAN_KIND, startOtlpSink, startService, TcpProxy, waitFor } from '../helpers/e2e.js';
import { parse } from 'yaml';
import { scratch } from '../helpers/scratch.js';

const hasServers = (await requireServer('PostgreSQL', 5432)) && (await requireServer('RabbitMQ', 5672));
const work = mkdtempSync(path.join(tmpdir(), 'archkit-msg-'));
const ws = path.join(work, 'shop');
const id = `${process.pid}`;
// Unique names: the RabbitMQ and PostgreSQL of the machine are shared.
const topic = `order-created-${id}`;
const queue = `payments.${topic}`;
// Its databases and a RabbitMQ virtual host of its own, removed afterwards (test/helpers/scratch.ts).
const servers = scratch('msg');
const db = { orders: servers.database('orders'), payments: servers.database('payments') };

interface Amqp {
  connect(url: string): Promise<{ createConfirmChannel(): Promise<AmqpChannel>; close(): Promise<void> }>;
}
interface AmqpChannel {
  publish(exchange: string, key: string, content: Buffer, options: Record<string, unknown>): boolean;
  waitForConfirms(): Promise<void>;
  get(queue: string, options?: { noAck?: boolean }): Promise<false | { content: Buffer; properties: { headers?: Record<string, unknown> } }>;
}

const proxy = new TcpProxy(5672);
let proxyPort = 0;
const ports = { orders: 0, payments: 0 };
const children: Record<string, ResultPromise | undefined> = {};
let amqp: Awaited<ReturnType<Amqp['connect']>> | undefined;
let sink: Awaited<ReturnType<typeof startOtlpSink>> | undefined;
let channel: AmqpChannel | undefined;

function start(name: 'orders' | 'payments'): ResultPromise {
  const rabbitPort = name === 'orders' ? proxyPort : 5672;
  const child = startService(ws, name, {
    PORT: String(ports[name]),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db[name]}`,
    RABBITMQ_URL: servers.amqpUrl(rabbitPort),
    // One message at a time, so SIGTERM lands with messages still queued.
    RABBITMQ_PREFETCH: '1',
    ...QUICK_MESSAGING,
    // Traced, as compose runs them: spans go to the sink of this test.
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink!.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  children[name] = child;
  return child;
}

const ready = (name: 'orders' | 'payments') =>
  waitFor(async () => ((await getJson(`http://127.0.0.1:${ports[name]}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 40_000, `${name} ready`);

const count = async (sql: string) => Number(await psql(db.payments, sql));

function envelope(data: { id: string }, messageId = crypto.randomUUID()) {
  return { id: messageId, type: 'OrderCreated', version: 1, occurredAt: new Date().toISOString(), data };
}

async function publish(body: ReturnType<typeof envelope>): Promise<void> {
  channel!.publish(topic, body.type, Buffer.from(JSON.stringify(body)), { persistent: true, messageId: body.id, type: body.type, contentType: 'application/json' });
  await channel!.waitForConfirms();
}

/** The user's part: record the event in the transaction that creates the order. */
const recordInCreate = () =>
  createInTransaction(ws, 'orders', `import { recordOrderCreated } from '../messaging/producers/order-created.producer.js';`, 'await recordOrderCreated(client, { id: row.id });');

/** The user's part: the handler writes to payments' own table; `fail-` ids always throw, `slow-` ids take a while. */
function fillHandler(): void {
  const file = path.join(ws, `services/payments/src/messaging/handlers/${topic}.handler.ts`);
  const text = readFileSync(file, 'utf8');
  const signature = /export async function handleOrderCreated\([^)]*\)[^{]*\{/.exec(text);
  expect(signature, 'handler signature').not.toBeNull();
  const body = `
  if (event.data.id.startsWith('fail-')) throw new Error('payment provider said no');
  if (event.data.id.startsWith('slow-')) await new Promise((resolve) => setTimeout(resolve, 400));
  await context.db.query('INSERT INTO "payments" (name) VALUES ($1)', [\`order \${event.data.id}\`]);
}
`;
  const open = signature!.index + signature![0].length;
  // Replace the stub's body (up to the function's closing brace at column 0).
  const close = text.indexOf('\n}\n', open);
  writeFileSync(file, text.slice(0, open) + body + text.slice(close + 3));
}

beforeAll(async () => {
  if (!hasServers) return;
  await servers.setUp({ rabbitmq: true });
  await shopWorkspace(work, ['orders', 'payments']);
  const producer = await runBin('arch', ['add-producer', 'orders', '--broker', 'rabbitmq', '--topic', topic, '--event', 'OrderCreated', '--yes', '--no-install'], { cwd: ws });
  expect(producer.exitCode, String(producer.stderr)).toBe(0);
  const consumer = await runBin('arch', ['add-consumer', 'payments', '--broker', 'rabbitmq', '--topic', topic, '--event', 'OrderCreated', '--yes', '--no-install'], { cwd: ws });
  expect(consumer.exitCode, String(consumer.stderr)).toBe(0);
  // The Kafka path, type-checked and tested (its own tests use an in-memory stand-in of kafkajs; no broker runs here).
  expect((await runBin('create-service', ['shipping', '--yes', '--no-install'], { cwd: ws })).exitCode).toBe(0);
  for (const command of ['add-producer', 'add-consumer']) {
    const kafka = await runBin('arch', [command, 'shipping', '--broker', 'kafka', '--topic', 'shipment-sent', '--yes', '--no-install'], { cwd: ws });
    expect(kafka.exitCode, String(kafka.stderr)).toBe(0);
  }
  recordInCreate();
  fillHandler();
  await installAndBuild(ws);

  proxyPort = await proxy.start();
  sink = await startOtlpSink();
  ports.orders = await freePort();
  ports.payments = await freePort();
  start('payments');
  await ready('payments');
  start('orders');
  await ready('orders');
  const require = createRequire(path.join(ws, 'services/payments/package.json'));
  amqp = await (require('amqplib') as Amqp).connect(servers.amqpUrl());
  channel = await amqp.createConfirmChannel();
}, 600_000);

afterAll(async () => {
  for (const child of Object.values(children)) child?.kill('SIGKILL');
  await proxy.cut();
  await amqp?.close().catch(() => undefined);
  await sink?.close();
  rmSync(work, { recursive: true, force: true });
  if (hasServers) await servers.tearDown();
});

describe.skipIf(!hasServers)('orders → OrderCreated → payments over RabbitMQ', () => {
  it('type-checks and passes its own tests, the Kafka service too', async () => {
    await expectTypechecks(ws);
    const tests = await npm(ws, ['test', '--workspaces']);
    expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/kafka-consume\.test\.ts/);
    expect(tests.stdout).toMatch(/rabbitmq-consume\.test\.ts/);
  });

  it('has RabbitMQ in compose, with a healthcheck and the services waiting for it; valid and dclint-clean', async () => {
    const compose = parse(readFileSync(path.join(ws, 'compose.yaml'), 'utf8')) as { services: Record<string, { depends_on?: object; healthcheck?: object; environment?: Record<string, string> }> };
    expect(compose.services.rabbitmq?.healthcheck).toBeDefined();
    for (const name of ['orders', 'payments']) {
      expect(compose.services[name]!.depends_on).toMatchObject({ rabbitmq: { condition: 'service_healthy' } });
      expect(compose.services[name]!.environment!.RABBITMQ_URL).toMatch(/^amqp:\/\/archkit:\$\{RABBITMQ_PASSWORD:\?/);
    }
    expect(await composeSchemaErrors(compose)).toEqual([]);
    expect(await dclint(ws)).toEqual({ output: '', exitCode: 0 });
    expect(readFileSync(path.join(ws, '.env.example'), 'utf8')).toMatch(/^RABBITMQ_PASSWORD=/m);
  });

  it('reports the broker in /health/ready', async () => {
    for (const name of ['orders', 'payments'] as const) {
      const body = (await getJson(`http://127.0.0.1:${ports[name]}/health/ready`)).body;
      expect(body).toMatchObject({ checks: { postgres: { status: 'ok' }, rabbitmq: { status: 'ok' } } });
    }
  });

  it("delivers an order created through orders' API to payments' database", async () => {
    const created = await getJson(`http://127.0.0.1:${ports.orders}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'book' }) });
    expect(created.status).toBe(201);
    const orderId = (created.body as { id: string }).id;
    await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name = 'order ${orderId}'`)) === 1 ? true : undefined), 20_000, 'payment row');
    expect(await psql(db.orders, 'SELECT count(*) FROM outbox WHERE published_at IS NULL')).toBe('0');
  });

  it("joins the trace of the request that recorded the event: the relay's publication, then payments' consumption", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const created = await getJson(`http://127.0.0.1:${ports.orders}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentId}-01` },
      body: JSON.stringify({ name: 'traced' }),
    });
    expect(created.status).toBe(201);
    const spans = await waitFor(async () => {
      const ours = sink!.spans.filter((s) => s.traceId === traceId);
      return ours.some((s) => s.kind === SPAN_KIND.consumer) && ours.some((s) => s.kind === SPAN_KIND.producer) ? ours : undefined;
    }, 20_000, 'producer and consumer spans in the request trace');
    const request = spans.find((s) => s.kind === SPAN_KIND.server && s.parentSpanId === parentId);
    expect(request, JSON.stringify(spans.map((s) => [s.kind, s.name]))).toBeDefined();
    const producer = spans.find((s) => s.kind === SPAN_KIND.producer)!;
    const consumer = spans.find((s) => s.kind === SPAN_KIND.consumer)!;
    expect(descendsFrom(producer, request!, spans)).toBe(true);
    expect(descendsFrom(consumer, producer, spans)).toBe(true);
  });

  it('applies a message delivered twice only once', async () => {
    const message = envelope({ id: `dup-${id}` });
    await publish(message);
    await publish(message);
    await waitFor(async () => ((await count(`SELECT count(*) FROM inbox WHERE message_id = '${message.id}'`)) === 1 ? true : undefined), 20_000, 'inbox row');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await count(`SELECT count(*) FROM payments WHERE name = 'order dup-${id}'`)).toBe(1);
  });

  it('moves a message whose handler always fails to the dead-letter queue after the retries, with the reason', async () => {
    const message = envelope({ id: `fail-${id}` });
    await publish(message);
    const dead = await waitFor(async () => {
      const got = await channel!.get(`${queue}.dlq`, { noAck: true });
      return got === false ? undefined : got;
    }, 30_000, 'dead-lettered message');
    expect(JSON.parse(dead.content.toString()).id).toBe(message.id);
    const headers = dead.properties.headers ?? {};
    expect(String(headers['x-failure-message'])).toContain('payment provider said no');
    expect(Number(headers['x-retry-count'])).toBe(2);
    expect(await count(`SELECT count(*) FROM payments WHERE name = 'order fail-${id}'`)).toBe(0);
  });

  it('keeps events in the outbox while RabbitMQ is unreachable and publishes them once it is back', async () => {
    await proxy.cut();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await getJson(`http://127.0.0.1:${ports.orders}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `offline ${i}` }) });
      expect(created.status).toBe(201);
      ids.push((created.body as { id: string }).id);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(Number(await psql(db.orders, 'SELECT count(*) FROM outbox WHERE published_at IS NULL'))).toBe(3);
    await proxy.start(proxyPort);
    await waitFor(async () => ((await psql(db.orders, 'SELECT count(*) FROM outbox WHERE published_at IS NULL')) === '0' ? true : undefined), 60_000, 'outbox drained');
    for (const orderId of ids) {
      await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name = 'order ${orderId}'`)) === 1 ? true : undefined), 20_000, `payment for ${orderId}`);
    }
  });

  it('loses nothing when payments gets SIGTERM while consuming', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => envelope({ id: `slow-${id}-${i}` }));
    for (const message of messages) await publish(message);
    await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name LIKE 'order slow-${id}-%'`)) >= 1 ? true : undefined), 20_000, 'first slow message');
    children.payments!.kill('SIGTERM');
    const exited = await children.payments!;
    expect(exited.exitCode).toBe(0);
    start('payments');
    await ready('payments');
    await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name LIKE 'order slow-${id}-%'`)) === 6 ? true : undefined), 30_000, 'all slow messages');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await count(`SELECT count(*) FROM payments WHERE name LIKE 'order slow-${id}-%'`)).toBe(6);
  });

  it('passes arch check with zero findings, and arch graph draws the async edge', async () => {
    const check = await runBin('arch', ['check', '--format', 'json'], { cwd: ws });
    const result = JSON.parse(String(check.stdout)) as { findings: unknown[]; scorecard: Record<string, { status: string }> };
    expect(result.findings).toEqual([]);
    expect(check.exitCode).toBe(0);
    expect(result.scorecard['event-driven']!.status).toBe('pass');
    type Graph = { nodes: Array<{ id: string; kind: string; name?: string }>; edges: Array<{ from: string; to: string; kind: string }> };
    const graph = JSON.parse(String((await runBin('arch', ['graph', '--format', 'json'], { cwd: ws })).stdout)) as Graph;
    const id = (kind: string, name: string) => graph.nodes.find((n) => n.kind === kind && n.name === name)?.id;
    expect(graph.edges).toContainEqual({ from: id('service', 'orders'), to: id('channel', topic), kind: 'async' });
    expect(graph.edges).toContainEqual({ from: id('channel', topic), to: id('service', 'payments'), kind: 'async' });
    const direct = JSON.parse(String((await runBin('arch', ['graph', '--format', 'json', '--no-channels'], { cwd: ws })).stdout)) as Graph;
    expect(direct.edges).toContainEqual(expect.objectContaining({ from: id('service', 'orders'), to: id('service', 'payments'), kind: 'async' }));
  });
});
