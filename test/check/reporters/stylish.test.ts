import { describe, expect, it } from 'vitest';
import stylish from '../../../src/check/reporters/stylish.js';
import { ITEMS, ITEM_TITLES } from '../../../src/check/types.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, clean, errors, hostile, parseFailures, warningsOnly } from './__fixtures__/results.js';

const plain = { color: false, root: ROOT, verbose: false };
const lines = (text: string) => text.split('\n');

describe('stylish reporter', () => {
  it.for(FIXTURE_NAMES)('%s', async (name) => {
    await expect(stylish(FIXTURES[name], plain)).toMatchFileSnapshot(`__snapshots__/stylish/${name}.txt`);
  });

  it('groups findings by service, repository-wide first, with aligned columns', () => {
    const out = lines(stylish(errors, plain));
    expect(out.filter((l) => /^\S/.test(l)).slice(0, 3)).toEqual(['repository', 'orders', 'payments']);
    const orders = out.slice(out.indexOf('orders') + 1, out.indexOf('orders') + 3);
    expect(orders[0]).toMatch(/^ {2}compose\.yaml:3:3 +error {4}orders has no compose healthcheck +health-checks$/);
    expect(orders.map((l) => l.indexOf('error') === -1 ? l.indexOf('warning') : l.indexOf('error'))).toEqual([orders[1]!.indexOf('warning'), orders[1]!.indexOf('warning')]);
  });

  it('prints the summary, the silenced counts when non-zero, and the scorecard last in checklist order', () => {
    const out = stylish(errors, plain);
    expect(out).toContain('✖ 5 problems (3 errors, 2 warnings)\n  2 suppressed, 1 baselined\n');
    expect(stylish(warningsOnly, plain)).toContain('✖ 1 problem (0 errors, 1 warning)\n  3 baselined\n');
    expect(stylish(clean, plain)).toMatch(/^✔ no problems\n\nScorecard/);
    const tail = lines(out.trimEnd()).slice(-ITEMS.length);
    expect(tail.map((l) => l.trim().split(/ {2,}/)[0])).toEqual(ITEMS.map((id) => ITEM_TITLES[id]));
    expect(tail[10]).toMatch(/Anti-pattern: shared database +fail +orders and payments share/);
  });

  it('shows repository-wide findings and findings without a line', () => {
    const out = stylish(parseFailures, plain);
    expect(out).toContain('services/orders/src/generated/huge.ts  warning  file larger than 1 MB, skipped');
    expect(out).toContain('compose.yaml:14 ');
  });

  it('shows each rule’s rationale and fix when verbose', () => {
    const out = stylish(errors, { ...plain, verbose: true });
    expect(out).toContain('      why  A shared database couples services');
    expect(out).toContain('      fix  Give each service its own database');
    expect(stylish(errors, plain)).not.toContain('why');
  });

  it('keeps hostile text on one line and never emits its control characters', () => {
    const out = stylish(hostile, plain);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(out).toContain('100% sure, second line ::warning::injected');
    expect(out).toContain('back\\x1b[31mred');
  });

  it('shows bidi controls and other invisible format characters instead of emitting them', () => {
    const out = stylish(hostile, plain);
    expect(out).not.toMatch(/\p{Cf}/u);
    expect(out).toContain('isAdmin\\u202E \\u2066// admin only\\u2069\\u2066 zero\\u200Bwidth');
    expect(out).toContain('compose,x:y\\u202Elmay.yaml:3');
  });

  it('colours only when asked', () => {
    expect(stylish(errors, plain)).not.toMatch(/\u001b\[/);
    const coloured = stylish(errors, { ...plain, color: true });
    expect(coloured).toContain('\u001b[31merror  \u001b[39m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(stylish(errors, plain));
  });
});
