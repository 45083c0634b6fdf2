/**
 * The TypeScript edits that wire generated messaging code into a service:
 * typed config (src/config.ts), bootstrap and shutdown (src/main.ts),
 * tracing (src/instrumentation.ts) and the outbox route table. Each edit is
 * an idempotent upsert through ts-morph; when an anchor the edit needs is
 * missing, it returns the exact lines to add by hand and nothing is written.
 */
import type { EnvVar } from '../dotenv.js';
import type { TsEdit, TsHelpers } from '../ts/project.js';
import { instrumentationEdit as addInstrumentation, manualSteps } from '../service-wiring.js';
import type { MessagingBroker } from './options.js';

const BROKER = {
  rabbitmq: {
    variable: 'rabbitmq',
    module: './messaging/rabbitmq.js',
    connect: 'connectRabbitMq',
    check: 'rabbitmqCheck',
    configKey: 'rabbitmq',
    configType: '{ url: string; prefetch: number }',
    configDocs: 'RabbitMQ connection (RABBITMQ_URL) and how many unacknowledged messages a consumer holds (RABBITMQ_PREFETCH).',
    configValue: '{ url: e.RABBITMQ_URL, prefetch: e.RABBITMQ_PREFETCH }',
    testEnv: ['RABBITMQ_URL', "'amqp://localhost:5672'"],
    env: [
      ['RABBITMQ_URL', "z.url({ protocol: /^amqps?$/, error: 'must be an amqp:// or amqps:// URL' })"],
      ['RABBITMQ_PREFETCH', 'z.coerce.number().int().min(1).max(10_000).default(10)'],
    ],
    /** `.env.example`: a RabbitMQ on this machine (its default user only logs in from localhost). */
    localEnv: { section: 'RabbitMQ: the broker, and how many unacknowledged messages a consumer holds', vars: { RABBITMQ_URL: 'amqp://guest:guest@localhost:5672', RABBITMQ_PREFETCH: '10' } },
    instrumentation: { name: 'AmqplibInstrumentation', module: '@opentelemetry/instrumentation-amqplib' },
  },
  kafka: {
    variable: 'kafka',
    module: './messaging/kafka.js',
    connect: 'connectKafka',
    check: 'kafkaCheck',
    configKey: 'kafka',
    configType: '{ brokers: string[]; clientId: string }',
    configDocs: 'Kafka bootstrap brokers (KAFKA_BROKERS, comma-separated host:port) and client id.',
    configValue: "{ brokers: e.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean), clientId: e.KAFKA_CLIENT_ID }",
    testEnv: ['KAFKA_BROKERS', "'localhost:9092'"],
    env: [
      ['KAFKA_BROKERS', "z.string().regex(/^\\s*[^\\s,]+:\\d+\\s*(,\\s*[^\\s,]+:\\d+\\s*)*$/, 'must be host:port[,host:port…]')"],
      ['KAFKA_CLIENT_ID', 'z.string().min(1).default(SERVICE_NAME)'],
    ],
    /** `.env.example`: a Kafka on this machine; an empty client id is the service's name. */
    localEnv: { section: 'Kafka: bootstrap brokers (host:port, comma-separated) and client id (empty: the service name)', vars: { KAFKA_BROKERS: 'localhost:9092', KAFKA_CLIENT_ID: '' } },
    instrumentation: { name: 'KafkaJsInstrumentation', module: '@opentelemetry/instrumentation-kafkajs' },
  },
} as const;

