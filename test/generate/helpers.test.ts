import ts from 'typescript';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { comment, identifier, json, mdText, tsString, yamlString } from '../../src/generate/helpers.js';
import { HOSTILE } from '../helpers/hostile.js';


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

  it('mdText folds lines and escapes markdown', () => {
    expect(mdText('a\nb *c* [x](y) <b>')).toBe('a b \\*c\\* \\[x\\]\\(y\\) \\<b\\>');
  });

  it('identifier makes camelCase identifiers and refuses the impossible', () => {
    expect(identifier('order-items')).toBe('orderItems');
    expect(() => identifier('1abc')).toThrow(/identifier/);
  });
});
