/** Anti-pattern: distributed monolith — cycles of synchronous calls, or services that all depend on each other. */
import type { Edge, RepoModel } from '../../model/types.js';
import { defineRule } from '../define-rule.js';
import { stronglyConnected } from './utils/graph.js';
import { codeKnown } from './utils/evidence.js';

export default defineRule({
  id: 'no-sync-cycles',
  meta: {
    item: 'distributed-monolith',
    description: 'No cycles of synchronous calls between services',
    rationale: 'Services that call each other in a cycle must be deployed, scaled and debugged together: a monolith with network hops.',
    fix: 'Break the cycle: let one direction become an event, or move the shared responsibility into one service.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: {
    cycle: 'synchronous call cycle: {{path}}',
    allToAll: '{{count}} services all call each other synchronously ({{services}})',
  },
  defaultOptions: {},
  create: (ctx) => ({
    'repo:exit'() {
      const sync = syncDependencies(ctx.model);
      for (const component of stronglyConnected(sync)) {
        if (component.length < 2) continue;
        const members = [...component].sort();
        const n = members.length;
        const inside = sync.filter((e) => component.includes(e.from) && component.includes(e.to));
        const first = inside.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1))[0]!;
        if (n >= 3 && inside.length === n * (n - 1)) {
          ctx.report({ messageId: 'allToAll', data: { count: n, services: members.join(', ') }, service: first.from, location: first.location });
        } else {
          ctx.report({ messageId: 'cycle', data: { path: cyclePath(members, inside) }, service: first.from, location: first.location });
        }
      }
    },
  }),
  // Present while a cycle is reported; absent when the calls of most services could be read.
  assess: (model, _options, findings) => {
    const sync = syncDependencies(model);
    if (findings.length > 0) return { status: 'fail', evidence: findings.map((f) => f.message).join('; ') };
    const read = model.services.filter((s) => s.facts.sourceRead);
    if (read.length * 2 >= model.services.length && read.length > 0) return { status: 'pass', evidence: `${sync.length} synchronous ${sync.length === 1 ? 'dependency' : 'dependencies'} between ${model.services.length} services, no cycle` };
    const unread = model.services.filter((s) => !s.facts.sourceRead && !codeKnown(s));
    return { status: 'unknown', evidence: `the calls of ${(unread.length ? unread : model.services.filter((s) => !s.facts.sourceRead)).map((s) => s.name).join(', ')} could not be read` };
  },
});

/**
 * Synchronous dependencies: calls, and the routes of a first-party gateway (a BFF routing to a front end that calls
 * the BFF back is a cycle too). Configured proxies (nginx, an Ingress) are not services and close no cycle.
 */
function syncDependencies(model: RepoModel): Edge[] {
  const out = model.edges.filter((e) => e.kind === 'sync');
  const seen = new Set(out.map((e) => `${e.from}\0${e.to}`));
  for (const gateway of model.gateways) {
    if (gateway.service === null) continue;
    for (const route of gateway.routes) {
      if (route.target === null || route.target === gateway.service || seen.has(`${gateway.service}\0${route.target}`)) continue;
      seen.add(`${gateway.service}\0${route.target}`);
      out.push({ from: gateway.service, to: route.target, kind: 'sync', calls: 0, channels: [], location: route.location });
    }
  }
  return out;
}

/** A readable cycle through the component, starting at its first member: a → b → c → a. */
function cyclePath(members: string[], edges: Array<{ from: string; to: string }>): string {
  const start = members[0]!;
  const pathOut = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const next = edges.filter((e) => e.from === current).map((e) => e.to).sort();
    const back = next.includes(start) && pathOut.length > 1;
    if (back) break;
    const step = next.find((n) => !seen.has(n));
    if (!step) break;
    pathOut.push(step);
    seen.add(step);
    current = step;
  }
  return [...pathOut, start].join(' → ');
}
