/**
 * Joins the facts of a service's files into its ServiceFacts, and gives it the
 * dependencies of the build units it is built from: the unit in its folder (or
 * the nearest one above it: a Go main package under the module root), that
 * unit's parents (Maven `<parent>`) and the local units it references
 * (ProjectReference, Gradle `project(':x')`), transitively, each visited once.
 * A library's dependencies are the service's too; a library's code is not.
 */
import { capabilitiesOf } from '../knowledge/index.js';
import { emptyServiceFacts, type BuildUnit, type FileFacts, type ServiceFacts } from '../facts.js';
import { dirOf } from './repo-index.js';

/** Facts of files that are not source code (manifests, configuration) do not make a language. */
const LANGUAGE_NEUTRAL = new Set([undefined, '']);

export function unitChain(dir: string | null, units: ReadonlyMap<string, BuildUnit>): BuildUnit[] {
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
  }
  return out;
}

export function serviceFacts(files: readonly string[], byFile: ReadonlyMap<string, FileFacts>, units: readonly BuildUnit[], extraDependencies: ReadonlyMap<string, FileFacts['dependencies']>): ServiceFacts {
  const out = emptyServiceFacts();
  const languages = new Map<string, number>();
  for (const file of files) {
    const facts = byFile.get(file);
    if (!facts) continue;
    if (!LANGUAGE_NEUTRAL.has(facts.language)) {
      languages.set(facts.language!, (languages.get(facts.language!) ?? 0) + 1);
      out.sourceFiles++;
    }
    out.health.push(...(facts.health ?? []));
    out.tracing.push(...(facts.tracing ?? []));
    out.traceExport.push(...(facts.traceExport ?? []));
    out.breakers.push(...(facts.breakers ?? []));
    out.platform.push(...(facts.platform ?? []));
    out.entryPoints.push(...(facts.entryPoints ?? []));
    out.calls.push(...(facts.calls ?? []));
    out.messaging.push(...(facts.messaging ?? []));
    out.settings.push(...(facts.settings ?? []));
    out.gateways.push(...(facts.gateways ?? []));
    out.localState.push(...(facts.localState ?? []));
  }
  out.languages = [...languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l);
  out.sourceRead = out.sourceFiles > 0;
  const seen = new Set<string>();
  for (const unit of units) {
    const deps = extraDependencies.get(unit.dir) ?? [];
    const manifest = byFile.get(unit.location.file)?.dependencies ?? [];
    if (byFile.has(unit.location.file)) out.manifestRead = true;
    for (const dep of [...manifest, ...deps]) {
      const key = `${dep.ecosystem}\0${dep.name}`;
      if (dep.scope !== 'runtime' || seen.has(key)) continue;
      seen.add(key);
      out.dependencies.push(dep);
      for (const capability of capabilitiesOf(dep)) out.capabilities.push({ capability, via: dep.name, location: dep.location });
    }
  }
  return out;
}
