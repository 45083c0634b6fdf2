import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, ManualStepsError, TaskError, UsageError } from '../../src/errors.js';
import { defineGenerator } from '../../src/generate/define-generator.js';
import { STAGING_PREFIX } from '../../src/generate/flush.js';
import { LOCK_NAME, acquireLock } from '../../src/generate/lock.js';
import { silentLogger } from '../../src/generate/logger.js';
import { generators } from '../../src/generators/index.js';
import { option, type OptionsSpec } from '../../src/generate/options.js';
import { runGenerator, type RunEnv } from '../../src/generate/run.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate, recordingLogger } from '../helpers/generate.js';
import { deadPid } from '../helpers/processes.js';
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

describe('runGenerator beside other archkit commands', () => {
  function ready(): string {
    const root = repo();
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/main.ts'), 'export function main() {}\n');
    return root;
  }

  it('waits for the workspace lock held by another command, then writes; says once that it waits', async () => {
    const root = ready();
    const other = await acquireLock(root, { command: 'add-saga', log: silentLogger });
    const log = recordingLogger();
    const run = runGenerator(notes, {}, env(root, { log }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(path.join(root, 'notes/a.txt'))).toBe(false);
    other.release();
    await run;
    expect(readFileSync(path.join(root, 'notes/a.txt'), 'utf8')).toBe('hello\n');
    expect(log.infos).toEqual([`Waiting for another archkit command (add-saga, pid ${process.pid}) to finish writing to this workspace…`]);
    expect(readdirSync(root).filter((e) => e.startsWith(LOCK_NAME))).toEqual([]);
  });

  it('gives up after the bound with one line (exit 2) and writes nothing', async () => {
    const root = ready();
    const other = await acquireLock(root, { command: 'add-saga', log: silentLogger });
    const before = snapshotDir(root);
    const error = await runGenerator(notes, {}, env(root, { lockTimeoutMs: 200 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^another archkit command \(add-saga, pid \d+\) is still writing to .* after 0\.2 s$/);
    expect(snapshotDir(root)).toEqual(before);
    other.release();
  });

  it('holds the lock from before the scan until the files are written, and not during tasks', async () => {
    const root = ready();
    const seen: boolean[] = [];
    const lockHeld = () => existsSync(path.join(root, LOCK_NAME));
    const e = env(root, { exec: async () => void seen.push(lockHeld()), flushHooks: { beforeMove: () => void seen.push(lockHeld()) } });
    await runGenerator(notes, {}, e);
    expect(seen).toEqual([true, true, true, false]);
  });

  it('asks its questions before taking the lock, then checks the answers against the workspace as it is once it holds it', async () => {
    const cwd = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
    const service = await generators.find((g) => g.id === 'service')!.load();
    const ask = async (question: { name: string; initial?: unknown }) => {
      // Meanwhile another command creates the same service (it would wait for a lock held here).
      if (question.name === 'name') {
        expect(existsSync(path.join(cwd, LOCK_NAME))).toBe(false);
        await generate('service', { name: 'orders' }, { cwd });
        return 'orders';
      }
      return question.initial ?? '';
    };
    const error = await runGenerator(service, {}, env(cwd, { interactive: true, ask: ask as never, lockTimeoutMs: 2000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^service "orders" already exists/);
  });

  it('finishes an interrupted write before it reads the workspace; a dry run says so and stops', async () => {
    const root = ready();
    const staging = path.join(root, `${STAGING_PREFIX}${deadPid()}-lx2k-0`);
    mkdirSync(path.join(staging, 'f'), { recursive: true });
    writeFileSync(path.join(staging, 'f/0'), '{\n  "name": "x",\n  "fromJournal": true\n}\n');
    writeFileSync(path.join(staging, 'COMMIT'), JSON.stringify({ moves: [{ from: 'f/0', to: 'package.json' }] }));
    const before = snapshotDir(root);
    const dry = await runGenerator(notes, {}, env(root, { dryRun: true })).catch((e: unknown) => e);
    expect(dry).toBeInstanceOf(UsageError);
    expect((dry as UsageError).message).toBe(`an interrupted archkit write in ${root} is unfinished`);
    expect(snapshotDir(root)).toEqual(before);
    const log = recordingLogger();
    await runGenerator(notes, {}, env(root, { log }));
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))).toEqual({ name: 'x', fromJournal: true, notes: true });
    expect(log.infos).toContain('Completed an interrupted earlier write.');
    expect(readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('create-service refuses, before writing anything, a services folder linked outside the workspace (dry run too)', async () => {
    const cwd = tmpDir();
    const outside = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
    symlinkSync(outside, path.join(cwd, 'services'));
    const before = snapshotDir(cwd);
    for (const dryRun of [true, false]) {
      const error = await generate('service', { name: 'orders' }, { cwd, dryRun }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toMatch(/^refusing to write services\/orders\/[^ ]+: the symbolic link services leads to /);
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('create-service updates a compose.yaml that links inside the workspace where it lives: the link stays', async () => {
    const cwd = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
    mkdirSync(path.join(cwd, 'deploy'));
    writeFileSync(path.join(cwd, 'deploy/compose.yaml'), readFileSync(path.join(cwd, 'compose.yaml')));
    const { rmSync } = await import('node:fs');
    rmSync(path.join(cwd, 'compose.yaml'));
    symlinkSync('deploy/compose.yaml', path.join(cwd, 'compose.yaml'));
    await generate('service', { name: 'orders' }, { cwd });
    expect(lstatSync(path.join(cwd, 'compose.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(cwd, 'deploy/compose.yaml'), 'utf8')).toMatch(/^  orders:$/m);
  });
});

void ({} as OptionsSpec);
