/**
 * Producers and consumers, joined: one endpoint per channel (lists and
 * conditions expanded, constants resolved), channels that are parameters
 * taken from the callers, brokers of NestJS patterns and string subjects
 * decided per service.
 */
import type { BrokerKind, Location, MessagingEndpoint } from '../types.js';
import type { ModuleIndex } from './source-modules-index.js';
import type { FileResult, RawMessage, Val } from './source-types.js';

const BROKER_ORDER: readonly BrokerKind[] = ['kafka', 'rabbitmq', 'nats', 'mqtt', 'redis'];
const PUBSUB: readonly BrokerKind[] = ['nats', 'mqtt', 'redis'];

/** The channels a value names: one, or each of a list (arrays, spreads, branches of a condition). */
function channelsOf(index: ModuleIndex, file: FileResult, val: Val | null, depth = 0): Array<string | null> {
  const resolved = index.resolve(file, val);
  if (resolved?.t === 'list' && depth < 4) {
    const all = resolved.items.flatMap((item) => channelsOf(index, file, item, depth + 1));
    return all.length > 0 ? all : [null];
  }
  if (resolved?.t === 'env') return [`env:${resolved.n}`];
  // A template with parts not known here (`${queue}.dlq`) names no channel we can match.
  return [resolved?.t === 'str' && !resolved.s.includes('${') ? resolved.s : null];
}

/** A producer or consumer, one per channel; a channel that is a parameter comes from the function's callers. */
function joinMessage(index: ModuleIndex, file: FileResult, message: RawMessage, broker: BrokerKind): MessagingEndpoint[] {
  const endpoint = (channel: string | null, location: Location): MessagingEndpoint => ({ broker, role: message.role, channel, location });
  if (message.param) {
    const { fn, index: at } = message.param;
    const callers = index.callers(file, fn).filter(({ flow }) => flow.index === at && flow.value.t !== 'hint' && flow.value.t !== 'obj');
    if (callers.length > 0) return callers.flatMap(({ file: from, flow }) => channelsOf(index, from, flow.value).map((channel) => endpoint(channel, flow.location)));
  }
  return channelsOf(index, file, message.channel).map((channel) => endpoint(channel, message.location));
}

/** What a service's NestJS servers (`createMicroservice`, `connectMicroservice`) consume from: brokers, and whether some server's transport is not known. */
export interface Served {
  brokers: BrokerKind[];
  unknown: boolean;
}

/**
 * The broker of a message: its own; else, for a NestJS pattern, the broker its servers consume from (a
 * server whose options are not literal may be one: then the broker the service shows), else the service's
 * transport; else its pub/sub library.
 */
export function brokerFor(message: Pick<RawMessage, 'broker' | 'pending'>, seen: ReadonlySet<string>, deps: readonly BrokerKind[], served?: Served): BrokerKind | null {
  if (message.broker) return message.broker;
  if (message.pending === 'nest') {
    if (served && (served.brokers.length > 0 || !served.unknown)) return served.brokers[0] ?? null;
    const transport = BROKER_ORDER.find((b) => seen.has(b));
    if (transport || (seen.has('tcp') && !served)) return transport ?? null;
    return BROKER_ORDER.find((b) => b !== 'redis' && deps.includes(b)) ?? null;
  }
  return PUBSUB.find((b) => seen.has(b) || deps.includes(b)) ?? null;
}

/** The messaging facts of one service. */
export class ServiceMessages {
  private readonly seen: ReadonlySet<string>;

  constructor(
    private readonly index: ModuleIndex,
    private readonly files: readonly FileResult[],
    private readonly deps: readonly BrokerKind[],
    private readonly served?: Served,
  ) {
    this.seen = new Set(files.flatMap((f) => f.brokersSeen));
  }

  private bound: ReadonlySet<string> | undefined;

  join(file: FileResult, message: RawMessage): MessagingEndpoint[] {
    const broker = brokerFor(message, this.seen, this.deps, this.served);
    if (!broker) return [];
    const endpoints = joinMessage(this.index, file, message, broker);
    if (broker !== 'rabbitmq' || message.role !== 'consumer' || message.binds) return endpoints;
    // consume(queue) of a queue bound to an exchange: the exchange is the channel.
    const bound = (this.bound ??= this.boundQueues());
    return endpoints.filter((e) => e.channel === null || !bound.has(e.channel));
  }

  /** Queues the service binds to exchanges (`bindQueue(queue, exchange)`). */
  private boundQueues(): ReadonlySet<string> {
    const out = new Set<string>();
    for (const file of this.files) {
      for (const message of file.messaging) {
        if (!message.binds) continue;
        const queue: RawMessage = { ...message, channel: message.binds.channel, ...(message.binds.param ? { param: message.binds.param } : {}) };
        if (!message.binds.param) delete queue.param;
        for (const e of joinMessage(this.index, file, queue, 'rabbitmq')) if (e.channel !== null) out.add(e.channel);
      }
    }
    return out;
  }
}
