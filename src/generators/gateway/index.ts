/** `arch add-gateway [name]`: the workspace's one door, in front of every service. */
import { UsageError } from '../../errors.js';
import { defineGenerator } from '../../generate/define-generator.js';
import { ensureEnvFile } from '../../generate/dotenv.js';
import { gatewayInCompose, putBehindGateway, type Upstream } from '../../generate/gateway.js';
import { nameCases, validateServiceName, validateServicePort } from '../../generate/names.js';
import { option } from '../../generate/options.js';
import { instrumentationEdit } from '../../generate/service-wiring.js';
import { allowScripts, node } from '../../generate/versions.js';
import type { Tree } from '../../generate/tree.js';
import type { RepoModel } from '../../model/types.js';

const DEPENDENCIES = ['@fastify/http-proxy', '@fastify/rate-limit', 'ioredis', 'jose', '@opentelemetry/instrumentation-ioredis'];

/** Services the gateway fronts: every service of the workspace with a folder, except gateways. */
function upstreamsOf(model: RepoModel, gateway: string): Upstream[] {
  return model.services
    .filter((s) => s.name !== gateway && !s.isGateway && s.dir !== null)
    .map((s) => ({ name: s.name, port: s.port ?? 3000 }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export default defineGenerator({
  id: 'gateway',
  description: 'Add the API gateway: routes to every service, JWT auth, roles and scopes, Redis rate limits, circuit breakers',
  command: {
    name: 'add-gateway',
    args: [{ name: 'name', option: 'name' }],
    examples: ['add-gateway', 'add-gateway edge --port 8443 --yes --no-install'],
  },
  scope: 'workspace',
  options: {
    name: option.string({
      description: 'Name of the gateway service, kebab-case',
      valueName: '<name>',
      default: 'gateway',
      validate: (name, { model }) => {
        const error = validateServiceName(name);
        if (error) return error;
        if (model.gateway !== null && model.gateway !== name) return `the workspace already has a gateway: ${model.gateway}`;
        const clash = model.services.find((s) => s.name === name && !s.isGateway);
        return clash ? `service "${name}" already exists and is not a gateway; choose another name` : undefined;
      },
    }),
    port: option.integer({
      description: 'HTTP port the gateway listens on',
      valueName: '<port>',
      min: 1,
      max: 65535,
      default: 8080,
      validate: (port, { model, values }) => validateServicePort(port, String(values.name ?? 'gateway'), model.services),
    }),
  },
  requires: (model) => (model.kind === 'workspace' ? undefined : 'add-gateway runs inside an archkit workspace (npx arch init)'),
  async run(ctx) {
    const name = ctx.options.name ?? 'gateway';
    const port = ctx.options.port ?? 8080;
    const dir = `services/${name}`;
    const existing = ctx.model.services.find((s) => s.name === name);
    if (existing?.dir && existing.dir !== dir) throw new UsageError(`the gateway "${name}" lives in ${existing.dir}; archkit manages gateways under services/`);
    const names = nameCases(name);
    const description = `The API gateway: the one door to the services of this workspace`;
    const data = { name, names, description, port, db: 'none', hasDb: false, dbName: names.snake, standalone: false, node, allowScripts };

    // A gateway is a service (config, logging, tracing, health, shutdown, Dockerfile) plus the gateway's own files.
    ctx.render('service', dir, data, { once: ['.env.example'] });
    ctx.render('gateway', dir, data, { once: ['src/routes.ts'] });
    const pkg = `${dir}/package.json`;
    for (const dependency of DEPENDENCIES) ctx.addDependency(pkg, dependency);
    await ctx.editTs(`${dir}/src/instrumentation.ts`, instrumentationEdit(`${dir}/src/instrumentation.ts`, { name: 'IORedisInstrumentation', module: '@opentelemetry/instrumentation-ioredis' }));
    addGatewayEnv(ctx.tree, `${dir}/.env.example`);

    const composeFile = ctx.model.workspace?.composeFile ?? 'compose.yaml';
    const upstreams = upstreamsOf(ctx.model, name);
    await gatewayInCompose(ctx, { name, dir, port, composeFile }, upstreams);
    await putBehindGateway(ctx, { name, dir, composeFile }, upstreams);

    ctx.task({ kind: 'install', title: 'Installing dependencies (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: ctx.root }) });
    const gatewayDir = ctx.tree.abs(dir);
    ctx.task({ kind: 'install', title: 'Writing the gateway lockfile for its Docker build', run: (exec) => exec('npm', ['run', 'lockfile'], { cwd: gatewayDir }) });
  },
  nextSteps(ctx) {
    const name = ctx.options.name ?? 'gateway';
    const port = ctx.options.port ?? 8080;
    return [
      `Edit the routes (public paths, roles, scopes, limits): services/${name}/src/routes.ts`,
      `Point it at your identity provider: JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL in .env (see .env.example)`,
      `cd services/${name} && cp .env.example .env && npm run build && npm start   # http://localhost:${port}/api/<service>/…`,
    ];
  },
});

/** The gateway's own .env.example: what `npm start` needs on a developer's machine. */
function addGatewayEnv(tree: Tree, file: string): void {
  ensureEnvFile(
    tree,
    file,
    [
      { key: 'REDIS_URL', value: 'redis://localhost:6379', comment: 'Shared rate-limit counters' },
      { key: 'JWT_ISSUER', value: 'https://idp.example.com/', comment: 'Tokens: issuer, audience, allowed algorithms, and one key source (JWKS URL, PEM public key, or HS* secret)' },
      { key: 'JWT_AUDIENCE', value: 'api' },
      { key: 'JWT_ALGORITHMS', value: 'RS256' },
      { key: 'JWT_JWKS_URL', value: 'https://idp.example.com/.well-known/jwks.json' },
      { key: 'RATE_LIMIT_MAX', value: '100', comment: 'Default limit per client (token subject, else IP) and route' },
      { key: 'RATE_LIMIT_WINDOW_MS', value: '60000' },
      { key: 'UPSTREAM_TIMEOUT_MS', value: '5000', comment: 'Upstreams: timeout, and when the circuit breaker opens' },
      { key: 'BREAKER_ERROR_THRESHOLD_PERCENT', value: '50' },
      { key: 'BREAKER_RESET_TIMEOUT_MS', value: '10000' },
    ],
    'Gateway',
  );
}
