/**
 * Producers and consumers in Python: pika, aio-pika, kafka-python, aiokafka, confluent-kafka, nats-py and Celery.
 * Methods are recognised on objects the file built with the library (`KafkaProducer(…)`, `declare_exchange(…)`), or
 * by names only that library uses (`basic_publish`), and only in files that import it.
 */
import type { BrokerKind, MessagingEndpoint } from '../../types.js';
import { channelOf } from '../shared/address.js';
import { endpoint } from '../shared/messaging.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { lineOf } from '../tree-sitter.js';
import { argsOf, argument, evaluate, stringText, type PyScope } from './values.js';

/** What a name holds, for messaging: a producer or consumer client, an exchange or queue with its name. */
export type Endpoint =
  | { kind: 'kafka-producer' }
  | { kind: 'kafka-consumer' }
  | { kind: 'exchange'; name: string | null }
  | { kind: 'queue'; name: string | null }
  | { kind: 'celery'; broker: BrokerKind };

export interface MessagingScope extends PyScope {
  file: string;
  /** Top-level modules the file imports (`pika`, `aio_pika`, `kafka`, …). */
  modules: ReadonlySet<string>;
  endpoints: ReadonlyMap<string, Endpoint>;
  out: MessagingEndpoint[];
}

function add(scope: MessagingScope, broker: BrokerKind, role: 'producer' | 'consumer', channel: string | null, node: SyntaxNode): void {
  scope.out.push(endpoint(broker, role, channel, { file: scope.file, line: lineOf(node) }));
}

const channel = (node: SyntaxNode | undefined, scope: PyScope): string | null => channelOf(evaluate(node, scope));

/** `["a", "b"]` / `("a",)` → each; one expression → itself. */
function channels(node: SyntaxNode | undefined, scope: PyScope): Array<string | null> {
  if (node && (node.type === 'list' || node.type === 'tuple' || node.type === 'set')) {
    const items = node.namedChildren.filter((n) => n.type !== 'comment');
    return items.length > 0 ? items.map((n) => channel(n, scope)) : [null];
  }
  return [channel(node, scope)];
}

const KAFKA_PRODUCERS: ReadonlySet<string> = new Set(['kafka.KafkaProducer', 'aiokafka.AIOKafkaProducer', 'confluent_kafka.Producer', 'confluent_kafka.SerializingProducer']);
const KAFKA_CONSUMERS: ReadonlySet<string> = new Set(['kafka.KafkaConsumer', 'aiokafka.AIOKafkaConsumer', 'confluent_kafka.Consumer', 'confluent_kafka.DeserializingConsumer']);

/** What a constructor call builds (for `x = …` bindings), recording the endpoints it names itself. */
export function endpointOf(qualified: string | null, method: string | null, call: SyntaxNode, scope: MessagingScope): Endpoint | null {
  if (qualified && KAFKA_PRODUCERS.has(qualified)) {
    add(scope, 'kafka', 'producer', null, call);
    return { kind: 'kafka-producer' };
  }
  if (qualified && KAFKA_CONSUMERS.has(qualified)) {
    const topics = argsOf(call).positional.filter((a) => a.type === 'string');
    if (topics.length === 0) add(scope, 'kafka', 'consumer', null, call);
    for (const topic of topics) add(scope, 'kafka', 'consumer', channel(topic, scope), call);
    return { kind: 'kafka-consumer' };
  }
  if (qualified === 'celery.Celery') {
    const broker = stringText(argument(call, 99, 'broker'));
    return { kind: 'celery', broker: broker?.startsWith('redis') ? 'redis' : 'rabbitmq' };
  }
  if (scope.modules.has('aio_pika') || scope.modules.has('aiormq')) {
    if (method === 'declare_exchange') return { kind: 'exchange', name: channel(argument(call, 0, 'name'), scope) };
    if (method === 'declare_queue') return { kind: 'queue', name: channel(argument(call, 0, 'name'), scope) };
  }
  return null;
}

