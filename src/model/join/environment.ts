/** A service's runtime environment as its manifests declare it (compose wins over Kubernetes). */
import type { Service } from '../types.js';

export function serviceEnvironment(service: Service): Record<string, string> {
  return { ...(service.kubernetes?.environment ?? {}), ...(service.compose?.environment ?? {}) };
}

/** Host and path of a URL-like value (`scheme://user:pass@host:port/path?…`), or null. */
export function parseUrl(value: string): { scheme: string; host: string; path: string } | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#,]+)(?::\d+)?(?:,[^/?#]*)?(\/[^?#]*)?/i.exec(value.trim());
  if (!match) return null;
  return { scheme: match[1]!.toLowerCase(), host: match[2]!.toLowerCase(), path: match[3] ?? '' };
}

/** Service whose name (or name with a usual suffix/prefix) is `host`. */
export function serviceForHost(host: string, names: readonly string[]): string | null {
  const bare = host.toLowerCase().split('.')[0]!;
  if (names.includes(bare)) return bare;
  const stripped = bare.replace(/[-_](service|svc|api|app|server)$/, '');
  if (names.includes(stripped)) return stripped;
  return null;
}
