/**
 * NestJS microservices, joined. A `send`/`emit` finds its client's options
 * (where the client is created, else the registration of its injection token
 * in the service) and so its transport:
 *
 * - `send` is request/reply, whatever the transport (over a broker too: the
 *   caller waits for the reply): an outbound call of kind `tcp` (`grpc` for
 *   `getService`), client `nest:<transport>`, to the service at the client's
 *   address (TCP, gRPC), else the one other service with a handler for the
 *   pattern, else the service the injection token names (`'ORDERS_SERVICE'`);
 * - `emit` over a broker is an event: a producer whose channel is the
 *   pattern (Nest routes events by pattern, so producers and consumers meet
 *   on it, whatever queue the transport uses underneath);
 * - `emit` over TCP is fire-and-forget to one service with no broker between:
 *   it fails when that service is down, so it is an outbound call (method
 *   `emit`), never an event;
 * - a client whose transport nothing says (registered in a shared library,
 *   or by a config class): the one transport the service's registered
 *   clients use; else, for an `emit`, a broker the service shows (as for
 *   `@EventPattern`), else TCP (Nest's default).
 *
 * `@EventPattern` handlers consume their pattern from the broker the
 * service's servers use; `@MessagePattern` handlers answer requests, and
 * consume too when some service emits their pattern over a broker.
 */
import type { BrokerKind } from '../types.js';
import { brokerFor, type Served } from './source-join-messages.js';
import type { ModuleIndex } from './source-modules-index.js';
import type { ServiceMatcher } from './source-targets.js';
import type { FileResult, NestClientOptions, NestTransport, RawCall, RawMessage, Val } from './source-types.js';

const BROKERS: Record<NestTransport, BrokerKind | null> = { TCP: null, GRPC: null, RMQ: 'rabbitmq', KAFKA: 'kafka', NATS: 'nats', REDIS: 'redis', MQTT: 'mqtt' };
const BROKER_ORDER: readonly NestTransport[] = ['KAFKA', 'RMQ', 'NATS', 'MQTT', 'REDIS'];

export type NestOutcome = { call: RawCall; fallback: string | null } | { message: RawMessage };

interface ServiceClients {
  registrations: Map<string, NestClientOptions>;
  /** The one transport of the registered clients whose transport is known. */
  only: NestTransport | null;
  /** TCP when the only transport the service's files name (`Transport.TCP`) is TCP and they name no broker. */
  tcpOnly: boolean;
  seen: ReadonlySet<string>;
  deps: readonly BrokerKind[];
  served: Served | undefined;
}

export class NestJoiner {
  /** Pattern → services with a handler for it. */
  private readonly handlers = new Map<string, Set<string>>();
  private readonly services = new Map<string, ServiceClients>();
  /** Patterns some service emits as events. */
  private readonly emitted = new Set<string>();

  constructor(
    private readonly index: ModuleIndex,
    private readonly matcher: ServiceMatcher,
    byService: ReadonlyMap<string, readonly FileResult[]>,
    brokerDeps: ReadonlyMap<string, readonly BrokerKind[]>,
  ) {
    for (const [service, files] of byService) {
      const registrations = new Map<string, NestClientOptions>();
      const servers: Array<NestTransport | null> = [];
      for (const file of files) {
        for (const r of file.nest.registrations) {
          const token = this.key(file, r.token);
          if (token !== null && !registrations.has(token)) registrations.set(token, r.options);
        }
        for (const h of file.nest.handlers) {
          const pattern = this.key(file, h.pattern);
          if (pattern !== null) this.handlers.set(pattern, (this.handlers.get(pattern) ?? new Set()).add(service));
        }
        servers.push(...file.nest.servers.map((s) => s.transport));
      }
      const seen = new Set(files.flatMap((f) => f.brokersSeen));
      const known = new Set([...registrations.values()].flatMap((o) => o.transport ?? []));
      const only = known.size === 1 ? [...known][0]! : null;
      const served = servers.length > 0 ? { brokers: BROKER_ORDER.filter((t) => servers.includes(t)).map((t) => BROKERS[t]!), unknown: servers.includes(null) } : undefined;
      const tcpOnly = seen.has('tcp') && seen.size === 1;
      this.services.set(service, { registrations, only, tcpOnly, seen, deps: brokerDeps.get(service) ?? [], served });
    }
    for (const [service, files] of byService) {
      for (const file of files) {
        for (const call of file.calls) {
          if (call.nest?.method !== 'emit') continue;
          const outcome = this.join(service, file, call);
          const channel = 'message' in outcome ? outcome.message.channel : null;
          if (channel?.t === 'str') this.emitted.add(channel.s);
        }
      }
    }
  }

