/**
 * The baseline workflow, through the CLI: adopt (write the baseline) → no new
 * finding → the repository grows (lines shift, a service is added, which
 * rewrites the repository-wide messages that list services) and exactly one
 * new finding appears → update the baseline → clean again.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline, parseBaseline } from '../../src/check/baseline.js';
import { fingerprint, numberDuplicates } from '../../src/check/engine.js';
import type { CheckResult, Finding } from '../../src/check/types.js';
import { writeRepo } from '../helpers/rule-tester.js';
import { runCli } from '../helpers/run-cli.js';

const TWO_SERVICES = `services:
  orders:
    image: shop/orders:1.0
    ports: ["8081:3000"]
  payments:
    image: shop/payments:1.0
    ports: ["8082:3000"]
`;

/** A third service, healthy and replicated, but published directly: one new finding (and a longer "published directly" list). */
const SHIPPING = `  shipping:
    image: shop/shipping:1.0
    ports: ["8083:3000"]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:3000/health"]
    deploy:
      replicas: 2
`;

async function checkJson(cwd: string, ...args: string[]): Promise<{ code: number; result: CheckResult; stderr: string }> {
  const run = await runCli(['check', '--format', 'json', ...args], { cwd });
  return { code: run.code, result: JSON.parse(run.stdout) as CheckResult, stderr: run.stderr };
}

