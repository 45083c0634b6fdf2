/**
 * YAML documents parsed once per run. The scanner reads a compose file to
 * build the model; a generator then edits the same file. When the text is
 * unchanged, the editor takes the document the scanner already parsed
 * instead of parsing it again (YAML parsing is the largest cost of a
 * `create-service` run). The scanner never mutates a document.
 */
import { LineCounter, isAlias, isCollection, isMap, isNode, isScalar, isSeq, parseDocument, type Alias, type Document, type Node } from 'yaml';

interface Parsed {
  doc: Document;
  lineCounter: LineCounter;
}

const parsed = new Map<string, Parsed>();

/** Parses `text` (with line positions) and keeps the result for `takeDocument`. */
export function readYaml(text: string): Parsed {
  let entry = parsed.get(text);
  if (!entry) {
    const lineCounter = new LineCounter();
    entry = { doc: parseDocument(text, { lineCounter, uniqueKeys: false }), lineCounter };
    parsed.set(text, entry);
  }
  return entry;
}

/** A document of `text` to edit: the one `readYaml` parsed (handed out once), or a fresh parse. */
export function takeDocument(text: string): Document {
  const entry = parsed.get(text);
  if (entry) {
    parsed.delete(text);
    return entry.doc;
  }
  return parseDocument(text);
}

/** A key written a second time in one mapping. */
export interface DuplicateKey {
  key: string;
  /** Line of the second occurrence. */
  line: number;
  /** Line of the first. */
  first: number;
}

/**
 * Keys written twice in one mapping (Compose and Kubernetes refuse such a
 * file; a YAML reader silently keeps one of the values). One pass over the
 * nodes with a Set per mapping: the yaml library's own `uniqueKeys` check
 * compares every key with every earlier one, which is quadratic in the size
 * of a mapping. Merge keys (`<<`) may repeat.
 */
export function duplicateKeys(contents: Node | null | undefined, lineCounter: LineCounter): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const lineOf = (node: Node): number => (node.range ? lineCounter.linePos(node.range[0]).line : 1);
  const stack: unknown[] = contents ? [contents] : [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      // Lines are looked up only for the duplicates.
      const firsts = new Map<string, Node>();
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value !== '<<') {
          const key = String(pair.key.value);
          const first = firsts.get(key);
          if (first === undefined) firsts.set(key, pair.key);
          else out.push({ key: key.length > 60 ? `${key.slice(0, 57)}...` : key, line: lineOf(pair.key), first: lineOf(first) });
        } else if (isCollection(pair.key)) {
          stack.push(pair.key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The message the yaml library gives an alias bomb, kept for the same cause. */
export const ALIAS_BOMB = 'Excessive alias count indicates a resource exhaustion attack';

interface Converted {
  value: unknown;
  /** Nodes in the value with every alias expanded. */
  size: number;
}

/**
 * Plain values (objects, arrays, scalars) of a parsed document's nodes, in
 * time linear in the document. The yaml library's own `toJS` looks up every
 * alias by walking the document from its start, which is quadratic in a
 * compose file where thousands of services share `<<: *defaults`. Here one
 * pass in document order records what each alias refers to (the last anchor
 * of that name before it, as YAML says), and each anchored node is converted
 * once and shared by its aliases.
 *
 * Alias bombs: the nodes every successful conversion of the document
 * produces, aliases expanded, are counted against one budget of four times the
 * nodes written (plus 100,000); past it, conversion throws `ALIAS_BOMB`. An alias inside
 * the node it refers to (a cycle) throws too. Keys are own properties, even
 * `__proto__`.
 */
export class PlainValues {
  private readonly targets = new Map<Alias, Node | undefined>();
  private readonly anchored = new Map<Node, Converted>();
  private readonly converting = new Set<Node>();
  private readonly budget: number;
  private spent = 0;

  constructor(doc: Document) {
    const anchors = new Map<string, Node>();
    let nodes = 0;
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isAlias(node)) {
        this.targets.set(node, anchors.get(node.source));
        nodes += 1;
        continue;
      }
      if (!isNode(node)) continue;
      nodes += 1;
      if (node.anchor) anchors.set(node.anchor, node);
      // Pushed in reverse, so that nodes are visited in document order: key, value, next pair.
      if (isMap(node)) {
        for (let k = node.items.length - 1; k >= 0; k -= 1) stack.push(node.items[k]!.value, node.items[k]!.key);
      } else if (isSeq(node)) {
        for (let k = node.items.length - 1; k >= 0; k -= 1) stack.push(node.items[k]);
      }
    }
    this.budget = 4 * nodes + 100_000;
  }

  /** The plain value of `node` (a node of this document). Throws for an alias bomb or a cycle, and then costs nothing. */
  toJs(node: unknown): unknown {
    const spent = this.spent;
    try {
      return this.convert(node).value;
    } catch (error) {
      // The other nodes of the document (the other compose services) still get their share.
      this.spent = spent;
      this.converting.clear();
      throw error;
    }
  }

  private spend(size: number): void {
    this.spent += size;
    if (this.spent > this.budget) throw new Error(ALIAS_BOMB);
  }

  private convert(node: unknown): Converted {
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target) throw new Error(`unresolved alias *${node.source}`);
      if (this.converting.has(target)) throw new Error(`alias *${node.source} is inside the node it refers to`);
      const known = this.anchored.get(target);
      if (!known) return this.convert(target);
      this.spend(known.size);
      return known;
    }
    if (!isNode(node)) return { value: node ?? null, size: 0 };
    this.spend(1);
    const anchored = Boolean(node.anchor);
    if (anchored) this.converting.add(node);
    let out: Converted;
    if (isMap(node)) {
      const value: Record<string, unknown> = {};
      let size = 1;
      for (const pair of node.items) {
        const key = this.convert(pair.key);
        const item = this.convert(pair.value);
        size += key.size + item.size;
        const name = keyText(key.value);
        if (name in value) Object.defineProperty(value, name, { value: item.value, writable: true, enumerable: true, configurable: true });
        else value[name] = item.value;
      }
      out = { value, size };
    } else if (isSeq(node)) {
      const value: unknown[] = [];
      let size = 1;
      for (const item of node.items) {
        const converted = this.convert(item);
        size += converted.size;
        value.push(converted.value);
      }
      out = { value, size };
    } else {
      out = { value: isScalar(node) ? node.value : null, size: 1 };
    }
    if (anchored) {
      this.converting.delete(node);
      this.anchored.set(node, out);
    }
    return out;
  }
}

/** A map key as a property name, as the yaml library writes it. */
function keyText(key: unknown): string {
  if (key === null || key === undefined) return '';
  if (typeof key !== 'object') return String(key);
  try {
    return JSON.stringify(key);
  } catch {
    return String(key);
  }
}
