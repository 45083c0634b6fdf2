/**
 * What `add-producer` and `add-consumer` do, in order: normalize the
 * options into the template data, render the shared messaging files and the
 * role's files, wire them into the service through ts-morph, add the
 * dependencies, and put the broker in compose and `.env.example`.
 */
import { reportOffTheNetworks } from '../compose-networks.js';
import { UsageError } from '../../errors.js';
import type { GeneratorContext } from '../define-generator.js';
import { ensureEnvFile } from '../dotenv.js';
import { eventCases, nameCases, topicCases, type NameCases } from '../names.js';
import { messagingServices, type MessagingBroker } from './options.js';
import { brokerFacts, configEdit, instrumentationEdit, mainEdit, messagingEnvSections, outboxRoutesEdit, testEnvEdit, type MainWiring } from './wiring.js';

export type Role = 'producer' | 'consumer';

export interface MessagingValues {
  service: string;
  broker: MessagingBroker;
  topic: string;
  event?: string | undefined;
  group?: string | undefined;
}

export interface MessagingData {
  [key: string]: unknown;
  service: string;
  serviceNames: NameCases;
  broker: MessagingBroker;
  isRabbitmq: boolean;
  isKafka: boolean;
  topic: string;
  topicNames: NameCases;
  event: string;
  eventNames: NameCases;
  /** Path tokens (`__topicKebab__`, `__eventKebab__`). */
  topicKebab: string;
  eventKebab: string;
  description: string;
  group: string | false;
  queue: string | false;
  outboxMigration: string | false;
  inboxMigration: string | false;
  /** Service folder, relative to the workspace root. */
  dir: string;
}

const MIGRATION = /^(\d{17})_.+\.sql$/;

