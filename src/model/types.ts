import type { DeploymentUnit, ServiceFacts } from './facts.js';

/**
 * The one model of a repository, shared by the generators (what does the
 * workspace hold?) and by `arch check` / `arch graph`. Plain, JSON-serialisable
 * data: extractors produce it, nothing else reads the disk.
 */

/** A place in a file, relative to the repository root (forward slashes). Lines are 1-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

export type DatabaseEngine = 'postgres' | 'mysql' | 'mariadb' | 'mongodb' | 'redis' | 'sqlite' | 'unknown';
/** `azure-service-bus`: Azure Service Bus (the .NET extractors find it through its SDK, MassTransit and NServiceBus transports). */
export type BrokerKind = 'kafka' | 'rabbitmq' | 'nats' | 'mqtt' | 'redis' | 'azure-service-bus';

/** What compose says about one service. */
export interface ComposeService {
  /** The compose file it is declared in. */
  file: string;
  /** Key under `services:`. */
  key: string;
  line: number;
  image: string | null;
  /** Build context, relative to the repository root, forward slashes. */
  build: string | null;
  /** False when `build:` sets no `context` (an override adding build args): the context is the base file's. */
  buildContextSet?: boolean;
  /** The Dockerfile of the build, relative to the repository root (`build.dockerfile`, else null: `Dockerfile` in the context). */
  dockerfile?: string | null;
  /** `container_name`: one container only, whatever the scale. */
  containerName?: string | null;
  /** Other names the service answers to on the network: `hostname`, network `aliases`, `links` aliases. */
  hostnames?: string[];
  /** Repository paths bind-mounted into it (`./nginx/nginx.conf:/etc/nginx/nginx.conf`), relative to the root. */
  mounts?: string[];
  /** `labels`, as a map. */
  labels?: Record<string, string>;
  /** `extends`: the service it builds on (applied when the compose project is assembled). */
  extends?: { service: string; file: string };
  ports: string[];
  expose: string[];
  healthcheck: boolean;
  dependsOn: string[];
  replicas: number | null;
  /** Environment with `${VAR}` resolved from `.env` and `env_file` the way Compose does. */
  environment: Record<string, string>;
}

/** An outbound synchronous call found in source. */
export interface OutboundCall {
  /** `tcp`: request/reply over a framework transport (Nest `ClientProxy.send` over TCP, …): the caller waits. */
  kind: 'http' | 'grpc' | 'tcp';
  /** Client used: fetch, axios, got, undici, node:http, superagent, a gRPC client, or a wrapper module. */
  client: string;
  /** HTTP method when known (GET, POST, …). */
  method: string | null;
  /** The URL as written (string literal, template with `${…}` kept, or `env:NAME` for an environment variable), when known. */
  url: string | null;
  /** The service it targets, when the URL or its environment variable names one. Filled in by the scan's join step. */
  target: string | null;
  /** Environment variable the URL comes from, if any (e.g. PAYMENTS_URL). */
  envVar: string | null;
  /**
   * Configuration key the address comes from (`yas.services.cart` for Spring's `${yas.services.cart}`,
   * `urls:basket` for .NET's `Configuration["urls:basket"]`), resolved by the join through the service's settings.
   */
  configKey?: string | null;
  /** A logical service name the client addresses instead of a URL (Feign `name`, `lb://orders`, a registry id). */
  serviceId?: string | null;
  /**
   * .NET client factory link: the typed client class (`BasketService`), Refit interface, gRPC stub (`BasketClient`)
   * or named client (`"GrantClient"`) the call goes through. A registration (`AddHttpClient<IBasket, BasketService>(c =>
   * c.BaseAddress = …).AddPolicyHandler(…)`, recorded as a call of its own) and the calls made through that client
   * share it, so the join can give those calls the registration's address and breaker.
   */
  httpClient?: string | null;
  /** Inside a circuit breaker (opossum, cockatiel, or a wrapper module that uses one). */
  breaker: boolean;
  /** Inside a loop (for, while, .map/.forEach/… callback). */
  inLoop: boolean;
  /**
   * Set on a derived call (join/loops.ts): the loop at `location` invokes a method of another class of the service
   * that makes this call, at `via`. Not a call site of its own: edges and breaker coverage count the call at `via`.
   */
  via?: Location;
  location: Location;
}

