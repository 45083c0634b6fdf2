/** A repository in which no service can be found is not a pass. */
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'services-found',
  meta: {
    item: 'service-boundaries',
    description: 'The repository has services that archkit can find',
    rationale: 'A check that finds nothing to check would pass silently; a repository with no discoverable service is either misconfigured or not a microservices system.',
    fix: 'Declare services in arch.config.json (`services: [{ "name": "orders", "dir": "services/orders" }]`), or add compose / Kubernetes manifests or package.json files with an HTTP framework.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: { none: 'no services found (looked at package.json files, compose files, Kubernetes manifests and arch.config.json)' },
  defaultOptions: {},
  create: (ctx) => ({
    'repo:exit'() {
      if (ctx.model.services.length === 0) ctx.report({ messageId: 'none' });
    },
  }),
  // Finding services says nothing about their boundaries: the item is decided by the rules that read the code.
  assess: (model) => (model.services.length > 0 ? { status: 'unknown', evidence: `${model.services.length} service(s) found` } : { status: 'fail', evidence: 'no services found' }),
});
