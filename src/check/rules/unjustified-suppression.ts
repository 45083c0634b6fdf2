/**
 * An `arch-ignore` comment must say why. The check command reports comments
 * without a reason through this rule's message (suppressions are read after
 * the rules ran, so there is nothing to visit here).
 */
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'unjustified-suppression',
  meta: {
    item: null,
    description: '`arch-ignore` comments give a reason',
    rationale: 'An exception without a reason cannot be reviewed, and outlives the reason nobody wrote down.',
    fix: 'Write the reason after a colon: `# arch-ignore no-shared-database: read replica for reporting`.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { missing: 'arch-ignore {{rules}} has no reason, so it suppresses nothing; add ": <why>"' },
  defaultOptions: {},
  create: () => ({}),
});
