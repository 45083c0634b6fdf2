/** The terminal Logger: plan printing, warnings, spinners (clack, loaded only on a TTY). */
import pc from 'picocolors';
import type { Logger } from '../generate/logger.js';
import { unifiedDiff } from '../generate/diff.js';
import type { PlannedFile } from '../generate/tree.js';
import type { Writable } from './io.js';

export interface UiOptions {
  stdout: Writable;
  stderr: Writable;
  color: boolean;
  /** Show spinners (interactive terminal). */
  spinner: boolean;
}

const LABEL: Record<PlannedFile['kind'], string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  conflict: 'conflict',
};

export function createUi(options: UiOptions): Logger {
  const c = pc.createColors(options.color);
  const out = (line: string) => options.stdout.write(`${line}\n`);
  const err = (line: string) => options.stderr.write(`${line}\n`);
  const paint: Record<PlannedFile['kind'], (s: string) => string> = {
    create: c.green,
    update: c.yellow,
    unchanged: c.dim,
    conflict: c.red,
  };
  const diffLines = (file: PlannedFile): string[] =>
    unifiedDiff(file.path, file.previous ?? '', file.content)
      .trimEnd()
      .split('\n')
      .map((line) => (line.startsWith('+++') || line.startsWith('---') ? c.bold(line) : line.startsWith('@@') ? c.cyan(line) : line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : line));
  return {
    info: (message) => out(message),
    warn: (message) => err(`${c.yellow('warning')} ${message}`),
    success: (message) => out(`${c.green('✔')} ${message}`),
    plan(files, { dryRun, check = false }) {
      const count = (kind: PlannedFile['kind']) => files.filter((f) => f.kind === kind).length;
      const shown = check ? files.filter((f) => f.kind !== 'unchanged') : files;
      for (const file of shown) {
        out(`  ${paint[file.kind](LABEL[file.kind].padEnd(9))}  ${file.path}`);
        // What would change in a file that exists: a unified diff, indented under its line.
        if ((dryRun || check) && file.previous !== undefined) for (const line of diffLines(file)) out(`    ${line}`);
      }
      if (check) {
        const stale = shown.length;
        out(stale === 0 ? `${c.green('Up to date')} with the workspace: a run would change nothing.` : `${c.red('Out of date:')} ${count('create')} to create, ${count('update') + count('conflict')} to update; nothing written.`);
        return;
      }
      const summary = `${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged`;
      out(dryRun ? `${c.cyan('Dry run:')} ${summary}; nothing written.` : summary);
    },
    async task(title, fn) {
      if (!options.spinner) {
        out(`${title}…`);
        const result = await fn();
        out(`${c.green('✔')} ${title}`);
        return result;
      }
      const { spinner } = await import('@clack/prompts');
      const s = spinner({ output: options.stdout as NodeJS.WriteStream });
      s.start(title);
      try {
        const result = await fn();
        s.stop(`${title} ${c.green('done')}`);
        return result;
      } catch (error) {
        s.error(`${title} ${c.red('failed')}`);
        throw error;
      }
    },
    note(title, lines) {
      if (lines.length === 0) return;
      out('');
      out(c.bold(title));
      for (const line of lines) out(`  ${line}`);
    },
  };
}
