/**
 * Builds the RepoModel of a directory by running the extractors and joining
 * their facts: workspace packages and compose services become services,
 * database containers become databases with an identity, dependencies reveal
 * clients, and the gateway is found.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { COMPOSE_FILES, infraRole, readCompose } from './extract/compose.js';
import { brokerClients, databaseClients, expandWorkspaces, frameworks, readPackage, type PackageFacts } from './extract/package-json.js';
import type { BrokerKind, ComposeService, Database, DatabaseEngine, Diagnostic, RepoModel, Service } from './types.js';

export const CONFIG_FILE = 'arch.config.json';

/** The subset of arch.config.json the model reads (issue #3 validates the whole file). */
interface ModelConfig {
  gateway?: string;
  shared?: string[];
}

function readConfig(root: string, pkg: PackageFacts | null): { file: string | null; config: ModelConfig } {
  let text: string | undefined;
  try {
    text = readFileSync(path.join(root, CONFIG_FILE), 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
      return { file: CONFIG_FILE, config: parsed as ModelConfig };
    } catch (error) {
      throw new ConfigError(`${CONFIG_FILE} is not valid JSON: ${(error as Error).message}`, `Fix or remove ${CONFIG_FILE}.`);
    }
  }
  if (pkg?.arch && typeof pkg.arch === 'object') return { file: 'package.json', config: pkg.arch as ModelConfig };
  return { file: null, config: {} };
}

function isServicePackage(pkg: PackageFacts, shared: readonly string[]): boolean {
  if (shared.includes(pkg.dir) || (pkg.name !== null && shared.includes(pkg.name))) return false;
  return pkg.hasDockerfile || frameworks(pkg.dependencies).length > 0;
}

