/**
 * The sagas this service orchestrates: their replies are applied and their
 * timeouts watched by src/sagas/saga.ts. `arch add-saga` adds entries here.
 */
import { placeOrderSaga } from './place-order/place-order.saga.js';
import type { SagaDefinition } from './saga.js';

export const sagas: SagaDefinition[] = [
  placeOrderSaga
];
