/** Small readers over tree-sitter C# nodes: invocations, arguments, names, string literals. */
import type { SyntaxNode } from '../tree-sitter.js';

/** A folder of tests (`tests/`, `Ordering.UnitTests/`, `Basket.FunctionalTests/`). */
export const TEST_FOLDER = /(^|\/)([^/]*[.-])?(unit|integration|functional|acceptance|e2e)?tests?\//i;

export interface Callee {
  /** Method name without type arguments (`AddHttpClient`). */
  name: string;
  /** Type arguments as written (`IBasketService`, `Basket.BasketClient`). */
  typeArgs: SyntaxNode[];
  /** What the method is called on (`services`, `builder.Services`, `_http`), null for a bare call. */
  receiver: SyntaxNode | null;
}

/** The method an invocation calls, or null when it calls something else (a delegate expression). */
export function callee(invocation: SyntaxNode): Callee | null {
  const fn = invocation.childForFieldName('function');
  if (!fn) return null;
  let nameNode: SyntaxNode | null = fn;
  let receiver: SyntaxNode | null = null;
  if (fn.type === 'member_access_expression') {
    nameNode = fn.childForFieldName('name');
    receiver = fn.childForFieldName('expression');
  } else if (fn.type === 'conditional_access_expression') {
    receiver = fn.childForFieldName('condition');
    nameNode = fn.namedChildren.find((c) => c?.type === 'member_binding_expression')?.childForFieldName('name') ?? null;
  }
  if (!nameNode) return null;
  if (nameNode.type === 'identifier') return { name: nameNode.text, typeArgs: [], receiver };
  if (nameNode.type === 'generic_name') {
    const id = nameNode.namedChildren.find((c) => c?.type === 'identifier');
    const list = nameNode.namedChildren.find((c) => c?.type === 'type_argument_list');
    return id ? { name: id.text, typeArgs: named(list), receiver } : null;
  }
  return null;
}

/** An invocation's (or object creation's) arguments: name (for `exchange: x`) and value. */
export function args(node: SyntaxNode): Array<{ name: string | null; value: SyntaxNode }> {
  const list = node.childForFieldName('arguments') ?? node.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'attribute_argument_list') ?? null;
  const out: Array<{ name: string | null; value: SyntaxNode }> = [];
  for (const arg of named(list)) {
    const name = arg.childForFieldName('name');
    const value = arg.namedChildren.filter((c): c is SyntaxNode => c !== null && !(name && c.startIndex === name.startIndex)).at(-1);
    if (value) out.push({ name: name?.text ?? null, value });
  }
  return out;
}

/** The argument named `name`, else the one at `position`. */
export function arg(node: SyntaxNode, position: number, name?: string): SyntaxNode | null {
  const all = args(node);
  return (name ? all.find((a) => a.name === name)?.value : undefined) ?? all.filter((a) => a.name === null)[position]?.value ?? null;
}

export function named(node: SyntaxNode | null | undefined): SyntaxNode[] {
  return (node?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null);
}

/** The text of a string literal (regular, verbatim or raw), or null for anything else. */
export function stringValue(node: SyntaxNode): string | null {
  switch (node.type) {
    case 'string_literal':
      return named(node).map((c) => (c.type === 'escape_sequence' ? unescape(c.text) : c.text)).join('');
    case 'verbatim_string_literal':
      return node.text.slice(2, -1).replaceAll('""', '"');
    case 'raw_string_literal':
      return named(node).find((c) => c.type === 'raw_string_content')?.text ?? '';
    default:
      return null;
  }
}

function unescape(sequence: string): string {
  const map: Record<string, string> = { '\\"': '"', "\\'": "'", '\\\\': '\\', '\\n': '\n', '\\t': '\t', '\\r': '\r', '\\0': '\0' };
  return map[sequence] ?? sequence;
}

/** Last simple name of a type or expression: `Basket.BasketClient` → `BasketClient`, `IOptions<X>` → `IOptions`, `this._x` → `_x`. */
export function lastName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'generic_name':
      return named(node).find((c) => c.type === 'identifier')?.text ?? null;
    case 'qualified_name':
    case 'member_access_expression':
      return lastName(node.childForFieldName('name'));
    case 'nullable_type':
      return lastName(named(node)[0] ?? null);
    default:
      return null;
  }
}

/** Type arguments of a generic type node (`IConsumer<OrderSubmitted>` → [OrderSubmitted]). */
export function typeArgsOf(type: SyntaxNode | null): SyntaxNode[] {
  if (type?.type === 'qualified_name') return typeArgsOf(type.childForFieldName('name'));
  if (type?.type !== 'generic_name') return [];
  return named(named(type).find((c) => c.type === 'type_argument_list'));
}
