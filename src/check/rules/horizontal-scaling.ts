/** Horizontal scaling capability: replicas or autoscaling declared, and no local state that prevents it. */
import type { Service } from '../../model/types.js';
import { defineRule } from '../define-rule.js';
import { orchestratedDeployments } from './utils/evidence.js';
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
      for (const state of service.facts.localState) {
        ctx.report({ messageId: 'localState', data: { service: service.name, kind: state.kind.replace(/-/g, ' '), detail: state.detail }, service: service.name, location: state.location });
      }
      if (!service.compose && !service.kubernetes && !isOrchestrated(service)) return;
      if (isScaled(service)) return;
      // Where it runs in production: the orchestrator's deployment, when there is one beside a development compose file.
      const orchestrated = service.kubernetes ? { file: service.kubernetes.file, line: service.kubernetes.line } : orchestratedDeployments(service)[0]?.location;
      ctx.report({ messageId: 'singleInstance', data: { service: service.name }, service: service.name, location: orchestrated ?? serviceLocation(service) });
    },
  }),
  // Pass: the services run under an orchestrator (Kubernetes, Helm, Nomad) or declare replicas / autoscaling, and
  // keep no state in the process. Fail: state in the process, or the only deployment pins names or host ports.
  assess: (model) => {
    const state = model.services.filter((s) => s.facts.localState.length > 0);
    const stateText = state.map((s) => `${s.name} (${s.facts.localState[0]!.detail})`).join(', ');
    const orchestrated = model.services.filter(isOrchestrated);
    const scaled = model.services.filter(isScaled);
    // State in a process breaks a service that runs several copies, or that only a single-host deployment runs.
    const broken = state.filter((s) => isScaled(s) || !isOrchestrated(s));
    if (broken.length > 0) return { status: 'fail', evidence: `state kept in the process: ${broken.map((s) => `${s.name} (${s.facts.localState[0]!.detail})`).join(', ')}` };
    const caveat = state.length > 0 ? `; state kept in the process (reported, not yet scaled): ${stateText}` : '';
    if (scaled.length > 0) return { status: 'pass', evidence: `replicas or autoscaling declared for ${scaled.map((s) => s.name).join(', ')}${caveat}` };
    if (orchestrated.length > 0 && orchestrated.length * 2 >= model.services.length) {
      return {
        status: 'pass',
        evidence: `${orchestrated.length} of ${model.services.length} services run as orchestrated workloads (${[...new Set(orchestrated.flatMap((s) => s.deployments.map((d) => d.format)).filter((f) => f !== 'compose'))].join(', ') || 'kubernetes'})${caveat}`,
      };
    }
    const pinned = model.services.filter((s) => isPinned(s) && !isOrchestrated(s));
    if (pinned.length > 0) return { status: 'fail', evidence: `no orchestrator or replicas; pinned to one instance: ${pinned.map((s) => s.name).join(', ')}` };
    return { status: 'unknown', evidence: model.services.some((s) => s.compose || s.deployments.length > 0) ? 'deployments declare neither replicas nor pins' : 'no deployment file declares how services run' };
  },
});

function isOrchestrated(service: Service): boolean {
  return service.kubernetes !== null || orchestratedDeployments(service).length > 0;
}

function isScaled(service: Service): boolean {
  const k8s = service.kubernetes;
  return (
    (service.compose?.replicas ?? 0) > 1 ||
    (k8s?.replicas ?? 0) > 1 ||
    (k8s?.autoscaler?.max ?? 0) > 1 ||
    service.deployments.some((d) => (d.replicas ?? 0) > 1 || d.autoscaling)
  );
}

function isPinned(service: Service): boolean {
  return (service.compose?.ports.length ?? 0) > 0 || service.deployments.some((d) => d.pins.length > 0);
}
