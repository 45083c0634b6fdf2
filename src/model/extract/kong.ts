/**
 * Kong declarative configuration (`kong.yml`, decK files: any YAML/JSON with `_format_version`): each route's
 * `paths` (and `hosts`) to its service's `url` (or `protocol`/`host`/`port`/`path`), routes nested under a
 * service or top-level with `service: <name>`. A service host that names an `upstreams` entry is resolved to its
 * targets. Breakers: an upstream with passive health checks that count failures (`healthchecks.passive.unhealthy`
 * `http_failures`/`tcp_failures`/`timeouts` > 0: Kong's own name for them is circuit breakers), or a circuit-breaker
 * plugin on the service or route. Active health checks and `retries` are not breakers.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, isConfigFile, obj, readDocuments, str, type ConfigDocument, type Json, type JsonObject, type KeyPath } from './gateway-utils/documents.js';

export default defineExtractor({
  id: 'kong',
  description: 'Kong declarative configuration (_format_version): routes to service URLs and upstream targets, passive health checks as breakers',
  accepts: (file) => isConfigFile(file),
  needles: ['_format_version'],
  extract({ path, text }) {
    const { documents, diagnostics } = readDocuments(path, text);
    const routes: GatewayRoute[] = [];
    const breakers: Evidence[] = [];
    let first: number | null = null;
    for (const doc of documents) {
      const root = obj(doc.value);
      if (root._format_version === undefined || (!Array.isArray(root.services) && !Array.isArray(root.routes))) continue;
      first ??= doc.lineOf(['_format_version']);
      readKong(root, doc, path, routes, breakers);
    }
    if (first === null) return null;
    const out: ExtractResult = { gateways: [{ implementation: 'kong', runsIn: null, routes, location: { file: path, line: first } }] };
    if (breakers.length > 0) out.breakers = breakers;
    if (diagnostics.length > 0) out.diagnostics = diagnostics;
    return out;
  },
});

interface Upstream {
  targets: string[];
  breaker: boolean;
}

const hasBreakerPlugin = (plugins: Json | undefined): boolean => arr(plugins).some((p) => (str(obj(p).name) ?? '').includes('circuit-breaker'));

function readKong(root: JsonObject, doc: ConfigDocument, file: string, routes: GatewayRoute[], breakers: Evidence[]): void {
  const upstreams = new Map<string, Upstream>();
  arr(root.upstreams).forEach((u, i) => {
    const upstream = obj(u);
    const name = str(upstream.name);
    if (!name) return;
    const unhealthy = obj(obj(obj(upstream.healthchecks).passive).unhealthy);
    const breaker = ['http_failures', 'tcp_failures', 'timeouts'].some((k) => Number(unhealthy[k] ?? 0) > 0);
    if (breaker) breakers.push({ what: `Kong upstream ${name}: passive health checks`, location: { file, line: doc.lineOf(['upstreams', i, 'healthchecks', 'passive']) } });
    upstreams.set(name, { targets: arr(upstream.targets).map((t) => str(obj(t).target)).filter((t): t is string => !!t), breaker });
  });
  const services = new Map<string, { upstreams: string[]; breaker: boolean }>();
  arr(root.services).forEach((s, i) => {
    const service = obj(s);
    const resolved = serviceUpstreams(service, upstreams);
    const breaker = resolved.breaker || hasBreakerPlugin(service.plugins);
    if (hasBreakerPlugin(service.plugins)) breakers.push({ what: `Kong service ${str(service.name) ?? i}: circuit-breaker plugin`, location: { file, line: doc.lineOf(['services', i, 'plugins']) } });
    const name = str(service.name);
    if (name) services.set(name, { upstreams: resolved.upstreams, breaker });
    arr(service.routes).forEach((r, j) => addRoute(obj(r), ['services', i, 'routes', j], resolved.upstreams, breaker));
  });
  arr(root.routes).forEach((r, j) => {
    const route = obj(r);
    const ref = str(route.service) ?? str(obj(route.service).name) ?? str(obj(route.service).id);
    const service = ref ? services.get(ref) : undefined;
    if (ref) addRoute(route, ['routes', j], service?.upstreams ?? [ref], service?.breaker ?? false);
  });

  function addRoute(route: JsonObject, keys: KeyPath, targets: readonly string[], serviceBreaker: boolean): void {
    const breaker = serviceBreaker || hasBreakerPlugin(route.plugins);
    const location = { file, line: doc.lineOf(keys) };
    const paths = arr(route.paths).map((p) => str(p)).filter((p): p is string => !!p);
    const host = arr(route.hosts).map((h) => str(h)).find((h): h is string => !!h) ?? null;
    for (const path of paths.length > 0 ? paths : [null]) for (const upstream of targets) routes.push({ path, host, upstream, breaker, location });
  }
}

/** A service's addresses: its URL (or protocol/host/port/path), with an upstream's targets in place of its host. */
function serviceUpstreams(service: JsonObject, upstreams: ReadonlyMap<string, Upstream>): { upstreams: string[]; breaker: boolean } {
  const url = str(service.url);
  let protocol = str(service.protocol) ?? 'http';
  let host = str(service.host);
  let port = str(service.port);
  let path = str(service.path) ?? '';
  if (url) {
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(url);
    if (!match) return { upstreams: [url], breaker: false };
    [, protocol, host, port, path] = [match[0], match[1]!, match[2]!, match[3] ?? null, match[4] ?? ''];
  }
  if (!host) return { upstreams: [], breaker: false };
  const upstream = upstreams.get(host);
  if (upstream && upstream.targets.length > 0) return { upstreams: upstream.targets.map((t) => `${protocol}://${t}${path}`), breaker: upstream.breaker };
  if (url) return { upstreams: [url], breaker: upstream?.breaker ?? false };
  return { upstreams: [`${protocol}://${host}${port ? `:${port}` : ''}${path}`], breaker: upstream?.breaker ?? false };
}
