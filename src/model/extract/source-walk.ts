/**
 * One walk over a file's syntax tree. It keeps track of where it is (loops,
 * functions, arguments run by a breaker, the top-level declaration) and hands
 * each node to the visitors of the concerns (modules, HTTP, messaging, routes,
 * signals).
 */
import type ts from 'typescript';
import { bind, bindPattern, bindType, collectTopLevel, declaredNames } from './source-bindings.js';
import { visitCall, visitNew, type Visit } from './source-calls.js';
import type { FileWalk } from './source-context.js';
import { NEST_TRANSPORTS, visitNestPattern } from './source-messaging.js';
import { bindRequire, visitExport, visitImport, visitImportEquals, visitRequire } from './source-modules.js';
import { injection, visitNestProvider } from './source-nest.js';
import { controllerPath, decoratorCall, decoratorsOf, visitNestHandler } from './source-routes.js';
import type { Val } from './source-types.js';
import { accessPath, bindingKey, unwrap } from './source-values.js';

export function walkFile(w: FileWalk): void {
  const t = w.ts;
  for (const statement of w.sf.statements) collectTopLevel(t, statement, w.topLevel);
  const table = handlers(t);
  const { FirstTypeNode, LastTypeNode } = t.SyntaxKind;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    // Types hold no calls, imports or routes: skip them whole.
    if (kind >= FirstTypeNode && kind <= LastTypeNode) return;
    const handler = table[kind];
    if (handler) handler(w, node, visit);
    else t.forEachChild(node, visit);
  };
  for (const statement of w.sf.statements) {
    w.topNames = declaredNames(w, statement);
    visit(statement);
    if (t.isExportAssignment(statement) && w.topNames[0] === '*default') bind(w, '*default', statement.expression, true);
    if (t.isExpressionStatement(statement) && w.topNames[0]?.startsWith('*') && t.isBinaryExpression(statement.expression)) bind(w, w.topNames[0], statement.expression.right, true);
  }
  w.topNames = [];
}

type Handler = (w: FileWalk, node: ts.Node, visit: Visit) => void;

/** Node kind → handler; kinds without one are only descended into. Built once per compiler instance. */
const tables = new WeakMap<object, Array<Handler | undefined>>();

