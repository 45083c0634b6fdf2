/**
 * The one way the scanner reads a repository's files. The repository is
 * untrusted input (`arch check` runs on pull requests), so every read:
 *
 * - stays inside the root: the path is normalised, and its real path (every
 *   symbolic link resolved) must lie inside the root's real path;
 * - opens only regular files: the type is checked before the file is opened
 *   (a FIFO would block, `/dev/zero` never ends, some devices act on open),
 *   and the file is opened with O_NONBLOCK and O_NOFOLLOW, then checked again;
 * - applies the size cap (1 MiB by default) and the binary sniff (a NUL byte
 *   in the first 8 KB);
 * - turns anything else into a Diagnostic, one per file and cause, which
 *   `arch check` reports as a finding. Nothing here throws for a bad file.
 *
 * A missing file is not a diagnostic: extractors ask for many optional files
 * (`.env`, a folder's package.json) and decide themselves whether absence
 * matters.
 *
 * @example
 *   const reader = createReader('/repo');
 *   const env = reader.resolve('compose.yaml', '.', '../../etc/passwd'); // null, and a diagnostic on compose.yaml
 *   const text = reader.read('services/api/package.json'); // string, or null
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from './types.js';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** Bytes at the start of a file searched for a NUL byte (the binary sniff). */
const SNIFF_BYTES = 8192;

export interface RepoReader {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** Text of a regular file inside the root, or null (and one diagnostic for that file and cause). rel: forward slashes, relative to root. */
  read(rel: string): string | null;
  /**
   * Resolves a path a repository file refers to (`env_file:`, `include:`, `extends.file`, a Dockerfile path, a values
   * file) relative to `fromDir` (a folder relative to root). Returns the normalised relative path, or null with a
   * diagnostic on `fromFile` when it leaves the root (`..` past the root, absolute paths, symlinks out).
   */
  resolve(fromFile: string, fromDir: string, ref: string): string | null;
  /** Whether a regular file exists inside the root (no read). */
  isFile(rel: string): boolean;
  /** Adds a diagnostic unless one for the same file and cause (message) is there already. */
  report(diagnostic: Diagnostic): void;
  /** Everything refused or reported so far, one per file and cause, in the order found. */
  readonly diagnostics: Diagnostic[];
}

/** Messages shared with the file walk (files.ts), so that the same cause found twice is reported once. */
export const SKIP = {
  outsideFile: 'skipped: symbolic link to a file outside the repository',
  loop: 'skipped: symbolic link loop (the link resolves to itself)',
  binary: 'skipped: binary file (NUL byte in its first 8 KB)',
} as const;

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? 'error';

/** A short reason for a failed file system call. */
export function fsReason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not found';
  return `${code}: ${(error as Error)?.message ?? String(error)}`;
}

/** `1 MiB`, `8 KiB`, `200 bytes`. */
export function sizeLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function typeName(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** Normalises a root-relative path; null when it is absolute or climbs out of the root. */
function normalise(rel: string): string | null {
  if (rel.includes('\0')) return null;
  const posix = rel.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[A-Za-z]:/.test(posix)) return null;
  const normal = path.posix.normalize(posix).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return null;
  return normal === '' ? '.' : normal;
}

