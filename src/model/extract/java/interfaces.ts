/**
 * Declarative HTTP clients: `@FeignClient` interfaces (each declared method is a call; `name` is the service id,
 * `url` the address when given; a `fallback`/`fallbackFactory` is breaker evidence that only counts when Feign's
 * circuit breakers are switched on in configuration) and Spring `@HttpExchange` interfaces.
 */
import type { Evidence } from '../../facts.js';
import type { OutboundCall } from '../../types.js';
import { lineOf, type SyntaxNode } from '../tree-sitter.js';
import { qualify, type JavaFile } from './scope.js';
import { annotationElements, annotationName, annotationsOf, elementsOf, findAnnotation } from './syntax.js';
import { evaluate, leadingPlaceholder } from './values.js';

const FEIGN = new Set(['FeignClient']);
const EXCHANGE = new Set(['HttpExchange']);
const BREAKERS = new Set(['CircuitBreaker', 'HystrixCommand']);
const MAPPINGS: Record<string, string | null> = {
  GetMapping: 'GET',
  PostMapping: 'POST',
  PutMapping: 'PUT',
  DeleteMapping: 'DELETE',
  PatchMapping: 'PATCH',
  RequestMapping: null,
  GetExchange: 'GET',
  PostExchange: 'POST',
  PutExchange: 'PUT',
  DeleteExchange: 'DELETE',
  PatchExchange: 'PATCH',
  HttpExchange: null,
};

/** A constant string an annotation element holds (literal, constant, `${placeholder}`), or null. */
export function constantOf(node: SyntaxNode | undefined, file: JavaFile): string | null {
  if (!node) return null;
  const value = evaluate(elementsOf(node)[0] ?? null, file);
  return value && !value.unknown ? value.url : null;
}

/** A mapping annotation's method and path (`@GetMapping("/x")`, `@RequestMapping(method = POST, value = "/x")`, `@RequestLine("GET /x")`). */
function mappingOf(method: SyntaxNode, file: JavaFile): { verb: string | null; path: string } {
  for (const annotation of annotationsOf(method)) {
    const name = annotationName(annotation);
    const elements = annotationElements(annotation);
    if (name === 'RequestLine') {
      const line = constantOf(elements.get('value'), file) ?? '';
      const space = line.indexOf(' ');
      return space === -1 ? { verb: null, path: line } : { verb: line.slice(0, space), path: line.slice(space + 1).trim() };
    }
    if (!(name in MAPPINGS)) continue;
    const path = constantOf(elements.get('value') ?? elements.get('path') ?? elements.get('url'), file) ?? '';
    const declared = elements.get('method')?.text ?? '';
    const verb = MAPPINGS[name] ?? (declared ? declared.slice(declared.lastIndexOf('.') + 1).replace(/[^A-Z]/g, '') || null : null);
    return { verb, path };
  }
  return { verb: null, path: '' };
}

/** The calls of a declarative client interface, and the fallback it names (as breaker evidence). */
export function interfaceCalls(type: SyntaxNode, file: JavaFile): { calls: OutboundCall[]; breakers: Evidence[] } | null {
  const feign = findAnnotation(type, FEIGN);
  const exchange = feign ? null : findAnnotation(type, EXCHANGE);
  const body = type.childForFieldName('body');
  const methods = (body?.namedChildren ?? []).filter((m): m is SyntaxNode => m?.type === 'method_declaration');
  if (!exchange && !feign && !methods.some((m) => annotationsOf(m).some((a) => annotationName(a).endsWith('Exchange')))) return null;
  const elements = feign ? annotationElements(feign) : exchange ? annotationElements(exchange) : new Map<string, SyntaxNode>();
  const serviceId = feign ? constantOf(elements.get('name') ?? elements.get('value') ?? elements.get('serviceId'), file) : null;
  const base = constantOf(elements.get(feign ? 'url' : 'value') ?? elements.get('url'), file);
  const classMapping = findAnnotation(type, new Set(['RequestMapping']));
  const prefix = (feign ? constantOf(elements.get('path'), file) : null) ?? (classMapping ? (constantOf(annotationElements(classMapping).get('value') ?? annotationElements(classMapping).get('path'), file) ?? '') : '');
  const typeBreaker = annotationsOf(type).some((a) => BREAKERS.has(annotationName(a)));
  const calls: OutboundCall[] = methods.map((method) => {
    const mapping = mappingOf(method, file);
    const url = base ? `${base}${prefix}${mapping.path}` : null;
    return {
      kind: 'http',
      client: feign ? 'Feign' : 'HttpExchange',
      method: mapping.verb,
      url,
      target: null,
      envVar: null,
      configKey: base ? leadingPlaceholder(base) : null,
      serviceId: serviceId ? (serviceId.startsWith('${') ? null : serviceId) : null,
      breaker: typeBreaker || annotationsOf(method).some((a) => BREAKERS.has(annotationName(a))),
      inLoop: false,
      location: { file: file.path, line: lineOf(method) },
    };
  });
  const breakers: Evidence[] = [];
  for (const key of ['fallback', 'fallbackFactory']) {
    const fallback = elements.get(key);
    if (!fallback || !feign) continue;
    const name = fallback.text.replace(/\.class$/, '');
    breakers.push({
      what: `@FeignClient ${key} ${qualify(file, name)} (active only when feign.circuitbreaker.enabled / feign.hystrix.enabled is true)`,
      location: { file: file.path, line: lineOf(fallback) },
    });
  }
  return { calls, breakers };
}
