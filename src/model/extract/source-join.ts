/**
 * The join step: per-file facts become per-service SourceFacts. Wrapper
 * calls, breakers and constants are resolved across the files of the
 * repository; targets are matched against service names; NestJS patterns
 * get their broker from the service's transport; prefixes apply to routes.
 */
import type { BrokerKind, Location, SourceFacts } from '../types.js';
import { CallJoiner } from './source-join-calls.js';
import { ServiceMessages } from './source-join-messages.js';
import { NestJoiner } from './source-join-nest.js';
import { ModuleIndex } from './source-modules-index.js';
import { isHealthPath, joinPath } from './source-routes.js';
import type { FileResult } from './source-types.js';
import type { ServiceMatcher } from './source-targets.js';

export function byLocation(a: { location: Location }, b: { location: Location }): number {
  const x = a.location;
  const y = b.location;
  return x.file < y.file ? -1 : x.file > y.file ? 1 : (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0);
}

/** `app.register(healthRoutes, { prefix: '/health' })`: prefixes by where the plugin or router is defined. */
function routePrefixes(index: ModuleIndex, service: string, files: readonly FileResult[]): Map<string, string[]> {
  const prefixes = new Map<string, string[]>();
  for (const file of files) {
    for (const { binding, prefix } of file.prefixes) {
      const def = index.definition(file, binding);
      if (!def || def.file.service !== service) continue;
      const key = `${def.file.file}\0${def.local}`;
      prefixes.set(key, [...(prefixes.get(key) ?? []), prefix]);
    }
  }
  return prefixes;
}

export interface JoinInput {
  results: readonly FileResult[];
  services: readonly string[];
  matcher: ServiceMatcher;
  /** Brokers each service's package.json depends on. */
  brokerDeps: ReadonlyMap<string, readonly BrokerKind[]>;
}

export function joinResults(input: JoinInput, empty: () => SourceFacts): Map<string, SourceFacts> {
  const index = new ModuleIndex(input.results, input.matcher);
  const calls = new CallJoiner(index, input.matcher, input.results);
  const facts = new Map(input.services.map((name) => [name, empty()]));
  const byService = new Map<string, FileResult[]>();
  for (const result of input.results) {
    // Files of shared libraries (service '') only lend their constants and exports.
    if (!facts.has(result.service)) continue;
    const list = byService.get(result.service);
    if (list) list.push(result);
    else byService.set(result.service, [result]);
  }
  const nest = new NestJoiner(index, input.matcher, byService, input.brokerDeps);
  for (const [service, files] of byService) {
    const out = facts.get(service)!;
    const messages = new ServiceMessages(index, files, input.brokerDeps.get(service) ?? [], nest.served(service));
    const prefixes = routePrefixes(index, service, files);
    const globalPrefix = files.find((f) => f.nest.globalPrefix)?.nest.globalPrefix ?? null;
    for (const file of files) {
      if (file.parsed) out.files++;
      if (file.tracing && (!out.tracing || byLocation({ location: file.tracing }, { location: out.tracing }) < 0)) out.tracing = file.tracing;
      for (const call of file.calls) {
        const outcome = call.nest ? nest.join(service, file, call) : { call, fallback: null };
        if ('message' in outcome) {
          out.messaging.push(...messages.join(file, outcome.message));
          continue;
        }
        const joined = calls.join(file, outcome.call, outcome.fallback);
        if (joined) out.calls.push(joined);
      }
      for (const message of [...file.messaging, ...nest.consumers(file)]) out.messaging.push(...messages.join(file, message));
      for (const route of file.routes) {
        const applied = route.owners.flatMap((owner) => prefixes.get(`${file.file}\0${owner}`) ?? []);
        const global = route.nest && globalPrefix && !globalPrefix.exclude.includes(route.path) ? [globalPrefix.prefix] : [];
        const paths = applied.length > 0 ? applied.map((prefix) => joinPath(prefix, route.path)) : [joinPath(...global, route.path)];
        for (const p of new Set(paths)) if (route.healthCheck || isHealthPath(p)) out.healthRoutes.push({ path: p, location: route.location });
      }
      // A library file adopted by the service may import the service's own code.
      out.crossImports.push(...file.crossImports.filter((c) => c.target !== service));
      out.localState.push(...file.localState);
      out.sagas.push(...file.sagas);
    }
    for (const list of [out.calls, out.messaging, out.healthRoutes, out.crossImports, out.localState, out.sagas] as Array<Array<{ location: Location }>>) list.sort(byLocation);
  }
  return facts;
}
