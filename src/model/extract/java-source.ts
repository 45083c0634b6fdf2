/**
 * Java source, read through the tree-sitter Java grammar in one walk per file: outbound HTTP/gRPC calls with their
 * addresses (breaker and per-item context included), declarative clients (Feign, HTTP interfaces, `@GrpcClient`),
 * breakers in code, producers and consumers, Spring Cloud Gateway / Zuul, health, tracing, entry points, platform
 * servers, configuration-properties bindings and state kept in the process.
 */
import type { ClassGraph, Evidence, GatewayRoute } from '../facts.js';
import type { LocalState, MessagingEndpoint, OutboundCall } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { callOfCreation, callOfInvocation, inLoop, underBreaker, type FoundCall } from './java/calls.js';
import { dslRoute, methodFacts, sessionUse, typeFacts, type TypeFacts } from './java/declarations.js';
import { invocationEntry, newTypeCache, ownerOf, typeEntry } from './java/graph.js';
import { constantOf, interfaceCalls } from './java/interfaces.js';
import { aggregatePublisher, importsEventuate, invocationEndpoint, listenerEndpoints } from './java/messaging.js';
import type { JavaFile } from './java/scope.js';
import { annotationElements, annotationName, annotationsOf, walkTypes } from './java/syntax.js';
import { isJvmTestOrOutput } from './jvm/paths.js';
import { lineOf, type SyntaxNode } from './tree-sitter.js';

/** Test classes by the naming conventions of Surefire and Failsafe, wherever they sit. */
const TEST_CLASS = /(Tests?|IT|ITCase|TestCase)\.java$/;
const TRACING_IMPORTS = ['brave.', 'io.opentelemetry.', 'io.micrometer.tracing.', 'io.opentracing.', 'org.springframework.cloud.sleuth.', 'io.jaegertracing.'];
const EXPORT_IMPORTS = ['io.opentelemetry.exporter.', 'zipkin2.reporter.', 'io.jaegertracing.'];
const BREAKER_ANNOTATIONS = new Set(['CircuitBreaker', 'HystrixCommand']);
const BREAKER_CALLS = new Set(['decorateSupplier', 'decorateCallable', 'decorateRunnable', 'decorateFunction', 'decorateCheckedSupplier', 'decorateCompletionStage', 'withCircuitBreaker']);
/** Method names worth a look: calls, sends, route DSL, breakers, sessions. Everything else is skipped cheaply. */
const INTERESTING = new Set([
  'getForObject', 'getForEntity', 'postForObject', 'postForEntity', 'postForLocation', 'patchForObject', 'headForHeaders', 'optionsForAllow', 'exchange', 'put', 'delete',
  'get', 'post', 'patch', 'head', 'options', 'method',
  'newBlockingStub', 'newStub', 'newFutureStub', 'newBlockingV2Stub', 'newBuilder',
  'send', 'sendDefault', 'convertAndSend', 'convertSendAndReceive', 'sendAndReceive', 'publish', 'forAggregateType', 'fromChannel', 'withChannel',
  'route', 'getSession', 'create', 'ofDefaults', 'of',
  ...BREAKER_CALLS,
]);

/** The node types the walk looks at (comments are leaves of their own: nothing in them is ever visited). */
const VISITED = new Set([
  'package_declaration', 'import_declaration', 'class_declaration', 'interface_declaration', 'record_declaration', 'enum_declaration',
  'method_declaration', 'field_declaration', 'formal_parameter', 'method_invocation', 'object_creation_expression', 'method_reference',
]);
/**
 * For the class graph: loops and per-item streams (a file that only invokes a client class per item), and injected
 * collaborators (a class between the loop and the client).
 */
const GRAPH_NEEDLES = ['for (', 'for(', 'while (', 'while(', 'forEach', 'stream()', 'Stream(', 'Flux', 'private final', '@Autowired', '@Inject', 'RequiredArgsConstructor'];

