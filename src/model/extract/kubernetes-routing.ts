/**
 * Routing objects of Kubernetes manifests (several documents per file, `kind: List` read through):
 *
 * - Ingress (`networking.k8s.io/v1` `backend.service.name/port`, and the older `serviceName/servicePort`);
 * - Gateway API HTTPRoute, GRPCRoute, TCPRoute, TLSRoute (`backendRefs` to Services);
 * - Istio VirtualService bound to a Gateway (`spec.gateways` naming one other than `mesh`): `http[].match[].uri`
 *   to `route[].destination.host`. A VirtualService of the mesh only (no `gateways`, or only `mesh`) splits
 *   or mirrors traffic between versions of one service: it is not a gateway and declares nothing here;
 * - Traefik IngressRoute / IngressRouteTCP (`match` rule to `services`), Contour HTTPProxy, Emissary/Ambassador
 *   Mapping.
 *
 * Upstreams are the Service as a URL: `http://<name>[.<namespace>]:<port>` (`grpc://` for GRPCRoute, `tcp://` for
 * TCP/TLS routes), without the port when it is named.
 *
 * Breakers: an Istio DestinationRule with `outlierDetection` or `connectionPool` limits (Istio's circuit breaking),
 * in its traffic policy, a port's or a subset's, is `breakers` evidence whose `destination` is its host: the join
 * applies it to every call and route to that host, from any file; routes of the same file to that host get
 * `breaker` here. A Traefik Middleware with `circuitBreaker` protects the IngressRoutes of the file that use it;
 * an Ambassador Mapping with `circuit_breakers` its own route. Retries (Istio `retries`, Linkerd ServiceProfile
 * `isRetryable`, Traefik `retry`) are not breakers.
 *
 * A ConfigMap that carries an nginx or Envoy configuration (`data: { nginx.conf: | … }`) declares that gateway,
 * read as the nginx and envoy extractors read the file it becomes.
 *
 * Helm templates (`{{ }}`) are not YAML: they are skipped (the Helm extractor renders charts and can call
 * `routingFacts` on the result).
 */
import type { Evidence, GatewayDecl, GatewayRoute } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isConfigFile, isObject, obj, readDocuments, str, type ConfigDocument, type Json, type JsonObject, type KeyPath } from './gateway-utils/documents.js';
import { ruleTargets } from './gateway-utils/traefik-rule.js';
import { envoyFacts } from './envoy.js';
import { nginxFacts } from './nginx.js';

export default defineExtractor({
  id: 'kubernetes-routing',
  description: 'Kubernetes Ingress, Gateway API routes, Istio VirtualService/DestinationRule, Traefik IngressRoute, Contour, Ambassador: routes to Services, mesh breakers',
  accepts: (file) => isConfigFile(file),
  // `: Ingress` (and IngressRoute…), not `Ingress`: a NetworkPolicy's `policyTypes: [Ingress]` is no route.
  needles: [
    ': Ingress',
    ': "Ingress',
    ": 'Ingress",
    'HTTPRoute',
    'GRPCRoute',
    'TCPRoute',
    'TLSRoute',
    'VirtualService',
    'DestinationRule',
    'HTTPProxy',
    'getambassador.io',
    'Middleware',
    'proxy_pass',
    'grpc_pass',
    'static_resources',
  ],
  extract({ path, text }) {
    // Not a manifest (an Envoy bootstrap, Helm values): not worth parsing.
    if (!text.includes('apiVersion')) return null;
    const { documents, diagnostics } = readDocuments(path, text);
    const facts = routingFacts(documents, path);
    if (!facts.gateways && !facts.breakers) return null;
    const out: ExtractResult = facts;
    if (diagnostics.length > 0) out.diagnostics = diagnostics;
    return out;
  },
});

/** A Kubernetes object of a document, with the key path of its root inside the document. */
interface K8sObject {
  group: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  spec: JsonObject;
  value: JsonObject;
  at: KeyPath;
  doc: ConfigDocument;
}

