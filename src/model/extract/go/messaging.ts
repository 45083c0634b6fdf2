/**
 * Producers and consumers in Go: RabbitMQ (amqp091-go, streadway/amqp, wagslane/go-rabbitmq), Kafka (sarama,
 * segmentio/kafka-go, confluent-kafka-go), NATS (nats.go), and local wrapper packages configured with option
 * functions (`publisher.ExchangeName("orders")` from a package whose path says publisher/consumer and the broker).
 * Method calls are recognised by name and arity only in files that import the client library.
 */
import type { BrokerKind, MessagingEndpoint } from '../../types.js';
import { endpoint } from '../shared/messaging.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { lineOf } from '../tree-sitter.js';
import { channelOf as channel } from '../shared/address.js';
import { under } from './packages.js';
import { argumentsOf, calleeOf, compositeOf, compositeType, literalFields } from './syntax.js';
import { evaluate, type ValueScope } from './values.js';

type Library = 'amqp' | 'go-rabbitmq' | 'sarama' | 'kafka-go' | 'confluent' | 'nats';

const LIBRARIES: ReadonlyArray<[string, Library]> = [
  ['github.com/rabbitmq/amqp091-go', 'amqp'],
  ['github.com/streadway/amqp', 'amqp'],
  ['github.com/wagslane/go-rabbitmq', 'go-rabbitmq'],
  ['github.com/IBM/sarama', 'sarama'],
  ['github.com/Shopify/sarama', 'sarama'],
  ['github.com/segmentio/kafka-go', 'kafka-go'],
  ['github.com/confluentinc/confluent-kafka-go', 'confluent'],
  ['github.com/nats-io/nats.go', 'nats'],
];

const BROKER: Readonly<Record<Library, BrokerKind>> = { amqp: 'rabbitmq', 'go-rabbitmq': 'rabbitmq', sarama: 'kafka', 'kafka-go': 'kafka', confluent: 'kafka', nats: 'nats' };

export function libraryOf(importPath: string): Library | null {
  for (const [prefix, library] of LIBRARIES) if (under(importPath, prefix)) return library;
  return null;
}

export interface MessagingScope extends ValueScope {
  file: string;
  /** Messaging libraries the file imports. */
  libraries: ReadonlySet<Library>;
  out: MessagingEndpoint[];
}

/** A channel name: a literal, or `env:NAME`; null otherwise (a config field, a parameter). */
function channelOf(node: SyntaxNode | null | undefined, scope: ValueScope): string | null {
  if (node?.type === 'unary_expression') node = node.childForFieldName('operand');
  const name = channel(evaluate(node, scope, 0, false));
  // A configuration key is an exported field path (`Kafka.Topic`); a lower-case one is a struct's own field.
  return name !== null && name.startsWith('${') && !(name[2]! >= 'A' && name[2]! <= 'Z') ? null : name;
}

function add(scope: MessagingScope, broker: BrokerKind, role: 'producer' | 'consumer', channel: string | null, node: SyntaxNode): void {
  scope.out.push(endpoint(broker, role, channel, { file: scope.file, line: lineOf(node) }));
}

/** `[]string{"a", "b"}` → its literal elements; a single expression → itself. */
function channelsOf(node: SyntaxNode | undefined, scope: ValueScope): Array<string | null> {
  const composite = compositeOf(node);
  if (composite) {
    const elements = composite.childForFieldName('body')?.namedChildren.filter((n) => n?.type === 'literal_element') ?? [];
    return elements.length > 0 ? elements.map((e) => channelOf(e?.namedChildren[0], scope)) : [null];
  }
  return [channelOf(node, scope)];
}

/** A call into a messaging library by package (`sarama.NewSyncProducer`, `kafka.NewConsumer`, `rabbitmq.NewPublisher`). */
export function packageCall(library: Library, name: string, call: SyntaxNode, scope: MessagingScope): void {
  const broker = BROKER[library];
  const args = argumentsOf(call);
  if (library === 'sarama') {
    if (name.startsWith('NewSyncProducer') || name.startsWith('NewAsyncProducer')) add(scope, broker, 'producer', null, call);
    else if (name.startsWith('NewConsumer')) add(scope, broker, 'consumer', null, call);
  } else if (library === 'confluent' || library === 'kafka-go') {
    if (name === 'NewProducer' || name === 'NewWriter') add(scope, broker, 'producer', null, call);
    else if (name === 'NewConsumer' || name === 'NewReader') add(scope, broker, 'consumer', null, call);
  } else if (library === 'go-rabbitmq') {
    if (name === 'NewPublisher') add(scope, broker, 'producer', null, call);
    else if (name === 'NewConsumer') add(scope, broker, 'consumer', channelOf(args[2], scope), call);
  }
}

