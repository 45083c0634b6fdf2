/**
 * An idempotent RabbitMQ consumer of a topic exchange. Topology (all
 * durable): the exchange; the consumer's queue bound to it, dead-lettering
 * to `<queue>.dlq`; one retry queue per backoff step, whose TTL sends the
 * message back to the queue. A message is acknowledged only after its work
 * committed (or after it was handed to a retry queue or the dead-letter
 * queue with a publisher confirm), so a crash at any point redelivers it and
 * the inbox applies it once. stop() stops deliveries and lets the messages
 * in hand finish.
 *
 * Ordering: up to RABBITMQ_PREFETCH messages are handled at once, but never
 * two of the same entity: messages carrying the same `x-message-key` header
 * (the outbox relay sets it from the event's key) run one after another, in
 * the order the queue delivered them. A message without a key has no
 * ordering constraint. A message sent to a retry queue gives up its place:
 * later messages of its key go on without it.
 */
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { PoolClient } from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { decodeEvent, InvalidMessageError, retryCount, retryDelayMs, type EventContract, type EventEnvelope } from './envelope.js';
import type { Inbox } from './inbox.js';
import type { RabbitMq } from './rabbitmq.js';

export type EventHandler<T> = (event: EventEnvelope<T>, context: { db: PoolClient; logger: Logger }) => Promise<void>;

export interface Consumer {
  stop(): Promise<void>;
}

export interface ConsumeOptions<T> {
  contract: EventContract<T>;
  handler: EventHandler<T>;
  inbox: Inbox;
  logger: Logger;
  settings: Config['messaging'];
}

/** The part of a channel that message handling needs (a ConfirmChannel has it). */
export type DeliveryChannel = Pick<ConfirmChannel, 'ack' | 'nack' | 'sendToQueue'>;

export const RETRY_HEADER = 'x-retry-count';
/** The entity key of a message: messages with the same key are handled in order. */
export const KEY_HEADER = 'x-message-key';

/** Name of the retry queue for `attempt`: the delay is part of the name, so changing it never clashes with a declared TTL. */
export function retryQueueName(queue: string, attempt: number, baseMs: number): string {
  return `${queue}.retry.${attempt}.${retryDelayMs(attempt, baseMs)}ms`;
}

function send(channel: DeliveryChannel, queue: string, message: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
  const options: Options.Publish = {
    ...message.properties,
    persistent: true,
    headers: { ...(message.properties.headers ?? {}), ...headers },
  };
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, message.content, options, (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
  });
}

/**
 * Handles one delivery: decode, run the handler once per message id, ack.
 * On failure: to the next retry queue, or after the last retry (or at once
 * for a message that does not fit the contract) to the dead-letter queue,
 * with the reason in headers.
 */
export async function handleDelivery<T>(channel: DeliveryChannel, queue: string, message: ConsumeMessage, options: ConsumeOptions<T>): Promise<'processed' | 'duplicate' | 'retried' | 'dead-lettered'> {
  const { contract, handler, inbox, logger, settings } = options;
  // A header from the wire is input: anything but a small non-negative integer counts as 0.
  const previous = retryCount(message.properties.headers?.[RETRY_HEADER]);
  try {
    const event = decodeEvent(contract, message.content);
    const result = await inbox.processOnce(queue, event.id, (db) => handler(event, { db, logger }));
    channel.ack(message);
    return result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const attempt = previous + 1;
    if (!(error instanceof InvalidMessageError) && attempt <= settings.maxRetries) {
      logger.warn({ err: error, messageId: message.properties.messageId, attempt }, 'handler failed; retrying later');
      await send(channel, retryQueueName(queue, attempt, settings.retryDelayMs), message, { [RETRY_HEADER]: attempt, 'x-last-error': reason.slice(0, 1000) });
      channel.ack(message);
      return 'retried';
    }
    logger.error({ err: error, messageId: message.properties.messageId, retries: previous }, 'message dead-lettered');
    await send(channel, `${queue}.dlq`, message, {
      [RETRY_HEADER]: previous,
      'x-failure-reason': error instanceof InvalidMessageError ? 'invalid-message' : 'handler-failed',
      'x-failure-message': reason.slice(0, 1000),
      'x-original-exchange': message.fields.exchange,
      'x-failed-at': new Date().toISOString(),
    });
    channel.ack(message);
    return 'dead-lettered';
  }
}

export async function consumeFromExchange<T>(rabbitmq: RabbitMq, exchange: string, queue: string, options: ConsumeOptions<T>): Promise<Consumer> {
  const { logger, settings } = options;
  let channel: ConfirmChannel | undefined;
  let consumerTag: string | undefined;
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const inOrder = keyedSerial();

  await rabbitmq.onConnect(async (connection) => {
    if (stopping) return;
    const ch = await connection.createConfirmChannel();
    ch.on('error', (err: Error) => logger.warn({ err, queue }, 'consumer channel error'));
    await ch.prefetch(rabbitmq.prefetch);
    await ch.assertExchange(exchange, 'topic', { durable: true });
    await ch.assertQueue(`${queue}.dlq`, { durable: true });
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': `${queue}.dlq` } });
    for (let attempt = 1; attempt <= settings.maxRetries; attempt++) {
      await ch.assertQueue(retryQueueName(queue, attempt, settings.retryDelayMs), {
        durable: true,
        arguments: { 'x-message-ttl': retryDelayMs(attempt, settings.retryDelayMs), 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
    }
    await ch.bindQueue(queue, exchange, '#');
    const reply = await ch.consume(queue, (message) => {
      if (!message) return; // cancelled by the broker (queue deleted); the next reconnect re-declares it
      const key = message.properties.headers?.[KEY_HEADER];
      const work = inOrder(typeof key === 'string' && key !== '' ? key : undefined, () => handleDelivery(ch, queue, message, options))
        .catch((err: unknown) => {
          // Not even the retry/dead-letter publish worked (channel closed): the broker redelivers it.
          logger.error({ err, messageId: message.properties.messageId }, 'message left unacknowledged; it will be redelivered');
        })
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    });
    channel = ch;
    consumerTag = reply.consumerTag;
  });

  return {
    async stop() {
      stopping = true;
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      await channel?.close().catch(() => undefined);
    },
  };
}

/**
 * Runs tasks of the same key one after another, in call order; tasks of
 * different keys (or without a key) run concurrently. Keys with nothing
 * pending are forgotten.
 */
export function keyedSerial(): <R>(key: string | undefined, task: () => Promise<R>) => Promise<R> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    if (key === undefined) return task();
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