/** Gateways and breakers of the routing objects in parsed documents (plain YAML, or a rendered Helm chart). */
export function routingFacts(documents: readonly ConfigDocument[], file: string): Pick<ExtractResult, 'gateways' | 'breakers'> {
  const objects = documents.flatMap(objectsOf);
  const breakers: Evidence[] = [];
  const protectedHosts = new Set<string>();
  const middlewares = new Set<string>();
  for (const o of objects) {
    const at = (keys: KeyPath): Location => ({ file, line: o.doc.lineOf([...o.at, ...keys]) });
    if (o.group === 'networking.istio.io' && o.kind === 'DestinationRule') {
      const host = str(o.spec.host);
      const policy = meshBreaker(o.spec);
      if (host && policy) {
        breakers.push({ what: `Istio DestinationRule ${o.name ?? host}: ${policy.what} for ${host}`, location: at(['spec', ...policy.keys]), destination: host });
        protectedHosts.add(shortHost(host));
      }
    } else if (isTraefik(o.group) && o.kind === 'Middleware' && isObject(o.spec.circuitBreaker)) {
      breakers.push({ what: `Traefik Middleware ${o.name ?? ''}: circuitBreaker`.trim(), location: at(['spec', 'circuitBreaker']) });
      if (o.name) middlewares.add(o.name);
    }
  }
  const gateways: GatewayDecl[] = [];
  for (const o of objects) {
    const routes = routesOf(o, file, { protectedHosts, middlewares, breakers });
    if (routes) gateways.push({ implementation: routes.implementation, runsIn: null, routes: routes.routes, location: { file, line: o.doc.lineOf([...o.at, 'kind']) } });
    if (o.group === '' && o.kind === 'ConfigMap') {
      for (const embedded of embeddedGateways(o, file)) {
        gateways.push(...(embedded.gateways ?? []));
        breakers.push(...(embedded.breakers ?? []));
      }
    }
  }
  const out: Pick<ExtractResult, 'gateways' | 'breakers'> = {};
  if (gateways.length > 0) out.gateways = gateways;
  if (breakers.length > 0) out.breakers = breakers;
  return out;
}

/**
 * nginx and Envoy configuration a ConfigMap carries (`data: { nginx.conf: | … }`), read as the files they become
 * when mounted; lines are those of the manifest.
 */
function embeddedGateways(o: K8sObject, file: string): ExtractResult[] {
  const out: ExtractResult[] = [];
  for (const [key, value] of Object.entries(obj(o.value.data))) {
    if (typeof value !== 'string') continue;
    const keyLine = o.doc.lineOf([...o.at, 'data', key]);
    // A block scalar's first line is the one below its key.
    const offset = value.includes('\n') ? keyLine : keyLine - 1;
    let facts: ExtractResult | null = null;
    if (value.includes('proxy_pass') || value.includes('grpc_pass')) facts = nginxFacts(file, value, null);
    else if (value.includes('static_resources') || value.includes('envoy.config.')) facts = envoyFacts(file, readDocuments(key, value).documents);
    if (facts) out.push(shiftLines(facts, offset));
  }
  return out;
}

function shiftLines(facts: ExtractResult, offset: number): ExtractResult {
  const shift = (location: Location): Location => ({ ...location, line: (location.line ?? 1) + offset });
  return {
    gateways: facts.gateways?.map((g) => ({ ...g, location: shift(g.location), routes: g.routes.map((r) => ({ ...r, location: shift(r.location) })) })),
    breakers: facts.breakers?.map((b) => ({ ...b, location: shift(b.location) })),
  };
}

function objectsOf(doc: ConfigDocument): K8sObject[] {
  const out: K8sObject[] = [];
  const add = (value: Json | undefined, at: KeyPath) => {
    if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return;
    const slash = value.apiVersion.indexOf('/');
    const metadata = obj(value.metadata);
    out.push({
      group: slash === -1 ? '' : value.apiVersion.slice(0, slash),
      kind: value.kind,
      name: str(metadata.name),
      namespace: str(metadata.namespace),
      spec: obj(value.spec),
      value,
      at,
      doc,
    });
  };
  const root = obj(doc.value);
  if (root.kind === 'List') arr(root.items).forEach((item, i) => add(item, ['items', i]));
  else add(doc.value, []);
  return out;
}

