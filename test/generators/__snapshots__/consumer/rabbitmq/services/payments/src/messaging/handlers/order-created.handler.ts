/**
 * What the service does with each OrderCreated from order-created. This file is
 * yours: archkit writes it once and never replaces it.
 *
 * Do the work with `context.db`: it is the transaction that also records
 * the message id, so the work and the record commit together and a
 * redelivered message is not applied twice. Throw to have the message
 * retried (with backoff); after the last retry it goes to the dead-letter
 * queue with the error's message.
 */
import type { PoolClient } from 'pg';
import type { OrderCreated } from '../../events/order-created.js';
import type { Logger } from '../../logger.js';
import type { EventEnvelope } from '../envelope.js';

export async function handleOrderCreated(
  event: EventEnvelope<OrderCreated>,
  context: { db: PoolClient; logger: Logger },
): Promise<void> {
  context.logger.info({ eventId: event.id, data: event.data }, 'OrderCreated received');
}
