/** Horizontal scaling capability: replicas or autoscaling declared, and no local state that prevents it. */
import { defineRule } from '../define-rule.js';
import { serviceLocation } from './utils/locations.js';

export default defineRule({
  id: 'horizontal-scaling',
  meta: {
    item: 'horizontal-scaling',
    description: 'Services declare replicas or autoscaling and keep no state in the process',
    rationale: 'A service that runs once, or keeps sessions and files locally, cannot absorb load or survive the loss of its one instance.',
    fix: 'Declare `deploy.replicas` (compose) or `replicas` / a HorizontalPodAutoscaler (Kubernetes), and move sessions and files to a shared store (Redis, object storage, the database).',
    defaultSeverity: 'warning',
    recommended: true,
  },
  messages: {
    singleInstance: '{{service}} runs as a single instance: no replicas or autoscaling declared',
    localState: '{{service}} keeps {{kind}} in the process ({{detail}}), which breaks with more than one replica',
  },
  defaultOptions: {},
  create: (ctx) => ({
    service(service) {
      for (const state of service.source?.localState ?? []) {
        ctx.report({ messageId: 'localState', data: { service: service.name, kind: state.kind.replace(/-/g, ' '), detail: state.detail }, service: service.name, location: state.location });
      }
      if (!service.compose && !service.kubernetes) return;
      const k8s = service.kubernetes;
      const scaled = (service.compose?.replicas ?? 0) > 1 || (k8s?.replicas ?? 0) > 1 || (k8s?.autoscaler?.max ?? 0) > 1;
      if (!scaled) ctx.report({ messageId: 'singleInstance', data: { service: service.name }, service: service.name, location: serviceLocation(service) });
    },
  }),
  assess: (model) =>
    model.services.some((s) => s.compose || s.kubernetes)
      ? { status: 'pass', evidence: 'every deployed service declares replicas or autoscaling' }
      : { status: 'unknown', evidence: 'no compose or Kubernetes manifests declare how services run' },
});
