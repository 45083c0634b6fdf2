import rule from '../../../src/check/rules/event-driven.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller, pkg } from './fixtures.js';

const producer = (name: string, topic: string) => ({
  [`${name}/package.json`]: pkg(name, ['fastify', 'kafkajs']),
  [`${name}/src/events.ts`]: `import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: ['kafka:9092'] }).producer();\nexport const publish = (value: string) => producer.send({ topic: '${topic}', messages: [{ value }] });\n`,
});
const consumer = (name: string, topic: string) => ({
  [`${name}/package.json`]: pkg(name, ['fastify', 'kafkajs']),
  [`${name}/src/events.ts`]: `import { Kafka } from 'kafkajs';\nconst consumer = new Kafka({ brokers: ['kafka:9092'] }).consumer({ groupId: '${name}' });\nawait consumer.subscribe({ topic: '${topic}' });\n`,
});

ruleTester(rule, {
  valid: [{ name: 'a topic with a producer and a consumer', files: { ...producer('orders', 'order-created'), ...consumer('payments', 'order-created') } }],
  invalid: [
    {
      name: 'a topic nobody consumes, and one nobody produces',
      files: { ...producer('orders', 'order-created'), ...consumer('payments', 'payment-requested') },
      errors: [
        { messageId: 'noConsumer', data: { broker: 'kafka', channel: 'order-created', producers: 'orders', consumers: '' }, service: 'orders', file: 'orders/src/events.ts', line: 3 },
        { messageId: 'noProducer', data: { broker: 'kafka', channel: 'payment-requested', producers: '', consumers: 'payments' }, service: 'payments', file: 'payments/src/events.ts', line: 3 },
      ],
    },
    {
      name: 'three services that only call each other',
      files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', []) },
      errors: [{ messageId: 'allSync', data: { count: 3, edges: 2 } }],
    },
  ],
});
