/**
 * Loading a large CommonJS file (the TypeScript compiler: 9 MB) through a V8
 * code cache kept in the user's cache folder. The cache is written at exit
 * by the first run that has none, after the run, so it also holds the
 * functions compiled lazily while it ran. It is an optimisation only: any
 * problem with it (missing, rejected by V8, unwritable folder) falls back to
 * a normal compile. ARCHKIT_NO_CODE_CACHE=1 turns it off.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

type Loader = (module: { exports: unknown; filename: string }, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

/** Where code caches live: `$XDG_CACHE_HOME/archkit` or `~/.cache/archkit`, private to the user. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ARCHKIT_NO_CODE_CACHE) return null;
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : '');
  return base ? path.join(base, 'archkit', 'code-cache') : null;
}

/**
 * The cache file for `file` (and `variant`, when one file is run in ways that
 * compile different functions): named after the Node version, architecture,
 * size, modification time and path, so any change makes a new one (V8 itself
 * checks little more than the source's length).
 */
export function codeCacheFile(dir: string, file: string, variant = ''): string {
  const { size, mtimeMs } = statSync(file);
  const parts = [path.basename(file).replace(/\.[cm]?js$/, ''), variant, process.version, process.arch, size, Math.round(mtimeMs), fnv1a(file)];
  return path.join(dir, `${parts.filter((p) => p !== '').join('-')}.bin`);
}

/** Whether this is the main thread; node:worker_threads (5 ms to load) only when a cache is to be written. */
function onMainThread(): boolean {
  return (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

/** Deletes the caches an older build (or Node) left for the same file, variant and install path. */
function removeStaleSiblings(cacheFile: string): void {
  const name = path.basename(cacheFile);
  const parts = /^(.*)-v[^-]+-[^-]+-\d+-\d+-([0-9a-f]{8})\.bin$/.exec(name);
  if (!parts) return;
  const [, stem, hash] = parts;
  for (const other of readdirSync(path.dirname(cacheFile))) {
    const match = /^(.*)-v[^-]+-[^-]+-\d+-\d+-([0-9a-f]{8})\.bin$/.exec(other);
    if (other !== name && match && match[1] === stem && match[2] === hash) rmSync(path.join(path.dirname(cacheFile), other), { force: true });
  }
}

/**
 * Caches of every install path (each project that runs archkit through npx, each CI checkout) would pile up: the
 * folder keeps the most recently used up to CACHE_BUDGET_BYTES (a use refreshes a file's modification time).
 */
export const CACHE_BUDGET_BYTES = 96 * 1024 * 1024;

/** Deletes the least recently used cache files beyond the budget; never `keep`, the one just written. */
export function pruneCacheDir(dir: string, keep: string, budget = CACHE_BUDGET_BYTES): void {
  const entries: Array<{ file: string; size: number; used: number }> = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.bin')) continue;
    try {
      const stats = statSync(path.join(dir, name));
      entries.push({ file: path.join(dir, name), size: stats.size, used: stats.mtimeMs });
    } catch {
      /* gone meanwhile */
    }
  }
  entries.sort((a, b) => b.used - a.used);
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (total > budget && entry.file !== keep) rmSync(entry.file, { force: true });
  }
}

/** Marks a cache file as used now (best effort: a read-only cache folder still works). */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    /* an optimisation only */
  }
}

/** A 32-bit FNV-1a hash in hex: tells install paths apart without loading node:crypto (8 ms at start-up). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Compiles `filename` as a CommonJS module from `cacheFile` when that holds a
 * cache V8 accepts; otherwise the main thread writes a fresh one at exit,
 * when `keep()` then agrees.
 */
export function compileWithCodeCache(
  module: { exports: unknown; filename: string },
  filename: string,
  cacheFile: string,
  keep: () => boolean = () => true,
): void {
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
  if (cachedData && !script.cachedDataRejected) touch(cacheFile);
  if ((!cachedData || script.cachedDataRejected) && onMainThread()) {
    process.once('exit', () => {
      if (!keep()) return;
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
        removeStaleSiblings(cacheFile);
        pruneCacheDir(path.dirname(cacheFile), cacheFile);
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
      caches.set(file, codeCacheFile(dir!, file));
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
