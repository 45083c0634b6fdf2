/**
 * The supervisor of `arch dev` with small stand-ins for a watcher and its
 * service. A generated service shuts down gracefully on its first SIGTERM and
 * at once on a second, so each service must get exactly one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise, type Supervised } from '../../src/dev/supervise.js';
import { tmpDir } from '../helpers/tmp.js';

/**
 * A stand-in for `tsx watch src/main.ts`: a watcher process that starts the
 * service as its child and relays SIGTERM to it, as tsx and node --watch do.
 * The service says it is up, counts the SIGTERMs it gets and stops 300 ms
 * after the first. `exitWhen`: the watcher itself ends with code 3 once that file exists.
 */
function standIn(dir: string, name: string, options: { exitWhen?: string; ignoreSigterm?: boolean } = {}): Supervised {
  const service = path.join(dir, `${name}.service.mjs`);
  writeFileSync(
    service,
    `let terms = 0;
console.log('up on pid ' + process.pid);
console.error('a line on stderr');
process.on('SIGTERM', () => {
  terms += 1;
  console.log('SIGTERM #' + terms);
  ${options.ignoreSigterm ? '' : "if (terms === 1) setTimeout(() => { console.log('stopped gracefully'); process.exit(0); }, 300);"}
});
setInterval(() => {}, 1000);
`,
  );
  const watcher = path.join(dir, `${name}.watch.mjs`);
  writeFileSync(
    watcher,
    `import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
console.log('watcher on pid ' + process.pid);
const child = spawn(process.execPath, [${JSON.stringify(service)}], { stdio: 'inherit' });
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 1));
${options.exitWhen ? `setInterval(() => { if (existsSync(${JSON.stringify(options.exitWhen)})) { child.kill('SIGKILL'); process.exit(3); } }, 50);` : ''}
`,
  );
  return { name, cwd: dir, script: `node ${watcher}`, bin: [] };
}

function record() {
  const lines: string[] = [];
  const notes: string[] = [];
  return {
    lines,
    notes,
    output: (service: string, line: string, stream: 'stdout' | 'stderr') => lines.push(`${service} ${stream} ${line}`),
    note: (line: string) => notes.push(line),
  };
}

const env = () => Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
const waitUntil = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
};
const pidsOf = (lines: readonly string[]) => lines.flatMap((l) => /(?:up|watcher) on pid (\d+)/.exec(l)?.[1] ?? []).map(Number);
/** Running: there, and not a zombie (a killed grandchild stays one where PID 1 does not reap). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('arch dev: the supervisor', () => {
  it('prefixes each line with its service; on abort each service gets one SIGTERM, stops gracefully, and none is left', async () => {
    const dir = tmpDir();
    const out = record();
    const stop = new AbortController();
    const running = supervise([standIn(dir, 'orders'), standIn(dir, 'payments')], { env: env(), signal: stop.signal, output: out.output, note: out.note });
    await waitUntil(() => pidsOf(out.lines).length === 4);
    stop.abort();
    expect(await running).toEqual({ reason: 'signal' });
    for (const service of ['orders', 'payments']) {
      expect(out.lines).toContain(`${service} stderr a line on stderr`);
      expect(out.lines.filter((l) => l.startsWith(`${service} stdout SIGTERM`))).toEqual([`${service} stdout SIGTERM #1`]);
      expect(out.lines).toContain(`${service} stdout stopped gracefully`);
    }
    expect(pidsOf(out.lines).filter(alive)).toEqual([]);
    expect(out.notes.at(-1)).toBe('all services stopped');
  });

  it('stops the others when one service ends on its own, and says which', async () => {
    const dir = tmpDir();
    const out = record();
    const crash = path.join(dir, 'crash');
    const running = supervise([standIn(dir, 'orders', { exitWhen: crash }), standIn(dir, 'payments')], { env: env(), signal: new AbortController().signal, output: out.output, note: out.note });
    await waitUntil(() => pidsOf(out.lines).length === 4);
    writeFileSync(crash, '');
    const result = await running;
    expect(result).toEqual({ reason: 'exit', service: 'orders', code: 3 });
    expect(out.notes).toContain('orders stopped (exit code 3); stopping the others');
    expect(out.lines).toContain('payments stdout stopped gracefully');
    expect(pidsOf(out.lines).filter(alive)).toEqual([]);
  });

  it('kills a service that does not stop within the grace period, at once on a second interrupt', async () => {
    const dir = tmpDir();
    const out = record();
    const stop = new AbortController();
    const force = new AbortController();
    const running = supervise([standIn(dir, 'stubborn', { ignoreSigterm: true })], { env: env(), signal: stop.signal, force: force.signal, output: out.output, note: out.note, graceMs: 60_000 });
    await waitUntil(() => pidsOf(out.lines).length === 2);
    stop.abort();
    await waitUntil(() => out.lines.includes('stubborn stdout SIGTERM #1'));
    force.abort();
    expect(await running).toEqual({ reason: 'signal' });
    expect(out.lines).not.toContain('stubborn stdout stopped gracefully');
    expect(pidsOf(out.lines).filter(alive)).toEqual([]);
  });
});
