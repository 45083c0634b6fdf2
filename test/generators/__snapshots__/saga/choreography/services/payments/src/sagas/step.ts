/** What a service's part in a saga looks like (see src/sagas/<saga>/<step>.step.ts). */
import type { PoolClient } from 'pg';
import type { Logger } from '../logger.js';

export type SagaData = Record<string, unknown>;

export interface StepContext {
  /**
   * The transaction that also records the message as consumed and what the
   * step sends on (a reply, an event): all of it commits, or none of it.
   */
  db: PoolClient;
  logger: Logger;
  sagaId: string;
}

/** `ok: false` refuses the step for a business reason (what execute wrote is rolled back); the saga then compensates. */
export type StepResult = { ok: true; data?: SagaData } | { ok: false; reason: string };
