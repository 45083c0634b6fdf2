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
  appsettings: () => load(import('./appsettings.js')),
  aspire: () => load(import('./aspire.js')),
  'csharp-source': () => load(import('./csharp-source.js')),
  'dotnet-project': () => load(import('./dotnet-project.js')),
  gradle: () => load(import('./gradle.js')),
  'java-source': () => load(import('./java-source.js')),
  maven: () => load(import('./maven.js')),
  ocelot: () => load(import('./ocelot.js')),
  'spring-config': () => load(import('./spring-config.js')),
} as const satisfies Record<string, () => Promise<Extractor>>;

export type ExtractorId = keyof typeof extractors;
