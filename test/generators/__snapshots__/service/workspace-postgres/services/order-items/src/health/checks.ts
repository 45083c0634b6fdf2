/**
 * Readiness checks: one per dependency the service needs to do its work
 * (its database, later its broker). `GET /health/ready` runs them all.
 */
export interface ReadinessCheck {
  /** Reported in the response body, e.g. `postgres`. */
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check(): Promise<void>;
  /**
   * Default true: a failure makes the service unavailable. A non-critical
   * check is reported but does not take the service out of rotation (the
   * gateway reports each upstream this way).
   */
  readonly critical?: boolean;
}

export type CheckResult = { status: 'ok' } | { status: 'error'; error: string };

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, CheckResult>;
}

export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, CheckResult]> => {
      try {
        await withTimeout(c.check(), timeoutMs);
        return [c.name, { status: 'ok' }];
      } catch (error) {
        return [c.name, { status: 'error', error: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  return {
    status: results.every(([, r], i) => r.status === 'ok' || checks[i]?.critical === false) ? 'ok' : 'unavailable',
    checks: Object.fromEntries(results),
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
