/**
 * The saga orchestrator: runs each saga instance's steps in order, one
 * command at a time, and on a refusal or a timeout runs the compensations
 * of the steps already done, in reverse order.
 *
 * Every instance lives in the `saga_instances` table of this service's own
 * database. Each move (a reply applied, a timeout) changes the row and
 * records the next command in the outbox in one transaction, and replies
 * are consumed through the inbox: a crash at any point loses nothing and
 * repeats nothing, and after a restart every unfinished saga carries on.
 * Participants make their work and their reply commit together, and apply
 * each command once.
 *
 * `transition` is the whole state machine, as a pure function; the rest
 * reads and writes rows.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger.js';
import type { Queryable } from '../messaging/outbox.js';
import { startRounds, type Rounds } from './rounds.js';

export type StepAction = 'execute' | 'compensate';
export type SagaData = Record<string, unknown>;

export interface SagaStep {
  /** The participating service. */
  readonly name: string;
  /** How long to wait for the step's reply; then the saga compensates (this step included: it may have run). */
  readonly timeoutMs: number;
  /** How many more times an unanswered or refused compensation is sent before the saga is marked failed. */
  readonly compensationRetries: number;
}

export interface SagaCommand {
  sagaId: string;
  step: string;
  action: StepAction;
  /** 1 for the first send, more when a compensation is sent again. */
  attempt: number;
  data: SagaData;
}

export interface SagaReply {
  /** The saga instance. */
  id: string;
  step: string;
  action: StepAction;
  outcome: 'done' | 'failed';
  reason: string | null;
  /** What an executed step adds to the saga's data (ids of what it created, …). */
  data: SagaData;
}

export interface SagaDefinition {
  readonly name: string;
  readonly steps: readonly SagaStep[];
  /** Records a command in the outbox, with the caller's transaction. */
  send(db: Queryable, command: SagaCommand): Promise<void>;
}

export type SagaStatus = 'running' | 'compensating' | 'completed' | 'compensated' | 'failed';

export interface SagaInstance {
  id: string;
  saga: string;
  status: SagaStatus;
  /** Index of the step waited for (executing or compensating); -1 once nothing is left to wait for. */
  step: number;
  data: SagaData;
  version: number;
  attempt: number;
  reason: string | null;
}

export interface Transition {
  instance: SagaInstance;
  /** The command to send now, if any. */
  command: Omit<SagaCommand, 'sagaId'> | null;
  /** When to give up waiting for the reply to that command (ms from now); null: nothing to wait for. */
  timeoutMs: number | null;
}

export type SagaEvent = { kind: 'reply'; reply: SagaReply } | { kind: 'timeout' };

/** What a reply or a timeout does to an instance; null when it changes nothing (a stale or repeated reply). */
export function transition(definition: SagaDefinition, instance: SagaInstance, event: SagaEvent): Transition | null {
  const current = definition.steps[instance.step];
  if (!current) return null;
  const next = (patch: Partial<SagaInstance>, command: Transition['command'], timeoutMs: number | null): Transition => ({
    instance: { ...instance, ...patch, version: instance.version + 1 },
    command,
    timeoutMs,
  });
  const compensateFrom = (index: number, reason: string | null, data = instance.data): Transition => {
    const step = definition.steps[index];
    if (!step) return next({ status: 'compensated', step: -1, attempt: 0, reason, data }, null, null);
    return next({ status: 'compensating', step: index, attempt: 1, reason, data }, { step: step.name, action: 'compensate', attempt: 1, data }, step.timeoutMs);
  };
  const compensateAgain = (why: string): Transition => {
    if (instance.attempt > current.compensationRetries) {
      return next({ status: 'failed', step: -1, reason: `${why}; compensation of ${current.name} gave up after ${instance.attempt} attempts` }, null, null);
    }
    const attempt = instance.attempt + 1;
    return next({ attempt }, { step: current.name, action: 'compensate', attempt, data: instance.data }, current.timeoutMs);
  };

  if (event.kind === 'timeout') {
    if (instance.status === 'running') return compensateFrom(instance.step, `${current.name} did not answer within ${current.timeoutMs} ms`);
    if (instance.status === 'compensating') return compensateAgain(`${current.name} did not confirm its compensation within ${current.timeoutMs} ms`);
    return null;
  }

  const { reply } = event;
  if (reply.step !== current.name) return null;
  if (instance.status === 'running' && reply.action === 'execute') {
    if (reply.outcome === 'failed') return compensateFrom(instance.step - 1, reply.reason ?? `${current.name} failed`);
    const data = { ...instance.data, ...reply.data };
    const following = definition.steps[instance.step + 1];
    if (!following) return next({ status: 'completed', step: -1, attempt: 0, data }, null, null);
    return next({ step: instance.step + 1, attempt: 1, data }, { step: following.name, action: 'execute', attempt: 1, data }, following.timeoutMs);
  }
  if (instance.status === 'compensating' && reply.action === 'compensate') {
    // A reply to an earlier attempt of this compensation is as good as one to the latest.
    if (reply.outcome === 'done') return compensateFrom(instance.step - 1, instance.reason);
    return compensateAgain(reply.reason ?? `${current.name} could not compensate`);
  }
  return null;
}

