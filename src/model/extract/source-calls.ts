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
import { visitRequire } from './source-modules.js';
import { visitRouteCall } from './source-routes.js';
import { visitSignalsCall, visitStateNew, visitTracingNew } from './source-signals.js';
import { rootIdentifier, unwrap } from './source-values.js';
import { visitWrapperCall } from './source-wrappers.js';

export type Visit = (node: ts.Node) => void;

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex']);

function visitArguments(w: FileWalk, node: ts.CallExpression | ts.NewExpression, visit: Visit, loop: boolean, guard: string | null): void {
  const t = w.ts;
  const args = node.arguments;
  if (!args || args.length === 0) return;
  const run = breakerArguments(w, node);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as ts.Expression;
    if (!t.isFunctionLike(unwrap(t, arg))) {
      visit(arg);
      continue;
    }
    w.nextFnProtected = run.includes(i);
    if (loop) w.loopDepth++;
    if (guard) w.guards.push(guard);
    visit(arg);
    if (guard) w.guards.pop();
    if (loop) w.loopDepth--;
  }
}

export function visitCall(w: FileWalk, node: ts.CallExpression, visit: Visit): void {
  const t = w.ts;
  if (visitRequire(w, node)) return;
  const callee = unwrap(t, node.expression);
  // Calls by name inside a function, for breakers that run it: f(), this.f()
  if (w.currentFn >= 0) {
    if (t.isIdentifier(callee)) w.edges.push([w.currentFn, callee.text]);
    else if (t.isPropertyAccessExpression(callee) && callee.expression.kind === t.SyntaxKind.ThisKeyword) w.edges.push([w.currentFn, callee.name.text]);
  }
  const http = visitHttpCall(w, node);
  const matched = http || visitMessagingCall(w, node);
  visitSignalsCall(w, node);
  if (!http) visitRouteCall(w, node);
  if (!matched) visitWrapperCall(w, node);
  visit(node.expression);
  const loop = t.isPropertyAccessExpression(callee) && LOOP_CALLBACKS.has(callee.name.text);
  const guard = rootIdentifier(t, callee);
  visitArguments(w, node, visit, loop, guard);
}

export function visitNew(w: FileWalk, node: ts.NewExpression, visit: Visit): void {
  visitGrpcClient(w, node);
  visitTracingNew(w, node);
  visitStateNew(w, node);
  visit(node.expression);
  visitArguments(w, node, visit, false, null);
}