/** A producer or consumer of a topic or queue found in source. */
export interface MessagingEndpoint {
  broker: BrokerKind;
  role: 'producer' | 'consumer';
  /** Topic, queue or exchange name when it is a literal (or an env var as `env:NAME`). */
  channel: string | null;
  /**
   * The file does not name the broker (a Spring Cloud Stream binding without its binder, an Eventuate Tram
   * publisher, a JMS template): `broker` is then a placeholder, and the join takes the broker from the
   * capabilities of the unit that holds the file.
   */
  brokerUnknown?: boolean;
  /**
   * Configuration key the name comes from when it is not written in code (`Kafka.Topic` for Go's `cfg.Kafka.Topic`,
   * `ORDERS_TOPIC` for Python's `settings.ORDERS_TOPIC`), resolved by the join through the service's settings.
   */
  configKey?: string | null;
  location: Location;
}

/** State kept in the process that prevents running several replicas. */
export interface LocalState {
  kind: 'memory-session' | 'local-file' | 'in-memory-store';
  detail: string;
  location: Location;
}

/** What the JavaScript/TypeScript source of one service shows. */
/**
 * A saga's ordered steps as the service that runs or starts it declares them
 * (`const steps: SagaStep[] = [{ name: 'payments', … }]` for an orchestrator,
 * `ChoreographyStep[]` for the first service of a choreography).
 */
export interface SagaFact {
  name: string;
  /** orchestration: the host sends each step its commands; choreography: each step reacts to the one before. */
  style: 'orchestration' | 'choreography';
  /** The services taking part, in order. */
  steps: string[];
  location: Location;
}

export interface SourceFacts {
  /** Source files parsed. */
  files: number;
  /** Where tracing is set up (OpenTelemetry SDK, or an equivalent agent), if anywhere. */
  tracing: Location | null;
  /** HTTP routes that look like health endpoints (`/health`, `/healthz`, `/ready`, `/live`, …). */
  healthRoutes: Array<{ path: string; location: Location }>;
  calls: OutboundCall[];
  messaging: MessagingEndpoint[];
  /** Imports that reach into another service's folder. */
  crossImports: Array<{ specifier: string; target: string; location: Location }>;
  localState: LocalState[];
  sagas: SagaFact[];
}

/** A Kubernetes workload (Deployment, StatefulSet, DaemonSet) and what goes with it. */
export interface KubernetesWorkload {
  kind: string;
  name: string;
  namespace: string | null;
  file: string;
  line: number;
  images: string[];
  replicas: number | null;
  probes: { liveness: boolean; readiness: boolean; startup: boolean };
  /** HorizontalPodAutoscaler targeting it. */
  autoscaler: { min: number | null; max: number; location: Location } | null;
  /** Kubernetes Service types exposing it (ClusterIP, NodePort, LoadBalancer). */
  exposedBy: string[];
  /** Names of the Kubernetes Services selecting it (what other pods call it by). */
  serviceNames?: string[];
  /** Ingress or Gateway API routes pointing at its Services. */
  routedBy: Location[];
  /** Environment of the pod template; values from ConfigMaps in the repository resolved, secrets empty. */
  environment: Record<string, string>;
}

export interface DockerfileFacts {
  file: string;
  healthcheck: boolean;
  /** The last USER, if any. */
  user: string | null;
  baseImages: string[];
}

export interface Service {
  name: string;
  /** Source folder relative to the root ('.' for a standalone service), or null when known only from manifests. */
  dir: string | null;
  /** npm package name, when the service is an npm package. */
  packageName: string | null;
  /** Main language: `typescript`, `javascript`, `java`, `go`, `csharp`, `python`, … or `unknown`. */
  language: string;
  /** Where the service was found. */
  origins: Array<'workspace' | 'package' | 'compose' | 'kubernetes' | 'helm' | 'nomad' | 'aspire' | 'skaffold' | 'config'>;
  compose: ComposeService | null;
  /** Ids of databases this service uses. */
  databases: string[];
  /** Broker kinds this service talks to (from dependencies and compose). */
  brokers: BrokerKind[];
  /** Database client libraries found in its dependencies (e.g. `pg`). */
  databaseClients: DatabaseEngine[];
  /** HTTP frameworks found in its dependencies (e.g. `fastify`). */
  frameworks: string[];
  /** Port the service listens on, when known. */
  port: number | null;
  isGateway: boolean;
  /** For a gateway: the services its environment points it at (`ORDERS_SERVICE_URL=http://orders:3000`), sorted. */
  routesTo: string[];
  /** What its source shows, when it has JavaScript/TypeScript source that was scanned. */
  source: SourceFacts | null;
  kubernetes: KubernetesWorkload | null;
  dockerfile: DockerfileFacts | null;
  /** Every deployment unit that runs it (compose services, Kubernetes workloads, Helm releases, Nomad tasks…). */
  deployments: DeploymentUnit[];
  /** What its files, build units and deployment say, in any language (what the rules read). */
  facts: ServiceFacts;
  location: Location;
}

