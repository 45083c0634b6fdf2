/**
 * What one extractor says about one file: plain, JSON-serialisable facts,
 * attributed to that file. The scan pipeline (scan.ts) reads each file once,
 * hands its text to every extractor that accepts it (extract/registry.ts),
 * then links files to services (a file belongs to the services whose source
 * folders hold it) and joins the facts across files and services.
 *
 * Extractors never decide *which service* a fact belongs to, never resolve
 * addresses to services and never judge (pass / fail): they say what the file
 * shows, where. Everything here is language-neutral; the `what` strings are for
 * people (`--explain`, reports), the typed fields are for the join and the rules.
 */
import type { BrokerKind, DatabaseEngine, Location, LocalState, MessagingEndpoint, OutboundCall } from './types.js';

/** One piece of evidence: what was seen, and where. */
export interface Evidence {
  /** Short, human: `spring-boot-starter-actuator`, `MapHealthChecks("/hc")`, `@CircuitBreaker(name = "cart")`. */
  what: string;
  location: Location;
  /**
   * The destination host the evidence is about when it applies to every call to that host rather than to the unit
   * that holds the file: an Istio DestinationRule's `host` (`reviews`, `reviews.prod.svc.cluster.local`). The join
   * gives a breaker to the calls and gateway routes that go to it, from any service.
   */
  destination?: string;
}

export type Ecosystem = 'npm' | 'maven' | 'gradle' | 'go' | 'nuget' | 'pypi';

/** A library a build manifest declares. */
export interface Dependency {
  ecosystem: Ecosystem;
  /** Maven/Gradle: `group:artifact`; Go: module path; NuGet: package id; PyPI: normalised name; npm: package name. */
  name: string;
  /** Test-only and build-only dependencies say nothing about what runs. */
  scope: 'runtime' | 'test' | 'build';
  location: Location;
}

/**
 * A build unit a manifest declares: a Maven or Gradle module, a Go module or
 * main package, a .NET project, a Python project, an npm package. Units are
 * how the link step finds a service's source folder, and how capabilities
 * flow (a module inherits its parent POM's dependencies; a project gets what
 * its ProjectReferences bring).
 */
export interface BuildUnit {
  kind: 'maven' | 'gradle' | 'go' | 'dotnet' | 'python' | 'npm';
  /** Folder of the manifest, relative to the root ('.' for the root). */
  dir: string;
  /** artifactId, Gradle project name, Go module path, .NET assembly/project name, Python project name, npm name. */
  name: string | null;
  /**
   * Whether it builds a program that runs on its own (Spring Boot plugin or main class, Go `package main`,
   * .NET Web/Worker SDK or `OutputType Exe`, a Python entry point): null when the manifest does not say.
   */
  executable: boolean | null;
  /** Maven `<parent>`: the folder of the parent POM when it is in the repository (relativePath), else null. */
  parent: string | null;
  /** Child modules (Maven `<modules>`, Gradle `include`), as folders relative to the root. */
  modules: string[];
  /** Local units it depends on: folders (ProjectReference, Gradle `project(':x')`, npm `file:`/workspace deps), relative to the root. */
  references: string[];
  /** Container image names the manifest builds (Jib `<to><image>`, Spring Boot `imageName`, .NET `ContainerRepository`). */
  images: string[];
  location: Location;
}

/**
 * A configuration entry, from any source: dotenv files, `application*.yml` / `.properties`, `appsettings*.json`,
 * Helm values, ConfigMaps, compose or Kubernetes `environment`. Settings are what the join turns into
 * addresses (edges) and database identities.
 */
export interface Setting {
  /**
   * Normalised key: the dotted path for hierarchical files (`spring.datasource.url`, `ConnectionStrings.OrderingDb`,
   * `yas.services.cart`), the variable name for environment entries (`ORDERS_URL`).
   */
  key: string;
  value: string;
  /** Spring profile, ASP.NET environment (`appsettings.Production.json` → `Production`), dotenv variant; null for the default. */
  profile: string | null;
  /**
   * The application the file says the setting is for, when that is not the folder it sits in: a Spring Cloud
   * Config repository's `<application>.yml` / `<application>-<profile>.yml`. Null: it belongs to whoever owns the file.
   */
  application?: string | null;
  location: Location;
}

