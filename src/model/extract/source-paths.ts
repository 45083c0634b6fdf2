/** Paths of source files: which service owns one, which are skipped, how module specifiers resolve. */
import path from 'node:path';

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