const isTraefik = (group: string): boolean => group === 'traefik.io' || group === 'traefik.containo.us';

/** The first circuit-breaking setting of a DestinationRule: its own traffic policy, a port's, or a subset's. */
function meshBreaker(spec: JsonObject): { what: string; keys: KeyPath } | null {
  const policies: Array<[Json | undefined, KeyPath]> = [[spec.trafficPolicy, ['trafficPolicy']]];
  arr(obj(spec.trafficPolicy).portLevelSettings).forEach((p, i) => policies.push([p, ['trafficPolicy', 'portLevelSettings', i]]));
  arr(spec.subsets).forEach((s, i) => policies.push([obj(s).trafficPolicy, ['subsets', i, 'trafficPolicy']]));
  for (const [policy, keys] of policies) {
    const p = obj(policy);
    if (isObject(p.outlierDetection)) return { what: 'outlierDetection', keys: [...keys, 'outlierDetection'] };
    if (hasLimits(p.connectionPool)) return { what: 'connectionPool limits', keys: [...keys, 'connectionPool'] };
  }
  return null;
}

function hasLimits(pool: Json | undefined): boolean {
  const p = obj(pool);
  return [obj(p.tcp), obj(p.http)].some((limits) => Object.keys(limits).some((k) => k.startsWith('max') || k.startsWith('http1Max') || k.startsWith('http2Max')));
}

/** `reviews.prod.svc.cluster.local` → `reviews`: how a short name and a full one meet. */
const shortHost = (host: string): string => host.split('.')[0]!.toLowerCase();

interface Protection {
  protectedHosts: ReadonlySet<string>;
  middlewares: ReadonlySet<string>;
  breakers: Evidence[];
}

function serviceUrl(scheme: string, name: string, namespace: string | null, port: Json | undefined): string {
  const host = namespace ? `${name}.${namespace}` : name;
  const number = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? String(port) : null;
  return `${scheme}://${host}${number ? `:${number}` : ''}`;
}

