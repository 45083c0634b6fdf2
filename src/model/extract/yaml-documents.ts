/**
 * YAML documents parsed once per run. The scanner reads a compose file to
 * build the model; a generator then edits the same file. When the text is
 * unchanged, the editor takes the document the scanner already parsed
 * instead of parsing it again (YAML parsing is the largest cost of a
 * `create-service` run). The scanner never mutates a document.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';

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
