/**
 * Joins the facts of a service's files into its ServiceFacts, and gives it the
 * dependencies of the build units it is built from: the unit in its folder (or
 * the nearest one above it: a Go main package under the module root), that
 * unit's parents (Maven `<parent>`) and the local units it references
 * (ProjectReference, Gradle `project(':x')`), transitively, each visited once.
 * A library's dependencies are the service's too; of a library's code, only what it sets up in the process that
 * loads it: health endpoints, tracing and breakers on every HttpClient (`builder.AddServiceDefaults()` maps
 * `/health`, configures OpenTelemetry and `ConfigureHttpClientDefaults` for every service that references the
 * project). Its calls, messaging and other breakers stay its own: which service uses them is not known.
 */
import { capabilitiesOf } from '../knowledge/index.js';
import { HTTP_CLIENT_DEFAULTS, emptyServiceFacts, type BuildUnit, type FileFacts, type ServiceFacts, type SqlSchemaUse } from '../facts.js';
import { dirOf } from './repo-index.js';

/** Source files by extension, for the languages whose source the registry reads (JS/TS is read by extract/source.ts). */
const READ_LANGUAGES: Readonly<Record<string, string>> = { '.java': 'java', '.go': 'go', '.cs': 'csharp', '.py': 'python' };
const languageOf = (file: string): string | undefined => {
  const dot = file.lastIndexOf('.');
  return dot === -1 ? undefined : READ_LANGUAGES[file.slice(dot).toLowerCase()];
};

/**
 * The build units a service is built from: the unit of its folder (or the nearest above), its parents and local
 * references, and local units its dependencies name (a library of the repository consumed as a package:
 * `Acme.Messaging` from NuGet, `@acme/common` from npm), transitively, each once.
 */
export function unitChain(dir: string | null, units: ReadonlyMap<string, BuildUnit>, byName: ReadonlyMap<string, BuildUnit> = new Map(), dependenciesOf: (unit: BuildUnit) => readonly string[] = () => []): BuildUnit[] {
  if (dir === null) return [];
  let start: BuildUnit | undefined;
  for (let d = dir; ; d = dirOf(d)) {
    start = units.get(d);
    if (start || d === '.') break;
  }
  if (!start) return [];
  const out: BuildUnit[] = [];
  const seen = new Set<string>();
  const queue: BuildUnit[] = [start];
  while (queue.length > 0) {
    const unit = queue.shift()!;
    if (seen.has(unit.dir)) continue;
    seen.add(unit.dir);
    out.push(unit);
    for (const next of [unit.parent, ...unit.references]) {
      if (next === null) continue;
      const found = units.get(next);
      if (found && !seen.has(found.dir)) queue.push(found);
    }
    for (const name of dependenciesOf(unit)) {
      const found = byName.get(name.toLowerCase());
      if (found && !seen.has(found.dir)) queue.push(found);
    }
  }
  return out;
}

export function serviceFacts(
  files: readonly string[],
  byFile: ReadonlyMap<string, FileFacts>,
  units: readonly BuildUnit[],
  extraDependencies: ReadonlyMap<string, FileFacts['dependencies']>,
  /** Files of a referenced library unit's folder (for its health and tracing set-up). */
  libraryFiles: (unit: BuildUnit) => readonly string[] = () => [],
): ServiceFacts {
  const out = emptyServiceFacts();
  const own = new Set(files);
  const home = units[0]?.dir;
  for (const unit of units.slice(1)) {
    // A library beside the service: not a parent folder (a Maven parent, the repository root), not an application.
    if (unit.executable === true || home === undefined || unit.dir === '.' || home === unit.dir || home.startsWith(`${unit.dir}/`)) continue;
    // Its code only: a library's own configuration files (application.properties) are shadowed by the service's.
    for (const file of libraryFiles(unit)) {
      const facts = own.has(file) || !languageOf(file) ? undefined : byFile.get(file);
      if (!facts) continue;
      out.health.push(...(facts.health ?? []));
      out.tracing.push(...(facts.tracing ?? []));
      out.traceExport.push(...(facts.traceExport ?? []));
      // A breaker on every HttpClient of the process (`ConfigureHttpClientDefaults`) is set up in the same way.
      out.breakers.push(...(facts.breakers ?? []).filter((e) => e.what.startsWith(HTTP_CLIENT_DEFAULTS)));
    }
  }
  const languages = new Map<string, number>();
  const pendingBus: NonNullable<FileFacts['busMessaging']> = [];
  const schemas = new Map<string, SqlSchemaUse>();
  for (const file of files) {
    // Every source file of a language the registry reads counts, whether or not it held a fact.
    const language = languageOf(file);
    if (language) {
      languages.set(language, (languages.get(language) ?? 0) + 1);
      out.sourceFiles++;
    }
    const facts = byFile.get(file);
    if (!facts) continue;
    out.health.push(...(facts.health ?? []));
    out.tracing.push(...(facts.tracing ?? []));
    out.traceExport.push(...(facts.traceExport ?? []));
    out.breakers.push(...(facts.breakers ?? []));
    out.platform.push(...(facts.platform ?? []));
    out.entryPoints.push(...(facts.entryPoints ?? []));
    out.calls.push(...(facts.calls ?? []));
    out.messaging.push(...(facts.messaging ?? []));
    for (const bus of facts.busMessaging ?? []) pendingBus.push(bus);
    out.settings.push(...(facts.settings ?? []));
    out.gateways.push(...(facts.gateways ?? []));
    out.localState.push(...(facts.localState ?? []));
    for (const use of facts.sqlSchemas ?? []) {
      const seen = schemas.get(use.schema);
      if (!seen) schemas.set(use.schema, { ...use });
      else if (use.creates) seen.creates = true;
    }
  }
  out.sqlSchemas = [...schemas.values()];
  out.languages = [...languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l);
  out.sourceRead = out.sourceFiles > 0;
  // A Go module serves every main package in it: a dependency counts for a service only if its code imports it.
  const goImports = files.flatMap((f) => byFile.get(f)?.imports ?? []).map((i) => i.specifier);
  const imported = (module: string) => goImports.some((spec) => spec === module || spec.startsWith(`${module}/`));
  const seen = new Set<string>();
  for (const unit of units) {
    const deps = extraDependencies.get(unit.dir) ?? [];
    const manifest = byFile.get(unit.location.file)?.dependencies ?? [];
    if (byFile.has(unit.location.file)) out.manifestRead = true;
    for (const dep of [...manifest, ...deps]) {
      const key = `${dep.ecosystem}\0${dep.name}`;
      if (dep.scope !== 'runtime' || seen.has(key) || (dep.ecosystem === 'go' && !imported(dep.name))) continue;
      seen.add(key);
      out.dependencies.push(dep);
      for (const capability of capabilitiesOf(dep)) out.capabilities.push({ capability, via: dep.name, location: dep.location });
    }
  }
  // Messaging whose broker the code does not name (a bus abstraction, Spring Cloud Stream, Eventuate): the broker of
  // the service's dependencies; with none, nothing can be said.
  const broker = out.capabilities.find((h) => h.capability.kind === 'broker')?.capability;
  out.messaging = out.messaging.flatMap((m) => (m.brokerUnknown ? (broker?.kind === 'broker' ? [{ ...m, broker: broker.broker }] : []) : [m]));
  if (broker?.kind === 'broker') for (const bus of pendingBus) out.messaging.push({ broker: broker.broker, role: bus.role, channel: bus.channel, location: bus.location });
  return out;
}
