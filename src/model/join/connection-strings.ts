/**
 * Database identity (engine + host + database) from a connection setting as written in any ecosystem:
 * URLs (`postgres://u:p@db:5432/orders`, `mongodb://a,b/catalog`, `redis://cache:6379/0`), JDBC URLs
 * (`jdbc:postgresql://db/orders`, `jdbc:sqlserver://db:1433;databaseName=X`, `jdbc:oracle:thin:@//db:1521/SVC`),
 * and ADO.NET key/value strings (SQL Server `Server=sqldata;Database=X` / `Data Source=tcp:db,1433;Initial
 * Catalog=X`, Npgsql `Host=db;Database=X`, MySQL `Server=db;Port=3306;Database=X`, StackExchange.Redis
 * `cache:6379,password=…`). Placeholders (`${DB_HOST}`, `{{ .Values.host }}`) are kept as written: resolve them
 * before calling when you can.
 *
 * Key/value strings do not always say their engine (`Server=…;Database=…` is SQL Server's and MySQL's form):
 * `hint` (the engine the unit's dependencies point at) decides then; without it SQL Server is assumed, the
 * form's usual owner, unless a key, a port or the scheme says otherwise. In-memory databases have no shared
 * identity: null.
 *
 * PostgreSQL connections may select a schema (pgjdbc `currentSchema`, Prisma `schema`, libpq `options=-c
 * search_path=…`, Npgsql `Search Path`): services that keep their data in schemas of one database each have
 * their own, so the schema is part of the identity.
 */
import type { Capability } from '../facts.js';

export type ConnectionEngine = Extract<Capability, { kind: 'database' }>['engine'];

export interface ConnectionTarget {
  engine: ConnectionEngine;
  /** Host name, lower case, without port ('' for a local file database). */
  host: string;
  /** Database, schema-less catalog or SID/service name as written; '' when the string names none. */
  database: string;
  /** The PostgreSQL schema the connection selects (the first of a search path), when it names one. */
  schema?: string;
}

/**
 * The first schema of a search path (`orders,public`, `"orders"`), or undefined for none, a placeholder, or the
 * default one (`public`, `$user`): a connection that selects the default schema is a connection that selects none.
 */
function firstSchema(path: string | undefined): string | undefined {
  const first = path?.split(',')[0]?.trim().replace(/^"(.*)"$/, '$1');
  return first && !/[${}()]/.test(first) && first.toLowerCase() !== 'public' ? first : undefined;
}

/** The schema a PostgreSQL URL query selects: `currentSchema`, `schema`, `search_path`, or `options=-c search_path=…`. */
function querySchema(query: string): string | undefined {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return undefined;
  }
  const direct = params.get('currentSchema') ?? params.get('currentschema') ?? params.get('schema') ?? params.get('search_path');
  if (direct !== null) return firstSchema(direct);
  const options = /(?:^|\s)-c\s*search_path=(\S+)/.exec(params.get('options') ?? '');
  return firstSchema(options?.[1]);
}

const withSchema = (target: ConnectionTarget, schema: string | undefined): ConnectionTarget => (schema && target.engine === 'postgres' ? { ...target, schema } : target);

const SCHEMES: Readonly<Record<string, ConnectionEngine>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pgsql: 'postgres',
  mysql: 'mysql',
  'mysql+pymysql': 'mysql',
  'mysql+mysqldb': 'mysql',
  'postgresql+psycopg2': 'postgres',
  'postgresql+psycopg': 'postgres',
  'postgresql+asyncpg': 'postgres',
  mariadb: 'mariadb',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
  redis: 'redis',
  rediss: 'redis',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  'mssql+pyodbc': 'sqlserver',
  jtds: 'sqlserver',
  oracle: 'other',
  cassandra: 'cassandra',
  sqlite: 'sqlite',
};

