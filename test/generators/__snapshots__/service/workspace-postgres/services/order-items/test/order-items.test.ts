import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { testEnv } from './env.js';
import { createMemoryOrderItemsRepository } from './fakes.js';

let app: FastifyInstance;
let repository: ReturnType<typeof createMemoryOrderItemsRepository>;

beforeEach(async () => {
  repository = createMemoryOrderItemsRepository();
  app = await buildApp({
    config: loadConfig(testEnv),
    readinessChecks: [],
    orderItemsRepository: repository,
  });
});
afterEach(() => app.close());

describe('/order-items', () => {
  it('creates an item and reads it back', async () => {
    const created = await app.inject({ method: 'POST', url: '/order-items', payload: { name: 'first' } });
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toEqual({ id: expect.any(String), name: 'first', createdAt: expect.any(String) });
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
    expect(repository.items).toHaveLength(1);

    const found = await app.inject(`/order-items/${item.id}`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(item);
  });

  it('lists the newest items first, up to limit', async () => {
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      repository.items.push({ id: crypto.randomUUID(), name, createdAt: new Date(Date.UTC(2025, 0, i + 1)) });
    }
    const res = await app.inject('/order-items?limit=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((item: { name: string }) => item.name)).toEqual(['c', 'b']);
  });

  it('rejects an invalid body with 400 and stores nothing', async () => {
    for (const payload of [{}, { name: '' }, { name: 'x'.repeat(201) }]) {
      const res = await app.inject({ method: 'POST', url: '/order-items', payload });
      expect(res.statusCode).toBe(400);
    }
    expect(repository.items).toHaveLength(0);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await app.inject(`/order-items/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await app.inject('/order-items/not-a-uuid')).statusCode).toBe(400);
  });

  it('hides internal errors behind a generic 500', async () => {
    repository.list = async () => {
      throw new Error('password authentication failed for user "order_items"');
    };
    const res = await app.inject('/order-items');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
  });
});
