/** Producers and consumers as source extractors report them, in any language. */
import type { BrokerKind, Location, MessagingEndpoint } from '../../types.js';

/** An endpoint from a channel as `channelOf` gives it: a `${key}` placeholder is the configuration key it is read from. */
export function endpoint(broker: BrokerKind, role: 'producer' | 'consumer', channel: string | null, location: Location): MessagingEndpoint {
  if (channel !== null && channel.startsWith('${') && channel.endsWith('}')) return { broker, role, channel: null, configKey: channel.slice(2, -1), location };
  return { broker, role, channel, location };
}

/** Drops channel-less endpoints where the file names a channel for the same broker and role. */
export function dedupeEndpoints(endpoints: MessagingEndpoint[]): MessagingEndpoint[] {
  const isNamed = (e: MessagingEndpoint): boolean => e.channel !== null || (e.configKey ?? null) !== null;
  const named = new Set(endpoints.filter(isNamed).map((e) => `${e.broker}\0${e.role}`));
  const seen = new Set<string>();
  return endpoints.filter((e) => {
    if (!isNamed(e) && named.has(`${e.broker}\0${e.role}`)) return false;
    const id = `${e.broker}\0${e.role}\0${e.channel}\0${e.configKey ?? ''}\0${e.location.line}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
