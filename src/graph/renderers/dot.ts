/**
 * Graphviz DOT: services as boxes, the gateway as a hexagon, databases as cylinders, topics and
 * queues as parallelograms; sync edges solid, async dashed, database use without an arrowhead,
 * a gateway's routes bold, a saga's steps dotted (numbered).
 */
import type { GraphRenderer } from '../types.js';
import { buildGraph, type GraphNode } from './json.js';

/** A DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`, other control characters dropped. */
export function quote(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return `"${escaped}"`;
}

function attributes(node: GraphNode): string {
  const attrs: string[] = [`label=${quote(node.label)}`];
  switch (node.kind) {
    case 'gateway':
      attrs.push('shape=hexagon', 'style=filled', 'fillcolor="#fff3bf"');
      break;
    case 'database':
      attrs.push('shape=cylinder');
      if (node.shared) attrs.push('color="#c92a2a"', 'penwidth=2');
      break;
    case 'channel':
      attrs.push('shape=parallelogram');
      break;
    default:
      attrs.push('shape=box');
  }
  return attrs.join(', ');
}

const dot: GraphRenderer = (model, options) => {
  const graph = buildGraph(model, options);
  const out = ['digraph architecture {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  for (const node of graph.nodes) out.push(`  ${quote(node.id)} [${attributes(node)}];`);
  for (const e of graph.edges) {
    const attrs: string[] = [];
    if (e.kind === 'async') attrs.push('style=dashed');
    if (e.kind === 'data') attrs.push('arrowhead=none');
    if (e.kind === 'route') attrs.push('style=bold', 'color="#f08c00"');
    if (e.kind === 'saga') attrs.push('style=dotted', 'color="#7048e8"', 'arrowhead=odot');
    if (e.label !== undefined) attrs.push(`label=${quote(e.label)}`);
    out.push(`  ${quote(e.from)} -> ${quote(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
};

export default dot;
