/** Producers and consumers as source extractors report them, in any language. */
import type { MessagingEndpoint } from '../../types.js';

/** Drops channel-less endpoints where the file names a channel for the same broker and role. */
export function dedupeEndpoints(endpoints: MessagingEndpoint[]): MessagingEndpoint[] {
  const named = new Set(endpoints.filter((e) => e.channel !== null).map((e) => `${e.broker}\0${e.role}`));
  const seen = new Set<string>();
  return endpoints.filter((e) => {
    if (e.channel === null && named.has(`${e.broker}\0${e.role}`)) return false;
    const id = `${e.broker}\0${e.role}\0${e.channel}\0${e.location.line}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
