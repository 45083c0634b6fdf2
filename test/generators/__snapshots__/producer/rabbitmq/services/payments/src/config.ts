/**
 * Configuration of the payments service, read once from the environment and
 * validated at startup: a bad or missing variable stops the process with one
 * message that lists every problem (fail fast), instead of failing later.
 */
import { z } from 'zod';

export const SERVICE_NAME = 'payments';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65_535).default(3001),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(1, 120_000).default(10_000),
  SHUTDOWN_DRAIN_DELAY_MS: int(0, 120_000).default(3000),

  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .refine((url) => new URL(url).pathname.length > 1, 'must name a database (postgres://user@host:5432/name)'),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  MIGRATE_ON_START: z.stringbool().default(true),
  RABBITMQ_URL: z.url({ protocol: /^amqps?$/, error: 'must be an amqp:// or amqps:// URL' }),
  RABBITMQ_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(10),
  MESSAGING_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  MESSAGING_RETRY_DELAY_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  MESSAGING_RETENTION_HOURS: z.coerce.number().int().min(1).max(87_600).default(168),
  MESSAGING_RETENTION_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
  HTTP_CLIENT_TIMEOUT_MS: int(1, 300_000).default(5000),
  HTTP_CLIENT_RETRIES: int(0, 10).default(2),

  // Shared with the gateway, which sends it in x-gateway-secret; empty: not checked.
  GATEWAY_SHARED_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),

  // Same reading as the OpenTelemetry SDK (src/instrumentation.ts): only `true` disables.
  OTEL_SDK_DISABLED: z.stringbool({ truthy: ['true'], falsy: ['false'] }).default(false),
  OTEL_SERVICE_NAME: z.string().min(1).default(SERVICE_NAME),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

/** `PAYMENTS_SERVICE_URL=http://payments:3000` → `services.payments`. */
const SERVICE_URL_VAR = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_SERVICE_URL$/;
const serviceUrl = z.url({ protocol: /^https?$/ });

export interface Config {
  host: string;
  port: number;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  /** On SIGTERM, how long readiness answers 503 (so load balancers stop sending) before the server closes. */
  shutdownDrainDelayMs: number;
  database: {
    url: string;
    poolMax: number;
    migrateOnStart: boolean;
  };
  /** The secret the gateway sends in `x-gateway-secret` (GATEWAY_SHARED_SECRET); undefined: not checked. */
  gatewaySharedSecret: string | undefined;
  /** RabbitMQ connection (RABBITMQ_URL) and how many unacknowledged messages a consumer holds (RABBITMQ_PREFETCH). */
  rabbitmq: { url: string; prefetch: number };
  /** Consumer retries (MESSAGING_MAX_RETRIES, backoff from MESSAGING_RETRY_DELAY_MS), how often the outbox relay polls, and the retention of published outbox rows and inbox ids (MESSAGING_RETENTION_HOURS, swept every MESSAGING_RETENTION_INTERVAL_MS). */
  messaging: { maxRetries: number; retryDelayMs: number; outboxPollIntervalMs: number; retentionHours: number; retentionIntervalMs: number };
  /** Defaults for clients created with `createServiceClient`. */
  httpClient: {
    timeoutMs: number;
    retries: number;
  };
  /** Base URLs of other services, by kebab-case name, from `<NAME>_SERVICE_URL` variables. */
  services: Readonly<Record<string, string>>;
  otel: {
    disabled: boolean;
    serviceName: string;
    exporterEndpoint: string | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (`PORT=` in a .env file) counts as unset, so defaults apply.
  const vars = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const problems: string[] = [];

  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      problems.push(vars[name] === undefined ? `${name} is required` : `${name} ${issue.message}`);
    }
  }

  const services: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    const match = SERVICE_URL_VAR.exec(name);
    if (!match?.[1] || value === undefined) continue;
    const url = serviceUrl.safeParse(value);
    if (url.success) services[match[1].toLowerCase().replaceAll('_', '-')] = url.data.replace(/\/+$/, '');
    else problems.push(`${name} must be an http:// or https:// URL`);
  }

  if (!parsed.success || problems.length > 0) throw new ConfigError(problems.sort());
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS,
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      migrateOnStart: e.MIGRATE_ON_START,
    },
    gatewaySharedSecret: e.GATEWAY_SHARED_SECRET,
    rabbitmq: { url: e.RABBITMQ_URL, prefetch: e.RABBITMQ_PREFETCH },
    messaging: { maxRetries: e.MESSAGING_MAX_RETRIES, retryDelayMs: e.MESSAGING_RETRY_DELAY_MS, outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS, retentionHours: e.MESSAGING_RETENTION_HOURS, retentionIntervalMs: e.MESSAGING_RETENTION_INTERVAL_MS },
    httpClient: {
      timeoutMs: e.HTTP_CLIENT_TIMEOUT_MS,
      retries: e.HTTP_CLIENT_RETRIES,
    },
    services,
    otel: {
      disabled: e.OTEL_SDK_DISABLED,
      serviceName: e.OTEL_SERVICE_NAME,
      exporterEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
  };
}

/** The base URL of another service, or a clear error naming the variable to set. */
export function serviceUrlOf(config: Pick<Config, 'services'>, service: string): string {
  const url = config.services[service];
  if (url === undefined) {
    const name = `${service.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;
    throw new ConfigError([`${name} is required to call the ${service} service`]);
  }
  return url;
}
