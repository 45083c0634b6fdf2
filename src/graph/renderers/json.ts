/**
 * The architecture as plain nodes and edges. `buildGraph` is also what the Mermaid and DOT
 * renderers draw, so the three formats always show the same graph.
 */
import type { RepoModel } from '../../model/types.js';
import type { GraphOptions, GraphRenderer } from '../types.js';

export interface GraphNode {
  /** `service:<name>`, `database:<database id>` or `channel:<broker>:<name>`. */
  id: string;
  kind: 'service' | 'gateway' | 'database' | 'channel';
  label: string;
  /** Service or channel name, database name. */
  name: string;
  /** Databases: the engine; channels: the broker. */
  engine?: string;
  broker?: string;
  /** Databases used by more than one service. */
  shared?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** sync: calls; async: events through a broker; data: a service using a database; route: a gateway in front of a service; saga: an orchestrator to one of its saga's steps, or a choreographed step to the next. */
  kind: 'sync' | 'async' | 'data' | 'route' | 'saga';
  label?: string;
  /** sync: number of call sites. */
  calls?: number;
  /** async between services (channels not drawn as nodes): the channels. */
  channels?: string[];
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const KIND_ORDER: Record<GraphNode['kind'], number> = { gateway: 0, service: 1, database: 2, channel: 3 };
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Nodes and edges of the model, deduplicated and sorted (nodes by kind then id; edges by from, to, kind). */
export function buildGraph(model: RepoModel, options: GraphOptions): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const gateways = new Set(model.services.filter((s) => s.isGateway).map((s) => s.name));
  if (model.gateway !== null) gateways.add(model.gateway);

  const service = (name: string): string => {
    const id = `service:${name}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind: gateways.has(name) ? 'gateway' : 'service', label: name, name });
    return id;
  };
  const edge = (from: string, to: string, kind: GraphEdge['kind'], calls = 0, channels: readonly string[] = []) => {
    const key = JSON.stringify([from, to, kind]);
    const existing = edges.get(key);
    if (existing) {
      if (kind === 'sync') existing.calls = (existing.calls ?? 0) + calls;
      if (existing.channels) existing.channels = [...new Set([...existing.channels, ...channels])];
    } else {
      edges.set(key, { from, to, kind, ...(kind === 'sync' ? { calls } : {}), ...(kind === 'async' && !options.channels ? { channels: [...channels] } : {}) });
    }
  };

  for (const s of model.services) service(s.name);
  for (const name of gateways) service(name);

  for (const s of model.services) for (const target of s.routesTo) edge(service(s.name), service(target), 'route');
  // Orchestration: the host commands each step; choreography: each step sets off the next.
  for (const saga of model.sagas) {
    saga.steps.forEach((step, i) => {
      const from = saga.style === 'choreography' ? saga.steps[i - 1] : saga.host;
      if (from === undefined) return;
      const key = JSON.stringify([service(from), service(step), 'saga', saga.name, i]);
      edges.set(key, { from: service(from), to: service(step), kind: 'saga', label: `${saga.name} ${i + 1}` });
    });
  }

  for (const e of model.edges) {
    if (e.kind === 'sync') edge(service(e.from), service(e.to), 'sync', e.calls);
    else if (!options.channels) edge(service(e.from), service(e.to), 'async', 0, e.channels);
  }

  if (options.channels) {
    for (const ch of model.channels) {
      const id = `channel:${ch.broker}:${ch.name}`;
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'channel', label: `${ch.name} (${ch.broker})`, name: ch.name, broker: ch.broker });
      for (const p of ch.producers) edge(service(p), id, 'async');
      for (const c of ch.consumers) edge(id, service(c), 'async');
    }
  }

  if (options.databases) {
    for (const db of model.databases) {
      const id = `database:${db.id}`;
      const where = db.host && db.name ? `${db.host}/${db.name}` : db.name || db.host || db.id;
      const users = [...new Set(db.users)];
      const existing = nodes.get(id);
      if (existing) existing.shared ||= users.length > 1;
      else nodes.set(id, { id, kind: 'database', label: `${where} (${db.engine})`, name: db.name, engine: db.engine, shared: users.length > 1 });
      for (const u of users) edge(service(u), id, 'data');
    }
  }

  const sortedEdges = [...edges.values()].map(({ from, to, kind, calls, channels, label: given }): GraphEdge => {
    channels?.sort(compare);
    const label = given ?? (kind === 'sync' ? ((calls ?? 0) > 1 ? `${calls} calls` : undefined) : channels?.join(', ') || undefined);
    return { from, to, kind, ...(label === undefined ? {} : { label }), ...(calls === undefined ? {} : { calls }), ...(channels ? { channels } : {}) };
  });
  sortedEdges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind) || compare(a.label ?? '', b.label ?? ''));
  return {
    nodes: [...nodes.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.id, b.id)),
    edges: sortedEdges,
  };
}

const json: GraphRenderer = (model, options) => `${JSON.stringify(buildGraph(model, options), null, 2)}\n`;

export default json;
