/**
 * Compose edits through the `yaml` Document API: entries are added or
 * replaced as nodes, so the user's comments, key order and other entries
 * survive byte for byte where they are not touched.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { takeDocument } from '../../model/extract/yaml-documents.js';

export const COMPOSE_SECTIONS = ['services', 'volumes', 'networks', 'secrets', 'configs'] as const;

export interface MergeResult {
  text: string;
  /** `section.key` entries that exist in the target with other content and were kept (not `force`). */
  kept: string[];
  /** `section.key` entries added or replaced. */
  changed: string[];
  /** Pinned images moved to archkit's newer tag of the same release line: `services.db.image: postgres:17.5-alpine → postgres:17.7-alpine`. */
  upgraded: string[];
}

interface PinnedImage {
  repository: string;
  version: number[];
  /** What follows the version in the tag (`-alpine`, `-bookworm-slim`). */
  variant: string;
}

function pinnedImage(reference: string): PinnedImage | null {
  if (reference.includes('@')) return null;
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/')) return null;
  const match = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(reference.slice(colon + 1));
  if (!match) return null;
  return { repository: reference.slice(0, colon), version: match[1]!.split('.').map(Number), variant: match[2]! };
}

/**
 * Whether `ours` is a newer tag of the same release line as `theirs`: same
 * repository and variant, same major (same minor too for 0.x, where minors
 * break), a higher version. What archkit pinned earlier moves to what it pins
 * now; another major (a PostgreSQL data directory does not survive one),
 * another image, a digest or a newer tag of the user's own is left alone.
 */
export function isUpgradeOf(ours: string, theirs: string): boolean {
  const a = pinnedImage(ours);
  const b = pinnedImage(theirs);
  if (!a || !b || a.repository !== b.repository || a.variant !== b.variant || a.version.length !== b.version.length) return false;
  const line = a.version[0] === 0 ? 2 : 1;
  if (a.version.slice(0, line).join('.') !== b.version.slice(0, line).join('.')) return false;
  for (let i = line; i < a.version.length; i += 1) {
    if (a.version[i] !== b.version[i]) return a.version[i]! > b.version[i]!;
  }
  return false;
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

const ALPHABETICAL = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An order of keys as dclint checks it: by their place in `listed` (a key
 * starting with `prefix` counts as the prefix), then the keys it does not
 * list, alphabetically.
 */
function keyOrder(listed: readonly string[], prefix = '\0'): (a: string, b: string) => number {
  const rank = (key: string) => {
    const index = listed.indexOf(key.startsWith(prefix) ? prefix : key);
    return index === -1 ? listed.length : index;
  };
  return (a, b) => rank(a) - rank(b) || (rank(a) === listed.length ? ALPHABETICAL(a, b) : 0);
}

/** dclint's top-level-properties-order (`x-` extension fields first). */
const TOP_LEVEL_ORDER = keyOrder(['x-', 'version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs'], 'x-');
/** dclint's service-keys-order: by group, then the keys it does not list alphabetically. */
const SERVICE_ORDER = keyOrder(['image', 'build', 'container_name', 'depends_on', 'volumes', 'volumes_from', 'configs', 'secrets', 'environment', 'env_file', 'ports', 'networks', 'network_mode', 'extra_hosts', 'command', 'entrypoint', 'working_dir', 'restart', 'healthcheck', 'logging', 'labels', 'user', 'isolation']);

/**
 * Adds `pair` to `map`: at its place when the map's keys follow `order`
 * already (alphabetical by default, as linters such as dclint ask for), else
 * at the end. A pair from a fragment keeps its key node, and with it the
 * comment above the key.
 */
function insertKeepingOrder(map: YAMLMap, pair: Pair, order: (a: string, b: string) => number = ALPHABETICAL): void {
  const key = keyOf(pair);
  const keys = map.items.map(keyOf);
  const sorted = keys.every((k, i) => i === 0 || order(keys[i - 1]!, k) <= 0);
  const index = sorted ? keys.findIndex((k) => order(k, key) > 0) : -1;
  if (index === -1) map.items.push(pair);
  else map.items.splice(index, 0, pair);
}

/**
 * Deep merge of one entry: keys missing in `dest` are added, maps merged key
 * by key, and a differing value kept (reported) unless `force`.
 */
function mergeMap(doc: Document, dest: YAMLMap, source: YAMLMap, path: string, force: boolean, result: Omit<MergeResult, 'text'>): void {
  const { kept, changed, upgraded } = result;
  for (const pair of source.items) {
    const key = keyOf(pair);
    const existing = dest.get(key, true);
    const where = `${path}.${key}`;
    if (existing === undefined) {
      insertKeepingOrder(dest, pair, /^services\.[^.]+$/.test(path) ? SERVICE_ORDER : ALPHABETICAL);
      changed.push(where);
    } else if (isMap(existing) && isMap(pair.value)) {
      mergeMap(doc, existing, pair.value, where, force, result);
    } else if (canonical(existing) !== canonical(pair.value)) {
      const from = isScalar(existing) && typeof existing.value === 'string' ? existing : undefined;
      const to = isScalar(pair.value) ? pair.value.value : undefined;
      if (key === 'image' && from && typeof to === 'string' && isUpgradeOf(to, from.value as string)) {
        upgraded.push(`${where}: ${String(from.value)} → ${to}`);
        from.value = to;
      } else if (force) {
        dest.set(key, pair.value);
        changed.push(where);
      } else kept.push(where);
    }
  }
}

/**
 * Names the user asked archkit never to add (`x-archkit: { omit: [jaeger] }`
 * at the top of the compose file, an extension field Compose ignores): for
 * an entry they removed on purpose, such as the trace viewer when traces go
 * to a hosted backend.
 */
function omitted(doc: Document): Set<string> {
  const list = doc.getIn(['x-archkit', 'omit'], true);
  return new Set(isSeq(list) ? list.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [item.value] : [])) : []);
}

