/** Where JVM build files and sources sit: test folders say nothing about what runs. */

/** Folders whose content never runs in the service: test source sets and build output. */
const OUTPUT = new Set(['target', 'build', 'node_modules', '.gradle', '.mvn']);

/**
 * Whether a path lies in a test source set (`src/test/…`, `src/it/…`, `src/integrationTest/…`, `src/testFixtures/…`)
 * or in build output: declarations and calls there never run in the deployed service.
 */
export function isJvmTestOrOutput(path: string): boolean {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    if (OUTPUT.has(segment)) return true;
    if (segment === 'src' && i + 1 < segments.length - 1) {
      const set = segments[i + 1]!.toLowerCase();
      if (set === 'it' || set.includes('test')) return true;
    }
  }
  return false;
}

/** The folder of a repository path ('.' for a file at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/** Joins a folder ('.' for the root) and a relative path with `..` segments; null when it leaves the root. */
export function joinPath(dir: string, relative: string): string | null {
  const out = dir === '.' ? [] : dir.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out.length === 0 ? '.' : out.join('/');
}
