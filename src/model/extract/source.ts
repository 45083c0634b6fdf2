/**
 * JavaScript/TypeScript source extractor: outbound HTTP/gRPC calls (with
 * their target, breaker and loop context), producers and consumers, tracing
 * set-up, health routes, cross-service imports and local state, per service.
 *
 *   files → owner service (longest dir prefix; tests, build output, .d.ts skipped)
 *         → per file, in this thread or in workers: read, parse once, walk once (source-file.ts);
 *           imports resolved through relative paths and tsconfig paths/baseUrl (source-tsconfig.ts)
 *         → library files the services import, read the same way, in rounds; one that a single
 *           service uses is that service's code, a shared one lends only its constants and exports
 *         → join across files: wrappers, constants, targets, brokers, NestJS clients, prefixes (source-join.ts)
 *
 * The TypeScript compiler is loaded here on first use only, never by commands
 * that do not scan source.
 */
import path from 'node:path';
import { createReader, type RepoReader } from '../read.js';
import type { BrokerKind, Diagnostic, SourceFacts } from '../types.js';
import { joinResults } from './source-join.js';
import { BROKER_LIBRARIES } from './source-messaging.js';
import { isSkippedSource, moduleKeys, ownerOf, serviceDirs } from './source-paths.js';
import { extractAll } from './source-pool.js';
import { ServiceMatcher } from './source-targets.js';
import { moduleResolution } from './source-tsconfig.js';
import type { FileJob, FileResult, ScanContext } from './source-types.js';

export interface SourceScanInput {
  /** Absolute repository root. */
  root: string;
  /**
   * Services with a source folder (relative to root, '.' for the root). `packageName`
   * (bare imports of it from another service are cross imports) is read from the
   * folder's package.json when not given.
   */
  services: ReadonlyArray<{ name: string; dir: string; packageName?: string | null }>;
  /** Source files of the repository, relative to root (from listFiles). Those outside every service dir are read only when a service imports them. */
  files: readonly string[];
  /** Every service name in the repository (URL hosts and env var names are matched against them). */
  serviceNames: readonly string[];
  /** Reads the services' package.json files (default: a reader of `root`). */
  reader?: RepoReader;
}

export interface SourceScanResult {
  /** Facts per service name. */
  facts: Map<string, SourceFacts>;
  diagnostics: Diagnostic[];
  /** Files parsed. */
  parsed: number;
}

const BROKER_DEPENDENCIES = new Map<string, BrokerKind>([...BROKER_LIBRARIES, ['ioredis', 'redis'], ['redis', 'redis']]);

function brokersOf(pkg: { dependencies?: Record<string, string> }): BrokerKind[] {
  return [...new Set(Object.keys(pkg.dependencies ?? {}).flatMap((dep) => BROKER_DEPENDENCIES.get(dep) ?? []))];
}

/** Each service's npm name and the brokers its package.json depends on. */
function readPackages(reader: RepoReader, services: SourceScanInput['services']): { packages: Map<string, string>; brokerDeps: Map<string, BrokerKind[]> } {
  const packages = new Map<string, string>();
  const brokerDeps = new Map<string, BrokerKind[]>();
  type Pkg = { name?: unknown; dependencies?: Record<string, string> };
  const read = (dir: string): Pkg | null => {
    const file = dir === '.' ? 'package.json' : `${dir}/package.json`;
    if (!reader.isFile(file)) return null;
    try {
      return JSON.parse(reader.read(file) ?? '{}') as Pkg;
    } catch {
      return {}; // a broken one (the package.json extractor reports it)
    }
  };
  for (const service of services) {
    const dir = path.posix.normalize(service.dir);
    const pkg = read(dir) ?? {};
    const name = service.packageName !== undefined ? service.packageName : typeof pkg.name === 'string' ? pkg.name : null;
    if (name && service.dir !== '.') packages.set(name, service.name);
    let brokers = brokersOf(pkg);
    // A Nest or Nx monorepo builds its apps from the root: the nearest package.json above says which brokers they have.
    for (let up = dir; brokers.length === 0 && up !== '.' && !up.startsWith('..'); ) {
      up = path.posix.dirname(up);
      brokers = brokersOf(read(up) ?? {});
    }
    brokerDeps.set(service.name, brokers);
  }
  return { packages, brokerDeps };
}