/** A route a gateway or reverse proxy declares: requests matching `path` (or `host`) go to `upstream`. */
export interface GatewayRoute {
  /** Path prefix or pattern as written (`/api/orders/**`, `/o/`), null when it routes by host only. */
  path: string | null;
  /** Host match (`api.example.com`), if any. */
  host: string | null;
  /**
   * Where it goes, as written: a URL (`http://orders:8080`), `host:port`, a Eureka/Consul service id (`lb://orders`),
   * or a cluster/upstream name already resolved to its addresses by the extractor.
   */
  upstream: string;
  /** A breaker on this route (Envoy circuit_breakers/outlier_detection, Istio outlierDetection, SCG CircuitBreaker filter…). */
  breaker: boolean;
  location: Location;
}

/**
 * A gateway or reverse proxy that a file configures or a unit implements: nginx, Envoy, Traefik, Kong, HAProxy,
 * Spring Cloud Gateway, Zuul, YARP, Ocelot, grpc-gateway, a Kubernetes Ingress / Gateway API route, Istio.
 */
export interface GatewayDecl {
  implementation: string;
  /**
   * Which deployment unit runs it, when the file says so (an Ingress names no container; an nginx.conf is
   * mounted by a compose service). Null: the pipeline links it by the folder the file is in, or by the
   * compose/Kubernetes entries that mount or build it.
   */
  runsIn: string | null;
  routes: GatewayRoute[];
  location: Location;
}

/**
 * A deployment unit a deployment format declares (compose service, Kubernetes workload, Helm chart release,
 * Nomad task, skaffold artifact, .NET Aspire resource): what the link step turns into a service when it
 * runs first-party code.
 */
export interface DeploymentUnit {
  format: 'compose' | 'kubernetes' | 'helm' | 'nomad' | 'skaffold' | 'aspire' | 'other';
  name: string;
  /** Container image(s), as written (tag included). */
  images: string[];
  /** Build context folder relative to the root, and the Dockerfile relative to the root, when the unit builds an image. */
  build: { context: string; dockerfile: string | null } | null;
  /** Source folder when the format names it directly, relative to the root. */
  sourceDir: string | null;
  /** A build unit the format names instead of a folder (Aspire `AddProject<Projects.Catalog_API>` → `Catalog.API`). */
  project?: string | null;
  /**
   * Paths the unit's command names, as written (a Nomad `raw_exec` task running `cd repo/cmd/proxy && go run …`):
   * the link step takes the most specific one that is a folder of code when nothing else says where the code is.
   */
  paths?: string[];
  environment: Setting[];
  /** Published ports (compose `ports`, NodePort/LoadBalancer Services, Nomad static ports). */
  published: string[];
  replicas: number | null;
  /** Autoscaling declared (HPA, Nomad scaling block, KEDA). */
  autoscaling: boolean;
  /** Health checks the deployment declares (compose healthcheck, probes, Nomad checks, Dockerfile HEALTHCHECK). */
  health: Evidence[];
  /** Pins that prevent running several copies (`container_name`, a fixed host port). */
  pins: Evidence[];
  /**
   * Other names the unit answers to on the network, when the format declares them apart from its name: Consul
   * service names of a Nomad task (`product-api-grpc`), the literal name of a Helm chart's Kubernetes Service.
   * The join matches addresses against them as it does against the name.
   */
  aliases?: string[];
  location: Location;
}

/**
 * A kustomization (kustomization.yaml): what it does to the manifests it lists. Not a deployment unit of its own:
 * the pipeline applies it to the Kubernetes objects of `resources` (image renames, name prefix/suffix), and an
 * overlay that only patches a base adds no workload.
 */
