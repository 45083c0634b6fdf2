/** What the CLI needs from its process, injected so tests run in-process. */
import type { Exec } from '../generate/define-generator.js';
import type { Ask } from '../generate/options.js';

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** A terminal's width; commander wraps help to it. */
  columns?: number;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Whether standard input is an interactive terminal (prompts allowed). */
  stdinIsTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Prompt implementation; defaults to clack. Tests inject a scripted one. */
  ask?: Ask;
  /** Runs the programs of post-write tasks (npm install, git init); defaults to execa. Tests inject a recording one. */
  exec?: Exec;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}
