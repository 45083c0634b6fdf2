/**
 * All-or-nothing writing of a plan.
 *
 * 1. Every file is written into a staging folder inside the tree root (same
 *    file system, so renames are atomic), then a journal of the moves is
 *    written and committed by an atomic rename (`COMMIT`).
 * 2. Files under a directory that does not exist yet are moved with ONE
 *    rename of that directory: a new service folder appears complete or not
 *    at all, even under `kill -9`. Other files are moved one rename each.
 * 3. The staging folder is removed.
 *
 * A run that dies before the commit leaves only a staging folder, which the
 * next run deletes (roll back); one that dies after it leaves a committed
 * journal, which the next run completes (roll forward): `recover()`.
 * SIGINT and SIGTERM are held while the moves run and re-raised afterwards.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
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
import type { PlannedFile } from './tree.js';

export const STAGING_PREFIX = '.archkit-tmp-';
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
  // Unique among live processes (pid) and across runs of one process (time, counter).
  const staging = path.join(root, `${STAGING_PREFIX}${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`);
  mkdirSync(staging);
  const moves: Move[] = [];
  const dirMoves = new Set<string>();
  const made = new Set<string>();
  try {
    changes.forEach((file, index) => {
      const newDir = firstMissingAncestor(root, file.path);
      if (newDir !== undefined) {
        writeDurably(path.join(staging, 'd', file.path), file.bytes ?? file.content, made, file.mode);
        if (!dirMoves.has(newDir)) {
          dirMoves.add(newDir);
          moves.push({ from: `d/${newDir}`, to: newDir });
        }
      } else {
        const target = path.join(root, file.path);
        let mode = file.mode;
        if (existsSync(target)) mode = statSync(target).mode & 0o7777;
        const from = `f/${index}`;
        writeDurably(path.join(staging, from), file.bytes ?? file.content, made, mode);
        const move: Move = { from, to: file.path };
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

/**
 * Finishes or undoes what an interrupted flush left in `root`. Returns the
 * number of staging folders found.
 */
export function recover(root: string): number {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return 0;
  }
  let found = 0;
  for (const entry of entries) {
    if (!entry.startsWith(STAGING_PREFIX)) continue;
    found++;
    const staging = path.join(root, entry);
    const commit = path.join(staging, COMMIT);
    if (existsSync(commit)) {
      const { moves } = JSON.parse(readFileSync(commit, 'utf8')) as { moves: Move[] };
      applyMoves(root, staging, moves);
    }
    rmSync(staging, { recursive: true, force: true });
  }
  return found;
}
