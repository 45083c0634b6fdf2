/**
 * `arch check --explain <item>`: the verdict of one checklist item, then, per service, the facts and files it
 * rests on — so that a wrong verdict can be traced to a wrong (or missing) fact. Plain text, no colour.
 */
import { ITEM_TITLES, type CheckResult, type FactAnswer, type ItemId, type ServiceSummary } from './types.js';

const answer = (a: FactAnswer): string => `${a.answer}${a.evidence.length ? `: ${a.evidence.slice(0, 3).join('; ')}${a.evidence.length > 3 ? `; +${a.evidence.length - 3} more` : ''}` : ''}`;
const list = (items: readonly string[], none: string): string => (items.length ? items.join('; ') : none);
const calls = (s: ServiceSummary): string =>
  list(
    s.syncCalls.map((c) => `${c.to} (${c.at}${c.inLoop ? ', per item' : ''}${c.breaker ? ', behind a breaker' : ''})`),
    'no call to another service found',
  );
const code = (s: ServiceSummary): string => `${s.language}, ${s.sourceFiles} source file${s.sourceFiles === 1 ? '' : 's'} read${s.manifestRead ? ', build manifest read' : ''}`;

/** The lines of facts one service shows for an item. */
function factsFor(item: ItemId, s: ServiceSummary): string[] {
  switch (item) {
    case 'health-checks':
      return [`health: ${answer(s.health)}`];
    case 'tracing':
      return [`tracing: ${answer(s.tracing)}`];
    case 'circuit-breakers':
    case 'no-circuit-breakers':
      return [`calls: ${calls(s)}`, `breakers: ${list(s.breakers, 'none found')}`];
    case 'database-per-service':
    case 'shared-database':
      return [`databases: ${list(s.databases, 'no connection setting found')}`];
    case 'event-driven':
      return [`brokers: ${list(s.brokers, 'none used in its code or dependencies')}`];
    case 'distributed-monolith':
    case 'chatty-services':
      return [`calls: ${calls(s)}`];
    case 'horizontal-scaling':
      return [`deployments: ${list(s.deployments.map((d) => `${d.format} ${d.name} (${d.at})`), 'none')}`, `state in the process: ${list(s.localState, 'none found')}`];
    case 'api-gateway':
      return [`deployments: ${list(s.deployments.map((d) => `${d.format} ${d.name} (${d.at})`), 'none')}`];
    case 'service-boundaries':
      return [`folder: ${s.dir ?? 'none found'}`];
  }
}

export function explain(result: CheckResult, item: ItemId): string {
  const entry = result.scorecard[item];
  const out = [`${ITEM_TITLES[item]}: ${entry.status}`, `  ${entry.evidence}`, ''];
  if (item === 'api-gateway') {
    for (const g of result.gateways ?? []) out.push(`gateway ${g.name} (${g.implementation}${g.service ? ', a service of the repository' : ''}): routes to ${list(g.routesTo, 'no service found')}`);
    const proxies = (result.infrastructure ?? []).filter((i) => i.role === 'gateway');
    for (const p of proxies) out.push(`proxy ${p.name}: ${p.reason ?? ''}`);
    if ((result.gateways ?? []).length + proxies.length > 0) out.push('');
  }
  for (const s of result.services) {
    out.push(`${s.name} (${s.dir ?? 'no source folder'}; ${code(s)})`);
    for (const line of factsFor(item, s)) out.push(`  ${line}`);
  }
  const findings = result.findings.filter((f) => f.item === item);
  if (findings.length > 0) {
    out.push('', `findings (${findings.length}):`);
    for (const f of findings) out.push(`  ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''} ` : ''}${f.message} (${f.ruleId})`);
  }
  return `${out.join('\n')}\n`;
}
