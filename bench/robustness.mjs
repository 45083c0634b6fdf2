// archkit benchmark: `arch check` on hostile and huge repositories (issue #15), generated on the fly
// into bench/.work/robustness: FIFOs where files are expected, references to /dev/zero, a 50 MB
// compose file, a compose file at the 1 MiB cap, a 1 MB Dockerfile of continuation lines, 2 MB of
// Kubernetes manifests, 100,000 files. Each case runs `arch check <dir> --format json` in a child
// process (killed after --timeout seconds); time is wall time, peak memory the child's maxRSS.
// Scalable cases also run at a quarter of their size: time above the empty repository's must grow
// no faster than the input (ratio ≤ 4 × 1.5). Cases of big YAML files are also timed against the
// floor: a child that only reads and parses their YAML with the yaml library, as the scanner does.
// Run with `npm run bench:robustness` (after `npm run build`); `--runs <n>` (default 3),
// `--timeout <s>` (default 60), `--only <case,case>`.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work', 'robustness');
const ARCH = path.join(ROOT, 'bin', 'arch.js');
const TIME_TARGET_MS = 2000;
const RSS_TARGET_MIB = 300;

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback; };
const RUNS = Math.max(1, Number(arg('--runs', 3)) || 3);
const TIMEOUT_S = Math.max(1, Number(arg('--timeout', 60)) || 60);
const ONLY = arg('--only', '').split(',').filter(Boolean);

