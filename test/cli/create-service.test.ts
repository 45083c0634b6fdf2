import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { recordingExec, runCli, scriptedAsk } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

async function workspace(): Promise<string> {
  const cwd = tmpDir();
  const run = await runCli(['init', '.', '--name', 'shop', '--yes', '--no-git', '--no-install'], { cwd });
  expect(run.code).toBe(0);
  return cwd;
}

describe('create-service (bin)', () => {
  it.for([
    ['', /a service name is required/],
    ['Orders', /must be kebab-case.*did you mean "orders"/],
    ['my service', /must be kebab-case/],
    ['..', /path separators or "\.\."/],
    ['../x', /path separators/],
    ['a/b', /path separators/],
    ['class', /reserved word/],
    ['postgres', /reserved by the workspace/],
    ['x'.repeat(41), /the limit is 40/],
  ] as const)('rejects %j with one line, exit 2, nothing written', async ([name, message]) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const run = await runCli([name, '--yes', '--no-install'], { cwd, bin: 'create-service' });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning '));
    expect(lines[0]).toMatch(/^error /);
    expect(lines[0]).toMatch(message);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for([
    [['orders', '--port', '0'], /--port must be between 1 and 65535/],
    [['orders', '--db', 'mongo'], /--db must be one of postgres, none/],
    [['orders', '--bogus'], /unknown option '--bogus'/],
  ] as const)('rejects bad options %j with exit 2', async ([argv, message]) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const run = await runCli([...argv, '--yes'], { cwd, bin: 'create-service' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('without a name and without a terminal: names the missing argument (there is no --name flag)', async () => {
    const cwd = await workspace();
    const run = await runCli(['--yes', '--no-install'], { cwd, bin: 'create-service' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error missing required argument <name> \(service name, kebab-case/);
    expect(run.stderr).not.toContain('--name');
  });

  it.for([
    [['payments', '--port', '80'], /^error --port 80 is a privileged port \(below 1024\): the service runs as a non-root user/],
    [['payments', '--port', '3000'], /^error --port 3000 is taken by service "orders"; choose another port$/],
    [['payments', '--port', '8080'], /^error --port 8080 is taken by service "gateway"; choose another port$/],
  ] as const)('refuses the port of %j: one line, exit 2, nothing written', async ([argv, message]) => {
    const cwd = await workspace();
    expect((await runCli(['orders', '--port', '3000', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    expect((await runCli(['add-gateway', '--yes', '--no-install'], { cwd })).code).toBe(0);
    const before = snapshotDir(cwd);
    const run = await runCli([...argv, '--yes', '--no-install'], { cwd, bin: 'create-service' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toMatch(message);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('add-gateway refuses a port a service uses', async () => {
    const cwd = await workspace();
    expect((await runCli(['orders', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    const run = await runCli(['add-gateway', '--port', '3000', '--yes', '--no-install'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error --port 3000 is taken by service "orders"/);
  });

  it('the default port skips the ports other services use', async () => {
    const cwd = await workspace();
    expect((await runCli(['orders', '--port', '3001', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    expect((await runCli(['payments', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'services/payments/.env.example'), 'utf8')).toMatch(/^PORT=3002$/m);
  });

  it('next steps: where to cd from where the user is, and npm install when --no-install skipped it', async () => {
    const cwd = await workspace();
    const fromRoot = await runCli(['orders', '--yes', '--no-install'], { cwd, bin: 'create-service' });
    expect(fromRoot.stdout).toMatch(/\nNext steps\n  cd services\/orders\n  npm install   # installs the whole workspace\n  npm run lockfile .*\n  cp \.env\.example \.env/);
    const fromServices = await runCli(['payments', '--yes', '--no-install'], { cwd: path.join(cwd, 'services'), bin: 'create-service' });
    expect(fromServices.stdout).toMatch(/^  cd payments$/m);
    const elsewhere = await runCli(['billing', '--yes', '--no-install', '--cwd', cwd], { cwd: tmpDir(), bin: 'create-service' });
    expect(elsewhere.stdout).toContain(`\n  cd ${path.join(cwd, 'services', 'billing')}\n`);
    const exec = recordingExec();
    const installed = await runCli(['shipping', '--yes', '--no-git'], { cwd, bin: 'create-service', exec });
    expect(installed.code).toBe(0);
    expect(exec.calls).toEqual([`npm install --no-audit --no-fund @ ${cwd}`, `npm run lockfile @ ${path.join(cwd, 'services', 'shipping')}`]);
    expect(installed.stdout).not.toMatch(/^  npm install/m);
  });

  it('outside a workspace, a standalone service in the folder --cwd names, relative or absolute, wherever it is', async () => {
    const outer = tmpDir();
    mkdirSync(path.join(outer, 'here'));
    mkdirSync(path.join(outer, 'there'));
    const run = await runCli(['billing', '--yes', '--no-install', '--no-git', '--cwd', path.join('..', 'there')], { cwd: path.join(outer, 'here'), bin: 'create-service' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(outer, 'there', 'billing', 'compose.yaml'), 'utf8')).toMatch(/^name: billing$/m);
    expect(run.stdout).toContain(`\nNext steps\n  cd ${path.join(outer, 'there', 'billing')}\n  npm install\n`);
    expect(snapshotDir(path.join(outer, 'here'))).toEqual({});
  });

  it('works from inside the workspace, via --cwd, and as `arch create-service`', async () => {
    const cwd = await workspace();
    expect((await runCli(['orders', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    const inside = await runCli(['shipping', '--yes', '--no-install'], { cwd: path.join(cwd, 'services', 'orders', 'src'), bin: 'create-service' });
    expect(inside.code).toBe(0);
    const viaCwd = await runCli(['payments', '--yes', '--no-install', '--cwd', cwd], { cwd: tmpDir(), bin: 'create-service' });
    expect(viaCwd.code).toBe(0);
    const viaArch = await runCli(['create-service', 'billing', '--db', 'none', '--yes', '--no-install'], { cwd });
    expect(viaArch.code).toBe(0);
    expect(Object.keys(snapshotDir(cwd)).filter((f) => f.endsWith('/package.json'))).toEqual([
      'services/billing/package.json',
      'services/orders/package.json',
      'services/payments/package.json',
      'services/shipping/package.json',
    ]);
    expect(readFileSync(path.join(cwd, 'compose.yaml'), 'utf8')).toMatch(/payments-db:/);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const run = await runCli(['orders', '--yes', '--dry-run'], { cwd, bin: 'create-service' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create\s+services\/orders\/src\/main\.ts/);
    expect(run.stdout).toMatch(/update\s+compose\.yaml/);
    expect(run.stdout).toMatch(/Dry run: \d+ to create, 2 to update, 0 unchanged; nothing written\./);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('a second run without --force exits 2 and changes nothing; with --force everything is unchanged', async () => {
    const cwd = await workspace();
    expect((await runCli(['orders', '--yes', '--no-install'], { cwd, bin: 'create-service' })).code).toBe(0);
    const before = snapshotDir(cwd);
    const again = await runCli(['orders', '--yes', '--no-install'], { cwd, bin: 'create-service' });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/service "orders" already exists \(services\/orders\)/);
    const forced = await runCli(['orders', '--yes', '--no-install', '--force'], { cwd, bin: 'create-service' });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/0 to create, 0 to update, \d+ unchanged/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('--help shows the options and examples', async () => {
    const run = await runCli(['--help'], { cwd: tmpDir(), bin: 'create-service' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: create-service \[options\] \[name\]/);
    for (const flag of ['--db <postgres|none>', '--port <port>', '--description <text>', '--dry-run', '--yes', '--force', '--no-install', '--no-git', '--cwd <dir>']) {
      expect(run.stdout).toContain(flag.split(' ')[0]);
    }
    expect(run.stdout).toMatch(/Examples:\n\s+\$ create-service orders/);
  });

  it('on a TTY asks for the name and the rest', async () => {
    const cwd = await workspace();
    const ask = scriptedAsk({ name: 'orders', description: 'Orders', db: 'none', port: '4000' });
    const run = await runCli(['--no-install'], { cwd, bin: 'create-service', tty: true, ask });
    expect(run.code).toBe(0);
    expect(ask.asked).toEqual(['name', 'description', 'db', 'port']);
    expect(readFileSync(path.join(cwd, 'services/orders/.env.example'), 'utf8')).toMatch(/PORT=4000/);
  });
});
