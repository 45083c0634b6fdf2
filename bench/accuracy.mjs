// archkit benchmark: how often `arch check` agrees with people on real repositories.
// bench/corpus/*.json are hand-made labels of public microservice repositories (one per repository:
// the pinned commit, the folder to run in, the services, the checklist verdicts and the anti-patterns,
// with the file and line behind each). This script brings each repository's tree at its commit, runs
// `arch check --format json` there as a user would (a child process), and prints per-item agreement,
// anti-pattern precision / recall / F1, services found against labelled, and time per repository.
//
// Trees come from local snapshots (`--mirrors DIR`: one git directory per repository,
// `DIR/<owner>+<name>/repo`, bare or with a .git inside; default: the .mirror folder beside this
// checkout, or $MIRRORS) or, with `--clone`, from a shallow fetch of the pinned commit from GitHub.
// Run: `npm run build && npm run bench:accuracy [-- --mirrors DIR] [--clone] [--runs 3] [--only owner/name,…]`.
// It is a benchmark, not a test: it never fails a build; it prints figures for the README.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LABELS = path.join(ROOT, 'bench', 'corpus');
const WORK = path.join(ROOT, 'bench', '.work', 'accuracy');
const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback; };
const MIRRORS = path.resolve(arg('--mirrors', process.env.MIRRORS ?? path.join(ROOT, '..', '.mirror')));
const CLONE = argv.includes('--clone');
const RUNS = Math.max(1, Number(arg('--runs', 3)) || 3);
const ONLY = arg('--only', '').split(',').filter(Boolean);
const ARCH = path.join(ROOT, 'bin', 'arch.js');

const CHECKLIST = ['service_boundaries', 'database_per_service', 'api_gateway', 'circuit_breakers', 'event_driven', 'tracing', 'health_checks', 'horizontal_scaling'];
const ANTI = ['distributed_monolith', 'chatty_services', 'shared_database', 'no_circuit_breakers'];
/** Label key → scorecard id (`database_per_service` → `database-per-service`). */
const itemId = (key) => key.replaceAll('_', '-');

