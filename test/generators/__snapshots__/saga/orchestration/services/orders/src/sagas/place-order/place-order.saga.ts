/**
 * The place-order saga, orchestrated by orders: its steps (./definition.ts)
 * and how their commands are sent (through the outbox). Start one with
 * `startPlaceOrder` in the transaction that makes the saga
 * necessary:
 *
 * @example
 * await client.query('BEGIN');
 * const order = await insertOrder(client, input);
 * await startPlaceOrder(client, { orderId: order.id });
 * await client.query('COMMIT');
 */
import type { Queryable } from '../../messaging/outbox.js';
import { recordPlaceOrderOrdersCommand } from '../../messaging/producers/place-order-orders-command.producer.js';
import { recordPlaceOrderPaymentsCommand } from '../../messaging/producers/place-order-payments-command.producer.js';
import { recordPlaceOrderInventoryCommand } from '../../messaging/producers/place-order-inventory-command.producer.js';
import { startSaga, type SagaCommand, type SagaData, type SagaDefinition } from '../saga.js';
import { placeOrderSteps } from './definition.js';

export const placeOrderSaga: SagaDefinition = {
  name: 'place-order',
  steps: placeOrderSteps,
  async send(db: Queryable, command: SagaCommand): Promise<void> {
    const payload = { id: command.sagaId, action: command.action, attempt: command.attempt, data: command.data };
    switch (command.step) {
      case 'orders':
        await recordPlaceOrderOrdersCommand(db, payload);
        return;
      case 'payments':
        await recordPlaceOrderPaymentsCommand(db, payload);
        return;
      case 'inventory':
        await recordPlaceOrderInventoryCommand(db, payload);
        return;
      default:
        throw new Error(`saga place-order has no step ${command.step}`);
    }
  },
};

export function startPlaceOrder(db: Queryable, data: SagaData, options: { id?: string } = {}): Promise<string> {
  return startSaga(db, placeOrderSaga, data, options);
}
