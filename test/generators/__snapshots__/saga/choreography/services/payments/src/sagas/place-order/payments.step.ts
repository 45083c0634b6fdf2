/**
 * The part of payments in the place-order saga. This file is yours: archkit
 * writes it once and never replaces it.
 *
 * `execute` does the step's work with `context.db`. Return `{ ok: false,
 * reason }` to refuse it (for a business reason: nothing it wrote is kept,
 * and the saga compensates the steps before it); return `{ ok: true, data }`
 * to add to the saga's data what later steps or compensations need; throw
 * for a technical failure (the message is retried with backoff).
 *
 * `compensate` undoes what `execute` did. It must be safe to run when
 * `execute` never ran (the step may have timed out before it did) and when
 * it already ran once (a compensation may be sent again).
 */
import type { SagaData, StepContext, StepResult } from '../step.js';

export async function execute(data: SagaData, context: StepContext): Promise<StepResult> {
  context.logger.info({ sagaId: context.sagaId, data }, 'place-order: payments step executed');
  return { ok: true };
}

export async function compensate(data: SagaData, context: StepContext): Promise<void> {
  context.logger.info({ sagaId: context.sagaId, data }, 'place-order: payments step compensated');
}