if (!existsSync(path.join(ROOT, 'dist', 'bin', 'main.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const git = (args, opts = {}) => spawnSync('git', args, { encoding: 'buffer', maxBuffer: 1 << 30, ...opts });

/** The git directory of a repository's snapshot, or null. */
function snapshot(repo) {
  const dir = path.join(MIRRORS, repo.replace('/', '+'), 'repo');
  if (existsSync(path.join(dir, '.git'))) return path.join(dir, '.git');
  return existsSync(dir) ? dir : null;
}

/** A shallow fetch of one commit into WORK/clones/<slug>.git (GitHub serves any reachable commit by id). */
function clone(repo, commit) {
  const dir = path.join(WORK, 'clones', `${repo.replace('/', '+')}.git`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    git(['init', '--bare', '-q', dir]);
  }
  const fetched = git(['--git-dir', dir, 'fetch', '-q', '--depth', '1', `https://github.com/${repo}.git`, commit]);
  return fetched.status === 0 ? dir : null;
}

/**
 * Writes the tree of `commit` (below `sub`) into `out`, file by file: a snapshot may lack its largest blobs,
 * which are skipped. One `git cat-file --batch` for all blobs.
 */
function materialise(gitDir, commit, sub, out) {
  const listed = git(['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit, ...(sub === '.' ? [] : ['--', sub])]);
  if (listed.status !== 0) return false;
  const entries = listed.stdout.toString('utf8').split('\0').filter(Boolean).map((line) => {
    const [meta, file] = line.split('\t');
    const [mode, type, sha] = meta.split(' ');
    return { mode, type, sha, file };
  }).filter((e) => e.type === 'blob' && e.mode !== '120000'); // symlinks: left out, as a checkout on Windows would
  const batch = git(['--git-dir', gitDir, 'cat-file', '--batch'], { input: Buffer.from(entries.map((e) => e.sha).join('\n') + '\n') });
  const buf = batch.stdout;
  let at = 0;
  for (const entry of entries) {
    const eol = buf.indexOf(10, at);
    const header = buf.subarray(at, eol).toString('utf8');
    at = eol + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    const target = path.join(out, entry.file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, buf.subarray(at, at + size));
    at += size + 1;
  }
  return true;
}

function tree(label) {
  const slug = label.repo.replace('/', '+');
  const out = path.join(WORK, 'trees', slug);
  const stamp = path.join(out, '.archkit-accuracy');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === label.commit) return out;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let gitDir = snapshot(label.repo);
  if (gitDir && git(['--git-dir', gitDir, 'cat-file', '-e', `${label.commit}^{commit}`]).status !== 0) gitDir = null;
  if (!gitDir && CLONE) gitDir = clone(label.repo, label.commit);
  if (!gitDir || !materialise(gitDir, label.commit, '.', out)) return null;
  writeFileSync(stamp, label.commit);
  return out;
}

function check(dir) {
  const times = [];
  let report = null, exit = null, stderr = '';
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [ARCH, 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    exit = run.status;
    stderr = run.stderr;
    try { report = JSON.parse(run.stdout); } catch { report = null; }
  }
  times.sort((a, b) => a - b);
  return { report, exit, stderr, ms: times[Math.floor(times.length / 2)] };
}

const labels = readdirSync(LABELS).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(path.join(LABELS, f), 'utf8')))
  .filter((l) => ONLY.length === 0 || ONLY.includes(l.repo));

console.log(`arch check accuracy on ${labels.length} labelled repositories · ${os.cpus().length} cores · load ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} · Node ${process.version} · median of ${RUNS} runs`);
let agree = 0, total = 0, unknown = 0;
const perItem = Object.fromEntries(CHECKLIST.map((k) => [k, { agree: 0, total: 0 }]));
const conf = Object.fromEntries(ANTI.map((k) => [k, { tp: 0, fp: 0, fn: 0, tn: 0, unknown: 0 }]));
const rows = [];
for (const label of labels) {
  const dir = tree(label);
  if (!dir) { rows.push({ repo: label.repo, note: `no snapshot of ${label.commit.slice(0, 7)} (fetch it into ${MIRRORS}, or pass --clone)` }); continue; }
  const { report, exit, stderr, ms } = check(path.join(dir, label.run_path ?? '.'));
  if (!report?.scorecard) { rows.push({ repo: label.repo, note: `no report (exit ${exit}): ${stderr.trim().split('\n').pop()}` }); continue; }
  const disagreements = [];
  for (const key of CHECKLIST) {
    const want = label.checklist[key];
    if (want !== 'pass' && want !== 'fail') continue;
    const got = report.scorecard[itemId(key)]?.status ?? 'missing';
    perItem[key].total++; total++;
    if (got === want) { perItem[key].agree++; agree++; } else { if (got === 'unknown') unknown++; disagreements.push(`${itemId(key)} ${got}, labelled ${want}`); }
  }
  for (const key of ANTI) {
    const want = label.anti_patterns[key];
    if (typeof want !== 'boolean') continue;
    const got = report.scorecard[itemId(key)]?.status, c = conf[key];
    if (got !== 'pass' && got !== 'fail') { c.unknown++; if (want) c.fn++; disagreements.push(`${itemId(key)} unknown`); continue; }
    const present = got === 'fail';
    if (present && want) c.tp++;
    else if (present) { c.fp++; disagreements.push(`${itemId(key)} found, labelled absent`); }
    else if (want) { c.fn++; disagreements.push(`${itemId(key)} missed`); }
    else c.tn++;
  }
  const found = Array.isArray(report.services) ? report.services.length : 0;
  const labelled = label.services.length;
  rows.push({ repo: label.repo, found, labelled, within: Math.abs(found - labelled) <= 0.1 * labelled, ms, disagreements });
}

const f = (n) => n.toFixed(2);
console.log('\n| repository | services found / labelled | time | disagreements |\n| --- | --- | --- | --- |');
for (const r of rows) {
  if (r.note) { console.log(`| ${r.repo} | — | — | ${r.note} |`); continue; }
  console.log(`| ${r.repo} | ${r.found} / ${r.labelled}${r.within ? '' : ' (off by more than 10 %)'} | ${(r.ms / 1000).toFixed(2)} s | ${r.disagreements.join('; ') || 'none'} |`);
}
console.log('\n| checklist item | agreement |\n| --- | --- |');
for (const key of CHECKLIST) console.log(`| ${itemId(key)} | ${perItem[key].agree}/${perItem[key].total} |`);
console.log('\n| anti-pattern | TP | FP | FN | TN | unknown | precision | recall | F1 |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const f1s = [];
for (const key of ANTI) {
  const c = conf[key];
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0, r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  f1s.push(f1);
  console.log(`| ${itemId(key)} | ${c.tp} | ${c.fp} | ${c.fn} | ${c.tn} | ${c.unknown} | ${f(p)} | ${f(r)} | ${f(f1)} |`);
}
const scored = rows.filter((r) => !r.note);
const times = scored.map((r) => r.ms).sort((a, b) => a - b);
console.log(
  `\nagreement ${total ? Math.round((100 * agree) / total) : 0}% (${agree}/${total}, ${unknown} unknown) · anti-pattern mean F1 ${f(f1s.reduce((a, b) => a + b, 0) / f1s.length)}` +
    ` · services within ±10 %: ${scored.filter((r) => r.within).length}/${scored.length}` +
    ` · slowest ${times.length ? (times.at(-1) / 1000).toFixed(2) : '—'} s · repositories without a report ${rows.length - scored.length}`,
);
