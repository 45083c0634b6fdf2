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
 * Every line break Unicode defines (LF, VT, FF, CR, NEL, LS, PS). Readers disagree on which of them end a line
 * (YAML 1.1 breaks at NEL, LS and PS; JavaScript at LS and PS), so text that must stay on its line folds them all.
 */
const LINE_BREAKS = /[\n\v\f\r\u0085\u2028\u2029]+/g;

/** The line breaks JSON leaves raw inside a string, escaped: no reader sees a line end inside the literal. */
const escapeRawBreaks = (json: string) => json.replace(/\u0085/g, '\\u0085').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Text on one line: each run of line breaks (any of Unicode's, see above) becomes one space. */
export function oneLine(value: unknown): string {
  return asText(value).replace(LINE_BREAKS, ' ');
}

/**
 * A JavaScript/TypeScript string literal, quotes included. JSON string syntax
 * is valid JS; NEL, LS and PS are escaped (no reader sees a line end in it)
 * and `</` so the literal is also safe inside an inline `<script>`.
 */
export function tsString(value: unknown): string {
  // JSON's escapes, then requoted with single quotes (the generated code's style):
  // every `"` inside a JSON string body is preceded by its escaping backslash.
  const body = escapeRawBreaks(JSON.stringify(asText(value)).slice(1, -1))
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/<\//g, '<\\/');
  return `'${body}'`;
}

/**
 * A YAML double-quoted scalar. JSON strings are valid YAML 1.2 double-quoted scalars; NEL, LS and PS are escaped
 * too, since a YAML 1.1 reader folds them as line breaks even inside quotes.
 */
export function yamlString(value: unknown): string {
  return escapeRawBreaks(JSON.stringify(asText(value)));
}

/** A value as JSON text, indented as given, with the line breaks JSON leaves raw (NEL, LS, PS) escaped. */
export function stringifyJson(value: unknown, indent?: string | number): string {
  return escapeRawBreaks(JSON.stringify(value ?? null, null, indent));
}

/** Any value as JSON (objects compact). Safe inside JSON documents, and as a JS or YAML value (line breaks escaped). */
export function json(value: unknown): string {
  return stringifyJson(value);
}

/**
 * One line of text safe inside `//`, `/* *\/`, `#` (YAML, Dockerfile, .env)
 * and `<!-- -->` comments: every line break becomes a space and comment
 * delimiters are broken up.
 */
export function comment(value: unknown): string {
  return oneLine(value)
    .replace(/\*\//g, '* /')
    .replace(/\/\*/g, '/ *')
    .replace(/--(!?>)/g, '-- $1')
    .replace(/<!--/g, '<! --')
    .trim();
}

/** One line of Markdown text: line breaks folded, Markdown and HTML specials escaped. */
export function mdText(value: unknown): string {
  return oneLine(value)
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
