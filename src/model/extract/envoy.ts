/**
 * Envoy configuration (v2 and v3 API shapes, YAML or JSON): a bootstrap's `static_resources`, or xDS resource
 * files (`resources:` of typed Listener / RouteConfiguration / Cluster). Each HTTP route of an inline
 * `route_config` (`match.prefix` / `path` / `safe_regex` / `regex`, `route.cluster` or `weighted_clusters`) and
 * each `tcp_proxy` is a route to its cluster's endpoints (`load_assignment` in v3, `hosts` in v2) as `host:port`;
 * a cluster the file does not define stays its name.
 *
 * Breakers: a cluster with explicit `circuit_breakers` thresholds or an `outlier_detection` block. Envoy's
 * implicit default thresholds (1024 connections, …) are not a breaker anyone chose: they are not counted.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isConfigFile, isObject, obj, readDocuments, str, type ConfigDocument, type Json, type JsonObject, type KeyPath } from './gateway-utils/documents.js';

export default defineExtractor({
  id: 'envoy',
  description: 'Envoy static configuration and xDS resource files: routes to cluster endpoints, circuit_breakers/outlier_detection',
  accepts: (file) => isConfigFile(file),
  needles: ['static_resources', 'envoy.config.', 'envoy.api.v2.'],
  extract({ path, text }) {
    const { documents, diagnostics } = readDocuments(path, text);
    const facts = envoyFacts(path, documents);
    // A file with no Envoy document is someone else's to report.
    if (facts && diagnostics.length > 0) facts.diagnostics = diagnostics;
    return facts;
  },
});

/** The Envoy gateway and breakers of parsed documents (a file, or configuration embedded in a ConfigMap); null when none is Envoy's. */
export function envoyFacts(path: string, documents: readonly ConfigDocument[]): ExtractResult | null {
  const routes: GatewayRoute[] = [];
  const breakers: Evidence[] = [];
  let first: number | null = null;
  for (const doc of documents) {
    const resources = envoyResources(doc);
    if (!resources) continue;
    first ??= doc.lineOf(resources.at);
    const clusters = new Map<string, Cluster>();
    for (const [cluster, keys] of resources.clusters) {
      const read = readCluster(cluster, keys, doc, path);
      if (!read) continue;
      clusters.set(read.name, read);
      if (read.breaker) breakers.push(read.breaker);
    }
    for (const [listener, keys] of resources.listeners) readListener(listener, keys, doc, path, clusters, routes);
    for (const [config, keys] of resources.routeConfigs) readRouteConfig(config, keys, doc, path, clusters, routes);
  }
  if (first === null) return null;
  const out: ExtractResult = { gateways: [{ implementation: 'envoy', runsIn: null, routes, location: { file: path, line: first } }] };
  if (breakers.length > 0) out.breakers = breakers;
  return out;
}

type Located = [JsonObject, KeyPath];

interface Resources {
  at: KeyPath;
  listeners: Located[];
  clusters: Located[];
  routeConfigs: Located[];
}

const items = (value: Json | undefined, keys: KeyPath): Located[] =>
  arr(value).flatMap((item, i): Located[] => (isObject(item) ? [[item, [...keys, i]]] : []));

/** The listeners, clusters and route configurations of a bootstrap (`static_resources`) or an xDS resource file. */
function envoyResources(doc: ConfigDocument): Resources | null {
  const root = obj(doc.value);
  if (isObject(root.static_resources)) {
    const s = root.static_resources;
    if (!Array.isArray(s.listeners) && !Array.isArray(s.clusters)) return null;
    return { at: ['static_resources'], listeners: items(s.listeners, ['static_resources', 'listeners']), clusters: items(s.clusters, ['static_resources', 'clusters']), routeConfigs: [] };
  }
  if (!Array.isArray(root.resources)) return null;
  const found: Resources = { at: ['resources'], listeners: [], clusters: [], routeConfigs: [] };
  for (const [item, keys] of items(root.resources, ['resources'])) {
    const type = str(item['@type']) ?? '';
    if (!type.includes('envoy.')) continue;
    if (type.endsWith('.Listener')) found.listeners.push([item, keys]);
    else if (type.endsWith('.Cluster')) found.clusters.push([item, keys]);
    else if (type.endsWith('.RouteConfiguration')) found.routeConfigs.push([item, keys]);
  }
  return found.listeners.length + found.clusters.length + found.routeConfigs.length > 0 ? found : null;
}

