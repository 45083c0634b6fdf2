/**
 * Call sites: each call or `new` goes to the concern visitors (HTTP,
 * messaging, signals, routes, wrappers), then its function arguments are
 * walked with the context they run in: a loop (`.map(…)`), a breaker
 * (`new CircuitBreaker(…)`, `policy.execute(…)`), an enclosing callee (for
 * breakers resolved across files).
 */
import type ts from 'typescript';
import { breakerArguments } from './source-breakers.js';
import type { FileWalk } from './source-context.js';
import { visitGrpcClient, visitHttpCall } from './source-http.js';
import { visitMessagingCall } from './source-messaging.js';
import { visitNestSetup } from './source-nest.js';
import { visitRequire } from './source-modules.js';
import { visitRouteCall } from './source-routes.js';
import { visitSignalsCall, visitStateNew, visitTracingNew } from './source-signals.js';
import { alternatives, rootIdentifier, unwrap } from './source-values.js';
import { ADDRESS_ARGUMENTS, addressLike, visitWrapperCall } from './source-wrappers.js';

export type Visit = (node: ts.Node) => void;

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex']);
/** Method names some concern looks at; other member calls can only be calls through a wrapper. */
const CONCERN_METHODS = new Set([
  ...['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request', 'fetch'],
  ...['send', 'emit', 'sendBatch', 'subscribe', 'sendToQueue', 'consume', 'bindQueue', 'publish', 'getService'],
  ...['init', 'start', 'register', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'outputFile', 'outputFileSync', 'writeJson', 'writeJsonSync', 'outputJson'],
  ...['all', 'use', 'route', 'setGlobalPrefix'],
]);
/** NestJS set-up calls, looked at once their arguments are walked. */
const NEST_SETUP = new Set(['register', 'registerAsync', 'createMicroservice', 'connectMicroservice']);
/** Functions some concern looks at without an import. */
const CONCERN_GLOBALS = new Set(['fetch', 'axios', 'got', 'superagent', 'ky', 'registerInstrumentations', 'registerOTel']);

function visitArguments(w: FileWalk, node: ts.CallExpression | ts.NewExpression, visit: Visit, loop: boolean, callee: ts.Expression | null): void {
  const t = w.ts;
  const args = node.arguments;
  if (!args || args.length === 0) return;
  const run = breakerArguments(w, node);
  let guard: string | null | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as ts.Expression;
    if (!t.isFunctionLike(unwrap(t, arg))) {
      visit(arg);
      continue;
    }
    guard ??= callee && rootIdentifier(t, callee);
    w.nextFnProtected = run.includes(i);
    if (loop) [w.loopDepth, w.itemLoopDepth] = [w.loopDepth + 1, w.itemLoopDepth + 1];
    if (guard) w.guards.push(guard);
    visit(arg);
    if (guard) w.guards.pop();
    if (loop) [w.loopDepth, w.itemLoopDepth] = [w.loopDepth - 1, w.itemLoopDepth - 1];
  }
}

export function visitCall(w: FileWalk, node: ts.CallExpression, visit: Visit): void {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  let loop = false;
  if (t.isIdentifier(callee)) {
    const name = callee.text;
    if (name === 'require' && visitRequire(w, node)) return;
    // Calls by name inside a function, for breakers that run it: f(), this.f()
    if (w.currentFn >= 0) w.edges.push([w.currentFn, name]);
    if (w.itemLoopDepth > 0) w.loopCalls.add(name);
    const binding = w.imports.get(name);
    if (binding || CONCERN_GLOBALS.has(name)) {
      visitHttpCall(w, node);
      visitSignalsCall(w, node);
    }
    if (binding?.relative || w.topLevel.has(name)) {
      recordFlows(w, node, name);
      if (binding) for (const top of w.topNames) w.topCallees.set(top, (w.topCallees.get(top) ?? new Set()).add(name));
    }
  } else if (t.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (callee.expression.kind === t.SyntaxKind.ThisKeyword) {
      if (w.currentFn >= 0) w.edges.push([w.currentFn, method]);
      if (w.itemLoopDepth > 0) w.loopCalls.add(method);
    }
    let matched = false;
    if (CONCERN_METHODS.has(method)) {
      const http = visitHttpCall(w, node);
      matched = http || visitMessagingCall(w, node);
      visitSignalsCall(w, node);
      if (!http) visitRouteCall(w, node);
    }
    if (!matched) visitWrapperCall(w, node);
    loop = LOOP_CALLBACKS.has(method);
  } else if (callee.kind === t.SyntaxKind.ImportKeyword && visitRequire(w, node)) return;
  visit(node.expression);
  visitArguments(w, node, visit, loop, callee);
  if (t.isPropertyAccessExpression(callee) && NEST_SETUP.has(callee.name.text)) visitNestSetup(w, node);
}

/**
 * Strings, constants, conditions and option objects passed to a function or class of the service, for
 * channels and addresses that are its parameters. A call that passes an address is also a candidate call
 * through a URL-parameter wrapper (`get(\`${BASE}/x\`)`), kept by the join if `callee` is one.
 */
function recordFlows(w: FileWalk, node: ts.CallExpression | ts.NewExpression, callee: string): void {
  const t = w.ts;
  const args = node.arguments ?? [];
  let address = -1;
  for (let index = 0; index < args.length && index < ADDRESS_ARGUMENTS; index++) {
    const arg = unwrap(t, args[index] as ts.Expression);
    if (!(t.isStringLiteralLike(arg) || t.isTemplateExpression(arg) || t.isConditionalExpression(arg) || t.isIdentifier(arg) || t.isPropertyAccessExpression(arg) || t.isObjectLiteralExpression(arg) || t.isBinaryExpression(arg))) continue;
    const value = alternatives(w, arg);
    if (!value) continue;
    w.result.flows.push({ callee, index, value, location: w.location(node) });
    if (address === -1 && t.isCallExpression(node) && addressLike(value)) {
      address = index;
      w.addCall(node, { kind: 'http', client: '', method: null, url: null, passes: { callee, member: null, index, url: value } });
    }
  }
}

export function visitNew(w: FileWalk, node: ts.NewExpression, visit: Visit): void {
  const t = w.ts;
  visitGrpcClient(w, node);
  visitTracingNew(w, node);
  visitStateNew(w, node);
  // new OrdersProxy({ baseUrl: process.env.ORDERS_URL }): what the constructor's parameters hold
  if (t.isIdentifier(node.expression) && (w.imports.get(node.expression.text)?.relative || w.topLevel.has(node.expression.text))) recordFlows(w, node, node.expression.text);
  visit(node.expression);
  visitArguments(w, node, visit, false, null);
}
