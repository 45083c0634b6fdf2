/** `arch check [path]`: thin — parse flags, run the check engine, print the report, set the exit code. */
import { Command, Option } from 'commander';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORTER_NAMES, reporters, type ReporterName } from '../../check/reporters/index.js';
import { ITEMS, type ItemId } from '../../check/types.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';

interface CheckFlags {
  format: ReporterName;
  output?: string;
  config?: string;
  baseline?: string;
  updateBaseline?: boolean;
  maxWarnings?: string;
  listRules?: boolean;
  explain?: ItemId;
  color?: boolean;
  verbose?: boolean;
}

export function checkCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('check')
    .description('Check a repository against the microservices architecture checklist and anti-patterns')
    .argument('[path]', 'repository to check', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORTER_NAMES).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-c, --config <file>', 'configuration file (default: arch.config.json, else the "arch" key of package.json)')
    .option('--baseline <file>', 'ignore the findings recorded in this baseline file')
    .option('--update-baseline', 'record the current findings in the --baseline file and exit 0')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--list-rules', 'list the rules and exit (same as `arch rules`)')
    .addOption(new Option('--explain <item>', 'print one checklist item\'s verdict with the facts and files behind it, per service').choices([...ITEMS]))
    .option('--no-color', 'no colours in the stylish report')
    .option('--verbose', 'show rationale and fix for each finding; stack traces on errors')
    .addHelpText(
      'after',
      `\nExit codes: 0 no errors (and warnings within --max-warnings), 1 errors found, 2 bad input or configuration.\n\nExamples:\n  $ npx arch check\n  $ npx arch check ../legacy-system --format sarif --output arch.sarif\n  $ npx arch check --format github --max-warnings 0\n  $ npx arch check --format gitlab --output gl-code-quality-report.json\n  $ npx arch check --baseline arch-baseline.json --update-baseline\n  $ npx arch check --explain circuit-breakers\n`,
    )
    .action(async (target: string, flags: CheckFlags) => {
      if (flags.listRules) {
        io.stdout.write(await rulesTable());
        return;
      }
      const root = path.resolve(io.cwd, target);
      let maxWarnings = Number.POSITIVE_INFINITY;
      if (flags.maxWarnings !== undefined) {
        if (!/^\d+$/.test(flags.maxWarnings)) throw new UsageError(`--max-warnings must be a whole number, got ${JSON.stringify(flags.maxWarnings)}`);
        maxWarnings = Number(flags.maxWarnings);
      }
      if (flags.updateBaseline && !flags.baseline) throw new UsageError('--update-baseline needs --baseline <file>');
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${target} is not a directory`);
      await settleFirst(root, 'check', io);
      const [{ check }, { reporters }] = await Promise.all([import('../../check/run.js'), import('../../check/reporters/index.js')]);
      const { result, anchor } = await check(root, {
        ...(flags.config ? { config: flags.config } : {}),
        ...(flags.baseline ? { baseline: flags.baseline } : {}),
        ...(flags.updateBaseline ? { updateBaseline: true } : {}),
      });
      if (flags.explain) {
        const { explain } = await import('../../check/explain.js');
        io.stdout.write(explain(result, flags.explain));
        setExitCode(result.summary.errors > 0 || result.summary.warnings > maxWarnings ? 1 : 0);
        return;
      }
      const reporter = await reporters[flags.format]();
      const color = flags.format === 'stylish' && flags.color !== false && !flags.output && Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
      const report = reporter(result, { color, root, verbose: Boolean(flags.verbose), anchor });
      if (flags.output) writeFileSync(path.resolve(io.cwd, flags.output), report);
      else io.stdout.write(report);
      if (flags.updateBaseline) {
        io.stderr.write(`Baseline written to ${flags.baseline} (${result.findings.length} findings).\n`);
        return;
      }
      const failed = result.summary.errors > 0 || result.summary.warnings > maxWarnings;
      setExitCode(failed ? 1 : 0);
    });
}

/** Finishes an interrupted archkit write before the repository is read, so every command sees the same tree. */
export async function settleFirst(root: string, command: string, io: CliIo): Promise<void> {
  const { finishInterruptedWrites } = await import('../../generate/settle.js');
  await finishInterruptedWrites(root, { command, write: true, log: { info: (line) => io.stderr.write(`${line}\n`) } });
}

export async function rulesTable(): Promise<string> {
  const { rules } = await import('../../check/rules/index.js');
  const rows: string[][] = [];
  for (const [id, load] of Object.entries(rules)) {
    const rule = await load();
    rows.push([id, rule.meta.item ?? '(scan)', rule.meta.defaultSeverity, rule.meta.description]);
  }
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['rule', 'checklist item', 'severity'][i]!.length));
  const line = (r: string[]) => `${r.slice(0, 3).map((c, i) => c.padEnd(width[i]!)).join('  ')}  ${r[3]}\n`;
  return line(['rule', 'checklist item', 'severity', 'description']) + rows.map(line).join('');
}

export function rulesCommand(io: CliIo): Command {
  return new Command('rules')
    .description('List the rules of arch check with their checklist item and default severity')
    .addHelpText('after', '\nExamples:\n  $ npx arch rules\n')
    .action(async () => {
      io.stdout.write(await rulesTable());
    });
}
