/**
 * Producers and consumers in C#. Broker clients name their broker: RabbitMQ.Client (`BasicPublish` to an
 * exchange — or to the queue named by the routing key on the default exchange —, `BasicConsume` from a queue),
 * Confluent.Kafka (`Produce`/`ProduceAsync` on a producer, `Subscribe` on a consumer), Azure Service Bus
 * (`CreateSender`, `CreateProcessor`, `CreateReceiver`). Buses route by message type and leave the broker to
 * their configuration (MassTransit `IConsumer<T>`, NServiceBus `IHandleMessages<T>`, an application's
 * `IIntegrationEventHandler<T>` / `eventBus.Subscribe<T, TH>()` / `eventBus.Publish(evt)`): channel = the
 * message type's name, broker = the one the file configures (`UsingRabbitMq`, `UsingAzureServiceBus`, a Kafka
 * rider) or, when it does not say, left to the join (`busMessaging`).
 */
import type { BusEndpoint } from '../../facts.js';
import type { BrokerKind, MessagingEndpoint } from '../../types.js';
import type { SyntaxNode } from '../tree-sitter.js';
import type { CsFile } from './file.js';
import { arg, callee, lastName, named, stringValue, typeArgsOf } from './syntax.js';

const TRANSPORTS: Readonly<Record<string, BrokerKind>> = {
  UsingRabbitMq: 'rabbitmq',
  UsingAzureServiceBus: 'azure-service-bus',
  UsingKafka: 'kafka',
  UseRabbitMQ: 'rabbitmq',
};
/** Message-handler interfaces of buses: implementing one consumes its type argument. */
const HANDLERS = new Map<string, string>([
  ['IConsumer', 'MassTransit'],
  ['IHandleMessages', 'NServiceBus'],
  ['IIntegrationEventHandler', 'event bus'],
  ['IDynamicIntegrationEventHandler', 'event bus'],
  ['IMessageHandler', 'message bus'],
  ['IMessageHandlerCallback', 'message bus'],
]);
const MESSAGING_METHODS = new Set(['BasicPublish', 'BasicPublishAsync', 'BasicConsume', 'BasicConsumeAsync', 'Produce', 'ProduceAsync', 'Subscribe', 'CreateSender', 'CreateProcessor', 'CreateReceiver', 'CreateSessionProcessor', 'Send', 'SendAsync']);
/** Receivers of bus publishes: `_eventBus`, `bus`, `_publishEndpoint`, `_messagePublisher` (not `_mediator`: in-process). */
const BUS_RECEIVER = /bus|publisher|publishendpoint|sendendpoint/i;

