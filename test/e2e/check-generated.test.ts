/**
 * We eat our own cooking: a workspace made by `arch init` + two `create-service`
 * runs passes `arch check` with zero findings; breaking it by hand gives exactly
 * the expected findings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/types.js';
import { runBin } from '../helpers/e2e.js';

const work = mkdtempSync(path.join(tmpdir(), 'archkit-check-'));
const pristine = path.join(work, 'shop');

beforeAll(async () => {
  expect((await runBin('arch', ['init', 'shop', '--yes', '--no-install', '--no-git'], { cwd: work })).exitCode).toBe(0);
  for (const name of ['orders', 'payments']) {
    expect((await runBin('create-service', [name, '--yes', '--no-install', '--no-git'], { cwd: pristine })).exitCode).toBe(0);
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function check(dir: string): Promise<{ code: number | undefined; result: CheckResult }> {
  const run = await runBin('arch', ['check', dir, '--format', 'json']);
  expect(run.stderr).toBe('');
  return { code: run.exitCode, result: JSON.parse(String(run.stdout)) as CheckResult };
}

function copy(name: string): string {
  const dir = path.join(work, name);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

const brief = (r: CheckResult) => r.findings.map((f) => [f.ruleId, f.service, f.file]);

describe('arch check on a generated workspace', () => {
  it('finds both services and reports zero findings, exit 0', async () => {
    const { code, result } = await check(pristine);
    expect(brief(result)).toEqual([]);
    expect(code).toBe(0);
    expect(result.services.map((s) => s.name)).toEqual(['orders', 'payments']);
    expect(result.scorecard['health-checks'].status).toBe('pass');
    expect(result.scorecard['shared-database'].status).toBe('pass');
    expect(result.scorecard.tracing.status).toBe('pass');
    expect(result.scorecard['horizontal-scaling'].status).toBe('pass');
  });

  it('arch compose (the built bin) finds nothing to change (--check: exit 0), and writes a deleted compose.yaml back as it was (--check: exit 1 before)', async () => {
    const dir = copy('compose');
    const file = path.join(dir, 'compose.yaml');
    const original = readFileSync(file, 'utf8');
    const same = await runBin('arch', ['compose', '--yes'], { cwd: dir });
    expect(same.exitCode).toBe(0);
    expect(String(same.stdout)).toContain('0 to create, 0 to update, 1 unchanged');
    expect((await runBin('arch', ['compose', '--check'], { cwd: dir })).exitCode).toBe(0);
    rmSync(file);
    const stale = await runBin('arch', ['compose', '--check'], { cwd: dir });
    expect([stale.exitCode, String(stale.stderr).split('\n')[0]]).toEqual([1, 'error 1 file is out of date with the workspace: compose.yaml']);
    expect(String(stale.stdout)).toMatch(/create\s+compose\.yaml/);
    const restored = await runBin('arch', ['compose', '--yes'], { cwd: dir });
    expect(restored.exitCode).toBe(0);
    expect(String(restored.stdout)).toMatch(/create\s+compose\.yaml/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    const { code, result } = await check(dir);
    expect(brief(result)).toEqual([]);
    expect(code).toBe(0);
  });

  it('a removed healthcheck is reported', async () => {
    const dir = copy('no-healthcheck');
    const compose = path.join(dir, 'compose.yaml');
    const doc = parseDocument(readFileSync(compose, 'utf8'));
    doc.deleteIn(['services', 'orders', 'healthcheck']);
    writeFileSync(compose, doc.toString());
    const { code, result } = await check(dir);
    // The Dockerfile still declares a HEALTHCHECK, so compose falls back to it: remove that too.
    const dockerfile = path.join(dir, 'services/orders/Dockerfile');
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace(/^HEALTHCHECK[\s\S]*?(?=^\S)/m, ''));
    const again = await check(dir);
    expect(brief(result)).toEqual([]);
    expect(code).toBe(0);
    expect(brief(again.result)).toEqual([['health-checks', 'orders', 'compose.yaml']]);
    expect(again.code).toBe(1);
  });

  it('two services pointed at one database are reported', async () => {
    const dir = copy('shared-db');
    const compose = path.join(dir, 'compose.yaml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace(/@payments-db:5432\/payments/, '@orders-db:5432/orders'));
    const { code, result } = await check(dir);
    expect(brief(result)).toEqual([
      ['database-per-service', 'orders', 'compose.yaml'],
      ['no-shared-database', null, 'compose.yaml'],
      ['database-per-service', 'payments', 'compose.yaml'],
    ]);
    expect(result.scorecard['shared-database'].status).toBe('fail');
    expect(code).toBe(1);
  });

  it('a call to another service without the breaker is reported', async () => {
    const dir = copy('no-breaker');
    writeFileSync(
      path.join(dir, 'services/orders/src/payments.ts'),
      "export async function charge(orderId: string): Promise<unknown> {\n  const response = await fetch(`http://payments:3001/charges/${orderId}`, { method: 'POST' });\n  return response.json();\n}\n",
    );
    const { code, result } = await check(dir);
    expect(brief(result)).toEqual([['no-circuit-breakers', 'orders', 'services/orders/src/payments.ts']]);
    expect(result.findings[0]!.line).toBe(2);
    // The gateway's routes keep their breakers, so the main call paths are protected (the item's verdict, as the
    // rubric reads it); the call that bypasses them is the finding, and the evidence names it.
    expect(result.scorecard['no-circuit-breakers'].status).toBe('pass');
    expect(result.scorecard['no-circuit-breakers'].evidence).toContain('1 call bypasses them (orders → payments)');
    expect(code).toBe(1);
  });
});
