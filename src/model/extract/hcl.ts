/**
 * HCL2 configuration (Nomad job files, docker-bake.hcl) read into blocks and attributes with their lines.
 *
 * A small hand-written recursive-descent reader, one pass over the text: bodies of attributes (`name = expr`)
 * and blocks (`type "label" label2 { … }`), comments (`#`, `//`, `/* *\/`), strings with their `${…}` / `%{…}`
 * interpolations kept as written, heredocs (`<<EOF`, `<<-EOF`), numbers, booleans, null, lists and objects.
 * Nothing is evaluated: any other expression (a traversal `var.x`, a function call, an operator, a conditional)
 * is kept as its source text (`raw`). npm's HCL readers are Go compiled to WASM (asynchronous, megabytes, no
 * positions); this is configuration, not source, so a reader of our own is the lighter choice.
 */

export type HclExpr =
  | { kind: 'literal'; value: string | number | boolean | null; line: number }
  | { kind: 'list'; items: HclExpr[]; line: number }
  | { kind: 'object'; entries: Array<{ key: string; value: HclExpr; line: number }>; line: number }
  | { kind: 'raw'; text: string; line: number };

export interface HclAttribute {
  name: string;
  value: HclExpr;
  line: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  line: number;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export class HclError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Deepest nesting of blocks, lists and objects read (deeper input is refused, never a stack overflow). */
const MAX_DEPTH = 100;

const isIdentStart = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\u007f');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentChar = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c) || c === '-';
const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** Parses a whole file; throws HclError (with the line) on text that is not HCL. */
export function parseHcl(text: string): HclBody {
  return new Reader(text).file();
}

class Reader {
  private i = 0;
  private line = 1;

  constructor(private readonly s: string) {}

  file(): HclBody {
    const body = this.body(0);
    this.skip(true);
    if (this.i < this.s.length) this.fail(`unexpected "${this.s[this.i]}"`);
    return body;
  }

  private fail(message: string): never {
    throw new HclError(message, this.line);
  }

  private advance(n = 1): void {
    for (let k = 0; k < n && this.i < this.s.length; k += 1) {
      if (this.s[this.i] === '\n') this.line += 1;
      this.i += 1;
    }
  }

