/** Parity: registries ↔ files ↔ tests ↔ README. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generators } from '../src/generators/index.js';

const dirs = (url: URL) => readdirSync(url, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('generator registry', () => {
  it('registers exactly the folders under src/generators', () => {
    expect(generators.map((g) => g.id).sort()).toEqual(dirs(new URL('../src/generators/', import.meta.url)));
  });

  it.for(generators.map((g) => g.id))('%s: definition matches its registry entry, has templates and a test', async (id) => {
    const entry = generators.find((g) => g.id === id)!;
    const definition = await entry.load();
    expect(definition.id).toBe(id);
    expect(definition.command.name).toBe(entry.command);
    expect(definition.command.examples.length).toBeGreaterThan(0);
    expect(existsSync(new URL(`../templates/${id}/common/`, import.meta.url))).toBe(true);
    const testFile = id === 'workspace' ? '../test/cli/init.test.ts' : `../test/generators/${id}.test.ts`;
    expect(existsSync(new URL(testFile, import.meta.url)), testFile).toBe(true);
  });

  it('every template set belongs to a generator (or is shared)', () => {
    const shared = ['_partials', 'compose'];
    expect(dirs(new URL('../templates/', import.meta.url)).filter((d) => !shared.includes(d))).toEqual(generators.map((g) => g.id).sort());
  });

  it('the README documents every command', () => {
    for (const g of generators) expect(readme, g.command).toContain(`\`${g.command === 'init' ? 'arch init' : g.command}`);
  });
});

describe('layering', () => {
  const sources = (dir: string): string[] =>
    readdirSync(new URL(dir, import.meta.url), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => `${e.parentPath ?? (e as unknown as { path: string }).path}/${e.name}`);

  it('only src/cli imports commander or @clack/prompts', () => {
    for (const file of sources('../src/')) {
      if (file.includes('/src/cli/')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"](commander|@clack\/prompts)['"]|import\(['"](commander|@clack\/prompts)['"]\)/);
    }
  });

  it('ts-morph and typescript are imported statically only under generate/ts and model/extract', () => {
    for (const file of sources('../src/')) {
      if (file.includes('/generate/ts/') || file.includes('/model/extract/')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/^import [^'"]*from ['"](ts-morph|typescript)['"]/m);
    }
  });

  it('generator definitions import no heavy module at the top level', () => {
    for (const file of sources('../src/generators/')) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/^import (?!type)[^'"]*from ['"](handlebars|yaml|ts-morph|execa|.*\/render\.js|.*\/run\.js)['"]/m);
    }
  });

  it('nothing in src imports from test', () => {
    for (const file of sources('../src/')) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"][./]*\/test\//);
  });
});
