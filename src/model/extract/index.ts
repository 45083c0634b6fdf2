/**
 * The extractor registry: id → lazy import, sorted by id. The scan loads only
 * the extractors whose `accepts` matched a file of the repository, so a
 * repository without Java never loads the Java extractor (or its grammar).
 *
 * Adding a file kind or a language: one file under extract/ (defineExtractor),
 * one line here, one test file under test/model/extract/.
 */
import type { Extractor } from './define-extractor.js';

const load = async (module: Promise<{ default: Extractor }>): Promise<Extractor> => (await module).default;

export const extractors = {
  'go-mod': () => load(import('./go-mod.js')),
  'go-source': () => load(import('./go-source.js')),
  'python-deps': () => load(import('./python-deps.js')),
  'python-source': () => load(import('./python-source.js')),
} as const satisfies Record<string, () => Promise<Extractor>>;

export type ExtractorId = keyof typeof extractors;
