// archkit benchmark: `arch check` on a synthetic monorepo (bench/synthetic-repo.mjs) of
// N = 20 and N = 100 services × 40 TypeScript files, side by side with the parse floor
// (bench/parse-floor.mjs: read + createSourceFile, nothing else; one thread and all cores)
// and dependency-cruiser with a small rule set on the same tree.
// Run with `npm run bench:check` (after `npm run build`); `--runs <n>` (default 5),
// `--sizes 20,100`, `--arch <file>` (another build's bin/arch.js, to compare builds).
// Prints machine facts, a Markdown table for the README, and verdicts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRepo } from './synthetic-repo.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work');
const PEERS = path.join(WORK, 'peers');
const PEER_VERSIONS = { 'dependency-cruiser': '18.7.2' }; // exact pin
const FILES_PER_SERVICE = 40, SEED = 1, WARMUPS = 1;

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback; };
const RUNS = Math.max(1, Number(arg('--runs', 5)) || 5);
const SIZES = arg('--sizes', '20,100').split(',').map(Number).filter((n) => n > 0);

const NODE = process.execPath;
// dependency-cruiser 18 needs Node ^22 || ^24 || >=26: the Node 22 binary of the `node` devDependency.
const NODE22_BIN = path.join(ROOT, 'node_modules', 'node', 'bin', 'node');
const NODE_FOR_DEPCRUISE = Number(process.versions.node.split('.')[0]) < 22 && existsSync(NODE22_BIN) ? NODE22_BIN : NODE;

// ---------- setup ----------
const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });
const versions = new Map();
const nodeVersion = (bin) => versions.get(bin) ?? versions.set(bin, sh(bin, ['--version']).stdout?.trim() ?? '?').get(bin);
const peerVersion = (name) => {
  const p = path.join(PEERS, 'node_modules', name, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : null;
};

// dist/ must exist and should be newer than src/ (a stale build measures old code).
const DIST_MAIN = path.join(ROOT, 'dist', 'bin', 'main.cjs');
const newest = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((d) => d.isFile()).reduce((m, d) => Math.max(m, statSync(path.join(d.parentPath ?? d.path, d.name)).mtimeMs), 0);
const distStamp = () => (existsSync(DIST_MAIN) ? statSync(DIST_MAIN).mtimeMs : 0);
const DIST_AT_START = distStamp();
if (!existsSync(DIST_MAIN)) console.error('WARNING dist/ is missing: run `npm run build` first (arch check will be reported as failed).');
else if (newest(path.join(ROOT, 'src')) > statSync(DIST_MAIN).mtimeMs) console.error('WARNING src/ is newer than dist/: run `npm run build` to measure the current code.');

if (Object.entries(PEER_VERSIONS).some(([n, v]) => peerVersion(n) !== v)) {
  console.log(`Installing ${Object.keys(PEER_VERSIONS).join(', ')} into ${path.relative(ROOT, PEERS)} ...`);
  mkdirSync(PEERS, { recursive: true });
  // Shared with bench/run.mjs's peers: keep its package.json (and its peers) when there is one.
  if (!existsSync(path.join(PEERS, 'package.json'))) writeFileSync(path.join(PEERS, 'package.json'), '{ "private": true }\n');
  const specs = Object.entries(PEER_VERSIONS).map(([n, v]) => `${n}@${v}`);
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', ...specs],
    { cwd: PEERS, stdio: 'inherit' });
  if (r.status !== 0) console.error('peer install failed: dependency-cruiser figures will be marked failed');
}

// The small rule set for dependency-cruiser: run from the repository root over `services`.
const DEPCRUISE_CONFIG = path.join(WORK, '.dependency-cruiser.cjs');
mkdirSync(WORK, { recursive: true });
writeFileSync(DEPCRUISE_CONFIG, `/** bench/check.mjs: a small dependency-cruiser rule set. @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-orphans', severity: 'warn',
      from: { orphan: true, pathNot: ['(^|/)[.][^/]+[.](?:js|cjs|mjs|ts|cts|mts|json)$', '[.]d[.][cm]?ts$', '(^|/)tsconfig[.]json$'] },
      to: {},
    },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
    {
      name: 'no-cross-service-imports', severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/[^/]+/', pathNot: '^services/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
`);

