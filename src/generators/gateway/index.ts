/** `arch add-gateway [name]`: the workspace's one door, in front of every service. */
import { reportOffTheNetworks } from '../../generate/compose-networks.js';
import { UsageError } from '../../errors.js';
import { defineGenerator } from '../../generate/define-generator.js';
import { DEV_KEY, ensureDevKey, ignoreDevState } from '../../generate/dev-key.js';
import { ensureEnvFile, envKeys } from '../../generate/dotenv.js';
import { gatewayInCompose, putBehindGateway, type Upstream } from '../../generate/gateway.js';
import { nameCases, validateServiceName, validateServicePort } from '../../generate/names.js';
import { option } from '../../generate/options.js';
import { instrumentationEdit } from '../../generate/service-wiring.js';
import { allowScripts, node } from '../../generate/versions.js';
import type { Tree } from '../../generate/tree.js';
import type { RepoModel } from '../../model/types.js';

const DEPENDENCIES = ['@fastify/http-proxy', '@fastify/rate-limit', 'fastify-plugin', 'ioredis', 'jose', '@opentelemetry/instrumentation-ioredis'];

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
    const data = { name, names, description, port, db: 'none', hasDb: false, dbName: names.snake, localDbName: names.snake, standalone: false, node, allowScripts };

    // A gateway is a service (config, logging, tracing, health, shutdown, Dockerfile) plus the gateway's own files.
    ctx.render('service', dir, data, { once: ['.env.example'] });
    ctx.render('gateway', dir, data, { once: ['src/routes.ts'] });
    const pkg = `${dir}/package.json`;
    for (const dependency of DEPENDENCIES) ctx.addDependency(pkg, dependency);
    await ctx.editTs(`${dir}/src/instrumentation.ts`, instrumentationEdit(`${dir}/src/instrumentation.ts`, { name: 'IORedisInstrumentation', module: '@opentelemetry/instrumentation-ioredis' }));
    addGatewayEnv(ctx.tree, `${dir}/.env.example`);
    // The development key its .env.example verifies with, and `arch token` signs with.
    if (ensureDevKey(ctx.tree)) ctx.log.info(`${DEV_KEY.privateKey}: a development key for the gateway's tokens (git-ignored; npx arch token signs with it)`);
    ignoreDevState(ctx.tree);

    const composeFile = ctx.model.workspace?.composeFile ?? 'compose.yaml';
    const upstreams = upstreamsOf(ctx.model, name);
    await gatewayInCompose(ctx, { name, dir, port, composeFile }, upstreams);
    await putBehindGateway(ctx, { name, dir, composeFile }, upstreams);
    await reportOffTheNetworks(ctx, composeFile, 'warn');

    ctx.task({ kind: 'install', title: 'Installing dependencies (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: ctx.root }) });
    const gatewayDir = ctx.tree.abs(dir);
    ctx.task({ kind: 'install', title: 'Writing the gateway lockfile for its Docker build', run: (exec) => exec('npm', ['run', 'lockfile'], { cwd: gatewayDir }) });
  },
  nextSteps(ctx) {
    const name = ctx.options.name ?? 'gateway';
    const port = ctx.options.port ?? 8080;
    return [
      `Edit the routes (public paths, roles, scopes, limits): services/${name}/src/routes.ts`,
      'Run everything locally: npx arch dev, then a token for curl: npx arch token --sub alice --roles admin',
      `In production, point it at your identity provider: JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL (see services/${name}/.env.example)`,
      `The gateway answers on http://localhost:${port}/api/<service>/…`,
    ];
  },
});

/** The gateway's own .env.example: every variable src/gateway/config.ts reads, set for a developer's machine. */
function addGatewayEnv(tree: Tree, file: string): void {
  // A gateway made before the development key keeps the key source it has (the config accepts exactly one).
  const keySources = ['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_PUBLIC_KEY_FILE', 'JWT_SECRET'];
  const hasKeySource = envKeys(tree.read(file) ?? '').some((key) => keySources.includes(key));
  ensureEnvFile(
    tree,
    file,
    [
      {
        key: 'REDIS_URL',
        value: 'redis://localhost:6379',
        comment: 'Shared rate-limit counters; when Redis cannot be reached: count in each gateway process and stay ready (true), or answer 503 to requests and readiness (false)',
      },
      { key: 'RATE_LIMIT_FAIL_OPEN', value: 'true' },
      {
        key: 'JWT_ISSUER',
        value: DEV_KEY.issuer,
        comment: `Tokens: issuer, audience, allowed algorithms, and exactly one key source. Here the workspace's development key (${DEV_KEY.dir}/, git-ignored), whose tokens \`npx arch token --sub alice --roles admin\` signs`,
      },
      { key: 'JWT_AUDIENCE', value: DEV_KEY.audience },
      { key: 'JWT_ALGORITHMS', value: DEV_KEY.algorithm },
      ...(hasKeySource
        ? []
        : [
            {
              key: 'JWT_PUBLIC_KEY_FILE',
              value: `../../${DEV_KEY.publicKey}`,
              comment:
                'Or an identity provider: JWT_JWKS_URL=https://idp.example.com/.well-known/jwks.json with its JWT_ISSUER and JWT_ALGORITHMS=RS256; or JWT_PUBLIC_KEY=<PEM on one line, \\n for line breaks>; or JWT_SECRET=<32+ characters> with HS256',
            },
          ]),
      { key: 'JWT_CLOCK_TOLERANCE_S', value: '5', comment: 'Clock skew allowed on exp / nbf, in seconds; the claim (or dotted path) holding the roles' },
      { key: 'JWT_ROLES_CLAIM', value: 'roles' },
      { key: 'RATE_LIMIT_MAX', value: '100', comment: 'Default limit per client (token subject, else IP) and route' },
      { key: 'RATE_LIMIT_WINDOW_MS', value: '60000' },
      {
        key: 'BODY_LIMIT_BYTES',
        value: '1048576',
        comment: 'Largest request body. Behind a load balancer, believe its X-Forwarded-For: TRUST_PROXY=true, or its addresses / CIDRs',
      },
      {
        key: 'HEALTH_CACHE_MS',
        value: '2000',
        comment: '/health/ready: how long each upstream\'s answer is reused, requests per client address a minute, and whether it says why a check failed (else only up / down)',
      },
      { key: 'HEALTH_RATE_LIMIT_MAX', value: '120' },
      { key: 'HEALTH_DETAILS', value: 'false' },
      {
        key: 'GATEWAY_SHARED_SECRET',
        value: '',
        comment: 'Sent to the services in x-gateway-secret (16+ characters); set the same value as their GATEWAY_SHARED_SECRET so that they take requests from the gateway only',
      },
      { key: 'UPSTREAM_TIMEOUT_MS', value: '5000', comment: 'Upstreams: timeout, and when the circuit breaker opens (error percentage over at least the volume of calls) and tries again' },
      { key: 'BREAKER_ERROR_THRESHOLD_PERCENT', value: '50' },
      { key: 'BREAKER_VOLUME_THRESHOLD', value: '5' },
      { key: 'BREAKER_RESET_TIMEOUT_MS', value: '10000' },
    ],
    'Gateway',
  );
}
