// Synthetic microservices monorepo for the `arch check` benchmark (bench/check.mjs).
//
//   node bench/synthetic-repo.mjs <dir> [--services 20] [--files 40] [--seed 1]
//
// Writes N services × F TypeScript files (`services/svc-XX/src/**`, 60–200 lines each):
// relative imports inside a service, Fastify routes (with /health/live and /health/ready),
// outbound `fetch('http://svc-YY:3000/...')` calls (some behind opossum `new CircuitBreaker`,
// some through a breaker wrapper module, a few inside loops), kafkajs producers and consumers
// with topic names, an OpenTelemetry `instrumentation.ts`; per service a package.json and a
// Dockerfile; at the root a compose.yaml (build context, healthcheck, deploy.replicas, one
// postgres per service, kafka, an OTel collector), a package.json with npm workspaces, a
// tsconfig.json, and a stub `node_modules/` (so imports of packages resolve, and so that
// scanners have a folder to skip). A few realistic flaws are seeded: calls without a breaker,
// services without a compose healthcheck, an import reaching into another service, an import
// cycle. Same parameters, same bytes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 2;
const MARKER = '.synthetic-repo.json';

// ---------- seeded randomness ----------
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function makeRng(seed) {
  const r = mulberry32(seed);
  const rng = {
    next: r,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    chance: (p) => r() < p,
    pick: (xs) => xs[Math.floor(r() * xs.length)],
    shuffle: (xs) => { const a = [...xs]; for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; },
    sample: (xs, n) => rng.shuffle(xs).slice(0, n),
    // Target file length: 60–200 lines, most between 80 and 150.
    lines: () => Math.round(60 + 140 * ((r() + r() + r()) / 3)),
  };
  return rng;
}

// ---------- names ----------
const ENTITIES = ['order', 'customer', 'invoice', 'payment', 'shipment', 'product', 'cart', 'review', 'account',
  'session', 'notification', 'refund', 'coupon', 'stock', 'warehouse', 'supplier', 'subscription', 'ticket',
  'booking', 'address', 'price', 'catalog', 'return', 'voucher', 'ledger', 'transfer', 'device', 'report'];
const FIELDS = [['name', 'string'], ['email', 'string'], ['status', 'string'], ['amount', 'number'], ['currency', 'string'],
  ['quantity', 'number'], ['note', 'string'], ['active', 'boolean'], ['priority', 'number'], ['region', 'string'],
  ['reference', 'string'], ['dueAt', 'Date'], ['externalId', 'string'], ['score', 'number'], ['archived', 'boolean'],
  ['ownerId', 'string'], ['tags', 'string[]'], ['version', 'number'], ['channel', 'string'], ['expiresAt', 'Date']];
const UTILS = ['pagination', 'dates', 'ids', 'money', 'strings', 'retry', 'cache', 'metrics', 'feature-flags',
  'tenancy', 'sorting', 'hashing', 'rate-limit', 'clock', 'batching', 'audit'];
const EVENTS = ['created', 'updated', 'deleted'];

const pascal = (s) => s.replace(/(^|[-_])(\w)/g, (_, __, c) => c.toUpperCase());
const camel = (s) => { const p = pascal(s); return p[0].toLowerCase() + p.slice(1); };
const plural = (s) => (s.endsWith('s') ? s : s.endsWith('y') ? `${s.slice(0, -1)}ies` : `${s}s`);
const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const envName = (svc) => `${svc.toUpperCase().replace(/-/g, '_')}_URL`;
const sqlType = (t) => ({ string: 'text', number: 'numeric', boolean: 'boolean', Date: 'timestamptz', 'string[]': 'text[]' })[t];
const jsonType = (t) => ({ string: "{ type: 'string' }", number: "{ type: 'number' }", boolean: "{ type: 'boolean' }",
  Date: "{ type: 'string', format: 'date-time' }", 'string[]': "{ type: 'array', items: { type: 'string' } }" })[t];
const utilName = (u) => `${camel(path.posix.basename(u, '.ts'))}Util`;
const rel = (from, to) => { const r = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '.js'); return r.startsWith('.') ? r : `./${r}`; };

// ---------- filler: plausible helper functions, appended until a file reaches its target length ----------
const FILLERS = [
  (n, t) => `/** Splits \`items\` into chunks of at most \`size\` (${t}). */
export function chunk${n}<T>(items: readonly T[], size = 50): T[][] {
  if (size <= 0) throw new RangeError('size must be positive');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}`,
  (n, t) => `export function clamp${n}(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  // ${t}: keep values within the configured window.
  return Math.min(max, Math.max(min, value));
}`,
  (n, t) => `/** Groups ${t} by a key. */
export function groupBy${n}<T, K extends string>(items: readonly T[], key: (item: T) => K): Record<K, T[]> {
  const out = {} as Record<K, T[]>;
  for (const item of items) {
    const k = key(item);
    (out[k] ??= []).push(item);
  }
  return out;
}`,
  (n, t) => `export function parseLimit${n}(raw: unknown, fallback = 20, max = 200): number {
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : typeof raw === 'number' ? raw : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return fallback;
  return Math.min(n, max); // ${t}
}`,
  (n, t) => `export interface Page${n}<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

export function toPage${n}<T extends { id: string }>(items: T[], limit: number): Page${n}<T> {
  const hasMore = items.length > limit;
  const page = hasMore ? items.slice(0, limit) : items;
  return { items: page, nextCursor: hasMore ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : null };
}`,
  (n, t) => `export async function withTimeout${n}<T>(work: Promise<T>, ms: number, label = '${t}'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(\`\${label} timed out after \${ms} ms\`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}`,
  (n, t) => `const cache${n} = new Map<string, { value: unknown; expires: number }>();

export function remember${n}<T>(key: string, ttlMs: number, compute: () => T): T {
  const now = Date.now();
  const hit = cache${n}.get(key);
  if (hit && hit.expires > now) return hit.value as T;
  const value = compute();
  cache${n}.set(key, { value, expires: now + ttlMs });
  if (cache${n}.size > 1000) {
    // ${t}: drop the oldest entry.
    const first = cache${n}.keys().next().value;
    if (first !== undefined) cache${n}.delete(first);
  }
  return value;
}`,
  (n, t) => `export function isoDate${n}(value: Date | string | number | null | undefined): string | null {
  if (value == null) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString(); // ${t}
}`,
  (n, t) => `export function pick${n}<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) {
    if (k in obj) out[k] = obj[k];
  }
  return out;
}

export function omit${n}<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Omit<T, K> {
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out as Omit<T, K>; // ${t}
}`,
  (n, t) => `export class Counter${n} {
  readonly #counts = new Map<string, number>();

  inc(label: string, by = 1): void {
    this.#counts.set(label, (this.#counts.get(label) ?? 0) + by);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.#counts.clear(); // ${t}
  }
}`,
  (n, t) => `export function backoff${n}(attempt: number, baseMs = 100, capMs = 5000): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  // Full jitter (${t}).
  return Math.floor(Math.random() * exp);
}`,
  (n, t) => `export function normalize${n}(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    .replace(/\\s+/g, ' ')
    .toLowerCase(); // ${t}
}`,
];

