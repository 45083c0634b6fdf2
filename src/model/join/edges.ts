/**
 * Call targets, channels and edges from source facts: an outbound call whose
 * URL comes from an environment variable is resolved through the service's
 * compose or Kubernetes environment; producers and consumers of one topic or
 * queue become a channel, and every producer → consumer pair an async edge.
 */
import type { Channel, Edge, Service } from '../types.js';
import { parseUrl, serviceEnvironment, serviceForHost } from './environment.js';

function resolveEnv(value: string | null, env: Readonly<Record<string, string>>): string | null {
  if (value === null || !value.startsWith('env:')) return value;
  return env[value.slice(4)] ?? null;
}

export function joinEdges(services: Service[]): { channels: Channel[]; edges: Edge[] } {
  const names = services.map((s) => s.name);
  const sync = new Map<string, Edge>();
  const channelMap = new Map<string, Channel>();
  for (const service of services) {
    const facts = service.source;
    if (!facts) continue;
    const env = serviceEnvironment(service);
    for (const call of facts.calls) {
      if (call.target === null) {
        const value = call.envVar ? env[call.envVar] : resolveEnv(call.url, env);
        const url = value ? parseUrl(value) : null;
        if (url) call.target = serviceForHost(url.host, names);
      }
      if (call.target === null || call.target === service.name) continue;
      const key = `${service.name}\0${call.target}`;
      const edge = sync.get(key);
      if (edge) edge.calls++;
      else sync.set(key, { from: service.name, to: call.target, kind: 'sync', calls: 1, channels: [], location: call.location });
    }
    for (const endpoint of facts.messaging) {
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
 * What each gateway routes to: the services that URL variables of its
 * environment point at (how a gateway is told its upstreams, whatever its
 * implementation). Not call edges: the rules about synchronous calls do not
 * count them.
 */
export function joinGatewayRoutes(services: Service[]): void {
  const names = services.map((s) => s.name);
  for (const gateway of services) {
    if (!gateway.isGateway) continue;
    const targets = new Set<string>();
    for (const [key, value] of Object.entries(serviceEnvironment(gateway))) {
      if (!/(^|_)(URL|URI|UPSTREAM|HOST)$/.test(key)) continue;
      const url = parseUrl(value);
      const target = url && /^https?$/.test(url.scheme) ? serviceForHost(url.host, names) : null;
      if (target !== null && target !== gateway.name) targets.add(target);
    }
    gateway.routesTo = [...targets].sort();
  }
}
