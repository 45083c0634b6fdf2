/** Health checks for all services: an HTTP endpoint, and a compose healthcheck or Kubernetes probes. */
import { defineRule } from '../define-rule.js';
import { healthOf, orchestratedDeployments } from './utils/evidence.js';
import { serviceLocation } from './utils/locations.js';

export default defineRule({
  id: 'health-checks',
  meta: {
    item: 'health-checks',
    description: 'Every service has a health endpoint and a compose healthcheck or Kubernetes probes',
    rationale: 'Orchestrators restart and route by health: without checks, a hung instance keeps receiving traffic and `depends_on` starts dependents too early.',
    fix: 'Serve `/health/live` and `/health/ready`, add a `healthcheck:` to the compose service (or a Dockerfile HEALTHCHECK), and liveness/readiness probes to the Kubernetes workload.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: {
    noEndpoint: '{{service}} serves no health endpoint (/health, /healthz, /ready, /live…)',
    noHealth: '{{service}} has no health check: no health endpoint in its code or dependencies, no healthcheck or probe in its deployment',
    noComposeHealthcheck: '{{service}} has no healthcheck in {{file}} and its image declares no HEALTHCHECK',
    noProbes: '{{service}} ({{kind}} {{name}}) has no {{missing}} probe',
  },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      const health = healthOf(service);
      if (health.answer === 'no') {
        ctx.report({ messageId: 'noHealth', data: { service: service.name }, service: service.name, location: serviceLocation(service) });
        return;
      }
      if (service.source && service.source.files > 0 && service.source.healthRoutes.length === 0 && service.facts.health.length === 0 && !service.facts.capabilities.some((h) => h.capability.kind === 'health')) {
        ctx.report({ messageId: 'noEndpoint', data: { service: service.name }, service: service.name, location: service.location });
      }
      // A compose file beside an orchestrator's deployment that checks the service is the developer's set-up: the
      // probes where it runs in production are what count.
      const orchestratedCheck = orchestratedDeployments(service).some((d) => d.health.length > 0);
      if (service.compose && !service.compose.healthcheck && !service.dockerfile?.healthcheck && !orchestratedCheck) {
        ctx.report({ messageId: 'noComposeHealthcheck', data: { service: service.name, file: service.compose.file }, service: service.name, location: serviceLocation(service) });
      }
      const k8s = service.kubernetes;
      if (k8s) {
        const missing = [!k8s.probes.liveness && 'liveness', !k8s.probes.readiness && 'readiness'].filter(Boolean);
        if (missing.length > 0) {
          ctx.report({ messageId: 'noProbes', data: { service: service.name, kind: k8s.kind, name: k8s.name, missing: missing.join(' or ') }, service: service.name, location: { file: k8s.file, line: k8s.line } });
        }
      }
    },
  }),
  // Every service has a health check (its own endpoint, a framework's, or a deployment's probe / healthcheck).
  assess: (model) => {
    const answers = model.services.map((s) => ({ s, a: healthOf(s) }));
    const missing = answers.filter((x) => x.a.answer === 'no').map((x) => x.s.name);
    const unknown = answers.filter((x) => x.a.answer === 'unknown').map((x) => x.s.name);
    if (missing.length > 0) return { status: 'fail', evidence: `no health check for ${missing.join(', ')}` };
    if (unknown.length > 0) return { status: 'unknown', evidence: `health unknown for ${unknown.join(', ')} (no source, manifest or deployment check to read)` };
    return { status: 'pass', evidence: `all ${answers.length} services have a health check (${answers[0]?.a.evidence[0] ?? ''}…)` };
  },
});
