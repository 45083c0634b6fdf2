/**
 * What a name is bound to: a value, an HTTP client instance, a wrapper
 * instance, a breaker, a NestJS client; and the names a top-level statement
 * declares and exports.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { clientFactory } from './source-http.js';
import { createsBreaker } from './source-breakers.js';
import { visitCommonJsExport } from './source-modules.js';
import { createdClient, NEST_CLIENT_CLASSES } from './source-nest.js';
import type { NestClientOptions, Val, WrapperInit } from './source-types.js';
import { accessPath, bindingKey, evaluate, evaluatePath, literalText, unwrap } from './source-values.js';

function option(w: FileWalk, obj: ts.ObjectLiteralExpression, keys: readonly string[]): ts.Expression | undefined {
  for (const prop of obj.properties) {
    if (w.ts.isPropertyAssignment(prop) && (w.ts.isIdentifier(prop.name) || w.ts.isStringLiteral(prop.name)) && keys.includes(prop.name.text)) return prop.initializer;
    if (w.ts.isShorthandPropertyAssignment(prop) && keys.includes(prop.name.text)) return prop.name;
  }
  return undefined;
}

/** `createServiceClient({ name: 'payments', baseUrl })`, `new PaymentsClient(url)`. */
function wrapperInit(w: FileWalk, args: readonly ts.Expression[]): WrapperInit | null {
  const t = w.ts;
  const first = args[0] && unwrap(t, args[0]);
  if (!first) return null;
  if (t.isObjectLiteralExpression(first)) {
    const name = literalText(t, option(w, first, ['name', 'service', 'serviceName']));
    const base = evaluate(w, option(w, first, ['baseUrl', 'baseURL', 'url', 'prefixUrl', 'host', 'address', 'endpoint']));
    return name === null && base === null ? null : { name, base };
  }
  const base = evaluate(w, first);
  return base ? { name: null, base } : null;
}

/** `key = init` (a variable, a class field, `this.x = …`). */
export function bind(w: FileWalk, key: string, init: ts.Expression, top: boolean): void {
  const t = w.ts;
  const node = unwrap(t, init);
  // A name bound again (the same name in another function, a reassignment) forgets what it held.
  const maps = [w.clients, w.instances, w.nestClients, w.values] as Array<Map<string, unknown>>;
  for (const map of maps) map.delete(key);
  w.breakerVars.delete(key);
  const path = accessPath(t, node);
  const from = path && path.length <= (path[0] === 'this' ? 2 : 1) ? bindingKey(path) : null;
  if (from !== null) {
    // this.http = http, const client = this.client: carry what the parameter, variable or member was bound to
    for (const map of maps) if (map.has(from)) map.set(key, map.get(from));
    if (w.breakerVars.has(from)) w.breakerVars.add(key);
    // this.options = options: a parameter, or an import
    const value = w.values.has(from) ? undefined : evaluate(w, node);
    if (value) w.values.set(key, value);
    if (value && top) w.result.module.values.set(key, value);
    return;
  }
  if (createsBreaker(w, node)) {
    w.breakerVars.add(key);
    return;
  }
  const client = clientFactory(w, node);
  if (client) {
    w.clients.set(key, client);
    return;
  }
  const nest = createdClient(w, node);
  if (nest) {
    w.nestClients.set(key, { token: null, options: nest, type: nest.transport });
    return;
  }
  if (t.isCallExpression(node) || t.isNewExpression(node)) {
    const path = accessPath(t, node.expression);
    // Only what may be a wrapper: a sibling module's export or a declaration of this file (not Map, express(), …).
    if (path?.length === 1 && path[0] && (w.imports.get(path[0])?.relative || w.topLevel.has(path[0]))) {
      w.instances.set(key, { via: path[0], init: wrapperInit(w, node.arguments ?? []) });
      if (top) w.topInstances.add(key);
    }
  }
  const value = evaluate(w, node);
  if (value) {
    w.values.set(key, value);
    if (top) w.result.module.values.set(key, value);
  }
}

