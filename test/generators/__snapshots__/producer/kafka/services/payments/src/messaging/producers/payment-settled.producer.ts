/**
 * Producer of PaymentSettled events on the Kafka topic payment-settled. Record the event
 * in the transaction that changes the state it reports (pass that
 * transaction's client): the outbox relay publishes it after the commit, so
 * no event is lost, nor sent for a change that rolled back.
 */
import { PaymentSettled } from '../../events/payment-settled.js';
import type { EventEnvelope } from '../envelope.js';
import type { KafkaBroker } from '../kafka.js';
import { sendToTopic } from '../kafka-publish.js';
import { recordEvent, type OutboxRoute, type Queryable } from '../outbox.js';

export const PAYMENT_SETTLED_TOPIC = 'payment-settled';

export async function recordPaymentSettled(
  db: Queryable,
  data: PaymentSettled,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<EventEnvelope<PaymentSettled>> {
  // Keyed by the entity's id by default: its events share a partition, so consumers see them in order.
  return recordEvent(db, PAYMENT_SETTLED_TOPIC, PaymentSettled, data, { key: data.id, ...options });
}

/** How the outbox relay publishes PaymentSettled rows (listed in ../outbox-routes.ts). */
export const paymentSettledRoute: OutboxRoute<KafkaBroker> = {
  topic: PAYMENT_SETTLED_TOPIC,
  publish: (kafka, message) => sendToTopic(kafka, PAYMENT_SETTLED_TOPIC, message),
};
