/**
 * What Java type and method declarations show beyond calls: entry points, platform servers, health
 * indicators and endpoints, configuration-properties bindings, Spring Cloud Gateway routes in the Java DSL,
 * Zuul, and state kept in the process.
 */
import type { Evidence, GatewayRoute } from '../../facts.js';
import type { LocalState } from '../../types.js';
import { lineOf, walk, type SyntaxNode } from '../tree-sitter.js';
import { qualify, type JavaFile } from './scope.js';
import { annotationElements, annotationName, annotationsOf, argumentsOf, chainBelow, findAnnotation, methodName, simpleType, stringValue } from './syntax.js';
import { constantOf } from './interfaces.js';
import { evaluate } from './values.js';

const PLATFORM = new Set(['EnableConfigServer', 'EnableEurekaServer', 'EnableHystrixDashboard', 'EnableTurbine', 'EnableTurbineStream', 'EnableAdminServer', 'EnableZipkinServer', 'EnableZipkinStreamServer']);
const APPLICATIONS = new Set(['SpringBootApplication', 'QuarkusMain', 'MicronautApplication']);
const HEALTH_TYPES = /\b(HealthIndicator|ReactiveHealthIndicator|AbstractHealthIndicator|AbstractReactiveHealthIndicator|HealthContributor|CompositeHealthContributor|HealthCheck)\b/;
const HEALTH_ANNOTATIONS = new Set(['Liveness', 'Readiness', 'Startup']);
const ROUTE_ANNOTATIONS = new Set(['GetMapping', 'RequestMapping', 'Path', 'Get']);
const HEALTH_PATHS = new Set(['health', 'healthz', 'healthcheck', 'ready', 'readiness', 'readyz', 'live', 'liveness', 'livez']);
const STORES = new Set(['Repository']);
const COLLECTIONS = /^(ConcurrentHashMap|HashMap|LinkedHashMap|TreeMap|ArrayList|CopyOnWriteArrayList|HashSet|ConcurrentSkipListMap)\b/;

export interface TypeFacts {
  platform: Evidence[];
  entryPoints: Evidence[];
  health: Evidence[];
  configBindings: Array<{ className: string; prefix: string; location: { file: string; line: number } }>;
  localState: LocalState[];
  zuul: boolean;
}

const at = (file: JavaFile, node: SyntaxNode) => ({ file: file.path, line: lineOf(node) });

/** Facts of one type declaration (class, interface, record, enum). */
export function typeFacts(type: SyntaxNode, file: JavaFile, out: TypeFacts): void {
  const name = type.childForFieldName('name')?.text ?? '?';
  for (const annotation of annotationsOf(type)) {
    const annotationId = annotationName(annotation);
    if (PLATFORM.has(annotationId)) out.platform.push({ what: `@${annotationId} ${name}`, location: at(file, annotation) });
    if (APPLICATIONS.has(annotationId)) out.entryPoints.push({ what: `@${annotationId} ${name}`, location: at(file, annotation) });
    if (HEALTH_ANNOTATIONS.has(annotationId)) out.health.push({ what: `@${annotationId} ${name}`, location: at(file, annotation) });
    if (annotationId === 'EnableZuulProxy') out.zuul = true;
    if (annotationId === 'ConfigurationProperties') {
      const elements = annotationElements(annotation);
      const prefix = constantOf(elements.get('prefix') ?? elements.get('value'), file);
      if (prefix) out.configBindings.push({ className: qualify(file, name), prefix, location: at(file, annotation) });
    }
  }
  const supertypes = `${type.childForFieldName('superclass')?.text ?? ''} ${type.childForFieldName('interfaces')?.text ?? ''}`;
  if (HEALTH_TYPES.test(supertypes)) out.health.push({ what: `health indicator ${name}`, location: at(file, type) });
  if (findAnnotation(type, STORES)) {
    for (const member of type.childForFieldName('body')?.namedChildren ?? []) {
      if (member?.type !== 'field_declaration') continue;
      const value = member.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('value');
      const created = value?.type === 'object_creation_expression' ? value.childForFieldName('type')?.text ?? '' : '';
      if (COLLECTIONS.test(created)) out.localState.push({ kind: 'in-memory-store', detail: `@Repository ${name} keeps data in a ${simpleType(value!.childForFieldName('type'))}`, location: at(file, member) });
    }
  }
}

/** Facts of one method declaration: `main`, health routes. */
export function methodFacts(method: SyntaxNode, file: JavaFile, out: TypeFacts): void {
  const name = method.childForFieldName('name')?.text;
  if (name === 'main') {
    const modifiers = method.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
    const params = method.childForFieldName('parameters')?.namedChildren ?? [];
    if (/\bstatic\b/.test(modifiers) && /\bpublic\b/.test(modifiers) && params.length === 1 && /String/.test(params[0]?.text ?? '')) {
      const owner = method.parent?.parent?.childForFieldName('name')?.text ?? '?';
      out.entryPoints.push({ what: `${owner}.main`, location: at(file, method) });
    }
  }
  for (const annotation of annotationsOf(method)) {
    if (!ROUTE_ANNOTATIONS.has(annotationName(annotation))) continue;
    const elements = annotationElements(annotation);
    const path = stringValue(elements.get('value') ?? elements.get('path') ?? null) ?? '';
    const last = path.split('/').filter(Boolean).at(-1)?.toLowerCase() ?? '';
    if (HEALTH_PATHS.has(last)) out.health.push({ what: `${annotationName(annotation)}("${path}")`, location: at(file, annotation) });
  }
}

/** `HttpSession` held or asked for: sessions in the process memory, unless something (Spring Session) stores them outside. */
export function sessionUse(node: SyntaxNode, file: JavaFile): LocalState | null {
  if (node.type === 'method_invocation' && methodName(node) === 'getSession' && argumentsOf(node).length <= 1) {
    return { kind: 'memory-session', detail: `${node.text.slice(0, 60)}`, location: at(file, node) };
  }
  if ((node.type === 'formal_parameter' || node.type === 'field_declaration') && simpleType(node.childForFieldName('type')) === 'HttpSession') {
    return { kind: 'memory-session', detail: 'HttpSession', location: at(file, node) };
  }
  return null;
}

/** Spring Cloud Gateway Java DSL: `builder.routes().route(r -> r.path("/x/**")….uri("lb://x"))`. */
export function dslRoute(invocation: SyntaxNode, file: JavaFile): GatewayRoute[] {
  if (methodName(invocation) !== 'route' || !chainBelow(invocation).some((s) => methodName(s) === 'routes')) return [];
  const lambda = argumentsOf(invocation).find((a) => a.type === 'lambda_expression');
  if (!lambda) return [];
  const paths: string[] = [];
  let host: string | null = null;
  let upstream: string | null = null;
  let breaker = false;
  walk(lambda, (node) => {
    if (node.type !== 'method_invocation') return;
    const name = methodName(node);
    const args = argumentsOf(node);
    if (name === 'path') paths.push(...args.map((a) => stringValue(a)).filter((p): p is string => p !== null));
    else if (name === 'host') host = stringValue(args[0] ?? null);
    else if (name === 'uri' && args[0]) upstream = evaluate(args[0], file)?.url ?? args[0].text;
    else if (name === 'circuitBreaker' || name === 'hystrix') breaker = true;
  });
  if (upstream === null) return [];
  const location = at(file, invocation.childForFieldName('name') ?? invocation);
  return (paths.length > 0 ? paths : [null]).map((path) => ({ path, host, upstream: upstream!, breaker, location }));
}
