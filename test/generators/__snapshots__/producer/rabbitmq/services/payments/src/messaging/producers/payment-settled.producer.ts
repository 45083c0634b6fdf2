/**
 * Producer of PaymentSettled events on the RabbitMQ topic exchange payment-settled.
 * Record the event with the client of the transaction that changes the
 * state it reports: the outbox relay publishes it after the commit, so no
 * event is lost, nor sent for a change that rolled back.
 *
 * @example
 * await client.query('BEGIN');
 * const order = await insertOrder(client, input);
 * await recordPaymentSettled(client, { id: order.id });
 * await client.query('COMMIT');
 */
import { PaymentSettled } from '../../events/payment-settled.js';
import type { EventEnvelope } from '../envelope.js';
import { recordEvent, type OutboxRoute, type Queryable } from '../outbox.js';
import { publishToExchange } from '../rabbitmq-publish.js';
import type { RabbitMq } from '../rabbitmq.js';

export const PAYMENT_SETTLED_TOPIC = 'payment-settled';

export async function recordPaymentSettled(
  db: Queryable,
  data: PaymentSettled,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<EventEnvelope<PaymentSettled>> {
  return recordEvent(db, PAYMENT_SETTLED_TOPIC, PaymentSettled, data, { key: data.id, ...options });
}

/** How the outbox relay publishes PaymentSettled rows (listed in ../outbox-routes.ts). */
export const paymentSettledRoute: OutboxRoute<RabbitMq> = {
  topic: PAYMENT_SETTLED_TOPIC,
  publish: (rabbitmq, message) => publishToExchange(rabbitmq, PAYMENT_SETTLED_TOPIC, message),
};
