import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGING_PREFIX, flush, recover } from '../../src/generate/flush.js';
import { Tree } from '../../src/generate/tree.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { tmpDir } from '../helpers/tmp.js';

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
    const staging = path.join(root, `${STAGING_PREFIX}999-dead`);
    mkdirSync(path.join(staging, 'f'), { recursive: true });
    writeFileSync(path.join(staging, 'f', '1'), 'changed\n');
    writeFileSync(
      path.join(staging, 'COMMIT'),
      JSON.stringify({ moves: [{ from: 'd/services', to: 'services' }, { from: 'f/1', to: 'compose.yaml' }] }),
    );
    expect(recover(root)).toBe(1);
    expect(readFileSync(path.join(root, 'compose.yaml'), 'utf8')).toBe('changed\n');
    expect(readFileSync(path.join(root, 'services/orders/index.ts'), 'utf8')).toBe('x');
    expect(readdirSync(root).filter((e) => e.startsWith(STAGING_PREFIX))).toEqual([]);
  });

  it('recover() deletes an uncommitted staging folder (roll back)', () => {
    const root = tmpDir();
    const staging = path.join(root, `${STAGING_PREFIX}123-abc`);
    mkdirSync(path.join(staging, 'd', 'services', 'orders'), { recursive: true });
    writeFileSync(path.join(staging, 'd', 'services', 'orders', 'x'), '');
    writeFileSync(path.join(staging, 'journal.json'), JSON.stringify({ moves: [{ from: 'd/services', to: 'services' }] }));
    expect(recover(root)).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });

  it('writes nothing for a plan without changes', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'a'), 'same');
    flush(root, planFor(root, { a: 'same' }));
    expect(readdirSync(root)).toEqual(['a']);
  });
});
