/**
 * Which deployment units run a configuration file that does not say so itself (an nginx.conf, an envoy.yaml,
 * a Traefik dynamic file: GatewayDecl.runsIn null). A unit runs it when it bind-mounts the file or a folder
 * holding it (compose `volumes`, relative to the root), or copies it into its image (Dockerfile COPY/ADD sources,
 * resolved against the build context, relative to the root). Pure: the caller gathers the paths.
 */

export interface ConfigHostCandidate {
  name: string;
  /** Repository paths bind-mounted into the unit (files or folders). */
  mounts?: readonly string[];
  /** Repository paths its image copies in (files or folders; `.` of a context is that folder). */
  copies?: readonly string[];
}

const clean = (path: string): string => (path === '.' || path === './' ? '' : path.replace(/^\.\//, '').replace(/\/+$/, ''));

/** How specific a source is for `file`: the source's length when it is the file or a folder above it, else -1. */
function cover(source: string, file: string): number {
  const s = clean(source);
  if (s === '') return 0;
  return s === file || file.startsWith(`${s}/`) ? s.length : -1;
}

/**
 * The units that run `file` (relative to the root), the most specific first: a unit that mounts or copies the
 * file itself comes before one that mounts or copies a folder above it (a whole build context last).
 */
export function configHosts(file: string, units: readonly ConfigHostCandidate[]): string[] {
  const target = clean(file);
  const scored: Array<[string, number]> = [];
  for (const unit of units) {
    let best = -1;
    for (const source of [...(unit.mounts ?? []), ...(unit.copies ?? [])]) best = Math.max(best, cover(source, target));
    if (best >= 0) scored.push([unit.name, best]);
  }
  return scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name]) => name);
}
