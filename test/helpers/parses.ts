import ts from 'typescript';
import { parseDocument } from 'yaml';
import { expect } from 'vitest';

/** Every TypeScript / YAML / JSON file parses. */
export function expectParses(files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    if (/\.(ts|mts|js|mjs)$/.test(file)) {
      const source = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true);
      const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(diagnostics.map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
    } else if (/\.ya?ml$/.test(file)) {
      expect(parseDocument(content).errors.map((e) => `${file}: ${e.message}`)).toEqual([]);
    } else if (file.endsWith('.json')) {
      expect(() => JSON.parse(content), file).not.toThrow();
    }
  }
}

