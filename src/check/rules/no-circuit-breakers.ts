/** Anti-pattern: outbound calls to other services that bypass the breakers the service has. */
import { defineRule } from '../define-rule.js';
import { breakersOf, callGuarded, callsBetweenServices } from './utils/evidence.js';
import { breakerVerdict } from './utils/verdicts.js';

export default defineRule({
  id: 'no-circuit-breakers',
  meta: {
    item: 'no-circuit-breakers',
    description: 'Every call to another service goes through a circuit breaker',
    rationale: 'One unprotected call site is enough for a failing dependency to exhaust the caller (connections, event loop, memory).',
    fix: 'Route this call through the service\'s breaker-wrapped client, or wrap it in a breaker with a timeout and fallback.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: { unprotected: '{{method}} call from {{service}} to {{target}} bypasses the circuit breaker' },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      // A service with no breaker at all is reported once by `circuit-breakers`.
      if (breakersOf(service, ctx.model).length === 0) return;
      for (const call of callsBetweenServices(service, ctx.model)) {
        if (callGuarded(call, service)) continue;
        ctx.report({ messageId: 'unprotected', data: { method: call.method ?? call.kind.toUpperCase(), service: service.name, target: call.target! }, service: service.name, location: call.location });
      }
    },
  }),
  // Present (fail) when no call path is protected at all: the same evidence as the circuit-breakers item.
  assess: (model) => breakerVerdict(model),
});
