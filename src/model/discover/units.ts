/** Compose services and Kubernetes workloads as deployment units, the shape the link step reads. */
import type { DeploymentUnit, Evidence, Setting } from '../facts.js';
import type { ComposeService, KubernetesWorkload } from '../types.js';

function settings(environment: Readonly<Record<string, string>>, file: string, line: number): Setting[] {
  return Object.entries(environment).map(([key, value]) => ({ key, value, profile: null, location: { file, line } }));
}

/** A published port whose host side is fixed (`8080:80`, `127.0.0.1:8080:80`), not an ephemeral one (`80`). */
const fixedHostPort = (port: string): boolean => /^(?:[^:]+:)?\d+(?:-\d+)?:\d+/.test(port.replace(/^\[[^\]]*\]:/, 'x:'));

export function composeUnit(cs: ComposeService): DeploymentUnit {
  const location = { file: cs.file, line: cs.line };
  const pins: Evidence[] = [];
  if (cs.containerName) pins.push({ what: `container_name: ${cs.containerName}`, location });
  for (const port of cs.ports) if (fixedHostPort(port)) pins.push({ what: `host port ${port}`, location });
  return {
    format: 'compose',
    name: cs.key,
    images: cs.image ? [cs.image] : [],
    build: cs.build !== null ? { context: cs.build, dockerfile: cs.dockerfile ?? null } : null,
    sourceDir: null,
    environment: settings(cs.environment, cs.file, cs.line),
    published: [...cs.ports],
    replicas: cs.replicas,
    autoscaling: false,
    health: cs.healthcheck ? [{ what: 'compose healthcheck', location }] : [],
    pins,
    location,
  };
}

export function kubernetesUnit(w: KubernetesWorkload): DeploymentUnit {
  const location = { file: w.file, line: w.line };
  const health: Evidence[] = [];
  if (w.probes.liveness) health.push({ what: 'livenessProbe', location });
  if (w.probes.readiness) health.push({ what: 'readinessProbe', location });
  if (w.probes.startup) health.push({ what: 'startupProbe', location });
  return {
    format: 'kubernetes',
    name: w.name,
    images: [...w.images],
    build: null,
    sourceDir: null,
    environment: settings(w.environment, w.file, w.line),
    published: w.exposedBy.filter((t) => t === 'NodePort' || t === 'LoadBalancer'),
    replicas: w.replicas,
    autoscaling: w.autoscaler !== null,
    health,
    pins: [],
    ...(w.serviceNames?.length ? { aliases: [...w.serviceNames] } : {}),
    location,
  };
}
