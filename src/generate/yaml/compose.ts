/**
 * Compose edits through the `yaml` Document API: entries are added or
 * replaced as nodes, so the user's comments, key order and other entries
 * survive byte for byte where they are not touched.
 */
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import { takeDocument } from '../../model/extract/yaml-documents.js';

export const COMPOSE_SECTIONS = ['services', 'volumes', 'networks', 'secrets', 'configs'] as const;

export interface MergeResult {
  text: string;
  /** `section.key` entries that exist in the target with other content and were kept (not `force`). */
  kept: string[];
  /** `section.key` entries added or replaced. */
  changed: string[];
}

function parse(file: string, text: string, reuse = false): Document {
  const doc = reuse ? takeDocument(text) : parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: cannot parse YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc;
}

function sectionMap(doc: Document, section: string): YAMLMap | undefined {
  const node = doc.get(section, true);
  return isMap(node) ? node : undefined;
}

function canonical(node: unknown): string {
  return JSON.stringify(node && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : node);
}

const keyOf = (pair: { key: unknown }) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

/**
 * Adds `key` to `map`: at its alphabetical place when the map's keys are
 * sorted already (as linters such as dclint ask for), else at the end.
 */
function insertKeepingOrder(doc: Document, map: YAMLMap, key: string, value: unknown): void {
  const keys = map.items.map(keyOf);
  const sorted = keys.every((k, i) => i === 0 || keys[i - 1]! <= k);
  const index = sorted ? keys.findIndex((k) => k > key) : -1;
  const pair = doc.createPair(key, value);
  if (index === -1) map.items.push(pair);
  else map.items.splice(index, 0, pair);
}

/**
 * Deep merge of one entry: keys missing in `dest` are added, maps merged key
 * by key, and a differing value kept (reported) unless `force`.
 */
function mergeMap(doc: Document, dest: YAMLMap, source: YAMLMap, path: string, force: boolean, kept: string[], changed: string[]): void {
  for (const pair of source.items) {
    const key = keyOf(pair);
    const existing = dest.get(key, true);
    const where = `${path}.${key}`;
    if (existing === undefined) {
      insertKeepingOrder(doc, dest, key, pair.value);
      changed.push(where);
    } else if (isMap(existing) && isMap(pair.value)) {
      mergeMap(doc, existing, pair.value, where, force, kept, changed);
    } else if (canonical(existing) !== canonical(pair.value)) {
      if (force) {
        dest.set(key, pair.value);
        changed.push(where);
      } else kept.push(where);
    }
  }
}

/**
 * Merges the top-level sections of `fragment` (a compose document rendered
 * from `templates/compose/*.yaml.hbs`) into `target`: missing entries are
 * added, identical ones left alone, and differing ones kept unless `force`.
 * With `deep`, an existing entry is merged key by key instead (how a
 * generator adds `depends_on` and `environment` to a service that exists).
 */
export function mergeComposeFragment(targetFile: string, target: string, fragment: string, options: { force?: boolean; deep?: boolean } = {}): MergeResult {
  const doc = parse(targetFile, target, true);
  const frag = parse('compose fragment', fragment);
  const kept: string[] = [];
  const changed: string[] = [];
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  for (const section of COMPOSE_SECTIONS) {
    const source = sectionMap(frag, section);
    if (!source) continue;
    let dest = sectionMap(doc, section);
    if (!dest) {
      doc.set(section, doc.createNode({}));
      dest = sectionMap(doc, section)!;
    }
    for (const pair of source.items) {
      const key = keyOf(pair);
      const existing = dest.get(key, true);
      if (existing !== undefined && canonical(existing) === canonical(pair.value)) continue;
      if (options.deep && isMap(existing) && isMap(pair.value)) {
        mergeMap(doc, existing, pair.value, `${section}.${key}`, options.force ?? false, kept, changed);
        continue;
      }
      if (existing !== undefined && !options.force) {
        kept.push(`${section}.${key}`);
        continue;
      }
      if (existing !== undefined) dest.set(key, pair.value);
      else insertKeepingOrder(doc, dest, key, pair.value);
      changed.push(`${section}.${key}`);
    }
  }
  return { text: changed.length === 0 ? target : doc.toString({ lineWidth: 0 }), kept, changed };
}

/**
 * Removes `ports` from the services named in `services` (once a gateway is
 * their published entry point). Returns the services that lost them.
 */
export function removePublishedPorts(doc: Document, services: readonly string[]): string[] {
  const section = sectionMap(doc, 'services');
  const removed: string[] = [];
  for (const pair of section?.items ?? []) {
    const name = keyOf(pair);
    if (!services.includes(name) || !isMap(pair.value) || !pair.value.has('ports')) continue;
    pair.value.delete('ports');
    removed.push(name);
  }
  return removed;
}
