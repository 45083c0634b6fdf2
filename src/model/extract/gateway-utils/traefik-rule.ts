/**
 * Traefik router rules: the paths and hosts a rule matches, from its matcher calls
 * (v2/v3: ``Host(`a.example.com`) && PathPrefix(`/api`, `/v2`)``, ``PathRegexp(`^/x`)``; v1:
 * `Host:a.example.com;PathPrefix:/api,/v2`). One linear scan; anything else in the rule (headers, methods,
 * negations) does not change where requests go, so it is passed over. Also: names qualified by their provider.
 */

export interface RuleMatch {
  paths: string[];
  hosts: string[];
}

const PATH_MATCHERS = new Set(['path', 'pathprefix', 'pathregexp', 'pathstrip', 'pathprefixstrip']);
const HOST_MATCHERS = new Set(['host', 'hostsni', 'hostregexp']);

/** What a rule matches, in the order written; hosts `*` (TCP's catch-all) are left out. */
export function parseTraefikRule(rule: string): RuleMatch {
  const out: RuleMatch = { paths: [], hosts: [] };
  const add = (matcher: string, value: string) => {
    const m = matcher.toLowerCase();
    if (PATH_MATCHERS.has(m)) out.paths.push(value);
    else if (HOST_MATCHERS.has(m) && value !== '*') out.hosts.push(value);
  };
  let i = 0;
  const n = rule.length;
  while (i < n) {
    const c = rule[i]!;
    if (!/[A-Za-z]/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && /[A-Za-z]/.test(rule[i]!)) i++;
    const matcher = rule.slice(start, i);
    if (rule[i] === '(') {
      // v2/v3: Matcher(`a`, "b")
      i++;
      while (i < n && rule[i] !== ')') {
        const quote = rule[i]!;
        if (quote === '`' || quote === '"' || quote === "'") {
          const close = rule.indexOf(quote, i + 1);
          if (close === -1) return out;
          add(matcher, rule.slice(i + 1, close));
          i = close + 1;
        } else {
          i++;
        }
      }
      i++;
    } else if (rule[i] === ':') {
      // v1: Matcher:a,b;Other:c
      const end = rule.indexOf(';', i);
      const values = rule.slice(i + 1, end === -1 ? n : end);
      for (const value of values.split(',')) if (value.trim() !== '') add(matcher, value.trim());
      i = end === -1 ? n : end + 1;
    }
  }
  return out;
}

/** Routes' path/host pairs for a rule: one per path (with the first host), else one per host, else one catch-all. */
export function ruleTargets(rule: string | null): Array<{ path: string | null; host: string | null }> {
  const { paths, hosts } = parseTraefikRule(rule ?? '');
  if (paths.length > 0) return paths.map((path) => ({ path, host: hosts[0] ?? null }));
  if (hosts.length > 0) return hosts.map((host) => ({ path: null, host }));
  return [{ path: null, host: null }];
}

/** A router, service or middleware name of the file provider without its suffix (`orders@file` → `orders`); null for another provider's (`api@internal`). */
export function localName(name: string): string | null {
  const at = name.indexOf('@');
  if (at === -1) return name;
  return name.slice(at + 1) === 'file' ? name.slice(0, at) : null;
}
