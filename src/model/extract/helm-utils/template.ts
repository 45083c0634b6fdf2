/**
 * Reads a Helm template without a Go template engine: literal text is kept, actions that are plain lookups
 * (`.Values.image.tag`, `.Chart.Name`, `.Release.Name`, `$.Values.x`, `.` inside `with`/`range`, `$var`) are
 * replaced by their value from the chart's values, through a few pure functions (`default`, `quote`, `toYaml`,
 * `nindent`, `indent`, `required`, `trim`, `lower`, `upper`, `toString`, `not`, `and`, `or`, `eq`, `ne`, `empty`);
 * `if`/`with`/`range` follow those values. Anything else (`include`, `template`, `printf`, `tpl`, lookups of
 * values the chart does not set) is unknown: inside a line it becomes a marker that `restore` turns back into
 * the action as written (`{{ include "x.fullname" . }}`), alone on its line it is left out (it usually expands
 * to YAML nobody can know). An `if` on an unknown condition takes its first branch, a `range` over an unknown
 * list renders nothing. Linear: every action is read once, output is capped.
 */
import type { Json } from '../yaml-values.js';


/** What the template sees: `.Values`, `.Chart`, `.Release`. */
export interface TemplateScope {
  values: Json;
  chart: { Name: string; Version: string; AppVersion: string };
  release: { Name: string; Namespace?: string };
}

export interface Rendered {
  text: string;
  /** Source line (1-based) of a line of `text` (1-based). */
  sourceLine(line: number): number;
  /** Puts the actions written in place of markers back into a string of the rendered text. */
  restore(value: string): string;
  /** Whether a string of the rendered text holds an action that could not be read. */
  unknown(value: string): boolean;
}

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
/** Rendering stops past this many characters (ranges over values could multiply a template). */
const MAX_OUTPUT = 2_000_000;
const MAX_DEPTH = 50;
/** Template nodes rendered at most (ranges multiply them). */
const MAX_STEPS = 1_000_000;

const UNKNOWN: unique symbol = Symbol('unknown');
type Value = Json | undefined | typeof UNKNOWN;

type Node =
  | { kind: 'text'; text: string; line: number }
  | { kind: 'output'; expr: string; source: string; line: number; alone: boolean }
  | { kind: 'if'; branches: Array<{ cond: string | null; body: Node[] }> }
  | { kind: 'with' | 'range'; expr: string; body: Node[]; otherwise: Node[] };

interface Action {
  body: string;
  source: string;
  line: number;
  alone: boolean;
}

/** Splits a template into text and actions, honouring `{{-` / `-}}` trimming and skipping comments. */
function lex(template: string): Array<{ text: string; line: number } | Action> {
  const out: Array<{ text: string; line: number } | Action> = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  const newlines = (s: string): number => {
    let n = 0;
    for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n += 1;
    return n;
  };
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    const end = open === -1 ? template.length : open;
    let text = template.slice(i, end);
    let textLine = line;
    line += newlines(text);
    if (trimNext) {
      const trimmed = text.trimStart();
      textLine += newlines(text.slice(0, text.length - trimmed.length));
      text = trimmed;
    }
    if (open === -1) {
      if (text !== '') out.push({ text, line: textLine });
      break;
    }
    const close = template.indexOf('}}', open + 2);
    if (close === -1) {
      out.push({ text: template.slice(i), line: textLine });
      break;
    }
    const trimLeft = template[open + 2] === '-' && /\s/.test(template[open + 3] ?? '');
    const trimRight = template[close - 1] === '-' && /\s/.test(template[close - 2] ?? '');
    // Alone on its line: only blanks between it and the newlines before and after (each blank is looked at once).
    let b = open - 1;
    while (b >= i && blank(template[b])) b -= 1;
    let a = close + 2;
    while (a < template.length && blank(template[a])) a += 1;
    const alone = (b < 0 || template[b] === '\n') && (a >= template.length || template[a] === '\n');
    if (trimLeft) text = text.trimEnd();
    if (text !== '') out.push({ text, line: textLine });
    const source = template.slice(open, close + 2);
    const body = template.slice(open + (trimLeft ? 3 : 2), close - (trimRight ? 1 : 0)).trim();
    if (!(body.startsWith('/*') && body.endsWith('*/'))) out.push({ body, source, line, alone });
    line += newlines(source);
    trimNext = trimRight;
    i = close + 2;
  }
  return out;
}

const keyword = (body: string): string => /^[a-z]+/.exec(body)?.[0] ?? '';
const rest = (body: string, word: string): string => body.slice(word.length).trim();