function routesOf(o: K8sObject, file: string, protection: Protection): { implementation: string; routes: GatewayRoute[] } | null {
  const routes: GatewayRoute[] = [];
  const at = (keys: KeyPath): Location => ({ file, line: o.doc.lineOf([...o.at, 'spec', ...keys]) });
  const push = (path: string | null, host: string | null, upstream: string, breaker: boolean, keys: KeyPath) =>
    routes.push({ path, host, upstream, breaker, location: at(keys) });
  const spec = o.spec;
  if (o.kind === 'Ingress' && (o.group === 'networking.k8s.io' || o.group === 'extensions')) {
    const backend = (b: Json | undefined, path: string | null, host: string | null, keys: KeyPath) => {
      const service = obj(obj(b).service);
      const name = str(service.name) ?? str(obj(b).serviceName);
      if (!name) return;
      const port = str(service.name) ? (obj(service.port).number ?? obj(service.port).name) : obj(b).servicePort;
      push(path, host, serviceUrl('http', name, o.namespace, port), false, keys);
    };
    for (const key of ['defaultBackend', 'backend']) if (isObject(spec[key])) backend(spec[key], null, null, [key]);
    arr(spec.rules).forEach((rule, i) => {
      const host = str(obj(rule).host);
      arr(obj(obj(rule).http).paths).forEach((p, j) => backend(obj(p).backend, str(obj(p).path) ?? '/', host, ['rules', i, 'http', 'paths', j]));
    });
    return { implementation: 'ingress', routes };
  }
  if (o.group === 'gateway.networking.k8s.io' && o.kind.endsWith('Route')) {
    const scheme = o.kind === 'GRPCRoute' ? 'grpc' : o.kind === 'HTTPRoute' ? 'http' : 'tcp';
    const host = arr(spec.hostnames).map((h) => str(h)).find((h): h is string => !!h) ?? null;
    arr(spec.rules).forEach((r, i) => {
      const rule = obj(r);
      const paths = arr(rule.matches).map((m) => str(obj(obj(m).path).value)).filter((p): p is string => !!p);
      arr(rule.backendRefs).forEach((b, j) => {
        const ref = obj(b);
        const name = str(ref.name);
        if (!name || (str(ref.kind) ?? 'Service') !== 'Service' || (str(ref.group) ?? '') !== '') return;
        const upstream = serviceUrl(scheme, name, str(ref.namespace) ?? o.namespace, ref.port);
        for (const path of paths.length > 0 ? paths : [scheme === 'http' ? '/' : null]) push(path, host, upstream, false, ['rules', i, 'backendRefs', j]);
      });
    });
    return { implementation: 'gateway-api', routes };
  }
  if (o.group === 'networking.istio.io' && o.kind === 'VirtualService') {
    const bound = arr(spec.gateways).map((g) => str(g)).filter((g) => g && g !== 'mesh');
    if (bound.length === 0) return null;
    const host = arr(spec.hosts).map((h) => str(h)).find((h): h is string => !!h && h !== '*') ?? null;
    for (const protocol of ['http', 'tcp', 'tls']) {
      arr(spec[protocol]).forEach((r, i) => {
        const route = obj(r);
        const paths = protocol !== 'http' ? [null] : arr(route.match).map((m) => uriOf(obj(obj(m).uri))).filter((p) => p !== null);
        arr(route.route).forEach((d, j) => {
          const destination = obj(obj(d).destination);
          const target = str(destination.host);
          if (!target) return;
          const upstream = serviceUrl(protocol === 'http' ? 'http' : 'tcp', target, null, obj(destination.port).number);
          const breaker = protection.protectedHosts.has(shortHost(target));
          for (const path of paths.length > 0 ? paths : ['/']) push(path, host, upstream, breaker, [protocol, i, 'route', j]);
        });
      });
    }
    return { implementation: 'istio', routes };
  }
  if (isTraefik(o.group) && o.kind.startsWith('IngressRoute')) {
    const scheme = o.kind === 'IngressRoute' ? 'http' : 'tcp';
    arr(spec.routes).forEach((r, i) => {
      const route = obj(r);
      const breaker = arr(route.middlewares).some((m) => protection.middlewares.has(str(obj(m).name) ?? ''));
      arr(route.services).forEach((s, j) => {
        const service = obj(s);
        const name = str(service.name);
        if (!name || (str(service.kind) ?? 'Service') !== 'Service') return;
        const upstream = serviceUrl(scheme, name, str(service.namespace) ?? o.namespace, service.port);
        for (const target of ruleTargets(str(route.match))) push(target.path, target.host, upstream, breaker, ['routes', i, 'services', j]);
      });
    });
    return { implementation: 'traefik', routes };
  }
  if (o.group === 'projectcontour.io' && o.kind === 'HTTPProxy') {
    const host = str(obj(spec.virtualhost).fqdn);
    arr(spec.routes).forEach((r, i) => {
      const route = obj(r);
      const prefixes = arr(route.conditions).map((c) => str(obj(c).prefix) ?? str(obj(c).exact)).filter((p): p is string => !!p);
      arr(route.services).forEach((s, j) => {
        const name = str(obj(s).name);
        if (!name) return;
        for (const path of prefixes.length > 0 ? prefixes : ['/']) push(path, host, serviceUrl('http', name, o.namespace, obj(s).port), false, ['routes', i, 'services', j]);
      });
    });
    return { implementation: 'contour', routes };
  }
  if (o.group === 'getambassador.io' && o.kind === 'Mapping') {
    const service = str(spec.service);
    if (!service) return null;
    const upstream = service.includes('://') ? service : `http://${service}`;
    const breaker = arr(spec.circuit_breakers).some(isObject);
    if (breaker) protection.breakers.push({ what: `Ambassador Mapping ${o.name ?? ''}: circuit_breakers`, location: at(['circuit_breakers']) });
    push(str(spec.prefix), str(spec.host) ?? str(spec.hostname), upstream, breaker, ['service']);
    return { implementation: 'ambassador', routes };
  }
  return null;
}

function uriOf(uri: JsonObject): string | null {
  return str(uri.prefix) ?? str(uri.exact) ?? str(uri.regex);
}
