/** API gateway configured: one door in front of the services, which are not published directly. */
import type { Service } from '../../model/types.js';
import { defineRule } from '../define-rule.js';
import { orchestratedDeployments } from './utils/evidence.js';
import { applicationServices, serviceLocation } from './utils/locations.js';

export default defineRule({
  id: 'api-gateway',
  meta: {
    item: 'api-gateway',
    description: 'A gateway fronts the services, and only the gateway is published',
    rationale: 'Without one door, every service handles authentication, rate limits and TLS on its own, and clients couple to the internal topology.',
    fix: 'Add a gateway (`npx arch add-gateway`, or declare yours as `gateway` in arch.config.json) and remove published ports / LoadBalancer and NodePort Services from the services behind it.',
    defaultSeverity: 'error',
    recommended: true,
  },
  messages: {
    noGateway: '{{published}} published directly and no API gateway fronts the {{count}} services',
    publishedCompose: '{{service}} publishes port {{ports}} directly instead of being reached through the gateway',
    publishedKubernetes: '{{service}} is exposed by a {{types}} Service directly instead of through the gateway',
  },
  defaultOptions: { minServices: 2 },
  schema: { type: 'object', additionalProperties: false, properties: { minServices: { type: 'integer', minimum: 1 } } },
  create: (ctx) => {
    const apps = applicationServices(ctx.model.services);
    // A proxy deployed beside the services (kong, nginx, envoy…) is a door too, configured or not.
    const proxied = ctx.model.gateways.length > 0 || ctx.model.infrastructure.some((i) => i.role === 'gateway');
    const relevant = apps.length >= ctx.options.minServices || ctx.model.gateway !== null || proxied;
    const published = apps.filter(isPublished);
    return {
      service(service) {
        if (!relevant || service.isGateway) return;
        const ports = service.compose?.ports ?? [];
        // Ports a development compose file publishes beside an orchestrated deployment that does not publish the service.
        const orchestrated = orchestratedDeployments(service);
        const devOnly = orchestrated.length > 0 && orchestrated.every((d) => d.published.length === 0) && !isPublishedByKubernetes(service);
        if (ports.length > 0 && !devOnly) {
          ctx.report({ messageId: 'publishedCompose', data: { service: service.name, ports: ports.join(', ') }, service: service.name, location: serviceLocation(service) });
        }
        const types = (service.kubernetes?.exposedBy ?? []).filter((t) => t === 'LoadBalancer' || t === 'NodePort');
        if (types.length > 0) {
          ctx.report({ messageId: 'publishedKubernetes', data: { service: service.name, types: [...new Set(types)].join(' / ') }, service: service.name, location: serviceLocation(service) });
        }
      },
      'repo:exit'() {
        // Services nobody outside can reach need no door yet; published ones do.
        if (ctx.model.gateway === null && !proxied && apps.length >= ctx.options.minServices && published.length > 0) {
          ctx.report({ messageId: 'noGateway', data: { count: apps.length, published: published.map((s) => s.name).join(', ') } });
        }
      },
    };
  },
  // Pass: a gateway routes to the services (a first-party gateway, or a configured proxy routing to two or more).
  // Fail: no gateway, and services are published directly. Unknown: no gateway and nothing published, or a proxy
  // whose routes reach fewer than two services (a front end's edge, or routes not resolved).
  assess: (model, options) => {
    const apps = applicationServices(model.services);
    if (apps.length < options.minServices && model.gateways.length === 0 && model.gateway === null) return { status: 'pass', evidence: 'a single service needs no gateway' };
    const routing = model.gateways.map((g) => ({ g, targets: [...new Set(g.routes.map((r) => r.target).filter((t): t is string => t !== null && t !== g.service))].sort() }));
    const wide = routing.find((x) => x.targets.length >= Math.min(2, apps.length));
    if (wide) return { status: 'pass', evidence: `${wide.g.name} (${wide.g.implementation}) routes to ${wide.targets.join(', ')}` };
    const firstParty = model.gateway ?? routing.find((x) => x.g.service !== null)?.g.service ?? null;
    if (firstParty !== null) return { status: 'pass', evidence: `${firstParty === 'gateway' ? 'the gateway' : `gateway ${firstParty}`} fronts ${apps.length} services` };
    const published = apps.filter(isPublished);
    if (published.length > 0) return { status: 'fail', evidence: `no gateway; published directly: ${published.map((s) => s.name).join(', ')}` };
    if (routing.length > 0) return { status: 'unknown', evidence: `${routing.map((x) => x.g.name).join(', ')} route to ${routing.flatMap((x) => x.targets).join(', ') || 'no service found'}` };
    return { status: 'unknown', evidence: 'no gateway, and no service is published' };
  },
});

function isPublishedByKubernetes(service: Service): boolean {
  const types = service.kubernetes?.exposedBy ?? [];
  return types.includes('LoadBalancer') || types.includes('NodePort');
}

function isPublished(service: Service): boolean {
  const types = service.kubernetes?.exposedBy ?? [];
  return (
    (service.compose?.ports.length ?? 0) > 0 ||
    types.includes('LoadBalancer') ||
    types.includes('NodePort') ||
    (service.kubernetes?.routedBy.length ?? 0) > 0 ||
    service.deployments.some((d) => d.published.length > 0)
  );
}