/** Builds the tree of text, outputs and control structures; `define` bodies are dropped. */
function parse(template: string): Node[] {
  const items = lex(template);
  let k = 0;
  const block = (depth: number): { nodes: Node[]; stop: Action | null } => {
    const nodes: Node[] = [];
    while (k < items.length) {
      const item = items[k++]!;
      if (!('body' in item)) {
        nodes.push({ kind: 'text', text: item.text, line: item.line });
        continue;
      }
      const word = keyword(item.body);
      if (word === 'end' || word === 'else') return { nodes, stop: item };
      if (depth > MAX_DEPTH) continue;
      if (word === 'if') {
        const branches: Array<{ cond: string | null; body: Node[] }> = [];
        let cond: string | null = rest(item.body, 'if');
        for (;;) {
          const inner = block(depth + 1);
          branches.push({ cond, body: inner.nodes });
          if (!inner.stop || keyword(inner.stop.body) === 'end') break;
          const elseRest = rest(inner.stop.body, 'else');
          cond = elseRest.startsWith('if ') ? rest(elseRest, 'if') : null;
        }
        nodes.push({ kind: 'if', branches });
      } else if (word === 'with' || word === 'range') {
        const inner = block(depth + 1);
        let otherwise: Node[] = [];
        if (inner.stop && keyword(inner.stop.body) === 'else') otherwise = block(depth + 1).nodes;
        nodes.push({ kind: word, expr: rest(item.body, word), body: inner.nodes, otherwise });
      } else if (word === 'define' || word === 'block') {
        block(depth + 1);
      } else {
        nodes.push({ kind: 'output', expr: item.body, source: item.source, line: item.line, alone: item.alone });
      }
    }
    return { nodes, stop: null };
  };
  return block(0).nodes;
}

/** Splits on a separator outside quotes and parentheses. */
function split(expr: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (depth === 0 && expr.startsWith(separator, i)) {
      out.push(expr.slice(start, i));
      start = i + separator.length;
    }
  }
  out.push(expr.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Pipelines already split into stages and words (charts repeat the same actions many times). */
const pipelines = new Map<string, string[][]>();

function pipeline(expr: string): string[][] {
  let stages = pipelines.get(expr);
  if (!stages) {
    stages = split(expr, '|').map((stage) => split(stage.replace(/\s+/g, ' '), ' '));
    if (pipelines.size > 10_000) pipelines.clear();
    pipelines.set(expr, stages);
  }
  return stages;
}

const truthy = (v: Json | undefined): boolean =>
  v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

const isMap = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's rendering of a scalar. */
function print(v: Json | undefined): string | typeof UNKNOWN {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return UNKNOWN;
}

/** YAML for `toYaml`: block style, keys in order, scalars quoted only where YAML needs it. */
function toYaml(v: Json, indent = ''): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return v.map((item) => (isMap(item) || Array.isArray(item) ? `- ${toYaml(item, `${indent}  `).trimStart()}` : `- ${scalar(item)}`)).join(`\n${indent}`);
  }
  if (isMap(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    return keys
      .map((key) => {
        const item = v[key]!;
        const k = scalar(key);
        if ((isMap(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) return `${k}:\n${indent}  ${toYaml(item, `${indent}  `)}`;
        return `${k}: ${isMap(item) || Array.isArray(item) ? toYaml(item) : scalar(item)}`;
      })
      .join(`\n${indent}`);
  }
  return scalar(v);
}

function scalar(v: Json): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z0-9_./-][A-Za-z0-9_./ -]*$/.test(v) && !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.][0-9.eE+-]*)$/i.test(v) && !v.endsWith(' ') ? v : JSON.stringify(v);
}

class Renderer {
  private readonly chunks: Array<{ offset: number; line: number; text: boolean }> = [];
  private out = '';
  private readonly markers: string[] = [];
  private overflow = false;
  private steps = 0;

  constructor(private readonly scope: TemplateScope) {}

