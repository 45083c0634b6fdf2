/**
 * Putting services behind the gateway: shared by `arch add-gateway` (every
 * service of the workspace) and `create-service` (the new one, when a
 * gateway exists). For each service: an entry in the gateway's route table
 * (src/routes.ts, through ts-morph; an entry already there, edited or not, is
 * left alone), its URL in the gateway's compose environment and .env.example,
 * and a `depends_on` so the gateway starts after it.
 */
import type { GeneratorContext } from './define-generator.js';
import { DEV_KEY } from './dev-key.js';
import { ensureEnvFile } from './dotenv.js';
import { nameCases } from './names.js';
import { manualSteps } from './service-wiring.js';
import type { TsEdit } from './ts/project.js';

export interface Upstream {
  name: string;
  /** Port the service listens on inside the compose network. */
  port: number;
}

export interface GatewayTarget {
  name: string;
  /** The gateway's folder, relative to the workspace root. */
  dir: string;
  /** Where in compose.yaml the gateway is. */
  composeFile: string;
}

/** `ORDERS_SERVICE_URL`: how the gateway's config (src/config.ts) finds a service. */
const serviceUrlVar = (service: string) => `${nameCases(service).constant}_SERVICE_URL`;

/** The route table entry a service gets: `/api/<service>/…` → `/<service>/…`, token required. */
function routeEntry(service: string): string {
  return `{ service: '${service}', prefix: '/api/${service}', rewritePrefix: '/${service}' }`;
}

function routeTableEdit(path: string, services: readonly string[]): TsEdit {
  return (file, h) => {
    if (!h.findArray(file, 'routes')) return manualSteps(path, '`export const routes: GatewayRoute[] = [...]`', services.map((s) => `${routeEntry(s)},   // in routes`));
    for (const service of services) h.ensureArrayElement(file, 'routes', routeEntry(service), { key: { property: 'service', value: service } });
  };
}

/** Adds `upstreams` to the gateway: route table, compose environment and depends_on, .env.example. */
export async function putBehindGateway(ctx: GeneratorContext<unknown>, gateway: GatewayTarget, upstreams: readonly Upstream[]): Promise<void> {
  if (upstreams.length === 0) return;
  const table = `${gateway.dir}/src/routes.ts`;
  await ctx.editTs(table, routeTableEdit(table, upstreams.map((u) => u.name)));
  upstreamsInCompose(ctx, gateway, upstreams);
  // Only when the gateway has its .env.example (archkit's own gateways do).
  const envFile = `${gateway.dir}/.env.example`;
  if (!ctx.tree.exists(envFile)) return;
  const vars = upstreams.map((u) => ({ key: serviceUrlVar(u.name), value: `http://localhost:${u.port}` }));
  ensureEnvFile(ctx.tree, envFile, vars, 'Services behind the gateway (one per route of src/routes.ts)');
}

/** The gateway's compose entry knows `upstreams`: a URL per service, and it starts after each is healthy. */
export function upstreamsInCompose(ctx: GeneratorContext<unknown>, gateway: GatewayTarget, upstreams: readonly Upstream[]): void {
  if (upstreams.length === 0) return;
  ctx.mergeCompose(gateway.composeFile, ctx.renderFile('compose/gateway-upstreams.yaml.hbs', { gateway: gateway.name, upstreams: upstreams.map((u) => ({ ...u, urlVar: serviceUrlVar(u.name) })) }), { deep: true });
}

/** Compose runs this many gateway replicas, each with its own published host port. */
const GATEWAY_REPLICAS = 2;

/**
 * The gateway in compose: its entry (the one published service, replicas)
 * and Redis; the services behind it lose their published `ports`; the
 * workspace's .env.example gets what compose needs to start it.
 */
export async function gatewayInCompose(ctx: GeneratorContext<unknown>, gateway: GatewayTarget & { port: number }, upstreams: readonly Upstream[]): Promise<void> {
  const { name, dir, port, composeFile } = gateway;
  const hostPorts = `${port}-${port + GATEWAY_REPLICAS - 1}`;
  ctx.mergeCompose(composeFile, ctx.renderFile('compose/gateway.yaml.hbs', { name, port, hostPorts, buildContext: `./${dir}` }), { deep: true });
  // Loaded here, not at the top: definitions stay light for `arch --help`.
  const { removePublishedPorts } = await import('./yaml/compose.js');
  ctx.editYaml(composeFile, (doc) => {
    // Application services only: infrastructure UIs (the trace viewer) stay reachable for developers.
    const unpublished = removePublishedPorts(doc, upstreams.map((u) => u.name));
    for (const service of unpublished) ctx.log.info(`${composeFile}: ${service} is no longer published; clients reach it through ${name}`);
    return unpublished.length > 0;
  });
  ensureEnvFile(
    ctx.tree,
    '.env.example',
    [
      { key: 'JWT_ISSUER', value: 'https://idp.example.com/' },
      { key: 'JWT_AUDIENCE', value: 'api' },
      { key: 'JWT_ALGORITHMS', value: 'RS256' },
      {
        key: 'JWT_JWKS_URL',
        value: 'https://idp.example.com/.well-known/jwks.json',
        comment: `Your identity provider's keys. For the development key's tokens (\`npx arch token\`) instead: JWT_ISSUER=${DEV_KEY.issuer}, JWT_AUDIENCE=${DEV_KEY.audience}, JWT_ALGORITHMS=${DEV_KEY.algorithm}, JWT_JWKS_URL= (empty) and JWT_PUBLIC_KEY=<the line \`npx arch token --public-key\` prints>`,
      },
    ],
    'Gateway: the tokens it accepts, and one key source: the JWKS of your identity provider, a PEM public key (JWT_PUBLIC_KEY), a PEM file inside the container (JWT_PUBLIC_KEY_FILE) or, for HS256, a shared secret (JWT_SECRET); leave the others empty',
  );
}
