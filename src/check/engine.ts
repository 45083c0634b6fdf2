/**
 * The check engine.
 *
 *   config (validated) → scan(root, { source: true }) → RepoModel
 *     → each enabled rule's create(ctx) → visitors
 *     → one walk: services, databases, channels, edges, then repo:exit
 *     → findings with configured severities
 *     → inline suppressions (`arch-ignore rule-id: reason`) → baseline
 *     → deterministic order → scorecard → CheckResult
 */
import type { Location, RepoModel } from '../model/types.js';
import type { ArchConfig } from './config.js';
import { formatMessage, type RuleDefinition, type RuleVisitors } from './define-rule.js';
import { rules as registry } from './rules/index.js';
import { buildScorecard } from './scorecard.js';
import type { CheckResult, Finding, RuleInfo, Severity } from './types.js';

export interface LoadedRule {
  rule: RuleDefinition;
  severity: Severity;
  options: object;
}

/** The enabled rules with their severity and merged options, in id order. */
export async function loadRules(config: ArchConfig): Promise<LoadedRule[]> {
  const out: LoadedRule[] = [];
  for (const [id, load] of Object.entries(registry)) {
    const setting = config.rules[id];
    const rule = await load();
    const level = Array.isArray(setting) ? setting[0] : setting;
    if (level === 'off' || (level === undefined && !rule.meta.recommended)) continue;
    const severity: Severity = level === 'warn' ? 'warning' : level === 'error' ? 'error' : rule.meta.defaultSeverity;
    const options = { ...rule.defaultOptions, ...(Array.isArray(setting) ? (setting[1] ?? {}) : {}) };
    out.push({ rule, severity, options });
  }
  return out;
}

export function ruleInfo(rule: RuleDefinition): RuleInfo {
  const { item, description, rationale, fix, defaultSeverity } = rule.meta;
  return { id: rule.id, item, description, rationale, fix, defaultSeverity };
}

/** Runs the rules over the model. Findings come back sorted; nothing is suppressed yet. */
export function runRules(model: RepoModel, loaded: readonly LoadedRule[]): Finding[] {
  const findings: Finding[] = [];
  const visitors: RuleVisitors[] = loaded.map(({ rule, severity, options }) =>
    rule.create({
      options,
      model,
      report({ messageId, data, service = null, location = null }) {
        const template = rule.messages[messageId];
        if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${messageId}"`);
        findings.push(toFinding(rule, severity, formatMessage(template, data), service, location));
      },
    }),
  );
  for (const v of visitors) for (const service of model.services) v.service?.(service);
  for (const v of visitors) for (const database of model.databases) v.database?.(database);
  for (const v of visitors) for (const channel of model.channels) v.channel?.(channel);
  for (const v of visitors) for (const edge of model.edges) v.edge?.(edge);
  for (const v of visitors) v['repo:exit']?.();
  return sortFindings(findings);
}

function toFinding(rule: RuleDefinition, severity: Severity, message: string, service: string | null, location: Location | null): Finding {
  return {
    ruleId: rule.id,
    severity,
    item: rule.meta.item,
    service,
    message,
    file: location?.file ?? null,
    line: location?.line ?? null,
    column: location?.column ?? null,
  };
}

const cmp = <T extends string | number | null>(a: T, b: T): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** Repository-wide findings first, then by file, line, column, rule and message: the same input always prints the same output. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.file, b.file) || cmp(a.line, b.line) || cmp(a.column, b.column) || cmp(a.ruleId, b.ruleId) || cmp(a.service, b.service) || cmp(a.message, b.message),
  );
}

export interface FilterCounts {
  suppressed: number;
  baselined: number;
}

/** Assembles the result reporters receive. The scorecard sees every finding (suppressed and baselined ones still exist). */
export function buildResult(model: RepoModel, loaded: readonly LoadedRule[], all: Finding[], kept: Finding[], counts: FilterCounts): CheckResult {
  const errors = kept.filter((f) => f.severity === 'error').length;
  return {
    version: 1,
    findings: kept,
    scorecard: buildScorecard(model, loaded, kept),
    services: model.services.map((s) => ({ name: s.name, dir: s.dir, origins: [...s.origins] })),
    rules: loaded.map(({ rule }) => ruleInfo(rule)),
    summary: {
      errors,
      warnings: kept.length - errors,
      suppressed: counts.suppressed,
      baselined: counts.baselined,
      files: model.files.compose.length + model.files.kubernetes.length + model.files.dockerfiles.length + model.files.packageJson.length + model.files.source,
    },
  };
}