/** A method call `receiver.method(…)` where `bound` is what the receiver holds (if anything). */
export function methodCall(method: string, receiver: SyntaxNode, bound: Endpoint | undefined, call: SyntaxNode, scope: MessagingScope): void {
  const modules = scope.modules;
  if (modules.has('pika')) {
    if (method === 'basic_publish') {
      const exchange = channel(argument(call, 0, 'exchange'), scope);
      add(scope, 'rabbitmq', 'producer', exchange === '' ? channel(argument(call, 1, 'routing_key'), scope) : exchange, call);
      return;
    }
    if (method === 'basic_consume') return add(scope, 'rabbitmq', 'consumer', channel(argument(call, 0, 'queue'), scope), call);
    if (method === 'queue_bind') return add(scope, 'rabbitmq', 'consumer', channel(argument(call, 1, 'exchange'), scope), call);
  }
  if (bound?.kind === 'exchange' && method === 'publish') {
    return add(scope, 'rabbitmq', 'producer', bound.name === '' || bound.name === null ? channel(argument(call, 1, 'routing_key'), scope) : bound.name, call);
  }
  if (method === 'publish' && receiver.type === 'attribute' && receiver.childForFieldName('attribute')?.text === 'default_exchange' && modules.has('aio_pika')) {
    return add(scope, 'rabbitmq', 'producer', channel(argument(call, 1, 'routing_key'), scope), call);
  }
  if (bound?.kind === 'queue') {
    if (method === 'consume' || method === 'iterator') return add(scope, 'rabbitmq', 'consumer', bound.name, call);
    if (method === 'bind') {
      const exchange = argument(call, 0, 'exchange');
      const name = exchange?.type === 'identifier' ? scope.endpoints.get(exchange.text) : undefined;
      return add(scope, 'rabbitmq', 'consumer', name?.kind === 'exchange' ? name.name : channel(exchange, scope), call);
    }
  }
  if (bound?.kind === 'kafka-producer' && (method === 'send' || method === 'send_and_wait' || method === 'produce')) {
    return add(scope, 'kafka', 'producer', channel(argument(call, 0, 'topic'), scope), call);
  }
  if (bound?.kind === 'kafka-consumer' && method === 'subscribe') {
    for (const name of channels(argument(call, 0, 'topics'), scope)) add(scope, 'kafka', 'consumer', name, call);
    return;
  }
  if (bound?.kind === 'celery' && method === 'send_task') return add(scope, bound.broker, 'producer', channel(argument(call, 0, 'name'), scope), call);
  if ((modules.has('nats') || modules.has('nats.aio')) && bound === undefined) {
    if (method === 'publish') add(scope, 'nats', 'producer', channel(argument(call, 0, 'subject'), scope), call);
    else if (method === 'subscribe' || method === 'pull_subscribe') add(scope, 'nats', 'consumer', channel(argument(call, 0, 'subject'), scope), call);
  }
}

/** Celery names a task `<module>.<function>`: the module as the worker imports it, most often the file's own name. */
function defaultTaskName(decorator: SyntaxNode, file: string): string | null {
  let definition: SyntaxNode | null = decorator;
  while (definition && definition.type !== 'decorated_definition') definition = definition.parent;
  const name = definition?.childForFieldName('definition')?.childForFieldName('name')?.text;
  const base = file.slice(file.lastIndexOf('/') + 1, -'.py'.length);
  return name ? `${base}.${name}` : null;
}

/** `@app.task` / `@app.task(name=…)` / `@shared_task`: a Celery worker consumes the task's messages. */
export function celeryTask(decorator: SyntaxNode, qualified: string | null, bound: Endpoint | undefined, scope: MessagingScope): void {
  const isCall = decorator.type === 'call';
  const target = isCall ? decorator.childForFieldName('function') : decorator;
  const name = target?.type === 'attribute' ? target.childForFieldName('attribute')?.text : target?.text;
  const shared = qualified === 'celery.shared_task';
  if (!shared && !(bound?.kind === 'celery' && name === 'task')) return;
  const named = isCall ? channel(argument(decorator, 99, 'name'), scope) : null;
  add(scope, bound?.kind === 'celery' ? bound.broker : 'rabbitmq', 'consumer', named ?? defaultTaskName(decorator, scope.file), decorator);
}
