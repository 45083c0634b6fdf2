import rule from '../../../src/check/rules/circuit-breakers.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

ruleTester(rule, {
  valid: [
    { name: 'calls wrapped in opossum', files: { ...caller('web', ['users'], { breaker: true }), ...caller('users', []) } },
    { name: 'no calls between services', files: caller('web', []) },
  ],
  invalid: [
    {
      name: 'calls without any breaker',
      files: { ...caller('web', ['users', 'orders']), ...caller('users', []), ...caller('orders', []) },
      errors: [{ messageId: 'none', data: { service: 'web', calls: '2 calls' }, service: 'web', file: 'web/src/app.js' }],
    },
  ],
});
