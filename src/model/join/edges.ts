/**
 * The join of calls, gateways and messages:
 *
 * - call targets: an outbound call's address (URL as written with its
 *   placeholders resolved, the environment variable or configuration key it
 *   comes from, or the logical service id it names) → the service whose
 *   names include the host (join/addresses.ts);
 * - gateways: first-party gateways (a service whose code or configuration
 *   declares routes: Spring Cloud Gateway, Zuul, YARP, Ocelot, grpc-gateway…)
 *   and configured proxies (nginx, Envoy, Traefik, Kong, an Ingress…), linked
 *   to the container that mounts or builds their configuration, with each
 *   route's upstream resolved to a service;
 * - edges: synchronous ones from calls (and from a first-party gateway's
 *   routes), asynchronous ones from each producer → consumer pair of a
 *   channel (topic or queue).
 */
import type { FileFacts, GatewayDecl, Setting } from '../facts.js';
import type { Channel, ComposeService, Edge, Gateway, Location, RepoModel, Service } from '../types.js';
import { HostIndex, parseAddress } from './addresses.js';
import { parseUrl, serviceEnvironment, serviceForHost } from './environment.js';
import { effectiveSettings, resolvePlaceholders, type EffectiveSettings } from './settings.js';

/** Every name a service answers to on the network. */
function aliases(service: Service): string[] {
  const out = new Set<string>();
  for (const unit of service.deployments) {
    out.add(unit.name);
    for (const alias of unit.aliases ?? []) out.add(alias);
  }
  if (service.compose) {
    out.add(service.compose.key);
    if (service.compose.containerName) out.add(service.compose.containerName);
    for (const h of service.compose.hostnames ?? []) out.add(h);
  }
  if (service.kubernetes) out.add(service.kubernetes.name);
  return [...out];
}

/** Other names a service goes by (its folder, its package, its registry name), for hosts no network name claims. */
function otherNames(service: Service, settings: EffectiveSettings): string[] {
  const out = new Set<string>();
  if (service.dir !== null && service.dir !== '.') out.add(service.dir.split('/').pop()!);
  if (service.packageName) out.add(service.packageName.replace(/^@[^/]+\//, ''));
  const appName = settings.get('spring.application.name')?.value;
  if (appName && !appName.includes('${')) out.add(appName);
  return [...out];
}

export function hostIndex(services: readonly Service[], settingsOf: (s: Service) => EffectiveSettings): HostIndex {
  return new HostIndex(services.map((s) => ({ name: s.name, aliases: aliases(s), names: otherNames(s, settingsOf(s)) })));
}

/** The service an address value names: a URL, `host:port`, or (from a host-only setting) a bare host. */
function targetOf(value: string | undefined, hosts: HostIndex, bareHost: boolean): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const address = parseAddress(trimmed);
  if (address) return hosts.resolve(address.host);
  if (bareHost && /^[a-z0-9][a-z0-9.-]*$/i.test(trimmed)) return hosts.resolve(trimmed);
  return null;
}

/** Sets each call's target from its address, through the calling service's settings. */
export function resolveCalls(services: Service[], _infrastructure: RepoModel['infrastructure'], settingsOf: (s: Service) => EffectiveSettings): void {
  const hosts = hostIndex(services, settingsOf);
  for (const service of services) {
    const settings = settingsOf(service);
    for (const call of service.facts.calls) {
      if (call.target !== null) continue;
      let target: string | null = null;
      if (call.envVar) target = targetOf(settings.get(call.envVar)?.value, hosts, true);
      if (target === null && call.configKey) target = targetOf(resolvePlaceholders(settings.get(call.configKey)?.value ?? '', settings), hosts, true);
      if (target === null && call.url) {
        const url = call.url.startsWith('env:') ? settings.get(call.url.slice(4))?.value : resolvePlaceholders(call.url, settings);
        target = targetOf(url, hosts, false);
      }
      if (target === null && call.serviceId) target = hosts.resolve(call.serviceId.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]!);
      call.target = target;
    }
  }
}

/** The container a configuration file runs in: the compose service that mounts it (or a folder above it). */
function mountedBy(file: string, composeServices: readonly ComposeService[]): ComposeService | null {
  for (const cs of composeServices) for (const mount of cs.mounts ?? []) if (file === mount || file.startsWith(`${mount}/`)) return cs;
  return null;
}

