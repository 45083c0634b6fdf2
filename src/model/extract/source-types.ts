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
  /** An environment variable; `d`: the default the code gives it (`process.env.HOST || 'catalogue'`). */
  | { t: 'env'; n: string; d?: string }
  | { t: 'ref'; b: string; p: string[] }
  | { t: 'hint'; s: string }
  | { t: 'obj'; o: Map<string, Val> }
  /** An array, or the alternatives of a condition (`a ? 'x' : 'y'`). */
  | { t: 'list'; items: Val[] }
  /** A configuration key read through a config service: `configService.get('services.orders.url')`. */
  | { t: 'key'; k: string }
  /**
   * A parameter of a named function or class constructor (`constructor(options) { this.url = options.baseUrl }`):
   * resolved by the join from the values its callers pass (`new OrdersProxy({ baseUrl: process.env.ORDERS_URL })`).
   */
  | { t: 'param'; fn: string; index: number; p: string[]; hint?: string };

/** How a wrapper instance was created: `createServiceClient({ name, baseUrl })`, `new PaymentsClient(url)`. */
export interface WrapperInit {
  name: string | null;
  base: Val | null;
}

/** NestJS microservice transports, as `Transport.X` names them. */
export type NestTransport = 'TCP' | 'GRPC' | 'RMQ' | 'KAFKA' | 'NATS' | 'REDIS' | 'MQTT';

/** What the creation of a NestJS client says: its transport (null: not said; Nest's default is TCP) and the TCP/gRPC server's address. */
export interface NestClientOptions {
  transport: NestTransport | null;
  address: Val | null;
}

/**
 * A `send`/`emit`/`getService` on a NestJS client. The client is known by its injection token (matched
 * with the service's `ClientsModule.register`/provider registrations by the join), by options where it
 * is created in this file (`ClientProxyFactory.create`, `@Client`, `new ClientTCP`), or only by its type.
 */
export interface RawNestUse {
  method: 'send' | 'emit' | 'getService';
  pattern: Val | null;
  token: Val | null;
  options: NestClientOptions | null;
  /** Transport the client's type names (`ClientKafka` → KAFKA), null for `ClientProxy`. */
  type: NestTransport | null;
}

export interface RawCall {
  kind: 'http' | 'grpc' | 'tcp';
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
  /** Set for a NestJS client call: the join decides from the client's transport whether it is a call or an event. */
  nest?: RawNestUse;
  /**
   * Set for a call of the service's own function or method that passes an address-like value (`/api/x`, a template on
   * an environment variable or constant, `process.env.X`): `get(url)`, `api.get(\`${BASE}/x\`)`. An outbound call
   * when the join finds that the function hands that argument on to an HTTP client (a URL-parameter wrapper), else
   * dropped. `callee` is the local binding (the receiver's wrapper binding for a method call), `member` the method.
   */
  passes?: { callee: string; member: string | null; index: number; url: Val };
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
  /** A NestJS `@HealthCheck()` handler, or a handler named or answering like one: a health route whatever its path. */
  healthCheck: boolean;
  /** A NestJS controller route: the service's global prefix (`app.setGlobalPrefix('api')`) applies. */
  nest?: boolean;
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
  nest: NestFacts;
  module: ModuleInfo;
  diagnostics: Diagnostic[];
}

/** What a file says about NestJS microservices, for the join. */
export interface NestFacts {
  /** Clients registered under a token: `ClientsModule.register([{ name, transport, options }])`, `{ provide, useFactory: () => ClientProxyFactory.create(…) }`. */
  registrations: Array<{ token: Val; options: NestClientOptions; location: Location }>;
  /** Microservice servers: `NestFactory.createMicroservice(M, { transport })`, `app.connectMicroservice(…)` (null: options not literal). */
  servers: Array<{ transport: NestTransport | null; location: Location }>;
  /** `@MessagePattern(p)` (request handlers) and `@EventPattern(p)` handlers. */
  handlers: Array<{ pattern: Val | null; event: boolean; location: Location }>;
  /** `app.setGlobalPrefix('api', { exclude: [...] })`. */
  globalPrefix: { prefix: string; exclude: string[] } | null;
}

export interface FileJob {
  file: string;
  service: string;
}

/** A folder's tsconfig `baseUrl` and `paths`, root-relative (`paths` targets keep their `*`). */
export interface AliasScope {
  /** The folder with a trailing slash, '' for the root. */
  dir: string;
  baseUrl: string | null;
  /** Pattern → targets, the longest prefix first. */
  paths: Array<[string, string[]]>;
}

export interface ModuleResolution {
  /** The deepest folder first. */
  scopes: AliasScope[];
  /** Module keys (paths without extension; folders of index files) of the repository's source files. */
  keys: ReadonlySet<string>;
}

/** What every file's pass needs to know about the repository. */
export interface ScanContext {
  root: string;
  services: ReadonlyArray<{ name: string; dir: string }>;
  serviceNames: readonly string[];
  /** npm package name → service name. */
  packages: ReadonlyMap<string, string>;
  /** tsconfig aliases and baseUrl, when the repository declares any. */
  resolution?: ModuleResolution | null;
}
