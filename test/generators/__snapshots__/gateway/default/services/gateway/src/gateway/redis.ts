/** The Redis connection shared by the gateway's replicas for rate-limit counters. */
import { Redis } from 'ioredis';
import type { ReadinessCheck } from '../health/checks.js';

interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * `failOpen` (RATE_LIMIT_FAIL_OPEN) only words the log: while Redis is away the rate limiter (./rate-limit.ts)
 * counts in this process (fail open) or answers 503 (fail closed). One line when Redis goes away, one when it is
 * back, however often the client retries in between.
 */
export function createRedis(url: string, logger: Logger, failOpen = true): Redis {
  const redis = new Redis(url, {
    // Fail fast instead of queueing: a request must not wait for a Redis that is away.
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands issued in the same tick (one per request under load) go out in one write.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let away = false;
  // Logged once when the connection drops (ioredis schedules a reconnect) or a connection attempt fails, whichever
  // comes first; `quit()` at shutdown reconnects nothing and logs nothing.
  const wentAway = (error?: Error) => {
    if (away) return;
    away = true;
    logger.warn(
      error ? { err: error } : {},
      failOpen
        ? 'redis unavailable: rate limits are counted in each gateway process until it is back (RATE_LIMIT_FAIL_OPEN=true)'
        : 'redis unavailable: requests are answered 503 until it is back (RATE_LIMIT_FAIL_OPEN=false)',
    );
  };
  redis.on('error', (error: Error) => wentAway(error));
  redis.on('reconnecting', () => wentAway());
  redis.on('ready', () => {
    if (!away) return;
    away = false;
    logger.info({}, 'redis is back: rate limits are shared again');
  });
  return redis;
}

/**
 * Resolves once Redis is connected, or after `timeoutMs` (false): the gateway waits for it before it takes
 * requests, so that the first requests are counted where every replica counts them, not in the process.
 */
export async function redisConnected(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onReady = () => done(true);
    function done(connected: boolean) {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(connected);
    }
    redis.once('ready', onReady);
  });
}

/**
 * Redis in /health/ready: critical when the gateway fails closed without it (then it cannot serve), reported
 * but not critical when it fails open (it serves with per-process limits). The reason is public only with
 * `details` (HEALTH_DETAILS).
 */
export function redisCheck(redis: Redis, options: { critical: boolean; details?: boolean }): ReadinessCheck {
  return {
    name: 'redis',
    critical: options.critical,
    async check() {
      try {
        await redis.ping();
      } catch (error) {
        throw options.details ? error : new Error('unavailable');
      }
    },
  };
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
