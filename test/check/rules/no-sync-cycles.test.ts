import rule from '../../../src/check/rules/no-sync-cycles.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

ruleTester(rule, {
  valid: [{ name: 'a chain a → b → c', files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', []) } }],
  invalid: [
    {
      name: 'a cycle a → b → c → a',
      files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', ['a']) },
      errors: [{ messageId: 'cycle', data: { path: 'a → b → c → a' }, service: 'a', file: 'a/src/app.js', line: 5 }],
    },
    {
      name: 'three services that all call each other',
      files: { ...caller('a', ['b', 'c']), ...caller('b', ['a', 'c']), ...caller('c', ['a', 'b']) },
      errors: [{ messageId: 'allToAll', data: { count: 3, services: 'a, b, c' }, service: 'a' }],
    },
  ],
});
