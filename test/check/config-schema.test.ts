/**
 * The JSON Schema archkit ships for arch.config.json: generated from the
 * loader's schema and every rule's options schema (never drifts), accepted by
 * Ajv, agreeing with the loader, and valid for the config `arch init` writes
 * and the README's examples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, loadConfig } from '../../src/check/config.js';
import { rules } from '../../src/check/rules/index.js';
import { generate } from '../helpers/generate.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

const SCHEMA_FILE = new URL('../../schema/arch.config.schema.json', import.meta.url);
const shipped = () => JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
const validator = () => new Ajv2020({ allErrors: true, strict: true, strictTuples: false }).compile(shipped());

/** The JSON examples of the README's "Configuration" section. */
function readmeConfigs(): unknown[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Configuration'), readme.indexOf('\n### ', readme.indexOf('### Configuration') + 1));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}

describe('schema/arch.config.schema.json', () => {
  it('is generated from the loader\'s schema and every rule\'s options (run vitest -u after changing a rule)', async () => {
    await expect(`${JSON.stringify(await configJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../../schema/arch.config.schema.json');
  });

  it('names every rule, with its options schema', async () => {
    const schema = shipped() as { properties: { rules: { properties: Record<string, { oneOf: Array<{ prefixItems?: object[] }> }> } } };
    expect(Object.keys(schema.properties.rules.properties)).toEqual(Object.keys(rules));
    const chatty = await rules['chatty-services']();
    expect(schema.properties.rules.properties['chatty-services']!.oneOf[1]!.prefixItems![1]).toEqual(chatty.schema);
  });

  it('validates the arch.config.json `arch init` writes, which points at it, and the README examples', async () => {
    const cwd = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
    const config = JSON.parse(readFileSync(path.join(cwd, 'arch.config.json'), 'utf8')) as { $schema: string };
    const validate = validator();
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    // The path works for editors once archkit is installed in the workspace: node_modules/archkit/schema/….
    expect(config.$schema).toBe('./node_modules/archkit/schema/arch.config.schema.json');
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(packageJson.files).toContain('schema');

    const examples = readmeConfigs();
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(example), `${JSON.stringify(example)}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it('rejects what the loader rejects, and accepts what it accepts', async () => {
    const validate = validator();
    const cases: Array<[string, unknown]> = [
      ['valid: levels and options', { rules: { 'chatty-services': ['warn', { maxCallSites: 3 }], tracing: 'error', 'event-driven': ['off'] } }],
      ['valid: $schema and every key', { $schema: 'x', ignore: ['a/**'], services: [{ name: 'billing', dir: 'billing-go' }], gateway: 'edge', shared: ['packages/contracts'] }],
      ['unknown rule', { rules: { 'no-such-rule': 'error' } }],
      ['bad level', { rules: { tracing: 'loud' } }],
      ['bad option value', { rules: { 'chatty-services': ['warn', { maxCallSites: 0 }] } }],
      ['unknown option', { rules: { 'chatty-services': ['warn', { maxCalls: 3 }] } }],
      ['options for a rule without any', { rules: { tracing: ['warn', {}] } }],
      ['unknown key', { rulez: {} }],
      ['service without a name', { services: [{ dir: 'x' }] }],
    ];
    for (const [name, config] of cases) {
      const root = tmpDir();
      writeFileSync(path.join(root, 'arch.config.json'), JSON.stringify(config));
      const loaderAccepts = await loadConfig(root).then(
        () => true,
        () => false,
      );
      expect(validate(config), name).toBe(loaderAccepts);
      expect(loaderAccepts, name).toBe(name.startsWith('valid'));
    }
  });

  it('arch check reads a config with its $schema key', async () => {
    const cwd = tmpDir();
    writeFileSync(path.join(cwd, 'arch.config.json'), JSON.stringify({ $schema: './node_modules/archkit/schema/arch.config.schema.json', rules: { 'services-found': 'off' } }));
    const run = await runCli(['check', '--format', 'json'], { cwd });
    expect([run.code, run.stderr]).toEqual([0, '']);
  });
});
