// Gateway overhead (issue #5): requests per second and latency of a trivial upstream called directly, and
// through a generated gateway with JWT verification (RS256) and Redis-backed rate limiting on, in the same
// run, with wrk on loopback. Target: the gateway keeps at least 50 % of the upstream's throughput.
//
// Beside the two the issue asks for, the run measures what bounds the answer on the machine at hand:
//   - the floor: the simplest Node.js proxies there are (node:http + an http.Agent with keep-alive, and
//     node:http + an undici Pool), with no feature at all, and @fastify/http-proxy alone;
//   - a Fastify upstream beside the node:http one (a realistic trivial service), with the gateway in front of each;
//   - the gateway as compose runs it (LOG_LEVEL=info, tracing on, spans exported to a local OTLP sink that
//     answers 200 and drops them), and with tracing off and LOG_LEVEL=warn (the configuration of earlier runs);
//   - a realistic upstream: the generated service itself, as compose runs it (LOG_LEVEL=info, tracing on), answering
//     GET /orders/:id from its PostgreSQL database, alone and with the gateway in front.
// For each target, the CPU time its serving process spent per request (from /proc), which the load of
// other work on the machine disturbs less than requests per second (though on a shared VM, not by nothing).
//
// Needs wrk (Debian: apt-get install wrk), Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432 (trust auth, as
// the e2e tests use it; the run keeps its rows in the database archkit_bench_orders), and network access for the generated
// gateway's npm install (one-time, into bench/.work/gateway). Run with `npm run bench:gateway` after `npm run build`.
// DURATION (10s), CONNECTIONS (50) and ROUNDS (3) can be set in the environment.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work', 'gateway');
const NODE22 = path.join(ROOT, 'node_modules', 'node', 'bin', 'node');
const DURATION = process.env.DURATION ?? '10s';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// Upstream sockets of the minimal proxies: at least one per client connection, so that no request waits
// for a socket (fewer, e.g. 8 or 25 for 50 connections, measured slower).
const PROXY_SOCKETS = Math.max(128, CONNECTIONS);
// The paced runs: few connections, each waiting between requests (wrk's delay() hook), well under every target's capacity.
const PACED = { connections: 20, delayMs: 40 };

const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (!existsSync(path.join(ROOT, 'dist', 'bin', 'main.cjs'))) fail('dist/ is missing: run `npm run build` first.');
if (spawnSync('wrk', ['--version']).error) fail('wrk is not installed (Debian: apt-get install wrk).');
if (!existsSync(NODE22)) fail('the Node 22 binary of the `node` devDependency is missing: run npm ci.');

const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
if (!(await canConnect(6379))) fail('Redis is not reachable on 127.0.0.1:6379.');
if (!(await canConnect(5432))) fail('PostgreSQL is not reachable on 127.0.0.1:5432.');

