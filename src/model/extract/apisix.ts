/**
 * Apache APISIX standalone configuration (`apisix.yaml`, `apisix-standalone.yaml`, `apisix.json`): each route's `uri`/`uris` (and
 * `host`/`hosts`) to its upstream's nodes, the upstream inline, by `upstream_id`, or through its service
 * (`service_id`). Nodes are written `"host:port": weight` or `[{ host, port }]`. Breakers: the `api-breaker`
 * plugin on the route or its service.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isObject, obj, readDocuments, str, type ConfigDocument, type Json, type JsonObject } from './gateway-utils/documents.js';

export default defineExtractor({
  id: 'apisix',
  description: 'Apache APISIX standalone configuration (apisix.yaml): routes to upstream nodes, the api-breaker plugin',
  accepts: (file) => file.lower.startsWith('apisix') && (file.ext === '.yaml' || file.ext === '.yml' || file.ext === '.json'),
  needles: ['routes'],
  extract({ path, text }) {
    const { documents, diagnostics } = readDocuments(path, text);
    const routes: GatewayRoute[] = [];
    const breakers: Evidence[] = [];
    let first: number | null = null;
    for (const doc of documents) {
      const root = obj(doc.value);
      if (!Array.isArray(root.routes)) continue;
      first ??= doc.lineOf(['routes']);
      readApisix(root, doc, path, routes, breakers);
    }
    if (first === null) return null;
    const out: ExtractResult = { gateways: [{ implementation: 'apisix', runsIn: null, routes, location: { file: path, line: first } }] };
    if (breakers.length > 0) out.breakers = breakers;
    if (diagnostics.length > 0) out.diagnostics = diagnostics;
    return out;
  },
});

const byId = (list: Json | undefined): Map<string, JsonObject> => {
  const out = new Map<string, JsonObject>();
  for (const item of arr(list)) if (isObject(item) && str(item.id) !== null) out.set(str(item.id)!, item);
  return out;
};

function nodesOf(upstream: JsonObject): string[] {
  const scheme = str(upstream.scheme) ?? 'http';
  const nodes = upstream.nodes;
  const addresses = Array.isArray(nodes)
    ? nodes.map((n) => {
        const node = obj(n);
        const host = str(node.host);
        return host ? `${host}${node.port !== undefined ? `:${str(node.port) ?? ''}` : ''}` : null;
      })
    : Object.keys(obj(nodes));
  return addresses.filter((a): a is string => !!a).map((a) => `${scheme}://${a}`);
}

function readApisix(root: JsonObject, doc: ConfigDocument, file: string, routes: GatewayRoute[], breakers: Evidence[]): void {
  const upstreams = byId(root.upstreams);
  const services = byId(root.services);
  const upstreamOf = (holder: JsonObject): JsonObject | null =>
    isObject(holder.upstream) ? holder.upstream : str(holder.upstream_id) !== null ? (upstreams.get(str(holder.upstream_id)!) ?? null) : null;
  arr(root.routes).forEach((r, i) => {
    const route = obj(r);
    const service = str(route.service_id) !== null ? services.get(str(route.service_id)!) : undefined;
    const upstream = upstreamOf(route) ?? (service ? upstreamOf(service) : null);
    const location = { file, line: doc.lineOf(['routes', i]) };
    const breakerAt = isObject(obj(route.plugins)['api-breaker']) ? location : service && isObject(obj(service.plugins)['api-breaker']) ? location : null;
    if (breakerAt) breakers.push({ what: `APISIX route ${str(route.id) ?? str(route.name) ?? i}: api-breaker`, location: breakerAt });
    const paths = [str(route.uri), ...arr(route.uris).map((u) => str(u))].filter((p): p is string => !!p);
    const host = str(route.host) ?? arr(route.hosts).map((h) => str(h)).find((h): h is string => !!h) ?? null;
    const targets = upstream ? nodesOf(upstream) : [];
    const fallback = str(route.upstream_id) ?? str(route.service_id);
    for (const path of paths.length > 0 ? paths : [null]) {
      for (const upstreamAddress of targets.length > 0 ? targets : fallback ? [fallback] : []) routes.push({ path, host, upstream: upstreamAddress, breaker: breakerAt !== null, location });
    }
  });
}
