import { describe, expect, it } from 'vitest';
import { sharedDatabaseVerdict } from '../../../src/check/rules/utils/verdicts.js';
import { parseConnectionString } from '../../../src/model/join/connection-strings.js';
import { scan } from '../../../src/model/scan.js';
import { lines, repo } from '../../helpers/repo.js';

/** Two image-only services with the given environments, beside a PostgreSQL and a Redis container. */
const twoServices = (a: Record<string, string>, b: Record<string, string>) => ({
  'docker-compose.yml': lines(
    'services:',
    '  orders:',
    '    image: acme/orders:1',
    '    environment:',
    ...Object.entries(a).map(([k, v]) => `      ${k}: "${v}"`),
    '  payments:',
    '    image: acme/payments:1',
    '    environment:',
    ...Object.entries(b).map(([k, v]) => `      ${k}: "${v}"`),
    '  db:',
    '    image: postgres:17',
    '  cache:',
    '    image: redis:7.4',
  ),
});

const joined = async (files: Record<string, string>) => {
  const model = await scan(repo(files));
  return {
    model,
    uses: model.services.map((s) => [s.name, s.databases]),
    databases: model.databases.filter((d) => d.users.length > 0).map((d) => [d.id, d.users]),
    verdict: sharedDatabaseVerdict(model).status,
  };
};

describe('join: database identities', () => {
  it('two services with the same engine, host and database share it', async () => {
    const { databases, verdict } = await joined(twoServices({ DATABASE_URL: 'postgres://app@db:5432/shop' }, { SPRING_DATASOURCE_URL: 'jdbc:postgresql://db:5432/shop' }));
    expect(databases).toEqual([['postgres://db/shop', ['orders', 'payments']]]);
    expect(verdict).toBe('fail');
  });

  it('the same server with different databases is not shared', async () => {
    const { databases, verdict } = await joined(twoServices({ DATABASE_URL: 'postgres://app@db:5432/orders' }, { DB_HOST: 'db', DB_NAME: 'payments' }));
    expect(databases).toEqual([
      ['postgres://db/orders', ['orders']],
      ['postgres://db/payments', ['payments']],
    ]);
    expect(verdict).toBe('pass');
  });

  it.for([
    ['pgjdbc currentSchema', 'jdbc:postgresql://db:5432/shop?currentSchema=orders', 'jdbc:postgresql://db:5432/shop?currentSchema=payments'],
    ['Prisma ?schema=', 'postgresql://app@db:5432/shop?schema=orders', 'postgresql://app@db:5432/shop?schema=payments'],
    ['libpq options search_path', 'postgres://app@db/shop?options=-c%20search_path%3Dorders', 'postgres://app@db/shop?options=-csearch_path%3Dpayments,public'],
    ['Npgsql Search Path', 'Host=db;Database=shop;Search Path=orders', 'Host=db;Database=shop;SearchPath=payments'],
  ])('schema per service on one database is not shared (%s)', async ([, a, b]) => {
    const { databases, verdict } = await joined(twoServices({ DATABASE_URL: a! }, { DATABASE_URL: b! }));
    expect(databases).toEqual([
      ['postgres://db/shop.orders', ['orders']],
      ['postgres://db/shop.payments', ['payments']],
    ]);
    expect(verdict).toBe('pass');
  });

  it('the same schema of one database is shared', async () => {
    const { databases, verdict } = await joined(twoServices({ DATABASE_URL: 'jdbc:postgresql://db/shop?currentSchema=sales' }, { DATABASE_URL: 'postgresql://app@db/shop?schema=sales&connection_limit=5' }));
    expect(databases).toEqual([['postgres://db/shop.sales', ['orders', 'payments']]]);
    expect(verdict).toBe('fail');
  });

  it('selecting the default schema (public) is selecting none: shared with a service that names no schema', async () => {
    const { databases } = await joined(twoServices({ DATABASE_URL: 'postgresql://app@db:5432/shop?schema=public' }, { DATABASE_URL: 'postgres://app@db:5432/shop' }));
    expect(databases).toEqual([['postgres://db/shop', ['orders', 'payments']]]);
  });

  it('a shared Redis is no shared database', async () => {
    const { databases, verdict, uses } = await joined(twoServices({ DATABASE_URL: 'postgres://app@db/orders', REDIS_URL: 'redis://cache:6379/0' }, { DATABASE_URL: 'postgres://app@db/payments', REDIS_URL: 'redis://cache:6379/0' }));
    expect(databases).toContainEqual(['redis://cache/0', ['orders', 'payments']]);
    expect(uses).toEqual([
      ['orders', ['postgres://db/orders', 'redis://cache/0']],
      ['payments', ['postgres://db/payments', 'redis://cache/0']],
    ]);
    expect(verdict).toBe('pass');
  });
});

