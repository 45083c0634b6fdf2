/**
 * The Kafka consumer against the in-memory stand-in of kafkajs: commit after
 * success, retries through the retry topic, the dead-letter topic, one
 * application per message id, and a graceful stop.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEvent, encodeEvent, InvalidMessageError, type EventEnvelope } from '../../src/messaging/envelope.js';
import type { Inbox } from '../../src/messaging/inbox.js';
import { consumeTopic, failureTopics, type Consumer, type EventHandler } from '../../src/messaging/kafka-consume.js';
import { FakeKafka } from './kafka-fake.js';

interface Ping {
  id: string;
}
const Ping = defineEvent<Ping>('Ping', 1, z.object({ id: z.string().min(1) }));

const TOPIC = 'pings';
const GROUP = 'test.pings';
const { retry: RETRY_TOPIC, dlq: DLQ_TOPIC } = failureTopics(TOPIC, GROUP);
const logger = pino({ level: 'silent' });

/** The Inbox contract in memory: work that throws leaves no record, as a rollback would. */
function memoryInbox(): Inbox & { applied: string[] } {
  const applied: string[] = [];
  const db = {} as PoolClient;
  return {
    applied,
    async processOnce(consumer, messageId, work) {
      const key = `${consumer}/${messageId}`;
      if (applied.includes(key)) return 'duplicate';
      await work(db);
      applied.push(key);
      return 'processed';
    },
  };
}

function ping(id: string = randomUUID()): EventEnvelope<Ping> {
  return { id, type: 'Ping', version: 1, occurredAt: new Date().toISOString(), data: { id: 'ping-1' } };
}

function publish(kafka: FakeKafka, envelope: EventEnvelope<Ping>): void {
  kafka.append(TOPIC, { key: envelope.data.id, value: encodeEvent(envelope), headers: { 'message-id': envelope.id } });
}

const gates: Array<() => void> = [];
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  gates.push(open);
  return { promise, open };
}

const header = (value: unknown) => String(value);

let consumer: Consumer | undefined;
afterEach(async () => {
  // A failed assertion must not leave a handler blocked, or stop() would wait for it.
  for (const open of gates.splice(0)) open();
  await consumer?.stop();
  consumer = undefined;
});

async function start(
  kafka: FakeKafka,
  handler: EventHandler<Ping>,
  options: { maxRetries?: number; retryDelayMs?: number; inbox?: Inbox } = {},
): Promise<Consumer> {
  const { maxRetries = 2, retryDelayMs = 1, inbox = memoryInbox() } = options;
  consumer = await consumeTopic(kafka, TOPIC, GROUP, { contract: Ping, handler, inbox, logger, settings: { maxRetries, retryDelayMs } });
  return consumer;
}