/**
 * The container whose image a configuration file is built into: the compose service built from the folder that holds
 * it (its Dockerfile's folder, else its context; the deepest, never the repository root, which holds everything).
 */
function builtBy(file: string, composeServices: readonly ComposeService[]): ComposeService | null {
  let best: ComposeService | null = null;
  let depth = 0;
  for (const cs of composeServices) {
    if (cs.build === null) continue;
    const folder = cs.dockerfile ? (cs.dockerfile.includes('/') ? cs.dockerfile.slice(0, cs.dockerfile.lastIndexOf('/')) : '.') : cs.build;
    if (folder === '.' || folder === '' || !file.startsWith(`${folder}/`)) continue;
    const d = folder.split('/').length;
    if (d > depth) [best, depth] = [cs, d];
  }
  return best;
}

function resolveRoutes(decl: GatewayDecl, gateway: string | null, hosts: HostIndex, settings: EffectiveSettings | null): Gateway['routes'] {
  return decl.routes.map((route) => {
    const upstream = settings ? resolvePlaceholders(route.upstream, settings) : route.upstream;
    let target = targetOf(upstream, hosts, true);
    if (target === null) {
      const id = upstream.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]!;
      target = hosts.resolve(id);
    }
    return { path: route.path, upstream: route.upstream, target: target === gateway ? null : target, breaker: route.breaker, location: route.location };
  });
}

