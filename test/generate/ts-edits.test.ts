import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { editTsText, type TsEdit } from '../../src/generate/ts/project.js';

// One folder per case: input.ts + run.ts → output.ts (or manual.txt when the edit refuses).
const root = fileURLToPath(new URL('./ts/', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((helper) => readdirSync(path.join(root, helper.name)).map((c) => `${helper.name}/${c}`));

describe('ts-morph edit helpers', () => {
  it.for(cases)('%s', async (name) => {
    const dir = path.join(root, name);
    const input = readFileSync(path.join(dir, 'input.ts'), 'utf8');
    const edit = ((await import(path.join(dir, 'run.ts'))) as { default: TsEdit }).default;
    const first = await editTsText('src/main.ts', input, edit);
    if ('manual' in first) {
      await expect(first.manual.join('\n') + '\n').toMatchFileSnapshot(path.join(dir, 'manual.txt'));
      return;
    }
    await expect(first.text).toMatchFileSnapshot(path.join(dir, 'output.ts'));
    const second = await editTsText('src/main.ts', first.text, edit);
    expect(second).toEqual({ text: first.text });
  });

  it('refuses a file with syntax errors and names the line', async () => {
    const result = await editTsText('src/main.ts', 'export function main() {\n  const = ;\n', () => {});
    expect(result).toEqual({ manual: [expect.stringMatching(/^src\/main\.ts:2 has a syntax error/)] });
  });

  it('has a fixture folder for every helper exported', async () => {
    const helpers = await import('../../src/generate/ts/index.js');
    const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    for (const name of Object.keys(helpers).filter((n) => n.startsWith('ensure'))) {
      expect(existsSync(path.join(root, kebab(name))), name).toBe(true);
    }
  });
});
