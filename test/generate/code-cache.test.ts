import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, pruneCacheDir } from '../../src/util/code-cache.js';
import { REPO_ROOT } from '../helpers/e2e.js';
import { tmpDir } from '../helpers/tmp.js';

// Loads ts-morph the way `arch add-consumer` does (the built module), parses a file, prints a marker.
const script = `
const { morph } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/generate/ts/morph.js'))});
const project = new morph.Project({ useInMemoryFileSystem: true });
const file = project.createSourceFile('/a.ts', 'export const x: number = 1;');
console.log(file.getVariableDeclarationOrThrow('x').getType().getText());
`;
const CACHE_SUFFIX = /-v\d+\.\d+\.\d+-[a-z0-9]+-\d+-\d+-[0-9a-f]{8}\.bin$/;
const run = (env: Record<string, string>) => execa(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, reject: false });

// Each case starts Node two or three times to load the TypeScript compiler: seconds each on a busy machine.
describe('the code cache of the TypeScript compiler inside ts-morph', { timeout: 90_000 }, () => {
  it('is written on the first run, used on the next, and survives a corrupt cache file', async () => {
    const cache = tmpDir();
    const first = await run({ XDG_CACHE_HOME: cache, ARCHKIT_NO_CODE_CACHE: '' });
    expect(first.stdout.trim()).toBe('number');
    const dir = path.join(cache, 'archkit', 'code-cache');
    const files = readdirSync(dir).sort();
    expect(files.map((f) => f.replace(CACHE_SUFFIX, '')).sort()).toEqual(['ts-morph', 'ts-morph-common', 'typescript']);
    const compiler = files.find((f) => f.startsWith('typescript-'))!;
    const longAgo = new Date('2026-01-01T00:00:00Z');
    utimesSync(path.join(dir, compiler), longAgo, longAgo);
    expect((await run({ XDG_CACHE_HOME: cache, ARCHKIT_NO_CODE_CACHE: '' })).stdout.trim()).toBe('number');
    // A cache used is marked used, so that the folder's budget keeps it over older ones.
    expect(statSync(path.join(dir, compiler)).mtimeMs).toBeGreaterThan(longAgo.getTime());

    writeFileSync(path.join(dir, compiler), 'not a V8 code cache');
    const corrupt = await run({ XDG_CACHE_HOME: cache, ARCHKIT_NO_CODE_CACHE: '' });
    expect(corrupt.exitCode).toBe(0);
    expect(corrupt.stdout.trim()).toBe('number');
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(readFileSync(path.join(dir, compiler)).length, 'rewritten after V8 rejected it').toBeGreaterThan(100_000);
  });

  it('is off with ARCHKIT_NO_CODE_CACHE, and never breaks a run when the folder is unwritable', async () => {
    const cache = tmpDir();
    expect(codeCacheDir({ ARCHKIT_NO_CODE_CACHE: '1', XDG_CACHE_HOME: cache })).toBeNull();
    const off = await run({ XDG_CACHE_HOME: cache, ARCHKIT_NO_CODE_CACHE: '1' });
    expect(off.stdout.trim()).toBe('number');
    expect(readdirSync(cache)).toEqual([]);

    const blocked = path.join(tmpDir(), 'file-not-folder');
    writeFileSync(blocked, '');
    const unwritable = await run({ XDG_CACHE_HOME: blocked, ARCHKIT_NO_CODE_CACHE: '' });
    expect(unwritable.exitCode).toBe(0);
    expect(unwritable.stdout.trim()).toBe('number');
  });
});

