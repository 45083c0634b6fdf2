/**
 * The npm tarball holds what the bins need at run time: the bundle, templates (with their `_dotfiles`), precompiled
 * templates. Installed globally from it, `archkit init` makes a workspace anywhere, which installs archkit from a
 * packed copy of its own and never touches the clone.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, node22Env, npm } from '../helpers/e2e.js';
import { cloneDist, installGlobally } from '../helpers/global-install.js';

const work = mkdtempSync(path.join(tmpdir(), 'archkit-pack-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships bins, the bundle, every template and the _dotfiles, and no tests', async () => {
    const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path);
    for (const required of [
      'bin/arch.js',
      'bin/archkit.js',
      'bin/create-service.js',
      'dist/bin/main.cjs',
      'dist/bin/launch.cjs',
      'dist/bin/source-worker.js',
      'dist/bin/extract-worker.js',
      'dist/index.js',
      'dist/templates.precompiled/service.cjs',
      'dist/templates.precompiled/compose.cjs',
      'templates/workspace/common/_gitignore',
      'templates/workspace/common/_github/workflows/architecture.yml',
      'templates/service/common/_gitignore',
      'templates/service/common/_dockerignore',
      'templates/compose/service.yaml.hbs',
      'schema/arch.config.schema.json',
      'README.md',
      'package.json',
    ]) {
      expect(files, required).toContain(required);
    }
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('bench/'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)\.gitignore$/.test(f))).toEqual([]);
  });
});

describe('a global install from the tarball', () => {
  it('archkit init at an absolute path outside the clone makes a workspace that installs archkit from its own packed copy', async () => {
    const before = cloneDist();
    const { prefix } = await installGlobally(work);
    const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' };

    // Absolute, with a parent that does not exist yet, run from a folder that is neither the clone nor the target.
    const ws = path.join(work, 'elsewhere', 'shop');
    const init = await execa('archkit', ['init', ws, '--yes', '--no-install', '--no-git'], { cwd: work, env, reject: false });
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toMatch(/^  cd elsewhere\/shop$/m);
    const pkg = JSON.parse(readFileSync(path.join(ws, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    // Installed from a tarball, not from a registry: the workspace gets a packed copy (a registry has no such version).
    expect(pkg.devDependencies.archkit).toBe(`file:tools/archkit-${version}.tgz`);
    expect(existsSync(path.join(ws, 'tools', `archkit-${version}.tgz`))).toBe(true);

    const wsInstall = await npm(ws, ['install', '--no-audit', '--no-fund', '--loglevel=error']);
    expect(wsInstall.exitCode, wsInstall.stderr).toBe(0);
    // The workspace's own archkit: a copy in its node_modules (no link to the clone or the global install).
    const installed = path.join(ws, 'node_modules', 'archkit');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(installed, 'dist', 'bin', 'main.cjs'))).toBe(true);
    const local = await execa('npx', ['arch', '--version'], { cwd: ws, env: node22Env(), extendEnv: false, reject: false });
    expect(local.stdout.trim()).toBe(version);
    const service = await execa('npx', ['create-service', 'orders', '--yes', '--no-install'], { cwd: ws, env: node22Env(), extendEnv: false, reject: false });
    expect(service.exitCode, service.stderr).toBe(0);
    expect(existsSync(path.join(ws, 'services', 'orders', 'src', 'main.ts'))).toBe(true);

    // The clone's build was never rebuilt or touched (no `prepare` ran for the workspace).
    expect(cloneDist()).toEqual(before);
  });
});
