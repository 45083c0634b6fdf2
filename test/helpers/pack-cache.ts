/**
 * vitest globalSetup (unit project): packs this archkit once before the test files run, so the `arch init` runs of
 * many files in parallel find the packed copy in the cache instead of each running `npm pack` at the same time.
 * Without a build (no dist/), nothing is packed here, and the tests that need it say so.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, packArchkit } from '../../src/generate/self.js';

export default async function setup(): Promise<void> {
  if (existsSync(path.join(PACKAGE_ROOT, 'dist', 'bin', 'main.cjs'))) await packArchkit(PACKAGE_ROOT);
}
