/**
 * What an address expression evaluates to, as far as one file (and the configuration-properties classes of its
 * own source root) can tell: string literals and constants, `+` and `String.format`, `@Value("${key}")` fields
 * and constructor parameters, `Environment.getProperty("key")`, `System.getenv("NAME")`, getters of
 * `@ConfigurationProperties` classes, `UriComponentsBuilder` chains and `URI.create`. Unknown parts become
 * `{name}` (as in a URI template), so that the join still sees the base of the address.
 */
import type { SyntaxNode } from '../tree-sitter.js';
import { declarationOfExpression, fieldOf, qualify, type Declaration, type JavaFile } from './scope.js';
import { annotationElements, annotationName, argumentsOf, findAnnotation, methodName, stringValue, TYPE_DECLARATIONS } from './syntax.js';

export interface Address {
  /** As written: literal text, `${config.key}` placeholders, `env:NAME` for a whole environment variable, `{x}` for the unknown. */
  url: string;
  configKey: string | null;
  envVar: string | null;
  /** Nothing of it is known (a parameter, a value from elsewhere). */
  unknown: boolean;
}

/** Declarations and method bodies followed from one address (a chain of constants, fields, helper methods). */
const MAX_HOPS = 6;
/** Nodes looked at for one address: evaluation stays small whatever the file holds. */
const BUDGET = 400;
const CONFIGURATION_PROPERTIES = new Set(['ConfigurationProperties']);
const PASS_THROUGH = new Set(['toString', 'trim', 'strip', 'toUri', 'toUriString', 'build', 'encode', 'buildAndExpand', 'expand', 'normalize', 'toURI', 'toURL', 'queryParam', 'queryParams', 'uriVariables', 'replaceQueryParam', 'fragment']);
const URI_BUILDER_STARTS = new Set(['fromUriString', 'fromHttpUrl', 'fromUri', 'fromPath', 'fromUrl']);
const URI_BUILDERS = new Set(['UriComponentsBuilder', 'ServletUriComponentsBuilder', 'UriBuilder']);

const known = (url: string, configKey: string | null = null, envVar: string | null = null): Address => ({ url, configKey, envVar, unknown: false });
const unknownPart = (name: string): Address => ({ url: `{${name}}`, configKey: null, envVar: null, unknown: true });

/** `${key}` / `${key:default}` → `key`, when the text starts with a placeholder. */
export function leadingPlaceholder(text: string): string | null {
  if (!text.startsWith('${')) return null;
  const end = text.indexOf('}');
  if (end === -1) return null;
  const inner = text.slice(2, end);
  const colon = inner.indexOf(':');
  return (colon === -1 ? inner : inner.slice(0, colon)).trim() || null;
}

function concat(parts: Address[]): Address {
  const first = parts[0];
  const url = parts.map((p) => (p.url.startsWith('env:') && parts.length > 1 ? `\${${p.url.slice(4)}}` : p.url)).join('');
  return { url, configKey: first?.configKey ?? null, envVar: first?.envVar ?? null, unknown: parts.every((p) => p.unknown) };
}

interface Evaluation {
  file: JavaFile;
  hops: number;
  budget: number;
}

/** Evaluates an expression to an address, or null when it says nothing (a call of an unknown method, …). */
export function evaluate(node: SyntaxNode | null, file: JavaFile): Address | null {
  return value(node, { file, hops: 0, budget: BUDGET });
}

function value(node: SyntaxNode | null, run: Evaluation): Address | null {
  if (!node || --run.budget < 0) return null;
  switch (node.type) {
    case 'string_literal': {
      const text = stringValue(node) ?? '';
      return known(text, leadingPlaceholder(text));
    }
    case 'parenthesized_expression':
    case 'cast_expression':
      return value(node.childForFieldName('value') ?? node.namedChildren.at(-1) ?? null, run);
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.text !== '+') return null;
      const left = value(node.childForFieldName('left'), run) ?? unknownPart('?');
      const right = value(node.childForFieldName('right'), run) ?? unknownPart('?');
      return concat([left, right]);
    }
    case 'identifier':
    case 'field_access': {
      const declaration = declarationOfExpression(node);
      if (!declaration) return node.type === 'identifier' ? unknownPart(node.text) : null;
      return follow(run, () => fromDeclaration(declaration, run));
    }
    case 'method_invocation':
      return fromInvocation(node, run);
    case 'object_creation_expression': {
      const type = node.childForFieldName('type')?.text;
      if (type === 'URI' || type === 'URL' || type === 'java.net.URI') return value(argumentsOf(node)[0] ?? null, run);
      return null;
    }
    default:
      return null;
  }
}

