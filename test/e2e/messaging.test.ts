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
// Retention: a window of an hour, swept often, so rows the test backdates go and the others stay.
const RETENTION = { MESSAGING_RETENTION_HOURS: '1', MESSAGING_RETENTION_INTERVAL_MS: '200' };
let amqp: Awaited<ReturnType<Amqp['connect']>> | undefined;
let sink: Awaited<ReturnType<typeof startOtlpSink>> | undefined;
let channel: AmqpChannel | undefined;

function start(name: 'orders' | 'payments', extra: Record<string, string> = {}, instance: string = name): ResultPromise {
  const rabbitPort = name === 'orders' ? proxyPort : 5672;
  const child = startService(ws, name, {
    PORT: String(ports[name]),
    ...RETENTION,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db[name]}`,
    RABBITMQ_URL: servers.amqpUrl(rabbitPort),
    // One message at a time, so SIGTERM lands with messages still queued.
    RABBITMQ_PREFETCH: '1',
    ...QUICK_MESSAGING,
    // Traced, as compose runs them: spans go to the sink of this test.
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink!.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...extra,
  });
  children[instance] = child;
  return child;
}

const ready = (name: 'orders' | 'payments', port = ports[name]) =>
  waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 40_000, `${name} ready`);

const count = async (sql: string) => Number(await psql(db.payments, sql));

function envelope(data: { id: string }, messageId: string = crypto.randomUUID()) {
  return { id: messageId, type: 'OrderCreated', version: 1, occurredAt: new Date().toISOString(), data };
}

async function publish(body: ReturnType<typeof envelope>, headers: Record<string, unknown> = {}): Promise<void> {
  channel!.publish(topic, body.type, Buffer.from(JSON.stringify(body)), { persistent: true, messageId: body.id, type: body.type, contentType: 'application/json', headers });
  await channel!.waitForConfirms();
}

/** The user's part: record the event in the transaction that creates the order. */
const recordInCreate = () =>
  createInTransaction(ws, 'orders', `import { recordOrderCreated } from '../messaging/producers/order-created.producer.js';`, 'await recordOrderCreated(client, { id: row.id });');

/**
 * The user's part: the handler writes to payments' own table; `fail-` ids always throw, `slow-` ids take a while.
 * `seq-` ids record the message id and the time of the write (ordering); their messages whose id ends in `-slow` take a while.
 */
function fillHandler(): void {
  const file = path.join(ws, `services/payments/src/messaging/handlers/${topic}.handler.ts`);
  const text = readFileSync(file, 'utf8');
  const signature = /export async function handleOrderCreated\([^)]*\)[^{]*\{/.exec(text);
  expect(signature, 'handler signature').not.toBeNull();
  const body = `
  if (event.data.id.startsWith('fail-')) throw new Error('payment provider said no');
  if (event.data.id.startsWith('seq-')) {
    if (event.id.endsWith('-slow')) await new Promise((resolve) => setTimeout(resolve, 600));
    await context.db.query('INSERT INTO "payments" (name, created_at) VALUES ($1, clock_timestamp())', [\`\${event.data.id} \${event.id}\`]);
    return;
  }
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

  it.for([-5, 0.5, 'x'])('takes an x-retry-count of %s from the wire as 0: retried, then dead-lettered, never lost or left unacked', async (header) => {
    const message = envelope({ id: `fail-header-${id}-${String(header)}` });
    await publish(message, { 'x-retry-count': header });
    const dead = await waitFor(async () => {
      const got = await channel!.get(`${queue}.dlq`, { noAck: true });
      return got === false ? undefined : got;
    }, 30_000, 'dead-lettered message');
    expect(JSON.parse(dead.content.toString()).id).toBe(message.id);
    expect(Number(dead.properties.headers?.['x-retry-count'])).toBe(2);
    // A good message with a bad header is simply applied.
    const good = envelope({ id: `header-${id}-${String(header)}` });
    await publish(good, { 'x-retry-count': header });
    await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name = 'order header-${id}-${String(header)}'`)) === 1 ? true : undefined), 20_000, 'good message applied');
  });

  it('keeps the order of one key while other keys go on, with many messages in hand', async () => {
    // Many messages in hand at once (the other tests take one at a time).
    children.payments!.kill('SIGTERM');
    await children.payments;
    start('payments', { RABBITMQ_PREFETCH: '10' });
    await ready('payments');
    const a = `seq-a-${id}`;
    const b = `seq-b-${id}`;
    // Interleaved: a1 is slow; a2 and a3 must wait for it, b1 and b2 need not.
    const sent = [[a, 'a1-slow'], [b, 'b1'], [a, 'a2'], [b, 'b2'], [a, 'a3']] as const;
    for (const [key, name] of sent) await publish(envelope({ id: key }, `${id}-${name}`), { 'x-message-key': key });
    const rows = await waitFor(async () => {
      const out = (await psql(db.payments, `SELECT name FROM payments WHERE name LIKE 'seq-%-${id} %' ORDER BY created_at`)).split('\n').filter(Boolean);
      return out.length === 5 ? out : undefined;
    }, 30_000, 'five ordered messages');
    // Row names are `<key> <pid>-<name>`, in the order they were written.
    const order = rows.map((row) => row.split(' ')[1]!.split('-')[1]!);
    expect(order.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    // b did not wait for the slow a1.
    expect(order.indexOf('b2')).toBeLessThan(order.indexOf('a1'));
    children.payments!.kill('SIGTERM');
    await children.payments;
    start('payments');
    await ready('payments');
  });

  it('deletes published outbox rows and inbox ids older than the retention window, in the service itself, and keeps the rest', async () => {
    const ids = { oldSent: crypto.randomUUID(), newSent: crypto.randomUUID(), oldPending: crypto.randomUUID() };
    const row = (uuid: string, topicName: string, published: string, created: string) =>
      `('${uuid}', '${topicName}', 'OrderCreated', '{}'::jsonb, ${created}, ${published})`;
    await psql(db.orders, `INSERT INTO outbox (id, topic, event_type, payload, created_at, published_at) VALUES
      ${row(ids.oldSent, topic, "now() - interval '2 hours'", "now() - interval '2 hours'")},
      ${row(ids.newSent, topic, 'now()', 'now()')},
      ${row(ids.oldPending, `no-route-${id}`, 'NULL', "now() - interval '2 hours'")}`);
    await psql(db.payments, `INSERT INTO inbox (consumer, message_id, processed_at) VALUES
      ('retention-${id}', 'old', now() - interval '2 hours'), ('retention-${id}', 'new', now())`);
    await waitFor(async () => ((await psql(db.orders, `SELECT count(*) FROM outbox WHERE id = '${ids.oldSent}'`)) === '0' ? true : undefined), 20_000, 'old outbox row deleted');
    await waitFor(async () => ((await psql(db.payments, `SELECT count(*) FROM inbox WHERE consumer = 'retention-${id}' AND message_id = 'old'`)) === '0' ? true : undefined), 20_000, 'old inbox id deleted');
    expect(await psql(db.orders, `SELECT count(*) FROM outbox WHERE id IN ('${ids.newSent}', '${ids.oldPending}')`)).toBe('2');
    expect(await psql(db.payments, `SELECT count(*) FROM inbox WHERE consumer = 'retention-${id}'`)).toBe('1');
    expect(await psql(db.orders, "SELECT count(*) FROM pg_indexes WHERE tablename = 'outbox' AND indexdef LIKE '%(published_at)%'")).toBe('1');
    expect(await psql(db.payments, "SELECT count(*) FROM pg_indexes WHERE tablename = 'inbox' AND indexdef LIKE '%(processed_at)%'")).toBe('1');
    await psql(db.orders, `DELETE FROM outbox WHERE id = '${ids.oldPending}'`);
  });

  it('makes no root spans while nothing happens: empty relay polls and retention sweeps are not traced', async () => {
    const before = sink!.spans.length;
    // About fifteen relay polls and seven retention sweeps per service.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const roots = sink!.spans.slice(before).filter((span) => !span.parentSpanId);
    expect(roots.map((span) => [span.kind, span.name])).toEqual([]);
  });

  it('publishes with no transaction open while the broker is slow; two relays share the rows and publish each once', async () => {
    const second = await freePort();
    start('orders', { PORT: String(second) }, 'orders-2');
    await ready('orders', second);
    proxy.hold();
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await getJson(`http://127.0.0.1:${i % 2 ? second : ports.orders}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `slow broker ${i}` }) });
      expect(response.status).toBe(201);
      created.push((response.body as { id: string }).id);
    }
    // A publish is on its way and the broker has not answered.
    await waitFor(async () => (proxy.heldBytes > 0 ? true : undefined), 20_000, 'a publish held by the slow broker');
    for (let i = 0; i < 5; i++) {
      expect(await psql(db.orders, `SELECT count(*) FROM pg_stat_activity WHERE datname = '${db.orders}' AND state LIKE 'idle in transaction%'`)).toBe('0');
      // Writers are not blocked by the relay.
      await psql(db.orders, "SET lock_timeout = '2s'; UPDATE outbox SET attempts = attempts WHERE published_at IS NULL");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    proxy.release();
    for (const orderId of created) {
      await waitFor(async () => ((await count(`SELECT count(*) FROM payments WHERE name = 'order ${orderId}'`)) === 1 ? true : undefined), 30_000, `payment for ${orderId}`);
    }
    await waitFor(async () => ((await psql(db.orders, 'SELECT count(*) FROM outbox WHERE published_at IS NULL AND topic NOT LIKE \'no-route-%\'')) === '0' ? true : undefined), 30_000, 'outbox drained');
    // Each row went out once: one attempt each, though two relays polled.
    const attempts = await psql(db.orders, `SELECT string_agg(attempts::text, ',') FROM outbox WHERE payload->'data'->>'id' = ANY(ARRAY['${created.join("','")}'])`);
    expect(attempts).toBe('1,1,1,1');
    children['orders-2']!.kill('SIGTERM');
    expect((await children['orders-2']!).exitCode).toBe(0);
  });

  it('on SIGTERM answers readiness 503 first, keeps serving for the drain delay, then closes: a client that keeps sending sees no error before the refusal', async () => {
    const port = await freePort();
    const child = start('orders', { PORT: String(port), SHUTDOWN_DRAIN_DELAY_MS: '1500' }, 'orders-drain');
    await ready('orders', port);
    const seen: string[] = [];
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const created = await fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `drain ${i}` }) });
          seen.push(`post ${created.status}`);
          const readiness = await fetch(`http://127.0.0.1:${port}/health/ready`);
          seen.push(`ready ${readiness.status}`);
        } catch (error) {
          seen.push(`refused ${((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).message}`);
          return;
        }
      }
    })();
    await waitFor(async () => (seen.length >= 10 ? true : undefined), 20_000, 'requests flowing');
    child.kill('SIGTERM');
    const exited = await child;
    stop = true;
    await load;
    expect(exited.exitCode).toBe(0);
    const firstDown = seen.indexOf('ready 503');
    expect(firstDown, seen.join(', ')).toBeGreaterThan(0);
    // While draining, requests were still served.
    expect(seen.slice(firstDown).filter((s) => s.startsWith('post')).length).toBeGreaterThan(0);
    // Nothing failed before the server stopped accepting: every POST 201, readiness 200 then 503, then a refusal —
    // a refused connection, or Fastify's 503 to a request on a kept-alive connection once the server is closing.
    const closing = seen.indexOf('post 503');
    if (closing !== -1) {
      expect(closing, seen.join(', ')).toBeGreaterThan(firstDown);
      expect(seen.slice(closing).filter((s) => !s.startsWith('refused') && s !== 'post 503' && s !== 'ready 503'), seen.join(', ')).toEqual([]);
    }
    const beforeEnd = seen.slice(0, closing === -1 ? seen.length : closing).filter((s) => !s.startsWith('refused'));
    expect(beforeEnd.filter((s) => s !== 'post 201' && s !== 'ready 200' && s !== 'ready 503')).toEqual([]);
    expect(seen.slice(firstDown).filter((s) => s === 'ready 200')).toEqual([]);
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
