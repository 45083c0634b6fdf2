/** Circuit breakers for resilience: the calls services make to each other go through breakers. */
import { defineRule } from '../define-rule.js';
import { breakersOf, callsBetweenServices } from './utils/evidence.js';
import { plural } from './utils/locations.js';
import { breakerVerdict } from './utils/verdicts.js';

export default defineRule({
  id: 'circuit-breakers',
  meta: {
    item: 'circuit-breakers',
    description: 'A service that calls other services uses circuit breakers',
    rationale: 'Without a breaker, a slow or failing dependency ties up every caller until timeouts cascade through the system.',
    fix: 'Wrap outbound calls in a breaker (opossum or cockatiel in Node, Resilience4j in Java, Polly in .NET, gobreaker in Go) with a timeout and a fallback; archkit services have `src/http/service-client.ts` for this.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { none: '{{service}} makes {{calls}} to other services and uses no circuit breaker at all' },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      const calls = callsBetweenServices(service, ctx.model);
      if (calls.length === 0 || breakersOf(service, ctx.model).length > 0) return;
      ctx.report({ messageId: 'none', data: { service: service.name, calls: plural(calls.length, 'call') }, service: service.name, location: calls[0]!.location });
    },
  }),
  assess: (model) => breakerVerdict(model),
});
