/**
 * Gradle build and settings scripts (Groovy and Kotlin DSL) read through a tokenizer: strings, dotted names and
 * punctuation, comments dropped, each token with its line. Build scripts are programs; this reads the declarative
 * shapes nearly every build uses (`plugins {}`, `apply plugin:`, `dependencies {}`, `include`, `jib {}`), in one
 * pass over the tokens.
 */

export interface Token {
  kind: 'name' | 'string' | 'punct' | 'newline';
  text: string;
  line: number;
}

const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9') || c === '.';

/** Splits a script into tokens; never throws (an unterminated string or comment ends at the end of the text). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      const start = line;
      let value = '';
      i += quote.length;
      while (i < n && !text.startsWith(quote, i)) {
        const d = text[i]!;
        if (d === '\n') {
          if (!triple) break;
          line++;
        }
        if (d === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i += quote.length;
      tokens.push({ kind: 'string', text: value, line: start });
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      const stop = end === -1 || text.slice(i + 1, end).includes('\n') ? i + 1 : end + 1;
      tokens.push({ kind: 'name', text: text.slice(i + 1, stop - 1), line });
      i = stop;
    } else if (isNameStart(c)) {
      const start = i;
      while (i < n && isNameChar(text[i]!)) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i).replace(/\.+$/, ''), line });
    } else {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    }
  }
  return tokens;
}

/** A statement: the tokens from its first name to the end of its line (or to a `{` that opens a block). */
export interface Statement {
  /** Names of the enclosing blocks, outermost first (`['subprojects', 'dependencies']`). */
  blocks: string[];
  tokens: Token[];
}

/**
 * Splits tokens into statements with their enclosing block names. A block is `name {` or `name(args) {`; a
 * closure without a name (`.each { … }`) gets the name `''`.
 */
export function statements(tokens: Token[]): Statement[] {
  const out: Statement[] = [];
  const blocks: string[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length > 0) out.push({ blocks: [...blocks], tokens: current });
    current = [];
  };
  let parens = 0;
  for (const token of tokens) {
    if (token.kind === 'newline') {
      // A statement goes on while a parenthesis is open or its line ends with a comma.
      if (parens === 0 && current.at(-1)?.text !== ',') flush();
      continue;
    }
    if (token.kind === 'punct' && token.text === ';') {
      flush();
      parens = 0;
      continue;
    }
    if (token.kind === 'punct' && token.text === '{') {
      const name = blockName(current);
      flush();
      parens = 0;
      blocks.push(name);
      continue;
    }
    if (token.kind === 'punct' && token.text === '}') {
      flush();
      parens = 0;
      blocks.pop();
      continue;
    }
    if (token.kind === 'punct' && token.text === '(') parens++;
    if (token.kind === 'punct' && token.text === ')') parens = Math.max(0, parens - 1);
    current.push(token);
  }
  flush();
  return out;
}

/** The name a block opener gives its block: the last name before `{`, or before the `(` of `name(args) {`. */
function blockName(opener: Token[]): string {
  let depth = 0;
  for (let i = opener.length - 1; i >= 0; i--) {
    const token = opener[i]!;
    if (token.kind === 'punct' && token.text === ')') depth++;
    else if (token.kind === 'punct' && token.text === '(') depth--;
    else if (depth === 0 && token.kind === 'name') return token.text;
    else if (depth === 0 && token.kind !== 'punct') return '';
  }
  return '';
}

/** The first string argument of a call-like statement (`id 'x'`, `id("x")`, `include "a", "b"` → 'a'). */
export const strings = (tokens: Token[]): Token[] => tokens.filter((t) => t.kind === 'string');
