/**
 * Per-item calls through another class: a loop that invokes a method of a class of the same service (a client
 * wrapper, a typed HttpClient, a Feign interface, an implementation of the interface the receiver is declared with)
 * which makes an outbound call — itself or through at most MAX_DEPTH methods — makes that call once per item.
 * For each such loop site the service gets a derived call (`via` the inner call) with the inner call's address,
 * so that it resolves to the same target, located at the loop.
 *
 * Loops in background jobs (scheduled, hosted) are left out: they serve no user's request.
 * Classes are the service's own (its files' ClassGraph facts, by simple name): a class of the same name in another
 * service is never followed. Linear in the graph: each method's reachable calls are computed once per depth.
 */
import type { ClassGraph, FileFacts } from '../facts.js';
import type { OutboundCall, Service } from '../types.js';

/** Method hops followed from a loop site: the invoked method, and two more below it. */
const MAX_DEPTH = 3;
/** Supertype levels followed from a declared type to the classes implementing it. */
const MAX_IMPLEMENTATION_LEVELS = 3;

const methodKey = (type: string, method: string): string => `${type}#${method}`;
const at = (file: string, line: number): string => `${file}:${line}`;

export function joinLoopCalls(services: readonly Service[], filesOf: (service: Service) => readonly string[], byFile: ReadonlyMap<string, FileFacts>): void {
  for (const service of services) {
    const graphs: Array<[string, ClassGraph]> = [];
    for (const file of filesOf(service)) {
      const graph = byFile.get(file)?.classGraph;
      if (graph) graphs.push([file, graph]);
    }
    if (!graphs.some(([, g]) => g.invocations.some((i) => i.inLoop))) continue;
    service.facts.calls.push(...derivedCalls(service.facts.calls, graphs));
  }
}

function derivedCalls(calls: readonly OutboundCall[], graphs: ReadonlyArray<[string, ClassGraph]>): OutboundCall[] {
  const callsAt = new Map<string, OutboundCall[]>();
  for (const call of calls) {
    if (call.via || call.location.line === undefined) continue;
    const key = at(call.location.file, call.location.line);
    const list = callsAt.get(key);
    if (list) list.push(call);
    else callsAt.set(key, [call]);
  }
  const declared = new Set<string>();
  const implementors = new Map<string, Set<string>>();
  const direct = new Map<string, OutboundCall[]>();
  const edges = new Map<string, Set<string>>();
  for (const [file, graph] of graphs) {
    for (const type of graph.types) {
      declared.add(type.name);
      for (const supertype of type.supertypes) {
        const set = implementors.get(supertype) ?? new Set<string>();
        set.add(type.name);
        implementors.set(supertype, set);
      }
    }
    for (const caller of graph.callers) {
      const key = methodKey(caller.type, caller.method);
      const list = direct.get(key) ?? [];
      list.push(...(callsAt.get(at(file, caller.line)) ?? []));
      direct.set(key, list);
    }
  }
  // A declared type stands for itself and the classes below it (`PriceClient` → `PriceClientImpl`), once resolved.
  const resolved = new Map<string, string[]>();
  const typesFor = (type: string): string[] => {
    let found = resolved.get(type);
    if (found) return found;
    const out = new Set<string>(declared.has(type) ? [type] : []);
    let level = [type];
    for (let i = 0; i < MAX_IMPLEMENTATION_LEVELS && level.length > 0; i++) {
      const next: string[] = [];
      for (const t of level) for (const sub of implementors.get(t) ?? []) if (!out.has(sub)) (out.add(sub), next.push(sub));
      level = next;
    }
    found = [...out];
    resolved.set(type, found);
    return found;
  };
  const callees = (type: string, method: string): string[] => typesFor(type).map((t) => methodKey(t, method));
  for (const [, graph] of graphs) {
    for (const invocation of graph.invocations) {
      const from = methodKey(invocation.type, invocation.method);
      const set = edges.get(from) ?? new Set<string>();
      for (const to of callees(invocation.calleeType, invocation.callee)) if (to !== from) set.add(to);
      edges.set(from, set);
    }
  }
  // The calls a method makes within `depth` hops (itself included), memoised per method and depth; a cycle ends a path.
  const memo = new Map<string, Set<OutboundCall>>();
  const reach = (key: string, depth: number): Set<OutboundCall> => {
    const memoKey = `${depth}\0${key}`;
    const known = memo.get(memoKey);
    if (known) return known;
    const out = new Set<OutboundCall>(direct.get(key) ?? []);
    memo.set(memoKey, out);
    if (depth > 1) for (const next of edges.get(key) ?? []) for (const call of reach(next, depth - 1)) out.add(call);
    return out;
  };

  const out: OutboundCall[] = [];
  const seen = new Set<string>();
  for (const [file, graph] of graphs) {
    for (const invocation of graph.invocations) {
      // A scheduled or hosted background job's loop serves no user's request: not a chatty path.
      if (!invocation.inLoop || invocation.background) continue;
      const site = at(file, invocation.line);
      // A call made right at the loop site is already per item.
      if (callsAt.get(site)?.some((c) => c.inLoop)) continue;
      for (const callee of callees(invocation.calleeType, invocation.callee)) {
        for (const inner of reach(callee, MAX_DEPTH)) {
          // An inner call that runs per item already is reported where it is.
          if (inner.inLoop) continue;
          const key = `${site}\0${at(inner.location.file, inner.location.line ?? 0)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ ...inner, inLoop: true, via: inner.location, location: { file, line: invocation.line } });
        }
      }
    }
  }
  return out;
}
