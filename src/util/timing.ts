/**
 * Where a command spends its time, for the people who make it faster: with
 * `ARCHKIT_TIMING=1`, each named step's wall time (summed over calls) goes to
 * stderr when the process exits, longest first. Off, it costs one boolean test.
 */
const enabled = process.env.ARCHKIT_TIMING === '1';
const totals = new Map<string, { ms: number; calls: number }>();
let hooked = false;

function add(label: string, ms: number): void {
  const entry = totals.get(label);
  if (entry) {
    entry.ms += ms;
    entry.calls++;
  } else totals.set(label, { ms, calls: 1 });
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
      process.stderr.write(rows.map(([name, t]) => `${t.ms.toFixed(1).padStart(9)} ms  ${name}${t.calls > 1 ? ` (${t.calls}×)` : ''}\n`).join(''));
    });
  }
}

/** Times a synchronous step. */
export function timed<T>(label: string, fn: () => T): T {
  if (!enabled) return fn();
  const started = performance.now();
  try {
    return fn();
  } finally {
    add(label, performance.now() - started);
  }
}

/** Times an asynchronous step (its wall time, including waits). */
export async function timedAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    add(label, performance.now() - started);
  }
}

export const timingEnabled = enabled;

/** Laps of one sequence of steps: `lap(label)` records the time since the previous lap (or the start). */
export function stopwatch(prefix: string): { lap(label: string): void } {
  if (!enabled) return { lap: () => {} };
  let last = performance.now();
  return {
    lap(label) {
      const now = performance.now();
      add(`${prefix}${label}`, now - last);
      last = now;
    },
  };
}
