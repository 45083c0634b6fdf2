/**
 * `arch compose`: brings the workspace's compose file in line with the
 * workspace. Every service folder gets its entries (the service, its own
 * PostgreSQL, the broker it talks to, its place behind the gateway) from the
 * same fragments the generators merge, key by key: what is missing is added,
 * archkit's pinned images move to their newer tags of the same release line,
 * and what the user changed or added is kept (and reported).
 */
import { defineGenerator, type GeneratorContext } from '../../generate/define-generator.js';
import { reportOffTheNetworks } from '../../generate/compose-networks.js';
import { ensureEnvFile, removeEnvFileVars } from '../../generate/dotenv.js';
import { gatewayInCompose, upstreamsInCompose, type Upstream } from '../../generate/gateway.js';
import { nameCases, validateServiceName } from '../../generate/names.js';
import { option } from '../../generate/options.js';
import { servicePort } from '../../generate/ports.js';
import type { Service } from '../../model/types.js';

type Ctx = GeneratorContext<unknown>;

const GATEWAY_PORT = 8080;

/** A service whose compose entry points `DATABASE_URL` somewhere other than its own `<name>-db` keeps that arrangement. */
function ownsDatabase(service: Service): boolean {
  if (!service.databaseClients.includes('postgres')) return false;
  const url = service.compose?.environment.DATABASE_URL;
  if (url === undefined) return true;
  try {
    return new URL(url).hostname === `${service.name}-db`;
  } catch {
    return false;
  }
}

