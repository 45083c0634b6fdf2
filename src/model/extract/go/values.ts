/**
 * What an address expression holds, as far as one Go file can tell: a literal, an environment variable
 * (`os.Getenv("X")`, a `getEnv("X", …)`-style helper), a configuration key (`viper.GetString("a.b")`, a config
 * struct field `cfg.Orders.URL` → `Orders.URL`), or text built from them (`fmt.Sprintf`, `+`, `net.JoinHostPort`)
 * with `${…}` placeholders kept.
 */
import { concat, env, format, isEnvName, key, literal, opaque as placeholder, type Address } from '../shared/address.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { argumentsOf, calleeOf, selectorPath, stringLiteral } from './syntax.js';

/** What the evaluator needs to know of the file. */
export interface ValueScope {
  /** Import alias → import path. */
  imports: ReadonlyMap<string, string>;
  /** Package-level string constants and variables. */
  constants: ReadonlyMap<string, string>;
  /** Addresses bound to local variables (`x`) and struct fields (`.x`), in walk order. */
  addresses: ReadonlyMap<string, Address>;
}

const opaque = (node: SyntaxNode): Address => placeholder(node.text);

export type { Address };

const isUpper = (c: string | undefined): boolean => c !== undefined && c >= 'A' && c <= 'Z';

/**
 * The key code reads a configuration field by: the selector without its root variable, and without the unexported
 * fields that only hold the configuration (`s.cfg.Kafka.Topic` → `Kafka.Topic`): configuration structs have
 * exported fields, which is what struct-tag settings are keyed by. Null for a bare variable.
 */
export function configPath(path: readonly string[]): string | null {
  const rest = path.slice(1);
  while (rest.length > 1 && !isUpper(rest[0]![0]) && isUpper(rest[1]![0])) rest.shift();
  return rest.length > 0 ? rest.join('.') : null;
}

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

/** The configuration key a call reads: viper's `GetString("a.b")` (and `viper.Get*`); with AutomaticEnv, `GetString("ORDERS_URL")` is that variable. */
function keyOfCall(call: SyntaxNode, scope: ValueScope): string | null {
  const callee = calleeOf(call);
  if (!callee?.name.startsWith('Get') || callee.operand?.type !== 'identifier') return null;
  const pkg = scope.imports.get(callee.operand.text);
  if (pkg !== 'github.com/spf13/viper') return null;
  return stringLiteral(argumentsOf(call)[0]);
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
      const configKey = configPath(path);
      return configKey === null ? null : key(configKey);
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
      if (configKey) return isEnvName(configKey) ? { ...env(configKey), configKey } : key(configKey);
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
