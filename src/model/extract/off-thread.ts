/**
 * Work the scan hands to one worker thread, started as soon as the file walk
 * is done, while this thread discovers deployments, runs the other
 * extractors and links services:
 *
 *   1. about half of the Kubernetes YAML by size, when there is a lot of it
 *      (k8s.ts kubernetesShare): YAML parsing is the floor of a scan of big
 *      manifests; posted first, awaited where workloads are read;
 *   2. the extractors marked `offThread` (the source of other languages,
 *      parsed with tree-sitter: most of a scan's time on a Java or C#
 *      repository), awaited where files are assigned to services.
 *
 * In this thread instead, when the results are asked for: little such work
 * (a worker's start-up would cost more than it saves), one core,
 * `ARCHKIT_WORKERS=0`, no compiled worker (running from source), or a worker
 * that fails (what it did not post is redone here).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../facts.js';
import type { RepoReader } from '../read.js';
import type { Diagnostic } from '../types.js';
import { candidate, type Extractor } from './define-extractor.js';
import type { ExtractorId } from './index.js';
import { kubernetesShare, parsePortable, type PortableFile } from './k8s.js';
import { runExtractors, type ExtractedFacts } from './run.js';
import { locateWorker } from './source-pool.js';

/** Below this many files for the off-thread extractors, and no Kubernetes share, everything stays in this thread. */
export const OFF_THREAD_MIN_FILES = 40;
/** Kubernetes YAML (characters, in two files or more) below which none of it is parsed in the worker. */
export const KUBERNETES_SHARE_MIN_CHARS = 400_000;

/** What the worker is given. */
export interface OffThreadData {
  root: string;
  /** Files for the off-thread extractors. */
  paths: string[];
  only: ExtractorId[];
  /** Kubernetes YAML files to parse. */
  kubernetes: string[];
}

/** What the worker posts back (Maps as entry lists): first the Kubernetes files, then the facts. */
export type OffThreadMessage =
  | { kind: 'kubernetes'; files: Array<[string, PortableFile]> }
  | {
      kind: 'facts';
      byFile: Array<[string, FileFacts]>;
      read: Array<[string, number]>;
      diagnostics: Diagnostic[];
      /** The worker's reader's diagnostics (files it could not read). */
      refused: Diagnostic[];
    };

type Thread = 'worker' | 'main' | 'redone' | 'pending';

export interface OffThreadWork {
  /** The paths given to the off-thread extractors (the caller runs the others over all paths). */
  readonly paths: readonly string[];
  /** Kubernetes files given to the worker (k8s.ts startKubernetes). */
  readonly kubernetesFiles: readonly string[];
  /** What the worker parsed of them (empty when it failed: this thread parses them). */
  kubernetes(): Promise<ReadonlyMap<string, PortableFile>>;
  /** The off-thread extractors' facts; the worker's refused reads are reported on `reader`. */
  facts(): Promise<ExtractedFacts>;
  /** Where the facts were extracted, once `facts()` has resolved: 'redone' after a worker that failed. */
  readonly thread: Thread;
}

const cores = (): number => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);

/** Whether a worker is worth starting for `files` off-thread files (ARCHKIT_WORKERS=0 turns workers off). */
export function offThreadWorthIt(files: number, kubernetes = 0): boolean {
  const pinned = process.env.ARCHKIT_WORKERS;
  if (pinned !== undefined && /^\d+$/.test(pinned)) return Number(pinned) > 0 && files + kubernetes > 0;
  return cores() >= 2 && (files >= OFF_THREAD_MIN_FILES || kubernetes > 0);
}

/**
 * Starts the worker's share of the scan: the off-thread extractors over the paths they accept, and part of the
 * Kubernetes YAML among `yamlFiles`. `workerFile` (tests) names the compiled worker and bypasses the thresholds;
 * null keeps everything in this thread.
 */
