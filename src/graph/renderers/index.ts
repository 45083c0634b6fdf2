/** Graph renderer registry: name → lazy import. */
import type { GraphRenderer } from '../types.js';

const load = (p: Promise<{ default: GraphRenderer }>) => p.then((m) => m.default);

export const renderers = {
  mermaid: () => load(import('./mermaid.js')),
  dot: () => load(import('./dot.js')),
  json: () => load(import('./json.js')),
} as const;

export type RendererName = keyof typeof renderers;
export const RENDERER_NAMES = Object.keys(renderers) as RendererName[];
