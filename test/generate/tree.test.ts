import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Tree, realTarget } from '../../src/generate/tree.js';
import { tmpDir } from '../helpers/tmp.js';

describe('Tree', () => {
  it('plans create, unchanged, update (edit) and conflict (generate)', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'same.txt'), 'a');
    writeFileSync(path.join(root, 'edited.txt'), 'old');
    writeFileSync(path.join(root, 'user.txt'), 'mine');
    const tree = new Tree(root);
    tree.write('new/file.txt', 'x');
    tree.write('same.txt', 'a');
    tree.write('edited.txt', 'new', { intent: 'edit' });
    tree.write('user.txt', 'theirs');
    expect(tree.plan().map((f) => [f.path, f.kind])).toEqual([
      ['edited.txt', 'update'],
      ['new/file.txt', 'create'],
      ['same.txt', 'unchanged'],
      ['user.txt', 'conflict'],
    ]);
  });

  it('reads staged content before disk, and disk otherwise', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'a.txt'), 'disk');
    const tree = new Tree(root);
    expect(tree.read('a.txt')).toBe('disk');
    tree.write('a.txt', 'staged', { intent: 'edit' });
    expect(tree.read('a.txt')).toBe('staged');
    expect(tree.read('missing.txt')).toBeUndefined();
    expect(tree.exists('a.txt')).toBe(true);
  });

  it('keeps a file generated in this run a generated file when it is edited later in the run', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'f.txt'), 'user content');
    const tree = new Tree(root);
    tree.write('f.txt', 'generated');
    tree.write('f.txt', 'generated + edit', { intent: 'edit' });
    expect(tree.plan()[0]!.kind).toBe('conflict');
  });

  it.for(['../escape.txt', '/etc/passwd', 'a/../../b', '..', '', 'C:\\x'])('refuses the path %j', (p) => {
    const tree = new Tree(tmpDir());
    expect(() => tree.write(p, 'x')).toThrow(/invalid path/);
  });

  it('normalises separators and inner dots', () => {
    const tree = new Tree(tmpDir());
    tree.write('a\\b/./c.txt', 'x');
    expect(tree.plan()[0]!.path).toBe('a/b/c.txt');
  });

  it('lists a directory on disk', () => {
    const root = tmpDir();
    mkdirSync(path.join(root, 'd'));
    writeFileSync(path.join(root, 'd', 'x'), '');
    const tree = new Tree(root);
    expect(tree.listDisk('d')).toEqual(['x']);
    expect(tree.listDisk('nope')).toEqual([]);
  });

  it('stages binary files byte for byte: create, unchanged when the bytes match, conflict when they differ', () => {
    const root = tmpDir();
    const bytes = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x00]);
    writeFileSync(path.join(root, 'same.tgz'), bytes);
    // Not valid UTF-8: read as text, these bytes would compare equal to other invalid sequences.
    writeFileSync(path.join(root, 'other.tgz'), Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfd, 0x80, 0x00]));
    const tree = new Tree(root);
    for (const file of ['new.tgz', 'same.tgz', 'other.tgz']) tree.writeBytes(file, bytes);
    expect(tree.plan().map((f) => [f.path, f.kind, f.bytes])).toEqual([
      ['new.tgz', 'create', bytes],
      ['other.tgz', 'conflict', bytes],
      ['same.tgz', 'unchanged', bytes],
    ]);
    expect(tree.exists('new.tgz')).toBe(true);
    expect(() => tree.read('new.tgz')).toThrow(/binary/);
  });

  describe('symbolic links', () => {
    /** A root with a folder outside it, and links of every kind. */
    function linked() {
      const base = tmpDir();
      const root = path.join(base, 'repo');
      const outside = path.join(base, 'elsewhere');
      mkdirSync(path.join(root, 'deploy'), { recursive: true });
      mkdirSync(outside);
      writeFileSync(path.join(root, 'deploy/compose.yaml'), 'x');
      symlinkSync('deploy/compose.yaml', path.join(root, 'compose.yaml'));
      symlinkSync(path.join(root, 'deploy'), path.join(root, 'absolute-inside'));
      symlinkSync('../elsewhere', path.join(root, 'services'));
      symlinkSync(outside, path.join(root, 'absolute-outside'));
      symlinkSync('../absolute-inside/../services', path.join(root, 'deploy/back-out'));
      symlinkSync('loop-b', path.join(root, 'loop-a'));
      symlinkSync('loop-a', path.join(root, 'loop-b'));
      symlinkSync('missing.yaml', path.join(root, 'dangling.yaml'));
      return { root, outside };
    }

    it.for([
      ['plain.txt', 'plain.txt'],
      ['compose.yaml', 'deploy/compose.yaml'],
      ['absolute-inside/new/file.txt', 'deploy/new/file.txt'],
      ['dangling.yaml', 'missing.yaml'],
    ])('%s is written at %s', ([rel, real]) => {
      expect(realTarget(linked().root, rel!)).toBe(real);
    });

    it.for(['services/orders/package.json', 'absolute-outside/x', 'deploy/back-out/x'])('refuses %s: it leaves the root through a link', (rel) => {
      const { root, outside } = linked();
      expect(() => realTarget(root, rel)).toThrow(UsageError);
      expect(() => realTarget(root, rel)).toThrow(new RegExp(`^refusing to write ${rel}: the symbolic link [^ ]+ leads to ${outside}`));
    });

    it('refuses a loop of links', () => {
      expect(() => realTarget(linked().root, 'loop-a/x')).toThrow(/too many levels of symbolic links/);
    });

    it('the plan refuses a write through a link out of the root (so does a dry run), and two paths of one file', () => {
      const { root } = linked();
      const out = new Tree(root);
      out.write('services/orders/package.json', '{}');
      expect(() => out.plan()).toThrow(/^refusing to write services\/orders\/package\.json/);
      const twice = new Tree(root);
      twice.write('compose.yaml', 'a', { intent: 'edit' });
      twice.write('deploy/compose.yaml', 'b', { intent: 'edit' });
      expect(() => twice.plan()).toThrow('cannot write both compose.yaml and deploy/compose.yaml: they are the same file on disk (deploy/compose.yaml)');
      const unchanged = new Tree(root);
      unchanged.write('compose.yaml', 'x');
      expect(unchanged.plan().map((f) => f.kind)).toEqual(['unchanged']);
    });
  });
});
