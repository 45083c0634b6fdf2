/**
 * Configuration documents (YAML, several per file, JSON with comments, or TOML) as plain values, with the line
 * of any value found by its key path: what the gateway extractors read. TOML lines are those of the nearest
 * table header (`[http.routers.api]`) or dotted key the path names. YAML is read with the safety settings of
 * the other YAML extractors (no quadratic duplicate-key check, aliases capped, merge keys applied); a file
 * that holds template actions (`{{ }}`: Helm, Jinja, KrakenD's flexible configuration) is not valid YAML or
 * JSON and is skipped without a diagnostic.
 */
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type YAMLMap } from 'yaml';
import { findNodeAtLocation } from 'jsonc-parser';
import type { Diagnostic } from '../../types.js';
import type { CandidateFile } from '../define-extractor.js';
import { applyMergeKeys } from '../compose.js';
import { parseJsonc } from '../jsonc.js';
import { parse as parseToml, TomlError } from 'smol-toml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type KeyPath = ReadonlyArray<string | number>;

/** Files of these names are never gateway configuration, and some are megabytes: not worth a substring scan. */
const NOT_CONFIG = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'composer.json', 'composer.lock', 'jsconfig.json', 'cargo.toml', 'pyproject.toml', 'poetry.lock']);

/** Whether a file may be a gateway configuration in a structured format (YAML, JSON, and TOML when `toml`). */
export function isConfigFile(file: CandidateFile, toml = false): boolean {
  const structured = file.ext === '.yaml' || file.ext === '.yml' || file.ext === '.json' || (toml && file.ext === '.toml');
  return structured && !NOT_CONFIG.has(file.lower) && !file.lower.startsWith('tsconfig');
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
/** A scalar as text (numbers and booleans written out); null for collections and null. */
export const str = (v: Json | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

export interface ConfigDocument {
  value: Json;
  /** 1-based line of the value at `keys` (the nearest existing ancestor's when it is absent or reached through an alias). */
  lineOf(keys: KeyPath): number;
}

export interface ReadDocuments {
  documents: ConfigDocument[];
  diagnostics: Diagnostic[];
}

/** `{{` not preceded by `$` (GitHub Actions' `${{ }}` is a plain string to YAML). */
export function holdsTemplate(text: string): boolean {
  for (let i = text.indexOf('{{'); i !== -1; i = text.indexOf('{{', i + 2)) if (i === 0 || text[i - 1] !== '$') return true;
  return false;
}

/** The last file read: several gateway extractors may accept one file, and the pipeline runs them one after the other. */
let last: { file: string; text: string; read: ReadDocuments } | null = null;

/**
 * Reads a `.json` file as JSON with comments, a `.toml` file as TOML, anything else as YAML documents. The result
 * is shared with the next caller that reads the same text (callers never modify it).
 */
export function readDocuments(file: string, text: string): ReadDocuments {
  if (last && last.file === file && last.text === text) return last.read;
  const read = readOnce(file, text);
  last = { file, text, read };
  return read;
}

function readOnce(file: string, text: string): ReadDocuments {
  if (holdsTemplate(text)) return { documents: [], diagnostics: [] };
  try {
    const lower = file.toLowerCase();
    return lower.endsWith('.json') ? readJson(file, text) : lower.endsWith('.toml') ? readToml(file, text) : readYaml(file, text);
  } catch (error) {
    // Nesting deep enough to exhaust the stack: the file is not a configuration anyone wrote by hand.
    return { documents: [], diagnostics: [{ file, message: `cannot read ${file}: ${firstLine((error as Error).message)}` }] };
  }
}

function readYaml(file: string, text: string): ReadDocuments {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: ConfigDocument[] = [];
  const lineAt = (node: Node | null | undefined): number | null => (node?.range ? lineCounter.linePos(node.range[0]).line : null);
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  } catch (error) {
    return { documents, diagnostics: [{ file, message: `cannot parse YAML: ${firstLine((error as Error).message)}` }] };
  }
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      diagnostics.push({ file, line: error.linePos?.[0]?.line ?? lineAt(doc.contents) ?? 1, message: `cannot parse YAML: ${firstLine(error.message)}` });
      continue;
    }
    let value: Json;
    try {
      value = applyMergeKeys(doc.toJS({ maxAliasCount: 1000 }));
    } catch (failure) {
      diagnostics.push({ file, line: lineAt(doc.contents) ?? 1, message: `cannot read YAML: ${firstLine((failure as Error).message)}` });
      continue;
    }
    const top = lineAt(doc.contents) ?? 1;
    // Each mapping's keys indexed once, on its first lookup: line lookups stay linear in the file.
    const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
    const keysOf = (map: YAMLMap): Map<string, Pair> => {
      let index = indexes.get(map);
      if (!index) {
        index = new Map();
        for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
        indexes.set(map, index);
      }
      return index;
    };
    /** The node at the first `n` keys (null when absent or reached through an alias). */
    const nodeAt = (keys: KeyPath, n: number): unknown => {
      let node: unknown = doc.contents;
      for (let k = 0; k < n && node; k++) node = isMap(node) ? keysOf(node).get(String(keys[k]))?.value : isSeq(node) ? node.items[Number(keys[k])] : null;
      return node;
    };
    documents.push({
      value,
      lineOf: (keys) => {
        for (let n = keys.length; n > 0; n--) {
          // A mapping's entry is where its key is written (a block value starts on the lines below).
          const parent = nodeAt(keys, n - 1);
          const last = keys[n - 1];
          const pair = isMap(parent) ? keysOf(parent).get(String(last)) : undefined;
          const line = pair ? lineAt(pair.key as Node) : isSeq(parent) ? lineAt(parent.items[Number(last)] as Node | undefined) : null;
          if (line !== null) return line;
        }
        return top;
      },
    });
  }
  return { documents, diagnostics };
}

