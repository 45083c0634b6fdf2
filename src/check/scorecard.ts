/**
 * The scorecard: the twelve checklist items, each pass / fail / unknown. An
 * item fails when any rule serving it found something (for an anti-pattern:
 * it is present); otherwise its rules' assessments decide between pass and
 * unknown (not enough evidence, and why). Findings the team accepted — an
 * `arch-ignore` comment with a reason, or the baseline — fail nothing: an
 * item whose findings were all accepted passes and says what was accepted.
 */
import type { RepoModel } from '../model/types.js';
import type { AcceptedFindings, LoadedRule } from './engine.js';
import { ITEMS, type Finding, type ItemId, type ScorecardEntry } from './types.js';

/** Rules that also speak for another item than their own. */
const ALSO_SERVES: Readonly<Record<string, ItemId[]>> = {
  'circuit-breakers': ['no-circuit-breakers'],
  'no-circuit-breakers': ['circuit-breakers'],
  'no-shared-database': ['database-per-service'],
};

const inServices = (findings: readonly Finding[]): string => {
  const services = [...new Set(findings.map((f) => f.service).filter((s): s is string => s !== null))];
  return services.length ? ` in ${services.join(', ')}` : '';
};

/** "2 baselined, 1 suppressed" and the counts, for the findings of these rules that were accepted. */
function acceptedOf(rules: readonly string[], accepted: AcceptedFindings): { text: string | null; counts: Pick<ScorecardEntry, 'suppressed' | 'baselined'> } {
  const suppressed = accepted.suppressed.filter((f) => rules.includes(f.ruleId));
  const baselined = accepted.baselined.filter((f) => rules.includes(f.ruleId));
  const parts = [baselined.length ? `${baselined.length} baselined` : '', suppressed.length ? `${suppressed.length} suppressed` : ''].filter(Boolean);
  const counts = { ...(suppressed.length ? { suppressed: suppressed.length } : {}), ...(baselined.length ? { baselined: baselined.length } : {}) };
  return { text: parts.length ? `${parts.join(', ')}${inServices([...baselined, ...suppressed])}` : null, counts };
}

/** `findings` are the ones left after suppressions and the baseline; `accepted` the ones those took away. */
export function buildScorecard(model: RepoModel, loaded: readonly LoadedRule[], findings: readonly Finding[], accepted: AcceptedFindings = { suppressed: [], baselined: [] }): Record<ItemId, ScorecardEntry> {
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
    const { text: acceptedText, counts } = acceptedOf(rules, accepted);
    if (hits.length > 0) {
      out[item] = {
        status: 'fail',
        rules,
        evidence: `${hits.length} finding${hits.length === 1 ? '' : 's'}${inServices(hits)}${acceptedText ? `; accepted: ${acceptedText}` : ''}`,
        ...counts,
      };
      continue;
    }
    if (acceptedText) {
      // Rules assess an item only when they found nothing; these found what the team accepted, so say that instead.
      out[item] = { status: 'pass', rules, evidence: `no new findings; accepted: ${acceptedText}`, ...counts };
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
