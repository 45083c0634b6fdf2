/**
 * Producer of OrderCreated events on the RabbitMQ topic exchange order-created.
 * Record the event with the client of the transaction that changes the
 * state it reports: the outbox relay publishes it after the commit, so no
 * event is lost, nor sent for a change that rolled back.
 *
 * @example
 * await client.query('BEGIN');
 * const order = await insertOrder(client, input);
 * await recordOrderCreated(client, { id: order.id });
 * await client.query('COMMIT');
 */
import { OrderCreated } from '../../events/order-created.js';
import type { EventEnvelope } from '../envelope.js';
import { recordEvent, type OutboxRoute, type Queryable } from '../outbox.js';
import { publishToExchange } from '../rabbitmq-publish.js';
import type { RabbitMq } from '../rabbitmq.js';

export const ORDER_CREATED_TOPIC = 'order-created';

export async function recordOrderCreated(
  db: Queryable,
  data: OrderCreated,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<EventEnvelope<OrderCreated>> {
  return recordEvent(db, ORDER_CREATED_TOPIC, OrderCreated, data, { key: data.id, ...options });
}

/** How the outbox relay publishes OrderCreated rows (listed in ../outbox-routes.ts). */
export const orderCreatedRoute: OutboxRoute<RabbitMq> = {
  topic: ORDER_CREATED_TOPIC,
  publish: (rabbitmq, message) => publishToExchange(rabbitmq, ORDER_CREATED_TOPIC, message),
};
