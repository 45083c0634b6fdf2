/** Files the scanner could not read or parse are findings, never crashes. */
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'parse-error',
  meta: {
    item: null,
    description: 'Every manifest and source file can be read and parsed',
    rationale: 'A file archkit cannot parse is a file it cannot check: services, probes or calls in it would be invisible.',
    fix: 'Fix the syntax error, or add the file to `ignore` in arch.config.json if it is not part of the system.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { unreadable: '{{message}}' },
  defaultOptions: {},
  create: (ctx) => ({
    'repo:exit'() {
      for (const d of ctx.model.diagnostics) {
        ctx.report({ messageId: 'unreadable', data: { message: d.message }, location: { file: d.file, ...(d.line === undefined ? {} : { line: d.line }) } });
      }
    },
  }),
});
