/**
 * End to end, a newcomer's path, as README's "Run it locally" walks it:
 * archkit packed from the clone and installed globally (its own prefix);
 * `archkit init` at an absolute path outside the clone; a workspace
 * (create-service orders and payments, add-gateway,
 * a RabbitMQ producer in orders and consumer in payments), installed once
 * (Node 22 first on PATH); `arch token`; `arch dev` starting every service and
 * the gateway against the real PostgreSQL, RabbitMQ and Redis; a curl with the
 * token through the gateway that lands in orders' database, and its event in
 * payments'; then SIGINT (Ctrl-C) stopping all of it, no process left.
 * Before that: a database of the same name that `arch dev` did not make is
 * reported and nothing starts.
 *
 * Throughout, the clone's dist/ is untouched (compared file by file at the end).
 * Each step is a helper below, so that the walk reads as the README does.
 * Ports are free ones (the machine is shared); the workspace is named after
 * this process, and so are its databases (archkit_dev_<pid>_orders), which
 * are dropped afterwards with the RabbitMQ virtual host its services use.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, createInTransaction, freePort, getJson, node22Env, npm, psql, requireServer, waitFor } from '../helpers/e2e.js';
import { cloneDist, installGlobally, type GlobalArchkit } from '../helpers/global-install.js';
import { runningInGroups } from '../../src/dev/supervise.js';
import { scratch } from '../helpers/scratch.js';

const hasServers = (await requireServer('PostgreSQL', 5432)) && (await requireServer('RabbitMQ', 5672)) && (await requireServer('Redis', 6379));
const servers = scratch('dev');
const work = mkdtempSync(path.join(tmpdir(), 'archkit-dev-'));
/** The workspace's folder and name: its databases are named after it (`archkit_dev_<pid>_orders`). */
const name = `archkit-dev-${process.pid}`;
const ws = path.join(work, name);
const ports = { orders: 0, payments: 0, gateway: 0 };
const db = { orders: servers.database('orders'), payments: servers.database('payments') };

/** The globally installed archkit, and the clone's dist/ before anything ran. */
let archkit: GlobalArchkit;
let distBefore: Record<string, string> = {};

/** `archkit …` (the global install) in the workspace, with Node 22 first on PATH for it and what it runs. */
const arch = (args: string[]) => archkit.run('archkit', args, { cwd: ws, env: node22Env(), extendEnv: false });

async function expectOk(run: ReturnType<GlobalArchkit['run']>): Promise<string> {
  const result = await run;
  expect(result.exitCode, `${result.command}\n${result.stderr}`).toBe(0);
  return String(result.stdout);
}

/**
 * archkit init (an absolute path, run from elsewhere), create-service ×2, add-gateway, add-producer / add-consumer
 * on RabbitMQ: the README's commands (free ports), from the global install.
 */
async function createWorkspace(): Promise<void> {
  await expectOk(archkit.run('archkit', ['init', ws, '--yes', '--no-install', '--no-git'], { cwd: tmpdir(), env: node22Env(), extendEnv: false }));
  await expectOk(archkit.run('create-service', ['orders', '--port', String(ports.orders), '--yes', '--no-install'], { cwd: ws, env: node22Env(), extendEnv: false }));
  await expectOk(archkit.run('create-service', ['payments', '--port', String(ports.payments), '--yes', '--no-install'], { cwd: ws, env: node22Env(), extendEnv: false }));
  await expectOk(arch(['add-gateway', '--port', String(ports.gateway), '--yes', '--no-install']));
  await expectOk(arch(['add-producer', 'orders', '--broker', 'rabbitmq', '--topic', 'order-created', '--event', 'OrderCreated', '--yes', '--no-install']));
  await expectOk(arch(['add-consumer', 'payments', '--broker', 'rabbitmq', '--topic', 'order-created', '--yes', '--no-install']));
  // The user's part, as add-producer's next steps say: record the event in the transaction that creates the order.
  createInTransaction(ws, 'orders', `import { recordOrderCreated } from '../messaging/producers/order-created.producer.js';`, 'await recordOrderCreated(client, { id: row.id });');
}

async function install(): Promise<void> {
  const run = await npm(ws, ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  expect(run.exitCode, run.stderr).toBe(0);
}

/** `arch dev`, running: its output lines, and the process groups it says it started. */
interface Dev {
  process: ResultPromise;
  lines: string[];
  groups: number[];
}

/**
 * `arch dev` with Node 22 first on PATH. The services' RabbitMQ is this
 * test's virtual host: a variable in arch dev's environment wins over the
 * services' .env, as it would for `npm run dev`.
 */
function startDev(): Dev {
  const child = archkit.run('archkit', ['dev'], { cwd: ws, env: node22Env({ RABBITMQ_URL: servers.amqpUrl() }), extendEnv: false, all: true });
  const dev: Dev = { process: child, lines: [], groups: [] };
  let rest = '';
  child.all!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      dev.lines.push(line);
      const group = /^arch dev: started \S+ \(process group (\d+)\)$/.exec(line);
      if (group) dev.groups.push(Number(group[1]));
    }
  });
  return dev;
}

