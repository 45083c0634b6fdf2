import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerShutdown, type Closer } from '../src/shutdown.js';

const logs: string[] = [];
const logger = {
  info: (_obj: object, msg?: string) => void logs.push(`info ${msg}`),
  error: (_obj: object, msg?: string) => void logs.push(`error ${msg}`),
};
// A signal no test run sends, so no real handler is left behind on SIGTERM/SIGINT.
const signals: NodeJS.Signals[] = ['SIGUSR2'];

afterEach(() => {
  logs.length = 0;
  process.removeAllListeners('SIGUSR2');
});

function closer(name: string, calls: string[], fn: () => Promise<void> | void = () => undefined): Closer {
  return { name, close: () => (calls.push(name), fn()) };
}

describe('registerShutdown', () => {
  it('drains first: onDrain, then the delay, then the closers', async () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const shutdown = registerShutdown({
        closers: [closer('http', calls)],
        logger,
        timeoutMs: 1000,
        drainDelayMs: 30_000,
        onDrain: () => void calls.push('drain'),
        signals,
        exit: (code) => void calls.push(`exit ${code}`),
      });
      const done = shutdown('SIGTERM');
      await vi.advanceTimersByTimeAsync(29_999);
      expect(calls).toEqual(['drain']);
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(calls).toEqual(['drain', 'http', 'exit 0']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs the closers in order once, flushes the logs, then exits 0', async () => {
    const calls: string[] = [];
    const shutdown = registerShutdown({
      closers: [closer('http', calls), closer('postgres', calls), closer('tracing', calls)],
      logger: { ...logger, flush: (done) => (calls.push('flush logs'), done()) },
      timeoutMs: 1000,
      signals,
      exit: (code) => void calls.push(`exit ${code}`),
    });
    await Promise.all([shutdown('SIGTERM'), shutdown('SIGINT')]);
    expect(calls).toEqual(['http', 'postgres', 'tracing', 'flush logs', 'exit 0']);
    expect(logs).toEqual(['info shutting down', 'info shutdown complete']);
  });

  it('runs on the signal', async () => {
    const codes: number[] = [];
    const exited = new Promise<void>((resolve) => {
      registerShutdown({ closers: [], logger, timeoutMs: 1000, signals, exit: (code) => (codes.push(code), resolve()) });
    });
    process.kill(process.pid, 'SIGUSR2');
    await exited;
    expect(codes).toEqual([0]);
  });

  it('keeps closing after a closer fails, and exits 1', async () => {
    const calls: string[] = [];
    const codes: number[] = [];
    const failing = closer('http', calls, () => Promise.reject(new Error('boom')));
    await registerShutdown({
      closers: [failing, closer('postgres', calls)],
      logger,
      timeoutMs: 1000,
      signals,
      exit: (code) => codes.push(code),
    })('SIGTERM');
    expect(calls).toEqual(['http', 'postgres']);
    expect(codes).toEqual([1]);
    expect(logs).toContain('error error while shutting down');
  });

  it('forces exit 1 when a closer hangs past the timeout', async () => {
    const codes: number[] = [];
    const forced = new Promise<void>((resolve) => {
      void registerShutdown({
        closers: [{ name: 'stuck', close: () => new Promise(() => undefined) }],
        logger,
        timeoutMs: 50,
        signals,
        exit: (code) => (codes.push(code), resolve()),
      })('SIGTERM');
    });
    await forced;
    expect(codes).toEqual([1]);
    expect(logs).toContain('error shutdown timed out, forcing exit');
  });
});