/** The files to parse, each with the service that owns it. */
export function sourceJobs(services: SourceScanInput['services'], files: readonly string[]): FileJob[] {
  const dirs = serviceDirs(services);
  const jobs: FileJob[] = [];
  for (const raw of [...files].sort()) {
    const file = raw.replace(/\\/g, '/');
    const owner = dirs.dirs.find((d) => file.startsWith(d.prefix));
    if (owner && !isSkippedSource(file.slice(owner.prefix.length))) jobs.push({ file, service: owner.name });
  }
  return jobs;
}

/** Rounds of following imports into shared libraries, and files read from them at most. */
const LIBRARY_ROUNDS = 6;
const LIBRARY_FILES = 2000;

/** The modules a file imports or re-exports from the repository. */
function importedModules(result: FileResult): string[] {
  return [...[...result.module.imports.values()].map((b) => b.mod), ...result.module.starExports, ...[...result.module.exports.values()].flatMap((e) => ('mod' in e ? [e.mod] : []))];
}

/**
 * Files outside every service that the files just read import (a shared `libs/common` through an alias or a
 * relative path): read too, as service '' (the join takes only their constants and exports).
 */
function libraryJobs(results: readonly FileResult[], byKey: ReadonlyMap<string, string>, done: Set<string>, services: SourceScanInput['services']): FileJob[] {
  const dirs = serviceDirs(services);
  const jobs: FileJob[] = [];
  for (const result of results) {
    for (const mod of importedModules(result)) {
      const file = byKey.get(mod);
      if (file === undefined || done.has(file) || ownerOf(dirs, file) !== null) continue;
      done.add(file);
      jobs.push({ file, service: '' });
    }
  }
  return jobs.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/**
 * A library file that one service alone imports (itself or through other library files) is that service's code
 * (`libs/identity` of `apps/identity`): its calls, producers and routes are the service's. One that several
 * services share stays no one's: its facts would be every user's and none's.
 */
function adoptLibraries(results: readonly FileResult[], byKey: ReadonlyMap<string, string>): void {
  const libraries = new Map(results.filter((r) => r.service === '').map((r) => [r.file, r]));
  const users = new Map<FileResult, Set<string>>();
  for (const start of results) {
    if (start.service === '') continue;
    const queue = [start];
    const seen = new Set<FileResult>();
    for (let file = queue.pop(); file; file = queue.pop()) {
      for (const mod of importedModules(file)) {
        const lib = libraries.get(byKey.get(mod) ?? '');
        if (!lib || seen.has(lib)) continue;
        seen.add(lib);
        users.set(lib, (users.get(lib) ?? new Set()).add(start.service));
        queue.push(lib);
      }
    }
  }
  for (const [lib, services] of users) if (services.size === 1) lib.service = [...services][0]!;
}

export async function scanSource(input: SourceScanInput): Promise<SourceScanResult> {
  const reader = input.reader ?? createReader(input.root);
  const jobs = sourceJobs(input.services, input.files);
  const { packages, brokerDeps } = readPackages(reader, input.services);
  const resolution = moduleResolution(reader, input.services.map((s) => s.dir), input.files);
  const ctx: ScanContext = { root: input.root, services: input.services.map(({ name, dir }) => ({ name, dir })), serviceNames: [...input.serviceNames], packages, resolution };
  const results = jobs.length > 0 ? await extractAll(jobs, ctx) : [];
  // Shared libraries the services import, for the constants (tokens, patterns, topics) they define.
  const byKey = new Map<string, string>();
  for (const raw of input.files) {
    const file = raw.replace(/\\/g, '/');
    if (isSkippedSource(file)) continue;
    for (const key of moduleKeys(file)) if (!byKey.has(key)) byKey.set(key, file);
  }
  const done = new Set(jobs.map((j) => j.file));
  let round = results;
  for (let i = 0, total = 0; i < LIBRARY_ROUNDS && total < LIBRARY_FILES && round.length > 0; i++) {
    const more = libraryJobs(round, byKey, done, input.services).slice(0, LIBRARY_FILES - total);
    total += more.length;
    round = more.length > 0 ? await extractAll(more, ctx) : [];
    results.push(...round);
  }
  adoptLibraries(results, byKey);
  const facts = joinResults({ results, services: input.services.map((s) => s.name), matcher: new ServiceMatcher(ctx.serviceNames), brokerDeps }, emptySourceFacts);
  return { facts, diagnostics: results.flatMap((r) => r.diagnostics), parsed: results.filter((r) => r.parsed).length };
}

export function emptySourceFacts(): SourceFacts {
  return { files: 0, tracing: null, healthRoutes: [], calls: [], messaging: [], crossImports: [], localState: [], sagas: [] };
}