export async function startOffThread(
  root: string,
  paths: readonly string[],
  reader: RepoReader,
  extractors: readonly Extractor[],
  options: { workerFile?: URL | string | null; yamlFiles?: readonly string[]; kubernetesMinChars?: number } = {},
): Promise<OffThreadWork> {
  const mine = extractors.filter((e) => e.offThread);
  const only = mine.map((e) => e.id as ExtractorId);
  const accepted = paths.filter((p) => {
    const file = candidate(p);
    return mine.some((e) => e.accepts(file));
  });
  const here = (): Promise<ExtractedFacts> => runExtractors(accepted, reader, { only });
  const share = options.yamlFiles && options.workerFile !== null ? kubernetesShare(reader, options.yamlFiles, options.kubernetesMinChars ?? KUBERNETES_SHARE_MIN_CHARS) : [];
  const workerFile =
    options.workerFile !== undefined ? options.workerFile : offThreadWorthIt(accepted.length, share.length) ? await locateWorker(import.meta.url, 'extract-worker.js') : null;
  const work: OffThreadWork & { thread: Thread; kubernetesFiles: readonly string[] } = {
    paths: accepted,
    thread: 'pending',
    kubernetesFiles: [] as readonly string[],
    kubernetes: async (): Promise<ReadonlyMap<string, PortableFile>> => new Map(),
    facts: async () => {
      work.thread = 'main';
      return here();
    },
  };
  if (workerFile === null) return work;
  const posted = runWorker(workerFile, { root, paths: accepted, only, kubernetes: share });
  if (share.length > 0) {
    work.kubernetesFiles = share;
    work.kubernetes = async () => new Map((await posted.kubernetes)?.files ?? []);
  }
  work.facts = async () => {
    const result = await posted.facts;
    if (result === null) {
      work.thread = 'redone';
      return here();
    }
    work.thread = 'worker';
    for (const d of result.refused) reader.report(d);
    return { byFile: new Map(result.byFile), read: new Map(result.read), diagnostics: result.diagnostics };
  };
  return work;
}

type Posted<K extends OffThreadMessage['kind']> = Promise<Extract<OffThreadMessage, { kind: K }> | null>;

function runWorker(file: URL | string, data: OffThreadData): { kubernetes: Posted<'kubernetes'>; facts: Posted<'facts'> } {
  let resolveKubernetes!: (value: Extract<OffThreadMessage, { kind: 'kubernetes' }> | null) => void;
  let resolveFacts!: (value: Extract<OffThreadMessage, { kind: 'facts' }> | null) => void;
  const kubernetes: Posted<'kubernetes'> = new Promise((resolve) => (resolveKubernetes = resolve));
  const facts: Posted<'facts'> = new Promise((resolve) => (resolveFacts = resolve));
  const worker = new Worker(file, { workerData: data });
  // The scan may end (a config error) before the worker does: it must not keep the process alive.
  worker.unref();
  worker.on('message', (message: OffThreadMessage | { kind: 'error' }) => {
    if (message.kind === 'kubernetes') resolveKubernetes(message);
    else {
      // Facts or an error: the last message. An error before the Kubernetes files leaves them to this thread.
      resolveKubernetes(null);
      resolveFacts(message.kind === 'facts' ? message : null);
      void worker.terminate();
    }
  });
  // Whatever was not posted is redone in this thread (resolving twice is a no-op).
  const failed = (): void => {
    resolveKubernetes(null);
    resolveFacts(null);
  };
  worker.once('error', failed);
  worker.once('exit', failed);
  return { kubernetes, facts };
}

/** The worker's side: its Kubernetes share, then the off-thread extractors, each posted as soon as it is done. */
export async function runOffThread(data: OffThreadData, reader: RepoReader, post: (message: OffThreadMessage) => void): Promise<void> {
  if (data.kubernetes.length > 0) post({ kind: 'kubernetes', files: parsePortable(reader, data.kubernetes) });
  const facts = await runExtractors(data.paths, reader, { only: data.only });
  post({ kind: 'facts', byFile: [...facts.byFile], read: [...facts.read], diagnostics: facts.diagnostics, refused: reader.diagnostics });
}
