/** Which service a URL host, an environment variable or a property name points at. */

/** `payments-service` → `payments`: suffixes that name a service's host without being part of its name. */
const HOST_SUFFIX = /[-_](service|svc|api|server|app)$/;

function constantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

export class ServiceMatcher {
  private readonly byHost = new Map<string, string>();
  /** Constant names (`PAYMENTS`, `ORDER_HISTORY`), longest first. */
  private readonly constants: Array<[string, string]>;

  constructor(readonly names: readonly string[]) {
    for (const name of [...names].sort()) {
      const lower = name.toLowerCase();
      if (!this.byHost.has(lower)) this.byHost.set(lower, name);
      const bare = lower.replace(HOST_SUFFIX, '');
      if (!this.byHost.has(bare)) this.byHost.set(bare, name);
    }
    this.constants = names.map((name): [string, string] => [constantCase(name), name]).sort((a, b) => b[0].length - a[0].length || (a[1] < b[1] ? -1 : 1));
  }

  has(name: string): boolean {
    return this.names.includes(name);
  }

  /** `http://payments:3000/x`, `payments-service.default.svc.cluster.local`, `payments:50051` → `payments`. */
  fromUrl(url: string): string | null {
    const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(url) ?? /^([a-z0-9][a-z0-9_-]*)(?::\d+|:\$\{|$)/i.exec(url);
    const host = match?.[1]?.toLowerCase();
    if (!host || host.includes('${')) return null;
    const label = host.split('.')[0] ?? host;
    return this.byHost.get(label) ?? this.byHost.get(label.replace(HOST_SUFFIX, '')) ?? null;
  }

  /** `PAYMENTS_URL`, `PAYMENTS_SERVICE_URL`, `PAYMENTS_BASE_URL` → `payments`. */
  fromEnv(variable: string): string | null {
    const upper = variable.toUpperCase();
    for (const [constant, name] of this.constants) {
      if (upper === constant || upper.startsWith(`${constant}_`)) return name;
    }
    return null;
  }

  /** A property or key that names a service: `config.services.payments`, `config.paymentsServiceUrl`, `'order-history'`. */
  fromName(name: string): string | null {
    if (this.byHost.has(name.toLowerCase())) return this.byHost.get(name.toLowerCase()) ?? null;
    return this.fromEnv(constantCase(name));
  }
}
