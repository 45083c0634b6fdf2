/**
 * `arch check` configuration: arch.config.json, or the `arch` key of
 * package.json. Validated before the scan (JSON Schema with Ajv, each rule's
 * options against the rule's own schema); a bad file is a ConfigError (exit 2)
 * naming the file and the path of the bad key.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { createReader } from '../model/read.js';
import { rules as registry } from './rules/index.js';

export type RuleLevel = 'off' | 'warn' | 'error';
export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, Record<string, unknown>];

export interface ArchConfig {
  /** Where the configuration came from (relative), or null for defaults. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  ignore: string[];
  services: Array<{ name: string; dir?: string }>;
  gateway: string | null;
  shared: string[];
}

const LEVEL = { enum: ['off', 'warn', 'error'], description: '"off", "warn" or "error"' };

/** The configuration's JSON Schema (draft 2020-12), without the rules' own options (see `configJsonSchema`). */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Where editors find this schema: ./node_modules/archkit/schema/arch.config.schema.json' },
    rules: {
      type: 'object',
      description: 'Rules by id: a level ("off", "warn", "error"), or [level, options]. Rules not named keep their defaults.',
      additionalProperties: {
        oneOf: [LEVEL, { type: 'array', minItems: 1, maxItems: 2, prefixItems: [LEVEL, { type: 'object' }], items: false }],
      },
    },
    ignore: { type: 'array', description: 'Globs (gitignore syntax) of paths not to scan', items: { type: 'string', minLength: 1 } },
    services: {
      type: 'array',
      description: 'Services discovery cannot find, with the folder of their source',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, dir: { type: 'string', minLength: 1 } },
      },
    },
    gateway: { type: 'string', minLength: 1, description: 'The service that is the API gateway, when discovery does not see it' },
    shared: { type: 'array', description: 'Folders of declared shared libraries (packages several services may use)', items: { type: 'string', minLength: 1 } },
  },
} as const;

/**
 * The JSON Schema archkit ships as `schema/arch.config.schema.json` (editors
 * complete and validate arch.config.json with it): the schema the loader
 * validates with, where `rules` lists every rule by id with its own options
 * schema. A test keeps the shipped file equal to this.
 */
export async function configJsonSchema(): Promise<object> {
  const rules: Record<string, object> = {};
  for (const [id, load] of Object.entries(registry)) {
    const rule = await load();
    const { description, item, defaultSeverity, recommended } = rule.meta;
    const options = rule.schema ? [LEVEL, rule.schema] : [LEVEL];
    rules[id] = {
      description: `${description}. Checklist item: ${item ?? '(the scan itself)'}; default: ${recommended ? (defaultSeverity === 'error' ? 'error' : 'warn') : 'off'}.`,
      oneOf: [LEVEL, { type: 'array', minItems: 1, maxItems: options.length, prefixItems: options, items: false }],
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'archkit configuration (arch.config.json, or the "arch" key of package.json)',
    ...SCHEMA,
    properties: { ...SCHEMA.properties, rules: { ...SCHEMA.properties.rules, additionalProperties: false, properties: rules } },
  };
}

type AjvLike = {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };
};

async function ajv(): Promise<AjvLike> {
  type Ctor = new (opts: object) => AjvLike;
  const mod = (await import('ajv/dist/2020.js')) as unknown as { Ajv2020?: Ctor; default?: Ctor & { Ajv2020?: Ctor } };
  const Ajv2020 = mod.Ajv2020 ?? mod.default?.Ajv2020 ?? mod.default!;
  return new Ajv2020({ allErrors: false, strict: false });
}

function describe(error: { instancePath: string; message?: string; params?: Record<string, unknown> }): string {
  const where = error.instancePath || '/';
  if (error.params && 'additionalProperty' in error.params) return `${where}: unknown key "${String(error.params.additionalProperty)}"`;
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/**
 * The text of a configuration file, read like any repository file (read.ts: a regular file within the size cap,
 * never through a link out of its folder); null when it is absent. Throws ConfigError when it is there but refused.
 */
function readConfigFile(file: string, shown: string): string | null {
  const reader = createReader(path.dirname(file));
  const text = reader.read(path.basename(file));
  const refused = reader.diagnostics[0];
  if (refused) throw new ConfigError(`cannot read ${shown}: ${refused.message.replace(/^skipped: /, '')}`);
  return text;
}

/** Reads and validates the configuration of `root`. */
export async function loadConfig(root: string, explicit?: string): Promise<ArchConfig> {
  let file: string | null = null;
  let raw: unknown = {};
  const candidates = explicit ? [explicit] : ['arch.config.json'];
  for (const candidate of candidates) {
    const text = readConfigFile(path.resolve(root, candidate), candidate);
    if (text === null) {
      if (explicit) throw new ConfigError(`cannot read ${candidate}: not found`);
      continue;
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${candidate} is not valid JSON: ${(error as Error).message}`);
    }
    file = candidate;
  }
  if (file === null) {
    try {
      const pkg = JSON.parse(createReader(root).read('package.json') ?? '{}') as { arch?: unknown };
      if (pkg.arch !== undefined) {
        raw = pkg.arch;
        file = 'package.json#arch';
      }
    } catch {
      /* no package.json, or not ours to judge here: the scan reports it */
    }
  }
  // Nothing to validate without a configuration (and Ajv stays unloaded).
  const validate = file === null ? () => true : (await ajv()).compile(SCHEMA);
  if (!validate(raw)) throw new ConfigError(`${file}: ${describe((validate as { errors?: Parameters<typeof describe>[0][] }).errors![0]!)}`, 'See the README, "Configuration".');
  const config = raw as Partial<ArchConfig> & { rules?: Record<string, RuleSetting> };
  const rules = config.rules ?? {};
  for (const [id, setting] of Object.entries(rules)) {
    // Own keys only: `constructor`, `toString` or `__proto__` are not rule ids.
    const load = Object.hasOwn(registry, id) ? registry[id as keyof typeof registry] : undefined;
    if (!load) throw new ConfigError(`${file}: /rules/${id}: unknown rule "${id}"`, 'Run `npx arch rules` to list the rules.');
    if (Array.isArray(setting) && setting[1] !== undefined) {
      const rule = await load();
      if (!rule.schema) throw new ConfigError(`${file}: /rules/${id}/1: rule "${id}" takes no options`);
      const check = (await ajv()).compile(rule.schema);
      if (!check(setting[1])) throw new ConfigError(`${file}: /rules/${id}/1${describe(check.errors![0]!).replace(/^\//, '/').replace(/^\/:/, ':')}`);
    }
  }
  return {
    file,
    rules,
    ignore: config.ignore ?? [],
    services: config.services ?? [],
    gateway: config.gateway ?? null,
    shared: config.shared ?? [],
  };
}