class TsFile {
  constructor(rng, rel, topic) { this.rng = rng; this.rel = rel; this.topic = topic; this.parts = []; this.target = rng.lines(); }
  add(...chunks) { this.parts.push(...chunks.filter((c) => c != null && c !== '')); return this; }
  lines() { return this.parts.join('\n\n').split('\n').length; }
  text() {
    const order = this.rng.shuffle(FILLERS.map((_, i) => i));
    for (let i = 0; this.lines() < this.target - 4 && i < order.length; i++) {
      const f = FILLERS[order[i]](i === 0 ? '' : i + 1, this.topic);
      if (this.lines() + f.split('\n').length > 200) continue;
      this.parts.push(f);
    }
    return `${this.parts.join('\n\n')}\n`;
  }
}

// ---------- one service ----------
function serviceFiles(rng, svc) {
  const { name } = svc;
  const files = new Map(); // rel path (from service root) -> content
  const callees = svc.callees;
  const port = 3000;

  const { entities, utils } = svc;
  const ents = (e) => ({
    route: `src/routes/${e.plural}.ts`, service: `src/domain/${e.name}/service.ts`, repo: `src/domain/${e.name}/repository.ts`,
    model: `src/domain/${e.name}/model.ts`, validation: `src/domain/${e.name}/validation.ts`,
  });
  // Who imports each util: an entity service, round-robin (so nothing is an orphan).
  const utilUsers = new Map(utils.map((u, k) => [u, ents(entities[k % entities.length]).service]));
  const imp = (from, to, names) => `import ${names} from '${rel(from, to)}';`;
  const mk = (p, topic) => new TsFile(rng, p, topic ?? `${name} ${path.posix.basename(p, '.ts')}`);
  const topicConst = (e, ev) => `${snake(e.P).slice(1).toUpperCase()}_${ev.toUpperCase()}`;
  const topicName = (s, e, ev) => `${s}.${e.plural}.${ev}`;

  // --- src/config.ts
  {
    const f = mk('src/config.ts');
    f.add(`/** Configuration of ${name}, read once from the environment. */`,
      `function required(key: string): string {
  const value = process.env[key];
  if (value === undefined || value === '') throw new Error(\`missing environment variable \${key}\`);
  return value;
}

function integer(key: string, fallback: number): number {
  const raw = process.env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n)) throw new Error(\`\${key} must be an integer, got "\${raw}"\`);
  return n;
}

function list(key: string, fallback: string[]): string[] {
  const raw = process.env[key];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : fallback;
}`,
      `export const config = {
  serviceName: process.env.OTEL_SERVICE_NAME ?? '${name}',
  port: integer('PORT', ${port}),
  host: process.env.HOST ?? '0.0.0.0',
  logLevel: process.env.LOG_LEVEL ?? 'info',
  databaseUrl: required('DATABASE_URL'),
  db: {
    poolMax: integer('DB_POOL_MAX', 10),
    statementTimeoutMs: integer('DB_STATEMENT_TIMEOUT_MS', 5000),
  },
  kafka: {
    brokers: list('KAFKA_BROKERS', ['kafka:9092']),
    groupId: process.env.KAFKA_GROUP_ID ?? '${name}',
  },
  services: {
${callees.map((c) => `    ${camel(c.name)}: process.env.${envName(c.name)} ?? 'http://${c.name}:${port}',`).join('\n')}
  },
  http: {
    timeoutMs: integer('HTTP_TIMEOUT_MS', 2000),
    breakerResetMs: integer('BREAKER_RESET_MS', 10000),
  },
} as const;

export type Config = typeof config;`);
    files.set(f.rel, f);
  }

  // --- src/instrumentation.ts
  {
    const f = mk('src/instrumentation.ts');
    f.add(`/**
 * OpenTelemetry for ${name}: traces and metrics over OTLP/HTTP, auto-instrumentation for
 * http, fastify, pg and kafkajs. Imported first by index.ts.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';`,
      `const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://otel-collector:4318';
const disabled = process.env.OTEL_SDK_DISABLED === 'true';

export const sdk = new NodeSDK({
  resource: resourceFromAttributes({
    [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? '${name}',
    [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? '0.0.0',
  }),
  traceExporter: new OTLPTraceExporter({ url: \`\${endpoint}/v1/traces\` }),
  metricReader: new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: \`\${endpoint}/v1/metrics\` }),
    exportIntervalMillis: 15000,
  }),
  instrumentations: [
    getNodeAutoInstrumentations({
      '@opentelemetry/instrumentation-fs': { enabled: false },
      '@opentelemetry/instrumentation-http': {
        ignoreIncomingRequestHook: (req) => req.url?.startsWith('/health/') ?? false,
      },
    }),
  ],
});

if (!disabled) sdk.start();

async function shutdown(): Promise<void> {
  try {
    await sdk.shutdown();
  } catch (err) {
    console.error('otel shutdown failed', err);
  }
}

process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());`);
    files.set(f.rel, f);
  }

  // --- src/lib/logger.ts, errors.ts (a cycle between them in some services), http.ts, breaker.ts
  {
    const f = mk('src/lib/logger.ts');
    f.add(`import { config } from '${rel(f.rel, 'src/config.ts')}';${svc.cycle ? `\nimport { AppError } from './errors.js';` : ''}`,
      `export type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = LEVELS[(config.logLevel as Level)] ?? LEVELS.info;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

function write(level: Level, bindings: Record<string, unknown>, msg: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold) return;
  const line = { time: new Date().toISOString(), level, service: config.serviceName, msg, ...bindings, ...fields };
  process.stdout.write(\`\${JSON.stringify(line)}\\n\`);
}

export function createLogger(bindings: Record<string, unknown> = {}): Logger {
  return {
    debug: (msg, fields) => write('debug', bindings, msg, fields),
    info: (msg, fields) => write('info', bindings, msg, fields),
    warn: (msg, fields) => write('warn', bindings, msg, fields),
    error: (msg, fields) => write('error', bindings, msg, fields),
    child: (more) => createLogger({ ...bindings, ...more }),
  };
}

export const logger = createLogger();`,
      svc.cycle ? `export function logError(err: unknown): void {
  if (err instanceof AppError) logger.warn(err.message, { code: err.code, status: err.status });
  else logger.error('unexpected error', { err: String(err) });
}` : null);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/lib/errors.ts');
    f.add(svc.cycle ? `import { logger } from './logger.js';` : null,
      `export class AppError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status = 500,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(\`\${what} \${id} not found\`, 'NOT_FOUND', 404);
  }
}

export class ValidationError extends AppError {
  constructor(readonly issues: string[]) {
    super(\`invalid input: \${issues.join('; ')}\`, 'VALIDATION', 400);
  }
}

export class UpstreamError extends AppError {
  constructor(readonly service: string, status: number, options?: ErrorOptions) {
    super(\`\${service} answered \${status}\`, 'UPSTREAM', 502, options);
  }
}

export function toHttp(err: unknown): { status: number; body: { error: string; code: string } } {
  if (err instanceof AppError) return { status: err.status, body: { error: err.message, code: err.code } };${svc.cycle ? `\n  logger.error('unhandled', { err: String(err) });` : ''}
  return { status: 500, body: { error: 'internal error', code: 'INTERNAL' } };
}`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/lib/http.ts');
    f.add(`import { config } from '${rel(f.rel, 'src/config.ts')}';
import { UpstreamError } from './errors.js';`,
      `export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** fetch + JSON + timeout; throws UpstreamError on 5xx. */
export async function requestJson<T>(service: string, url: string, options: RequestOptions = {}): Promise<T> {
  const res = await fetch(url, {
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? config.http.timeoutMs),
  });
  if (res.status >= 500) throw new UpstreamError(service, res.status);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/lib/breaker.ts');
    f.add(`import CircuitBreaker from 'opossum';
import { config } from '${rel(f.rel, 'src/config.ts')}';
import { logger } from './logger.js';`,
      `const breakers = new Map<string, CircuitBreaker>();

/** Wraps an async function in a named opossum circuit breaker (one per name). */
export function withBreaker<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const breaker = new CircuitBreaker(fn, {
    name,
    timeout: config.http.timeoutMs + 500,
    errorThresholdPercentage: 50,
    resetTimeout: config.http.breakerResetMs,
    volumeThreshold: 10,
  });
  breaker.on('open', () => logger.warn('circuit open', { breaker: name }));
  breaker.on('halfOpen', () => logger.info('circuit half-open', { breaker: name }));
  breaker.on('close', () => logger.info('circuit closed', { breaker: name }));
  breakers.set(name, breaker as CircuitBreaker);
  return (...args: A) => breaker.fire(...args) as Promise<R>;
}

export function breakerStats(): Record<string, { state: string; failures: number }> {
  const out: Record<string, { state: string; failures: number }> = {};
  for (const [name, b] of breakers) {
    out[name] = { state: b.opened ? 'open' : b.halfOpen ? 'half-open' : 'closed', failures: b.stats.failures };
  }
  return out;
}`);
    files.set(f.rel, f);
  }

  // --- db
  {
    const f = mk('src/db/pool.ts');
    f.add(`import pg from 'pg';
import { config } from '${rel(f.rel, 'src/config.ts')}';
import { logger } from '${rel(f.rel, 'src/lib/logger.ts')}';`,
      `export const pool = new pg.Pool({
  connectionString: config.databaseUrl,
  max: config.db.poolMax,
  statement_timeout: config.db.statementTimeoutMs,
  application_name: '${name}',
});

pool.on('error', (err) => logger.error('idle client error', { err: err.message }));

export async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const res = await pool.query<R>(text, values);
  return res.rows;
}

export async function withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await work(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function ping(): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/db/migrations.ts');
    f.add(`import { withTransaction } from './pool.js';
import { logger } from '${rel(f.rel, 'src/lib/logger.ts')}';`,
      `const MIGRATIONS: Array<{ id: number; sql: string }> = [
${entities.map((e, k) => `  {
    id: ${k + 1},
    sql: \`
      CREATE TABLE IF NOT EXISTS ${snake(e.plural)} (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
${e.fields.map((fl) => `        ${snake(fl[0])} ${sqlType(fl[1])}${fl[1] === 'boolean' ? ' NOT NULL DEFAULT false' : ''},`).join('\n')}
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )\`,
  },`).join('\n')}
];`,
      `export async function migrate(): Promise<number> {
  return withTransaction(async (client) => {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, applied_at timestamptz DEFAULT now())');
    const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => r.id));
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      logger.info('migration applied', { id: m.id });
      applied++;
    }
    return applied;
  });
}`);
    files.set(f.rel, f);
  }

  // --- messaging
  const produced = entities.flatMap((e) => EVENTS.map((ev) => ({ e, ev, name: topicName(name, e, ev), const: topicConst(e, ev) })));
  {
    const f = mk('src/messaging/topics.ts');
    f.add(`/** Topics ${name} produces (and the ones it consumes, owned by other services). */`,
      produced.map((t) => `export const ${t.const} = '${t.name}';`).join('\n'),
      `export const CONSUMED_TOPICS = [\n${svc.consumes.map((t) => `  '${t}',`).join('\n')}\n] as const;`,
      `export type ProducedTopic =\n${produced.map((t) => `  | typeof ${t.const}`).join('\n')};`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/messaging/kafka.ts');
    f.add(`import { Kafka, logLevel } from 'kafkajs';