/**
 * The document the last merge left, with its text: the next merge into that
 * very text (a generator merges a dozen fragments into one compose file)
 * continues with it instead of parsing the text again.
 */
let lastMerged: { text: string; doc: Document } | undefined;

function takeMerged(text: string): Document | undefined {
  const found = lastMerged?.text === text ? lastMerged.doc : undefined;
  lastMerged = undefined;
  return found;
}

/** Removes from a fragment the entries named in `omit`, and `depends_on` on them (with what that leaves empty). */
function leaveOut(frag: Document, omit: ReadonlySet<string>): void {
  if (omit.size === 0) return;
  for (const section of COMPOSE_SECTIONS) {
    const map = sectionMap(frag, section);
    if (!map) continue;
    for (const name of omit) map.delete(name);
    if (section === 'services') {
      for (const pair of map.items) {
        if (!isMap(pair.value)) continue;
        removeFrom(pair.value.get('depends_on', true), [...omit]);
        dropIfEmpty(pair.value, 'depends_on');
      }
    }
    dropIfEmpty(frag.contents as YAMLMap, section);
  }
}

/**
 * Merges the top-level sections of `fragment` (a compose document rendered
 * from `templates/compose/*.yaml.hbs`) into `target`: missing entries are
 * added, identical ones left alone, and differing ones kept unless `force`.
 * With `deep`, an existing entry is merged key by key instead (how a
 * generator adds `depends_on` and `environment` to a service that exists).
 * Entries the target's `x-archkit.omit` names, and `depends_on` on them,
 * are never added.
 */