export default defineExtractor({
  id: 'java-source',
  description: 'Java source (tree-sitter): HTTP/gRPC calls with addresses, Feign, breakers, Kafka/RabbitMQ/JMS/Stream/Eventuate endpoints, gateway routes, health, tracing, entry points, platform servers',
  accepts: (file) => file.ext === '.java' && !isJvmTestOrOutput(file.path) && !TEST_CLASS.test(file.base),
  needles: [
    'RestTemplate', 'RestOperations', 'WebClient', 'RestClient', 'FeignClient', 'HttpExchange', 'Grpc', 'HttpRequest', 'okhttp3', 'Retrofit', 'org.apache.http', 'org.apache.hc',
    'CircuitBreaker', 'Hystrix', 'KafkaListener', 'RabbitListener', 'JmsListener', 'StreamListener', 'KafkaTemplate', 'Producer', 'RabbitTemplate', 'AmqpTemplate', 'JmsTemplate', 'StreamBridge',
    'DomainEventPublisher', 'forAggregateType', 'fromChannel', 'withChannel',
    'RouteLocator', 'EnableZuulProxy', 'EnableConfigServer', 'EnableEurekaServer', 'EnableHystrixDashboard', 'EnableTurbine', 'EnableAdminServer', 'EnableZipkin',
    'Health', 'health', 'Liveness', 'Readiness', 'void main', 'SpringBootApplication', 'QuarkusMain', 'MicronautApplication',
    'brave.', 'io.opentelemetry', 'io.micrometer.tracing', 'io.opentracing', 'sleuth', 'jaeger',
    'HttpSession', 'getSession', 'ConfigurationProperties', 'ConcurrentHashMap',
    ...GRAPH_NEEDLES,
  ],
  grammars: ['java'],
  offThread: true,
  extract({ path, text }, ctx): ExtractResult | null {
    return ctx.withTree('java', text, (tree) => {
      const file: JavaFile = { path, packageName: null, imports: new Map(), read: ctx.read, parse: ctx.parse };
      const calls: OutboundCall[] = [];
      const messaging: MessagingEndpoint[] = [];
      const breakers: Evidence[] = [];
      const tracing: Evidence[] = [];
      const traceExport: Evidence[] = [];
      const routes: GatewayRoute[] = [];
      const localState: LocalState[] = [];
      const types: TypeFacts = { platform: [], entryPoints: [], health: [], configBindings: [], localState, zuul: false };
      const found: FoundCall[] = [];
      const graph: ClassGraph = { types: [], callers: [], invocations: [] };
      const seenInvocations = new Set<string>();
      const typeCache = newTypeCache();
      const invoked = (node: SyntaxNode) => {
        const entry = invocationEntry(node, typeCache);
        if (!entry) return;
        // Per-item sites are kept one per line (each is a place to report); the rest once per edge.
        const key = `${entry.type}#${entry.method}>${entry.calleeType}#${entry.callee}${entry.inLoop ? `@${entry.line}` : ''}`;
        if (seenInvocations.has(key)) return;
        seenInvocations.add(key);
        graph.invocations.push(entry);
      };
      let zuulAt: SyntaxNode | null = null;
      let sessionSeen = false;
      const note = (state: LocalState | null) => {
        if (state && !sessionSeen) {
          sessionSeen = true;
          localState.push(state);
        }
      };

      walkTypes(tree.rootNode, VISITED, (node) => {
        switch (node.type) {
          case 'package_declaration':
            file.packageName = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier')?.text ?? null;
            return false;
          case 'import_declaration': {
            const name = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier')?.text ?? '';
            const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
            if (!wildcard && !node.text.includes(' static ')) file.imports.set(name.slice(name.lastIndexOf('.') + 1), name);
            if (TRACING_IMPORTS.some((p) => name.startsWith(p)) && tracing.length === 0) tracing.push({ what: `import ${name}`, location: { file: path, line: lineOf(node) } });
            if (EXPORT_IMPORTS.some((p) => name.startsWith(p)) && traceExport.length === 0) traceExport.push({ what: `import ${name}`, location: { file: path, line: lineOf(node) } });
            return false;
          }
          case 'class_declaration':
          case 'interface_declaration':
          case 'record_declaration':
          case 'enum_declaration': {
            typeFacts(node, file, types);
            const entry = typeEntry(node);
            if (entry) graph.types.push(entry);
            if (types.zuul && !zuulAt) zuulAt = node;
            declaredBreakers(node, path, breakers);
            messaging.push(...listenerEndpoints(annotationsOf(node), file));
            if (node.type === 'interface_declaration') {
              const declared = interfaceCalls(node, file);
              if (declared) {
                calls.push(...declared.calls);
                const owner = node.childForFieldName('name')?.text ?? '';
                const lines = new Set(declared.calls.map((c) => c.location.line));
                for (const member of node.childForFieldName('body')?.namedChildren ?? []) {
                  if (member?.type === 'method_declaration' && lines.has(lineOf(member))) graph.callers.push({ type: owner, method: member.childForFieldName('name')?.text ?? '', line: lineOf(member) });
                }
                breakers.push(...declared.breakers);
              }
            }
            if (node.type === 'class_declaration' && importsEventuate(file)) {
              const publisher = aggregatePublisher(node, file);
              if (publisher && publisher.channel !== null) messaging.push(publisher);
            }
            return true;
          }
          case 'method_declaration':
            methodFacts(node, file, types);
            declaredBreakers(node, path, breakers);
            messaging.push(...listenerEndpoints(annotationsOf(node), file));
            return true;
          case 'field_declaration': {
            const grpc = grpcClientField(node, file);
            if (grpc) calls.push(grpc);
            note(sessionUse(node, file));
            return true;
          }
          case 'formal_parameter':
            note(sessionUse(node, file));
            return true;
          case 'method_reference':
            invoked(node);
            return true;
          case 'method_invocation': {
            const name = node.childForFieldName('name')?.text ?? '';
            invoked(node);
            if (!INTERESTING.has(name)) return true;
            const call = callOfInvocation(node, file);
            if (call) found.push(call);
            const endpoint = invocationEndpoint(node, file);
            if (endpoint) messaging.push(endpoint);
            routes.push(...dslRoute(node, file));
            if (BREAKER_CALLS.has(name) || ((name === 'create' || name === 'ofDefaults' || name === 'of') && /CircuitBreaker/.test(node.childForFieldName('object')?.text ?? ''))) {
              breakers.push({ what: node.text.split('(')[0]!.slice(0, 80), location: { file: path, line: lineOf(node) } });
            }
            if (name === 'getSession') note(sessionUse(node, file));
            return true;
          }
          case 'object_creation_expression': {
            const call = callOfCreation(node, file);
            if (call) found.push(call);
            return true;
          }
          default:
            return true;
        }
      });

      for (const call of found) {
        const line = lineOf(call.node.childForFieldName('name') ?? call.node);
        const owner = ownerOf(call.node);
        if (owner) graph.callers.push({ ...owner, line });
        calls.push({
          kind: call.kind,
          client: call.client,
          method: call.method,
          url: call.address?.url ?? null,
          target: null,
          envVar: call.address?.envVar ?? null,
          configKey: call.address?.configKey ?? null,
          serviceId: null,
          breaker: underBreaker(call.node),
          inLoop: inLoop(call.node),
          location: { file: path, line },
        });
      }
      const gateways = [];
      if (routes.length > 0) {
        // A route chain nests outside in (`build(route(route(routes())))`): source order is line order.
        routes.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
        gateways.push({ implementation: 'spring-cloud-gateway', runsIn: null, routes, location: routes[0]!.location });
      }
      if (zuulAt) {
        const location = { file: path, line: lineOf(zuulAt) };
        gateways.push({ implementation: 'zuul', runsIn: null, routes: [], location });
        breakers.push({ what: '@EnableZuulProxy: serviceId routes run in Hystrix commands', location });
      }
      const result: ExtractResult = {
        language: 'java',
        calls: calls.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0)),
        messaging,
        breakers,
        tracing,
        traceExport,
        gateways,
        health: types.health,
        platform: types.platform,
        entryPoints: types.entryPoints,
        configBindings: types.configBindings,
        localState,
      };
      // Only what the join can follow: a file without calls and without typed invocations adds nothing to the graph.
      if (graph.callers.length > 0 || graph.invocations.length > 0) result.classGraph = graph;
      return Object.fromEntries(Object.entries(result).filter(([, v]) => !Array.isArray(v) || v.length > 0)) as ExtractResult;
    });
  },
});