const ARCH = path.resolve(arg('--arch', path.join(ROOT, 'bin', 'arch.js')));
const PARSE_FLOOR = path.join(ROOT, 'bench', 'parse-floor.mjs');
const DEPCRUISE = path.join(PEERS, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

// ---------- benches ----------
// Each: { label, node, args, cwd, okStatus(status) , check(stdout) -> note | throws }.
// Timed runs must end with the warm-up's exit status (findings make arch and depcruise exit non-zero).
const tailOf = (r) => `${r.stderr ?? ''}${r.stdout ?? ''}${r.error ? r.error.message : ''}`.trim().split('\n').slice(-3).join(' | ');

function benchesFor(n, repo, meta) {
  return [
    {
      key: 'arch', label: `arch check <repo> --format json`, node: NODE, cwd: ROOT,
      args: [ARCH, 'check', repo, '--format', 'json'],
      okStatus: (s) => s === 0 || s === 1,
      check: (out) => {
        let j;
        try { j = JSON.parse(out); } catch { throw new Error('stdout is not JSON'); }
        const services = Array.isArray(j.services) ? j.services.length : '?';
        const findings = Array.isArray(j.findings) ? j.findings.length : '?';
        return `${services} services, ${findings} findings`;
      },
    },
    {
      key: 'floor', label: 'parse floor (1 thread)', node: NODE, cwd: ROOT, args: [PARSE_FLOOR, repo],
      okStatus: (s) => s === 0, check: (out) => out.trim(),
    },
    {
      key: 'floorW', label: `parse floor (--workers, ${os.availableParallelism?.() ?? os.cpus().length} threads)`, node: NODE, cwd: ROOT,
      args: [PARSE_FLOOR, repo, '--workers'], okStatus: (s) => s === 0, check: (out) => out.trim(),
    },
    {
      key: 'depcruise', label: 'depcruise services (4 rules, --output-type err)', node: NODE_FOR_DEPCRUISE, cwd: repo,
      args: [DEPCRUISE, 'services', '--config', DEPCRUISE_CONFIG, '--output-type', 'err'],
      // Exit status = number of error-level violations; the summary line proves the cruise finished.
      okStatus: (s) => s !== null && s < 128,
      check: (out) => {
        const m = /(\d+) modules, (\d+) dependencies cruised/.exec(out);
        if (!m) throw new Error('no "modules, dependencies cruised" summary in the output');
        const v = /(\d+) dependency violations \(([^)]*)\)/.exec(out);
        return `${m[1]} modules, ${m[2]} dependencies${v ? `, ${v[1]} violations (${v[2]})` : ', no violations'}`;
      },
    },
  ].map((b) => ({ ...b, n, files: meta.tsFiles, times: [], rss: [] }));
}

// ---------- measurement ----------
const GNU_TIME = ['/usr/bin/time', 'gtime'].find((t) => { const r = sh(t, ['--version']); return /GNU/.test(`${r.stdout}${r.stderr}`); });
const RSS_FILE = path.join(WORK, 'check-rss.txt');

