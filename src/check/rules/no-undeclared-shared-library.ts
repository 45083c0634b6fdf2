/** Clear service boundaries: internal code shared by several services is a declared shared library. */
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'no-undeclared-shared-library',
  meta: {
    item: 'service-boundaries',
    description: 'Internal packages used by several services are declared as shared libraries',
    rationale: 'A package several services depend on couples their releases; declaring it makes that coupling a decision (a versioned contract or utility library) instead of an accident (one service\'s internals leaking into others).',
    fix: 'Declare it in `shared` in arch.config.json if it is a deliberate library (contracts, utilities), or move the code into the one service that owns it.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { undeclared: 'internal package {{library}} ({{dir}}) is used by {{services}} but not declared in `shared`' },
  defaultOptions: {},
  create: (ctx) => ({
    'repo:exit'() {
      for (const library of ctx.model.libraries) {
        if (library.declared || library.users.length < 2) continue;
        ctx.report({ messageId: 'undeclared', data: { library: library.name, dir: library.dir, services: library.users.join(', ') }, location: library.location });
      }
    },
  }),
  // Advice, not a boundary violation: libraries for cross-cutting concerns and contracts are fine, declared or not.
  assess: (model) => ({ status: 'unknown', evidence: model.libraries.length > 0 ? `${model.libraries.length} internal package(s) shared` : 'no internal packages shared between services' }),
});
