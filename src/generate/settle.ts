/**
 * What every archkit command does before it reads a workspace: finish what an
 * interrupted archkit write left there, so that every command sees the same
 * tree (the one before that write, or the one after it, never a mix).
 *
 * Generators call it through `runGenerator`; `arch check` and `arch graph`
 * call it themselves. Nothing is written when no staging folder is found.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.js';
import { pendingWrites, recover } from './flush.js';
import { acquireLock } from './lock.js';
import type { Logger } from './logger.js';

export interface SettleOptions {
  /** Where the waiting message goes. */
  log: Pick<Logger, 'info'>;
  /** Named to whoever waits meanwhile. */
  command: string;
  /**
   * False for commands that must write nothing (`--dry-run`): they wait for writes in progress, and stop with
   * a UsageError when an interrupted write would have to be finished.
   */
  write: boolean;
  /** How long to wait for a write in progress (default 60 s). */
  timeoutMs?: number;
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Waits until no live process has a staging folder in `root`. */
async function waitForLiveWrites(root: string, options: SettleOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let announced = false;
  while (pendingWrites(root).some((w) => w.alive)) {
    if (Date.now() >= deadline) throw new UsageError(`another archkit command is still writing to ${root}`, 'Run again when it has finished.');
    if (!announced) options.log.info('Waiting for another archkit command to finish writing to this workspace…');
    announced = true;
    await sleep(50);
  }
}

/**
 * Finishes interrupted archkit writes in `root` (the tree root generators write into; for `arch check` the
 * repository, never a folder above it), waiting for a write in progress. Throws a UsageError (exit 2) when one
 * cannot be finished.
 */
export async function finishInterruptedWrites(root: string, options: SettleOptions): Promise<void> {
  if (pendingWrites(root).length === 0) return;
  const unfinished = (why: string) =>
    new UsageError(`an interrupted archkit write in ${root} is unfinished${why}`, 'Run an archkit command that may write there (any generator without --dry-run, or arch check) to finish it.');
  if (!options.write) {
    await waitForLiveWrites(root, options);
    if (pendingWrites(root).some((w) => w.committed)) throw unfinished('');
    return;
  }
  let lock;
  try {
    lock = await acquireLock(root, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && UNWRITABLE.has(code)) throw unfinished(`, and cannot be finished here: ${(error as Error).message}`);
    throw error;
  }
  try {
    if (recover(root) > 0) options.log.info('Completed an interrupted earlier write.');
  } finally {
    lock.release();
  }
}
