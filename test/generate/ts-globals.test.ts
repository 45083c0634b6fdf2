/**
 * The list of global names event names must not take (src/generate/ts-globals.ts) against the compiler: every
 * PascalCase global that TypeScript's ES2023 library and @types/node declare is in it.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { TS_GLOBAL_NAMES } from '../../src/generate/ts-globals.js';
import { validateEventName } from '../../src/generate/names.js';

const dir = mkdtempSync(path.join(tmpdir(), 'archkit-ts-globals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compilerGlobals(): string[] {
  const file = path.join(dir, 'module.ts');
  writeFileSync(file, 'export {};\n');
  const typeRoots = [path.join(path.dirname(createRequire(import.meta.url).resolve('@types/node/package.json')), '..')];
  const program = ts.createProgram([file], { target: ts.ScriptTarget.ES2023, lib: ['lib.es2023.d.ts'], types: ['node'], typeRoots, noEmit: true });
  const source = program.getSourceFile(file);
  if (!source) throw new Error('no source file');
  const flags = ts.SymbolFlags.Type | ts.SymbolFlags.Namespace | ts.SymbolFlags.Value;
  return program
    .getTypeChecker()
    .getSymbolsInScope(source, flags)
    .map((symbol) => symbol.name)
    .filter((name) => /^[A-Z][A-Za-z0-9]*$/.test(name));
}

describe('TS_GLOBAL_NAMES', () => {
  it("holds every PascalCase global of the compiler's ES2023 library and @types/node", () => {
    const globals = compilerGlobals();
    expect(globals).toContain('Promise');
    expect(globals.filter((name) => !TS_GLOBAL_NAMES.has(name))).toEqual([]);
  });

  it('is what event names are checked against', () => {
    for (const name of TS_GLOBAL_NAMES) expect(validateEventName(name), name).toMatch(/global TypeScript/);
  });
});