export interface Kustomization {
  /** Folder of the kustomization, relative to the root. */
  dir: string;
  /** `resources` (and legacy `bases`) inside the repository, relative to the root: manifest files or folders of other kustomizations. Remote ones are left out. */
  resources: string[];
  /** `components` inside the repository, relative to the root. */
  components: string[];
  /** Files applied as patches (`patches`, `patchesStrategicMerge`, `patchesJson6902` with a `path`), relative to the root. */
  patches: string[];
  /** `images`: the image name as written in the manifests → what kustomize writes instead (null where it keeps the part). */
  images: Array<{ name: string; newName: string | null; newTag: string | null; digest: string | null; location: Location }>;
  namePrefix: string | null;
  nameSuffix: string | null;
  namespace: string | null;
  /** `replicas` overrides by workload name. */
  replicas: Array<{ name: string; count: number; location: Location }>;
  location: Location;
}

/** What a dependency (by ecosystem and name) tells about the unit that declares it. */
export type Capability =
  | { kind: 'health' }
  | { kind: 'tracing'; exports: boolean }
  | { kind: 'breaker' }
  | { kind: 'retry' }
  | { kind: 'broker'; broker: BrokerKind }
  | { kind: 'database'; engine: DatabaseEngine | 'sqlserver' | 'elasticsearch' | 'dynamodb' | 'cassandra' | 'other' }
  | { kind: 'http-client' }
  | { kind: 'grpc' }
  | { kind: 'gateway'; implementation: string }
  /** A platform server that runs no business code of its own: config server, service registry, dashboards. */
  | { kind: 'platform'; role: string }
  | { kind: 'web' };

/**
 * A producer or consumer through a broker-neutral bus (MassTransit, NServiceBus, an application's event bus
 * abstraction) in a file that does not say which broker carries it: the join takes the broker from the unit's
 * broker dependencies (its own or its referenced projects'). The channel is the message type's name, which such
 * buses route by.
 */
export interface BusEndpoint {
  role: 'producer' | 'consumer';
  channel: string | null;
  /** The bus: `MassTransit`, `NServiceBus`, `event bus`, `bus`. */
  via: string;
  location: Location;
}

/**
 * A database schema an SQL file creates (`CREATE SCHEMA orders`) or uses through a qualified name (`orders.items`,
 * `"order".orders`), once per file, at its first mention. System schemas and `public` are not listed.
 */
export interface SqlSchemaUse {
  schema: string;
  /** The file creates it (CREATE SCHEMA), rather than only using it. */
  creates: boolean;
  location: Location;
}

/** Everything one extractor says about one file. Every list is optional; absent means "nothing seen". */
export interface FileFacts {
  /** Source language of the file, when it is source (`java`, `go`, `csharp`, `python`, `typescript`, …). */
  language?: string;
  unit?: BuildUnit;
  dependencies?: Dependency[];
  settings?: Setting[];
  calls?: OutboundCall[];
  messaging?: MessagingEndpoint[];
  /** Messaging through a bus whose broker the file does not name (see BusEndpoint). */
  busMessaging?: BusEndpoint[];
  /** A health endpoint, health service or health framework wired in code or configuration. */
  health?: Evidence[];
  /** Tracing instrumentation set up (SDK, agent, Sleuth/Micrometer, a framework tracer). */
  tracing?: Evidence[];
  /** Traces exported somewhere (OTLP endpoint, Zipkin URL, Jaeger agent, a collector). */
  traceExport?: Evidence[];
  /**
   * A circuit breaker applied to outbound calls (annotation, policy, configuration switch, mesh outlier detection).
   * One whose `what` starts with HTTP_CLIENT_DEFAULTS applies to every HTTP and gRPC client of the .NET service.
   */
  breakers?: Evidence[];
  /** The unit is a platform server (config server, registry, dashboard) rather than a business service. */
  platform?: Evidence[];
  /** The unit runs a program (a main class/function, a host builder): what makes a module a service, not a library. */
  entryPoints?: Evidence[];
  gateways?: GatewayDecl[];
  deployments?: DeploymentUnit[];
  /** A kustomization file: how it changes the manifests it lists (see Kustomization). */
  kustomization?: Kustomization;
  /** Imports of other code of the repository, as written (Go import paths, Java packages, TS specifiers). */
  imports?: Array<{ specifier: string; location: Location }>;
  localState?: LocalState[];
  /**
   * Classes that bind configuration under a prefix (Spring `@ConfigurationProperties(prefix = "yas.services")`), by
   * fully qualified name. A call whose address is a property of such a class declared in another module (its file
   * out of the extractor's reach) carries `configKey` `<fully.qualified.Class>#<property>` (kebab-case property, as
   * Spring binds it); the join rewrites it to `<prefix>.<property>` with these.
   */
  configBindings?: Array<{ className: string; prefix: string; location: Location }>;
  /** Which methods of the file's classes make outbound calls and which methods of other classes they invoke (see ClassGraph). */
  classGraph?: ClassGraph;
  /** SQL files: the schemas they create and the schemas of the qualified names they use (see SqlSchemaUse). */
  sqlSchemas?: SqlSchemaUse[];
}