describe('consumeTopic (kafka)', () => {
  it('creates its retry and dead-letter topics and subscribes in two groups, committing by hand', async () => {
    expect(failureTopics(TOPIC, GROUP)).toEqual({ retry: 'pings.test.pings.retry', dlq: 'pings.test.pings.dlq' });
    const kafka = new FakeKafka();
    await start(kafka, async () => {});
    expect(kafka.topicNames()).toEqual([DLQ_TOPIC, RETRY_TOPIC]);
    expect(kafka.member(GROUP).runConfig?.autoCommit).toBe(false);
    expect(kafka.member(`${GROUP}.retry`).runConfig?.autoCommit).toBe(false);
  });

  it('commits the offset only after the handler succeeded', async () => {
    const kafka = new FakeKafka();
    const release = gate();
    const handled: string[] = [];
    await start(kafka, async (event) => {
      await release.promise;
      handled.push(event.id);
    });
    const event = ping();
    publish(kafka, event);

    await vi.waitFor(() => expect(kafka.member(GROUP).inHand).toEqual({ topic: TOPIC, offset: '0' }));
    expect(kafka.committed(GROUP, TOPIC)).toBeUndefined();

    release.open();
    await vi.waitFor(() => expect(kafka.committed(GROUP, TOPIC)).toBe('1'));
    expect(handled).toEqual([event.id]);
  });

  it('retries a failed message through the retry topic, then succeeds', async () => {
    const kafka = new FakeKafka();
    const inbox = memoryInbox();
    let calls = 0;
    await start(
      kafka,
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database busy');
      },
      { inbox, retryDelayMs: 20 },
    );
    const before = Date.now();
    const event = ping();
    publish(kafka, event);

    await vi.waitFor(() => expect(inbox.applied).toEqual([`${GROUP}/${event.id}`]));
    expect(calls).toBe(2);
    const [retried] = kafka.messages(RETRY_TOPIC);
    expect(header(retried?.headers['retry-count'])).toBe('1');
    expect(Number(header(retried?.headers['retry-at']))).toBeGreaterThanOrEqual(before + 20);
    expect(retried?.value?.toString()).toBe(encodeEvent(event).toString());
    expect(kafka.messages(DLQ_TOPIC)).toEqual([]);
    await vi.waitFor(() => expect(kafka.committed(`${GROUP}.retry`, RETRY_TOPIC)).toBe('1'));
    expect(kafka.committed(GROUP, TOPIC)).toBe('1');
  });

  it('sends a message to the dead-letter topic with the reason once retries are exhausted', async () => {
    const kafka = new FakeKafka();
    let calls = 0;
    await start(
      kafka,
      async () => {
        calls += 1;
        throw new Error('payment provider rejected the card');
      },
      { maxRetries: 2 },
    );
    const event = ping();
    publish(kafka, event);

    await vi.waitFor(() => expect(kafka.messages(DLQ_TOPIC)).toHaveLength(1));
    const [dead] = kafka.messages(DLQ_TOPIC);
    expect(header(dead?.headers['failure-reason'])).toBe('retries-exhausted');
    expect(header(dead?.headers['failure-message'])).toBe('payment provider rejected the card');
    expect(header(dead?.headers['retry-count'])).toBe('2');
    expect(header(dead?.headers['message-id'])).toBe(event.id);
    expect(dead?.key?.toString()).toBe('ping-1');
    expect(dead?.value?.toString()).toBe(encodeEvent(event).toString());
    expect(calls).toBe(3);
    expect(kafka.messages(RETRY_TOPIC).map((m) => header(m.headers['retry-count']))).toEqual(['1', '2']);
    await vi.waitFor(() => expect(kafka.committed(`${GROUP}.retry`, RETRY_TOPIC)).toBe('2'));
    expect(kafka.committed(GROUP, TOPIC)).toBe('1');
  });

  it.for(['-5', '0.5', 'x'])('counts a retry-count header of %s as 0: maxRetries still bounds the attempts', async (count) => {
    const kafka = new FakeKafka();
    let calls = 0;
    await start(kafka, async () => {
      calls += 1;
      throw new Error('down');
    });
    const event = ping();
    kafka.append(TOPIC, { key: event.data.id, value: encodeEvent(event), headers: { 'message-id': event.id, 'retry-count': count } });
    await vi.waitFor(() => expect(kafka.messages(DLQ_TOPIC)).toHaveLength(1));
    expect(calls).toBe(3);
    expect(kafka.messages(RETRY_TOPIC).map((m) => header(m.headers['retry-count']))).toEqual(['1', '2']);
    expect(header(kafka.messages(DLQ_TOPIC)[0]?.headers['retry-count'])).toBe('2');
  });

  it('dead-letters a message it cannot decode at once, without calling the handler', async () => {
    const kafka = new FakeKafka();
    const handler = vi.fn(async () => {});
    await start(kafka, handler);
    kafka.append(TOPIC, { value: 'not json' });

    await vi.waitFor(() => expect(kafka.committed(GROUP, TOPIC)).toBe('1'));
    const [dead] = kafka.messages(DLQ_TOPIC);
    expect(header(dead?.headers['failure-reason'])).toBe('invalid-message');
    expect(header(dead?.headers['failure-message'])).not.toBe('');
    expect(kafka.messages(RETRY_TOPIC)).toEqual([]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters at once a message the handler rejects as invalid', async () => {
    const kafka = new FakeKafka();
    const handler = vi.fn(async () => {
      throw new InvalidMessageError('amount must be positive');
    });
    await start(kafka, handler);
    publish(kafka, ping());

    await vi.waitFor(() => expect(kafka.messages(DLQ_TOPIC)).toHaveLength(1));
    const [dead] = kafka.messages(DLQ_TOPIC);
    expect(header(dead?.headers['failure-reason'])).toBe('invalid-message');
    expect(header(dead?.headers['failure-message'])).toBe('amount must be positive');
    expect(handler).toHaveBeenCalledOnce();
    expect(kafka.messages(RETRY_TOPIC)).toEqual([]);
  });

  it('applies the same message id once', async () => {
    const kafka = new FakeKafka();
    const handled: string[] = [];
    await start(kafka, async (event) => {
      handled.push(event.id);
    });
    const event = ping();
    publish(kafka, event);
    publish(kafka, event);

    await vi.waitFor(() => expect(kafka.committed(GROUP, TOPIC)).toBe('2'));
    expect(handled).toEqual([event.id]);
  });

  it('leaves a failed message uncommitted while it cannot be handed on, and delivers it again', async () => {
    const kafka = new FakeKafka();
    let calls = 0;
    await start(kafka, async () => {
      calls += 1;
      if (calls <= 2) throw new Error('database busy');
    });
    kafka.failSends = 1;
    publish(kafka, ping());

    await vi.waitFor(() => expect(kafka.committed(GROUP, TOPIC)).toBe('1'));
    expect(kafka.member(GROUP).errors).toHaveLength(1);
    expect(kafka.messages(RETRY_TOPIC)).toHaveLength(1);
    await vi.waitFor(() => expect(calls).toBe(3));
  });

  it('stop() lets the message in hand finish and commit, then takes no more', async () => {
    const kafka = new FakeKafka();
    const release = gate();
    const handled: string[] = [];
    await start(kafka, async (event) => {
      await release.promise;
      handled.push(event.id);
    });
    const first = ping();
    publish(kafka, first);
    await vi.waitFor(() => expect(kafka.member(GROUP).inHand).toBeDefined());

    let stopped = false;
    const stopping = consumer!.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);

    release.open();
    await stopping;
    expect(handled).toEqual([first.id]);
    expect(kafka.committed(GROUP, TOPIC)).toBe('1');

    publish(kafka, ping());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toHaveLength(1);
  });

  it('heartbeats while a retry waits to be due, and stop() does not wait the delay out', async () => {
    const kafka = new FakeKafka();
    const handler = vi.fn(async () => {
      throw new Error('database busy');
    });
    await start(kafka, handler, { retryDelayMs: 60_000 });
    publish(kafka, ping());

    const retry = kafka.member(`${GROUP}.retry`);
    await vi.waitFor(() => expect(retry.inHand).toBeDefined());
    await vi.waitFor(() => expect(retry.heartbeats).toBeGreaterThan(0), { timeout: 2000 });
    expect(handler).toHaveBeenCalledTimes(1);

    const begun = Date.now();
    await consumer!.stop();
    expect(Date.now() - begun).toBeLessThan(1000);
    // Not committed: whoever takes the partition next replays it.
    expect(kafka.committed(`${GROUP}.retry`, RETRY_TOPIC)).toBeUndefined();
  });
});