/** A method call in a file that imports messaging libraries (`ch.PublishWithContext(ctx, "orders", "", …)`). */
export function methodCall(name: string, call: SyntaxNode, scope: MessagingScope): void {
  const args = argumentsOf(call);
  const n = args.length;
  const libraries = scope.libraries;
  if (libraries.has('amqp')) {
    const publish = name === 'Publish' && n === 5 ? 0 : (name === 'PublishWithContext' || name === 'PublishWithDeferredConfirmWithContext') && n === 6 ? 1 : name === 'PublishWithDeferredConfirm' && n === 5 ? 0 : -1;
    if (publish >= 0) {
      const exchange = channelOf(args[publish], scope);
      add(scope, 'rabbitmq', 'producer', exchange === '' ? channelOf(args[publish + 1], scope) : exchange, call);
      return;
    }
    if ((name === 'Consume' && n === 7) || (name === 'ConsumeWithContext' && n === 8)) {
      add(scope, 'rabbitmq', 'consumer', channelOf(args[name === 'Consume' ? 0 : 1], scope), call);
      return;
    }
    if (name === 'QueueBind' && n === 5) {
      add(scope, 'rabbitmq', 'consumer', channelOf(args[2], scope), call);
      return;
    }
  }
  if (libraries.has('sarama')) {
    if (name === 'Consume' && n === 3) for (const channel of channelsOf(args[1], scope)) add(scope, 'kafka', 'consumer', channel, call);
    if (name === 'ConsumePartition' && n === 3) add(scope, 'kafka', 'consumer', channelOf(args[0], scope), call);
  }
  if (libraries.has('confluent')) {
    if (name === 'SubscribeTopics' && n === 2) for (const channel of channelsOf(args[0], scope)) add(scope, 'kafka', 'consumer', channel, call);
    if (name === 'Subscribe' && n === 2 && !libraries.has('nats')) add(scope, 'kafka', 'consumer', channelOf(args[0], scope), call);
  }
  if (libraries.has('nats')) {
    if ((name === 'Publish' && n >= 2) || name === 'PublishMsg' || name === 'PublishAsync') add(scope, 'nats', 'producer', name === 'PublishMsg' ? null : channelOf(args[0], scope), call);
    else if (((name === 'Subscribe' || name === 'ChanSubscribe') && n >= 2) || (name === 'QueueSubscribe' && n >= 3) || name === 'SubscribeSync' || name === 'QueueSubscribeSync' || name === 'PullSubscribe') {
      add(scope, 'nats', 'consumer', channelOf(args[0], scope), call);
    }
  }
}

/** Composite literals naming topics: `sarama.ProducerMessage{Topic: …}`, kafka-go `ReaderConfig`/`Writer`/`Message`, confluent `TopicPartition`. */
export function compositeLiteral(library: Library, composite: SyntaxNode, scope: MessagingScope): void {
  const type = compositeType(composite)?.name;
  if (!type) return;
  const fields = literalFields(composite);
  const topic = fields.get('Topic');
  if (library === 'sarama' && type === 'ProducerMessage') add(scope, 'kafka', 'producer', channelOf(topic, scope), composite);
  else if (library === 'kafka-go') {
    if (type === 'ReaderConfig') {
      const group = fields.get('GroupTopics');
      if (group) for (const channel of channelsOf(group, scope)) add(scope, 'kafka', 'consumer', channel, composite);
      else add(scope, 'kafka', 'consumer', channelOf(topic, scope), composite);
    } else if ((type === 'Writer' || type === 'WriterConfig' || type === 'Message') && topic) add(scope, 'kafka', 'producer', channelOf(topic, scope), composite);
  } else if (library === 'confluent' && type === 'TopicPartition' && topic) add(scope, 'kafka', 'producer', channelOf(topic, scope), composite);
}

const OPTION_CHANNELS: ReadonlyMap<string, 'exchange' | 'queue' | 'topic'> = new Map([
  ['ExchangeName', 'exchange'],
  ['Exchange', 'exchange'],
  ['WithExchange', 'exchange'],
  ['WithExchangeName', 'exchange'],
  ['QueueName', 'queue'],
  ['Queue', 'queue'],
  ['WithQueue', 'queue'],
  ['WithQueueName', 'queue'],
  ['Topic', 'topic'],
  ['TopicName', 'topic'],
  ['WithTopic', 'topic'],
  ['Subject', 'topic'],
  ['WithSubject', 'topic'],
]);

/** What a local package's import path says: its role (publisher / consumer) and its broker. */
function wrapperOf(importPath: string): { role: 'producer' | 'consumer'; broker: BrokerKind } | null {
  const segments = importPath.toLowerCase().split('/');
  const has = (...words: string[]): boolean => segments.some((s) => words.some((w) => s.includes(w)));
  const role = has('consum', 'subscri', 'listen') ? 'consumer' : has('publish', 'produc') ? 'producer' : null;
  const broker: BrokerKind | null = has('rabbit', 'amqp') ? 'rabbitmq' : has('kafka') ? 'kafka' : has('nats') ? 'nats' : null;
  return role && broker ? { role, broker } : null;
}

/**
 * An option function of a local messaging wrapper: `pkgConsumer.ExchangeName("orders-exchange")` where the package is
 * `…/rabbitmq/consumer`. A queue option beside an exchange option in the same call is the consumer's own queue:
 * the exchange is the channel.
 */
export function wrapperOption(importPath: string, name: string, call: SyntaxNode, scope: MessagingScope): void {
  const option = OPTION_CHANNELS.get(name);
  if (!option) return;
  const wrapper = wrapperOf(importPath);
  if (!wrapper) return;
  const args = argumentsOf(call);
  if (args.length !== 1) return;
  const channel = channelOf(args[0], scope);
  if (channel === null) return;
  if (option === 'queue') {
    const siblings = call.parent?.type === 'argument_list' ? call.parent.namedChildren : [];
    if (siblings.some((s) => s?.type === 'call_expression' && OPTION_CHANNELS.get(calleeOf(s)?.name ?? '') === 'exchange')) return;
  }
  add(scope, wrapper.broker, wrapper.role, channel, call);
}
