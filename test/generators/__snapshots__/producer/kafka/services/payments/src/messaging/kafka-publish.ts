/**
 * Publishes one outbox row to a Kafka topic through the service's idempotent
 * producer. It resolves only once every in-sync replica has the record
 * (acks -1), so the relay marks a row sent only when Kafka will keep it.
 * Records with the same key share a partition, hence keep their order.
 */
import { encodeEvent } from './envelope.js';
import type { KafkaPort } from './kafka.js';
import type { OutboxMessage } from './outbox.js';

export async function sendToTopic(kafka: Pick<KafkaPort, 'producer'>, topic: string, message: OutboxMessage): Promise<void> {
  const producer = await kafka.producer();
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: message.key,
        value: encodeEvent(message.payload),
        headers: {
          ...message.headers,
          'message-id': message.id,
          'event-type': message.type,
          'content-type': 'application/json',
        },
      },
    ],
  });
}
