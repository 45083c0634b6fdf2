/**
 * Builds the RepoModel of a directory: the extractors read files, this module
 * joins their facts. Services come from workspace packages, package.json files
 * of HTTP services, compose services that build or run an application image,
 * Kubernetes workloads and arch.config.json; databases get an identity (engine
 * + host + name); source facts (calls, producers, consumers) become edges and
 * channels.
 *
 *   listFiles → package.json → compose → Kubernetes → Dockerfiles → config
 *     → (source, when asked) → databases, call targets, channels, edges
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { emptyServiceFacts } from './facts.js';
import { COMPOSE_FILES, infraRole, readCompose } from './extract/compose.js';
import { readDockerfile } from './extract/dockerfile.js';
import { listFiles } from './extract/files.js';
import { readKubernetes } from './extract/k8s.js';
import { brokerClients, databaseClients, expandWorkspaces, frameworks, readPackage, type PackageFacts } from './extract/package-json.js';
import { joinDatabases } from './join/databases.js';
import { joinEdges, joinGatewayRoutes } from './join/edges.js';
import { createReader, type RepoReader } from './read.js';
import type { ComposeService, Diagnostic, RepoModel, Service } from './types.js';

export const CONFIG_FILE = 'arch.config.json';

/** The parts of arch.config.json the model reads (check/config.ts validates the whole file). */
export interface ModelConfig {
  gateway?: string;
  shared?: string[];
  services?: Array<{ name: string; dir?: string }>;
  ignore?: string[];
}

export interface ScanOptions {
  /** Parse JavaScript/TypeScript source (calls, producers, consumers, tracing…). Off for generators. */
  source?: boolean;
  /** Extra ignore globs. */
  ignore?: readonly string[];
  /**
   * Read Kubernetes manifests and Dockerfiles (default true). Generators turn
   * this off: what they decide from (workspace packages, compose, config) is
   * the same either way, and a `create-service` run stays well under 0.3 s.
   */
  deployment?: boolean;
}

const GATEWAY_IMAGES = /^(kong|traefik|nginx|envoy|envoyproxy|krakend|tyk|apisix|haproxy)/;
const GATEWAY_PACKAGES = ['@fastify/http-proxy', '@fastify/reply-from', 'http-proxy-middleware', 'express-gateway', 'http-proxy'];

