/**
 * Kubernetes extractor. Reads every YAML file the walk found (several
 * documents per file, `kind: List` flattened), keeps the documents with an
 * `apiVersion` and a `kind`, and builds one KubernetesWorkload per
 * Deployment, StatefulSet, DaemonSet or Argo Rollout with what points at it:
 *
 * - `autoscaler`: a HorizontalPodAutoscaler (or a KEDA ScaledObject) whose
 *   `scaleTargetRef` names it;
 * - `exposedBy`: the types of the Services whose selector matches its pod labels;
 * - `routedBy`: Ingress backends, Gateway API routes (HTTPRoute, GRPCRoute,
 *   TCPRoute, TLSRoute…) `backendRefs`, Traefik IngressRoutes and Istio
 *   VirtualServices that point at those Services (one location per backend
 *   reference).
 *
 * Environment: `env` values as written; `valueFrom.configMapKeyRef` and
 * `envFrom.configMapRef` are resolved when the ConfigMap is in the repository
 * (that is where service URLs usually live), any other `valueFrom` is `''`.
 *
 * Namespaces: a manifest without one (kustomize and Helm set it at deploy
 * time) matches any namespace. The same workload written several times
 * (kustomize bases and full overlays, one file per environment) is merged
 * into one: the first by file and line gives file, line and namespace;
 * images, Services and routes are united, probes OR-ed, replicas the
 * highest. Kustomize patches (files a kustomization lists under `patches`,
 * `patchesStrategicMerge` or `patchesJson6902`), and workloads without
 * containers, are not workloads.
 *
 * YAML merge keys (`<<: *defaults`) are applied, as Kubernetes' YAML reader does.
 *
 * Unparseable YAML is a diagnostic, except in Helm chart templates (files
 * under `templates/` beside a `Chart.yaml`, never parsed) and in any file
 * holding `{{` (a template of some other tool): those are skipped silently.
 */
import path from 'node:path';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import type { RepoReader } from '../read.js';
import { applyMergeKeys } from './compose.js';
import { PlainValues, duplicateKeys } from './yaml-documents.js';
import type { Diagnostic, KubernetesWorkload, Location } from '../types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json | undefined): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const int = (v: Json | undefined): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byLocation = (a: Location, b: Location): number => byPath(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0);

/** One Kubernetes object of the repository. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  /** The object as plain data. */
  value: JsonObject;
  file: string;
  /** Line of its `kind:` key. */
  line: number;
  /** Line of the value at `keys` inside the object (its own line when absent). */
  lineOf(keys: ReadonlyArray<string | number>): number;
}

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);
const KUSTOMIZATION_FILE = /^kustomization\.ya?ml$|^Kustomization$/;

/** Reads the given YAML files (relative paths), keeps the Kubernetes documents, and returns workloads with what targets them. */
export function readKubernetes(reader: RepoReader, files: readonly string[]): { workloads: KubernetesWorkload[]; files: string[] } {
  return startKubernetes(reader, files, []).finish(new Map());
}

/**
 * readKubernetes in two steps, for files another thread parses (kubernetesShare): this thread parses the others
 * at once; `finish` takes what the other thread parsed (a file missing from it is parsed then, here).
 */
