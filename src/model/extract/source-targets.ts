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
  /** Constant names (`PAYMENTS`, `ORDER_HISTORY`) by their first word, longest first. */
  private readonly constants = new Map<string, Array<[string, string]>>();
  private readonly known: ReadonlySet<string>;
  /** fromName's answers: the same identifiers come up again and again. */
  private readonly byName = new Map<string, string | null>();

  constructor(names: readonly string[]) {
    this.known = new Set(names);
    for (const name of [...names].sort()) {
      const lower = name.toLowerCase();
      if (!this.byHost.has(lower)) this.byHost.set(lower, name);
      const bare = lower.replace(HOST_SUFFIX, '');
      if (!this.byHost.has(bare)) this.byHost.set(bare, name);
    }
    const sorted = names.map((name): [string, string] => [constantCase(name), name]).sort((a, b) => b[0].length - a[0].length || (a[1] < b[1] ? -1 : 1));
    for (const entry of sorted) {
      const word = entry[0].split('_')[0] ?? '';
      this.constants.set(word, [...(this.constants.get(word) ?? []), entry]);
    }
  }

  has(name: string): boolean {
    return this.known.has(name);
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
    for (const [constant, name] of this.constants.get(upper.split('_')[0] ?? '') ?? []) {
      if (upper === constant || upper.startsWith(`${constant}_`)) return name;
    }
    return null;
  }

  /** A property or key that names a service: `config.services.payments`, `config.paymentsServiceUrl`, `'order-history'`. */
  fromName(name: string): string | null {
    let found = this.byName.get(name);
    if (found === undefined) {
      found = this.byHost.get(name.toLowerCase()) ?? this.fromEnv(constantCase(name));
      this.byName.set(name, found);
    }
    return found;
  }
}
