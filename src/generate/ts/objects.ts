/** Idempotent edits of object literals and interfaces (config schemas, config types, SDK options). */
import type { ArrayLiteralExpression, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { Node } from './morph.js';

function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current && (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current))) {
    current = current.getExpression();
  }
  return current;
}

/**
 * The object literal behind `const name = {...}` or `const name = f({...})`
 * (the first object argument of a call, e.g. `z.object({...})`).
 */
export function findObject(file: SourceFile, name: string): ObjectLiteralExpression | undefined {
  const init = unwrap(file.getVariableDeclaration(name)?.getInitializer());
  if (init && Node.isObjectLiteralExpression(init)) return init;
  if (init && Node.isCallExpression(init)) {
    const arg = init.getArguments().map((a) => unwrap(a)).find((a) => a && Node.isObjectLiteralExpression(a));
    return arg && Node.isObjectLiteralExpression(arg) ? arg : undefined;
  }
  return undefined;
}

/** The object literal returned last by function `name` (`return { ... }`). */
export function findReturnedObject(file: SourceFile, name: string): ObjectLiteralExpression | undefined {
  const fn = file.getFunction(name);
  if (!fn) return undefined;
  const returns = fn.getDescendants().filter((d) => Node.isReturnStatement(d) && d.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn);
  for (const ret of returns.reverse()) {
    const expr = Node.isReturnStatement(ret) ? unwrap(ret.getExpression()) : undefined;
    if (expr && Node.isObjectLiteralExpression(expr)) return expr;
  }
  return undefined;
}

/**
 * The array literal at `property` of the options object of `new ClassName({...})`, e.g. NodeSDK's `instrumentations`:
 * written in place (`instrumentations: [...]`) or through a variable of the same file (`instrumentations` or
 * `instrumentations: list`, with `const list = [...]`).
 */
export function findConstructorArray(file: SourceFile, className: string, property: string): ArrayLiteralExpression | undefined {
  for (const expr of file.getDescendants()) {
    if (!Node.isNewExpression(expr) || expr.getExpression().getText() !== className) continue;
    const options = unwrap(expr.getArguments()[0]);
    if (!options || !Node.isObjectLiteralExpression(options)) continue;
    const prop = options.getProperty(property);
    let value = prop && Node.isPropertyAssignment(prop) ? unwrap(prop.getInitializer()) : undefined;
    const variable = prop && Node.isShorthandPropertyAssignment(prop) ? prop.getName() : value && Node.isIdentifier(value) ? value.getText() : undefined;
    if (variable) value = unwrap(variableInitializer(file, variable, expr.getPos()));
    if (value && Node.isArrayLiteralExpression(value)) return value;
  }
  return undefined;
}

/** The initializer of the last variable `name` declared in the file before `pos` (by name: no type checker, no scopes). */
function variableInitializer(file: SourceFile, name: string, pos: number): Node | undefined {
  const declarations = file.getDescendants().filter((d) => Node.isVariableDeclaration(d) && d.getName() === name && d.getPos() < pos);
  const last = declarations.at(-1);
  return last && Node.isVariableDeclaration(last) ? last.getInitializer() : undefined;
}

const propName = (node: Node) => (Node.isPropertyAssignment(node) || Node.isShorthandPropertyAssignment(node) || Node.isMethodDeclaration(node) ? node.getName().replace(/^['"]|['"]$/g, '') : undefined);

/**
 * Ensures `obj` has a property `name` (initialised with `initializer` source
 * text), inserted before the property `before` when given and present, else
 * at the end. An existing property of that name is left as the user has it.
 */
export function ensureProperty(obj: ObjectLiteralExpression, name: string, initializer: string, options: { before?: string } = {}): void {
  ensureProperties(obj, [[name, initializer]], options);
}

/**
 * `ensureProperty` for several properties, inserted together in one edit
 * (each ts-morph insertion re-parses the file; one insertion is much faster).
 */
export function ensureProperties(obj: ObjectLiteralExpression, entries: ReadonlyArray<readonly [name: string, initializer: string]>, options: { before?: string } = {}): void {
  const props = obj.getProperties();
  const present = new Set(props.map(propName));
  const missing = entries.filter(([name], i) => !present.has(name) && entries.findIndex(([n]) => n === name) === i);
  if (missing.length === 0) return;
  const anchor = options.before === undefined ? -1 : props.findIndex((p) => propName(p) === options.before);
  const index = anchor === -1 ? props.length : anchor;
  obj.insertPropertyAssignments(index, missing.map(([name, initializer]) => ({ name: /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`, initializer })));
}

/**
 * Ensures interface `interfaceName` has property `name: type`, before the
 * property `before` when present. Returns false when the interface is not there.
 */
export function ensureInterfaceProperty(file: SourceFile, interfaceName: string, name: string, type: string, options: { before?: string; docs?: string } = {}): boolean {
  const iface = file.getInterface(interfaceName);
  if (!iface) return false;
  if (iface.getProperty(name)) return true;
  const members = iface.getProperties();
  const anchor = options.before === undefined ? -1 : members.findIndex((m) => m.getName() === options.before);
  const structure = { name, type, ...(options.docs ? { docs: [options.docs] } : {}) };
  if (anchor === -1) iface.addProperty(structure);
  else iface.insertProperty(iface.getMembers().indexOf(members[anchor]!), structure);
  return true;
}
