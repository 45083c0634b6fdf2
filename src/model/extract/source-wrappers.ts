/**
 * Calls through a wrapper module: `client.get('/x')` on a client made by
 * `createServiceClient(...)`, `payments.charge(order)` on an imported client
 * object, `this.payments.charge()` on an injected client class. Recorded as
 * candidates; the join step keeps those whose wrapper uses a circuit breaker.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { VERBS } from './source-http.js';
import { evaluate, literalText, unwrap } from './source-values.js';

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
  w.addCall(node, { kind: 'http', client: '', method: verb, url, via: { binding: via, init: instance?.init ?? null } });
}
