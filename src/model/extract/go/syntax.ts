/** Small readers over tree-sitter-go nodes shared by the Go source extractor's parts. */
import type { SyntaxNode } from '../tree-sitter.js';

/** The text of a Go string literal (interpreted or raw), or null when the node is not one. */
export function stringLiteral(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  if (node.type !== 'interpreted_string_literal') return null;
  return unescape(node.text.slice(1, -1));
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'" };

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      out += ESCAPES[next] ?? `\\${next}`;
      i += 1;
    } else out += c;
  }
  return out;
}

/** The arguments of a call (`argument_list` named children). */
export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment') ?? [];
}

/**
 * What a call calls: `pkg.Fn(…)` / `x.Method(…)` → { operand: the node before the dot, name }; `fn(…)` → { operand: null, name }.
 * Generic calls (`gobreaker.NewCircuitBreaker[any](st)`, which tree-sitter reads as a conversion) are handled by `calleeOfConversion`.
 */
export function calleeOf(call: SyntaxNode): { operand: SyntaxNode | null; name: string } | null {
  let fn = call.childForFieldName('function');
  if (fn?.type === 'index_expression' || fn?.type === 'generic_type') fn = fn.childForFieldName('operand') ?? fn.childForFieldName('type');
  if (!fn) return null;
  if (fn.type === 'identifier') return { operand: null, name: fn.text };
  if (fn.type === 'selector_expression') {
    const field = fn.childForFieldName('field');
    return field ? { operand: fn.childForFieldName('operand'), name: field.text } : null;
  }
  return null;
}

/** `pkg.Fn[T](x)`, read by tree-sitter as a type conversion to a generic type: { package, name }. */
export function calleeOfConversion(node: SyntaxNode): { pkg: string; name: string } | null {
  const type = node.childForFieldName('type');
  const qualified = type?.type === 'generic_type' ? type.childForFieldName('type') : null;
  if (qualified?.type !== 'qualified_type') return null;
  const pkg = qualified.childForFieldName('package')?.text;
  const name = qualified.childForFieldName('name')?.text;
  return pkg && name ? { pkg, name } : null;
}

/** `a.b.c` → ['a', 'b', 'c'] when it is identifiers and fields only, else null. */
export function selectorPath(node: SyntaxNode): string[] | null {
  const path: string[] = [];
  let current: SyntaxNode | null = node;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.type === 'identifier') return [current.text, ...path.reverse()];
    if (current.type === 'parenthesized_expression') {
      current = current.namedChildren[0] ?? null;
      continue;
    }
    if (current.type !== 'selector_expression') return null;
    const field = current.childForFieldName('field');
    if (!field) return null;
    path.push(field.text);
    current = current.childForFieldName('operand');
  }
  return null;
}

/** The keyed elements of a composite literal (`T{Key: value}`), as key name → value node. */
export function literalFields(composite: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const element of composite.childForFieldName('body')?.namedChildren ?? []) {
    if (element?.type !== 'keyed_element') continue;
    const key = element.childForFieldName('key')?.namedChildren[0];
    const value = element.childForFieldName('value')?.namedChildren[0];
    if (key && value) out.set(key.text, value);
  }
  return out;
}

/** The composite literal a node is, through `&T{…}`, or null. */
export function compositeOf(node: SyntaxNode | null | undefined): SyntaxNode | null {
  if (node?.type === 'unary_expression') node = node.childForFieldName('operand');
  return node?.type === 'composite_literal' ? node : null;
}

/** A composite literal's type as `pkg.Name` or `Name` (pointer and generic wrappers dropped). */
export function compositeType(composite: SyntaxNode): { pkg: string | null; name: string } | null {
  let type = composite.childForFieldName('type');
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  if (type?.type === 'type_identifier') return { pkg: null, name: type.text };
  if (type?.type === 'qualified_type') {
    const name = type.childForFieldName('name')?.text;
    return name ? { pkg: type.childForFieldName('package')?.text ?? null, name } : null;
  }
  return null;
}
