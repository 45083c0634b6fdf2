/**
 * ASP.NET Core configuration files: `appsettings.json` and `appsettings.<Environment>.json` (profile =
 * Environment). Every scalar is a Setting; keys are dotted paths (`ConnectionStrings.OrderingDb`,
 * `Serilog.WriteTo.0.Name`), with a `:` inside a JSON key read as the separator it is to .NET configuration
 * (`"urls:basket"` → `urls.basket`). .NET reads the same key from code as `Configuration["urls:basket"]` and
 * from the environment as `urls__basket`, case-insensitively: the join matches the three forms.
 *
 * Also: a YARP gateway (`ReverseProxy.Routes` / `Clusters`; passive health checks eject failing destinations,
 * which is counted as a breaker), an Ocelot gateway kept in appsettings, and trace export where the file sets
 * an OTLP/Zipkin/Jaeger endpoint or an Application Insights key. Serilog sinks (Seq…) are logging, not tracing.
 */
import type { Evidence, GatewayDecl, GatewayRoute, Setting } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { elements, entries, member, parseJsonc, scalar, type JsonDocument, type JsonNode } from './jsonc.js';
import { ocelotGateway } from './ocelot.js';

const FILE = /^appsettings(?:\.([^.]+(?:\.[^.]+)*))?\.json$/i;

export default defineExtractor({
  id: 'appsettings',
  description: 'ASP.NET Core appsettings*.json: settings per environment, YARP and Ocelot gateways, trace export',
  accepts: (file) => FILE.test(file.base),
  extract({ path, text }) {
    const doc = parseJsonc(text);
    const out: ExtractResult = {};
    if (doc.error) out.diagnostics = [{ file: path, line: doc.error.line, message: `cannot parse ${path}: ${doc.error.message}` }];
    if (doc.root?.type !== 'object') return out;
    const profile = FILE.exec(path.slice(path.lastIndexOf('/') + 1))?.[1] ?? null;
    const settings = flatten(doc, path, profile);
    out.settings = settings;
    const exports = settings.filter(exportsTraces).map((s): Evidence => ({ what: `${s.key}=${s.value}`, location: s.location }));
    if (exports.length > 0) out.traceExport = exports;
    const gateways = [yarpGateway(doc, path), ocelotGateway(doc, path)].filter((g): g is GatewayDecl => g !== null);
    if (gateways.length > 0) out.gateways = gateways;
    return out;
  },
});

/** Every scalar under the root, as dotted keys in document order. */
function flatten(doc: JsonDocument, file: string, profile: string | null): Setting[] {
  const out: Setting[] = [];
  const stack: Array<[string, JsonNode]> = [['', doc.root!]];
  while (stack.length > 0) {
    const [prefix, node] = stack.pop()!;
    const children: Array<[string, JsonNode]> =
      node.type === 'object' ? entries(node).map(([key, value]) => [key.replaceAll(':', '.'), value]) : node.type === 'array' ? (node.children ?? []).map((value, i) => [String(i), value]) : [];
    if (children.length === 0) {
      const value = scalar(node);
      if (value !== null && prefix !== '') out.push({ key: prefix, value, profile, location: { file, line: doc.lineAt(node.offset) } });
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, value] = children[i]!;
      stack.push([prefix === '' ? key : `${prefix}.${key}`, value]);
    }
  }
  return out;
}

function exportsTraces(setting: Setting): boolean {
  if (setting.value.trim() === '') return false;
  const key = setting.key.toLowerCase();
  const last = key.slice(key.lastIndexOf('.') + 1);
  if (key === 'applicationinsights.instrumentationkey' || key === 'applicationinsights.connectionstring' || last === 'applicationinsights_connection_string') return true;
  if (last === 'otel_exporter_otlp_endpoint' || last === 'otel_exporter_otlp_traces_endpoint') return true;
  return (key.includes('otlp') || key.includes('zipkin') || key.includes('jaeger')) && (last.includes('endpoint') || last.includes('url') || last.includes('host'));
}

/** YARP `ReverseProxy`: one GatewayRoute per route and destination of its cluster. */
function yarpGateway(doc: JsonDocument, file: string): GatewayDecl | null {
  const proxy = member(doc.root, 'ReverseProxy');
  const routesNode = member(proxy, 'Routes');
  if (!proxy || !routesNode) return null;
  const clusters = new Map<string, JsonNode>();
  for (const cluster of clusterNodes(member(proxy, 'Clusters'))) clusters.set(cluster.id.toLowerCase(), cluster.node);
  const routes: GatewayRoute[] = [];
  for (const route of elements(routesNode)) {
    const match = member(route, 'Match');
    const path = scalar(member(match, 'Path'));
    const hosts = elements(member(match, 'Hosts')).map(scalar).filter((h): h is string => h !== null);
    const clusterId = scalar(member(route, 'ClusterId')) ?? '';
    const cluster = clusters.get(clusterId.toLowerCase());
    const passive = scalar(member(member(member(cluster, 'HealthCheck'), 'Passive'), 'Enabled'));
    const location = { file, line: doc.lineAt(route.offset) };
    const addresses = elements(member(cluster, 'Destinations')).flatMap((d) => scalar(member(d, 'Address')) ?? []);
    for (const upstream of addresses.length > 0 ? addresses : clusterId ? [clusterId] : []) {
      routes.push({ path, host: hosts[0] ?? null, upstream, breaker: passive?.toLowerCase() === 'true', location });
    }
  }
  return { implementation: 'yarp', runsIn: null, routes, location: { file, line: doc.lineAt(proxy.offset) } };
}

/** YARP clusters: an object keyed by id, or (YARP previews) an array of objects with `ClusterId`. */
function clusterNodes(node: JsonNode | undefined): Array<{ id: string; node: JsonNode }> {
  if (node?.type === 'array') return elements(node).flatMap((c) => {
    const id = scalar(member(c, 'ClusterId'));
    return id ? [{ id, node: c }] : [];
  });
  return entries(node).map(([id, value]) => ({ id, node: value }));
}
