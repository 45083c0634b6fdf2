/**
 * Name lookup inside one Java file: what a name used at a node refers to (a local variable, a parameter, a
 * field of an enclosing class, a record component), with its declared type, initializer and annotations. Scoped
 * by position and bounded: a lookup walks up the enclosing blocks, never the whole file.
 */
import type { Grammar, SyntaxNode, SyntaxTree } from '../tree-sitter.js';
import { annotationsOf, simpleType, TYPE_DECLARATIONS } from './syntax.js';

/** What the extractor knows about the file being read. */
export interface JavaFile {
  path: string;
  packageName: string | null;
  /** Simple name → fully qualified name, from single-type imports. */
  imports: Map<string, string>;
  read(path: string): string | null;
  parse(grammar: Grammar, text: string): SyntaxTree;
}

export interface Declaration {
  kind: 'local' | 'parameter' | 'field';
  name: string;
  type: string | null;
  /** The initializer (or, for a field, the value a constructor assigns to it). */
  init: SyntaxNode | null;
  annotations: SyntaxNode[];
  /** The node the initializer must be read from (the declaration, or the constructor that assigns it). */
  scope: SyntaxNode;
}

const BLOCKS = new Set(['block', 'constructor_body', 'switch_block_statement_group']);
const CALLABLES = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);
const MAX_STATEMENTS = 400;

/**
 * The declaration a simple name used at `at` refers to, or null (inherited fields, static imports, unknown). With
 * `fields: false`, locals and parameters only: the lookup stops at the enclosing type.
 */
export function lookup(name: string, at: SyntaxNode, options: { fields?: boolean } = {}): Declaration | null {
  let scanned = 0;
  for (let current: SyntaxNode | null = at; current; current = current.parent) {
    const parent: SyntaxNode | null = current.parent;
    if (!parent) break;
    if (BLOCKS.has(parent.type)) {
      for (const statement of parent.namedChildren) {
        if (!statement || statement.startIndex >= current.startIndex) break;
        if (++scanned > MAX_STATEMENTS) return null;
        if (statement.type !== 'local_variable_declaration') continue;
        const found = declarator(statement, name);
        if (found) return { kind: 'local', name, type: simpleType(statement.childForFieldName('type')), init: found.childForFieldName('value'), annotations: [], scope: statement };
      }
    }
    if (parent.type === 'lambda_expression') {
      const params = parent.childForFieldName('parameters');
      if (params && (params.text === name || params.namedChildren.some((p) => p?.text === name || p?.childForFieldName('name')?.text === name))) {
        return { kind: 'parameter', name, type: null, init: null, annotations: [], scope: parent };
      }
    }
    if (parent.type === 'enhanced_for_statement' && parent.childForFieldName('name')?.text === name) {
      return { kind: 'local', name, type: simpleType(parent.childForFieldName('type')), init: null, annotations: [], scope: parent };
    }
    if (CALLABLES.has(parent.type)) {
      const parameter = parameterOf(parent, name);
      if (parameter) return parameter;
    }
    if (TYPE_DECLARATIONS.has(parent.type)) {
      if (options.fields === false) return null;
      const field = fieldOf(parent, name);
      if (field) return field;
    }
  }
  return null;
}

function declarator(declaration: SyntaxNode, name: string): SyntaxNode | null {
  for (const child of declaration.namedChildren) {
    if (child?.type === 'variable_declarator' && child.childForFieldName('name')?.text === name) return child;
  }
  return null;
}

function parameterOf(callable: SyntaxNode, name: string): Declaration | null {
  for (const parameter of callable.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter || parameter.childForFieldName('name')?.text !== name) continue;
    return { kind: 'parameter', name, type: simpleType(parameter.childForFieldName('type')), init: null, annotations: annotationsOf(parameter), scope: callable };
  }
  return null;
}

/** A field (or record component) of a type declaration, with the value its initializer or a constructor gives it. */
export function fieldOf(type: SyntaxNode, name: string): Declaration | null {
  if (type.type === 'record_declaration') {
    const component = parameterOf(type, name);
    if (component) return { ...component, kind: 'field' };
  }
  const body = type.childForFieldName('body');
  if (!body) return null;
  for (const member of body.namedChildren) {
    if (member?.type !== 'field_declaration' && member?.type !== 'constant_declaration') continue;
    const found = declarator(member, name);
    if (!found) continue;
    const field: Declaration = { kind: 'field', name, type: simpleType(member.childForFieldName('type')), init: found.childForFieldName('value'), annotations: annotationsOf(member), scope: member };
    if (!field.init) {
      const assigned = constructorAssignment(body, name);
      if (assigned) return { ...field, init: assigned.value, scope: assigned.value };
    }
    return field;
  }
  return null;
}

/** `this.name = value;` (or `name = value;`) in a constructor of the type. */
function constructorAssignment(body: SyntaxNode, name: string): { value: SyntaxNode } | null {
  for (const member of body.namedChildren) {
    if (member?.type !== 'constructor_declaration') continue;
    for (const statement of member.childForFieldName('body')?.namedChildren ?? []) {
      const expression = statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
      if (expression?.type !== 'assignment_expression') continue;
      const left = expression.childForFieldName('left');
      const target = left?.type === 'field_access' && left.childForFieldName('object')?.type === 'this' ? left.childForFieldName('field')?.text : left?.type === 'identifier' ? left.text : null;
      const value = expression.childForFieldName('right');
      if (target === name && value) return { value };
    }
  }
  return null;
}

/** The declaration an expression names: `x`, `this.x`. */
export function declarationOfExpression(expression: SyntaxNode | null): Declaration | null {
  if (!expression) return null;
  if (expression.type === 'identifier') return lookup(expression.text, expression);
  if (expression.type === 'field_access' && expression.childForFieldName('object')?.type === 'this') {
    const name = expression.childForFieldName('field')?.text;
    const type = enclosingType(expression);
    return name && type ? fieldOf(type, name) : null;
  }
  return null;
}

/** The declared type of the receiver an expression names, when it is a variable, parameter or field. */
export const typeOfExpression = (expression: SyntaxNode | null): string | null => declarationOfExpression(expression)?.type ?? null;

export function enclosingType(node: SyntaxNode): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) if (TYPE_DECLARATIONS.has(current.type)) return current;
  return null;
}

/** The fully qualified name of a type used in the file: imported, or (unimported) in the file's own package. */
export function qualify(file: JavaFile, simple: string): string {
  return file.imports.get(simple) ?? (file.packageName ? `${file.packageName}.${simple}` : simple);
}
