/**
 * C# source, through the tree-sitter C# grammar: outbound HTTP/Refit/gRPC calls and the breakers applied to
 * them (csharp-source-utils/calls.ts), producers and consumers (messaging.ts), health endpoints, tracing set-up
 * and export, gateways built in code (YARP, Ocelot), entry points (host builders, `Main`, top-level statements)
 * and in-process state that prevents running replicas. Retries (`RetryAsync`, `WaitAndRetryAsync`) are not
 * breakers and are not recorded. Test projects and generated files are not read.
 */
import type { Evidence, GatewayDecl } from '../facts.js';
import type { LocalState } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { outboundCalls } from './csharp-source-utils/calls.js';
import { BREAKER_METHODS, CsFile } from './csharp-source-utils/file.js';
import { classGraph } from './csharp-source-utils/graph.js';
import { messaging } from './csharp-source-utils/messaging.js';
import { HTTP_CLIENT_DEFAULTS } from '../facts.js';
import { TEST_FOLDER, args, callee, lastName, named, stringValue } from './csharp-source-utils/syntax.js';
import type { SyntaxNode } from './tree-sitter.js';

const GENERATED = /\.(designer|g|g\.i|generated)\.cs$/i;
const HEALTH_PATH = /^~?\/?(api\/)?(health|healthz|hc|liveness|readiness|live|ready|alive)(\/.*)?$/i;
const HEALTH_MAPS = new Set(['MapHealthChecks', 'UseHealthChecks', 'MapGrpcHealthChecksService']);
const ROUTE_MAPS = new Set(['MapGet', 'MapMethods']);
const ROUTE_ATTRIBUTES = new Set(['HttpGet', 'Route', 'HttpHead']);
const TRACING = new Set(['WithTracing', 'AddOpenTelemetryTracing', 'CreateTracerProviderBuilder', 'AddApplicationInsightsTelemetry', 'AddApplicationInsightsTelemetryWorkerService', 'UseAzureMonitor', 'AddAllElasticApm', 'UseAllElasticApm', 'UseElasticApm', 'AddOpenTracing']);
const EXPORTERS = new Set(['AddOtlpExporter', 'AddZipkinExporter', 'AddJaegerExporter', 'UseOtlpExporter', 'AddAllElasticApm', 'UseAllElasticApm', 'UseElasticApm']);
const NOT_TRACES = new Set(['WithMetrics', 'WithLogging', 'AddOpenTelemetryMetrics']);
const HOST_BUILDERS: Readonly<Record<string, readonly string[]>> = {
  WebApplication: ['CreateBuilder', 'CreateSlimBuilder', 'CreateEmptyBuilder'],
  Host: ['CreateDefaultBuilder', 'CreateApplicationBuilder', 'CreateEmptyApplicationBuilder'],
  WebHost: ['CreateDefaultBuilder'],
};
/** A data store kept in the process (`InMemoryHooksRepository`), not an in-memory registry of handlers. */
const IN_MEMORY_STORE = /^InMemory\w*(Repository|Store|Storage|Db|Database|Cache)$/;
/** Gateways built in code; their routes are in configuration (appsettings, ocelot.json). */
const GATEWAYS: Readonly<Record<string, string>> = { AddReverseProxy: 'yarp', AddOcelot: 'ocelot' };
const DISTRIBUTED_CACHES = new Set(['AddStackExchangeRedisCache', 'AddDistributedRedisCache', 'AddDistributedSqlServerCache', 'AddCosmosCache', 'AddNCacheDistributedCache', 'AddDistributedPostgreSqlCache']);

export default defineExtractor({
  id: 'csharp-source',
  description: 'C# source: HTTP/Refit/gRPC calls and their breakers, messaging, health endpoints, tracing, gateways, entry points, local state',
  accepts: (file) => file.ext === '.cs' && !GENERATED.test(file.lower) && !TEST_FOLDER.test(file.path),
  needles: ['Http', 'Client', 'Breaker', 'Resilien', 'Health', 'Telemetry', 'Tracing', 'Exporter', 'Apm', 'Basic', 'Produce', 'Subscribe', 'Publish', 'Consumer', 'IHandleMessages', 'EventHandler', 'ServiceBus', 'Main(', 'Builder', 'AddSession', 'InMemory', 'ReverseProxy', 'Ocelot', 'Get(', 'Post(', 'Put(', 'Delete(', 'Patch(', 'Send', 'foreach', 'for (', 'while (', 'ForEach', 'Select(', 'readonly'],
  grammars: ['csharp'],
  offThread: true,
  extract({ path, text }, ctx) {
    return ctx.withTree('csharp', text, (tree) => {
      const file = new CsFile(path, tree.rootNode);
      const out: ExtractResult = { language: 'csharp' };
      const calls = outboundCalls(file);
      if (calls.length > 0) out.calls = calls;
      const graph = classGraph(file, file.callSites);
      if (graph) out.classGraph = graph;
      const found = messaging(file);
      if (found.messaging.length > 0) out.messaging = found.messaging;
      if (found.bus.length > 0) out.busMessaging = found.bus;
      const facts = { health: health(file), tracing: [] as Evidence[], traceExport: [] as Evidence[], breakers: [] as Evidence[], entryPoints: entryPoints(file), gateways: [] as GatewayDecl[], localState: localState(file) };
      for (const { node, call } of file.invocations) {
        const { name } = call;
        if (!TRACING.has(name) && !EXPORTERS.has(name) && !BREAKER_METHODS.has(name) && !GATEWAYS[name]) continue;
        const evidence = { what: describe(node, name), location: file.location(node) };
        if (TRACING.has(name)) facts.tracing.push(evidence);
        if (EXPORTERS.has(name) && !forOtherSignals(node)) facts.traceExport.push(evidence);
        if (BREAKER_METHODS.has(name)) facts.breakers.push(defaultsFor(node) ? { ...evidence, what: `${HTTP_CLIENT_DEFAULTS}: ${evidence.what}` } : evidence);
        if (GATEWAYS[name]) facts.gateways.push({ implementation: GATEWAYS[name], runsIn: null, routes: [], location: evidence.location });
      }
      for (const [key, value] of Object.entries(facts)) if (value.length > 0) Object.assign(out, { [key]: value });
      return out;
    });
  },
});

