/**
 * The extract step: every registered extractor over the files it accepts.
 *
 *   paths → extractors that accept each (by path alone)
 *         → grammars of the extractors with work (loaded once, lazily)
 *         → per file: read once through the reader → needles → extract
 *
 * A file is read at most once, whatever number of extractors want it. An
 * extractor that throws costs a diagnostic on that file, never the scan.
 */
import type { FileFacts } from '../facts.js';
import type { RepoReader } from '../read.js';
import type { Diagnostic } from '../types.js';
import { candidate, type Extractor } from './define-extractor.js';
import { extractors, type ExtractorId } from './index.js';
import { loadGrammars, parse, withTree } from './tree-sitter.js';
import { pathsUnder } from '../../util/sorted-paths.js';
import { timed, timedAsync, timingEnabled } from '../../util/timing.js';

export interface ExtractedFacts {
  /** Facts per file path (each extractor's result merged), in the order of the paths given. */
  byFile: Map<string, FileFacts>;
  /** Files each extractor accepted (for the summary and `--explain`). */
  read: Map<string, number>;
  diagnostics: Diagnostic[];
}

let loaded: Promise<Extractor[]> | null = null;

/** Every registered extractor, loaded once per process. */
export function loadExtractors(): Promise<Extractor[]> {
  loaded ??= Promise.all(Object.values(extractors as Record<string, () => Promise<Extractor>>).map((load) => load()));
  return loaded;
}

/** Whether any registered extractor accepts a path (the file walk keeps such files). */
export function acceptor(list: readonly Extractor[]): (path: string) => boolean {
  return (path) => {
    const file = candidate(path);
    return list.some((e) => e.accepts(file));
  };
}

/** Concatenates the lists of `b` onto `a` (facts of one file from several extractors). */
function mergeFacts(a: FileFacts, b: FileFacts): FileFacts {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const previous = out[key];
    if (Array.isArray(value)) out[key] = Array.isArray(previous) ? [...previous, ...value] : value;
    else if (value !== undefined && previous === undefined) out[key] = value;
  }
  return out as FileFacts;
}

export interface RunOptions {
  /** Only these extractors. */
  only?: readonly ExtractorId[];
  /** Only the extractors this accepts (the scan keeps `offThread` ones for the worker). */
  where?: (extractor: Extractor) => boolean;
}

export async function runExtractors(paths: readonly string[], reader: RepoReader, options: RunOptions = {}): Promise<ExtractedFacts> {
  const all = await loadExtractors();
  const enabled = all.filter((e) => (!options.only || options.only.includes(e.id as ExtractorId)) && (!options.where || options.where(e)));
  // Each file is read once; an extractor runs on it only when one of its needles is in the text, and a grammar is
  // loaded only when some file is left for it (a C# repository without an Aspire app host never loads C# for it).
  const jobs: Array<[string, string, Extractor[]]> = [];
  for (const path of paths) {
    const file = candidate(path);
    const accepting = enabled.filter((e) => e.accepts(file));
    if (accepting.length === 0) continue;
    const text = reader.read(path);
    if (text === null) continue;
    const wanted = accepting.filter((e) => !e.needles || e.needles.some((needle) => text.includes(needle)));
    if (wanted.length > 0) jobs.push([path, text, wanted]);
  }
  const grammars = new Set(jobs.flatMap(([, , wanted]) => wanted.flatMap((e) => e.grammars ?? [])));
  const diagnostics: Diagnostic[] = [];
  try {
    await timedAsync('extract: load grammars', () => loadGrammars(grammars));
  } catch (error) {
    diagnostics.push({ file: '.', message: `could not load the source grammars (${[...grammars].join(', ')}): ${(error as Error).message}` });
    grammars.clear();
  }
  const sorted = [...paths].sort();
  const listUnder = (dir: string): readonly string[] => pathsUnder(sorted, dir);
  const ctx = { read: (path: string) => reader.read(path), list: listUnder, parse, withTree };
  const byFile = new Map<string, FileFacts>();
  const read = new Map<string, number>();
  for (const [path, text, wanted] of jobs) {
    for (const extractor of wanted) {
      if ((extractor.grammars ?? []).some((g) => !grammars.has(g))) continue;
      read.set(extractor.id, (read.get(extractor.id) ?? 0) + 1);
      let result;
      try {
        result = timingEnabled ? timed(`extract: ${extractor.id}`, () => extractor.extract({ path, text }, ctx)) : extractor.extract({ path, text }, ctx);
      } catch (error) {
        diagnostics.push({ file: path, message: `could not read it as ${extractor.id}: ${(error as Error).message}` });
        continue;
      }
      if (!result) continue;
      const { diagnostics: found, ...facts } = result;
      if (found) diagnostics.push(...found);
      const previous = byFile.get(path);
      byFile.set(path, previous ? mergeFacts(previous, facts) : facts);
    }
  }
  return { byFile, read, diagnostics };
}

/**
 * Facts of two runs over the same paths with disjoint sets of extractors, as one run would give them: files in the
 * order of `paths`, and a file's facts from `first` before those from `second`.
 */
export function mergeExtracted(paths: readonly string[], first: ExtractedFacts, second: ExtractedFacts): ExtractedFacts {
  const byFile = new Map<string, FileFacts>();
  for (const path of paths) {
    const x = first.byFile.get(path);
    const y = second.byFile.get(path);
    if (x || y) byFile.set(path, x && y ? mergeFacts(x, y) : (x ?? y)!);
  }
  const read = new Map(first.read);
  for (const [id, n] of second.read) read.set(id, (read.get(id) ?? 0) + n);
  return { byFile, read, diagnostics: [...first.diagnostics, ...second.diagnostics] };
}
