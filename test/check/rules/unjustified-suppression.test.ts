import { describe, expect, it } from 'vitest';
import rule from '../../../src/check/rules/unjustified-suppression.js';
import { check } from '../../../src/check/run.js';
import { writeRepo, yaml } from '../../helpers/rule-tester.js';

// Suppressions are read after the rules ran, so this rule is exercised through check().
describe(rule.id, () => {
  const compose = (comment: string) =>
    yaml(['services:', '  orders:', '    image: acme/orders:1.0.0', '    environment: { DATABASE_URL: "postgres://u@pg/shop" }', '  payments:', '    image: acme/payments:1.0.0', '    environment: { DATABASE_URL: "postgres://u@pg/shop" }', comment, '  pg:', '    image: postgres:17.7-alpine']);

  it('a suppression with a reason silences the finding on the next line and is counted', async () => {
    const root = writeRepo({ 'compose.yaml': compose('  # arch-ignore no-shared-database: reporting reads the orders data on purpose') });
    const { result } = await check(root);
    expect(result.findings.filter((f) => f.ruleId === 'no-shared-database')).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === rule.id)).toEqual([]);
    expect(result.summary.suppressed).toBe(1);
  });

  it('a suppression without a reason suppresses nothing and is reported', async () => {
    const root = writeRepo({ 'compose.yaml': compose('  # arch-ignore no-shared-database') });
    const { result } = await check(root);
    expect(result.findings.filter((f) => f.ruleId === 'no-shared-database')).toHaveLength(1);
    expect(result.findings.filter((f) => f.ruleId === rule.id)).toEqual([
      expect.objectContaining({ file: 'compose.yaml', line: 8, severity: 'warning', message: expect.stringMatching(/no reason/) }),
    ]);
    expect(result.summary.suppressed).toBe(0);
  });
});