/** `20250101000000000` + 1 s, as node-pg-migrate's UTC file-name format. */
function nextTimestamp(stamp: string): string {
  const [y, mo, d, h, mi, s, ms] = [stamp.slice(0, 4), stamp.slice(4, 6), stamp.slice(6, 8), stamp.slice(8, 10), stamp.slice(10, 12), stamp.slice(12, 14), stamp.slice(14)].map(Number) as number[];
  const next = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!) + 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${next.getUTCFullYear()}${pad(next.getUTCMonth() + 1)}${pad(next.getUTCDate())}${pad(next.getUTCHours())}${pad(next.getUTCMinutes())}${pad(next.getUTCSeconds())}${pad(next.getUTCMilliseconds(), 3)}`;
}

/**
 * The migration's file name: the one already there, else one second after
 * the newest migration, so node-pg-migrate runs it after everything the
 * service has (and a re-run picks the same name).
 */
export function migrationName(ctx: GeneratorContext<unknown>, dir: string, suffix: string): string {
  // Staged ones count too: one run may add several migrations (a saga: outbox, inbox, its instances).
  const files = ctx.tree.list(`${dir}/migrations`);
  const existing = files.find((f) => MIGRATION.test(f) && f.endsWith(`_${suffix}.sql`));
  if (existing) return existing.slice(0, -4);
  const stamps = files.map((f) => MIGRATION.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
  const newest = stamps.at(-1) ?? '20250101000000000';
  return `${nextTimestamp(newest)}_${suffix}`;
}

/** The broker the service's existing messaging code was generated for, if any. */
function serviceBroker(ctx: GeneratorContext<unknown>, dir: string): MessagingBroker | undefined {
  if (ctx.tree.exists(`${dir}/src/messaging/rabbitmq.ts`)) return 'rabbitmq';
  if (ctx.tree.exists(`${dir}/src/messaging/kafka.ts`)) return 'kafka';
  return undefined;
}

/** Why `add-producer` / `add-consumer` cannot run in this repository, if they cannot. */
export function messagingRequires(model: GeneratorContext<unknown>['model'], command: string): string | undefined {
  if (model.kind !== 'workspace') return `${command} runs inside an archkit workspace (arch init)`;
  return messagingServices(model).length === 0 ? 'no services found: run `npx create-service <name>` first' : undefined;
}

/** The whole run of `add-producer` / `add-consumer` (`ctx.options` holds the messaging options). */
export async function runMessaging(ctx: GeneratorContext<unknown>, role: Role): Promise<void> {
  const c = ctx as GeneratorContext<MessagingValues>;
  await applyMessaging(c, normalizeMessaging(c, role), role);
  await reportOffTheNetworks(ctx, ctx.model.workspace?.composeFile ?? 'compose.yaml', 'warn');
}

export function normalizeMessaging(ctx: GeneratorContext<MessagingValues>, role: Role): MessagingData {
  const { service, broker, topic } = ctx.options;
  const event = ctx.options.event!;
  // A service created earlier in this same run (add-saga --create) is not in the model yet.
  const dir = messagingServices(ctx.model).find((s) => s.name === service)?.dir ?? `services/${service}`;
  for (const file of ['src/main.ts', 'src/config.ts']) {
    if (!ctx.tree.exists(`${dir}/${file}`)) throw new UsageError(`${dir}/${file} not found: ${role}s are wired into services made by create-service`);
  }
  if (!ctx.tree.exists(`${dir}/src/db/pool.ts`)) {
    throw new UsageError(
      `service "${service}" has no PostgreSQL database (${dir}/src/db/pool.ts): the ${role === 'producer' ? 'outbox' : 'idempotency records'} live there`,
      'Create the service with --db postgres, or add the database first.',
    );
  }
  const current = serviceBroker(ctx, dir);
  if (current && current !== broker) {
    throw new UsageError(`service "${service}" already talks to ${current}; archkit wires one broker per service`, `Use --broker ${current}.`);
  }
  const group = role === 'consumer' ? (ctx.options.group ?? `${service}.${topic}`) : false;
  return {
    service,
    serviceNames: nameCases(service),
    broker,
    isRabbitmq: broker === 'rabbitmq',
    isKafka: broker === 'kafka',
    topic,
    topicNames: topicCases(topic),
    event,
    eventNames: eventCases(event),
    topicKebab: topicCases(topic).kebab,
    eventKebab: eventCases(event).kebab,
    description: `${event} on ${topic}`,
    group,
    queue: role === 'consumer' && broker === 'rabbitmq' ? group : false,
    outboxMigration: role === 'producer' ? migrationName(ctx, dir, 'create-outbox') : false,
    inboxMigration: role === 'consumer' ? migrationName(ctx, dir, 'create-inbox') : false,
    dir,
  };
}

/**
 * A consumer's copy of the event contract: the producer's own file when a
 * service of the workspace already has one (services share contracts by
 * copy, never by import), else the template.
 */
function copyContract(ctx: GeneratorContext<unknown>, data: MessagingData): void {
  const rel = `src/events/${data.eventNames.kebab}.ts`;
  if (ctx.tree.exists(`${data.dir}/${rel}`)) return;
  for (const other of messagingServices(ctx.model)) {
    const text = other.dir && other.dir !== data.dir ? ctx.tree.read(`${other.dir}/${rel}`) : undefined;
    if (text !== undefined) {
      ctx.tree.write(`${data.dir}/${rel}`, text);
      return;
    }
  }
}

/**
 * Renders and wires one producer or consumer. With `options.main` and
 * `options.routes`, the bootstrap wiring and the producer's outbox route are
 * collected there instead of edited into `src/main.ts` and
 * `src/messaging/outbox-routes.ts`, so a generator that wires many channels
 * edits each of those files once (`mergeWiring`, `outboxRoutesEdit`).
 */
export async function applyMessaging(
  ctx: GeneratorContext<MessagingValues>,
  data: MessagingData,
  role: Role,
  options: { main?: MainWiring[]; routes?: Array<{ route: string; module: string }> } = {},
): Promise<void> {
  const { dir, broker } = data;
  const b = brokerFacts(broker);
  const overlay = `broker-${broker}`;
  if (role === 'consumer') copyContract(ctx, data);
  ctx.render('messaging', dir, data, { overlays: [overlay], once: [`src/events/${data.eventNames.kebab}.ts`] });
  // The handler is the user's; the route table is edited (below) once it exists.
  ctx.render(role, dir, data, { overlays: [overlay], once: [`src/messaging/handlers/${data.topicNames.kebab}.handler.ts`, 'src/messaging/outbox-routes.ts'] });

  const wiring: MainWiring = { broker, starts: [], closers: [] };
  const brokerCloser = { name: broker, close: `${b.variable}.close()`, before: ['postgres', 'tracing'] };
  if (role === 'producer') {
    const route = { route: `${data.eventNames.camel}Route`, module: `./producers/${data.eventNames.kebab}.producer.js` };
    if (options.routes) options.routes.push(route);
    else await ctx.editTs(`${dir}/src/messaging/outbox-routes.ts`, outboxRoutesEdit(`${dir}/src/messaging/outbox-routes.ts`, [route]));
    wiring.starts.push({
      statement: `const outboxRelay = startOutboxRelay({ pool, broker: ${b.variable}, routes: outboxRoutes, logger, pollIntervalMs: config.messaging.outboxPollIntervalMs });`,
      imports: [
        ['./messaging/outbox.js', 'startOutboxRelay'],
        ['./messaging/outbox-routes.js', 'outboxRoutes'],
      ],
    });
    wiring.closers.push({ name: 'outbox relay', close: 'outboxRelay.stop()', before: [broker, 'postgres', 'tracing'] });
  } else {
    const variable = `${data.topicNames.camel}Consumer`;
    const start = `start${data.topicNames.pascal}Consumer`;
    wiring.starts.push({
      statement: `const ${variable} = await ${start}({ ${b.variable}, inbox: pgInbox(pool), logger, settings: config.messaging });`,
      imports: [
        [`./messaging/consumers/${data.topicNames.kebab}.consumer.js`, start],
        ['./messaging/inbox.js', 'pgInbox'],
      ],
    });
    wiring.closers.push({ name: `${data.topic} consumer`, close: `${variable}.stop()`, before: ['outbox relay', broker, 'postgres', 'tracing'] });
  }
  wiring.closers.push(brokerCloser);
  // One retention job per service, whichever of the outbox and the inbox it has (the second role finds it there).
  wiring.starts.push({
    statement: 'const messagingRetention = startRetention({ pool, logger, hours: config.messaging.retentionHours, intervalMs: config.messaging.retentionIntervalMs });',
    imports: [['./messaging/retention.js', 'startRetention']],
  });
  wiring.closers.push({ name: 'messaging retention', close: 'messagingRetention.stop()', before: ['postgres', 'tracing'] });
  await ctx.editTs(`${dir}/src/config.ts`, configEdit(`${dir}/src/config.ts`, broker), { key: `messaging-config:${broker}` });
  // What configEdit made the service read, with local defaults, so `cp .env.example .env && npm start` works.
  for (const { section, vars } of messagingEnvSections(broker)) ensureEnvFile(ctx.tree, `${dir}/.env.example`, vars, section);
  if (options.main) options.main.push(wiring);
  else await ctx.editTs(`${dir}/src/main.ts`, mainEdit(`${dir}/src/main.ts`, wiring));
  await ctx.editTs(`${dir}/src/instrumentation.ts`, instrumentationEdit(`${dir}/src/instrumentation.ts`, broker), { key: `instrumentation:${broker}` });
  const testEnv = `${dir}/test/env.ts`;
  if (ctx.tree.exists(testEnv)) await ctx.editTs(testEnv, testEnvEdit(testEnv, broker), { key: `test-env:${broker}` });
  else ctx.log.warn(`${testEnv} not found: give your tests ${b.testEnv[0]} when they load the config`);

  const pkg = `${dir}/package.json`;
  ctx.addDependency(pkg, broker === 'rabbitmq' ? 'amqplib' : 'kafkajs');
  ctx.addDependency(pkg, b.instrumentation.module);

  const composeFile = ctx.model.workspace?.composeFile ?? 'compose.yaml';
  ctx.mergeCompose(composeFile, ctx.renderFile(`compose/broker-${broker}.yaml.hbs`, data), { deep: true });
  if (broker === 'rabbitmq') {
    ensureEnvFile(ctx.tree, '.env.example', [{ key: 'RABBITMQ_PASSWORD', value: 'change-me' }], 'RabbitMQ: password of the archkit user (URL-safe characters)');
  }

  ctx.task({ kind: 'install', key: 'npm install', title: 'Installing dependencies (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: ctx.root }) });
  const serviceDir = ctx.tree.abs(dir);
  ctx.task({ kind: 'install', key: `lockfile ${dir}`, title: `Updating the lockfile of ${dir} for its Docker build`, run: (exec) => exec('npm', ['run', 'lockfile'], { cwd: serviceDir }) });
}
