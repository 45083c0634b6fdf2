/**
 * Spring configuration (`application*.yml`/`.properties`, `bootstrap*`, and the files a Spring Cloud Config
 * server serves from its classpath search locations): settings with their profile, and what the keys show —
 * health endpoints, tracing set-up and export, breakers switched on by configuration, Spring Cloud Gateway and
 * Zuul routes, Spring Cloud Stream bindings.
 */
import type { Evidence, FileFacts, GatewayDecl, GatewayRoute, Setting } from '../facts.js';
import type { MessagingEndpoint } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { dirOf, isJvmTestOrOutput } from './jvm/paths.js';
import { readSpringConfig, type ConfigEntry } from './jvm/spring-entries.js';

const EXTENSIONS = new Set(['.yml', '.yaml', '.properties']);
const RESOURCES = 'src/main/resources/';
/** Profile names common enough to split `<application>-<profile>` in a config repository (application names have hyphens too). */
const PROFILES = new Set(['default', 'dev', 'development', 'local', 'docker', 'test', 'qa', 'uat', 'stage', 'staging', 'prod', 'production', 'cloud', 'k8s', 'kubernetes', 'native']);
const SCG_ROUTES = ['spring.cloud.gateway.routes', 'spring.cloud.gateway.server.webflux.routes', 'spring.cloud.gateway.server.webmvc.routes', 'spring.cloud.gateway.mvc.routes'];
const SCG_DEFAULT_FILTERS = ['spring.cloud.gateway.default-filters', 'spring.cloud.gateway.server.webflux.default-filters', 'spring.cloud.gateway.server.webmvc.default-filters'];
const FEIGN_BREAKER_SWITCHES = new Set(['feign.hystrix.enabled', 'feign.circuitbreaker.enabled', 'spring.cloud.openfeign.circuitbreaker.enabled']);
const TRACE_EXPORT_KEYS = new Set([
  'spring.zipkin.base-url',
  'spring.zipkin.baseurl',
  'management.zipkin.tracing.endpoint',
  'management.otlp.tracing.endpoint',
  'otel.exporter.otlp.endpoint',
  'otel.exporter.otlp.traces.endpoint',
  'spring.sleuth.otel.exporter.otlp.endpoint',
  'opentracing.jaeger.udp-sender.host',
  'opentracing.jaeger.http-sender.url',
]);

const springName = (lower: string): string | null => {
  for (const stem of ['application', 'bootstrap']) {
    if (lower.startsWith(`${stem}.`) || lower.startsWith(`${stem}-`)) return stem;
  }
  return null;
};
const stemOf = (base: string): string => base.slice(0, base.lastIndexOf('.'));

export default defineExtractor({
  id: 'spring-config',
  description: 'Spring application*/bootstrap* YAML and properties (and Spring Cloud Config repositories): settings per profile, health, tracing, breaker switches, gateway routes, stream bindings',
  accepts: (file) => EXTENSIONS.has(file.ext) && !isJvmTestOrOutput(file.path) && (springName(file.lower) !== null || file.path.includes(RESOURCES)),
  extract({ path, text }, ctx): ExtractResult | null {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const repository = configRepositoryOf(path, ctx.read);
    const stem = stemOf(base);
    let profile: string | null = null;
    let application: string | undefined;
    if (repository) {
      const dash = stem.lastIndexOf('-');
      const named = dash > 0 && PROFILES.has(stem.slice(dash + 1).toLowerCase());
      profile = named ? stem.slice(dash + 1) : null;
      const app = named ? stem.slice(0, dash) : stem;
      application = app === 'application' ? '*' : app;
    } else {
      const spring = springName(base.toLowerCase());
      if (spring === null) return null;
      profile = stem.length > spring.length + 1 ? stem.slice(spring.length + 1) : null;
    }
    const config = readSpringConfig(path, text, profile);
    const at = (line: number) => ({ file: path, line });
    const settings: Setting[] = config.entries.map((e) => ({
      key: e.key,
      value: e.value,
      profile: e.profile,
      ...(application === undefined ? {} : { application }),
      location: at(e.line),
    }));
    const facts: FileFacts = { settings, ...factsOf(config.entries, path) };
    const result: ExtractResult = Object.fromEntries(Object.entries(facts).filter(([, v]) => !Array.isArray(v) || v.length > 0));
    if (config.error) result.diagnostics = [{ file: path, line: config.error.line, message: config.error.message }];
    return result;
  },
});