export default defineGenerator({
  id: 'compose',
  description: 'Bring compose.yaml in line with the workspace: add what is missing, update pinned images, keep your own entries',
  command: {
    name: 'compose',
    examples: ['arch compose', 'arch compose --dry-run', 'arch compose --check', 'arch compose --prune'],
  },
  scope: 'workspace',
  sync: true,
  options: {
    prune: option.boolean({ description: 'also remove the entries of services whose folder is gone (and their database, volume and gateway route)', default: false }),
  },
  requires: (model) => (model.kind === 'workspace' ? undefined : 'arch compose runs inside an archkit workspace (npx arch init); a standalone service keeps the compose.yaml create-service wrote'),
  async run(ctx) {
    const composeFile = ctx.model.workspace?.composeFile ?? 'compose.yaml';

    // Shared infrastructure, as `arch init` writes it (the whole file when it is missing).
    const root = JSON.parse(ctx.tree.read('package.json') ?? '{}') as { name?: unknown; description?: unknown };
    const name = typeof root.name === 'string' && root.name !== '' ? root.name : 'workspace';
    const description = typeof root.description === 'string' ? root.description : `The ${name} microservices workspace`;
    ctx.mergeCompose(composeFile, ctx.renderFile('workspace/common/compose.yaml.hbs', { name, description }), { deep: true });
    // The collector's configuration, mounted by its entry: restored when missing, yours once it exists.
    ctx.render('workspace', '.', { name, description }, { only: ['otel-collector.yaml'], once: ['otel-collector.yaml'] });

    // Every service folder of the workspace that builds an image.
    const folders = ctx.model.services.filter((s): s is Service & { dir: string } => s.dir !== null && s.dir !== '.' && s.origins.includes('workspace'));
    const ports = new Map<string, number>();
    for (const service of folders) {
      const port = service.port ?? servicePort(ctx.tree.read(`${service.dir}/.env.example`), ctx.tree.read(`${service.dir}/Dockerfile`));
      if (port !== null) ports.set(service.name, port);
    }
    const taken = new Set(ports.values());
    const upstreams: Upstream[] = [];
    for (const service of folders) {
      const invalid = validateServiceName(service.name);
      if (invalid) {
        ctx.log.warn(`${service.dir}: left out of ${composeFile}: ${invalid}`);
        continue;
      }
      if (!ctx.tree.exists(`${service.dir}/Dockerfile`)) {
        ctx.log.warn(`${service.dir} has no Dockerfile, so compose cannot build it; add one (create-service writes one), then run arch compose again`);
        continue;
      }
      let port = ports.get(service.name);
      if (port === undefined) {
        port = 3000;
        while (taken.has(port)) port += 1;
        taken.add(port);
        ctx.log.warn(`${service.dir}: no PORT in its .env.example nor EXPOSE in its Dockerfile; compose gives it ${port}`);
      }
      if (service.isGateway) continue;
      if (service.compose && service.compose.key !== service.name) {
        ctx.log.info(`${composeFile}: ${service.dir} runs as ${service.compose.key}, an entry of yours: left as it is`);
        continue;
      }
      upstreams.push({ name: service.name, port });
      const names = nameCases(service.name);
      const hasDb = ownsDatabase(service);
      const data = { name: service.name, names, port, hasDb, dbName: names.snake, standalone: false, buildContext: `./${service.dir}` };
      ctx.mergeCompose(composeFile, ctx.renderFile('compose/service.yaml.hbs', data), { deep: true });
      if (hasDb) ensureEnvFile(ctx.tree, '.env.example', [{ key: `${names.constant}_DB_PASSWORD`, value: 'change-me' }], `${service.name}: password of its own PostgreSQL`);
      for (const broker of service.brokers) {
        if (broker !== 'kafka' && broker !== 'rabbitmq') continue;
        ctx.mergeCompose(composeFile, ctx.renderFile(`compose/broker-${broker}.yaml.hbs`, { service: service.name }), { deep: true });
        if (broker === 'rabbitmq') ensureEnvFile(ctx.tree, '.env.example', [{ key: 'RABBITMQ_PASSWORD', value: 'change-me' }], 'RabbitMQ: password of the archkit user (URL-safe characters)');
      }
    }

    // archkit's gateway (it has the route table); another gateway's entry is the user's to keep.
    const gateway = folders.find((s) => s.isGateway && s.name === ctx.model.gateway && ctx.tree.exists(`${s.dir}/src/routes.ts`));
    if (gateway && ctx.tree.exists(`${gateway.dir}/Dockerfile`)) {
      const target = { name: gateway.name, dir: gateway.dir, composeFile };
      await gatewayInCompose(ctx, { ...target, port: ports.get(gateway.name) ?? GATEWAY_PORT }, upstreams);
      upstreamsInCompose(ctx, target, upstreams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }

    await staleEntries(ctx, composeFile, ctx.options.prune === true, gateway);
    // Every entry above is on archkit's networks now; the user's own are theirs to place.
    await reportOffTheNetworks(ctx, composeFile, 'info');
  },
  nextSteps: () => ['docker compose config --quiet   # validate with your Compose', 'docker compose up --build'],
});

/**
 * Entries that build a folder of the workspace that is gone. Reported; with
 * `--prune`, removed together with their own database (`<name>-db`) and its
 * password in .env.example, the volumes nothing else mounts, other services'
 * `depends_on` on them, the gateway's URL for them (compose and its
 * .env.example) and their route.
 */
async function staleEntries(ctx: Ctx, composeFile: string, prune: boolean, gateway: (Service & { dir: string }) | undefined): Promise<void> {
  const stale = ctx.model.services.filter(
    (s) => s.compose?.file === composeFile && s.compose.build !== null && !s.origins.includes('workspace') && !s.compose.build.startsWith('..') && ctx.tree.listDisk(s.compose.build).length === 0,
  );
  if (stale.length === 0) return;
  if (!prune) {
    for (const s of stale) ctx.log.warn(`${composeFile}: ${s.compose!.key} builds ./${s.compose!.build}, which is gone; arch compose --prune removes it`);
    return;
  }
  const { pruneServices } = await import('../../generate/yaml/compose.js');
  const keys = stale.map((s) => s.compose!.key);
  const urlVars = gateway ? new Map([[gateway.name, keys.map((k) => `${nameCases(k).constant}_SERVICE_URL`)]]) : new Map<string, string[]>();
  const removed: string[] = [];
  ctx.editYaml(composeFile, (doc) => {
    removed.push(...pruneServices(doc, keys, urlVars));
    for (const entry of removed) ctx.log.info(`${composeFile}: removed ${entry}`);
    return removed.length > 0;
  });
  // What only they needed in the .env.example files: their database's password, the gateway's URL for them.
  const passwords = keys.filter((k) => removed.includes(`services.${k}-db`)).map((k) => `${nameCases(k).constant}_DB_PASSWORD`);
  for (const key of removeEnvFileVars(ctx.tree, '.env.example', passwords)) ctx.log.info(`.env.example: removed ${key}`);
  if (gateway) {
    const env = `${gateway.dir}/.env.example`;
    for (const key of removeEnvFileVars(ctx.tree, env, urlVars.get(gateway.name) ?? [])) ctx.log.info(`${env}: removed ${key}`);
  }
  if (gateway && ctx.tree.exists(`${gateway.dir}/src/routes.ts`)) {
    const table = `${gateway.dir}/src/routes.ts`;
    await ctx.editTs(table, (file, h) => {
      if (!h.findArray(file, 'routes')) ctx.log.warn(`${table}: no \`routes\` array where archkit expects it; remove the routes to ${keys.join(', ')} by hand`);
      for (const key of keys) if (h.removeArrayElement(file, 'routes', { property: 'service', value: key })) ctx.log.info(`${table}: removed the route to ${key}`);
    });
  }
}
