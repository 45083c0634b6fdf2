/**
 * kill -9 at random moments: afterwards the new service folder either does
 * not exist or is complete, and the next run finishes (or undoes) what the
 * killed one left, ending in exactly the state of an uninterrupted run.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { ARCHKIT_NODE, REPO_ROOT, runBin } from '../helpers/e2e.js';

const work = mkdtempSync(path.join(tmpdir(), 'archkit-kill-'));
const pristine = path.join(work, 'pristine');
let reference: Record<string, string> = {};
let referenceMs = 0;

beforeAll(async () => {
  const init = await runBin('arch', ['init', 'pristine', '--yes', '--no-install', '--no-git'], { cwd: work });
  expect(init.exitCode).toBe(0);
  const ref = path.join(work, 'reference');
  cpSync(pristine, ref, { recursive: true });
  const started = Date.now();
  const run = await runBin('create-service', ['orders', '--yes', '--no-install', '--no-git'], { cwd: ref });
  referenceMs = Date.now() - started;
  expect(run.exitCode).toBe(0);
  reference = snapshotDir(ref);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const serviceFiles = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('services/orders/')));

describe('create-service killed with SIGKILL', () => {
  it('never leaves a half-written service, and the next run completes it', { timeout: 300_000 }, async () => {
    const outcomes = { absent: 0, complete: 0 };
    const runs = 12;
    for (let i = 0; i < runs; i++) {
      const dir = path.join(work, `run-${i}`);
      cpSync(pristine, dir, { recursive: true });
      const child = execa(ARCHKIT_NODE, [path.join(REPO_ROOT, 'bin', 'create-service.js'), 'orders', '--yes', '--no-install', '--no-git'], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
      // Spread kill moments over the whole run, including start-up and the write step.
      const delay = Math.round((referenceMs * 1.2 * (i + 0.5)) / runs);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await child;

      const after = snapshotDir(dir);
      const service = serviceFiles(after);
      if (existsSync(path.join(dir, 'services', 'orders'))) {
        expect(service, `run ${i} (killed after ${delay} ms): services/orders must be complete`).toEqual(serviceFiles(reference));
        outcomes.complete++;
      } else {
        expect(service).toEqual({});
        outcomes.absent++;
      }

      // The next run rolls the interrupted write forward or back, then writes what is missing.
      const again = await runBin('create-service', ['orders', '--yes', '--no-install', '--no-git', ...(outcomes.complete && existsSync(path.join(dir, 'services', 'orders')) ? ['--force'] : [])], { cwd: dir });
      expect(again.exitCode, String(again.stderr)).toBe(0);
      expect(snapshotDir(dir)).toEqual(reference);
    }
    // Both outcomes should occur over the spread of kill moments; log them for the record.
    console.info(`kill -9 outcomes over ${runs} runs: ${outcomes.absent} absent, ${outcomes.complete} complete (reference run ${referenceMs} ms)`);
  });
});