/** A gateway or reverse proxy, first-party (a service of the repository) or configured (nginx, Envoy, an Ingress…). */
export interface Gateway {
  /** The service that is the gateway, or the infrastructure entry / file that configures it. */
  name: string;
  implementation: string;
  /** The first-party service it is, when it is one. */
  service: string | null;
  routes: Array<{ path: string | null; upstream: string; target: string | null; breaker: boolean; location: Location }>;
  location: Location;
}

/** An internal package that is not a service. */
export interface Library {
  /** npm package name. */
  name: string;
  dir: string;
  /** Declared in arch.config.json `shared`. */
  declared: boolean;
  /** Services that depend on it (package.json dependencies). */
  users: string[];
  location: Location;
}

/** A topic or queue with the services that produce to and consume from it. */
export interface Channel {
  broker: BrokerKind;
  name: string;
  producers: string[];
  consumers: string[];
  locations: Location[];
}

/** A dependency between two services: a synchronous call or an asynchronous event path. */
export interface Edge {
  from: string;
  to: string;
  kind: 'sync' | 'async';
  /** For sync: the number of call sites (a browser's requests to the origin that served its page count none); for async: the channels. */
  calls: number;
  channels: string[];
  location: Location;
}

export interface Database {
  /** Identity: engine + host + database name (with the schema a connection selects: `shop.orders`), e.g. `postgres://orders-db/orders`. */
  id: string;
  engine: DatabaseEngine;
  host: string;
  name: string;
  /** The compose service that runs it, if any. */
  container: string | null;
  /** Names of the services that use it. */
  users: string[];
  location: Location;
}

export interface Broker {
  kind: BrokerKind;
  /** The compose service that runs it, if any. */
  container: string | null;
  location: Location;
}

/** A file the scanner could not read or parse. `arch check` turns these into findings. */
export interface Diagnostic {
  file: string;
  line?: number;
  message: string;
}

export interface WorkspaceInfo {
  /** npm `workspaces` patterns of the root package.json. */
  patterns: string[];
  /** `arch.config.json`, or `package.json` when the config is its `arch` key, or null. */
  configFile: string | null;
  /** The compose file generators edit, relative to the root. */
  composeFile: string | null;
}

export interface RepoModel {
  /** Schema version of this model. */
  version: 1;
  /** What the root is: an archkit/npm workspace, a single service, or anything else. */
  kind: 'workspace' | 'standalone' | 'unknown';
  workspace: WorkspaceInfo | null;
  services: Service[];
  databases: Database[];
  brokers: Broker[];
  /** Name of the gateway service, if any. */
  gateway: string | null;
  /** Infrastructure containers from compose (databases, brokers, caches, collectors) by key. */
  infrastructure: Array<{ key: string; image: string | null; role: 'database' | 'broker' | 'cache' | 'observability' | 'gateway' | 'platform' | 'other'; reason?: string }>;
  /** Gateways and reverse proxies with the services they route to. */
  gateways: Gateway[];
  channels: Channel[];
  edges: Edge[];
  /** Sagas found in the source, with the service that runs (orchestration) or starts (choreography) each. */
  sagas: Array<SagaFact & { host: string }>;
  /** Packages of the repository that are not services (internal libraries), with the services depending on them. */
  libraries: Library[];
  /** Files scanned, by kind (for the summary and the scorecard's evidence). */
  files: { compose: string[]; kubernetes: string[]; dockerfiles: string[]; packageJson: string[]; source: number };
  diagnostics: Diagnostic[];
}
