/**
 * Worker thread of the source extractor (see source-pool.ts): claims chunks
 * of the file list, extracts them, and posts the results back once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fileExtractor, loadCompiler } from './source-file.js';
import { drain, type WorkerData } from './source-pool.js';
import type { FileResult } from './source-types.js';

const data = workerData as WorkerData;
const out: Array<[number, FileResult]> = [];
drain(fileExtractor(loadCompiler(), data.ctx), data, out);
parentPort?.postMessage(out);
