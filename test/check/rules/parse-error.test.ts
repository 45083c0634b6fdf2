import rule from '../../../src/check/rules/parse-error.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [{ name: 'well-formed files', files: { 'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0']), 'package.json': '{"name":"x"}' } }],
  invalid: [
    {
      name: 'malformed compose YAML and package.json',
      files: { 'compose.yaml': 'services:\n  api:\n    image: [unclosed\n', 'package.json': '{ "name": ' },
      errors: [
        { messageId: 'unreadable', file: 'compose.yaml' },
        { messageId: 'unreadable', file: 'package.json' },
      ],
    },
  ],
});
