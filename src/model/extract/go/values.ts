/**
 * What an address expression holds, as far as one Go file can tell: a literal, an environment variable
 * (`os.Getenv("X")`, a `getEnv("X", …)`-style helper), a configuration key (`viper.GetString("a.b")`, a config
 * struct field `cfg.Orders.URL` → `Orders.URL`), or text built from them (`fmt.Sprintf`, `+`, `net.JoinHostPort`)
 * with `${…}` placeholders kept.
 */
import type { SyntaxNode } from '../tree-sitter.js';
import { argumentsOf, calleeOf, selectorPath, stringLiteral } from './syntax.js';

export interface Address {
  /** With placeholders: `http://${ORDERS_HOST}:8080/x`, `${Orders.URL}`. */
  text: string;
  /** The whole address is this environment variable. */
  wholeEnv: boolean;
  envVar: string | null;
  configKey: string | null;
}

/** What the evaluator needs to know of the file. */
export interface ValueScope {
  /** Import alias → import path. */
  imports: ReadonlyMap<string, string>;
  /** Package-level string constants and variables. */
  constants: ReadonlyMap<string, string>;
  /** Addresses bound to local variables (`x`) and struct fields (`.x`), in walk order. */
  addresses: ReadonlyMap<string, Address>;
}

const literal = (text: string): Address => ({ text, wholeEnv: false, envVar: null, configKey: null });
const env = (name: string): Address => ({ text: `\${${name}}`, wholeEnv: true, envVar: name, configKey: null });
const key = (name: string): Address => ({ text: `\${${name}}`, wholeEnv: false, envVar: null, configKey: name });

/** The URL an OutboundCall records: `env:NAME` when the whole address is one variable, else the text. */
export const urlOf = (address: Address): string => (address.wholeEnv && address.envVar ? `env:${address.envVar}` : address.text);

function concat(parts: ReadonlyArray<Address>): Address {
  return {
    text: parts.map((p) => p.text).join(''),
    wholeEnv: false,
    envVar: parts.find((p) => p.envVar)?.envVar ?? null,
    configKey: parts.find((p) => p.configKey)?.configKey ?? null,
  };
}

const isEnvName = (s: string): boolean => {
  if (s.length === 0 || !(s[0]! >= 'A' && s[0]! <= 'Z')) return false;
  for (const c of s) if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_')) return false;
  return true;
};

/** A placeholder for what cannot be known, so that the rest of the text is kept: `${host}`. */
const opaque = (node: SyntaxNode): Address => literal(`\${${node.text.length <= 40 ? node.text : '…'}}`);

/** The environment variable a call reads: `os.Getenv("X")`, `os.LookupEnv("X")`, `getEnv("X", "def")`, `mustMapEnv(&x, "X")`. */
export function envOfCall(call: SyntaxNode, scope: ValueScope, callee = calleeOf(call)): string | null {
  if (!callee || !callee.name.toLowerCase().includes('env')) return null;
  const pkg = callee.operand?.type === 'identifier' ? scope.imports.get(callee.operand.text) : undefined;
  if (pkg === 'os' && (callee.name === 'Getenv' || callee.name === 'LookupEnv')) return stringLiteral(argumentsOf(call)[0]);
  if (pkg !== undefined) return null;
  for (const argument of argumentsOf(call)) {
    const text = stringLiteral(argument);
    if (text !== null && isEnvName(text)) return text;
  }
  return null;
}

/** The configuration key a call reads: viper's `GetString("a.b")` (and `viper.Get*`). */
function keyOfCall(call: SyntaxNode, scope: ValueScope): string | null {
  const callee = calleeOf(call);
  if (!callee?.name.startsWith('Get') || callee.operand?.type !== 'identifier') return null;
  const pkg = scope.imports.get(callee.operand.text);
  if (pkg !== 'github.com/spf13/viper') return null;
  return stringLiteral(argumentsOf(call)[0]);
}

/** Substitutes `%s`/`%d`/`%v` (and friends) of a format with the arguments' texts. */
function format(template: string, args: ReadonlyArray<Address>): Address {
  const parts: Address[] = [];
  let start = 0;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '%') continue;
    if (template[i + 1] === '%') {
      parts.push(literal(template.slice(start, i + 1)));
      i += 1;
      start = i + 1;
      continue;
    }
    let j = i + 1;
    while (j < template.length && '+-# 0123456789.'.includes(template[j]!)) j += 1;
    if (j >= template.length) break;
    parts.push(literal(template.slice(start, i)));
    parts.push(args[next] ?? literal(''));
    next += 1;
    start = j + 1;
    i = j;
  }
  parts.push(literal(template.slice(start)));
  return concat(parts);
}

/**
 * Evaluates an address expression; null when nothing about it is known. `fields: false` ignores values bound to
 * struct fields (a field's initial value is a default that options may replace: right for a connection, wrong for a
 * channel name).
 */
export function evaluate(node: SyntaxNode | null | undefined, scope: ValueScope, depth = 0, fields = true): Address | null {
  if (!node || depth > 6) return null;
  const text = stringLiteral(node);
  if (text !== null) return literal(text);
  switch (node.type) {
    case 'int_literal':
      return literal(node.text);
    case 'parenthesized_expression':
      return evaluate(node.namedChildren[0], scope, depth + 1, fields);
    case 'identifier':
      return scope.addresses.get(node.text) ?? (scope.constants.has(node.text) ? literal(scope.constants.get(node.text)!) : null);
    case 'selector_expression': {
      const path = selectorPath(node);
      if (!path) return null;
      const field = fields ? scope.addresses.get(`.${path[path.length - 1]!}`) : undefined;
      if (field) return field;
      if (scope.imports.has(path[0]!)) return null;
      return path.length >= 2 ? key(path.slice(1).join('.')) : null;
    }
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.text !== '+') return null;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const l = evaluate(left, scope, depth + 1, fields);
      const r = evaluate(right, scope, depth + 1, fields);
      if (!l && !r) return null;
      return concat([l ?? opaque(left!), r ?? opaque(right!)]);
    }
    case 'call_expression': {
      const envName = envOfCall(node, scope);
      if (envName) return env(envName);
      const configKey = keyOfCall(node, scope);
      if (configKey) return key(configKey);
      const callee = calleeOf(node);
      const pkg = callee?.operand?.type === 'identifier' ? scope.imports.get(callee.operand.text) : undefined;
      const args = argumentsOf(node);
      if (pkg === 'fmt' && callee?.name === 'Sprintf') {
        const template = stringLiteral(args[0]);
        if (template === null) return null;
        return format(template, args.slice(1).map((a) => evaluate(a, scope, depth + 1, fields) ?? opaque(a)));
      }
      if (pkg === 'net' && callee?.name === 'JoinHostPort' && args.length === 2) {
        return concat([evaluate(args[0], scope, depth + 1, fields) ?? opaque(args[0]!), literal(':'), evaluate(args[1], scope, depth + 1, fields) ?? opaque(args[1]!)]);
      }
      return null;
    }
    default:
      return null;
  }
}
