/**
 * Outbound calls in Java source: RestTemplate, RestClient / WebClient request chains, gRPC stubs, the JDK
 * HttpClient, OkHttp, Apache HttpClient and Retrofit — each with the address it goes to (see values.ts), and
 * whether the call site runs per item (in a loop or a stream lambda) or inside a circuit breaker.
 */
import type { SyntaxNode } from '../tree-sitter.js';
import { typeOfExpression, declarationOfExpression, type JavaFile } from './scope.js';
import { annotationName, annotationsOf, argumentsOf, chainAbove, chainBelow, chainRoot, methodName, TYPE_DECLARATIONS } from './syntax.js';
import { evaluate, type Address } from './values.js';

export interface FoundCall {
  kind: 'http' | 'grpc';
  client: string;
  method: string | null;
  address: Address | null;
  node: SyntaxNode;
}

const REST_TEMPLATE_TYPES = new Set(['RestTemplate', 'OAuth2RestTemplate', 'RestOperations', 'OAuth2RestOperations']);
const REST_TEMPLATE: Record<string, string | null> = {
  getForObject: 'GET',
  getForEntity: 'GET',
  postForObject: 'POST',
  postForEntity: 'POST',
  postForLocation: 'POST',
  patchForObject: 'PATCH',
  headForHeaders: 'HEAD',
  optionsForAllow: 'OPTIONS',
  exchange: null,
  put: 'PUT',
  delete: 'DELETE',
};
/** RestTemplate methods no other common type has: enough when the receiver's type is out of sight. */
const REST_TEMPLATE_ONLY = new Set(['getForObject', 'getForEntity', 'postForObject', 'postForEntity', 'postForLocation', 'patchForObject']);
const REQUEST_VERBS = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'method']);
const REQUEST_STEPS = new Set(['uri', 'retrieve', 'exchange', 'exchangeToMono', 'exchangeToFlux', 'body', 'bodyValue']);
const STUB_FACTORIES = new Set(['newBlockingStub', 'newStub', 'newFutureStub', 'newBlockingV2Stub']);
const APACHE_REQUESTS: Record<string, string> = { HttpGet: 'GET', HttpPost: 'POST', HttpPut: 'PUT', HttpDelete: 'DELETE', HttpPatch: 'PATCH', HttpHead: 'HEAD' };

const importsAny = (file: JavaFile, prefixes: string[]): boolean => [...file.imports.values()].some((fqcn) => prefixes.some((p) => fqcn.startsWith(p)));
const httpMethodOf = (node: SyntaxNode | undefined): string | null => {
  const text = node?.text ?? '';
  const name = text.slice(text.lastIndexOf('.') + 1);
  return /^[A-Z]+$/.test(name) ? name : null;
};

/** The call a method invocation makes, if it is one. */
export function callOfInvocation(node: SyntaxNode, file: JavaFile): FoundCall | null {
  const name = methodName(node);
  const object = node.childForFieldName('object');
  const args = argumentsOf(node);
  if (name in REST_TEMPLATE && object && args.length > 0) {
    const type = typeOfExpression(object);
    const restTemplate = type !== null ? REST_TEMPLATE_TYPES.has(type) : REST_TEMPLATE_ONLY.has(name) && importsAny(file, ['org.springframework.web.client.', 'org.springframework.security.oauth2.client.']);
    if (restTemplate) {
      const method = REST_TEMPLATE[name] ?? (name === 'exchange' ? httpMethodOf(args[1]) : null);
      return { kind: 'http', client: 'RestTemplate', method, address: evaluate(args[0] ?? null, file), node };
    }
  }
  if (REQUEST_VERBS.has(name) && object && args.length === (name === 'method' ? 1 : 0)) {
    const client = requestClient(object, file, node);
    if (client) {
      const uri = chainAbove(node).find((step) => methodName(step) === 'uri');
      const path = uri ? uriArgument(argumentsOf(uri)[0], file) : null;
      const base = baseUrl(object, file);
      const address = base && path ? joinAddress(base, path) : (path ?? base);
      return { kind: 'http', client, method: name === 'method' ? httpMethodOf(args[0]) : name.toUpperCase(), address, node };
    }
  }
  if (STUB_FACTORIES.has(name) && object?.text.endsWith('Grpc')) {
    return { kind: 'grpc', client: 'grpc', method: null, address: channelAddress(args[0], file), node };
  }
  if (name === 'newBuilder' && object?.text === 'HttpRequest') {
    const steps = chainAbove(node);
    const uri = args[0] ?? argumentsOf(steps.find((s) => methodName(s) === 'uri') ?? node)[0];
    const verb = steps.map(methodName).find((n) => /^(GET|POST|PUT|DELETE|HEAD)$/.test(n)) ?? null;
    return { kind: 'http', client: 'HttpClient', method: verb, address: evaluate(uri ?? null, file), node };
  }
  return null;
}