/** `const { PAYMENTS_URL, ORDERS_URL: orders } = process.env`, `const { baseUrl } = config`. */
export function bindPattern(w: FileWalk, pattern: ts.ObjectBindingPattern, init: ts.Expression, top: boolean): void {
  const t = w.ts;
  const source = accessPath(t, unwrap(t, init));
  for (const element of pattern.elements) {
    if (!t.isIdentifier(element.name) || element.dotDotDotToken) continue;
    const prop = element.propertyName && (t.isIdentifier(element.propertyName) || t.isStringLiteral(element.propertyName)) ? element.propertyName.text : element.name.text;
    const value = source ? evaluatePath(w, [...source, prop]) : null;
    if (!value) continue;
    w.values.set(element.name.text, value);
    if (top) w.result.module.values.set(element.name.text, value);
  }
}

/**
 * NestJS injection by type: `private readonly http: HttpService`, `@Inject('X') client: ClientKafka` (with the
 * token of `@Inject`, or the options of `@Client({...})`), `payments: PaymentsClient`.
 */
export function bindType(w: FileWalk, key: string, type: ts.TypeNode | undefined, nest: { token: Val | null; options: NestClientOptions | null } = { token: null, options: null }): void {
  const t = w.ts;
  if (!type || !t.isTypeReferenceNode(type) || !t.isIdentifier(type.typeName)) return;
  const name = type.typeName.text;
  const transport = NEST_CLIENT_CLASSES.get(name);
  if (name === 'HttpService') w.clients.set(key, { client: '@nestjs/axios', base: null });
  else if (transport !== undefined) w.nestClients.set(key, { ...nest, type: transport });
  else if (w.imports.get(name)?.relative) w.instances.set(key, { via: name, init: null });
}

function hasModifier(node: ts.Statement, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.some((m) => m.kind === kind);
}

function bindingNames(t: typeof ts, name: ts.BindingName, each: (name: string) => void): void {
  if (t.isIdentifier(name)) each(name.text);
  else for (const element of name.elements) if (!t.isOmittedExpression(element)) bindingNames(t, element.name, each);
}

/** Names of the functions, classes and variables a top-level statement declares. */
export function collectTopLevel(t: typeof ts, statement: ts.Statement, out: Set<string>): void {
  if ((t.isFunctionDeclaration(statement) || t.isClassDeclaration(statement)) && statement.name) out.add(statement.name.text);
  else if (t.isVariableStatement(statement)) for (const decl of statement.declarationList.declarations) bindingNames(t, decl.name, (name) => out.add(name));
}

/** Names a top-level statement declares, recording its exports. */
export function declaredNames(w: FileWalk, statement: ts.Statement): string[] {
  const t = w.ts;
  const exports = w.result.module.exports;
  const exported = hasModifier(statement, t.SyntaxKind.ExportKeyword);
  const isDefault = hasModifier(statement, t.SyntaxKind.DefaultKeyword);
  if (t.isFunctionDeclaration(statement) || t.isClassDeclaration(statement) || t.isEnumDeclaration(statement)) {
    const name = statement.name?.text ?? '*default';
    if (exported) exports.set(isDefault ? 'default' : name, { local: name });
    return [name];
  }
  if (t.isVariableStatement(statement)) {
    const names: string[] = [];
    for (const decl of statement.declarationList.declarations) bindingNames(t, decl.name, (name) => names.push(name));
    if (exported) for (const name of names) exports.set(name, { local: name });
    return names;
  }
  if (t.isExportAssignment(statement)) {
    const expr = unwrap(t, statement.expression);
    if (t.isIdentifier(expr)) {
      exports.set('default', { local: expr.text });
      return [];
    }
    exports.set('default', { local: '*default' });
    return ['*default'];
  }
  if (t.isExpressionStatement(statement) && t.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === t.SyntaxKind.EqualsToken) {
    return visitCommonJsExport(w, statement.expression.left, statement.expression.right) ?? [];
  }
  return [];
}
