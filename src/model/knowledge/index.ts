/**
 * What a dependency tells about the unit that declares it, per ecosystem: one
 * table file each (maven.ts, nuget.ts, go.ts, pypi.ts, npm.ts), looked up by
 * exact name or by prefix. A library's presence is evidence of a capability
 * (spring-boot-starter-actuator serves health endpoints), not proof that code
 * uses it: rules that need use (circuit breakers) also ask the source facts.
 */
import type { Capability, Dependency, Ecosystem } from '../facts.js';
import type { KnowledgeRow } from './row.js';
import go from './go.js';
import maven from './maven.js';
import npm from './npm.js';
import nuget from './nuget.js';
import pypi from './pypi.js';

export type { KnowledgeRow } from './row.js';

const tables: Partial<Record<Ecosystem, () => readonly KnowledgeRow[]>> = {
  go: () => go,
  maven: () => maven,
  npm: () => npm,
  nuget: () => nuget,
  pypi: () => pypi,
};

interface Index {
  exact: Map<string, Capability[]>;
  prefixes: Array<[string, Capability[]]>;
}
const indexes = new Map<Ecosystem, Index>();

function index(ecosystem: Ecosystem): Index | null {
  let built = indexes.get(ecosystem);
  if (built) return built;
  const rows = tables[ecosystem]?.();
  if (!rows) return null;
  built = { exact: new Map(), prefixes: [] };
  for (const [name, ...capabilities] of rows) {
    if (name.endsWith('*')) built.prefixes.push([name.slice(0, -1), capabilities]);
    else built.exact.set(name, [...(built.exact.get(name) ?? []), ...capabilities]);
  }
  indexes.set(ecosystem, built);
  return built;
}

/** Capabilities a dependency gives (empty when the tables know nothing of it). Gradle uses the Maven table. */
export function capabilitiesOf(dependency: Pick<Dependency, 'ecosystem' | 'name'>): Capability[] {
  const ecosystem = dependency.ecosystem === 'gradle' ? 'maven' : dependency.ecosystem;
  const table = index(ecosystem);
  if (!table) return [];
  const out = [...(table.exact.get(dependency.name) ?? [])];
  for (const [prefix, capabilities] of table.prefixes) if (dependency.name.startsWith(prefix)) out.push(...capabilities);
  return out;
}
