/** Distributed tracing: each service sets up OpenTelemetry or an equivalent. */
import type { Service } from '../../model/types.js';
import { defineRule } from '../define-rule.js';
import { serviceEnvironment } from '../../model/join/environment.js';

/** Tracing configured from outside the code: an OTel agent or exporter in the environment. */
function tracedByEnvironment(service: Service): boolean {
  const env = serviceEnvironment(service);
  return Object.entries(env).some(
    ([key, value]) =>
      (key.startsWith('OTEL_EXPORTER_OTLP') && value !== '') ||
      (key === 'OTEL_SERVICE_NAME' && value !== '') ||
      (/^(JAVA_TOOL_OPTIONS|NODE_OPTIONS)$/.test(key) && /opentelemetry|dd-java-agent|elastic-apm/.test(value)),
  );
}

export default defineRule({
  id: 'tracing',
  meta: {
    item: 'tracing',
    description: 'Every service sets up distributed tracing (OpenTelemetry or an equivalent)',
    rationale: 'Without traces, a slow request across five services is a guess; with them, it is one view.',
    fix: 'Start the OpenTelemetry Node SDK before the app loads (`node --import ./instrumentation.js`), or configure an agent through OTEL_* variables; archkit services do both.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: { missing: '{{service}} sets up no tracing (no OpenTelemetry SDK in its source, no OTEL_* exporter in its environment)' },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      if (!service.source || service.source.files === 0) return; // not enough evidence: see assess
      if (service.source.tracing || tracedByEnvironment(service)) return;
      ctx.report({ messageId: 'missing', data: { service: service.name }, service: service.name, location: service.location });
    },
  }),
  assess: (model) => {
    const known = model.services.filter((s) => (s.source && s.source.files > 0) || tracedByEnvironment(s));
    const unknown = model.services.filter((s) => !known.includes(s));
    if (known.length === 0) return { status: 'unknown', evidence: 'no service has source or OTEL_* settings to show its tracing' };
    return unknown.length > 0
      ? { status: 'pass', evidence: `${known.length} service(s) traced; unknown for ${unknown.map((s) => s.name).join(', ')} (no source or OTEL_* settings)` }
      : { status: 'pass', evidence: `all ${known.length} service(s) set up tracing` };
  },
});
