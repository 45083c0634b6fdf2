/**
 * The extractor contract. An extractor reads one kind of file (a build
 * manifest, a configuration format, a gateway configuration, a deployment
 * format, the source of one language) and says what it shows, as FileFacts.
 *
 * Rules for extractors (they run on untrusted repositories, in CI):
 * - Pure: `extract` gets the file's text (already read through the repository
 *   reader: regular file, inside the root, size-capped, not binary) and returns
 *   facts. It never reads the disk itself (`ctx.read` reads another repository
 *   file through the same reader), never throws for bad input (return
 *   `diagnostics` instead), never prints.
 * - Linear in its input: no nested scans over the text, no regex with nested
 *   quantifiers over source. Source code is read through syntax trees
 *   (TypeScript compiler, tree-sitter grammars), never through regexes; a cheap
 *   substring test (`needles`) may decide that a file is not worth parsing.
 * - Honest: say what is there, with its location; never guess which service
 *   a fact belongs to (the pipeline links files to services) and never judge.
 *
 * Registration: one line in extract/index.ts (id → lazy import). Tests: one
 * file in test/model/extract/<id>.test.ts with a case where each fact is found
 * and one where it must not be.
 *
 * @example
 *   export default defineExtractor({
 *     id: 'go-mod',
 *     description: 'Go modules: module path and required modules',
 *     accepts: (file) => file.base === 'go.mod',
 *     extract: ({ path, text }) => ({ unit: …, dependencies: … }),
 *   });
 */
import type { Diagnostic } from '../types.js';
import type { FileFacts } from '../facts.js';
import type { Grammar, SyntaxTree } from './tree-sitter.js';

/** A file as an extractor's `accepts` sees it: no disk access, only its path. */
export interface CandidateFile {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** Base name, as written. */
  base: string;
  /** Base name, lower case. */
  lower: string;
  /** Extension, lower case, with the dot (`.java`), or ''. */
  ext: string;
}

export interface ExtractInput {
  path: string;
  text: string;
}

export interface ExtractContext {
  /**
   * Reads another file of the repository (path relative to the root, forward slashes) through the repository
   * reader: null when it is absent, outside the root, not a regular file, too large or binary. For formats that
   * span files (a Helm chart's values beside its templates, the project a solution names); most extractors
   * never need it.
   */
  read(path: string): string | null;
  /**
   * The repository files under a folder (relative to the root, '.' for all), sorted: every file the walk kept
   * (ignored and skipped folders left out). For formats that span files (a Helm chart's templates).
   */
  list(dir: string): readonly string[];
  /**
   * Parses text with a grammar listed in the extractor's `grammars` (loaded before extraction starts).
   * The caller must call `tree.delete()` when done (trees live in WASM memory); `withTree` does it for you.
   */
  parse(grammar: Grammar, text: string): SyntaxTree;
  /** Parses, runs `fn`, frees the tree, whatever `fn` does. */
  withTree<T>(grammar: Grammar, text: string, fn: (tree: SyntaxTree) => T): T;
}

export interface ExtractResult extends FileFacts {
  diagnostics?: Diagnostic[];
}

export interface Extractor {
  /** Equals the file name under extract/ (kebab-case). */
  id: string;
  /** One line: what it reads and what it finds (README's extractor table). */
  description: string;
  /** Whether this extractor reads the file, by path alone (cheap: called for every file of the repository). */
  accepts(file: CandidateFile): boolean;
  /**
   * Substrings of which at least one must occur in the text for `extract` to run (a file with none of them has
   * nothing to say). Lets source extractors skip most files without parsing them. Omit to always extract.
   */
  needles?: readonly string[];
  /** Tree-sitter grammars `extract` parses with; loaded once, only when a file of this kind is present. */
  grammars?: readonly Grammar[];
  /**
   * The scan may run this extractor in a worker thread, beside the main thread's other steps (the source of a
   * language: most of a scan's time). Only for extractors whose facts nothing needs before files are assigned to
   * services: never one that gives build units, dependencies, deployments or application-wide settings. Its
   * facts must be plain data (they cross a thread boundary), and `ctx.list` sees only the files it accepts there.
   */
  offThread?: boolean;
  extract(input: ExtractInput, ctx: ExtractContext): ExtractResult | null;
}

export function defineExtractor(extractor: Extractor): Extractor {
  return extractor;
}

/** The CandidateFile of a repository path. */
export function candidate(path: string): CandidateFile {
  const slash = path.lastIndexOf('/');
  const base = slash === -1 ? path : path.slice(slash + 1);
  const lower = base.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return { path, base, lower, ext: dot > 0 ? lower.slice(dot) : '' };
}
