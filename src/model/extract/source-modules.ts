/**
 * Imports and exports of one file: bindings to libraries and to sibling
 * modules (for the join step), imports that reach into another service, and
 * tracing agents loaded by a side-effect import.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { ownerOf, resolveAlias, resolveRelative, serviceDirs, type ServiceDirs } from './source-paths.js';
import { accessPath, literalText } from './source-values.js';

/** Modules whose mere import starts a tracing agent. */
const TRACING_IMPORTS = new Set(['@opentelemetry/auto-instrumentations-node/register', 'dd-trace/init', 'elastic-apm-node/start', 'newrelic']);

const dirsCache = new WeakMap<object, ServiceDirs>();

function dirsOf(w: FileWalk): ServiceDirs {
  let dirs = dirsCache.get(w.ctx.services);
  if (!dirs) dirsCache.set(w.ctx.services, (dirs = serviceDirs(w.ctx.services)));
  return dirs;
}

function bareName(specifier: string): string {
  const parts = specifier.replace(/^node:/, '').split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Records a module specifier: library use, cross-service import, tracing agent. Returns the resolved module key
 * (relative paths, and tsconfig aliases or baseUrl paths that point into the repository). A type-only import of
 * another service's code is a crossing too: the importer cannot build without the other service's source (or its
 * generated client), so a change inside that service breaks this one's build.
 */
function useSpecifier(w: FileWalk, specifier: string, node: ts.Node): { mod: string; relative: boolean } | null {
  const aliased = !specifier.startsWith('.') && w.ctx.resolution ? resolveAlias(w.ctx.resolution, w.result.file, specifier) : null;
  if (specifier.startsWith('.') || aliased !== null) {
    const resolved = aliased ?? resolveRelative(w.result.file, specifier);
    if (resolved === null) return null;
    const owner = ownerOf(dirsOf(w), `${resolved}/`) ?? ownerOf(dirsOf(w), resolved);
    if (owner !== null && owner !== w.result.service) w.result.crossImports.push({ specifier, target: owner, location: w.location(node) });
    return { mod: resolved, relative: true };
  }
  const mod = specifier.replace(/^node:/, '');
  w.libraries.add(mod);
  w.libraries.add(bareName(specifier));
  if (TRACING_IMPORTS.has(mod)) w.result.tracing ??= w.location(node);
  const pkg = bareName(specifier);
  const owner = w.ctx.packages.get(pkg);
  if (owner !== undefined && owner !== w.result.service) w.result.crossImports.push({ specifier, target: owner, location: w.location(node) });
  return { mod, relative: false };
}

export function visitImport(w: FileWalk, node: ts.ImportDeclaration): void {
  const t = w.ts;
  const specifier = literalText(t, node.moduleSpecifier);
  if (specifier === null) return;
  const target = useSpecifier(w, specifier, node);
  const clause = node.importClause;
  if (!target || !clause || clause.isTypeOnly) return;
  if (clause.name) w.imports.set(clause.name.text, { mod: target.mod, relative: target.relative, name: 'default' });
  const bindings = clause.namedBindings;
  if (bindings && t.isNamespaceImport(bindings)) w.imports.set(bindings.name.text, { mod: target.mod, relative: target.relative, name: '*' });
  else if (bindings) {
    for (const element of bindings.elements) {
      if (!element.isTypeOnly) w.imports.set(element.name.text, { mod: target.mod, relative: target.relative, name: (element.propertyName ?? element.name).text });
    }
  }
}

export function visitExport(w: FileWalk, node: ts.ExportDeclaration): void {
  const t = w.ts;
  const exports = w.result.module.exports;
  const specifier = literalText(t, node.moduleSpecifier);
  const target = specifier === null ? null : useSpecifier(w, specifier, node);
  if (node.isTypeOnly) return;
  const clause = node.exportClause;
  if (!clause) {
    if (target?.relative) w.result.module.starExports.push(target.mod);
    return;
  }
  if (!t.isNamedExports(clause)) {
    if (target?.relative) exports.set(clause.name.text, { mod: target.mod, name: '*' });
    return;
  }
  for (const element of clause.elements) {
    const local = (element.propertyName ?? element.name).text;
    if (target?.relative) exports.set(element.name.text, { mod: target.mod, name: local });
    else if (!target) exports.set(element.name.text, { local });
  }
}

/** `require('x')`, `import('x')`: a module use; returns the binding for a variable initialised with it. */
export function visitRequire(w: FileWalk, node: ts.CallExpression): { mod: string; relative: boolean } | null {
  const t = w.ts;
  const isRequire = t.isIdentifier(node.expression) && node.expression.text === 'require';
  if (!isRequire && node.expression.kind !== t.SyntaxKind.ImportKeyword) return null;
  const specifier = literalText(t, node.arguments[0]);
  return specifier === null ? null : useSpecifier(w, specifier, node);
}

/** `const x = require('m')`, `const { a, b: c } = require('m')`. */
export function bindRequire(w: FileWalk, name: ts.BindingName, target: { mod: string; relative: boolean }): void {
  const t = w.ts;
  if (t.isIdentifier(name)) {
    w.imports.set(name.text, { mod: target.mod, relative: target.relative, name: 'default' });
    return;
  }
  if (!t.isObjectBindingPattern(name)) return;
  for (const element of name.elements) {
    if (!t.isIdentifier(element.name)) continue;
    const imported = element.propertyName && t.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
    w.imports.set(element.name.text, { mod: target.mod, relative: target.relative, name: imported });
  }
}

export function visitImportEquals(w: FileWalk, node: ts.ImportEqualsDeclaration): void {
  const t = w.ts;
  const ref = node.moduleReference;
  if (!t.isExternalModuleReference(ref)) return;
  const specifier = literalText(t, ref.expression);
  const target = specifier === null ? null : useSpecifier(w, specifier, node);
  if (target) w.imports.set(node.name.text, { mod: target.mod, relative: target.relative, name: 'default' });
}

/** `module.exports = x`, `module.exports = { a, b }`, `exports.a = x`, `module.exports.a = x`. */
export function visitCommonJsExport(w: FileWalk, left: ts.Expression, right: ts.Expression): string[] | null {
  const t = w.ts;
  const exports = w.result.module.exports;
  const path = accessPath(t, left)?.join('.');
  if (path === 'module.exports') {
    if (t.isIdentifier(right)) exports.set('default', { local: right.text });
    else {
      exports.set('default', { local: '*module' });
      if (t.isObjectLiteralExpression(right)) {
        for (const prop of right.properties) {
          if (t.isShorthandPropertyAssignment(prop)) exports.set(prop.name.text, { local: prop.name.text });
          else if (t.isPropertyAssignment(prop) && t.isIdentifier(prop.name) && t.isIdentifier(prop.initializer)) exports.set(prop.name.text, { local: prop.initializer.text });
        }
      }
    }
    return ['*module'];
  }
  const name = path?.startsWith('module.exports.') ? path.slice(15) : path?.startsWith('exports.') ? path.slice(8) : null;
  if (!name || name.includes('.')) return null;
  exports.set(name, { local: t.isIdentifier(right) ? right.text : `*exports.${name}` });
  return [`*exports.${name}`];
}
