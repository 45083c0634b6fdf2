// Gateway overhead (issue #5): requests per second and latency of a trivial upstream called directly, and
// through a generated gateway with JWT verification (RS256) and Redis-backed rate limiting on, in the same
// run, with wrk on loopback. Target: the gateway keeps at least 50 % of the upstream's throughput.
// Needs wrk (Debian: apt-get install wrk), Redis on 127.0.0.1:6379, and network access for the generated
// gateway's npm install (one-time, into bench/.work/gateway). Run with `npm run bench:gateway` after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
sh(process.execPath, [path.join(ROOT, 'bin', 'create-service.js'), 'orders', '--db', 'none', '--yes', '--no-install', '--no-git'], ws);
arch(['add-gateway', '--yes', '--no-install', '--no-git'], ws);
sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], ws);
sh('npm', ['run', 'build', '--workspace', 'gateway'], ws);
const gatewayVersion = (name) => JSON.parse(sh('npm', ['ls', name, '--json', '--workspace', 'gateway'], ws)).dependencies?.gateway?.dependencies?.[name]?.version ?? '?';

// ---------- processes ----------
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const upstreamPort = await freePort();
const gatewayPort = await freePort();

// The trivial upstream: a plain node:http server answering a small JSON body to everything.
const upstreamFile = path.join(WORK, 'upstream.mjs');
writeFileSync(upstreamFile, `import { createServer } from 'node:http';
const body = JSON.stringify({ id: '7', name: 'book', status: 'paid' });
createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`);

// For reference: @fastify/http-proxy alone (same installed version, no auth, no rate limit, no breaker),
// to show what the proxy library costs by itself on this machine.
const bareProxyPort = await freePort();
const bareFile = path.join(ws, 'services', 'gateway', 'bare-proxy.mjs');
writeFileSync(bareFile, `import { fastify } from 'fastify';
import proxy from '@fastify/http-proxy';
const app = fastify();
await app.register(proxy, { upstream: 'http://127.0.0.1:${upstreamPort}', prefix: '/api/orders', rewritePrefix: '/orders' });
await app.listen({ port: ${bareProxyPort}, host: '127.0.0.1' });
`);

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

startProcess([upstreamFile], WORK, { PORT: String(upstreamPort) });
startProcess([bareFile], path.join(ws, 'services', 'gateway'), {});
startProcess(['--import', './dist/instrumentation.js', 'dist/main.js'], path.join(ws, 'services', 'gateway'), {
  HOST: '127.0.0.1',
  PORT: String(gatewayPort),
  LOG_LEVEL: 'warn',
  OTEL_SDK_DISABLED: 'true',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ISSUER: 'https://idp.bench/',
  JWT_AUDIENCE: 'bench',
  JWT_ALGORITHMS: 'RS256',
  JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  ORDERS_SERVICE_URL: `http://127.0.0.1:${upstreamPort}`,
  // Every request is counted in Redis; the limit itself is never reached.
  RATE_LIMIT_MAX: '10000000',
});
for (let i = 0; i < 100; i++) {
  const ok = await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`).then((r) => r.ok, () => false);
  if (ok) break;
  if (i === 99) fail('the gateway did not become ready');
  await new Promise((r) => setTimeout(r, 200));
}
const probe = await fetch(`http://127.0.0.1:${gatewayPort}/api/orders/7`, { headers: { authorization: `Bearer ${token}` } });
if (probe.status !== 200) fail(`the gateway answered ${probe.status} to an authenticated request`);
const limited = probe.headers.get('x-ratelimit-limit');
if (!limited) fail('no x-ratelimit-limit header: rate limiting is not on');

// ---------- wrk ----------
const toMs = (text) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
};
function wrk(url, headers = []) {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}`, '--latency', ...headers.flatMap((h) => ['-H', h]), url];
  const out = sh('wrk', args, WORK);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const pct = (p) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50: pct(50), p99: pct(99), non2xx };
}
const targets = {
  upstream: () => wrk(`http://127.0.0.1:${upstreamPort}/orders/7`),
  bare: () => wrk(`http://127.0.0.1:${bareProxyPort}/api/orders/7`),
  gateway: () => wrk(`http://127.0.0.1:${gatewayPort}/api/orders/7`, [`Authorization: Bearer ${token}`]),
};
console.log(`wrk: 1 thread, ${CONNECTIONS} connections, ${DURATION} per run, ${ROUNDS} rounds alternating (after a warm-up) ...`);
spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, '-d3s', '-H', `Authorization: Bearer ${token}`, `http://127.0.0.1:${gatewayPort}/api/orders/7`]);
spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, '-d3s', `http://127.0.0.1:${upstreamPort}/orders/7`]);
const runs = { upstream: [], bare: [], gateway: [] };
for (let i = 0; i < ROUNDS; i++) for (const [name, run] of Object.entries(targets)) runs[name].push(run());
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, list]) => [name, { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), non2xx: list.reduce((n, r) => n + r.non2xx, 0) }]),
);
for (const child of children) child.kill('SIGTERM');

// ---------- report ----------
const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? '?';
console.log(`\nnode ${spawnSync(NODE22, ['--version'], { encoding: 'utf8' }).stdout.trim()} (gateway and upstream), ${os.cpus().length} cores (${cpu}), load avg ${os.loadavg()[0].toFixed(2)}`);
console.log(`gateway: fastify, @fastify/http-proxy ${gatewayVersion('@fastify/http-proxy')}, @fastify/rate-limit ${gatewayVersion('@fastify/rate-limit')} (Redis), jose ${gatewayVersion('jose')} (RS256), opossum ${gatewayVersion('opossum')}; tracing off\n`);
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log('| Target | Requests/s | p50 | p99 | non-2xx |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| upstream alone (node:http) | ${f(summary.upstream.rps)} | ${f(summary.upstream.p50, 2)} ms | ${f(summary.upstream.p99, 2)} ms | ${summary.upstream.non2xx} |`);
console.log(`| through @fastify/http-proxy alone (reference: no auth, no limits) | ${f(summary.bare.rps)} | ${f(summary.bare.p50, 2)} ms | ${f(summary.bare.p99, 2)} ms | ${summary.bare.non2xx} |`);
console.log(`| through the gateway (JWT RS256 + Redis rate limit + breaker + proxy) | ${f(summary.gateway.rps)} | ${f(summary.gateway.p50, 2)} ms | ${f(summary.gateway.p99, 2)} ms | ${summary.gateway.non2xx} |`);
const share = summary.gateway.rps / summary.upstream.rps;
console.log(`\n${share >= 0.5 ? 'PASS' : 'FAIL'}  gateway throughput = ${(share * 100).toFixed(0)} % of the upstream's (target ≥ 50 %)`);
console.log(`      the gateway keeps ${((summary.gateway.rps / summary.bare.rps) * 100).toFixed(0)} % of the bare proxy's throughput (what auth, rate limiting and the breaker cost)`);
console.log(`      p99 added by the gateway: ${f(summary.gateway.p99 - summary.upstream.p99, 2)} ms; p50 added: ${f(summary.gateway.p50 - summary.upstream.p50, 2)} ms`);
if (Object.values(summary).some((x) => x.non2xx > 0)) console.log('WARNING some responses were not 2xx: the figures include errors');
