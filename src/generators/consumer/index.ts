/** `arch add-consumer <service>`: an idempotent consumer with retries and a dead-letter queue, wired into the service. */
import { defineGenerator } from '../../generate/define-generator.js';
import { option } from '../../generate/options.js';
import { messagingOptions } from '../../generate/messaging/options.js';
import { messagingRequires, runMessaging } from '../../generate/messaging/plan.js';
import { refuseOtherEvent } from '../../generate/messaging/topic-events.js';
import { topicCases, validateTopicName } from '../../generate/names.js';

export default defineGenerator({
  id: 'consumer',
  description: 'Consume an event in a service: idempotent handler, retries with backoff, dead-letter queue (Kafka or RabbitMQ)',
  command: {
    name: 'add-consumer',
    args: [{ name: 'service', option: 'service' }],
    examples: [
      'add-consumer payments --broker rabbitmq --topic order-created',
      'add-consumer shipping --broker kafka --topic orders.v1 --event OrderPlaced --group shipping',
    ],
  },
  scope: 'workspace',
  options: {
    ...messagingOptions('consumer'),
    group: option.string({
      description: 'Consumer group (Kafka) or queue (RabbitMQ); default <service>.<topic>',
      valueName: '<id>',
      validate: (group) => (validateTopicName(group) ? validateTopicName(group)!.replace('topic name', 'group') : undefined),
    }),
  },
  requires: (model) => messagingRequires(model, 'add-consumer'),
  async run(ctx) {
    await refuseOtherEvent(ctx, 'consumer');
    await runMessaging(ctx, 'consumer');
  },
  nextSteps(ctx) {
    const { service, topic } = ctx.options;
    const kebab = topicCases(topic).kebab;
    return [
      `Fill in the handler: services/${service}/src/messaging/handlers/${kebab}.handler.ts (its database work commits with the idempotency record; throw to retry)`,
      'cp .env.example .env, then start the broker: docker compose up -d',
    ];
  },
});
