/**
 * The choreographed sagas this service starts: their deadlines are watched
 * by src/sagas/initiator.ts. `arch add-saga --style choreography` adds
 * entries here.
 */
import type { ChoreographedSaga } from './initiator.js';
import { placeOrderSaga } from './place-order/place-order.choreography.js';

export const choreographies: ChoreographedSaga[] = [
  placeOrderSaga
];
