import { generators } from '../../src/generators/index.js';
import { silentLogger, type Logger } from '../../src/generate/logger.js';
import { runGenerator, type RunResult } from '../../src/generate/run.js';
import { scriptedAsk } from './run-cli.js';

/** Runs a registered generator in-process: no prompts, no installs, no git. */
export async function generate(
  id: string,
  raw: Record<string, unknown>,
  options: { cwd: string; force?: boolean; dryRun?: boolean; log?: Logger },
): Promise<RunResult> {
  const entry = generators.find((g) => g.id === id);
  if (!entry) throw new Error(`no generator ${id}`);
  return runGenerator(await entry.load(), raw, {
    cwd: options.cwd,
    ask: scriptedAsk({}),
    log: options.log ?? silentLogger,
    interactive: false,
    dryRun: options.dryRun ?? false,
    force: options.force ?? false,
    install: false,
    git: false,
  });
}

/** A recording logger for assertions on warnings and information lines. */
export function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { ...silentLogger, warnings, infos, warn: (m: string) => void warnings.push(m), info: (m: string) => void infos.push(m) };
}
