/**
 * What the per-file pass of the source extractor hands to the join step
 * (source-resolve.ts). Plain, structured-clone-safe data: it crosses from
 * worker threads to the main thread.
 */
import type { BrokerKind, Diagnostic, LocalState, Location, SagaFact } from '../types.js';

/**
 * A value as far as one file can tell: a string (literal or template text),
 * an environment variable, a reference to an imported binding (resolved
 * across files later), a hint naming a service, or an object of those.
 */
export type Val =
  | { t: 'str'; s: string; base?: Val }
  | { t: 'env'; n: string }
  | { t: 'ref'; b: string; p: string[] }
  | { t: 'hint'; s: string }
  | { t: 'obj'; o: Map<string, Val> }
  /** An array, or the alternatives of a condition (`a ? 'x' : 'y'`). */
  | { t: 'list'; items: Val[] };

/** How a wrapper instance was created: `createServiceClient({ name, baseUrl })`, `new PaymentsClient(url)`. */
export interface WrapperInit {
  name: string | null;
  base: Val | null;
}

export interface RawCall {
  kind: 'http' | 'grpc';
  client: string;
  method: string | null;
  url: Val | null;
  /** Lexically inside a function a breaker runs (known within the file). */
  breaker: boolean;
  /** Names of imported bindings whose function argument encloses the call (`withBreaker(() => …)`). */
  guards: string[];
  inLoop: boolean;
  location: Location;
  /** Set for a call on a wrapper instance: kept only if `via` resolves to a breaker-using export. */
  via?: { binding: string; init: WrapperInit | null };
}

export interface RawMessage {
  /** null: decided per service (NestJS patterns, `publish`/`subscribe` with a string subject). */
  broker: BrokerKind | null;
  role: 'producer' | 'consumer';
  channel: Val | null;
  location: Location;
  /** How a null broker is decided: the service's NestJS transport, or its pub/sub library. */
  pending?: 'nest' | 'pubsub';
  /** The channel is a parameter of a named function: `publish(topic, …)` → the callers name it. */
  param?: { fn: string; index: number };
  /**
   * amqplib `bindQueue(queue, exchange)`: the service consumes the exchange
   * (the channel) through this queue, so `consume(queue)` is not a channel
   * of its own.
   */
  binds?: { channel: Val | null; param?: { fn: string; index: number } };
}

/** A value passed to a named function of the service: `publish(ORDER_CREATED, …)`. */
export interface ArgumentFlow {
  callee: string;
  index: number;
  value: Val;
  location: Location;
}

export interface RawRoute {
  path: string;
  /** Top-level names the route hangs off (plugin function, router variable), for prefixes registered elsewhere. */
  owners: string[];
  /** A NestJS `@HealthCheck()` handler: a health route whatever its path. */
  healthCheck: boolean;
  location: Location;
}

export interface ImportBinding {
  /** Root-relative path without extension for a relative specifier, else the specifier. */
  mod: string;
  relative: boolean;
  /** Imported name: `default`, `*`, or the export name. */
  name: string;
}

export type ExportTarget = { local: string } | { mod: string; name: string };

/**
 * What other files of the service may need from this one. Maps rather than
 * records: keys are names from the source (`constructor`, `__proto__`…), and
 * objects used as dictionaries are slow in V8.
 */
export interface ModuleInfo {
  imports: Map<string, ImportBinding>;
  exports: Map<string, ExportTarget>;
  /** `export * from './x'`: root-relative paths without extension. */
  starExports: string[];
  /** Top-level declarations that create or use a circuit breaker. */
  breakerDecls: string[];
  /** Functions of sibling modules each top-level declaration calls (it uses a breaker if one of them does). */
  callees: Map<string, string[]>;
  /** Top-level variables created by calling another binding: `export const payments = createServiceClient({...})`. */
  instances: Map<string, { via: string; init: WrapperInit | null }>;
  /** Top-level constants with a known value (strings, env vars, objects of them). */
  values: Map<string, Val>;
}

export interface FileResult {
  file: string;
  service: string;
  parsed: boolean;
  calls: RawCall[];
  messaging: RawMessage[];
  routes: RawRoute[];
  /** Values passed to functions of this file or of sibling modules, for channels that are parameters. */
  flows: ArgumentFlow[];
  /** `app.register(plugin, { prefix })` / `app.use('/prefix', router)`. */
  prefixes: Array<{ binding: string; prefix: string }>;
  tracing: Location | null;
  crossImports: Array<{ specifier: string; target: string; location: Location }>;
  localState: LocalState[];
  sagas: SagaFact[];
  /** NestJS transports seen (`Transport.KAFKA` …) and broker libraries imported. */
  brokersSeen: Array<BrokerKind | 'tcp'>;
  module: ModuleInfo;
  diagnostics: Diagnostic[];
}

export interface FileJob {
  file: string;
  service: string;
}

/** What every file's pass needs to know about the repository. */
export interface ScanContext {
  root: string;
  services: ReadonlyArray<{ name: string; dir: string }>;
  serviceNames: readonly string[];
  /** npm package name → service name. */
  packages: ReadonlyMap<string, string>;
}
