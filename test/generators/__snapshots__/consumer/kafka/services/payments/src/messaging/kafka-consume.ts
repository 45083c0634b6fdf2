/**
 * Consumes a Kafka topic in a consumer group so that redelivery is harmless
 * and nothing is lost:
 * - the handler runs in the Inbox transaction keyed by the message id, so a
 *   redelivered message is applied once;
 * - offsets are committed by hand (autoCommit off), only after the message
 *   was applied or handed on, so a crash redelivers instead of skipping;
 * - a failed message is copied to `<topic>.<group>.retry` with `retry-count`
 *   and `retry-at` headers; a second consumer (group `<group>.retry`) replays
 *   it once due, heartbeating while it waits, so the main topic keeps flowing
 *   (a retried message gives up its place in its partition's order);
 *   after `maxRetries` retries, or at once when it is invalid (undecodable, or
 *   the handler threw InvalidMessageError), it goes to `<topic>.<group>.dlq`
 *   with `failure-reason` and `failure-message` headers;
 * - stop() lets the message in hand finish (and commit), then leaves the group.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import type { PoolClient } from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { decodeEvent, InvalidMessageError, retryCount, retryDelayMs, type EventContract, type EventEnvelope } from './envelope.js';
import type { Inbox } from './inbox.js';
import type { KafkaConsumer, KafkaPort } from './kafka.js';

export interface Consumer {
  /** Finishes the message in hand, commits it, and leaves the consumer group. */
  stop(): Promise<void>;
}

export type EventHandler<T> = (event: EventEnvelope<T>, context: { db: PoolClient; logger: Logger }) => Promise<void>;

export interface ConsumeOptions<T> {
  contract: EventContract<T>;
  handler: EventHandler<T>;
  inbox: Inbox;
  logger: Logger;
  settings: Pick<Config['messaging'], 'maxRetries' | 'retryDelayMs'>;
}

/** Headers set on retried and dead-lettered copies. */
export const RETRY_COUNT = 'retry-count';
export const RETRY_AT = 'retry-at';
export const FAILURE_REASON = 'failure-reason';
export const FAILURE_MESSAGE = 'failure-message';

/** kafkajs sends a heartbeat only when its heartbeatInterval (3 s) has passed. */
const HEARTBEAT_EVERY_MS = 1000;
/** Bound on a `retry-at` in the far future (a clock skew, a foreign producer). */
const MAX_RETRY_WAIT_MS = 5 * 60_000;

/** Where a group's failed messages go: first the retry topic, at the end the dead-letter topic. */
export function failureTopics(topic: string, groupId: string): { retry: string; dlq: string } {
  return { retry: `${topic}.${groupId}.retry`, dlq: `${topic}.${groupId}.dlq` };
}

export async function consumeTopic<T>(kafka: KafkaPort, topic: string, groupId: string, options: ConsumeOptions<T>): Promise<Consumer> {
  const failures = failureTopics(topic, groupId);
  const logger = options.logger.child({ groupId });
  await ensureTopics(kafka, [failures.retry, failures.dlq], logger);

  const stopping = new AbortController();
  const handle = messageHandler(kafka, { ...options, groupId, retryTopic: failures.retry, dlqTopic: failures.dlq, logger, signal: stopping.signal });
  const main = kafka.kafka.consumer({ groupId });
  const retry = kafka.kafka.consumer({ groupId: `${groupId}.retry` });
  try {
    await main.connect();
    await retry.connect();
    // fromBeginning applies to a group with no committed offset yet: events published before the first start are not skipped.
    await main.subscribe({ topic, fromBeginning: true });
    await retry.subscribe({ topic: failures.retry, fromBeginning: true });
    await main.run({ autoCommit: false, eachMessage: (payload) => handle(main, payload) });
    await retry.run({ autoCommit: false, eachMessage: (payload) => handle(retry, payload) });
  } catch (error) {
    await Promise.allSettled([main.disconnect(), retry.disconnect()]);
    throw error;
  }
  logger.info({ topic, retryTopic: failures.retry, dlqTopic: failures.dlq }, 'consuming');

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all([main.stop(), retry.stop()]);
        await Promise.all([main.disconnect(), retry.disconnect()]);
        logger.info({ topic }, 'consumer stopped');
      })();
      return stopped;
    },
  };
}

