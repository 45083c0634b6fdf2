/**
 * All-or-nothing writing of a plan.
 *
 * 1. Every file is written into a staging folder inside the tree root (same
 *    file system, so renames are atomic), then a journal of the moves is
 *    written and committed by an atomic rename (`COMMIT`). Paths go through
 *    `realTarget` first: a file reached through a symbolic link is written
 *    where the link points (the link stays), and a link that leaves the root
 *    refuses the whole plan before anything is written.
 * 2. Files under a directory that does not exist yet are moved with ONE
 *    rename of that directory: a new service folder appears complete or not
 *    at all, even under `kill -9`. Other files are moved one rename each.
 * 3. The staging folder is removed.
 *
 * A run that dies before the commit leaves only a staging folder, which the
 * next run deletes (roll back); one that dies after it leaves a committed
 * journal, which the next run completes (roll forward): `recover()`. A staging
 * folder's name records its process, and only those of processes that are
 * gone are touched, so a live write in another process is never disturbed
 * (writers hold the workspace lock of `lock.ts` besides).
 * SIGINT and SIGTERM are held while the moves run and re-raised afterwards.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { PRIVATE_PREFIX, currentProcess, isAlive, type ProcessId } from './lock.js';
import { realTarget, type PlannedFile } from './tree.js';

export const STAGING_PREFIX = PRIVATE_PREFIX;
/** `.archkit-tmp-<pid>[.<start time>]-<time>-<counter>`: the staging folder of one flush. */
const STAGING_NAME = /^\.archkit-tmp-(\d+)(?:\.(\d+))?-[0-9a-z]+-[0-9a-z]+$/;
let counter = 0;
const JOURNAL = 'journal.json';
const COMMIT = 'COMMIT';

interface Move {
  /** Relative to the staging folder. */
  from: string;
  /** Relative to the root. */
  to: string;
  /** For a file that exists: a copy of its current content in the staging folder, for rollback. */
  backup?: string;
}

/** Test hook: called before each move, so tests can inject a failure mid-write. */
export interface FlushHooks {
  beforeMove?: (move: Move, index: number) => void;
}

function firstMissingAncestor(root: string, rel: string): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (!existsSync(path.join(root, dir))) return dir;
  }
  return undefined;
}

