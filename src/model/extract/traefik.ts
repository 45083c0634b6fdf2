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
import { ruleTargets } from './gateway-utils/traefik-rule.js';

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

/** A name without its provider (`orders@file` → `orders`), and whether it belongs to this file's provider. */
function local(name: string): string | null {
  const at = name.indexOf('@');
  if (at === -1) return name;
  return name.slice(at + 1) === 'file' ? name.slice(0, at) : null;
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

/** Consul/Nomad tags (`traefik.http.routers.web.rule=PathPrefix(\`/\`)`) as labels. */
export function labelsFromTags(tags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) {
    const eq = tag.indexOf('=');
    out[eq === -1 ? tag : tag.slice(0, eq)] = eq === -1 ? '' : tag.slice(eq + 1);
  }
  return out;
}

interface LabelRouter {
  rule: string | null;
  service: string | null;
  middlewares: string[];
}

/**
 * The routes a Traefik reads from one container's labels (v2/v3 `traefik.http.routers.<r>.rule`/`.service`/
 * `.middlewares`, `traefik.http.services.<s>.loadbalancer.server.port`/`.scheme`, `traefik.tcp.…`; v1
 * `traefik.frontend.rule`, `traefik.port`, `traefik.backend.circuitbreaker.expression`). The upstream is the
 * labelled service itself: `http://<serviceName>[:<port>]`. A container with `traefik.enable=true` and no router
 * (or with a service and no router) gets Traefik's default router (path and host unknown: null). Keys are case-insensitive, as Traefik reads them.
 * Nothing for `traefik.enable=false` or a container without `traefik.` labels.
 */
export function traefikFromLabels(serviceName: string, labels: Readonly<Record<string, string>>, location: Location): GatewayRoute[] {
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(labels)) if (key.toLowerCase().startsWith('traefik.')) lower.set(key.toLowerCase(), value);
  if (lower.size === 0 || lower.get('traefik.enable')?.toLowerCase() === 'false') return [];
  const routes: GatewayRoute[] = [];
  let fallback: string | null = null;
  for (const protocol of ['http', 'tcp'] as const) {
    const routers = new Map<string, LabelRouter>();
    const services = new Map<string, { port: string | null; scheme: string | null }>();
    const breaking = new Set<string>();
    for (const [key, value] of lower) {
      const parts = key.split('.');
      if (parts[1] !== protocol || parts.length < 5) continue;
      const [, , section, name, ...rest] = parts as [string, string, string, string, ...string[]];
      const field = rest.join('.');
      if (section === 'routers') {
        const router = routers.get(name) ?? { rule: null, service: null, middlewares: [] };
        if (field === 'rule') router.rule = value;
        else if (field === 'service') router.service = value;
        else if (field === 'middlewares') router.middlewares = value.split(',').map((m) => m.trim().toLowerCase());
        routers.set(name, router);
      } else if (section === 'services') {
        const service = services.get(name) ?? { port: null, scheme: null };
        if (field === 'loadbalancer.server.port') service.port = value;
        else if (field === 'loadbalancer.server.scheme') service.scheme = value;
        services.set(name, service);
      } else if (section === 'middlewares' && field.startsWith('circuitbreaker.')) {
        breaking.add(name);
      }
    }
    const only = services.size === 1 ? [...services.values()][0]! : null;
    const upstreamOf = (serviceRef: string | null): string | null => {
      const name = serviceRef === null ? null : local(serviceRef.replace(/@docker$/, '@file'));
      if (serviceRef !== null && name === null) return null; // another provider's (`api@internal`): not this container
      const service = (name !== null ? services.get(name) : null) ?? only;
      const scheme = service?.scheme ?? (protocol === 'tcp' ? 'tcp' : 'http');
      return `${scheme}://${serviceName}${service?.port ? `:${service.port}` : ''}`;
    };
    for (const router of routers.values()) {
      const upstream = upstreamOf(router.service);
      if (upstream === null) continue;
      const breaker = router.middlewares.some((m) => breaking.has(m.replace(/@docker$/, '')));
      for (const target of ruleTargets(router.rule)) routes.push({ ...target, upstream, breaker, location });
    }
    // Services without routers: Traefik's default router (Host(`<container>.<domain>`)) sends to them.
    if (protocol === 'http' && routers.size === 0 && services.size > 0) fallback = upstreamOf(null);
  }
  if (routes.length > 0) return routes;
  if (fallback !== null) return [{ path: null, host: null, upstream: fallback, breaker: false, location }];
  return v1Labels(serviceName, lower, location);
}

/** Traefik v1 labels: `traefik.frontend.rule`, `traefik.port`, and the same per segment (`traefik.<segment>.frontend.rule`). */
function v1Labels(serviceName: string, labels: ReadonlyMap<string, string>, location: Location): GatewayRoute[] {
  const breaker = labels.has('traefik.backend.circuitbreaker.expression') || labels.has('traefik.backend.circuitbreaker');
  const segments = new Map<string, { rule: string | null; port: string | null }>();
  for (const [key, value] of labels) {
    const field = key.endsWith('.frontend.rule') ? 'frontend.rule' : key.endsWith('.port') ? 'port' : null;
    if (field === null) continue;
    const prefix = key.slice(0, key.length - field.length - 1);
    const segment = prefix === 'traefik' ? '' : prefix.slice('traefik.'.length);
    if (segment.includes('.')) continue;
    const entry = segments.get(segment) ?? { rule: null, port: null };
    if (field === 'frontend.rule') entry.rule = value;
    else entry.port = value;
    segments.set(segment, entry);
  }
  const defaults = segments.get('');
  const routes: GatewayRoute[] = [];
  for (const [segment, entry] of segments) {
    if (segment !== '' && entry.rule === null) continue;
    const port = entry.port ?? defaults?.port ?? null;
    const upstream = `http://${serviceName}${port ? `:${port}` : ''}`;
    for (const target of ruleTargets(entry.rule)) routes.push({ ...target, upstream, breaker, location });
  }
  if (routes.length === 0 && labels.get('traefik.enable')?.toLowerCase() === 'true') routes.push({ path: null, host: null, upstream: `http://${serviceName}`, breaker, location });
  return routes;
}
