import ts from 'typescript';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { comment, identifier, json, mdText, oneLine, tsString, yamlString } from '../../src/generate/helpers.js';
import { HOSTILE, LINE_BREAKS } from '../helpers/hostile.js';

/** The lines a reader that ends a line at every Unicode line break sees (YAML 1.1 does at NEL, LS and PS). */
const strictLines = (text: string) => text.split(/[\n\v\f\r\u0085\u2028\u2029]/);

function evaluateTs(source: string): unknown {
  const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  expect(out.diagnostics ?? []).toEqual([]);
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', out.outputText)(module, module.exports);
  return module.exports.value;
}

describe('context helpers with hostile text', () => {
  it.for(HOSTILE)('tsString round-trips %j through a TS string literal, in plain and template positions', (text) => {
    expect(evaluateTs(`export const value = ${tsString(text)};`)).toBe(text);
    expect(evaluateTs(`export const value = \`\${${tsString(text)}}\`;`)).toBe(text);
  });

  it.for(['\\"', '\\\\"', "\\'", '\'"\'', 'a\\'])('tsString writes a single-quoted literal that round-trips %j', (text) => {
    expect(tsString(text)).toMatch(/^'.*'$/s);
    expect(evaluateTs(`export const value = ${tsString(text)};`)).toBe(text);
  });

  it.for(HOSTILE)('yamlString round-trips %j through a YAML scalar', (text) => {
    const doc = parseDocument(`key: ${yamlString(text)}\nother: 1\n`);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual({ key: text, other: 1 });
  });

  it.for(HOSTILE)('json round-trips %j', (text) => {
    expect(JSON.parse(`{"a": ${json(text)}}`)).toEqual({ a: text });
  });

  it.for(HOSTILE)('comment keeps %j inside // and /* */ comments', (text) => {
    const source = `// ${comment(text)}\n/* ${comment(text)} */\n/** ${comment(text)} */\nexport const value = 1;\n`;
    expect(evaluateTs(source)).toBe(1);
    expect(comment(text)).not.toMatch(/[\r\n]/);
  });

  it.for(HOSTILE)('no helper leaves a raw line break of any kind in %j', (text) => {
    for (const helper of [comment, mdText, oneLine, tsString, yamlString, json]) {
      expect(strictLines(helper(text)), helper.name).toHaveLength(1);
    }
  });

  it.for(LINE_BREAKS.map((br) => [br.charCodeAt(0).toString(16), br]))('U+%s in a description stays inside a YAML comment, for YAML 1.1 readers too', ([, br]) => {
    const text = `a${br}x-injected: pwned`;
    const header = `# ${comment(text)}\nname: shop\n`;
    expect(parseDocument(header).toJS()).toEqual({ name: 'shop' });
    // A YAML 1.1 reader ends the comment at NEL, LS and PS: the same document, read line by line as it would.
    expect(parseDocument(strictLines(header).join('\n')).toJS()).toEqual({ name: 'shop' });
    expect(parseDocument(`key: ${yamlString(text)}\n`).toJS()).toEqual({ key: text });
  });

  it.for(HOSTILE)('comment keeps %j inside an HTML comment', (text) => {
    const body = comment(text);
    expect(body).not.toMatch(/--!?>|<!--/);
  });

  it('oneLine folds each run of line breaks into one space', () => {
    expect(oneLine(`a${LINE_BREAKS.join('')}b\r\nc`)).toBe('a b c');
  });

  it('mdText folds lines and escapes markdown', () => {
    expect(mdText('a\nb *c* [x](y) <b>')).toBe('a b \\*c\\* \\[x\\]\\(y\\) \\<b\\>');
  });

  it('identifier makes camelCase identifiers and refuses the impossible', () => {
    expect(identifier('order-items')).toBe('orderItems');
    expect(() => identifier('1abc')).toThrow(/identifier/);
  });
});
