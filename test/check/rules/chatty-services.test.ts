import rule from '../../../src/check/rules/chatty-services.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

ruleTester(rule, {
  valid: [
    { name: 'a few calls', files: { ...caller('web', ['users'], { extraCalls: 3 }), ...caller('users', []) } },
    { name: 'five callees is not a fan-out yet', files: { ...caller('web', ['a', 'b', 'c', 'd', 'e']), ...Object.assign({}, ...['a', 'b', 'c', 'd', 'e'].map((t) => caller(t, []))) } },
  ],
  invalid: [
    {
      name: 'nine call sites from one service to another',
      files: { ...caller('web', ['users'], { extraCalls: 8 }), ...caller('users', []) },
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'users', calls: 9, limit: 8 }, service: 'web' }],
    },
    {
      name: 'one service calling six others synchronously',
      files: {
        ...caller('web', ['a', 'b', 'c', 'd', 'e', 'f']),
        ...Object.assign({}, ...['a', 'b', 'c', 'd', 'e', 'f'].map((t) => caller(t, []))),
      },
      errors: [{ messageId: 'fanOut', data: { service: 'web', count: 6, targets: 'a, b, c, d, e, f', limit: 5 }, service: 'web' }],
    },
    {
      name: 'a call inside a loop',
      files: { ...caller('web', ['users'], { loop: true }), ...caller('users', []) },
      errors: [{ messageId: 'inLoop', data: { service: 'web', target: 'users' }, service: 'web', file: 'web/src/app.js', line: 5 }],
    },
    {
      name: 'a lower limit from the options',
      options: { maxCallSites: 1 },
      files: { ...caller('web', ['users'], { extraCalls: 1 }), ...caller('users', []) },
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'users', calls: 2, limit: 1 } }],
    },
  ],
});
