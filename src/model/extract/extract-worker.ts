/**
 * Worker thread of the scan (see off-thread.ts): reads the files it is given
 * through its own repository reader (same root, same rules), parses its share
 * of the Kubernetes YAML and runs the off-thread extractors, posting each
 * result as soon as it is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createReader } from '../read.js';
import { runOffThread, type OffThreadData, type OffThreadMessage } from './off-thread.js';

const data = workerData as OffThreadData;
const post = (message: OffThreadMessage | { kind: 'error'; error: string }): void => parentPort?.postMessage(message);
runOffThread(data, createReader(data.root), post).catch((error: unknown) => post({ kind: 'error', error: String(error) }));
