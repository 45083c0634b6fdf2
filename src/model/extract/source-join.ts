/**
 * The join step: per-file facts become per-service SourceFacts. Wrapper
 * calls, breakers and constants are resolved across the files of the
 * repository; targets are matched against service names; NestJS patterns
 * get their broker from the service's transport; prefixes apply to routes.
 */
import path from 'node:path';
import type { BrokerKind, Location, MessagingEndpoint, OutboundCall, SourceFacts } from '../types.js';
import { ModuleIndex } from './source-modules-index.js';
import { isHealthPath, joinPath } from './source-routes.js';
import type { FileResult, RawCall, RawMessage, Val, WrapperInit } from './source-types.js';
import type { ServiceMatcher } from './source-targets.js';

const BROKER_ORDER: readonly BrokerKind[] = ['kafka', 'rabbitmq', 'nats', 'mqtt', 'redis'];
const PUBSUB: readonly BrokerKind[] = ['nats', 'mqtt', 'redis'];

export function byLocation(a: { location: Location }, b: { location: Location }): number {
  const x = a.location;
  const y = b.location;
  return x.file < y.file ? -1 : x.file > y.file ? 1 : (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0);
}

function urlFacts(matcher: ServiceMatcher, val: Val | null): Pick<OutboundCall, 'url' | 'envVar' | 'target'> {
  if (val?.t === 'env') return { url: `env:${val.n}`, envVar: val.n, target: matcher.fromEnv(val.n) };
  if (val?.t === 'hint') return { url: null, envVar: null, target: val.s };
  if (val?.t === 'str') return { url: val.s, envVar: null, target: matcher.fromUrl(val.base?.t === 'str' ? val.base.s : val.s) };
  return { url: null, envVar: null, target: null };
}

/** A wrapper call's URL: its path joined to the base URL its client was created with. */
function wrapperUrl(matcher: ServiceMatcher, base: Val | null, url: Val | null, init: WrapperInit | null): Pick<OutboundCall, 'url' | 'envVar' | 'target'> {
  const pathText = url?.t === 'str' ? url.s : null;
  let facts: Pick<OutboundCall, 'url' | 'envVar' | 'target'>;
  if (base?.t === 'str' && pathText !== null) facts = { ...urlFacts(matcher, base), url: base.s.replace(/\/+$/, '') + (pathText.startsWith('/') ? pathText : `/${pathText}`) };
  else if (base) facts = { ...urlFacts(matcher, base), ...(base.t === 'hint' ? { url: pathText } : {}) };
  else facts = urlFacts(matcher, url);
  if (facts.target === null && init?.name && matcher.has(init.name)) facts.target = init.name;
  return facts;
}

function joinCall(index: ModuleIndex, matcher: ServiceMatcher, file: FileResult, call: RawCall): OutboundCall | null {
  const breaker = call.breaker || call.guards.some((guard) => {
    const def = index.definition(file, guard);
    return def !== null && index.usesBreaker(def);
  });
  const make = (client: string, urls: Pick<OutboundCall, 'url' | 'envVar' | 'target'>, behind: boolean): OutboundCall => ({
    kind: call.kind,
    client,
    method: call.method,
    url: urls.url,
    target: urls.target,
    envVar: urls.envVar,
    breaker: behind,
    inLoop: call.inLoop,
    location: call.location,
  });
  if (!call.via) return make(call.client, urlFacts(matcher, index.resolve(file, call.url)), breaker);
  // Through a wrapper: kept when the wrapper (or the factory of the instance) uses a breaker.
  let init = call.via.init;
  let initFile = file;
  let def = index.definition(file, call.via.binding);
  for (let hops = 0; def && hops < 8 && !index.usesBreaker(def); hops++) {
    const instance: { via: string; init: WrapperInit | null } | undefined = def.file.module.instances[def.local];
    if (!instance) return null;
    if (!init && instance.init) [init, initFile] = [instance.init, def.file];
    def = index.definition(def.file, instance.via);
  }
  if (!def || !index.usesBreaker(def)) return null;
  const client = path.posix.basename(def.file.file).replace(/\.[^.]+$/, '');
  const urls = wrapperUrl(matcher, index.resolve(initFile, init?.base ?? null), index.resolve(file, call.url), init);
  return make(client, urls, true);
}

function channelOf(index: ModuleIndex, file: FileResult, val: Val | null): string | null {
  const resolved = index.resolve(file, val);
  if (resolved?.t === 'env') return `env:${resolved.n}`;
  return resolved?.t === 'str' ? resolved.s : null;
}

function brokerFor(message: RawMessage, seen: ReadonlySet<string>, deps: readonly BrokerKind[]): BrokerKind | null {
  if (message.broker) return message.broker;
  if (message.pending === 'nest') {
    const transport = BROKER_ORDER.find((b) => seen.has(b));
    if (transport || seen.has('tcp')) return transport ?? null;
    return BROKER_ORDER.find((b) => b !== 'redis' && deps.includes(b)) ?? null;
  }
  return PUBSUB.find((b) => seen.has(b) || deps.includes(b)) ?? null;
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
  const facts = new Map(input.services.map((name) => [name, empty()]));
  const byService = new Map<string, FileResult[]>();
  for (const result of input.results) {
    const list = byService.get(result.service);
    if (list) list.push(result);
    else byService.set(result.service, [result]);
  }
  for (const [service, files] of byService) {
    const out = facts.get(service);
    if (!out) continue;
    const seen = new Set(files.flatMap((f) => f.brokersSeen));
    const deps = input.brokerDeps.get(service) ?? [];
    const prefixes = new Map<string, string[]>();
    for (const file of files) {
      for (const { binding, prefix } of file.prefixes) {
        const def = index.definition(file, binding);
        if (!def || def.file.service !== service) continue;
        const key = `${def.file.file}\0${def.local}`;
        prefixes.set(key, [...(prefixes.get(key) ?? []), prefix]);
      }
    }
    for (const file of files) {
      if (file.parsed) out.files++;
      if (file.tracing && (!out.tracing || byLocation({ location: file.tracing }, { location: out.tracing }) < 0)) out.tracing = file.tracing;
      for (const call of file.calls) {
        const joined = joinCall(index, input.matcher, file, call);
        if (joined) out.calls.push(joined);
      }
      for (const message of file.messaging) {
        const broker = brokerFor(message, seen, deps);
        if (broker) out.messaging.push({ broker, role: message.role, channel: channelOf(index, file, message.channel), location: message.location } satisfies MessagingEndpoint);
      }
      for (const route of file.routes) {
        const applied = route.owners.flatMap((owner) => prefixes.get(`${file.file}\0${owner}`) ?? []);
        const paths = applied.length > 0 ? applied.map((prefix) => joinPath(prefix, route.path)) : [route.path];
        for (const p of new Set(paths)) if (route.healthCheck || isHealthPath(p)) out.healthRoutes.push({ path: p, location: route.location });
      }
      out.crossImports.push(...file.crossImports);
      out.localState.push(...file.localState);
    }
    for (const list of [out.calls, out.messaging, out.healthRoutes, out.crossImports, out.localState] as Array<Array<{ location: Location }>>) list.sort(byLocation);
  }
  return facts;
}
