import { describe, expect, it } from 'vitest';
import markdown, { MAX_LENGTH, cell } from '../../../src/check/reporters/markdown.js';
import { ITEMS, ITEM_TITLES } from '../../../src/check/types.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, clean, errors, hostile } from './__fixtures__/results.js';

const plain = { color: false, root: ROOT, verbose: false };
/** Cell separators: pipes not escaped with a backslash. */
const separators = (row: string) => row.match(/(?<!\\)\|/g)?.length ?? 0;
const tableRows = (out: string) => out.split('\n').filter((l) => l.startsWith('|'));

describe('markdown reporter', () => {
  it.for(FIXTURE_NAMES)('%s', async (name) => {
    await expect(markdown(FIXTURES[name], plain)).toMatchFileSnapshot(`__snapshots__/markdown/${name}.md`);
  });

  it('starts with a heading and a summary, then the scorecard table in checklist order', () => {
    const out = markdown(errors, plain);
    expect(out).toMatch(/^<!-- archkit check -->\n## archkit check\n\n❌ \*\*5 problems \(3 errors, 2 warnings\)\*\* · 2 suppressed, 1 baselined · 42 files checked\n/);
    expect(markdown(clean, plain)).toContain('✅ **No problems** · 42 files checked');
    expect(markdown(clean, plain)).not.toContain('### Findings');
    const scorecard = tableRows(out).slice(2, 2 + ITEMS.length);
    expect(scorecard.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(ITEMS.map((id) => ITEM_TITLES[id]));
    expect(scorecard[10]).toBe('| Anti-pattern: shared database | ❌ fail | orders and payments share postgres://orders-db/orders |');
    expect(scorecard[7]).toContain('| ❔ unknown |');
  });

  it('groups findings by service in tables, repository first', () => {
    const out = markdown(errors, plain);
    expect(out.match(/^#### .*$/gm)).toEqual(['#### Repository', '#### orders', '#### payments']);
    expect(out).toContain('| ⚠️ warning | `circuit-breakers` | services/payments/src/index.ts:7 | call to orders without a circuit breaker |');
    expect(out).toContain('| ❌ error | `services-found` | — | declared service "billing" was not found |');
  });

  it('keeps hostile text inside its cell', () => {
    const out = markdown(hostile, plain);
    const titles = ITEMS.map((id) => `| ${ITEM_TITLES[id]} |`);
    const scorecard = tableRows(out).filter((r) => titles.some((t) => r.startsWith(t)));
    expect(scorecard).toHaveLength(ITEMS.length);
    for (const row of scorecard) expect(separators(row), row).toBe(4);
    expect(scorecard[10]).toBe('| Anti-pattern: shared database | ❌ fail | shared \\| by \\`two\\`<br>services &lt;i&gt; |');
    const findings = tableRows(out).filter((r) => /^\| (❌ error|⚠️ warning) \|/.test(r));
    expect(findings).toHaveLength(3);
    for (const row of findings) expect(separators(row), row).toBe(5);
    expect(out).not.toMatch(/<(script|b|i)>/);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('#### weird\\|svc \\`x\\` &lt;b&gt;');
    expect(out).toContain('pipe \\| in a table, \\`backticks\\`, 100% sure,<br>second line<br>::warning::injected; isAdmin\\\\u202E \\\\u2066// admin only\\\\u2069\\\\u2066 zero\\\\u200Bwidth');
    expect(out).not.toMatch(/\p{Cf}/u);
  });

  it('escapes cells', () => {
    expect(cell('a|b `c` <d> & *e* _f_ [g] ~h~ \\')).toBe('a\\|b \\`c\\` &lt;d&gt; &amp; \\*e\\* \\_f\\_ \\[g\\] \\~h\\~ \\\\');
    expect(cell('one\r\ntwo\nthree\u0007')).toBe('one<br>two<br>three');
  });
});

describe('markdown reporter on a large repository', () => {
  it('stays under the comment size limit and says how many findings it left out', () => {
    const base = FIXTURES.errors;
    const findings = Array.from({ length: 2000 }, (_, i) => ({ ...base.findings[1]!, service: `svc-${String(i % 40).padStart(2, '0')}`, message: `finding number ${i} with some words to take up room` }));
    const out = markdown({ ...base, findings, summary: { ...base.summary, errors: 2000, warnings: 0 } }, plain);
    expect(out.length).toBeLessThanOrEqual(MAX_LENGTH + 200);
    const listed = tableRows(out).filter((r) => r.startsWith('| ❌ error |')).length;
    expect(listed).toBeGreaterThan(100);
    expect(out).toContain(`… and ${2000 - listed} more findings: the comment would pass GitHub's size limit.`);
  });
});
