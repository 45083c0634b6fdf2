/**
 * Outbound HTTP and gRPC calls: fetch, undici, axios (and its instances),
 * got, ky, superagent, request (and request-promise), needle, node:http(s),
 * NestJS HttpService, gRPC clients.
 */
import type ts from 'typescript';
import type { ClientBinding, FileWalk } from './source-context.js';
import type { Val } from './source-types.js';
import { accessPath, bindingKey, evaluate, literalText, unwrap } from './source-values.js';

/** Library module → client name. */
const LIBRARIES = new Map(Object.entries({
  axios: 'axios',
  got: 'got',
  ky: 'ky',
  superagent: 'superagent',
  undici: 'undici',
  request: 'request',
  'request-promise': 'request',
  'request-promise-native': 'request',
  needle: 'needle',
  http: 'node:http',
  https: 'node:https',
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
}));
/** Used without an import (globals, injected). */
const GLOBAL_CLIENTS = new Map(Object.entries({ fetch: 'fetch', axios: 'axios', got: 'got', superagent: 'superagent', ky: 'ky' }));
export const VERBS = new Map(Object.entries({ get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', head: 'HEAD', options: 'OPTIONS' }));
/** Methods of a client that take options (method, url) rather than naming the verb. */
const GENERIC = new Set(['request', 'fetch']);
const FACTORIES = new Set(['create', 'extend']);

function optionValue(w: FileWalk, node: ts.Expression | undefined, ...keys: string[]): ts.Expression | undefined {
  const t = w.ts;
  if (!node) return undefined;
  const obj = unwrap(t, node);
  if (!t.isObjectLiteralExpression(obj)) return undefined;
  for (const prop of obj.properties) {
    if (t.isPropertyAssignment(prop) && (t.isIdentifier(prop.name) || t.isStringLiteral(prop.name)) && keys.includes(prop.name.text)) return prop.initializer;
  }
  return undefined;
}

/** The `method` option: upper-cased when literal, null when computed, undefined when absent (the client's default). */
function methodOption(w: FileWalk, options: ts.Expression | undefined): string | null | undefined {
  const option = optionValue(w, options, 'method');
  if (!option) return undefined;
  // `method: 'PUT'`, `method: options.method ?? 'GET'`
  const value = evaluate(w, option);
  return value?.t === 'str' && /^[A-Za-z]+$/.test(value.s) ? value.s.toUpperCase() : null;
}

function defaultGet(method: string | null | undefined): string | null {
  return method === undefined ? 'GET' : method;
}

/** `http.request({ hostname: 'payments', port: 3000, path: '/x' })` → `http://payments:3000/x`. */
function optionsUrl(w: FileWalk, options: ts.Expression | undefined, base: Val | null): Val | null {
  const url = evaluate(w, optionValue(w, options, 'url', 'uri'));
  if (url) return url;
  const host = evaluate(w, optionValue(w, options, 'hostname', 'host'));
  if (host?.t !== 'str') return host ?? base;
  const port = optionValue(w, options, 'port');
  const portText = port && w.ts.isNumericLiteral(port) ? `:${port.text}` : (literalText(w.ts, port) ?? '') && `:${literalText(w.ts, port)}`;
  const path = literalText(w.ts, optionValue(w, options, 'path')) ?? '';
  return { t: 'str', s: `http://${host.s}${portText}${path}` };
}

/** An axios/got/ky instance's URL joined to its base: `api.get('/x')` with `baseURL: 'http://payments'`. */
function withBase(base: Val | null, url: Val | null): Val | null {
  if (!base) return url;
  if (base.t === 'str' && url?.t === 'str' && !/^[a-z]+:\/\//i.test(url.s)) return { t: 'str', s: base.s.replace(/\/+$/, '') + (url.s.startsWith('/') ? url.s : `/${url.s}`), ...(base.base ? { base: base.base } : {}) };
  if (url?.t === 'str' && /^[a-z]+:\/\//i.test(url.s)) return url;
  return base;
}

/** The client behind a callee's receiver: a library import, a global, or a bound instance. */
function clientOf(w: FileWalk, receiver: ts.Expression): ClientBinding | null {
  const path = accessPath(w.ts, receiver);
  if (!path) return null;
  // this.httpService.axiosRef.get(...)
  if (path[path.length - 1] === 'axiosRef') path.pop();
  const key = bindingKey(path);
  if (key === null) return null;
  if (path.length <= (path[0] === 'this' ? 2 : 1)) {
    const bound = w.clients.get(key);
    if (bound) return bound;
    if (key === 'this.httpService' || key === 'httpService') return { client: '@nestjs/axios', base: null };
  }
  if (path.length !== 1) return null;
  const lib = w.libraryOf(key);
  if (lib !== null) {
    const client = LIBRARIES.get(lib);
    return client ? { client, base: null } : null;
  }
  if (w.imports.has(key) || w.topLevel.has(key)) return null;
  const global = GLOBAL_CLIENTS.get(key);
  return global ? { client: global, base: null } : null;
}

/** Recognises an outbound HTTP call; returns whether it did. */
export function visitHttpCall(w: FileWalk, node: ts.CallExpression): boolean {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  const args = node.arguments;
  if (t.isIdentifier(callee)) {
    // fetch(url, init), axios(config | url), got(url), request(url) from undici, get(url) from node:http
    const binding = w.imports.get(callee.text);
    const lib = binding && !binding.relative ? binding.mod : null;
    let client: string | undefined;
    if (lib && LIBRARIES.has(lib)) {
      if (binding?.name !== 'default' && binding?.name !== '*' && !VERBS.has(binding?.name ?? '') && !GENERIC.has(binding?.name ?? '')) return false;
      client = LIBRARIES.get(lib);
    } else if (!binding && !w.values.has(callee.text) && !w.topLevel.has(callee.text)) client = GLOBAL_CLIENTS.get(callee.text);
    if (!client) return false;
    const verb = binding && binding.name !== 'default' ? VERBS.get(binding.name) : undefined;
    const first = unwrap(t, args[0] ?? callee);
    if (client === 'superagent' && args.length >= 2 && literalText(t, first)) {
      w.addCall(node, { kind: 'http', client, method: literalText(t, first)?.toUpperCase() ?? null, url: evaluate(w, args[1]) });
      return true;
    }
    const isOptions = t.isObjectLiteralExpression(first);
    const url = isOptions ? optionsUrl(w, first, null) : evaluate(w, args[0]);
    const method = verb ?? defaultGet(methodOption(w, isOptions ? first : args[1]));
    w.addCall(node, { kind: 'http', client, method, url });
    return true;
  }
  if (!t.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  const verb = VERBS.get(name);
  if (!verb && !GENERIC.has(name)) return false;
  const bound = clientOf(w, callee.expression);
  if (!bound) return false;
  const first = args[0] ? unwrap(t, args[0]) : undefined;
  const isOptions = first !== undefined && t.isObjectLiteralExpression(first);
  const url = withBase(bound.base, isOptions ? optionsUrl(w, first, null) : evaluate(w, args[0]));
  const optionsArg = isOptions ? first : ['post', 'put', 'patch'].includes(name) && bound.client !== 'node:http' && bound.client !== 'node:https' ? args[2] : args[1];
  const method = verb ?? defaultGet(methodOption(w, optionsArg));
  w.addCall(node, { kind: 'http', client: bound.client, method, url });
  return true;
}

/** `const api = axios.create({ baseURL })`, `got.extend({ prefixUrl })`: an instance bound to a name. */
export function clientFactory(w: FileWalk, init: ts.Expression): ClientBinding | null {
  const t = w.ts;
  const node = unwrap(t, init);
  if (!t.isCallExpression(node) || !t.isPropertyAccessExpression(node.expression) || !FACTORIES.has(node.expression.name.text)) return null;
  const bound = clientOf(w, node.expression.expression);
  if (!bound || !['axios', 'got', 'ky'].includes(bound.client)) return null;
  const base = evaluate(w, optionValue(w, node.arguments[0], 'baseURL', 'prefixUrl'));
  return { client: bound.client, base: base ?? bound.base };
}

/** `new PaymentsClient('payments:50051', credentials.createInsecure())` with @grpc/grpc-js. */
export function visitGrpcClient(w: FileWalk, node: ts.NewExpression): boolean {
  const t = w.ts;
  const args = node.arguments ?? [];
  if (args.length < 2 || !w.importsAny('@grpc/grpc-js', 'grpc')) return false;
  const second = unwrap(t, args[1] as ts.Expression);
  const creds = accessPath(t, t.isCallExpression(second) ? second.expression : second);
  if (!creds?.some((part) => /cred/i.test(part))) return false;
  const callee = accessPath(t, node.expression);
  const client = callee?.[callee.length - 1];
  if (!client) return false;
  w.addCall(node, { kind: 'grpc', client, method: null, url: evaluate(w, args[0]) });
  return true;
}
