/**
 * What a Python expression holds, as far as one file can tell: literals and f-strings, environment variables
 * (`os.environ["X"]`, `os.getenv("X", "d")`, `env("X")`, `config("X")`), configuration keys (`settings.ORDERS_URL`,
 * `app.config["ORDERS_URL"]`), and text joined from them (`+`, `%`, `.format`, `urljoin`), placeholders kept.
 */
import { concat, env, format, isEnvName, key, literal, opaque, type Address } from '../shared/address.js';
import type { SyntaxNode } from '../tree-sitter.js';

export interface PyScope {
  /** Local name → qualified name (`r` → `requests`, `AsyncClient` → `httpx.AsyncClient`). */
  imports: ReadonlyMap<string, string>;
  /** Addresses bound to names (`x`) and attributes (`.x`). */
  addresses: ReadonlyMap<string, Address>;
}

/** Positional arguments and keyword arguments of a call. */
export function argsOf(call: SyntaxNode): { positional: SyntaxNode[]; keywords: Map<string, SyntaxNode> } {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type !== 'comment' && arg.type !== 'list_splat' && arg.type !== 'dictionary_splat') positional.push(arg);
  }
  return { positional, keywords };
}

/** The argument at `index`, or the keyword argument `name`. */
export function argument(call: SyntaxNode, index: number, name: string): SyntaxNode | undefined {
  const { positional, keywords } = argsOf(call);
  return keywords.get(name) ?? positional[index];
}

/** A plain (non-f) string's text, or null. */
export function stringText(node: SyntaxNode | null | undefined): string | null {
  if (node?.type === 'concatenated_string') {
    const parts = node.namedChildren.map(stringText);
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (node?.type !== 'string') return null;
  let out = '';
  for (const child of node.namedChildren) {
    if (child.type === 'interpolation') return null;
    if (child.type === 'string_content') out += child.text;
  }
  return out;
}

/** `a.b.c` → ['a', 'b', 'c'] when it is names and attributes only. */
export function dottedPath(node: SyntaxNode | null | undefined): string[] | null {
  const path: string[] = [];
  for (let depth = 0; node && depth < 10; depth++) {
    if (node.type === 'identifier') return [node.text, ...path.reverse()];
    if (node.type !== 'attribute') return null;
    path.push(node.childForFieldName('attribute')?.text ?? '');
    node = node.childForFieldName('object');
  }
  return null;
}

/** The qualified name an expression refers to through the imports (`r.get` → `requests.get`), or null. */
export function qualify(node: SyntaxNode | null | undefined, scope: Pick<PyScope, 'imports'>): string | null {
  const path = dottedPath(node);
  if (!path) return null;
  const root = scope.imports.get(path[0]!);
  return root === undefined ? null : [root, ...path.slice(1)].join('.');
}

const ENV_READERS: ReadonlySet<string> = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault', 'os.environ.__getitem__', 'decouple.config']);

/** The environment variable a call reads, with its default when the call gives one as a literal. */
export function envRead(call: SyntaxNode, scope: PyScope): { name: string; fallback: string | null } | null {
  const fn = call.childForFieldName('function');
  const qualified = qualify(fn, scope);
  const text = (fn?.text ?? '').toLowerCase();
  const reads = (qualified !== null && ENV_READERS.has(qualified)) || text.endsWith('getenv') || text.includes('env') || text === 'config';
  if (!reads) return null;
  const { positional, keywords } = argsOf(call);
  const name = stringText(positional[0] ?? keywords.get('key'));
  if (name === null || !isEnvName(name)) return null;
  const fallback = positional[1] ?? keywords.get('default');
  return { name, fallback: fallback ? (stringText(fallback) ?? (fallback.type === 'integer' ? fallback.text : null)) : null };
}

/** `os.environ["X"]` → X; `app.config["X"]` / `settings["X"]` → a configuration key. */
function subscript(node: SyntaxNode, scope: PyScope): Address | null {
  const index = stringText(node.childForFieldName('subscript'));
  if (index === null) return null;
  const value = node.childForFieldName('value');
  if (qualify(value, scope) === 'os.environ' || value?.text === 'environ') return env(index);
  return key(index);
}

const HOLDERS: ReadonlySet<string> = new Set(['settings', 'config', 'cfg', 'conf', 'configuration', 'app_settings', 'app_config', 'env']);

/**
 * The key code reads a setting by: the attribute path without its root (`settings`, `self`, a module) and without
 * the objects that only hold the configuration (`self.settings.orders_url` → `orders_url`). Null for a bare name.
 */
export function configPath(path: readonly string[]): string | null {
  const rest = path.slice(1);
  while (rest.length > 1 && HOLDERS.has(rest[0]!.toLowerCase())) rest.shift();
  return rest.length > 0 ? rest.join('.') : null;
}

/** Evaluates an expression to an address; null when nothing about it is known. */
export function evaluate(node: SyntaxNode | null | undefined, scope: PyScope, depth = 0): Address | null {
  if (!node || depth > 6) return null;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return fString(node, scope, depth);
    case 'integer':
      return literal(node.text);
    case 'parenthesized_expression':
    case 'await':
      return evaluate(node.namedChildren[0], scope, depth + 1);
    case 'identifier': {
      const bound = scope.addresses.get(node.text);
      if (bound) return bound;
      // `from app.config import ORDERS_URL`: a setting defined in another module, known there by its name.
      return isEnvName(node.text) && scope.imports.get(node.text)?.endsWith(`.${node.text}`) ? key(node.text) : null;
    }
    case 'attribute': {
      const path = dottedPath(node);
      if (!path) return null;
      const field = scope.addresses.get(`.${path[path.length - 1]!}`);
      if (field) return field;
      const configKey = configPath(path);
      return configKey === null ? null : key(configKey);
    }
    case 'subscript':
      return subscript(node, scope);
    case 'boolean_operator':
      return evaluate(node.childForFieldName('left'), scope, depth + 1) ?? evaluate(node.childForFieldName('right'), scope, depth + 1);
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (operator === '%') {
        const template = stringText(left);
        if (template === null) return null;
        const args = right?.type === 'tuple' ? right.namedChildren : right ? [right] : [];
        return format(template, args.map((a) => evaluate(a, scope, depth + 1) ?? opaque(a.text)));
      }
      if (operator !== '+') return null;
      const l = evaluate(left, scope, depth + 1);
      const r = evaluate(right, scope, depth + 1);
      if (!l && !r) return null;
      return concat([l ?? opaque(left!.text), r ?? opaque(right!.text)]);
    }
    case 'call':
      return callValue(node, scope, depth);
    default:
      return null;
  }
}

