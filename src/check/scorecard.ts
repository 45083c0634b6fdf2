/**
 * The scorecard: the twelve checklist items, each pass / fail / unknown. Each
 * rule serving an item gives its verdict (`assess`, from the model and its
 * own findings that were kept: suppressed and baselined findings do not fail
 * an item); an item fails when any of its rules says fail, passes when one
 * says pass and none fail, and is unknown when none could tell (with what
 * was missing).
 */
import type { RepoModel } from '../model/types.js';
import type { Assessment } from './define-rule.js';
import type { AcceptedFindings, LoadedRule } from './engine.js';
import { ITEMS, type Finding, type ItemId, type ScorecardEntry } from './types.js';

/** Rules that also speak for another item than their own. */
const ALSO_SERVES: Readonly<Record<string, ItemId[]>> = {
  'circuit-breakers': ['no-circuit-breakers'],
  'no-circuit-breakers': ['circuit-breakers'],
  'no-shared-database': ['database-per-service'],
  'database-per-service': ['shared-database'],
};


const inServices = (findings: readonly Finding[]): string => {
  const services = [...new Set(findings.map((f) => f.service).filter((s): s is string => s !== null))];
  return services.length ? ` in ${services.join(', ')}` : '';
};

/** "2 baselined, 1 suppressed in orders" and the counts, for the findings of these rules that the team accepted. */
function acceptedOf(rules: readonly string[], accepted: AcceptedFindings): { text: string | null; counts: Pick<ScorecardEntry, 'suppressed' | 'baselined'> } {
  const suppressed = accepted.suppressed.filter((f) => rules.includes(f.ruleId));
  const baselined = accepted.baselined.filter((f) => rules.includes(f.ruleId));
  const parts = [baselined.length ? `${baselined.length} baselined` : '', suppressed.length ? `${suppressed.length} suppressed` : ''].filter(Boolean);
  const counts = { ...(suppressed.length ? { suppressed: suppressed.length } : {}), ...(baselined.length ? { baselined: baselined.length } : {}) };
  return { text: parts.length ? `${parts.join(', ')}${inServices([...baselined, ...suppressed])}` : null, counts };
}

/** `kept` are the findings left after suppressions and the baseline; `accepted` the ones those took away. */
export function buildScorecard(
  model: RepoModel,
  loaded: readonly LoadedRule[],
  kept: readonly Finding[],
  accepted: AcceptedFindings = { suppressed: [], baselined: [] },
): Record<ItemId, ScorecardEntry> {
  const out = {} as Record<ItemId, ScorecardEntry>;
  const verdicts = new Map<string, Assessment>();
  const verdict = ({ rule, options }: LoadedRule): Assessment => {
    let found = verdicts.get(rule.id);
    if (!found) {
      const own = kept.filter((f) => f.ruleId === rule.id);
      found = rule.assess
        ? rule.assess(model, options, own)
        : own.length > 0
          ? { status: 'fail', evidence: `${own.length} finding${own.length === 1 ? '' : 's'} of ${rule.id}` }
          : { status: 'pass', evidence: `${rule.id}: nothing found` };
      // What the team accepted (suppressed, baselined) fails nothing: with no finding of the rule left, it passes.
      const acceptedHere = accepted.suppressed.some((f) => f.ruleId === rule.id) || accepted.baselined.some((f) => f.ruleId === rule.id);
      if (found.status === 'fail' && own.length === 0 && acceptedHere) found = { status: 'pass', evidence: 'no new findings' };
      verdicts.set(rule.id, found);
    }
    return found;
  };
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
    // `pass` is the good side for every item (an anti-pattern passes when absent). A rule serving its own item
    // speaks first; one that also serves it (the item's mirror) only when the item's own rules cannot tell.
    const assessments = serving.map((loadedRule) => ({ own: loadedRule.rule.meta.item === item, a: verdict(loadedRule) }));
    const own = assessments.filter((x) => x.own && x.a.status !== 'unknown');
    const deciding = own.length > 0 ? own.map((x) => x.a) : assessments.map((x) => x.a);
    const { text: acceptedText, counts } = acceptedOf(rules, accepted);
    const evidence = (status: Assessment['status']) =>
      [...new Set(deciding.filter((a) => a.status === status).map((a) => a.evidence))].join('; ') + (acceptedText ? `; accepted: ${acceptedText}` : '');
    if (deciding.some((a) => a.status === 'fail')) out[item] = { status: 'fail', rules, evidence: evidence('fail'), ...counts };
    else if (deciding.some((a) => a.status === 'pass')) out[item] = { status: 'pass', rules, evidence: evidence('pass'), ...counts };
    else out[item] = { status: 'unknown', rules, evidence: [...new Set(assessments.map((x) => x.a.evidence))].join('; '), ...counts };
  }
  return out;
}
