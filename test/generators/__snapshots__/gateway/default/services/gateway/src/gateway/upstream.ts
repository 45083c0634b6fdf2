/**
 * One circuit breaker (opossum) per upstream service.
 *
 * Every proxied request is one breaker call that settles when the upstream
 * has answered. Only the upstream's own failures count against it: a 5xx
 * answer, a connection that could not be made or broke, a timeout. A request
 * the gateway could not forward for reasons of its own (the client's headers
 * or body, the client going away) is released without a verdict, so no client
 * can open a breaker for everyone else. When failures pass the threshold the
 * breaker opens and requests are answered 503 at once, without reaching the
 * upstream, for `resetTimeoutMs`; then one trial request decides whether it
 * closes again. Timeouts are enforced by the proxy itself (the breaker only
 * counts them), so a slow upstream costs a request no more than its timeout.
 */
import CircuitBreaker from 'opossum';
import type { ReadinessCheck } from '../health/checks.js';
import type { HealthSettings, UpstreamSettings } from './config.js';
import type { ResolvedRoute } from './route.js';

/** A request let through: settle it once with the upstream's verdict, or release it without one. */
export interface Admission {
  settle(ok: boolean): void;
  /** The request never got a verdict from the upstream (not forwarded, or the client left): not a failure. */
  release(): void;
}

/** How a released call settles: opossum's errorFilter keeps it out of the failure count. */
class Released extends Error {}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Upstream {
  readonly service: string;
  readonly url: string;
  /** Null when the breaker is open: answer 503 without calling the upstream. */
  admit(): Admission | null;
  state(): BreakerState;
  close(): void;
}

interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function createUpstream(service: string, url: string, settings: UpstreamSettings, logger?: Logger): Upstream {
  const breaker = new CircuitBreaker((outcome: Promise<void>) => outcome, {
    name: service,
    timeout: false,
    errorThresholdPercentage: settings.errorThresholdPercentage,
    volumeThreshold: settings.volumeThreshold,
    resetTimeout: settings.resetTimeoutMs,
    // Only the counts of the rolling window decide; without these, every answer's latency is kept and the
    // whole window is copied and sorted once a second, for percentiles and snapshots nobody reads.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    errorFilter: (error: unknown) => error instanceof Released,
  });
  // opossum rejects a call on an open breaker synchronously, inside fire():
  // the flag tells admit() whether this very call was turned away.
  let rejected = false;
  breaker.on('reject', () => {
    rejected = true;
  });
  if (logger) {
    breaker.on('open', () => logger.warn({ upstream: service, resetTimeoutMs: settings.resetTimeoutMs }, 'circuit breaker opened'));
    breaker.on('halfOpen', () => logger.info({ upstream: service }, 'circuit breaker half-open, letting one request through'));
    breaker.on('close', () => logger.info({ upstream: service }, 'circuit breaker closed'));
  }
  return {
    service,
    url,
    admit() {
      let settle!: (verdict: boolean | 'released') => void;
      const outcome = new Promise<void>((resolve, reject) => {
        settle = (verdict) => (verdict === true ? resolve() : reject(verdict === 'released' ? new Released() : new Error(`${service} failed`)));
      });
      rejected = false;
      breaker.fire(outcome).catch(() => undefined);
      if (rejected) return null;
      let settled = false;
      const once = (verdict: boolean | 'released') => {
        if (settled) return;
        settled = true;
        settle(verdict);
      };
      return { settle: (ok) => once(ok), release: () => once('released') };
    },
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    close: () => breaker.shutdown(),
  };
}

export function createUpstreams(routes: readonly ResolvedRoute[], settings: UpstreamSettings, logger?: Logger): Map<string, Upstream> {
  const upstreams = new Map<string, Upstream>();
  for (const route of routes) {
    if (!upstreams.has(route.service)) upstreams.set(route.service, createUpstream(route.service, route.upstream, settings, logger));
  }
  return upstreams;
}

interface HealthLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * `upstream:<service>` readiness checks: the upstream's own /health/ready,
 * and the breaker's state. Not critical: one upstream down must not take the
 * whole gateway out of rotation; the report shows it.
 *
 * /health/ready is public, so what it costs and says is bounded: each
 * upstream's answer is reused for `cacheMs` (concurrent probes share one
 * call), and a failure reads `unavailable` unless `details` is on; the reason
 * is logged when an upstream goes down (and when it is back).
 */
export function upstreamChecks(
  upstreams: ReadonlyMap<string, Upstream>,
  options: Partial<Pick<HealthSettings, 'cacheMs' | 'details'>> & { timeoutMs?: number; logger?: HealthLogger } = {},
): ReadinessCheck[] {
  const { cacheMs = 2000, details = false, timeoutMs = 1000, logger } = options;
  return [...upstreams.values()].map((upstream) => {
    let last: { at: number; probe: Promise<void> } | undefined;
    let down = false;
    const probe = async () => {
      const response = await fetch(`${upstream.url.replace(/\/+$/, '')}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`/health/ready answered ${response.status}`);
    };
    return {
      name: `upstream:${upstream.service}`,
      critical: false,
      async check() {
        try {
          if (upstream.state() === 'open') throw new Error('circuit open');
          const now = Date.now();
          if (!last || now - last.at >= cacheMs) last = { at: now, probe: probe() };
          await last.probe;
          if (down) logger?.info({ upstream: upstream.service }, 'upstream ready again');
          down = false;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (!down) logger?.warn({ upstream: upstream.service, reason }, 'upstream not ready');
          down = true;
          throw new Error(details ? reason : 'unavailable');
        }
      },
    };
  });
}
