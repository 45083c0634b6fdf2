/** `arch dev`: every service of the workspace on this machine, watch mode, until Ctrl-C. */
import { Command } from 'commander';
import path from 'node:path';
import type { CliIo } from '../io.js';

/** Colours the service names cycle through. */
const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;

export function devCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('dev')
    .description('Run every service of the workspace (and the gateway) locally in watch mode against local PostgreSQL, RabbitMQ, Redis; Ctrl-C stops all')
    .option('--cwd <dir>', 'run as if started in <dir>')
    .addHelpText(
      'after',
      `\nEach service runs its \`dev\` script (tsx watch) with its own .env (copied from .env.example when it has none), migrations applied at start-up.\nBefore anything starts: the node on PATH, ports, servers and databases are checked; a database another project made is never used.\nExit codes: 130 after Ctrl-C, 1 when a service stopped on its own, 2 when something is in the way (nothing started).\n\nExamples:\n  $ npx arch dev\n  $ npx arch dev --cwd ~/src/shop\n`,
    )
    .action(async (flags: { cwd?: string }) => {
      const [{ runDev }, { createUi }, pc] = await Promise.all([import('../../dev/run.js'), import('../ui.js'), import('picocolors')]);
      const color = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
      const c = pc.default.createColors(color);
      const log = createUi({ stdout: io.stdout, stderr: io.stderr, color, spinner: false });
      const stop = new AbortController();
      const force = new AbortController();
      const interrupt = () => (stop.signal.aborted ? force.abort() : stop.abort());
      const prefixes = new Map<string, string>();
      const starting = (services: readonly string[]) => {
        const width = Math.max(...services.map((s) => s.length));
        services.forEach((s, i) => prefixes.set(s, c[COLORS[i % COLORS.length]!](`${s.padEnd(width)} |`)));
      };
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
      try {
        const result = await runDev({
          cwd: path.resolve(io.cwd, flags.cwd ?? '.'),
          env: io.env,
          log: { ...log, info: (line) => io.stdout.write(`${c.dim(`arch dev: ${line}`)}\n`) },
          signal: stop.signal,
          force: force.signal,
          starting,
          output: (service, line, stream) => (stream === 'stderr' ? io.stderr : io.stdout).write(`${prefixes.get(service) ?? service} ${line}\n`),
        });
        setExitCode(result.reason === 'signal' ? 130 : 1);
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
}