/**
 * Whether the file is served by a Spring Cloud Config server of the same module: it lies in a subfolder of
 * `src/main/resources` that the server's `spring.cloud.config.server.native.search-locations` names (or
 * `config/`, the native default), or, with a name that is not `application*`/`bootstrap*`, directly in
 * `src/main/resources` when `classpath:/` is a search location.
 */
function configRepositoryOf(path: string, read: (path: string) => string | null): boolean {
  const at = path.lastIndexOf(RESOURCES);
  if (at === -1 || (at > 0 && path[at - 1] !== '/')) return false;
  const resources = path.slice(0, at + RESOURCES.length);
  const folder = dirOf(path.slice(resources.length));
  if (folder === '.' && springName(path.slice(path.lastIndexOf('/') + 1).toLowerCase()) !== null) return false;
  let server = false;
  const locations: string[] = [];
  for (const stem of ['application', 'bootstrap']) {
    for (const ext of ['.yml', '.yaml', '.properties']) {
      const own = `${resources}${stem}${ext}`;
      if (own === path) continue;
      const text = read(own);
      if (text === null) continue;
      for (const entry of readSpringConfig(own, text, null).entries) {
        const key = entry.key.toLowerCase().replaceAll('-', '');
        if (!key.startsWith('spring.cloud.config.server.')) continue;
        server = true;
        if (key.startsWith('spring.cloud.config.server.native.searchlocations')) locations.push(...entry.value.split(','));
      }
    }
  }
  if (!server) return false;
  const folders = (locations.length > 0 ? locations : ['classpath:/config']).flatMap((location) => {
    const trimmed = location.trim();
    if (!trimmed.startsWith('classpath:') || trimmed.includes('{')) return [];
    const inner = trimmed.slice('classpath:'.length).split('/').filter(Boolean).join('/');
    return [inner === '' ? '.' : inner];
  });
  return folders.includes(folder);
}

const isTrue = (value: string) => value.trim().toLowerCase() === 'true';
const isFalse = (value: string) => value.trim().toLowerCase() === 'false';

/** What the entries show beyond settings. */
function factsOf(entries: ConfigEntry[], file: string): FileFacts {
  const at = (entry: ConfigEntry) => ({ file, line: entry.line });
  const value = (key: string) => entries.find((e) => e.key === key)?.value;
  const health: Evidence[] = [];
  const tracing: Evidence[] = [];
  const traceExport: Evidence[] = [];
  const breakers: Evidence[] = [];
  const seenBreakers = new Set<string>();
  const sleuthOff = isFalse(value('spring.sleuth.enabled') ?? '');
  const tracingOff = isFalse(value('management.tracing.enabled') ?? '');
  const zipkinOff = isFalse(value('spring.zipkin.enabled') ?? '');

  for (const entry of entries) {
    const key = entry.key.toLowerCase();
    const what = `${entry.key}=${entry.value}`;
    if (key === 'management.endpoints.web.exposure.include' && /(^|,)\s*(health|\*)\s*(,|$)/.test(entry.value)) health.push({ what, location: at(entry) });
    else if (key.startsWith('management.endpoint.health.') && !isFalse(entry.value) && entry.value !== 'none') health.push({ what, location: at(entry) });

    if (key.startsWith('spring.sleuth.') && !sleuthOff && key !== 'spring.sleuth.enabled') tracing.push({ what, location: at(entry) });
    if (key.startsWith('management.tracing.') && !tracingOff && key !== 'management.tracing.enabled') tracing.push({ what, location: at(entry) });
    if (TRACE_EXPORT_KEYS.has(key) && entry.value.trim() !== '' && !(zipkinOff && key.startsWith('spring.zipkin.'))) traceExport.push({ what, location: at(entry) });

    if (FEIGN_BREAKER_SWITCHES.has(key) && isTrue(entry.value)) breakers.push({ what, location: at(entry) });
    const instance = breakerInstance(entry.key);
    if (instance && !seenBreakers.has(instance)) {
      seenBreakers.add(instance);
      breakers.push({ what: instance, location: at(entry) });
    }
  }
  const gateways = [...springCloudGateway(entries, file, breakers), ...zuul(entries, file)];
  return { health, tracing, traceExport, breakers, gateways, messaging: streamBindings(entries, file) };
}