/** Characters of file text a reader keeps for reads of the same file (about 64 MB of memory at most). */
const TEXT_CACHE_CHARS = 32 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export function createReader(root: string, options: { maxFileSize?: number } = {}): RepoReader {
  const absRoot = path.resolve(root);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let realRoot: string;
  try {
    realRoot = realpathSync.native(absRoot);
  } catch {
    realRoot = absRoot;
  }
  const inside = (real: string): boolean => real === realRoot || real.startsWith(realRoot + path.sep) || (realRoot === path.sep && real.startsWith(path.sep));

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (diagnostic: Diagnostic): void => {
    const key = `${diagnostic.file}\0${diagnostic.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(diagnostic);
  };

  /** The real path of `rel` and its stats; null (reported when it matters) when it cannot be used. */
  const locate = (rel: string, quiet: boolean): { real: string; stats: Stats; normal: string } | null => {
    const normal = normalise(rel);
    if (normal === null) {
      if (!quiet) report({ file: rel, message: 'skipped: the path leaves the repository' });
      return null;
    }
    // The common case in one system call: the folder's real path (once per folder) and an lstat of the entry, which
    // is the file itself unless it is a link; links, and folders that cannot be resolved, take the full path.
    const realDir = realFolder(path.posix.dirname(normal));
    if (realDir !== null) {
      const candidate = normal === '.' ? realRoot : path.join(realDir, path.posix.basename(normal));
      let own: Stats | null = null;
      try {
        own = lstatSync(candidate);
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      }
      if (own !== null && !own.isSymbolicLink()) return inside(candidate) ? { real: candidate, stats: own, normal } : null;
    }
    let real: string;
    try {
      real = realpathSync.native(path.join(absRoot, normal));
    } catch (error) {
      const code = errorCode(error);
      if (!quiet && code === 'ELOOP') report({ file: normal, message: SKIP.loop });
      else if (!quiet && code !== 'ENOENT' && code !== 'ENOTDIR') report({ file: normal, message: `skipped: cannot read the file: ${fsReason(error)}` });
      return null;
    }
    if (!inside(real)) {
      if (!quiet) report({ file: normal, message: SKIP.outsideFile });
      return null;
    }
    let stats: Stats;
    try {
      stats = statSync(real);
    } catch (error) {
      if (!quiet && errorCode(error) !== 'ENOENT') report({ file: normal, message: `skipped: cannot read the file: ${fsReason(error)}` });
      return null;
    }
    return { real, stats, normal };
  };

  /** Real paths of folders (root-relative), resolved once each; null when a folder cannot be resolved inside the root. */
  const folders = new Map<string, string | null>([['.', realRoot]]);
  const realFolder = (dir: string): string | null => {
    let real = folders.get(dir);
    if (real !== undefined) return real;
    try {
      real = realpathSync.native(path.join(absRoot, dir));
      if (!inside(real)) real = null;
    } catch {
      real = null;
    }
    folders.set(dir, real);
    return real;
  };

  // Texts already read, for the extractors that read a file again (a chart's base values, a parent pom): up to a
  // budget, after which files are read from disk each time.
  const texts = new Map<string, string>();
  let cached = 0;
  const read = (rel: string): string | null => {
    const hit = texts.get(rel);
    if (hit !== undefined) return hit;
    const text = readUncached(rel);
    if (text !== null && cached + text.length <= TEXT_CACHE_CHARS) {
      texts.set(rel, text);
      cached += text.length;
    }
    return text;
  };

  const readUncached = (rel: string): string | null => {
    const found = locate(rel, false);
    if (!found) return null;
    const { real, stats, normal } = found;
    const skip = (message: string): null => {
      report({ file: normal, message });
      return null;
    };
    // The type is checked before opening: opening a FIFO blocks, and some devices act on open.
    if (!stats.isFile()) return skip(`skipped: not a regular file (${typeName(stats)})`);
    if (stats.size > maxFileSize) return skip(`skipped: larger than the ${sizeLimit(maxFileSize)} size limit (${stats.size} bytes)`);
    let fd: number;
    try {
      fd = openSync(real, OPEN_FLAGS);
    } catch (error) {
      return skip(`skipped: cannot read the file: ${fsReason(error)}`);
    }
    try {
      // Checked again on what was opened, in case the file changed in between; reading stops one byte past the cap.
      const opened = fstatSync(fd);
      if (!opened.isFile()) return skip(`skipped: not a regular file (${typeName(opened)})`);
      const buffer = Buffer.allocUnsafe(Math.min(opened.size, maxFileSize) + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buffer, length, buffer.length - length, length);
        if (n === 0) break;
        length += n;
        if (length === buffer.length) {
          if (length > maxFileSize) return skip(`skipped: larger than the ${sizeLimit(maxFileSize)} size limit (more than ${maxFileSize} bytes)`);
          break; // the file grew since fstat: what fits is read, the rest is ignored
        }
      }
      if (buffer.subarray(0, Math.min(length, SNIFF_BYTES)).includes(0)) return skip(SKIP.binary);
      return buffer.toString('utf8', 0, length);
    } catch (error) {
      return skip(`skipped: cannot read the file: ${fsReason(error)}`);
    } finally {
      closeSync(fd);
    }
  };

  const resolve = (fromFile: string, fromDir: string, ref: string): string | null => {
    if (ref === '') return null;
    const refused = (): null => {
      report({ file: fromFile, message: `refers to "${ref}", outside the repository: not read` });
      return null;
    };
    const posix = ref.replace(/\\/g, '/');
    if (posix.startsWith('/') || posix.startsWith('~') || /^[A-Za-z]:/.test(posix)) return refused();
    const normal = normalise(path.posix.join(fromDir, posix));
    if (normal === null) return refused();
    // Symbolic links: the deepest part of the path that exists must resolve inside the root.
    for (let probe = normal; ; probe = path.posix.dirname(probe)) {
      try {
        if (!inside(realpathSync.native(path.join(absRoot, probe)))) return refused();
        break;
      } catch {
        if (probe === '.') break;
      }
    }
    return normal;
  };

  const isFile = (rel: string): boolean => locate(rel, true)?.stats.isFile() ?? false;

  return { root: absRoot, read, resolve, isFile, report, diagnostics };
}
