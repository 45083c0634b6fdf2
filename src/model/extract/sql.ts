/**
 * SQL files (migrations, sqlc `query.sql`, Flyway / golang-migrate / Liquibase SQL changes): the schemas a file
 * creates (`CREATE SCHEMA [IF NOT EXISTS] orders`) and the schemas of the schema-qualified names it reads or writes
 * after FROM, JOIN, INTO, UPDATE, TABLE, REFERENCES (and the VIEW / SEQUENCE / TYPE it defines): `"order".orders`,
 * `kitchen.kitchen_orders`. The join uses them to tell schema per service from a shared database when services
 * connect with the same URL.
 *
 * One pass of a small tokenizer: comments (`--`, nested `/* *\/`), string literals ('…', E'…', $tag$…$tag$) and
 * numbers are skipped; identifiers are bare (folded to lower case, as PostgreSQL does), "quoted", `backticked` or
 * [bracketed]. `FROM` inside EXTRACT / SUBSTRING / TRIM / OVERLAY / POSITION and after `IS [NOT] DISTINCT` is no
 * table's FROM. System schemas (pg_catalog, information_schema, pg_*) and the default schema (public) are left out.
 */
import type { SqlSchemaUse } from '../facts.js';
import { defineExtractor } from './define-extractor.js';

type Token = { kind: 'word'; value: string; quoted: boolean; line: number } | { kind: 'punct'; value: string; line: number };

