/**
 * Publishing an outbox row to Kafka, against the in-memory stand-in of kafkajs.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/messaging/envelope.js';
import { sendToTopic } from '../../src/messaging/kafka-publish.js';
import type { OutboxMessage } from '../../src/messaging/outbox.js';
import { FakeKafka } from './kafka-fake.js';

function outboxMessage(key: string | null): OutboxMessage {
  const payload: EventEnvelope<unknown> = {
    id: randomUUID(),
    type: 'OrderCreated',
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { id: 'order-1' },
  };
  return { id: payload.id, topic: 'orders', type: payload.type, key, payload, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };
}

describe('sendToTopic (kafka)', () => {
  it('publishes the envelope with its key, acks from all replicas, and message headers', async () => {
    const kafka = new FakeKafka();
    const message = outboxMessage('order-1');
    await sendToTopic(kafka, 'orders', message);

    expect(kafka.sent).toHaveLength(1);
    expect(kafka.sent[0]?.acks).toBe(-1);
    const [record] = kafka.messages('orders');
    expect(record?.key?.toString()).toBe('order-1');
    expect(JSON.parse(record?.value?.toString() ?? '')).toEqual(message.payload);
    expect(Object.fromEntries(Object.entries(record?.headers ?? {}).map(([name, value]) => [name, String(value)]))).toEqual({
      traceparent: message.headers.traceparent,
      'message-id': message.id,
      'event-type': 'OrderCreated',
      'content-type': 'application/json',
    });
  });

  it('publishes a row without a key', async () => {
    const kafka = new FakeKafka();
    await sendToTopic(kafka, 'orders', outboxMessage(null));
    expect(kafka.messages('orders')[0]?.key).toBeNull();
  });

  it('rejects when Kafka does not take the record, so the relay keeps the row', async () => {
    const kafka = new FakeKafka();
    kafka.failSends = 1;
    await expect(sendToTopic(kafka, 'orders', outboxMessage('order-1'))).rejects.toThrow(/leader/);
    expect(kafka.messages('orders')).toEqual([]);
  });
});
