/**
 * The virtual file tree every generator writes into.
 *
 * Nothing touches the disk until `flush` (see `flush.ts`): generators read
 * through the tree (staged content first, then disk) and write into it; the
 * plan compares each staged file with the disk:
 *
 * | staged vs disk                        | kind        |
 * | ------------------------------------- | ----------- |
 * | file absent on disk                   | `create`    |
 * | same bytes                            | `unchanged` |
 * | differs, written as an `edit`         | `update`    |
 * | differs, written as `generate`        | `conflict`  |
 *
 * An *edit* is content derived from the file's current content (a ts-morph or
 * YAML-document upsert), so it keeps the user's changes and is an update. A
 * *generated* file replaces whatever is there, so a difference means the user
 * changed it (or the inputs changed): a conflict, refused unless `--force`.
 *
 * @example
 * const tree = new Tree('/repo');
 * tree.write('services/orders/package.json', text);
 * tree.plan(); // [{ path: 'services/orders/package.json', kind: 'create', ... }]
 */
import { lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { PRIVATE_PREFIX } from './lock.js';

/** Symbolic links followed for one path before it counts as a loop (the kernel's own limit). */
const MAX_LINKS = 40;

/**
 * Where a tree path really lands on disk, as a path relative to the real root (forward slashes): every symbolic
 * link on the way, the last component included, is followed, so a linked file is updated where it lives and the
 * link stays a link. Throws a UsageError when that place is not inside the root: archkit never writes through a
 * symbolic link that leaves the workspace.
 *
 * @example
 * // compose.yaml -> deploy/compose.yaml
 * realTarget('/repo', 'compose.yaml'); // 'deploy/compose.yaml'
 * // services -> /elsewhere
 * realTarget('/repo', 'services/orders/package.json'); // throws UsageError
 */
export function realTarget(root: string, rel: string): string {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return rel; // a root still to be created holds no link
  }
  let current = realRoot;
  let link: string | undefined;
  let followed = 0;
  const pending = rel.split('/');
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let target: string | undefined;
    try {
      if (lstatSync(next).isSymbolicLink()) target = readlinkSync(next);
    } catch {
      // Missing: nothing below it is a link either.
    }
    if (target === undefined) {
      current = next;
      continue;
    }
    if (++followed > MAX_LINKS) throw new UsageError(`cannot write ${rel}: too many levels of symbolic links`);
    link ??= path.relative(realRoot, next);
    if (path.isAbsolute(target)) current = path.parse(target).root;
    pending.unshift(...(path.sep === '/' ? target.split('/') : target.split(/[\\/]/)));
  }
  if (!current.startsWith(realRoot + path.sep)) {
    throw new UsageError(
      `refusing to write ${rel}: the symbolic link ${link ?? rel} leads to ${current}, outside ${root}`,
      'archkit never writes through a link that leaves the workspace. Replace the link with a folder, or run archkit where it points.',
    );
  }
  return path.relative(realRoot, current).split(path.sep).join('/');
}