if (!existsSync(path.join(ROOT, 'dist', 'bin', 'main.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}

// ---------- inputs ----------
const write = (dir, rel, content) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
};
const fifo = (dir, rel) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  execFileSync('mkfifo', [path.join(dir, rel)]);
};
/** Writes `size` bytes (at least) from `chunk(i)` pieces, then `tail`. */
const writeSized = (file, head, chunk, size, tail = '') => {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  let written = writeSync(fd, head);
  const pending = [];
  let pendingBytes = 0;
  for (let i = 0; written + pendingBytes < size; i++) {
    const piece = chunk(i);
    pending.push(piece);
    pendingBytes += Buffer.byteLength(piece);
    if (pendingBytes > 1 << 20) {
      written += writeSync(fd, pending.join(''));
      pending.length = 0;
      pendingBytes = 0;
    }
  }
  writeSync(fd, pending.join('') + tail);
  closeSync(fd);
};

const SERVICE = 'services:\n  api:\n    build: ./api\n    healthcheck: {test: ["CMD", "true"]}\n    deploy: {replicas: 2}\n';
const API_PACKAGE = '{"name":"api","dependencies":{"fastify":"5.0.0"}}\n';
/** One service, `api`, built from ./api. */
const apiService = (dir) => {
  write(dir, 'compose.yaml', SERVICE);
  write(dir, 'api/package.json', API_PACKAGE);
};

const composeService = (i) =>
  `  svc-${i}:\n    <<: *defaults\n    image: "registry.example.com/shop/svc-${i}:1.${i}"\n    ports: ["${10000 + (i % 50000)}:3000"]\n    environment:\n      DATABASE_URL: "postgres://db-${i}:5432/svc_${i}"\n      PEER_URL: "http://svc-${i + 1}:3000"\n    depends_on: [db-${i}]\n`;
const COMPOSE_HEAD = 'x-defaults: &defaults\n  restart: unless-stopped\n  healthcheck: {test: ["CMD", "true"], interval: 10s}\n  deploy: {replicas: 2}\nservices:\n';

const manifest = (i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: svc-${i}, labels: {app: svc-${i}, part-of: shop}}
spec:
  replicas: 2
  selector: {matchLabels: {app: svc-${i}}}
  template:
    metadata: {labels: {app: svc-${i}, part-of: shop}}
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/svc-${i}:1.0.0
          env: [{name: PEER_URL, valueFrom: {configMapKeyRef: {name: shop-config, key: peer}}}]
          livenessProbe: {httpGet: {path: /health/live, port: 3000}}
          readinessProbe: {httpGet: {path: /health/ready, port: 3000}}
---
apiVersion: v1
kind: Service
metadata: {name: svc-${i}}
spec: {selector: {app: svc-${i}, part-of: shop}, ports: [{port: 80, targetPort: 3000}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: svc-${i}}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: svc-${i}}, minReplicas: 2, maxReplicas: 10}
---
`;

/** Each case: a name, what it holds, how to build it at a scale (1 = full size), and whether it scales. */
const CASES = [
  { name: 'empty', input: 'an empty folder (the floor: start-up and loading)', build() {} },
  {
    name: 'fifos',
    input: 'FIFOs named .env, .env.example, .gitignore, an env_file, a Dockerfile, a manifest and a source file',
    build(dir) {
      write(dir, 'compose.yaml', `${SERVICE}    env_file: [api.env]\n`);
      write(dir, 'api/package.json', API_PACKAGE);
      for (const rel of ['.env', '.env.example', '.gitignore', 'api.env', 'api/Dockerfile', 'k8s/app.yaml', 'api/src/index.ts']) fifo(dir, rel);
    },
  },
  {
    name: 'dev-zero',
    input: '`env_file:` ../…/dev/zero and /dev/zero; package.json, Dockerfile, manifest and .env linked to /dev/zero',
    build(dir) {
      write(dir, 'compose.yaml', `${SERVICE}    env_file: [../../../../../../../../../../dev/zero, /dev/zero, ../outside.env]\n`);
      for (const rel of ['api/package.json', 'api/Dockerfile', 'deploy.yaml', '.env']) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        symlinkSync('/dev/zero', path.join(dir, rel));
      }
    },
  },
  {
    name: 'compose-50mb',
    input: 'a 50 MB root compose.yaml (refused by the 1 MiB cap)',
    build(dir) {
      writeSized(path.join(dir, 'compose.yaml'), COMPOSE_HEAD, composeService, 50 * 1000 * 1000);
    },
  },
  {
    name: 'compose-at-cap',
    input: 'a root compose.yaml just under the 1 MiB cap: ~4,200 services sharing a merge key',
    scales: true,
    yaml: ['compose.yaml'],
    build(dir, scale) {
      writeSized(path.join(dir, 'compose.yaml'), COMPOSE_HEAD, composeService, Math.floor(1_040_000 * scale));
    },
  },
  {
    name: 'dockerfile-1mb',
    input: 'a 1 MB Dockerfile: one RUN of ~40,000 continuation lines',
    scales: true,
    build(dir, scale) {
      apiService(dir);
      writeSized(path.join(dir, 'api/Dockerfile'), 'FROM node:22-alpine\nRUN set -e \\\n', (i) => `  && echo step-${i} \\\n`, Math.floor(1_000_000 * scale), '  && true\nUSER node\n');
    },
  },
  {
    name: 'manifests-2mb',
    input: '2 MB of Kubernetes manifests in 4 files: ~2,100 Deployments, Services and HPAs',
    scales: true,
    yaml: ['k8s/part-0.yaml', 'k8s/part-1.yaml', 'k8s/part-2.yaml', 'k8s/part-3.yaml'],
    build(dir, scale) {
      const perFile = Math.floor(500_000 * scale);
      let next = 0;
      for (let f = 0; f < 4; f++) {
        const head = f === 0 ? 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop-config}\ndata: {peer: "http://svc-0:3000"}\n---\n' : '';
        writeSized(path.join(dir, `k8s/part-${f}.yaml`), head, () => manifest(next++), perFile);
      }
    },
  },
  {
    name: 'files-100k',
    input: '100,000 files in 1,000 folders (no extractor reads them), one service',
    scales: true,
    build(dir, scale) {
      apiService(dir);
      const total = Math.floor(100_000 * scale);
      for (let i = 0; i < total; i++) {
        if (i % 100 === 0) mkdirSync(path.join(dir, 'docs', `d${Math.floor(i / 100)}`), { recursive: true });
        writeFileSync(path.join(dir, 'docs', `d${Math.floor(i / 100)}`, `page-${i}.md`), '');
      }
    },
  },
];

/** The case's folder, built once per generator version and scale (a stamp file records both). */
function ensure(c, scale) {
  const dir = path.join(WORK, scale === 1 ? c.name : `${c.name}@${scale}`);
  const stamp = path.join(WORK, `${path.basename(dir)}.stamp`);
  const key = `${c.build.toString().length}:${scale}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  c.build(dir, scale);
  writeFileSync(stamp, key);
  return dir;
}

