/**
 * Where @fastify/rate-limit keeps its counters (its `store` option).
 *
 * - One counter per key, and the key names the route and the client (`/api/orders|sub:alice`): the library's
 *   own stores would keep one per method and path pattern, so `/api/orders` and `/api/orders/*` would each
 *   get the whole limit.
 * - Shared in Redis, so that every replica enforces one limit. While Redis cannot be reached: with
 *   `failOpen` the same limits are counted in this process (each replica enforces them on its own: the
 *   effective limit is the limit times the replicas), else the request fails with `RateLimitUnavailableError`
 *   (503).
 * - Limiters created with `groupId: PER_PROCESS` (the /health/ready limit) always count in this process.
 *
 * The counting itself is the library's: its Redis store (a Lua script, one round trip) and its in-memory store.
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;
interface Counter {
  incr(key: string, callback: Counted, timeWindow: number, max: number): void;
}

// The stores @fastify/rate-limit uses when it is given no `store` (not in its typings, hence the shapes here).
const require = createRequire(import.meta.url);
const LibraryRedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, nameSpace: string) => Counter;
const LibraryLocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, cache: number) => Counter;

/** The `groupId` of limiters that count in this process only. */
export const PER_PROCESS = 'per-process';

/** Redis is away and the gateway fails closed (RATE_LIMIT_FAIL_OPEN=false). */
export class RateLimitUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(cause: Error) {
    super('rate limiting is unavailable', { cause });
    this.name = 'RateLimitUnavailableError';
  }
}

export interface CounterOptions {
  /** Null: every counter in this process (tests, a single replica). */
  redis: Redis | null;
  failOpen: boolean;
  /** How many clients this process keeps counters for (least recently seen dropped first). */
  localKeys?: number;
}

export function counterStore({ redis, failOpen, localKeys = 10_000 }: CounterOptions): FastifyRateLimitStoreCtor {
  const local = new LibraryLocalStore(false, false, localKeys);
  const shared = redis ? new LibraryRedisStore(false, false, redis, 'gateway:rate-limit:') : null;
  const perProcess: FastifyRateLimitStore = {
    incr: (key, callback, timeWindow, max) => local.incr(key, callback, timeWindow, max),
    child: () => perProcess,
  };
  return class GatewayCounters implements FastifyRateLimitStore {
    incr(key: string, callback: Counted, timeWindow: number, max: number): void {
      if (!shared) return local.incr(key, callback, timeWindow, max);
      shared.incr(
        key,
        (error, result) => {
          if (!error) return callback(null, result);
          if (failOpen) return local.incr(key, callback, timeWindow, max);
          callback(new RateLimitUnavailableError(error));
        },
        timeWindow,
        max,
      );
    }

    child(options: object): FastifyRateLimitStore {
      return (options as { groupId?: unknown }).groupId === PER_PROCESS ? perProcess : this;
    }
  };
}