/** `resilience4j.circuitbreaker.instances.<name>` / `configs.<name>`, `hystrix.command.<name>`: the breaker the key configures. */
function breakerInstance(key: string): string | null {
  for (const prefix of ['resilience4j.circuitbreaker.instances.', 'resilience4j.circuitbreaker.configs.', 'resilience4j.circuitbreaker.backends.', 'hystrix.command.']) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length).split('.')[0];
    if (name) return `${prefix}${name}`;
  }
  return null;
}

/** `prefix[i]…` → [i, rest after the index ('' or `.x…`)]. */
function indexed(key: string, prefix: string): [number, string] | null {
  if (!key.startsWith(`${prefix}[`)) return null;
  const close = key.indexOf(']', prefix.length);
  if (close === -1) return null;
  const index = Number(key.slice(prefix.length + 1, close));
  return Number.isInteger(index) ? [index, key.slice(close + 1)] : null;
}

/** A filter or predicate entry's name: `Path=/a/**` (shortcut) or `{ name: Path, args: … }`. */
const shortcutName = (value: string) => value.split('=')[0]!.trim();
const isBreakerFilter = (name: string) => /^(CircuitBreaker|Hystrix)$/i.test(name);

function springCloudGateway(entries: ConfigEntry[], file: string, breakers: Evidence[]): GatewayDecl[] {
  let everyRouteBroken = false;
  for (const entry of entries) {
    for (const prefix of SCG_DEFAULT_FILTERS) {
      const hit = indexed(entry.key, prefix);
      if (!hit) continue;
      const name = hit[1] === '' ? shortcutName(entry.value) : hit[1] === '.name' ? entry.value.trim() : '';
      if (isBreakerFilter(name)) {
        everyRouteBroken = true;
        breakers.push({ what: `${prefix}: ${name}`, location: { file, line: entry.line } });
      }
    }
  }
  const out: GatewayDecl[] = [];
  for (const prefix of SCG_ROUTES) {
    const routes = new Map<number, { uri: string | null; paths: string[]; hosts: string[]; breaker: boolean; line: number; predicate: Map<string, string> }>();
    for (const entry of entries) {
      const hit = indexed(entry.key, prefix);
      if (!hit) continue;
      const [index, rest] = hit;
      let route = routes.get(index);
      if (!route) routes.set(index, (route = { uri: null, paths: [], hosts: [], breaker: false, line: entry.line, predicate: new Map() }));
      if (rest === '.uri') route.uri = entry.value;
      const predicate = indexed(rest, '.predicates');
      if (predicate) {
        const [p, field] = predicate;
        if (field === '') addPredicate(route, shortcutName(entry.value), entry.value.slice(entry.value.indexOf('=') + 1));
        else if (field === '.name') route.predicate.set(`${p}`, entry.value.trim());
        else if (field.startsWith('.args.')) {
          const name = route.predicate.get(`${p}`);
          if (name) addPredicate(route, name, entry.value);
        }
      }
      const filter = indexed(rest, '.filters');
      if (filter && ((filter[1] === '' && isBreakerFilter(shortcutName(entry.value))) || (filter[1] === '.name' && isBreakerFilter(entry.value.trim())))) {
        route.breaker = true;
      }
    }
    const declared: GatewayRoute[] = [];
    for (const route of routes.values()) {
      if (route.uri === null) continue;
      const location = { file, line: route.line };
      const breaker = route.breaker || everyRouteBroken;
      const paths = route.paths.length > 0 ? route.paths : [null];
      for (const path of paths) declared.push({ path, host: route.hosts[0] ?? null, upstream: route.uri, breaker, location });
    }
    if (declared.length > 0) out.push({ implementation: 'spring-cloud-gateway', runsIn: null, routes: declared, location: declared[0]!.location });
  }
  return out;
}

