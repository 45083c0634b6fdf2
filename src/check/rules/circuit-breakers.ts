/** Circuit breakers for resilience: a service that calls others protects itself with breakers. */
import { defineRule } from '../define-rule.js';
import { serviceCalls, usesBreakers } from './utils/calls.js';
import { plural } from './utils/locations.js';

export default defineRule({
  id: 'circuit-breakers',
  meta: {
    item: 'circuit-breakers',
    description: 'A service that calls other services uses circuit breakers',
    rationale: 'Without a breaker, a slow or failing dependency ties up every caller until timeouts cascade through the system.',
    fix: 'Wrap outbound calls in a breaker (opossum, cockatiel) with a timeout and a fallback; archkit services have `src/http/service-client.ts` for this.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { none: '{{service}} makes {{calls}} to other services and uses no circuit breaker at all' },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      const calls = serviceCalls(service, ctx.model);
      if (calls.length === 0 || usesBreakers(service)) return;
      ctx.report({ messageId: 'none', data: { service: service.name, calls: plural(calls.length, 'call') }, service: service.name, location: calls[0]!.location });
    },
  }),
  assess: (model) => {
    const callers = model.services.filter((s) => serviceCalls(s, model).length > 0);
    if (callers.length > 0) return { status: 'pass', evidence: `${plural(callers.length, 'service')} calling others use breakers` };
    return model.services.some((s) => s.source)
      ? { status: 'pass', evidence: 'no synchronous calls between services found' }
      : { status: 'unknown', evidence: 'no JavaScript/TypeScript source to find outbound calls in' };
  },
});