const env22 = { ...process.env, PATH: `${path.dirname(NODE22)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
const sh = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: env22 });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return r.stdout;
};

// ---------- the generated gateway (untimed set-up) ----------
console.log(`Generating and installing a workspace with a gateway in ${path.relative(ROOT, WORK)} ...`);
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const arch = (args, cwd) => sh(process.execPath, [path.join(ROOT, 'bin', 'arch.js'), ...args], cwd);
arch(['init', 'ws', '--yes', '--no-install', '--no-git'], WORK);
const ws = path.join(WORK, 'ws');
sh(process.execPath, [path.join(ROOT, 'bin', 'create-service.js'), 'orders', '--db', 'postgres', '--yes', '--no-install', '--no-git'], ws);
arch(['add-gateway', '--yes', '--no-install', '--no-git'], ws);
sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], ws);
sh('npm', ['run', 'build', '--workspace', 'gateway', '--workspace', 'orders'], ws);
const gatewayDir = path.join(ws, 'services', 'gateway');
const ordersDir = path.join(ws, 'services', 'orders');
const installed = (name) => {
  const file = path.join(ws, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : '?';
};

// ---------- processes ----------
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const ports = {};
for (const name of ['upstream', 'fastifyUpstream', 'agentProxy', 'undiciProxy', 'bare', 'gatewayQuiet', 'gateway', 'gatewayFastify', 'service', 'gatewayService', 'sink']) ports[name] = await freePort();
const body = JSON.stringify({ id: '7', name: 'book', status: 'paid' });

// The trivial upstream: a plain node:http server answering a small JSON body to everything.
const upstreamFile = path.join(WORK, 'upstream.mjs');
writeFileSync(upstreamFile, `import { createServer } from 'node:http';
const body = ${JSON.stringify(body)};
createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`);

// The same answer from Fastify (what a generated service is built on), with its defaults: closer to a real service.
const fastifyUpstreamFile = path.join(gatewayDir, 'bench-fastify-upstream.mjs');
writeFileSync(fastifyUpstreamFile, `import { fastify } from 'fastify';
const app = fastify();
app.get('/orders/:id', async () => (${body}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`);

// The floor: the least a Node.js HTTP proxy does (parse the request, send it upstream on a kept-alive
// connection, stream the answer back), with no feature at all: no auth, no limit, no header rewriting.
const agentProxyFile = path.join(gatewayDir, 'bench-agent-proxy.mjs');
writeFileSync(agentProxyFile, `import http from 'node:http';
const agent = new http.Agent({ keepAlive: true, maxSockets: ${PROXY_SOCKETS}, maxFreeSockets: ${PROXY_SOCKETS} });
http.createServer((req, res) => {
  const upstream = http.request({ host: '127.0.0.1', port: ${ports.upstream}, method: req.method, path: req.url.replace(/^\\/api\\/orders/, '/orders'), headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  req.pipe(upstream);
}).listen(Number(process.env.PORT), '127.0.0.1');
`);
// The same with undici (the HTTP client @fastify/reply-from uses; installed with the gateway).
const undiciProxyFile = path.join(gatewayDir, 'bench-undici-proxy.mjs');
writeFileSync(undiciProxyFile, `import http from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';
const pool = new Pool('http://127.0.0.1:${ports.upstream}', { connections: ${PROXY_SOCKETS}, pipelining: 1 });
http.createServer(async (req, res) => {
  try {
    const headers = { ...req.headers };
    delete headers.connection;
    const answer = await pool.request({ method: req.method, path: req.url.replace(/^\\/api\\/orders/, '/orders'), headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req });
    delete answer.headers.connection;
    delete answer.headers['keep-alive'];
    res.writeHead(answer.statusCode, answer.headers);
    pipeline(answer.body, res, () => {});
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
}).listen(Number(process.env.PORT), '127.0.0.1');
`);
// @fastify/http-proxy alone (same installed version, no auth, no rate limit, no breaker): what the proxy library costs by itself.
const bareFile = path.join(gatewayDir, 'bench-bare-proxy.mjs');
writeFileSync(bareFile, `import { fastify } from 'fastify';
import proxy from '@fastify/http-proxy';
const app = fastify();
await app.register(proxy, { upstream: 'http://127.0.0.1:${ports.upstream}', prefix: '/api/orders', rewritePrefix: '/orders' });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`);
// Where the gateway's spans go: an OTLP/HTTP endpoint that reads each export and answers 200 (a collector's
// work is not counted; reading the exports is, since it shares the machine).
const sinkFile = path.join(WORK, 'otlp-sink.mjs');
writeFileSync(sinkFile, `import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
let exports = 0, bytes = 0;
createServer((req, res) => { req.on('data', (c) => (bytes += c.length)); req.on('end', () => { exports++; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }); })
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { writeFileSync(process.env.REPORT, JSON.stringify({ exports, bytes })); process.exit(0); });
`);

const pacedScript = path.join(WORK, 'paced.lua');
writeFileSync(pacedScript, `function delay()\n  return ${PACED.delayMs}\nend\n`);

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://idp.bench/', aud: 'bench', sub: 'bench-user', iat: now, exp: now + 3600 })}`;
const token = `${input}.${sign('sha256', Buffer.from(input), keys.privateKey).toString('base64url')}`;

const children = [];
const startProcess = (args, cwd, extra) => {
  const child = spawn(NODE22, args, { cwd, env: { ...env22, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
};
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

const sinkReport = path.join(WORK, 'otlp-sink.json');
const sink = startProcess([sinkFile], WORK, { PORT: String(ports.sink), REPORT: sinkReport });
const procs = {
  upstream: startProcess([upstreamFile], WORK, { PORT: String(ports.upstream) }),
  fastifyUpstream: startProcess([fastifyUpstreamFile], gatewayDir, { PORT: String(ports.fastifyUpstream) }),
  agentProxy: startProcess([agentProxyFile], gatewayDir, { PORT: String(ports.agentProxy) }),
  undiciProxy: startProcess([undiciProxyFile], gatewayDir, { PORT: String(ports.undiciProxy) }),
  bare: startProcess([bareFile], gatewayDir, { PORT: String(ports.bare) }),
  // The generated service as compose runs it (its own database, info logs, every request traced).
  service: startProcess(['--import', './dist/instrumentation.js', 'dist/main.js'], ordersDir, {
    HOST: '127.0.0.1',
    PORT: String(ports.service),
    LOG_LEVEL: 'info',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/archkit_bench_orders',
    OTEL_SERVICE_NAME: 'orders',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.sink}`,
    OTEL_SDK_DISABLED: 'false',
  }),
};
// What compose gives the gateway (templates/compose/gateway.yaml.hbs), the limit aside: every request is
// counted in Redis, but the limit itself is never reached.
const gatewayEnv = (port, upstreamPort) => ({
  HOST: '127.0.0.1',
  PORT: String(port),
  LOG_LEVEL: 'info',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ISSUER: 'https://idp.bench/',
  JWT_AUDIENCE: 'bench',
  JWT_ALGORITHMS: 'RS256',
  JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  ORDERS_SERVICE_URL: `http://127.0.0.1:${upstreamPort}`,
  RATE_LIMIT_MAX: '10000000',
  OTEL_SERVICE_NAME: 'gateway',
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.sink}`,
  OTEL_SDK_DISABLED: 'false',
});
const startGateway = (port, upstreamPort, extra = {}) =>
  startProcess(['--import', './dist/instrumentation.js', 'dist/main.js'], gatewayDir, { ...gatewayEnv(port, upstreamPort), ...extra });
procs.gatewayQuiet = startGateway(ports.gatewayQuiet, ports.upstream, { LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' });
procs.gateway = startGateway(ports.gateway, ports.upstream);
procs.gatewayFastify = startGateway(ports.gatewayFastify, ports.fastifyUpstream);
procs.gatewayService = startGateway(ports.gatewayService, ports.service);

// One order in the service's database, read by every request of the realistic rows.
let orderId;
for (let i = 0; !orderId; i++) {
  const created = await fetch(`http://127.0.0.1:${ports.service}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'book' }) }).then(
    async (r) => (r.status === 201 ? ((await r.json()).id ?? null) : null),
    () => null,
  );
  if (created) orderId = created;
  else if (i === 150) fail('the generated service did not create an order (is PostgreSQL up with trust auth?)');
  else await new Promise((r) => setTimeout(r, 200));
}

const auth = [`Authorization: Bearer ${token}`];
const targets = [
  { key: 'upstream', label: 'upstream alone (`node:http`)', url: `http://127.0.0.1:${ports.upstream}/orders/7` },
  { key: 'agentProxy', label: 'through a minimal proxy: `node:http` + `http.Agent` (keep-alive)', url: `http://127.0.0.1:${ports.agentProxy}/api/orders/7`, of: 'upstream' },
  { key: 'undiciProxy', label: 'through a minimal proxy: `node:http` + undici `Pool`', url: `http://127.0.0.1:${ports.undiciProxy}/api/orders/7`, of: 'upstream' },
  { key: 'bare', label: 'through `@fastify/http-proxy` alone (no auth, no limits)', url: `http://127.0.0.1:${ports.bare}/api/orders/7`, of: 'upstream' },
  { key: 'gatewayQuiet', label: 'through the gateway, tracing off, LOG_LEVEL=warn', url: `http://127.0.0.1:${ports.gatewayQuiet}/api/orders/7`, headers: auth, of: 'upstream' },
  { key: 'gateway', label: 'through the gateway as compose runs it (logs, tracing)', url: `http://127.0.0.1:${ports.gateway}/api/orders/7`, headers: auth, of: 'upstream' },
  { key: 'fastifyUpstream', label: 'upstream alone (Fastify)', url: `http://127.0.0.1:${ports.fastifyUpstream}/orders/7` },
  { key: 'gatewayFastify', label: 'through the gateway as compose runs it, Fastify upstream', url: `http://127.0.0.1:${ports.gatewayFastify}/api/orders/7`, headers: auth, of: 'fastifyUpstream' },
  { key: 'service', label: 'the generated service alone, as compose runs it (GET /orders/:id from PostgreSQL)', url: `http://127.0.0.1:${ports.service}/orders/${orderId}` },
  { key: 'gatewayService', label: 'through the gateway as compose runs it, generated service upstream', url: `http://127.0.0.1:${ports.gatewayService}/api/orders/${orderId}`, headers: auth, of: 'service' },
];

const headerObject = (headers = []) => Object.fromEntries(headers.map((h) => h.split(/: (.*)/s).slice(0, 2)));
for (const target of targets) {
  for (let i = 0; ; i++) {
    const status = await fetch(target.url, { headers: headerObject(target.headers) }).then((r) => (r.body?.cancel(), r.status), () => 0);
    if (status === 200) break;
    if (i === 150) fail(`${target.label} did not answer 200 (last: ${status || 'no connection'})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const probe = await fetch(targets.find((t) => t.key === 'gateway').url, { headers: headerObject(auth) });
if (!probe.headers.get('x-ratelimit-limit')) fail('no x-ratelimit-limit header: rate limiting is not on');

// ---------- measuring ----------
const linux = existsSync('/proc/stat');
const clockTicks = linux ? Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100 : 100;
const cpuMs = (pid) => {
  if (!linux) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
};
// In clock ticks: idle, the rest (interrupts and steal included), and the total of the machine.
const machineTimes = () => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle: fields[3] + fields[4], busy: total - fields[3] - fields[4], total };
};
const ticksOf = (pid, withChildren = false) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').map(Number);
  return fields[11] + fields[12] + (withChildren ? fields[13] + fields[14] : 0);
};
const redisPid = Number(/process_id:(\d+)/.exec(spawnSync('redis-cli', ['info', 'server'], { encoding: 'utf8' }).stdout ?? '')?.[1]) || null;
// CPU used by this run's own processes: this script and wrk (a waited-for child), the servers, Redis.
const ownTicks = () => ticksOf(process.pid, true) + children.reduce((n, c) => n + ticksOf(c.pid), 0) + (redisPid ? ticksOf(redisPid) : 0);
// Other work on the machine changes every figure: wait (up to a minute) until it is quiet before each run,
// and repeat a run (up to twice) when other work took more than 15 % of the machine during it.
let busyStarts = 0;
const waitForQuiet = () => {
  if (!linux) return;
  for (let i = 0; i < 60; i++) {
    const a = machineTimes();
    spawnSync('sleep', ['0.5']);
    const b = machineTimes();
    if ((b.busy - a.busy) / (b.total - a.total) < 0.2) return;
    spawnSync('sleep', ['0.5']);
  }
  busyStarts++;
};
const toMs = (text) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
};
function wrk(target, duration = DURATION, paced = false) {
  const load = paced ? [`-c${PACED.connections}`, '-s', pacedScript] : [`-c${CONNECTIONS}`];
  const args = ['-t1', ...load, `-d${duration}`, '--latency', ...(target.headers ?? []).flatMap((h) => ['-H', h]), target.url];
  const pid = procs[target.key].pid;
  const before = cpuMs(pid);
  const machineBefore = linux ? machineTimes() : null;
  const ownBefore = linux ? ownTicks() : 0;
  const out = sh('wrk', args, WORK);
  const cpu = cpuMs(pid) - before;
  const machineAfter = linux ? machineTimes() : null;
  const others = linux ? (machineAfter.busy - machineBefore.busy - (ownTicks() - ownBefore)) / (machineAfter.total - machineBefore.total) : 0;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const pct = (p) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(out)?.[1];
  return { rps, p50: pct(50), p99: pct(99), non2xx, errors, cpuUs: (cpu * 1000) / requests, others };
}
console.log(`wrk: 1 thread, ${CONNECTIONS} connections, ${DURATION} per run, ${ROUNDS} rounds alternating (after a warm-up) ...`);
for (const target of targets) wrk(target, '3s');
const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
let repeated = 0;
for (let i = 0; i < ROUNDS; i++) {
  for (const target of targets) {
    let run;
    for (let attempt = 0; attempt < 3; attempt++) {
      waitForQuiet();
      const next = wrk(target);
      if (!run || next.others < run.others) run = next;
      if (run.others <= 0.15) break;
      repeated++;
    }
    runs[target.key].push(run);
  }
}
// Latency at a load every target serves without queueing: at full load p50 and p99 mostly measure the queue
// (50 connections waiting on a saturated process), not what one more hop costs a request.
const pacedTargets = ['upstream', 'bare', 'gateway', 'service', 'gatewayService'].map((key) => targets.find((t) => t.key === key));
const paced = Object.fromEntries(pacedTargets.map((t) => [t.key, []]));
console.log(`paced: ${PACED.connections} connections, each waiting ${PACED.delayMs} ms between requests (about ${Math.round((PACED.connections * 1000) / PACED.delayMs)} requests/s) ...`);
for (let i = 0; i < ROUNDS; i++) {
  for (const target of pacedTargets) {
    waitForQuiet();
    paced[target.key].push(wrk(target, DURATION, true));
  }
}
for (const child of children) child.kill('SIGTERM');
await new Promise((resolve) => sink.once('exit', resolve));
const exported = existsSync(sinkReport) ? JSON.parse(readFileSync(sinkReport, 'utf8')) : { exports: 0, bytes: 0 };

// ---------- report ----------
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const summary = Object.fromEntries(
  Object.entries(runs).map(([key, list]) => [
    key,
    {
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      cpuUs: median(list.map((r) => r.cpuUs)),
      range: [Math.min(...list.map((r) => r.rps)), Math.max(...list.map((r) => r.rps))],
      non2xx: list.reduce((n, r) => n + r.non2xx, 0),
      errors: list.map((r) => r.errors).filter(Boolean),
    },
  ]),
);
const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? '?';
console.log(`\nnode ${spawnSync(NODE22, ['--version'], { encoding: 'utf8' }).stdout.trim()} (every server), ${os.cpus().length} cores (${cpu}), load avg ${os.loadavg()[0].toFixed(2)}`);
console.log(
  `gateway: fastify ${installed('fastify')}, @fastify/http-proxy ${installed('@fastify/http-proxy')} (undici ${installed('undici')}), @fastify/rate-limit ${installed('@fastify/rate-limit')} (Redis), jose ${installed('jose')} (RS256), opossum ${installed('opossum')}`,
);
console.log(`tracing (where on): ${exported.exports} OTLP exports, ${(exported.bytes / 1e6).toFixed(0)} MB, received by the local sink; gateway stdout to /dev/null`);
const disturbed = Object.values(runs).flat().filter((r) => r.others > 0.15).length;
const othersMax = Math.max(...Object.values(runs).flat().map((r) => r.others));
if (linux) console.log(`other work on the machine: at most ${(othersMax * 100).toFixed(0)} % of it during a kept run; ${repeated} runs repeated because of it`);
if (busyStarts > 0 || disturbed > 0) console.log(`WARNING ${busyStarts} runs started on a busy machine; ${disturbed} of ${ROUNDS * targets.length} kept runs had other work over 15 % of the machine`);
console.log('');
const f = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');
console.log('| target | requests/s (min–max) | share of its upstream | p50 | p99 | CPU per request, serving process |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const target of targets) {
  const s = summary[target.key];
  const share = target.of ? `${((s.rps / summary[target.of].rps) * 100).toFixed(0)} %` : '';
  console.log(`| ${target.label} | ${f(s.rps)} (${f(s.range[0])}–${f(s.range[1])}) | ${share} | ${f(s.p50, 2)} ms | ${f(s.p99, 2)} ms | ${f(s.cpuUs)} µs |`);
}
const pacedMedian = (key, field) => median(paced[key].map((r) => r[field]));
console.log(`\nLatency at about ${Math.round((PACED.connections * 1000) / PACED.delayMs)} requests/s (${PACED.connections} connections, ${PACED.delayMs} ms between requests on each; medians of ${ROUNDS} runs):\n`);
console.log('| target | requests/s | p50 | p99 | p99 added by the gateway |');
console.log('|---|---:|---:|---:|---:|');
for (const target of pacedTargets) {
  const added = target.of ? `${f(pacedMedian(target.key, 'p99') - pacedMedian(target.of, 'p99'), 2)} ms` : '';
  console.log(`| ${target.label} | ${f(pacedMedian(target.key, 'rps'))} | ${f(pacedMedian(target.key, 'p50'), 2)} ms | ${f(pacedMedian(target.key, 'p99'), 2)} ms | ${added} |`);
}
for (const [key, list] of Object.entries(paced)) {
  const bad = list.reduce((n, r) => n + r.non2xx, 0);
  if (bad > 0) console.log(`WARNING paced ${key}: ${bad} non-2xx responses`);
}

const pctOf = (a, b) => `${((summary[a].rps / summary[b].rps) * 100).toFixed(0)} %`;
const verdict = (a, b) => (summary[a].rps / summary[b].rps >= 0.5 ? 'PASS' : 'FAIL');
console.log(`\n${verdict('gateway', 'upstream')}  gateway as compose runs it = ${pctOf('gateway', 'upstream')} of the node:http upstream's throughput (target ≥ 50 %)`);
console.log(`${verdict('gatewayFastify', 'fastifyUpstream')}  gateway as compose runs it = ${pctOf('gatewayFastify', 'fastifyUpstream')} of the Fastify upstream's throughput`);
console.log(`${verdict('gatewayQuiet', 'upstream')}  gateway with tracing off and LOG_LEVEL=warn = ${pctOf('gatewayQuiet', 'upstream')} of the node:http upstream's`);
console.log(`${verdict('gatewayService', 'service')}  gateway as compose runs it = ${pctOf('gatewayService', 'service')} of the generated service's throughput (both as compose runs them; PostgreSQL read)`);
const floor = summary.agentProxy.rps >= summary.undiciProxy.rps ? 'agentProxy' : 'undiciProxy';
console.log(`      floor: the faster minimal proxy keeps ${pctOf(floor, 'upstream')} (the other ${pctOf(floor === 'agentProxy' ? 'undiciProxy' : 'agentProxy', 'upstream')}); @fastify/http-proxy alone ${pctOf('bare', 'upstream')}`);
console.log(`      the gateway keeps ${pctOf('gatewayQuiet', 'bare')} of the bare proxy's throughput with tracing off, ${pctOf('gateway', 'bare')} as compose runs it`);
console.log(
  `      at full load, p99 added by the gateway: ${f(summary.gateway.p99 - summary.upstream.p99, 2)} ms as compose runs it, ${f(summary.gatewayQuiet.p99 - summary.upstream.p99, 2)} ms with tracing off; p50 added: ${f(summary.gateway.p50 - summary.upstream.p50, 2)} ms, ${f(summary.gatewayQuiet.p50 - summary.upstream.p50, 2)} ms`,
);
for (const [key, s] of Object.entries(summary)) {
  if (s.non2xx > 0 || s.errors.length > 0) console.log(`WARNING ${key}: ${s.non2xx} non-2xx responses${s.errors.length ? `, socket errors: ${s.errors.join('; ')}` : ''}`);
}
