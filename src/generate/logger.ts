import type { PlannedFile } from './tree.js';

/**
 * How engines report progress. `cli/ui.ts` implements it for terminals;
 * tests pass `silentLogger` or a recording one. Engines never print directly.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  /** The plan of a generator run (create / update / unchanged / conflict per file). */
  plan(files: readonly PlannedFile[], options: { dryRun: boolean }): void;
  /** Runs a long task with progress shown (a spinner on a TTY). */
  task<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** A titled block of lines, e.g. next steps. */
  note(title: string, lines: readonly string[]): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  success() {},
  plan() {},
  task: (_title, fn) => fn(),
  note() {},
};
