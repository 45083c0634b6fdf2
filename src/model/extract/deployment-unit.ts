/** Helpers shared by the deployment-format extractors (Helm, Nomad, skaffold, docker-bake, …). */
import type { DeploymentUnit } from '../facts.js';
import type { Location } from '../types.js';

/** A deployment unit with nothing declared but its name and place; `fields` fills what the format says. */
export function deploymentUnit(format: DeploymentUnit['format'], name: string, location: Location, fields: Partial<DeploymentUnit> = {}): DeploymentUnit {
  return { format, name, images: [], build: null, sourceDir: null, environment: [], published: [], replicas: null, autoscaling: false, health: [], pins: [], location, ...fields };
}

/** Joins a path relative to `dir` (both relative to the root) and normalises it; null when it leaves the repository. */
export function inRepo(dir: string, relative: string): string | null {
  const parts = dir === '.' || dir === '' ? [] : dir.split('/');
  for (const part of relative.replaceAll('\\', '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** The folder of a root-relative file path ('.' at the root). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash);
}

/**
 * The path and host matchers of a Traefik router rule (`Host(\`a.com\`) && PathPrefix(\`/api\`)`), as written.
 * A rule with alternatives (`||`) gives its first path and host.
 */
export function traefikRule(rule: string): { path: string | null; host: string | null } {
  const arg = (matcher: string): string | null => {
    const at = rule.indexOf(`${matcher}(`);
    if (at === -1) return null;
    const open = at + matcher.length + 1;
    const close = rule.indexOf(')', open);
    if (close === -1) return null;
    const first = rule.slice(open, close).split(',')[0]!.trim();
    return first.replace(/^[`"']|[`"']$/g, '') || null;
  };
  return { path: arg('PathPrefix') ?? arg('Path'), host: arg('Host') };
}
