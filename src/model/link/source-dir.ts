/**
 * Where a deployment unit's code lives: from its build (context and
 * Dockerfile), or from its image name (built elsewhere in the repository by
 * Maven, Gradle, Jib, a CI script…).
 *
 * Build: the Dockerfile's folder when it holds code (`context: .` with
 * `dockerfile: Services/Basket/Basket.API/Dockerfile`, the .NET and Nest/Nx
 * monorepo layouts); else the most specific source folder the Dockerfile
 * names in its COPY/ADD sources or RUN arguments (`go build ./cmd/counter`,
 * `dotnet publish Services/Ordering/Ordering.API`); else the context.
 *
 * Image: the last path segment of the image name without its tag, matched
 * against the base names of folders holding a build manifest or Dockerfile
 * and the names of build units, trying the whole name first, then each
 * suffix after a `-`, `_` or `.` (`ghcr.io/acme/shop-storefront-bff` →
 * `shop-storefront-bff`, `storefront-bff`, `bff`). A name that matches
 * several folders equally is ambiguous and links nothing.
 */
import { baseOf, dirOf, type RepoIndex } from './repo-index.js';

/** Joins a relative path onto a folder and normalises it; null when it leaves the root or is absolute. */
export function joinRel(dir: string, ref: string): string | null {
  if (ref.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(ref)) return null;
  const parts = dir === '.' ? [] : dir.split('/');
  for (const part of ref.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** The name a Dockerfile's file name carries: `Dockerfile-counter`, `counter.Dockerfile`, `Dockerfile.api` → counter / counter / api. */
export function dockerfileHint(file: string): string | null {
  const base = baseOf(file).toLowerCase();
  const prefixed = /^(?:dockerfile|containerfile)[.-](.+)$/.exec(base);
  if (prefixed) return prefixed[1]!;
  const suffixed = /^(.+)\.(?:dockerfile|containerfile)$/.exec(base);
  return suffixed ? suffixed[1]! : null;
}

function holdsCode(dir: string, index: RepoIndex): boolean {
  return index.manifestDirs.has(dir) || index.sourceDirs.has(dir) || index.hasSourceBelow(dir);
}

export interface BuildLink {
  context: string;
  dockerfile: string | null;
}

/** The Dockerfile a build uses: the one it names, else the context's own `Dockerfile`. */
export function buildDockerfile(build: BuildLink, index: RepoIndex): string | null {
  return build.dockerfile ?? index.dockerfiles.get(build.context)?.find((f) => /^(dockerfile|containerfile)$/i.test(baseOf(f))) ?? null;
}

/**
 * The source folder of a build. `paths(dockerfile)` gives the paths the Dockerfile names (COPY/ADD sources,
 * path-like RUN arguments), as written; `hints` are names that identify the unit (compose key, image name).
 */
export function sourceDirOfBuild(build: BuildLink, hints: readonly string[], index: RepoIndex, paths: (dockerfile: string) => readonly string[]): string {
  const { context } = build;
  const dockerfile = buildDockerfile(build, index);
  const dfDir = dockerfile ? dirOf(dockerfile) : context;
  if (dfDir !== context && holdsCode(dfDir, index)) return dfDir;
  const wanted = new Set([...hints, ...(dockerfile ? [dockerfileHint(dockerfile)] : [])].filter((h): h is string => !!h).map((h) => h.toLowerCase()));
  const candidates: string[] = [];
  // A context that is itself a build unit is the unit, unless a build command names another (`go build ./cmd/x`,
  // `dotnet publish X/X.csproj`): COPY of its own `src` folder does not make `src` the service.
  const contextIsUnit = index.manifestDirs.has(context);
  for (const tagged of dockerfile ? paths(dockerfile) : []) {
    const fromRun = tagged.startsWith('run:');
    const raw = fromRun ? tagged.slice(4) : tagged;
    const resolved = joinRel(context, raw.replace(/\/\*+$/, ''));
    if (resolved === null || resolved === context) continue;
    const dir = index.dirs.has(resolved) ? resolved : index.dirs.has(dirOf(resolved)) && /\.[a-z]+$/i.test(resolved) ? dirOf(resolved) : null;
    if (dir === null || dir === context || (context !== '.' && !dir.startsWith(`${context}/`)) || !holdsCode(dir, index) || candidates.includes(dir)) continue;
    if (contextIsUnit && !fromRun && !index.manifestDirs.has(dir)) continue;
    candidates.push(dir);
  }
  if (candidates.length > 0) {
    const score = (dir: string) => (wanted.has(baseOf(dir).toLowerCase()) ? 1000 : 0) + dir.split('/').length;
    return [...candidates].sort((a, b) => score(b) - score(a))[0]!;
  }
  return holdsCode(context, index) || dfDir === context ? context : dfDir;
}

/** The image name's last segment without registry, tag or digest, lower case. */
export function imageBase(image: string): string {
  return image.split('@')[0]!.replace(/:[^/:]*$/, '').split('/').pop()!.toLowerCase();
}

/** The repository part of an image (registry and path without the tag), lower case: `ghcr.io/acme/shop-api`. */
export function imageRepository(image: string): string {
  return image.split('@')[0]!.replace(/:[^/:]*$/, '').toLowerCase();
}

function insideClaimed(dir: string, claimed: ReadonlySet<string>): boolean {
  for (let i = dir.lastIndexOf('/'); i > 0; i = dir.lastIndexOf('/', i - 1)) if (claimed.has(dir.slice(0, i))) return true;
  return false;
}

/** The folder of code a command's paths name, trying each path without its leading segments (`local/repo/cmd/proxy` → `cmd/proxy`). */
export function sourceDirOfPaths(paths: readonly string[], index: RepoIndex): string | null {
  for (const raw of paths) {
    const parts = raw.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(i).join('/');
      if (index.dirs.has(dir) && holdsCode(dir, index)) return dir;
    }
  }
  return null;
}

/** The source folder an image name points at, or null (no match, or an ambiguous one). */
export function sourceDirOfImage(image: string, index: RepoIndex, claimed: ReadonlySet<string> = new Set()): string | null {
  const name = imageBase(image);
  if (name === '' || name.includes('${')) return null;
  const tries = [name];
  for (let i = 0; i < name.length; i++) if ('-_.'.includes(name[i]!)) tries.push(name.slice(i + 1));
  for (const key of tries) {
    if (key.length < 2) continue;
    // A folder inside another service's folder is part of that service (`WebSPA/Client` is not `webhooks.client`).
    const dirs = (index.byBaseName.get(key) ?? []).filter((d) => holdsCode(d, index) && !insideClaimed(d, claimed));
    if (dirs.length === 1) return dirs[0]!;
    if (dirs.length > 1) {
      // Several folders of that name: an unclaimed one that builds an image, then one with a manifest, then the
      // shallowest; still a tie is ambiguous.
      const free = dirs.filter((d) => !claimed.has(d));
      const score = (d: string) => (index.dockerfiles.has(d) ? 2 : 0) + (index.manifestDirs.has(d) ? 1 : 0);
      const best = Math.max(...free.map(score));
      const top = free.filter((d) => score(d) === best);
      if (top.length === 1) return top[0]!;
      const depth = (d: string) => d.split('/').length;
      const shallow = Math.min(...top.map(depth));
      const shallowest = top.filter((d) => depth(d) === shallow);
      return shallowest.length === 1 ? shallowest[0]! : null;
    }
  }
  return null;
}
