/** Distributed tracing: services set up OpenTelemetry (or an equivalent) and export their traces. */
import type { RepoModel } from '../../model/types.js';
import { defineRule } from '../define-rule.js';
import { exportsTraces, tracingOf } from './utils/evidence.js';
import { serviceLocation } from './utils/locations.js';

export default defineRule({
  id: 'tracing',
  meta: {
    item: 'tracing',
    description: 'Every service sets up distributed tracing (OpenTelemetry or an equivalent) and traces are exported',
    rationale: 'Without traces, a slow request across five services is a guess; with them, it is one view.',
    fix: 'Start the OpenTelemetry SDK before the app loads (`node --import ./instrumentation.js`), or attach an agent (`-javaagent:opentelemetry-javaagent.jar`, OTEL_* variables), and point OTEL_EXPORTER_OTLP_ENDPOINT at a collector; archkit services do this.',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: {
    missing: '{{service}} sets up no tracing (no tracer in its code or dependencies, no OTEL_* or agent settings in its environment)',
    notExported: 'tracing is set up in {{services}} but no trace is exported (no exporter, collector or tracing endpoint configured)',
  },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      if (tracingOf(service).answer !== 'no') return;
      ctx.report({ messageId: 'missing', data: { service: service.name }, service: service.name, location: serviceLocation(service) });
    },
    'repo:exit'() {
      const traced = ctx.model.services.filter((s) => tracingOf(s).answer === 'yes');
      if (traced.length > 0 && !exported(ctx.model)) ctx.report({ messageId: 'notExported', data: { services: traced.map((s) => s.name).join(', ') } });
    },
  }),
  // Pass: at least half of the services whose evidence was read are traced, and traces go somewhere.
  assess: (model) => {
    const answers = model.services.map((s) => ({ s, a: tracingOf(s) }));
    const yes = answers.filter((x) => x.a.answer === 'yes');
    const known = answers.filter((x) => x.a.answer !== 'unknown');
    if (known.length === 0) return { status: 'unknown', evidence: 'no service has source, a build manifest or OTEL_* settings to show its tracing' };
    if (yes.length === 0) return { status: 'fail', evidence: `no tracing in ${known.map((x) => x.s.name).join(', ')}` };
    if (!exported(model)) return { status: 'fail', evidence: `tracing set up in ${yes.map((x) => x.s.name).join(', ')} but nothing exports traces` };
    if (yes.length * 2 < known.length) return { status: 'fail', evidence: `only ${yes.length} of ${known.length} services are traced (${yes.map((x) => x.s.name).join(', ')})` };
    const untraced = known.filter((x) => x.a.answer === 'no').map((x) => x.s.name);
    return { status: 'pass', evidence: `${yes.length} of ${known.length} services traced and exported${untraced.length ? `; not traced: ${untraced.join(', ')}` : ''}` };
  },
});

const TRACE_BACKENDS = /(^|\/)(opentelemetry-collector[\w-]*|otel[\w-]*|jaeger[\w-]*|all-in-one|zipkin[\w-]*|tempo|openzipkin[\w-]*|signoz[\w-]*|apm-server)(:|$)/i;

/** Traces leave the services: an exporter or endpoint somewhere, or a collector / trace backend deployed. */
function exported(model: RepoModel): boolean {
  return model.services.some((s) => exportsTraces(s).length > 0) || model.infrastructure.some((i) => i.role === 'observability' && i.image !== null && TRACE_BACKENDS.test(i.image.split('@')[0]!.split('/').slice(-1)[0]!));
}
