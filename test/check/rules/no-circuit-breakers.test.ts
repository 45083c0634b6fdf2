import rule from '../../../src/check/rules/no-circuit-breakers.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

const mixed = {
  ...caller('web', ['users'], { breaker: true }),
  'web/src/report.js': "import axios from 'axios';\nexport async function report() {\n  return axios.post('http://orders:3000/reports', {});\n}\n",
  ...caller('users', []),
  ...caller('orders', []),
};

ruleTester(rule, {
  valid: [{ name: 'every call through a breaker', files: { ...caller('web', ['users'], { breaker: true }), ...caller('users', []) } }],
  invalid: [
    {
      name: 'one call bypasses the breaker the service has',
      files: mixed,
      errors: [{ messageId: 'unprotected', data: { method: 'POST', service: 'web', target: 'orders' }, service: 'web', file: 'web/src/report.js', line: 3 }],
    },
  ],
});