/** Starts a saga: the instance row and its first command, with the caller's transaction. Returns its id. */
export async function startSaga(db: Queryable, definition: SagaDefinition, data: SagaData, options: { id?: string } = {}): Promise<string> {
  const first = definition.steps[0];
  if (!first) throw new Error(`saga ${definition.name} has no steps`);
  const id = options.id ?? randomUUID();
  await db.query(
    `INSERT INTO saga_instances (id, saga, status, step, data, version, attempt, deadline)
     VALUES ($1, $2, 'running', 0, $3, 1, 1, now() + $4 * interval '1 millisecond')`,
    [id, definition.name, JSON.stringify(data), first.timeoutMs],
  );
  await definition.send(db, { sagaId: id, step: first.name, action: 'execute', attempt: 1, data });
  return id;
}

/** Applies a participant's reply, inside the transaction that records the reply as consumed. */
export async function applySagaReply(db: PoolClient, sagas: readonly SagaDefinition[], reply: SagaReply, logger: Logger): Promise<void> {
  const instance = await lockInstance(db, reply.id);
  if (!instance) {
    logger.warn({ sagaId: reply.id, step: reply.step }, 'reply for an unknown saga instance, ignored');
    return;
  }
  const definition = sagas.find((s) => s.name === instance.saga);
  if (!definition) throw new Error(`no saga definition named ${instance.saga}`);
  const moved = transition(definition, instance, { kind: 'reply', reply });
  if (!moved) {
    logger.info({ sagaId: reply.id, step: reply.step, action: reply.action, status: instance.status }, 'stale saga reply, ignored');
    return;
  }
  await save(db, definition, moved);
  logger.info({ sagaId: reply.id, saga: instance.saga, status: moved.instance.status, step: moved.command?.step ?? null }, 'saga moved on');
}

/** The saga's current state, or null. */
export async function findSaga(db: Queryable, id: string): Promise<SagaInstance | null> {
  const { rows } = await db.query<Row>('SELECT id, saga, status, step, data, version, attempt, reason FROM saga_instances WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export type SagaTimer = Rounds;

/**
 * Looks for instances whose reply is overdue and moves them on (compensate,
 * or send a compensation again). Several replicas may run it: each row is
 * claimed with SKIP LOCKED.
 */
export function startSagaTimer(options: { pool: Pick<Pool, 'connect'>; sagas: readonly SagaDefinition[]; logger: Logger; intervalMs?: number }): SagaTimer {
  const { pool, sagas, logger, intervalMs = 1000 } = options;

  const tick = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(
        `SELECT id, saga, status, step, data, version, attempt, reason FROM saga_instances
         WHERE deadline <= now() AND status IN ('running', 'compensating')
         ORDER BY deadline LIMIT 50 FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        const instance = fromRow(row);
        const definition = sagas.find((s) => s.name === instance.saga);
        const moved = definition ? transition(definition, instance, { kind: 'timeout' }) : null;
        if (!definition || !moved) continue;
        await save(client, definition, moved);
        logger.warn({ sagaId: instance.id, saga: instance.saga, status: moved.instance.status, reason: moved.instance.reason }, 'saga step timed out');
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      logger.error({ err: error }, 'saga timer round failed; retrying at the next one');
    } finally {
      client.release();
    }
  };

  return startRounds(tick, intervalMs);
}

/** A row as pg returns it: jsonb `data` may be null in rows written by hand. */
type Row = Omit<SagaInstance, 'data'> & { data: SagaData | null };

const fromRow = (row: Row): SagaInstance => ({ ...row, data: row.data ?? {} });

async function lockInstance(db: Queryable, id: string): Promise<SagaInstance | null> {
  const { rows } = await db.query<Row>('SELECT id, saga, status, step, data, version, attempt, reason FROM saga_instances WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

async function save(db: Queryable, definition: SagaDefinition, moved: Transition): Promise<void> {
  const { instance } = moved;
  await db.query(
    `UPDATE saga_instances
     SET status = $2, step = $3, data = $4, version = $5, attempt = $6, reason = $7, updated_at = now(),
         deadline = CASE WHEN $8::integer IS NULL THEN NULL ELSE now() + $8::integer * interval '1 millisecond' END
     WHERE id = $1`,
    [instance.id, instance.status, instance.step, JSON.stringify(instance.data), instance.version, instance.attempt, instance.reason, moved.timeoutMs],
  );
  if (moved.command) await definition.send(db, { ...moved.command, sagaId: instance.id });
}
