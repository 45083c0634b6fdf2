/**
 * Addresses: which service a URL, `host:port`, gRPC target or logical service
 * id names. Hosts are matched against every name a service answers to: its
 * name, its compose key, `container_name` / `hostname` / network aliases, the
 * Kubernetes Services and Helm releases in front of it, with the usual
 * suffixes (`orders-service`, `orders-svc`, `orders.default.svc.cluster.local`)
 * folded. One map lookup per host.
 */

export interface Address {
  scheme: string | null;
  host: string;
  port: number | null;
  path: string;
}

/**
 * Parses a URL-like value: `scheme://[user@]host[:port][/path]` (http, https, grpc, tcp, lb, amqp, postgres, jdbc:…),
 * gRPC's `dns:///host:port`, or a bare `host:port`. Null for anything else (a bare word is not an address).
 */
export function parseAddress(raw: string): Address | null {
  let value = raw.trim();
  if (value === '' || value.length > 2048) return null;
  if (value.startsWith('jdbc:')) value = value.slice(5);
  const url = /^([a-z][a-z0-9+.-]*):\/\/\/?(?:[^@/?#\s]*@)?(\[[^\]\s]*\]|[^:/?#,\s]+)(?::(\d{1,5}))?(\/[^?#\s]*)?/i.exec(value);
  if (url) return { scheme: url[1]!.toLowerCase(), host: url[2]!.toLowerCase(), port: url[3] ? Number(url[3]) : null, path: url[4] ?? '' };
  const hostPort = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?):(\d{1,5})(\/[^\s]*)?$/i.exec(value);
  if (hostPort) return { scheme: null, host: hostPort[1]!.toLowerCase(), port: Number(hostPort[3]), path: hostPort[4] ?? '' };
  return null;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', 'host.docker.internal']);
export const isLocalHost = (host: string): boolean => LOCAL.has(host.toLowerCase());

/** Host → service name, built from each service's names. */
export class HostIndex {
  private readonly names = new Map<string, string | null>();

  /**
   * `aliases` are the names a service has on the network (compose keys, hostnames, Kubernetes and Helm names): they
   * win over `names` (the service's own name, its folder, its package), which fill only the hosts no network name
   * claims, so `storefront` is the compose service of that key even when a folder of that name is another service.
   */
  constructor(services: ReadonlyArray<{ name: string; aliases: readonly string[]; names?: readonly string[] }>) {
    for (const service of services) for (const alias of service.aliases) this.add(alias, service.name, this.names);
    const fallback = new Map<string, string | null>();
    for (const service of services) for (const name of [service.name, ...(service.names ?? [])]) this.add(name, service.name, fallback);
    for (const [key, value] of fallback) if (!this.names.has(key)) this.names.set(key, value);
  }

  private add(alias: string, service: string, into: Map<string, string | null>): void {
    const key = alias.toLowerCase();
    if (key === '') return;
    const current = into.get(key);
    // Two services answering to one name: ambiguous, resolves to nothing.
    if (current === undefined) into.set(key, service);
    else if (current !== service) into.set(key, null);
  }

  /** The service a host names, or null (unknown, local, or ambiguous). */
  resolve(rawHost: string): string | null {
    const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '');
    if (isLocalHost(host)) return null;
    const first = host.split('.')[0]!;
    for (const candidate of [host, first]) {
      const exact = this.names.get(candidate);
      if (exact !== undefined) return exact;
    }
    const stripped = first.replace(/[-_](service|svc|api|app|server|srv|grpc|http|web)$/, '');
    if (stripped !== first) {
      const found = this.names.get(stripped);
      if (found !== undefined) return found;
    }
    return null;
  }
}
