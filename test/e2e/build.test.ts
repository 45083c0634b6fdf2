/**
 * build.mjs replaces dist/ only once a build is complete: a build killed
 * half-way (as Ctrl-C during an `npm install` that runs `prepare` did) leaves
 * the previous dist/ byte for byte, and the bins keep working. Run on a copy
 * of this checkout (its own dist/), never on the checkout the tests run from.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHKIT_NODE, REPO_ROOT, waitFor } from '../helpers/e2e.js';

const copy = mkdtempSync(path.join(tmpdir(), 'archkit-build-'));

/** Every file under dist/ with its content hash: what the bins run. */
function distDigest(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(copy, 'dist', rel)).sort()) {
      const child = path.join(rel, entry);
      if (statSync(path.join(copy, 'dist', child)).isDirectory()) walk(child);
      else out[child] = createHash('sha256').update(readFileSync(path.join(copy, 'dist', child))).digest('hex');
    }
  };
  walk('');
  return out;
}

const leftovers = () => readdirSync(copy).filter((e) => e.startsWith('.dist-'));

/** The bins of the copy still start and run a command that loads the CLI bundle. */
async function expectBinsWork(): Promise<void> {
  const version = await execa(ARCHKIT_NODE, [path.join(copy, 'bin', 'archkit.js'), '--version'], { reject: false });
  expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')).version);
  const rules = await execa(ARCHKIT_NODE, [path.join(copy, 'bin', 'arch.js'), 'rules'], { reject: false, env: { ARCHKIT_NO_CODE_CACHE: '1' } });
  expect(rules.exitCode, rules.stderr).toBe(0);
  expect(rules.stdout).toMatch(/^api-gateway /m);
}

const build = () => execa(ARCHKIT_NODE, ['build.mjs'], { cwd: copy, reject: false, detached: true });

beforeAll(async () => {
  for (const entry of ['package.json', 'build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'src', 'templates', 'bin']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  const first = await build();
  expect(first.exitCode, first.stderr).toBe(0);
});

afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

describe('build.mjs', () => {
  it('killed half-way (SIGKILL to the build and its tsc), leaves the previous dist/ untouched and the bins working', async () => {
    const before = distDigest();
    const running = build();
    // Half-way: while its tsc runs.
    await waitFor(async () => ((await execa('pgrep', ['-P', String(running.pid), '-f', 'tsc'], { reject: false })).exitCode === 0 ? true : undefined), 300_000, 'tsc running');
    process.kill(-running.pid!, 'SIGKILL');
    await running;
    expect(distDigest()).toEqual(before);
    expect(leftovers()).toEqual([`.dist-build-${running.pid}`]);
    await expectBinsWork();
  });

  it('interrupted (SIGINT, Ctrl-C) leaves the previous dist/ and removes its own folder', async () => {
    const before = distDigest();
    const running = build();
    await waitFor(async () => (existsSync(path.join(copy, `.dist-build-${running.pid}`)) ? true : undefined), 60_000, 'the build folder');
    process.kill(-running.pid!, 'SIGINT');
    const result = await running;
    expect(result.exitCode === 0 ? 'completed' : 'interrupted').toBe('interrupted');
    expect(distDigest()).toEqual(before);
    expect(existsSync(path.join(copy, `.dist-build-${running.pid}`))).toBe(false);
    await expectBinsWork();
  });

  it('a complete build replaces dist/ and removes what killed builds left', async () => {
    const result = await build();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(leftovers()).toEqual([]);
    await expectBinsWork();
  });
});
