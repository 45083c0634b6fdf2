import type { OutboundCall, RepoModel, Service } from '../../../model/types.js';

/** Outbound calls of a service to another known service (or to a URL that names no known service but is not local). */
export function serviceCalls(service: Service, model: RepoModel): OutboundCall[] {
  return (service.source?.calls ?? []).filter((c) => c.target !== null && c.target !== service.name && model.services.some((s) => s.name === c.target));
}

export const usesBreakers = (service: Service) => (service.source?.calls ?? []).some((c) => c.breaker);
