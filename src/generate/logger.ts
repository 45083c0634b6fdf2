import type { PlannedFile } from './tree.js';

/**
 * How engines report progress. `cli/ui.ts` implements it for terminals;
 * tests pass `silentLogger` or a recording one. Engines never print directly.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  /**
   * The plan of a generator run (create / update / unchanged / conflict per
   * file). A dry run also shows what would change in files that exist (a
   * diff); `check` (`--check`) shows only what is out of date, with its diff.
   */
  plan(files: readonly PlannedFile[], options: { dryRun: boolean; check?: boolean }): void;
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
