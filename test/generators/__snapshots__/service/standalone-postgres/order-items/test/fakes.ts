import { randomUUID } from 'node:crypto';
import type { Item, OrderItemsRepository } from '../src/resources/order-items.repository.js';

/** In-memory stand-in for the PostgreSQL repository. */
export function createMemoryOrderItemsRepository(): OrderItemsRepository & { items: Item[] } {
  const items: Item[] = [];
  return {
    items,
    async list(limit) {
      return [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
    },
    async findById(id) {
      return items.find((item) => item.id === id);
    },
    async create(input) {
      const item = { id: randomUUID(), name: input.name, createdAt: new Date() };
      items.push(item);
      return item;
    },
  };
}