/** Reads arch.config.json, else the `arch` key of package.json. Throws ConfigError on unreadable JSON. */
export function readModelConfig(reader: RepoReader, pkg: PackageFacts | null): { file: string | null; config: ModelConfig } {
  const text = reader.read(CONFIG_FILE);
  if (text !== null) {
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

function newService(name: string, dir: string | null, location: Service['location']): Service {
  return {
    name,
    dir,
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
    routesTo: [],
    source: null,
    kubernetes: null,
    dockerfile: null,
    deployments: [],
    facts: emptyServiceFacts(),
    location,
  };
}

function serviceFromPackage(pkg: PackageFacts, origin: 'workspace' | 'package'): Service {
  const name = pkg.dir === '.' ? (pkg.name ?? 'service').replace(/^@[^/]+\//, '') : path.posix.basename(pkg.dir);
  const service = newService(name, pkg.dir, { file: pkg.dir === '.' ? 'package.json' : `${pkg.dir}/package.json` });
  service.packageName = pkg.name;
  service.language = pkg.hasTsconfig ? 'typescript' : 'javascript';
  service.origins.push(origin);
  service.brokers = brokerClients(pkg.dependencies);
  service.databaseClients = databaseClients(pkg.dependencies);
  service.frameworks = frameworks(pkg.dependencies);
  if (pkg.dependencies.some((d) => GATEWAY_PACKAGES.includes(d))) service.isGateway = true;
  return service;
}

/** Later compose files override earlier ones (compose.override.yaml), as Compose merges them. */
function mergeCompose(a: ComposeService, b: ComposeService): ComposeService {
  return {
    ...a,
    image: b.image ?? a.image,
    build: b.build ?? a.build,
    ports: [...new Set([...a.ports, ...b.ports])],
    expose: [...new Set([...a.expose, ...b.expose])],
    healthcheck: a.healthcheck || b.healthcheck,
    dependsOn: [...new Set([...a.dependsOn, ...b.dependsOn])].sort(),
    replicas: b.replicas ?? a.replicas,
    environment: { ...a.environment, ...b.environment },
  };
}

function imageName(image: string): string {
  return image.split('@')[0]!.split(':')[0]!.split('/').pop()!.toLowerCase();
}

/** Scans `root` into a RepoModel. Throws ConfigError only for a broken arch.config.json. */
export async function scan(root: string, options: ScanOptions = {}): Promise<RepoModel> {
  // Every file is read through the reader: regular files inside the root only, within the size cap (read.ts).
  const reader = createReader(root);
  const rootPkg = readPackage(reader, '.');
  const { file: configFile, config } = readModelConfig(reader, rootPkg);
  const shared = Array.isArray(config.shared) ? config.shared.filter((s): s is string => typeof s === 'string') : [];
  const ignore = [...(Array.isArray(config.ignore) ? config.ignore.filter((s): s is string => typeof s === 'string') : []), ...(options.ignore ?? [])];
  const files = listFiles(root, { ignore, reader });
  for (const d of files.skipped) reader.report(d);

  const services: Service[] = [];
  const byDir = new Map<string, Service>();
  // The first service of each name, and the order services were added in: lookups by name without a scan of the list.
  const byName = new Map<string, Service>();
  const order = new Map<Service, number>();
  const add = (service: Service) => {
    order.set(service, services.length);
    services.push(service);
    if (service.dir !== null) byDir.set(service.dir, service);
    if (!byName.has(service.name)) byName.set(service.name, service);
  };
  /** The earliest added of the services with one of these names. */
  const named = (...names: string[]): Service | undefined => {
    let found: Service | undefined;
    for (const name of names) {
      const candidate = byName.get(name);
      if (candidate && (found === undefined || order.get(candidate)! < order.get(found)!)) found = candidate;
    }
    return found;
  };

  // 1. Packages: npm workspaces, then any other package.json of an HTTP service (monorepos without workspaces).
  // Packages that are not services are libraries; which services depend on them is joined below.
  const libraryPackages: PackageFacts[] = [];
  const libraryDirs = new Set<string>();
  const serviceDeps = new Map<Service, string[]>();
  const consider = (pkg: PackageFacts | null, origin: 'workspace' | 'package') => {
    if (!pkg) return;
    if (isServicePackage(pkg, shared)) {
      const service = serviceFromPackage(pkg, origin);
      serviceDeps.set(service, pkg.dependencies);
      add(service);
    } else if (pkg.name !== null && pkg.dir !== '.') {
      libraryPackages.push(pkg);
      libraryDirs.add(pkg.dir);
    }
  };
  let kind: RepoModel['kind'] = 'unknown';
  if (rootPkg?.workspaces) {
    kind = 'workspace';
    for (const dir of expandWorkspaces(reader, rootPkg.workspaces)) consider(readPackage(reader, dir), 'workspace');
  } else if (rootPkg && isServicePackage(rootPkg, shared)) {
    kind = 'standalone';
    add(serviceFromPackage(rootPkg, 'package'));
  } else if (configFile === CONFIG_FILE) {
    kind = 'workspace';
  }
  if (kind !== 'standalone') {
    for (const file of files.packageJson) {
      const dir = path.posix.dirname(file);
      if (dir === '.' || byDir.has(dir)) continue;
      if (libraryDirs.has(dir)) continue;
      consider(readPackage(reader, dir), 'package');
    }
  }

  // 2. Compose: every compose file; the first one at the root is the one generators edit.
  const composeFile = COMPOSE_FILES.find((f) => reader.isFile(f)) ?? null;
  const composeFiles = [...new Set([...(composeFile ? [composeFile] : []), ...files.compose])];
  const composeByKey = new Map<string, ComposeService>();
  for (const file of composeFiles) {
    for (const cs of readCompose(reader, file) ?? []) {
      const previous = composeByKey.get(cs.key);
      composeByKey.set(cs.key, previous ? mergeCompose(previous, cs) : cs);
    }
  }
  const composeServices = [...composeByKey.values()];
  const infrastructure: RepoModel['infrastructure'] = [];
  for (const cs of composeServices) {
    const infra = infraRole(cs.image);
    if (infra) {
      infrastructure.push({ key: cs.key, image: cs.image, role: infra.role });
      continue;
    }
    let service = cs.build !== null ? byDir.get(cs.build) : undefined;
    if (!service && kind === 'standalone' && (cs.build === '.' || cs.build === null)) service = byDir.get('.');
    service ??= named(cs.key);
    if (!service) {
      service = newService(cs.key, cs.build, { file: cs.file, line: cs.line });
      add(service);
    }
    service.origins.push('compose');
    service.compose = cs;
    service.port ??= composePort(cs);
    if (cs.image && GATEWAY_IMAGES.test(imageName(cs.image))) service.isGateway = true;
  }

  // 3. Kubernetes workloads, joined by name (or by the image naming a known service).
  const k8s = options.deployment === false ? { workloads: [], files: [] } : readKubernetes(reader, files.yaml);
  for (const workload of k8s.workloads) {
    // Databases, brokers and collectors run as workloads too; node agents (DaemonSets) are not services.
    const infra = workload.images.map((image) => infraRole(image)).find((role) => role !== null);
    if (infra || workload.kind === 'DaemonSet') {
      if (infra) infrastructure.push({ key: workload.name, image: workload.images[0] ?? null, role: infra.role });
      continue;
    }
    const bare = workload.name.replace(/-(deployment|deploy|statefulset|sts)$/, '');
    let service = named(workload.name, bare) ?? named(...workload.images.map(imageName));
    if (!service) {
      service = newService(bare, null, { file: workload.file, line: workload.line });
      add(service);
    }
    service.origins.push('kubernetes');
    service.kubernetes = workload;
    if (workload.images.some((image) => GATEWAY_IMAGES.test(imageName(image)))) service.isGateway = true;
  }

  // 4. Declared services (arch.config.json `services`).
  for (const declared of Array.isArray(config.services) ? config.services : []) {
    if (!declared || typeof declared.name !== 'string') continue;
    let service = named(declared.name);
    if (!service) {
      service = newService(declared.name, typeof declared.dir === 'string' ? declared.dir : null, { file: configFile ?? CONFIG_FILE });
      add(service);
    } else if (service.dir === null && typeof declared.dir === 'string') {
      service.dir = declared.dir;
      byDir.set(declared.dir, service);
    }
    service.origins.push('config');
  }

  // 5. Dockerfiles of service folders.
  for (const file of options.deployment === false ? [] : files.dockerfiles) {
    const service = byDir.get(path.posix.dirname(file));
    if (service && !service.dockerfile) service.dockerfile = readDockerfile(reader, file);
  }

  // 6. Source: calls, producers and consumers, tracing, health routes.
  let sourceFiles = 0;
  if (options.source) {
    const { scanSource } = await import('./extract/source.js');
    const withDir = services.filter((s): s is Service & { dir: string } => s.dir !== null);
    const result = await scanSource({ root, services: withDir.map((s) => ({ name: s.name, dir: s.dir })), files: files.source, serviceNames: services.map((s) => s.name), reader });
    for (const d of result.diagnostics) reader.report(d);
    sourceFiles = result.parsed;
    for (const service of withDir) service.source = result.facts.get(service.name) ?? null;
  }

  // 7. Gateway, databases, call targets, channels and edges.
  const declaredGateway = typeof config.gateway === 'string' ? config.gateway : null;
  for (const service of services) {
    service.origins = [...new Set(service.origins)];
    if (declaredGateway !== null) service.isGateway = service.name === declaredGateway;
    else if (/(^|-)(api-)?gateway$/.test(service.name)) service.isGateway = true;
  }
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { databases, brokers } = joinDatabases(services, composeServices);
  const { channels, edges } = joinEdges(services);
  joinGatewayRoutes(services);
  const users = new Map<string, string[]>();
  for (const [service, deps] of serviceDeps) {
    for (const dep of new Set(deps)) {
      const list = users.get(dep);
      if (list) list.push(service.name);
      else users.set(dep, [service.name]);
    }
  }
  const libraries = libraryPackages
    .map((pkg) => ({
      name: pkg.name!,
      dir: pkg.dir,
      declared: shared.includes(pkg.dir) || shared.includes(pkg.name!),
      users: [...(users.get(pkg.name!) ?? [])].sort(),
      location: { file: `${pkg.dir}/package.json` },
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  return {
    version: 1,
    kind,
    workspace: kind === 'workspace' ? { patterns: rootPkg?.workspaces ?? [], configFile, composeFile } : null,
    services,
    databases,
    brokers,
    gateway: services.find((s) => s.isGateway)?.name ?? null,
    gateways: [],
    infrastructure,
    channels,
    edges,
    sagas: services
      .flatMap((s) => (s.source?.sagas ?? []).map((saga) => ({ ...saga, host: s.name })))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
    libraries,
    files: { compose: composeFiles, kubernetes: k8s.files, dockerfiles: files.dockerfiles, packageJson: files.packageJson, source: sourceFiles },
    diagnostics: [...reader.diagnostics].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0))),
  };
}

/** Walks up from `start` to the nearest folder that holds arch.config.json or a package.json with workspaces. */
/** The port a compose service listens on: its PORT variable, else the first `expose`, else the container side of the first `ports`. */
function composePort(cs: ComposeService): number | null {
  const candidates = [cs.environment.PORT, cs.expose[0], cs.ports[0]?.split('/')[0]?.split(':').at(-1)];
  for (const candidate of candidates) {
    if (candidate !== undefined && /^\d{1,5}$/.test(candidate.trim()) && Number(candidate) > 0 && Number(candidate) < 65536) return Number(candidate);
  }
  return null;
}

export function findWorkspaceRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    const reader = createReader(dir);
    if (reader.isFile(CONFIG_FILE)) return dir;
    try {
      const pkg = JSON.parse(reader.read('package.json') ?? '{}') as { workspaces?: unknown };
      if (pkg.workspaces) return dir;
    } catch {
      /* keep looking */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
