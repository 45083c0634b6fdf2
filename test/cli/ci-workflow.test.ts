/**
 * The CI workflow `arch init` writes: it gates on `arch check` and
 * `arch compose --check`, uploads SARIF to code scanning with the permissions
 * that needs, and every archkit command in it passes on a fresh workspace.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}

async function workspace(): Promise<{ cwd: string; jobs: Record<string, Job>; permissions: unknown }> {
  const cwd = tmpDir();
  expect((await runCli(['init', '.', '--yes', '--no-install', '--no-git'], { cwd })).code).toBe(0);
  expect((await runCli(['orders', '--yes', '--no-install', '--no-git'], { cwd, bin: 'create-service' })).code).toBe(0);
  const workflow = parse(readFileSync(path.join(cwd, '.github/workflows/architecture.yml'), 'utf8')) as { jobs: Record<string, Job>; permissions: unknown };
  return { cwd, ...workflow };
}

/** The archkit commands of a step (`npx arch …` lines), without any shell around them. */
const archCommands = (step: Step) => (step.run ?? '').split('\n').flatMap((line) => (line.startsWith('npx arch ') ? [line.split(' || ')[0]!] : []));

describe('the CI workflow arch init writes', () => {
  it('gates on arch check and arch compose --check; every archkit command in it passes on a fresh workspace', async () => {
    const { cwd, jobs, permissions } = await workspace();
    expect(permissions).toEqual({ contents: 'read' });
    const gate = jobs['arch-check']!.steps.flatMap(archCommands);
    expect(gate).toEqual(['npx arch check --format github', 'npx arch compose --check']);
    const all = Object.values(jobs).flatMap((job) => job.steps.flatMap(archCommands));
    for (const command of all) {
      const run = await runCli(command.split(' ').slice(2), { cwd });
      expect([command, run.code, run.stderr]).toEqual([command, 0, '']);
    }
    expect(existsSync(path.join(cwd, 'arch.sarif'))).toBe(true);
  });

  it('uploads the SARIF report to code scanning, with the permissions that needs, where a token can have them', async () => {
    const { jobs } = await workspace();
    const scanning = jobs['code-scanning']!;
    expect(scanning.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' });
    // Pull requests from forks get a read-only token: the job runs on pushes and same-repository pull requests.
    expect(scanning.if).toBe("github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository");
    const sarif = scanning.steps.find((s) => s.run?.includes('--format sarif'))!;
    const upload = scanning.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(sarif.run).toContain(`--output ${String(upload.with!.sarif_file)}`);
    expect(scanning.steps.indexOf(sarif)).toBeLessThan(scanning.steps.indexOf(upload));
  });

  it('the SARIF step lets findings (exit 1) through to the upload and fails on anything else', async () => {
    const { jobs } = await workspace();
    const run = jobs['code-scanning']!.steps.find((s) => s.run?.includes('--format sarif'))!.run!;
    const command = archCommands({ run })[0]!;
    // As GitHub runs it (bash -e), with arch check's exit code standing in for arch check.
    const exitOf = (code: number) => {
      try {
        execFileSync('bash', ['-e', '-c', run.replace(command, `(exit ${code})`)], { stdio: 'ignore' });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect([exitOf(0), exitOf(1), exitOf(2) !== 0]).toEqual([0, 0, true]);
  });

  it('the README\'s GitLab CI snippet: every archkit command passes on a fresh workspace, and the report it writes is the artifact GitLab reads', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('#### GitLab CI'));
    const jobs = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as Record<string, { script: string[]; artifacts?: { when: string; reports: { codequality: string } } }>;
    const { cwd } = await workspace();
    const commands = Object.values(jobs).flatMap((job) => job.script.filter((line) => line.startsWith('npx arch ')));
    expect(commands).toEqual(['npx arch check --format gitlab --output gl-code-quality-report.json', 'npx arch compose --check']);
    for (const command of commands) {
      const run = await runCli(command.split(' ').slice(2), { cwd });
      expect([command, run.code, run.stderr]).toEqual([command, 0, '']);
    }
    const artifacts = jobs.architecture!.artifacts!;
    expect(artifacts.when).toBe('always');
    expect(JSON.parse(readFileSync(path.join(cwd, artifacts.reports.codequality), 'utf8'))).toEqual([]);
  });
});
