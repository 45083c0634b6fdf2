/**
 * Databases with an identity (engine + host + database name), from each
 * service's effective settings: connection URLs and JDBC URLs, ADO.NET-style
 * connection strings, host/name pairs (`spring.data.mongodb.host` +
 * `.database`, `DB_HOST` + `DB_NAME`), and a URL without a database
 * completed by a database-name setting of the same file (`mongodbURI` +
 * `dbname`). Database containers of compose give identities too, and a
 * service that declares no connection but depends on one database container
 * uses it. Two services on one server with different database names are
 * different databases; the same name on the same host is one shared database.
 * A PostgreSQL schema the connection selects is part of the name
 * (`shop.orders`): schema per service is a database per service. So is a
 * schema per service that the services' own SQL files show, when they connect
 * alike (see splitBySqlSchemas).
 */
import { infraRole } from '../extract/compose.js';
import type { Setting } from '../facts.js';
import type { Broker, BrokerKind, ComposeService, Database, DatabaseEngine, Service } from '../types.js';
import { parseConnectionString, type ConnectionEngine } from './connection-strings.js';
import { canonicalKey, resolvePlaceholders, type EffectiveSettings } from './settings.js';

interface Target {
  engine: DatabaseEngine;
  host: string;
  name: string;
  /** The connection selects a schema (already part of `name`). */
  schema?: boolean;
  location: Setting['location'];
}

/** Engines whose SQL names schemas (`schema.table`): where a service's SQL can tell which part of a database is its. */
const SQL_ENGINES: ReadonlySet<DatabaseEngine> = new Set(['postgres', 'mysql', 'mariadb', 'sqlserver'] as DatabaseEngine[]);

const idOf = (target: Target): string => `${target.engine}://${target.host}/${target.name}`;

/**
 * Schema per service seen from the services' own SQL: where several services connect to one database without
 * selecting a schema, and each of them uses that one SQL database only and its own SQL files (migrations, queries)
 * create or use exactly one schema, a different one for each, the identity of each becomes `<database>.<schema>`,
 * as when the connection selects it. Two of them on the same schema, one on several schemas, or one whose SQL is
 * not seen: the database stays shared (unknown is not separate).
 */
function splitBySqlSchemas(plans: ReadonlyArray<{ service: Service; targets: Target[] }>): void {
  const groups = new Map<string, Array<{ service: Service; targets: Target[] }>>();
  for (const plan of plans) {
    const sqlIds = new Set(plan.targets.filter((t) => SQL_ENGINES.has(t.engine)).map(idOf));
    if (sqlIds.size !== 1) continue;
    const [id] = sqlIds;
    if (plan.targets.some((t) => t.schema && idOf(t) === id)) continue;
    groups.set(id!, [...(groups.get(id!) ?? []), plan]);
  }
  const users = new Map<string, number>();
  for (const plan of plans) for (const id of new Set(plan.targets.map(idOf))) users.set(id, (users.get(id) ?? 0) + 1);
  for (const [id, group] of groups) {
    // Every user of the identity must be in the group (a user with other SQL databases or no single schema keeps it shared).
    if (group.length < 2 || group.length !== users.get(id)) continue;
    const schemas = group.map((plan) => (plan.service.facts.sqlSchemas.length === 1 ? plan.service.facts.sqlSchemas[0]!.schema : null));
    if (schemas.some((schema) => schema === null) || new Set(schemas).size !== schemas.length) continue;
    group.forEach((plan, i) => {
      for (const target of plan.targets) if (idOf(target) === id) target.name = `${target.name}.${schemas[i]!}`;
    });
  }
}

/** Keys that name a connection (the value may be a URL, a JDBC URL or a connection string). */
const CONNECTION_KEY = /(database|datasource|db|mongo|postgres|pgsql|pg|mysql|mariadb|sqlserver|mssql|sql|redis|connectionstring|connection|dsn|jdbc|datastore|store|elastic|cassandra|dynamo)/;
const NAME_SUFFIXES = ['databasename', 'dbname', 'database', 'db', 'name', 'catalog'];
const HOST_SUFFIXES = ['hostname', 'host', 'server', 'address', 'addr'];
const ENGINE_WORDS: Array<[RegExp, DatabaseEngine]> = [
  [/mongo/, 'mongodb'],
  [/postgres|pgsql|^pg|pg$/, 'postgres'],
  [/mariadb/, 'mariadb'],
  [/mysql/, 'mysql'],
  [/redis/, 'redis'],
  [/sqlserver|mssql/, 'sqlserver' as DatabaseEngine],
];

