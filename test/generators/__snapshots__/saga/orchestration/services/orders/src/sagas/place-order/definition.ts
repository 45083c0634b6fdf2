/**
 * The place-order saga's steps, in order: each is a service of the workspace
 * that executes its part on a command and undoes it on a compensation.
 * This file is yours: archkit writes it once and never replaces it. Tune a
 * step's timeout (then the saga compensates) and how often an unanswered
 * compensation is sent again (then the saga is marked failed for a human).
 */
import type { SagaStep } from '../saga.js';

export const placeOrderSteps: readonly SagaStep[] = [
  { name: 'orders', timeoutMs: 30_000, compensationRetries: 5 },
  { name: 'payments', timeoutMs: 30_000, compensationRetries: 5 },
  { name: 'inventory', timeoutMs: 30_000, compensationRetries: 5 },
];
