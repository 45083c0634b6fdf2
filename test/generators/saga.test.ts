import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/run.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { changed, closerNames, compose, expectParses, snapshotNew } from '../helpers/messaging.js';
import { runCli, scriptedAsk } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

/** A workspace with orders, payments and inventory (PostgreSQL each) and notifier (no database). */
async function workspace(): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  for (const name of ['orders', 'payments', 'inventory']) await generate('service', { name }, { cwd });
  await generate('service', { name: 'notifier', db: 'none' }, { cwd });
  return cwd;
}

const saga = (extra: Record<string, unknown> = {}) => ({ name: 'place-order', steps: 'orders,payments,inventory', ...extra });

describe('add-saga (orchestration)', () => {
  it.for(['rabbitmq', 'kafka'] as const)('%s: renders the orchestrator and the participants, wires them, and re-runs to all unchanged', async (broker) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const first = await generate('saga', saga({ broker }), { cwd });
    expect(first.values).toMatchObject({ host: 'orders', style: 'orchestration' });
    const kinds = Object.fromEntries(first.plan.map((f) => [f.path, f.kind]));
    for (const file of ['src/sagas/saga.ts', 'src/sagas/index.ts', 'src/sagas/place-order/place-order.saga.ts', 'src/sagas/place-order/definition.ts', 'src/messaging/handlers/place-order-replies.handler.ts', 'test/sagas/saga.test.ts']) {
      expect(kinds[`services/orders/${file}`], file).toBe('create');
    }
    for (const service of ['orders', 'payments', 'inventory']) {
      for (const file of [`src/sagas/place-order/${service}.step.ts`, `src/messaging/handlers/place-order-${service}.handler.ts`, 'src/events/place-order-reply.ts', `src/events/place-order-${service}-command.ts`]) {
        expect(kinds[`services/${service}/${file}`], `${service}: ${file}`).toBe('create');
      }
      expect(kinds[`services/${service}/src/main.ts`]).toBe('update');
    }
    expect(Object.keys(kinds).filter((p) => p.startsWith('services/notifier/'))).toEqual([]);
    expect(Object.keys(kinds).filter((p) => p.startsWith('services/payments/src/sagas/saga.ts'))).toEqual([]);
    const migrations = first.plan.filter((f) => f.path.startsWith('services/orders/migrations/')).map((f) => f.path.replace(/^.*\/\d{17}_/, ''));
    expect(migrations.sort()).toEqual(['create-inbox.sql', 'create-outbox.sql', 'create-saga-instances.sql']);
    const stamps = first.plan.filter((f) => f.path.startsWith('services/orders/migrations/')).map((f) => /\/(\d{17})_/.exec(f.path)![1]);
    expect(new Set(stamps).size).toBe(3);

    const after = snapshotDir(cwd);
    const files = changed(before, after);
    expectParses(files);
    // Names are not made possessive with 's ("payments's part"): no name of a step ends up before one.
    expect(Object.entries(files).filter(([, text]) => /\b(orders|payments|inventory)'s\b/.test(text)).map(([file]) => file)).toEqual([]);
    const main = after['services/orders/src/main.ts']!;
    expect(main).toContain('const sagaTimer = startSagaTimer({ pool, sagas, logger });');
    expect(closerNames(main)).toEqual(['http', 'place-order.replies consumer', 'place-order.orders consumer', 'saga timer', 'outbox relay', broker, 'messaging retention', 'postgres', 'tracing']);
    expect(after['services/orders/src/sagas/index.ts']).toMatch(/^\/\*\*\n \* The sagas this service orchestrates[\s\S]*\nimport \{ placeOrderSaga \} from '\.\/place-order\/place-order\.saga\.js';\nimport type \{ SagaDefinition \} from '\.\/saga\.js';\n\nexport const sagas: SagaDefinition\[\] = \[\n {2}placeOrderSaga,?\n\];\n$/);
    expect(after['services/payments/src/main.ts']).not.toContain('startSagaTimer');
    for (const service of ['orders', 'payments', 'inventory']) {
      expect(compose(cwd).services[service]!.depends_on).toMatchObject({ [broker]: { condition: 'service_healthy' } });
    }
    if (broker === 'rabbitmq') {
      const own = /^services\/(orders\/src\/sagas\/(saga|index|place-order\/place-order\.saga|place-order\/definition)\.ts|orders\/src\/messaging\/handlers\/place-order-replies|payments\/src\/sagas\/|payments\/src\/messaging\/handlers\/|payments\/src\/events\/)/;
      await snapshotNew(Object.fromEntries(Object.entries(files).filter(([file]) => own.test(file))), 'services', 'saga/orchestration');
    }

    const second = await generate('saga', saga({ broker }), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it("keeps the user's step code and definition on a re-run", async () => {
    const cwd = await workspace();
    await generate('saga', saga(), { cwd });
    const stepFile = path.join(cwd, 'services/payments/src/sagas/place-order/payments.step.ts');
    const mine = readFileSync(stepFile, 'utf8').replace("return { ok: true };", "return { ok: true, data: { paymentId: 'p-1' } };");
    writeFileSync(stepFile, mine);
    const second = await generate('saga', saga(), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(readFileSync(stepFile, 'utf8')).toBe(mine);
  });

  it('--create makes the missing step services in the same run, all-or-nothing and idempotent', async () => {
    const cwd = await workspace();
    const without = await runCli(['add-saga', 'place-order', '--steps', 'orders,billing,shipping', '--yes', '--no-install', '--no-git'], { cwd });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('or pass --create');
    const first = await generate('saga', saga({ steps: 'orders,billing,shipping', create: true }), { cwd });
    const paths = first.plan.map((f) => f.path);
    for (const name of ['billing', 'shipping']) {
      for (const file of ['package.json', 'src/main.ts', 'Dockerfile', `src/sagas/place-order/${name}.step.ts`, `src/messaging/handlers/place-order-${name}.handler.ts`]) {
        expect(paths, `${name}: ${file}`).toContain(`services/${name}/${file}`);
      }
    }
    expect(compose(cwd).services.billing).toMatchObject({ environment: { PORT: '3004' } });
    expect(compose(cwd).services.shipping).toMatchObject({ environment: { PORT: '3005' } });
    const second = await generate('saga', saga({ steps: 'orders,billing,shipping', create: true }), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.sagas.map((s) => s.steps)).toEqual([['orders', 'billing', 'shipping']]);
  });

  it('a host that is not a step runs the orchestrator only', async () => {
    const cwd = await workspace();
    const run = await generate('saga', saga({ steps: 'payments,inventory', host: 'orders' }), { cwd });
    const paths = run.plan.map((f) => f.path);
    expect(paths).toContain('services/orders/src/sagas/saga.ts');
    expect(paths).not.toContain('services/orders/src/sagas/place-order/orders.step.ts');
    expect(paths).toContain('services/payments/src/sagas/place-order/payments.step.ts');
    expect(paths).not.toContain('services/payments/src/sagas/saga.ts');
  });

  it('arch check: a generated workspace with a saga has zero findings', async () => {
    const cwd = await workspace();
    await generate('saga', saga(), { cwd });
    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.sagas).toEqual([
      { name: 'place-order', style: 'orchestration', host: 'orders', steps: ['orders', 'payments', 'inventory'], location: expect.objectContaining({ file: 'services/orders/src/sagas/place-order/definition.ts' }) },
    ]);
    expect(model.channels.map((c) => [c.name, c.producers, c.consumers])).toEqual(
      expect.arrayContaining([
        ['place-order.payments', ['orders'], ['payments']],
        ['place-order.replies', ['inventory', 'orders', 'payments'], ['orders']],
      ]),
    );
  });

  it.for([
    ['', /at least one step/],
    ['orders,payments,orders', /listed twice/],
    ['orders,billing', /no service "billing"/],
    ['orders,notifier', /no PostgreSQL database/],
    ['orders,../etc', /path separators/],
    ['orders, Payments', /kebab-case/],
    ['orders,replies', /share its topic with the saga's replies/],
  ] as const)('rejects the steps %j with exit 2 and writes nothing', async ([steps, message]) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const res = await runCli(['add-saga', 'place-order', '--steps', steps, '--yes', '--no-install', '--no-git'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('rejects bad saga names and runs only in a workspace', async () => {
    const cwd = await workspace();
    for (const name of ['PlaceOrder', 'place order', '../x', 'class']) {
      const res = await runCli(['add-saga', name, '--steps', 'orders', '--yes', '--no-install', '--no-git'], { cwd });
      expect(res.code, name).toBe(2);
      expect(res.stderr).toContain('saga name');
    }
    const outside = await runCli(['add-saga', 'x', '--steps', 'orders', '--yes'], { cwd: tmpDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('workspace');
  });
});

describe('add-saga (choreography)', () => {
  const choreo = (extra: Record<string, unknown> = {}) => saga({ style: 'choreography', ...extra });
  const consumers = (main: string) => [...main.matchAll(/await start(\w+)Consumer\(/g)].map((m) => m[1]);

  it.for(['rabbitmq', 'kafka'] as const)('%s: renders each service its part, chains the events, and re-runs to all unchanged', async (broker) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const first = await generate('saga', choreo({ broker }), { cwd });
    expect(first.values).toMatchObject({ host: 'orders', style: 'choreography' });
    const kinds = Object.fromEntries(first.plan.map((f) => [f.path, f.kind]));
    // The first service starts the saga and watches its deadline; there is no orchestrator anywhere.
    for (const file of ['src/sagas/initiator.ts', 'src/sagas/choreographies.ts', 'src/sagas/place-order/place-order.choreography.ts', 'src/sagas/place-order/definition.ts']) {
      expect(kinds[`services/orders/${file}`], file).toBe('create');
    }
    expect(Object.keys(kinds).filter((p) => /src\/sagas\/(saga|index)\.ts$|place-order\.saga\.ts$|replies/.test(p))).toEqual([]);
    const topics = {
      orders: ['place-order.started', 'place-order.inventory.done', 'place-order.payments.reverted'],
      payments: ['place-order.orders.done', 'place-order.inventory.reverted', 'place-order.aborted'],
      inventory: ['place-order.payments.done', 'place-order.aborted'],
    };
    for (const [service, consumed] of Object.entries(topics)) {
      for (const file of ['src/sagas/choreography.ts', `src/sagas/place-order/${service}.step.ts`, `src/sagas/place-order/${service}.part.ts`, 'test/sagas/choreography.test.ts']) {
        expect(kinds[`services/${service}/${file}`], `${service}: ${file}`).toBe('create');
      }
      for (const topic of consumed) expect(kinds[`services/${service}/src/messaging/handlers/${topic.replaceAll('.', '-')}.handler.ts`], `${service}: ${topic}`).toBe('create');
      expect(kinds[`services/${service}/src/main.ts`]).toBe('update');
      const migrations = first.plan.filter((f) => f.path.startsWith(`services/${service}/migrations/`)).map((f) => f.path.replace(/^.*\/\d{17}_/, ''));
      expect(migrations.sort()).toEqual(['create-inbox.sql', 'create-outbox.sql', ...(service === 'orders' ? ['create-saga-starts.sql'] : []), 'create-saga-steps.sql']);
    }

    const after = snapshotDir(cwd);
    const files = changed(before, after);
    expectParses(files);
    const main = after['services/orders/src/main.ts']!;
    expect(main).toContain('const choreographyTimer = startChoreographyTimer({ pool, sagas: choreographies, logger });');
    expect(closerNames(main)).toEqual(['http', 'place-order.started consumer', 'place-order.inventory.done consumer', 'place-order.payments.reverted consumer', 'choreography timer', 'outbox relay', broker, 'messaging retention', 'postgres', 'tracing']);
    expect(consumers(after['services/inventory/src/main.ts']!).sort()).toEqual(['PlaceOrderAborted', 'PlaceOrderPaymentsDone']);
    expect(after['services/payments/src/main.ts']).not.toContain('startChoreographyTimer');
    // The first step's refusal ends the saga in its own service; the others report to the step before.
    expect(after['services/orders/src/sagas/place-order/orders.part.ts']).toContain("await finishChoreography(db, 'place-order', event, logger);");
    expect(after['services/inventory/src/sagas/place-order/inventory.part.ts']).toContain('await recordPlaceOrderInventoryReverted(db, event);');
    expect(after['services/orders/src/messaging/handlers/place-order-inventory-done.handler.ts']).toContain('await completeChoreography(context.db, placeOrderSaga, event.data, context.logger);');
    if (broker === 'rabbitmq') {
      const own = /^services\/(orders\/src\/sagas\/(initiator|choreographies|place-order\/place-order\.choreography|place-order\/definition|place-order\/orders\.part)\.ts|orders\/src\/messaging\/handlers\/place-order-inventory-done|orders\/migrations\/\d+_create-saga-starts|payments\/src\/sagas\/|payments\/src\/messaging\/handlers\/|payments\/src\/events\/|payments\/test\/sagas\/|payments\/migrations\/\d+_create-saga-steps)/;
      await snapshotNew(Object.fromEntries(Object.entries(files).filter(([file]) => own.test(file))), 'services', 'saga/choreography');
    }

    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.sagas).toEqual([
      { name: 'place-order', style: 'choreography', host: 'orders', steps: ['orders', 'payments', 'inventory'], location: expect.objectContaining({ file: 'services/orders/src/sagas/place-order/place-order.choreography.ts' }) },
    ]);
    expect(model.channels.map((c) => [c.name, c.producers, c.consumers])).toEqual(
      expect.arrayContaining([
        ['place-order.started', ['orders'], ['orders']],
        ['place-order.orders.done', ['orders'], ['payments']],
        ['place-order.inventory.done', ['inventory'], ['orders']],
        ['place-order.payments.reverted', ['payments'], ['orders']],
        ['place-order.aborted', ['orders'], ['inventory', 'payments']],
      ]),
    );

    const second = await generate('saga', choreo({ broker }), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('a service can start one saga and take part in another; both styles side by side', async () => {
    const cwd = await workspace();
    await generate('saga', saga(), { cwd });
    await generate('saga', choreo({ name: 'restock', steps: 'inventory,payments' }), { cwd });
    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.sagas.map((s) => [s.name, s.style, s.host])).toEqual([
      ['place-order', 'orchestration', 'orders'],
      ['restock', 'choreography', 'inventory'],
    ]);
    // The step contract is one file per service, whatever the style.
    expect(readFileSync(path.join(cwd, 'services/payments/src/sagas/step.ts'), 'utf8')).toContain('export interface StepContext');
  });

  it.for([
    [['--steps', 'orders'], /at least two services/],
    [['--steps', 'orders,payments', '--host', 'payments'], /starts in its first step's service \("orders"\)/],
    [['--steps', 'orders,orders'], /listed twice/],
    [['--steps', ''], /at least one step/],
    [['--steps', 'orders,billing'], /no service "billing".*or pass --create/],
    [['--steps', 'orders,notifier'], /no PostgreSQL database/],
  ] as const)('rejects %j with exit 2 and writes nothing', async ([args, message]) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const res = await runCli(['add-saga', 'place-order', '--style', 'choreography', ...args, '--yes', '--no-install', '--no-git'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for([
    ['another style', ['--style', 'orchestration', '--steps', 'orders,payments,inventory']],
    ['other steps', ['--style', 'choreography', '--steps', 'orders,inventory,payments']],
    ['fewer steps', ['--style', 'choreography', '--steps', 'orders,payments']],
  ] as const)('refuses to generate a saga again with %s: exit 2, nothing written', async ([, args]) => {
    const cwd = await workspace();
    await generate('saga', choreo(), { cwd });
    const before = snapshotDir(cwd);
    const res = await runCli(['add-saga', 'place-order', ...args, '--yes', '--no-install', '--no-git'], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('saga "place-order" already exists: choreography, run by orders, steps orders,payments,inventory');
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('on a TTY asks for the style even when the name and steps are given (README: "asked on a terminal")', async () => {
    const cwd = await workspace();
    const ask = scriptedAsk({ style: 'choreography' });
    const run = await runCli(['add-saga', 'place-order', '--steps', 'orders,payments', '--no-install', '--no-git'], { cwd, tty: true, ask });
    expect(run.code, run.stderr).toBe(0);
    expect(ask.asked).toEqual(['style']);
    expect(existsSync(path.join(cwd, 'services/payments/src/sagas/place-order/payments.part.ts'))).toBe(true);
    const yes = await runCli(['add-saga', 'refund', '--steps', 'payments,orders', '--yes', '--no-install', '--no-git'], { cwd, tty: true, ask: scriptedAsk({}) });
    expect(yes.code, yes.stderr).toBe(0);
  });

  it('on a TTY asks for the name, style and steps', async () => {
    const cwd = await workspace();
    const ask = scriptedAsk({ name: 'place-order', style: 'choreography', create: false, steps: 'orders,payments', host: 'orders', broker: 'rabbitmq' });
    const run = await runCli(['add-saga', '--no-install', '--no-git'], { cwd, tty: true, ask });
    expect(run.code, run.stderr).toBe(0);
    expect(ask.asked).toEqual(expect.arrayContaining(['name', 'style', 'steps']));
    expect(readFileSync(path.join(cwd, 'services/payments/src/sagas/place-order/payments.part.ts'), 'utf8')).toContain('placeOrderPaymentsPart');
  });
});
