import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { STAGING_PREFIX, flush, pendingWrites, recover } from '../../src/generate/flush.js';
import { Tree } from '../../src/generate/tree.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { deadPid } from '../helpers/processes.js';
import { tmpDir } from '../helpers/tmp.js';

/** A staging folder as a flush of process `pid` names it, with a committed journal of `moves` (or uncommitted). */
function staged(root: string, pid: number, files: Record<string, string>, moves: unknown[], committed = true): string {
  const staging = path.join(root, `${STAGING_PREFIX}${pid}-lx2k-0`);
  mkdirSync(staging);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(staging, p)), { recursive: true });
    writeFileSync(path.join(staging, p), c);
  }
  writeFileSync(path.join(staging, committed ? 'COMMIT' : 'journal.json'), JSON.stringify({ moves }));
  return staging;
}

function planFor(root: string, files: Record<string, string>, edits: Record<string, string> = {}) {
  const tree = new Tree(root);
  for (const [p, c] of Object.entries(files)) tree.write(p, c);
  for (const [p, c] of Object.entries(edits)) tree.write(p, c, { intent: 'edit' });
  return tree.plan();
}

describe('flush', () => {
  it('writes created and updated files and skips unchanged ones', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'compose.yaml'), 'old\n');
    writeFileSync(path.join(root, 'same.txt'), 'same');
    const plan = planFor(root, { 'services/orders/a.ts': 'a', 'services/orders/src/b.ts': 'b', 'same.txt': 'same' }, { 'compose.yaml': 'new\n' });
    flush(root, plan);
    expect(snapshotDir(root)).toEqual({
      'compose.yaml': 'new\n',
      'same.txt': 'same',
      'services/orders/a.ts': 'a',
      'services/orders/src/b.ts': 'b',
    });
  });

  it('leaves no staging folder behind', () => {
    const root = tmpDir();
    flush(root, planFor(root, { 'x/y.txt': '1' }));
    expect(readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('keeps the mode of updated files and sets the mode of new ones', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'run.sh'), 'old', { mode: 0o755 });
    const tree = new Tree(root);
    tree.write('run.sh', 'new', { intent: 'edit' });
    tree.write('bin/tool', '#!/bin/sh', { mode: 0o755 });
    flush(root, tree.plan());
    expect(statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(root, 'bin/tool')).mode & 0o111).not.toBe(0);
  });

  it('rolls back every move when a move fails midway (nothing half-written)', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'compose.yaml'), 'original\n');
    writeFileSync(path.join(root, '.env.example'), 'A=1\n');
    const before = snapshotDir(root);
    const plan = planFor(root, { 'services/orders/index.ts': 'x', 'services/orders/package.json': '{}' }, { 'compose.yaml': 'changed\n', '.env.example': 'A=1\nB=2\n' });
    expect(() =>
      flush(root, plan, {
        beforeMove: (_move, index) => {
          if (index === 2) throw new Error('injected failure');
        },
      }),
    ).toThrow('injected failure');
    expect(snapshotDir(root)).toEqual(before);
    expect(readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('writes binary files byte for byte, and restores a binary file it replaced when a later move fails', () => {
    const root = tmpDir();
    const original = Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0xc3]);
    writeFileSync(path.join(root, 'archive.tgz'), original);
    const tree = new Tree(root);
    const bytes = Uint8Array.from([0x1f, 0x8b, 0xff, 0x00, 0x80]);
    tree.writeBytes('archive.tgz', bytes);
    tree.writeBytes('new/archive.tgz', bytes);
    tree.write('z.txt', 'z');
    const plan = tree.plan();
    expect(() => flush(root, plan, { beforeMove: (move) => { if (move.to === 'z.txt') throw new Error('injected failure'); } })).toThrow('injected failure');
    expect(readFileSync(path.join(root, 'archive.tgz'))).toEqual(Buffer.from(original));
    flush(root, plan);
    expect(readFileSync(path.join(root, 'archive.tgz'))).toEqual(Buffer.from(bytes));
    expect(readFileSync(path.join(root, 'new/archive.tgz'))).toEqual(Buffer.from(bytes));
  });

  it('moves a new directory with one rename, so it appears complete or not at all', () => {
    const root = tmpDir();
    mkdirSync(path.join(root, 'services'));
    const moves: string[] = [];
    flush(root, planFor(root, { 'services/orders/a': '1', 'services/orders/deep/b': '2', 'services/orders/c': '3' }), {
      beforeMove: (move) => void moves.push(move.to),
    });
    expect(moves).toEqual(['services/orders']);
  });

  it('recover() rolls forward a committed journal left by a killed run', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'compose.yaml'), 'original\n');
    // What a run killed after its first move leaves: the new folder moved, compose not yet.
    mkdirSync(path.join(root, 'services', 'orders'), { recursive: true });
    writeFileSync(path.join(root, 'services', 'orders', 'index.ts'), 'x');
    staged(root, deadPid(), { 'f/1': 'changed\n' }, [{ from: 'd/services', to: 'services' }, { from: 'f/1', to: 'compose.yaml' }]);
    expect(recover(root)).toBe(1);
    expect(readFileSync(path.join(root, 'compose.yaml'), 'utf8')).toBe('changed\n');
    expect(readFileSync(path.join(root, 'services/orders/index.ts'), 'utf8')).toBe('x');
    expect(readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('recover() deletes an uncommitted staging folder (roll back)', () => {
    const root = tmpDir();
    staged(root, deadPid(), { 'd/services/orders/x': '' }, [{ from: 'd/services', to: 'services' }], false);
    expect(recover(root)).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });

  it('recover() leaves alone the staging folder of a process that still runs (a write in progress)', () => {
    const root = tmpDir();
    // The parent of this test process runs for as long as the test does.
    const live = staged(root, process.ppid, { 'd/services/orders/x': '' }, [{ from: 'd/services/orders', to: 'services/orders' }], false);
    const dead = staged(root, deadPid(), {}, []);
    expect(pendingWrites(root).map((w) => [w.dir, w.alive, w.committed])).toEqual(
      [[dead, false, true], [live, true, false]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(recover(root)).toBe(1);
    expect(readdirSync(root)).toEqual([path.basename(live)]);
    expect(readFileSync(path.join(live, 'd/services/orders/x'), 'utf8')).toBe('');
  });

  it('a staging folder is named after its process, so another process can tell whether it still runs', () => {
    const root = tmpDir();
    const names: string[] = [];
    flush(root, planFor(root, { 'a.txt': '1' }), { beforeMove: () => void names.push(...readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))) });
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^\\${STAGING_PREFIX}${process.pid}[.-]`));
  });

  it.for([
    ['a target outside the root', { from: 'f/1', to: '../outside.txt' }],
    ['an absolute target', { from: 'f/1', to: '/tmp/outside.txt' }],
    ['a source outside the staging folder', { from: 'f/../../x', to: 'x' }],
    ['a source that is not staged content', { from: 'COMMIT', to: 'x' }],
  ])('recover() refuses a journal with %s and moves nothing', ([, move]) => {
    const parent = tmpDir();
    const root = path.join(parent, 'root');
    mkdirSync(root);
    writeFileSync(path.join(root, 'keep.txt'), 'k');
    const staging = staged(root, deadPid(), { 'f/1': 'evil', 'f/2': 'fine' }, [{ from: 'f/2', to: 'fine.txt' }, move]);
    expect(() => recover(root)).toThrow(UsageError);
    expect(() => recover(root)).toThrow(/^cannot finish the interrupted write in .*: /);
    expect(readdirSync(root).sort()).toEqual([path.basename(staging), 'keep.txt']);
    expect(readdirSync(parent)).toEqual(['root']);
  });

  it('recover() refuses a journal whose target now leads through a symbolic link', () => {
    const root = tmpDir();
    const outside = tmpDir();
    symlinkSync(outside, path.join(root, 'services'));
    staged(root, deadPid(), { 'd/services/orders/x': '1' }, [{ from: 'd/services/orders', to: 'services/orders' }]);
    expect(() => recover(root)).toThrow(/services\/orders now leads through a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses, before writing anything, a plan that reaches outside the root through a symbolic link', () => {
    const root = tmpDir();
    const outside = tmpDir();
    symlinkSync(outside, path.join(root, 'services'));
    writeFileSync(path.join(root, 'compose.yaml'), 'old\n');
    const plan = planFor(root, {}, { 'compose.yaml': 'new\n' });
    plan.push({ path: 'services/orders/package.json', kind: 'create', content: '{}' });
    expect(() => flush(root, plan)).toThrow(UsageError);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(path.join(root, 'compose.yaml'), 'utf8')).toBe('old\n');
    expect(readdirSync(root).sort()).toEqual(['compose.yaml', 'services']);
  });

  it('updates a symbolically linked file inside the root where it lives: the link stays a link', () => {
    const root = tmpDir();
    mkdirSync(path.join(root, 'deploy'));
    writeFileSync(path.join(root, 'deploy/compose.yaml'), 'old\n', { mode: 0o640 });
    symlinkSync('deploy/compose.yaml', path.join(root, 'compose.yaml'));
    flush(root, planFor(root, {}, { 'compose.yaml': 'new\n' }));
    expect(lstatSync(path.join(root, 'compose.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, 'compose.yaml'))).toBe('deploy/compose.yaml');
    expect(readFileSync(path.join(root, 'deploy/compose.yaml'), 'utf8')).toBe('new\n');
    expect(statSync(path.join(root, 'deploy/compose.yaml')).mode & 0o777).toBe(0o640);
  });

  it('writes a new folder through a folder link that stays inside the root', () => {
    const root = tmpDir();
    mkdirSync(path.join(root, 'packages'));
    symlinkSync('packages', path.join(root, 'services'));
    flush(root, planFor(root, { 'services/orders/a.ts': 'a' }));
    expect(lstatSync(path.join(root, 'services')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'packages/orders/a.ts'), 'utf8')).toBe('a');
  });

  it('writes nothing for a plan without changes', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'a'), 'same');
    flush(root, planFor(root, { a: 'same' }));
    expect(readdirSync(root)).toEqual(['a']);
  });
});