  /** What a service's NestJS servers consume from (undefined: it has none in sight). */
  served(service: string): Served | undefined {
    return this.services.get(service)?.served;
  }

  /**
   * A pattern or token as a key that both sides of a call write alike: a string, an object pattern
   * (`{ cmd: 'sum' }`), or an enum member or constant as written when its value is out of reach.
   */
  key(file: FileResult, val: Val | null, depth = 0): string | null {
    if (!val || depth > 3) return null;
    const v = val.t === 'ref' ? (this.index.lookupRef(file, val) ?? val) : this.index.resolve(file, val);
    if (v?.t === 'str') return v.s.includes('${') ? null : v.s;
    if (v?.t === 'ref') return [v.b, ...v.p].join('.');
    if (v?.t !== 'obj') return null;
    const entries = [...v.o].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, m]) => [k, this.key(file, m, depth + 1)]);
    return JSON.stringify(Object.fromEntries(entries));
  }

  /** The consumers among a file's handlers: every `@EventPattern`, and a `@MessagePattern` of an emitted pattern. */
  consumers(file: FileResult): RawMessage[] {
    const out: RawMessage[] = [];
    for (const h of file.nest.handlers) {
      const pattern = this.key(file, h.pattern);
      if (!h.event && (pattern === null || !this.emitted.has(pattern))) continue;
      out.push({ broker: null, role: 'consumer', channel: pattern === null ? null : { t: 'str', s: pattern }, pending: 'nest', location: h.location });
    }
    return out;
  }

  join(service: string, file: FileResult, call: RawCall): NestOutcome {
    const use = call.nest!;
    const clients = this.services.get(service);
    const token = this.key(file, use.token);
    const options = use.options ?? (token !== null ? clients?.registrations.get(token) : undefined) ?? null;
    let transport = options?.transport ?? use.type ?? clients?.only ?? (use.method === 'getService' ? 'GRPC' : null);
    const pattern = this.key(file, use.pattern);
    if (use.method === 'emit') {
      const broker = transport ? BROKERS[transport] : brokerFor({ broker: null, pending: 'nest' }, clients?.seen ?? new Set(), clients?.deps ?? []);
      if (broker) return { message: { broker, role: 'producer', channel: pattern === null ? null : { t: 'str', s: pattern }, location: call.location } };
      transport ??= 'TCP';
    }
    if (transport === null && clients?.tcpOnly) transport = 'TCP';
    const fallback = (pattern !== null ? this.handlerOf(service, pattern) : null) ?? (token !== null ? this.named(token) : null);
    const viaBroker = transport !== null && BROKERS[transport] !== null;
    return {
      call: {
        ...call,
        kind: transport === 'GRPC' ? 'grpc' : 'tcp',
        client: transport ? `nest:${transport.toLowerCase()}` : 'nest',
        method: use.method === 'getService' ? null : use.method,
        url: viaBroker ? null : (options?.address ?? null),
      },
      fallback,
    };
  }

  /** The one service other than `from` with a handler for the pattern. */
  private handlerOf(from: string, pattern: string): string | null {
    const found = [...(this.handlers.get(pattern) ?? [])].filter((s) => s !== from);
    return found.length === 1 ? found[0]! : null;
  }

  /** The service a token names: `'PAYMENTS_SERVICE'`, `ClientToken.SUBSCRIPTIONS`. */
  private named(token: string): string | null {
    const last = token.split('.').pop() ?? token;
    return this.matcher.fromEnv(last.toUpperCase()) ?? this.matcher.fromName(last);
  }
}
