import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, encodeEvent } from '../../src/messaging/envelope.js';
import type { Inbox } from '../../src/messaging/inbox.js';
import { handleDelivery, keyedSerial, retryQueueName, type ConsumeOptions, type DeliveryChannel } from '../../src/messaging/rabbitmq-consume.js';

const Sample = defineEvent('Sample', 1, z.object({ id: z.string().min(1) }));
const settings = { maxRetries: 2, retryDelayMs: 100, outboxPollIntervalMs: 100, retentionHours: 168, retentionIntervalMs: 600_000 };
const logger = { info() {}, warn() {}, error() {} } as unknown as ConsumeOptions<unknown>['logger'];

function message(body: unknown, headers: Record<string, unknown> = {}): ConsumeMessage {
  return {
    content: Buffer.from(typeof body === 'string' ? body : encodeEvent(body as never)),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'samples', routingKey: 'Sample', consumerTag: 't' },
    properties: { headers, messageId: 'm1', contentType: 'application/json' },
  } as unknown as ConsumeMessage;
}

function fakeChannel() {
  const acked: ConsumeMessage[] = [];
  const sent: Array<{ queue: string; headers: Record<string, unknown> }> = [];
  const channel: DeliveryChannel = {
    ack: (m: ConsumeMessage) => void acked.push(m),
    nack: () => undefined,
    sendToQueue: ((queue: string, _content: Buffer, options: { headers: Record<string, unknown> }, callback: (err: unknown) => void) => {
      sent.push({ queue, headers: options.headers });
      callback(null);
      return true;
    }) as never,
  };
  return { channel, acked, sent };
}

/** An inbox that remembers ids in memory (the real one uses the service's database). */
function memoryInbox(): Inbox & { ids: Set<string> } {
  const ids = new Set<string>();
  return {
    ids,
    async processOnce(consumer, id, work) {
      const key = `${consumer}/${id}`;
      if (ids.has(key)) return 'duplicate';
      await work({} as never);
      ids.add(key);
      return 'processed';
    },
  };
}

const event = { id: 'e1', type: 'Sample', version: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { id: 'a' } };

describe('handleDelivery', () => {
  it('runs the handler once per message id and acknowledges after it', async () => {
    const { channel, acked } = fakeChannel();
    const seen: string[] = [];
    const options = { contract: Sample, handler: async (e: { data: { id: string } }) => void seen.push(e.data.id), inbox: memoryInbox(), logger, settings };
    expect(await handleDelivery(channel, 'q', message(event), options)).toBe('processed');
    expect(await handleDelivery(channel, 'q', message(event), options)).toBe('duplicate');
    expect(seen).toEqual(['a']);
    expect(acked).toHaveLength(2);
  });

  it('sends a failed message to the next retry queue with the attempt counted, then acknowledges it', async () => {
    const { channel, acked, sent } = fakeChannel();
    const options = { contract: Sample, handler: async () => { throw new Error('down'); }, inbox: memoryInbox(), logger, settings };
    expect(await handleDelivery(channel, 'q', message(event), options)).toBe('retried');
    expect(await handleDelivery(channel, 'q', message(event, { 'x-retry-count': 1 }), options)).toBe('retried');
    expect(sent.map((s) => [s.queue, s.headers['x-retry-count']])).toEqual([[retryQueueName('q', 1, 100), 1], [retryQueueName('q', 2, 100), 2]]);
    expect(retryQueueName('q', 2, 100)).toBe('q.retry.2.200ms');
    expect(acked).toHaveLength(2);
  });

  it('dead-letters after the last retry, with the reason', async () => {
    const { channel, sent } = fakeChannel();
    const options = { contract: Sample, handler: async () => { throw new Error('card declined'); }, inbox: memoryInbox(), logger, settings };
    expect(await handleDelivery(channel, 'q', message(event, { 'x-retry-count': 2 }), options)).toBe('dead-lettered');
    expect(sent).toEqual([{ queue: 'q.dlq', headers: expect.objectContaining({ 'x-retry-count': 2, 'x-failure-reason': 'handler-failed', 'x-failure-message': 'card declined', 'x-original-exchange': 'samples' }) }]);
  });

  it('dead-letters a message that does not fit the contract at once', async () => {
    const { channel, sent } = fakeChannel();
    const options = { contract: Sample, handler: async () => undefined, inbox: memoryInbox(), logger, settings };
    expect(await handleDelivery(channel, 'q', message('{"not":"an event"}'), options)).toBe('dead-lettered');
    expect(sent[0]).toMatchObject({ queue: 'q.dlq', headers: { 'x-failure-reason': 'invalid-message' } });
  });

  it.for([-5, 0.5, '-5', 'x', 1e9])('counts a retry-count header of %s as 0: the first retry queue, never lost', async (header) => {
    const { channel, acked, sent } = fakeChannel();
    const options = { contract: Sample, handler: async () => { throw new Error('down'); }, inbox: memoryInbox(), logger, settings };
    expect(await handleDelivery(channel, 'q', message(event, { 'x-retry-count': header }), options)).toBe('retried');
    expect(sent.map((s) => [s.queue, s.headers['x-retry-count']])).toEqual([[retryQueueName('q', 1, 100), 1]]);
    expect(acked).toHaveLength(1);
  });
});

describe('keyedSerial', () => {
  const gate = () => {
    let open!: () => void;
    return { opened: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
  };

  it('runs tasks of one key in order, one at a time, while other keys go on', async () => {
    const run = keyedSerial();
    const log: string[] = [];
    const first = gate();
    const a1 = run('a', async () => { log.push('a1 start'); await first.opened; log.push('a1 end'); });
    const a2 = run('a', async () => void log.push('a2'));
    const b1 = run('b', async () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('goes on with a key after a task of it failed, and runs keyless tasks at once', async () => {
    const run = keyedSerial();
    const log: string[] = [];
    const failed = run('a', async () => { throw new Error('boom'); });
    const next = run('a', async () => void log.push('a2'));
    await expect(failed).rejects.toThrow('boom');
    await next;
    const blocked = gate();
    const slow = run(undefined, () => blocked.opened);
    await run(undefined, async () => void log.push('free'));
    expect(log).toEqual(['a2', 'free']);
    blocked.open();
    await slow;
  });
});
