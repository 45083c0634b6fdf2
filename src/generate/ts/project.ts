/**
 * The entry point for TypeScript edits. ts-morph (and the TypeScript
 * compiler inside it, ~0.6 s to load) is imported here on first use only, so
 * commands that never edit TypeScript never pay for it. Each edit parses one
 * file in an in-memory project: no program, no type-checking.
 */
import type { SourceFile } from 'ts-morph';

/** What an edit function returns: nothing when done, or instructions when the file is not shaped as expected. */
export type TsEditResult = void | { manual: string[] };

export type TsHelpers = typeof import('./index.js');

export type TsEdit = (file: SourceFile, helpers: TsHelpers) => TsEditResult;

/** The file's own style, so inserted code looks like the code around it. */
export function detectStyle(text: string): { indent: string; quote: "'" | '"'; trailingCommas: boolean } {
  const indent = /^(\t|  +)\S/m.exec(text)?.[1] ?? '  ';
  const singles = (text.match(/(?:from|import|require\()\s*'/g) ?? []).length;
  const doubles = (text.match(/(?:from|import|require\()\s*"/g) ?? []).length;
  return {
    indent: indent.startsWith('\t') ? '\t' : indent.length >= 4 ? '    ' : '  ',
    quote: doubles > singles ? '"' : "'",
    trailingCommas: /,\s*\n\s*[\]}]/.test(text),
  };
}

/**
 * Parses `text` as `file`, applies `edit`, and returns the new text, or the
 * manual instructions when the file has syntax errors or the edit found no anchor.
 */
export async function editTsText(file: string, text: string, edit: TsEdit): Promise<{ text: string } | { manual: string[] }> {
  const [{ morph }, helpers] = await Promise.all([import('./morph.js'), import('./index.js')]);
  const { Project, IndentationText, QuoteKind } = morph;
  const style = detectStyle(text);
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true },
    manipulationSettings: {
      indentationText: style.indent === '\t' ? IndentationText.Tab : style.indent === '    ' ? IndentationText.FourSpaces : IndentationText.TwoSpaces,
      quoteKind: style.quote === '"' ? QuoteKind.Double : QuoteKind.Single,
      useTrailingCommas: style.trailingCommas,
    },
  });
  const source = project.createSourceFile(`/${file.replace(/^\/+/, '')}`, text, { overwrite: true });
  // The parser's own diagnostics: no Program is built for them.
  const syntax = (source.compilerNode as unknown as { parseDiagnostics?: Array<{ start?: number }> }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    const first = syntax[0]!;
    const line = first.start === undefined ? 1 : source.getLineAndColumnAtPos(first.start).line;
    return { manual: [`${file}:${line} has a syntax error; fix it, then re-run (nothing was changed)`] };
  }
  const result = edit(source, helpers);
  if (result && 'manual' in result) return result;
  return { text: source.getFullText() };
}
