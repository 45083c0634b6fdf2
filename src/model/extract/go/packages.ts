/**
 * Which Go packages (import paths) a call into means what: a tracer set up or exported, a breaker built, a health
 * service, local state. Calls are recognised by the import path their package alias stands for, never by the alias.
 */

/** `path` is `prefix` or a package below it (`github.com/sony/gobreaker/v2` under `github.com/sony/gobreaker`). */
export const under = (path: string, prefix: string): boolean =>
  path.length === prefix.length ? path === prefix : path.length > prefix.length && path.charCodeAt(prefix.length) === 47 && path.startsWith(prefix);

const underAny = (path: string, prefixes: readonly string[]): boolean => prefixes.some((prefix) => under(path, prefix));

/** The name a package is referred to by when its import has no alias: the last path element, without version and `go-`/`-go`. */
export function defaultAlias(importPath: string): string {
  let alias = aliases.get(importPath);
  if (alias === undefined) {
    alias = aliasOf(importPath);
    aliases.set(importPath, alias);
  }
  return alias;
}

const aliases = new Map<string, string>();

function aliasOf(importPath: string): string {
  const segments = importPath.split('/');
  let last = segments[segments.length - 1] ?? importPath;
  if (/^v\d+$/.test(last) && segments.length > 1) last = segments[segments.length - 2]!;
  const dotVersion = last.search(/\.v\d+$/);
  if (dotVersion > 0) last = last.slice(0, dotVersion);
  if (last.endsWith('.go')) last = last.slice(0, -3);
  if (last.startsWith('go-')) last = last.slice(3);
  if (last.endsWith('-go')) last = last.slice(0, -3);
  const dash = last.indexOf('-');
  return dash > 0 ? last.slice(0, dash) : last;
}

/** Standard library: the first path element has no dot. */
export const isStandardLibrary = (importPath: string): boolean => !(importPath.split('/')[0] ?? '').includes('.');

export const GRPC = 'google.golang.org/grpc';
export const GRPC_GATEWAY = 'github.com/grpc-ecosystem/grpc-gateway';

/** Circuit-breaker packages (retry packages of the same modules are not breakers). */
const BREAKERS = [
  'github.com/sony/gobreaker',
  'github.com/afex/hystrix-go/hystrix',
  'github.com/eapache/go-resiliency/breaker',
  'github.com/failsafe-go/failsafe-go/circuitbreaker',
  'github.com/mercari/go-circuitbreaker',
  'github.com/rubyist/circuitbreaker',
  'github.com/streadway/handy/breaker',
];
const breakerPackages = new Map<string, boolean>();
export function isBreakerPackage(path: string): boolean {
  let known = breakerPackages.get(path);
  if (known === undefined) {
    known = underAny(path, BREAKERS);
    breakerPackages.set(path, known);
  }
  return known;
}

/** Methods that run a function through a breaker: gobreaker `Execute`, hystrix `Do`/`Go`, go-resiliency `Run`, failsafe `Get`/`Run`, mercari `Do`, rubyist `Call`. */
export const BREAKER_RUNNERS: ReadonlySet<string> = new Set(['Execute', 'Do', 'DoC', 'Go', 'GoC', 'Run', 'Get', 'Call', 'RunWithExecution', 'GetWithExecution']);

/** Tracing set-up: SDKs, instrumentation, tracer globals. */
const TRACING = [
  'go.opentelemetry.io/otel/sdk',
  'go.opentelemetry.io/otel/exporters/stdout',
  'go.opentelemetry.io/contrib/instrumentation',
  'go.opentelemetry.io/contrib/propagators',
  'github.com/uber/jaeger-client-go',
  'github.com/openzipkin/zipkin-go',
  'go.opencensus.io/trace',
  'go.opencensus.io/plugin',
  'gopkg.in/DataDog/dd-trace-go.v1',
  'github.com/DataDog/dd-trace-go',
];
/** Trace exporters: where spans leave the process. */
const EXPORTERS = [
  'go.opentelemetry.io/otel/exporters/otlp',
  'go.opentelemetry.io/otel/exporters/jaeger',
  'go.opentelemetry.io/otel/exporters/zipkin',
  'github.com/GoogleCloudPlatform/opentelemetry-operations-go/exporter/trace',
  'contrib.go.opencensus.io/exporter',
  'github.com/openzipkin/zipkin-go/reporter/http',
  'github.com/openzipkin/zipkin-go/reporter/kafka',
  'github.com/uber/jaeger-client-go/config',
  'gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer',
  'github.com/DataDog/dd-trace-go/v2/ddtrace/tracer',
];

/** What a call into `path` (function `name`) says about tracing. */
export function tracingOf(path: string, name: string): { tracing: boolean; exports: boolean } | null {
  const exports = underAny(path, EXPORTERS);
  if (exports) return { tracing: true, exports: true };
  if (underAny(path, TRACING)) return { tracing: true, exports: false };
  if (path === 'go.opentelemetry.io/otel' && (name === 'SetTracerProvider' || name === 'SetTextMapPropagator')) return { tracing: true, exports: false };
  if (under(path, 'github.com/opentracing/opentracing-go') && (name === 'SetGlobalTracer' || name === 'InitGlobalTracer')) return { tracing: true, exports: false };
  return null;
}

/** Health: the gRPC health service and HTTP health libraries. */
export function healthOf(path: string, name: string): boolean {
  if (path === `${GRPC}/health/grpc_health_v1`) return name.startsWith('Register');
  if (path === `${GRPC}/health`) return name === 'NewServer';
  return underAny(path, ['github.com/heptiolabs/healthcheck', 'github.com/hellofresh/health-go', 'github.com/alexliesenfeld/health', 'github.com/InVisionApp/go-health', 'github.com/AppsFlyer/go-sundheit'])
    || (under(path, 'github.com/gofiber/fiber') && path.endsWith('/middleware/healthcheck'));
}

/** Session stores that keep state in the process or on its disk. */
export function localStateOf(path: string, name: string): { kind: 'memory-session' | 'local-file'; detail: string } | null {
  if (under(path, 'github.com/gorilla/sessions') && name === 'NewFilesystemStore') return { kind: 'local-file', detail: 'sessions.NewFilesystemStore: sessions in local files' };
  if (under(path, 'github.com/gin-contrib/sessions/memstore') && name === 'NewStore') return { kind: 'memory-session', detail: 'memstore.NewStore: sessions in memory' };
  return null;
}

/** Route registration methods of net/http, gin, echo, chi, fiber, gorilla and httprouter. */
export const ROUTE_METHODS: ReadonlySet<string> = new Set(['Handle', 'HandleFunc', 'GET', 'Get', 'HEAD', 'Head', 'Any', 'Match', 'Add', 'All', 'Path', 'Route']);

/** Callbacks run per item (`lo.ForEach`, `lo.Map`, …): a call inside one runs in a loop. */
export const ITERATORS: ReadonlySet<string> = new Set(['ForEach', 'Map', 'FlatMap', 'Filter', 'FilterMap', 'Reduce', 'ForEachWhile', 'Times', 'Range']);
