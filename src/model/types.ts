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
export type BrokerKind = 'kafka' | 'rabbitmq' | 'nats' | 'mqtt' | 'redis';

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
  ports: string[];
  expose: string[];
  healthcheck: boolean;
  dependsOn: string[];
  replicas: number | null;
  /** Environment as written (values unresolved in this first cut). */
  environment: Record<string, string>;
}

export interface Service {
  name: string;
  /** Source folder relative to the root ('.' for a standalone service), or null when known only from manifests. */
  dir: string | null;
  /** npm package name, when the service is an npm package. */
  packageName: string | null;
  language: 'typescript' | 'javascript' | 'unknown';
  /** Where the service was found. */
  origins: Array<'workspace' | 'package' | 'compose' | 'config'>;
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
  location: Location;
}

export interface Database {
  /** Identity: engine + host + database name, e.g. `postgres://orders-db/orders`. */
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
  infrastructure: Array<{ key: string; image: string | null; role: 'database' | 'broker' | 'cache' | 'observability' }>;
  diagnostics: Diagnostic[];
}