const ENGINES: ReadonlySet<string> = new Set(['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'sqlite', 'sqlserver', 'elasticsearch', 'dynamodb', 'cassandra']);

function engineOf(engine: ConnectionEngine): DatabaseEngine {
  return (ENGINES.has(engine) ? engine : 'unknown') as DatabaseEngine;
}

const unresolved = (value: string): boolean => value.includes('${') || value.includes('{{') || value.includes('$(');

function targets(service: Service, settings: EffectiveSettings, containers: ReadonlyMap<string, { engine: DatabaseEngine; name: string }>): Target[] {
  const out: Target[] = [];
  const all = settings.all();
  const hint = service.facts.capabilities.find((h) => h.capability.kind === 'database')?.capability as { engine: ConnectionEngine } | undefined;
  const byCanonical = new Map(all.map((s) => [canonicalKey(s.key), s]));
  const nameBeside = (setting: Setting, prefix: string): string | null => {
    for (const suffix of NAME_SUFFIXES) {
      const found = byCanonical.get(prefix + suffix) ?? (prefix === '' ? undefined : byCanonical.get(suffix));
      if (found && found.location.file === setting.location.file && found.value.trim() !== '' && !unresolved(found.value)) return resolvePlaceholders(found.value, settings).trim();
    }
    return null;
  };
  for (const setting of all) {
    const key = canonicalKey(setting.key);
    const value = resolvePlaceholders(setting.value, settings).trim();
    if (value === '' || unresolved(value)) continue;
    const looksLikeUrl = /^(jdbc:|[a-z][a-z0-9+.-]*:\/\/)/i.test(value);
    if (!looksLikeUrl && !(CONNECTION_KEY.test(key) && value.includes('=') && value.includes(';'))) continue;
    if (looksLikeUrl && /^https?:\/\//i.test(value)) continue;
    const parsed = parseConnectionString(value, looksLikeUrl ? undefined : hint?.engine);
    if (!parsed || parsed.host === '' || /^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/.test(parsed.host)) continue;
    const engine = engineOf(parsed.engine);
    const container = containers.get(parsed.host);
    let name = parsed.database;
    if (name === '') name = nameBeside(setting, key.replace(/(url|uri|dsn|connectionstring|connection|string)$/, '')) ?? container?.name ?? '';
    // Schema per service: `shop.orders` and `shop.payments` are two databases' worth of isolation.
    if (parsed.schema) name = `${name}.${parsed.schema}`;
    out.push({ engine, host: parsed.host, name, ...(parsed.schema ? { schema: true } : {}), location: setting.location });
  }
  // Host and name in separate settings: `<prefix>host` beside `<prefix>database` / `<prefix>name`.
  if (out.length === 0) {
    for (const setting of all) {
      const key = canonicalKey(setting.key);
      const suffix = HOST_SUFFIXES.find((s) => key.endsWith(s));
      if (!suffix) continue;
      const prefix = key.slice(0, -suffix.length);
      if (!CONNECTION_KEY.test(prefix)) continue;
      const host = resolvePlaceholders(setting.value, settings).trim().toLowerCase().split(':')[0]!;
      if (host === '' || unresolved(host) || /^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/.test(host)) continue;
      const container = containers.get(host);
      const engine = container?.engine ?? ENGINE_WORDS.find(([re]) => re.test(prefix))?.[1] ?? engineOf(hint?.engine ?? 'other');
      if (engine === 'unknown' && !container) continue;
      const name = nameBeside(setting, prefix) ?? container?.name ?? '';
      out.push({ engine, host, name, location: setting.location });
    }
  }
  if (out.length === 0 && service.compose) {
    // No connection settings: a dependency on a database container still says which one it uses.
    for (const dep of service.compose.dependsOn) {
      const container = containers.get(dep);
      if (container) out.push({ engine: container.engine, host: dep, name: container.name, location: { file: service.compose.file, line: service.compose.line } });
    }
  }
  return out;
}

export function joinDatabases(
  services: Service[],
  composeServices: readonly ComposeService[],
  settingsOf: (service: Service) => EffectiveSettings,
): { databases: Database[]; brokers: Broker[] } {
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
  const plans = services.map((service) => ({ service, targets: targets(service, settingsOf(service), containers) }));
  splitBySqlSchemas(plans);
  for (const { service, targets: found } of plans) {
    const used = new Set<string>();
    for (const target of found) {
      const id = idOf(target);
      if (!databases.has(id)) {
        const container = containers.get(target.host);
        const location = container ? { file: container.cs.file, line: container.cs.line } : target.location;
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
  const usedHosts = new Set([...databases.values()].filter((d) => d.users.length > 0).map((d) => d.host));
  for (const [id, db] of databases) if (db.users.length === 0 && usedHosts.has(db.host)) databases.delete(id);
  return { databases: [...databases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), brokers };
}
