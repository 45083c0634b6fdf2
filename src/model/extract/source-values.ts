/**
 * What an expression holds, as far as one file can tell: URLs, topics and
 * queue names are string literals, templates, environment variables, or
 * constants and config objects defined elsewhere (kept as references).
 */
import type ts from 'typescript';
import type { ImportBinding, Val } from './source-types.js';
import type { ServiceMatcher } from './source-targets.js';

export interface ValueScope {
  ts: typeof ts;
  sf: ts.SourceFile;
  /** Variables (and `this.x` members) with a known value, in walk order. */
  values: Map<string, Val>;
  imports: Map<string, ImportBinding>;
  matcher: ServiceMatcher;
  /** The named function (or class constructor) a name is a parameter of, with the property path of a destructured one. */
  paramOf?(name: string): { fn: string; index: number; path: string[] } | null;
}

/** The last part of a property path that holds an address: `config.orders.host`, `services.payments.baseUrl`. */
const ADDRESS_WORD = /^(host(name)?|ur[il]|base_?ur[il]|address|endpoint|(tcp|http|grpc)?_?port)$/i;

/** The service a property path names: its last part, or the part before an address word (`config.subscriptions.host`). */
export function serviceOfPath(matcher: ServiceMatcher, path: readonly string[]): string | null {
  const last = path[path.length - 1];
  if (last === undefined || last === 'this') return null;
  const named = matcher.fromName(last);
  if (named !== null || path.length < 2 || !ADDRESS_WORD.test(last)) return named;
  const before = path[path.length - 2];
  return before === undefined || before === 'this' ? null : matcher.fromName(before);
}

const MAX_DEPTH = 6;

/** Node kinds that only wrap an expression, as a lookup table (called for most nodes the walk looks at). */
let wrapperKinds: Uint8Array | undefined;

/** Strips parentheses, `as`, `!`, `satisfies`, `await` and type assertions. */
export function unwrap(t: typeof ts, node: ts.Expression): ts.Expression {
  if (!wrapperKinds) {
    const K = t.SyntaxKind;
    wrapperKinds = new Uint8Array(K.Count);
    for (const kind of [K.ParenthesizedExpression, K.AsExpression, K.NonNullExpression, K.SatisfiesExpression, K.AwaitExpression, K.TypeAssertionExpression]) wrapperKinds[kind] = 1;
  }
  while (wrapperKinds[node.kind] === 1) node = (node as ts.ParenthesizedExpression).expression;
  return node;
}

/** The identifier at the root of `a.b.c(…)`/`a[0].b`, or null (`this`, a call, …). */
export function rootIdentifier(t: typeof ts, node: ts.Expression): string | null {
  for (;;) {
    if (t.isPropertyAccessExpression(node) || t.isElementAccessExpression(node) || t.isNonNullExpression(node) || t.isParenthesizedExpression(node)) node = node.expression;
    else return t.isIdentifier(node) ? node.text : null;
  }
}

