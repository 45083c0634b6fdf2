/**
 * The scorecard: the twelve checklist items, each pass / fail / unknown. An
 * item fails when any rule serving it found something (for an anti-pattern:
 * it is present); otherwise its rules' assessments decide between pass and
 * unknown (not enough evidence, and why).
 */
import type { RepoModel } from '../model/types.js';
import type { LoadedRule } from './engine.js';
import { ITEMS, type Finding, type ItemId, type ScorecardEntry } from './types.js';

/** Rules that also speak for another item than their own. */
const ALSO_SERVES: Readonly<Record<string, ItemId[]>> = {
  'circuit-breakers': ['no-circuit-breakers'],
  'no-circuit-breakers': ['circuit-breakers'],
  'no-shared-database': ['database-per-service'],
};

export function buildScorecard(model: RepoModel, loaded: readonly LoadedRule[], findings: readonly Finding[]): Record<ItemId, ScorecardEntry> {
  const out = {} as Record<ItemId, ScorecardEntry>;
  for (const item of ITEMS) {
    const serving = loaded.filter(({ rule }) => rule.meta.item === item || ALSO_SERVES[rule.id]?.includes(item));
    const rules = serving.map(({ rule }) => rule.id);
    if (serving.length === 0) {
      out[item] = { status: 'unknown', rules, evidence: 'no enabled rule checks this item' };
      continue;
    }
    if (model.services.length === 0) {
      out[item] = { status: 'unknown', rules, evidence: 'no services found' };
      continue;
    }
    const hits = findings.filter((f) => rules.includes(f.ruleId));
    if (hits.length > 0) {
      const services = [...new Set(hits.map((f) => f.service).filter((s): s is string => s !== null))];
      out[item] = {
        status: 'fail',
        rules,
        evidence: `${hits.length} finding${hits.length === 1 ? '' : 's'}${services.length ? ` in ${services.join(', ')}` : ''}`,
      };
      continue;
    }
    const assessments = serving.map(({ rule, options }) => rule.assess?.(model, options) ?? { status: 'pass' as const, evidence: `${rule.id}: nothing found` });
    const unknown = assessments.filter((a) => a.status === 'unknown');
    out[item] =
      unknown.length === assessments.length
        ? { status: 'unknown', rules, evidence: [...new Set(unknown.map((a) => a.evidence))].join('; ') }
        : { status: 'pass', rules, evidence: [...new Set(assessments.filter((a) => a.status === 'pass').map((a) => a.evidence))].join('; ') };
  }
  return out;
}