function serviceFromPackage(pkg: PackageFacts, origin: 'workspace' | 'package'): Service {
  const name = pkg.dir === '.' ? (pkg.name ?? 'service').replace(/^@[^/]+\//, '') : path.posix.basename(pkg.dir);
  return {
    name,
    dir: pkg.dir,
    packageName: pkg.name,
    language: pkg.hasTsconfig ? 'typescript' : 'javascript',
    origins: [origin],
    compose: null,
    databases: [],
    brokers: brokerClients(pkg.dependencies),
    databaseClients: databaseClients(pkg.dependencies),
    frameworks: frameworks(pkg.dependencies),
    port: null,
    isGateway: false,
    location: { file: pkg.dir === '.' ? 'package.json' : `${pkg.dir}/package.json` },
  };
}

/** Database name a service's connection string points at, if its environment has one. */
function urlTarget(env: Record<string, string>): { host: string; name: string } | null {
  for (const [key, value] of Object.entries(env)) {
    if (!/(DATABASE|DB|PG|POSTGRES|MYSQL|MONGO)[A-Z_]*(URL|URI|DSN)$/.test(key) && key !== 'DATABASE_URL') continue;
    const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^:/?#]+)(?::\d+)?\/([^?#]*)/i.exec(value);
    if (match) return { host: match[1]!, name: decodeURIComponent(match[2] ?? '') };
  }
  return null;
}

export interface ScanOptions {
  /** Extra compose files to read (relative); by default the first of COMPOSE_FILES that exists. */
  composeFiles?: string[];
}

/** Scans `root` into a RepoModel. Throws ConfigError only for a broken arch.config.json. */
export function scan(root: string, _options: ScanOptions = {}): RepoModel {
  const diagnostics: Diagnostic[] = [];
  const rootPkg = readPackage(root, '.', diagnostics);
  const { file: configFile, config } = readConfig(root, rootPkg);
  const shared = Array.isArray(config.shared) ? config.shared.filter((s): s is string => typeof s === 'string') : [];

  const services: Service[] = [];
  const byDir = new Map<string, Service>();
  const add = (service: Service) => {
    services.push(service);
    if (service.dir !== null) byDir.set(service.dir, service);
  };

  let kind: RepoModel['kind'] = 'unknown';
  if (rootPkg?.workspaces) {
    kind = 'workspace';
    for (const dir of expandWorkspaces(root, rootPkg.workspaces)) {
      const pkg = readPackage(root, dir, diagnostics);
      if (pkg && isServicePackage(pkg, shared)) add(serviceFromPackage(pkg, 'workspace'));
    }
  } else if (rootPkg && isServicePackage(rootPkg, shared)) {
    kind = 'standalone';
    add(serviceFromPackage(rootPkg, 'package'));
  } else if (configFile === CONFIG_FILE) {
    kind = 'workspace';
  }

  let composeFile: string | null = null;
  let composeServices: ComposeService[] = [];
  for (const candidate of COMPOSE_FILES) {
    const found = readCompose(root, candidate, diagnostics);
    if (found) {
      composeFile = candidate;
      composeServices = found;
      break;
    }
  }

  const infrastructure: RepoModel['infrastructure'] = [];
  const databases = new Map<string, Database>();
  const containerDb = new Map<string, Database>();
  const brokers: RepoModel['brokers'] = [];
  for (const cs of composeServices) {
    const infra = infraRole(cs.image);
    if (!infra) continue;
    infrastructure.push({ key: cs.key, image: cs.image, role: infra.role });
    if (infra.role === 'database') {
      const env = cs.environment;
      const name = env.POSTGRES_DB ?? env.MYSQL_DATABASE ?? env.MARIADB_DATABASE ?? env.MONGO_INITDB_DATABASE ?? '';
      const db: Database = {
        id: `${infra.engine}://${cs.key}/${name}`,
        engine: infra.engine as DatabaseEngine,
        host: cs.key,
        name,
        container: cs.key,
        users: [],
        location: { file: cs.file, line: cs.line },
      };
      databases.set(db.id, db);
      containerDb.set(cs.key, db);
    } else if (infra.role === 'broker') {
      brokers.push({ kind: infra.engine as BrokerKind, container: cs.key, location: { file: cs.file, line: cs.line } });
    }
  }

  for (const cs of composeServices) {
    if (infraRole(cs.image)) continue;
    let service = cs.build !== null ? byDir.get(cs.build) : undefined;
    if (!service && kind === 'standalone' && cs.build === '.') service = byDir.get('.');
    if (!service) {
      service = {
        name: cs.key,
        dir: cs.build,
        packageName: null,
        language: 'unknown',
        origins: [],
        compose: null,
        databases: [],
        brokers: [],
        databaseClients: [],
        frameworks: [],
        port: null,
        isGateway: false,
        location: { file: cs.file, line: cs.line },
      };
      add(service);
    }
    service.origins.push('compose');
    service.compose = cs;
    const target = urlTarget(cs.environment);
    const used = new Set<Database>();
    if (target) {
      const db = containerDb.get(target.host);
      if (db) used.add(db);
      else {
        const engine: DatabaseEngine = service.databaseClients[0] ?? 'unknown';
        const id = `${engine}://${target.host}/${target.name}`;
        const external = databases.get(id) ?? { id, engine, host: target.host, name: target.name, container: null, users: [], location: { file: cs.file, line: cs.line } };
        databases.set(id, external);
        used.add(external);
      }
    }
    for (const dep of cs.dependsOn) {
      const db = containerDb.get(dep);
      if (db && !target) used.add(db);
      const broker = brokers.find((b) => b.container === dep);
      if (broker && !service.brokers.includes(broker.kind)) service.brokers.push(broker.kind);
    }
    for (const db of used) {
      service.databases.push(db.id);
      db.users.push(service.name);
    }
  }

  const declaredGateway = typeof config.gateway === 'string' ? config.gateway : null;
  let gateway: string | null = null;
  for (const service of services) {
    service.databases.sort();
    service.brokers.sort();
    service.origins = [...new Set(service.origins)];
    if (service.name === declaredGateway || (declaredGateway === null && /(^|-)gateway$/.test(service.name))) {
      service.isGateway = true;
      gateway ??= service.name;
    }
  }
  for (const db of databases.values()) db.users.sort();
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return {
    version: 1,
    kind,
    workspace: kind === 'workspace' ? { patterns: rootPkg?.workspaces ?? [], configFile, composeFile } : null,
    services,
    databases: [...databases.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    brokers,
    gateway,
    infrastructure,
    diagnostics,
  };
}

/** Walks up from `start` to the nearest folder that holds arch.config.json or a package.json with workspaces. */
export function findWorkspaceRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    try {
      if (statSync(path.join(dir, CONFIG_FILE)).isFile()) return dir;
    } catch {
      /* keep looking */
    }
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces) return dir;
    } catch {
      /* keep looking */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
