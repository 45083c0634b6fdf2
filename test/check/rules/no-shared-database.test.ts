import rule from '../../../src/check/rules/no-shared-database.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'two services, two databases on one server',
      files: {
        'compose.yaml': yaml([
          'services:',
          '  orders:',
          '    image: acme/orders:1.0.0',
          '    environment:',
          '      DATABASE_URL: postgres://app@pg:5432/orders',
          '  payments:',
          '    image: acme/payments:1.0.0',
          '    environment:',
          '      DATABASE_URL: postgres://app@pg:5432/payments',
          '  pg:',
          '    image: postgres:17.7-alpine',
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'two services on the same database',
      files: {
        'compose.yaml': yaml([
          'services:',
          '  orders:',
          '    image: acme/orders:1.0.0',
          '    environment:',
          '      DATABASE_URL: postgres://app@pg:5432/shop',
          '  payments:',
          '    image: acme/payments:1.0.0',
          '    environment:',
          '      DB_HOST: pg',
          '      DB_NAME: shop',
          '  pg:',
          '    image: postgres:17.7-alpine',
          '    environment:',
          '      POSTGRES_DB: shop',
        ]),
      },
      errors: [{ messageId: 'shared', data: { database: 'postgres://pg/shop', services: 'orders, payments' }, file: 'compose.yaml', line: 11 }],
    },
  ],
});