  render(nodes: readonly Node[], dot: Value, vars: ReadonlyMap<string, Value>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const locals = new Map(vars);
    for (const node of nodes) {
      // Output or work past the caps (ranges nested over the same long lists): stop, the template is not read.
      if (this.overflow || ++this.steps > MAX_STEPS) {
        this.overflow = true;
        return;
      }
      if (node.kind === 'text') this.emit(node.text, node.line, true);
      else if (node.kind === 'output') this.output(node, dot, locals);
      else if (node.kind === 'if') {
        for (const branch of node.branches) {
          const cond = branch.cond === null ? true : this.evaluate(branch.cond, dot, locals, 0);
          if (cond === UNKNOWN || cond === true || (cond !== false && truthy(cond as Json))) {
            this.render(branch.body, dot, locals, depth + 1);
            break;
          }
        }
      } else {
        const binding = /^(\$\w+)\s*(?:,\s*(\$\w+)\s*)?:=\s*(.*)$/.exec(node.expr);
        const value = this.evaluate(binding ? binding[3]! : node.expr, dot, locals, 0);
        if (node.kind === 'with') {
          if (value === UNKNOWN || truthy(value as Json)) this.render(node.body, value, locals, depth + 1);
          else this.render(node.otherwise, dot, locals, depth + 1);
          continue;
        }
        const items: Array<[Json, Json]> = Array.isArray(value)
          ? value.map((v, i) => [i, v])
          : isMap(value)
            ? Object.keys(value)
                .sort()
                .map((key) => [key, value[key]!])
            : [];
        if (items.length === 0 && value !== UNKNOWN) this.render(node.otherwise, dot, locals, depth + 1);
        for (const [key, item] of items) {
          if (++this.steps > MAX_STEPS) {
            this.overflow = true;
            return;
          }
          const scoped = new Map(locals);
          if (binding?.[2]) {
            scoped.set(binding[1]!, key);
            scoped.set(binding[2], item);
          } else if (binding) scoped.set(binding[1]!, item);
          this.render(node.body, item, scoped, depth + 1);
        }
      }
    }
  }

  private output(node: Extract<Node, { kind: 'output' }>, dot: Value, vars: Map<string, Value>): void {
    const assignment = /^(\$\w+)\s*:?=\s*(.*)$/s.exec(node.expr);
    if (assignment) {
      vars.set(assignment[1]!, this.evaluate(assignment[2]!, dot, vars, 0));
      return;
    }
    const value = this.evaluate(node.expr, dot, vars, 0);
    // A value these values do not set may come from another values file given at install time: unknown, not ''.
    const text = value === UNKNOWN || value === undefined ? UNKNOWN : print(value);
    if (text !== UNKNOWN) this.emit(text, node.line, false);
    else if (!node.alone) {
      this.markers.push(node.source);
      this.emit(`${MARK_OPEN}${this.markers.length - 1}${MARK_CLOSE}`, node.line, false);
    }
  }

  private emit(text: string, line: number, fromText: boolean): void {
    if (text === '') return;
    this.chunks.push({ offset: this.out.length, line, text: fromText });
    this.out += text;
    if (this.out.length > MAX_OUTPUT) this.overflow = true;
  }

  /** A pipeline: `a | f x | g`, each stage given the previous result as its last argument. */
  evaluate(expr: string, dot: Value, vars: ReadonlyMap<string, Value>, depth: number): Value {
    if (depth > 10) return UNKNOWN;
    let value: Value | null = null;
    for (const args of pipeline(expr)) {
      const piped = value === null ? [] : [value];
      value = this.command(args, piped, dot, vars, depth);
      if (value === UNKNOWN) return UNKNOWN;
    }
    return value ?? UNKNOWN;
  }

  private command(words: string[], piped: Value[], dot: Value, vars: ReadonlyMap<string, Value>, depth: number): Value {
    const [head, ...rest] = words;
    if (head === undefined) return UNKNOWN;
    const arg = (w: string): Value => this.operand(w, dot, vars, depth);
    const args = (): Value[] => [...rest.map(arg), ...piped];
    switch (head) {
      case 'default': {
        const [fallback, given] = args();
        if (given === UNKNOWN) return UNKNOWN;
        return truthy(given as Json) ? given : fallback;
      }
      case 'quote':
      case 'squote': {
        const [v] = args();
        const text = v === UNKNOWN || v === undefined ? UNKNOWN : print(v);
        if (text === UNKNOWN) return UNKNOWN;
        return head === 'quote' ? JSON.stringify(text) : `'${text}'`;
      }
      case 'toYaml': {
        const [v] = args();
        return v === UNKNOWN ? UNKNOWN : v === undefined ? '' : toYaml(v);
      }
      case 'nindent':
      case 'indent': {
        const [n, v] = args();
        if (typeof n !== 'number' || v === UNKNOWN) return UNKNOWN;
        const text = print(v as Json);
        if (text === UNKNOWN) return UNKNOWN;
        const pad = ' '.repeat(Math.min(n, 200));
        const indented = text.split('\n').map((l) => pad + l).join('\n');
        return head === 'nindent' ? `\n${indented}` : indented;
      }
      case 'required':
        return args()[1] ?? UNKNOWN;
      case 'trim':
      case 'lower':
      case 'upper':
      case 'toString': {
        const [v] = args();
        const text = v === UNKNOWN ? UNKNOWN : print(v as Json);
        if (text === UNKNOWN) return UNKNOWN;
        return head === 'trim' ? text.trim() : head === 'lower' ? text.toLowerCase() : head === 'upper' ? text.toUpperCase() : text;
      }
      case 'not': {
        const [v] = args();
        return v === UNKNOWN ? UNKNOWN : !truthy(v as Json);
      }
      case 'empty': {
        const [v] = args();
        return v === UNKNOWN ? UNKNOWN : !truthy(v as Json);
      }
      case 'and':
      case 'or': {
        const all = args();
        if (all.includes(UNKNOWN)) return UNKNOWN;
        return head === 'and' ? all.every((v) => truthy(v as Json)) : all.some((v) => truthy(v as Json));
      }
      case 'eq':
      case 'ne': {
        const [a, b] = args();
        if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
        return head === 'eq' ? (a ?? null) === (b ?? null) : (a ?? null) !== (b ?? null);
      }
      default:
        if (rest.length > 0 || piped.length > 0 || /^[a-z]/i.test(head)) return /^(true|false)$/.test(head) && rest.length === 0 && piped.length === 0 ? head === 'true' : UNKNOWN;
        return arg(head);
    }
  }