/** Creates the retry and dead-letter topics (broker defaults) unless they exist. */
async function ensureTopics(kafka: KafkaPort, topics: string[], logger: Logger): Promise<void> {
  try {
    await kafka.admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
  } catch (err) {
    // Topics managed elsewhere, or no permission: subscribing still works if they exist or the broker creates them.
    logger.warn({ err, topics }, 'could not create the retry and dead-letter topics');
  }
}

interface HandlerContext<T> extends ConsumeOptions<T> {
  groupId: string;
  retryTopic: string;
  dlqTopic: string;
  signal: AbortSignal;
}

function messageHandler<T>(kafka: KafkaPort, ctx: HandlerContext<T>) {
  const { settings } = ctx;
  return async (consumer: KafkaConsumer, { topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> => {
    const logger = ctx.logger.child({ topic, partition, offset: message.offset });
    if (topic === ctx.retryTopic && !(await waitUntilDue(message, heartbeat, ctx.signal))) {
      // Stopping: left uncommitted, so the next member of the group replays it.
      return;
    }
    // A header from the wire is input: anything but a small non-negative integer counts as 0 (a negative one never skips maxRetries).
    const retries = retryCount(header(message, RETRY_COUNT));
    const deadLetter = async (reason: FailureReason, error: unknown, log: Logger): Promise<void> => {
      log.error({ err: error, retries }, `${reason}: sent to the dead-letter topic`);
      await forward(kafka, ctx.dlqTopic, message, { ...failure(reason, error), [RETRY_COUNT]: String(retries) });
    };

    let envelope: EventEnvelope<T>;
    try {
      envelope = decodeEvent(ctx.contract, message.value ?? '');
    } catch (error) {
      await deadLetter('invalid-message', error, logger);
      return commit(consumer, topic, partition, message);
    }

    const eventLogger = logger.child({ messageId: envelope.id, type: envelope.type });
    try {
      const outcome = await ctx.inbox.processOnce(ctx.groupId, envelope.id, (db) => ctx.handler(envelope, { db, logger: eventLogger }));
      if (outcome === 'duplicate') eventLogger.info('already processed: skipped');
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        await deadLetter('invalid-message', error, eventLogger);
      } else if (retries >= settings.maxRetries) {
        await deadLetter('retries-exhausted', error, eventLogger);
      } else {
        const attempt = retries + 1;
        const delay = retryDelayMs(attempt, settings.retryDelayMs);
        eventLogger.warn({ err: error, attempt, delayMs: delay }, 'handler failed: retrying');
        await forward(kafka, ctx.retryTopic, message, { [RETRY_COUNT]: String(attempt), [RETRY_AT]: String(Date.now() + delay) });
      }
    }
    return commit(consumer, topic, partition, message);
  };
}

/** Waits for a retried message's `retry-at`, heartbeating so the group keeps this member. False when stopping. */
async function waitUntilDue(message: KafkaMessage, heartbeat: () => Promise<void>, signal: AbortSignal): Promise<boolean> {
  const due = Math.min(Number(header(message, RETRY_AT)) || 0, Date.now() + MAX_RETRY_WAIT_MS);
  for (let left = due - Date.now(); left > 0; left = due - Date.now()) {
    try {
      await sleep(Math.min(left, HEARTBEAT_EVERY_MS), undefined, { signal });
    } catch {
      return false;
    }
    await heartbeat();
  }
  return !signal.aborted;
}

/** A copy of the message (key, value and headers kept) with headers added; resolves once Kafka has it. */
async function forward(kafka: KafkaPort, topic: string, message: KafkaMessage, headers: Record<string, string>): Promise<void> {
  const producer = await kafka.producer();
  await producer.send({ topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: { ...message.headers, ...headers } }] });
}

function commit(consumer: KafkaConsumer, topic: string, partition: number, message: KafkaMessage): Promise<void> {
  // The committed offset is the next one to read.
  return consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
}

type FailureReason = 'invalid-message' | 'retries-exhausted';

function failure(reason: FailureReason, error: unknown): Record<string, string> {
  const text = error instanceof Error ? error.message : String(error);
  return { [FAILURE_REASON]: reason, [FAILURE_MESSAGE]: text.slice(0, 1000) };
}

function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toString();
}
