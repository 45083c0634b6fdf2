/**
 * The file's header: it stays on top when an import sorts before the first one.
 */
import { placeOrderSaga } from './place-order/place-order.saga.js';
import type { SagaDefinition } from './saga.js';

export const sagas: SagaDefinition[] = [];