const MESSAGING_ENV: ReadonlyArray<readonly [string, string]> = [
  ['MESSAGING_MAX_RETRIES', 'z.coerce.number().int().min(0).max(20).default(3)'],
  ['MESSAGING_RETRY_DELAY_MS', 'z.coerce.number().int().min(1).max(3_600_000).default(1000)'],
  ['OUTBOX_POLL_INTERVAL_MS', 'z.coerce.number().int().min(10).max(60_000).default(500)'],
  ['MESSAGING_RETENTION_HOURS', 'z.coerce.number().int().min(1).max(87_600).default(168)'],
  ['MESSAGING_RETENTION_INTERVAL_MS', 'z.coerce.number().int().min(100).max(86_400_000).default(600_000)'],
];
/** `.env.example` values of MESSAGING_ENV: the schema's defaults. */
const MESSAGING_LOCAL_ENV = {
  MESSAGING_MAX_RETRIES: '3',
  MESSAGING_RETRY_DELAY_MS: '1000',
  OUTBOX_POLL_INTERVAL_MS: '500',
  MESSAGING_RETENTION_HOURS: '168',
  MESSAGING_RETENTION_INTERVAL_MS: '600000',
};
const MESSAGING_TYPE = '{ maxRetries: number; retryDelayMs: number; outboxPollIntervalMs: number; retentionHours: number; retentionIntervalMs: number }';
const MESSAGING_VALUE =
  '{ maxRetries: e.MESSAGING_MAX_RETRIES, retryDelayMs: e.MESSAGING_RETRY_DELAY_MS, outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS, retentionHours: e.MESSAGING_RETENTION_HOURS, retentionIntervalMs: e.MESSAGING_RETENTION_INTERVAL_MS }';

export function brokerFacts(broker: MessagingBroker) {
  return BROKER[broker];
}

/** What a service's `.env.example` needs for the variables `configEdit` adds: a section per broker, one for retries and the outbox. */
export function messagingEnvSections(broker: MessagingBroker): Array<{ section: string; vars: EnvVar[] }> {
  const toVars = (vars: Readonly<Record<string, string>>) => Object.entries(vars).map(([key, value]) => ({ key, value }));
  return [
    { section: BROKER[broker].localEnv.section, vars: toVars(BROKER[broker].localEnv.vars) },
    { section: 'Messaging: consumer retries (backoff from the delay, doubled each time), how often the outbox relay polls, how long published outbox rows and inbox ids are kept', vars: toVars(MESSAGING_LOCAL_ENV) },
  ];
}

const manual = manualSteps;

/** Config: env variables in `envSchema`, the typed `Config` properties, and their values in `loadConfig`. */
export function configEdit(path: string, broker: MessagingBroker): TsEdit {
  const b = BROKER[broker];
  const env = [...b.env, ...MESSAGING_ENV];
  return (file, h) => {
    const schema = h.findObject(file, 'envSchema');
    const iface = file.getInterface('Config');
    const returned = h.findReturnedObject(file, 'loadConfig');
    const hasE = file.getFunction('loadConfig')?.getVariableDeclaration('e') !== undefined;
    if (!schema || !iface || !returned || !hasE) {
      return manual(path, '`const envSchema = z.object({...})`, `interface Config` or `return {...}` with `const e = parsed.data` in `loadConfig`', [
        ...env.map(([k, v]) => `envSchema: ${k}: ${v},`),
        `interface Config: ${b.configKey}: ${b.configType}; messaging: ${MESSAGING_TYPE};`,
        `loadConfig return: ${b.configKey}: ${b.configValue}, messaging: ${MESSAGING_VALUE},`,
      ]);
    }
    h.ensureProperties(schema, env, { before: 'HTTP_CLIENT_TIMEOUT_MS' });
    h.ensureInterfaceProperty(file, 'Config', b.configKey, b.configType, { before: 'httpClient', docs: b.configDocs });
    h.ensureInterfaceProperty(file, 'Config', 'messaging', MESSAGING_TYPE, {
      before: 'httpClient',
      docs: 'Consumer retries (MESSAGING_MAX_RETRIES, backoff from MESSAGING_RETRY_DELAY_MS), how often the outbox relay polls, and the retention of published outbox rows and inbox ids (MESSAGING_RETENTION_HOURS, swept every MESSAGING_RETENTION_INTERVAL_MS).',
    });
    h.ensureProperties(returned, [[b.configKey, b.configValue], ['messaging', MESSAGING_VALUE]], { before: 'httpClient' });
  };
}

/** Tests: the broker's required variable in `testEnv` (test/env.ts), so the service's tests can load its config. */
export function testEnvEdit(path: string, broker: MessagingBroker): TsEdit {
  const [key, value] = BROKER[broker].testEnv;
  return (file, h) => {
    const env = h.findObject(file, 'testEnv');
    if (!env) return manual(path, '`export const testEnv = {...}`', [`${key}: ${value},   // in testEnv`]);
    h.ensureProperty(env, key, value);
  };
}

