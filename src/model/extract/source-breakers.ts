/**
 * Circuit breakers: opossum (`new CircuitBreaker(action)`), cockatiel
 * (`circuitBreaker(...)`, `wrap(...)`, `policy.execute(() => …)`). A call is
 * behind a breaker when it sits in a function the breaker runs, or in a
 * function of the same file that such a function calls by name.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { accessPath, unwrap } from './source-values.js';

const OPOSSUM = new Set(['opossum', 'brakes']);
const COCKATIEL_FACTORIES = new Set(['circuitBreaker', 'wrap']);
const NONE: readonly number[] = [];
const FIRST: readonly number[] = [0];

function calleeName(t: typeof ts, callee: ts.Expression): string | null {
  if (t.isIdentifier(callee)) return callee.text;
  if (t.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
}

/** `new CircuitBreaker(action, options)` (opossum, or any class of that name). */
export function isBreakerNew(w: FileWalk, node: ts.NewExpression): boolean {
  const t = w.ts;
  const name = calleeName(t, node.expression);
  if (name === 'CircuitBreaker') return true;
  const lib = t.isIdentifier(node.expression) ? w.libraryOf(node.expression.text) : null;
  return lib !== null && OPOSSUM.has(lib);
}

/** cockatiel's `circuitBreaker(handleAll, {...})` / `wrap(retry, breaker)` / `Policy.handleAll().circuitBreaker(...)`. */
function isCockatielFactory(w: FileWalk, node: ts.CallExpression): boolean {
  const name = calleeName(w.ts, node.expression);
  return name !== null && COCKATIEL_FACTORIES.has(name) && w.libraries.has('cockatiel');
}

/** Whether an initialiser creates a breaker (so the variable is one). */
export function createsBreaker(w: FileWalk, init: ts.Expression): boolean {
  const t = w.ts;
  const node = unwrap(t, init);
  if (t.isNewExpression(node)) return isBreakerNew(w, node);
  return t.isCallExpression(node) && isCockatielFactory(w, node);
}

/** A function reference handed to a breaker: `action`, `this.call`, `this.call.bind(this)`. */
function protectReference(w: FileWalk, arg: ts.Expression): void {
  const t = w.ts;
  let node = unwrap(t, arg);
  if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind') node = node.expression.expression;
  const path = accessPath(t, node);
  const name = path?.[path.length - 1];
  if (name && name !== 'this') w.protectedNames.add(name);
}

/**
 * For a call or `new`: the indexes of the arguments a breaker runs, after
 * noting breaker creation and use for the current top-level declaration.
 */
export function breakerArguments(w: FileWalk, node: ts.CallExpression | ts.NewExpression): readonly number[] {
  const t = w.ts;
  const args = node.arguments ?? [];
  if (t.isNewExpression(node)) {
    if (!isBreakerNew(w, node)) return NONE;
    w.markBreakerUse();
    if (args[0]) protectReference(w, args[0]);
    return FIRST;
  }
  const callee = node.expression;
  const name = t.isIdentifier(callee) ? callee.text : t.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (COCKATIEL_FACTORIES.has(name) && w.libraries.has('cockatiel')) {
    w.markBreakerUse();
    return NONE;
  }
  if ((name !== 'execute' && name !== 'fire') || !t.isPropertyAccessExpression(callee)) return NONE;
  const path = accessPath(t, callee.expression);
  const key = path ? (path[0] === 'this' ? `this.${path[1] ?? ''}` : path[0]) : undefined;
  const known = key !== undefined && w.breakerVars.has(key);
  if (!known && !(name === 'execute' && w.libraries.has('cockatiel'))) return NONE;
  w.markBreakerUse();
  if (name === 'fire') return NONE;
  for (const arg of args) protectReference(w, arg);
  return args.map((_, i) => i);
}

/** Resolves, after the walk, which calls run behind a breaker of this file. */
export function closeBreakers(w: FileWalk): void {
  const protectedSet = new Set(w.protectedFns);
  for (const name of w.protectedNames) for (const id of w.fnByName.get(name) ?? []) protectedSet.add(id);
  w.closure(protectedSet);
  const local = w.breakerDecls;
  for (const call of w.calls) {
    if ((protectedSet.size > 0 && w.isProtected(call.fn, protectedSet)) || call.guards.some((g) => local.has(g))) call.breaker = true;
    if (call.guards.length > 0) call.guards = call.guards.filter((g) => w.imports.get(g)?.relative === true);
  }
}
