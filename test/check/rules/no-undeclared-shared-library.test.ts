import rule from '../../../src/check/rules/no-undeclared-shared-library.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { pkg } from './fixtures.js';

const workspace = (extra: Record<string, string> = {}) => ({
  'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*', 'packages/*'] }),
  'services/orders/package.json': pkg('orders', ['fastify', '@shop/orders-internals']),
  'services/payments/package.json': pkg('payments', ['fastify', '@shop/orders-internals']),
  'packages/orders-internals/package.json': JSON.stringify({ name: '@shop/orders-internals' }),
  ...extra,
});

ruleTester(rule, {
  valid: [
    { name: 'a shared package declared in arch.config.json', files: workspace({ 'arch.config.json': JSON.stringify({ shared: ['packages/orders-internals'] }) }) },
    {
      name: 'an internal package used by one service',
      files: {
        'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*', 'packages/*'] }),
        'services/orders/package.json': pkg('orders', ['fastify', '@shop/money']),
        'packages/money/package.json': JSON.stringify({ name: '@shop/money' }),
      },
    },
  ],
  invalid: [
    {
      name: 'an undeclared package used by two services',
      files: workspace(),
      errors: [{ messageId: 'undeclared', data: { library: '@shop/orders-internals', dir: 'packages/orders-internals', services: 'orders, payments' }, file: 'packages/orders-internals/package.json' }],
    },
  ],
});
