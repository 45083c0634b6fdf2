/** `arch add-producer <service>`: a typed event, a transactional outbox and its relay, wired into the service. */
import { defineGenerator } from '../../generate/define-generator.js';
import { messagingOptions } from '../../generate/messaging/options.js';
import { messagingRequires, runMessaging } from '../../generate/messaging/plan.js';
import { refuseOtherEvent } from '../../generate/messaging/topic-events.js';
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
  requires: (model) => messagingRequires(model, 'add-producer'),
  async run(ctx) {
    await refuseOtherEvent(ctx, 'producer');
    await runMessaging(ctx, 'producer');
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