function addPredicate(route: { paths: string[]; hosts: string[] }, name: string, args: string): void {
  const list = args.split(',').map((a) => a.trim()).filter(Boolean);
  if (name === 'Path') route.paths.push(...list);
  else if (name === 'Host') route.hosts.push(...list);
}

/** `zuul.routes.<name>` (a path) or `zuul.routes.<name>.path|url|serviceId`: serviceId routes run in Hystrix commands. */
function zuul(entries: ConfigEntry[], file: string): GatewayDecl[] {
  const routes = new Map<string, { path: string | null; url: string | null; serviceId: string | null; line: number }>();
  for (const entry of entries) {
    if (!entry.key.startsWith('zuul.routes.')) continue;
    const rest = entry.key.slice('zuul.routes.'.length);
    const dot = rest.indexOf('.');
    const name = dot === -1 ? rest : rest.slice(0, dot);
    const field = dot === -1 ? 'path' : rest.slice(dot + 1).toLowerCase().replaceAll('-', '');
    let route = routes.get(name);
    if (!route) routes.set(name, (route = { path: null, url: null, serviceId: null, line: entry.line }));
    if (field === 'path') route.path = entry.value;
    else if (field === 'url') route.url = entry.value;
    else if (field === 'serviceid') route.serviceId = entry.value;
  }
  const declared: GatewayRoute[] = [...routes].map(([name, route]) => {
    const url = route.url?.trim() ? route.url : null;
    return {
      path: route.path,
      host: null,
      upstream: url ?? `lb://${route.serviceId ?? name}`,
      breaker: url === null,
      location: { file, line: route.line },
    };
  });
  return declared.length === 0 ? [] : [{ implementation: 'zuul', runsIn: null, routes: declared, location: declared[0]!.location }];
}

/** `spring.cloud.stream.bindings.<binding>.destination`: consumer for `…-in-N`/`input`/a `group`, producer for `…-out-N`/`output`. */
function streamBindings(entries: ConfigEntry[], file: string): MessagingEndpoint[] {
  const prefix = 'spring.cloud.stream.bindings.';
  const bindings = new Map<string, { destination: ConfigEntry | null; binder: string | null; group: boolean }>();
  for (const entry of entries) {
    if (!entry.key.startsWith(prefix)) continue;
    const rest = entry.key.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot === -1) continue;
    const name = rest.slice(0, dot);
    const field = rest.slice(dot + 1);
    let binding = bindings.get(name);
    if (!binding) bindings.set(name, (binding = { destination: null, binder: null, group: false }));
    if (field === 'destination') binding.destination = entry;
    else if (field === 'binder') binding.binder = entry.value.trim();
    else if (field === 'group' || field.startsWith('consumer.')) binding.group = true;
  }
  const binderType = (name: string | null): string | null => {
    const binder = name ?? entries.find((e) => e.key === 'spring.cloud.stream.default-binder')?.value.trim() ?? null;
    const type = binder ? entries.find((e) => e.key === `spring.cloud.stream.binders.${binder}.type`)?.value.trim() : undefined;
    if (type) return type;
    if (entries.some((e) => e.key.startsWith('spring.cloud.stream.kafka.'))) return 'kafka';
    if (entries.some((e) => e.key.startsWith('spring.cloud.stream.rabbit.'))) return 'rabbit';
    return binder;
  };
  const out: MessagingEndpoint[] = [];
  for (const [name, binding] of bindings) {
    if (!binding.destination) continue;
    const lower = name.toLowerCase();
    const role = /-in-\d+$/.test(lower) || lower === 'input' || binding.group ? 'consumer' : /-out-\d+$/.test(lower) || lower === 'output' ? 'producer' : null;
    if (role === null) continue;
    const type = binderType(binding.binder)?.toLowerCase() ?? '';
    const broker = type.includes('kafka') ? 'kafka' : type.includes('rabbit') ? 'rabbitmq' : null;
    for (const channel of binding.destination.value.split(',').map((c) => c.trim()).filter(Boolean)) {
      out.push({
        broker: broker ?? 'kafka',
        ...(broker === null ? { brokerUnknown: true } : {}),
        role,
        channel,
        location: { file, line: binding.destination.line },
      });
    }
  }
  return out;
}
