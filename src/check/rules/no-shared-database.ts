/** Anti-pattern: two or more services use the same database. */
import { defineRule } from '../define-rule.js';
import { sharedDatabaseVerdict } from './utils/verdicts.js';

export default defineRule({
  id: 'no-shared-database',
  meta: {
    item: 'shared-database',
    description: 'No database is used by more than one service',
    rationale: "A shared database couples services through its schema: one service's migration can break another, and neither owns the data.",
    fix: 'Give each service its own database (one server may host several databases) and share data through APIs or events.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: { shared: 'database {{database}} is shared by {{services}}' },
  defaultOptions: {},
  create: (ctx) => ({
    database(db) {
      // A Redis shared as a cache or queue is not a shared database.
      if (db.users.length > 1 && db.engine !== 'redis') {
        ctx.report({ messageId: 'shared', data: { database: db.id, services: db.users.join(', ') }, location: db.location });
      }
    },
  }),
  // Present while a shared database is reported and not suppressed; absent when identities are known for the services.
  assess: (model, _options, findings) => {
    const verdict = sharedDatabaseVerdict(model);
    if (verdict.status !== 'fail') return verdict;
    return findings.length > 0 ? verdict : { status: 'pass', evidence: `shared databases are suppressed or baselined (${verdict.evidence})` };
  },
});