  /** One operand: a literal, a parenthesised pipeline, a field chain from `.`, `$` or a variable. */
  private operand(word: string, dot: Value, vars: ReadonlyMap<string, Value>, depth: number): Value {
    if (word.startsWith('(') && word.endsWith(')')) return this.evaluate(word.slice(1, -1), dot, vars, depth + 1);
    if (word.startsWith('"') && word.endsWith('"') && word.length >= 2) {
      try {
        return JSON.parse(word) as string;
      } catch {
        return UNKNOWN;
      }
    }
    if (word.startsWith('`') && word.endsWith('`') && word.length >= 2) return word.slice(1, -1);
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'nil') return null;
    let base: Value;
    let path: string;
    if (word.startsWith('$')) {
      const dotAt = word.indexOf('.');
      const name = dotAt === -1 ? word : word.slice(0, dotAt);
      path = dotAt === -1 ? '' : word.slice(dotAt);
      base = name === '$' ? this.root() : vars.has(name) ? vars.get(name)! : UNKNOWN;
    } else if (word.startsWith('.')) {
      base = dot;
      path = word;
    } else return UNKNOWN;
    return lookup(base, path);
  }

  private root(): Json {
    return { Values: this.scope.values, Chart: this.scope.chart, Release: this.scope.release };
  }

  result(): Rendered | null {
    if (this.overflow) return null;
    const { out, chunks, markers } = this;
    const lineStarts = [0];
    for (let k = out.indexOf('\n'); k !== -1; k = out.indexOf('\n', k + 1)) lineStarts.push(k + 1);
    const markerPattern = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`, 'g');
    return {
      text: out,
      sourceLine(line) {
        if (chunks.length === 0) return 1;
        const index = Math.max(0, Math.min(line - 1, lineStarts.length - 1));
        const chunk = chunks[lastAtOrBefore(chunks.length, (k) => chunks[k]!.offset, lineStarts[index]!)]!;
        if (!chunk.text) return chunk.line;
        return chunk.line + index - lastAtOrBefore(lineStarts.length, (k) => lineStarts[k]!, chunk.offset);
      },
      restore: (value) => (value.includes(MARK_OPEN) ? value.replace(markerPattern, (_, n: string) => markers[Number(n)] ?? '') : value),
      unknown: (value) => value.includes(MARK_OPEN),
    };
  }
}

/** The last index of an ascending sequence whose value is at most `target` (0 when none is). */
function lastAtOrBefore(length: number, at: (k: number) => number, target: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(mid) <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `.a.b` from a base value: UNKNOWN through unknown values, undefined where a key is missing. */
function lookup(base: Value, path: string): Value {
  let current: Value = base;
  for (const key of path.split('.').slice(1)) {
    if (key === '') continue;
    if (current === UNKNOWN) return UNKNOWN;
    if (!isMap(current)) return undefined;
    current = Object.hasOwn(current, key) ? current[key] : undefined;
  }
  return current;
}

/**
 * Renders what can be read of a template with the chart's values (see the module comment); null when the
 * output would pass the size cap.
 */
export function renderTemplate(template: string, scope: TemplateScope): Rendered | null {
  const renderer = new Renderer(scope);
  const root = { Values: scope.values, Chart: scope.chart, Release: scope.release } as Json;
  renderer.render(parse(template), root, new Map(), 0);
  return renderer.result();
}
