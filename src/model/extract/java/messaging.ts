/**
 * Producers and consumers in Java source: Spring Kafka, Spring AMQP, JMS, Spring Cloud Stream (`StreamBridge`,
 * `@StreamListener`) and Eventuate Tram (domain events and saga command channels). JMS, Stream and Eventuate do
 * not name the broker in code: those endpoints carry `brokerUnknown` and the join takes the unit's broker.
 */
import type { BrokerKind, MessagingEndpoint } from '../../types.js';
import { lineOf, type SyntaxNode } from '../tree-sitter.js';
import { qualify, typeOfExpression, type JavaFile } from './scope.js';
import { annotationElements, annotationName, argumentsOf, elementsOf, methodName } from './syntax.js';
import { evaluate } from './values.js';

type Broker = BrokerKind | null;

const KAFKA_SENDERS = new Set(['KafkaTemplate', 'ReactiveKafkaProducerTemplate', 'KafkaProducer', 'Producer', 'KafkaOperations']);
const RABBIT_SENDERS = new Set(['RabbitTemplate', 'AmqpTemplate', 'RabbitOperations', 'RabbitMessagingTemplate', 'AmqpAdmin']);
const JMS_SENDERS = new Set(['JmsTemplate', 'JmsOperations', 'JmsMessagingTemplate']);
const RABBIT_SENDS = new Set(['convertAndSend', 'send', 'convertSendAndReceive', 'sendAndReceive']);

export const importsEventuate = (file: JavaFile): boolean => [...file.imports.values()].some((i) => i.startsWith('io.eventuate.'));

function endpoint(broker: Broker, role: MessagingEndpoint['role'], channel: string | null, node: SyntaxNode, file: JavaFile): MessagingEndpoint {
  return { broker: broker ?? 'kafka', ...(broker === null ? { brokerUnknown: true } : {}), role, channel, location: { file: file.path, line: lineOf(node) } };
}

/** A channel name an expression holds: a literal, a constant, a `${placeholder}`, or `X.class` (its qualified name). */
export function channelOf(node: SyntaxNode | null | undefined, file: JavaFile): string | null {
  if (!node) return null;
  if (node.type === 'class_literal') return qualify(file, node.namedChildren[0]?.text ?? node.text.replace(/\.class$/, ''));
  if (node.type === 'object_creation_expression' && /^ProducerRecord\b/.test(node.childForFieldName('type')?.text ?? '')) return channelOf(argumentsOf(node)[0], file);
  const value = evaluate(node, file);
  return value && !value.unknown ? value.url : null;
}

/** Listener annotations on a method or class. */
export function listenerEndpoints(annotations: SyntaxNode[], file: JavaFile): MessagingEndpoint[] {
  const out: MessagingEndpoint[] = [];
  for (const annotation of annotations) {
    const name = annotationName(annotation);
    const elements = annotationElements(annotation);
    const channels = (keys: string[]): Array<string | null> => {
      const values = keys.flatMap((key) => (elements.has(key) ? elementsOf(elements.get(key)!) : []));
      const names = values.map((v) => channelOf(v, file));
      return names.length > 0 ? names : [null];
    };
    if (name === 'KafkaListener') for (const c of channels(['topics', 'topicPattern'])) out.push(endpoint('kafka', 'consumer', c, annotation, file));
    else if (name === 'RabbitListener') {
      const queues = channels(['queues', 'value']);
      const bound = elements.has('bindings') ? elementsOf(elements.get('bindings')!).flatMap((binding) => boundQueues(binding, file)) : [];
      for (const c of bound.length > 0 ? bound : queues) out.push(endpoint('rabbitmq', 'consumer', c, annotation, file));
    } else if (name === 'JmsListener') for (const c of channels(['destination'])) out.push(endpoint(null, 'consumer', c, annotation, file));
    else if (name === 'StreamListener') out.push(endpoint(null, 'consumer', null, annotation, file));
  }
  return out;
}

/** `@QueueBinding(value = @Queue("q"), exchange = @Exchange("x"))` → the queue. */
function boundQueues(binding: SyntaxNode, file: JavaFile): Array<string | null> {
  const queue = binding.type === 'annotation' ? annotationElements(binding).get('value') : undefined;
  if (!queue || queue.type !== 'annotation') return [];
  const elements = annotationElements(queue);
  return [channelOf(elements.get('value') ?? elements.get('name'), file)];
}

/** The endpoint a method invocation is: a send on a template or producer, an Eventuate publish or handler registration. */
export function invocationEndpoint(node: SyntaxNode, file: JavaFile): MessagingEndpoint | null {
  const name = methodName(node);
  const object = node.childForFieldName('object');
  const args = argumentsOf(node);
  const type = object ? typeOfExpression(object) : null;
  const receiver = object?.text ?? '';
  if ((name === 'send' || name === 'sendDefault') && object && (KAFKA_SENDERS.has(type ?? '') || (type === null && /kafkaTemplate/i.test(receiver)))) {
    return endpoint('kafka', 'producer', name === 'send' ? channelOf(args[0], file) : null, node, file);
  }
  if (RABBIT_SENDS.has(name) && object && (RABBIT_SENDERS.has(type ?? '') || (type === null && /(rabbit|amqp)Template/i.test(receiver)))) {
    return endpoint('rabbitmq', 'producer', args.length >= 2 ? channelOf(args[0], file) : null, node, file);
  }
  if ((name === 'convertAndSend' || name === 'send') && object && (JMS_SENDERS.has(type ?? '') || (type === null && /jmsTemplate/i.test(receiver)))) {
    return endpoint(null, 'producer', args.length >= 2 ? channelOf(args[0], file) : null, node, file);
  }
  if (name === 'send' && object && (type === 'StreamBridge' || (type === null && /streamBridge/i.test(receiver)))) {
    return endpoint(null, 'producer', channelOf(args[0], file), node, file);
  }
  if (!importsEventuate(file)) return null;
  if (name === 'publish' && object && (type === 'DomainEventPublisher' || (type === null && /eventPublisher/i.test(receiver))) && args.length === 3) {
    return endpoint(null, 'producer', channelOf(args[0], file), node, file);
  }
  if (name === 'forAggregateType') return endpoint(null, 'consumer', channelOf(args[0], file), node, file);
  if (name === 'fromChannel') return endpoint(null, 'consumer', channelOf(args[0], file), node, file);
  if (name === 'withChannel') return endpoint(null, 'producer', channelOf(args[0], file), node, file);
  return null;
}

/** `super(publisher, Order.class, …)` in an Eventuate `AbstractAggregateDomainEventPublisher`: it publishes that aggregate's events. */
export function aggregatePublisher(type: SyntaxNode, file: JavaFile): MessagingEndpoint | null {
  if (!/AbstractAggregateDomainEventPublisher\b/.test(type.childForFieldName('superclass')?.text ?? '')) return null;
  const body = type.childForFieldName('body');
  for (const member of body?.namedChildren ?? []) {
    if (member?.type !== 'constructor_declaration') continue;
    for (const statement of member.childForFieldName('body')?.namedChildren ?? []) {
      if (statement?.type !== 'explicit_constructor_invocation') continue;
      const literal = argumentsOf(statement).find((a) => a.type === 'class_literal');
      return endpoint(null, 'producer', channelOf(literal, file), statement, file);
    }
  }
  return endpoint(null, 'producer', null, type, file);
}
