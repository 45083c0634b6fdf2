import { describe, expect, it } from 'vitest';
import { ensureEnvVars, envKeys, removeEnvVars } from '../../src/generate/dotenv.js';
import { editJsonText, upsertDependency } from '../../src/generate/json.js';

describe('dotenv edits', () => {
  it('appends missing variables under a section comment and keeps existing lines', () => {
    const text = '# header\nA=1\nexport B=2\n';
    const next = ensureEnvVars(text, [{ key: 'A', value: 'x' }, { key: 'C', value: '3' }], 'orders: its database');
    expect(next).toBe('# header\nA=1\nexport B=2\n\n# orders: its database\nC=3\n');
    expect(envKeys(next)).toEqual(['A', 'B', 'C']);
    expect(ensureEnvVars(next, [{ key: 'C', value: '3' }], 'again')).toBe(next);
  });

  it('removes variables, and a section comment only when it describes nothing any more', () => {
    const text = '# header\nA=1\n\n# orders: its database\nORDERS_DB_PASSWORD=x\n\n# Services\nORDERS_URL=a\nexport PAYMENTS_URL=b\n';
    expect(removeEnvVars(text, ['ORDERS_DB_PASSWORD'])).toBe('# header\nA=1\n\n# Services\nORDERS_URL=a\nexport PAYMENTS_URL=b\n');
    expect(removeEnvVars(text, ['ORDERS_URL'])).toBe('# header\nA=1\n\n# orders: its database\nORDERS_DB_PASSWORD=x\n\n# Services\nexport PAYMENTS_URL=b\n');
    expect(removeEnvVars(text, ['ORDERS_URL', 'PAYMENTS_URL'])).toBe('# header\nA=1\n\n# orders: its database\nORDERS_DB_PASSWORD=x\n');
    expect(removeEnvVars(text, ['NOT_THERE'])).toBe(text);
    // When a comment follows, which comments described the removed line cannot be told: they all stay.
    expect(removeEnvVars('# a\nA=1\n# b\nB=2\n', ['A'])).toBe('# a\n# b\nB=2\n');
    expect(removeEnvVars('A=1\n# only A\nB=2\n', ['B'])).toBe('A=1\n');
  });

  it('keeps a section comment on one line', () => {
    expect(ensureEnvVars('', [{ key: 'K', value: 'v' }], 'a\nb')).toBe('# a b\nK=v\n');
  });
});

describe('JSON edits', () => {
  it('keeps indentation and key order, adds sorted dependencies once', () => {
    const text = '{\n    "name": "x",\n    "dependencies": {\n        "zod": "1.0.0"\n    }\n}\n';
    const next = editJsonText('package.json', text, (json) => {
      upsertDependency(json, 'dependencies', 'amqplib', '2.0.0');
      upsertDependency(json, 'dependencies', 'zod', '9.9.9');
    });
    expect(next).toBe('{\n    "name": "x",\n    "dependencies": {\n        "amqplib": "2.0.0",\n        "zod": "1.0.0"\n    }\n}\n');
  });

  it('names the file when its JSON is broken', () => {
    expect(() => editJsonText('services/a/package.json', '{ nope', () => {})).toThrow(/services\/a\/package\.json is not valid JSON/);
  });
});
