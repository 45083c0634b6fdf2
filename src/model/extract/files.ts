/**
 * File discovery for the scanner: one walk of the repository that honours
 * `.gitignore` files (the root's, nested ones and `.git/info/exclude`, with
 * git's precedence: the deepest file that has an opinion decides) and the
 * `ignore` globs of arch.config.json, never enters node_modules, .git, build
 * output or virtualenvs, and classifies what the extractors read.
 *
 * Speed: one `readdirSync(withFileTypes)` per folder, no `stat` for files
 * and no file opened but the `.gitignore` files: the size cap, the binary
 * sniff and the file type are checked by the reader (read.ts) when an
 * extractor reads the file.
 *
 * Symbolic links: a linked file is classified like any other when its real
 * path is a regular file inside the repository (a link out is reported). A
 * linked folder is followed once the plain walk is done, unless its real
 * path was already walked (a link to an ancestor is a loop and is reported; a
 * link to a folder scanned under its own name is skipped silently) or lies
 * outside the repository (reported, never followed).
 *
 * Every skipped file or folder (unreadable, symlink loop, link out) is a
 * Diagnostic in `skipped`; nothing here throws for a bad file or folder.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { createReader, fsReason as reason, SKIP, type RepoReader } from '../read.js';
import type { Diagnostic } from '../types.js';

export interface RepoFiles {
  /** compose*.y(a)ml and docker-compose*.y(a)ml, relative paths, sorted. */
  compose: string[];
  /** Other .yaml/.yml files (Kubernetes manifest candidates). */
  yaml: string[];
  /** Dockerfile, Dockerfile.*, *.Dockerfile (and Containerfile). */
  dockerfiles: string[];
  /** package.json files. */
  packageJson: string[];
  /** .env files (.env, .env.*, *.env), for compose interpolation. */
  env: string[];
  /** JavaScript/TypeScript sources (.ts .tsx .mts .cts .js .jsx .mjs .cjs, not .d.ts, not minified bundles). */
  source: string[];
  /** Files and folders skipped with a reason (unreadable, symlink loop, link out of the repository), `.gitignore` files the reader refused. */
  skipped: Diagnostic[];
  /** Other files that an extractor of the registry accepts (ListOptions.accept): manifests, configuration, source of other languages. */
  other: string[];
}

export interface ListOptions {
  /** Extra ignore globs (arch.config.json `ignore`), matched against relative paths. */
  ignore?: readonly string[];
  /** Reads the `.gitignore` files (default: a reader of `root`); what it refuses is in its diagnostics, and in `skipped`. */
  reader?: RepoReader;
  /** Whether an extractor of the registry reads a file the fixed kinds do not cover (its path relative to the root). */
  accept?: (rel: string) => boolean;
}

/** Folders never scanned: VCS data, dependencies, build output, virtualenvs. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'node_modules', 'dist', 'coverage', 'vendor', '.venv', 'target']);

export type FileKind = Exclude<keyof RepoFiles, 'skipped' | 'other'>;

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
/** YAML files that are never manifests (lock files can be megabytes). */
const NOT_MANIFESTS = new Set(['pnpm-lock.yaml']);

/** What an extractor makes of a file, by its name alone; null when no extractor reads it. */
export function classifyFile(name: string): FileKind | null {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  const ext = dot === -1 ? '' : lower.slice(dot);
  if (ext === '.yaml' || ext === '.yml') {
    if (/^(docker-)?compose([._-].*)?\.ya?ml$/.test(lower)) return 'compose';
    return NOT_MANIFESTS.has(lower) ? null : 'yaml';
  }
  if (SOURCE_EXTENSIONS.has(ext)) {
    if (/\.d\.[mc]?ts$/.test(lower) || /[.-]min\.[mc]?js$/.test(lower)) return null;
    return 'source';
  }
  if (lower === 'package.json') return 'packageJson';
  if (lower === '.env' || lower.startsWith('.env.') || (ext === '.env' && dot > 0)) return 'env';
  if (/^(dockerfile|containerfile)(\..+)?$/.test(lower) || ext === '.dockerfile' || ext === '.containerfile') {
    return ext === '.dockerignore' ? null : 'dockerfiles';
  }
  return null;
}

/** .gitignore rules of one folder, chained to those of its parents. */
interface IgnoreLayer {
  /** Folder the rules belong to, relative to the root ('' for the root). */
  base: string;
  rules: Ignore;
  parent: IgnoreLayer | null;
}

interface Frame {
  rel: string;
  abs: string;
  /** Real path of the folder (no symbolic links in it). */
  real: string;
  layer: IgnoreLayer | null;
}

interface PendingLink {
  rel: string;
  abs: string;
  parent: Frame;
}

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? 'error';

