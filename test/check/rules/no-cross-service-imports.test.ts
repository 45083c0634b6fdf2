import rule from '../../../src/check/rules/no-cross-service-imports.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { pkg } from './fixtures.js';

ruleTester(rule, {
  valid: [
    {
      name: 'imports inside the service',
      files: { 'orders/package.json': pkg('orders', ['fastify']), 'orders/src/a.ts': "import { b } from './b.js';\nexport const a = b;\n", 'orders/src/b.ts': 'export const b = 1;\n' },
    },
  ],
  invalid: [
    {
      name: "a relative import of another service's module",
      files: {
        'services/orders/package.json': pkg('orders', ['fastify']),
        'services/orders/src/pay.ts': "import { charge } from '../../payments/src/charge.js';\nexport const pay = charge;\n",
        'services/payments/package.json': pkg('payments', ['fastify']),
        'services/payments/src/charge.ts': 'export const charge = () => 1;\n',
      },
      errors: [{ messageId: 'crossImport', data: { service: 'orders', specifier: '../../payments/src/charge.js', target: 'payments' }, service: 'orders', file: 'services/orders/src/pay.ts', line: 1 }],
    },
  ],
});
