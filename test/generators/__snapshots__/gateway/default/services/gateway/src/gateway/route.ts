/** The shape of one entry of the route table (src/routes.ts), and its checks at start-up. */
import { ConfigError } from '../config.js';

export interface GatewayRoute {
  /** The service behind the route; its base URL comes from `<SERVICE>_SERVICE_URL` (e.g. ORDERS_SERVICE_URL). */
  service: string;
  /** The path prefix clients call, e.g. `/api/orders`. */
  prefix: string;
  /** What the prefix becomes upstream: `/api/orders/7` → `/orders/7` with `/orders`. */
  rewritePrefix: string;
  /** No token needed on this route. Default false: every request needs a valid token. */
  public?: boolean;
  /** The caller needs at least one of these roles (403 otherwise). */
  roles?: readonly string[];
  /** The caller needs every one of these scopes (403 otherwise). */
  scopes?: readonly string[];
  /** Requests per client (token subject, else IP) per window on this route. Default: RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS. */
  rateLimit?: { max: number; windowMs: number };
  /** Upstream timeout for this route. Default: UPSTREAM_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Pass the client's Authorization header on. Default false: identity travels in the x-user-* headers only. */
  forwardAuthorization?: boolean;
}

export interface ResolvedRoute extends GatewayRoute {
  /** The upstream's base URL. */
  upstream: string;
}

const PREFIX = /^\/[A-Za-z0-9._~\-/]*$/;

/** Joins each route to its service's URL; a missing URL, a bad prefix or a duplicate stops the start. */
export function resolveRoutes(routes: readonly GatewayRoute[], services: Readonly<Record<string, string>>): ResolvedRoute[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const resolved: ResolvedRoute[] = [];
  for (const route of routes) {
    const prefix = route.prefix.replace(/\/+$/, '') || '/';
    if (!PREFIX.test(prefix) || prefix === '/' || prefix.startsWith('/health')) {
      problems.push(`route ${route.service}: prefix "${route.prefix}" must start with / and not be / or /health`);
    }
    if (seen.has(prefix)) problems.push(`route ${route.service}: prefix ${prefix} is used twice`);
    seen.add(prefix);
    // Own properties only: a service named like something every object has (`constructor`) is not a URL.
    const upstream = Object.hasOwn(services, route.service) ? services[route.service] : undefined;
    if (upstream === undefined) {
      problems.push(`${route.service.toUpperCase().replaceAll('-', '_')}_SERVICE_URL is required for the route ${prefix}`);
      continue;
    }
    resolved.push({ ...route, prefix, upstream });
  }
  if (problems.length > 0) throw new ConfigError(problems.sort());
  return resolved;
}