const ready = (port: number, what: string) =>
  waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/health/ready`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), 90_000, `${what} ready`);

/** `curl` with the token, as the README shows it. */
async function curl(token: string, method: 'GET' | 'POST', url: string, body?: object): Promise<{ status: number; json: unknown }> {
  const args = ['-s', '-o', '-', '-w', '\n%{http_code}', '-X', method, '-H', `Authorization: Bearer ${token}`, url];
  if (body) args.push('-H', 'content-type: application/json', '-d', JSON.stringify(body));
  const { stdout } = await execa('curl', args);
  const newline = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(newline + 1)), json: JSON.parse(stdout.slice(0, newline) || 'null') };
}

let dev: Dev | undefined;
let token = '';
beforeAll(async () => {
  if (!hasServers) return;
  distBefore = cloneDist();
  archkit = await installGlobally(work);
  await servers.setUp({ rabbitmq: true });
  ports.orders = await freePort();
  ports.payments = await freePort();
  ports.gateway = await freePort();
  await createWorkspace();
  await install();
}, 900_000);

afterAll(async () => {
  // Even when a test failed: stop arch dev (it stops the services), and kill whatever is left of them.
  if (dev && dev.process.exitCode === null) {
    dev.process.kill('SIGINT');
    await Promise.race([dev.process, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  }
  for (const group of dev?.groups ?? []) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  dev?.process.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  if (hasServers) await servers.tearDown();
});

describe.skipIf(!hasServers)('arch dev: the workspace on this machine', () => {
  it("reports a database of the same name it did not make (another project's), and starts nothing", async () => {
    await psql('postgres', `CREATE DATABASE "${db.orders}"`);
    try {
      const run = await arch(['dev']);
      expect(run.exitCode).toBe(2);
      expect(String(run.stderr)).toContain(`database ${db.orders} (DATABASE_URL in services/orders/.env.example) already exists and was not made by arch dev for this workspace`);
      expect(String(run.stdout)).not.toMatch(/started/);
      expect(readdirSync(path.join(ws, 'services/orders'))).not.toContain('.env');
    } finally {
      await psql('postgres', `DROP DATABASE IF EXISTS "${db.orders}" WITH (FORCE)`);
    }
  });

  it('arch token signs a token, arch dev starts the services and the gateway with their .env, databases and migrations', async () => {
    token = (await expectOk(arch(['token', '--sub', 'alice', '--roles', 'admin']))).trim();
    expect(token.split('.')).toHaveLength(3);
    dev = startDev();
    await ready(ports.orders, 'orders');
    await ready(ports.payments, 'payments');
    await ready(ports.gateway, 'gateway');
    expect(dev.groups).toHaveLength(3);
    for (const service of ['gateway', 'orders', 'payments']) {
      expect(dev.lines).toContain(`arch dev: created services/${service}/.env from .env.example (yours from now on: arch dev never overwrites it)`);
      expect(readFileSync(path.join(ws, `services/${service}/.env`), 'utf8')).toBe(readFileSync(path.join(ws, `services/${service}/.env.example`), 'utf8'));
    }
    expect(dev.lines).toContain(`arch dev: created database ${db.orders}`);
    expect(dev.lines.some((line) => /^orders +\| .*migrations applied/.test(line))).toBe(true);
    expect(await psql(db.payments, "SELECT count(*) FROM pgmigrations WHERE name LIKE '%create-inbox'")).toBe('1');
  });

  it("a curl with the token through the gateway lands in orders' database, and its event in payments'", async () => {
    expect((await curl('not-a-token', 'GET', `http://localhost:${ports.gateway}/api/orders`)).status).toBe(401);
    const created = await curl(token, 'POST', `http://localhost:${ports.gateway}/api/orders`, { name: 'book' });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    expect(await psql(db.orders, `SELECT name FROM orders WHERE id = '${id}'`)).toBe('book');
    const listed = await curl(token, 'GET', `http://localhost:${ports.gateway}/api/orders`);
    expect(listed.json).toMatchObject({ items: [{ id, name: 'book' }] });
    // Published through orders' outbox, consumed (and recorded once) by payments.
    await waitFor(async () => ((await psql(db.payments, 'SELECT count(*) FROM inbox')) === '1' ? true : undefined), 30_000, "the event in payments' inbox");
    expect(await psql(db.orders, 'SELECT count(*) FROM outbox WHERE published_at IS NULL')).toBe('0');
  });

  it('Ctrl-C (SIGINT) stops every service gracefully: exit 130, no process and no port left', async () => {
    dev!.process.kill('SIGINT');
    const result = await dev!.process;
    expect(result.exitCode, dev!.lines.slice(-20).join('\n')).toBe(130);
    for (const service of ['gateway', 'orders', 'payments']) {
      expect(dev!.lines.some((line) => line.startsWith(service) && line.includes('"shutdown complete"')), `${service} shut down gracefully:\n${dev!.lines.filter((line) => line.startsWith(service)).slice(-12).join('\n')}`).toBe(true);
    }
    expect(dev!.lines.at(-1)).toBe('arch dev: all services stopped');
    expect(runningInGroups(dev!.groups)).toEqual([]);
    for (const port of Object.values(ports)) expect(await canConnect(port), `port ${port}`).toBe(false);
  });

  it("left the clone's dist/ as it was: no workspace install built, wrote into or linked to the clone", () => {
    expect(readFileSync(path.join(ws, 'package.json'), 'utf8')).toMatch(/"archkit": "file:tools\/archkit-[^"]+\.tgz"/);
    expect(cloneDist()).toEqual(distBefore);
  });
});
