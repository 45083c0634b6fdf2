/**
 * Runs the per-file extractor over a list of files, in this thread or split
 * across worker threads. Threads claim chunks of the list from one shared
 * counter, so a slow file or a slow start never leaves a core idle; a worker
 * that fails only costs a redo of its files here.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fileExtractor, loadCompiler } from './source-file.js';
import type { FileJob, FileResult, ScanContext } from './source-types.js';

/** Files claimed at a time. */
const CHUNK = 16;
/**
 * Below this many files a worker costs more (start-up, loading the compiler) than it saves. Measured on a 2-core
 * machine (2026-12-07): one worker beside this thread was slower at every size, 345 files (0.78 s against 0.66 s
 * for the source step), 800 (2.1 s against 1.8 s for the whole check) and 4,000 (4.5 s against 4.4 s); so threads
 * are used only for many files and at least two workers (three cores or more).
 */
export const WORKER_THRESHOLD = 1000;
/** Fewer workers than this are not worth their start-up. */
const MIN_WORKERS = 2;

export interface WorkerData {
  jobs: readonly FileJob[];
  ctx: ScanContext;
  counter: SharedArrayBuffer;
  chunk: number;
}

/** Claims chunks from the shared counter until the list is done; used by this thread and by workers. */
export function drain(extract: (job: FileJob) => FileResult, data: WorkerData, out: Array<[number, FileResult]>): void {
  const counter = new Int32Array(data.counter);
  for (;;) {
    const start = Atomics.add(counter, 0, data.chunk);
    if (start >= data.jobs.length) return;
    const end = Math.min(start + data.chunk, data.jobs.length);
    for (let i = start; i < end; i++) out.push([i, extract(data.jobs[i] as FileJob)]);
  }
}

export async function extractInProcess(jobs: readonly FileJob[], ctx: ScanContext): Promise<FileResult[]> {
  const extract = fileExtractor(loadCompiler(), ctx);
  return jobs.map(extract);
}

function runWorker(file: URL | string, data: WorkerData): Promise<Array<[number, FileResult]>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: Array<[number, FileResult]>): void => {
      if (!settled) resolve(value);
      settled = true;
    };
    const worker = new Worker(file, { workerData: data });
    worker.once('message', (results: Array<[number, FileResult]>) => {
      finish(results);
      void worker.terminate();
    });
    // Whatever it claimed and did not return is redone by the main thread.
    worker.once('error', () => finish([]));
    worker.once('exit', () => finish([]));
  });
}

/**
 * Extracts with `workers` worker threads running `workerFile`, this thread
 * taking its share too unless `mainShare` is false.
 */
export async function extractWithWorkers(jobs: readonly FileJob[], ctx: ScanContext, workerFile: URL | string, workers: number, mainShare = true): Promise<FileResult[]> {
  const data: WorkerData = { jobs, ctx, counter: new SharedArrayBuffer(4), chunk: CHUNK };
  const running = Array.from({ length: workers }, () => runWorker(workerFile, data));
  const extract = fileExtractor(loadCompiler(), ctx);
  const own: Array<[number, FileResult]> = [];
  if (mainShare) drain(extract, data, own);
  const results = new Array<FileResult | undefined>(jobs.length);
  for (const list of [own, ...(await Promise.all(running))]) for (const [i, result] of list) results[i] = result;
  return results.map((result, i) => result ?? extract(jobs[i] as FileJob));
}

/**
 * A compiled worker (`source-worker.js` unless named): next to this module (tsc
 * output, or the CLI bundle in `dist/bin/`), or in the package's `dist/bin/`;
 * null when running from source (vitest).
 */
export async function locateWorker(moduleUrl: string, name = 'source-worker.js'): Promise<URL | string | null> {
  if (moduleUrl.endsWith('.ts')) return null;
  const url = new URL(`./${name}`, moduleUrl);
  if (existsSync(fileURLToPath(url))) return url;
  const { PACKAGE_ROOT } = await import('../../generate/self.js');
  const bundled = path.join(PACKAGE_ROOT, 'dist', 'bin', name);
  return existsSync(bundled) ? bundled : null;
}

/** Worker threads besides this one: one per other core, and no more than the work is worth. */
export function workerCount(files: number): number {
  // ARCHKIT_WORKERS pins the number of worker threads (0: parse on the main thread only).
  const pinned = process.env.ARCHKIT_WORKERS;
  if (pinned !== undefined && /^\d+$/.test(pinned)) return Math.min(Number(pinned), 7);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (files < WORKER_THRESHOLD) return 0;
  const count = Math.max(0, Math.min(cores - 1, Math.floor(files / (WORKER_THRESHOLD / 4)), 7));
  return count >= MIN_WORKERS ? count : 0;
}

/** In this thread for small repositories, on one core, or when no compiled worker exists; across worker threads otherwise. */
export async function extractAll(jobs: readonly FileJob[], ctx: ScanContext): Promise<FileResult[]> {
  const workers = workerCount(jobs.length);
  const workerFile = workers > 0 ? await locateWorker(import.meta.url) : null;
  if (!workerFile) return extractInProcess(jobs, ctx);
  return extractWithWorkers(jobs, ctx, workerFile, workers);
}
