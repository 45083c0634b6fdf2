/**
 * Runs the services' `dev` scripts side by side, each in a process group of
 * its own (the watcher and the service below it), with every line of output
 * handed on with the service's name. When `signal` aborts (Ctrl-C) each
 * script's process gets one SIGTERM, which a watcher (tsx watch, node
 * --watch) passes to the service, so it shuts down gracefully; what is left
 * of a group after the grace period is killed. When one service's process
 * ends on its own, the others are stopped the same way.
 *
 * The script runs as npm would run it (its folder's and the workspace's
 * node_modules/.bin first on PATH), but without npm and with the shell
 * replaced by the command (`exec`): a signal for npm or the shell would
 * reach the service twice (once directly, once relayed), and a second
 * SIGTERM ends a generated service at once instead of gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { createInterface } from 'node:readline';

export interface Supervised {
  name: string;
  cwd: string;
  /** The shell command of its `dev` script. */
  script: string;
  /** Folders put first on PATH (node_modules/.bin of the service and the workspace). */
  bin: readonly string[];
}

export interface SuperviseOptions {
  env: Record<string, string>;
  /** Aborted to stop the services gracefully (the first Ctrl-C). */
  signal: AbortSignal;
  /** Aborted to kill them at once (a second Ctrl-C while they stop). */
  force?: AbortSignal;
  /** One line of a service's output. */
  output: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** A line about the services themselves (started, stopped). */
  note: (line: string) => void;
  /** How long a service may take to stop after SIGTERM before it is killed. */
  graceMs?: number;
}

export type SuperviseResult = { reason: 'signal' } | { reason: 'exit'; service: string; code: number | null };

interface Running {
  name: string;
  child: ChildProcess;
  /** The script is one command, run in the shell's place: SIGTERM goes to it alone, not its group. */
  simple: boolean;
  /** Resolves when the script's process, the group's leader, has exited. */
  exited: Promise<number | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The processes of the groups `pgids` that still run, from /proc (Linux),
 * leaving out zombies: a service whose watcher was killed is a child of PID
 * 1, and an init that does not reap (some containers) leaves it a zombie
 * that `kill(-pgid, 0)` still finds.
 */
export function runningInGroups(pgids: readonly number[]): number[] {
  const running: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (pgids.includes(Number(pgrp)) && state !== 'Z') running.push(Number(entry));
  }
  return running;
}

/** Whether any process of the group `pgid` is still running. */
function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') return runningInGroups([pgid]).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM to every group, SIGKILL to those still there after `graceMs`; resolves when no process of any group is left. */
async function stopAll(running: readonly Running[], graceMs: number, force: AbortSignal): Promise<void> {
  const groups = running.map((r) => r.child.pid).filter((pid): pid is number => pid !== undefined);
  for (const { child, simple } of running) {
    if (child.pid === undefined) continue;
    if (simple) child.kill('SIGTERM');
    else signalGroup(child.pid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (groups.some(groupAlive)) {
    if (Date.now() > deadline || force.aborted) {
      for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
    }
    await sleep(100);
  }
}

export async function supervise(services: readonly Supervised[], options: SuperviseOptions): Promise<SuperviseResult> {
  const running: Running[] = [];
  let firstExit: ((result: SuperviseResult) => void) | undefined;
  const ended = new Promise<SuperviseResult>((resolve) => (firstExit = resolve));
  for (const service of services) {
    // One command (no list, pipe or redirection): the shell is replaced by it, so its pid is the one to signal.
    const simple = !/[;&|<>`\n]|\$\(/.test(service.script);
    const env = { ...options.env, PATH: [...service.bin, options.env.PATH ?? ''].join(delimiter) };
    // `detached`: a process group of its own, so what is left of it can be killed as one.
    const child = spawn('sh', ['-c', simple ? `exec ${service.script}` : service.script], { cwd: service.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => options.output(service.name, line, stream));
    }
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', (error) => {
        options.note(`${service.name}: ${error.message}`);
        resolve(null);
      });
      child.once('exit', (code) => resolve(code));
    });
    void exited.then((code) => firstExit?.({ reason: 'exit', service: service.name, code }));
    running.push({ name: service.name, child, simple, exited });
    options.note(`started ${service.name} (process group ${child.pid ?? '?'})`);
  }
  const aborted = new Promise<SuperviseResult>((resolve) => {
    if (options.signal.aborted) resolve({ reason: 'signal' });
    options.signal.addEventListener('abort', () => resolve({ reason: 'signal' }), { once: true });
  });
  const result = await Promise.race([ended, aborted]);
  firstExit = undefined;
  if (result.reason === 'exit') options.note(`${result.service} stopped (exit code ${result.code ?? 'none'}); stopping the others`);
  else options.note('stopping every service (Ctrl-C again to kill them at once)…');
  await stopAll(running, options.graceMs ?? 20_000, options.force ?? new AbortController().signal);
  await Promise.all(running.map((r) => r.exited));
  options.note('all services stopped');
  return result;
}
