/**
 * Module resolution beyond relative paths, as the repository's tsconfig
 * files declare it: `compilerOptions.paths` aliases (`@app/common`,
 * `@app/orders/*`, Nx's `tsconfig.base.json`) and `baseUrl` (`src/common/dto`,
 * `apps/root/src/x` in a Nest monorepo), with `extends` chains followed
 * inside the repository.
 */
import path from 'node:path';
import { parse } from 'jsonc-parser';
import type { RepoReader } from '../read.js';
import { isSkippedSource, moduleKeys } from './source-paths.js';
import type { AliasScope, ModuleResolution } from './source-types.js';

interface Options {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  /** Folder `paths` are relative to when no baseUrl is set: the config that declares them. */
  pathsDir?: string;
}

const MAX_EXTENDS = 5;

/** A config's compilerOptions merged over those it extends (root-relative folders). */
function load(reader: RepoReader, file: string, depth = 0): Options | null {
  if (depth > MAX_EXTENDS || !reader.isFile(file)) return null;
  let json: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    json = (parse(reader.read(file) ?? '{}') ?? {}) as typeof json;
  } catch {
    return null;
  }
  const dir = path.posix.dirname(file);
  let merged: Options = {};
  for (const parent of [json.extends].flat()) {
    if (typeof parent !== 'string' || !parent.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(dir, parent));
    const inherited = load(reader, target.endsWith('.json') ? target : `${target}.json`, depth + 1);
    if (inherited) merged = { ...merged, ...inherited };
  }
  const options = json.compilerOptions ?? {};
  if (typeof options.baseUrl === 'string') merged.baseUrl = path.posix.normalize(path.posix.join(dir, options.baseUrl));
  if (options.paths && typeof options.paths === 'object' && !Array.isArray(options.paths)) {
    const paths: Record<string, string[]> = {};
    for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      if (Array.isArray(targets)) paths[pattern] = targets.filter((t): t is string => typeof t === 'string');
    }
    merged.paths = paths;
    merged.pathsDir = dir;
  }
  return merged;
}

function scopeOf(dir: string, options: Options | null): AliasScope | null {
  if (!options || (options.baseUrl === undefined && options.paths === undefined)) return null;
  const base = options.baseUrl ?? options.pathsDir ?? '.';
  const paths = Object.entries(options.paths ?? {})
    .map(([pattern, targets]): [string, string[]] => [pattern, targets.map((t) => path.posix.normalize(path.posix.join(base, t)))])
    // The longest prefix before `*` wins, as in TypeScript.
    .sort((a, b) => b[0].split('*')[0]!.length - a[0].split('*')[0]!.length);
  return { dir: dir === '.' ? '' : `${dir}/`, baseUrl: options.baseUrl ?? null, paths };
}

/**
 * Scopes for the root and each folder (a service's, or a library's) with its own tsconfig, and the module
 * keys of the repository's source files (to tell `src/x` under a baseUrl from a package); null when no
 * tsconfig declares a baseUrl or paths.
 */
export function moduleResolution(reader: RepoReader, dirs: readonly string[], files: readonly string[]): ModuleResolution | null {
  const scopes: AliasScope[] = [];
  for (const dir of new Set(['.', ...dirs.map((d) => path.posix.normalize(d))])) {
    const at = (name: string): string => (dir === '.' ? name : `${dir}/${name}`);
    const names = dir === '.' ? ['tsconfig.json', 'tsconfig.base.json'] : ['tsconfig.json', 'tsconfig.app.json'];
    for (const name of names) {
      const scope = scopeOf(dir, load(reader, at(name)));
      if (scope) {
        scopes.push(scope);
        break;
      }
    }
  }
  if (scopes.length === 0) return null;
  scopes.sort((a, b) => b.dir.length - a.dir.length);
  const keys = new Set<string>();
  for (const file of files) {
    if (!isSkippedSource(file)) for (const key of moduleKeys(file)) keys.add(key);
  }
  return { scopes, keys };
}
