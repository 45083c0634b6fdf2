import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { changed, closerNames, compose, expectParses, messagingWorkspace, read, snapshotNew } from '../helpers/messaging.js';
import { runCli } from '../helpers/run-cli.js';
import type { Question } from '../../src/generate/options.js';
import { check } from '../../src/check/run.js';

const BROKERS = ['rabbitmq', 'kafka'] as const;
const consumer = (broker: string, extra: Record<string, unknown> = {}) => ({ service: 'payments', broker, topic: 'order-created', ...extra });

describe('add-consumer', () => {
  it.for(BROKERS)('%s: plans, renders, wires the bootstrap, and re-runs to all unchanged', async (broker) => {
    const cwd = await messagingWorkspace();
    const before = snapshotDir(cwd);
    const first = await generate('consumer', consumer(broker), { cwd });
    expect(first.values).toMatchObject({ event: 'OrderCreated' });
    const kinds = Object.fromEntries(first.plan.map((f) => [f.path, f.kind]));
    const dir = 'services/payments';
    for (const file of ['src/messaging/envelope.ts', 'src/messaging/inbox.ts', 'src/events/order-created.ts', 'src/messaging/consumers/order-created.consumer.ts', 'src/messaging/handlers/order-created.handler.ts', `src/messaging/${broker}.ts`]) {
      expect(kinds[`${dir}/${file}`], file).toBe('create');
    }
    expect(first.plan.filter((f) => /migrations\/\d{17}_create-inbox\.sql$/.test(f.path)).map((f) => f.kind)).toEqual(['create']);
    for (const file of ['src/main.ts', 'src/config.ts', 'src/instrumentation.ts', 'package.json']) expect(kinds[`${dir}/${file}`], file).toBe('update');

    const after = snapshotDir(cwd);
    const files = changed(before, after);
    expectParses(files);
    const main = after[`${dir}/src/main.ts`]!;
    const variable = broker === 'rabbitmq' ? 'rabbitmq' : 'kafka';
    expect(main).toContain(`const orderCreatedConsumer = await startOrderCreatedConsumer({ ${variable}, inbox: pgInbox(pool), logger, settings: config.messaging });`);
    expect(closerNames(main)).toEqual(['http', 'order-created consumer', broker, 'messaging retention', 'postgres', 'tracing']);
    const consumerFile = after[`${dir}/src/messaging/consumers/order-created.consumer.ts`]!;
    expect(consumerFile).toContain("'order-created'");
    expect(consumerFile).toContain(broker === 'rabbitmq' ? "'payments.order-created'" : 'payments.order-created');
    expect(compose(cwd).services.payments!.depends_on).toMatchObject({ [broker]: { condition: 'service_healthy' } });

    // Only what the producer's snapshots (same service, same broker) do not show already.
    await snapshotNew(files, dir, `consumer/${broker}`, [`producer/${broker}`, 'producer/rabbitmq', ...(broker === 'kafka' ? ['consumer/rabbitmq'] : [])]);

    const second = await generate('consumer', consumer(broker), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it.for(BROKERS)('%s: arch check sees the producer and the consumer of the topic, and finds nothing', async (broker) => {
    const cwd = await messagingWorkspace();
    await generate('producer', { service: 'orders', broker, topic: 'order-created' }, { cwd });
    const alone = await check(cwd);
    expect(alone.result.findings.map((f) => f.message)).toEqual([`${broker} order-created is produced by orders but consumed by no service`]);
    await generate('consumer', consumer(broker), { cwd });
    const { result, model } = await check(cwd);
    expect(result.findings).toEqual([]);
    expect(model.channels).toEqual([expect.objectContaining({ broker, name: 'order-created', producers: ['orders'], consumers: ['payments'] })]);
    expect(model.edges).toContainEqual(expect.objectContaining({ from: 'orders', to: 'payments', kind: 'async', channels: ['order-created'] }));
    expect(result.scorecard['event-driven'].status).toBe('pass');
  });

  it("copies the producer's contract, and never overwrites the user's handler or contract", async () => {
    const cwd = await messagingWorkspace();
    await generate('producer', { service: 'orders', broker: 'rabbitmq', topic: 'order-created', event: 'OrderCreated' }, { cwd });
    const contract = path.join(cwd, 'services/orders/src/events/order-created.ts');
    writeFileSync(contract, `${read(cwd, 'services/orders/src/events/order-created.ts')}\n// total added by the orders team\n`);
    await generate('consumer', consumer('rabbitmq'), { cwd });
    expect(read(cwd, 'services/payments/src/events/order-created.ts')).toBe(read(cwd, 'services/orders/src/events/order-created.ts'));

    const handler = path.join(cwd, 'services/payments/src/messaging/handlers/order-created.handler.ts');
    writeFileSync(handler, `${read(cwd, 'services/payments/src/messaging/handlers/order-created.handler.ts')}\n// my work\n`);
    const again = await generate('consumer', consumer('rabbitmq'), { cwd });
    expect(again.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(read(cwd, 'services/payments/src/messaging/handlers/order-created.handler.ts')).toMatch(/\/\/ my work\n$/);
  });

  it('a producer and a consumer in one service share the connection; the consumer closes before the relay', async () => {
    const cwd = await messagingWorkspace();
    await generate('producer', { service: 'payments', broker: 'rabbitmq', topic: 'payment-settled' }, { cwd });
    await generate('consumer', consumer('rabbitmq'), { cwd });
    const main = read(cwd, 'services/payments/src/main.ts');
    expect(main.match(/await connectRabbitMq\(/g)).toHaveLength(1);
    expect(closerNames(main)).toEqual(['http', 'order-created consumer', 'outbox relay', 'rabbitmq', 'messaging retention', 'postgres', 'tracing']);
    const files = snapshotDir(cwd);
    expect(Object.keys(files).filter((p) => /services\/payments\/migrations\/.*_create-(outbox|inbox)\.sql$/.test(p))).toHaveLength(2);
  });

  it('takes --group as the consumer group / queue', async () => {
    const cwd = await messagingWorkspace();
    await generate('consumer', consumer('kafka', { group: 'payments-v2' }), { cwd });
    expect(read(cwd, 'services/payments/src/messaging/consumers/order-created.consumer.ts')).toContain('payments-v2');
    await expect(generate('consumer', consumer('kafka', { topic: 'other', group: 'a/b' }), { cwd })).rejects.toThrow(/group/);
  });

  it('on a TTY asks for the service from a list, the broker, the topic and the event', async () => {
    const cwd = await messagingWorkspace();
    const questions: Question[] = [];
    const answers: Record<string, unknown> = { service: 'payments', broker: 'rabbitmq', topic: 'order-created', event: 'OrderCreated', group: 'payments.order-created' };
    const ask = async (q: Question) => {
      questions.push(q);
      return answers[q.name];
    };
    const run = await runCli(['add-consumer', '--no-install'], { cwd, tty: true, ask });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(questions.map((q) => q.name)).toEqual(['service', 'broker', 'topic', 'event', 'group']);
    const service = questions[0]!;
    expect(service.kind === 'select' && service.choices.map((c) => c.value)).toEqual(['notifier', 'orders', 'payments']);
    const topic = questions[2]!;
    expect(topic.kind === 'text' && topic.validate('a..b')).toMatch(/topic name/);
    expect(read(cwd, 'services/payments/src/main.ts')).toContain('startOrderCreatedConsumer');
  });

  it('without a TTY, a missing service is exit 2 naming the argument', async () => {
    const cwd = await messagingWorkspace();
    const run = await runCli(['add-consumer', '--topic', 'order-created'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error missing required argument <service> \(/);
  });
});
