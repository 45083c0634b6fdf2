/** The Kubernetes objects a rendered Helm template holds, and what a chart's workloads take from them. */
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { Evidence, GatewayDecl, Setting } from '../../facts.js';
import type { Location } from '../../types.js';
import type { Rendered } from './template.js';
import { asMap, isMap, text, type Json, type JsonMap } from '../yaml-values.js';

export interface ChartObject {
  kind: string;
  apiVersion: string;
  /** metadata.name as rendered; null when absent. Unknown parts are the actions as written (`{{ … }}`). */
  name: string | null;
  value: JsonMap;
  file: string;
  /** Source line of the value at `keys` (the object's `kind:` line when absent). */
  line(keys: ReadonlyArray<string | number>): number;
}

/** Whether a rendered string still holds an action that could not be read. */
export const unknownText = (s: string): boolean => s.includes('{{');

function restoreDeep(value: Json, restore: (s: string) => string): Json {
  if (typeof value === 'string') return restore(value);
  if (Array.isArray(value)) return value.map((v) => restoreDeep(v, restore));
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) out[restore(k)] = restoreDeep(v, restore);
    return out;
  }
  return value;
}

/** The kinds a chart's units are made of; other documents (CRDs, realm imports, dashboards) are not parsed. */
const WANTED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'ScaledObject', 'ConfigMap']);

const MAX_CONFIGMAP = 64 * 1024;

/** The documents of a YAML stream with the line each starts on, split at `---` lines. */
function documents(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  for (let i = 0; i <= text.length; ) {
    const eol = text.indexOf('\n', i);
    const end = eol === -1 ? text.length : eol;
    if (text.startsWith('---', i) && (end - i === 3 || /\s/.test(text[i + 3]!))) {
      out.push({ text: text.slice(start, i), line: startLine });
      start = end + 1;
      startLine = line + 1;
    }
    if (eol === -1) break;
    i = eol + 1;
    line += 1;
  }
  out.push({ text: text.slice(start), line: startLine });
  return out;
}

