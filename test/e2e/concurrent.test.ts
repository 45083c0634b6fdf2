/**
 * Generators run while other archkit commands run in the same workspace, with the built bins as real processes:
 * two `create-service` at once both succeed and end exactly as one after the other would (no update lost, no
 * staging folder of a live process removed), and a command that may not write where an interrupted write waits
 * says so instead of reading half of it.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_PREFIX } from '../../src/generate/lock.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { ARCHKIT_NODE, REPO_ROOT, runBin } from '../helpers/e2e.js';
import { deadPid } from '../helpers/processes.js';

const ROUNDS = 20;
const FLAGS = ['--yes', '--no-install', '--no-git'];
const work = mkdtempSync(path.join(tmpdir(), 'archkit-concurrent-'));
const base = path.join(work, 'base');

async function step(dir: string, bin: 'arch' | 'create-service', args: string[]): Promise<void> {
  const run = await runBin(bin, [...args, ...FLAGS], { cwd: dir });
  expect(run.exitCode, `${bin} ${args.join(' ')}: ${run.stderr}`).toBe(0);
}

/** A copy of the base workspace, then the services created one after the other. */
async function serial(name: string, services: string[]): Promise<Record<string, string>> {
  const dir = path.join(work, name);
  cpSync(base, dir, { recursive: true });
  for (const service of services) await step(dir, 'create-service', [service]);
  return snapshotDir(dir);
}

beforeAll(async () => {
  await step(work, 'arch', ['init', 'base']);
  await step(base, 'create-service', ['orders']);
  await step(base, 'arch', ['add-gateway']);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('two generators at once', () => {
  it(`create-service alpha & create-service beta, ${ROUNDS} times: both exit 0 and the workspace is as one after the other leaves it`, { timeout: 900_000 }, async () => {
    const serialOrders = [await serial('alpha-then-beta', ['alpha', 'beta']), await serial('beta-then-alpha', ['beta', 'alpha'])];
    let waited = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(work, `round-${round}`);
      cpSync(base, dir, { recursive: true });
      const [alpha, beta] = await Promise.all(['alpha', 'beta'].map((name) => runBin('create-service', [name, ...FLAGS], { cwd: dir })));
      expect(alpha!.exitCode, `round ${round}, alpha: ${alpha!.stderr}`).toBe(0);
      expect(beta!.exitCode, `round ${round}, beta: ${beta!.stderr}`).toBe(0);
      if (/Waiting for another archkit command/.test(`${alpha!.stdout}${beta!.stdout}`)) waited++;
      const state = snapshotDir(dir);
      // The readable reason first, then the whole tree.
      expect(state['.env.example'], `round ${round}`).toMatch(/^ALPHA_DB_PASSWORD=[\s\S]*^BETA_DB_PASSWORD=|^BETA_DB_PASSWORD=[\s\S]*^ALPHA_DB_PASSWORD=/m);
      expect(state['compose.yaml'], `round ${round}`).toMatch(/^ {2}alpha:$[\s\S]*^ {2}beta:$|^ {2}beta:$[\s\S]*^ {2}alpha:$/m);
      expect(state['services/gateway/src/routes.ts'], `round ${round}`).toMatch(/service: 'alpha'[\s\S]*service: 'beta'|service: 'beta'[\s\S]*service: 'alpha'/);
      expect(serialOrders.some((serialState) => isDeepStrictEqual(state, serialState)), `round ${round}: the same as alpha then beta, or beta then alpha`).toBe(true);
      expect(readdirSync(dir).filter((e) => e.startsWith(PRIVATE_PREFIX))).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
    console.info(`create-service alpha & beta: ${ROUNDS} rounds, one waited for the other's lock in ${waited}`);
  });
});

describe('a checkout archkit may not write to', () => {
  it('arch check and arch graph stop with one line (exit 2) where an interrupted write waits, and read nothing of it', { timeout: 120_000 }, async () => {
    const dir = path.join(work, 'read-only');
    cpSync(base, dir, { recursive: true });
    const staging = path.join(dir, `${PRIVATE_PREFIX}${deadPid()}-lx2k-0`);
    mkdirSync(path.join(staging, 'f'), { recursive: true });
    writeFileSync(path.join(staging, 'f/0'), `${readFileSync(path.join(dir, 'compose.yaml'), 'utf8')}# finished\n`);
    writeFileSync(path.join(staging, 'COMMIT'), JSON.stringify({ moves: [{ from: 'f/0', to: 'compose.yaml' }] }));
    chmodSync(work, 0o755);
    chmodSync(dir, 0o555);
    // Root may write anywhere: the command runs as nobody then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    try {
      for (const command of [['check'], ['graph']]) {
        const run = await execa(ARCHKIT_NODE, [path.join(REPO_ROOT, 'bin', 'arch.js'), ...command], { cwd: dir, reject: false, env: { NO_COLOR: '1' }, ...asUser });
        expect(run.exitCode, String(run.stderr)).toBe(2);
        expect(run.stderr.split('\n')[0]).toMatch(new RegExp(`^error an interrupted archkit write in ${dir} is unfinished, and cannot be finished here: EACCES`));
        expect(run.stdout).toBe('');
      }
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).not.toMatch(/# finished/);
  });
});
