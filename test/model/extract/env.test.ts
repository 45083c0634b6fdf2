import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_VALUE_LENGTH, interpolate, parseEnv, readEnvFile } from '../../../src/model/extract/env.js';
import { createReader } from '../../../src/model/read.js';

const polyglot = fileURLToPath(new URL('../../fixtures/repos/polyglot-compose/', import.meta.url));

describe('interpolate', () => {
  const env = { HOST: 'db', EMPTY: '', PORT: '5432', NESTED: '${HOST}' };

  it.for([
    ['plain text', 'plain text'],
    ['$HOST:$PORT', 'db:5432'],
    ['${HOST}:${PORT}/orders', 'db:5432/orders'],
    ['$HOSTNAME', ''],
    ['${MISSING}', ''],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'db'],
    ['${MISSING:?must be set}', ''],
    ['${HOST:?must be set}', 'db'],
    ['${EMPTY?must be set}', ''],
    ['${HOST:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${MISSING+alt}', ''],
    ['${A:-${B:-${HOST}}}', 'db'],
    ['${A:-x${PORT}y}-z', 'x5432y-z'],
    ['${A:-{braces\\}', '{braces\\'],
    ['$$HOST', '$HOST'],
    ['$${HOST}', '${HOST}'],
    ['price: 5$', 'price: 5$'],
    ['$1 and $-', '$1 and $-'],
    ['${unterminated', '${unterminated'],
    ['${HOST', '${HOST'],
    ['${HOST:-x', '${HOST:-x'],
    ['${1BAD}', '${1BAD}'],
    ['${HOST:=x}', '${HOST:=x}'],
    ['${NESTED}', '${HOST}'],
  ])('%s → %s', ([input, expected]) => {
    expect(interpolate(input!, env)).toBe(expected);
  });

  it('reports each variable that has no value and no default (nor those of unused defaults)', () => {
    const missing: string[] = [];
    interpolate('${A}-$B-${HOST:-${C}}-${D:-${E}}-${F:?x}', env, (name) => missing.push(name));
    expect(missing).toEqual(['A', 'B', 'E', 'F']);
  });

  it('does not treat inherited object keys as variables', () => {
    expect(interpolate('${constructor}${toString:-x}', {})).toBe('x');
  });
});

describe('parseEnv', () => {
  it('reads comments, export, quotes, escapes, inline comments and multi-line values', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      '  SPACED = around  ',
      'INLINE=kept # dropped',
      'HASH=a#b',
      'EMPTY=',
      'SINGLE=\'$PLAIN stays \\n literal\'',
      'DOUBLE="line\\nnext\\t\\"q\\" \\\\ \\$PLAIN $PLAIN" # comment',
      'MULTI="first',
      'second"',
      "MULTI_SINGLE='a",
      "b'",
      'YAMLISH: colon style',
      'REF=${PLAIN}-${MISSING:-d}',
      'BARE_NAME',
      'UNTERMINATED="oops',
      'AFTER=ok',
      'CRLF=windows\r',
    ].join('\n');
    expect(parseEnv(text)).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      INLINE: 'kept',
      HASH: 'a#b',
      EMPTY: '',
      SINGLE: '$PLAIN stays \\n literal',
      DOUBLE: 'line\nnext\t"q" \\ $PLAIN value',
      MULTI: 'first\nsecond',
      MULTI_SINGLE: 'a\nb',
      YAMLISH: 'colon style',
      REF: 'value-d',
      UNTERMINATED: '"oops',
      AFTER: 'ok',
      CRLF: 'windows',
    });
  });

  it('resolves references against earlier keys, then the base', () => {
    expect(parseEnv('A=${BASE}/a\nB=$A/b\nBASE=late', { BASE: 'root' })).toEqual({ A: 'root/a', B: 'root/a/b', BASE: 'late' });
  });
});

describe('interpolate on hostile input', () => {
  it('reads deeply nested defaults once each (evaluating each default twice doubled the work at every level)', () => {
    const nested = (depth: number) => `${'${A:-'.repeat(depth)}x\${B}${'}'.repeat(depth)}`;
    const missing: string[] = [];
    expect(interpolate(nested(40), {}, (name) => missing.push(name))).toBe('x');
    expect(missing).toEqual(['B']);
    const unused: string[] = [];
    expect(interpolate(nested(40), { A: 'set' }, (name) => unused.push(name))).toBe('set');
    expect(unused).toEqual([]);
  });

  it('leaves a reference nested past MAX_DEPTH as written instead of recursing without end', () => {
    const deep = `${'${A:-'.repeat(MAX_DEPTH + 5)}x${'}'.repeat(MAX_DEPTH + 5)}`;
    expect(() => interpolate(deep.repeat(1000), {})).not.toThrow();
    expect(interpolate(deep, {})).toContain('${A:-');
  });

  it('cuts a value at MAX_VALUE_LENGTH: doubling a variable on every line stays small', () => {
    const lines = ['A=0123456789'];
    for (let k = 1; k <= 40; k++) lines.push(`V${k}=\${${k === 1 ? 'A' : `V${k - 1}`}}\${${k === 1 ? 'A' : `V${k - 1}`}}`);
    const env = parseEnv(lines.join('\n'));
    expect(env.V10!.length).toBe(10 * 2 ** 10);
    expect(env.V40!.length).toBe(MAX_VALUE_LENGTH);
    expect(interpolate('${V40}${V40}-end', env)).toHaveLength(MAX_VALUE_LENGTH);
  });
});

describe('readEnvFile', () => {
  it('reads a fixture .env', () => {
    expect(readEnvFile(createReader(polyglot), '.env')).toEqual({
      REGISTRY: 'registry.example.com/shop',
      CATALOG_DB_PASSWORD: 's3cr"et',
      KAFKA_HOST: 'kafka',
      LOG_LEVEL: '',
      MODEL_DIR: '',
      GATEWAY_PORT: '8088',
      PAYMENTS_TOKEN: 'tok-$NOT_INTERPOLATED',
    });
  });

  it('is empty for a missing file', () => {
    expect(readEnvFile(createReader(polyglot), 'no/such/.env')).toEqual({});
  });
});
