/** Runs one extractor on one in-memory file, as the scan pipeline does (grammars loaded, needles checked). */
import { candidate, type ExtractResult, type Extractor } from '../../src/model/extract/define-extractor.js';
import { loadGrammars, parse, withTree } from '../../src/model/extract/tree-sitter.js';

/**
 * The extractor's result for `text` at `path`; null when it does not accept the path or no needle occurs.
 * `files` are the other files of the in-memory repository, for extractors that read beside (`ctx.read`).
 */
export async function runExtractor(extractor: Extractor, path: string, text: string, files: Record<string, string> = {}): Promise<ExtractResult | null> {
  if (!extractor.accepts(candidate(path))) return null;
  if (extractor.needles && !extractor.needles.some((needle) => text.includes(needle))) return null;
  await loadGrammars(extractor.grammars ?? []);
  const read = (other: string): string | null => (other === path ? text : Object.hasOwn(files, other) ? files[other]! : null);
  const all = [...new Set([path, ...Object.keys(files)])].sort();
  const list = (dir: string): readonly string[] => (dir === '.' || dir === '' ? all : all.filter((p) => p.startsWith(`${dir}/`)));
  return extractor.extract({ path, text }, { read, list, parse, withTree });
}
