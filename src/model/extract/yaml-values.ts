/** YAML files of configuration formats as plain data, with the line of any value (Helm, skaffold, kustomize). */
import { LineCounter, parseAllDocuments, type Node } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asMap = (v: Json | undefined): JsonMap => (isMap(v) ? v : {});
export const text = (v: Json | undefined): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** A YAML file's first document as plain data, with the line of any path in it. */
export interface YamlFile {
  file: string;
  value: Json;
  /** Line of the value at `path` (null when absent). */
  lineOf(path: ReadonlyArray<string | number>): number | null;
}

/** Files read lately: charts built on one base chart read its values once per chart. Results are never mutated. */
const recent = new Map<string, YamlFile[]>();
const RECENT_MAX = 64;

/** The documents of a YAML file that parse, as plain data with lines (a document with errors is left out). */
export function readYamlDocuments(file: string, source: string | null): YamlFile[] {
  if (source === null) return [];
  const key = `${file}\0${source}`;
  const known = recent.get(key);
  if (known) return known;
  const docs = parseYamlDocuments(file, source);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, docs);
  return docs;
}

function parseYamlDocuments(file: string, source: string): YamlFile[] {
  const lineCounter = new LineCounter();
  const out: YamlFile[] = [];
  try {
    for (const doc of parseAllDocuments(source, { lineCounter, uniqueKeys: false, logLevel: 'error' })) {
      if (doc.errors.length > 0) continue;
      out.push({
        file,
        value: (doc.toJS({ maxAliasCount: 1000 }) as Json) ?? {},
        lineOf(path) {
          const node = doc.getIn(path, true) as Node | undefined;
          return node?.range ? lineCounter.linePos(node.range[0]).line : null;
        },
      });
    }
  } catch {
    return [];
  }
  return out;
}

/** The first document of a YAML file; null when absent or not YAML. */
export function readYamlFile(file: string, source: string | null): YamlFile | null {
  return readYamlDocuments(file, source)[0] ?? null;
}
