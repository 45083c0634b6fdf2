/**
 * One circuit breaker (opossum) per upstream service.
 *
 * Every proxied request is one breaker call that settles when the upstream
 * has answered: a 5xx answer, a network error or a timeout counts as a
 * failure. When failures pass the threshold the breaker opens and requests
 * are answered 503 at once, without reaching the upstream, for
 * `resetTimeoutMs`; then one trial request decides whether it closes again.
 * Timeouts are enforced by the proxy itself (the breaker only counts them),
 * so a slow upstream costs a request no more than its timeout.
 */
import CircuitBreaker from 'opossum';
import type { ReadinessCheck } from '../health/checks.js';
import type { UpstreamSettings } from './config.js';
import type { ResolvedRoute } from './route.js';

/** A request let through: settle it once with the upstream's verdict. */
export interface Admission {
  settle(ok: boolean): void;
}

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
      let settle!: (ok: boolean) => void;
      const outcome = new Promise<void>((resolve, reject) => {
        settle = (ok) => (ok ? resolve() : reject(new Error(`${service} failed`)));
      });
      rejected = false;
      breaker.fire(outcome).catch(() => undefined);
      if (rejected) return null;
      let settled = false;
      return {
        settle(ok) {
          if (settled) return;
          settled = true;
          settle(ok);
        },
      };
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

/**
 * `upstream:<service>` readiness checks: the upstream's own /health/ready,
 * and the breaker's state. Not critical: one upstream down must not take the
 * whole gateway out of rotation; the report shows it.
 */
export function upstreamChecks(upstreams: ReadonlyMap<string, Upstream>, timeoutMs = 1000): ReadinessCheck[] {
  return [...upstreams.values()].map((upstream) => ({
    name: `upstream:${upstream.service}`,
    critical: false,
    async check() {
      if (upstream.state() === 'open') throw new Error('circuit open');
      const response = await fetch(`${upstream.url.replace(/\/+$/, '')}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`/health/ready answered ${response.status}`);
    },
  }));
}