const PORTS: Readonly<Record<string, ConnectionEngine>> = { '5432': 'postgres', '3306': 'mysql', '1433': 'sqlserver', '27017': 'mongodb', '6379': 'redis' };

export function parseConnectionString(value: string, hint?: ConnectionEngine): ConnectionTarget | null {
  const text = value.trim();
  if (text === '') return null;
  if (text.toLowerCase().startsWith('jdbc:')) return parseJdbc(text.slice(5));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return parseUrl(text, hint);
  if (text.includes('=') && text.includes(';')) return parseKeyValue(text, hint);
  if (text.includes('=') && !text.includes(',')) return parseKeyValue(text, hint);
  return parseHostList(text, hint);
}

/** `scheme://[user[:pw]@]host[:port][,host2…][/db][?…]`. */
function parseUrl(text: string, hint?: ConnectionEngine): ConnectionTarget | null {
  const schemeEnd = text.indexOf('://');
  const scheme = text.slice(0, schemeEnd).toLowerCase();
  const engine = SCHEMES[scheme] ?? (scheme.startsWith('postgres') ? 'postgres' : scheme.startsWith('mysql') ? 'mysql' : undefined) ?? hint;
  if (!engine) return null;
  let rest = text.slice(schemeEnd + 3);
  const question = rest.indexOf('?');
  const schema = question === -1 ? undefined : querySchema(cut(rest.slice(question + 1), '#'));
  rest = cut(rest, '?');
  rest = cut(rest, '#');
  const slash = rest.indexOf('/');
  let authority = slash === -1 ? rest : rest.slice(0, slash);
  let path = slash === -1 ? '' : rest.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  // sqlserver://host:1433;databaseName=X (the JDBC form without its prefix).
  const semi = authority.indexOf(';');
  let properties = '';
  if (semi !== -1) {
    properties = authority.slice(semi + 1);
    authority = authority.slice(0, semi);
  }
  const pathSemi = path.indexOf(';');
  if (pathSemi !== -1) {
    properties = path.slice(pathSemi + 1);
    path = path.slice(0, pathSemi);
  }
  const host = hostOf(cut(authority, ','));
  let database = decode(path);
  if (properties !== '') {
    const props = keyValues(properties);
    database = props.get('databasename') ?? props.get('database') ?? database;
  }
  if (engine === 'redis') database = database.replace(/\/+$/, '');
  if (engine === 'sqlite') return { engine, host: '', database: host + (path ? `/${path}` : '') };
  return withSchema({ engine, host, database }, schema);
}

