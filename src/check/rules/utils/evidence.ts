/**
 * The questions rules ask of a service, answered from its language-neutral
 * facts (ServiceFacts), its build units' capabilities and its deployments:
 * each answer is `yes`, `no` (the evidence that would show it was read, and
 * it is not there) or `unknown` (that evidence is missing), with what showed it.
 */
import type { BrokerKind, OutboundCall, RepoModel, Service } from '../../../model/types.js';
import { HTTP_CLIENT_DEFAULTS } from '../../../model/facts.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface Answer {
  answer: Tri;
  /** What showed it (`yes`), or what was looked at (`no`), or what was missing (`unknown`). */
  evidence: string[];
}

const where = (location: { file: string; line?: number }): string => (location.line ? `${location.file}:${location.line}` : location.file);

/** Whether the evidence about a service's code and dependencies was read at all. */
/**
 * The service's deployments by an orchestrator (Kubernetes, Helm, Nomad). A compose file beside them is the
 * developer's set-up: what it publishes or leaves unchecked is judged on the orchestrated deployment instead.
 */
export function orchestratedDeployments(service: Service): Service['deployments'] {
  return service.deployments.filter((d) => d.format === 'kubernetes' || d.format === 'helm' || d.format === 'nomad');
}

export function codeKnown(service: Service): boolean {
  return service.facts.sourceRead || service.facts.manifestRead;
}

export function healthOf(service: Service): Answer {
  const evidence: string[] = [];
  for (const e of service.facts.health) evidence.push(`${e.what} (${where(e.location)})`);
  for (const hit of service.facts.capabilities) if (hit.capability.kind === 'health') evidence.push(`${hit.via} (${where(hit.location)})`);
  for (const unit of service.deployments) for (const e of unit.health) evidence.push(`${e.what} (${where(e.location)})`);
  if (service.dockerfile?.healthcheck) evidence.push(`HEALTHCHECK (${service.dockerfile.file})`);
  if (evidence.length > 0) return { answer: 'yes', evidence };
  if (codeKnown(service)) return { answer: 'no', evidence: ['no health endpoint in its code or dependencies, no healthcheck or probe in its deployment'] };
  return { answer: 'unknown', evidence: ['neither its source nor a build manifest could be read'] };
}

/** Tracing set up for the service (in code, through a dependency, or by an agent in its environment). */
export function tracingOf(service: Service): Answer {
  const evidence: string[] = [];
  for (const e of service.facts.tracing) evidence.push(`${e.what} (${where(e.location)})`);
  for (const hit of service.facts.capabilities) if (hit.capability.kind === 'tracing') evidence.push(`${hit.via} (${where(hit.location)})`);
  for (const s of service.facts.environment) if (tracingSetting(s.key, s.value)) evidence.push(`${s.key} (${where(s.location)})`);
  if (evidence.length > 0) return { answer: 'yes', evidence };
  if (codeKnown(service)) return { answer: 'no', evidence: ['no tracer in its code, dependencies or environment'] };
  return { answer: 'unknown', evidence: ['neither its source nor a build manifest could be read'] };
}

/** Whether traces of the service are exported somewhere (exporter, endpoint, agent configured to send). */
export function exportsTraces(service: Service): string[] {
  const out: string[] = [];
  for (const e of service.facts.traceExport) out.push(`${e.what} (${where(e.location)})`);
  for (const hit of service.facts.capabilities) if (hit.capability.kind === 'tracing' && hit.capability.exports) out.push(`${hit.via} (${where(hit.location)})`);
  for (const s of [...service.facts.environment, ...service.facts.settings]) if (exportSetting(s.key, s.value)) out.push(`${s.key} (${where(s.location)})`);
  return out;
}

function tracingSetting(key: string, value: string): boolean {
  const k = key.toUpperCase();
  return (
    (k.startsWith('OTEL_') && value.trim() !== '' && !/^none$/i.test(value.trim())) ||
    (/^(JAVA_TOOL_OPTIONS|JAVA_OPTS|NODE_OPTIONS|JDK_JAVA_OPTIONS)$/.test(k) && /opentelemetry|-javaagent|dd-trace|elastic-apm|newrelic/i.test(value)) ||
    /^(SPRING_ZIPKIN_|MANAGEMENT_ZIPKIN_|MANAGEMENT_OTLP_TRACING_|JAEGER_|ZIPKIN_)/.test(k)
  );
}