  /** Skips blanks and comments; newlines too when `newlines`. Returns whether a newline was crossed. */
  private skip(newlines: boolean): boolean {
    let crossed = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\r') this.advance();
      else if (c === '\n') {
        if (!newlines) return crossed;
        crossed = true;
        this.advance();
      } else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i += 1;
      } else if (c === '/' && this.s[this.i + 1] === '*') {
        const end = this.s.indexOf('*/', this.i + 2);
        if (end === -1) this.fail('unterminated comment');
        this.advance(end + 2 - this.i);
      } else if (c === '\\' && this.s[this.i + 1] === '\n') {
        this.advance(2);
      } else return crossed;
    }
    return crossed;
  }

  private ident(): string {
    const start = this.i;
    while (isIdentChar(this.s[this.i])) this.i += 1;
    return this.s.slice(start, this.i);
  }

  private body(depth: number): HclBody {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skip(true);
      const c = this.s[this.i];
      if (c === undefined || c === '}') return body;
      const line = this.line;
      if (!isIdentStart(c)) this.fail(`unexpected "${c}"`);
      const name = this.ident();
      this.skip(false);
      if (this.s[this.i] === '=' && this.s[this.i + 1] !== '=') {
        this.advance();
        this.skip(false);
        body.attributes.push({ name, value: this.expression(depth + 1), line });
        this.endOfItem();
        continue;
      }
      const labels: string[] = [];
      while (this.s[this.i] !== '{') {
        const next = this.s[this.i];
        if (next === '"') labels.push(this.quoted());
        else if (isIdentStart(next)) labels.push(this.ident());
        else this.fail(`expected "=" or "{" after ${name}`);
        this.skip(false);
      }
      this.advance();
      const inner = this.body(depth + 1);
      if (this.s[this.i] !== '}') this.fail(`unclosed block ${name}`);
      this.advance();
      body.blocks.push({ type: name, labels, body: inner, line });
      this.endOfItem();
    }
  }

  /** After an attribute or a block: a newline, a comment, the end, or the closing brace of a one-line block. */
  private endOfItem(): void {
    if (this.skip(false)) return;
    const c = this.s[this.i];
    if (c !== undefined && c !== '\n' && c !== '}') this.fail(`unexpected "${c}"`);
  }

  private expression(depth: number): HclExpr {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const start = this.i;
    const startLine = this.line;
    const primary = this.primary(depth);
    if (primary) {
      const save = { i: this.i, line: this.line };
      this.skip(false);
      const c = this.s[this.i];
      if (c === undefined || c === '\n' || c === ',' || c === '}' || c === ']' || c === ')') return primary;
      this.i = save.i;
      this.line = save.line;
    }
    // Anything else (operators, calls, traversals, conditionals, for-expressions): kept as written.
    this.i = start;
    this.line = startLine;
    return { kind: 'raw', text: this.rawUntilEnd(), line: startLine };
  }

  /** A literal, string, heredoc, list or object; null when the expression is something else. */
  private primary(depth: number): HclExpr | null {
    const c = this.s[this.i];
    const line = this.line;
    if (c === '"') return { kind: 'literal', value: this.quoted(), line };
    if (c === '<' && this.s[this.i + 1] === '<') return { kind: 'literal', value: this.heredoc(), line };
    if (c === '[') return this.list(depth);
    if (c === '{') return this.object(depth);
    if (isDigit(c) || (c === '-' && isDigit(this.s[this.i + 1]))) {
      const start = this.i;
      this.i += 1;
      while (isDigit(this.s[this.i]) || '.eE+-'.includes(this.s[this.i] ?? '_')) this.i += 1;
      const n = Number(this.s.slice(start, this.i));
      return Number.isFinite(n) ? { kind: 'literal', value: n, line } : null;
    }
    if (isIdentStart(c)) {
      const word = this.ident();
      if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', line };
      if (word === 'null') return { kind: 'literal', value: null, line };
      return { kind: 'raw', text: word, line };
    }
    return null;
  }

  private list(depth: number): HclExpr {
    const line = this.line;
    this.advance();
    const items: HclExpr[] = [];
    for (;;) {
      this.skip(true);
      if (this.s[this.i] === ']') break;
      if (this.i >= this.s.length) this.fail('unclosed list');
      items.push(this.expression(depth + 1));
      this.skip(true);
      if (this.s[this.i] === ',') this.advance();
      else if (this.s[this.i] !== ']') this.fail('expected "," or "]"');
    }
    this.advance();
    return { kind: 'list', items, line };
  }

  private object(depth: number): HclExpr {
    const line = this.line;
    this.advance();
    const entries: Array<{ key: string; value: HclExpr; line: number }> = [];
    for (;;) {
      this.skip(true);
      const c = this.s[this.i];
      if (c === '}') break;
      if (c === undefined) this.fail('unclosed object');
      const keyLine = this.line;
      let key: string;
      if (c === '"') key = this.quoted();
      else if (c === '(') key = this.rawUntil(')');
      else if (isIdentStart(c)) key = this.ident();
      else this.fail(`unexpected "${c}" in an object`);
      this.skip(false);
      if (this.s[this.i] !== '=' && this.s[this.i] !== ':') this.fail('expected "=" or ":" in an object');
      this.advance();
      this.skip(false);
      entries.push({ key, value: this.expression(depth + 1), line: keyLine });
      this.skip(false);
      if (this.s[this.i] === ',') this.advance();
    }
    this.advance();
    return { kind: 'object', entries, line };
  }

  /** A quoted string from its opening quote; escapes decoded, interpolations kept as written. */
  private quoted(): string {
    this.advance();
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') {
        this.advance();
        return out;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1] ?? '';
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        this.advance(2);
      } else if ((c === '$' || c === '%') && this.s[this.i + 1] === '{') {
        const start = this.i;
        this.advance(2);
        this.rawUntil('}');
        out += this.s.slice(start, this.i);
      } else {
        out += c;
        this.advance();
      }
    }
  }

  /** `<<EOF … EOF` or `<<-EOF` (indentation of the closing marker allowed, common leading blanks removed). */
  private heredoc(): string {
    this.advance(2);
    const strip = this.s[this.i] === '-';
    if (strip) this.advance();
    const marker = this.ident();
    if (!marker) this.fail('heredoc without a marker');
    const eol = this.s.indexOf('\n', this.i);
    if (eol === -1) this.fail('unterminated heredoc');
    this.advance(eol + 1 - this.i);
    const lines: string[] = [];
    for (;;) {
      if (this.i >= this.s.length) this.fail(`heredoc ${marker} is not closed`);
      let end = this.s.indexOf('\n', this.i);
      if (end === -1) end = this.s.length;
      const text = this.s.slice(this.i, end);
      this.advance(end - this.i);
      if (text.trim() === marker) break;
      lines.push(text);
      this.advance();
    }
    if (!strip) return lines.map((l) => `${l}\n`).join('');
    let indent = Infinity;
    for (const l of lines) if (l.trim() !== '') indent = Math.min(indent, l.length - l.trimStart().length);
    return lines.map((l) => `${l.slice(Number.isFinite(indent) ? indent : 0)}\n`).join('');
  }

  /** Source text up to (and past) the `close` that balances, from just inside an opening bracket. */
  private rawUntil(close: string): string {
    const start = this.i;
    const stack = [close];
    while (stack.length > 0) {
      const c = this.s[this.i];
      if (c === undefined) this.fail(`missing "${close}"`);
      if (c === '"') this.quoted();
      else if (c === stack[stack.length - 1]) {
        stack.pop();
        this.advance();
      } else if (CLOSERS[c]) {
        stack.push(CLOSERS[c]);
        this.advance();
      } else this.advance();
    }
    return this.s.slice(start, this.i - 1);
  }

  /** An expression's source text up to the end of the line (or a `,` / closing bracket of the enclosing list or object). */
  private rawUntilEnd(): string {
    const start = this.i;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n' || c === ',' || c === '}' || c === ']' || c === ')' || c === '#') break;
      if (c === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*')) break;
      if (c === '"') this.quoted();
      else if (c === '<' && this.s[this.i + 1] === '<' && /[A-Za-z-]/.test(this.s[this.i + 2] ?? '')) this.heredoc();
      else if (CLOSERS[c]) {
        this.advance();
        this.rawUntil(CLOSERS[c]);
      } else this.advance();
    }
    const text = this.s.slice(start, this.i).trim();
    if (!text) this.fail('expected an expression');
    return text;
  }
}

/** The attribute named `name` of a body (the last one written, as HCL refuses duplicates anyway). */
export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  let found: HclAttribute | undefined;
  for (const a of body.attributes) if (a.name === name) found = a;
  return found;
}

/** The blocks of a body of one type, in order. */
export function blocks(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((b) => b.type === type);
}

/** A scalar expression as text (strings as written, numbers and booleans printed); null for lists, objects and null. */
export function scalarText(expr: HclExpr | undefined): string | null {
  if (!expr) return null;
  if (expr.kind === 'literal') return expr.value === null ? null : String(expr.value);
  return expr.kind === 'raw' ? expr.text : null;
}

/** The scalar items of a list expression as text. */
export function listTexts(expr: HclExpr | undefined): Array<{ text: string; line: number }> {
  if (expr?.kind !== 'list') return [];
  const out: Array<{ text: string; line: number }> = [];
  for (const item of expr.items) {
    const text = scalarText(item);
    if (text !== null) out.push({ text, line: item.line });
  }
  return out;
}