/** Lists and classifies the files of `root` that the extractors read. Never throws for a bad file or folder. */
export function listFiles(root: string, options: ListOptions = {}): RepoFiles {
  const out: RepoFiles = { compose: [], yaml: [], dockerfiles: [], packageJson: [], env: [], source: [], skipped: [], other: [] };
  const accept = options.accept;
  const reader = options.reader ?? createReader(root);
  const readerDiagnostics = reader.diagnostics.length;
  const globs = (options.ignore ?? []).filter((g) => typeof g === 'string' && g.trim() !== '');
  const userIgnored = globs.length > 0 ? picomatch(globs as string[], { dot: true }) : null;
  const skip = (file: string, message: string) => out.skipped.push({ file, message });

  const absRoot = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = realpathSync(absRoot);
  } catch (error) {
    skip('.', `skipped folder: cannot read it: ${reason(error)}`);
    return out;
  }
  const visited = new Set<string>([realRoot]);
  const pending: PendingLink[] = [];

  let rootLayer: IgnoreLayer | null = null;
  const exclude = reader.read('.git/info/exclude');
  if (exclude !== null) rootLayer = { base: '', rules: ignore({ ignorecase: false }).add(exclude), parent: null };

  const ignored = (layer: IgnoreLayer | null, rel: string, isDir: boolean): boolean =>
    gitIgnored(layer, rel, isDir) || (userIgnored !== null && (userIgnored(rel) || (isDir && userIgnored(`${rel}/`))));

  /** The deepest .gitignore with an opinion on `rel` decides (git's precedence). */
  const gitIgnored = (layer: IgnoreLayer | null, rel: string, isDir: boolean): boolean => {
    for (let l = layer; l; l = l.parent) {
      const sub = l.base === '' ? rel : rel.slice(l.base.length + 1);
      let result;
      try {
        result = l.rules.test(isDir ? `${sub}/` : sub);
      } catch {
        continue; // a name `ignore` cannot test (never the case for walked paths)
      }
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  };


  const walk = (start: Frame) => {
    const stack: Frame[] = [start];
    while (stack.length > 0) {
      const frame = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(frame.abs, { withFileTypes: true });
      } catch (error) {
        skip(frame.rel || '.', `skipped folder: cannot read it: ${reason(error)}`);
        continue;
      }
      let layer = frame.layer;
      if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
        const text = reader.read(`${frame.rel === '' ? '' : `${frame.rel}/`}.gitignore`);
        if (text !== null) layer = { base: frame.rel, rules: ignore({ ignorecase: false }).add(text), parent: layer };
      }
      const prefix = frame.rel === '' ? '' : `${frame.rel}/`;
      for (const entry of entries) {
        const name = entry.name;
        const rel = prefix + name;
        let type: Pick<Dirent, 'isDirectory' | 'isSymbolicLink' | 'isFile'> = entry;
        if (!entry.isDirectory() && !entry.isFile() && !entry.isSymbolicLink()) {
          // File systems that do not report entry types: ask once (sockets, FIFOs and devices end up ignored).
          try {
            type = lstatSync(`${frame.abs}${path.sep}${name}`);
          } catch {
            continue;
          }
        }
        if (type.isDirectory()) {
          if (SKIPPED_DIRS.has(name) || ignored(layer, rel, true)) continue;
          const real = `${frame.real}${path.sep}${name}`;
          visited.add(real);
          stack.push({ rel, abs: `${frame.abs}${path.sep}${name}`, real, layer });
        } else if (type.isSymbolicLink()) {
          if (SKIPPED_DIRS.has(name) || ignored(layer, rel, false)) continue;
          pending.push({ rel, abs: `${frame.abs}${path.sep}${name}`, parent: { ...frame, layer } });
        } else if (type.isFile()) {
          const kind = classifyFile(name);
          if (kind === null) {
            if (accept?.(rel) && !ignored(layer, rel, false)) out.other.push(rel);
            continue;
          }
          if (ignored(layer, rel, false)) continue;
          out[kind].push(rel);
        }
      }
    }
  };

  walk({ rel: '', abs: absRoot, real: realRoot, layer: rootLayer });

  // Symbolic links, once every real folder has been seen, so that a link never hides the folder it points to.
  for (let k = 0; k < pending.length; k += 1) {
    const link = pending[k]!;
    let real: string;
    let isDir: boolean;
    let isFile: boolean;
    try {
      real = realpathSync(link.abs);
      const stats = statSync(real);
      isDir = stats.isDirectory();
      isFile = stats.isFile();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP') skip(link.rel, SKIP.loop);
      else if (code !== 'ENOENT' && classifyFile(path.posix.basename(link.rel)) !== null) skip(link.rel, `skipped: cannot follow the symbolic link: ${reason(error)}`);
      continue; // a dangling link is nothing to scan
    }
    const inside = real === realRoot || real.startsWith(realRoot + path.sep);
    if (!isDir) {
      if (!isFile) continue; // a FIFO, socket or device: opening it could block
      const kind = classifyFile(path.posix.basename(link.rel));
      const wanted = kind !== null || (accept?.(link.rel) ?? false);
      if (!wanted) continue;
      if (!inside) skip(link.rel, SKIP.outsideFile);
      else if (kind === null) out.other.push(link.rel);
      else out[kind].push(link.rel);
      continue;
    }
    if (ignored(link.parent.layer, link.rel, true)) continue;
    if (!inside) {
      skip(link.rel, 'skipped: symbolic link to a folder outside the repository');
      continue;
    }
    if (visited.has(real)) {
      const parentReal = link.parent.real;
      if (parentReal === real || parentReal.startsWith(real + path.sep)) {
        const target = path.relative(realRoot, real).split(path.sep).join('/') || '.';
        skip(link.rel, `skipped: symbolic link loop (points to its ancestor folder ${target})`);
      }
      continue; // already scanned under its own name
    }
    visited.add(real);
    walk({ rel: link.rel, abs: link.abs, real, layer: link.parent.layer });
  }

  // Refusals of the reader while reading .gitignore files (a FIFO, a link out) are skips too.
  for (let k = readerDiagnostics; k < reader.diagnostics.length; k += 1) out.skipped.push(reader.diagnostics[k]!);
  for (const kind of ['compose', 'yaml', 'dockerfiles', 'packageJson', 'env', 'source', 'other'] as const) out[kind].sort(byPath);
  out.skipped.sort((a, b) => byPath(a.file, b.file) || byPath(a.message, b.message));
  return out;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

