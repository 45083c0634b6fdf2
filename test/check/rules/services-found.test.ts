import rule from '../../../src/check/rules/services-found.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'a compose service', files: { 'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0']) } },
    { name: 'a declared service', files: { 'arch.config.json': JSON.stringify({ services: [{ name: 'legacy', dir: 'legacy' }] }) } },
  ],
  invalid: [
    { name: 'an empty repository', files: { 'README.md': '# nothing here\n' }, errors: [{ messageId: 'none' }] },
    { name: 'only infrastructure', files: { 'compose.yaml': yaml(['services:', '  db:', '    image: postgres:17.7-alpine']) }, errors: [{ messageId: 'none' }] },
  ],
});
