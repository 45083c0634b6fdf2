/**
 * The CLI entry: builds the commander program, runs it, and maps every error
 * to one line (plus a hint) and an exit code: 0 ok, 1 findings or a failed
 * post-write task, 2 usage / bad input / config / an internal error, 130
 * cancelled. Stack traces only with --verbose. Nothing else in archkit sets exit codes.
 */
import { Command, CommanderError } from 'commander';
import { ArchkitError } from '../errors.js';
import { generators } from '../generators/index.js';
import type { GeneratorDefinition } from '../generate/define-generator.js';
import type { OptionsSpec } from '../generate/options.js';
import { generatorCommand, listedCommand, runFromCli } from './generator-command.js';
import { processIo, type CliIo } from './io.js';
import { archkitVersion } from '../generate/self.js';
// Light command shells (their engines load on use): bundled with main so start-up loads one file fewer.
import { checkCommand, rulesCommand } from './commands/check.js';
import { devCommand } from './commands/dev.js';
import { graphCommand } from './commands/graph.js';
import { tokenCommand } from './commands/token.js';

/** `archkit` is `arch` under a name no system command shadows (Linux's coreutils has an `arch`), for a global install. */
export type BinName = 'arch' | 'archkit' | 'create-service';

/** Runs the CLI and returns the exit code. `argv` excludes node and the script. */
export async function main(argv: readonly string[], bin: BinName = 'arch', io: CliIo = processIo()): Promise<number> {
  const verbose = argv.includes('--verbose');
  let exitCode = 0;
  const c = await import('picocolors').then((m) => m.default.createColors(Boolean(io.stderr.isTTY) && io.env.NO_COLOR === undefined));
  const fail = (error: unknown): number => {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof ArchkitError) {
      io.stderr.write(`${c.red('error')} ${error.message}\n`);
      if (error.hint) io.stderr.write(`${c.dim(error.hint)}\n`);
      if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    // An internal error: exit 2 as ESLint does, since CI reads 1 as "findings".
    const err = error as Error;
    io.stderr.write(`${c.red('error')} ${err?.message ?? String(error)}\n`);
    io.stderr.write(verbose ? `${err?.stack ?? ''}\n` : `${c.dim('Run again with --verbose for details.')}\n`);
    return 2;
  };

  try {
    // Only the definition of the command being run is loaded; the others are listed from the registry.
    const needed = bin === 'create-service' ? 'create-service' : commandNamed(argv);
    const definitions = new Map<string, GeneratorDefinition<OptionsSpec>>();
    for (const entry of generators) if (entry.command === needed) definitions.set(entry.command, await entry.load());
    const action = (definition: GeneratorDefinition<OptionsSpec>, raw: Record<string, unknown>, flags: object) =>
      runFromCli(definition, raw, flags, io);
    const configure = (cmd: Command) =>
      cmd
        .exitOverride()
        .configureOutput({
          writeOut: (s) => io.stdout.write(s),
          writeErr: (s) => io.stderr.write(s),
          // commander's own rule, read from the injected streams, so that output depends on io alone (prebuilt-output.ts
          // relies on it). Undefined, as in commander's default (its types say number), means its default width.
          getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
          getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
          outputError: (s, write) => write(`${c.red('error')} ${s.replace(/^error: /, '')}`),
        })
        .showSuggestionAfterError(true);

    let program: Command;
    if (bin === 'create-service') {
      const service = definitions.get('create-service')!;
      program = generatorCommand(service, 'create-service', action).name('create-service').version(archkitVersion(), '-v, --version');
      configure(program);
    } else {
      program = new Command(bin)
        .description(
          'archkit: generate production-shaped microservices and check any microservices repository against an architecture checklist.\n' +
            'Linux has a coreutils `arch`: in a workspace call this one as `npx arch`; installed globally, as `archkit`.',
        )
        .version(archkitVersion(), '-v, --version')
        .enablePositionalOptions();
      configure(program);
      for (const entry of generators) {
        const definition = definitions.get(entry.command);
        // A command not being run is only listed in help; its definition loads when it is the one run.
        const cmd = definition ? generatorCommand(definition, 'arch', action) : listedCommand(entry);
        configure(cmd);
        program.addCommand(cmd);
      }
      const setExitCode = (code: number) => (exitCode = code);
      for (const cmd of [devCommand(io, setExitCode), tokenCommand(io), checkCommand(io, setExitCode), graphCommand(io), rulesCommand(io)]) {
        configure(cmd);
        program.addCommand(cmd);
      }
      program.addHelpText(
        'after',
        `\nExamples:\n  $ archkit init shop                     # installed globally (npm install -g . in a clone)\n  $ cd shop && npx create-service orders\n  $ npx arch create-service payments --db postgres --yes\n  $ npx arch check --format sarif --output arch.sarif\n  $ npx arch graph > architecture.mmd\n`,
      );
    }
    if (bin !== 'create-service' && argv.length === 0) {
      // Help asked for by running the bare command: on stdout, like --help (commander would print it to stderr).
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return fail(error);
  }
}

/** The command an `arch` argv runs (`arch add-saga …`, `arch help add-saga`), or undefined for top-level help and version. */
function commandNamed(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
