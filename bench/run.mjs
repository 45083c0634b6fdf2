// archkit benchmarks: startup, generation and peak memory, side by side with
// create-vite and the Nest CLI. Run with `npm run bench` (after `npm run build`).
// Prints machine facts, a Markdown table for the README, and a verdict per target.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work');
const PEERS = path.join(WORK, 'peers');
const PEER_VERSIONS = { 'create-vite': '9.3.0', '@nestjs/cli': '12.0.8' }; // exact pins
const STARTUP_RUNS = 20, GEN_RUNS = 10, NEST_GEN_RUNS = 3, WARMUPS = 3, MEM_RUNS = 5;

const NODE = process.execPath;
// @nestjs/cli 12 pulls @angular-devkit/* 22 and commander 15, whose engines need Node >= 22.12:
// run Nest on the Node 22 binary from the `node` devDependency when this is an older Node.
const NODE22_BIN = path.join(ROOT, 'node_modules', 'node', 'bin', 'node');
const NODE_FOR_NEST = process.versions.node.split('.')[0] < 22 && existsSync(NODE22_BIN) ? NODE22_BIN : NODE;

// ---------- setup ----------
const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });
const versions = new Map();
const nodeVersion = (bin) => versions.get(bin) ?? versions.set(bin, sh(bin, ['--version']).stdout.trim()).get(bin);
const peerVersion = (name) => {
  const p = path.join(PEERS, 'node_modules', name, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : null;
};

if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
if (Object.entries(PEER_VERSIONS).some(([n, v]) => peerVersion(n) !== v)) {
  console.log(`Installing peers into ${path.relative(ROOT, PEERS)} ...`);
  mkdirSync(PEERS, { recursive: true });
  writeFileSync(path.join(PEERS, 'package.json'), '{ "private": true }\n');
  const specs = Object.entries(PEER_VERSIONS).map(([n, v]) => `${n}@${v}`);
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', ...specs],
    { cwd: PEERS, stdio: 'inherit' });
  if (r.status !== 0) console.error('peer install failed: peer figures will be marked failed');
}

const bin = (...p) => path.join(ROOT, 'bin', ...p);
const peerBin = (...p) => path.join(PEERS, 'node_modules', ...p);
const ARCH = bin('arch.js'), CREATE_SERVICE = bin('create-service.js');
const CREATE_VITE = peerBin('create-vite', 'index.js'), NEST = peerBin('@nestjs', 'cli', 'bin', 'nest.js');

const tmpDirs = [];
const freshDir = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'archkit-bench-')); tmpDirs.push(d); return d; };
const cleanTmp = () => { for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true }); };

// Untimed per-run setup for create-service: an empty `arch init` workspace.
const initWorkspace = () => {
  const dir = freshDir();
  const r = sh(NODE, [ARCH, 'init', 'ws', '--yes', '--no-install', '--no-git'], { cwd: dir });
  if (r.status !== 0) throw new Error(`arch init failed (exit ${r.status}): ${tail(r)}`);
  return path.join(dir, 'ws');
};

