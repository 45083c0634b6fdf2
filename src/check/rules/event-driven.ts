/** Event-driven communication: producers have consumers and the reverse; not everything is synchronous. */
import { defineRule } from '../define-rule.js';
import { brokersOf, codeKnown } from './utils/evidence.js';
import { applicationServices } from './utils/locations.js';

export default defineRule({
  id: 'event-driven',
  meta: {
    item: 'event-driven',
    description: 'Topics and queues have both producers and consumers; services do not talk only synchronously',
    rationale: 'Events decouple services in time: a consumer that is down catches up later, while a synchronous call fails. A topic without consumers (or the reverse) is a broken contract.',
    fix: 'Add the missing producer or consumer (`npx arch add-producer` / `add-consumer`), or remove the dead one; publish events for work that needs no immediate answer.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: {
    noConsumer: '{{broker}} {{channel}} is produced by {{producers}} but consumed by no service',
    noProducer: '{{broker}} {{channel}} is consumed by {{consumers}} but produced by no service',
    allSync: 'the {{count}} services talk only through {{edges}} synchronous calls; no broker is used',
  },
  defaultOptions: { minServices: 3 },
  schema: { type: 'object', additionalProperties: false, properties: { minServices: { type: 'integer', minimum: 2 } } },
  create: (ctx) => ({
    channel(channel) {
      const data = { broker: channel.broker, channel: channel.name, producers: channel.producers.join(', '), consumers: channel.consumers.join(', ') };
      if (channel.consumers.length === 0) ctx.report({ messageId: 'noConsumer', data, service: channel.producers[0] ?? null, location: channel.locations[0] ?? null });
      if (channel.producers.length === 0) ctx.report({ messageId: 'noProducer', data, service: channel.consumers[0] ?? null, location: channel.locations[0] ?? null });
    },
    'repo:exit'() {
      const apps = applicationServices(ctx.model.services);
      const sync = ctx.model.edges.filter((e) => e.kind === 'sync');
      const async = ctx.model.channels.length > 0 || ctx.model.brokers.length > 0 || apps.some((s) => s.brokers.length > 0);
      if (apps.length >= ctx.options.minServices && sync.length > 0 && !async) {
        ctx.report({ messageId: 'allSync', data: { count: apps.length, edges: sync.reduce((n, e) => n + e.calls, 0) } });
      }
    },
  }),
  // Pass: a service produces or consumes business messages through a broker. Fail: no service does, and every
  // service's code or dependencies were read (a broker container that only carries metrics is not event-driven).
  assess: (model) => {
    const users = model.services.map((s) => ({ s, b: brokersOf(s) })).filter((x) => x.b.brokers.length > 0);
    if (users.length > 0 || model.channels.length > 0) {
      const first = users[0];
      return { status: 'pass', evidence: `${users.map((x) => `${x.s.name} (${x.b.brokers.join(', ')})`).join(', ') || `${model.channels.length} topic(s)/queue(s)`}${first ? `: ${first.b.evidence[0]}` : ''}` };
    }
    const unread = model.services.filter((s) => !codeKnown(s));
    if (unread.length === 0) return { status: 'fail', evidence: `no service produces or consumes through a broker (${model.services.length} services read)` };
    return { status: 'unknown', evidence: `no broker use found; the code of ${unread.map((s) => s.name).join(', ')} could not be read` };
  },
});
