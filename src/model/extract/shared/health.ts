/** Health endpoints as routes declare them, in any language. */
import { isHealthPath } from '../source-routes.js';

/**
 * A health path, whatever it is joined to: a prefix placeholder (`${baseUrl}/_healthz`), a method (`GET /healthz`),
 * an underscore (`/_health`), a route regex (`^health/?$`).
 */
export function isHealthRoute(written: string): boolean {
  const space = written.indexOf(' ');
  const path = space > 0 && !written.startsWith('/') ? written.slice(space + 1).trim() : written;
  const segments = path
    .split('/')
    .map((s) => s.replace(/^[\^_]+|[$?]+$/g, ''))
    .filter((s) => s !== '' && !s.startsWith('${'));
  return isHealthPath(`/${segments.join('/')}`);
}
