import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { changed, closerNames, compose, expectParses, messagingWorkspace, read, snapshotNew } from '../helpers/messaging.js';
import { HOSTILE } from '../helpers/hostile.js';
import { composeSchemaErrors, dclint } from '../helpers/e2e.js';

const BROKERS = ['rabbitmq', 'kafka'] as const;
const producer = (broker: string, extra: Record<string, unknown> = {}) => ({ service: 'payments', broker, topic: 'payment-settled', event: 'PaymentSettled', ...extra });

describe('add-producer', () => {
  it.for(BROKERS)('%s: plans, renders, wires the bootstrap, and re-runs to all unchanged', async (broker) => {
    const cwd = await messagingWorkspace();
    const before = snapshotDir(cwd);
    const first = await generate('producer', producer(broker), { cwd });
    const kinds = Object.fromEntries(first.plan.map((f) => [f.path, f.kind]));
    const dir = 'services/payments';
    for (const file of ['src/messaging/envelope.ts', 'src/messaging/outbox.ts', 'src/messaging/outbox-routes.ts', 'src/events/payment-settled.ts', 'src/messaging/producers/payment-settled.producer.ts', `src/messaging/${broker}.ts`]) {
      expect(kinds[`${dir}/${file}`], file).toBe('create');
    }
    expect(first.plan.filter((f) => /migrations\/\d{17}_create-outbox\.sql$/.test(f.path)).map((f) => f.kind)).toEqual(['create']);
    for (const file of ['src/main.ts', 'src/config.ts', 'src/instrumentation.ts', 'package.json']) expect(kinds[`${dir}/${file}`], file).toBe('update');
    expect(kinds['compose.yaml']).toBe('update');
    expect(kinds['.env.example']).toBe(broker === 'rabbitmq' ? 'update' : undefined);
    expect(Object.keys(kinds).filter((p) => p.startsWith('services/orders/'))).toEqual([]);

    const after = snapshotDir(cwd);
    const files = changed(before, after);
    expectParses(files);
    const main = after[`${dir}/src/main.ts`]!;
    const variable = broker === 'rabbitmq' ? 'rabbitmq' : 'kafka';
    const connect = broker === 'rabbitmq' ? 'connectRabbitMq' : 'connectKafka';
    expect(main).toContain(`const ${variable} = await ${connect}(config.${variable}, logger);`);
    expect(main).toMatch(new RegExp(`readinessChecks: ReadinessCheck\\[\\] = \\[postgresCheck\\(pool\\), ${variable}Check\\(${variable}\\)\\]`));
    expect(main).toContain(`startOutboxRelay({ pool, broker: ${variable}, routes: outboxRoutes, logger, pollIntervalMs: config.messaging.outboxPollIntervalMs })`);
    expect(main.indexOf(`await ${connect}(`)).toBeLessThan(main.indexOf('const readinessChecks'));
    expect(closerNames(main)).toEqual(['http', 'outbox relay', broker, 'messaging retention', 'postgres', 'tracing']);
    expect(after[`${dir}/src/messaging/outbox-routes.ts`]).toMatch(/import \{ paymentSettledRoute \} from '\.\/producers\/payment-settled\.producer\.js';[\s\S]*paymentSettledRoute/);
    const config = after[`${dir}/src/config.ts`]!;
    expect(config).toContain(broker === 'rabbitmq' ? 'RABBITMQ_URL:' : 'KAFKA_BROKERS:');
    expect(config).toMatch(/interface Config \{[\s\S]*messaging: \{ maxRetries: number; retryDelayMs: number; outboxPollIntervalMs: number; retentionHours: number; retentionIntervalMs: number \};[\s\S]*httpClient/);
    expect(after[`${dir}/src/instrumentation.ts`]).toContain(broker === 'rabbitmq' ? 'new AmqplibInstrumentation()' : 'new KafkaJsInstrumentation()');
    const pkg = JSON.parse(after[`${dir}/package.json`]!) as { dependencies: Record<string, string> };
    expect(pkg.dependencies[broker === 'rabbitmq' ? 'amqplib' : 'kafkajs']).toMatch(/^\d+\.\d+\.\d+$/);

    const services = compose(cwd).services;
    expect(services[broker]).toMatchObject({ healthcheck: expect.any(Object), restart: 'unless-stopped' });
    expect(String(services[broker]!.image)).not.toMatch(/:latest$|^[^:]+$/);
    expect(services.payments!.depends_on).toMatchObject({ 'payments-db': { condition: 'service_healthy' }, [broker]: { condition: 'service_healthy' } });
    expect(services.orders!.depends_on).not.toHaveProperty(broker);
    expect(await composeSchemaErrors(compose(cwd))).toEqual([]);
    expect(await dclint(cwd)).toEqual({ output: '', exitCode: 0 });

    // RabbitMQ is snapshotted whole; Kafka where it differs.
    await snapshotNew(files, dir, `producer/${broker}`, broker === 'kafka' ? ['producer/rabbitmq'] : []);

    const second = await generate('producer', producer(broker), { cwd });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('a second event in the same service adds its route and contract, and keeps one relay and one connection', async () => {
    const cwd = await messagingWorkspace();
    await generate('producer', producer('rabbitmq'), { cwd });
    const migration = Object.keys(snapshotDir(cwd)).filter((p) => p.includes('create-outbox'));
    await generate('producer', producer('rabbitmq', { topic: 'payment-refunded', event: 'PaymentRefunded' }), { cwd });
    const main = read(cwd, 'services/payments/src/main.ts');
    expect(main.match(/await connectRabbitMq\(/g)).toHaveLength(1);
    expect(main.match(/startOutboxRelay\(/g)).toHaveLength(1);
    expect(read(cwd, 'services/payments/src/messaging/outbox-routes.ts')).toMatch(/paymentSettledRoute,?\s+paymentRefundedRoute/);
    expect(Object.keys(snapshotDir(cwd)).filter((p) => p.includes('create-outbox'))).toEqual(migration);
  });

  it("wires a bootstrap the user has edited, keeping the user's code and comments", async () => {
    const cwd = await messagingWorkspace();
    const file = path.join(cwd, 'services/payments/src/main.ts');
    const edited = read(cwd, 'services/payments/src/main.ts')
      .replace('  const app = await buildApp({', '  // my metrics, started first\n  const metrics = startMetrics();\n\n  const app = await buildApp({')
      .replace("    { name: 'http', close: () => app.close() },", "    { name: 'http', close: () => app.close() },\n    { name: 'metrics', close: () => metrics.stop() }, // mine");
    writeFileSync(file, `function startMetrics() {\n  return { stop: async () => {} };\n}\n\n${edited}`);
    await generate('producer', producer('rabbitmq'), { cwd });
    const main = read(cwd, 'services/payments/src/main.ts');
    expect(main).toContain('// my metrics, started first');
    expect(main).toContain("{ name: 'metrics', close: () => metrics.stop() }, // mine");
    expect(closerNames(main)).toEqual(['http', 'metrics', 'outbox relay', 'rabbitmq', 'messaging retention', 'postgres', 'tracing']);
    expectParses({ 'main.ts': main });
  });

  it('gives instructions and writes nothing when the bootstrap is not recognisable', async () => {
    const cwd = await messagingWorkspace();
    writeFileSync(path.join(cwd, 'services/payments/src/main.ts'), "import { start } from './server.js';\n\nawait start();\n");
    const before = snapshotDir(cwd);
    const error = await generate('producer', producer('rabbitmq'), { cwd }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/nothing was written/);
    expect((error as Error).message).toContain('const rabbitmq = await connectRabbitMq(config.rabbitmq, logger);');
    expect((error as Error).message).toContain("{ name: 'outbox relay', close: () => outboxRelay.stop() }");
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for([...HOSTILE.filter((t) => t !== 'null'), '../orders', 'a..b', '1st'])('rejects the topic %j and writes nothing', async (topic) => {
    const cwd = await messagingWorkspace();
    const before = snapshotDir(cwd);
    await expect(generate('producer', producer('rabbitmq', { topic }), { cwd })).rejects.toThrow(/topic/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for(['payment-settled', 'Order Created', 'Order`Created', 'Order${x}', 'Order*/', 'Order\nCreated'])('rejects the event %j and writes nothing', async (event) => {
    const cwd = await messagingWorkspace();
    const before = snapshotDir(cwd);
    await expect(generate('producer', producer('rabbitmq', { event }), { cwd })).rejects.toThrow(/event name/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('refuses an unknown service, a service without a database, and a second broker', async () => {
    const cwd = await messagingWorkspace();
    await expect(generate('producer', producer('rabbitmq', { service: 'billing' }), { cwd })).rejects.toThrow(/no service "billing".*payments/);
    await expect(generate('producer', producer('rabbitmq', { service: 'notifier' }), { cwd })).rejects.toThrow(/no PostgreSQL database/);
    await generate('producer', producer('rabbitmq'), { cwd });
    const before = snapshotDir(cwd);
    await expect(generate('producer', producer('kafka', { topic: 'x' }), { cwd })).rejects.toThrow(/already talks to rabbitmq/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('refuses a second event type on a topic whose consumer expects another (it would dead-letter every message), either way round', async () => {
    const cwd = await messagingWorkspace();
    await generate('producer', producer('rabbitmq'), { cwd });
    await generate('consumer', { service: 'orders', broker: 'rabbitmq', topic: 'payment-settled' }, { cwd });
    const before = snapshotDir(cwd);
    await expect(generate('producer', producer('rabbitmq', { event: 'PaymentRefunded' }), { cwd })).rejects.toThrow(
      'topic "payment-settled" carries PaymentSettled (orders consumes it as PaymentSettled, services/orders/src/messaging/consumers/payment-settled.consumer.ts): its consumers would dead-letter every PaymentRefunded',
    );
    await expect(generate('consumer', { service: 'orders', topic: 'payment-settled', event: 'PaymentDone' }, { cwd })).rejects.toThrow(
      /^topic "payment-settled" carries PaymentSettled \(payments publishes PaymentSettled on it, services\/payments\/src\/messaging\/producers\/payment-settled\.producer\.ts\): a consumer of PaymentDone would dead-letter every message on it$/,
    );
    expect(snapshotDir(cwd)).toEqual(before);
    // The same event again, and another event on a topic of its own, are fine.
    expect((await generate('producer', producer('rabbitmq'), { cwd })).plan.every((f) => f.kind === 'unchanged')).toBe(true);
    await generate('producer', producer('rabbitmq', { topic: 'payment-refunded', event: 'PaymentRefunded' }), { cwd });
  });

  it('defaults the broker to the one the workspace uses and the event to the topic', async () => {
    const cwd = await messagingWorkspace();
    await generate('producer', { service: 'payments', broker: 'kafka', topic: 'payment-settled' }, { cwd });
    const result = await generate('producer', { service: 'payments', topic: 'payment-failed' }, { cwd });
    expect(result.values).toMatchObject({ broker: 'kafka', event: 'PaymentFailed' });
  });
});