/** `a.b.c` / `a['b'].c` / `this.a.b` → ['a', 'b', 'c'] (root `this` kept), or null. */
export function accessPath(t: typeof ts, node: ts.Expression): string[] | null {
  const path: string[] = [];
  for (let depth = 0; depth < 8; depth++) {
    node = unwrap(t, node);
    if (t.isIdentifier(node)) return [node.text, ...path.reverse()];
    if (node.kind === t.SyntaxKind.ThisKeyword) return ['this', ...path.reverse()];
    if (t.isPropertyAccessExpression(node) && t.isIdentifier(node.name)) path.push(node.name.text);
    else if (t.isElementAccessExpression(node) && t.isStringLiteralLike(node.argumentExpression)) path.push(node.argumentExpression.text);
    else return null;
    node = (node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
  }
  return null;
}

/** The key a member or variable is stored under: `x`, `this.x`. */
export function bindingKey(path: readonly string[]): string | null {
  if (path[0] === 'this') return path.length >= 2 ? `this.${path[1]}` : null;
  return path[0] ?? null;
}

/** A template literal's text between the backticks, `${…}` kept as written. */
function templateText(scope: ValueScope, node: ts.TemplateExpression): string {
  return scope.sf.text.slice(node.getStart(scope.sf) + 1, node.end - 1);
}

/** `{ key: value }`'s value (or the name of a shorthand `{ key }`), if the node is an object literal that has it. */
export function property(t: typeof ts, obj: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const node = obj && unwrap(t, obj);
  if (!node || !t.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties) {
    if (t.isPropertyAssignment(p) && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
    if (t.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

export function literalText(t: typeof ts, node: ts.Node | undefined): string | null {
  if (!node) return null;
  return t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node) ? node.text : null;
}

export function member(val: Val | undefined, path: readonly string[]): Val | null {
  let current: Val | undefined = val;
  for (let i = 0; i < path.length; i++) {
    if (!current) return null;
    if (current.t === 'ref') return { t: 'ref', b: current.b, p: [...current.p, ...path.slice(i)] };
    if (current.t === 'param') return { ...current, p: [...current.p, ...path.slice(i)] };
    if (current.t !== 'obj') return null;
    current = current.o.get(path[i] as string);
  }
  return current ?? null;
}

/** The value of `a.b.c` given as a path (`process.env.X`, a known variable, an imported binding). */
export function evaluatePath(scope: ValueScope, path: readonly string[]): Val | null {
  const [root, ...rest] = path;
  if (root === undefined) return null;
  if (root === 'process' && rest[0] === 'env' && rest[1]) return { t: 'env', n: rest[1] };
  if (root === 'import' && rest[0] === 'meta' && rest[1] === 'env' && rest[2]) return { t: 'env', n: rest[2] };
  const key = root === 'this' ? `this.${rest.shift() ?? ''}` : root;
  const known = scope.values.get(key);
  if (known) return rest.length === 0 ? known : member(known, rest);
  if (root !== 'this' && scope.imports.has(root)) return { t: 'ref', b: root, p: rest };
  const service = serviceOfPath(scope.matcher, path);
  const param = root === 'this' ? null : (scope.paramOf?.(root) ?? null);
  // A parameter: its callers say what it holds; the name is the fallback.
  if (param) return { t: 'param', fn: param.fn, index: param.index, p: [...param.path, ...rest], ...(service ? { hint: service } : {}) };
  return service ? { t: 'hint', s: service } : null;
}

/** Evaluates an expression to a Val, or null when nothing useful is known. */
export function evaluate(scope: ValueScope, input: ts.Expression | undefined, depth = 0): Val | null {
  if (!input || depth > MAX_DEPTH) return null;
  const t = scope.ts;
  const node = unwrap(t, input);
  if (t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node) || t.isNumericLiteral(node)) return { t: 'str', s: node.text };
  if (t.isTemplateExpression(node)) {
    const text = templateText(scope, node);
    const first = node.head.text === '' ? evaluate(scope, node.templateSpans[0]?.expression, depth + 1) : null;
    if (first?.t === 'env' || first?.t === 'hint') return first;
    return first ? { t: 'str', s: text, base: first } : { t: 'str', s: text };
  }
  if (t.isIdentifier(node) || t.isPropertyAccessExpression(node) || t.isElementAccessExpression(node)) {
    const path = accessPath(t, node);
    return path ? evaluatePath(scope, path) : null;
  }
  if (t.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === t.SyntaxKind.QuestionQuestionToken || op === t.SyntaxKind.BarBarToken) {
      const left = evaluate(scope, node.left, depth + 1);
      if (left?.t === 'env' && left.d === undefined) {
        // `process.env.HOST || 'catalogue'`: the variable, with the code's default.
        const right = evaluate(scope, node.right, depth + 1);
        return right?.t === 'str' ? { ...left, d: right.s } : left;
      }
      return left ?? evaluate(scope, node.right, depth + 1);
    }
    if (op === t.SyntaxKind.PlusToken) {
      const left = evaluate(scope, node.left, depth + 1);
      if (!left || left.t !== 'str') return left;
      const right = evaluate(scope, node.right, depth + 1);
      // `'http://' + host + ':8080'` with an environment variable in the middle: a placeholder the join resolves from
      // the service's settings (or the code's default).
      const piece = right?.t === 'str' ? right.s : right?.t === 'env' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(right.n) ? `\${${right.n}${right.d !== undefined && !/[{}]/.test(right.d) ? `:-${right.d}` : ''}}` : '${…}';
      return { ...left, s: left.s + piece };
    }
    return null;
  }
  if (t.isConditionalExpression(node)) return evaluate(scope, node.whenTrue, depth + 1) ?? evaluate(scope, node.whenFalse, depth + 1);
  if (t.isArrayLiteralExpression(node)) {
    // Spread elements stay as items: the join step flattens lists it resolves them to.
    const items = node.elements.map((e) => evaluate(scope, t.isSpreadElement(e) ? e.expression : e, depth + 1)).filter((v): v is Val => v !== null);
    return items.length > 0 ? { t: 'list', items } : null;
  }
  if (t.isObjectLiteralExpression(node)) {
    if (depth > 3) return null;
    const o = new Map<string, Val>();
    for (const prop of node.properties) {
      const name = prop.name && (t.isIdentifier(prop.name) || t.isStringLiteral(prop.name)) ? prop.name.text : null;
      if (!name) continue;
      const value = t.isPropertyAssignment(prop) ? evaluate(scope, prop.initializer, depth + 1) : t.isShorthandPropertyAssignment(prop) ? evaluate(scope, prop.name, depth + 1) : null;
      if (value) o.set(name, value);
    }
    return o.size > 0 ? { t: 'obj', o } : null;
  }
  if (t.isNewExpression(node) || t.isCallExpression(node)) return evaluateCall(scope, node, depth);
  return null;
}

/** Like evaluate, but a condition gives both branches: `ev === 'created' ? CREATED : DELETED`. */
export function alternatives(scope: ValueScope, input: ts.Expression | undefined, depth = 0): Val | null {
  if (!input) return null;
  const node = unwrap(scope.ts, input);
  if (!scope.ts.isConditionalExpression(node) || depth > MAX_DEPTH) return evaluate(scope, node, depth);
  const items = [alternatives(scope, node.whenTrue, depth + 1), alternatives(scope, node.whenFalse, depth + 1)].filter((v): v is Val => v !== null);
  return items.length === 0 ? null : items.length === 1 ? (items[0] as Val) : { t: 'list', items };
}

function evaluateCall(scope: ValueScope, node: ts.CallExpression | ts.NewExpression, depth: number): Val | null {
  const t = scope.ts;
  const args = node.arguments ?? [];
  const callee = unwrap(t, node.expression);
  const name = t.isIdentifier(callee) ? callee.text : t.isPropertyAccessExpression(callee) ? callee.name.text : '';
  // new URL(path, base) → base; new URL(url) → url
  if (t.isNewExpression(node) && name === 'URL') return evaluate(scope, args[1] ?? args[0], depth + 1);
  if (name === 'String') return evaluate(scope, args[0], depth + 1);
  // NestJS ConfigService and friends: config.get('PAYMENTS_URL'); configService.get('services.orders.url') is a configuration key.
  const first = literalText(t, args[0]);
  if ((name === 'get' || name === 'getOrThrow') && first) {
    if (/^[A-Z][A-Z0-9_]*$/.test(first)) return { t: 'env', n: first };
    const receiver = t.isPropertyAccessExpression(callee) ? accessPath(t, callee.expression) : null;
    if (receiver && /config/i.test(receiver[receiver.length - 1] ?? '') && /^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/.test(first)) return { t: 'key', k: first };
  }
  // `options.baseUrl.replace(/\/+$/, '')`, `url.trim()`, `base.toString()`
  if (t.isPropertyAccessExpression(callee) && ['replace', 'replaceAll', 'trim', 'toString', 'concat'].includes(name)) return evaluate(scope, callee.expression, depth + 1);
  // serviceUrlOf(config, 'payments'): a string argument naming a service
  for (const arg of args) {
    const text = literalText(t, arg);
    if (text !== null && scope.matcher.has(text)) return { t: 'hint', s: text };
  }
  return null;
}
