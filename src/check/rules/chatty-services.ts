/** Anti-pattern: chatty services — calls to another service in a loop, many calls between a pair, or a wide synchronous fan-out. */
import { defineRule } from '../define-rule.js';
import { callsBetweenServices } from './utils/evidence.js';

export default defineRule({
  id: 'chatty-services',
  meta: {
    item: 'chatty-services',
    description: 'No call to another service runs per item in a loop, no pair exchanges many calls, no service fans out to many others synchronously',
    rationale: 'Each call adds latency and a failure point; N calls in a loop turn one request into N round trips (the N+1 problem across the network), and a wide fan-out makes every request as slow and as fragile as its slowest callee.',
    fix: 'Batch (one call with many ids), cache, compose the data in the callee, or move the data the caller needs into its own store through events; merge services that cannot work apart.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: {
    tooMany: '{{from}} calls {{to}} from {{calls}} places (limit {{limit}})',
    inLoop: '{{service}} calls {{target}} inside a loop',
    fanOut: '{{service}} calls {{count}} services synchronously ({{targets}}; limit {{limit}})',
  },
  defaultOptions: { maxCallSites: 8, maxCallees: 5 },
  schema: { type: 'object', additionalProperties: false, properties: { maxCallSites: { type: 'integer', minimum: 1 }, maxCallees: { type: 'integer', minimum: 1 } } },
  create: (ctx) => ({
    service(service) {
      const calls = callsBetweenServices(service, ctx.model, { paths: true });
      const looped = new Set<string>();
      for (const call of calls) {
        if (!call.inLoop || looped.has(`${call.target}\0${call.location.file}:${call.location.line}`)) continue;
        looped.add(`${call.target}\0${call.location.file}:${call.location.line}`);
        ctx.report({ messageId: 'inLoop', data: { service: service.name, target: call.target! }, service: service.name, location: call.location });
      }
      // A gateway's routes are not a fan-out; its own calls (composition) are.
      const targets = [...new Set(calls.map((c) => c.target!))].sort();
      if (targets.length > ctx.options.maxCallees) {
        ctx.report({ messageId: 'fanOut', data: { service: service.name, count: targets.length, targets: targets.join(', '), limit: ctx.options.maxCallees }, service: service.name, location: calls[0]!.location });
      }
    },
    edge(edge) {
      if (edge.kind === 'sync' && edge.calls > ctx.options.maxCallSites) {
        ctx.report({ messageId: 'tooMany', data: { from: edge.from, to: edge.to, calls: edge.calls, limit: ctx.options.maxCallSites }, service: edge.from, location: edge.location });
      }
    },
  }),
  // Present while a finding is left; absent when the calls of most services could be read.
  assess: (model, _options, findings) => {
    if (findings.length > 0) return { status: 'fail', evidence: findings.slice(0, 3).map((f) => f.message).join('; ') };
    const read = model.services.filter((s) => s.facts.sourceRead);
    return read.length > 0 && read.length * 2 >= model.services.length
      ? { status: 'pass', evidence: `no call in a loop, no chatty pair and no wide fan-out among the calls of ${read.length} services` }
      : { status: 'unknown', evidence: 'too little source read to see the calls between services' };
  },
});
