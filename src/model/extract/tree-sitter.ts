/**
 * Tree-sitter grammars for the languages the TypeScript compiler does not
 * read: web-tree-sitter (WASM, no native build) with the `.wasm` each grammar
 * package ships, which the build copies into dist/grammars/ (the grammar
 * packages are devDependencies: an install of archkit fetches no native
 * sources and runs no install script). Loaded on first use only, one grammar at a time, so a
 * repository without Go never pays for the Go grammar and commands that do
 * not scan source never load any.
 *
 * Trees live in WASM memory: free each one (`tree.delete()`), or use
 * `withTree`, which does.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Language, Node, Parser, Query, Tree } from 'web-tree-sitter';

export type Grammar = 'java' | 'go' | 'csharp' | 'python';
export type SyntaxTree = Tree;
export type SyntaxNode = Node;

/** Grammar → [package, wasm file inside it and in dist/grammars/]. */
const WASM: Readonly<Record<Grammar, [string, string]>> = {
  java: ['tree-sitter-java', 'tree-sitter-java.wasm'],
  go: ['tree-sitter-go', 'tree-sitter-go.wasm'],
  csharp: ['tree-sitter-c-sharp', 'tree-sitter-c_sharp.wasm'],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm'],
};

interface Runtime {
  Parser: typeof Parser;
  Language: typeof Language;
  Query: typeof Query;
}

let runtime: Promise<Runtime> | null = null;
/** The runtime once loaded: every extractor uses this one instance (the package's ESM and CommonJS builds are two). */
let loadedRuntime: Runtime | null = null;
const languages = new Map<Grammar, Promise<Language>>();
const parsers = new Map<Grammar, Parser>();

function loadRuntime(): Promise<Runtime> {
  // Loaded with require, outside the CLI bundle: the bundle runs from a V8 code cache, where the dynamic import()
  // inside web-tree-sitter's Node loader would have no module callback.
  runtime ??= (async () => {
    const mod = createRequire(import.meta.url)('web-tree-sitter') as typeof import('web-tree-sitter');
    await mod.Parser.init();
    loadedRuntime = { Parser: mod.Parser, Language: mod.Language, Query: mod.Query };
    return loadedRuntime;
  })();
  return runtime;
}

/**
 * The grammar's WASM: beside the bundle (dist/bin/ → dist/grammars/) or the emitted module (dist/model/extract/ →
 * dist/grammars/); from sources (tests), the grammar package itself.
 */
function grammarFile(pkg: string, file: string, require: NodeRequire): string {
  for (const relative of ['../grammars/', '../../grammars/']) {
    const candidate = fileURLToPath(new URL(relative + file, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return require.resolve(`${pkg}/${file}`);
}

/** Loads the grammars (once each); afterwards `parse` works synchronously for them. */
export async function loadGrammars(grammars: Iterable<Grammar>): Promise<void> {
  const wanted = [...new Set(grammars)];
  if (wanted.length === 0) return;
  const rt = await loadRuntime();
  const require = createRequire(import.meta.url);
  await Promise.all(
    wanted.map(async (grammar) => {
      let language = languages.get(grammar);
      if (!language) {
        const [pkg, file] = WASM[grammar];
        language = rt.Language.load(grammarFile(pkg, file, require));
        languages.set(grammar, language);
      }
      const loaded = await language;
      if (!parsers.has(grammar)) {
        const parser = new rt.Parser();
        parser.setLanguage(loaded);
        parsers.set(grammar, parser);
      }
    }),
  );
}

/** Parses with a grammar loaded by `loadGrammars`. Throws when it was not loaded (a programming error). */
export function parse(grammar: Grammar, text: string): SyntaxTree {
  const parser = parsers.get(grammar);
  if (!parser) throw new Error(`tree-sitter grammar ${grammar} was not loaded`);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter could not parse with ${grammar}`);
  return tree;
}

export function withTree<T>(grammar: Grammar, text: string, fn: (tree: SyntaxTree) => T): T {
  const tree = parse(grammar, text);
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

/**
 * A query over a loaded grammar (`tree.language`), from the one runtime instance. Never import `Query` from
 * 'web-tree-sitter' directly: that may be another instance of the package, not initialised.
 */
export function createQuery(language: Language, source: string): Query {
  if (!loadedRuntime) throw new Error('tree-sitter is not loaded');
  return new loadedRuntime.Query(language, source);
}

/** 1-based line of a node. */
export const lineOf = (node: SyntaxNode): number => node.startPosition.row + 1;

/**
 * Visits every node of a tree once, depth first, without recursion (a deeply nested file cannot overflow the
 * stack). `enter` returns false to skip a node's children.
 */
export function walk(root: SyntaxNode, enter: (node: SyntaxNode) => boolean | void): void {
  const cursor = root.walk();
  try {
    for (;;) {
      const descend = enter(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}