export function startKubernetes(
  reader: RepoReader,
  files: readonly string[],
  theirFiles: readonly string[],
): { finish(parsed: ReadonlyMap<string, PortableFile>): { workloads: KubernetesWorkload[]; files: string[] } } {
  const patches = new Set<string>();
  const charts = new ChartDetector(reader);
  const theirs = new Set(theirFiles);
  const sorted = [...files].sort(byPath).filter((file) => !charts.isTemplate(file));
  const perFile = new Map<string, { found: KubernetesObject[]; diagnostics: Diagnostic[] }>();
  const parseHere = (file: string): void => {
    const text = reader.read(file);
    if (text === null) return;
    const kustomization = KUSTOMIZATION_FILE.test(path.posix.basename(file));
    // Every Kubernetes object names its apiVersion and kind: a YAML file with neither word is not parsed here.
    if (!kustomization && !(text.includes('apiVersion') && text.includes('kind'))) return;
    const diagnostics: Diagnostic[] = [];
    const found = parseObjects(file, text, diagnostics, (value) => {
      if (kustomization) for (const patch of kustomizePatches(file, value)) patches.add(patch);
    });
    perFile.set(file, { found, diagnostics });
  };
  for (const file of sorted) if (!theirs.has(file)) parseHere(file);
  return {
    finish(parsed) {
      for (const file of sorted) {
        if (!theirs.has(file)) continue;
        const done = parsed.get(file);
        if (done) perFile.set(file, { found: done.objects.map(revive), diagnostics: done.diagnostics });
        else parseHere(file);
      }
      const objects: KubernetesObject[] = [];
      const k8sFiles: string[] = [];
      for (const file of sorted) {
        const entry = perFile.get(file);
        if (!entry) continue;
        for (const d of entry.diagnostics) reader.report(d);
        if (entry.found.length > 0) k8sFiles.push(file);
        for (const o of entry.found) objects.push(o);
      }
      const live = objects.filter((o) => !patches.has(o.file));
      return { workloads: buildWorkloads(live), files: k8sFiles };
    },
  };
}

/**
 * A Kubernetes object as plain data (it crosses a thread boundary): `lineOf` answered from a tree of the lines of
 * the nodes in it, for the objects whose lines are asked for (routes); the others answer their own line.
 */
export interface PortableObject extends Omit<KubernetesObject, 'lineOf'> {
  lines: LineTree | null;
}

/** The line of a node (0: unknown) and its children by key: a mapping's keys as written, a sequence's indexes. */
export interface LineTree {
  line: number;
  /** Whether the node is a sequence (its children are indexes). */
  seq?: true;
  children?: Map<string | number, LineTree>;
}

export interface PortableFile {
  objects: PortableObject[];
  diagnostics: Diagnostic[];
}

export function revive(portable: PortableObject): KubernetesObject {
  const { lines, ...rest } = portable;
  const lineOf = (keys: ReadonlyArray<string | number>): number => {
    if (keys.length === 0) return portable.line;
    let tree: LineTree | undefined = lines ?? undefined;
    for (const key of keys) {
      // A sequence takes an index as a number or a string of digits, as getIn does; a mapping takes its keys as written.
      tree = tree?.children?.get(tree.seq && typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key);
    }
    return tree && tree.line > 0 ? tree.line : portable.line;
  };
  return { ...rest, lineOf };
}

/**
 * Files of `files` worth parsing in another thread, about half of the Kubernetes YAML by size, when there is
 * enough of it (at least `minChars` in two files or more): the ones readKubernetes would parse, without kustomizations
 * (their patches are needed here) and chart templates. Assigned largest first to the lighter side.
 */
export function kubernetesShare(reader: RepoReader, files: readonly string[], minChars: number): string[] {
  const charts = new ChartDetector(reader);
  const sized: Array<[string, number]> = [];
  for (const file of files) {
    if (charts.isTemplate(file) || KUSTOMIZATION_FILE.test(path.posix.basename(file))) continue;
    const text = reader.read(file);
    if (text !== null && text.includes('apiVersion') && text.includes('kind')) sized.push([file, text.length]);
  }
  const total = sized.reduce((sum, [, n]) => sum + n, 0);
  if (sized.length < 2 || total < minChars) return [];
  sized.sort((a, b) => b[1] - a[1] || byPath(a[0], b[0]));
  const share: string[] = [];
  let here = 0;
  let there = 0;
  for (const [file, n] of sized) {
    if (there < here) {
      share.push(file);
      there += n;
    } else here += n;
  }
  return share.sort(byPath);
}