describe('baseline', () => {
  it('adopt → nothing new → one new finding after a service is added and lines shift → update → clean', async () => {
    const cwd = writeRepo({ 'compose.yaml': TWO_SERVICES });
    const before = await checkJson(cwd);
    expect(before.code).toBe(1);
    const repositoryWide = before.result.findings.find((f) => f.ruleId === 'api-gateway' && f.service === null);
    expect(repositoryWide?.message).toBe('orders, payments published directly and no API gateway fronts the 2 services');

    // Adopt: record today's findings; exit 0.
    const adopt = await checkJson(cwd, '--baseline', 'arch-baseline.json', '--update-baseline');
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toContain(`Baseline written to arch-baseline.json (${before.result.findings.length} findings)`);
    const baseline = parseBaseline(readFileSync(path.join(cwd, 'arch-baseline.json'), 'utf8'));
    expect(baseline.findings.map((e) => e.fingerprint)).toEqual(before.result.findings.map((f) => f.fingerprint));

    // Nothing new: exit 0, everything counted as baselined, and no scorecard item fails on accepted findings.
    const adopted = await checkJson(cwd, '--baseline', 'arch-baseline.json');
    expect(adopted.code).toBe(0);
    expect(adopted.result.findings).toEqual([]);
    expect(adopted.result.summary.baselined).toBe(before.result.findings.length);
    expect(before.result.scorecard['api-gateway'].status).toBe('fail');
    expect(adopted.result.scorecard['api-gateway']).toMatchObject({ status: 'pass', baselined: 3, evidence: 'no new findings; accepted: 3 baselined in orders, payments' });
    expect(Object.values(adopted.result.scorecard).filter((e) => e.status === 'fail')).toEqual([]);

    // The repository grows: a comment shifts every line, and a third service joins the list of those published directly.
    writeFileSync(path.join(cwd, 'compose.yaml'), `# the shop\n# (comments shift every line)\n${TWO_SERVICES}${SHIPPING}`);
    const grown = await checkJson(cwd, '--baseline', 'arch-baseline.json');
    expect(grown.code).toBe(1);
    expect(grown.result.findings.map((f) => [f.ruleId, f.service, f.message])).toEqual([
      ['api-gateway', 'shipping', 'shipping publishes port 8083:3000 directly instead of being reached through the gateway'],
    ]);
    expect(grown.result.summary.baselined).toBe(before.result.findings.length);
    expect(grown.result.scorecard['api-gateway']).toMatchObject({ status: 'fail', baselined: 3, evidence: 'no gateway; published directly: orders, payments, shipping; accepted: 3 baselined in orders, payments' });

    // Update the baseline: the new finding is recorded, and the next run is clean again.
    expect((await checkJson(cwd, '--baseline', 'arch-baseline.json', '--update-baseline')).code).toBe(0);
    const updated = await checkJson(cwd, '--baseline', 'arch-baseline.json');
    expect(updated.code).toBe(0);
    expect(updated.result.findings).toEqual([]);
    expect(updated.result.summary.baselined).toBe(before.result.findings.length + 1);
  });

  it('a finding whose line moves down its file stays baselined; a fixed one is simply gone', async () => {
    const cwd = writeRepo({ 'compose.yaml': TWO_SERVICES });
    await checkJson(cwd, '--baseline', 'b.json', '--update-baseline');
    // payments gets a healthcheck (its finding is fixed), orders keeps its own, 3 lines lower.
    writeFileSync(
      path.join(cwd, 'compose.yaml'),
      TWO_SERVICES.replace('services:\n', 'services:\n  # orders first\n\n\n').replace('    ports: ["8082:3000"]\n', '    ports: ["8082:3000"]\n    healthcheck:\n      test: ["CMD", "true"]\n'),
    );
    const { result } = await checkJson(cwd, '--baseline', 'b.json');
    expect(result.findings).toEqual([]);
    expect(result.summary.baselined).toBe(6);
  });

  it('a finding suppressed with a reason fails no scorecard item either, and the item says so', async () => {
    // orders' code is read (a package with no health route), so its health is known to be missing, not unknown.
    const code = { 'orders/package.json': '{ "name": "orders", "dependencies": { "express": "5.1.0" } }', 'orders/index.js': "require('express')().listen(3000);\n" };
    const compose = (comment: string) => `services:\n${comment}  orders:\n    build: ./orders\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318\n    deploy:\n      replicas: 2\n`;
    const open = await checkJson(writeRepo({ 'compose.yaml': compose(''), ...code }));
    expect(open.result.findings.map((f) => f.ruleId)).toEqual(['health-checks']);
    expect(open.result.scorecard['health-checks'].status).toBe('fail');
    const accepted = await checkJson(writeRepo({ 'compose.yaml': compose('  # arch-ignore health-checks: the platform probes it\n'), ...code }));
    expect([accepted.code, accepted.result.findings, accepted.result.summary.suppressed]).toEqual([0, [], 1]);
    expect(accepted.result.scorecard['health-checks']).toMatchObject({ status: 'pass', suppressed: 1, evidence: 'no new findings; accepted: 1 suppressed in orders' });
  });

  it('refuses a baseline it cannot read with one line, exit 2', async () => {
    const cwd = writeRepo({ 'compose.yaml': TWO_SERVICES, 'old.json': '{ "version": 1, "findings": [] }', 'other.json': '{ "findings": [{}] , "version": 2 }' });
    const missing = await runCli(['check', '--baseline', 'nope.json'], { cwd });
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'error cannot read baseline nope.json: ENOENT']);
    const old = await runCli(['check', '--baseline', 'old.json'], { cwd });
    expect([old.code, old.stderr.split('\n')[0]]).toEqual([2, 'error baseline old.json: written by an earlier archkit, which matched findings by message; write it again with --update-baseline']);
    const other = await runCli(['check', '--baseline', 'other.json'], { cwd });
    expect([other.code, other.stderr.split('\n')[0]]).toEqual([2, 'error baseline other.json: /findings/0: no "fingerprint"']);
  });
});

