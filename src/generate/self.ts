/** Facts about the running archkit package itself. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

function findPackageRoot(): string {
  // Walk up from this module: the same code runs from src/, dist/ and the bundle in dist/bin/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'archkit') return dir;
    } catch {
      /* keep walking */
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the archkit package root');
    dir = parent;
  }
}

/** The archkit package folder. */
export const PACKAGE_ROOT = findPackageRoot();

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
  return fromRegistry ? `^${archkitVersion()}` : `file:${PACKAGE_ROOT}`;
}
