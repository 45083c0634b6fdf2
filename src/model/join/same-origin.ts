/**
 * Calls of browser code to the origin that served the page (`fetch('/api/orders')`): the origin is the first-party
 * gateway or BFF whose routes forward to this service (a front end served through it). The call goes to that
 * gateway, unless a route of the gateway for that very path prefix leads back to this service (`/api/** → web`:
 * the app's own API routes). A catch-all route (`/**`) is the gateway's fallback, behind its own handlers, and
 * does not. No such gateway, or several: no target.
 */
import type { Gateway, Service } from '../types.js';

type Route = Gateway['routes'][number];

/** The literal prefix of a route's path (`/api/**` → `/api`, `/**` → ''), or null when it is not a plain path. */
function routePrefix(path: string | null): string | null {
  if (path === null || !path.startsWith('/')) return null;
  const end = path.search(/[*({[?^$\\\s,]/);
  return (end === -1 ? path : path.slice(0, end)).replace(/\/+$/, '');
}

function matches(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
}

/** Whether the gateway's routes send `path` back to `self` (the longest matching prefix wins; a catch-all does not). */
function routedBack(routes: readonly Route[], path: string, self: string): boolean {
  let best = 0;
  let back = false;
  for (const route of routes) {
    const prefix = routePrefix(route.path);
    if (prefix === null || prefix === '' || prefix.length < best || !matches(path, prefix)) continue;
    if (prefix.length > best) [best, back] = [prefix.length, false];
    if (route.target === self) back = true;
  }
  return back;
}

export function resolveSameOrigin(services: readonly Service[], gateways: readonly Gateway[]): void {
  for (const service of services) {
    const calls = service.facts.calls.filter((c) => c.target === null && c.relativePath !== undefined);
    if (calls.length === 0) continue;
    const fronting = gateways.filter((g) => g.service !== null && g.service !== service.name && g.routes.some((r) => r.target === service.name));
    if (fronting.length === 0) continue;
    const origins = new Set(fronting.map((g) => g.service!));
    if (origins.size !== 1) continue;
    const origin = [...origins][0]!;
    for (const call of calls) if (!fronting.some((g) => routedBack(g.routes, call.relativePath!, service.name))) call.target = origin;
  }
}
