/**
 * kill -9 at random moments during every generator: afterwards the workspace is, as every archkit command sees
 * it, either as it was before the run or as an uninterrupted run leaves it, never a mix. A kill that lands in
 * the write step leaves a staging folder; `arch check` or `arch graph` (which finish an interrupted write before
 * reading, as every command does) settles it first. Over the trials both outcomes must occur, or the kill
 * moments missed one side of the write and the test proved nothing.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEY, publicKeyOf } from '../../src/generate/dev-key.js';
import { PRIVATE_PREFIX } from '../../src/generate/lock.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { ARCHKIT_NODE, REPO_ROOT, runBin } from '../helpers/e2e.js';

const TRIALS = 50;
/**
 * Kill moments are drawn from 0 to SPAN times the measured duration of a run: past its end too, since a run
 * killed while the machine is busier than when it was measured is still working on its write.
 */
const SPAN = 1.5;
const FLAGS = ['--yes', '--no-install', '--no-git'];
const work = mkdtempSync(path.join(tmpdir(), 'archkit-kill-'));

/** Workspaces the generators start from: `services` (orders, payments), `gateway` (and a gateway), `no-compose` (compose.yaml and .env.example deleted). */
type Base = 'services' | 'gateway' | 'no-compose';

const CASES: Array<{ name: string; base: Base; bin: 'arch' | 'create-service'; args: string[] }> = [
  { name: 'create-service', base: 'gateway', bin: 'create-service', args: ['inventory'] },
  { name: 'add-gateway', base: 'services', bin: 'arch', args: ['add-gateway'] },
  { name: 'add-producer', base: 'gateway', bin: 'arch', args: ['add-producer', 'orders', '--broker', 'rabbitmq', '--topic', 'order-created'] },
  { name: 'add-consumer', base: 'gateway', bin: 'arch', args: ['add-consumer', 'payments', '--broker', 'kafka', '--topic', 'order-created'] },
  { name: 'add-saga', base: 'gateway', bin: 'arch', args: ['add-saga', 'place-order', '--steps', 'orders,payments', '--broker', 'rabbitmq'] },
  { name: 'arch compose', base: 'no-compose', bin: 'arch', args: ['compose'] },
];

const base = (name: Base) => path.join(work, `base-${name}`);

/**
 * The tree as archkit commands see it: archkit's own entries (a stale lock, staging folders) left out, and the
 * development key pair (new random key material on every run) reduced to whether it is a pair.
 */
function canonical(dir: string): Record<string, string> {
  const files = Object.fromEntries(Object.entries(snapshotDir(dir)).filter(([file]) => !file.startsWith(PRIVATE_PREFIX)));
  const privatePem = files[DEV_KEY.privateKey];
  if (privatePem !== undefined) {
    files[DEV_KEY.privateKey] = privatePem.startsWith('-----BEGIN PRIVATE KEY-----') ? '<a PEM private key>' : privatePem;
    const pub = files[DEV_KEY.publicKey];
    if (pub !== undefined && pub === pairOf(privatePem)) files[DEV_KEY.publicKey] = '<the public key of the private key>';
  }
  return files;
}

function pairOf(privatePem: string): string | undefined {
  try {
    return publicKeyOf(privatePem);
  } catch {
    return undefined; // a torn key: no pair, and the state differs from both sides
  }
}

const stagingFolders = (dir: string) => readdirSync(dir).filter((e) => e.startsWith(PRIVATE_PREFIX) && !e.startsWith(`${PRIVATE_PREFIX}lock`));

function start(dir: string, bin: 'arch' | 'create-service', args: string[]) {
  return execa(ARCHKIT_NODE, [path.join(REPO_ROOT, 'bin', `${bin}.js`), ...args, ...FLAGS], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
}

beforeAll(async () => {
  const step = async (dir: string, bin: 'arch' | 'create-service', args: string[]) => {
    const run = await runBin(bin, [...args, ...FLAGS], { cwd: dir });
    expect(run.exitCode, `${bin} ${args.join(' ')}: ${run.stderr}`).toBe(0);
  };
  await step(work, 'arch', ['init', 'base-services']);
  await step(base('services'), 'create-service', ['orders']);
  await step(base('services'), 'create-service', ['payments']);
  cpSync(base('services'), base('gateway'), { recursive: true });
  await step(base('gateway'), 'arch', ['add-gateway']);
  cpSync(base('gateway'), base('no-compose'), { recursive: true });
  for (const file of ['compose.yaml', '.env.example']) rmSync(path.join(base('no-compose'), file));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(CASES)('$name killed with SIGKILL at random moments', ({ name, base: from, bin, args }) => {
  it(`leaves the workspace as it was or as the run leaves it, and both are seen over ${TRIALS} trials`, { timeout: 900_000 }, async () => {
    const before = canonical(base(from));
    // An uninterrupted run, twice: the state after, and how long a run takes here (the longer of the two).
    let after: Record<string, string> | undefined;
    let runMs = 0;
    for (let i = 0; i < 2; i++) {
      const dir = path.join(work, `${name}-reference-${i}`);
      cpSync(base(from), dir, { recursive: true });
      const started = performance.now();
      const run = await start(dir, bin, args);
      runMs = Math.max(runMs, performance.now() - started);
      expect(run.exitCode, String(run.stderr)).toBe(0);
      const state = canonical(dir);
      if (after) expect(state, 'two uninterrupted runs leave the same workspace').toEqual(after);
      after = state;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(after).not.toEqual(before);

    // Stratified: each trial draws its kill moment from its own slice of the span.
    const slices = Array.from({ length: TRIALS }, (_, i) => (runMs * SPAN * (i + Math.random())) / TRIALS);
    const outcomes = { before: 0, after: 0, finishedByCommand: 0 };
    for (const [i, delay] of slices.entries()) {
      const dir = path.join(work, `${name}-${i}`);
      cpSync(base(from), dir, { recursive: true });
      const child = start(dir, bin, args);
      await sleep(delay);
      child.kill('SIGKILL');
      await child;
      if (stagingFolders(dir).length > 0) {
        // Killed inside the write: the next command finishes (or undoes) it before it reads anything.
        outcomes.finishedByCommand++;
        const settle = i % 2 === 0 ? await runBin('arch', ['graph', '--format', 'json'], { cwd: dir }) : await runBin('arch', ['check', '--format', 'json'], { cwd: dir });
        expect([0, 1], String(settle.stderr)).toContain(settle.exitCode);
        expect(stagingFolders(dir)).toEqual([]);
      }
      const seen = canonical(dir);
      if (isDeepStrictEqual(seen, before)) outcomes.before++;
      else {
        expect(seen, `trial ${i}, killed after ${Math.round(delay)} ms: neither before nor after`).toEqual(after);
        outcomes.after++;
      }
      rmSync(dir, { recursive: true, force: true });
    }
    console.info(`${name}: ${TRIALS} kills over ${Math.round(runMs * SPAN)} ms: ${outcomes.before} before, ${outcomes.after} after, ${outcomes.finishedByCommand} finished by the next command`);
    expect(outcomes.before, 'no trial ended before the write').toBeGreaterThan(0);
    expect(outcomes.after, 'no trial ended after the write').toBeGreaterThan(0);
  });
});
