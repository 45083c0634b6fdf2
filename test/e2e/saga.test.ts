/**
 * End to end, sagas over the real RabbitMQ and PostgreSQL: orders,
 * payments, inventory and shipping, generated with the built bins,
 * installed once (Node 22), type-checked, tested, started, with two sagas
 * over the same four services: one orchestrated by orders (itself the
 * first step), one choreographed (started by orders, no orchestrator).
 * The steps are filled in the way a user would: each writes `exec:<saga>`
 * to its own table when it runs and `comp:<saga>` when it is compensated,
 * and refuses or stalls when the order's name asks it to. Then, for each
 * style: the happy path completes with every database showing its part; a
 * refused payment cancels the order and reserves nothing; a refused
 * inventory step releases the payment and cancels the order (reverse
 * order, each once); a process SIGKILLed mid-saga and started again
 * (the orchestrator; in the choreography, the step that was running)
 * finishes it with no step done twice; a step that answers too late is
 * compensated after the timeout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from '../helpers/scratch.js';
import { createInTransaction, expectTypechecks, freePort, getJson, installAndBuild, npm, psql, QUICK_MESSAGING, requireServer, runBin, shopWorkspace, startService, waitFor } from '../helpers/e2e.js';

const hasServers = (await requireServer('PostgreSQL', 5432)) && (await requireServer('RabbitMQ', 5672));
const work = mkdtempSync(path.join(tmpdir(), 'archkit-saga-'));
const ws = path.join(work, 'shop');
const id = `${process.pid}`;
// A saga name of its own: its exchanges and queues live on the machine's shared RabbitMQ.
const saga = `place-order-${id}`;
const pascal = `PlaceOrder${id}`;
const chain = `fulfil-${id}`;
const chainPascal = `Fulfil${id}`;
/** The choreographed saga's deadline (its definition.ts), and how long its late step takes. */
const CHAIN_TIMEOUT_MS = 12_000;
const services = ['orders', 'payments', 'inventory', 'shipping'] as const;
type Name = (typeof services)[number];
// Its databases and a RabbitMQ virtual host of its own, removed afterwards (test/helpers/scratch.ts).
const servers = scratch('saga');
const db = Object.fromEntries(services.map((s) => [s, servers.database(s)])) as Record<Name, string>;
const ports = Object.fromEntries(services.map((s) => [s, 0])) as Record<Name, number>;
const children: Partial<Record<Name, ResultPromise>> = {};

