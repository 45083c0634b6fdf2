/**
 * The outbox relay's routes, one per event this service publishes
 * (`npx arch add-producer` adds them). Rows whose topic has no route stay in
 * the outbox and are logged.
 */
import type { KafkaBroker } from './kafka.js';
import type { OutboxRoute } from './outbox.js';
import { paymentSettledRoute } from './producers/payment-settled.producer.js';

export const outboxRoutes: OutboxRoute<KafkaBroker>[] = [
  paymentSettledRoute
];
