/** What a service gets for running on a developer's machine (`npm run dev`, `arch dev`), next to other projects' services. */
import type { Tree } from './tree.js';

/** PostgreSQL truncates identifiers to 63 bytes. */
const MAX_IDENTIFIER = 63;

const snake = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The database a service uses on the local PostgreSQL: named after the
 * workspace and the service (`shop_orders`), so that another project's
 * `orders` database is never taken for this one. A standalone service keeps
 * its own name.
 */
export function localDatabaseName(workspace: string | null, service: string): string {
  const name = [workspace === null ? '' : snake(workspace), snake(service)].filter((part) => part !== '').join('_');
  return name.slice(0, MAX_IDENTIFIER).replace(/_+$/, '');
}

/** The workspace's package name (root package.json), or null when there is none. */
export function workspaceName(tree: Pick<Tree, 'read'>): string | null {
  try {
    const name = (JSON.parse(tree.read('package.json') ?? '{}') as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : null;
  } catch {
    return null;
  }
}