/** Follows a declaration or a method body, within the hop limit. */
function follow(run: Evaluation, next: () => Address | null): Address | null {
  if (run.hops >= MAX_HOPS) return null;
  run.hops++;
  try {
    return next();
  } finally {
    run.hops--;
  }
}

function fromDeclaration(declaration: Declaration, run: Evaluation): Address | null {
  const annotated = valueAnnotation(declaration.annotations);
  if (annotated) return annotated;
  // A field assigned in a constructor from a parameter evaluates to that parameter (and its own @Value).
  if (declaration.init) return value(declaration.init, run);
  return declaration.kind === 'field' ? null : unknownPart(declaration.name);
}

function valueAnnotation(annotations: SyntaxNode[]): Address | null {
  const annotation = annotations.find((a) => annotationName(a) === 'Value');
  const text = annotation ? stringValue(annotationElements(annotation).get('value') ?? null) : null;
  return text === null ? null : known(text, leadingPlaceholder(text));
}

function fromInvocation(node: SyntaxNode, run: Evaluation): Address | null {
  const { file } = run;
  const name = methodName(node);
  const object = node.childForFieldName('object');
  const args = argumentsOf(node);
  const objectText = object?.text ?? '';
  if (name === 'getenv' && objectText === 'System') {
    const variable = stringValue(args[0] ?? null);
    return variable ? known(`env:${variable}`, null, variable) : null;
  }
  if ((name === 'getProperty' || name === 'getRequiredProperty') && args[0]) {
    const key = stringValue(args[0]);
    if (key) return known(`\${${key}}`, key);
  }
  if (name === 'format' && (objectText === 'String' || objectText === 'java.lang.String') && args[0]) {
    const format = stringValue(args[0]);
    if (format === null) return null;
    const pieces = format.split('%s');
    const parts: Address[] = [];
    pieces.forEach((piece, i) => {
      if (piece) parts.push(known(piece));
      if (i < pieces.length - 1) parts.push(value(args[i + 1] ?? null, run) ?? unknownPart('?'));
    });
    return parts.length > 0 ? concat(parts) : null;
  }
  if (name === 'create' && (objectText === 'URI' || objectText === 'java.net.URI')) return value(args[0] ?? null, run);
  if ((name === 'valueOf' && objectText === 'String') || (objectText === 'Objects' && name === 'requireNonNull')) return value(args[0] ?? null, run);
  if (URI_BUILDER_STARTS.has(name) && URI_BUILDERS.has(objectText.slice(objectText.lastIndexOf('.') + 1))) return value(args[0] ?? null, run) ?? unknownPart('?');
  if (object && (name === 'path' || name === 'pathSegment' || name === 'concat')) {
    const base = value(object, run);
    if (!base) return null;
    const segment = args.length === 1 ? (value(args[0] ?? null, run) ?? unknownPart('?')) : unknownPart('?');
    const slash = name === 'pathSegment' && !segment.url.startsWith('/') ? known('/') : null;
    return concat(slash ? [base, slash, segment] : [base, segment]);
  }
  if (object && PASS_THROUGH.has(name)) return value(object, run);
  if (object && object.type !== 'this' && args.length === 0) return follow(run, () => fromAccessor(object, name, run));
  if (!object || object.type === 'this') return follow(run, () => fromOwnMethod(node, name, run));
  return null;
}