/** Parses `files` (kubernetesShare) into plain data, for the thread that asked. */
export function parsePortable(reader: RepoReader, files: readonly string[]): Array<[string, PortableFile]> {
  const out: Array<[string, PortableFile]> = [];
  for (const file of files) {
    const text = reader.read(file);
    if (text === null) continue;
    const diagnostics: Diagnostic[] = [];
    const objects = parseObjects(file, text, diagnostics, undefined, true);
    out.push([file, { objects, diagnostics }]);
  }
  return out;
}

/** Parses the documents of one file; calls `each` with every document's plain value (Kubernetes or not). */
export function parseObjects(file: string, text: string, diagnostics: Diagnostic[], each?: (value: Json) => void): KubernetesObject[];
export function parseObjects(file: string, text: string, diagnostics: Diagnostic[], each: undefined, portable: true): PortableObject[];
export function parseObjects(file: string, text: string, diagnostics: Diagnostic[], each?: (value: Json) => void, portable = false): Array<KubernetesObject | PortableObject> {
  const out: Array<KubernetesObject | PortableObject> = [];
  const lineCounter = new LineCounter();
  const template = /(^|[^$]){{/.test(text); // Helm, Jinja, Go templates; not GitHub Actions' ${{ }}
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  } catch (error) {
    if (!template) diagnostics.push({ file, message: `cannot parse YAML: ${(error as Error).message.split('\n')[0]}` });
    return out;
  }
  const lineAt = (node: Node | null | undefined, fallback: number): number => (node?.range ? lineCounter.linePos(node.range[0]).line : fallback);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      if (!template) {
        const first = doc.errors[0]!;
        diagnostics.push({ file, line: first.linePos?.[0]?.line ?? lineAt(doc.contents, 1), message: `cannot parse YAML: ${yamlMessage(first.message)}` });
      }
      continue;
    }
    let value: unknown;
    try {
      value = applyMergeKeys(new PlainValues(doc).toJs(doc.contents));
    } catch (error) {
      diagnostics.push({ file, line: lineAt(doc.contents, 1), message: `cannot read YAML: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!isObject(value) || !isMap(doc.contents)) continue;
    each?.(value);
    // Only Kubernetes objects: other YAML files (CI workflows, OpenAPI specs) are not ours to judge.
    if (!template && typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
      for (const duplicate of duplicateKeys(doc.contents, lineCounter)) {
        diagnostics.push({ file, line: duplicate.line, message: `duplicate key "${duplicate.key}" (first on line ${duplicate.first}): Kubernetes refuses the manifest` });
      }
    }
    const add = (v: Json | undefined, node: unknown) => {
      if (!isObject(v) || !isMap(node) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return;
      const map = node as YAMLMap;
      const kindPair = map.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
      const line = lineAt(kindPair?.key as Node | undefined, lineAt(map, 1));
      const metadata = obj(v.metadata);
      const object = { apiVersion: v.apiVersion, kind: v.kind, name: str(metadata.name), namespace: str(metadata.namespace), value: v, file, line };
      // Only route objects' lines are ever asked for (routeRefs): the others cross threads without a table.
      if (portable) out.push({ ...object, lines: routeObject(object.apiVersion, object.kind) ? lineTree(map, lineAt) : null });
      else out.push({ ...object, lineOf: (keys) => lineAt(map.getIn(keys, true) as Node | undefined, line) });
    };
    if (value.kind === 'List' && Array.isArray(value.items)) {
      const items = doc.contents.get('items', true);
      arr(value.items).forEach((item, k) => add(item, isSeq(items) ? items.items[k] : null));
    } else {
      add(value, doc.contents);
    }
  }
  return out;
}

/**
 * The lines of every node inside `map` as a tree: what `map.getIn(keys, true)` finds, so the same lines as `lineOf`.
 * Aliases are not entered (getIn does not enter them either). Each node is visited once and stored once: linear in
 * the document, however deep or long its keys.
 */
function lineTree(map: YAMLMap, lineAt: (node: Node | null | undefined, fallback: number) => number): LineTree {
  const root: LineTree = { line: lineAt(map, 0) };
  const stack: Array<[unknown, LineTree]> = [[map, root]];
  const add = (tree: LineTree, key: string | number, child: Node): void => {
    tree.children ??= new Map();
    // A key written twice: the first, as getIn finds it.
    if (tree.children.has(key)) return;
    const node: LineTree = { line: lineAt(child, 0) };
    tree.children.set(key, node);
    stack.push([child, node]);
  };
  while (stack.length > 0) {
    const [node, tree] = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : null;
        if ((typeof k === 'string' || typeof k === 'number') && isNode(pair.value)) add(tree, k, pair.value);
      }
    } else if (isSeq(node)) {
      tree.seq = true;
      node.items.forEach((item, i) => {
        if (isNode(item)) add(tree, i, item);
      });
    }
  }
  return root;
}

/** Helm chart templates: files under `templates/` in a folder that holds a Chart.yaml. */
class ChartDetector {
  private readonly charts = new Map<string, boolean>();
  constructor(private readonly reader: RepoReader) {}

  isTemplate(file: string): boolean {
    const parts = file.split('/');
    for (let k = parts.length - 2; k >= 0; k -= 1) {
      if (parts[k] !== 'templates') continue;
      const chart = parts.slice(0, k).join('/');
      let known = this.charts.get(chart);
      if (known === undefined) {
        known = this.reader.isFile(chart === '' ? 'Chart.yaml' : `${chart}/Chart.yaml`);
        this.charts.set(chart, known);
      }
      if (known) return true;
    }
    return false;
  }
}

/** Files a kustomization applies as patches, relative to the root. */
function kustomizePatches(file: string, value: Json): string[] {
  const dir = path.posix.dirname(file);
  const k = obj(value);
  const refs = [...arr(k.patchesStrategicMerge), ...arr(k.patches), ...arr(k.patchesJson6902)];
  const out: string[] = [];
  for (const ref of refs) {
    const p = typeof ref === 'string' ? ref : str(obj(ref).path);
    if (p && !p.includes('\n')) out.push(path.posix.normalize(path.posix.join(dir, p)));
  }
  return out;
}

const sameNamespace = (a: string | null, b: string | null): boolean => a === null || b === null || a === b;

interface ServiceRef {
  name: string;
  namespace: string | null;
  location: Location;
}

/** Ingresses, Gateway API routes, Traefik IngressRoutes and Istio VirtualServices: the objects routeRefs reads. */
function routeObject(apiVersion: string, kind: string): boolean {
  const group = apiVersion.split('/')[0]!;
  return (
    kind === 'Ingress' ||
    (group === 'gateway.networking.k8s.io' && kind.endsWith('Route')) ||
    ((group === 'traefik.io' || group === 'traefik.containo.us') && kind.startsWith('IngressRoute')) ||
    (group === 'networking.istio.io' && kind === 'VirtualService')
  );
}

/** Backends of Ingresses, Gateway API routes, Traefik IngressRoutes and Istio VirtualServices. */
function routeRefs(o: KubernetesObject): ServiceRef[] {
  const refs: ServiceRef[] = [];
  const spec = obj(o.value.spec);
  const ref = (name: string | null, namespace: string | null, keys: Array<string | number>) => {
    if (name) refs.push({ name, namespace: namespace ?? o.namespace, location: { file: o.file, line: o.lineOf(keys) } });
  };
  const group = o.apiVersion.split('/')[0]!;
  if (!routeObject(o.apiVersion, o.kind)) return refs;
  if (o.kind === 'Ingress') {
    const backend = (b: JsonObject, keys: Array<string | number>) => {
      const service = obj(b.service);
      if (str(service.name)) ref(str(service.name), null, [...keys, 'service', 'name']);
      else ref(str(b.serviceName), null, [...keys, 'serviceName']);
    };
    if (isObject(spec.defaultBackend)) backend(spec.defaultBackend, ['spec', 'defaultBackend']);
    if (isObject(spec.backend)) backend(spec.backend, ['spec', 'backend']);
    arr(spec.rules).forEach((rule, i) =>
      arr(obj(obj(rule).http).paths).forEach((p, j) => backend(obj(obj(p).backend), ['spec', 'rules', i, 'http', 'paths', j, 'backend'])),
    );
  } else if (group === 'gateway.networking.k8s.io' && o.kind.endsWith('Route')) {
    arr(spec.rules).forEach((rule, i) =>
      arr(obj(rule).backendRefs).forEach((b, j) => {
        const backend = obj(b);
        if ((str(backend.kind) ?? 'Service') === 'Service' && (str(backend.group) ?? '') === '') ref(str(backend.name), str(backend.namespace), ['spec', 'rules', i, 'backendRefs', j, 'name']);
      }),
    );
  } else if ((group === 'traefik.io' || group === 'traefik.containo.us') && o.kind.startsWith('IngressRoute')) {
    arr(spec.routes).forEach((route, i) =>
      arr(obj(route).services).forEach((s, j) => {
        const service = obj(s);
        if ((str(service.kind) ?? 'Service') === 'Service') ref(str(service.name), str(service.namespace), ['spec', 'routes', i, 'services', j, 'name']);
      }),
    );
  } else if (group === 'networking.istio.io' && o.kind === 'VirtualService') {
    for (const protocol of ['http', 'tcp', 'tls']) {
      arr(spec[protocol]).forEach((route, i) =>
        arr(obj(route).route).forEach((destination, j) => {
          const host = str(obj(obj(destination).destination).host);
          if (!host) return;
          const keys = ['spec', protocol, i, 'route', j, 'destination', 'host'];
          if (!host.includes('.')) ref(host, null, keys);
          else {
            const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
            if (match) ref(match[1]!, match[2]!, keys);
          }
        }),
      );
    }
  }
  return refs;
}

interface Autoscaler {
  kind: string;
  name: string;
  namespace: string | null;
  min: number | null;
  max: number;
  location: Location;
}

function autoscaler(o: KubernetesObject): Autoscaler | null {
  const spec = obj(o.value.spec);
  const target = obj(spec.scaleTargetRef);
  const name = str(target.name);
  if (!name) return null;
  const location = { file: o.file, line: o.line };
  if (o.kind === 'HorizontalPodAutoscaler') {
    const max = int(spec.maxReplicas);
    const kind = str(target.kind);
    return max === null || !kind ? null : { kind, name, namespace: o.namespace, min: int(spec.minReplicas), max, location };
  }
  if (o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/')) {
    return { kind: str(target.kind) ?? 'Deployment', name, namespace: o.namespace, min: int(spec.minReplicaCount) ?? 0, max: int(spec.maxReplicaCount) ?? 100, location };
  }
  return null;
}

interface ConfigMap {
  name: string;
  namespace: string | null;
  data: Record<string, string>;
}

interface KubeService {
  name: string;
  namespace: string | null;
  type: string;
  selector: JsonObject;
}

/** Lists by key; `first` finds the earliest entry of a key that passes a test. */
class Index<T> {
  private readonly map = new Map<string, T[]>();
  add(key: string, value: T): void {
    const list = this.map.get(key);
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }
  get(key: string): readonly T[] {
    return this.map.get(key) ?? [];
  }
  first(key: string, test: (value: T) => boolean): T | undefined {
    return this.map.get(key)?.find(test);
  }
}

const pairKey = (key: string, value: Json | undefined): string => `${key}\0${str(value) ?? ''}`;

/**
 * Services by selector, so that finding the Services of a workload does not
 * try every Service: each Service is filed under the selector pair fewest
 * Services share, and a workload looks only under its own labels.
 */
class SelectorIndex {
  private readonly byPair = new Index<KubeService>();
  /** Services whose selector has no scalar value to file them under (each is tried on every workload). */
  private readonly unfiled: KubeService[] = [];

  constructor(services: readonly KubeService[]) {
    const counts = new Map<string, number>();
    for (const s of services) for (const [k, v] of Object.entries(s.selector)) if (str(v) !== null) counts.set(pairKey(k, v), (counts.get(pairKey(k, v)) ?? 0) + 1);
    for (const s of services) {
      let best: string | null = null;
      for (const [k, v] of Object.entries(s.selector)) {
        if (str(v) === null) continue;
        const key = pairKey(k, v);
        if (best === null || counts.get(key)! < counts.get(best)!) best = key;
      }
      if (best === null) this.unfiled.push(s);
      else this.byPair.add(best, s);
    }
  }

  /** The Services whose selector matches `labels` in `namespace`. */
  matching(labels: JsonObject, namespace: string | null): KubeService[] {
    const out: KubeService[] = [];
    const test = (s: KubeService) => {
      if (sameNamespace(s.namespace, namespace) && Object.entries(s.selector).every(([k, v]) => str(labels[k]) === str(v))) out.push(s);
    };
    for (const [k, v] of Object.entries(labels)) if (str(v) !== null) this.byPair.get(pairKey(k, v)).forEach(test);
    this.unfiled.forEach(test);
    return out;
  }
}

interface Context {
  configMaps: Index<ConfigMap>;
  services: SelectorIndex;
  /** Route backends by Service name. */
  routes: Index<ServiceRef>;
  /** Autoscalers by target kind and name. */
  autoscalers: Index<Autoscaler>;
}

function environment(containers: JsonObject[], namespace: string | null, configMaps: Index<ConfigMap>): Record<string, string> {
  const configMap = (name: string | null) => (name ? configMaps.first(name, (c) => sameNamespace(c.namespace, namespace)) : undefined);
  const out: Record<string, string> = {};
  for (const container of containers) {
    const own: Record<string, string> = {};
    for (const from of arr(container.envFrom)) {
      const source = obj(from);
      const map = configMap(str(obj(source.configMapRef).name));
      if (!map) continue;
      const prefix = str(source.prefix) ?? '';
      for (const [key, v] of Object.entries(map.data)) own[prefix + key] = v;
    }
    for (const item of arr(container.env)) {
      const entry = obj(item);
      const name = str(entry.name);
      if (!name) continue;
      if (entry.valueFrom !== undefined) {
        const ref = obj(obj(entry.valueFrom).configMapKeyRef);
        own[name] = configMap(str(ref.name))?.data[str(ref.key) ?? ''] ?? '';
      } else {
        own[name] = str(entry.value) ?? '';
      }
    }
    // The first container (the application, by convention) wins over sidecars.
    for (const [key, v] of Object.entries(own)) if (!(key in out)) out[key] = v;
  }
  return out;
}

function buildWorkloads(objects: readonly KubernetesObject[]): KubernetesWorkload[] {
  const configMaps = new Index<ConfigMap>();
  const services: KubeService[] = [];
  const routes = new Index<ServiceRef>();
  const autoscalers = new Index<Autoscaler>();
  for (const o of objects) {
    if (o.kind === 'ConfigMap' && o.apiVersion === 'v1' && o.name) {
      const data: Record<string, string> = {};
      for (const [key, v] of Object.entries(obj(o.value.data))) data[key] = str(v) ?? '';
      configMaps.add(o.name, { name: o.name, namespace: o.namespace, data });
    } else if (o.kind === 'Service' && o.apiVersion === 'v1' && o.name) {
      const spec = obj(o.value.spec);
      const selector = obj(spec.selector);
      if (Object.keys(selector).length > 0) services.push({ name: o.name, namespace: o.namespace, type: str(spec.type) ?? 'ClusterIP', selector });
    } else {
      const scaler = autoscaler(o);
      if (scaler) autoscalers.add(`${scaler.kind}\0${scaler.name}`, scaler);
      else for (const ref of routeRefs(o)) routes.add(ref.name, ref);
    }
  }
  const context: Context = { configMaps, services: new SelectorIndex(services), routes, autoscalers };

  const byKey = new Map<string, KubernetesWorkload>();
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o.kind) || !o.name) continue;
    if (o.kind === 'Rollout' && !o.apiVersion.startsWith('argoproj.io/')) continue;
    const spec = obj(o.value.spec);
    const template = obj(spec.template);
    const containers = arr(obj(template.spec).containers).filter(isObject);
    if (containers.length === 0) continue; // a patch, or a Rollout that refers to a Deployment
    const built = workload(o, spec, template, containers, context);
    const key = `${o.kind}\0${o.name}`;
    const previous = byKey.get(key);
    byKey.set(key, previous ? merge(previous, built) : built);
  }
  return [...byKey.values()].sort((a, b) => byLocation(a, b) || byPath(a.name, b.name));
}

function workload(
  o: KubernetesObject,
  spec: JsonObject,
  template: JsonObject,
  containers: JsonObject[],
  context: Context,
): KubernetesWorkload {
  const labels = obj(obj(template.metadata).labels);
  const exposing = context.services.matching(labels, o.namespace);
  const routedBy = exposing.flatMap((s) => context.routes.get(s.name).filter((r) => sameNamespace(r.namespace, s.namespace)).map((r) => r.location));
  const scaler = context.autoscalers.first(`${o.kind}\0${o.name}`, (a) => sameNamespace(a.namespace, o.namespace));
  const has = (probe: string) => containers.some((c) => isObject(c[probe]));
  return {
    kind: o.kind,
    name: o.name!,
    namespace: o.namespace,
    file: o.file,
    line: o.line,
    images: [...new Set(containers.map((c) => str(c.image)).filter((i): i is string => !!i))],
    replicas: o.kind === 'DaemonSet' ? null : int(spec.replicas),
    probes: { liveness: has('livenessProbe'), readiness: has('readinessProbe'), startup: has('startupProbe') },
    autoscaler: scaler ? { min: scaler.min, max: scaler.max, location: scaler.location } : null,
    exposedBy: [...new Set(exposing.map((s) => s.type))].sort(byPath),
    serviceNames: [...new Set(exposing.map((s) => s.name))].sort(byPath),
    routedBy: uniqueLocations(routedBy),
    environment: environment(containers, o.namespace, context.configMaps),
  };
}

function uniqueLocations(locations: readonly Location[]): Location[] {
  const seen = new Map<string, Location>();
  for (const l of locations) seen.set(`${l.file}:${l.line ?? 0}`, l);
  return [...seen.values()].sort(byLocation);
}

/** Two manifests of one workload (kustomize bases and overlays, one file per environment). */
function merge(a: KubernetesWorkload, b: KubernetesWorkload): KubernetesWorkload {
  const replicas = a.replicas === null ? b.replicas : b.replicas === null ? a.replicas : Math.max(a.replicas, b.replicas);
  return {
    ...a,
    images: [...new Set([...a.images, ...b.images])],
    replicas,
    probes: { liveness: a.probes.liveness || b.probes.liveness, readiness: a.probes.readiness || b.probes.readiness, startup: a.probes.startup || b.probes.startup },
    autoscaler: a.autoscaler ?? b.autoscaler,
    exposedBy: [...new Set([...a.exposedBy, ...b.exposedBy])].sort(byPath),
    serviceNames: [...new Set([...(a.serviceNames ?? []), ...(b.serviceNames ?? [])])].sort(byPath),
    routedBy: uniqueLocations([...a.routedBy, ...b.routedBy]),
    environment: { ...b.environment, ...a.environment },
  };
}

/** The first line of a YAML error, without the position the diagnostic already carries. */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