/** The call an object creation makes: OkHttp and Retrofit builders, Apache request objects. */
export function callOfCreation(node: SyntaxNode, file: JavaFile): FoundCall | null {
  const type = node.childForFieldName('type')?.text ?? '';
  if (type === 'Request.Builder' && importsAny(file, ['okhttp3.'])) {
    const steps = chainAbove(node);
    const url = steps.find((s) => methodName(s) === 'url');
    const verb = steps.map(methodName).find((n) => ['get', 'post', 'put', 'delete', 'patch', 'head'].includes(n));
    return { kind: 'http', client: 'OkHttp', method: verb ? verb.toUpperCase() : 'GET', address: evaluate(url ? (argumentsOf(url)[0] ?? null) : null, file), node };
  }
  if (type === 'Retrofit.Builder') {
    const base = chainAbove(node).find((s) => methodName(s) === 'baseUrl');
    return { kind: 'http', client: 'Retrofit', method: null, address: evaluate(base ? (argumentsOf(base)[0] ?? null) : null, file), node };
  }
  const apache = APACHE_REQUESTS[type];
  if (apache && importsAny(file, ['org.apache.http.', 'org.apache.hc.'])) {
    return { kind: 'http', client: 'Apache HttpClient', method: apache, address: evaluate(argumentsOf(node)[0] ?? null, file), node };
  }
  return null;
}

/** `RestClient` / `WebClient` when the receiver of a request verb is one (declared type, a builder chain, or — out of sight — an import and a request chain). */
function requestClient(receiver: SyntaxNode, file: JavaFile, verb: SyntaxNode): string | null {
  const root = chainRoot(receiver);
  const rootName = root?.text ?? '';
  if (rootName === 'RestClient' || rootName === 'WebClient') return rootName;
  const type = typeOfExpression(receiver);
  if (type === 'RestClient' || type === 'WebClient') return type;
  if (type !== null) return null;
  // Out of sight (an inherited field, a getter): only a request chain on a named receiver, never a lambda's parameter (a route DSL's `r`).
  const declared = root?.type === 'identifier' ? declarationOfExpression(root) : null;
  if (declared?.kind === 'parameter' && declared.scope.type === 'lambda_expression') return null;
  if (methodName(verb) === 'method' && !/HttpMethod\./.test(argumentsOf(verb)[0]?.text ?? '')) return null;
  if (!chainAbove(verb).some((step) => REQUEST_STEPS.has(methodName(step)))) return null;
  if (importsAny(file, ['org.springframework.web.client.RestClient'])) return 'RestClient';
  if (importsAny(file, ['org.springframework.web.reactive.function.client.'])) return 'WebClient';
  return null;
}

/** `.uri("/x")`, `.uri(url)`, or `.uri(b -> b.path("/x")…build())`. */
function uriArgument(argument: SyntaxNode | undefined, file: JavaFile): Address | null {
  if (!argument) return null;
  if (argument.type !== 'lambda_expression') return evaluate(argument, file);
  const body = argument.childForFieldName('body');
  let path: SyntaxNode | null = null;
  for (let current = body; current?.type === 'method_invocation'; current = current.childForFieldName('object')) {
    if (methodName(current) === 'path') path = current;
  }
  return path ? evaluate(argumentsOf(path)[0] ?? null, file) : null;
}

/** The base URL a RestClient/WebClient receiver was built with (`baseUrl(x)`, `create(x)`), when this file shows it. */
function baseUrl(receiver: SyntaxNode, file: JavaFile): Address | null {
  const init = receiver.type === 'method_invocation' ? receiver : (declarationOfExpression(receiver)?.init ?? null);
  if (!init || init.type !== 'method_invocation') return null;
  for (const step of [init, ...chainBelow(init)]) {
    const name = methodName(step);
    const object = step.childForFieldName('object')?.text;
    if (name === 'baseUrl' || (name === 'create' && (object === 'WebClient' || object === 'RestClient'))) return evaluate(argumentsOf(step)[0] ?? null, file);
  }
  return null;
}