function exportSetting(key: string, value: string): boolean {
  const k = key.toUpperCase().replace(/[.-]/g, '_');
  if (value.trim() === '') return false;
  return /^(OTEL_EXPORTER_OTLP(_TRACES)?_ENDPOINT|OTEL_TRACES_EXPORTER|SPRING_ZIPKIN_BASE_?URL|MANAGEMENT_ZIPKIN_TRACING_ENDPOINT|MANAGEMENT_OTLP_TRACING_ENDPOINT|JAEGER_(AGENT_HOST|ENDPOINT)|ZIPKIN_(URL|ENDPOINT))$/.test(k) && !/^none$/i.test(value.trim());
}

/** Brokers the service uses for business messages: code that produces or consumes, or a messaging library. */
export function brokersOf(service: Service): { brokers: BrokerKind[]; evidence: string[] } {
  const brokers = new Set<BrokerKind>();
  const evidence: string[] = [];
  for (const m of service.facts.messaging) {
    brokers.add(m.broker);
    evidence.push(`${m.role} of ${m.broker}${m.channel ? ` ${m.channel}` : ''} (${where(m.location)})`);
  }
  for (const hit of service.facts.capabilities) {
    if (hit.capability.kind !== 'broker') continue;
    brokers.add(hit.capability.broker);
    evidence.push(`${hit.via} (${where(hit.location)})`);
  }
  return { brokers: [...brokers].sort(), evidence };
}

/** The service names of each model, built once: rules ask for every service (a Set per call was quadratic). */
const serviceNames = new WeakMap<RepoModel, ReadonlySet<string>>();

/**
 * Outbound synchronous call sites that reach another service of the model; with `paths`, also the derived per-item
 * paths to them (a loop invoking a client class: OutboundCall `via`), which only the chatty-services rule looks at.
 */
export function callsBetweenServices(service: Service, model: RepoModel, options: { paths?: boolean } = {}): OutboundCall[] {
  let names = serviceNames.get(model);
  if (!names) serviceNames.set(model, (names = new Set(model.services.map((s) => s.name))));
  return service.facts.calls.filter((c) => c.target !== null && c.target !== service.name && names.has(c.target) && (options.paths || !c.via));
}

/** Spring Cloud's switch that runs every Feign client of the service inside a breaker (Hystrix, or Spring Cloud CircuitBreaker). */
const feignSwitchOn = (service: Service): boolean => service.facts.breakers.some((e) => /feign\.(hystrix|circuitbreaker)\.enabled\s*=\s*true/i.test(e.what));

/** A .NET service whose HttpClient factory puts a breaker on every client it makes (`ConfigureHttpClientDefaults`). */
const httpClientDefaults = (service: Service): boolean => service.facts.breakers.some((e) => e.what.startsWith(HTTP_CLIENT_DEFAULTS));
/** Clients of C# code that the HttpClient factory makes: registered typed and named clients, Refit, gRPC clients. */
const FACTORY_CLIENTS = new Set(['HttpClient', 'Refit', 'grpc']);

/**
 * Whether a call runs inside a breaker: its own, every Feign client's when the service turns Feign's breakers on, or
 * every factory-made client's when a .NET service configures the factory's defaults with one.
 */
export function callGuarded(call: OutboundCall, service: Service): boolean {
  if (call.breaker) return true;
  if (call.client === 'Feign') return feignSwitchOn(service);
  return FACTORY_CLIENTS.has(call.client) && call.location.file.endsWith('.cs') && httpClientDefaults(service);
}

/** Breakers the service applies: on a call site, in its code or configuration, or on its gateway routes. */
export function breakersOf(service: Service, model: RepoModel): string[] {
  const out: string[] = [];
  // A Feign fallback is a breaker only where the switch that runs Feign clients in breakers is on.
  const feignSwitch = feignSwitchOn(service);
  for (const e of service.facts.breakers) {
    if (!feignSwitch && /active only when feign\./.test(e.what)) continue;
    out.push(`${e.what} (${where(e.location)})`);
  }
  // A call site already named by a breaker fact is not named twice.
  const named = new Set(service.facts.breakers.map((e) => where(e.location)));
  for (const call of service.facts.calls) if (call.breaker && !named.has(where(call.location))) out.push(`breaker around ${call.client} call (${where(call.location)})`);
  for (const gateway of model.gateways) {
    if (gateway.service !== service.name) continue;
    for (const route of gateway.routes) if (route.breaker) out.push(`breaker on route ${route.path ?? route.upstream} (${where(route.location)})`);
  }
  return out;
}
