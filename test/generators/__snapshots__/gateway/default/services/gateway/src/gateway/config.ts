/**
 * The gateway's own settings, beside the service settings of ../config.ts:
 * how tokens are verified, the shared rate-limit store, default limits and
 * upstream resilience. Read once at start-up; every problem is reported at
 * once, like ../config.ts does.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config.js';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
const SYMMETRIC = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof ASYMMETRIC)[number] | (typeof SYMMETRIC)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const envSchema = z.object({
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: list.pipe(z.array(z.string()).min(1, 'must name at least one audience')),
  JWT_ALGORITHMS: list.pipe(z.array(z.enum([...ASYMMETRIC, ...SYMMETRIC])).min(1)).default(['RS256']),
  JWT_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** A PEM public key (SPKI); `\n` escapes are accepted so it fits on one line of a .env file. */
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  /** A file holding a PEM public key (a mounted secret, the workspace's development key); relative to the working directory. */
  JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_CLOCK_TOLERANCE_S: int(0, 300).default(5),
  /** Where the roles are in the token: a claim name or a dotted path (`realm_access.roles`). */
  JWT_ROLES_CLAIM: z.string().min(1).default('roles'),

  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  RATE_LIMIT_MAX: int(1, 10_000_000).default(100),
  RATE_LIMIT_WINDOW_MS: int(100, 86_400_000).default(60_000),
  /**
   * When Redis cannot be reached: true counts in this process instead (the same limits, per replica) and stays
   * ready; false answers 503 to requests and to /health/ready until Redis is back.
   */
  RATE_LIMIT_FAIL_OPEN: z.stringbool().default(true),

  /** How long /health/ready reuses each upstream's answer, so that probes cannot multiply calls to the upstreams. */
  HEALTH_CACHE_MS: int(0, 60_000).default(2000),
  /** /health/ready answers per client address per minute (in each replica). */
  HEALTH_RATE_LIMIT_MAX: int(1, 1_000_000).default(120),
  /** true: /health/ready says why a check failed; false (default): only up or down, the reason goes to the log. */
  HEALTH_DETAILS: z.stringbool().default(false),

  /**
   * Sent to every upstream in `x-gateway-secret` (the services check it when theirs is set): only requests that came
   * through the gateway reach them. At least 16 characters; unset: not sent.
   */
  GATEWAY_SHARED_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),

  BODY_LIMIT_BYTES: int(0, 1_073_741_824).default(1_048_576),
  /** `true`, or the addresses / CIDRs of the load balancer in front, whose X-Forwarded-For is believed. Default: none. */
  TRUST_PROXY: z.string().min(1).optional(),
  UPSTREAM_TIMEOUT_MS: int(1, 300_000).default(5000),
  BREAKER_ERROR_THRESHOLD_PERCENT: int(1, 100).default(50),
  BREAKER_VOLUME_THRESHOLD: int(1, 100_000).default(5),
  BREAKER_RESET_TIMEOUT_MS: int(100, 3_600_000).default(10_000),
});

export type VerificationKey =
  | { kind: 'jwks'; url: string }
  | { kind: 'public-key'; pem: string }
  | { kind: 'secret'; secret: string };

export interface AuthConfig {
  issuer: string;
  audience: string[];
  /** Only tokens signed with one of these are accepted (never `none`). */
  algorithms: JwtAlgorithm[];
  key: VerificationKey;
  clockToleranceSec: number;
  rolesClaim: string;
}

export interface UpstreamSettings {
  timeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
}

export interface HealthSettings {
  cacheMs: number;
  rateLimitMax: number;
  details: boolean;
}

export interface GatewayConfig {
  auth: AuthConfig;
  redisUrl: string;
  rateLimit: { max: number; windowMs: number; failOpen: boolean };
  health: HealthSettings;
  bodyLimitBytes: number;
  upstream: UpstreamSettings;
  /** What the gateway sends its upstreams in `x-gateway-secret` (GATEWAY_SHARED_SECRET); undefined: nothing. */
  sharedSecret: string | undefined;
  /** Fastify `trustProxy`: false, true, or a comma-separated list of addresses / CIDRs. */
  trustProxy: boolean | string;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const vars = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const name = String(issue.path[0]);
          return vars[name] === undefined ? `${name} is required` : `${name} ${issue.message}`;
        })
        .sort(),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const sources = [e.JWT_JWKS_URL && 'JWT_JWKS_URL', e.JWT_PUBLIC_KEY && 'JWT_PUBLIC_KEY', e.JWT_PUBLIC_KEY_FILE && 'JWT_PUBLIC_KEY_FILE', e.JWT_SECRET && 'JWT_SECRET'].filter(Boolean);
  if (sources.length !== 1) {
    problems.push(`set exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE and JWT_SECRET (found ${sources.length === 0 ? 'none' : sources.join(', ')})`);
  }
  let pem = e.JWT_PUBLIC_KEY?.replaceAll('\\n', '\n');
  if (e.JWT_PUBLIC_KEY_FILE) {
    try {
      pem = readFileSync(e.JWT_PUBLIC_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push(`JWT_PUBLIC_KEY_FILE cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const symmetric = e.JWT_ALGORITHMS.filter((alg) => (SYMMETRIC as readonly string[]).includes(alg));
  const asymmetric = e.JWT_ALGORITHMS.filter((alg) => !(SYMMETRIC as readonly string[]).includes(alg));
  // A key of the wrong kind for an algorithm is how algorithm-confusion attacks start: refuse the mix.
  if (e.JWT_SECRET && asymmetric.length > 0) problems.push(`JWT_ALGORITHMS ${asymmetric.join(', ')} need JWT_PUBLIC_KEY or JWT_JWKS_URL, not JWT_SECRET`);
  if (!e.JWT_SECRET && symmetric.length > 0) problems.push(`JWT_ALGORITHMS ${symmetric.join(', ')} need JWT_SECRET`);
  if (problems.length > 0) throw new ConfigError(problems.sort());

  const key: VerificationKey = e.JWT_JWKS_URL
    ? { kind: 'jwks', url: e.JWT_JWKS_URL }
    : pem !== undefined
      ? { kind: 'public-key', pem }
      : { kind: 'secret', secret: e.JWT_SECRET ?? '' };
  return {
    auth: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      algorithms: e.JWT_ALGORITHMS,
      key,
      clockToleranceSec: e.JWT_CLOCK_TOLERANCE_S,
      rolesClaim: e.JWT_ROLES_CLAIM,
    },
    redisUrl: e.REDIS_URL,
    rateLimit: { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS, failOpen: e.RATE_LIMIT_FAIL_OPEN },
    health: { cacheMs: e.HEALTH_CACHE_MS, rateLimitMax: e.HEALTH_RATE_LIMIT_MAX, details: e.HEALTH_DETAILS },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    sharedSecret: e.GATEWAY_SHARED_SECRET,
    trustProxy: e.TRUST_PROXY === undefined || e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY,
    upstream: {
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      errorThresholdPercentage: e.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: e.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: e.BREAKER_RESET_TIMEOUT_MS,
    },
  };
}
