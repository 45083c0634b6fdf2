/**
 * HAProxy configuration (`haproxy*.cfg`, and `*.cfg` under a folder named haproxy): each frontend's
 * `use_backend <b> if <acl>` (with the path and host its ACLs test: `path_beg`, `path`, `path_reg`, `hdr(host)`,
 * `hdr_beg(host)`…) and `default_backend`, and each `listen` section, to the backend's `server` addresses.
 * Breakers: a server that observes its traffic and acts on errors (`observe layer4|layer7` with `on-error`
 * `mark-down`/`sudden-death`/`fail-check`): HAProxy's passive health checking. `retries` and `redispatch` are not.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';

export default defineExtractor({
  id: 'haproxy',
  description: 'HAProxy configuration: frontends (use_backend with path/host ACLs, default_backend) and listen sections to backend servers',
  accepts: (file) => file.ext === '.cfg' && (file.lower.startsWith('haproxy') || file.path.toLowerCase().split('/').includes('haproxy')),
  needles: ['backend', 'listen'],
  extract({ path, text }) {
    const sections = parseSections(text);
    const backends = new Map<string, Backend>();
    const breakers: Evidence[] = [];
    for (const section of sections) {
      if (section.kind !== 'backend' && section.kind !== 'listen') continue;
      const backend = serversOf(section, path, breakers);
      backends.set(section.name, backend);
    }
    const routes: GatewayRoute[] = [];
    const push = (path0: string | null, host: string | null, name: string, location: Location) => {
      const backend = backends.get(name);
      const servers = backend && backend.servers.length > 0 ? backend.servers : [{ address: name, breaker: false }];
      for (const server of servers) routes.push({ path: path0, host, upstream: server.address, breaker: server.breaker, location });
    };
    for (const section of sections) {
      if (section.kind === 'listen') {
        const backend = backends.get(section.name);
        if (backend && backend.servers.length > 0) push(null, null, section.name, { file: path, line: section.line });
      }
      if (section.kind !== 'frontend' && section.kind !== 'listen') continue;
      const acls = new Map<string, { path: string | null; host: string | null }>();
      for (const line of section.lines) {
        const [keyword, ...args] = line.words;
        const location = { file: path, line: line.line };
        if (keyword === 'acl' && args.length >= 3) {
          const test = aclTest(args.slice(1));
          const previous = acls.get(args[0]!) ?? { path: null, host: null };
          acls.set(args[0]!, { path: previous.path ?? test.path, host: previous.host ?? test.host });
        } else if (keyword === 'use_backend' && args[0]) {
          const condition = args.slice(2);
          const named = condition.map((w) => acls.get(w.replace(/^!/, ''))).filter((a) => a !== undefined);
          const inline = aclTest(condition.filter((w) => w !== '{' && w !== '}'));
          const pathMatch = named.find((a) => a.path)?.path ?? inline.path;
          const hostMatch = named.find((a) => a.host)?.host ?? inline.host;
          push(pathMatch, hostMatch, args[0], location);
        } else if (keyword === 'default_backend' && args[0]) {
          push(null, null, args[0], location);
        }
      }
    }
    const first = sections.find((s) => s.kind === 'frontend' || s.kind === 'listen');
    if (!first || routes.length === 0) return null;
    const out: ExtractResult = { gateways: [{ implementation: 'haproxy', runsIn: null, routes, location: { file: path, line: first.line } }] };
    if (breakers.length > 0) out.breakers = breakers;
    return out;
  },
});

interface Line {
  words: string[];
  line: number;
}

interface Section {
  kind: string;
  name: string;
  line: number;
  lines: Line[];
}

interface Backend {
  servers: Array<{ address: string; breaker: boolean }>;
}

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist', 'program', 'http-errors', 'cache', 'ring', 'mailers']);

function parseSections(text: string): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  text.split('\n').forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const words = (hash === -1 ? raw : raw.slice(0, hash)).trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return;
    if (SECTIONS.has(words[0]!)) {
      current = { kind: words[0]!, name: words[1] ?? '', line: i + 1, lines: [] };
      sections.push(current);
    } else {
      (current as Section | null)?.lines.push({ words, line: i + 1 });
    }
  });
  return sections;
}

/** The path or host an ACL criterion tests: `path_beg /api`, `path -i /x`, `hdr(host) -i a.com`. */
function aclTest(words: readonly string[]): { path: string | null; host: string | null } {
  const criterion = words[0] ?? '';
  const values = words.slice(1).filter((w) => !w.startsWith('-'));
  const value = values[0] ?? null;
  if (/^path(_beg|_dir|_reg|_sub|_end)?$/.test(criterion) || /^url(_beg|_reg)?$/.test(criterion)) return { path: value, host: null };
  if (/^hdr(_beg|_end|_dom|_reg)?\(host\)$/i.test(criterion) || criterion === 'req.hdr(host)') return { path: null, host: value };
  return { path: null, host: null };
}

function serversOf(section: Section, file: string, breakers: Evidence[]): Backend {
  const servers: Backend['servers'] = [];
  for (const line of section.lines) {
    const [keyword, , address, ...options] = line.words;
    if (keyword !== 'server' || !address) continue;
    const onError = options.indexOf('on-error');
    const breaker = options.includes('observe') && onError !== -1 && ['mark-down', 'sudden-death', 'fail-check'].includes(options[onError + 1] ?? '');
    if (breaker) breakers.push({ what: `HAProxy ${section.kind} ${section.name}: server ${address} observe … on-error ${options[onError + 1]}`, location: { file, line: line.line } });
    servers.push({ address, breaker });
  }
  return { servers };
}
