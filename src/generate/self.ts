/** Facts about the running archkit package itself. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The archkit package folder (same depth from `src/generate` and `dist/generate`). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let cached: string | undefined;

export function archkitVersion(): string {
  cached ??= (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}

/**
 * How a generated workspace depends on archkit: the published version when
 * archkit runs from an installed package, or a `file:` link to the checkout
 * when it runs from a clone (archkit from a clone is not on the registry).
 */
export function archkitDependencySpec(): string {
  const fromRegistry = PACKAGE_ROOT.split(path.sep).includes('node_modules');
  return fromRegistry ? `^${archkitVersion()}` : `file:${PACKAGE_ROOT.replace(/[\\/]+$/, '')}`;
}
