/**
 * Databases with an identity (engine + host + database name), from database
 * containers in compose and the connection settings in each service's
 * environment. Two services on one server with different database names are
 * different databases; the same name on the same host is one shared database.
 */
import { infraRole } from '../extract/compose.js';
import type { Broker, BrokerKind, ComposeService, Database, DatabaseEngine, Service } from '../types.js';
import { parseUrl, serviceEnvironment } from './environment.js';

const SCHEMES: Readonly<Record<string, DatabaseEngine>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
};

const URL_KEY = /(^|_)(DATABASE|DB|PG|POSTGRES|POSTGRESQL|MYSQL|MARIADB|MONGO|MONGODB)(_[A-Z0-9]+)*_(URL|URI|DSN|CONNECTION(_STRING)?)$|^DATABASE_URL$/;
const HOST_KEY = /^(DB|DATABASE|PG|POSTGRES|MYSQL|MONGO|MONGODB)_?HOST(NAME)?$/;
const NAME_KEY = /^(DB|DATABASE|PG|POSTGRES|MYSQL|MONGO|MONGODB)_?(NAME|DATABASE|DB)$/;

interface Target {
  engine: DatabaseEngine;
  host: string;
  name: string;
}

function targets(service: Service, containers: ReadonlyMap<string, { engine: DatabaseEngine; name: string }>): Target[] {
  const env = serviceEnvironment(service);
  const out: Target[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!URL_KEY.test(key)) continue;
    const url = parseUrl(value);
    if (!url) continue;
    const container = containers.get(url.host);
    const engine = SCHEMES[url.scheme] ?? container?.engine;
    if (!engine) continue;
    const name = decodeURIComponent(url.path.replace(/^\//, '')) || container?.name || '';
    out.push({ engine, host: url.host, name });
  }
  const hostKey = Object.keys(env).find((k) => HOST_KEY.test(k));
  if (out.length === 0 && hostKey && env[hostKey]) {
    const host = env[hostKey]!.toLowerCase();
    const nameKey = Object.keys(env).find((k) => NAME_KEY.test(k));
    const container = containers.get(host);
    const engine = container?.engine ?? service.databaseClients[0] ?? 'unknown';
    out.push({ engine, host, name: (nameKey && env[nameKey]) || container?.name || '' });
  }
  if (out.length === 0 && service.compose) {
    // No connection settings: a dependency on a database container still says which one it uses.
    for (const dep of service.compose.dependsOn) {
      const container = containers.get(dep);
      if (container) out.push({ engine: container.engine, host: dep, name: container.name });
    }
  }
  return out;
}

export function joinDatabases(services: Service[], composeServices: readonly ComposeService[]): { databases: Database[]; brokers: Broker[] } {
  const containers = new Map<string, { engine: DatabaseEngine; name: string; cs: ComposeService }>();
  const brokers: Broker[] = [];
  for (const cs of composeServices) {
    const infra = infraRole(cs.image);
    if (infra?.role === 'database') {
      const env = cs.environment;
      const name = env.POSTGRES_DB ?? env.MYSQL_DATABASE ?? env.MARIADB_DATABASE ?? env.MONGO_INITDB_DATABASE ?? (infra.engine === 'postgres' ? (env.POSTGRES_USER ?? 'postgres') : '');
      containers.set(cs.key, { engine: infra.engine as DatabaseEngine, name, cs });
    } else if (infra?.role === 'broker') {
      brokers.push({ kind: infra.engine as BrokerKind, container: cs.key, location: { file: cs.file, line: cs.line } });
    }
  }
  const databases = new Map<string, Database>();
  for (const [key, container] of containers) {
    const id = `${container.engine}://${key}/${container.name}`;
    databases.set(id, { id, engine: container.engine, host: key, name: container.name, container: key, users: [], location: { file: container.cs.file, line: container.cs.line } });
  }
  for (const service of services) {
    const used = new Set<string>();
    for (const target of targets(service, containers)) {
      const id = `${target.engine}://${target.host}/${target.name}`;
      if (!databases.has(id)) {
        const container = containers.get(target.host);
        const location = container
          ? { file: container.cs.file, line: container.cs.line }
          : service.compose
            ? { file: service.compose.file, line: service.compose.line }
            : service.location;
        databases.set(id, { id, engine: target.engine, host: target.host, name: target.name, container: containers.has(target.host) ? target.host : null, users: [], location });
      }
      used.add(id);
    }
    for (const id of [...used].sort()) {
      service.databases.push(id);
      databases.get(id)!.users.push(service.name);
    }
    for (const dep of service.compose?.dependsOn ?? []) {
      const broker = brokers.find((b) => b.container === dep);
      if (broker && !service.brokers.includes(broker.kind)) service.brokers.push(broker.kind);
    }
    service.brokers.sort();
  }
  for (const db of databases.values()) db.users.sort();
  // A container's default database is only a guess: drop it when services use other databases on that host.
  for (const [id, db] of databases) {
    if (db.users.length === 0 && [...databases.values()].some((other) => other.host === db.host && other.users.length > 0)) databases.delete(id);
  }
  return { databases: [...databases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), brokers };
}