// ---------- measurement ----------
// Preloaded into the child: reports its peak resident memory (KiB) on stderr when it exits.
const PRELOAD = path.join(WORK, 'maxrss.cjs');
mkdirSync(WORK, { recursive: true });
writeFileSync(PRELOAD, "process.on('exit', () => require('node:fs').writeSync(2, `\\nARCHKIT_MAXRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
// The YAML floor: read and parse files as the scanner does (all documents, line positions), nothing else.
const YAML_FLOOR = path.join(WORK, 'yaml-floor.mjs');
writeFileSync(YAML_FLOOR, [
  `import { readFileSync } from 'node:fs';`,
  `import { LineCounter, parseAllDocuments } from ${JSON.stringify(path.join(ROOT, 'node_modules', 'yaml', 'dist', 'index.js'))};`,
  `for (const file of process.argv.slice(2)) parseAllDocuments(readFileSync(file, 'utf8'), { lineCounter: new LineCounter(), uniqueKeys: false });`,
  '',
].join('\n'));

function timed(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', PRELOAD, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: TIMEOUT_S * 1000,
    killSignal: 'SIGKILL',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = Number(/ARCHKIT_MAXRSS_KB=(\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN) / 1024;
  return { r, ms, rss };
}

function runOnce(dir) {
  const { r, ms, rss } = timed([ARCH, 'check', dir, '--format', 'json']);
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') return { ms, rss, outcome: `killed after ${TIMEOUT_S} s` };
  if (r.status !== 0 && r.status !== 1) return { ms, rss, outcome: `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').split('\n')[0]}` };
  let findings;
  try {
    const result = JSON.parse(r.stdout);
    const parse = result.findings.filter((f) => f.ruleId === 'parse-error').length;
    findings = `exit ${r.status}, ${result.services.length} services, ${parse} parse-error`;
  } catch {
    return { ms, rss, outcome: `exit ${r.status}, output is not JSON` };
  }
  return { ms, rss, outcome: findings, ok: true };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function measure(c, scale) {
  const dir = ensure(c, scale);
  runOnce(dir); // warm-up (file system cache, V8 code cache)
  const runs = Array.from({ length: RUNS }, () => runOnce(dir));
  const failed = runs.find((r) => !r.ok);
  return { ms: median(runs.map((r) => r.ms)), rss: Math.max(...runs.map((r) => r.rss)), outcome: (failed ?? runs[0]).outcome, ok: !failed };
}

// ---------- run ----------
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`archkit robustness bench · node ${process.version} · ${os.cpus().length} cores · load ${load} · ${RUNS} runs per case (median time, peak RSS)\n`);
const selected = CASES.filter((c) => c.name === 'empty' || ONLY.length === 0 || ONLY.includes(c.name));
const results = new Map();
for (const c of selected) {
  process.stderr.write(`${c.name} ...\n`);
  results.set(c.name, measure(c, 1));
}
const floor = results.get('empty').ms;
const yamlFloor = new Map();
for (const c of selected.filter((c) => c.yaml)) {
  const files = c.yaml.map((rel) => path.join(ensure(c, 1), rel));
  timed([YAML_FLOOR, ...files]);
  yamlFloor.set(c.name, median(Array.from({ length: RUNS }, () => timed([YAML_FLOOR, ...files]).ms)));
}

const mib = (x) => (Number.isFinite(x) ? `${Math.round(x)} MiB` : '?');
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log('| case | input | outcome | time | YAML floor | peak RSS | verdict |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let allPass = true;
for (const c of selected) {
  const r = results.get(c.name);
  const pass = r.ok && r.ms < TIME_TARGET_MS && r.rss < RSS_TARGET_MIB;
  allPass &&= pass;
  const yaml = yamlFloor.has(c.name) ? secs(yamlFloor.get(c.name)) : '—';
  console.log(`| ${c.name} | ${c.input} | ${r.outcome} | ${secs(r.ms)} | ${yaml} | ${mib(r.rss)} | ${pass ? 'PASS' : 'FAIL'} |`);
}

const scaled = selected.filter((c) => c.scales);
if (scaled.length > 0) {
  console.log('\nLinearity: time above the empty repository at full size and at a quarter of it (ratio ≤ 6: linear).\n');
  console.log('| case | ¼ size | full size | ratio | verdict |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const c of scaled) {
    const quarter = measure(c, 0.25);
    const full = results.get(c.name);
    const a = Math.max(quarter.ms - floor, 1);
    const b = Math.max(full.ms - floor, 1);
    const ratio = b / a;
    // Below 50 ms of work above start-up the ratio is noise: linear by any measure.
    const linear = full.ok && quarter.ok && (b < 50 || ratio <= 6);
    allPass &&= linear;
    console.log(`| ${c.name} | ${secs(a)} | ${secs(b)} | ${ratio.toFixed(1)} | ${linear ? 'PASS' : 'FAIL'} |`);
  }
}
console.log(`\n${allPass ? 'PASS' : 'FAIL'}: every case under ${TIME_TARGET_MS / 1000} s and ${RSS_TARGET_MIB} MiB${scaled.length > 0 ? ', and linear' : ''}.`);
process.exitCode = allPass ? 0 : 1;
