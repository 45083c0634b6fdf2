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
import { accessPath, alternatives, bindingKey, evaluate, literalText, unwrap } from './source-values.js';

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
/** NestJS client types → broker (null: decided by the transport). */
export const NEST_CLIENT_TYPES = new Map<string, Seen | null>(Object.entries({ ClientProxy: null, ClientKafka: 'kafka', ClientRMQ: 'rabbitmq', ClientNats: 'nats', ClientMqtt: 'mqtt', ClientRedis: 'redis' }) as Array<[string, Seen | null]>);

/** `topic` a parameter of the enclosing named function: its callers name the channel. */
function parameter(w: FileWalk, channel: ts.Expression | undefined): RawMessage['param'] | undefined {
  const inner = channel && unwrap(w.ts, channel);
  if (!inner || !w.ts.isIdentifier(inner) || w.values.has(inner.text) || w.imports.has(inner.text)) return undefined;
  for (let fn = w.currentFn; fn >= 0; fn = w.fnParent[fn] ?? -1) {
    const index = w.fnParams[fn]?.findIndex((p) => w.ts.isIdentifier(p.name) && p.name.text === inner.text) ?? -1;
    if (index === -1) continue;
    const name = w.fnNames[fn];
    return name ? { fn: name, index } : undefined;
  }
  return undefined;
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

function prop(w: FileWalk, obj: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const t = w.ts;
  const node = obj && unwrap(t, obj);
  if (!node || !t.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties) {
    if (t.isPropertyAssignment(p) && t.isIdentifier(p.name) && p.name.text === key) return p.initializer;
    if (t.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
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
      const topic = prop(w, first, 'topic');
      if (method === 'send' && topic) {
        add(w, node, 'kafka', 'producer', topic);
        return true;
      }
      const path = accessPath(t, callee.expression);
      const key = path ? bindingKey(path) : null;
      const nest = key === null ? undefined : w.nestClients.get(key);
      if (nest === undefined && !(key !== null && /client/i.test(key) && w.importsAny('@nestjs/microservices'))) return false;
      if (nest === 'tcp' || !isStringLike(w, first)) return false;
      const broker = nest ?? null;
      add(w, node, broker, 'producer', first, broker ? undefined : 'nest');
      return true;
    }
    case 'sendBatch': {
      const batch = prop(w, first, 'topicMessages');
      const list = batch && unwrap(t, batch);
      if (!list || !t.isArrayLiteralExpression(list)) return false;
      for (const element of list.elements) add(w, node, 'kafka', 'producer', prop(w, element, 'topic'));
      return true;
    }
    case 'subscribe': {
      if (isObject(w, first)) {
        // { topic } or { topics: [...] } (a list, expanded by the join step)
        const topic = prop(w, first, 'topic') ?? prop(w, first, 'topics');
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

/** `@EventPattern('order-created')`, `@MessagePattern('x')`: a NestJS consumer. */
export function visitNestPattern(w: FileWalk, decorator: ts.Decorator, name: string, args: readonly ts.Expression[]): void {
  if (name !== 'EventPattern' && name !== 'MessagePattern') return;
  const first = args[0];
  const channel = first && literalText(w.ts, unwrap(w.ts, first)) === null && w.ts.isObjectLiteralExpression(unwrap(w.ts, first)) ? undefined : first;
  add(w, decorator, null, 'consumer', channel, 'nest');
}
