/** Paths of source files: which service owns one, which are skipped, how module specifiers resolve. */
import path from 'node:path';
import type { ModuleResolution } from './source-types.js';

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIR = /(?:^|\/)(?:node_modules|dist|build|coverage|test|tests|__tests__|__mocks__)\//;
const SKIPPED_FILE = /(?:\.d\.[cm]?ts|\.(?:test|spec)\.[^/]+)$/;

/** Files the extractor never reads: dependencies, build output, declarations and tests. */
export function isSkippedSource(file: string): boolean {
  return SKIPPED_DIR.test(file) || SKIPPED_FILE.test(file) || !SOURCE_EXTENSION.test(file);
}

export function stripExtension(file: string): string {
  return file.replace(SOURCE_EXTENSION, '');
}

/** The keys a module is imported by: its path without extension, and its folder for an index file. */
export function moduleKeys(file: string): string[] {
  const key = stripExtension(file);
  return key.endsWith('/index') ? [key, key.slice(0, -'/index'.length)] : [key];
}

export interface ServiceDirs {
  /** Longest dir first. */
  readonly dirs: ReadonlyArray<{ name: string; prefix: string }>;
}

export function serviceDirs(services: ReadonlyArray<{ name: string; dir: string }>): ServiceDirs {
  const dirs = services
    .map((s) => {
      const dir = path.posix.normalize(s.dir.replace(/\\/g, '/')).replace(/\/+$/, '');
      return { name: s.name, prefix: dir === '.' || dir === '' ? '' : `${dir}/` };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length || (a.name < b.name ? -1 : 1));
  return { dirs };
}

/** The service whose dir is the longest prefix of a root-relative path, or null. */
export function ownerOf(dirs: ServiceDirs, file: string): string | null {
  for (const { name, prefix } of dirs.dirs) if (file.startsWith(prefix)) return name;
  return null;
}

/** `./db.js` from `services/orders/src/app.ts` → `services/orders/src/db`, or null when it leaves the root. */
export function resolveRelative(fromFile: string, specifier: string): string | null {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  if (joined.startsWith('../') || joined === '..') return null;
  return stripExtension(joined.replace(/\/+$/, ''));
}

/**
 * A bare specifier through the tsconfig of the importing file's folder: a `paths` alias (`@app/common/x`), else
 * a module under `baseUrl` that exists (`src/common/dto`); the root-relative module key, or null (a package).
 */
export function resolveAlias(resolution: ModuleResolution, fromFile: string, specifier: string): string | null {
  const scope = resolution.scopes.find((s) => fromFile.startsWith(s.dir));
  if (!scope) return null;
  for (const [pattern, targets] of scope.paths) {
    const star = pattern.indexOf('*');
    const [head, tail] = star === -1 ? [pattern, ''] : [pattern.slice(0, star), pattern.slice(star + 1)];
    const matches = star === -1 ? specifier === pattern : specifier.length >= head.length + tail.length && specifier.startsWith(head) && specifier.endsWith(tail);
    if (!matches) continue;
    const middle = star === -1 ? '' : specifier.slice(head.length, specifier.length - tail.length);
    const candidates = targets.map((t) => stripExtension(path.posix.normalize(t.replace('*', middle)).replace(/\/+$/, '')));
    // The first that exists; none (`"*": ["src/types/*"]` for `express`): resolved as if there were no alias.
    const found = candidates.find((c) => resolution.keys.has(c));
    if (found !== undefined) return found;
    break;
  }
  if (scope.baseUrl === null) return null;
  const key = stripExtension(path.posix.normalize(path.posix.join(scope.baseUrl, specifier)));
  return resolution.keys.has(key) ? key : null;
}
