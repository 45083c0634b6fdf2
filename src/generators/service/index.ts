/** `create-service [name]`: a production-shaped TypeScript microservice, registered in compose. */
import { reportOffTheNetworks } from '../../generate/compose-networks.js';
import { defineGenerator } from '../../generate/define-generator.js';
import { option } from '../../generate/options.js';
import { nameCases, validateNewServiceName, validateServicePort } from '../../generate/names.js';
import { ensureEnvFile } from '../../generate/dotenv.js';
import { localDatabaseName, workspaceName } from '../../generate/local.js';
import { putBehindGateway } from '../../generate/gateway.js';
import { allowScripts, node } from '../../generate/versions.js';
import type { RepoModel } from '../../model/types.js';

/**
 * A new service's port: 3000 plus the services the workspace has (stable
 * across re-runs: the service itself is not counted), or the next one up
 * that no other service uses. `createdBefore`: services made earlier in the
 * same run, not in the model yet, which took the free ports before this one.
 */
export function defaultPort(model: RepoModel, name: string, createdBefore = 0): number {
  const others = model.services.filter((s) => s.name !== name);
  const taken = new Set(others.map((s) => s.port));
  let port = 3000 + others.filter((s) => !s.isGateway).length;
  for (let free = 0; ; port++) {
    if (taken.has(port)) continue;
    if (free === createdBefore) return port;
    free++;
  }
}

export default defineGenerator({
  id: 'service',
  description: 'Create a microservice: Fastify, PostgreSQL, tracing, health checks, circuit breaker, Dockerfile, tests',
  command: {
    name: 'create-service',
    args: [{ name: 'name', option: 'name' }],
    examples: [
      'create-service orders',
      'create-service payments --db postgres --port 3001 --description "Takes payments"',
      'create-service notifier --db none --yes --no-install',
    ],
  },
  scope: 'workspace',
  options: {
    name: option.string({
      description: 'Service name, kebab-case (e.g. orders)',
      message: 'What is the service called?',
      required: true,
      valueName: '<name>',
      validate: (name, { model, force }) => {
        const error = validateNewServiceName(name);
        if (error) return error;
        const clash = model.services.find((s) => s.name === name);
        return clash && !force ? `service "${name}" already exists${clash.dir ? ` (${clash.dir})` : ''}; choose another name, or pass --force to regenerate it` : undefined;
      },
    }),
    description: option.string({
      description: 'One line saying what the service does',
      valueName: '<text>',
      default: ({ values }) => `The ${String(values.name)} service`,
    }),
    db: option.select({
      description: 'Database the service owns',
      choices: [
        { value: 'postgres', label: 'PostgreSQL', hint: 'its own database, SQL migrations' },
        { value: 'none', label: 'None', hint: 'a stateless service' },
      ],
      default: 'postgres',
    }),
    port: option.integer({
      description: 'HTTP port the service listens on',
      valueName: '<port>',
      min: 1,
      max: 65535,
      default: ({ model, values }) => defaultPort(model, String(values.name)),
      validate: (port, { model, values }) => validateServicePort(port, String(values.name), model.services),
    }),
  },
  async run(ctx) {
    const { name, description, db, port } = ctx.options;
    const names = nameCases(name);
    const inWorkspace = ctx.model.kind === 'workspace';
    const dir = inWorkspace ? `services/${name}` : name;
    const data = {
      name,
      names,
      description,
      port,
      db,
      hasDb: db === 'postgres',
      dbName: names.snake,
      /** The database on a developer's PostgreSQL (.env.example): named after the workspace too. */
      localDbName: localDatabaseName(inWorkspace ? workspaceName(ctx.tree) : null, name),
      standalone: !inWorkspace,
      node,
      allowScripts,
    };
    ctx.render('service', dir, data, { overlays: ['http-client', ...(db === 'postgres' ? ['db-postgres'] : [])] });
    const fragment = ctx.renderFile('compose/service.yaml.hbs', { ...data, buildContext: inWorkspace ? `./${dir}` : '.' });
    if (inWorkspace) {
      ctx.mergeCompose(ctx.model.workspace?.composeFile ?? 'compose.yaml', fragment);
      if (db === 'postgres') {
        ensureEnvFile(ctx.tree, '.env.example', [{ key: `${names.constant}_DB_PASSWORD`, value: 'change-me' }], `${name}: password of its own PostgreSQL`);
      }
      // Behind the gateway, when there is one: a route, its URL in the gateway's environment.
      const gateway = ctx.model.services.find((s) => s.isGateway && s.name === ctx.model.gateway);
      if (gateway?.dir && gateway.name !== name && ctx.tree.exists(`${gateway.dir}/src/routes.ts`)) {
        await putBehindGateway(ctx, { name: gateway.name, dir: gateway.dir, composeFile: ctx.model.workspace?.composeFile ?? 'compose.yaml' }, [{ name, port: port ?? 3000 }]);
      }
      await reportOffTheNetworks(ctx, ctx.model.workspace?.composeFile ?? 'compose.yaml', 'warn');
      ctx.task({ kind: 'install', key: 'npm install', title: 'Installing dependencies (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: ctx.root }) });
      // The Dockerfile builds the service on its own (`npm ci`), so it needs a lockfile of its own.
      const serviceDir = ctx.tree.abs(dir);
      ctx.task({ kind: 'install', key: `lockfile ${dir}`, title: `Writing the lockfile of ${dir} for its Docker build`, run: (exec) => exec('npm', ['run', 'lockfile'], { cwd: serviceDir }) });
    } else {
      ctx.tree.write(`${dir}/compose.yaml`, fragment);
      const cwd = ctx.tree.abs(dir);
      ctx.task({ kind: 'install', title: 'Installing dependencies (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd }) });
      ctx.task({ kind: 'git', title: 'Initialising a git repository', run: (exec) => exec('git', ['init', '--quiet'], { cwd }) });
    }
  },
  nextSteps(ctx) {
    const inWorkspace = ctx.model.kind === 'workspace';
    const dir = ctx.userPath(ctx.tree.abs(inWorkspace ? `services/${ctx.options.name}` : ctx.options.name));
    const install = inWorkspace ? ['npm install   # installs the whole workspace', 'npm run lockfile   # its own package-lock.json, for its Docker build'] : ['npm install'];
    return [
      ...(dir === '.' ? [] : [`cd ${dir}`]),
      ...(ctx.installs ? [] : install),
      `cp .env.example .env${ctx.options.db === 'postgres' ? '   # DATABASE_URL: its own database, created on first start' : ''}`,
      'npm run build && npm start',
      'npm test',
    ];
  },
});
