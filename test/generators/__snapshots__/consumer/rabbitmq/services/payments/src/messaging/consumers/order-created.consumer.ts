/**
 * Consumes OrderCreated events from the RabbitMQ topic exchange order-created
 * through the queue payments.order-created; the work itself is in
 * ../handlers/order-created.handler.ts. Failed messages are retried
 * through payments.order-created.retry.* and end in payments.order-created.dlq.
 */
import type { Config } from '../../config.js';
import { OrderCreated } from '../../events/order-created.js';
import type { Logger } from '../../logger.js';
import { handleOrderCreated } from '../handlers/order-created.handler.js';
import type { Inbox } from '../inbox.js';
import { consumeFromExchange, type Consumer } from '../rabbitmq-consume.js';
import type { RabbitMq } from '../rabbitmq.js';

export const ORDER_CREATED_TOPIC = 'order-created';
export const ORDER_CREATED_QUEUE = 'payments.order-created';

export function startOrderCreatedConsumer(deps: {
  rabbitmq: RabbitMq;
  inbox: Inbox;
  logger: Logger;
  settings: Config['messaging'];
}): Promise<Consumer> {
  return consumeFromExchange(deps.rabbitmq, ORDER_CREATED_TOPIC, ORDER_CREATED_QUEUE, {
    contract: OrderCreated,
    handler: handleOrderCreated,
    inbox: deps.inbox,
    logger: deps.logger,
    settings: deps.settings,
  });
}