function fString(node: SyntaxNode, scope: PyScope, depth: number): Address {
  if (node.type === 'concatenated_string') return concat(node.namedChildren.map((s) => fString(s, scope, depth)));
  const parts: Address[] = [];
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') parts.push(literal(child.text));
    else if (child.type === 'interpolation') {
      const expression = child.childForFieldName('expression');
      parts.push(evaluate(expression, scope, depth + 1) ?? opaque(expression?.text ?? ''));
    }
  }
  return parts.length === 0 ? literal('') : concat(parts);
}

function callValue(call: SyntaxNode, scope: PyScope, depth: number): Address | null {
  const read = envRead(call, scope);
  if (read) return env(read.name);
  const fn = call.childForFieldName('function');
  const { positional } = argsOf(call);
  if (fn?.type === 'identifier' && (fn.text === 'str' || fn.text === 'int') && positional.length === 1) return evaluate(positional[0], scope, depth + 1);
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
    const template = stringText(fn.childForFieldName('object'));
    if (template === null) return null;
    return format(template.replaceAll('{}', '%s'), positional.map((a) => evaluate(a, scope, depth + 1) ?? opaque(a.text)));
  }
  const qualified = qualify(fn, scope);
  if ((qualified === 'urllib.parse.urljoin' || fn?.text === 'urljoin') && positional.length === 2) {
    return concat(positional.map((a) => evaluate(a, scope, depth + 1) ?? opaque(a.text)));
  }
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get') {
    const object = fn.childForFieldName('object');
    const name = stringText(positional[0]);
    const holder = object?.text.toLowerCase() ?? '';
    if (name !== null && (holder.endsWith('config') || holder.endsWith('settings'))) return key(name);
  }
  return null;
}