function joinAddress(base: Address, path: Address): Address {
  if (/^[a-z]+:\/\//i.test(path.url) || path.url.startsWith('${')) return path;
  const url = base.url.startsWith('env:') ? `\${${base.url.slice(4)}}` : base.url;
  return { ...base, url: url.replace(/\/+$/, '') + (path.url.startsWith('/') ? path.url : `/${path.url}`), unknown: base.unknown };
}

/** A gRPC channel's target: `ManagedChannelBuilder.forAddress(host, port)` / `forTarget(t)` / `Grpc.newChannelBuilder(t, …)`. */
function channelAddress(channel: SyntaxNode | undefined, file: JavaFile): Address | null {
  if (!channel) return null;
  const init = channel.type === 'method_invocation' ? channel : (declarationOfExpression(channel)?.init ?? null);
  if (!init || init.type !== 'method_invocation') return null;
  for (const step of [init, ...chainBelow(init)]) {
    const name = methodName(step);
    const args = argumentsOf(step);
    if (name === 'forAddress' && args.length === 2) {
      const host = evaluate(args[0] ?? null, file);
      const port = evaluate(args[1] ?? null, file) ?? { url: args[1]!.text, configKey: null, envVar: null, unknown: false };
      return host ? { ...host, url: `${host.url}:${port.url}` } : null;
    }
    if (name === 'forTarget' || name === 'newChannelBuilder') return evaluate(args[0] ?? null, file);
  }
  return null;
}

const LOOPS = new Set(['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement']);
const STOPS = new Set(['method_declaration', 'constructor_declaration', 'class_body', 'interface_body']);
const STREAM_STEPS = new Set(['map', 'flatMap', 'concatMap', 'flatMapSequential', 'flatMapIterable', 'mapToObj', 'filter', 'peek', 'anyMatch', 'allMatch', 'noneMatch', 'parallel']);
const STREAM_SOURCES = new Set(['stream', 'parallelStream', 'fromIterable', 'fromArray', 'fromStream', 'range', 'rangeClosed', 'iterate', 'generate']);
const STREAM_TYPES = new Set(['Flux', 'Stream', 'IntStream', 'LongStream', 'Arrays', 'StreamSupport']);

/** Whether the node runs once per item: inside a loop, a `forEach`, or a stream / Flux operator's lambda. */
export function inLoop(node: SyntaxNode): boolean {
  for (let current = node.parent; current && !STOPS.has(current.type); current = current.parent) {
    if (LOOPS.has(current.type)) return true;
    if (current.type !== 'lambda_expression' && current.type !== 'method_reference') continue;
    const invocation = current.parent?.type === 'argument_list' ? current.parent.parent : null;
    if (invocation?.type !== 'method_invocation') continue;
    const name = methodName(invocation);
    if (name === 'forEach' || name === 'forEachOrdered') return true;
    if (STREAM_STEPS.has(name) && isStream(invocation)) return true;
  }
  return false;
}

function isStream(step: SyntaxNode): boolean {
  if (chainBelow(step).some((below) => STREAM_SOURCES.has(methodName(below)))) return true;
  const root = chainRoot(step);
  return root !== null && STREAM_TYPES.has(root.text);
}

const BREAKER_ANNOTATIONS = new Set(['CircuitBreaker', 'HystrixCommand']);
const BREAKER_RUNS = new Set(['run', 'executeSupplier', 'executeCallable', 'executeRunnable', 'executeCompletionStage', 'executeCheckedSupplier']);
const BREAKER_TYPES = new Set(['CircuitBreaker', 'ReactiveCircuitBreaker', 'HystrixCommand']);

/** Whether the call site runs under a breaker: an annotated method or class, a breaker's run/decorate, a breaker operator in its chain. */
export function underBreaker(node: SyntaxNode): boolean {
  for (const step of chainAbove(node, 24)) {
    const name = methodName(step);
    if ((name === 'transform' || name === 'transformDeferred' || name === 'compose') && /circuitbreaker/i.test(argumentsOf(step)[0]?.text ?? '')) return true;
    if (name === 'withCircuitBreaker') return true;
  }
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'method_declaration' && annotationsOf(current).some((a) => BREAKER_ANNOTATIONS.has(annotationName(a)))) return true;
    if (TYPE_DECLARATIONS.has(current.type)) {
      if (annotationsOf(current).some((a) => BREAKER_ANNOTATIONS.has(annotationName(a)))) return true;
      const superclass = current.childForFieldName('superclass')?.text ?? '';
      if (/\bHystrix(Observable)?Command\b/.test(superclass)) return true;
    }
    if (current.type === 'object_creation_expression' && /^Hystrix(Observable)?Command\b/.test(current.childForFieldName('type')?.text ?? '')) return true;
    if (current.type === 'argument_list' && current.parent?.type === 'method_invocation' && isBreakerInvocation(current.parent)) return true;
  }
  return false;
}

function isBreakerInvocation(invocation: SyntaxNode): boolean {
  const name = methodName(invocation);
  const object = invocation.childForFieldName('object');
  if (name.startsWith('decorate') && (object?.text === 'CircuitBreaker' || /breaker/i.test(object?.text ?? ''))) return true;
  if (name.startsWith('of') && object?.text === 'Decorators') return chainAbove(invocation).some((s) => methodName(s) === 'withCircuitBreaker');
  if (!BREAKER_RUNS.has(name) || !object) return false;
  const type = typeOfExpression(object);
  return (type !== null && BREAKER_TYPES.has(type)) || /breaker/i.test(object.text);
}
