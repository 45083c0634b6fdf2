import rule from '../../../src/check/rules/chatty-services.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

ruleTester(rule, {
  valid: [{ name: 'a few calls', files: { ...caller('web', ['users'], { extraCalls: 3 }), ...caller('users', []) } }],
  invalid: [
    {
      name: 'six call sites from one service to another',
      files: { ...caller('web', ['users'], { extraCalls: 5 }), ...caller('users', []) },
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'users', calls: 6, limit: 5 }, service: 'web' }],
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
