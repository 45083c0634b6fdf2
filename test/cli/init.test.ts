import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { recordingExec, runCli, scriptedAsk } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';
import { HOSTILE } from '../helpers/hostile.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** Where `arch init` puts the packed copy of this (checked-out) archkit. */
const TARBALL = `tools/archkit-${version}.tgz`;

describe('arch init', () => {
  it('creates a workspace and prints the plan', async () => {
    const cwd = tmpDir();
    const run = await runCli(['init', 'shop', '--yes', '--no-git', '--no-install'], { cwd });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const files = Object.keys(snapshotDir(path.join(cwd, 'shop')));
    expect(files).toEqual([
      '.env.example',
      '.github/workflows/architecture.yml',
      '.gitignore',
      'README.md',
      'arch.config.json',
      'compose.yaml',
      'otel-collector.yaml',
      'package.json',
      TARBALL,
    ]);
    expect(run.stdout).toMatch(/create\s+shop\/package\.json/);
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'shop/package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'shop', private: true, workspaces: ['services/*'] });
    const compose = parse(readFileSync(path.join(cwd, 'shop/compose.yaml'), 'utf8')) as Record<string, unknown>;
    expect(compose).not.toHaveProperty('version');
    expect(Object.keys(compose.services as object)).toEqual(['jaeger', 'otel-collector']);
  });

  it('--dry-run writes nothing and runs no task', async () => {
    const cwd = tmpDir();
    const run = await runCli(['init', 'shop', '--yes', '--dry-run'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Dry run: 9 to create/);
    expect(run.stdout).toContain(`create     shop/${TARBALL}`);
    expect(snapshotDir(cwd)).toEqual({});
    expect(existsSync(path.join(cwd, 'shop'))).toBe(false);
  });

  it('refuses a non-empty directory with exit 2 and writes nothing', async () => {
    const cwd = tmpDir();
    mkdirSync(path.join(cwd, 'shop'));
    writeFileSync(path.join(cwd, 'shop', 'notes.txt'), 'mine');
    const run = await runCli(['init', 'shop', '--yes'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error shop is not empty \(notes\.txt\)$/m);
    expect(snapshotDir(cwd)).toEqual({ 'shop/notes.txt': 'mine' });
  });

  it('treats a folder holding only .git as empty', async () => {
    const cwd = tmpDir();
    mkdirSync(path.join(cwd, '.git'));
    const run = await runCli(['init', '.', '--yes', '--no-git', '--no-install'], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')).name).toBe(path.basename(cwd).toLowerCase());
  });

  it('--force adds the workspace to a non-empty directory and keeps other files', async () => {
    const cwd = tmpDir();
    writeFileSync(path.join(cwd, 'notes.txt'), 'mine');
    const run = await runCli(['init', '.', '--name', 'shop', '--yes', '--force', '--no-git', '--no-install'], { cwd });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(cwd, 'compose.yaml'))).toBe(true);
  });

  it('a second identical run (with --force for the non-empty folder) changes nothing', async () => {
    const cwd = tmpDir();
    await runCli(['init', 'shop', '--yes', '--no-git', '--no-install'], { cwd });
    const before = snapshotDir(cwd);
    const run = await runCli(['init', 'shop', '--yes', '--no-git', '--no-install', '--force'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 to create, 0 to update, 9 unchanged/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for([
    [['init', 'shop', '--name', '', '--yes'], /workspace name is required/],
    [['init', 'shop', '--name', 'a..b', '--yes'], /workspace name "a\.\.b" must not contain "\.\."/],
    [['init', 'shop', '--name', 'Bad Name', '--yes'], /must be a valid npm package name/],
    [['init', 'shop', '--bogus'], /unknown option '--bogus'/],
  ] as const)('bad input %j: one line, exit 2, nothing written', async ([argv, message]) => {
    const cwd = tmpDir();
    const run = await runCli([...argv], { cwd });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning '));
    expect(lines[0]).toMatch(/^error /);
    expect(lines[0]).toMatch(message);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotDir(cwd)).toEqual({});
  });

  it('without a TTY a missing required value is exit 2, never a prompt', async () => {
    const cwd = tmpDir();
    const ask = scriptedAsk({});
    const run = await runCli(['init'], { cwd, ask });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error missing required argument <dir> \(directory to create the workspace in/);
    expect(ask.asked).toEqual([]);
  });

  it('on a TTY, asks for what is missing', async () => {
    const cwd = tmpDir();
    const ask = scriptedAsk({ dir: 'shop', name: 'shop', description: 'A shop' });
    const run = await runCli(['init', '--no-git', '--no-install'], { cwd, ask, tty: true });
    expect(run.code).toBe(0);
    expect(ask.asked).toEqual(['dir', 'name', 'description']);
    expect(JSON.parse(readFileSync(path.join(cwd, 'shop/package.json'), 'utf8')).description).toBe('A shop');
  });

  it('a cancelled prompt exits 130 and writes nothing', async () => {
    const cwd = tmpDir();
    const { CancelledError } = await import('../../src/errors.js');
    const run = await runCli(['init'], { cwd, tty: true, ask: async () => { throw new CancelledError(); } });
    expect(run.code).toBe(130);
    expect(snapshotDir(cwd)).toEqual({});
  });
});

describe('arch init in any directory', () => {
  it.for([
    ['a relative path that climbs out of the current directory', (outer: string) => path.join('..', 'elsewhere', 'shop'), (outer: string) => path.join(outer, 'elsewhere', 'shop')],
    ['an absolute path', (outer: string) => path.join(outer, 'abs', 'shop'), (outer: string) => path.join(outer, 'abs', 'shop')],
  ] as const)('takes %s, creating missing parents, and says where to cd', async ([, dirFor, expected]) => {
    const outer = tmpDir();
    const cwd = path.join(outer, 'here');
    mkdirSync(cwd);
    const run = await runCli(['init', dirFor(outer), '--yes', '--no-git', '--no-install'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const ws = expected(outer);
    expect(JSON.parse(readFileSync(path.join(ws, 'package.json'), 'utf8'))).toMatchObject({ name: 'shop', devDependencies: { archkit: `file:${TARBALL}` } });
    expect(existsSync(path.join(ws, TARBALL))).toBe(true);
    expect(snapshotDir(cwd)).toEqual({});
    // Outside the directory the user is in: the path to cd to is absolute.
    expect(run.stdout).toContain(`\nNext steps\n  cd ${ws}\n  npm install\n  npx create-service orders\n`);
  });

  it('--cwd: the directory is relative to it, and next steps name it from where the user is', async () => {
    const outer = tmpDir();
    mkdirSync(path.join(outer, 'here', 'deeper'), { recursive: true });
    const run = await runCli(['init', 'shop', '--cwd', 'deeper', '--yes', '--no-git', '--no-install'], { cwd: path.join(outer, 'here') });
    expect(run.code).toBe(0);
    expect(existsSync(path.join(outer, 'here', 'deeper', 'shop', 'compose.yaml'))).toBe(true);
    expect(run.stdout).toMatch(/^  cd deeper\/shop$/m);
    const outside = await runCli(['init', 'shop', '--cwd', path.join('..', 'there'), '--yes', '--no-git', '--no-install'], { cwd: path.join(outer, 'here', 'deeper') });
    expect(outside.stderr).toMatch(/does not exist/);
    mkdirSync(path.join(outer, 'there'));
    const again = await runCli(['init', 'shop', '--cwd', path.join('..', '..', 'there'), '--yes', '--no-git', '--no-install'], { cwd: path.join(outer, 'here', 'deeper') });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^  cd ${path.join(outer, 'there', 'shop').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it('in the current directory: no cd; with installs: no npm install step', async () => {
    const cwd = tmpDir();
    const exec = recordingExec();
    const run = await runCli(['init', '.', '--name', 'shop', '--yes', '--no-git'], { cwd, exec });
    expect(run.code).toBe(0);
    expect(exec.calls).toEqual([`npm install --no-audit --no-fund @ ${cwd}`]);
    expect(run.stdout).toMatch(/\nNext steps\n  npx create-service orders\n$/);
  });

  it('refuses a path that is a file: one line, exit 2, nothing written', async () => {
    const cwd = tmpDir();
    writeFileSync(path.join(cwd, 'shop'), 'a file');
    const run = await runCli(['init', 'shop', '--yes'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error shop is a file, not a directory\n');
    expect(snapshotDir(cwd)).toEqual({ shop: 'a file' });
  });
});

describe('arch init: the workspace gets a packed copy of archkit', () => {
  it('writes tools/archkit-<version>.tgz through the plan: an npm tarball of this archkit, with its build', async () => {
    const cwd = tmpDir();
    const run = await runCli(['init', 'shop', '--yes', '--no-git', '--no-install'], { cwd });
    expect(run.code).toBe(0);
    const tgz = readFileSync(path.join(cwd, 'shop', TARBALL));
    const tar = gunzipSync(tgz).toString('latin1');
    for (const file of ['package/package.json', 'package/bin/archkit.js', 'package/dist/bin/main.cjs', 'package/templates/workspace/common/_gitignore']) expect(tar).toContain(file);
    expect(tar).not.toContain('package/src/');
    // A file: tarball dependency: npm runs none of archkit's scripts (prepare) when the workspace installs.
    expect(JSON.parse(readFileSync(path.join(cwd, 'shop', 'package.json'), 'utf8')).devDependencies).toEqual({ archkit: `file:${TARBALL}` });
  });

  it('a re-run with --force leaves the same tarball unchanged; different bytes there are a conflict', async () => {
    const cwd = tmpDir();
    await runCli(['init', 'shop', '--yes', '--no-git', '--no-install'], { cwd });
    writeFileSync(path.join(cwd, 'shop', TARBALL), 'not the tarball');
    const run = await runCli(['init', '.', '--yes', '--no-git', '--no-install', '--force', '--dry-run'], { cwd: path.join(cwd, 'shop') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`conflict   ${TARBALL}`);
    const forced = await runCli(['init', '.', '--yes', '--no-git', '--no-install', '--force'], { cwd: path.join(cwd, 'shop') });
    expect(forced.code).toBe(0);
    expect(gunzipSync(readFileSync(path.join(cwd, 'shop', TARBALL))).length).toBeGreaterThan(0);
  });
});

describe('arch init with hostile text', () => {
  it.for(HOSTILE.filter((t) => t !== ''))('a description of %j renders into files that still parse', async (description) => {
    const cwd = tmpDir();
    const run = await runCli(['init', 'shop', '--yes', '--no-git', '--no-install', '--description', description], { cwd });
    expect(run.code).toBe(0);
    const files = snapshotDir(path.join(cwd, 'shop'));
    expect((JSON.parse(files['package.json']!) as { description: string }).description).toBe(description);
    for (const [file, content] of Object.entries(files)) {
      if (/\.ya?ml$/.test(file)) expect(parseDocument(content).errors, file).toEqual([]);
      if (file.endsWith('.json')) expect(() => JSON.parse(content), file).not.toThrow();
    }
    expect(files['compose.yaml']!.split('\n')[0]).toMatch(/^# /);
  });
});

describe('arch (program)', () => {
  it('--help lists the commands with descriptions and examples', async () => {
    const run = await runCli(['--help'], { cwd: tmpDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/init \[options\] \[dir\]\s+Create a microservices workspace/);
    expect(run.stdout).toMatch(/create-service \[options\] \[name\]\s+Create a microservice/);
    expect(run.stdout).toMatch(/Examples:/);
    const commands = run.stdout.slice(run.stdout.indexOf('Commands:'), run.stdout.indexOf('Examples:'));
    expect(commands.match(/^  [a-z-]+/gm)).toEqual(['  init', '  create-service', '  add-gateway', '  add-producer', '  add-consumer', '  add-saga', '  compose', '  dev', '  token', '  check', '  graph', '  rules', '  help']);
  });

  it('with no arguments prints the help to stdout, exit 0, under the name it was run as', async () => {
    for (const bin of ['arch', 'archkit'] as const) {
      const run = await runCli([], { cwd: tmpDir(), bin });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: ${bin} \\[options\\] \\[command\\]\n`));
      expect(run.stdout).toMatch(/init \[options\] \[dir\]/);
    }
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version'], { cwd: tmpDir() });
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('an unknown command is exit 2 with a suggestion', async () => {
    const run = await runCli(['int'], { cwd: tmpDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'int'/);
    expect(run.stderr).toMatch(/Did you mean init\?/);
  });

  it('--cwd pointing nowhere is exit 2', async () => {
    const run = await runCli(['init', 'x', '--yes', '--cwd', '/nonexistent/archkit'], { cwd: tmpDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--cwd .* does not exist/);
  });
});
