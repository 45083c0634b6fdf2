/**
 * The options `add-producer` and `add-consumer` share (and `add-saga` will):
 * which service, which broker, which topic and event. Defaults come from
 * the model: the broker the workspace already uses, the event named after
 * the topic.
 */
import type { RepoModel, Service } from '../../model/types.js';
import { option, type DefaultContext } from '../options.js';
import { eventFromTopic, validateEventName, validateTopicName } from '../names.js';

export const BROKERS = ['rabbitmq', 'kafka'] as const;
export type MessagingBroker = (typeof BROKERS)[number];

/** Services of the workspace that archkit can wire: TypeScript, in a folder, not the gateway. */
export function messagingServices(model: RepoModel): Service[] {
  return model.services.filter((s) => s.dir !== null && s.dir !== '.' && !s.isGateway && s.origins.includes('workspace'));
}

/** The broker the workspace already uses (services first, then compose infrastructure). */
export function workspaceBroker(model: RepoModel): MessagingBroker | undefined {
  const used = new Set<string>([...model.services.flatMap((s) => s.brokers), ...model.brokers.map((b) => b.kind)]);
  return BROKERS.find((b) => used.has(b));
}

function serviceChoices({ model }: DefaultContext) {
  return messagingServices(model).map((s) => ({ value: s.name, hint: s.dir ?? undefined }));
}

export function messagingOptions(role: 'producer' | 'consumer') {
  return {
    service: option.string({
      description: role === 'producer' ? 'Service that publishes the event' : 'Service that consumes the event',
      message: role === 'producer' ? 'Which service publishes it?' : 'Which service consumes it?',
      required: true,
      valueName: '<service>',
      choices: serviceChoices,
      validate: (name, { model }) => {
        const services = messagingServices(model);
        if (services.some((s) => s.name === name)) return undefined;
        const known = services.map((s) => s.name).join(', ');
        return `no service "${name}" in this workspace${known ? ` (services: ${known})` : '; run `npx create-service <name>` first'}`;
      },
    }),
    broker: option.select({
      description: 'Message broker',
      message: 'Which broker?',
      choices: [
        { value: 'rabbitmq', label: 'RabbitMQ', hint: 'amqplib: durable queues, publisher confirms, dead-letter exchange' },
        { value: 'kafka', label: 'Kafka', hint: 'kafkajs: consumer groups, retry and dead-letter topics' },
      ],
      default: ({ model }) => workspaceBroker(model) ?? 'rabbitmq',
    }),
    topic: option.string({
      description: 'Topic (Kafka) or exchange (RabbitMQ), e.g. order-created',
      message: 'Which topic?',
      required: true,
      valueName: '<topic>',
      validate: (topic) => validateTopicName(topic),
    }),
    event: option.string({
      description: 'Event type, PascalCase (default: from the topic, order-created → OrderCreated)',
      message: 'Which event?',
      valueName: '<EventName>',
      default: ({ values }) => (typeof values.topic === 'string' && !validateTopicName(values.topic) ? eventFromTopic(values.topic) : undefined),
      validate: (event) => validateEventName(event),
    }),
  };
}
