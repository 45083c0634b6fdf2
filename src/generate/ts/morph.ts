/**
 * ts-morph, loaded for the commands that edit TypeScript: with `require`
 * (it is CommonJS; an ESM `import` would first run Node's CommonJS export
 * scanner over it), and with the TypeScript compiler bundled inside it
 * compiled from a V8 code cache (see util/code-cache.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node as MorphNode } from 'ts-morph';
import { requireWithCodeCache } from '../../util/code-cache.js';

export const morph = requireWithCodeCache<typeof import('ts-morph')>(import.meta.url, 'ts-morph', (require) => {
  const main = require.resolve('ts-morph');
  const common = createRequire(main).resolve('@ts-morph/common');
  return [main, common, path.join(path.dirname(common), 'typescript.js')];
});
export const Node = morph.Node;
export type Node = MorphNode;