/** `dir` itself when it is a directory, else its nearest ancestor that exists (the root a new `dir` is created under). */
export function existingAncestor(dir: string): string {
  let current = path.resolve(dir);
  while (!statSync(current, { throwIfNoEntry: false })?.isDirectory()) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

export type ChangeKind = 'create' | 'update' | 'unchanged' | 'conflict';

export type WriteIntent = 'generate' | 'edit';

export interface PlannedFile {
  /** Path relative to the tree root, with forward slashes. */
  path: string;
  kind: ChangeKind;
  /** The text of a text file; empty for a binary file (see `bytes`). */
  content: string;
  /** What is on disk now, for `update` and `conflict` (diffs in `--dry-run` and `--check`). */
  previous?: string;
  /** The bytes of a binary file (written with `writeBytes`), written instead of `content`. */
  bytes?: Uint8Array;
  /** File mode for created files (e.g. 0o755 for scripts); updates keep the existing mode. */
  mode?: number;
}

interface Staged {
  content: string;
  bytes?: Uint8Array;
  intent: WriteIntent;
  mode?: number;
}

export class Tree {
  private readonly staged = new Map<string, Staged>();
  private readonly diskCache = new Map<string, string | null>();

  /** @param root absolute directory every path is relative to */
  constructor(readonly root: string) {}

  /** Normalises a relative path and refuses anything that leaves the root. */
  normalize(p: string): string {
    const posix = p.replace(/\\/g, '/');
    if (posix === '' || path.posix.isAbsolute(posix) || path.win32.isAbsolute(p)) {
      throw new UsageError(`invalid path ${JSON.stringify(p)}: paths in the tree are relative to ${this.root}`);
    }
    const norm = path.posix.normalize(posix);
    if (norm === '..' || norm.startsWith('../') || norm === '.') {
      throw new UsageError(`invalid path ${JSON.stringify(p)}: it leaves the target directory`);
    }
    return norm.replace(/\/$/, '');
  }

  /** Absolute path on disk of a tree path. */
  abs(p: string): string {
    return path.join(this.root, this.normalize(p));
  }

  private readDisk(rel: string): string | null {
    if (!this.diskCache.has(rel)) {
      let content: string | null = null;
      try {
        content = readFileSync(path.join(this.root, rel), 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          throw new UsageError(`cannot read ${rel}: ${(error as Error).message}`);
        }
      }
      this.diskCache.set(rel, content);
    }
    return this.diskCache.get(rel) ?? null;
  }

  /** Current content: staged if written in this run, else on disk, else undefined. A binary staged in this run has no text. */
  read(p: string): string | undefined {
    const rel = this.normalize(p);
    const staged = this.staged.get(rel);
    if (staged?.bytes) throw new Error(`${rel} is a binary file staged in this run: it has no text to read`);
    if (staged) return staged.content;
    return this.readDisk(rel) ?? undefined;
  }

  exists(p: string): boolean {
    return this.staged.has(this.normalize(p)) || this.read(p) !== undefined;
  }

  /**
   * Names of the entries of a directory on disk (empty when it does not exist), without archkit's own
   * (the lock and staging folders of other commands).
   */
  listDisk(p: string): string[] {
    const rel = p === '.' || p === '' ? '' : this.normalize(p);
    try {
      return readdirSync(path.join(this.root, rel))
        .filter((name) => !name.startsWith(PRIVATE_PREFIX))
        .sort();
    } catch {
      return [];
    }
  }

  /** Names in a directory: on disk, plus files staged in this run. */
  list(p: string): string[] {
    const rel = p === '.' || p === '' ? '' : this.normalize(p);
    const prefix = rel === '' ? '' : `${rel}/`;
    const names = new Set(this.listDisk(p));
    for (const path of this.staged.keys()) {
      if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  /**
   * Stages a file. `intent: 'edit'` marks content derived from the current
   * content of the same file (see the table above).
   */
  write(p: string, content: string, options: { intent?: WriteIntent; mode?: number } = {}): void {
    const rel = this.normalize(p);
    const previous = this.staged.get(rel);
    // An edit of a file generated in this same run is still a generated file.
    const intent = previous?.intent === 'generate' ? 'generate' : (options.intent ?? 'generate');
    const staged: Staged = { content, intent };
    const mode = options.mode ?? previous?.mode;
    if (mode !== undefined) staged.mode = mode;
    this.staged.set(rel, staged);
  }

  /**
   * Stages a binary file (a packed tarball): planned like a generated file (`create`, `unchanged`, or a
   * `conflict` when the bytes on disk differ), written byte for byte.
   */
  writeBytes(p: string, bytes: Uint8Array, options: { mode?: number } = {}): void {
    const staged: Staged = { content: '', bytes, intent: 'generate' };
    if (options.mode !== undefined) staged.mode = options.mode;
    this.staged.set(this.normalize(p), staged);
  }

  /** Whether the file on disk holds this text; null when there is no file. */
  private sameTextOnDisk(rel: string, content: string): boolean | null {
    const disk = this.readDisk(rel);
    return disk === null ? null : disk === content;
  }

  /** Whether the file on disk holds these bytes; null when there is no file. */
  private sameBytesOnDisk(rel: string, bytes: Uint8Array): boolean | null {
    try {
      return Buffer.from(readFileSync(path.join(this.root, rel))).equals(bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new UsageError(`cannot read ${rel}: ${(error as Error).message}`);
    }
  }

  /**
   * The plan: one entry per staged file, sorted by path. Throws a UsageError when a file to write lands outside
   * the root through a symbolic link, or two files are the same file on disk.
   */
  plan(): PlannedFile[] {
    const out: PlannedFile[] = [];
    const targets = new Map<string, string>();
    for (const [rel, staged] of [...this.staged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const same = staged.bytes ? this.sameBytesOnDisk(rel, staged.bytes) : this.sameTextOnDisk(rel, staged.content);
      let kind: ChangeKind;
      if (same === null) kind = 'create';
      else if (same) kind = 'unchanged';
      else kind = staged.intent === 'edit' ? 'update' : 'conflict';
      if (kind !== 'unchanged') {
        const target = realTarget(this.root, rel);
        const other = targets.get(target);
        if (other !== undefined) throw new UsageError(`cannot write both ${other} and ${rel}: they are the same file on disk (${target})`);
        targets.set(target, rel);
      }
      const entry: PlannedFile = { path: rel, kind, content: staged.content };
      if (!staged.bytes && (kind === 'update' || kind === 'conflict')) {
        const disk = this.readDisk(rel);
        if (disk !== null) entry.previous = disk;
      }
      if (staged.bytes) entry.bytes = staged.bytes;
      if (staged.mode !== undefined) entry.mode = staged.mode;
      out.push(entry);
    }
    return out;
  }
}
