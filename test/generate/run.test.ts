import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, ManualStepsError, TaskError } from '../../src/errors.js';
import { defineGenerator } from '../../src/generate/define-generator.js';
import { silentLogger } from '../../src/generate/logger.js';
import { option, type OptionsSpec } from '../../src/generate/options.js';
import { runGenerator, type RunEnv } from '../../src/generate/run.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { scriptedAsk } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

// A tiny generator exercising the engine: a generated file, an edit of an existing one, a task, manual steps.
const notes = defineGenerator({
  id: 'notes',
  description: 'test generator',
  command: { name: 'notes', examples: ['notes'] },
  scope: 'cwd',
  options: { text: option.string({ description: 'text', default: 'hello' }), manual: option.boolean({ description: 'manual', default: false }) },
  async run(ctx) {
    ctx.tree.write('notes/a.txt', `${ctx.options.text}\n`);
    ctx.editJson('package.json', (json) => void (json.notes = true));
    await ctx.editTs('src/main.ts', (file, ts) => {
      if (!ts.ensureStatement(file, 'main', 'startNotes();')) return { manual: ['add `startNotes();` to main() in src/main.ts'] };
    });
    ctx.task({ kind: 'install', title: 'task', run: async (exec) => exec('true', [], { cwd: ctx.root }) });
    if (ctx.options.manual) ctx.manual('do something by hand');
  },
}) as never;

function env(cwd: string, extra: Partial<RunEnv> = {}): RunEnv & { ran: string[] } {
  const ran: string[] = [];
  return {
    cwd,
    ask: scriptedAsk({}),
    log: silentLogger,
    interactive: false,
    dryRun: false,
    force: false,
    install: true,
    git: true,
    exec: async (file) => void ran.push(file),
    ran,
    ...extra,
  };
}

function repo(): string {
  const root = tmpDir();
  writeFileSync(path.join(root, 'package.json'), '{\n  "name": "x"\n}\n');
  writeFileSync(path.join(root, 'main.ts'), '');
  return root;
}

describe('runGenerator', () => {
  it('writes, edits, runs tasks; a second run is all unchanged', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {\n  start();\n}\n');
    const e = env(root);
    const first = await runGenerator(notes, {}, e);
    expect(first.plan.map((f) => [f.path, f.kind])).toEqual([['notes/a.txt', 'create'], ['package.json', 'update'], ['src/main.ts', 'update']]);
    expect(readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toContain('startNotes();');
    expect(e.ran).toEqual(['true']);
    const second = await runGenerator(notes, {}, env(root));
    expect(second.plan.every((f) => f.kind === 'unchanged')).toBe(true);
  });

  it('stops on a conflict, lists it and writes nothing; --force overwrites', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    await runGenerator(notes, {}, env(root));
    writeFileSync(path.join(root, 'notes/a.txt'), 'my own notes\n');
    const before = snapshotDir(root);
    const error = await runGenerator(notes, { text: 'hello' }, env(root)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).paths).toEqual(['notes/a.txt']);
    expect(snapshotDir(root)).toEqual(before);
    await runGenerator(notes, {}, env(root, { force: true }));
    expect(readFileSync(path.join(root, 'notes/a.txt'), 'utf8')).toBe('hello\n');
  });

  it('an unrecognisable file gives manual steps and writes nothing', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export const notAFunction = 1;\n');
    const before = snapshotDir(root);
    const error = await runGenerator(notes, {}, env(root)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManualStepsError);
    expect((error as ManualStepsError).steps).toEqual(['add `startNotes();` to main() in src/main.ts']);
    expect(snapshotDir(root)).toEqual(before);
  });

  it('dry run: plan only, no task', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    const before = snapshotDir(root);
    const e = env(root, { dryRun: true });
    const result = await runGenerator(notes, {}, e);
    expect(result.plan.length).toBe(3);
    expect(e.ran).toEqual([]);
    expect(snapshotDir(root)).toEqual(before);
  });

  it('--no-install skips install tasks', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    const e = env(root, { install: false });
    await runGenerator(notes, {}, e);
    expect(e.ran).toEqual([]);
  });

  it('a failed task keeps the files and ends in a TaskError (exit 1)', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    const error = await runGenerator(notes, {}, env(root, { exec: async () => { throw Object.assign(new Error('boom'), { stderr: 'npm ERR! network' }); } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).exitCode).toBe(1);
    expect((error as TaskError).message).toMatch(/task failed: npm ERR! network/);
    expect(readFileSync(path.join(root, 'notes/a.txt'), 'utf8')).toBe('hello\n');
  });

  it('manual steps recorded by a generator stop the run', async () => {
    const root = repo();
    await import('node:fs').then((fs) => fs.mkdirSync(path.join(root, 'src')));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    await expect(runGenerator(notes, { manual: true }, env(root))).rejects.toThrow(/do something by hand/);
  });
});

void ({} as OptionsSpec);
