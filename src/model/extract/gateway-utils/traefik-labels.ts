/**
 * Traefik configuration in container labels (compose `labels`, Docker) and in Consul/Nomad tags: the routes a
 * Traefik reads from one container. Pure functions the deployment extractors call with what they read.
 */
import type { GatewayRoute } from '../../facts.js';
import type { Location } from '../../types.js';
import { localName as local, ruleTargets } from './traefik-rule.js';

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
