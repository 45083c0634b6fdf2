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
import type { Evidence, GatewayDecl } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isConfigFile, isObject, obj, readDocuments, str, type ConfigDocument, type Json, type KeyPath } from './gateway-utils/documents.js';
import { isTraefik, meshBreaker, routesOf, shortHost, type K8sObject } from './gateway-utils/kubernetes-routes.js';
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