export function joinGateways(
  services: Service[],
  infrastructure: RepoModel['infrastructure'],
  composeServices: readonly ComposeService[],
  byFile: ReadonlyMap<string, FileFacts>,
  owners: ReadonlyMap<string, string[]>,
  settingsOf: (s: Service) => EffectiveSettings,
  extra: readonly GatewayDecl[] = [],
  /** The environment a compose service's image sets (its Dockerfile's ENV), for a gateway that is not a service. */
  imageEnvironment: (cs: ComposeService) => readonly Setting[] = () => [],
): Gateway[] {
  const hosts = hostIndex(services, settingsOf);
  const out = new Map<string, Gateway>();
  const add = (name: string, decl: GatewayDecl, service: Service | null, container: ComposeService | null = null) => {
    // A proxy image of the repository (an nginx or Envoy built from its folder, `${UPSTREAM_HOST}` in its
    // configuration) resolves its upstreams from its container's environment: the image's ENV, then compose's.
    const settings = service ? settingsOf(service) : container ? effectiveSettings(composeSettings(container), imageEnvironment(container)) : null;
    const routes = resolveRoutes(decl, service?.name ?? null, hosts, settings);
    const existing = out.get(name);
    if (existing) {
      existing.routes.push(...routes);
      if (!existing.implementation.split(' + ').includes(decl.implementation)) existing.implementation += ` + ${decl.implementation}`;
    } else out.set(name, { name, implementation: decl.implementation, service: service?.name ?? null, routes, location: decl.location });
  };
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const service of services) for (const decl of service.facts.gateways) add(service.name, decl, service);
  for (const [file, facts] of byFile) {
    if (!facts.gateways?.length || (owners.get(file)?.length ?? 0) > 0) continue;
    for (const decl of facts.gateways) {
      const container = decl.runsIn === null ? (mountedBy(file, composeServices) ?? builtBy(file, composeServices)) : null;
      const runner = decl.runsIn ?? container?.key ?? null;
      const service = runner !== null ? (byName.get(runner) ?? null) : null;
      const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
      const name = runner ?? `${decl.implementation} (${folder})`;
      add(name, decl, service, container);
    }
  }
  for (const decl of extra) add(decl.runsIn ?? decl.implementation, decl, decl.runsIn !== null ? (byName.get(decl.runsIn) ?? null) : null);
  // Gateways told their upstreams through URL variables (`ORDERS_URL=http://orders:3000`).
  for (const service of services) {
    if (!service.isGateway || out.has(service.name)) continue;
    const location: Location = service.compose ? { file: service.compose.file, line: service.compose.line } : service.location;
    const routes: Gateway['routes'] = [];
    // A gateway service built on a breaker library (opossum, cockatiel, …) applies it to the upstreams it proxies.
    const breaker = service.facts.capabilities.some((h) => h.capability.kind === 'breaker');
    for (const [key, value] of Object.entries(serviceEnvironment(service))) {
      if (!/(^|_)(URL|URI|UPSTREAM|HOST)$/.test(key)) continue;
      const target = targetOf(value, hosts, key.endsWith('HOST'));
      if (target !== null && target !== service.name) routes.push({ path: null, upstream: value, target, breaker, location });
    }
    out.set(service.name, { name: service.name, implementation: 'gateway service', service: service.name, routes, location });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function resolveEnv(value: string | null, env: Readonly<Record<string, string>>): string | null {
  if (value === null || !value.startsWith('env:')) return value;
  return env[value.slice(4)] ?? null;
}

export function joinEdges(services: Service[]): { channels: Channel[]; edges: Edge[] } {
  const sync = new Map<string, Edge>();
  const channelMap = new Map<string, Channel>();
  const addSync = (from: string, to: string, location: Location, calls: number) => {
    if (from === to) return;
    const key = `${from}\0${to}`;
    const edge = sync.get(key);
    if (edge) edge.calls += calls;
    else sync.set(key, { from, to, kind: 'sync', calls, channels: [], location });
  };
  for (const service of services) {
    const env = serviceEnvironment(service);
    // A derived per-item path (`via`) is not a call site of its own: the call it reaches is counted.
    for (const call of service.facts.calls) if (call.target !== null && !call.via) addSync(service.name, call.target, call.location, 1);
    for (const endpoint of service.facts.messaging) {
      const name = resolveEnv(endpoint.channel, env);
      if (!name) continue;
      const key = `${endpoint.broker}\0${name}`;
      let channel = channelMap.get(key);
      if (!channel) {
        channel = { broker: endpoint.broker, name, producers: [], consumers: [], locations: [] };
        channelMap.set(key, channel);
      }
      const list = endpoint.role === 'producer' ? channel.producers : channel.consumers;
      if (!list.includes(service.name)) list.push(service.name);
      channel.locations.push(endpoint.location);
    }
  }
  const channels = [...channelMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.broker < b.broker ? -1 : 1));
  const async = new Map<string, Edge>();
  for (const channel of channels) {
    channel.producers.sort();
    channel.consumers.sort();
    for (const from of channel.producers) {
      for (const to of channel.consumers) {
        if (from === to) continue;
        const key = `${from}\0${to}`;
        const edge = async.get(key);
        if (edge) edge.channels.push(channel.name);
        else async.set(key, { from, to, kind: 'async', calls: 0, channels: [channel.name], location: channel.locations[0]! });
      }
    }
  }
  const edges = [...sync.values(), ...async.values()].sort((a, b) =>
    a.from !== b.from ? (a.from < b.from ? -1 : 1) : a.to !== b.to ? (a.to < b.to ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );
  return { channels, edges };
}

/**
 * What each gateway routes to (`routesTo`): the services its routes reach, and those that URL variables of its
 * environment point at (how a gateway is told its upstreams, whatever its implementation).
 */
export function joinGatewayRoutes(services: Service[], gateways: readonly Gateway[] = []): void {
  const names = services.map((s) => s.name);
  for (const gateway of services) {
    if (!gateway.isGateway) continue;
    const targets = new Set<string>();
    for (const g of gateways) if (g.service === gateway.name) for (const r of g.routes) if (r.target !== null && r.target !== gateway.name) targets.add(r.target);
    for (const [key, value] of Object.entries(serviceEnvironment(gateway))) {
      if (!/(^|_)(URL|URI|UPSTREAM|HOST)$/.test(key)) continue;
      const url = parseUrl(value);
      const target = url && /^https?$/.test(url.scheme) ? serviceForHost(url.host, names) : null;
      if (target !== null && target !== gateway.name) targets.add(target);
    }
    gateway.routesTo = [...targets].sort();
  }
}

/** A compose service's environment as settings (what the join reads addresses from). */
function composeSettings(cs: ComposeService): Setting[] {
  return Object.entries(cs.environment).map(([key, value]) => ({ key, value, profile: null, location: { file: cs.file, line: cs.line } }));
}
