/**
 * What a source extractor collects about one file while it walks it, whatever the language: calls, settings,
 * evidence lists, endpoints; and how gRPC connections and the generated clients made from them become calls.
 */
import type { Evidence, Setting } from '../../facts.js';
import type { LocalState, MessagingEndpoint, OutboundCall } from '../../types.js';
import type { ExtractResult } from '../define-extractor.js';
import { key, urlOf, type Address } from './address.js';
import { dedupeEndpoints } from './messaging.js';

/** Where a call is made, and what surrounds it. */
export interface Site {
  line: number;
  inLoop: boolean;
  breaker: boolean;
  /** The function or method the call is made in (for calls protected by the caller of that function). */
  fn?: string | null;
}

/** A gRPC connection (Go `grpc.Dial`, Python `grpc.insecure_channel`). */
export interface Connection {
  address: Address | null;
  site: Site;
  /** A breaker is attached to the connection itself (a gRPC interceptor), so every call through it is protected. */
  breaker?: boolean;
}

/** A generated gRPC client (Go `pb.NewOrdersClient(conn)`, Python `OrdersStub(channel)`) and the calls made through it. */
export interface GrpcClient {
  connection: Connection | null;
  /** The field the connection comes from when no connection of this file gives it (`fe.currencySvcConn` → `currencySvcConn`). */
  connectionKey: string | null;
  /** The gRPC service, from the constructor's name (`NewCurrencyServiceClient`, `CurrencyServiceStub` → `CurrencyService`). */
  service: string;
  site: Site;
  calls: Site[];
}

type EvidenceList = 'health' | 'tracing' | 'traceExport' | 'breakers' | 'entryPoints';

export class SourceFacts {
  readonly calls: OutboundCall[] = [];
  readonly settings: Setting[] = [];
  readonly health: Evidence[] = [];
  readonly tracing: Evidence[] = [];
  readonly traceExport: Evidence[] = [];
  readonly breakers: Evidence[] = [];
  readonly entryPoints: Evidence[] = [];
  readonly localState: LocalState[] = [];
  readonly imported: Array<{ specifier: string; location: { file: string; line: number } }> = [];
  readonly endpoints: MessagingEndpoint[] = [];
  readonly connections: Connection[] = [];
  readonly grpcClients: GrpcClient[] = [];
  /** Functions of this file that run only inside a breaker (`cb.Execute(func() { return c.fetch(id) })` → `fetch`). */
  readonly guardedFunctions = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly callers = new Map<OutboundCall, string>();

  constructor(readonly file: string) {}

  /** Adds evidence to a list once per `key` (tracing and breakers: once per package or module, at its first call). */
  evidence(list: EvidenceList, what: string, line: number, key = what): void {
    const id = `${list}\0${key}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this[list].push({ what, location: { file: this.file, line } });
  }

  setting(key: string, value: string, line: number): void {
    this.settings.push({ key, value, profile: null, location: { file: this.file, line } });
  }

  call(kind: OutboundCall['kind'], client: string, method: string | null, address: Address | null, site: Site, serviceId: string | null = null): OutboundCall {
    const call: OutboundCall = {
      kind,
      client,
      method,
      url: address ? urlOf(address) : null,
      target: null,
      envVar: address?.envVar ?? null,
      configKey: address?.configKey ?? null,
      serviceId,
      breaker: site.breaker,
      inLoop: site.inLoop,
      location: { file: this.file, line: site.line },
    };
    this.calls.push(call);
    if (site.fn) this.callers.set(call, site.fn);
    return call;
  }

  /**
   * Calls through generated clients, with the address of their connection (the only connection of the file when the
   * client's own is not known); a client nothing is called through here is one call; without clients, each
   * connection is the call.
   */
  private grpcCalls(): void {
    const only = this.connections.length === 1 ? this.connections[0]! : null;
    for (const client of this.grpcClients) {
      const connection = client.connection ?? (client.connectionKey ? null : only);
      const address = connection?.address ?? (client.connectionKey ? key(client.connectionKey) : null);
      const serviceId = address ? null : client.service;
      for (const site of client.calls.length === 0 ? [client.site] : client.calls) {
        this.call('grpc', 'grpc', null, address, connection?.breaker ? { ...site, breaker: true } : site, serviceId);
      }
    }
    if (this.grpcClients.length === 0) {
      for (const connection of this.connections) this.call('grpc', 'grpc', null, connection.address, connection.breaker ? { ...connection.site, breaker: true } : connection.site);
    }
  }

  /** The file's facts, lists that stayed empty left out. */
  result(language: string): ExtractResult {
    this.grpcCalls();
    for (const [call, fn] of this.callers) if (this.guardedFunctions.has(fn)) call.breaker = true;
    const result: ExtractResult = { language };
    const calls = [...this.calls].sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
    const messaging = dedupeEndpoints(this.endpoints);
    if (this.entryPoints.length > 0) result.entryPoints = this.entryPoints;
    if (this.imported.length > 0) result.imports = this.imported;
    if (calls.length > 0) result.calls = calls;
    if (messaging.length > 0) result.messaging = messaging;
    if (this.settings.length > 0) result.settings = this.settings;
    if (this.health.length > 0) result.health = this.health;
    if (this.tracing.length > 0) result.tracing = this.tracing;
    if (this.traceExport.length > 0) result.traceExport = this.traceExport;
    if (this.breakers.length > 0) result.breakers = this.breakers;
    if (this.localState.length > 0) result.localState = this.localState;
    return result;
  }
}
