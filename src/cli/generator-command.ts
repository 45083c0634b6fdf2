/**
 * Builds a commander Command from a generator definition: positional
 * arguments, one flag per option (from the option kinds table), the common
 * generation flags, examples in `--help`. The action collects raw values and
 * hands them to the engine with an injected `ask`.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import type { GeneratorDefinition } from '../generate/define-generator.js';
import { flagName, helpText, type OptionsSpec } from '../generate/options.js';
import type { CliIo } from './io.js';

export interface GeneratorFlags {
  cwd?: string;
  dryRun?: boolean;
  check?: boolean;
  yes?: boolean;
  force?: boolean;
  install?: boolean;
  git?: boolean;
  verbose?: boolean;
}

export type GeneratorAction = (
  definition: GeneratorDefinition<OptionsSpec>,
  raw: Record<string, unknown>,
  flags: GeneratorFlags,
) => Promise<void>;

/** The flags every generator command takes. */
function commonOptions(cmd: Command): Command {
  return cmd
    .option('--cwd <dir>', 'run as if started in <dir>')
    .option('--dry-run', 'print the plan (create / update / unchanged) and write nothing')
    .option('-y, --yes', 'take defaults, never prompt')
    .option('--force', 'overwrite files that exist and differ')
    .option('--no-install', 'do not run npm install afterwards')
    .option('--no-git', 'do not initialise a git repository')
    .option('--verbose', 'show stack traces on errors');
}

/** A generator command as `arch --help` lists it, from the registry alone (its definition is loaded only to run it). */
export function listedCommand(entry: { command: string; description: string; argument?: string }): Command {
  const cmd = new Command(entry.command).description(entry.description);
  return commonOptions(entry.argument === undefined ? cmd : cmd.argument(`[${entry.argument}]`));
}

export function generatorCommand(definition: GeneratorDefinition<OptionsSpec>, invokedAs: string, action: GeneratorAction): Command {
  const cmd = new Command(definition.command.name).description(definition.description);
  const args = definition.command.args ?? [];
  for (const arg of args) {
    const spec = definition.options[arg.option]!;
    // Always optional on the command line: a missing required value is asked for (TTY) or refused (exit 2).
    cmd.argument(`[${arg.name}]`, helpText(spec));
  }
  for (const [key, spec] of Object.entries(definition.options)) {
    if (args.some((a) => a.option === key)) continue;
    const flag = flagName(key);
    if (spec.kind === 'boolean') {
      cmd.addOption(new Option(flag, helpText(spec)));
      cmd.addOption(new Option(`--no-${flag.slice(2)}`).hideHelp());
    } else {
      cmd.addOption(new Option(`${flag} ${spec.valueName ?? '<value>'}`, helpText(spec)));
    }
  }
  if (definition.sync) cmd.option('--check', 'write nothing; exit 1 with a diff when a file is out of date with the workspace (for CI)');
  commonOptions(cmd);
  const prefix = invokedAs === definition.command.name ? '' : `${invokedAs} `;
  cmd.addHelpText('after', `\nExamples:\n${definition.command.examples.map((e) => `  $ ${e.startsWith(definition.command.name) ? prefix + e : e}`).join('\n')}\n`);
  cmd.action(async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    const opts = command.opts<Record<string, unknown>>();
    const raw: Record<string, unknown> = {};
    args.forEach((arg, i) => {
      if (received[i] !== undefined) raw[arg.option] = received[i];
    });
    for (const key of Object.keys(definition.options)) {
      if (args.some((a) => a.option === key)) continue;
      if (opts[key] !== undefined) raw[key] = opts[key];
    }
    await action(definition, raw, opts as GeneratorFlags);
  });
  return cmd;
}

/** Runs a generator for the CLI: builds the RunEnv from flags and io, prints next steps. */
export async function runFromCli(definition: GeneratorDefinition<OptionsSpec>, raw: Record<string, unknown>, flags: GeneratorFlags, io: CliIo): Promise<void> {
  const [{ runGenerator, defaultExec }, { createUi }, { warnOnOldNode }] = await Promise.all([import('../generate/run.js'), import('./ui.js'), import('./node-version.js')]);
  const interactive = !flags.yes && io.stdinIsTTY;
  const color = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
  const log = createUi({ stdout: io.stdout, stderr: io.stderr, color, spinner: interactive && Boolean(io.stdout.isTTY) });
  const ask = io.ask ?? (await import('./prompts.js')).clackAsk();
  const result = await runGenerator(definition, raw, {
    cwd: path.resolve(io.cwd, flags.cwd ?? '.'),
    shellCwd: io.cwd,
    exec: warnOnOldNode(io.exec ?? defaultExec, log),
    ask,
    log,
    interactive,
    dryRun: Boolean(flags.dryRun),
    check: Boolean(flags.check),
    force: Boolean(flags.force),
    install: flags.install !== false,
    git: flags.git !== false,
  });
  if (!flags.dryRun && !flags.check) log.note('Next steps', result.nextSteps);
}
