import rule from '../../../src/check/rules/database-per-service.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

const pkg = (deps: string[]) => JSON.stringify({ name: 'x', dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) });

ruleTester(rule, {
  valid: [
    {
      name: 'each service has its own database container',
      files: {
        'compose.yaml': yaml([
          'services:',
          '  orders:',
          '    build: ./orders',
          '    depends_on: [orders-db]',
          '  orders-db:',
          '    image: postgres:17.7-alpine',
          '    environment: { POSTGRES_DB: orders }',
        ]),
        'orders/package.json': pkg(['fastify', 'pg']),
      },
    },
    { name: 'a stateless service', files: { 'compose.yaml': yaml(['services:', '  web:', '    image: acme/web:1.0.0']) } },
  ],
  invalid: [
    {
      name: 'only a database shared with another service',
      files: {
        'compose.yaml': yaml([
          'services:',
          '  orders:',
          '    image: acme/orders:1.0.0',
          '    environment: { MONGO_URL: "mongodb://mongo:27017/shop" }',
          '  users:',
          '    image: acme/users:1.0.0',
          '    environment: { MONGO_URL: "mongodb://mongo:27017/shop" }',
          '  mongo:',
          '    image: mongo:8.0.4',
        ]),
      },
      errors: [
        { messageId: 'noOwnDatabase', service: 'orders', data: { service: 'orders', clients: 'database', databases: 'mongodb://mongo/shop' }, file: 'compose.yaml', line: 2 },
        { messageId: 'noOwnDatabase', service: 'users', data: { service: 'users', clients: 'database', databases: 'mongodb://mongo/shop' }, file: 'compose.yaml', line: 5 },
      ],
    },
    {
      name: 'a database client but no connection declared',
      files: {
        'compose.yaml': yaml(['services:', '  orders:', '    build: ./orders']),
        'orders/package.json': pkg(['express', 'pg']),
      },
      errors: [{ messageId: 'unknownDatabase', service: 'orders', data: { service: 'orders', clients: 'postgres' }, file: 'compose.yaml', line: 2 }],
    },
  ],
});
