/**
 * The extractors marked `offThread` (the source of other languages, parsed
 * with tree-sitter: most of a scan's time on a Java or C# repository) run in
 * one worker thread, started as soon as the file walk is done, while this
 * thread discovers deployments, runs the other extractors and links
 * services. The facts are awaited where the scan first needs them.
 *
 * In this thread instead, when the facts are asked for: few such files (the
 * worker's start-up would cost more than it saves), one core,
 * `ARCHKIT_WORKERS=0`, no compiled worker (running from source), or a worker
 * that fails (its files are redone here).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../facts.js';
import type { RepoReader } from '../read.js';
import type { Diagnostic } from '../types.js';
import { candidate, type Extractor } from './define-extractor.js';
import type { ExtractorId } from './index.js';
import { runExtractors, type ExtractedFacts } from './run.js';
import { locateWorker } from './source-pool.js';

/**
 * Below this many files for the off-thread extractors, they run in this thread. Measured on a 2-core machine
 * (2026-12-08): a worker that loads the Java grammar and parses nothing costs ~60 ms of the other core and ~3 ms
 * of this one; Java and C# source takes 2 ms a file.
 */
export const OFF_THREAD_MIN_FILES = 40;

/** What the worker is given. */
export interface OffThreadData {
  root: string;
  paths: string[];
  only: ExtractorId[];
}

/** What the worker posts back (Maps as entry lists). */
export interface OffThreadResult {
  byFile: Array<[string, FileFacts]>;
  read: Array<[string, number]>;
  diagnostics: Diagnostic[];
  /** The worker's reader's diagnostics (files it could not read). */
  refused: Diagnostic[];
}

export interface OffThreadWork {
  /** The paths given to the off-thread extractors (the caller runs the others over all paths). */
  readonly paths: readonly string[];
  /** Their facts; the worker's refused reads are reported on `reader`. */
  facts(): Promise<ExtractedFacts>;
  /** Where the facts were extracted, once `facts()` has resolved: 'redone' after a worker that failed. */
  readonly thread: 'worker' | 'main' | 'redone' | 'pending';
}

const cores = (): number => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);

/** Whether a worker is worth starting for `files` files (ARCHKIT_WORKERS=0 turns workers off). */
export function offThreadWorthIt(files: number): boolean {
  const pinned = process.env.ARCHKIT_WORKERS;
  if (pinned !== undefined && /^\d+$/.test(pinned)) return Number(pinned) > 0 && files > 0;
  return cores() >= 2 && files >= OFF_THREAD_MIN_FILES;
}

/**
 * Starts the off-thread extractors over the paths they accept. `workerFile` (tests) names the compiled worker and
 * bypasses the threshold; null keeps the work in this thread.
 */
export async function startOffThread(
  root: string,
  paths: readonly string[],
  reader: RepoReader,
  extractors: readonly Extractor[],
  options: { workerFile?: URL | string | null } = {},
): Promise<OffThreadWork> {
  const mine = extractors.filter((e) => e.offThread);
  const only = mine.map((e) => e.id as ExtractorId);
  const accepted = paths.filter((p) => {
    const file = candidate(p);
    return mine.some((e) => e.accepts(file));
  });
  const here = (): Promise<ExtractedFacts> => runExtractors(accepted, reader, { only });
  const workerFile =
    options.workerFile !== undefined ? options.workerFile : offThreadWorthIt(accepted.length) ? await locateWorker(import.meta.url, 'extract-worker.js') : null;
  if (workerFile === null) {
    const work = { paths: accepted, thread: 'pending' as OffThreadWork['thread'], facts: () => ((work.thread = 'main'), here()) };
    return work;
  }
  const data: OffThreadData = { root, paths: accepted, only };
  const posted = runWorker(workerFile, data);
  const work = {
    paths: accepted,
    thread: 'pending' as OffThreadWork['thread'],
    facts: async (): Promise<ExtractedFacts> => {
      const result = await posted;
      if (result === null) {
        work.thread = 'redone';
        return here();
      }
      work.thread = 'worker';
      for (const d of result.refused) reader.report(d);
      return { byFile: new Map(result.byFile), read: new Map(result.read), diagnostics: result.diagnostics };
    },
  };
  return work;
}

function runWorker(file: URL | string, data: OffThreadData): Promise<OffThreadResult | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: OffThreadResult | null): void => {
      if (!settled) resolve(value);
      settled = true;
    };
    const worker = new Worker(file, { workerData: data });
    // The scan may end (a config error) before the worker does: it must not keep the process alive.
    worker.unref();
    worker.once('message', (result: OffThreadResult | { error: string }) => {
      finish('error' in result ? null : result);
      void worker.terminate();
    });
    worker.once('error', () => finish(null));
    worker.once('exit', () => finish(null));
  });
}

/** The worker's side: runs the extractors it was given with a reader of its own (same root, same rules). */
export async function runOffThread(data: OffThreadData, reader: RepoReader): Promise<OffThreadResult> {
  const facts = await runExtractors(data.paths, reader, { only: data.only });
  return { byFile: [...facts.byFile], read: [...facts.read], diagnostics: facts.diagnostics, refused: reader.diagnostics };
}