/** A breaker inside `services.ConfigureHttpClientDefaults(http => …)`: on every client the HttpClient factory makes. */
function defaultsFor(node: SyntaxNode): boolean {
  for (let up = node.parent; up; up = up.parent) {
    if (up.type === 'invocation_expression' && callee(up)?.name === 'ConfigureHttpClientDefaults') return true;
    if (up.type === 'method_declaration' || up.type === 'class_declaration') return false;
  }
  return false;
}

/** `Name("literal", …)`: what a piece of evidence shows. */
function describe(node: SyntaxNode, name: string): string {
  return `${name}(${args(node).map((a) => { const text = stringValue(a.value); return text !== null ? JSON.stringify(text) : '…'; }).join(', ')})`;
}

/** An exporter inside `WithMetrics(…)`, `WithLogging(…)` or `Logging.AddOpenTelemetry(…)` exports no traces. */
function forOtherSignals(node: SyntaxNode): boolean {
  // Only calls whose arguments hold the exporter: in `….WithTracing(…).WithMetrics(…)` WithTracing is WithMetrics' receiver.
  for (let up = node.parent; up; up = up.parent) {
    if (up.type !== 'argument_list') continue;
    const call = up.parent?.type === 'invocation_expression' ? callee(up.parent) : null;
    if (call && (NOT_TRACES.has(call.name) || (call.name === 'AddOpenTelemetry' && /^logging$/i.test(lastName(call.receiver) ?? '')))) return true;
  }
  return false;
}

function health(file: CsFile): Evidence[] {
  const out: Evidence[] = [];
  for (const { node, call } of file.invocations) {
    if (!HEALTH_MAPS.has(call.name) && !ROUTE_MAPS.has(call.name)) continue;
    const path = args(node)[0]?.value;
    const literal = path ? stringValue(path) : null;
    if (HEALTH_MAPS.has(call.name) || (literal !== null && HEALTH_PATH.test(literal))) out.push({ what: describe(node, call.name), location: file.location(node) });
  }
  for (const holder of [...file.methodsWithAttributes, ...file.types]) {
    for (const attribute of named(holder).filter((c) => c.type === 'attribute_list').flatMap((list) => named(list))) {
      const name = lastName(attribute.childForFieldName('name'));
      const value = args(attribute)[0]?.value;
      const path = value ? stringValue(value) : null;
      if (name && ROUTE_ATTRIBUTES.has(name) && path !== null && HEALTH_PATH.test(path)) out.push({ what: `[${name}("${path}")]`, location: file.location(attribute) });
    }
  }
  return out;
}

function entryPoints(file: CsFile): Evidence[] {
  const out: Evidence[] = [];
  for (const { node, call } of file.invocations) {
    if (!call.name.startsWith('Create')) continue;
    const owner = lastName(call.receiver);
    if (owner && HOST_BUILDERS[owner]?.includes(call.name)) out.push({ what: `${owner}.${call.name}`, location: file.location(node) });
  }
  const main = file.scope.methods.get('Main');
  if (main && main.type === 'method_declaration' && named(main).some((c) => c.type === 'modifier' && c.text === 'static')) out.push({ what: 'static Main', location: file.location(main) });
  if (file.topLevelStatements) out.push({ what: 'top-level statements', location: file.location(file.topLevelStatements) });
  return out;
}

/** In-memory sessions (AddSession over the memory cache, no distributed cache) and in-memory stores kept as singletons. */
function localState(file: CsFile): LocalState[] {
  const out: LocalState[] = [];
  const session = file.invocations.find((i) => i.call.name === 'AddSession');
  if (session && !file.invocations.some((i) => DISTRIBUTED_CACHES.has(i.call.name))) {
    out.push({ kind: 'memory-session', detail: 'AddSession without a distributed cache', location: file.location(session.node) });
  }
  for (const { node, call } of file.invocations) {
    if (call.name !== 'AddSingleton') continue;
    const implementation = lastName(call.typeArgs.at(-1) ?? null);
    if (implementation && IN_MEMORY_STORE.test(implementation)) out.push({ kind: 'in-memory-store', detail: `AddSingleton<${implementation}>`, location: file.location(node) });
  }
  return out;
}