/** `@CircuitBreaker(name = "x")` / `@HystrixCommand` on a method or class. */
function declaredBreakers(declaration: SyntaxNode, path: string, out: Evidence[]): void {
  for (const annotation of annotationsOf(declaration)) {
    const name = annotationName(annotation);
    if (!BREAKER_ANNOTATIONS.has(name)) continue;
    const owner = declaration.childForFieldName('name')?.text ?? '';
    out.push({ what: `@${name}${annotation.childForFieldName('arguments')?.text ?? ''} ${owner}`.slice(0, 120), location: { file: path, line: lineOf(annotation) } });
  }
}

/** `@GrpcClient("orders") OrdersBlockingStub stub;` (grpc-spring-boot-starter): a gRPC client of a named channel. */
function grpcClientField(field: SyntaxNode, file: JavaFile): OutboundCall | null {
  const annotation = annotationsOf(field).find((a) => annotationName(a) === 'GrpcClient');
  if (!annotation) return null;
  const name = constantOf(annotationElements(annotation).get('value'), file);
  return {
    kind: 'grpc',
    client: 'grpc',
    method: null,
    url: null,
    target: null,
    envVar: null,
    configKey: name ? `grpc.client.${name}.address` : null,
    serviceId: name,
    breaker: false,
    inLoop: false,
    location: { file: file.path, line: lineOf(field) },
  };
}
