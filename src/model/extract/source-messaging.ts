/**
 * Producers and consumers: kafkajs (`send({ topic })`, `subscribe({ topics })`),
 * amqplib (`publish`, `sendToQueue`, `consume`), NestJS microservices
 * (`@EventPattern`, `client.emit`), and `publish`/`subscribe` with a string
 * subject (nats, mqtt, redis).
 */
import type ts from 'typescript';
import type { BrokerKind } from '../types.js';
import type { FileWalk } from './source-context.js';
import type { FileResult, RawMessage } from './source-types.js';
import { BROKER_CLIENTS } from './package-json.js';
import { visitNestClientCall } from './source-nest.js';
import { alternatives, evaluate, literalText, property, unwrap } from './source-values.js';

type Seen = FileResult['brokersSeen'][number];

/** Libraries whose import says which broker a service talks to. */
export const BROKER_LIBRARIES = new Map<string, BrokerKind>(Object.entries(BROKER_CLIENTS));
const PUBSUB_LIBRARIES: ReadonlyArray<[string, BrokerKind]> = [
  ['nats', 'nats'],
  ['@nats-io/transport-node', 'nats'],
  ['mqtt', 'mqtt'],
  ['ioredis', 'redis'],
  ['redis', 'redis'],
];
/** `Transport.KAFKA` → kafka; TCP and gRPC are not brokers. */
export const NEST_TRANSPORTS = new Map<string, Seen>(Object.entries({ KAFKA: 'kafka', RMQ: 'rabbitmq', NATS: 'nats', MQTT: 'mqtt', REDIS: 'redis', TCP: 'tcp', GRPC: 'tcp' }) as Array<[string, Seen]>);

/** `topic` a parameter of the enclosing named function: its callers name the channel. */
function parameter(w: FileWalk, channel: ts.Expression | undefined): RawMessage['param'] | undefined {
  const inner = channel && unwrap(w.ts, channel);
  if (!inner || !w.ts.isIdentifier(inner) || w.values.has(inner.text) || w.imports.has(inner.text)) return undefined;
  const param = w.paramOf(inner.text);
  return param && param.path.length === 0 ? { fn: param.fn, index: param.index } : undefined;
}

function add(w: FileWalk, node: ts.Node, broker: BrokerKind | null, role: RawMessage['role'], channel: ts.Expression | undefined, pending?: RawMessage['pending'], binds?: ts.Expression): void {
  const param = parameter(w, channel);
  const message: RawMessage = { broker, role, channel: param ? null : alternatives(w, channel), location: w.location(node), ...(pending ? { pending } : {}), ...(param ? { param } : {}) };
  if (binds) {
    const queueParam = parameter(w, binds);
    message.binds = { channel: queueParam ? null : alternatives(w, binds), ...(queueParam ? { param: queueParam } : {}) };
  }
  w.result.messaging.push(message);
}

function isObject(w: FileWalk, node: ts.Expression | undefined): boolean {
  return node !== undefined && w.ts.isObjectLiteralExpression(unwrap(w.ts, node));
}

function isStringLike(w: FileWalk, node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const t = w.ts;
  const inner = unwrap(t, node);
  return literalText(t, inner) !== null || t.isTemplateExpression(inner) || evaluate(w, inner) !== null;
}

function pubsubBroker(w: FileWalk): BrokerKind | null {
  for (const [lib, broker] of PUBSUB_LIBRARIES) if (w.libraries.has(lib)) return broker;
  return null;
}

/** Recognises a producer or consumer call; returns whether it did. */
export function visitMessagingCall(w: FileWalk, node: ts.CallExpression): boolean {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  if (!t.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const args = node.arguments;
  const first = args[0];
  switch (method) {
    case 'send':
    case 'emit': {
      const topic = property(t, first, 'topic');
      if (method === 'send' && topic) {
        add(w, node, 'kafka', 'producer', topic);
        return true;
      }
      return visitNestClientCall(w, node, method);
    }
    case 'getService':
      return visitNestClientCall(w, node, method);
    case 'sendBatch': {
      const batch = property(t, first, 'topicMessages');
      const list = batch && unwrap(t, batch);
      if (!list || !t.isArrayLiteralExpression(list)) return false;
      for (const element of list.elements) add(w, node, 'kafka', 'producer', property(t, element, 'topic'));
      return true;
    }
    case 'subscribe': {
      if (isObject(w, first)) {
        // { topic } or { topics: [...] } (a list, expanded by the join step)
        const topic = property(t, first, 'topic') ?? property(t, first, 'topics');
        if (topic) add(w, node, 'kafka', 'consumer', topic);
        return topic !== undefined;
      }
      return visitPubSub(w, node, 'consumer');
    }
    case 'sendToQueue':
      add(w, node, 'rabbitmq', 'producer', first);
      return true;
    case 'bindQueue':
      // bindQueue(queue, exchange, pattern): a consumer of the exchange, through the queue.
      if (args.length < 2) return false;
      add(w, node, 'rabbitmq', 'consumer', args[1], undefined, first);
      return true;
    case 'consume':
      if (args.length < 2 || !isStringLike(w, first)) return false;
      add(w, node, 'rabbitmq', 'consumer', first);
      return true;
    case 'publish': {
      const amqp = w.importsAny('amqplib', 'amqp-connection-manager');
      if (args.length >= 3 && (amqp || pubsubBroker(w) === null)) {
        const exchange = literalText(t, first) === '' ? args[1] : first;
        add(w, node, 'rabbitmq', 'producer', exchange);
        return true;
      }
      return visitPubSub(w, node, 'producer');
    }
    default:
      return false;
  }
}

function visitPubSub(w: FileWalk, node: ts.CallExpression, role: RawMessage['role']): boolean {
  const first = node.arguments[0];
  const broker = pubsubBroker(w);
  if (!first || (!isStringLike(w, first) && broker === null)) return false;
  const t = w.ts;
  const inner = unwrap(t, first);
  if (t.isFunctionLike(inner) || t.isObjectLiteralExpression(inner)) return false;
  add(w, node, broker, role, first, broker ? undefined : 'pubsub');
  return true;
}

/**
 * `@EventPattern('order-created')`, `@MessagePattern('x')`, `@GrpcMethod('Heroes')`: NestJS handlers. The join
 * decides which consume from a broker (source-join-nest.ts).
 */
export function visitNestPattern(w: FileWalk, decorator: ts.Decorator, name: string, args: readonly ts.Expression[]): void {
  if (name !== 'EventPattern' && name !== 'MessagePattern' && name !== 'GrpcMethod' && name !== 'GrpcStreamMethod') return;
  const first = args[0];
  w.result.nest.handlers.push({ pattern: first ? evaluate(w, first) : null, event: name === 'EventPattern', location: w.location(decorator) });
}
