/**
 * Traefik configuration files: the file provider's dynamic configuration (YAML, TOML or JSON; v2/v3
 * `http.routers` → `http.services` load-balancer servers, `tcp.routers` → `tcp.services` addresses; v1
 * `frontends` → `backends` servers) and the static configuration (`entryPoints` with `providers`: a Traefik
 * that routes by container labels or by another provider, without routes of its own in the file).
 *
 * Routes follow a router's service through `weighted`, `mirroring` and `failover` services to the servers;
 * a service of another provider (`orders@docker`) stays its name. Breakers: a router whose middlewares include
 * one with `circuitBreaker` (v1: a backend's `circuitBreaker`). `retry` is not a breaker.
 *
 * `traefikFromLabels` reads the same configuration from a container's labels (compose `labels`, Docker, and
 * Consul/Nomad tags through `labelsFromTags`): the compose extractor calls it.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isConfigFile, isObject, obj, readDocuments, str, type ConfigDocument, type JsonObject } from './gateway-utils/documents.js';
import { localName as local, ruleTargets } from './gateway-utils/traefik-rule.js';

export { labelsFromTags, traefikFromLabels } from './gateway-utils/traefik-labels.js';

export default defineExtractor({
  id: 'traefik',
  description: 'Traefik static and dynamic configuration files: routers to load-balancer servers, circuitBreaker middlewares',
  accepts: (file) => isConfigFile(file, true),
  needles: ['routers', 'frontends', 'entryPoints', 'entrypoints'],
  extract({ path, text }) {
    const { documents, diagnostics } = readDocuments(path, text);
    const routes: GatewayRoute[] = [];
    const breakers: Evidence[] = [];
    let first: number | null = null;
    for (const doc of documents) {
      const root = obj(doc.value);
      const found = dynamicV2(root, doc, path, routes, breakers) || dynamicV1(root, doc, path, routes, breakers);
      if (found !== false) first ??= found;
      else if (isStatic(root)) first ??= doc.lineOf([isObject(root.entryPoints) ? 'entryPoints' : 'defaultEntryPoints']);
    }
    if (first === null) return null;
    const out: ExtractResult = { gateways: [{ implementation: 'traefik', runsIn: null, routes, location: { file: path, line: first } }] };
    if (breakers.length > 0) out.breakers = breakers;
    if (diagnostics.length > 0) out.diagnostics = diagnostics;
    return out;
  },
});

/** Static configuration: entry points and a provider (Docker labels, Kubernetes, a file, Consul…). */
function isStatic(root: JsonObject): boolean {
  return (isObject(root.entryPoints) || Array.isArray(root.defaultEntryPoints)) && (isObject(root.providers) || isObject(root.docker) || isObject(root.file) || isObject(root.kubernetes));
}

/** v2/v3 dynamic configuration: the line of the first routers table, or false when there is none. */
function dynamicV2(root: JsonObject, doc: ConfigDocument, file: string, routes: GatewayRoute[], breakers: Evidence[]): number | false {
  let first: number | false = false;
  for (const protocol of ['http', 'tcp'] as const) {
    const section = obj(root[protocol]);
    if (!isObject(section.routers)) continue;
    if (first === false) first = doc.lineOf([protocol, 'routers']);
    const services = obj(section.services);
    const breaking = new Set<string>();
    for (const [name, middleware] of Object.entries(obj(section.middlewares))) {
      if (!isObject(obj(middleware).circuitBreaker)) continue;
      breaking.add(name);
      breakers.push({ what: `Traefik middleware ${name}: circuitBreaker`, location: { file, line: doc.lineOf([protocol, 'middlewares', name, 'circuitBreaker']) } });
    }
    for (const [name, r] of Object.entries(section.routers)) {
      const router = obj(r);
      const service = str(router.service);
      if (!service) continue;
      const breaker = arr(router.middlewares).some((m) => breaking.has(local(str(m) ?? '') ?? ''));
      const location: Location = { file, line: doc.lineOf([protocol, 'routers', name]) };
      const upstreams = serversOf(service, services, protocol);
      for (const target of ruleTargets(str(router.rule))) {
        for (const upstream of upstreams) routes.push({ ...target, upstream, breaker, location });
      }
    }
  }
  return first;
}

/** The servers a service name leads to (through weighted/mirroring/failover services), or the name itself. */
function serversOf(name: string, services: JsonObject, protocol: 'http' | 'tcp'): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [name];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const key = local(next);
    if (key === null || !isObject(services[key])) {
      if (!next.endsWith('@internal')) out.push(next);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const service = services[key];
    for (const server of arr(obj(service.loadBalancer).servers)) {
      const address = str(obj(server).url) ?? str(obj(server).address);
      if (address) out.push(protocol === 'tcp' && !address.includes('://') ? `tcp://${address}` : address);
    }
    for (const weighted of arr(obj(service.weighted).services)) if (str(obj(weighted).name)) queue.push(str(obj(weighted).name)!);
    for (const ref of [str(obj(service.mirroring).service), str(obj(service.failover).service), str(obj(service.failover).fallback)]) if (ref) queue.push(ref);
  }
  return out;
}

/** v1 dynamic configuration (`[frontends]` / `[backends]`): the line of `frontends`, or false. */
function dynamicV1(root: JsonObject, doc: ConfigDocument, file: string, routes: GatewayRoute[], breakers: Evidence[]): number | false {
  if (!isObject(root.frontends)) return false;
  const backends = obj(root.backends);
  for (const [name, b] of Object.entries(backends)) {
    if (isObject(obj(b).circuitBreaker) || isObject(obj(b).circuitbreaker)) {
      breakers.push({ what: `Traefik backend ${name}: circuitBreaker`, location: { file, line: doc.lineOf(['backends', name]) } });
    }
  }
  for (const [name, f] of Object.entries(root.frontends)) {
    const frontend = obj(f);
    const backendName = str(frontend.backend);
    if (!backendName) continue;
    const backend = obj(backends[backendName]);
    const servers = Object.values(obj(backend.servers))
      .map((s) => str(obj(s).url))
      .filter((u): u is string => !!u);
    const breaker = isObject(backend.circuitBreaker) || isObject(backend.circuitbreaker);
    const location: Location = { file, line: doc.lineOf(['frontends', name]) };
    const rules = Object.values(obj(frontend.routes)).map((r) => str(obj(r).rule));
    for (const rule of rules.length > 0 ? rules : [null]) {
      for (const target of ruleTargets(rule)) for (const upstream of servers.length > 0 ? servers : [backendName]) routes.push({ ...target, upstream, breaker, location });
    }
  }
  return doc.lineOf(['frontends']);
}
