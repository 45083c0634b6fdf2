/**
 * Context-safe template helpers. Handlebars' HTML escaping is not code
 * escaping: every piece of free text that lands in generated code goes
 * through one of these, chosen for the context it lands in.
 */
import { nameCases } from './names.js';

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/**
 * A JavaScript/TypeScript string literal, quotes included. JSON string syntax
 * is valid JS; U+2028/U+2029 are escaped for older parsers and `</` so the
 * literal is also safe inside an inline `<script>`.
 */
export function tsString(value: unknown): string {
  // JSON's escapes, then requoted with single quotes (the generated code's style):
  // every `"` inside a JSON string body is preceded by its escaping backslash.
  const body = JSON.stringify(asText(value))
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/<\//g, '<\\/');
  return `'${body}'`;
}

/** A YAML double-quoted scalar. JSON strings are valid YAML 1.2 double-quoted scalars. */
export function yamlString(value: unknown): string {
  return JSON.stringify(asText(value)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Any value as JSON (objects compact). Safe inside JSON documents. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/**
 * One line of text safe inside `//`, `/* *\/` and `#` comments: line breaks
 * become spaces and comment terminators are broken up.
 */
export function comment(value: unknown): string {
  return asText(value)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\*\//g, '* /')
    .replace(/\/\*/g, '/ *')
    .trim();
}

/** One line of Markdown text: line breaks folded, Markdown and HTML specials escaped. */
export function mdText(value: unknown): string {
  return asText(value)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1')
    .trim();
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A camelCase identifier from a validated kebab-case name; throws if it cannot be one. */
export function identifier(value: unknown): string {
  const id = nameCases(asText(value)).camel;
  if (!IDENTIFIER.test(id)) throw new Error(`"${asText(value)}" cannot be used as an identifier`);
  return id;
}
