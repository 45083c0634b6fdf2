/**
 * Builds the RepoModel of a directory: a pipeline of named steps, each a
 * module of its own.
 *
 *   files      the walk (extract/files.ts): .gitignore, ignore globs, links, what extractors accept
 *   discover   npm packages (discover/packages.ts), compose projects (discover/compose-projects.ts),
 *              Kubernetes workloads (extract/k8s.ts)
 *   extract    every registered extractor over the files it accepts (extract/run.ts): build
 *              manifests, configuration, gateway and deployment formats; the source of other
 *              languages in a worker thread started after the walk (extract/off-thread.ts),
 *              awaited where files are assigned to services
 *   link       deployment units → services with their source folders, or infrastructure
 *              (link/services.ts); files → services (link/ownership.ts); facts per service
 *              (link/service-facts.ts); JavaScript/TypeScript source (extract/source.ts)
 *   join       settings per service (join/settings.ts), per-item calls through other classes
 *              (join/loops.ts), call targets and edges, gateways and
 *              their routes (join/edges.ts), databases (join/databases.ts), channels
 *
 * Generators scan with `deployment: false`: packages, compose and
 * arch.config.json only (what they decide from), well under 0.3 s.
 */
import { pathsUnder } from '../util/sorted-paths.js';
import { stopwatch, timed, timedAsync } from '../util/timing.js';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { discoverCompose } from './discover/compose-projects.js';
import { infrastructureImage, productImage } from './discover/infra.js';
import { discoverPackages, newService } from './discover/packages.js';
import { composeUnit, kubernetesUnit } from './discover/units.js';
import { COMPOSE_FILES } from './extract/compose.js';
import { dockerfileEnvironment, dockerfileFacts, parseDockerfile, readDockerfile } from './extract/dockerfile.js';
import { dockerfilePaths } from './extract/dockerfile-paths.js';
import { listFiles } from './extract/files.js';
import { startKubernetes } from './extract/k8s.js';
import { readPackage, type PackageFacts } from './extract/package-json.js';
import { startOffThread } from './extract/off-thread.js';
import { acceptor, loadExtractors, mergeExtracted, runExtractors, type ExtractedFacts } from './extract/run.js';
import { emptyServiceFacts, type BuildUnit, type DeploymentUnit, type FileFacts, type GatewayDecl, type Setting } from './facts.js';
import { traefikFromLabels } from './extract/gateway-utils/traefik-labels.js';
import { joinDatabases } from './join/databases.js';
import { joinEdges, joinGatewayRoutes, joinGateways, resolveCalls } from './join/edges.js';
import { joinLoopCalls } from './join/loops.js';
import { effectiveSettings, type EffectiveSettings } from './join/settings.js';
import { assignFiles } from './link/ownership.js';
import { buildRepoIndex, indexedFile } from './link/repo-index.js';
import { serviceFacts, unitChain } from './link/service-facts.js';
import { linkServices, type LinkedUnit } from './link/services.js';
import { buildDockerfile } from './link/source-dir.js';
import { foldSourceFacts } from './link/source-facts.js';
import { createReader, type RepoReader } from './read.js';
import type { ComposeService, KubernetesWorkload, RepoModel, Service } from './types.js';

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
   * Read Kubernetes manifests, Dockerfiles and everything the extractor registry reads (default true).
   * Generators turn this off: what they decide from (workspace packages, compose, config) is the same
   * either way, and a `create-service` run stays well under 0.3 s.
   */
  deployment?: boolean;
}

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

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []);

type Origin = ComposeService | KubernetesWorkload | null;

