/**
 * Producer of OrderCreated events on the Kafka topic order-created. Record the event
 * in the transaction that changes the state it reports (pass that
 * transaction's client): the outbox relay publishes it after the commit, so
 * no event is lost, nor sent for a change that rolled back.
 */
import { OrderCreated } from '../../events/order-created.js';
import type { EventEnvelope } from '../envelope.js';
import type { KafkaBroker } from '../kafka.js';
import { sendToTopic } from '../kafka-publish.js';
import { recordEvent, type OutboxRoute, type Queryable } from '../outbox.js';

export const ORDER_CREATED_TOPIC = 'order-created';

export async function recordOrderCreated(
  db: Queryable,
  data: OrderCreated,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<EventEnvelope<OrderCreated>> {
  // Keyed by the entity's id by default: its events share a partition, so consumers see them in order.
  return recordEvent(db, ORDER_CREATED_TOPIC, OrderCreated, data, { key: data.id, ...options });
}

/** How the outbox relay publishes OrderCreated rows (listed in ../outbox-routes.ts). */
export const orderCreatedRoute: OutboxRoute<KafkaBroker> = {
  topic: ORDER_CREATED_TOPIC,
  publish: (kafka, message) => sendToTopic(kafka, ORDER_CREATED_TOPIC, message),
};