function writeDurably(file: string, content: string | Uint8Array, made: Set<string>, mode?: number): void {
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(file, content, mode === undefined ? undefined : { mode });
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function applyMoves(root: string, staging: string, moves: Move[], hooks: FlushHooks = {}): void {
  moves.forEach((move, index) => {
    hooks.beforeMove?.(move, index);
    const from = path.join(staging, move.from);
    if (!existsSync(from)) return; // already moved by an interrupted run
    const to = path.join(root, move.to);
    mkdirSync(path.dirname(to), { recursive: true });
    renameSync(from, to);
  });
}

function rollBack(root: string, staging: string, moves: Move[]): void {
  for (const move of [...moves].reverse()) {
    if (existsSync(path.join(staging, move.from))) continue; // not moved yet
    const target = path.join(root, move.to);
    if (move.backup) renameSync(path.join(staging, move.backup), target);
    else rmSync(target, { recursive: true, force: true });
  }
  rmSync(staging, { recursive: true, force: true });
}

/** Writes the create/update entries of a plan, all or nothing. */
export function flush(root: string, plan: readonly PlannedFile[], hooks: FlushHooks = {}): void {
  const changes = plan.filter((f) => f.kind === 'create' || f.kind === 'update' || f.kind === 'conflict');
  if (changes.length === 0) return;
  mkdirSync(root, { recursive: true });
  // Before anything is written: where each file really goes (refuses links that leave the root).
  const targets = changes.map((file) => realTarget(root, file.path));
  const staging = path.join(root, stagingName());
  mkdirSync(staging);
  const moves: Move[] = [];
  const dirMoves = new Set<string>();
  const made = new Set<string>();
  try {
    changes.forEach((file, index) => {
      const rel = targets[index]!;
      const newDir = firstMissingAncestor(root, rel);
      if (newDir !== undefined) {
        writeDurably(path.join(staging, 'd', rel), file.bytes ?? file.content, made, file.mode);
        if (!dirMoves.has(newDir)) {
          dirMoves.add(newDir);
          moves.push({ from: `d/${newDir}`, to: newDir });
        }
      } else {
        const target = path.join(root, rel);
        let mode = file.mode;
        if (existsSync(target)) mode = statSync(target).mode & 0o7777;
        const from = `f/${index}`;
        writeDurably(path.join(staging, from), file.bytes ?? file.content, made, mode);
        const move: Move = { from, to: rel };
        if (existsSync(target)) {
          move.backup = `b/${index}`;
          writeDurably(path.join(staging, move.backup), readFileSync(target), made, mode);
        }
        moves.push(move);
      }
    });
    // Directories first: a new service folder lands before the files that mention it.
    moves.sort((a, b) => Number(b.from.startsWith('d/')) - Number(a.from.startsWith('d/')));
    writeFileSync(path.join(staging, JOURNAL), JSON.stringify({ moves }));
    syncFile(path.join(staging, JOURNAL));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }

  const held: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => held.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    renameSync(path.join(staging, JOURNAL), path.join(staging, COMMIT));
    try {
      applyMoves(root, staging, moves, hooks);
    } catch (error) {
      // An error (not a kill): undo the moves already made, then report it.
      rollBack(root, staging, moves);
      throw error;
    }
    rmSync(staging, { recursive: true, force: true });
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
  const signal = held[0];
  if (signal) process.kill(process.pid, signal);
}

/** Unique among live processes (pid, start time) and across runs of one process (time, counter). */
function stagingName(): string {
  const { pid, start } = currentProcess();
  return `${STAGING_PREFIX}${pid}${start === undefined ? '' : `.${start}`}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** A staging folder found in a tree root. */
export interface PendingWrite {
  /** Absolute path of the staging folder. */
  dir: string;
  owner: ProcessId;
  /** Its process still runs: the write is in progress, not interrupted. */
  alive: boolean;
  /** Its journal is committed: finishing it moves files into the tree (roll forward). */
  committed: boolean;
}

/** The staging folders in `root`, with whether their process still runs and whether they are committed. */
export function pendingWrites(root: string): PendingWrite[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const found: PendingWrite[] = [];
  for (const entry of entries.sort()) {
    const match = STAGING_NAME.exec(entry);
    if (!match) continue;
    const dir = path.join(root, entry);
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    const owner: ProcessId = match[2] === undefined ? { pid: Number(match[1]) } : { pid: Number(match[1]), start: match[2] };
    const self = currentProcess();
    // This process's own staging folders exist only inside a flush of its own, which is never interrupted here.
    const alive = owner.pid === self.pid ? owner.start === self.start : isAlive(owner);
    found.push({ dir, owner, alive, committed: existsSync(path.join(dir, COMMIT)) });
  }
  return found;
}

/** The moves of a committed journal, each checked to stay inside the staging folder and the root. */
function journalMoves(root: string, staging: string): Move[] {
  const refuse = (why: string) =>
    new UsageError(`cannot finish the interrupted write in ${staging}: ${why}`, 'Nothing was moved. Inspect the folder, then delete it to give up the interrupted write.');
  let moves: unknown;
  try {
    moves = (JSON.parse(readFileSync(path.join(staging, COMMIT), 'utf8')) as { moves?: unknown }).moves;
  } catch (error) {
    throw refuse(`its journal cannot be read (${(error as Error).message})`);
  }
  if (!Array.isArray(moves)) throw refuse('its journal lists no moves');
  const plain = (p: unknown): p is string => typeof p === 'string' && p !== '' && !path.posix.isAbsolute(p) && !p.includes('\\') && path.posix.normalize(p) === p && !p.startsWith('..');
  return moves.map((move: Partial<Move>) => {
    if (!plain(move.from) || !plain(move.to) || !/^[df]\//.test(move.from)) throw refuse(`a move is not a plain relative path: ${JSON.stringify(move)}`);
    // Written as real paths; a link that appeared on the way since is not followed.
    let real: string | undefined;
    try {
      real = realTarget(root, move.to);
    } catch {
      // leaves the root: refused below
    }
    if (real !== move.to) throw refuse(`${move.to} now leads through a symbolic link`);
    return { from: move.from, to: move.to };
  });
}

/**
 * Finishes or undoes what interrupted flushes left in `root`: a committed journal is completed, an uncommitted
 * staging folder deleted. Staging folders of processes that still run are left alone. Returns the number of
 * staging folders finished or undone; throws a UsageError (nothing moved) for a journal that points outside.
 */
export function recover(root: string): number {
  let found = 0;
  for (const write of pendingWrites(root)) {
    if (write.alive) continue;
    found++;
    if (write.committed) applyMoves(root, write.dir, journalMoves(root, write.dir));
    rmSync(write.dir, { recursive: true, force: true });
  }
  return found;
}
