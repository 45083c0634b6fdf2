/**
 * Ocelot gateway configuration (`ocelot*.json`): each route's upstream path and host to its downstream
 * addresses (or its service-discovery name), with a breaker where QoSOptions allow exceptions before breaking
 * (on the route or in GlobalConfiguration).
 */
import type { GatewayDecl, GatewayRoute } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { elements, member, parseJsonc, scalar, type JsonDocument, type JsonNode } from './jsonc.js';

export default defineExtractor({
  id: 'ocelot',
  description: 'Ocelot gateway configuration (ocelot*.json): routes to downstream hosts, QoS breakers',
  accepts: (file) => file.lower.startsWith('ocelot') && file.ext === '.json',
  extract({ path, text }) {
    const doc = parseJsonc(text);
    const out: ExtractResult = {};
    if (doc.error) out.diagnostics = [{ file: path, line: doc.error.line, message: `cannot parse ${path}: ${doc.error.message}` }];
    const gateway = ocelotGateway(doc, path);
    if (gateway) out.gateways = [gateway];
    return out;
  },
});

/** The Ocelot gateway a configuration document declares (`Routes`, or `ReRoutes` before Ocelot 16); null when it has none. */
export function ocelotGateway(doc: JsonDocument, file: string): GatewayDecl | null {
  const routesNode = member(doc.root, 'Routes') ?? member(doc.root, 'ReRoutes');
  if (routesNode?.type !== 'array') return null;
  const globalBreaker = breaks(member(member(doc.root, 'GlobalConfiguration'), 'QoSOptions'));
  const routes: GatewayRoute[] = [];
  for (const route of elements(routesNode)) {
    const path = scalar(member(route, 'UpstreamPathTemplate'));
    const host = scalar(member(route, 'UpstreamHost'));
    const qos = member(route, 'QoSOptions');
    const breaker = qos ? breaks(qos) : globalBreaker;
    const location = { file, line: doc.lineAt(route.offset) };
    for (const upstream of downstreams(route)) routes.push({ path, host, upstream, breaker, location });
  }
  return { implementation: 'ocelot', runsIn: null, routes, location: { file, line: doc.lineAt(routesNode.offset) } };
}

function downstreams(route: JsonNode): string[] {
  const scheme = scalar(member(route, 'DownstreamScheme')) ?? 'http';
  const addresses = elements(member(route, 'DownstreamHostAndPorts')).flatMap((hp) => {
    const host = scalar(member(hp, 'Host'));
    if (!host) return [];
    const port = scalar(member(hp, 'Port'));
    return [`${scheme}://${host}${port ? `:${port}` : ''}`];
  });
  if (addresses.length > 0) return addresses;
  const service = scalar(member(route, 'ServiceName'));
  return service ? [service] : [];
}

function breaks(qos: JsonNode | undefined): boolean {
  return Number(scalar(member(qos, 'ExceptionsAllowedBeforeBreaking')) ?? 0) > 0;
}
