/**
 * Calls through a wrapper module: `client.get('/x')` on a client made by
 * `createServiceClient(...)`, `payments.charge(order)` on an imported client
 * object, `this.payments.charge()` on an injected client class. Recorded as
 * candidates; the join step keeps those whose wrapper uses a circuit breaker,
 * or whose wrapper hands the address argument on to an HTTP client.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { VERBS } from './source-http.js';
import type { RawCall, Val } from './source-types.js';
import { evaluate, literalText, unwrap } from './source-values.js';

/** Arguments looked at for an address. */
export const ADDRESS_ARGUMENTS = 4;

/**
 * A value that may be an address handed to a wrapper: a path (`/api/x`) or URL, a template or concatenation on
 * a known prefix, an environment variable, a constant of another module, a configuration key, a service's name.
 */
export function addressLike(val: Val | null): boolean {
  if (!val) return false;
  switch (val.t) {
    case 'str':
      return val.base !== undefined || val.s.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(val.s);
    case 'env':
    case 'ref':
    case 'key':
    case 'hint':
      return true;
    default:
      return false;
  }
}

/** Methods of a client or breaker that make no request. */
const NOT_CALLS = new Set([
  'on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'emit', 'close', 'shutdown', 'destroy', 'dispose',
  'fallback', 'stats', 'status', 'toJSON', 'toString', 'then', 'catch', 'finally', 'enable', 'disable', 'open', 'isOpen', 'bind', 'call', 'apply',
]);

function option(w: FileWalk, node: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const t = w.ts;
  const obj = node && unwrap(t, node);
  if (!obj || !t.isObjectLiteralExpression(obj)) return undefined;
  for (const prop of obj.properties) if (t.isPropertyAssignment(prop) && t.isIdentifier(prop.name) && prop.name.text === key) return prop.initializer;
  return undefined;
}

export function visitWrapperCall(w: FileWalk, node: ts.CallExpression): void {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  if (!t.isPropertyAccessExpression(callee) || NOT_CALLS.has(callee.name.text)) return;
  // The receiver: an identifier or `this.x`.
  const receiver = unwrap(t, callee.expression);
  const isName = t.isIdentifier(receiver);
  let key: string;
  if (isName) key = receiver.text;
  else if (t.isPropertyAccessExpression(receiver) && receiver.expression.kind === t.SyntaxKind.ThisKeyword) key = `this.${receiver.name.text}`;
  else return;
  if (w.breakerVars.has(key)) return;
  const instance = w.instances.get(key);
  let via: string;
  if (instance) via = instance.via;
  else if (isName && (w.imports.get(key)?.relative || w.breakerDecls.has(key))) via = key;
  else return;
  const method = callee.name.text;
  const args = node.arguments;
  const first = args[0] && unwrap(t, args[0]);
  let verb = VERBS.get(method) ?? null;
  let url = null;
  if (verb) url = evaluate(w, first);
  else if (method === 'request' && first && t.isObjectLiteralExpression(first)) {
    verb = literalText(t, option(w, first, 'method'))?.toUpperCase() ?? null;
    url = evaluate(w, option(w, first, 'path') ?? option(w, first, 'url'));
  }
  w.addCall(node, { kind: 'http', client: '', method: verb, url, via: { binding: via, init: instance?.init ?? null }, ...passed(w, args, via, method, verb !== null && method !== 'request' ? url : undefined) });
}

/**
 * The first argument of a method call on a wrapper that holds an address, or a parameter of the enclosing function
 * (`getJson(path) { return this.http.get(path) }`: the join follows such chains).
 */
function passed(w: FileWalk, args: ts.NodeArray<ts.Expression>, callee: string, member: string, first: Val | null | undefined): Pick<RawCall, 'passes'> {
  for (let index = 0; index < args.length && index < ADDRESS_ARGUMENTS; index++) {
    const value = index === 0 && first !== undefined ? first : evaluate(w, args[index]);
    if (value && (addressLike(value) || (value.t === 'param' && value.p.length === 0))) return { passes: { callee, member, index, url: value } };
  }
  return {};
}