function readJson(file: string, text: string): ReadDocuments {
  const doc = parseJsonc(text);
  const diagnostics: Diagnostic[] = doc.error ? [{ file, line: doc.error.line, message: `cannot parse JSON: ${doc.error.message}` }] : [];
  const root = doc.root;
  if (!root) return { documents: [], diagnostics };
  const value = plain(root) as Json;
  const lineOf = (keys: KeyPath): number => {
    for (let n = keys.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, keys.slice(0, n) as Array<string | number>);
      if (node) return doc.lineAt(node.type === 'property' ? node.offset : (node.parent?.type === 'property' ? node.parent.offset : node.offset));
    }
    return 1;
  };
  return { documents: [{ value, lineOf }], diagnostics };
}

function readToml(file: string, text: string): ReadDocuments {
  let value: Json;
  try {
    // Dates become their text: nothing here reads them.
    value = JSON.parse(JSON.stringify(parseToml(text))) as Json;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    return { documents: [], diagnostics: [{ file, line, message: `cannot parse TOML: ${firstLine((error as Error).message)}` }] };
  }
  // Lines of table headers and of `key =` lines, by dotted path (`http.routers.api`, `http.routers.api.rule`).
  const lines = new Map<string, number>();
  let table = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const close = line.startsWith('[') ? line.indexOf(']') : -1;
    if (close !== -1) {
      table = unquoteDotted(line.slice(line.startsWith('[[') ? 2 : 1, close).trim());
      if (!lines.has(table)) lines.set(table, i + 1);
      return;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) {
      const key = unquoteDotted(line.slice(0, eq).trim());
      const full = table === '' ? key : `${table}.${key}`;
      if (!lines.has(full)) lines.set(full, i + 1);
    }
  });
  const lineOf = (keys: KeyPath): number => {
    const names = keys.filter((k): k is string => typeof k === 'string');
    for (let n = names.length; n > 0; n--) {
      const line = lines.get(names.slice(0, n).join('.'));
      if (line !== undefined) return line;
    }
    return 1;
  };
  return { documents: [{ value, lineOf }], diagnostics: [] };
}

/** `http."routers".api` → `http.routers.api` (quotes and spaces around dots dropped). */
const unquoteDotted = (key: string): string =>
  key
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');

/** A jsonc-parser node as a plain value (no recursion limit needed: JSON has no aliases, and jsonc-parser's own tree is as deep). */
function plain(node: NonNullable<ReturnType<typeof parseJsonc>['root']>): unknown {
  if (node.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key && value && typeof key.value === 'string') out[key.value] = plain(value);
    }
    return out;
  }
  if (node.type === 'array') return (node.children ?? []).map(plain);
  return node.value ?? null;
}

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