/** A helper method of the same class (`getMediasUrl(ids)`): what its first `return` gives. */
function fromOwnMethod(invocation: SyntaxNode, name: string, run: Evaluation): Address | null {
  let type: SyntaxNode | null = invocation.parent;
  while (type && !TYPE_DECLARATIONS.has(type.type)) type = type.parent;
  for (const member of type?.childForFieldName('body')?.namedChildren ?? []) {
    if (member?.type !== 'method_declaration' || member.childForFieldName('name')?.text !== name) continue;
    let returned: SyntaxNode | null = null;
    const statements = [...(member.childForFieldName('body')?.namedChildren ?? [])];
    for (const statement of statements) if (statement?.type === 'return_statement') returned = statement.namedChildren[0] ?? null;
    return returned ? value(returned, run) : null;
  }
  return null;
}

/**
 * A getter or record accessor of a configuration class: `${prefix.property}` for `@ConfigurationProperties`, the
 * field's own `@Value` otherwise. The class is read from this file or from its own file in the same source root;
 * when that file is out of reach (another module), the join resolves `<fully.qualified.Class>#property`.
 */
function fromAccessor(receiver: SyntaxNode, accessor: string, run: Evaluation): Address | null {
  const { file } = run;
  const declaration = declarationOfExpression(receiver);
  if (!declaration?.type) return null;
  const property = propertyName(accessor);
  if (property === null) return null;
  const local = typeNamed(rootOf(receiver), declaration.type);
  if (local) return fromConfigurationClass(local, accessor, property);
  const qualified = qualify(file, declaration.type);
  const sourceRoot = sourceRootOf(file);
  const text = sourceRoot !== null && qualified.includes('.') ? file.read(`${sourceRoot}${qualified.replaceAll('.', '/')}.java`) : null;
  if (text === null) {
    if (!looksLikeConfiguration(declaration.type)) return null;
    const key = `${qualified}#${property}`;
    return known(`\${${key}}`, key);
  }
  const tree = file.parse('java', text);
  try {
    const type = typeNamed(tree.rootNode, declaration.type);
    return type ? fromConfigurationClass(type, accessor, property) : null;
  } finally {
    tree.delete();
  }
}

function fromConfigurationClass(type: SyntaxNode, accessor: string, property: string): Address | null {
  const prefix = prefixOf(type);
  if (prefix) {
    const key = `${prefix}.${property}`;
    return known(`\${${key}}`, key);
  }
  const field = /^(get|is)[A-Z]/.test(accessor) ? accessor.charAt(accessor.startsWith('is') ? 2 : 3).toLowerCase() + accessor.slice(accessor.startsWith('is') ? 3 : 4) : accessor;
  const declaration = fieldOf(type, field);
  return declaration ? valueAnnotation(declaration.annotations) : null;
}

function rootOf(node: SyntaxNode): SyntaxNode {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

function typeNamed(root: SyntaxNode, name: string): SyntaxNode | null {
  for (const declaration of root.namedChildren) {
    if (declaration && TYPE_DECLARATIONS.has(declaration.type) && declaration.childForFieldName('name')?.text === name) return declaration;
  }
  return null;
}

/** Names of classes that bind configuration by convention, when their file is out of reach. */
const looksLikeConfiguration = (type: string): boolean => /(Properties|Config|Configuration|Settings|Destinations|Urls?)$/.test(type);

function prefixOf(declaration: SyntaxNode): string | undefined {
  const annotation = findAnnotation(declaration, CONFIGURATION_PROPERTIES);
  if (!annotation) return undefined;
  const elements = annotationElements(annotation);
  return stringValue(elements.get('prefix') ?? elements.get('value') ?? null) ?? undefined;
}

/** `getOrderServiceUrl` → `order-service-url`, `product` → `product` (Spring's canonical kebab-case). */
export function propertyName(accessor: string): string | null {
  let name = accessor;
  if (/^(get|is)[A-Z]/.test(name)) name = name.slice(name.startsWith('is') ? 2 : 3);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return null;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `…/src/main/java/` for a file whose package is `a.b` at `…/src/main/java/a/b/X.java`. */
export function sourceRootOf(file: JavaFile): string | null {
  const dir = file.path.slice(0, file.path.lastIndexOf('/') + 1);
  const packagePath = file.packageName ? `${file.packageName.replaceAll('.', '/')}/` : '';
  return dir.endsWith(packagePath) ? dir.slice(0, dir.length - packagePath.length) : null;
}
