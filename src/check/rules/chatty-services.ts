/** Anti-pattern: chatty services — many synchronous calls between one pair, or calls inside loops. */
import { defineRule } from '../define-rule.js';
import { serviceCalls } from './utils/calls.js';

export default defineRule({
  id: 'chatty-services',
  meta: {
    item: 'chatty-services',
    description: 'No pair of services exchanges many synchronous calls, and no call to another service runs in a loop',
    rationale: 'Each call adds latency and a failure point; N calls in a loop turn one request into N round trips (the N+1 problem across the network).',
    fix: 'Batch (one call with many ids), cache, or move the data the caller needs into its own store through events; merge services that cannot work apart.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: {
    tooMany: '{{from}} calls {{to}} from {{calls}} places (limit {{limit}})',
    inLoop: '{{service}} calls {{target}} inside a loop',
  },
  defaultOptions: { maxCallSites: 5 },
  schema: { type: 'object', additionalProperties: false, properties: { maxCallSites: { type: 'integer', minimum: 1 } } },
  create: (ctx) => ({
    service(service) {
      for (const call of serviceCalls(service, ctx.model)) {
        if (call.inLoop) ctx.report({ messageId: 'inLoop', data: { service: service.name, target: call.target! }, service: service.name, location: call.location });
      }
    },
    edge(edge) {
      if (edge.kind === 'sync' && edge.calls > ctx.options.maxCallSites) {
        ctx.report({ messageId: 'tooMany', data: { from: edge.from, to: edge.to, calls: edge.calls, limit: ctx.options.maxCallSites }, service: edge.from, location: edge.location });
      }
    },
  }),
  assess: (model) =>
    model.services.some((s) => s.source)
      ? { status: 'pass', evidence: 'no chatty pair and no call in a loop found' }
      : { status: 'unknown', evidence: 'no source to find synchronous calls in' },
});
