import type { Capability } from '../facts.js';

/** One knowledge table row: a dependency name (exact) or a prefix ending in `*`, and what it gives. */
export type KnowledgeRow = readonly [name: string, ...capabilities: Capability[]];
