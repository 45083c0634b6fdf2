/**
 * Mermaid flowchart: services as boxes, the gateway as a hexagon, databases as cylinders,
 * topics and queues as parallelograms; sync edges solid, async dashed, database use as plain links.
 */
import type { GraphRenderer } from '../types.js';
import { buildGraph, type GraphNode } from './json.js';

const PREFIX: Record<GraphNode['kind'], string> = { gateway: 'svc_', service: 'svc_', database: 'db_', channel: 'ch_' };

/**
 * A quoted label. Mermaid reads `#name;` and `#123;` as entity codes, so `#` itself is escaped
 * first; quotes, HTML, backticks (Markdown strings) and `|` (edge text) follow; line breaks become spaces.
 */
export function label(text: string): string {
  const escaped = text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\|/g, '#124;');
  return `"${escaped}"`;
}

function shape(node: GraphNode, id: string): string {
  switch (node.kind) {
    case 'gateway':
      return `${id}{{${label(/gateway/i.test(node.label) ? node.label : `${node.label} (gateway)`)}}}`;
    case 'database':
      return `${id}[(${label(node.label)})]`;
    case 'channel':
      return `${id}[/${label(node.label)}/]`;
    default:
      return `${id}[${label(node.label)}]`;
  }
}

const mermaid: GraphRenderer = (model, options) => {
  const graph = buildGraph(model, options);
  // Mermaid ids must be [A-Za-z0-9_]: sanitise, then number the collisions (in sorted order, so stable).
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of graph.nodes) {
    const name = node.kind === 'database' ? node.label.replace(/ \([^)]*\)$/, '') : node.name;
    const base = PREFIX[node.kind] + name.replace(/[^A-Za-z0-9]+/g, '_');
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(node.id, id);
  }
  const id = (graphId: string) => ids.get(graphId)!;

  const out = ['flowchart LR'];
  if (graph.nodes.length === 0) out.push('  %% no services found');
  for (const node of graph.nodes) out.push(`  ${shape(node, id(node.id))}`);
  for (const e of graph.edges) {
    const arrow = e.kind === 'sync' ? '-->' : e.kind === 'async' ? '-.->' : e.kind === 'route' ? '==>' : e.kind === 'saga' ? '--o' : '---';
    out.push(`  ${id(e.from)} ${arrow}${e.label === undefined ? '' : `|${label(e.label)}|`} ${id(e.to)}`);
  }

  const gateways = graph.nodes.filter((n) => n.kind === 'gateway').map((n) => id(n.id));
  const shared = graph.nodes.filter((n) => n.shared).map((n) => id(n.id));
  if (gateways.length > 0) out.push('  classDef gateway fill:#fff3bf,stroke:#f08c00,stroke-width:2px', `  class ${gateways.join(',')} gateway`);
  if (shared.length > 0) out.push('  classDef shared fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px', `  class ${shared.join(',')} shared`);
  return `${out.join('\n')}\n`;
};

export default mermaid;
