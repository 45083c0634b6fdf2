/**
 * Compose files → compose projects, as Compose itself assembles them.
 *
 * - A project is a folder's compose files: the base file (`compose.yaml`,
 *   `docker-compose.yml`, …) first, then its overrides (`*.override.yml`),
 *   then the folder's other compose files (layers such as
 *   `docker-compose.search.yml`), then what their top-level `include:` names;
 *   later files override earlier ones service by service.
 * - Test variants (`docker-compose.test.yml`, `docker-compose-tests.yml`, e2e,
 *   CI) describe a test rig, not the system: left out.
 * - `extends:` is applied inside the project (bounded depth, no cycles).
 * - Projects of different folders are one system when their services agree
 *   (a service of the same name builds the same folder); a project whose
 *   same-named service builds other code is a separate system (another
 *   repository checked out inside this one) and is left out, with a note.
 */
import path from 'node:path';
import { COMPOSE_FILES, composeIncludes, readCompose } from '../extract/compose.js';
import { parseEnv } from '../extract/env.js';
import type { RepoReader } from '../read.js';
import type { ComposeService } from '../types.js';

export interface ComposeProject {
  /** The folder of the project, relative to the root. */
  dir: string;
  /** Its files, in the order Compose applies them. */
  files: string[];
  services: ComposeService[];
}

const TEST_VARIANT = /(^|[-_.])(tests?|e2e|ci|it|integration|spec|testing)([-_.]|$)/i;

/** Whether a compose file describes a test rig rather than the system. */
export function isTestVariant(file: string): boolean {
  const base = path.posix.basename(file).replace(/\.ya?ml$/i, '').replace(/^(docker-)?compose/i, '');
  return TEST_VARIANT.test(base);
}

function fileOrder(file: string): number {
  const base = path.posix.basename(file).toLowerCase();
  if (COMPOSE_FILES.includes(base)) return 0;
  if (/override/.test(base)) return 1;
  return 2;
}

/** Later compose files override earlier ones (compose.override.yaml), as Compose merges them. */
export function mergeCompose(a: ComposeService, b: ComposeService): ComposeService {
  return {
    ...a,
    image: b.image ?? a.image,
    build: b.build !== null && b.buildContextSet !== false ? b.build : a.build,
    dockerfile: b.dockerfile ?? a.dockerfile ?? null,
    containerName: b.containerName ?? a.containerName ?? null,
    hostnames: [...new Set([...(a.hostnames ?? []), ...(b.hostnames ?? [])])].sort(),
    mounts: [...new Set([...(a.mounts ?? []), ...(b.mounts ?? [])])],
    labels: { ...(a.labels ?? {}), ...(b.labels ?? {}) },
    ports: [...new Set([...a.ports, ...b.ports])],
    expose: [...new Set([...a.expose, ...b.expose])],
    healthcheck: a.healthcheck || b.healthcheck,
    dependsOn: [...new Set([...a.dependsOn, ...b.dependsOn])].sort(),
    replicas: b.replicas ?? a.replicas,
    environment: { ...a.environment, ...b.environment },
  };
}

const MAX_FILES_PER_PROJECT = 64;
const MAX_EXTENDS_DEPTH = 8;

/** COMPOSE_FILE of the folder's `.env` (what `docker compose` applies there without `-f`), as repository paths. */
function composeFileVariable(reader: RepoReader, dir: string): string[] {
  const text = reader.read(dir === '.' ? '.env' : `${dir}/.env`);
  if (text === null) return [];
  const env = parseEnv(text);
  const value = env.COMPOSE_FILE;
  if (!value) return [];
  const separator = env.COMPOSE_PATH_SEPARATOR || (value.includes(';') ? ';' : ':');
  return value
    .split(separator)
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .flatMap((f) => reader.resolve(dir === '.' ? '.env' : `${dir}/.env`, dir, f) ?? []);
}

/**
 * A folder's compose files as `docker compose` applies them there: the base file and its override (or the files
 * COMPOSE_FILE names), then what they include. The folder's other compose files are alternatives (a production, a
 * Windows or a debugging variant) or add-ons (an observability stack): they add the services the project lacks,
 * and change none it has.
 */
