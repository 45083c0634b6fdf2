/**
 * Publishing to RabbitMQ with publisher confirms: a message counts as sent
 * only when the broker acknowledged it. It is `mandatory`: an exchange with
 * no queue bound returns it, and that is a failure too (the outbox keeps the
 * row until a consumer's queue exists), so no event is dropped silently.
 */
import type { ConfirmChannel, Message } from 'amqplib';
import { encodeEvent } from './envelope.js';
import type { OutboxMessage } from './outbox.js';
import type { RabbitMq } from './rabbitmq.js';

const declared = new WeakMap<ConfirmChannel, Set<string>>();

export async function publishToExchange(rabbitmq: RabbitMq, exchange: string, message: OutboxMessage): Promise<void> {
  const channel = await rabbitmq.publishChannel();
  let exchanges = declared.get(channel);
  if (!exchanges) declared.set(channel, (exchanges = new Set()));
  if (!exchanges.has(exchange)) {
    await channel.assertExchange(exchange, 'topic', { durable: true });
    exchanges.add(exchange);
  }
  let returned = false;
  const stopListening = rabbitmq.onReturn((m: Message) => {
    if (m.properties.messageId === message.id) returned = true;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        exchange,
        message.type,
        encodeEvent(message.payload),
        {
          persistent: true,
          mandatory: true,
          messageId: message.id,
          type: message.type,
          contentType: 'application/json',
          timestamp: Math.floor(Date.parse(message.payload.occurredAt) / 1000),
          // x-message-key: the consumer handles messages of one key in order.
          headers: { ...message.headers, 'x-event-version': message.payload.version, ...(message.key === null ? {} : { 'x-message-key': message.key }) },
        },
        (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      );
    });
  } finally {
    stopListening();
  }
  if (returned) throw new Error(`no queue is bound to exchange "${exchange}" yet (start a consumer first); the event stays in the outbox`);
}