/**
 * Services built from their own folders, all connecting with one URL, beside one PostgreSQL container;
 * `files` are paths under each service's folder (or under the root, for `.`).
 */
const oneUrl = (files: Record<string, Record<string, string>>) => {
  const out: Record<string, string> = {};
  const compose = ['services:'];
  for (const [name, own] of Object.entries(files)) {
    for (const [p, content] of Object.entries(own)) out[name === '.' ? p : `services/${name}/${p}`] = content;
    if (name === '.') continue;
    out[`services/${name}/Dockerfile`] = 'FROM node:22-alpine\n';
    out[`services/${name}/package.json`] = JSON.stringify({ name, dependencies: { pg: '8.13.1' } });
    compose.push(`  ${name}:`, `    build: ./services/${name}`, '    environment:', '      PG_URL: postgres://app:secret@postgres:5432/app', '    depends_on: [postgres]');
  }
  compose.push('  postgres:', '    image: postgres:17', '    environment:', '      POSTGRES_DB: app');
  out['compose.yaml'] = lines(...compose);
  return out;
};
const query = (...rows: string[]) => ({ 'db/query.sql': lines(...rows) });

describe('join: schema per service seen from the services\' own SQL', () => {
  it('services on one URL, each with its own schema in its own SQL, do not share a database', async () => {
    const { databases, verdict, model } = await joined(
      oneUrl({
        orders: { 'db/migrations/0001_init.up.sql': lines('CREATE SCHEMA IF NOT EXISTS "orders";', 'CREATE TABLE "orders".orders (id uuid);'), ...query('SELECT * FROM "orders".orders o JOIN "orders".items i ON i.order_id = o.id;') },
        kitchen: query('INSERT INTO kitchen.tickets (id) VALUES ($1);'),
        barista: query('UPDATE barista.drinks SET ready = true WHERE id = $1;'),
        // Migrations in a root folder that no service owns say nothing about which service uses what.
        '.': { 'db/migrations/0001_all.up.sql': lines('CREATE SCHEMA shared;', 'CREATE TABLE shared.audit (id int);') },
      }),
    );
    expect(databases).toEqual([
      ['postgres://postgres/app.barista', ['barista']],
      ['postgres://postgres/app.kitchen', ['kitchen']],
      ['postgres://postgres/app.orders', ['orders']],
    ]);
    expect(verdict).toBe('pass');
    expect(model.services.find((s) => s.name === 'orders')!.facts.sqlSchemas).toEqual([{ schema: 'orders', creates: true, location: { file: 'services/orders/db/migrations/0001_init.up.sql', line: 1 } }]);
  });

  it('comments and strings that name other schemas do not count', async () => {
    const { databases, verdict } = await joined(
      oneUrl({
        orders: query('-- copied from kitchen.tickets', '/* SELECT * FROM barista.drinks */', "SELECT 'kitchen.tickets' AS note FROM orders.orders;"),
        kitchen: query('INSERT INTO kitchen.tickets (id) VALUES ($1);'),
      }),
    );
    expect(databases).toEqual([
      ['postgres://postgres/app.kitchen', ['kitchen']],
      ['postgres://postgres/app.orders', ['orders']],
    ]);
    expect(verdict).toBe('pass');
  });

  it.for([
    ['two services use the same schema', { orders: query('SELECT * FROM sales.orders;'), billing: query('SELECT * FROM sales.orders;') }],
    ['one service uses two schemas', { orders: query('SELECT * FROM sales.orders;'), billing: query('SELECT * FROM billing.invoices JOIN sales.orders ON true;') }],
    ['one service has no SQL (unknown stays shared)', { orders: query('SELECT * FROM sales.orders;'), billing: { 'src/index.js': 'export {};\n' }, '.': { 'db/migrations/0002.sql': 'CREATE SCHEMA billing;\n' } }],
    ['one service only uses names without a schema', { orders: query('SELECT * FROM sales.orders;'), billing: query('SELECT * FROM invoices;', 'CREATE TABLE x (a int);') }],
  ] as const)('the database stays shared when %s', async ([, files]) => {
    const { databases, verdict } = await joined(oneUrl(files as Record<string, Record<string, string>>));
    expect(databases).toEqual([['postgres://postgres/app', ['billing', 'orders']]]);
    expect(verdict).toBe('fail');
  });
});

