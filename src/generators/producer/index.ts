/** `arch add-producer <service>`: a typed event, a transactional outbox and its relay, wired into the service. */
import { defineGenerator } from '../../generate/define-generator.js';
import { messagingOptions, messagingServices } from '../../generate/messaging/options.js';
import { applyMessaging, normalizeMessaging, type MessagingValues } from '../../generate/messaging/plan.js';
import type { GeneratorContext } from '../../generate/define-generator.js';
import { eventCases } from '../../generate/names.js';

export default defineGenerator({
  id: 'producer',
  description: 'Publish an event from a service: typed contract, transactional outbox and relay (Kafka or RabbitMQ)',
  command: {
    name: 'add-producer',
    args: [{ name: 'service', option: 'service' }],
    examples: [
      'add-producer orders --broker rabbitmq --topic order-created --event OrderCreated',
      'add-producer orders --broker kafka --topic orders.v1 --event OrderPlaced',
    ],
  },
  scope: 'workspace',
  options: messagingOptions('producer'),
  requires: (model) =>
    model.kind !== 'workspace' ? 'add-producer runs inside an archkit workspace (arch init)' : messagingServices(model).length === 0 ? 'no services found: run `npx create-service <name>` first' : undefined,
  async run(ctx) {
    const c = ctx as unknown as GeneratorContext<MessagingValues>;
    await applyMessaging(c, normalizeMessaging(c, 'producer'), 'producer');
  },
  nextSteps(ctx) {
    const { service, event } = ctx.options;
    const kebab = eventCases(event ?? '').kebab;
    return [
      `Record the event in the transaction that changes state: await record${event}(client, { … }) (services/${service}/src/messaging/producers/${kebab}.producer.ts)`,
      `Add the event's fields in services/${service}/src/events/${kebab}.ts`,
      'cp .env.example .env, then start the broker: docker compose up -d',
    ];
  },
});