import { config } from '${rel(f.rel, 'src/config.ts')}';`,
      `export const kafka = new Kafka({
  clientId: '${name}',
  brokers: config.kafka.brokers,
  logLevel: logLevel.WARN,
  retry: { initialRetryTime: 300, retries: 8 },
});`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/messaging/producer.ts');
    const e0 = entities[0];
    f.add(`import { CompressionTypes } from 'kafkajs';
import { kafka } from './kafka.js';
import { ${produced.filter((t) => t.e !== e0).map((t) => t.const).concat('type ProducedTopic').join(', ')} } from './topics.js';
import { logger } from '${rel(f.rel, 'src/lib/logger.ts')}';`,
      `const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
let connected = false;

export async function connectProducer(): Promise<void> {
  await producer.connect();
  connected = true;
}

export function producerReady(): boolean {
  return connected;
}

export async function disconnectProducer(): Promise<void> {
  connected = false;
  await producer.disconnect();
}

export async function publish(topic: ProducedTopic, key: string, payload: unknown): Promise<void> {
  await producer.send({
    topic,
    compression: CompressionTypes.GZIP,
    messages: [{ key, value: JSON.stringify(payload), headers: { source: '${name}' } }],
  });
  logger.debug('event published', { topic, key });
}`,
      // The first entity's events are sent with literal topic names, the others through constants.
      ...EVENTS.map((ev) => `export async function publish${e0.P}${pascal(ev)}(id: string, payload: unknown): Promise<void> {
  await producer.send({
    topic: '${topicName(name, e0, ev)}',
    messages: [{ key: id, value: JSON.stringify({ id, at: new Date().toISOString(), payload }) }],
  });
}`),
      ...entities.slice(1).map((e) => `export const publish${e.P}Event = (ev: 'created' | 'updated' | 'deleted', id: string, payload: unknown) =>
  publish(ev === 'created' ? ${topicConst(e, 'created')} : ev === 'updated' ? ${topicConst(e, 'updated')} : ${topicConst(e, 'deleted')}, id, payload);`));
    files.set(f.rel, f);
  }
  {
    const f = mk('src/messaging/consumer.ts');
    f.add(`import type { EachMessagePayload } from 'kafkajs';
