/**
 * Nomad job files (`*.nomad`, `*.nomad.hcl`, and `*.hcl` files holding a `job` block): each long-running task
 * of a service or system job is a deployment unit (batch jobs run to completion; lifecycle hooks and sidecar
 * tasks are helpers) — its image (`config { image }`), environment (`env`, templates with `env = true`), the group's `count` and `scaling`,
 * service checks as health, static ports as published ports and pins. Consul Connect upstreams become the
 * variables Nomad injects (`NOMAD_UPSTREAM_ADDR_<name>` = `<destination>:<local port>`), so the join sees
 * the edge; Consul service names are the unit's aliases; Traefik router tags are gateway routes to the service.
 */
import type { DeploymentUnit, Evidence, GatewayDecl, Setting } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { deploymentUnit, traefikRule } from './deployment-unit.js';
import { attribute, blocks, HclError, listTexts, parseHcl, scalarText, type HclBlock, type HclBody, type HclExpr } from './hcl.js';

/** Drivers whose `config { image }` is a container image. */
const IMAGE_DRIVERS = new Set(['docker', 'podman', 'containerd-driver', 'nomad-driver-containerd']);

export default defineExtractor({
  id: 'nomad',
  description: 'Nomad jobs: tasks as deployment units (image, env, count, scaling, checks, static ports, Connect upstreams), Traefik tags as routes',
  accepts: (file) => file.ext === '.nomad' || (file.ext === '.hcl' && !file.lower.startsWith('docker-bake') && !file.lower.startsWith('.terraform')),
  needles: ['job'],
  extract({ path, text }) {
    const jobFile = path.toLowerCase().endsWith('.nomad') || path.toLowerCase().endsWith('.nomad.hcl');
    let body: HclBody;
    try {
      body = parseHcl(text);
    } catch (error) {
      if (!jobFile || !(error instanceof HclError)) return null;
      return { diagnostics: [{ file: path, line: error.line, message: `cannot parse the Nomad job: ${error.message}` }] };
    }
    const jobs = blocks(body, 'job');
    if (jobs.length === 0) return null;
    const at = (line: number): Location => ({ file: path, line });
    const deployments: DeploymentUnit[] = [];
    const gateways: GatewayDecl[] = [];
    for (const job of jobs) {
      // Batch jobs run to completion (as Kubernetes Jobs do): they are not services.
      const type = scalarText(attribute(job.body, 'type')?.value);
      if (type === 'batch' || type === 'sysbatch') continue;
      for (const group of blocks(job.body, 'group')) {
        const shared = groupFacts(group, at);
        for (const task of blocks(group.body, 'task')) {
          if (blocks(task.body, 'lifecycle').length > 0) continue;
          deployments.push(taskUnit(task, shared, at));
        }
        for (const service of [...blocks(group.body, 'service'), ...blocks(group.body, 'task').flatMap((t) => blocks(t.body, 'service'))]) {
          const gateway = traefikRoutes(service, at);
          if (gateway) gateways.push(gateway);
        }
      }
    }
    const out: ExtractResult = {};
    if (deployments.length > 0) out.deployments = deployments;
    if (gateways.length > 0) out.gateways = gateways;
    return deployments.length > 0 || gateways.length > 0 ? out : null;
  },
});

/** What a group gives each of its tasks. */
interface GroupFacts {
  replicas: number | null;
  autoscaling: boolean;
  published: string[];
  pins: Evidence[];
  health: Evidence[];
  upstreams: Setting[];
  aliases: string[];
}

function groupFacts(group: HclBlock, at: (line: number) => Location): GroupFacts {
  const count = attribute(group.body, 'count');
  const countValue = count?.value.kind === 'literal' && typeof count.value.value === 'number' ? count.value.value : null;
  const scaling = blocks(group.body, 'scaling').filter((s) => scalarText(attribute(s.body, 'enabled')?.value) !== 'false');
  const facts: GroupFacts = { replicas: countValue, autoscaling: scaling.length > 0, published: [], pins: [], health: [], upstreams: [], aliases: [] };
  for (const network of blocks(group.body, 'network')) {
    for (const port of blocks(network.body, 'port')) {
      const published = scalarText(attribute(port.body, 'static')?.value);
      if (!published) continue;
      const to = scalarText(attribute(port.body, 'to')?.value);
      facts.published.push(to ? `${published}:${to}` : published);
      facts.pins.push({ what: `port "${port.labels[0] ?? ''}" { static = ${published} }`, location: at(port.line) });
    }
  }
  for (const service of blocks(group.body, 'service')) serviceFacts(service, facts, at);
  return facts;
}

