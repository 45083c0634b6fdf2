import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { ALIAS_BOMB, PlainValues, duplicateKeys } from '../../../src/model/extract/yaml-documents.js';

const plain = (text: string) => {
  const doc = parseDocument(text, { uniqueKeys: false });
  return new PlainValues(doc).toJs(doc.contents);
};

describe('PlainValues', () => {
  it.for([
    'a: 1\nb: [x, 2.5, true, null, ~]\nc: {d: "e", f: [ {g: h} ]}\n',
    'x-defaults: &d {restart: always, deploy: {replicas: 2}}\nservices:\n  a: {<<: *d, image: a}\n  b:\n    <<: *d\n    image: b\n',
    'a: &x 1\nb: *x\na2: &x 2\nc: *x\n', // an alias names the last anchor before it
    'list: &l [1, 2]\nnested: {deep: [*l, *l]}\n',
    '1: one\ntrue: yes\nnull: nothing\n2.5: x\n',
    'a: 1\na: 2\n',
  ])('gives what the yaml library gives: %j', (text) => {
    expect(plain(text)).toEqual(parseDocument(text, { uniqueKeys: false }).toJS());
  });

  it('keeps `__proto__` and `constructor` keys as own data', () => {
    const value = plain('__proto__: {polluted: true}\nconstructor: x\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an alias bomb, and a node that contains its own alias', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`)].join('\n');
    expect(() => plain(bomb)).toThrow(ALIAS_BOMB);
    expect(() => plain('a: &a [1, *a]\n')).toThrow('alias *a is inside the node it refers to');
  });

  it('a refused node costs the others nothing', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`)];
    const doc = parseDocument(`x:\n${bomb.map((l) => `  ${l}`).join('\n')}\nevil: *f\nfine: {a: 1}\n`);
    const values = new PlainValues(doc);
    expect(() => values.toJs(doc.get('evil', true))).toThrow(ALIAS_BOMB);
    expect(values.toJs(doc.get('fine', true))).toEqual({ a: 1 });
  });

  it('is linear in the aliases of a document (the yaml library walks the document for each one)', () => {
    // 2,000 services sharing a merge key: minutes with the library's toJS, milliseconds here.
    const services = Array.from({ length: 2000 }, (_, i) => `  s${i}: {<<: *d, image: "img-${i}", environment: {A: "${i}"}}`);
    const doc = parseDocument(`x-defaults: &d {restart: always, healthcheck: {test: [CMD, "true"]}}\nservices:\n${services.join('\n')}\n`);
    const values = new PlainValues(doc);
    const all = (doc.get('services') as { items: Array<{ value: unknown }> }).items.map((pair) => values.toJs(pair.value));
    expect(all).toHaveLength(2000);
    expect(all[1999]).toEqual({ '<<': { restart: 'always', healthcheck: { test: ['CMD', 'true'] } }, image: 'img-1999', environment: { A: '1999' } });
  });
});

describe('duplicateKeys', () => {
  it('finds every key written twice in one mapping, at any depth, but not merge keys', () => {
    const lineCounter = new LineCounter();
    const [doc] = parseAllDocuments('services:\n  a: {image: x, image: y}\n  b: [{k: 1, k: 2}]\nservices: {}\n', { lineCounter, uniqueKeys: false });
    expect(duplicateKeys(doc!.contents, lineCounter)).toEqual([
      { key: 'image', line: 2, first: 2 },
      { key: 'k', line: 3, first: 3 },
      { key: 'services', line: 4, first: 1 },
    ]);
    const merge = new LineCounter();
    const withMerge = parseDocument('base: &b {a: 1}\nx:\n  <<: *b\n  <<: {c: 2}\n', { lineCounter: merge, uniqueKeys: false });
    expect(duplicateKeys(withMerge.contents, merge)).toEqual([]);
  });
});
