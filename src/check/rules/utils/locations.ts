import type { Location, Service } from '../../../model/types.js';

/** Where to point at a service as a whole: its compose entry, its Kubernetes workload, else where it was found. */
export function serviceLocation(service: Service): Location {
  if (service.compose) return { file: service.compose.file, line: service.compose.line };
  if (service.kubernetes) return { file: service.kubernetes.file, line: service.kubernetes.line };
  return service.location;
}

/** Services that are applications (not the gateway). */
export function applicationServices(services: readonly Service[]): Service[] {
  return services.filter((s) => !s.isGateway);
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
