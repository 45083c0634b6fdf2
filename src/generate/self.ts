/** Facts about the running archkit package itself, and how a generated workspace gets its own copy of it. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { UsageError } from '../errors.js';

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

/** How a generated workspace depends on archkit (its `devDependencies.archkit`). */
export interface ArchkitDependency {
  /** The dependency spec: `^<version>`, or `file:tools/archkit-<version>.tgz`. */
  spec: string;
  /** With a `file:` spec: the packed copy of this archkit to write into the workspace at `path` (relative to it). */
  tarball?: { path: string; bytes: Uint8Array };
}

/**
 * Where this archkit comes from: `registry` when npm installed it from a
 * registry, as the hidden lockfile of the node_modules folder it is in says
 * (a project's); else `local`: a checkout (a clone, also when linked
 * globally with `npm link` or `npm install -g .`), a copy installed from a
 * tarball or a folder, or a global install (npm keeps no lockfile for those,
 * so where it came from is unknown). No registry could give a workspace
 * those copies again, and a packed copy always installs.
 */
export function archkitSource(root: string = PACKAGE_ROOT): 'registry' | 'local' {
  const parts = root.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return 'local';
  const modules = parts.slice(0, at + 1).join(path.sep);
  const key = parts.slice(at).join('/');
  try {
    const lock = JSON.parse(readFileSync(path.join(modules, '.package-lock.json'), 'utf8')) as { packages?: Record<string, { resolved?: string; link?: boolean }> };
    const entry = lock.packages?.[key];
    return entry !== undefined && entry.link !== true && /^https?:/.test(entry.resolved ?? '') ? 'registry' : 'local';
  } catch {
    return 'local';
  }
}

/**
 * How a new workspace depends on archkit. From a registry: `^<version>`.
 * Otherwise a packed copy of this archkit goes into the workspace
 * (`tools/archkit-<version>.tgz`, a `file:` dependency): a workspace never
 * links to, builds in or depends on the folder archkit runs from (a `file:`
 * folder dependency would run archkit's `prepare`, a rebuild, on every
 * `npm install` in the workspace), and a tarball dependency runs no scripts.
 */
export async function archkitDependency(): Promise<ArchkitDependency> {
  const version = archkitVersion();
  if (archkitSource() === 'registry') return { spec: `^${version}` };
  const file = `tools/archkit-${version}.tgz`;
  return { spec: `file:${file}`, tarball: { path: file, bytes: await packArchkit(PACKAGE_ROOT) } };
}

/** The folders and files npm packs for archkit (package.json `files`, plus what npm always includes). */
function packedFiles(root: string, pkg: { files?: string[] }): string[] {
  const walk = (rel: string): string[] => {
    const stat = statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!stat) return [];
    if (!stat.isDirectory()) return [rel];
    return readdirSync(path.join(root, rel))
      .sort()
      .flatMap((entry) => walk(path.posix.join(rel, entry)));
  };
  const always = readdirSync(root).filter((f) => f === 'package.json' || /^(readme|license|licence)(\..*)?$/i.test(f));
  return [...always.sort(), ...(pkg.files ?? []).flatMap(walk)];
}

/** Where packed copies are kept between runs (`$XDG_CACHE_HOME/archkit/packs`), or null without a home folder. */
function packCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : '');
  return base ? path.join(base, 'archkit', 'packs') : null;
}

/** Packed copies not used for this long are deleted by the next pack. */
const KEEP_UNUSED_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The bytes of `npm pack` of the archkit at `root`, without its scripts (no
 * `prepare`, no rebuild: the tarball holds the build that is there). Kept in
 * the user's cache folder under a key of the packed files' names, sizes and
 * modification times, so a run after a rebuild or a template edit packs
 * again and every other run reads the file.
 */
export async function packArchkit(root: string, cacheDir: string | null = packCacheDir()): Promise<Uint8Array> {
  if (!existsSync(path.join(root, 'dist', 'bin', 'main.cjs'))) {
    throw new UsageError(`archkit in ${root} is not built (no dist/), so it cannot be packed into the workspace`, `Run \`npm run build\` in ${root}, then run this command again.`);
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; files?: string[] };
  // node:crypto on use only (it costs start-up time); through require, as the CLI bundle allows no import() of built-ins.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256');
  for (const rel of packedFiles(root, pkg)) {
    const { size, mtimeMs } = statSync(path.join(root, rel));
    hash.update(`${rel}\0${size}\0${mtimeMs}\n`);
  }
  const name = `archkit-${pkg.version}-${hash.digest('hex').slice(0, 16)}.tgz`;
  const dir = cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'archkit-pack-'));
  const cachedFile = path.join(dir, name);
  try {
    if (existsSync(cachedFile)) {
      const now = new Date();
      utimesSync(cachedFile, now, now);
      return readFileSync(cachedFile);
    }
    mkdirSync(dir, { recursive: true });
    const work = mkdtempSync(path.join(dir, '.packing-'));
    try {
      const { execa } = await import('execa');
      const run = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, reject: false, stdin: 'ignore' });
      if (run.exitCode !== 0) throw new Error(`npm pack failed in ${root}: ${String(run.stderr).trim().split('\n').slice(-3).join(' ')}`);
      const [packed] = JSON.parse(String(run.stdout)) as Array<{ filename: string }>;
      // Renamed into place whole: runs packing at the same time each leave a complete file.
      renameSync(path.join(work, packed!.filename), cachedFile);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    for (const other of readdirSync(dir)) {
      const file = path.join(dir, other);
      // Copies unused for a week, and what packing killed half-way left.
      if (other !== name && Date.now() - statSync(file).mtimeMs > KEEP_UNUSED_MS) rmSync(file, { recursive: true, force: true });
    }
    return readFileSync(cachedFile);
  } finally {
    if (cacheDir === null) rmSync(dir, { recursive: true, force: true });
  }
}
