import { describe, expect, it } from 'vitest';
import sql, { sqlSchemas, tokenizeSql } from '../../../src/model/extract/sql.js';
import { runExtractor } from '../../helpers/extract.js';
import { lines } from '../../helpers/repo.js';

const names = (text: string) => sqlSchemas(text).map((s) => s.schema).sort();

describe('sql extractor', () => {
  it('gives the schemas a migration creates and the schemas of its qualified names, once each, at the first line', async () => {
    const text = lines(
      'CREATE SCHEMA IF NOT EXISTS "order";',
      'CREATE TABLE "order".orders (id uuid PRIMARY KEY);',
      'CREATE TABLE IF NOT EXISTS "order".line_items (',
      '  order_id uuid REFERENCES "order".orders (id)',
      ');',
    );
    expect(await runExtractor(sql, 'internal/counter/migrations/0001_init.up.sql', text)).toEqual({
      sqlSchemas: [{ schema: 'order', creates: true, location: { file: 'internal/counter/migrations/0001_init.up.sql', line: 1 } }],
    });
  });

  it('reads qualified names after FROM, JOIN, INTO, UPDATE, TABLE, REFERENCES, bare or quoted, in any case', () => {
    expect(names('SELECT * FROM Sales.orders o LEFT JOIN "Billing".invoices i ON o.id = i.order_id')).toEqual(['Billing', 'sales']);
    expect(names('INSERT INTO kitchen.kitchen_orders (id) VALUES ($1) RETURNING *')).toEqual(['kitchen']);
    expect(names('UPDATE ONLY barista.barista_orders SET updated = now() WHERE id = $1')).toEqual(['barista']);
    expect(names('ALTER TABLE stock.items ADD COLUMN x int REFERENCES catalog.products(id)')).toEqual(['catalog', 'stock']);
    expect(names('DELETE FROM [crm].[Customers] WHERE id = 1; SELECT 1 FROM `shop`.`carts`')).toEqual(['crm', 'shop']);
    expect(names('CREATE VIEW reports.daily AS SELECT 1; CREATE SEQUENCE ids.seq; CREATE TYPE shipping.state AS ENUM (\'a\')')).toEqual(['ids', 'reports', 'shipping']);
    // db.schema.table: the middle part is the schema.
    expect(names('SELECT * FROM shop.sales.orders')).toEqual(['sales']);
  });

  it('reads every table of a FROM list', () => {
    expect(names('SELECT * FROM a.x, b.y AS yy, c.z zz WHERE 1 = 1')).toEqual(['a', 'b', 'c']);
  });

  it('skips comments, strings, dollar-quoted bodies and system schemas', () => {
    const text = lines(
      '-- SELECT * FROM legacy.orders',
      '/* old: INSERT INTO archive.orders /* nested */ SELECT * FROM archive.old */',
      "SELECT 'FROM other.t' AS s, E'it\\'s FROM esc.t', $$ FROM body.t $$, $fn$ UPDATE tagged.t $fn$",
      'FROM pg_catalog.pg_tables JOIN information_schema.tables t ON true JOIN public.users u ON true',
    );
    expect(names(text)).toEqual([]);
  });

  it('does not take a column or a function argument for a table', () => {
    expect(names('SELECT EXTRACT(YEAR FROM o.created), TRIM(BOTH FROM o.name), SUBSTRING(o.s FROM 2) FROM orders o')).toEqual([]);
    expect(names('SELECT * FROM orders o WHERE o.a IS DISTINCT FROM o.b')).toEqual([]);
    expect(names('SELECT o.id, o.type FROM "order".orders o')).toEqual(['order']);
    expect(names('SELECT id, type FROM sales.orders')).toEqual(['sales']);
    expect(names('CREATE SCHEMA AUTHORIZATION app')).toEqual([]);
  });

  it('skips files without a qualified name or a CREATE SCHEMA, and other files', async () => {
    expect(await runExtractor(sql, 'db/query.sql', 'SELECT id FROM orders WHERE id = $1;\n')).toBeNull();
    expect(await runExtractor(sql, 'db/query.sql', 'SELECT o.id FROM orders o;\n')).toBeNull();
    expect(await runExtractor(sql, 'db/query.txt', 'SELECT * FROM sales.orders;\n')).toBeNull();
    expect(await runExtractor(sql, 'db/schema.sql', 'create schema billing;\n')).toEqual({ sqlSchemas: [{ schema: 'billing', creates: true, location: { file: 'db/schema.sql', line: 1 } }] });
  });

  it('counts lines through comments and strings, and ends on unterminated ones', () => {
    expect(sqlSchemas("/* a\nb */ 'x\ny'\n\"q\nq\"\nSELECT * FROM s.t")).toEqual([{ schema: 's', creates: false, line: 6 }]);
    expect(names("SELECT * FROM s.t; SELECT 'open")).toEqual(['s']);
    expect(names('SELECT * FROM s.t; /* open')).toEqual(['s']);
    expect(names('SELECT * FROM s.t; $x$ open')).toEqual(['s']);
    expect(tokenizeSql('a [ b').map((t) => t.value)).toEqual(['a', '[', 'b']);
  });

  it('stays linear on hostile input', () => {
    // Many FROMs chained by commas, many unclosed brackets: each token is looked at a bounded number of times.
    const hostile = `SELECT 1 FROM a.x${', from'.repeat(50_000)} ${'['.repeat(50_000)}`;
    expect(names(hostile)).toEqual(['a']);
  });
});
