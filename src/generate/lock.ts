/**
 * The workspace lock: one archkit write at a time per tree root.
 *
 * The lock is a file, `.archkit-tmp-lock`, naming its process (pid and, where
 * the system tells, the process's start time, so a reused pid is not taken
 * for the owner). It is created whole or not at all: the owner's record is
 * written to a file of its own first, then hard-linked to the lock's name,
 * which fails when the name exists. A lock whose process is gone is stale and
 * is broken; whoever waits on a live one polls, says once what it waits for,
 * and gives up after a bound with one line (exit 2).
 *
 * Breaking a stale lock must not remove a live one that replaced it between
 * the read and the removal. A breaker therefore first takes a marker named
 * after the stale content (`<lock>.<hash>`, by the same link); only the marker
 * holder removes the lock, and only while it still holds that content. No one
 * else can change a lock that names a dead process (its owner cannot release
 * it and every other breaker needs the marker), so the check and the removal
 * cannot be separated by another write. A marker left by a breaker that died
 * is itself stale and is broken the same way, one level further.
 *
 * @example
 * const lock = await acquireLock(root, { command: 'create-service', log });
 * try {
 *   // scan, plan, flush
 * } finally {
 *   lock.release();
 * }
 */
import { createHash, randomUUID } from 'node:crypto';
import { linkSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.js';
import type { Logger } from './logger.js';

/** Every name archkit keeps for itself in a tree root starts with this (the generated .gitignore lists it). */
export const PRIVATE_PREFIX = '.archkit-tmp-';
export const LOCK_NAME = `${PRIVATE_PREFIX}lock`;

/** A process, as recorded in a lock or in a staging folder's name. */
export interface ProcessId {
  pid: number;
  /** Start time in clock ticks since boot (`/proc/<pid>/stat`), where the system has it. */
  start?: string;
}

interface LockRecord extends ProcessId {
  /** The command holding it, for the waiting message. */
  command: string;
  /** Makes every record unique, so a record's text identifies one acquisition. */
  nonce: string;
}

/** The start time and state of a process from `/proc`, or undefined where there is none. */
function procStat(pid: number): { start: string; state: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start === undefined ? undefined : { start, state: fields[0] ?? '' };
}

let self: ProcessId | undefined;

/** This process. */
export function currentProcess(): ProcessId {
  if (!self) {
    const start = procStat(process.pid)?.start;
    self = start === undefined ? { pid: process.pid } : { pid: process.pid, start };
  }
  return self;
}

/** Whether the process still runs: its pid exists, is not a zombie, and (when recorded) started when it did. */
export function isAlive(owner: ProcessId): boolean {
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(owner.pid);
  if (stat === undefined) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === undefined || owner.start === stat.start;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The record in a lock's text; anything unreadable names no live process. */
function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid !== 'number' || typeof value.nonce !== 'string') return undefined;
    // The command is printed to the terminal: only a plain command name, never what a crafted file says.
    const command = typeof value.command === 'string' && /^[a-z][a-z -]{0,39}$/.test(value.command) ? value.command : 'archkit';
    return { pid: value.pid, ...(typeof value.start === 'string' ? { start: value.start } : {}), command, nonce: value.nonce };
  } catch {
    return undefined;
  }
}

const recordAlive = (text: string) => {
  const record = parseRecord(text);
  return record !== undefined && isAlive(record);
};

/** Creates `target` as a link to `source`; false when `target` exists. */
function linkExclusive(source: string, target: string): boolean {
  try {
    linkSync(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Marker levels before giving up: each level needs another process killed inside a few system calls. */
const MAX_BREAK_DEPTH = 8;

/**
 * Removes `file` if it still holds `staleText` (a record of a dead process), under the marker protocol described
 * at the top. Returns false when a live process is breaking it (the caller waits), true otherwise (look again).
 */
function breakStale(file: string, staleText: string, own: string, depth = 0): boolean {
  if (depth > MAX_BREAK_DEPTH) throw new UsageError(`cannot break the stale lock ${file}`, 'Delete the .archkit-tmp-lock* files of the workspace when no archkit command runs.');
  const marker = `${file}.${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
  if (!linkExclusive(own, marker)) {
    const markerText = readText(marker);
    if (markerText === undefined) return true;
    return !recordAlive(markerText) && breakStale(marker, markerText, own, depth + 1);
  }
  try {
    if (readText(file) === staleText) unlinkSync(file);
  } finally {
    unlinkSync(marker);
  }
  return true;
}

export interface LockOptions {
  /** Named in the message of whoever waits for this lock. */
  command: string;
  /** Where the waiting message goes. */
  log: Pick<Logger, 'info'>;
  /** How long to wait for a live holder before giving up (default 60 s). */
  timeoutMs?: number;
  /** How often to look again while waiting (default 50 ms). */
  pollMs?: number;
}

export interface WorkspaceLock {
  readonly path: string;
  /** Removes the lock if it is still this one. Safe to call twice. */
  release(): void;
}

/** Removes what dead processes left of the lock protocol: their own records and markers. Called with the lock held. */
function removeDeadLeftovers(root: string): void {
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith(`${LOCK_NAME}.`)) continue;
    const file = path.join(root, entry);
    const text = readText(file);
    if (text !== undefined && !recordAlive(text)) rmSync(file, { force: true });
  }
}

/**
 * Takes the lock of `root`, waiting while a live process holds it (with one message) and breaking it when its
 * process is gone. Throws a UsageError (exit 2) when the wait times out.
 */
export async function acquireLock(root: string, options: LockOptions): Promise<WorkspaceLock> {
  const { pollMs = 50, timeoutMs = 60_000 } = options;
  const record: LockRecord = { ...currentProcess(), command: options.command, nonce: randomUUID() };
  const text = JSON.stringify(record);
  const lockPath = path.join(root, LOCK_NAME);
  const own = `${lockPath}.${record.nonce}`;
  writeFileSync(own, text, { flag: 'wx' });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  try {
    for (;;) {
      if (linkExclusive(own, lockPath)) break;
      const holderText = readText(lockPath);
      if (holderText === undefined) continue; // released in between
      const holder = parseRecord(holderText);
      const alive = holder !== undefined && isAlive(holder);
      if (!alive && breakStale(lockPath, holderText, own)) continue;
      // A live holder, or a live process breaking a stale lock: wait.
      const who = holder === undefined ? 'unknown' : `${holder.command}, pid ${holder.pid}`;
      if (Date.now() >= deadline) {
        throw new UsageError(
          `another archkit command (${who}) is still writing to ${root} after ${timeoutMs / 1000} s`,
          `Run again when it has finished. If no archkit command is running, delete ${lockPath}.`,
        );
      }
      if (!announced) {
        options.log.info(`Waiting for another archkit command (${who}) to finish writing to this workspace…`);
        announced = true;
      }
      await sleep(pollMs);
    }
  } finally {
    rmSync(own, { force: true });
  }
  removeDeadLeftovers(root);
  let held = true;
  return {
    path: lockPath,
    release() {
      if (!held) return;
      held = false;
      if (readText(lockPath) === text) rmSync(lockPath, { force: true });
    },
  };
}
