/**
 * `arch dev` refusing to start: every problem reported at once, one line
 * each, exit 2, nothing started and nothing written. (Running the services is
 * the e2e test's: test/e2e/local-dev.test.ts.)
 */
import { createServer, type Server } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, node22 } from '../helpers/e2e.js';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Another process's listener on `port`. */
async function occupy(port: number): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** A workspace `shop` (not installed) with orders and payments on free ports. */
async function workspace(): Promise<{ cwd: string; ports: { orders: number; payments: number } }> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  const ports = { orders: await freePort(), payments: await freePort() };
  await generate('service', { name: 'orders', port: ports.orders }, { cwd });
  await generate('service', { name: 'payments', port: ports.payments }, { cwd });
  return { cwd, ports };
}

const problems = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.slice(4));

describe('arch dev: nothing starts when something is in the way', () => {
  it('lists every problem: node on PATH too old, not installed, a port taken, two services on one port, a server that does not answer', async () => {
    const { cwd, ports } = await workspace();
    await occupy(ports.orders);
    const closed = await freePort();
    writeFileSync(path.join(cwd, 'services/payments/.env'), `PORT=${ports.orders}\nDATABASE_URL=postgres://postgres@127.0.0.1:${closed}/shop_payments\n`);
    // A node 20 on PATH (what this machine has), as a stand-in that only tells its version.
    const bin = tmpDir();
    writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho v20.11.0\n', { mode: 0o755 });
    const before = snapshotDir(cwd);
    const run = await runCli(['dev'], { cwd, env: { PATH: bin } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error nothing started, \d+ problems:\n/);
    const listed = problems(run.stderr);
    expect(listed).toContain(`the node on PATH is v20.11.0, and the services need Node.js >=22.15.0 (engines in services/orders/package.json): put a newer node first on PATH (nvm use 22, fnm use 22, …)`);
    expect(listed).toContain('the workspace is not installed: run `npm install` in its root first');
    expect(listed).toContain(`port ${ports.orders} is set for orders (services/orders/.env.example) and payments (services/payments/.env): give each service its own PORT`);
    expect(listed).toContain(`PostgreSQL does not answer at 127.0.0.1:${closed} (DATABASE_URL of payments): start it, or point the .env there at one that runs`);
    // Refused: not even the .env copies of .env.example are written.
    expect(snapshotDir(cwd)).toEqual(before);
    expect(existsSync(path.join(cwd, 'services/orders/.env'))).toBe(false);
  });

  it('names a port another process holds, and is content with Node 22 on PATH', async () => {
    const { cwd, ports } = await workspace();
    await occupy(ports.payments);
    const run = await runCli(['dev'], { cwd, env: { PATH: `${path.dirname(node22())}${path.delimiter}${process.env.PATH ?? ''}` } });
    expect(run.code).toBe(2);
    const listed = problems(run.stderr);
    expect(listed).toContain(`port ${ports.payments} of payments (services/payments/.env.example) is taken by another process: stop it, or set another PORT there`);
    expect(listed.filter((p) => p.includes('node on PATH'))).toEqual([]);
  });

  it('refuses outside a workspace and in one without services', async () => {
    const outside = await runCli(['dev'], { cwd: tmpDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^error arch dev runs inside an archkit workspace/);
    const empty = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd: empty });
    const none = await runCli(['dev'], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error no services to run in this workspace\nCreate one with `npx create-service <name>`/);
  });
});