export function mergeComposeFragment(targetFile: string, target: string, fragment: string, options: { force?: boolean; deep?: boolean } = {}): MergeResult {
  const doc = takeMerged(target) ?? parse(targetFile, target, true);
  const frag = parse('compose fragment', fragment);
  const result: Omit<MergeResult, 'text'> = { kept: [], changed: [], upgraded: [] };
  const { kept, changed, upgraded } = result;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  leaveOut(frag, omitted(doc));
  for (const section of COMPOSE_SECTIONS) {
    const source = sectionMap(frag, section);
    if (!source) continue;
    let dest = sectionMap(doc, section);
    if (!dest) {
      // With the fragment's key node and the comment above its first entry (which the parser gives the section's map).
      const fragmentKey = (frag.contents as YAMLMap).items.find((p) => keyOf(p) === section)!.key;
      const empty = doc.createNode({}) as YAMLMap;
      empty.commentBefore = source.commentBefore;
      insertKeepingOrder(doc.contents as YAMLMap, doc.createPair(fragmentKey, empty), TOP_LEVEL_ORDER);
      dest = sectionMap(doc, section)!;
    }
    for (const pair of source.items) {
      const key = keyOf(pair);
      const existing = dest.get(key, true);
      if (existing !== undefined && canonical(existing) === canonical(pair.value)) continue;
      if (options.deep && isMap(existing) && isMap(pair.value)) {
        mergeMap(doc, existing, pair.value, `${section}.${key}`, options.force ?? false, result);
        continue;
      }
      if (existing !== undefined && !options.force) {
        kept.push(`${section}.${key}`);
        continue;
      }
      if (existing !== undefined) dest.set(key, pair.value);
      else insertKeepingOrder(dest, pair);
      changed.push(`${section}.${key}`);
    }
  }
  const text = changed.length === 0 && upgraded.length === 0 ? target : doc.toString({ lineWidth: 0 });
  lastMerged = { text, doc };
  return { text, kept, changed, upgraded };
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

/** Named volumes a service entry mounts (`data:/var/lib/x`, or `{ type: volume, source: data }`). */
function namedVolumes(entry: unknown): string[] {
  const list = isMap(entry) ? entry.get('volumes', true) : undefined;
  if (!isSeq(list)) return [];
  const names: string[] = [];
  for (const item of list.items) {
    const source = isScalar(item) ? String(item.value).split(':')[0] : isMap(item) ? item.get('source') : undefined;
    if (typeof source === 'string' && source !== '' && !/^[./~$]/.test(source)) names.push(source);
  }
  return names;
}

/** Keys of a `depends_on` (map or list form). */
function dependencies(entry: unknown): string[] {
  const deps = isMap(entry) ? entry.get('depends_on', true) : undefined;
  if (isMap(deps)) return deps.items.map(keyOf);
  if (isSeq(deps)) return deps.items.map((item) => (isScalar(item) ? String(item.value) : ''));
  return [];
}

/** Removes `names` from a map or list node; returns those removed. */
function removeFrom(node: unknown, names: readonly string[], valueOf: (item: unknown) => string = (item) => (isScalar(item) ? String(item.value) : '')): string[] {
  const removed: string[] = [];
  if (isMap(node)) {
    for (const name of names) if (node.delete(name)) removed.push(name);
  } else if (isSeq(node)) {
    for (let i = node.items.length - 1; i >= 0; i -= 1) {
      const name = valueOf(node.items[i]);
      if (names.includes(name)) {
        node.items.splice(i, 1);
        removed.unshift(name);
      }
    }
  }
  return removed;
}

/** Deletes `key` from `map` when it holds an empty map or list (what a removal left). */
function dropIfEmpty(map: YAMLMap, key: string): void {
  const node = map.get(key, true);
  if ((isMap(node) || isSeq(node)) && node.items.length === 0) map.delete(key);
}

/**
 * Removes the services `keys` from a compose document with what only they
 * used: their own database (`<key>-db`, which they depend on) when no other
 * service depends on it, the named volumes nothing left mounts, other
 * services' `depends_on` on them, and the environment variables named in
 * `variables` (service → names: the gateway's URLs for them). Returns what
 * was removed (`services.orders`, `services.gateway.depends_on.orders`, …).
 */
export function pruneServices(doc: Document, keys: readonly string[], variables: ReadonlyMap<string, readonly string[]>): string[] {
  const services = sectionMap(doc, 'services');
  if (!services) return [];
  const gone = new Set(keys.filter((key) => services.has(key)));
  const remaining = () => services.items.filter((pair) => !gone.has(keyOf(pair)));
  for (const key of [...gone]) {
    const db = `${key}-db`;
    const usedElsewhere = remaining().some((pair) => keyOf(pair) !== db && dependencies(pair.value).includes(db));
    if (services.has(db) && dependencies(services.get(key, true)).includes(db) && !usedElsewhere) gone.add(db);
  }
  const removed: string[] = [];
  const mounted = new Set(remaining().flatMap((pair) => namedVolumes(pair.value)));
  const orphans = [...new Set([...gone].flatMap((key) => namedVolumes(services.get(key, true))))].filter((v) => !mounted.has(v));
  for (const key of gone) {
    services.delete(key);
    removed.push(`services.${key}`);
  }
  const volumes = sectionMap(doc, 'volumes');
  for (const volume of removeFrom(volumes, orphans)) removed.push(`volumes.${volume}`);
  dropIfEmpty(doc.contents as YAMLMap, 'volumes');
  const envKey = (item: unknown) => (isScalar(item) ? String(item.value).split('=')[0]! : '');
  for (const pair of services.items) {
    if (!isMap(pair.value)) continue;
    const name = keyOf(pair);
    for (const dep of removeFrom(pair.value.get('depends_on', true), [...gone])) removed.push(`services.${name}.depends_on.${dep}`);
    for (const v of removeFrom(pair.value.get('environment', true), variables.get(name) ?? [], envKey)) removed.push(`services.${name}.environment.${v}`);
    dropIfEmpty(pair.value, 'depends_on');
    dropIfEmpty(pair.value, 'environment');
  }
  return removed;
}

/**
 * The services of a compose document that declares archkit's internal
 * `backend` network but that are on no network of their own (no `networks:`,
 * no `network_mode:`): Compose puts them on its default network, where they
 * cannot reach the containers on `backend`, nor those them.
 */
export function offTheNetworks(doc: Document): string[] {
  if (sectionMap(doc, 'networks')?.has('backend') !== true) return [];
  const services = sectionMap(doc, 'services');
  return (services?.items ?? []).filter((pair) => isMap(pair.value) && !pair.value.has('networks') && !pair.value.has('network_mode')).map(keyOf);
}