/**
 * The class-level call graph one source file shows (Java, C#), by simple names: the join follows a per-item
 * invocation (`prices.priceOf(id)` in a loop) into the methods of the same service that make outbound calls,
 * so a call made through a wrapper class counts as made per item at the loop.
 */
export interface ClassGraph {
  /** Types the file declares, with the supertypes they name (`extends`, `implements`, a C# base list). */
  types: Array<{ name: string; supertypes: string[] }>;
  /** The method (of the type) that holds each outbound call of the file, by the call's line. */
  callers: Array<{ type: string; method: string; line: number }>;
  /**
   * `receiver.method(…)` in a method of a type of the file, where the receiver has a declared type (field, constructor
   * or method parameter, local) — or is the type itself (`this.m()`, `m()`); `inLoop` when it runs per item;
   * `background` when the method is a scheduled or hosted background job (`@Scheduled`, a Quartz job, a .NET
   * BackgroundService): its loops serve no user's request.
   */
  invocations: Array<{ type: string; method: string; calleeType: string; callee: string; inLoop: boolean; line: number; background?: boolean }>;
}

/** A capability a service has through one of its dependencies. */
export interface CapabilityHit {
  capability: Capability;
  /** The dependency that gives it. */
  via: string;
  location: Location;
}

/**
 * Everything the files of one service (and the build units it inherits from) say, joined: what the rules read.
 * Facts from every language meet here, so a rule never asks which language a service is written in.
 */
export interface ServiceFacts {
  /** Languages of its source files, most files first. */
  languages: string[];
  /** Source files attributed to it (any language an extractor reads). */
  sourceFiles: number;
  /** Whether its source was read by an extractor for its language (false: facts from code are missing, not absent). */
  sourceRead: boolean;
  /** Whether a build manifest told its dependencies. */
  manifestRead: boolean;
  dependencies: Dependency[];
  capabilities: CapabilityHit[];
  health: Evidence[];
  tracing: Evidence[];
  traceExport: Evidence[];
  breakers: Evidence[];
  platform: Evidence[];
  entryPoints: Evidence[];
  calls: OutboundCall[];
  messaging: MessagingEndpoint[];
  /** Configuration files' settings that apply to it (its deployment's environment is in `environment`). */
  settings: Setting[];
  /** Its deployment's environment, as settings (compose, Kubernetes, Helm, Nomad). */
  environment: Setting[];
  gateways: GatewayDecl[];
  localState: LocalState[];
  crossImports: Array<{ specifier: string; target: string; location: Location }>;
  /** The schemas its own SQL files create or use, each once, with the first mention seen. */
  sqlSchemas: SqlSchemaUse[];
}

export function emptyServiceFacts(): ServiceFacts {
  return {
    languages: [],
    sourceFiles: 0,
    sourceRead: false,
    manifestRead: false,
    dependencies: [],
    capabilities: [],
    health: [],
    tracing: [],
    traceExport: [],
    breakers: [],
    platform: [],
    entryPoints: [],
    calls: [],
    messaging: [],
    settings: [],
    environment: [],
    gateways: [],
    localState: [],
    crossImports: [],
    sqlSchemas: [],
  };
}

/** The prefix of a breaker the .NET HttpClient factory applies to every client (`ConfigureHttpClientDefaults`). */
export const HTTP_CLIENT_DEFAULTS = 'every HttpClient (ConfigureHttpClientDefaults)';
