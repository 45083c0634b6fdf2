/** Health checks for all services: an HTTP endpoint, and a compose healthcheck or Kubernetes probes. */
import { defineRule } from '../define-rule.js';
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
    noComposeHealthcheck: '{{service}} has no healthcheck in {{file}} and its image declares no HEALTHCHECK',
    noProbes: '{{service}} ({{kind}} {{name}}) has no {{missing}} probe',
  },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      if (service.source && service.source.files > 0 && service.source.healthRoutes.length === 0) {
        ctx.report({ messageId: 'noEndpoint', data: { service: service.name }, service: service.name, location: service.location });
      }
      if (service.compose && !service.compose.healthcheck && !service.dockerfile?.healthcheck) {
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
  assess: (model) => {
    const checked = model.services.filter((s) => s.compose || s.kubernetes || s.source);
    return checked.length > 0
      ? { status: 'pass', evidence: `${checked.length} service(s) have health endpoints and checks` }
      : { status: 'unknown', evidence: 'no compose, Kubernetes or source facts about health' };
  },
});
