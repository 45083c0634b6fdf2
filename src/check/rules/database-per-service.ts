/** Database per service: every service that keeps data has a database of its own. */
import { defineRule } from '../define-rule.js';
import { sharedDatabaseVerdict } from './utils/verdicts.js';
import { serviceLocation } from './utils/locations.js';

export default defineRule({
  id: 'database-per-service',
  meta: {
    item: 'database-per-service',
    description: 'Every service that keeps data has a database no other service uses',
    rationale: 'A service that owns its data can change its schema, scale and recover without coordinating with others.',
    fix: "Give the service its own database (its own container, or its own database name on a shared server) and its connection settings in compose or Kubernetes.",
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: {
    noOwnDatabase: '{{service}} keeps data ({{clients}}) but has no database of its own: it only uses {{databases}}',
    unknownDatabase: '{{service}} uses a {{clients}} client but no database connection is declared for it',
  },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      if (service.isGateway) return;
      const keepsData = service.databaseClients.length > 0 || service.databases.length > 0;
      if (service.databases.length === 0 && !service.compose && !service.kubernetes) return;
      if (!keepsData) return;
      const own = service.databases.filter((id) => ctx.model.databases.find((d) => d.id === id)?.users.length === 1);
      if (own.length > 0) return;
      if (service.databases.length > 0) {
        ctx.report({ messageId: 'noOwnDatabase', data: { service: service.name, clients: service.databaseClients.join(', ') || 'database', databases: service.databases.join(', ') }, service: service.name, location: serviceLocation(service) });
      } else if (service.compose || service.kubernetes) {
        // Known to a manifest that declares no connection: report. Known only from package.json: not enough evidence.
        ctx.report({ messageId: 'unknownDatabase', data: { service: service.name, clients: service.databaseClients.join(', ') }, service: service.name, location: serviceLocation(service) });
      }
    },
  }),
  assess: (model) => sharedDatabaseVerdict(model),
});
