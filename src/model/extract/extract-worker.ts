/**
 * Worker thread of the off-thread extractors (see off-thread.ts): reads the
 * files it is given through its own repository reader, extracts, and posts
 * the facts back once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createReader } from '../read.js';
import { runOffThread, type OffThreadData } from './off-thread.js';

const data = workerData as OffThreadData;
runOffThread(data, createReader(data.root)).then(
  (result) => parentPort?.postMessage(result),
  (error: unknown) => parentPort?.postMessage({ error: String(error) }),
);