/** Keywords after which a (possibly schema-qualified) table or object name follows. */
const OBJECT_KEYWORDS: ReadonlySet<string> = new Set(['from', 'join', 'into', 'update', 'table', 'references', 'view', 'sequence', 'type']);
/** Words that may stand between such a keyword and the name (`FROM ONLY x`, `TABLE IF NOT EXISTS x`). */
const MODIFIERS: ReadonlySet<string> = new Set(['only', 'if', 'not', 'exists']);
/** Functions whose arguments use FROM as a separator (`EXTRACT(YEAR FROM o.created)`). */
const FROM_FUNCTIONS: ReadonlySet<string> = new Set(['extract', 'substring', 'trim', 'overlay', 'position']);
/** Words that end a FROM item's alias position (`FROM a.x WHERE …`, `FROM a.x JOIN …`). */
const CLAUSE_WORDS: ReadonlySet<string> = new Set(['where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'on', 'using', 'group', 'order', 'having', 'limit', 'offset', 'union', 'except', 'intersect', 'window', 'returning', 'set', 'for', 'lateral', 'tablesample', 'fetch']);

/** Reserved words that are never a name after those keywords (`SELECT id, type FROM x`: `type` is a column). */
const RESERVED: ReadonlySet<string> = new Set(['from', 'where', 'select', 'join', 'on', 'set', 'values', 'as', 'and', 'or', 'group', 'order', 'limit', 'returning', 'union', 'default', 'with']);

const ignored = (schema: string): boolean => schema === 'public' || schema === 'information_schema' || schema.startsWith('pg_');

const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
const isWordPart = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The tokens of SQL text: words and punctuation, without comments, strings and numbers. Linear in the text. */
export function tokenizeSql(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  // Next `]` and newline at or after i, found once and reused, so that brackets never rescan the text.
  let nextClose = -2;
  let nextNewline = -2;
  /** Advances to `end` (exclusive), counting newlines on the way. */
  const skipTo = (end: number): void => {
    for (; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  };
  /** Skips a quoted run closed by `quote`, where a doubled quote (and, when `backslash`, `\x`) is an escape. */
  const skipQuoted = (quote: number, backslash: boolean): string => {
    const start = ++i;
    let value = '';
    let from = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      if (backslash && c === 92) {
        if (text.charCodeAt(i + 1) === 10) line++;
        i += 2;
        continue;
      }
      if (c === quote) {
        if (text.charCodeAt(i + 1) === quote) {
          value += text.slice(from, i + 1);
          i += 2;
          from = i;
          continue;
        }
        value += text.slice(from, i);
        i++;
        return value;
      }
      i++;
    }
    return value + text.slice(from, n);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = text.charCodeAt(i);
        if (d === 10) line++;
        if (d === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (d === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === 39) {
      skipQuoted(39, false);
    } else if (c === 34 || c === 96) {
      const l = line;
      out.push({ kind: 'word', value: skipQuoted(c, false), quoted: true, line: l });
    } else if (c === 91) {
      if (nextClose !== -1 && nextClose <= i) nextClose = text.indexOf(']', i + 1);
      if (nextNewline !== -1 && nextNewline <= i) nextNewline = text.indexOf('\n', i + 1);
      const end = nextClose;
      if (end !== -1 && (nextNewline === -1 || nextNewline > end)) {
        out.push({ kind: 'word', value: text.slice(i + 1, end), quoted: true, line });
        i = end + 1;
      } else {
        out.push({ kind: 'punct', value: '[', line });
        i++;
      }
    } else if (c === 36 && (text.charCodeAt(i + 1) === 36 || isWordStart(text.charCodeAt(i + 1)))) {
      // Dollar quoting: $$…$$ or $tag$…$tag$ (a `$1` parameter starts with a digit and is no tag).
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (text.charCodeAt(j) === 36) {
        const tag = text.slice(i, j + 1);
        const end = text.indexOf(tag, j + 1);
        skipTo(end === -1 ? n : end + tag.length);
      } else {
        i = j;
      }
    } else if (isWordStart(c)) {
      const start = i;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      // E'…' (and e'…'): a string with backslash escapes; N'…', B'…', X'…', U&'…' are strings too.
      if (text.charCodeAt(i) === 39 && i - start === 1) {
        skipQuoted(39, word === 'E' || word === 'e');
        continue;
      }
      out.push({ kind: 'word', value: word.toLowerCase(), quoted: false, line });
    } else if (isDigit(c)) {
      while (i < n && (isWordPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
    } else {
      out.push({ kind: 'punct', value: text[i]!, line });
      i++;
    }
  }
  return out;
}

/** The schemas a file creates and the schemas its qualified names are in, each once with the line of its first use. */
export function sqlSchemas(text: string): Array<{ schema: string; creates: boolean; line: number }> {
  const tokens = tokenizeSql(text);
  const found = new Map<string, { schema: string; creates: boolean; line: number }>();
  const note = (schema: string, line: number, creates: boolean): void => {
    if (schema === '' || ignored(schema)) return;
    const seen = found.get(schema);
    if (!seen) found.set(schema, { schema, creates, line });
    else if (creates) seen.creates = true;
  };
  const word = (k: number): string | null => {
    const t = tokens[k];
    return t?.kind === 'word' ? t.value : null;
  };
  const bare = (k: number): string | null => {
    const t = tokens[k];
    return t?.kind === 'word' && !t.quoted ? t.value : null;
  };
  const punct = (k: number, value: string): boolean => {
    const t = tokens[k];
    return t?.kind === 'punct' && t.value === value;
  };
  /** Reads a name at k (`a`, `a.b`, `a.b.c`): notes its schema, returns the index after it. */
  const name = (k: number): number => {
    if (word(k) === null || RESERVED.has(bare(k) ?? '')) return k;
    if (!punct(k + 1, '.') || word(k + 2) === null) return k + 1;
    if (punct(k + 3, '.') && word(k + 4) !== null) {
      note(word(k + 2)!, tokens[k + 2]!.line, false);
      return k + 5;
    }
    note(word(k)!, tokens[k]!.line, false);
    return k + 3;
  };
  // Parentheses opened by a function that uses FROM inside its arguments.
  const frames: boolean[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct') {
      if (t.value === '(') frames.push(FROM_FUNCTIONS.has(bare(k - 1) ?? ''));
      else if (t.value === ')') frames.pop();
      continue;
    }
    if (t.quoted) continue;
    if (t.value === 'schema' && bare(k - 1) === 'create') {
      let j = k + 1;
      if (bare(j) === 'if' && bare(j + 1) === 'not' && bare(j + 2) === 'exists') j += 3;
      const created = word(j);
      if (created !== null && !(bare(j) === 'authorization')) note(created, tokens[j]!.line, true);
      continue;
    }
    // `o.type`, `t.from`: a column, not a keyword.
    if (!OBJECT_KEYWORDS.has(t.value) || punct(k - 1, '.')) continue;
    if (t.value === 'from' && (frames.at(-1) === true || bare(k - 1) === 'distinct')) continue;
    let j = k + 1;
    while (MODIFIERS.has(bare(j) ?? '')) j++;
    j = name(j);
    // A FROM list: `FROM a.x o, b.y` — the names after commas are tables too.
    if (t.value === 'from') {
      while (true) {
        if (bare(j) === 'as') j++;
        const alias = bare(j);
        if (tokens[j]?.kind === 'word' && (alias === null || !CLAUSE_WORDS.has(alias))) j++;
        if (!punct(j, ',')) break;
        j++;
        while (MODIFIERS.has(bare(j) ?? '')) j++;
        const next = name(j);
        if (next === j) break;
        j = next;
      }
    }
    // What was read as names and aliases is not read again (linear: each token is looked at a bounded number of times).
    k = Math.max(k, j - 1);
  }
  return [...found.values()];
}

export default defineExtractor({
  id: 'sql',
  description: 'SQL files (migrations, sqlc queries): the schemas they create and the schemas of the qualified tables they use',
  accepts: (file) => file.ext === '.sql',
  needles: ['.', 'schema', 'SCHEMA', 'Schema'],
  extract({ path, text }) {
    const schemas: SqlSchemaUse[] = sqlSchemas(text).map(({ schema, creates, line }) => ({ schema, creates, location: { file: path, line } }));
    return schemas.length > 0 ? { sqlSchemas: schemas } : null;
  },
});
