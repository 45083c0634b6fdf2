/**
 * `cp .env.example .env && npm start` works after every generator: each
 * variable a generated service (or the gateway) reads through its config
 * schema is in its `.env.example`, set to a local default; one that is
 * optional without a default may instead be shown in a comment (`# KEY=…`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { envKeys } from '../../src/generate/dotenv.js';
import { generate } from '../helpers/generate.js';
import { tmpDir } from '../helpers/tmp.js';

interface SchemaVar {
  name: string;
  /** `.optional()` without a default: the service runs without it. */
  optional: boolean;
}

/** The properties of `const envSchema = z.object({...})` in a config module, read from its syntax tree. */
function schemaVars(file: string, text: string): SchemaVar[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const vars: SchemaVar[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'envSchema' && node.initializer && ts.isCallExpression(node.initializer)) {
      const object = node.initializer.arguments[0];
      if (object && ts.isObjectLiteralExpression(object)) {
        for (const property of object.properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const chain = property.initializer.getText(source);
          const name = ts.isStringLiteral(property.name) ? property.name.text : property.name.getText(source);
          vars.push({ name, optional: !/\.default\(/.test(chain) && /\.optional\(\)/.test(chain) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (vars.length === 0) throw new Error(`${file}: no envSchema object found`);
  return vars;
}

/** The schema variables a service folder's .env.example leaves out. */
function missingVars(root: string, dir: string): string[] {
  const env = readFileSync(path.join(root, dir, '.env.example'), 'utf8');
  const assigned = new Set(envKeys(env));
  const comments = env.split('\n').filter((line) => line.startsWith('#'));
  const shown = new Set(comments.flatMap((line) => [...line.matchAll(/\b([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!)));
  const configs = ['src/config.ts', 'src/gateway/config.ts'].filter((file) => existsSync(path.join(root, dir, file)));
  expect(configs.length, `${dir}: no config module`).toBeGreaterThan(0);
  return configs.flatMap((file) =>
    schemaVars(file, readFileSync(path.join(root, dir, file), 'utf8'))
      .filter((v) => !assigned.has(v.name) && !(v.optional && shown.has(v.name)))
      .map((v) => `${dir}/.env.example lacks ${v.name} (read by ${file})`),
  );
}

/** Every service folder of a workspace. */
const serviceDirs = (root: string) => readdirSync(path.join(root, 'services')).map((name) => `services/${name}`);

type Step = [generator: string, options: Record<string, unknown>];

const orders: Step = ['service', { name: 'orders' }];
const payments: Step = ['service', { name: 'payments' }];
const messaging = (role: 'producer' | 'consumer', service: string, broker: string): Step => [role, { service, broker, topic: 'order-created' }];
const saga = (style: string, broker: string): Step => ['saga', { name: 'place-order', steps: 'orders,payments,inventory', style, broker, create: true }];

/** Each generator, and each of its kinds, after the services it needs. */
const combinations: Record<string, Step[]> = {
  'create-service (PostgreSQL)': [orders],
  'create-service --db none': [['service', { name: 'notifier', db: 'none' }]],
  'add-producer rabbitmq': [orders, messaging('producer', 'orders', 'rabbitmq')],
  'add-consumer rabbitmq': [orders, messaging('consumer', 'orders', 'rabbitmq')],
  'add-producer kafka': [orders, messaging('producer', 'orders', 'kafka')],
  'add-consumer kafka': [orders, messaging('consumer', 'orders', 'kafka')],
  'add-saga orchestration rabbitmq': [orders, saga('orchestration', 'rabbitmq')],
  'add-saga choreography kafka': [orders, saga('choreography', 'kafka')],
  'add-gateway': [orders, payments, ['gateway', {}]],
  'create-service after add-gateway': [orders, ['gateway', {}], payments],
  'arch compose': [orders, payments, messaging('producer', 'orders', 'rabbitmq'), messaging('consumer', 'payments', 'rabbitmq'), ['gateway', {}], ['compose', { prune: true }]],
};

describe('.env.example holds every variable the config reads', () => {
  it.for(Object.entries(combinations))('%s', async ([, steps]) => {
    const cwd = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
    for (const [generator, options] of steps) await generate(generator, options, { cwd });
    const dirs = serviceDirs(cwd);
    expect(dirs.length).toBeGreaterThan(0);
    expect(dirs.flatMap((dir) => missingVars(cwd, dir))).toEqual([]);
  });

  it('a standalone service', async () => {
    const cwd = tmpDir();
    await generate('service', { name: 'orders' }, { cwd });
    expect(missingVars(cwd, 'orders')).toEqual([]);
  });

  it('reads the schema from the syntax tree: optional only without a default', () => {
    const text = "const envSchema = z.object({ A: z.string(), B: z.url().optional(), C: int(1, 2).default(1), 'D': z.string().optional().default('x') });";
    expect(schemaVars('config.ts', text)).toEqual([
      { name: 'A', optional: false },
      { name: 'B', optional: true },
      { name: 'C', optional: false },
      { name: 'D', optional: false },
    ]);
  });
});
