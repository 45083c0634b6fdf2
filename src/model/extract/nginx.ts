/**
 * nginx and OpenResty configuration (`nginx.conf`, `*.conf`, `*.conf.template` of the official image's
 * envsubst templates): each `location` that proxies (`proxy_pass`, `grpc_pass`) is a route, with the first
 * `server_name` as its host; a proxied name that is an `upstream` block (in the file, or in a sibling file of
 * the same folder, which is how `include conf.d/*.conf` splits them) is resolved to that block's servers.
 * `set $var "host"` before `proxy_pass http://$var` is resolved; `${VAR}` placeholders are kept as written.
 * A `stream` server's `proxy_pass` is a TCP route without a path. `fastcgi_pass`/`uwsgi_pass` run a local
 * application server, not a service: ignored. A template of a configuration (Helm, Jinja, consul-template:
 * `{{ }}`, `{% %}`) is not one until rendered: skipped.
 *
 * Breakers: an upstream server with an explicit `max_fails=N` (N > 0) is taken out of rotation after N failures
 * for `fail_timeout` (passive health checking, as Envoy's outlier detection): routes to it have a breaker.
 * nginx's implicit default (`max_fails=1`) is not counted, nor are retries (`proxy_next_upstream`).
 */
import type { Evidence, GatewayDecl, GatewayRoute } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractContext, type ExtractResult } from './define-extractor.js';
import { holdsTemplate } from './gateway-utils/documents.js';
import { parseNginx, type Directive } from './gateway-utils/nginx-syntax.js';

const PASSES = new Set(['proxy_pass', 'grpc_pass']);
/** Top-level blocks that make a file nginx configuration (worth a diagnostic when it cannot be read). */
const NGINX_BLOCKS = new Set(['http', 'server', 'stream', 'events', 'location', 'upstream']);
/** Names that mean "any host" in `server_name`. */
const ANY_HOST = new Set(['_', '', 'localhost', '*']);

export default defineExtractor({
  id: 'nginx',
  description: 'nginx/OpenResty configuration: proxied locations to their upstream servers, max_fails as a breaker',
  accepts: (file) => isNginxPath(file.path, file.lower),
  needles: ['proxy_pass', 'grpc_pass'],
  extract: ({ path, text }, ctx) => nginxFacts(path, text, ctx),
});

/**
 * What nginx configuration text says: its gateway and breakers, null when it is no nginx configuration that
 * proxies. `ctx` lets an upstream name be looked up in the files beside `path`; without it (configuration
 * embedded in another file, such as a ConfigMap) only the text's own upstream blocks are known.
 */
export function nginxFacts(path: string, text: string, ctx: ExtractContext | null): ExtractResult | null {
  // A Helm, Jinja or consul-template template of a configuration is not one until rendered.
  if (holdsTemplate(text) || text.includes('{%')) return null;
  const syntax = parseNginx(text);
  const upstreams = new Map<string, Upstream>();
  const breakers: Evidence[] = [];
  collectUpstreams(syntax.directives, path, upstreams, breakers);
  const routes: GatewayRoute[] = [];
  const state: WalkState = { file: path, upstreams, routes, breakers, siblings: ctx ? null : new Map(), ctx, first: null };
  walk(syntax.directives, { host: null, path: null, vars: new Map(), stream: false }, state);
  const out: ExtractResult = {};
  const looksNginx = state.first !== null || upstreams.size > 0 || syntax.directives.some((d) => d.block !== null && NGINX_BLOCKS.has(d.name));
  if (syntax.error && looksNginx) out.diagnostics = [{ file: path, line: syntax.error.line, message: `cannot parse nginx configuration: ${syntax.error.message}` }];
  if (routes.length === 0) return looksNginx ? out : null;
  const gateway: GatewayDecl = { implementation: 'nginx', runsIn: null, routes, location: { file: path, line: state.first ?? routes[0]!.location.line ?? 1 } };
  out.gateways = [gateway];
  if (breakers.length > 0) out.breakers = breakers;
  return out;
}

/** nginx configuration by name: `*.conf`, `*.conf.template`, `nginx.conf*`, and templates or extension-less files in nginx folders. */
export function isNginxPath(path: string, lower: string): boolean {
  if (lower.endsWith('.conf') || lower.endsWith('.conf.template') || lower.startsWith('nginx.conf') || lower.endsWith('.nginx')) return true;
  const folders = path.toLowerCase().split('/').slice(0, -1);
  const inNginxFolder = folders.some((f) => f === 'nginx' || f === 'openresty' || f === 'conf.d' || f === 'sites-enabled' || f === 'sites-available');
  return inNginxFolder && (lower.endsWith('.template') || !lower.includes('.'));
}

interface UpstreamServer {
  address: string;
  breaker: boolean;
}

interface Upstream {
  servers: UpstreamServer[];
}

interface Scope {
  host: string | null;
  path: string | null;
  /** `set $name value` seen in enclosing blocks. */
  vars: Map<string, string>;
  stream: boolean;
}

