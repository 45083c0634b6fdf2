/**
 * Typed errors thrown by engines. Only `cli/main.ts` turns them into a
 * one-line message, an optional hint and an exit code.
 */
export class ArchkitError extends Error {
  /** Process exit code the CLI maps this error to. */
  readonly exitCode: number = 2;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: an invalid name, a missing required value, a refused target. Exit 2. */
export class UsageError extends ArchkitError {}

/** An unreadable or invalid configuration file. Exit 2. */
export class ConfigError extends ArchkitError {}

/** Files exist and differ from what would be written. Exit 2, nothing written. */
export class ConflictError extends ArchkitError {
  constructor(readonly paths: string[]) {
    super(
      `${paths.length} file${paths.length === 1 ? '' : 's'} already exist${paths.length === 1 ? 's' : ''} and would change: ${paths.join(', ')}`,
      'Nothing was written. Re-run with --force to overwrite, or --dry-run to see the plan.',
    );
  }
}

/**
 * An edit that cannot be made safely (a file not shaped as expected).
 * Carries the instructions for doing it by hand. Exit 2, nothing written.
 */
export class ManualStepsError extends ArchkitError {
  constructor(readonly steps: string[]) {
    super(
      `Some changes cannot be made automatically; nothing was written. Add by hand:\n${steps.map((s) => `  - ${s}`).join('\n')}`,
    );
  }
}

/** Files were written, but a task after them (npm install, git init) failed. Exit 1. */
export class TaskError extends ArchkitError {
  override readonly exitCode = 1;
  constructor(readonly failures: string[]) {
    super(`the files are written, but ${failures.join('; ')}`, 'Fix the cause and run the failed step yourself; re-running the generator changes no file.');
  }
}

/** `--check`: files are out of date with the workspace (the run would change them). Exit 1, nothing written. */
export class OutOfDateError extends ArchkitError {
  override readonly exitCode = 1;
  constructor(
    readonly paths: string[],
    command: string,
  ) {
    super(
      `${paths.length} file${paths.length === 1 ? ' is' : 's are'} out of date with the workspace: ${paths.join(', ')}`,
      `Run \`npx arch ${command}\` to bring ${paths.length === 1 ? 'it' : 'them'} in line, then commit the result.`,
    );
  }
}

/** The user cancelled a prompt (Ctrl-C). Exit 130. */
export class CancelledError extends ArchkitError {
  override readonly exitCode = 130;
  constructor() {
    super('Cancelled.');
  }
}
