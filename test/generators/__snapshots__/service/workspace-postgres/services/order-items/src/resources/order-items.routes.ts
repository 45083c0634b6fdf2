import type { FastifyPluginAsync } from 'fastify';
import type { NewItem, OrderItemsRepository } from './order-items.repository.js';

export interface OrderItemsRoutesOptions {
  repository: OrderItemsRepository;
}

const item = {
  type: 'object',
  required: ['id', 'name', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Example resource: `GET /order-items`, `GET /order-items/:id`, `POST /order-items`. */
export const orderItemsRoutes: FastifyPluginAsync<OrderItemsRoutesOptions> = async (app, { repository }) => {
  app.get<{ Querystring: { limit: number } }>(
    '/',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        },
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } } },
      },
    },
    async (request) => ({ items: await repository.list(request.query.limit) }),
  );

  app.get<{ Params: { id: string } }>(
    '/:id',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: item },
      },
    },
    async (request, reply) => {
      const found = await repository.findById(request.params.id);
      if (!found) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'No such item' });
      return found;
    },
  );

  app.post<{ Body: NewItem }>(
    '/',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 201: item },
      },
    },
    async (request, reply) => reply.code(201).send(await repository.create(request.body)),
  );
};
