import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate, recordingLogger } from '../helpers/generate.js';
import { tmpDir } from '../helpers/tmp.js';
import { HOSTILE } from '../helpers/hostile.js';
import { expectParses } from '../helpers/parses.js';
import { composeSchemaErrors } from '../helpers/e2e.js';

async function workspace(): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  return cwd;
}

const KINDS = [
  { kind: 'workspace-postgres', inWorkspace: true, db: 'postgres' },
  { kind: 'workspace-none', inWorkspace: true, db: 'none' },
  { kind: 'standalone-postgres', inWorkspace: false, db: 'postgres' },
] as const;

describe('create-service', () => {
  it.for(KINDS)('$kind: plans, renders, snapshots, and re-runs to all unchanged', async ({ kind, inWorkspace, db }) => {
    const cwd = inWorkspace ? await workspace() : tmpDir();
    const before = snapshotDir(cwd);
    const first = await generate('service', { name: 'order-items', db, port: '3100', description: 'Keeps order items' }, { cwd });
    const dir = inWorkspace ? 'services/order-items' : 'order-items';
    const created = first.plan.filter((f) => f.kind === 'create').map((f) => f.path);
    expect(created).toContain(`${dir}/package.json`);
    expect(created).toContain(`${dir}/src/main.ts`);
    expect(created).toContain(`${dir}/Dockerfile`);
    expect(created).toContain(`${dir}/.env.example`);
    expect(created).toContain(`${dir}/.gitignore`);
    if (inWorkspace) {
      expect(first.plan.find((f) => f.path === 'compose.yaml')?.kind).toBe('update');
      if (db === 'postgres') expect(first.plan.find((f) => f.path === '.env.example')?.kind).toBe('update');
    } else {
      expect(created).toContain(`${dir}/compose.yaml`);
    }
    expect(created.some((p) => p.includes('migrations/'))).toBe(db === 'postgres');

    const after = snapshotDir(cwd);
    const files = Object.fromEntries(Object.entries(after).filter(([p]) => before[p] !== after[p]));
    expectParses(files);
    const pkg = JSON.parse(files[`${dir}/package.json`]!) as { name: string; engines: { node: string }; dependencies: Record<string, string> };
    expect(pkg.name).toBe('order-items');
    expect(pkg.engines.node).toBe('>=22.15.0');
    for (const version of Object.values(pkg.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect('pg' in pkg.dependencies).toBe(db === 'postgres');

    const compose = parseDocument(after[inWorkspace ? 'compose.yaml' : `${dir}/compose.yaml`]!).toJS() as { services: Record<string, Record<string, unknown>> };
    expect(compose.services['order-items']).toMatchObject({ build: { context: inWorkspace ? `./${dir}` : '.' } });
    expect(Boolean(compose.services['order-items-db'])).toBe(db === 'postgres');
    if (db === 'postgres') {
      expect(compose.services['order-items']!.depends_on).toMatchObject({ 'order-items-db': { condition: 'service_healthy' } });
    }
    // On the internal network alone, with its database; a standalone compose.yaml declares it too.
    expect((compose as { networks?: unknown }).networks).toMatchObject({ backend: { internal: true } });
    for (const key of ['order-items', ...(db === 'postgres' ? ['order-items-db'] : [])]) expect(compose.services[key]!.networks, key).toEqual(['backend']);
    expect(await composeSchemaErrors(compose)).toEqual([]);

    // The first kind is snapshotted whole; the others only where they differ from it.
    const primary = path.join(fileURLToPath(new URL('.', import.meta.url)), '__snapshots__', 'service', KINDS[0].kind, 'services', 'order-items');
    for (const [file, content] of Object.entries(files)) {
      if (kind !== KINDS[0].kind && file.startsWith(`${dir}/`)) {
        const same = existsSync(path.join(primary, file.slice(dir.length + 1))) && readFileSync(path.join(primary, file.slice(dir.length + 1)), 'utf8') === content;
        if (same) continue;
      }
      await expect(content).toMatchFileSnapshot(path.join('__snapshots__', 'service', kind, file));
    }

    const second = await generate('service', { name: 'order-items', db, port: '3100', description: 'Keeps order items' }, { cwd, force: true });
    expect(second.plan.filter((f) => f.kind !== 'unchanged')).toEqual([]);
    expect(snapshotDir(cwd)).toEqual(after);
  });

  it('refuses an existing service without --force and writes nothing', async () => {
    const cwd = await workspace();
    await generate('service', { name: 'orders' }, { cwd });
    const before = snapshotDir(cwd);
    await expect(generate('service', { name: 'orders' }, { cwd })).rejects.toThrow(/service "orders" already exists \(services\/orders\)/);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it('outside a workspace too, a re-run is refused without --force, and --force regenerates over edits', async () => {
    const cwd = tmpDir();
    await generate('service', { name: 'orders' }, { cwd });
    const main = path.join(cwd, 'orders/src/main.ts');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\n// my edit\n`);
    const before = snapshotDir(cwd);
    await expect(generate('service', { name: 'orders' }, { cwd })).rejects.toThrow(/service "orders" already exists \(orders\)/);
    expect(snapshotDir(cwd)).toEqual(before);
    await generate('service', { name: 'orders' }, { cwd, force: true });
    expect(readFileSync(main, 'utf8')).not.toMatch(/my edit/);
  });

  it("keeps the user's own compose entry of the same name, and says so", async () => {
    const cwd = await workspace();
    const composePath = path.join(cwd, 'compose.yaml');
    const edited = `${readFileSync(composePath, 'utf8')}\nvolumes:\n  orders-db-data:\n    driver: local # mine\n`;
    writeFileSync(composePath, edited);
    const log = recordingLogger();
    await generate('service', { name: 'orders' }, { cwd, log });
    const after = readFileSync(composePath, 'utf8');
    expect(after).toContain('driver: local # mine');
    expect(after).toContain('orders-db:');
    expect(log.warnings.join('\n')).toMatch(/kept your volumes\.orders-db-data/);
  });

  it('--dry-run writes nothing', async () => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    const result = await generate('service', { name: 'orders' }, { cwd, dryRun: true });
    expect(result.plan.length).toBeGreaterThan(10);
    expect(snapshotDir(cwd)).toEqual(before);
  });

  it.for(HOSTILE.filter((t) => t !== ''))('renders a description of %j into code that still parses and keeps the text', async (description) => {
    const cwd = await workspace();
    await generate('service', { name: 'orders', description }, { cwd });
    const files = snapshotDir(cwd);
    expectParses(files);
    const pkg = JSON.parse(files['services/orders/package.json']!) as { description: string };
    expect(pkg.description).toBe(description);
  });

  it.for(['Orders', '../orders', 'orders/x', 'a b', 'orders-db', '', 'x'.repeat(41)])('rejects the name %j before planning anything', async (name) => {
    const cwd = await workspace();
    const before = snapshotDir(cwd);
    await expect(generate('service', { name }, { cwd })).rejects.toThrow();
    expect(snapshotDir(cwd)).toEqual(before);
  });
});
