/**
 * Loading a large CommonJS file (the TypeScript compiler: 9 MB) through a V8
 * code cache kept in the user's cache folder. The cache is written at exit
 * by the first run that has none, after the run, so it also holds the
 * functions compiled lazily while it ran. It is an optimisation only: any
 * problem with it (missing, rejected by V8, unwritable folder) falls back to
 * a normal compile. ARCHKIT_NO_CODE_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

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
 * cache V8 accepts; otherwise the main thread writes a fresh one at exit.
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
  if ((!cachedData || script.cachedDataRejected) && isMainThread) {
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

/**
 * `require(specifier)` from `from` (a module URL), with the large files
 * `resolveBig` names (absolute paths inside the package) compiled through
 * the code cache when they are loaded as part of it.
 */
export function requireWithCodeCache<T>(from: string, specifier: string, resolveBig: (require: NodeJS.Require) => readonly string[]): T {
  const require = createRequire(from);
  const dir = codeCacheDir();
  const caches = new Map<string, string>();
  try {
    for (const file of dir ? resolveBig(require) : []) {
      const { size, mtimeMs } = statSync(file);
      const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${file}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 32);
      caches.set(file, path.join(dir!, `${path.basename(file, '.js')}-${key}.bin`));
    }
  } catch {
    caches.clear();
  }
  if (caches.size === 0) return require(specifier) as T;
  const original = extensions['.js']!;
  extensions['.js'] = function (this: unknown, module, filename) {
    const cacheFile = caches.get(filename);
    if (cacheFile === undefined) return original.call(this, module, filename);
    compileWithCodeCache(module, filename, cacheFile);
  };
  try {
    return require(specifier) as T;
  } finally {
    extensions['.js'] = original;
  }
}