/** The top-level `kind:` of a document, read from its lines without parsing it. */
function kindOf(doc: string): string | null {
  const at = doc.startsWith('kind:') ? 0 : doc.indexOf('\nkind:') + 1;
  if (at === 0 && !doc.startsWith('kind:')) return null;
  const eol = doc.indexOf('\n', at);
  return doc.slice(at + 5, eol === -1 ? doc.length : eol).trim().replace(/^["']|["']$/g, '') || null;
}

/** The objects of one rendered template file that units are made of (documents that do not parse as YAML are left out). */
export function chartObjects(file: string, rendered: Rendered): ChartObject[] {
  const out: ChartObject[] = [];
  for (const chunk of documents(rendered.text)) {
    const kind = kindOf(chunk.text);
    if (!kind || !WANTED_KINDS.has(kind)) continue;
    // Large ConfigMaps hold files (dashboards, configuration), not the variables a workload's env refers to.
    if (kind === 'ConfigMap' && chunk.text.length > MAX_CONFIGMAP) continue;
    const lineCounter = new LineCounter();
    let doc;
    try {
      doc = parseDocument(chunk.text, { lineCounter, uniqueKeys: false, logLevel: 'error' });
    } catch {
      continue;
    }
    if (doc.errors.length > 0) continue;
    let value: Json;
    try {
      value = restoreDeep(doc.toJS({ maxAliasCount: 1000 }) as Json, rendered.restore);
    } catch {
      continue;
    }
    if (!isMap(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') continue;
    const lineAt = (node: Node | undefined): number | null => (node?.range ? rendered.sourceLine(chunk.line - 1 + lineCounter.linePos(node.range[0]).line) : null);
    const own = lineAt(doc.getIn(['kind'], true) as Node | undefined) ?? 1;
    out.push({
      kind: value.kind,
      apiVersion: value.apiVersion,
      name: text(asMap(value.metadata).name),
      value,
      file,
      line: (keys) => lineAt(doc.getIn(keys, true) as Node | undefined) ?? own,
    });
  }
  return out;
}

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** The containers of a workload (init containers left out). */
export function containers(o: ChartObject): JsonMap[] {
  const list = asMap(asMap(asMap(o.value.spec).template).spec).containers;
  return Array.isArray(list) ? list.filter(isMap) : [];
}

/** Probes of a workload's containers, as evidence at their template lines. */
export function probes(o: ChartObject): Evidence[] {
  const out: Evidence[] = [];
  containers(o).forEach((c, k) => {
    for (const probe of PROBES) {
      const spec = c[probe];
      if (!isMap(spec)) continue;
      const http = asMap(spec.httpGet);
      const how = text(http.path) ? `httpGet ${text(http.path)}` : spec.grpc ? 'grpc' : spec.tcpSocket ? 'tcpSocket' : spec.exec ? 'exec' : '';
      out.push({ what: `${probe}${how ? ` ${how}` : ''}`, location: { file: o.file, line: o.line(['spec', 'template', 'spec', 'containers', k, probe]) } });
    }
  });
  return out;
}

/** ConfigMaps of a chart: name (as rendered) → data. */
export type ConfigMaps = Array<{ name: string | null; data: Record<string, string> }>;

export function configMaps(objects: readonly ChartObject[]): ConfigMaps {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .map((o) => {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(asMap(o.value.data))) {
        const value = text(v);
        if (value !== null && !value.includes('\n')) data[k] = value;
      }
      return { name: o.name, data };
    });
}

/** A ConfigMap of the chart by name; when the name could not be read, the only one that has the key. */
function configMapFor(maps: ConfigMaps, name: string | null, key: string | null): Record<string, string> | null {
  const named = name !== null && !unknownText(name) ? maps.find((m) => m.name === name) : undefined;
  if (named) return named.data;
  const holding = maps.filter((m) => (key === null ? true : Object.hasOwn(m.data, key)));
  return holding.length === 1 ? holding[0]!.data : null;
}

/** The environment of a workload's containers (the first container wins over sidecars), ConfigMap references resolved within the chart. */
export function environment(o: ChartObject, maps: ConfigMaps): Setting[] {
  const out = new Map<string, Setting>();
  containers(o).forEach((c, k) => {
    const base = ['spec', 'template', 'spec', 'containers', k];
    const add = (key: string, value: string, keys: Array<string | number>) => {
      if (!out.has(key)) out.set(key, { key, value, profile: null, location: { file: o.file, line: o.line([...base, ...keys]) } });
    };
    const envFrom = Array.isArray(c.envFrom) ? c.envFrom : [];
    envFrom.forEach((from, j) => {
      const source = asMap(from);
      const ref = asMap(source.configMapRef);
      if (!isMap(source.configMapRef)) return;
      const data = configMapFor(maps, text(ref.name), null);
      const prefix = text(source.prefix) ?? '';
      for (const [key, value] of Object.entries(data ?? {})) add(prefix + key, value, ['envFrom', j]);
    });
    const env = Array.isArray(c.env) ? c.env : [];
    env.forEach((item, j) => {
      const entry = asMap(item);
      const name = text(entry.name);
      if (!name || unknownText(name)) return;
      if (entry.valueFrom !== undefined) {
        const ref = asMap(asMap(entry.valueFrom).configMapKeyRef);
        const key = text(ref.key);
        add(name, (key && configMapFor(maps, text(ref.name), key)?.[key]) ?? '', ['env', j]);
      } else add(name, text(entry.value) ?? '', ['env', j]);
    });
  });
  return [...out.values()];
}

/**
 * The chart's Services that send traffic to a workload: those whose selector its pod labels match. In a chart with
 * one workload, every Service (their selectors are usually written by helpers that cannot be read).
 */
export function servicesOf(objects: readonly ChartObject[], w: ChartObject, single: boolean): ChartObject[] {
  const labels = asMap(asMap(asMap(asMap(w.value.spec).template).metadata).labels);
  return objects.filter((o) => {
    if (o.kind !== 'Service') return false;
    if (single) return true;
    const selector = Object.entries(asMap(asMap(o.value.spec).selector));
    return selector.length > 0 && selector.every(([k, v]) => text(labels[k]) !== null && text(labels[k]) === text(v));
  });
}

/** Published ports of NodePort and LoadBalancer Services. */
export function published(services: readonly ChartObject[]): Array<{ port: string; location: Location }> {
  const out: Array<{ port: string; location: Location }> = [];
  for (const o of services) {
    const spec = asMap(o.value.spec);
    const type = text(spec.type);
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    ports.forEach((p, k) => {
      const port = asMap(p);
      const value = text(port.nodePort) ?? text(port.port);
      if (value && !unknownText(value)) out.push({ port: value, location: { file: o.file, line: o.line(['spec', 'ports', k]) } });
    });
  }
  return out;
}

/** Ingress rules of the chart as a gateway; a backend whose name could not be read goes to `ownService`. */
export function ingressGateways(objects: readonly ChartObject[], ownService: string): GatewayDecl[] {
  const out: GatewayDecl[] = [];
  for (const o of objects) {
    if (o.kind !== 'Ingress') continue;
    const spec = asMap(o.value.spec);
    const routes: GatewayDecl['routes'] = [];
    const backendName = (b: JsonMap): string | null => text(asMap(b.service).name) ?? text(b.serviceName);
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    rules.forEach((r, i) => {
      const rule = asMap(r);
      const host = text(rule.host);
      const paths = asMap(rule.http).paths;
      (Array.isArray(paths) ? paths : []).forEach((p, j) => {
        const path = asMap(p);
        const name = backendName(asMap(path.backend));
        if (name === null) return;
        routes.push({
          path: text(path.path),
          host: host && !unknownText(host) ? host : null,
          upstream: unknownText(name) ? ownService : name,
          breaker: false,
          location: { file: o.file, line: o.line(['spec', 'rules', i, 'http', 'paths', j]) },
        });
      });
    });
    const fallback = asMap(spec.defaultBackend ?? spec.backend);
    const name = backendName(fallback);
    if (name !== null) routes.push({ path: null, host: null, upstream: unknownText(name) ? ownService : name, breaker: false, location: { file: o.file, line: o.line(['spec']) } });
    if (routes.length > 0) out.push({ implementation: 'ingress', runsIn: null, routes, location: { file: o.file, line: o.line(['kind']) } });
  }
  return out;
}

/** Whether the chart renders an autoscaler (HPA, KEDA ScaledObject) for a workload (any, in a chart with one workload). */
export function autoscaler(objects: readonly ChartObject[], w: ChartObject, single: boolean): boolean {
  return objects.some(
    (o) => (o.kind === 'HorizontalPodAutoscaler' || (o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/'))) && (single || text(asMap(asMap(o.value.spec).scaleTargetRef).name) === w.name),
  );
}
