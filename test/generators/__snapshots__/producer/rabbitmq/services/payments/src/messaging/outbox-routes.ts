/**
 * The topics the outbox relay publishes, one route per event type.
 * `arch add-producer` adds entries here; you may add your own.
 */
import type { OutboxRoute } from './outbox.js';
import { paymentSettledRoute } from './producers/payment-settled.producer.js';
import type { RabbitMq } from './rabbitmq.js';

export const outboxRoutes: OutboxRoute<RabbitMq>[] = [
  paymentSettledRoute
];
