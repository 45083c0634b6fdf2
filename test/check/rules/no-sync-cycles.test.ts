import rule from '../../../src/check/rules/no-sync-cycles.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller, frontEnd } from './fixtures.js';

ruleTester(rule, {
  valid: [
    { name: 'a chain a → b → c', files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', []) } },
    { name: 'a front end behind its BFF whose request helper is never given an address', files: frontEnd([['/**', 'http://web:3000']], []) },
    { name: 'a front end behind its BFF that calls a third-party host', files: frontEnd([['/**', 'http://web:3000']], ['https://api.example.com/items']) },
    { name: 'a front end with no gateway in front that calls its own origin', files: frontEnd([], ['/api/items'], { gateway: false }) },
    // The browser asks the origin that served the page: that is the front end's API, not one service calling another
    // (a relative URL cannot be fetched from a server process, which has no origin).
    { name: 'a front end served by its BFF (/** → web) whose pages fetch /api/… through a request helper', files: frontEnd([['/api/**', 'http://catalog:3000'], ['/**', 'http://web:3000']], ['/api/product/items']) },
    { name: 'a front end whose BFF routes its /api paths back to it (its own API routes)', files: frontEnd([['/api/**', 'http://web:3000'], ['/**', 'http://web:3000']], ['/api/items']) },
  ],
  invalid: [
    {
      name: 'a front end that calls its BFF at an address from the environment',
      files: frontEnd([['/**', 'http://web:3000']], ['${process.env.API_BASE_PATH}/items'], { env: 'API_BASE_PATH=http://bff:8080/api' }),
      errors: [{ messageId: 'cycle', data: { path: 'bff → web → bff' }, service: 'bff' }],
    },
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