function handlers(t: typeof ts): Array<Handler | undefined> {
  let table = tables.get(t);
  if (table) return table;
  const K = t.SyntaxKind;
  table = [];
  const on = (kinds: ts.SyntaxKind[], handler: Handler): void => {
    for (const kind of kinds) (table as Array<Handler | undefined>)[kind] = handler;
  };
  on([K.InterfaceDeclaration, K.TypeAliasDeclaration], () => undefined);
  on([K.ImportDeclaration], (w, n) => visitImport(w, n as ts.ImportDeclaration));
  on([K.ExportDeclaration], (w, n) => visitExport(w, n as ts.ExportDeclaration));
  on([K.ImportEqualsDeclaration], (w, n) => visitImportEquals(w, n as ts.ImportEqualsDeclaration));
  on([K.CallExpression], (w, n, visit) => visitCall(w, n as ts.CallExpression, visit));
  on([K.NewExpression], (w, n, visit) => visitNew(w, n as ts.NewExpression, visit));
  on([K.VariableDeclaration], (w, n, visit) => visitVariable(w, n as ts.VariableDeclaration, visit));
  on([K.ForStatement], (w, n, visit) => {
    const loop = n as ts.ForStatement;
    if (loop.initializer) visit(loop.initializer);
    // `i < ids.length`: one turn per item; `for (let i = 1; ; i++)`: a retry loop
    const items = loop.condition !== undefined && readsLength(t, loop.condition) ? 1 : 0;
    [w.loopDepth, w.itemLoopDepth] = [w.loopDepth + 1, w.itemLoopDepth + items];
    if (loop.condition) visit(loop.condition);
    if (loop.incrementor) visit(loop.incrementor);
    visit(loop.statement);
    [w.loopDepth, w.itemLoopDepth] = [w.loopDepth - 1, w.itemLoopDepth - items];
  });
  on([K.ForOfStatement, K.ForInStatement], (w, n, visit) => {
    const loop = n as ts.ForOfStatement | ts.ForInStatement;
    visit(loop.initializer);
    visit(loop.expression);
    [w.loopDepth, w.itemLoopDepth] = [w.loopDepth + 1, w.itemLoopDepth + 1];
    visit(loop.statement);
    [w.loopDepth, w.itemLoopDepth] = [w.loopDepth - 1, w.itemLoopDepth - 1];
  });
  on([K.WhileStatement, K.DoStatement], (w, n, visit) => {
    w.loopDepth++;
    t.forEachChild(n, visit);
    w.loopDepth--;
  });
  on([K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor], (w, n, visit) =>
    visitFunction(w, n as ts.FunctionLikeDeclaration, visit),
  );
  on([K.ClassDeclaration, K.ClassExpression], (w, n, visit) => {
    const [controller, className] = [w.controller, w.className];
    w.controller = controllerPath(w, n as ts.ClassLikeDeclaration);
    w.className = (n as ts.ClassLikeDeclaration).name?.text ?? null;
    t.forEachChild(n, visit);
    [w.controller, w.className] = [controller, className];
  });
  on([K.EnumDeclaration], (w, n) => visitEnum(w, n as ts.EnumDeclaration));
  on([K.ObjectLiteralExpression], (w, n, visit) => {
    t.forEachChild(n, visit);
    if (w.libraries.has('@nestjs/microservices')) visitNestProvider(w, n as ts.ObjectLiteralExpression);
  });
  on([K.PropertyDeclaration], (w, n, visit) => {
    const prop = n as ts.PropertyDeclaration;
    if (t.isIdentifier(prop.name)) {
      const key = `this.${prop.name.text}`;
      if (prop.initializer) bind(w, key, prop.initializer, false);
      bindType(w, key, prop.type, injection(w, decoratorsOf(t, prop)));
      if (prop.initializer && t.isFunctionLike(unwrap(t, prop.initializer))) w.nextFnName = prop.name.text;
    }
    t.forEachChild(n, visit);
  });
  on([K.PropertyAssignment], (w, n, visit) => {
    const prop = n as ts.PropertyAssignment;
    const name = t.isIdentifier(prop.name) || t.isStringLiteral(prop.name) ? prop.name.text : null;
    if (name && t.isFunctionLike(unwrap(t, prop.initializer))) w.nextFnName = name;
    // A NestJS transport: { transport: Transport.KAFKA }
    if (name === 'transport' && t.isPropertyAccessExpression(prop.initializer) && t.isIdentifier(prop.initializer.expression) && prop.initializer.expression.text === 'Transport') {
      const seen = NEST_TRANSPORTS.get(prop.initializer.name.text);
      if (seen && !w.result.brokersSeen.includes(seen)) w.result.brokersSeen.push(seen);
    }
    const previous = w.inStoreProperty;
    if (name === 'store') w.inStoreProperty = true;
    t.forEachChild(n, visit);
    w.inStoreProperty = previous;
  });
  on([K.BinaryExpression], (w, n, visit) => {
    const binary = n as ts.BinaryExpression;
    if (binary.operatorToken.kind === K.EqualsToken) {
      const path = accessPath(t, binary.left);
      const key = path && path.length <= (path[0] === 'this' ? 2 : 1) ? bindingKey(path) : null;
      if (key) bind(w, key, binary.right, false);
      if (key && t.isFunctionLike(unwrap(t, binary.right))) w.nextFnName = path?.[path.length - 1] ?? null;
    }
    t.forEachChild(n, visit);
  });
  on([K.Decorator], (w, n, visit) => {
    const call = decoratorCall(t, n as ts.Decorator);
    if (call) visitNestPattern(w, n as ts.Decorator, call.name, call.args);
    t.forEachChild(n, visit);
  });
  tables.set(t, table);
  return table;
}

/** Whether an expression reads a `.length` or `.size`. */
function readsLength(t: typeof ts, node: ts.Node): boolean {
  if (t.isPropertyAccessExpression(node) && (node.name.text === 'length' || node.name.text === 'size')) return true;
  return t.forEachChild(node, (child) => readsLength(t, child) || undefined) ?? false;
}

