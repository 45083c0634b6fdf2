import { spawnSync } from 'node:child_process';

/** The pid of a process that has run and exited (and been reaped): a dead owner for locks and staging folders. */
export function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', '']);
  if (run.pid === undefined || run.status !== 0) throw new Error('could not run a short-lived process');
  return run.pid;
}