describe('fingerprint', () => {
  const base = { ruleId: 'no-circuit-breakers', item: 'no-circuit-breakers', messageId: 'unprotected', service: 'orders', file: 'src/client.ts', lineText: '  await fetch(url)' };

  it('depends on the entities a finding names and the text of its line, not on counts, lists, whitespace or the line number', () => {
    const fp = fingerprint({ ...base, data: { service: 'orders', target: 'payments', method: 'GET' } });
    expect(fingerprint({ ...base, data: { method: 'GET', target: 'payments', service: 'orders' } })).toBe(fp);
    expect(fingerprint({ ...base, lineText: 'await   fetch(url)  ', data: { service: 'orders', target: 'payments', method: 'GET' } })).toBe(fp);
    expect(fingerprint({ ...base, data: { service: 'orders', target: 'payments', method: 'GET', calls: 7, services: 'a, b, c' } })).toBe(fp);
    expect(fingerprint({ ...base, data: { service: 'orders', target: 'shipping', method: 'GET' } })).not.toBe(fp);
    expect(fingerprint({ ...base, lineText: 'await fetch(other)', data: { service: 'orders', target: 'payments', method: 'GET' } })).not.toBe(fp);
    expect(fingerprint({ ...base, file: 'src/other.ts', data: { service: 'orders', target: 'payments', method: 'GET' } })).not.toBe(fp);
    expect(fingerprint({ ...base, messageId: 'other', data: { service: 'orders', target: 'payments', method: 'GET' } })).not.toBe(fp);
  });

  it('numbers findings that share one, so every fingerprint of a run is unique and a baseline counts them', () => {
    const f = (fp: string) => ({ fingerprint: fp }) as Finding;
    const findings = numberDuplicates([f('a'), f('b'), f('a'), f('a')]);
    expect(findings.map((x) => x.fingerprint)).toEqual(['a', 'b', 'a:2', 'a:3']);
    expect(numberDuplicates(findings).map((x) => x.fingerprint)).toEqual(['a', 'b', 'a:2', 'a:3']);
    // A third identical call is new against a baseline that recorded two.
    const baseline = createBaseline(findings.slice(0, 3));
    const { kept, baselined } = applyBaseline(numberDuplicates([f('a'), f('a'), f('a'), f('b')]), baseline);
    expect([kept.map((x) => x.fingerprint), baselined.length]).toEqual([['a:3'], 3]);
  });

  it('leaves file and line out where the location is only an example of what the finding is about', () => {
    const pair = { ruleId: 'chatty-services', item: 'chatty-services', messageId: 'tooMany', service: 'orders', data: { from: 'orders', to: 'payments', calls: 9 } };
    const fp = fingerprint({ ...pair, file: 'src/a.ts', lineText: 'await payments.get(a)' });
    expect(fingerprint({ ...pair, file: 'src/b.ts', lineText: 'await payments.get(b)' })).toBe(fp);
    expect(fingerprint({ ...pair, data: { ...pair.data, to: 'shipping' }, file: 'src/a.ts', lineText: 'await payments.get(a)' })).not.toBe(fp);
  });

  it('names only messages that exist in EXAMPLE_LOCATIONS', async () => {
    const { rules } = await import('../../src/check/rules/index.js');
    const { EXAMPLE_LOCATIONS } = await import('../../src/check/engine.js');
    for (const entry of EXAMPLE_LOCATIONS) {
      const [id, messageId] = entry.split('/') as [keyof typeof rules, string];
      expect(rules[id], entry).toBeDefined();
      expect(Object.keys((await rules[id]()).messages), entry).toContain(messageId);
    }
  });

  it('every placeholder of every rule is either an identity or a volatile one', async () => {
    const { rules } = await import('../../src/check/rules/index.js');
    const { IDENTITY_PLACEHOLDERS, VOLATILE_PLACEHOLDERS } = await import('../../src/check/engine.js');
    for (const [id, load] of Object.entries(rules)) {
      const rule = await load();
      for (const template of Object.values(rule.messages)) {
        for (const [, name] of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
          expect(IDENTITY_PLACEHOLDERS.has(name!) !== VOLATILE_PLACEHOLDERS.has(name!), `${id}: {{${name}}}`).toBe(true);
        }
      }
    }
  });
});

describe('the reader of the files findings point at (suppressions, fingerprints)', () => {
  it('reads regular files inside the root within the size cap, and nothing else', async () => {
    const { fileReader } = await import('../../src/check/run.js');
    const outside = writeRepo({ 'secret.txt': 'TOKEN=1\n' });
    const root = writeRepo({ 'compose.yaml': 'services:\n  orders: {}\n', 'big.ts': `// ${'x'.repeat(1024 * 1024)}\n` });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    const read = fileReader(root);
    expect(read.line('compose.yaml', 2)).toBe('  orders: {}');
    expect(read.text('link.txt')).toBeNull();
    expect(read.text(`../${path.basename(outside)}/secret.txt`)).toBeNull();
    expect(read.text(path.join(outside, 'secret.txt'))).toBeNull();
    expect(read.text('big.ts')).toBeNull();
    expect(read.line('missing.ts', 1)).toBeNull();
  });
});
