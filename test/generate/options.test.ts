import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { option, resolveOptions, type OptionsSpec } from '../../src/generate/options.js';
import type { RepoModel } from '../../src/model/types.js';
import { scriptedAsk } from '../helpers/run-cli.js';

const model: RepoModel = { version: 1, kind: 'workspace', workspace: null, services: [], databases: [], brokers: [], gateway: null, gateways: [], infrastructure: [], channels: [], edges: [], sagas: [], libraries: [], files: { compose: [], kubernetes: [], dockerfiles: [], packageJson: [], source: 0 }, diagnostics: [] };

const spec = {
  name: option.string({ description: 'Name', required: true, validate: (v) => (v === 'bad' ? 'name is bad' : undefined) }),
  db: option.select({ description: 'Database', choices: [{ value: 'postgres' }, { value: 'none' }], default: 'postgres' }),
  port: option.integer({ description: 'Port', min: 1, max: 65535, default: ({ values }) => (values.db === 'none' ? 4000 : 3000) }),
  verbose: option.boolean({ description: 'Verbose' }),
  group: option.string({ description: 'Group', condition: (v) => v.db === 'postgres', default: 'g' }),
} satisfies OptionsSpec;

const base = { model, root: '/tmp', force: false };

describe('resolveOptions', () => {
  it('parses flags and fills defaults, later defaults seeing earlier values', async () => {
    const values = await resolveOptions(spec, { ...base, raw: { name: 'a', db: 'none' }, interactive: false, ask: scriptedAsk({}) });
    expect(values).toEqual({ name: 'a', db: 'none', port: 4000 });
  });

  it.for([
    [{ name: 'a', port: 'abc' }, /--port must be a whole number/],
    [{ name: 'a', port: '70000' }, /--port must be between 1 and 65535/],
    [{ name: 'a', db: 'mysql' }, /--db must be one of postgres, none/],
    [{ name: 'bad' }, /name is bad/],
    [{ name: 'a', verbose: 'maybe' }, /--verbose must be true or false/],
  ] as const)('rejects bad flag values %j', async ([raw, message]) => {
    await expect(resolveOptions(spec, { ...base, raw, interactive: false, ask: scriptedAsk({}) })).rejects.toThrow(message);
  });

  it('a missing required value without a TTY is a UsageError naming the flag, never a prompt', async () => {
    const ask = scriptedAsk({});
    const error = await resolveOptions(spec, { ...base, raw: {}, interactive: false, ask }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/missing required --name/);
    expect(ask.asked).toEqual([]);
  });

  it('interactive with a required value missing: asks every option not given, with defaults preselected', async () => {
    const ask = scriptedAsk({ name: 'orders', port: '3005', verbose: true, group: 'grp' });
    const values = await resolveOptions(spec, { ...base, raw: { db: 'postgres' }, interactive: true, ask });
    expect(ask.asked).toEqual(['name', 'port', 'verbose', 'group']);
    expect(values).toEqual({ name: 'orders', db: 'postgres', port: 3005, verbose: true, group: 'grp' });
  });

  it('interactive with nothing required missing: asks nothing', async () => {
    const ask = scriptedAsk({});
    await resolveOptions(spec, { ...base, raw: { name: 'x' }, interactive: true, ask });
    expect(ask.asked).toEqual([]);
  });

  it('prompt validation uses the same validator as flags', async () => {
    const ask = scriptedAsk({ name: 'bad' });
    await expect(resolveOptions({ name: spec.name }, { ...base, raw: {}, interactive: true, ask })).rejects.toThrow(/rejected: name is bad/);
  });
});