/** Scans `root` into a RepoModel. Throws ConfigError only for a broken arch.config.json. */
export async function scan(root: string, options: ScanOptions = {}): Promise<RepoModel> {
  // Every file is read through the reader: regular files inside the root only, within the size cap (read.ts).
  const reader = createReader(root);
  const rootPkg = readPackage(reader, '.');
  const { file: configFile, config } = readModelConfig(reader, rootPkg);
  const shared = strings(config.shared);
  const ignore = [...strings(config.ignore), ...(options.ignore ?? [])];
  const deep = options.deployment !== false;
  const watch = stopwatch('scan: ');

  // files
  const extractors = deep ? await loadExtractors() : [];
  const registry = extractors.length > 0 ? acceptor(extractors) : () => false;
  const files = listFiles(root, { ignore, reader, accept: (rel) => indexedFile(rel) || registry(rel) });
  for (const d of files.skipped) reader.report(d);
  const extractable = [...files.other, ...files.yaml, ...files.env];
  // The source of other languages is parsed in a worker thread meanwhile, when there is enough of it (off-thread.ts).
  const offThread = deep ? await startOffThread(root, extractable, reader, extractors, { yamlFiles: files.yaml }) : null;
  watch.lap('files');

  // discover
  const packages = discoverPackages(reader, rootPkg, files.packageJson, shared, configFile === CONFIG_FILE);
  const composeFile = COMPOSE_FILES.find((f) => reader.isFile(f)) ?? null;
  const compose = discoverCompose(reader, [...new Set([...(composeFile ? [composeFile] : []), ...files.compose])]);
  for (const project of compose.separate) reader.report({ file: project.dir, message: `compose project left out: ${project.reason}; check it on its own` });
  const composeServices = compose.projects.flatMap((p) => p.services);
  // This thread parses its share of the Kubernetes YAML, then takes the worker's.
  const k8sPending = deep ? timed('scan: Kubernetes YAML parsed here', () => startKubernetes(reader, files.yaml, offThread?.kubernetesFiles ?? [])) : null;
  const k8sParsed = k8sPending ? await timedAsync('scan: wait for the worker\'s Kubernetes YAML', () => offThread!.kubernetes()) : null;
  const k8s = k8sPending ? timed('scan: Kubernetes workloads', () => k8sPending.finish(k8sParsed!)) : { workloads: [], files: [] };
  watch.lap('discover');

  // extract
  let extracted: ExtractedFacts = deep ? await runExtractors(extractable, reader, { where: (e) => !e.offThread }) : { byFile: new Map<string, FileFacts>(), read: new Map(), diagnostics: [] };
  for (const d of extracted.diagnostics) reader.report(d);
  watch.lap('extract');
  const buildUnits: BuildUnit[] = [];
  const unitDependencies = new Map<string, FileFacts['dependencies']>();
  const extraUnits: DeploymentUnit[] = [];
  for (const [file, facts] of extracted.byFile) {
    if (facts.unit) buildUnits.push(facts.unit);
    else if (facts.dependencies?.length) unitDependencies.set(path.posix.dirname(file), facts.dependencies);
    if (facts.deployments) extraUnits.push(...facts.deployments);
  }
  for (const pkg of packages.packages.values()) buildUnits.push(npmUnit(pkg));

  // link
  const allFiles = [...files.other, ...files.yaml, ...files.env, ...files.source, ...files.packageJson, ...files.dockerfiles, ...files.compose];
  const index = buildRepoIndex(allFiles, buildUnits);
  // Each Dockerfile is parsed once, for its paths, its base images and its facts.
  const parsedDockerfiles = new Map<string, ReturnType<typeof parseDockerfile> | null>();
  const parsedDockerfile = (file: string): ReturnType<typeof parseDockerfile> | null => {
    let parsed = parsedDockerfiles.get(file);
    if (parsed === undefined) {
      const text = reader.read(file);
      parsed = text === null ? null : parseDockerfile(text);
      parsedDockerfiles.set(file, parsed);
    }
    return parsed;
  };
  const dockerCache = new Map<string, readonly string[]>();
  const dockerPaths = (file: string): readonly string[] => {
    let found = dockerCache.get(file);
    if (!found) {
      const parsed = parsedDockerfile(file);
      found = parsed === null ? [] : dockerfilePaths(parsed);
      dockerCache.set(file, found);
    }
    return found;
  };
  const units: Array<LinkedUnit<Origin>> = [
    // A compose entry with neither image nor build is an override of a service that is not there: nothing runs.
    ...composeServices.filter((cs) => cs.image !== null || cs.build !== null).map((cs) => ({ unit: composeUnit(cs), origin: cs as Origin })),
    ...k8s.workloads.filter((w) => w.kind !== 'DaemonSet').map((w) => ({ unit: kubernetesUnit(w), origin: w as Origin })),
    ...extraUnits.map((unit) => ({ unit, origin: null as Origin })),
  ];
  const unitByName = new Map(buildUnits.filter((u) => u.name).map((u) => [u.name!.toLowerCase(), u.dir]));
  const linked = linkServices(units, index, {
    dockerPaths,
    dockerBases: (file) => {
      const parsed = parsedDockerfile(file);
      return parsed === null ? [] : (dockerfileFacts(file, parsed)?.baseImages ?? []);
    },
    isInfrastructureImage: (image) => infrastructureImage(image)?.reason ?? null,
    productImage,
    projectDir: (project) => unitByName.get(project.toLowerCase()) ?? unitByName.get(project.toLowerCase().replace(/_/g, '.')) ?? null,
  });

  const services: Service[] = [...packages.services];
  const byDir = new Map(services.filter((s) => s.dir !== null).map((s) => [s.dir!, s]));
  const byName = new Map(services.map((s) => [s.name, s]));
  const infrastructure: RepoModel['infrastructure'] = [];
  const deployed = new Set<Service>();
  for (const group of linked) {
    if (group.infrastructure !== null) {
      const image = group.units.flatMap((u) => u.unit.images)[0] ?? null;
      infrastructure.push({ key: group.name, image, role: infrastructureImage(image ?? group.name)?.role ?? 'other', reason: group.infrastructure });
      continue;
    }
    // By folder; by name only when the folders do not disagree (compose `storefront` built from ./storefront-bff is
    // not the package in ./storefront).
    const named = byName.get(group.name);
    let service = (group.dir !== null ? byDir.get(group.dir) : undefined) ?? (named && (group.dir === null || named.dir === null || named.dir === group.dir) ? named : undefined);
    if (!service && packages.kind === 'standalone' && (group.dir === null || group.dir === '.') && group.units.some((u) => u.unit.build?.context === '.' || (u.unit.format === 'compose' && u.unit.build === null))) service = byDir.get('.');
    if (!service) {
      const first = group.units[0]!.unit;
      // Names are unique: a taken name gives way to another name of the group (its folder, another unit's name).
      const name = [group.name, ...group.units.map((u) => u.unit.name), ...(group.dir ? [path.posix.basename(group.dir)] : [])].find((n) => !byName.has(n)) ?? `${group.name}-${services.length}`;
      service = newService(name, group.dir, first.location);
      services.push(service);
      if (group.dir !== null) byDir.set(group.dir, service);
      byName.set(service.name, service);
    }
    deployed.add(service);
    for (const { unit, origin } of group.units) {
      service.deployments.push(unit);
      service.origins.push(unit.format === 'other' ? 'config' : unit.format);
      if (unit.format === 'compose' && origin && !service.compose) {
        service.compose = origin as ComposeService;
        service.port ??= composePort(origin as ComposeService);
      }
      if (unit.format === 'kubernetes' && origin && !service.kubernetes) service.kubernetes = origin as KubernetesWorkload;
    }
  }
  // A repository that deploys its services: packages nobody deploys are not services (tests, tools, UIs of other repos).
  // A root package that no deployment runs, beside deployed apps of its own (a Nest or Nx monorepo's root): not a service.
  const undeployedRoot = (s: Service) => packages.kind === 'standalone' && s.dir === '.' && !deployed.has(s) && deployed.size > 0;
  const kept =
    packages.kind === 'unknown' && deployed.size > 0
      ? services.filter((s) => deployed.has(s) || !s.origins.includes('package') || s.origins.length > 1)
      : services.filter((s) => !undeployedRoot(s));

  // Declared services (arch.config.json `services`).
  for (const declared of Array.isArray(config.services) ? config.services : []) {
    if (!declared || typeof declared.name !== 'string') continue;
    let service = kept.find((s) => s.name === declared.name);
    if (!service) {
      service = newService(declared.name, typeof declared.dir === 'string' ? declared.dir : null, { file: configFile ?? CONFIG_FILE });
      kept.push(service);
    } else if (service.dir === null && typeof declared.dir === 'string') service.dir = declared.dir;
    service.origins.push('config');
  }

  // Dockerfiles of service folders.
  if (deep) {
    for (const service of kept) {
      if (service.dir === null) continue;
      const own = buildDockerfile({ context: service.dir, dockerfile: service.compose?.dockerfile ?? null }, index);
      if (own) service.dockerfile = readDockerfile(reader, own, parsedDockerfile(own));
    }
  }

  watch.lap('link');

  // JavaScript/TypeScript source: parsed here while the worker thread (when there is one) parses other languages.
  let sourceResult: Awaited<ReturnType<typeof import('./extract/source.js').scanSource>> | null = null;
  const withDir = kept.filter((s): s is Service & { dir: string } => s.dir !== null);
  // No service with a folder (images only): no source to read, and no reason to load the compiler.
  if (options.source && withDir.length > 0) {
    const { scanSource } = await import('./extract/source.js');
    sourceResult = await scanSource({ root, reader, services: withDir.map((s) => ({ name: s.name, dir: s.dir })), files: files.source, serviceNames: kept.map((s) => s.name) });
  }
  watch.lap('JS/TS source');

  // Facts per service: files of any language, inherited build units, JavaScript/TypeScript source.
  if (offThread) {
    const source = await timedAsync('scan: wait for the source of other languages', () => offThread.facts());
    for (const d of source.diagnostics) reader.report(d);
    extracted = mergeExtracted(extractable, extracted, source);
  }
  const goModules = buildUnits.filter((u) => u.kind === 'go');
  const unitsByName = new Map(buildUnits.filter((u) => u.name && u.kind !== 'go').map((u) => [u.name!.toLowerCase(), u]));
  const depsOfUnit = (unit: BuildUnit): string[] => (extracted.byFile.get(unit.location.file)?.dependencies ?? []).filter((d) => d.scope === 'runtime').map((d) => d.name.split(':').pop()!);
  const owned = assignFiles(allFiles, kept, extracted.byFile, goModules);
  // A config repository's `<application>.yml` speaks for that application, wherever the file sits.
  const byAlias = new Map<string, string>();
  for (const s of kept) for (const alias of [s.name, ...s.deployments.map((d) => d.name), ...(s.dir ? [path.posix.basename(s.dir)] : [])]) if (!byAlias.has(alias.toLowerCase())) byAlias.set(alias.toLowerCase(), s.name);
  for (const [file, facts] of extracted.byFile) {
    const application = facts.settings?.find((x) => x.application && x.application !== '*')?.application;
    const target = application ? byAlias.get(application.toLowerCase()) : undefined;
    if (target) owned.owners.set(file, [target]);
  }
  // The files of a library unit's folder, looked up once per unit.
  const sortedFiles = [...allFiles].sort();
  const underCache = new Map<string, readonly string[]>();
  const filesUnder = (unit: BuildUnit): readonly string[] => {
    let found = underCache.get(unit.dir);
    if (!found) underCache.set(unit.dir, (found = pathsUnder(sortedFiles, unit.dir)));
    return found;
  };
  const filesOf = new Map<string, string[]>();
  for (const [file, names] of owned.owners) for (const name of names) filesOf.set(name, [...(filesOf.get(name) ?? []), file]);
  for (const service of kept) {
    service.facts = deep ? serviceFacts(filesOf.get(service.name) ?? [], extracted.byFile, unitChain(service.dir, index.units, unitsByName, depsOfUnit), unitDependencies, filesUnder) : emptyServiceFacts();
    service.facts.environment = service.deployments.flatMap((d) => d.environment);
    if (service.facts.languages.length > 0 && service.language === 'unknown') service.language = service.facts.languages[0]!;
  }
  // Platform servers (config server, registry, dashboards) run no business code: infrastructure, not services.
  const platforms = new Set<string>();
  for (let i = kept.length - 1; i >= 0; i--) {
    const service = kept[i]!;
    const held = service.facts.capabilities.find((h) => h.capability.kind === 'platform');
    const platform = service.facts.platform[0]?.what ?? held?.via;
    if (!platform || service.facts.calls.length > 0 || service.facts.messaging.length > 0) continue;
    kept.splice(i, 1);
    platforms.add(service.name);
    // A load generator is a tool of the team, not a server: said as what it is.
    const tool = !service.facts.platform[0] && held?.capability.kind === 'platform' && held.capability.role === 'load generator';
    infrastructure.push({ key: service.name, image: service.deployments.flatMap((d) => d.images)[0] ?? null, role: tool ? 'other' : 'platform', reason: tool ? `load generator (${platform})` : `platform server (${platform})` });
  }
  for (const cross of owned.crossImports) {
    kept.find((s) => s.name === cross.service)?.facts.crossImports.push({ specifier: cross.specifier, target: cross.target, location: { file: cross.file, ...(cross.line ? { line: cross.line } : {}) } });
  }
  watch.lap('facts per service');
  let sourceFiles = 0;
  if (sourceResult) {
    for (const d of sourceResult.diagnostics) reader.report(d);
    sourceFiles = sourceResult.parsed;
    for (const service of kept) {
      if (service.dir === null) continue;
      service.source = sourceResult.facts.get(service.name) ?? null;
      if (!service.source) continue;
      // The source was read before platform servers were known: a call to one is left to the join, as for any host.
      for (const call of service.source.calls) if (call.target !== null && platforms.has(call.target)) call.target = null;
      foldSourceFacts(service, packages.packages.get(service.dir) ?? null);
    }
  }
  sourceFiles += [...extracted.byFile.values()].filter((f) => f.language !== undefined).length;

  // join
  const declaredGateway = typeof config.gateway === 'string' ? config.gateway : null;
  for (const service of kept) {
    service.origins = [...new Set(service.origins)];
    if (declaredGateway !== null) service.isGateway = service.name === declaredGateway;
    else if (/(^|-)(api-)?gateway$/.test(service.name) || service.facts.capabilities.some((h) => h.capability.kind === 'gateway') || service.facts.gateways.length > 0) service.isGateway = true;
  }
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const applicationSettings = [...extracted.byFile.values()].flatMap((f) => (f.settings ?? []).filter((s) => s.application));
  const settingsCache = new Map<Service, EffectiveSettings>();
  const settingsOf = (service: Service): EffectiveSettings => {
    let found = settingsCache.get(service);
    if (!found) {
      const primary = service.deployments[0];
      const deployment = primary ? service.deployments.filter((d) => d.format === primary.format).flatMap((d) => d.environment) : [];
      const names = new Set([service.name, ...service.deployments.map((d) => d.name)].map((n) => n.toLowerCase()));
      const own = service.facts.settings.filter((s) => !s.application);
      const appName = [...own, ...deployment].find((s) => /^spring[._]?application[._]?name$/i.test(s.key))?.value.toLowerCase();
      if (appName) names.add(appName);
      // A config server's files for this application, then its files for every application (`application: '*'`).
      const jvm = service.facts.dependencies.some((d) => d.ecosystem === 'maven' || d.ecosystem === 'gradle');
      const fromConfigServer = [
        ...applicationSettings.filter((s) => names.has(s.application!.toLowerCase())),
        ...(jvm ? applicationSettings.filter((s) => s.application === '*') : []),
      ];
      found = effectiveSettings(deployment, [...fromConfigServer, ...own]);
      settingsCache.set(service, found);
    }
    return found;
  };
  // Per-item calls made through a method of another class of the service (a client wrapper called in a loop).
  joinLoopCalls(kept, (service) => filesOf.get(service.name) ?? [], extracted.byFile);
  // `@ConfigurationProperties` classes of another module: `${com.acme.Urls#media}` is `${<its prefix>.media}`.
  const bindings = new Map<string, string>();
  for (const facts of extracted.byFile.values()) for (const b of facts.configBindings ?? []) if (!bindings.has(b.className)) bindings.set(b.className, b.prefix);
  if (bindings.size > 0) {
    const bound = (ref: string): string => {
      const hash = ref.indexOf('#');
      const prefix = hash === -1 ? undefined : bindings.get(ref.slice(0, hash));
      return prefix === undefined ? ref : `${prefix}.${ref.slice(hash + 1)}`;
    };
    for (const service of kept) {
      for (const call of service.facts.calls) {
        if (call.configKey?.includes('#')) call.configKey = bound(call.configKey);
        if (call.url?.includes('#')) call.url = call.url.replace(/\$\{([^}#]+#[^}]+)\}/g, (_m, ref: string) => `\${${bound(ref)}}`);
      }
    }
  }
  resolveCalls(kept, infrastructure, settingsOf);
  const labelled: GatewayDecl[] = [];
  const traefik = infrastructure.find((i) => i.image !== null && /(^|\/)traefik(:|$)/.test(i.image))?.key ?? null;
  for (const cs of composeServices) {
    const routes = traefikFromLabels(cs.key, cs.labels ?? {}, { file: cs.file, line: cs.line });
    if (routes.length > 0) labelled.push({ implementation: 'traefik', runsIn: traefik, routes, location: { file: cs.file, line: cs.line } });
  }
  const imageEnvironment = (cs: ComposeService): Setting[] => {
    const file = cs.build === null ? null : buildDockerfile({ context: cs.build, dockerfile: cs.dockerfile ?? null }, index);
    const parsed = file === null ? null : parsedDockerfile(file);
    return parsed === null ? [] : dockerfileEnvironment(parsed).map(({ key, value, line }) => ({ key, value, profile: null, location: { file: file!, line } }));
  };
  const gateways = joinGateways(kept, infrastructure, composeServices, extracted.byFile, owned.owners, settingsOf, labelled, imageEnvironment);
  const { databases, brokers } = joinDatabases(kept, composeServices, settingsOf);
  const { channels, edges } = joinEdges(kept);
  joinGatewayRoutes(kept, gateways);
  const libraries = packages.libraries
    .map((pkg) => ({
      name: pkg.name!,
      dir: pkg.dir,
      declared: shared.includes(pkg.dir) || shared.includes(pkg.name!),
      users: kept
        .filter((s) => s.dir !== null && packages.packages.get(s.dir)?.dependencies.includes(pkg.name!))
        .map((s) => s.name)
        .sort(),
      location: { file: `${pkg.dir}/package.json` },
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  watch.lap('join');
  const diagnostics = reader.diagnostics;
  return {
    version: 1,
    kind: packages.kind,
    workspace: packages.kind === 'workspace' ? { patterns: rootPkg?.workspaces ?? [], configFile, composeFile } : null,
    services: kept,
    databases,
    brokers,
    gateway: kept.find((s) => s.isGateway)?.name ?? null,
    gateways,
    infrastructure: infrastructure.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    channels,
    edges,
    sagas: kept
      .flatMap((s) => (s.source?.sagas ?? []).map((saga) => ({ ...saga, host: s.name })))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
    libraries,
    files: { compose: compose.projects.flatMap((p) => p.files), kubernetes: k8s.files, dockerfiles: files.dockerfiles, packageJson: files.packageJson, source: sourceFiles },
    diagnostics: [...diagnostics].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0))),
  };
}

/** An npm package as a build unit (its dependencies come from the package.json extractor). */
function npmUnit(pkg: PackageFacts): BuildUnit {
  return {
    kind: 'npm',
    dir: pkg.dir,
    name: pkg.name,
    executable: null,
    parent: null,
    modules: [],
    references: [],
    images: [],
    location: { file: pkg.dir === '.' ? 'package.json' : `${pkg.dir}/package.json` },
  };
}

/** The port a compose service listens on: its PORT variable, else the first `expose`, else the container side of the first `ports`. */
function composePort(cs: ComposeService): number | null {
  const candidates = [cs.environment.PORT, cs.expose[0], cs.ports[0]?.split('/')[0]?.split(':').at(-1)];
  for (const candidate of candidates) {
    if (candidate !== undefined && /^\d{1,5}$/.test(candidate.trim()) && Number(candidate) > 0 && Number(candidate) < 65536) return Number(candidate);
  }
  return null;
}

/** Walks up from `start` to the nearest folder that holds arch.config.json or a package.json with workspaces. */
export function findWorkspaceRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    const reader = createReader(dir);
    if (reader.isFile(CONFIG_FILE)) return dir;
    const text = reader.read('package.json');
    if (text !== null) {
      try {
        const pkg = JSON.parse(text) as { workspaces?: unknown };
        if (pkg.workspaces) return dir;
      } catch {
        /* keep looking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