/** Tracing: the broker client's instrumentation in NodeSDK's `instrumentations`. */
export function instrumentationEdit(path: string, broker: MessagingBroker): TsEdit {
  return addInstrumentation(path, BROKER[broker].instrumentation);
}

export interface MainWiring {
  broker: MessagingBroker;
  /** Statements to declare (after the broker connection, before `closers`), with the import each needs. */
  starts: Array<{ statement: string; imports: Array<[module: string, name: string]> }>;
  /** Closers, in shutdown order, inserted before the ones named in `before`. */
  closers: Array<{ name: string; close: string; before: readonly string[] }>;
}

/** Several wirings of one bootstrap as one, in order (`mainEdit` skips what is there already). */
export function mergeWiring(wirings: readonly MainWiring[]): MainWiring {
  const first = wirings[0];
  if (!first) throw new Error('mergeWiring: nothing to merge');
  return { broker: first.broker, starts: wirings.flatMap((w) => w.starts), closers: wirings.flatMap((w) => w.closers) };
}

type SourceFile = Parameters<TsEdit>[0];
type ArrayLiteral = NonNullable<ReturnType<TsHelpers['findArray']>>;

/** The array literal initialising `const name = [...]` inside `main()`. */
function localArray(file: SourceFile, h: TsHelpers, name: string): ArrayLiteral | undefined {
  const body = h.findFunctionBody(file, 'main');
  const init = body?.getVariableDeclaration(name)?.getInitializer();
  return init && init.getKindName() === 'ArrayLiteralExpression' ? (init as ArrayLiteral) : undefined;
}

/** Bootstrap: connect the broker, check it when ready, start producers/consumers, close them on shutdown. */
export function mainEdit(path: string, wiring: MainWiring): TsEdit {
  const b = BROKER[wiring.broker];
  const connect = `const ${b.variable} = await ${b.connect}(config.${b.configKey}, logger);`;
  const closer = (c: MainWiring['closers'][number]) => `{ name: '${c.name}', close: () => ${c.close} }`;
  return (file, h) => {
    const body = h.findFunctionBody(file, 'main');
    const checks = localArray(file, h, 'readinessChecks');
    const closers = localArray(file, h, 'closers');
    const hasPool = body?.getVariableDeclaration('pool') !== undefined;
    if (!body || !checks || !closers || !hasPool) {
      return manual(path, '`async function main()` with `pool`, `readinessChecks` and `closers` arrays', [
        `import { ${b.connect}, ${b.check} } from '${b.module}';`,
        ...wiring.starts.flatMap((s) => s.imports.map(([m, n]) => `import { ${n} } from '${m}';`)),
        `${connect}   // before readinessChecks`,
        `${b.check}(${b.variable})   // in readinessChecks`,
        ...wiring.starts.map((s) => `${s.statement}   // before closers`),
        ...wiring.closers.map((c) => `${closer(c)},   // in closers, before ${c.before.join(' / ')}`),
      ]);
    }
    h.ensureImport(file, b.module, b.connect);
    h.ensureImport(file, b.module, b.check);
    for (const s of wiring.starts) for (const [m, n] of s.imports) h.ensureImport(file, m, n);
    h.ensureStatement(file, 'main', connect, { before: 'readinessChecks' });
    h.ensureElement(checks, `${b.check}(${b.variable})`);
    for (const s of wiring.starts) h.ensureStatement(file, 'main', s.statement, { before: 'closers' });
    for (const c of wiring.closers) h.ensureElement(closers, closer(c), { key: { property: 'name', value: c.name }, before: { property: 'name', values: c.before } });
  };
}

/** Producer: the event's route in the outbox relay's table. */
export function outboxRoutesEdit(path: string, routes: ReadonlyArray<{ route: string; module: string }>): TsEdit {
  return (file, h) => {
    if (!h.findArray(file, 'outboxRoutes')) {
      return manual(path, '`export const outboxRoutes = [...]`', routes.flatMap(({ route, module }) => [`import { ${route} } from '${module}';`, `${route},   // in outboxRoutes`]));
    }
    for (const { route, module } of routes) {
      h.ensureImport(file, module, route);
      h.ensureArrayElement(file, 'outboxRoutes', route);
    }
  };
}