describe('the code cache of the CLI bundle', () => {
  const bin = (name: string, args: string[], cache: string) =>
    execa(process.execPath, [path.join(REPO_ROOT, 'bin', `${name}.js`), ...args], {
      env: { ...process.env, XDG_CACHE_HOME: cache, ARCHKIT_NO_CODE_CACHE: '' },
      reject: false,
    });

  it('keeps one cache per command, none for a run that ends in a usage error, and shrugs off a corrupt one', async () => {
    const cache = tmpDir();
    const dir = path.join(cache, 'archkit', 'code-cache');
    // Top-level help and version print prebuilt text (dist/bin/help.cjs): the bundle is not even loaded.
    expect((await bin('arch', ['--help'], cache)).exitCode).toBe(0);
    expect((await bin('create-service', ['--version'], cache)).exitCode).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const help = await bin('arch', ['graph', '--help'], cache);
    expect(help.exitCode).toBe(0);
    expect((await bin('arch', ['graph', '--format', 'json', '--help'], cache)).exitCode).toBe(0);
    expect((await bin('arch', ['graph', '--format', 'json', tmpDir()], cache)).exitCode).toBe(0);
    const typo = await bin('arch', ['chek'], cache);
    expect(typo.exitCode).toBe(2);
    const files = readdirSync(dir).sort();
    expect(files.map((f) => f.replace(CACHE_SUFFIX, '')).sort()).toEqual(['main-graph', 'main-help']);

    const again = await bin('arch', ['graph', '--help'], cache);
    expect(again.stdout).toBe(help.stdout);
    const arch = files.find((f) => f.startsWith('main-help-'))!;
    writeFileSync(path.join(dir, arch), 'not a V8 code cache');
    const corrupt = await bin('arch', ['graph', '--help'], cache);
    expect(corrupt.exitCode).toBe(0);
    expect(corrupt.stdout).toBe(help.stdout);
    expect(readFileSync(path.join(dir, arch)).length, 'rewritten after V8 rejected it').toBeGreaterThan(10_000);

    // A cache left by an older build of the same install is replaced, not kept beside the new one.
    const stale = arch.replace(/-v(\d+)\./, '-v0.');
    writeFileSync(path.join(dir, stale), 'old');
    rmSync(path.join(dir, arch));
    expect((await bin('arch', ['graph', '--help'], cache)).exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(files);
  });
});

describe('the bins print prebuilt help and version', () => {
  it('as the CLI prints them, on stdout or stderr, without loading the CLI bundle', async () => {
    const env = { ...process.env, ARCHKIT_NO_CODE_CACHE: '1' };
    const probe = path.join(tmpDir(), 'probe.cjs');
    // Reports on stderr, at exit, whether the launcher (and so the bundle) was loaded.
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(Object.keys(require.cache).some((f) => f.endsWith('launch.cjs')) ? '[launched]' : ''));\n");
    for (const [name, args] of [['arch', ['--help']], ['arch', []], ['arch', ['-v']], ['create-service', ['-h']]] as const) {
      const fast = await execa(process.execPath, ['--require', probe, path.join(REPO_ROOT, 'bin', `${name}.js`), ...args], { env, reject: false, stripFinalNewline: false });
      const cli = await execa(process.execPath, ['--require', probe, '-e', `require(${JSON.stringify(path.join(REPO_ROOT, 'dist/bin/launch.cjs'))}).launch(${JSON.stringify(name)}, ${JSON.stringify(args)}).then((c) => (process.exitCode = c))`], { env, reject: false, stripFinalNewline: false });
      expect({ exitCode: fast.exitCode, stdout: fast.stdout, stderr: fast.stderr }, `${name} ${args.join(' ')}`).toEqual({
        exitCode: cli.exitCode,
        stdout: cli.stdout,
        stderr: cli.stderr.replace(/\[launched\]$/, ''),
      });
      expect(cli.stderr).toMatch(/\[launched\]$/);
    }
  });
});

describe('the bins and a reader that stops early', () => {
  it('end without an EPIPE stack trace when stdout is closed before the output is written', async () => {
    const child = execa(process.execPath, [path.join(REPO_ROOT, 'bin', 'arch.js'), 'rules'], { reject: false, buffer: { stdout: false } });
    child.stdout!.destroy();
    const result = await child;
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(result.exitCode).toBe(0);
  });
});

describe('the code cache folder', () => {
  it('keeps the most recently used caches within its budget, and always the one just written', () => {
    const dir = tmpDir();
    const at = (name: string, kib: number, minutesAgo: number) => {
      writeFileSync(path.join(dir, name), Buffer.alloc(kib * 1024));
      const when = new Date(Date.now() - minutesAgo * 60_000);
      utimesSync(path.join(dir, name), when, when);
    };
    at('typescript-a.bin', 40, 1);
    at('typescript-b.bin', 40, 30);
    at('typescript-c.bin', 40, 60);
    at('main-check-d.bin', 40, 90);
    at('notes.txt', 400, 120);
    // The oldest file was just written (a clock set back, a copied folder): it stays anyway.
    pruneCacheDir(dir, path.join(dir, 'main-check-d.bin'), 100 * 1024);
    expect(readdirSync(dir).sort()).toEqual(['main-check-d.bin', 'notes.txt', 'typescript-a.bin', 'typescript-b.bin']);
  });
});
