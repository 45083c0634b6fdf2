/**
 * The routes of one Kubernetes routing object (Ingress, Gateway API route, Istio VirtualService bound to a
 * Gateway, Traefik IngressRoute, Contour HTTPProxy, Ambassador Mapping), and the circuit breaking an Istio
 * DestinationRule sets. See kubernetes-routing.ts for what each reads.
 */
import type { Evidence, GatewayRoute } from '../../facts.js';
import type { Location } from '../../types.js';
import { arr, isObject, obj, str, type ConfigDocument, type Json, type JsonObject, type KeyPath } from './documents.js';
import { ruleTargets } from './traefik-rule.js';

/** A Kubernetes object of a document, with the key path of its root inside the document. */
export interface K8sObject {
  group: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  spec: JsonObject;
  value: JsonObject;
  at: KeyPath;
  doc: ConfigDocument;
}

export const isTraefik = (group: string): boolean => group === 'traefik.io' || group === 'traefik.containo.us';

/** The first circuit-breaking setting of a DestinationRule: its own traffic policy, a port's, or a subset's. */
export function meshBreaker(spec: JsonObject): { what: string; keys: KeyPath } | null {
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
export const shortHost = (host: string): string => host.split('.')[0]!.toLowerCase();

export interface Protection {
  protectedHosts: ReadonlySet<string>;
  middlewares: ReadonlySet<string>;
  breakers: Evidence[];
}

function serviceUrl(scheme: string, name: string, namespace: string | null, port: Json | undefined): string {
  const host = namespace ? `${name}.${namespace}` : name;
  const number = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? String(port) : null;
  return `${scheme}://${host}${number ? `:${number}` : ''}`;
}

export function routesOf(o: K8sObject, file: string, protection: Protection): { implementation: string; routes: GatewayRoute[] } | null {
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
