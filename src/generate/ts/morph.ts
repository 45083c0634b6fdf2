/**
 * ts-morph, loaded for the commands that edit TypeScript.
 *
 * It is loaded with `require`: it is CommonJS, and an ESM `import` would
 * first run Node's CommonJS export scanner over it. And the TypeScript
 * compiler bundled inside it (9 MB of JavaScript, most of the cost of
 * loading ts-morph) is compiled from a V8 code cache kept in the user's
 * cache folder, written after the first run so that it also holds the
 * functions that run compiled lazily. The cache is an optimisation only:
 * any problem with it (missing, rejected by V8, unwritable folder) falls
 * back to a normal load. ARCHKIT_NO_CODE_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type { Node as MorphNode } from 'ts-morph';

type Loader = (module: { exports: unknown; filename: string }, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

/** Where code caches live: `$XDG_CACHE_HOME/archkit` or `~/.cache/archkit`, private to the user. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ARCHKIT_NO_CODE_CACHE) return null;
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : '');
  return base ? path.join(base, 'archkit', 'code-cache') : null;
}

/**
 * Compiles `filename` as a CommonJS module from `cacheFile` when that holds a
 * cache V8 accepts, and writes a fresh cache at exit otherwise.
 */
export function compileWithCodeCache(module: { exports: unknown; filename: string }, filename: string, cacheFile: string): void {
  const bytes = readFileSync(filename);
  // A one-byte (latin1) string is cheaper to make and to compile; only pure ASCII reads the same both ways.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
      } catch {
        /* an optimisation only */
      }
    });
  }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, path.dirname(filename));
}

function loadMorph(): typeof import('ts-morph') {
  const require = createRequire(import.meta.url);
  const dir = codeCacheDir();
  let compiler: string | undefined;
  try {
    compiler = dir ? createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common/dist/typescript.js') : undefined;
  } catch {
    compiler = undefined;
  }
  if (!dir || !compiler) return require('ts-morph') as typeof import('ts-morph');
  const { size, mtimeMs } = statSync(compiler);
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${compiler}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 32);
  const cacheFile = path.join(dir, `typescript-${key}.bin`);
  const original = extensions['.js']!;
  extensions['.js'] = function (this: unknown, module, filename) {
    if (filename !== compiler) return original.call(this, module, filename);
    compileWithCodeCache(module, filename, cacheFile);
  };
  try {
    return require('ts-morph') as typeof import('ts-morph');
  } finally {
    extensions['.js'] = original;
  }
}

export const morph = loadMorph();
export const Node = morph.Node;
export type Node = MorphNode;
