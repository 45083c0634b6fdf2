/**
 * What the link step knows about the repository's folders without reading
 * more files: which folders hold build manifests, source code, Dockerfiles,
 * and which build units the manifests declare. Built once from the file list
 * and the extracted facts; every lookup is a map access.
 */
import type { BuildUnit } from '../facts.js';

const MANIFESTS = new Set(['pom.xml', 'build.gradle', 'build.gradle.kts', 'go.mod', 'package.json', 'pyproject.toml', 'requirements.txt', 'setup.py', 'pipfile', 'cargo.toml', 'gemfile', 'composer.json', 'mix.exs', 'cmakelists.txt', 'meson.build', 'rebar.config', 'package.swift', 'pubspec.yaml']);
const MANIFEST_EXTENSIONS = ['.csproj', '.fsproj', '.vbproj'];
// Code of languages no extractor reads still makes a folder first-party code (a C++ service is not an image over a
// third-party one); their facts are unknown, and verdicts that need them say so.
const SOURCE_EXTENSIONS = new Set([
  ...['.java', '.kt', '.scala', '.go', '.cs', '.fs', '.py', '.rb', '.php', '.rs', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.ex', '.exs'],
  ...['.c', '.cc', '.cpp', '.cxx', '.hpp', '.swift', '.dart', '.erl', '.clj', '.hs', '.ml', '.lua', '.zig'],
]);

export interface RepoIndex {
  /** Every folder that holds a listed file, and each of its ancestors ('.' is the root). */
  dirs: ReadonlySet<string>;
  /** Folders holding a build manifest (pom.xml, go.mod, *.csproj, package.json, …). */
  manifestDirs: ReadonlySet<string>;
  /** Folders holding source files, directly. */
  sourceDirs: ReadonlySet<string>;
  /** Folders below which (at any depth) there is source code. */
  hasSourceBelow(dir: string): boolean;
  /** Dockerfiles by folder (a folder may hold several: Dockerfile, Dockerfile.dev, api.Dockerfile). */
  dockerfiles: ReadonlyMap<string, string[]>;
  /** Build units by folder. */
  units: ReadonlyMap<string, BuildUnit>;
  /** Folders by lower-cased base name, and build units by lower-cased name (for image → folder matching). */
  byBaseName: ReadonlyMap<string, string[]>;
}

/** Whether a file tells the index something (a build manifest or a source file), whatever extractor reads it. */
export function indexedFile(path: string): boolean {
  const lower = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = lower.lastIndexOf('.');
  const ext = dot > 0 ? lower.slice(dot) : '';
  return MANIFESTS.has(lower) || MANIFEST_EXTENSIONS.includes(ext) || SOURCE_EXTENSIONS.has(ext);
}

export const dirOf = (file: string): string => {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash);
};
export const baseOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

const isDockerfile = (lower: string): boolean =>
  /^(dockerfile|containerfile)([.-].*)?$/.test(lower) || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile');

export function buildRepoIndex(files: Iterable<string>, units: Iterable<BuildUnit>): RepoIndex {
  const dirs = new Set<string>(['.']);
  const manifestDirs = new Set<string>();
  const sourceDirs = new Set<string>();
  const below = new Set<string>();
  const dockerfiles = new Map<string, string[]>();
  const addAncestors = (dir: string, into: Set<string>) => {
    for (let d = dir; !into.has(d); d = dirOf(d)) {
      into.add(d);
      if (d === '.') break;
    }
  };
  for (const file of files) {
    const dir = dirOf(file);
    addAncestors(dir, dirs);
    const lower = baseOf(file).toLowerCase();
    const dot = lower.lastIndexOf('.');
    const ext = dot > 0 ? lower.slice(dot) : '';
    if (MANIFESTS.has(lower) || MANIFEST_EXTENSIONS.includes(ext)) manifestDirs.add(dir);
    if (SOURCE_EXTENSIONS.has(ext) && !/\.d\.[mc]?ts$/.test(lower)) {
      sourceDirs.add(dir);
      addAncestors(dir, below);
    }
    if (isDockerfile(lower)) {
      const list = dockerfiles.get(dir) ?? [];
      list.push(file);
      dockerfiles.set(dir, list);
    }
  }
  const unitMap = new Map<string, BuildUnit>();
  for (const unit of units) if (!unitMap.has(unit.dir)) unitMap.set(unit.dir, unit);
  const byBaseName = new Map<string, string[]>();
  const index = (key: string, dir: string) => {
    const list = byBaseName.get(key) ?? [];
    if (!list.includes(dir)) list.push(dir);
    byBaseName.set(key, list);
  };
  for (const dir of new Set([...manifestDirs, ...dockerfiles.keys()])) {
    if (dir !== '.') index(baseOf(dir).toLowerCase(), dir);
    const unit = unitMap.get(dir);
    if (unit?.name) index(unit.name.toLowerCase().split(':').pop()!.split('/').pop()!, dir);
  }
  return {
    dirs,
    manifestDirs,
    sourceDirs,
    hasSourceBelow: (dir) => below.has(dir),
    dockerfiles,
    units: unitMap,
    byBaseName,
  };
}
