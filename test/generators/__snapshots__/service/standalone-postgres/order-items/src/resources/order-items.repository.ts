import type { Pool } from 'pg';

/** One row of the example `order_items` table (see migrations/). */
export interface Item {
  id: string;
  name: string;
  createdAt: Date;
}

export interface NewItem {
  name: string;
}

/** What the routes need from storage; tests pass an in-memory fake. */
export interface OrderItemsRepository {
  list(limit: number): Promise<Item[]>;
  findById(id: string): Promise<Item | undefined>;
  create(input: NewItem): Promise<Item>;
}

interface Row {
  id: string;
  name: string;
  created_at: Date;
}

const toItem = (row: Row): Item => ({ id: row.id, name: row.name, createdAt: row.created_at });

export function createPgOrderItemsRepository(pool: Pool): OrderItemsRepository {
  return {
    async list(limit) {
      const { rows } = await pool.query<Row>(
        'SELECT id, name, created_at FROM "order_items" ORDER BY created_at DESC, id LIMIT $1',
        [limit],
      );
      return rows.map(toItem);
    },
    async findById(id) {
      const { rows } = await pool.query<Row>('SELECT id, name, created_at FROM "order_items" WHERE id = $1', [id]);
      return rows[0] && toItem(rows[0]);
    },
    async create(input) {
      const { rows } = await pool.query<Row>(
        'INSERT INTO "order_items" (name) VALUES ($1) RETURNING id, name, created_at',
        [input.name],
      );
      const row = rows[0];
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return toItem(row);
    },
  };
}