export function messaging(file: CsFile): { messaging: MessagingEndpoint[]; bus: BusEndpoint[] } {
  const direct: MessagingEndpoint[] = [];
  const bus: BusEndpoint[] = [];
  let transport: BrokerKind | null = null;
  const channel = (node: SyntaxNode | null): string | null => (node ? file.scope.address(node).url : null);
  const endpoint = (broker: BrokerKind, role: MessagingEndpoint['role'], name: string | null, node: SyntaxNode): void => {
    direct.push({ broker, role, channel: name, location: file.location(node) });
  };
  const handlesMessages = file.types.some((t) => handledTypes(t).length > 0);
  for (const { node, call } of file.invocations) {
    transport ??= TRANSPORTS[call.name] ?? null;
    if (!MESSAGING_METHODS.has(call.name) && !call.name.startsWith('Publish')) continue;
    const receiverName = lastName(call.receiver) ?? '';
    switch (call.name) {
      case 'BasicPublish':
      case 'BasicPublishAsync': {
        const exchange = channel(arg(node, 0, 'exchange'));
        endpoint('rabbitmq', 'producer', exchange === '' ? channel(arg(node, 1, 'routingKey')) : exchange, node);
        continue;
      }
      case 'BasicConsume':
      case 'BasicConsumeAsync':
        endpoint('rabbitmq', 'consumer', channel(arg(node, 0, 'queue')), node);
        continue;
      case 'Produce':
      case 'ProduceAsync':
        if (/producer/i.test(receiverName) || /Producer/.test(lastName(file.scope.typeOf(call.receiver!)) ?? '')) endpoint('kafka', 'producer', channel(arg(node, 0, 'topic')), node);
        continue;
      case 'Subscribe':
        if (call.typeArgs.length > 0 && BUS_RECEIVER.test(receiverName)) {
          bus.push({ role: 'consumer', channel: lastName(call.typeArgs[0]!), via: 'event bus', location: file.location(node) });
        } else if (call.receiver && (/consumer/i.test(receiverName) || /Consumer/.test(lastName(file.scope.typeOf(call.receiver)) ?? ''))) {
          for (const topic of topics(file, arg(node, 0))) endpoint('kafka', 'consumer', topic, node);
        }
        continue;
      case 'CreateSender':
        endpoint('azure-service-bus', 'producer', channel(arg(node, 0)), node);
        continue;
      case 'CreateProcessor':
      case 'CreateReceiver':
      case 'CreateSessionProcessor':
        endpoint('azure-service-bus', 'consumer', channel(arg(node, 0)), node);
        continue;
    }
    if ((call.name.startsWith('Publish') || call.name === 'Send' || call.name === 'SendAsync') && (BUS_RECEIVER.test(receiverName) || (handlesMessages && receiverName === 'context'))) {
      bus.push({ role: 'producer', channel: messageType(file, call.typeArgs[0] ?? null, arg(node, 0)), via: 'bus', location: file.location(node) });
    }
  }
  // A file that talks to the broker itself (a bus implementation) says so directly.
  if (direct.length > 0) return { messaging: direct, bus: [] };
  for (const type of file.types) {
    for (const [via, message] of handledTypes(type)) bus.push({ role: 'consumer', channel: message, via, location: file.location(type) });
  }
  if (transport) {
    const broker = transport;
    return { messaging: [...direct, ...bus.map(({ role, channel: name, location }) => ({ broker, role, channel: name, location }))], bus: [] };
  }
  return { messaging: direct, bus };
}

/** `IConsumer<OrderSubmitted>` in a class's base list → [['MassTransit', 'OrderSubmitted']]. */
function handledTypes(type: SyntaxNode): Array<[string, string | null]> {
  const bases = named(named(type).find((c) => c.type === 'base_list'));
  const out: Array<[string, string | null]> = [];
  for (const base of bases) {
    const via = HANDLERS.get(lastName(base) ?? '');
    // A non-generic handler interface (`IMessageHandler`) consumes every message type: no one channel.
    if (via) out.push([via, lastName(typeArgsOf(base)[0] ?? null)]);
  }
  return out;
}

/** The message type a publish sends: its type argument, or the type of the object it is given. */
function messageType(file: CsFile, typeArg: SyntaxNode | null, value: SyntaxNode | null): string | null {
  if (typeArg) return lastName(typeArg);
  if (!value) return null;
  const resolved = file.scope.resolve(value) ?? value;
  if (resolved.type === 'object_creation_expression') return lastName(resolved.childForFieldName('type'));
  const declared = file.scope.typeOf(value);
  return declared && declared.type !== 'predefined_type' ? lastName(declared) : null;
}

/** Kafka `Subscribe("t")`, `Subscribe(new[] { "a", "b" })`, `Subscribe(topics)`. */
function topics(file: CsFile, node: SyntaxNode | null): Array<string | null> {
  if (!node) return [null];
  const value = file.scope.resolve(node) ?? node;
  const items = value.type.includes('array_creation') || value.type === 'collection_expression' ? named(named(value).find((c) => c.type === 'initializer_expression') ?? value) : [value];
  const names = items.map((item) => stringValue(item) ?? file.scope.address(item).url);
  return names.length > 0 ? names : [null];
}
