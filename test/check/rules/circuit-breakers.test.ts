import rule from '../../../src/check/rules/circuit-breakers.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller, frontEnd } from './fixtures.js';

ruleTester(rule, {
  valid: [
    { name: 'calls wrapped in opossum', files: { ...caller('web', ['users'], { breaker: true }), ...caller('users', []) } },
    { name: 'no calls between services', files: caller('web', []) },
    { name: "a front end's browser requests to the BFF that serves it", files: frontEnd([['/**', 'http://web:3000']], ['/api/items']) },
  ],
  invalid: [
    {
      name: "a front end's server calling its BFF without a breaker",
      files: frontEnd([['/**', 'http://web:3000']], ['${process.env.API_BASE_PATH}/items'], { env: 'API_BASE_PATH=http://bff:8080/api' }),
      errors: [{ messageId: 'none', data: { service: 'web', calls: '1 call' }, service: 'web', file: 'web/modules/catalog/services/ProductService.ts' }],
    },
    {
      name: 'calls without any breaker',
      files: { ...caller('web', ['users', 'orders']), ...caller('users', []), ...caller('orders', []) },
      errors: [{ messageId: 'none', data: { service: 'web', calls: '2 calls' }, service: 'web', file: 'web/src/app.js' }],
    },
  ],
});
