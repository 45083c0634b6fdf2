/** Clear service boundaries: a service never imports another service's code. */
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'no-cross-service-imports',
  meta: {
    item: 'service-boundaries',
    description: "Source does not import another service's code",
    rationale: "Importing another service's modules couples their releases and data models: one can no longer change or deploy without the other.",
    fix: 'Call the other service through its API or events, or move the shared code into a library declared in `shared` in arch.config.json.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: { crossImport: '{{service}} imports "{{specifier}}" from service {{target}}' },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      for (const imp of service.facts.crossImports) {
        if (ctx.model.services.some((s) => s.name === imp.target)) {
          ctx.report({ messageId: 'crossImport', data: { service: service.name, specifier: imp.specifier, target: imp.target }, service: service.name, location: imp.location });
        }
      }
    },
  }),
  assess: (model, _options, findings) => {
    if (findings.length > 0) return { status: 'fail', evidence: findings.slice(0, 3).map((f) => f.message).join('; ') };
    const read = model.services.filter((s) => s.facts.sourceRead);
    return read.length > 0
      ? { status: 'pass', evidence: `no imports across the folders of ${read.length} services with source` }
      : { status: 'unknown', evidence: 'no source to look for cross-service imports in' };
  },
});