function start(name: Name): ResultPromise {
  const child = startService(ws, name, {
    PORT: String(ports[name]),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db[name]}`,
    RABBITMQ_URL: servers.amqpUrl(),
    ...QUICK_MESSAGING,
  });
  children[name] = child;
  return child;
}

const ready = (name: Name) =>
  waitFor(async () => ((await getJson(`http://127.0.0.1:${ports[name]}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 40_000, `${name} ready`);

/** The user's part in orders: a saga starts in the transaction that creates the order (`c:…` orders: the choreographed one). */
const startSagaInCreate = () =>
  createInTransaction(
    ws,
    'orders',
    `import { start${pascal} } from '../sagas/${saga}/${saga}.saga.js';\nimport { start${chainPascal} } from '../sagas/${chain}/${chain}.choreography.js';`,
    `if (input.name.startsWith('c:')) await start${chainPascal}(client, { orderId: row.id, scenario: input.name });
        else await start${pascal}(client, { orderId: row.id, scenario: input.name });`,
  );

/** The user's part in each service: execute and compensate write to its own table; the scenario steers refusals and delays. */
function fillStep(sagaName: string, name: Name, refuseOn: string | null, slowOn: string | null, slowMs: number): void {
  const file = path.join(ws, `services/${name}/src/sagas/${sagaName}/${name}.step.ts`);
  writeFileSync(
    file,
    `import { setTimeout as sleep } from 'node:timers/promises';
import type { SagaData, StepContext, StepResult } from '../step.js';

export async function execute(data: SagaData, context: StepContext): Promise<StepResult> {
  if (${JSON.stringify(slowOn)} !== null && data.scenario === ${JSON.stringify(slowOn)}) await sleep(${slowMs});
  await context.db.query('INSERT INTO "${name}" (name) VALUES ($1)', [\`exec:\${context.sagaId}\`]);
  if (${JSON.stringify(refuseOn)} !== null && data.scenario === ${JSON.stringify(refuseOn)}) return { ok: false, reason: '${name} said no' };
  return { ok: true, data: { ${name}Done: true } };
}

export async function compensate(_data: SagaData, context: StepContext): Promise<void> {
  await context.db.query('INSERT INTO "${name}" (name) VALUES ($1)', [\`comp:\${context.sagaId}\`]);
}
`,
  );
}

function setTimeouts(): void {
  const file = path.join(ws, `services/orders/src/sagas/${saga}/definition.ts`);
  const text = readFileSync(file, 'utf8');
  const edited = text
    .replace(/\{ name: 'inventory', timeoutMs: 30_000/, "{ name: 'inventory', timeoutMs: 20_000")
    .replace(/\{ name: 'shipping', timeoutMs: 30_000/, "{ name: 'shipping', timeoutMs: 1500");
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
  const chainFile = path.join(ws, `services/orders/src/sagas/${chain}/definition.ts`);
  const chainText = readFileSync(chainFile, 'utf8');
  expect(chainText).toContain('TimeoutMs = 60_000;');
  writeFileSync(chainFile, chainText.replace('TimeoutMs = 60_000;', `TimeoutMs = ${CHAIN_TIMEOUT_MS};`));
}

async function createOrder(scenario: string): Promise<string> {
  const created = await getJson(`http://127.0.0.1:${ports.orders}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: scenario }) });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

const sagaOf = async (orderId: string) => {
  const row = await psql(db.orders, `SELECT id || '|' || status || '|' || coalesce(reason, '') FROM saga_instances WHERE data->>'orderId' = '${orderId}'`);
  const [sagaId, status, reason] = row.split('|');
  return { sagaId: sagaId!, status: status!, reason: reason! };
};

/** The choreographed saga of an order, as its first service (orders) knows it. */
const chainOf = async (orderId: string) => {
  const row = await psql(db.orders, `SELECT id || '|' || status || '|' || coalesce(reason, '') FROM saga_starts WHERE data->>'orderId' = '${orderId}'`);
  const [sagaId, status, reason] = row.split('|');
  return { sagaId: sagaId!, status: status!, reason: reason! };
};

const chainFinished = (orderId: string, timeoutMs = 30_000) =>
  waitFor(async () => {
    const s = await chainOf(orderId).catch(() => undefined);
    return s && ['completed', 'compensated', 'aborted'].includes(s.status) ? s : undefined;
  }, timeoutMs, `choreographed saga of order ${orderId} to finish`);

/** Waits until every service shows what it is expected to have done (compensations may still be on their way). */
const partsSettle = (sagaId: string, expected: Record<Name, string>, timeoutMs = 20_000) =>
  waitFor(async () => {
    const now = await parts(sagaId);
    return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
  }, timeoutMs, `saga ${sagaId} parts to be ${JSON.stringify(expected)}`).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; now: ${JSON.stringify(await parts(sagaId))}`);
  });

const finished = (orderId: string, timeoutMs = 30_000) =>
  waitFor(async () => {
    const s = await sagaOf(orderId).catch(() => undefined);
    return s && ['completed', 'compensated', 'failed'].includes(s.status) ? s : undefined;
  }, timeoutMs, `saga of order ${orderId} to finish`);

/** `exec` and `comp` rows each service wrote for the saga. */
async function parts(sagaId: string): Promise<Record<Name, string>> {
  const out = {} as Record<Name, string>;
  for (const name of services) {
    out[name] = await psql(db[name], `SELECT string_agg(split_part(name, ':', 1), ',' ORDER BY created_at, name) FROM "${name}" WHERE name LIKE '%:${sagaId}'`);
  }
  return out;
}

beforeAll(async () => {
  if (!hasServers) return;
  await servers.setUp({ rabbitmq: true });
  await shopWorkspace(work, services);
  const add = await runBin('arch', ['add-saga', saga, '--steps', services.join(','), '--yes', '--no-install'], { cwd: ws });
  expect(add.exitCode, String(add.stderr)).toBe(0);
  // The Kafka path: a second saga on two more services (created by --create), type-checked and
  // tested with the workspace; no Kafka broker runs here, so it is not started.
  const kafka = await runBin('arch', ['add-saga', 'settle', '--steps', 'ledger,audit', '--create', '--broker', 'kafka', '--yes', '--no-install'], { cwd: ws });
  expect(kafka.exitCode, String(kafka.stderr)).toBe(0);
  const chained = await runBin('arch', ['add-saga', chain, '--style', 'choreography', '--steps', services.join(','), '--yes', '--no-install'], { cwd: ws });
  expect(chained.exitCode, String(chained.stderr)).toBe(0);
  // A choreographed Kafka saga too, over the Kafka services: compiled and tested, not started.
  const kafkaChain = await runBin('arch', ['add-saga', 'reconcile', '--style', 'choreography', '--steps', 'audit,ledger', '--broker', 'kafka', '--yes', '--no-install'], { cwd: ws });
  expect(kafkaChain.exitCode, String(kafkaChain.stderr)).toBe(0);
  startSagaInCreate();
  fillStep(saga, 'orders', null, null, 0);
  fillStep(saga, 'payments', 'payment-fails', null, 0);
  fillStep(saga, 'inventory', 'inventory-fails', 'slow-inventory', 2500);
  fillStep(saga, 'shipping', null, 'shipping-late', 3000);
  fillStep(chain, 'orders', null, null, 0);
  fillStep(chain, 'payments', 'c:payment-fails', null, 0);
  fillStep(chain, 'inventory', 'c:inventory-fails', 'c:slow-inventory', 2500);
  fillStep(chain, 'shipping', null, 'c:shipping-late', CHAIN_TIMEOUT_MS + 2000);
  setTimeouts();

  await installAndBuild(ws);
  for (const name of services) ports[name] = await freePort();
  for (const name of services) start(name);
  await Promise.all(services.map(ready));
}, 600_000);

afterAll(async () => {
  for (const child of Object.values(children)) child?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  if (hasServers) await servers.tearDown();
});

describe.skipIf(!hasServers)('an orchestrated saga: orders → payments → inventory → shipping', () => {
  it('type-checks and passes its own tests, the Kafka sagas\' services too', async () => {
    await expectTypechecks(ws);
    const tests = await npm(ws, ['test', '--workspaces']);
    expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/saga\.test\.ts/);
    expect(tests.stdout).toMatch(/choreography\.test\.ts/);
    expect(tests.stdout).toMatch(/kafka-consume\.test\.ts/);
  });

  it('completes the happy path, every service showing its part', async () => {
    const { sagaId, status } = await finished(await createOrder('happy'));
    expect(status).toBe('completed');
    expect(await parts(sagaId)).toEqual({ orders: 'exec', payments: 'exec', inventory: 'exec', shipping: 'exec' });
    const data = JSON.parse(await psql(db.orders, `SELECT data FROM saga_instances WHERE id = '${sagaId}'`)) as Record<string, unknown>;
    expect(data).toMatchObject({ paymentsDone: true, inventoryDone: true, shippingDone: true });
  });

  it('cancels the order and reserves nothing when the payment is refused', async () => {
    const { sagaId, status, reason } = await finished(await createOrder('payment-fails'));
    expect(status).toBe('compensated');
    expect(reason).toBe('payments said no');
    // The refused step keeps nothing it wrote; orders is compensated; later steps never ran.
    expect(await parts(sagaId)).toEqual({ orders: 'exec,comp', payments: '', inventory: '', shipping: '' });
  });

  it('releases the payment and cancels the order when inventory is refused: reverse order, each once', async () => {
    const { sagaId, status } = await finished(await createOrder('inventory-fails'));
    expect(status).toBe('compensated');
    expect(await parts(sagaId)).toEqual({ orders: 'exec,comp', payments: 'exec,comp', inventory: '', shipping: '' });
    const compensatedAt = async (name: Name) => psql(db[name], `SELECT created_at FROM "${name}" WHERE name = 'comp:${sagaId}'`);
    expect(new Date(await compensatedAt('payments')).getTime()).toBeLessThan(new Date(await compensatedAt('orders')).getTime());
  });

  it('finishes a saga whose orchestrator was killed (SIGKILL) in the middle and started again', async () => {
    const orderId = await createOrder('slow-inventory');
    // Kill the orchestrator while the saga waits for inventory (which takes 2.5 s).
    await waitFor(async () => ((await psql(db.orders, `SELECT step FROM saga_instances WHERE data->>'orderId' = '${orderId}'`)) === '2' ? true : undefined), 10_000, 'saga at the inventory step');
    children.orders!.kill('SIGKILL');
    await children.orders;
    start('orders');
    await ready('orders');
    const { sagaId, status } = await finished(orderId);
    expect(status).toBe('completed');
    expect(await parts(sagaId)).toEqual({ orders: 'exec', payments: 'exec', inventory: 'exec', shipping: 'exec' });
  });

  it('compensates a step that answers after its timeout, the late step included', async () => {
    const { sagaId, status, reason } = await finished(await createOrder('shipping-late'), 40_000);
    expect(status).toBe('compensated');
    expect(reason).toContain('shipping did not answer within 1500 ms');
    const after = await parts(sagaId);
    expect(after).toEqual({ orders: 'exec,comp', payments: 'exec,comp', inventory: 'exec,comp', shipping: 'exec,comp' });
  });

  it('passes arch check with zero findings, and the graph shows both sagas', async () => {
    const result = await runBin('arch', ['check', '--format', 'json'], { cwd: ws });
    expect(result.exitCode, String(result.stdout)).toBe(0);
    expect((JSON.parse(String(result.stdout)) as { findings: unknown[] }).findings).toEqual([]);
    const graph = await runBin('arch', ['graph', '--format', 'mermaid'], { cwd: ws });
    expect(graph.exitCode).toBe(0);
    expect(String(graph.stdout)).toContain(`svc_orders --o|"${saga} 4"| svc_shipping`);
    expect(String(graph.stdout)).toContain(`svc_inventory --o|"${chain} 4"| svc_shipping`);
  });
});

describe.skipIf(!hasServers)('a choreographed saga: orders → payments → inventory → shipping, no orchestrator', () => {
  it('completes the happy path, every service showing its part', async () => {
    const { sagaId, status } = await chainFinished(await createOrder('c:happy'));
    expect(status).toBe('completed');
    expect(await parts(sagaId)).toEqual({ orders: 'exec', payments: 'exec', inventory: 'exec', shipping: 'exec' });
    const data = JSON.parse(await psql(db.orders, `SELECT data FROM saga_starts WHERE id = '${sagaId}'`)) as Record<string, unknown>;
    expect(data).toMatchObject({ ordersDone: true, paymentsDone: true, inventoryDone: true, shippingDone: true });
    expect(await psql(db.shipping, `SELECT status FROM saga_steps WHERE id = '${sagaId}'`)).toBe('done');
  });

  it('cancels the order and reserves nothing when the payment is refused', async () => {
    const { sagaId, status, reason } = await chainFinished(await createOrder('c:payment-fails'));
    expect(status).toBe('compensated');
    expect(reason).toBe('payments said no');
    expect(await parts(sagaId)).toEqual({ orders: 'exec,comp', payments: '', inventory: '', shipping: '' });
    expect(await psql(db.payments, `SELECT status FROM saga_steps WHERE id = '${sagaId}'`)).toBe('refused');
  });

  it('releases the payment and cancels the order when inventory is refused: reverse order, each once', async () => {
    const { sagaId, status, reason } = await chainFinished(await createOrder('c:inventory-fails'));
    expect(status).toBe('compensated');
    expect(reason).toBe('inventory said no');
    expect(await parts(sagaId)).toEqual({ orders: 'exec,comp', payments: 'exec,comp', inventory: '', shipping: '' });
    const compensatedAt = async (name: Name) => psql(db[name], `SELECT created_at FROM "${name}" WHERE name = 'comp:${sagaId}'`);
    expect(new Date(await compensatedAt('payments')).getTime()).toBeLessThan(new Date(await compensatedAt('orders')).getTime());
  });

  it('finishes a saga whose running step\'s service was killed (SIGKILL) and started again, the step done once', async () => {
    const orderId = await createOrder('c:slow-inventory');
    const sagaId = (await waitFor(async () => (await chainOf(orderId).catch(() => undefined))?.sagaId || undefined, 10_000, 'saga started')) as string;
    // Kill inventory while its step runs (it takes 2.5 s, inside the transaction that would record it).
    await waitFor(async () => ((await psql(db.payments, `SELECT status FROM saga_steps WHERE id = '${sagaId}'`)) === 'done' ? true : undefined), 10_000, 'payments done');
    await new Promise((resolve) => setTimeout(resolve, 800));
    children.inventory!.kill('SIGKILL');
    await children.inventory;
    start('inventory');
    await ready('inventory');
    const { status } = await chainFinished(orderId);
    expect(status).toBe('completed');
    expect(await parts(sagaId)).toEqual({ orders: 'exec', payments: 'exec', inventory: 'exec', shipping: 'exec' });
  });

  it('aborts a saga still running at its deadline: every step that ran is compensated, the late one included', async () => {
    const { sagaId, status, reason } = await chainFinished(await createOrder('c:shipping-late'), CHAIN_TIMEOUT_MS + 20_000);
    expect(status).toBe('aborted');
    expect(reason).toContain(`did not complete within ${CHAIN_TIMEOUT_MS} ms`);
    // Shipping's step commits after the deadline; the abort then undoes it. Nobody runs twice.
    await partsSettle(sagaId, { orders: 'exec,comp', payments: 'exec,comp', inventory: 'exec,comp', shipping: 'exec,comp' });
    expect((await chainOf(await psql(db.orders, `SELECT data->>'orderId' FROM saga_starts WHERE id = '${sagaId}'`))).status).toBe('aborted');
  });
});