/** What follows `jdbc:`. */
function parseJdbc(text: string): ConnectionTarget | null {
  const lower = text.toLowerCase();
  if (lower.startsWith('h2:mem:') || lower.startsWith('hsqldb:mem:') || lower.startsWith('derby:memory:')) return null;
  if (lower.startsWith('sqlite:')) {
    const file = text.slice('sqlite:'.length);
    return file === '' || file === ':memory:' ? null : { engine: 'sqlite', host: '', database: file };
  }
  if (lower.startsWith('oracle:')) {
    // oracle:thin:@host:1521:SID, oracle:thin:@//host:1521/service, oracle:thin:user/pw@host:1521/service
    const at = text.lastIndexOf('@');
    if (at === -1) return null;
    let target = text.slice(at + 1).replace(/^\/\//, '');
    target = cut(target, '?');
    if (target.startsWith('(')) return { engine: 'other', host: '', database: '' };
    const slash = target.indexOf('/');
    if (slash !== -1) return { engine: 'other', host: hostOf(target.slice(0, slash)), database: target.slice(slash + 1) };
    const [host = '', , sid = ''] = target.split(':');
    return { engine: 'other', host: host.toLowerCase(), database: sid };
  }
  // mysql:loadbalance://…, mysql:replication://…: the sub-protocol before `//` names the engine.
  const slashes = text.indexOf('//');
  if (slashes === -1) return null;
  const protocol = text.slice(0, slashes).replace(/:$/, '');
  const first = protocol.split(':')[0]!.toLowerCase();
  const scheme = first === 'jtds' ? 'sqlserver' : first;
  const engine = SCHEMES[scheme];
  if (!engine) return null;
  return parseUrl(`${scheme}://${text.slice(slashes + 2)}`, engine);
}

/** ADO.NET `Key=Value;Key=Value`. */
function parseKeyValue(text: string, hint?: ConnectionEngine): ConnectionTarget | null {
  const props = keyValues(text);
  const rawHost = props.get('server') ?? props.get('host') ?? props.get('data source') ?? props.get('datasource') ?? props.get('address') ?? props.get('addr') ?? props.get('network address') ?? props.get('hostname');
  const database = props.get('database') ?? props.get('initial catalog') ?? props.get('dbname') ?? '';
  const port = props.get('port');
  let engine: ConnectionEngine | undefined = hint;
  if (!engine) {
    if (props.has('initial catalog') || props.has('integrated security') || props.has('trusted_connection') || props.has('trustservercertificate') || props.has('multipleactiveresultsets')) engine = 'sqlserver';
    else if (props.has('filename') || props.get('mode')?.toLowerCase() === 'memory' || (props.has('data source') && /^:memory:$|\.(db|sqlite3?)$/i.test(rawHost ?? ''))) engine = 'sqlite';
    else if (port && PORTS[port]) engine = PORTS[port];
    else if (props.has('host')) engine = 'postgres';
    else if (props.has('sslmode') && props.has('uid')) engine = 'mysql';
    else engine = 'sqlserver';
  }
  if (engine === 'sqlite') {
    const file = props.get('data source') ?? props.get('filename') ?? rawHost ?? '';
    return file === '' || file === ':memory:' || props.get('mode')?.toLowerCase() === 'memory' ? null : { engine, host: '', database: file };
  }
  if (rawHost === undefined) return null;
  return withSchema({ engine, host: adoHost(rawHost), database }, firstSchema(props.get('search path') ?? props.get('searchpath')));
}

/** StackExchange.Redis `host:port,password=…,ssl=false` (or a bare host) — a host list with options. */
function parseHostList(text: string, hint?: ConnectionEngine): ConnectionTarget | null {
  const first = cut(text, ',').trim();
  if (first === '' || first.includes('=') || /\s/.test(first)) return null;
  const colon = first.lastIndexOf(':');
  const port = colon === -1 ? '' : first.slice(colon + 1);
  const engine = hint ?? PORTS[port];
  if (!engine) return null;
  return { engine, host: hostOf(first), database: '' };
}

/** SQL Server hosts: `tcp:db,1433`, `db\\INSTANCE`, `db,1433`, `(localdb)\\mssqllocaldb`. */
function adoHost(raw: string): string {
  let host = raw.trim();
  if (/^(tcp|np|lpc):/i.test(host)) host = host.slice(host.indexOf(':') + 1);
  host = cut(host, ',');
  if (!host.startsWith('(')) host = cut(host, '\\');
  return hostOf(host);
}

function hostOf(authority: string): string {
  const host = authority.trim();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  // Keep a placeholder whole: `${DB_HOST:localhost}` holds a colon that is no port.
  for (const [open, close] of [['${', '}'], ['{{', '}}']] as const) {
    if (host.startsWith(open) && host.includes(close)) return host.slice(0, host.indexOf(close) + close.length);
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** `a=b;c=d` → lower-case keys (spaces inside keys kept), values trimmed and unquoted. */
function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' ');
    let val = part.slice(eq + 1).trim();
    if (val.length >= 2 && (val[0] === '"' || val[0] === "'") && val.endsWith(val[0]!)) val = val.slice(1, -1);
    if (key !== '' && !out.has(key)) out.set(key, val);
  }
  return out;
}

function cut(text: string, mark: string): string {
  const i = text.indexOf(mark);
  return i === -1 ? text : text.slice(0, i);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
