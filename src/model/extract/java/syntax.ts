/** Small readers over tree-sitter Java nodes: annotations, string literals, names, enclosing declarations. */
import type { SyntaxNode } from '../tree-sitter.js';

export const TYPE_DECLARATIONS = new Set(['class_declaration', 'interface_declaration', 'record_declaration', 'enum_declaration']);
const ANNOTATIONS = new Set(['annotation', 'marker_annotation']);

/** The simple name of an annotation (`@org.x.CircuitBreaker(…)` → `CircuitBreaker`). */
export function annotationName(annotation: SyntaxNode): string {
  const text = annotation.childForFieldName('name')?.text ?? '';
  return text.slice(text.lastIndexOf('.') + 1);
}

/** The annotations of a declaration (class, method, field, parameter): those in its `modifiers`. */
export function annotationsOf(declaration: SyntaxNode | null): SyntaxNode[] {
  const modifiers = declaration?.namedChildren.find((c) => c?.type === 'modifiers');
  return (modifiers?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && ANNOTATIONS.has(c.type));
}

export function findAnnotation(declaration: SyntaxNode | null, names: ReadonlySet<string>): SyntaxNode | null {
  return annotationsOf(declaration).find((a) => names.has(annotationName(a))) ?? null;
}

/** An annotation's elements by name; a single unnamed element is `value`. */
export function annotationElements(annotation: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const args = annotation.childForFieldName('arguments');
  for (const element of args?.namedChildren ?? []) {
    if (!element || element.type === 'comment' || element.type === 'line_comment' || element.type === 'block_comment') continue;
    if (element.type === 'element_value_pair') {
      const key = element.childForFieldName('key')?.text;
      const value = element.childForFieldName('value');
      if (key && value) out.set(key, value);
    } else out.set('value', element);
  }
  return out;
}

/** The elements of an array initializer (`{"a", "b"}`), or the node itself. */
export function elementsOf(node: SyntaxNode): SyntaxNode[] {
  if (node.type !== 'element_value_array_initializer' && node.type !== 'array_initializer') return [node];
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && !c.type.includes('comment'));
}

/** The value of a string literal (text blocks and escapes included), or null for any other node. */
export function stringValue(node: SyntaxNode | null): string | null {
  if (!node || node.type !== 'string_literal') return null;
  let out = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'escape_sequence') {
      const c = part.text.slice(1);
      out += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
    } else out += part.text;
  }
  return out;
}

/** A type's simple name without type arguments or qualification (`java.util.Map<K, V>` → `Map`). */
export function simpleType(node: SyntaxNode | null): string | null {
  if (!node) return null;
  let text = node.text;
  const lt = text.indexOf('<');
  if (lt !== -1) text = text.slice(0, lt);
  return text.slice(text.lastIndexOf('.') + 1).trim() || null;
}

/** The nearest enclosing node of one of the types, stopping (null) at a node of the `stop` types. */
export function enclosing(node: SyntaxNode, types: ReadonlySet<string>, stop?: ReadonlySet<string>): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (types.has(current.type)) return current;
    if (stop?.has(current.type)) return null;
  }
  return null;
}

/** The arguments of an invocation or creation. */
export function argumentsOf(node: SyntaxNode): SyntaxNode[] {
  const list = node.childForFieldName('arguments');
  return (list?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && !c.type.includes('comment'));
}

/** The name of an invoked method. */
export const methodName = (invocation: SyntaxNode): string => invocation.childForFieldName('name')?.text ?? '';

/**
 * The invocations chained on top of `node` (`node.a().b()` → the `a` then the `b` invocation), nearest first,
 * at most `limit` of them.
 */
export function chainAbove(node: SyntaxNode, limit = 12): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let current = node;
  while (out.length < limit) {
    const parent = current.parent;
    if (!parent || parent.type !== 'method_invocation' || parent.childForFieldName('object')?.id !== current.id) break;
    out.push(parent);
    current = parent;
  }
  return out;
}

/** The invocations below `node` in its chain (`a().b().c()` seen from `c` → `b`, `a`), nearest first. */
export function chainBelow(node: SyntaxNode, limit = 24): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let current = node.childForFieldName('object');
  while (current && out.length < limit) {
    if (current.type !== 'method_invocation' && current.type !== 'object_creation_expression') break;
    out.push(current);
    current = current.type === 'method_invocation' ? current.childForFieldName('object') : null;
  }
  return out;
}

/** The receiver a chain starts from (`a.b().c()` → `a`), when it is not an invocation. */
export function chainRoot(node: SyntaxNode): SyntaxNode | null {
  let current: SyntaxNode | null = node;
  for (let i = 0; current && current.type === 'method_invocation' && i < 48; i++) {
    const object: SyntaxNode | null = current.childForFieldName('object');
    if (!object) return null;
    current = object;
  }
  return current;
}

/**
 * Visits the nodes of the given types once, depth first, without recursion; `enter` returns false to skip a node's
 * children. Other nodes are passed by type name only (no node object is made for them), which halves the cost of
 * a walk over a large file.
 */
export function walkTypes(root: SyntaxNode, types: ReadonlySet<string>, enter: (node: SyntaxNode) => boolean | void): void {
  const cursor = root.walk();
  try {
    for (;;) {
      const descend = !types.has(cursor.nodeType) || enter(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}
