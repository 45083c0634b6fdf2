/**
 * YAML documents parsed once per run. The scanner reads a compose file to
 * build the model; a generator then edits the same file. When the text is
 * unchanged, the editor takes the document the scanner already parsed
 * instead of parsing it again (YAML parsing is the largest cost of a
 * `create-service` run). The scanner never mutates a document.
 */
import { LineCounter, isCollection, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';

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
      const firstLines = new Map<string, number>();
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value !== '<<') {
          const key = String(pair.key.value);
          const first = firstLines.get(key);
          if (first === undefined) firstLines.set(key, lineOf(pair.key));
          else out.push({ key: key.length > 60 ? `${key.slice(0, 57)}...` : key, line: lineOf(pair.key), first });
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
