/**
 * Graceful shutdown on SIGTERM / SIGINT: first drain (`onDrain` makes
 * readiness answer 503, then wait `drainDelayMs` while load balancers and the
 * gateway take the instance out of rotation; requests still arriving are
 * served), then run the closers in order (stop the HTTP server and finish
 * in-flight requests, drain consumers, close pools, flush telemetry), then
 * exit 0. A hard timeout on the closers exits 1 if something hangs; a second
 * signal kills the process at once.
 */
export interface Closer {
  /** Shown in the logs, e.g. `http`, `postgres`. */
  readonly name: string;
  close(): Promise<void> | void;
}

export interface ShutdownLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** pino writes asynchronously: flushed before exiting so no line is lost. */
  flush?(callback: (err?: Error) => void): void;
}

export interface ShutdownOptions {
  closers: readonly Closer[];
  logger: ShutdownLogger;
  /** Hard limit for the closers (after the drain delay). */
  timeoutMs: number;
  /** Called first, on the signal: readiness starts failing. */
  onDrain?: () => void;
  /** How long to keep serving after `onDrain`, before the closers run. Default 0. */
  drainDelayMs?: number;
  signals?: readonly NodeJS.Signals[];
  /** Injected by tests; defaults to `process.exit`. */
  exit?: (code: number) => void;
}

/** Installs the signal handlers and returns the shutdown function itself. */
export function registerShutdown(options: ShutdownOptions): (reason: string) => Promise<void> {
  const { closers, logger, timeoutMs, onDrain, drainDelayMs = 0, signals = ['SIGTERM', 'SIGINT'], exit = (code) => process.exit(code) } = options;
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      logger.info({ reason, timeoutMs, drainDelayMs }, 'shutting down');
      onDrain?.();
      if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      const guard = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown timed out, forcing exit');
        void flushed(logger).then(() => exit(1));
      }, timeoutMs);

      let failed = false;
      for (const closer of closers) {
        try {
          await closer.close();
        } catch (err) {
          failed = true;
          logger.error({ err, closer: closer.name }, 'error while shutting down');
        }
      }
      clearTimeout(guard);
      logger.info({ reason }, 'shutdown complete');
      await flushed(logger);
      exit(failed ? 1 : 0);
    })();
    return running;
  };

  for (const signal of signals) process.once(signal, () => void shutdown(signal));
  return shutdown;
}

function flushed(logger: ShutdownLogger): Promise<void> {
  return new Promise((resolve) => {
    if (!logger.flush) return resolve();
    const timer = setTimeout(resolve, 1000);
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
