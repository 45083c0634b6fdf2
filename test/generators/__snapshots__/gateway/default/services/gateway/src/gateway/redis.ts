/** The Redis connection shared by the gateway's replicas for rate-limit counters. */
import { Redis } from 'ioredis';
import type { ReadinessCheck } from '../health/checks.js';

interface Logger {
  warn(obj: object, msg: string): void;
}

export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    // Fail fast instead of queueing: a request must not wait for a Redis that is away.
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands issued in the same tick (one per request under load) go out in one write.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let lastWarning = 0;
  redis.on('error', (error: Error) => {
    // Reconnection errors repeat every retry: one line per 10 s is enough.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'redis unavailable (rate limits are not shared while it is away)');
  });
  return redis;
}

export function redisCheck(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      await redis.ping();
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