/** Checks, name and Connect upstreams of a `service` block. */
function serviceFacts(service: HclBlock, into: GroupFacts, at: (line: number) => Location): void {
  const name = scalarText(attribute(service.body, 'name')?.value);
  if (name && !into.aliases.includes(name)) into.aliases.push(name);
  for (const check of blocks(service.body, 'check')) {
    const type = scalarText(attribute(check.body, 'type')?.value) ?? 'check';
    const target = scalarText(attribute(check.body, 'path')?.value) ?? scalarText(attribute(check.body, 'command')?.value) ?? '';
    into.health.push({ what: `check ${type}${target ? ` ${target}` : ''}`.trim(), location: at(check.line) });
  }
  const proxies = blocks(service.body, 'connect').flatMap((c) => blocks(c.body, 'sidecar_service')).flatMap((s) => blocks(s.body, 'proxy'));
  for (const upstream of proxies.flatMap((p) => blocks(p.body, 'upstreams'))) {
    const destination = scalarText(attribute(upstream.body, 'destination_name')?.value);
    if (!destination) continue;
    const port = scalarText(attribute(upstream.body, 'local_bind_port')?.value);
    // Nomad names the variables after the destination with `-` and `.` as `_`.
    const suffix = destination.replace(/[^A-Za-z0-9_]/g, '_');
    const setting = (key: string, value: string): Setting => ({ key, value, profile: null, location: at(upstream.line) });
    into.upstreams.push(setting(`NOMAD_UPSTREAM_ADDR_${suffix}`, port ? `${destination}:${port}` : destination));
    into.upstreams.push(setting(`NOMAD_UPSTREAM_IP_${suffix}`, destination));
    if (port) into.upstreams.push(setting(`NOMAD_UPSTREAM_PORT_${suffix}`, port));
  }
}

function taskUnit(task: HclBlock, group: GroupFacts, at: (line: number) => Location): DeploymentUnit {
  const own: GroupFacts = { ...group, health: [...group.health], upstreams: [...group.upstreams], aliases: [...group.aliases] };
  for (const service of blocks(task.body, 'service')) serviceFacts(service, own, at);
  const driver = scalarText(attribute(task.body, 'driver')?.value);
  const images: string[] = [];
  const paths: string[] = [];
  for (const config of blocks(task.body, 'config')) {
    const image = scalarText(attribute(config.body, 'image')?.value);
    if (image && driver && IMAGE_DRIVERS.has(driver)) images.push(image);
    // What a command runs (`cd local/repo/cmd/proxy && go run ./…`): path-like words, for the link step.
    const words = [attribute(config.body, 'command')?.value, attribute(config.body, 'args')?.value]
      .flatMap((expr) => (expr === undefined ? [] : expr.kind === 'list' ? expr.items.map((i) => scalarText(i)) : [scalarText(expr)]))
      .flatMap((text) => (text ?? '').split(/[\s;&|]+/));
    for (const word of words) if (word.includes('/') && !word.includes('://') && /^[\w.@/-]+$/.test(word)) paths.push(word);
  }
  const environment: Setting[] = [];
  for (const env of blocks(task.body, 'env')) {
    for (const a of env.body.attributes) environment.push({ key: a.name, value: scalarText(a.value) ?? '', profile: null, location: at(a.line) });
  }
  environment.push(...objectEntries(attribute(task.body, 'env')?.value));
  for (const template of blocks(task.body, 'template')) {
    if (scalarText(attribute(template.body, 'env')?.value) !== 'true') continue;
    const data = attribute(template.body, 'data');
    if (data?.value.kind === 'literal' && typeof data.value.value === 'string') environment.push(...dotenvLines(data.value.value, data.line + 1, at));
  }
  environment.push(...own.upstreams);
  const name = task.labels[0] ?? 'task';
  const aliases = own.aliases.filter((a) => a !== name);
  return deploymentUnit('nomad', name, at(task.line), {
    images,
    environment,
    published: own.published,
    replicas: own.replicas,
    autoscaling: own.autoscaling || blocks(task.body, 'scaling').length > 0,
    health: own.health,
    pins: own.pins,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(paths.length > 0 ? { paths } : {}),
  });

  function objectEntries(expr: HclExpr | undefined): Setting[] {
    if (expr?.kind !== 'object') return [];
    return expr.entries.map((e) => ({ key: e.key, value: scalarText(e.value) ?? '', profile: null, location: at(e.line) }));
  }
}

/** `KEY=value` lines of a template rendered as the task's environment (`{{ … }}` actions kept as written). */
function dotenvLines(data: string, firstLine: number, at: (line: number) => Location): Setting[] {
  const out: Setting[] = [];
  data.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (line === '' || line.startsWith('#') || eq <= 0) return;
    const key = line.slice(0, eq).replace(/^export\s+/, '').trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out.push({ key, value, profile: null, location: at(firstLine + k) });
  });
  return out;
}

/** Traefik routers declared in a Consul service's tags (`traefik.http.routers.<r>.rule=PathPrefix(\`/api\`)`). */
function traefikRoutes(service: HclBlock, at: (line: number) => Location): GatewayDecl | null {
  const name = scalarText(attribute(service.body, 'name')?.value);
  const tags = listTexts(attribute(service.body, 'tags')?.value);
  if (!name || !tags.some((t) => t.text === 'traefik.enable=true')) return null;
  const routes = tags
    .filter((t) => /^traefik\.(http|tcp)\.routers\.[^.=]+\.rule=/.test(t.text))
    .map((t) => ({ ...traefikRule(t.text.slice(t.text.indexOf('=') + 1)), upstream: name, breaker: false, location: at(t.line) }));
  return routes.length > 0 ? { implementation: 'traefik', runsIn: null, routes, location: at(service.line) } : null;
}