interface WalkState {
  file: string;
  upstreams: Map<string, Upstream>;
  routes: GatewayRoute[];
  breakers: Evidence[];
  /** Upstreams of sibling files, read once when a name is not found in this file (empty when there is no folder to look in). */
  siblings: Map<string, Upstream> | null;
  ctx: ExtractContext | null;
  /** Line of the first `server` block that routes. */
  first: number | null;
}

/** Every `upstream <name> { server …; }` block, wherever it is nested (http, stream, the top of an included file). */
function collectUpstreams(directives: readonly Directive[], file: string, into: Map<string, Upstream>, breakers?: Evidence[]): void {
  const stack: Array<readonly Directive[]> = [directives];
  while (stack.length > 0) {
    for (const d of stack.pop()!) {
      if (!d.block) continue;
      if (d.name !== 'upstream' || d.args.length !== 1) {
        stack.push(d.block);
        continue;
      }
      const servers: UpstreamServer[] = [];
      for (const s of d.block) {
        if (s.name !== 'server' || s.block || !s.args[0] || s.args[0].startsWith('unix:')) continue;
        const maxFails = s.args.find((a) => a.startsWith('max_fails='));
        const breaker = maxFails !== undefined && Number(maxFails.slice('max_fails='.length)) > 0;
        servers.push({ address: s.args[0], breaker });
        if (breaker) breakers?.push({ what: `nginx upstream ${d.args[0]}: server ${s.args[0]} ${maxFails}`, location: { file, line: s.line } });
      }
      if (!into.has(d.args[0]!)) into.set(d.args[0]!, { servers });
    }
  }
}

function walk(directives: readonly Directive[], scope: Scope, state: WalkState): void {
  const vars = new Map(scope.vars);
  for (const d of directives) if (d.name === 'set' && d.args.length >= 2 && !d.block) vars.set(d.args[0]!.replace(/^\$\{?|\}$/g, ''), d.args[1]!);
  let host = scope.host;
  const names = directives.find((d) => d.name === 'server_name' && !d.block);
  if (names) host = names.args.find((a) => !ANY_HOST.has(a)) ?? null;
  for (const d of directives) {
    if (d.block) {
      if (d.name === 'upstream' || d.name === 'map' || d.name === 'types' || d.name.endsWith('_by_lua_block')) continue;
      const inner: Scope = { host, path: scope.path, vars, stream: scope.stream || d.name === 'stream' };
      if (d.name === 'location') inner.path = locationPath(d.args);
      if (d.name === 'server' && d.args.length === 0) {
        const before = state.routes.length;
        walk(d.block, inner, state);
        if (state.routes.length > before) state.first ??= d.line;
        continue;
      }
      walk(d.block, inner, state);
    } else if (PASSES.has(d.name) && d.args[0]) {
      addRoutes(d, { ...scope, host, vars }, state);
    }
  }
}

/** `location [= | ~ | ~* | ^~] pattern`: the pattern; a named location (`@x`) has no path. */
function locationPath(args: readonly string[]): string | null {
  const pattern = ['=', '~', '~*', '^~'].includes(args[0] ?? '') ? args[1] : args[0];
  return !pattern || pattern.startsWith('@') ? null : pattern;
}

function addRoutes(d: Directive, scope: Scope, state: WalkState): void {
  const target = substitute(d.args[0]!, scope.vars);
  const location: Location = { file: state.file, line: d.line };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
  if (!scheme && !scope.stream) return; // `proxy_pass $upstream` resolved at run time only, or `unix:`
  const rest = scheme ? target.slice(scheme[0].length) : target;
  if (rest.startsWith('unix:')) return; // a local socket
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const suffix = slash === -1 ? '' : rest.slice(slash);
  const upstream = lookupUpstream(authority, state);
  const route = (address: string, breaker: boolean): GatewayRoute => ({ path: scope.path, host: scope.host, upstream: address, breaker, location });
  if (!upstream || upstream.servers.length === 0) {
    state.routes.push(route(target, false));
    return;
  }
  for (const server of upstream.servers) state.routes.push(route(scheme ? `${scheme[0]}${server.address}${suffix}` : server.address, server.breaker));
}

/** `$name` / `${name}` replaced by the value a `set` gave it, when the whole variable is known. */
function substitute(value: string, vars: ReadonlyMap<string, string>): string {
  if (!value.includes('$') || vars.size === 0) return value;
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => vars.get(braced ?? bare ?? '') ?? whole);
}

function lookupUpstream(name: string, state: WalkState): Upstream | undefined {
  const own = state.upstreams.get(name);
  if (own || name.includes(':') || name.includes('$')) return own;
  if (state.siblings === null && state.ctx) {
    state.siblings = new Map();
    const slash = state.file.lastIndexOf('/');
    const dir = slash === -1 ? '.' : state.file.slice(0, slash);
    for (const other of state.ctx.list(dir)) {
      if (other === state.file || other.slice(dir === '.' ? 0 : dir.length + 1).includes('/')) continue;
      const base = other.slice(other.lastIndexOf('/') + 1).toLowerCase();
      if (!isNginxPath(other, base)) continue;
      const text = state.ctx.read(other);
      if (text?.includes('upstream')) collectUpstreams(parseNginx(text).directives, other, state.siblings);
    }
  }
  return state.siblings?.get(name);
}
