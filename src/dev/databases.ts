/**
 * The services' databases on the local PostgreSQL. `arch dev` creates a
 * missing one and marks it as this workspace's (a comment on the database
 * naming the workspace's folder); one that exists without that mark belongs
 * to something else (another project's `orders`, one made by hand) and is
 * reported, never used: its migrations table would make the service skip
 * its own migrations.
 *
 * The PostgreSQL client is the services' own `pg`, loaded from the
 * workspace's node_modules (archkit itself does not depend on it).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DevTarget } from './preflight.js';

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}
type PgModule = { Client: new (config: { connectionString: string; connectionTimeoutMillis: number }) => PgClient };

export interface DatabasePlan {
  /** Databases to create (and mark), by the service that uses each. */
  create: Array<{ target: DevTarget; url: string; database: string }>;
  problems: string[];
}

/** The mark `arch dev` leaves on the databases it made for the workspace at `root`. */
export const databaseMark = (root: string) => `archkit dev: ${root}`;

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The server's maintenance database, with the credentials of `url`. */
function adminUrl(url: URL): string {
  const admin = new URL(url.toString());
  admin.pathname = '/postgres';
  return admin.toString();
}

function loadPg(target: DevTarget): PgModule | null {
  try {
    return createRequire(path.join(target.service.abs, 'package.json'))('pg') as PgModule;
  } catch {
    return null;
  }
}

async function withClient<T>(pg: PgModule, url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which databases to create, and which exist without this workspace's mark (or are shared by two services). */
export async function planDatabases(root: string, targets: readonly DevTarget[]): Promise<DatabasePlan> {
  const plan: DatabasePlan = { create: [], problems: [] };
  const seen = new Map<string, DevTarget>();
  for (const target of targets) {
    const value = target.env.DATABASE_URL;
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      plan.problems.push(`${target.envFile}: DATABASE_URL is not a URL`);
      continue;
    }
    const database = decodeURIComponent(url.pathname.slice(1));
    const key = `${url.hostname}:${url.port || '5432'}/${database}`;
    const other = seen.get(key);
    if (other) {
      plan.problems.push(`${other.service.name} and ${target.service.name} use the same database ${database} (${other.envFile}, ${target.envFile}): each service owns its database`);
      continue;
    }
    seen.set(key, target);
    const pg = loadPg(target);
    if (pg === null) {
      plan.problems.push(`${target.service.dir}: its PostgreSQL client (pg) is not installed: run \`npm install\` in the workspace`);
      continue;
    }
    try {
      const rows = await withClient(pg, adminUrl(url), async (client) =>
        (await client.query("SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1", [database])).rows,
      );
      if (rows.length === 0) plan.create.push({ target, url: adminUrl(url), database });
      else if (rows[0]!.mark !== databaseMark(root)) {
        plan.problems.push(
          `database ${database} (DATABASE_URL in ${target.envFile}) already exists and was not made by arch dev for this workspace: drop it if it is a leftover (dropdb ${database}), or name another database there`,
        );
      }
    } catch (error) {
      plan.problems.push(`${target.service.name}: cannot look up database ${database} at ${url.host}: ${(error as Error).message}`);
    }
  }
  return plan;
}

/** Creates the planned databases, each marked as this workspace's. */
export async function createDatabases(root: string, plan: DatabasePlan): Promise<string[]> {
  const created: string[] = [];
  for (const { target, url, database } of plan.create) {
    const pg = loadPg(target)!;
    await withClient(pg, url, async (client) => {
      await client.query(`CREATE DATABASE ${identifier(database)}`);
      await client.query(`COMMENT ON DATABASE ${identifier(database)} IS ${literal(databaseMark(root))}`);
    });
    created.push(database);
  }
  return created;
}
