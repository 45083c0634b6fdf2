/** Each service's facts as the JSON report and `--explain` show them: what the verdicts rest on, with where. */
import type { RepoModel, Service } from '../model/types.js';
import { breakersOf, brokersOf, callGuarded, callsBetweenServices, healthOf, tracingOf } from './rules/utils/evidence.js';
import type { ServiceSummary } from './types.js';

const at = (location: { file: string; line?: number }): string => (location.line ? `${location.file}:${location.line}` : location.file);

export function serviceSummary(service: Service, model: RepoModel): ServiceSummary {
  return {
    name: service.name,
    dir: service.dir,
    origins: [...service.origins],
    language: service.language,
    sourceFiles: service.facts.sourceFiles,
    manifestRead: service.facts.manifestRead,
    databases: [...service.databases],
    health: healthOf(service),
    tracing: tracingOf(service),
    breakers: breakersOf(service, model),
    brokers: brokersOf(service).brokers,
    syncCalls: callsBetweenServices(service, model).map((c) => ({ to: c.target!, at: at(c.location), inLoop: c.inLoop, breaker: callGuarded(c, service) })),
    deployments: service.deployments.map((d) => ({ format: d.format, name: d.name, at: at(d.location) })),
    localState: service.facts.localState.map((l) => `${l.detail} (${at(l.location)})`),
  };
}
