/**
 * Consumes OrderCreated events from the Kafka topic order-created in the consumer
 * group payments.order-created; the work itself is in ../handlers/order-created.handler.ts.
 * Retries go through order-created.payments.order-created.retry, failures end in
 * order-created.payments.order-created.dlq.
 */
import type { Config } from '../../config.js';
import { OrderCreated } from '../../events/order-created.js';
import type { Logger } from '../../logger.js';
import { handleOrderCreated } from '../handlers/order-created.handler.js';
import type { Inbox } from '../inbox.js';
import { consumeTopic, type Consumer } from '../kafka-consume.js';
import type { KafkaBroker } from '../kafka.js';

export const ORDER_CREATED_TOPIC = 'order-created';
export const ORDER_CREATED_GROUP = 'payments.order-created';

export function startOrderCreatedConsumer(deps: {
  kafka: KafkaBroker;
  inbox: Inbox;
  logger: Logger;
  settings: Config['messaging'];
}): Promise<Consumer> {
  return consumeTopic(deps.kafka, ORDER_CREATED_TOPIC, ORDER_CREATED_GROUP, {
    contract: OrderCreated,
    handler: handleOrderCreated,
    inbox: deps.inbox,
    logger: deps.logger,
    settings: deps.settings,
  });
}