function runOnce(b, { capture = false } = {}) {
  const prefix = GNU_TIME && !capture ? [GNU_TIME, '-f', '%M', '-o', RSS_FILE] : [];
  const [cmd, ...args] = [...prefix, b.node, ...b.args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd: b.cwd, encoding: 'utf8', maxBuffer: 256 * 2 ** 20,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rss = null;
  if (prefix.length) {
    // GNU time prints "Command exited with non-zero status N" before %M: take the last line.
    try { rss = Number(readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop()); } catch { /* no figure */ }
  }
  return { ms, r, rss };
}

// Warm-up (captured: exit status and output checked), then timed runs round-robin; every timed
// run also records its peak RSS through GNU time.
function measure(benches) {
  for (const b of benches) {
    try {
      for (let i = 0; i < WARMUPS && !b.failed; i++) {
        const { r, ms } = runOnce(b, { capture: true });
        if (r.error || !b.okStatus(r.status)) { b.failed = `exit ${r.status ?? r.signal ?? r.error?.code}: ${tailOf(r)}`; break; }
        try { b.note = b.check(r.stdout); } catch (e) { b.failed = `exit ${r.status}, ${e.message}: ${tailOf(r)}`; break; }
        b.status = r.status;
        console.log(`  warm-up ${b.label} @ N=${b.n}: ${(ms / 1000).toFixed(2)} s, exit ${r.status}; ${b.note}`);
      }
    } catch (e) { b.failed = e.message; }
    if (b.failed) console.error(`FAILED  ${b.label} @ N=${b.n}\n        ${b.failed}`);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const b of benches) {
      if (b.failed) continue;
      try {
        const { ms, r, rss } = runOnce(b);
        if (r.status !== b.status) b.failed = `exit ${r.status ?? r.signal} on timed run ${i + 1} (warm-up: ${b.status}): ${tailOf(r)}`;
        else { b.times.push(ms); if (rss) b.rss.push(rss); }
      } catch (e) { b.failed = e.message; }
      if (b.failed) console.error(`FAILED  ${b.label} @ N=${b.n}\n        ${b.failed}`);
    }
  }
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const p90 = (xs) => sorted(xs)[Math.ceil(0.9 * xs.length) - 1];

// ---------- run ----------
const git = sh('git', ['describe', '--always', '--dirty'], { cwd: ROOT }).stdout?.trim() || 'unknown';
console.log(`archkit ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (${git})`);
console.log(`node ${process.version}${NODE_FOR_DEPCRUISE !== NODE ? `, dependency-cruiser runs on node ${nodeVersion(NODE_FOR_DEPCRUISE)}` : ''}`);
console.log(`CPU: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load avg ${os.loadavg()[0].toFixed(2)}`);
console.log(`peers: ${Object.keys(PEER_VERSIONS).map((n) => `${n}@${peerVersion(n) ?? 'missing'}`).join(', ')}; typescript ${(() => { try { return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version; } catch { return 'missing'; } })()}`);
if (ARCH !== path.join(ROOT, 'bin', 'arch.js')) console.log(`arch: ${path.relative(ROOT, ARCH)}`);
console.log(`peak RSS: ${GNU_TIME ? `GNU time (${GNU_TIME}), max over the timed runs` : 'unavailable (GNU time not found; on Debian/Ubuntu: apt-get install -y time)'}\n`);

const all = [];
const metaOf = new Map();
for (const n of SIZES) {
  const repo = path.join(WORK, `check-${n}`);
  const t0 = performance.now();
  let meta;
  try { meta = ensureRepo(repo, { services: n, filesPerService: FILES_PER_SERVICE, seed: SEED }); }
  catch (e) { console.error(`FAILED  generating ${path.relative(ROOT, repo)}: ${e.message}`); continue; }
  metaOf.set(n, meta);
  console.log(`N=${n}: ${path.relative(ROOT, repo)} ${meta.reused ? 'reused' : `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`}: ${meta.tsFiles} .ts files, ${meta.tsLines} lines`);
  console.log(`  ${WARMUPS} warm-up + ${RUNS} timed runs each, round-robin ...`);
  const benches = benchesFor(n, repo, meta);
  measure(benches);
  all.push(...benches);
}
rmSync(RSS_FILE, { force: true });
if (distStamp() !== DIST_AT_START) console.error('\nWARNING dist/ was rebuilt during the run: figures for arch check may mix two builds; run again.');

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const ok = (b) => b && !b.failed && b.times.length;
console.log('\n| N | Files | Command | Node | Median | p90 | Runs | Peak RSS |');
console.log('|---:|---:|---|---|---:|---:|---:|---:|');
for (const b of all) {
  const rss = b.rss.length ? `${(Math.max(...b.rss) / 1024).toFixed(0)} MiB` : ok(b) ? 'unavailable' : 'failed';
  console.log(`| ${b.n} | ${b.files} | \`${b.label}\` | ${nodeVersion(b.node)} | ${ok(b) ? fmt(median(b.times)) : 'failed'} | ${ok(b) ? fmt(p90(b.times)) : 'failed'} | ${ok(b) ? b.times.length : 0} | ${rss} |`);
}

// ---------- verdicts ----------
const find = (n, key) => all.find((b) => b.n === n && b.key === key);
const med = (n, key) => { const b = find(n, key); return ok(b) ? median(b.times) : null; };
const peak = (n, key) => { const b = find(n, key); return ok(b) && b.rss.length ? Math.max(...b.rss) / 1024 : null; };
const verdict = (name, value, target, pass, unit = '') => console.log(value == null || Number.isNaN(value)
  ? `FAIL  ${name}: not measured (a command failed) — target ${target}`
  : `${pass(value) ? 'PASS' : 'FAIL'}  ${name} = ${value.toFixed(2)}${unit} (target ${target})`);
const info = (name, value, unit = '') => console.log(`info  ${name} = ${value == null ? 'not measured' : `${value.toFixed(2)}${unit}`}`);
const ratio = (a, b) => (a != null && b != null ? a / b : null);

const BIG = Math.max(...SIZES), SMALL = Math.min(...SIZES);
console.log('');
verdict(`check  depcruise / arch check @ N=${BIG}`, ratio(med(BIG, 'depcruise'), med(BIG, 'arch')), '≥ 3', (v) => v >= 3);
verdict(`check  arch check / parse floor (1 thread) @ N=${BIG}`, ratio(med(BIG, 'arch'), med(BIG, 'floor')), '≤ 1.5', (v) => v <= 1.5);
info(`check  arch check / parse floor (--workers) @ N=${BIG}`, ratio(med(BIG, 'arch'), med(BIG, 'floorW')));
if (SMALL !== BIG) {
  info(`check  depcruise / arch check @ N=${SMALL}`, ratio(med(SMALL, 'depcruise'), med(SMALL, 'arch')));
  info(`check  arch check / parse floor (1 thread) @ N=${SMALL}`, ratio(med(SMALL, 'arch'), med(SMALL, 'floor')));
  const fileRatio = metaOf.has(BIG) && metaOf.has(SMALL) ? metaOf.get(BIG).tsFiles / metaOf.get(SMALL).tsFiles : null;
  verdict(`check  time growth arch check N=${SMALL} → N=${BIG}`, ratio(med(BIG, 'arch'), med(SMALL, 'arch')),
    fileRatio == null ? '≤ file ratio × 1.1' : `≤ ${(fileRatio * 1.1).toFixed(2)} (files × ${fileRatio.toFixed(2)}, + 10%)`,
    (v) => fileRatio != null && v <= fileRatio * 1.1);
}
verdict(`check  arch check peak RSS @ N=${BIG}`, peak(BIG, 'arch'), '< 300 MiB', (v) => v < 300, ' MiB');
