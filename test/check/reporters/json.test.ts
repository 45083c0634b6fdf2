import { describe, expect, it } from 'vitest';
import json from '../../../src/check/reporters/json.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, errors, hostile } from './__fixtures__/results.js';

describe('json reporter', () => {
  it.for(FIXTURE_NAMES)('%s: is the CheckResult itself', (name) => {
    const out = json(FIXTURES[name], { color: true, root: ROOT, verbose: true });
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(FIXTURES[name]);
  });

  it('writes invisible format characters (bidi controls…) as escapes: the same data, nothing hidden in the text', () => {
    const out = json(hostile, { color: false, root: ROOT, verbose: false });
    expect(out).not.toMatch(/\p{Cf}/u);
    expect(out).toContain('isAdmin\\u202e \\u2066// admin only');
    expect(JSON.parse(out)).toEqual(hostile);
  });

  it('keeps the documented shape', async () => {
    await expect(json(errors, { color: false, root: ROOT, verbose: false })).toMatchFileSnapshot('__snapshots__/json/errors.json');
  });
});
