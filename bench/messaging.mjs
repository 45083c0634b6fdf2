// add-producer / add-consumer on an existing service (no install): median time and peak memory.
// Target (issue #4): median under 1 s. ts-morph is loaded by these commands (they edit TypeScript);
// each edit parses one file in an in-memory project, never the whole program. The TypeScript compiler
// inside ts-morph is compiled from a V8 code cache (~/.cache/archkit) written by the first run on a
// machine: the last row measures that first run (a fresh, empty cache folder each time).
// Run with `npm run bench:messaging` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARCH = path.join(ROOT, 'bin', 'arch.js');
const CREATE = path.join(ROOT, 'bin', 'create-service.js');
const RUNS = Number(process.env.RUNS ?? 10);
const NODE = process.execPath;

if (!existsSync(path.join(ROOT, 'dist', 'bin', 'main.cjs')) && !existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

const sh = (args, cwd) => {
  const r = spawnSync(NODE, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.slice(1).join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return r;
};

/** An `arch init` workspace with orders and payments, not installed (untimed). */
function workspace() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'archkit-bench-msg-'));
  sh([ARCH, 'init', 'ws', '--yes', '--no-install', '--no-git'], dir);
  const ws = path.join(dir, 'ws');
  for (const name of ['orders', 'payments']) sh([CREATE, name, '--yes', '--no-install', '--no-git'], ws);
  return { dir, ws };
}

const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

function timed(args, cwd, env) {
  const prefix = hasTime ? ['/usr/bin/time', '-f', '%M'] : [];
  const [cmd, ...rest] = [...prefix, NODE, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, rest, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.slice(1).join(' ')} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const kb = hasTime ? Number(r.stderr.trim().split('\n').at(-1)) : NaN;
  return { ms, mb: kb / 1024 };
}

const benches = [
  { label: 'arch add-producer orders --broker rabbitmq --topic order-created', args: [ARCH, 'add-producer', 'orders', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install'] },
  { label: 'arch add-consumer payments --broker rabbitmq --topic order-created', args: [ARCH, 'add-consumer', 'payments', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install'] },
  { label: 'arch add-consumer payments --broker kafka --topic order-created', args: [ARCH, 'add-consumer', 'payments', '--broker', 'kafka', '--topic', 'order-created', '--yes', '--no-install'] },
  { label: 'arch add-consumer payments --broker rabbitmq … (first run on a machine: no code cache)', cold: true, args: [ARCH, 'add-consumer', 'payments', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install'] },
];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${RUNS} runs each (fresh workspace per run, untimed set-up)\n`);
console.log('| command | median | min | max | peak RSS |');
console.log('| --- | ---: | ---: | ---: | ---: |');
let ok = true;
for (const b of benches) {
  const times = [], mems = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const { dir, ws } = workspace();
    try {
      const env = b.cold ? { XDG_CACHE_HOME: path.join(dir, 'cache') } : {};
      const { ms, mb } = timed(b.args, ws, env);
      if (i > 0) { times.push(ms); mems.push(mb); } // the first run warms the file cache
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = median(times);
  if (!b.cold) ok &&= med < 1000;
  const mem = mems.some(Number.isNaN) ? 'n/a' : `${Math.max(...mems).toFixed(0)} MB`;
  console.log(`| \`${b.label}\` | ${(med / 1000).toFixed(2)} s | ${(Math.min(...times) / 1000).toFixed(2)} s | ${(Math.max(...times) / 1000).toFixed(2)} s | ${mem} |`);
}
console.log(`\ntarget: median under 1 s (with the code cache in place) — ${ok ? 'met' : 'NOT met'}`);