interface Cluster {
  name: string;
  endpoints: string[];
  breaker: Evidence | null;
}

function readCluster(cluster: JsonObject, keys: KeyPath, doc: ConfigDocument, file: string): Cluster | null {
  const name = str(cluster.name);
  if (!name) return null;
  const endpoints: string[] = [];
  const address = (socket: Json | undefined) => {
    const s = obj(socket);
    const host = str(s.address);
    if (host) endpoints.push(s.port_value === undefined ? host : `${host}:${str(s.port_value) ?? ''}`);
  };
  // v3: load_assignment.endpoints[].lb_endpoints[].endpoint.address.socket_address
  for (const group of arr(obj(cluster.load_assignment).endpoints)) {
    for (const lb of arr(obj(group).lb_endpoints)) address(obj(obj(obj(lb).endpoint).address).socket_address);
  }
  // v2: hosts[].socket_address
  for (const host of arr(cluster.hosts)) address(obj(host).socket_address);
  const thresholds = arr(obj(cluster.circuit_breakers).thresholds).filter((t) => isObject(t) && Object.keys(t).some((k) => k.startsWith('max_')));
  const what = thresholds.length > 0 ? 'circuit_breakers' : isObject(cluster.outlier_detection) ? 'outlier_detection' : null;
  const breaker = what ? { what: `Envoy cluster ${name}: ${what}`, location: { file, line: doc.lineOf([...keys, what]) } } : null;
  return { name, endpoints, breaker };
}

/** The HTTP connection managers and TCP proxies of a listener's filter chains. */
function readListener(listener: JsonObject, keys: KeyPath, doc: ConfigDocument, file: string, clusters: ReadonlyMap<string, Cluster>, routes: GatewayRoute[]): void {
  arr(listener.filter_chains).forEach((chain, c) => {
    arr(obj(chain).filters).forEach((filter, f) => {
      const filterKeys = [...keys, 'filter_chains', c, 'filters', f];
      const configKey = isObject(obj(filter).typed_config) ? 'typed_config' : 'config';
      const config = obj(obj(filter)[configKey]);
      const configKeys = [...filterKeys, configKey];
      if (isObject(config.route_config)) readRouteConfig(config.route_config, [...configKeys, 'route_config'], doc, file, clusters, routes);
      const tcpCluster = str(config.cluster);
      if (tcpCluster && (str(obj(filter).name) ?? '').includes('tcp_proxy')) {
        push(routes, null, null, tcpCluster, clusters, { file, line: doc.lineOf([...configKeys, 'cluster']) });
      }
    });
  });
}

function readRouteConfig(config: JsonObject, keys: KeyPath, doc: ConfigDocument, file: string, clusters: ReadonlyMap<string, Cluster>, routes: GatewayRoute[]): void {
  arr(config.virtual_hosts).forEach((vhost, v) => {
    const domains = arr(obj(vhost).domains).flat();
    const host = domains.map((d) => str(d)).find((d): d is string => !!d && d !== '*') ?? null;
    arr(obj(vhost).routes).forEach((r, i) => {
      const route = obj(r);
      const match = obj(route.match);
      const path = str(match.prefix) ?? str(match.path) ?? str(match.path_separated_prefix) ?? str(obj(match.safe_regex).regex) ?? str(match.regex);
      const action = obj(route.route);
      const location = { file, line: doc.lineOf([...keys, 'virtual_hosts', v, 'routes', i]) };
      const targets = str(action.cluster) ? [str(action.cluster)!] : arr(obj(action.weighted_clusters).clusters).map((w) => str(obj(w).name)).filter((n): n is string => !!n);
      for (const target of targets) push(routes, path, host, target, clusters, location);
    });
  });
}

function push(routes: GatewayRoute[], path: string | null, host: string | null, clusterName: string, clusters: ReadonlyMap<string, Cluster>, location: GatewayRoute['location']): void {
  const cluster = clusters.get(clusterName);
  const breaker = cluster?.breaker !== null && cluster?.breaker !== undefined;
  const upstreams = cluster && cluster.endpoints.length > 0 ? cluster.endpoints : [clusterName];
  for (const upstream of upstreams) routes.push({ path, host, upstream, breaker, location });
}
