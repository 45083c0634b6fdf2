/**
 * Every archkit command finishes an interrupted write before it reads the workspace: `arch check` and
 * `arch graph` as the generators do (a kill -9 after the commit of a write must not leave them reading half of it).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGING_PREFIX } from '../../src/generate/flush.js';
import { acquireLock } from '../../src/generate/lock.js';
import { finishInterruptedWrites } from '../../src/generate/settle.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { deadPid } from '../helpers/processes.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

/**
 * A workspace with `orders`, where `create-service payments` was killed just after committing its journal:
 * every file staged, nothing moved yet. Returns it with the state an uninterrupted run leaves.
 */
async function killedAfterCommit(): Promise<{ cwd: string; after: Record<string, string> }> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  await generate('service', { name: 'orders' }, { cwd });
  const { plan } = await generate('service', { name: 'payments', port: 3001 }, { cwd, dryRun: true });
  const staging = path.join(cwd, `${STAGING_PREFIX}${deadPid()}-lx2k-0`);
  const moves = [{ from: 'd/services/payments', to: 'services/payments' }];
  const after = snapshotDir(cwd);
  plan.forEach((file, index) => {
    if (file.kind === 'unchanged') return;
    after[file.path] = file.content;
    const from = file.path.startsWith('services/payments/') ? `d/${file.path}` : `f/${index}`;
    if (from.startsWith('f/')) moves.push({ from, to: file.path });
    mkdirSync(path.dirname(path.join(staging, from)), { recursive: true });
    writeFileSync(path.join(staging, from), file.content);
  });
  writeFileSync(path.join(staging, 'COMMIT'), JSON.stringify({ moves }));
  return { cwd, after };
}

const staging = (cwd: string) => readdirSync(cwd).filter((e) => e.startsWith(STAGING_PREFIX));

describe('an interrupted write is finished first', () => {
  it('by arch graph, which then draws the finished workspace', async () => {
    const { cwd, after } = await killedAfterCommit();
    const run = await runCli(['graph', '--format', 'json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('Completed an interrupted earlier write.\n');
    const graph = JSON.parse(run.stdout) as { nodes: Array<{ id: string }> };
    expect(graph.nodes.map((n) => n.id)).toContain('service:payments');
    expect(staging(cwd)).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('by arch check, whose report stays clean on standard output', async () => {
    const { cwd, after } = await killedAfterCommit();
    const run = await runCli(['check', '--format', 'json'], { cwd });
    expect(run.stderr).toBe('Completed an interrupted earlier write.\n');
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout).toMatch(/services\/payments/);
    expect(staging(cwd)).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('by a generator\'s dry run only in words: it stops (exit 2) and writes nothing', async () => {
    const { cwd } = await killedAfterCommit();
    const before = snapshotDir(cwd);
    const run = await runCli(['create-service', 'inventory', '--dry-run', '--yes'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`error an interrupted archkit write in ${cwd} is unfinished`);
    expect(snapshotDir(cwd)).toEqual(before);
    expect(staging(cwd)).toHaveLength(1);
  });

  it('a journal that points outside stops arch check with one line (exit 2), nothing moved', async () => {
    const parent = tmpDir();
    const cwd = path.join(parent, 'repo');
    const dir = path.join(cwd, `${STAGING_PREFIX}${deadPid()}-lx2k-0`);
    mkdirSync(path.join(dir, 'f'), { recursive: true });
    writeFileSync(path.join(dir, 'f/0'), 'x');
    writeFileSync(path.join(dir, 'COMMIT'), JSON.stringify({ moves: [{ from: 'f/0', to: '../escaped.txt' }] }));
    const run = await runCli(['check'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/^error cannot finish the interrupted write in .*: a move is not a plain relative path/);
    expect(readdirSync(parent)).toEqual(['repo']);
  });

  it('nothing to finish: it neither waits for nor takes the lock (a read-only checkout works)', async () => {
    const cwd = tmpDir();
    writeFileSync(path.join(cwd, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
    const writer = await acquireLock(cwd, { command: 'add-saga', log: { info: () => {} } });
    const lines: string[] = [];
    await finishInterruptedWrites(cwd, { command: 'check', write: true, timeoutMs: 100, log: { info: (line) => void lines.push(line) } });
    expect(lines).toEqual([]);
    writer.release();
    expect(readdirSync(cwd)).toEqual(['compose.yaml']);
  });
});