function visitFunction(w: FileWalk, node: ts.FunctionLikeDeclaration, visit: Visit): void {
  const t = w.ts;
  const id = w.fnParent.length;
  w.fnParent.push(w.currentFn);
  const name = t.isConstructorDeclaration(node) ? w.className : node.name && (t.isIdentifier(node.name) || t.isStringLiteral(node.name)) ? node.name.text : w.nextFnName;
  w.fnNames.push(name);
  w.fnParams.push(node.parameters);
  if (name) {
    const ids = w.fnByName.get(name);
    if (ids) ids.push(id);
    else w.fnByName.set(name, [id]);
  }
  if (w.nextFnProtected) w.protectedFns.add(id);
  w.nextFnName = null;
  w.nextFnProtected = false;
  if (t.isMethodDeclaration(node)) visitNestHandler(w, node);
  if (t.isConstructorDeclaration(node)) {
    for (const param of node.parameters) {
      if (!t.isIdentifier(param.name)) continue;
      const isProperty = (t.getModifiers(param)?.length ?? 0) > 0;
      bindType(w, isProperty ? `this.${param.name.text}` : param.name.text, param.type, injection(w, decoratorsOf(t, param)));
    }
  }
  const previous = w.currentFn;
  w.currentFn = id;
  t.forEachChild(node, visit);
  w.currentFn = previous;
}

function visitVariable(w: FileWalk, node: ts.VariableDeclaration, visit: Visit): void {
  const t = w.ts;
  const init = node.initializer;
  if (!init) return;
  const top = w.currentFn === -1;
  // const x = require('m'), const { a } = require('m'), const x = require('m').y
  const inner = unwrap(t, init);
  const call = t.isPropertyAccessExpression(inner) ? unwrap(t, inner.expression) : inner;
  const required = t.isCallExpression(call) ? visitRequire(w, call) : null;
  if (required) {
    if (t.isPropertyAccessExpression(inner) && t.isIdentifier(node.name)) w.imports.set(node.name.text, { mod: required.mod, relative: required.relative, name: inner.name.text });
    else bindRequire(w, node.name, required);
    return;
  }
  if (top && t.isIdentifier(node.name) && node.type) visitSagaSteps(w, node.name.text, node.type, inner);
  if (t.isIdentifier(node.name)) {
    bind(w, node.name.text, init, top);
    if (t.isFunctionLike(inner)) w.nextFnName = node.name.text;
  } else if (t.isObjectBindingPattern(node.name)) bindPattern(w, node.name, init, top);
  visit(init);
}

/** `enum Topics { OrderCreated = 'order-created' }`: an object of its string members, exported like a constant. */
function visitEnum(w: FileWalk, node: ts.EnumDeclaration): void {
  const t = w.ts;
  const members = new Map<string, Val>();
  for (const m of node.members) {
    const name = t.isIdentifier(m.name) || t.isStringLiteral(m.name) ? m.name.text : null;
    const value = name !== null && m.initializer && t.isStringLiteralLike(m.initializer) ? m.initializer.text : null;
    if (name !== null && value !== null) members.set(name, { t: 'str', s: value });
  }
  if (members.size === 0) return;
  const value: Val = { t: 'obj', o: members };
  w.values.set(node.name.text, value);
  if (w.currentFn === -1 && w.topNames.includes(node.name.text)) w.result.module.values.set(node.name.text, value);
}

/**
 * `const placeOrderSteps: readonly SagaStep[] = [{ name: 'orders', … }, …]`:
 * a saga's ordered steps (`ChoreographyStep[]`: a choreographed saga's). The
 * saga is named by the folder of a `sagas/<name>/…` file, else by the
 * variable (`placeOrderSteps` → place-order).
 */
function visitSagaSteps(w: FileWalk, variable: string, type: ts.TypeNode, init: ts.Expression): void {
  const t = w.ts;
  const kind = /\b(Saga|Choreography)Step\s*\[\s*\]|Array<\s*(Saga|Choreography)Step\s*>/.exec(type.getText(w.sf));
  if (!kind || !t.isArrayLiteralExpression(init)) return;
  const steps: string[] = [];
  for (const element of init.elements) {
    if (!t.isObjectLiteralExpression(element)) return;
    const name = element.properties.find((p): p is ts.PropertyAssignment => t.isPropertyAssignment(p) && t.isIdentifier(p.name) && p.name.text === 'name');
    if (!name || !t.isStringLiteralLike(name.initializer)) return;
    steps.push(name.initializer.text);
  }
  if (steps.length === 0) return;
  const folder = /(?:^|\/)sagas\/([^/]+)\/[^/]+$/.exec(w.sf.fileName)?.[1];
  const fromVariable = variable.replace(/Steps$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const style = (kind[1] ?? kind[2]) === 'Choreography' ? 'choreography' : 'orchestration';
  w.result.sagas.push({ name: folder ?? fromVariable, style, steps, location: w.location(init) });
}