// Untimed per-run setup for arch compose: a copy of one workspace with four services (two on RabbitMQ) and the
// gateway, made once; `missing` deletes its compose.yaml so the run writes it anew.
let composeTemplate;
const composeWorkspace = (missing) => () => {
  if (!composeTemplate) {
    composeTemplate = path.join(mkdtempSync(path.join(os.tmpdir(), 'archkit-bench-compose-')), 'ws');
    const run = (args, cwd) => { const r = sh(NODE, args, { cwd }); if (r.status !== 0) throw new Error(`${args.slice(1, 3).join(' ')} failed: ${tail(r)}`); };
    run([ARCH, 'init', 'ws', '--yes', '--no-install', '--no-git'], path.dirname(composeTemplate));
    for (const name of ['orders', 'payments', 'inventory', 'shipping']) run([CREATE_SERVICE, name, '--yes', '--no-install', '--no-git'], composeTemplate);
    run([ARCH, 'add-producer', 'orders', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install'], composeTemplate);
    run([ARCH, 'add-consumer', 'payments', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install'], composeTemplate);
    run([ARCH, 'add-gateway', '--yes', '--no-install', '--no-git'], composeTemplate);
  }
  const dir = path.join(freshDir(), 'ws');
  cpSync(composeTemplate, dir, { recursive: true });
  if (missing) rmSync(path.join(dir, 'compose.yaml'));
  return dir;
};

// ---------- benches: { label, node, args, setup?() -> cwd, runs } ----------
const startup = [
  { label: 'node -e 0', node: NODE, args: ['-e', '0'] },
  { label: 'arch --help', node: NODE, args: [ARCH, '--help'] },
  { label: 'create-service --help', node: NODE, args: [CREATE_SERVICE, '--help'] },
  { label: 'create-vite --help', node: NODE, args: [CREATE_VITE, '--help'] },
  { label: 'nest --help', node: NODE_FOR_NEST, args: [NEST, '--help'] },
  ...(NODE_FOR_NEST !== NODE ? [{ label: 'node -e 0 (Nest\'s node)', node: NODE_FOR_NEST, args: ['-e', '0'] }] : []),
].map((b) => ({ ...b, runs: STARTUP_RUNS, warmups: WARMUPS }));

const generation = [
  { label: 'create-service x --yes --no-install --no-git', node: NODE,
    args: [CREATE_SERVICE, 'x', '--yes', '--no-install', '--no-git'], setup: initWorkspace, runs: GEN_RUNS },
  { label: 'create-vite app --template vanilla-ts --no-interactive', node: NODE,
    args: [CREATE_VITE, 'app', '--template', 'vanilla-ts', '--no-interactive'], setup: freshDir, runs: GEN_RUNS },
  { label: 'nest new app --skip-install --skip-git --package-manager npm', node: NODE_FOR_NEST,
    args: [NEST, 'new', 'app', '--skip-install', '--skip-git', '--package-manager', 'npm'], setup: freshDir, runs: NEST_GEN_RUNS },
  { label: 'arch compose (4 services + gateway, nothing to change)', node: NODE, args: [ARCH, 'compose', '--yes'], setup: composeWorkspace(false), runs: GEN_RUNS },
  { label: 'arch compose (same workspace, compose.yaml deleted)', node: NODE, args: [ARCH, 'compose', '--yes'], setup: composeWorkspace(true), runs: GEN_RUNS },
].map((b) => ({ ...b, warmups: 1 }));

// ---------- measurement ----------
function tail(r) {
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}${r.error ? r.error.message : ''}`.trim().split('\n');
  return out.slice(-3).join(' | ');
}

function runOnce(b, { capture = false, prefix = [] } = {}) {
  const cwd = b.setup ? b.setup() : ROOT;
  const [cmd, ...args] = [...prefix, b.node, ...b.args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'ignore', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, r, cwd };
}

// Warm-ups (the first one doubles as the exit-0 check), then timed runs round-robin.
function measure(benches) {
  for (const b of benches) {
    b.times = [];
    try {
      for (let i = 0; i < b.warmups && !b.failed; i++) {
        const { r } = runOnce(b, { capture: true });
        if (r.status !== 0) b.failed = `exit ${r.status ?? r.signal}: ${tail(r)}`;
      }
    } catch (e) { b.failed = e.message; }
    if (b.failed) console.error(`FAILED  ${b.label}\n        ${b.failed}`);
    cleanTmp();
  }
  const maxRuns = Math.max(...benches.map((b) => b.runs));
  for (let i = 0; i < maxRuns; i++) {
    for (const b of benches) {
      if (b.failed || i >= b.runs) continue;
      try {
        const { ms, r } = runOnce(b);
        if (r.status !== 0) b.failed = `exit ${r.status ?? r.signal} on timed run ${i + 1}`;
        else b.times.push(ms);
      } catch (e) { b.failed = e.message; }
    }
    cleanTmp();
  }
}

// Max RSS (KiB) via GNU time; median of MEM_RUNS runs. null when GNU time is missing.
const GNU_TIME = ['/usr/bin/time', 'gtime'].find((t) => { const r = sh(t, ['--version']); return /GNU/.test(`${r.stdout}${r.stderr}`); });
function maxRss(b) {
  if (!GNU_TIME || b.failed) return null;
  const out = path.join(freshDir(), 'rss');
  const samples = [];
  for (let i = 0; i < MEM_RUNS; i++) {
    const { r } = runOnce(b, { prefix: [GNU_TIME, '-f', '%M', '-o', out] });
    if (r.status === 0) samples.push(Number(readFileSync(out, 'utf8').trim().split('\n').pop()));
  }
  cleanTmp();
  return samples.length ? median(samples) : null;
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const p90 = (xs) => sorted(xs)[Math.ceil(0.9 * xs.length) - 1];

// ---------- run ----------
const git = sh('git', ['describe', '--always', '--dirty'], { cwd: ROOT }).stdout?.trim() || 'unknown';
console.log(`archkit ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${git})`);
console.log(`node ${process.version}${NODE_FOR_NEST !== NODE ? `, Nest runs on node ${nodeVersion(NODE_FOR_NEST)}` : ''}`);
console.log(`CPU: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load avg ${os.loadavg()[0].toFixed(2)}`);
console.log(`peers: ${Object.keys(PEER_VERSIONS).map((n) => `${n}@${peerVersion(n) ?? 'missing'}`).join(', ')}`);
console.log(`max RSS: ${GNU_TIME ? `GNU time (${GNU_TIME})` : 'unavailable (GNU time not found; on Debian/Ubuntu: apt-get install -y time)'}\n`);

console.log(`startup: ${WARMUPS} warm-ups + ${STARTUP_RUNS} runs each, round-robin ...`);
measure(startup);
console.log(`generation: 1 warm-up + ${GEN_RUNS} runs each (nest: ${NEST_GEN_RUNS}), round-robin, fresh temp dir per run ...`);
measure(generation);
const memOf = new Set(['node -e 0', 'arch --help', 'create-vite --help', generation[0].label, generation[1].label]);
console.log(`max RSS: median of ${MEM_RUNS} runs ...\n`);
for (const b of [...startup, ...generation]) if (memOf.has(b.label)) b.rss = maxRss(b);

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const row = (kind, b) => {
  const ok = !b.failed && b.times.length;
  const rss = !memOf.has(b.label) ? '–' : b.rss ? `${(b.rss / 1024).toFixed(0)} MiB` : b.failed ? 'failed' : 'unavailable';
  return `| ${kind} | \`${b.label}\` | ${nodeVersion(b.node)} | ${ok ? fmt(median(b.times)) : 'failed'} | ${ok ? fmt(p90(b.times)) : 'failed'} | ${ok ? b.times.length : 0} | ${rss} |`;
};
console.log('| Bench | Command | Node | Median | p90 | Runs | Max RSS |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const b of startup) console.log(row('startup', b));
for (const b of generation) console.log(row('generation', b));

// ---------- verdicts ----------
const med = (list, label) => { const b = list.find((x) => x.label === label); return b && !b.failed && b.times.length ? median(b.times) : null; };
const archHelp = med(startup, 'arch --help'), viteHelp = med(startup, 'create-vite --help'), node0 = med(startup, 'node -e 0');
const csGen = med(generation, generation[0].label), viteGen = med(generation, generation[1].label);
const verdict = (name, value, target, ok, unit = '') => console.log(value == null
  ? `FAIL  ${name}: not measured (a command failed) — target ${target}`
  : `${ok(value) ? 'PASS' : 'FAIL'}  ${name} = ${value.toFixed(2)}${unit} (target ${target})`);
console.log('');
verdict('startup  arch --help / create-vite --help', archHelp && viteHelp && archHelp / viteHelp, '≤ 1.1', (v) => v <= 1.1);
verdict('startup  arch --help / node -e 0', archHelp && node0 && archHelp / node0, '≤ 1.5', (v) => v <= 1.5);
verdict('generate create-service / create-vite', csGen && viteGen && csGen / viteGen, '≤ 1.5', (v) => v <= 1.5);
verdict('generate create-service', csGen && csGen / 1000, '< 0.3 s', (v) => v < 0.3, ' s');
if (composeTemplate) rmSync(path.dirname(composeTemplate), { recursive: true, force: true });
