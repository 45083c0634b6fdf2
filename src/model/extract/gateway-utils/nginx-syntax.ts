/**
 * nginx's configuration syntax: directives (`name arg…;`) and blocks (`name arg… { … }`), with quoted
 * arguments, `#` comments and `${VAR}` placeholders (envsubst templates, nginx variables) kept inside a word.
 * One linear pass; nesting is capped so that a hostile file cannot exhaust the stack of whoever walks it.
 */

export interface Directive {
  name: string;
  args: string[];
  /** 1-based line of the directive's name. */
  line: number;
  /** The directives of its block; null for a simple directive. */
  block: Directive[] | null;
}

export interface NginxSyntax {
  directives: Directive[];
  /** The first syntax error (unbalanced braces, a directive without `;`), if any: what was read up to it is kept. */
  error: { line: number; message: string } | null;
}

const MAX_DEPTH = 64;
const MAX_PLACEHOLDER = 256;

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';

interface Token {
  /** `{`, `}`, `;` for punctuation, else a word. */
  kind: 'word' | '{' | '}' | ';';
  text: string;
  line: number;
}

function* tokens(text: string): Generator<Token> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (isSpace(c)) {
      i++;
    } else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      yield { kind: c, text: c, line };
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let value = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) i++;
        if (text[i] === '\n') line++;
        value += text[i];
        i++;
      }
      i++;
      yield { kind: 'word', text: value, line: start };
    } else {
      const start = i;
      while (i < n) {
        const d = text[i]!;
        if (d === '$' && text[i + 1] === '{') {
          // `${NAME}` is one word; a `{` without its `}` soon after, on the same line, is not a placeholder.
          let j = i + 2;
          while (j < n && j < i + MAX_PLACEHOLDER && text[j] !== '}' && text[j] !== '\n') j++;
          if (text[j] === '}') {
            i = j + 1;
            continue;
          }
        }
        if (isSpace(d) || d === ';' || d === '{' || d === '}') break;
        i++;
      }
      yield { kind: 'word', text: text.slice(start, i), line };
    }
  }
}

/** Parses nginx configuration text into directives and blocks. */
export function parseNginx(text: string): NginxSyntax {
  const root: Directive[] = [];
  const stack: Directive[][] = [root];
  let pending: Directive | null = null;
  let error: NginxSyntax['error'] = null;
  for (const token of tokens(text)) {
    const current = stack[stack.length - 1]!;
    if (token.kind === 'word') {
      if (pending) pending.args.push(token.text);
      else pending = { name: token.text, args: [], line: token.line, block: null };
    } else if (token.kind === ';') {
      if (pending) current.push(pending);
      pending = null;
    } else if (token.kind === '{') {
      if (stack.length > MAX_DEPTH) return { directives: root, error: { line: token.line, message: `blocks nested deeper than ${MAX_DEPTH}` } };
      const block: Directive = pending ?? { name: '', args: [], line: token.line, block: null };
      block.block = [];
      current.push(block);
      stack.push(block.block);
      pending = null;
    } else {
      if (pending) error ??= { line: pending.line, message: `"${pending.name}" has no ";"` };
      pending = null;
      if (stack.length === 1) {
        error ??= { line: token.line, message: 'unexpected "}"' };
        continue;
      }
      stack.pop();
    }
  }
  if (pending) error ??= { line: pending.line, message: `"${pending.name}" has no ";"` };
  if (stack.length > 1) error ??= { line: text.split('\n').length, message: 'unexpected end of file, expecting "}"' };
  return { directives: root, error };
}
