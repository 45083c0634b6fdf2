/** Parity: registries ↔ files ↔ tests ↔ README. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generators } from '../src/generators/index.js';
import { rules } from '../src/check/rules/index.js';
import { REPORTER_NAMES } from '../src/check/reporters/index.js';
import { RENDERER_NAMES } from '../src/graph/renderers/index.js';
import { ITEMS } from '../src/check/types.js';
import { extractors } from '../src/model/extract/index.js';

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
    expect(definition.description).toBe(entry.description);
    expect(definition.command.args?.map((a) => a.name) ?? []).toEqual(entry.argument === undefined ? [] : [entry.argument]);
    expect(definition.command.examples.length).toBeGreaterThan(0);
    // Its template set: `common/` and overlays, or only overlays when no file goes to every target (saga), or
    // fragments merged into existing files (compose/: merged by `arch compose` and by the generators that add entries).
    const set = new URL(`../templates/${id}/`, import.meta.url);
    expect(dirs(set).length + readdirSync(set).filter((f) => f.endsWith('.hbs')).length).toBeGreaterThan(0);
    const testFile = id === 'workspace' ? '../test/cli/init.test.ts' : `../test/generators/${id}.test.ts`;
    expect(existsSync(new URL(testFile, import.meta.url)), testFile).toBe(true);
  });

  it('every template set belongs to a generator (or is shared)', () => {
    // messaging/ holds the files add-producer and add-consumer both render.
    const shared = ['_partials', 'messaging'];
    expect(dirs(new URL('../templates/', import.meta.url)).filter((d) => !shared.includes(d))).toEqual(generators.map((g) => g.id).sort());
  });

  it('the README documents every command', () => {
    // `create-service` is a bin of its own; the others run as `arch <command>`.
    for (const g of generators) expect(readme, g.command).toContain(`\`${g.command === 'create-service' ? g.command : `arch ${g.command}`}`);
  });
});

const files = (url: URL, ext = '.ts') =>
  readdirSync(url, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext) && d.name !== 'index.ts')
    .map((d) => d.name.slice(0, -ext.length))
    .sort();

describe('rule registry', () => {
  const ids = Object.keys(rules);

  it('is sorted and registers exactly the files in src/check/rules', () => {
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(files(new URL('../src/check/rules/', import.meta.url)));
  });

  it.for(ids)('%s: id = file name, documented, tested', async (id) => {
    const rule = await rules[id as keyof typeof rules]();
    expect(rule.id).toBe(id);
    expect(rule.meta.item === null || (ITEMS as readonly string[]).includes(rule.meta.item)).toBe(true);
    for (const field of ['description', 'rationale', 'fix'] as const) expect(rule.meta[field].length, field).toBeGreaterThan(10);
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    expect(existsSync(new URL(`../test/check/rules/${id}.test.ts`, import.meta.url)), 'test file').toBe(true);
  });

  it('every checklist item has at least one rule', async () => {
    const served = new Set<string>();
    for (const load of Object.values(rules)) served.add(String((await load()).meta.item));
    for (const item of ITEMS) expect(served.has(item), item).toBe(true);
  });

  it('the README rules table lists exactly the registered rules, with their item and severity', async () => {
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| ([a-z()-]+) \| (error|warning) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    const expected = [];
    for (const [id, load] of Object.entries(rules)) {
      const rule = await load();
      expected.push([id, rule.meta.item ?? '(scan)', rule.meta.defaultSeverity]);
    }
    expect(rows).toEqual(expected);
  });
});

describe('extractor registry', () => {
  it('registers extractors that each have their own test, and the README table lists exactly them', async () => {
    const loaded = await Promise.all(Object.entries(extractors).map(async ([id, load]) => [id, await load()] as const));
    for (const [id, extractor] of loaded) {
      expect(extractor.id).toBe(id);
      expect(existsSync(new URL(`../test/model/extract/${id}.test.ts`, import.meta.url)), `test/model/extract/${id}.test.ts`).toBe(true);
    }
    const table = readme.slice(readme.indexOf('### What it reads'), readme.indexOf('### Why a verdict'));
    const rows = [...table.matchAll(/^\| `([a-z0-9-]+)` \| ([a-z, ]*) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(loaded.map(([id, e]) => [id, (e.grammars ?? []).join(', '), e.description]));
  });
});

describe('reporter and renderer registries', () => {
  it('register exactly their files, each with a test', () => {
    expect([...REPORTER_NAMES].sort()).toEqual(files(new URL('../src/check/reporters/', import.meta.url)));
    expect([...RENDERER_NAMES].sort()).toEqual(files(new URL('../src/graph/renderers/', import.meta.url)));
    for (const name of REPORTER_NAMES) expect(existsSync(new URL(`../test/check/reporters/${name}.test.ts`, import.meta.url)), name).toBe(true);
    for (const name of RENDERER_NAMES) expect(existsSync(new URL(`../test/graph/renderers/${name}.test.ts`, import.meta.url)), name).toBe(true);
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

  it('rules and reporters never touch the disk or the process', () => {
    for (const file of [...sources('../src/check/rules/'), ...sources('../src/check/reporters/'), ...sources('../src/graph/renderers/')]) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"](node:)?(fs|fs\/promises|child_process)['"]|process\.(exit|stdout|stderr|env)/);
    }
  });

  it('generators reach the model through its types only (extractors are the scanner\'s)', () => {
    for (const file of sources('../src/generators/')) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/(from |import\()['"](\.\.\/)+model\/(?!types\.js)/);
    }
  });

  it('nothing in src imports from test', () => {
    for (const file of sources('../src/')) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"][./]*\/test\//);
  });
});
