/** How a workspace gets archkit: from a registry by version, otherwise a packed copy (cached per build). */
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { archkitSource, packArchkit } from '../../src/generate/self.js';
import { UsageError } from '../../src/errors.js';
import { tmpDir } from '../helpers/tmp.js';

/** A minimal built package named like archkit, with the layout npm packs (`files`). */
function fakeArchkit(): string {
  const root = tmpDir();
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'archkit', version: '9.8.7', files: ['bin', 'dist'], scripts: { prepare: 'exit 1' } }));
  mkdirSync(path.join(root, 'dist', 'bin'), { recursive: true });
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'dist', 'bin', 'main.cjs'), 'module.exports = 1;\n');
  writeFileSync(path.join(root, 'src', 'main.ts'), 'export {};\n');
  return root;
}

const entries = (tgz: Uint8Array) => gunzipSync(tgz).toString('latin1');

describe('packArchkit', () => {
  it('packs the build with npm (no prepare: it would fail here), reads it from the cache afterwards, and packs again after a rebuild', async () => {
    const root = fakeArchkit();
    const cache = tmpDir();
    const tgz = await packArchkit(root, cache);
    expect(entries(tgz)).toContain('package/dist/bin/main.cjs');
    expect(entries(tgz)).not.toContain('package/src/');
    const cached = readdirSync(cache);
    expect(cached).toEqual([expect.stringMatching(/^archkit-9\.8\.7-[0-9a-f]{16}\.tgz$/)]);
    // A second run reads the cached file (here replaced by a marker) instead of packing again.
    writeFileSync(path.join(cache, cached[0]!), 'cached bytes');
    expect(Buffer.from(await packArchkit(root, cache)).toString()).toBe('cached bytes');
    // A rebuild changes a packed file: packed again, under another key.
    writeFileSync(path.join(root, 'dist', 'bin', 'main.cjs'), 'module.exports = 2;\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, 'dist', 'bin', 'main.cjs'), later, later);
    expect(entries(await packArchkit(root, cache))).toContain('module.exports = 2;');
    expect(readdirSync(cache)).toHaveLength(2);
  });

  it('without a cache folder, packs into a temporary folder and leaves nothing behind', async () => {
    const root = fakeArchkit();
    const before = readdirSync(root).sort();
    expect(entries(await packArchkit(root, null))).toContain('package/package.json');
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('refuses an archkit that is not built, with the command that builds it', async () => {
    const root = fakeArchkit();
    const cache = tmpDir();
    rmSync(path.join(root, 'dist'), { recursive: true });
    const error = await packArchkit(root, cache).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/is not built \(no dist\/\)/);
    expect((error as UsageError).hint).toMatch(/npm run build/);
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe('archkitSource', () => {
  /** `<tmp>/node_modules/archkit`, with npm's hidden lockfile saying how it got there. */
  function installed(entry: Record<string, unknown> | undefined): string {
    const prefix = tmpDir();
    const root = path.join(prefix, 'node_modules', 'archkit');
    mkdirSync(root, { recursive: true });
    const packages = entry === undefined ? {} : { 'node_modules/archkit': entry };
    writeFileSync(path.join(prefix, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
    return root;
  }

  it.for([
    ['a checkout (no node_modules in its path)', () => tmpDir(), 'local'],
    ['installed from the registry', () => installed({ version: '0.1.0', resolved: 'https://registry.npmjs.org/archkit/-/archkit-0.1.0.tgz' }), 'registry'],
    ['installed from a tarball', () => installed({ version: '0.1.0', resolved: 'file:../archkit-0.1.0.tgz' }), 'local'],
    ['linked (npm link, npm install -g .)', () => installed({ resolved: '../../clone', link: true }), 'local'],
    ['installed where the lockfile does not list it', () => installed(undefined), 'local'],
  ] as const)('%s: %s', ([, rootFor, expected]) => {
    expect(archkitSource(rootFor())).toBe(expected);
  });

  it('a global install, for which npm keeps no lockfile: local (where it came from is unknown, a packed copy always installs)', () => {
    const root = path.join(tmpDir(), 'lib', 'node_modules', 'archkit');
    mkdirSync(root, { recursive: true });
    expect(archkitSource(root)).toBe('local');
  });
});