describe('join: database and broker containers', () => {
  it('a tool named after a product (kafka-ui, mongo-express, postgres-exporter) is neither a broker nor a database', async () => {
    const model = await scan(
      repo({
        'compose.yaml': lines(
          'services:',
          '  orders:',
          '    image: acme/orders:1',
          '    depends_on: [kafka, mongo]',
          '  kafka:',
          '    image: apache/kafka:3.9.0',
          '  kafka-ui:',
          '    image: provectuslabs/kafka-ui:0.7.2',
          '  mongo:',
          '    image: mongo:7',
          '  mongo-express:',
          '    image: mongo-express:1.0',
          '  pg-exporter:',
          '    image: prometheuscommunity/postgres-exporter:v0.15.0',
        ),
      }),
    );
    expect(model.brokers.map((b) => [b.kind, b.container])).toEqual([['kafka', 'kafka']]);
    expect(model.databases.map((d) => [d.id, d.users])).toEqual([['mongodb://mongo/', ['orders']]]);
    expect(model.infrastructure.map((i) => [i.key, i.role])).toEqual([
      ['kafka', 'broker'],
      ['kafka-ui', 'other'],
      ['mongo', 'database'],
      ['mongo-express', 'other'],
      ['pg-exporter', 'observability'],
    ]);
    expect(model.services.map((s) => [s.name, s.brokers, s.databases])).toEqual([['orders', ['kafka'], ['mongodb://mongo/']]]);
  });
});

describe('parseConnectionString: schemas', () => {
  it('reads the schema a PostgreSQL connection selects, the first of a search path', () => {
    expect(parseConnectionString('jdbc:postgresql://db/shop?ssl=true&currentSchema=orders,public')).toEqual({ engine: 'postgres', host: 'db', database: 'shop', schema: 'orders' });
    expect(parseConnectionString('Host=db;Database=shop;Search Path="orders"')).toEqual({ engine: 'postgres', host: 'db', database: 'shop', schema: 'orders' });
  });

  it('no schema where none is selected, or for engines whose database is the schema', () => {
    expect(parseConnectionString('jdbc:postgresql://db/shop?ssl=true')).toEqual({ engine: 'postgres', host: 'db', database: 'shop' });
    expect(parseConnectionString('postgres://db/shop?options=-c%20statement_timeout%3D5000')).toEqual({ engine: 'postgres', host: 'db', database: 'shop' });
    expect(parseConnectionString('mysql://db/shop?schema=x')).toEqual({ engine: 'mysql', host: 'db', database: 'shop' });
    expect(parseConnectionString('postgres://db/shop?schema=${SCHEMA}')).toEqual({ engine: 'postgres', host: 'db', database: 'shop' });
  });
});
