import { main, type BinName } from '../../src/cli/main.js';
import type { Exec } from '../../src/generate/define-generator.js';
import type { Ask } from '../../src/generate/options.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams; no TTY unless `tty`. */
export async function runCli(argv: string[], options: { cwd: string; bin?: BinName; tty?: boolean; ask?: Ask; exec?: Exec; env?: Record<string, string> }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, options.bin ?? 'arch', {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdinIsTTY: options.tty ?? false,
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    ...(options.ask ? { ask: options.ask } : {}),
    ...(options.exec ? { exec: options.exec } : {}),
  });
  return { code, stdout, stderr };
}

/** A scripted `ask`: answers by option name; throws on an unexpected question. */
export function scriptedAsk(answers: Record<string, unknown>): Ask & { asked: string[] } {
  const asked: string[] = [];
  const ask = (async (question) => {
    asked.push(question.name);
    if (!(question.name in answers)) throw new Error(`unexpected question: ${question.name}`);
    const answer = answers[question.name];
    if (question.kind === 'text') {
      const error = question.validate(String(answer));
      if (error) throw new Error(`scripted answer rejected: ${error}`);
    }
    return answer;
  }) as Ask & { asked: string[] };
  ask.asked = asked;
  return ask;
}

/** A task runner that runs nothing and records each call as `file args @ cwd`. */
export function recordingExec(): Exec & { calls: string[] } {
  const calls: string[] = [];
  const exec = (async (file, args, options) => void calls.push(`${[file, ...args].join(' ')} @ ${options.cwd}`)) as Exec & { calls: string[] };
  exec.calls = calls;
  return exec;
}