import { kafka } from './kafka.js';
import { CONSUMED_TOPICS } from './topics.js';
import { config } from '${rel(f.rel, 'src/config.ts')}';
import { logger } from '${rel(f.rel, 'src/lib/logger.ts')}';`,
      `const consumer = kafka.consumer({ groupId: config.kafka.groupId, sessionTimeout: 30000 });

type Handler = (payload: { id: string; payload: unknown }) => Promise<void>;

const handlers: Record<string, Handler> = {
${svc.consumes.map((t) => `  '${t}': async ({ id }) => {
    logger.info('received ${t}', { id });
  },`).join('\n')}
};

async function handle({ topic, partition, message }: EachMessagePayload): Promise<void> {
  const handler = handlers[topic];
  if (!handler || !message.value) return;
  try {
    await handler(JSON.parse(message.value.toString()));
  } catch (err) {
    logger.error('handler failed', { topic, partition, offset: message.offset, err: String(err) });
    throw err;
  }
}

export async function startConsumer(): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [...CONSUMED_TOPICS], fromBeginning: false });${svc.consumes[0] ? `\n  await consumer.subscribe({ topic: '${svc.consumes[0]}', fromBeginning: false });` : ''}
  await consumer.run({ eachMessage: handle });
}

export async function stopConsumer(): Promise<void> {
  await consumer.disconnect();
}`);
    files.set(f.rel, f);
  }

  // --- clients: one per callee; style depends on the callee's edge
  for (const c of callees) {
    const f = mk(`src/clients/${c.name}.ts`, `${name} -> ${c.name}`);
    const C = pascal(c.name), base = `config.services.${camel(c.name)}`;
    const res = c.resource;
    const head = [`import { config } from '${rel(f.rel, 'src/config.ts')}';`,
      `import { UpstreamError, NotFoundError } from '${rel(f.rel, 'src/lib/errors.ts')}';`];
    if (c.style === 'opossum') head.unshift(`import CircuitBreaker from 'opossum';`);
    if (c.style === 'wrapper') head.push(`import { withBreaker } from '${rel(f.rel, 'src/lib/breaker.ts')}';`);
    f.add(head.join('\n'), `export interface ${C}${pascal(res)} {
  id: string;
  status: string;
  updatedAt: string;
}`);
    const getBody = (url) => `  const res = await fetch(${url}, { signal: AbortSignal.timeout(config.http.timeoutMs) });
  if (res.status === 404) throw new NotFoundError('${res}', id);
  if (!res.ok) throw new UpstreamError('${c.name}', res.status);
  return (await res.json()) as ${C}${pascal(res)};`;
    // URL forms vary: literal host, env var with a literal fallback, template literal on the config base.
    const url = c.literal ? `'http://${c.name}:${port}/${plural(res)}/' + encodeURIComponent(id)` : `\`\${${base}}/${plural(res)}/\${encodeURIComponent(id)}\``;
    if (c.style === 'opossum') {
      f.add(`async function get${pascal(res)}(id: string): Promise<${C}${pascal(res)}> {\n${getBody(url)}\n}`,
        `const get${pascal(res)}Breaker = new CircuitBreaker(get${pascal(res)}, {
  name: '${c.name}.get${pascal(res)}',
  timeout: config.http.timeoutMs + 500,
  errorThresholdPercentage: 50,
  resetTimeout: config.http.breakerResetMs,
});
get${pascal(res)}Breaker.fallback(() => null);`,
        `export const ${camel(c.name)} = {
  get${pascal(res)}: (id: string) => get${pascal(res)}Breaker.fire(id) as Promise<${C}${pascal(res)} | null>,
};`);
    } else if (c.style === 'wrapper') {
      f.add(`export const ${camel(c.name)} = {
  get${pascal(res)}: withBreaker('${c.name}.get${pascal(res)}', async (id: string): Promise<${C}${pascal(res)}> => {
${getBody(url).replace(/^/gm, '  ')}
  }),
};`);
    } else {
      f.add(`export const ${camel(c.name)} = {
  async get${pascal(res)}(id: string): Promise<${C}${pascal(res)}> {
${getBody(url).replace(/^/gm, '  ')}
  },
};`);
    }
    f.add(`export async function notify${C}(event: string, body: unknown): Promise<void> {
  const res = await fetch('http://${c.name}:${port}/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event, body }),
  });
  if (!res.ok) throw new UpstreamError('${c.name}', res.status);
}`);
    if (c.loop) {
      f.add(`/** One request per id: chatty, but the upstream has no batch endpoint yet. */
export async function get${plural(pascal(res))}(ids: readonly string[]): Promise<${C}${pascal(res)}[]> {
  const out: ${C}${pascal(res)}[] = [];
  for (const id of ids) {
    const res = await fetch(\`\${${base}}/${plural(res)}/\${id}\`);
    if (res.ok) out.push((await res.json()) as ${C}${pascal(res)});
  }
  return out;
}`);
    }
    files.set(f.rel, f);
  }

  // --- entities
  for (const [k, e] of entities.entries()) {
    const p = ents(e);
    const Ename = e.P;
    {
      const f = mk(p.model);
      f.add(`/** ${Ename}: the domain model of ${name}. */`,
        `export interface ${Ename} {
  id: string;
${e.fields.map(([n, t]) => `  ${n}: ${t};`).join('\n')}
  createdAt: Date;
  updatedAt: Date;
}

export type New${Ename} = Omit<${Ename}, 'id' | 'createdAt' | 'updatedAt'>;
export type ${Ename}Patch = Partial<New${Ename}>;`,
        `export interface ${Ename}Row {
  id: string;
${e.fields.map(([n, t]) => `  ${snake(n)}: ${t === 'Date' ? 'Date | null' : t};`).join('\n')}
  created_at: Date;
  updated_at: Date;
}`,
        `export function fromRow(row: ${Ename}Row): ${Ename} {
  return {
    id: row.id,
${e.fields.map(([n, t]) => `    ${n}: row.${snake(n)}${t === 'Date' ? ' ?? new Date(0)' : ''},`).join('\n')}
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}`,
        `export function toJson(value: ${Ename}): Record<string, unknown> {
  return {
    ...value,
${e.fields.filter(([, t]) => t === 'Date').map(([n]) => `    ${n}: value.${n}.toISOString(),`).join('\n')}
    createdAt: value.createdAt.toISOString(),
    updatedAt: value.updatedAt.toISOString(),
  };
}`);
      files.set(f.rel, f);
    }
    {
      const f = mk(p.validation);
      f.add(`import type { New${Ename}, ${Ename}Patch } from './model.js';
import { ValidationError } from '${rel(f.rel, 'src/lib/errors.ts')}';`,
        `function check${Ename}Fields(input: Record<string, unknown>, partial: boolean): string[] {
  const issues: string[] = [];
${e.fields.map(([n, t]) => {
  const test = t === 'Date' ? `!(typeof v === 'string' && !Number.isNaN(Date.parse(v)))` : t === 'string[]' ? `!(Array.isArray(v) && v.every((x) => typeof x === 'string'))` : `typeof v !== '${t}'`;
  return `  {
    const v = input.${n};
    if (v === undefined) { if (!partial) issues.push('${n} is required'); }
    else if (${test}) issues.push('${n} must be ${t === 'Date' ? 'a date' : `a ${t}`}');
  }`;
}).join('\n')}
  return issues;
}`,
        `export function validateNew${Ename}(input: unknown): New${Ename} {
  if (typeof input !== 'object' || input === null) throw new ValidationError(['body must be an object']);
  const issues = check${Ename}Fields(input as Record<string, unknown>, false);
  if (issues.length) throw new ValidationError(issues);
  return input as New${Ename};
}

export function validate${Ename}Patch(input: unknown): ${Ename}Patch {
  if (typeof input !== 'object' || input === null) throw new ValidationError(['body must be an object']);
  const issues = check${Ename}Fields(input as Record<string, unknown>, true);
  if (issues.length) throw new ValidationError(issues);
  return input as ${Ename}Patch;
}`);
      files.set(f.rel, f);
    }
    {
      const f = mk(p.repo);
      const table = snake(e.plural), cols = e.fields.map(([n]) => snake(n));
      f.add(`import { query } from '${rel(f.rel, 'src/db/pool.ts')}';
import { fromRow, type ${Ename}, type ${Ename}Row, type New${Ename}, type ${Ename}Patch } from './model.js';`,
        `const COLUMNS = 'id, ${cols.join(', ')}, created_at, updated_at';

export class ${Ename}Repository {
  async list(limit: number, after?: string): Promise<${Ename}[]> {
    const rows = after
      ? await query<${Ename}Row>(\`SELECT \${COLUMNS} FROM ${table} WHERE id > $1 ORDER BY id LIMIT $2\`, [after, limit])
      : await query<${Ename}Row>(\`SELECT \${COLUMNS} FROM ${table} ORDER BY id LIMIT $1\`, [limit]);
    return rows.map(fromRow);
  }

  async get(id: string): Promise<${Ename} | null> {
    const [row] = await query<${Ename}Row>(\`SELECT \${COLUMNS} FROM ${table} WHERE id = $1\`, [id]);
    return row ? fromRow(row) : null;
  }

  async insert(input: New${Ename}): Promise<${Ename}> {
    const [row] = await query<${Ename}Row>(
      \`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, j) => `$${j + 1}`).join(', ')}) RETURNING \${COLUMNS}\`,
      [${e.fields.map(([n]) => `input.${n}`).join(', ')}],
    );
    return fromRow(row!);
  }

  async update(id: string, patch: ${Ename}Patch): Promise<${Ename} | null> {
    const sets: string[] = [];
    const values: unknown[] = [];
${e.fields.map(([n]) => `    if (patch.${n} !== undefined) { values.push(patch.${n}); sets.push(\`${snake(n)} = $\${values.length}\`); }`).join('\n')}
    if (!sets.length) return this.get(id);
    values.push(id);
    const [row] = await query<${Ename}Row>(
      \`UPDATE ${table} SET \${sets.join(', ')}, updated_at = now() WHERE id = $\${values.length} RETURNING \${COLUMNS}\`,
      values,
    );
    return row ? fromRow(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    const rows = await query<{ id: string }>('DELETE FROM ${table} WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }
}`);
      files.set(f.rel, f);
    }
    {
      const f = mk(p.service);
      const c = callees.length ? callees[k % callees.length] : null;
      const myUtils = [...utilUsers].filter(([, user]) => user === p.service).map(([u]) => u);
      const cross = svc.crossImport && k === 0 ? svc.crossImport : null;
      const pubLine = k === 0
        ? (ev) => `await publish${Ename}${pascal(ev)}(${ev === 'deleted' ? 'id' : 'item.id'}, ${ev === 'deleted' ? '{ id }' : 'toJson(item)'});`
        : (ev) => `await publish${Ename}Event('${ev}', ${ev === 'deleted' ? 'id' : 'item.id'}, ${ev === 'deleted' ? '{ id }' : 'toJson(item)'});`;
      f.add([
        `import { ${Ename}Repository } from './repository.js';`,
        `import { toJson, type ${Ename}, type New${Ename}, type ${Ename}Patch } from './model.js';`,
        `import { NotFoundError } from '${rel(f.rel, 'src/lib/errors.ts')}';`,
        `import { logger } from '${rel(f.rel, 'src/lib/logger.ts')}';`,
        k === 0 ? `import { ${EVENTS.map((ev) => `publish${Ename}${pascal(ev)}`).join(', ')} } from '${rel(f.rel, 'src/messaging/producer.ts')}';`
          : `import { publish${Ename}Event } from '${rel(f.rel, 'src/messaging/producer.ts')}';`,
        c ? `import { ${camel(c.name)} } from '${rel(f.rel, `src/clients/${c.name}.ts`)}';` : null,
        ...myUtils.map((u) => `import * as ${utilName(u)} from '${rel(f.rel, u)}';`),
        cross ? `import type { ${cross.type} } from '${rel(`services/${name}/${f.rel}`, `services/${cross.svc}/${cross.file}`)}';` : null,
      ].filter(Boolean).join('\n'),
      `const log = logger.child({ component: '${e.name}-service' });`,
      `export class ${Ename}Service {
  constructor(private readonly repo = new ${Ename}Repository()) {}

  list(limit = 20, after?: string): Promise<${Ename}[]> {
    return this.repo.list(Math.min(limit, 200), after);
  }

  async get(id: string): Promise<${Ename}> {
    const item = await this.repo.get(id);
    if (!item) throw new NotFoundError('${e.name}', id);
    return item;
  }

  async create(input: New${Ename}): Promise<${Ename}> {${c ? `
    const upstream = await ${camel(c.name)}.get${pascal(c.resource)}(String(input.${e.fields[0][0]}));
    log.debug('upstream checked', { status: upstream?.status });` : ''}
    const item = await this.repo.insert(input);
    ${pubLine('created')}
    log.info('${e.name} created', { id: item.id });
    return item;
  }

  async update(id: string, patch: ${Ename}Patch): Promise<${Ename}> {
    const item = await this.repo.update(id, patch);
    if (!item) throw new NotFoundError('${e.name}', id);
    ${pubLine('updated')}
    return item;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.remove(id))) throw new NotFoundError('${e.name}', id);
    ${pubLine('deleted')}
  }
}`,
      myUtils.length ? `export const helpers = { ${myUtils.map(utilName).join(', ')} };` : null,
      cross ? `/** Reuses ${cross.svc}'s type directly (shared code across services). */\nexport type Linked${cross.type} = Pick<${cross.type}, 'id'>;` : null);
      files.set(f.rel, f);
    }
    {
      const f = mk(p.route);
      const props = e.fields.map(([n, t]) => `      ${n}: ${jsonType(t)},`).join('\n');
      f.add(`import type { FastifyInstance } from 'fastify';
import { ${Ename}Service } from '${rel(f.rel, p.service)}';
import { validateNew${Ename}, validate${Ename}Patch } from '${rel(f.rel, p.validation)}';
import { toJson } from '${rel(f.rel, p.model)}';`,
        `const ${camel(Ename)}Schema = {
  type: 'object',
  required: ['id', ${e.fields.slice(0, 2).map(([n]) => `'${n}'`).join(', ')}],
  properties: {
    id: { type: 'string', format: 'uuid' },
${props}
  },
} as const;`,
        `export async function ${camel(e.plural)}Routes(app: FastifyInstance, service = new ${Ename}Service()): Promise<void> {
  app.get<{ Querystring: { limit?: number; after?: string } }>('/${e.plural}', async (req) => {
    const items = await service.list(req.query.limit, req.query.after);
    return { items: items.map(toJson) };
  });

  app.get<{ Params: { id: string } }>('/${e.plural}/:id', { schema: { response: { 200: ${camel(Ename)}Schema } } }, async (req) =>
    toJson(await service.get(req.params.id)),
  );

  app.post('/${e.plural}', async (req, reply) => {
    const created = await service.create(validateNew${Ename}(req.body));
    return reply.code(201).header('location', \`/${e.plural}/\${created.id}\`).send(toJson(created));
  });

  app.patch<{ Params: { id: string } }>('/${e.plural}/:id', async (req) =>
    toJson(await service.update(req.params.id, validate${Ename}Patch(req.body))),
  );

  app.delete<{ Params: { id: string } }>('/${e.plural}/:id', async (req, reply) => {
    await service.remove(req.params.id);
    return reply.code(204).send();
  });
}`);
      files.set(f.rel, f);
    }
  }

  // --- utils (imported by entity services)
  for (const u of utils) {
    const f = mk(u, `${name} ${path.posix.basename(u, '.ts')}`);
    f.add(`/** ${path.posix.basename(u, '.ts')} helpers for ${name}. */`);
    files.set(f.rel, f);
  }

  // --- routes/health.ts, server.ts, index.ts
  {
    const f = mk('src/routes/health.ts');
    f.add(`import type { FastifyInstance } from 'fastify';
import { ping } from '${rel(f.rel, 'src/db/pool.ts')}';
import { producerReady } from '${rel(f.rel, 'src/messaging/producer.ts')}';
import { breakerStats } from '${rel(f.rel, 'src/lib/breaker.ts')}';`,
      `let shuttingDown = false;

export function markShuttingDown(): void {
  shuttingDown = true;
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Liveness: the process is up and the event loop turns.
  app.get('/health/live', async () => ({ status: 'ok' }));

  // Readiness: dependencies reachable, not draining.
  app.get('/health/ready', async (_req, reply) => {
    const db = await ping();
    const kafka = producerReady();
    const ready = db && kafka && !shuttingDown;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'unavailable',
      checks: { db, kafka, shuttingDown },
      breakers: breakerStats(),
    });
  });
}`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/server.ts');
    f.add(`import Fastify, { type FastifyInstance } from 'fastify';
import { config } from './config.js';
import { toHttp } from './lib/errors.js';
import { healthRoutes } from './routes/health.js';
${entities.map((e) => `import { ${camel(e.plural)}Routes } from '${rel(f.rel, ents(e).route)}';`).join('\n')}`,
      `export async function buildServer(): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    requestTimeout: 10000,
    bodyLimit: 1048576,
  });

  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = toHttp(err);
    if (status >= 500) app.log.error(err);
    void reply.code(status).send(body);
  });

  await app.register(healthRoutes);
${entities.map((e) => `  await app.register(async (scope) => ${camel(e.plural)}Routes(scope));`).join('\n')}
  return app;
}`);
    files.set(f.rel, f);
  }
  {
    const f = mk('src/index.ts');
    f.add(`import './instrumentation.js';
import { buildServer } from './server.js';
import { config } from './config.js';
import { migrate } from './db/migrations.js';
import { pool } from './db/pool.js';
import { connectProducer, disconnectProducer } from './messaging/producer.js';
import { startConsumer, stopConsumer } from './messaging/consumer.js';
import { markShuttingDown } from './routes/health.js';
import { logger } from './lib/logger.js';`,
      `async function main(): Promise<void> {
  const applied = await migrate();
  logger.info('migrations done', { applied });
  await connectProducer();
  await startConsumer();
  const app = await buildServer();
  await app.listen({ port: config.port, host: config.host });

  const stop = async (signal: string) => {
    logger.info('shutting down', { signal });
    markShuttingDown();
    await app.close();
    await stopConsumer();
    await disconnectProducer();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  logger.error('startup failed', { err: String(err) });
  process.exit(1);
});`);
    files.set(f.rel, f);
  }

  return files;
}

// ---------- the repository ----------
const STUB_PACKAGES = ['fastify', 'pg', 'kafkajs', 'opossum', '@opentelemetry/sdk-node', '@opentelemetry/auto-instrumentations-node',
  '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-metrics-otlp-http', '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources', '@opentelemetry/semantic-conventions', '@opentelemetry/api'];
const CORE_FILES = 15; // index, instrumentation, server, config, db ×2, health, messaging ×4, lib ×4

/** The shape of the system: per service its callees, entities, utils, consumed topics, flaws. */
export function plan({ services = 20, filesPerService = 40, seed = 1 } = {}) {
  const rng = makeRng(seed * 1_000_003 + services * 7919 + filesPerService);
  const names = Array.from({ length: services }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
  const svcs = names.map((name, index) => ({ name, index }));
  for (const s of svcs) {
    // Calls go mostly downstream (higher index); sometimes back upstream (a cycle of synchronous calls).
    const down = names.slice(s.index + 1), up = names.slice(0, s.index);
    const targets = rng.sample(down, Math.min(down.length, rng.int(1, 3)));
    if (up.length && rng.chance(0.08)) targets.push(rng.pick(up));
    s.callees = targets.map((t) => {
      const r = rng.next();
      return {
        name: t,
        resource: rng.pick(ENTITIES),
        style: r < 0.45 ? 'opossum' : r < 0.8 ? 'wrapper' : 'plain', // ~20% of clients have no breaker
        literal: rng.chance(0.4), // URL literal 'http://svc-YY:3000/...' rather than config (env var) + template
        loop: rng.chance(0.15), // one request per id inside a for loop
      };
    });
    // Layout: core files, one client per callee, entities of 5 files each, utils for the rest.
    let room = Math.max(0, filesPerService - CORE_FILES - s.callees.length);
    const nEntities = Math.max(1, Math.min(ENTITIES.length, Math.floor(room / 5)));
    room = Math.max(0, room - nEntities * 5);
    s.entities = rng.sample(ENTITIES, nEntities).map((e) => ({ name: e, plural: plural(e), P: pascal(e), fields: rng.sample(FIELDS, rng.int(4, 9)) }));
    s.utils = rng.sample(UTILS, room).map((u) => `src/util/${u}.ts`);
    s.cycle = rng.chance(0.1); // lib/logger.ts <-> lib/errors.ts
    s.healthcheck = !rng.chance(0.07); // compose healthcheck missing
    s.replicas = rng.pick([1, 2, 2, 3]);
  }
  for (const s of svcs) {
    const others = svcs.filter((o) => o !== s);
    s.consumes = rng.sample(others, Math.min(others.length, rng.int(1, 3)))
      .map((o) => `${o.name}.${rng.pick(o.entities).plural}.${rng.pick(EVENTS)}`);
    // ~5% of services import a type straight out of another service's code.
    if (others.length && rng.chance(0.05)) {
      const o = rng.pick(others), e = o.entities[0];
      s.crossImport = { svc: o.name, file: `src/domain/${e.name}/model.ts`, type: e.P };
    }
  }
  return svcs;
}

export function generateRepo(dir, { services = 20, filesPerService = 40, seed = 1 } = {}) {
  const svcs = plan({ services, filesPerService, seed });
  // One random stream per service for file contents (lengths, filler order).
  const perService = new Map(svcs.map((s) => [s.name, serviceFiles(makeRng(seed * 65_537 + s.index), s)]));
  rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => { const p = path.join(dir, rel); mkdirSync(path.dirname(p), { recursive: true }); writeFileSync(p, text); };
  let tsFiles = 0, tsLines = 0;
  for (const s of svcs) {
    const root = `services/${s.name}`;
    for (const [rel, f] of perService.get(s.name)) {
      const text = f.text();
      tsFiles++; tsLines += text.split('\n').length - 1;
      write(`${root}/${rel}`, text);
    }
    write(`${root}/package.json`, `${JSON.stringify({
      name: `@synthetic/${s.name}`, version: '1.0.0', private: true, type: 'module',
      scripts: { build: 'tsc -p tsconfig.json', start: 'node --import ./dist/instrumentation.js dist/index.js', test: 'vitest run' },
      dependencies: {
        '@opentelemetry/auto-instrumentations-node': '^0.62.0', '@opentelemetry/exporter-metrics-otlp-http': '^0.203.0',
        '@opentelemetry/exporter-trace-otlp-http': '^0.203.0', '@opentelemetry/resources': '^2.0.1',
        '@opentelemetry/sdk-metrics': '^2.0.1', '@opentelemetry/sdk-node': '^0.203.0', '@opentelemetry/semantic-conventions': '^1.36.0',
        fastify: '^5.4.0', kafkajs: '^2.2.4', opossum: '^9.0.0', pg: '^8.16.3',
      },
      devDependencies: { '@types/node': '^22.17.0', '@types/opossum': '^8.1.9', '@types/pg': '^8.15.5', typescript: '^5.9.2', vitest: '^3.2.4' },
    }, null, 2)}\n`);
    write(`${root}/tsconfig.json`, `${JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist', noEmit: false }, include: ['src'] }, null, 2)}\n`);
    write(`${root}/Dockerfile`, `# syntax=docker/dockerfile:1
FROM node:22-alpine AS build
WORKDIR /app
COPY package.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-alpine
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \\
  CMD wget -qO- http://127.0.0.1:3000/health/live || exit 1
CMD ["node", "--import", "./dist/instrumentation.js", "dist/index.js"]
`);
  }

  // compose.yaml
  const y = ['name: synthetic', '', 'services:'];
  for (const s of svcs) {
    const db = `db-${s.name}`, dbName = s.name.replace(/-/g, '_');
    y.push(`  ${s.name}:`,
      `    build:`, `      context: ./services/${s.name}`,
      `    environment:`,
      `      PORT: "3000"`,
      `      DATABASE_URL: postgres://${dbName}:\${${dbName.toUpperCase()}_DB_PASSWORD:-secret}@${db}:5432/${dbName}`,
      `      KAFKA_BROKERS: kafka:9092`,
      `      OTEL_SERVICE_NAME: ${s.name}`,
      `      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318`,
      ...s.callees.map((c) => `      ${envName(c.name)}: http://${c.name}:3000`),
      `    depends_on:`,
      `      ${db}:`, `        condition: service_healthy`,
      `      kafka:`, `        condition: service_healthy`,
      ...(s.healthcheck ? [`    healthcheck:`,
        `      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/health/live"]`,
        `      interval: 10s`, `      timeout: 3s`, `      retries: 5`, `      start_period: 20s`] : []),
      `    deploy:`, `      replicas: ${s.replicas}`,
      `      resources:`, `        limits:`, `          memory: 256M`,
      `    restart: unless-stopped`,
      `  ${db}:`,
      `    image: postgres:17-alpine`,
      `    environment:`,
      `      POSTGRES_USER: ${dbName}`,
      `      POSTGRES_PASSWORD: \${${dbName.toUpperCase()}_DB_PASSWORD:-secret}`,
      `      POSTGRES_DB: ${dbName}`,
      `    volumes:`, `      - ${db}-data:/var/lib/postgresql/data`,
      `    healthcheck:`,
      `      test: ["CMD-SHELL", "pg_isready -U ${dbName} -d ${dbName}"]`,
      `      interval: 5s`, `      timeout: 3s`, `      retries: 10`);
  }
  y.push(`  kafka:`, `    image: apache/kafka:4.0.0`,
    `    environment:`,
    `      KAFKA_NODE_ID: "1"`, `      KAFKA_PROCESS_ROLES: broker,controller`,
    `      KAFKA_LISTENERS: PLAINTEXT://:9092,CONTROLLER://:9093`,
    `      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092`,
    `      KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka:9093`,
    `      KAFKA_CONTROLLER_LISTENER_NAMES: CONTROLLER`,
    `      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1"`,
    `    healthcheck:`,
    `      test: ["CMD-SHELL", "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 > /dev/null"]`,
    `      interval: 10s`, `      timeout: 10s`, `      retries: 10`,
    `  otel-collector:`, `    image: otel/opentelemetry-collector-contrib:0.131.0`,
    `    ports:`, `      - "4318:4318"`,
    '', 'volumes:', ...svcs.map((s) => `  db-${s.name}-data:`), '');
  write('compose.yaml', y.join('\n'));
  write('.env', svcs.map((s) => `${s.name.replace(/-/g, '_').toUpperCase()}_DB_PASSWORD=secret-${s.index + 1}`).join('\n') + '\n');
  write('.gitignore', 'node_modules/\ndist/\n.env.local\n');
  write('package.json', `${JSON.stringify({
    name: 'synthetic-monorepo', version: '0.0.0', private: true, type: 'module', workspaces: ['services/*'],
    scripts: { build: 'npm run build --workspaces', test: 'npm test --workspaces' },
    devDependencies: { typescript: '^5.9.2' },
  }, null, 2)}\n`);
  write('tsconfig.json', `${JSON.stringify({
    compilerOptions: {
      target: 'ES2023', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'],
      strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true,
    },
    include: ['services/*/src'],
  }, null, 2)}\n`);
  // Stub installed dependencies: resolvable by dependency resolvers, skipped by scanners.
  for (const p of STUB_PACKAGES) {
    write(`node_modules/${p}/package.json`, `${JSON.stringify({ name: p, version: '0.0.0-stub', main: 'index.js', types: 'index.d.ts' })}\n`);
    write(`node_modules/${p}/index.js`, 'module.exports = {};\n');
    write(`node_modules/${p}/index.d.ts`, 'declare const stub: any;\nexport = stub;\n');
  }
  const meta = { generator: GENERATOR_VERSION, services, filesPerService, seed, tsFiles, tsLines };
  write(MARKER, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** The parameters a folder was generated with, or null. */
export function readMarker(dir) {
  const p = path.join(dir, MARKER);
  if (!existsSync(p)) return null;
  try { return JSON.parse(readFileSync(p, 'utf8')); } catch { return null; }
}

/** Generates into `dir` unless it already holds a repository made with the same parameters. */
export function ensureRepo(dir, params) {
  const m = readMarker(dir);
  const want = { services: 20, filesPerService: 40, seed: 1, ...params };
  if (m && m.generator === GENERATOR_VERSION && m.services === want.services && m.filesPerService === want.filesPerService && m.seed === want.seed) {
    return { ...m, reused: true };
  }
  return { ...generateRepo(dir, want), reused: false };
}

// ---------- CLI ----------
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
  const dir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!dir) {
    console.error('usage: node bench/synthetic-repo.mjs <dir> [--services 20] [--files 40] [--seed 1]');
    process.exit(2);
  }
  const t0 = performance.now();
  const meta = generateRepo(path.resolve(dir), { services: opt('--services', 20), filesPerService: opt('--files', 40), seed: opt('--seed', 1) });
  console.log(`${dir}: ${meta.services} services, ${meta.tsFiles} .ts files, ${meta.tsLines} lines (${(performance.now() - t0).toFixed(0)} ms)`);
}