function readProject(reader: RepoReader, dir: string, files: readonly string[]): ComposeProject {
  const named = composeFileVariable(reader, dir).filter((f) => files.includes(f));
  const base = files.filter((f) => fileOrder(f) === 0).sort();
  const primary = named.length > 0 ? named : [...base.slice(0, 1), ...files.filter((f) => base[0] !== undefined && f === base[0].replace(/\.(ya?ml)$/, '.override.$1'))];
  const applied = primary.length > 0 ? primary : [...files].sort().slice(0, 1);
  const rest = [...files].filter((f) => !applied.includes(f)).sort();
  const ordered = [...applied];
  // Included files join the project after the files that name them.
  for (let i = 0; i < ordered.length && ordered.length < MAX_FILES_PER_PROJECT; i++) {
    for (const included of composeIncludes(reader, ordered[i]!)) if (!ordered.includes(included) && !isTestVariant(included)) ordered.push(included);
  }
  const byKey = new Map<string, ComposeService>();
  const byFile = new Map<string, ComposeService[]>();
  const read = (file: string): ComposeService[] => {
    let list = byFile.get(file);
    if (!list) {
      list = readCompose(reader, file) ?? [];
      byFile.set(file, list);
    }
    return list;
  };
  for (const file of ordered) {
    for (const cs of read(file)) {
      const previous = byKey.get(cs.key);
      byKey.set(cs.key, previous ? mergeCompose(previous, cs) : cs);
    }
  }
  // The folder's other compose files: the services they add, merged across them, and nothing else.
  const added = new Map<string, ComposeService>();
  for (const file of rest) {
    for (const cs of read(file)) {
      const base = byKey.get(cs.key);
      if (base) {
        // An alternative file may say how an image-only service is built (a dev variant with build contexts): that
        // links the service to its code, and changes nothing it runs with.
        if (base.build === null && cs.build !== null && cs.buildContextSet !== false) byKey.set(cs.key, { ...base, build: cs.build, dockerfile: cs.dockerfile ?? null });
        continue;
      }
      const previous = added.get(cs.key);
      added.set(cs.key, previous ? mergeCompose(previous, cs) : cs);
    }
  }
  for (const [key, cs] of added) byKey.set(key, cs);
  ordered.push(...rest);
  // extends: the base first, then the service's own values.
  const resolve = (cs: ComposeService, depth: number): ComposeService => {
    if (!cs.extends || depth >= MAX_EXTENDS_DEPTH) return cs;
    const { service, file } = cs.extends;
    const base = (file === cs.file ? byKey.get(service) : undefined) ?? read(file).find((s) => s.key === service);
    if (!base || base === cs) return cs;
    const merged = mergeCompose(resolve(base, depth + 1), cs);
    return { ...merged, key: cs.key, file: cs.file, line: cs.line, extends: undefined };
  };
  const services = [...byKey.values()].map((cs) => resolve(cs, 0));
  return { dir, files: ordered, services };
}

export interface ComposeDiscovery {
  /** The projects that make up the system, the primary (root-most) first. */
  projects: ComposeProject[];
  /** Projects left out as separate systems, with why. */
  separate: Array<{ dir: string; reason: string }>;
}

export function discoverCompose(reader: RepoReader, composeFiles: readonly string[]): ComposeDiscovery {
  const groups = new Map<string, string[]>();
  for (const file of composeFiles) {
    if (isTestVariant(file)) continue;
    const dir = path.posix.dirname(file);
    const list = groups.get(dir) ?? [];
    list.push(file);
    groups.set(dir, list);
  }
  const projects = [...groups].map(([dir, files]) => readProject(reader, dir, files));
  const depth = (dir: string) => (dir === '.' ? 0 : dir.split('/').length);
  projects.sort((a, b) => depth(a.dir) - depth(b.dir) || b.services.length - a.services.length || (a.dir < b.dir ? -1 : 1));
  const kept: ComposeProject[] = [];
  const separate: ComposeDiscovery['separate'] = [];
  const builds = new Map<string, string | null>();
  for (const project of projects) {
    const clash = project.services.find((cs) => builds.has(cs.key) && cs.build !== null && builds.get(cs.key) !== null && builds.get(cs.key) !== cs.build);
    if (clash) {
      separate.push({ dir: project.dir, reason: `its service ${clash.key} builds ${clash.build}, while ${clash.key} of the system builds ${builds.get(clash.key)}: a separate system` });
      continue;
    }
    kept.push(project);
    for (const cs of project.services) if (!builds.has(cs.key) || builds.get(cs.key) === null) builds.set(cs.key, cs.build);
  }
  return { projects: kept, separate };
}
