/**
 * The check engine.
 *
 *   config (validated) → scan(root, { source: true }) → RepoModel
 *     → each enabled rule's create(ctx) → visitors
 *     → one walk: services, databases, channels, edges, then repo:exit
 *     → findings with configured severities and stable fingerprints
 *     → inline suppressions (`arch-ignore rule-id: reason`) → baseline (by fingerprint)
 *     → deterministic order → scorecard (suppressed and baselined findings do not fail an item) → CheckResult
 */
import { createHash } from 'node:crypto';
import type { Location, RepoModel } from '../model/types.js';
import type { ArchConfig } from './config.js';
import { formatMessage, type Report, type RuleDefinition, type RuleVisitors } from './define-rule.js';
import { rules as registry } from './rules/index.js';
import { buildScorecard } from './scorecard.js';
import { serviceSummary } from './summary.js';
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

/**
 * The text of line `line` (1-based) of a repository file, or null when it
 * cannot be read. Fingerprints use it as the finding's location, so that a
 * finding keeps its fingerprint when lines above it come or go.
 */
export type LineText = (file: string, line: number) => string | null;

/** Runs the rules over the model. Findings come back sorted and fingerprinted; nothing is suppressed yet. */
export function runRules(model: RepoModel, loaded: readonly LoadedRule[], lineText: LineText = () => null): Finding[] {
  const findings: Finding[] = [];
  const visitors: RuleVisitors[] = loaded.map(({ rule, severity, options }) =>
    rule.create({
      options,
      model,
      report: (report) => void findings.push(createFinding(rule, severity, report, lineText)),
    }),
  );
  for (const v of visitors) for (const service of model.services) v.service?.(service);
  for (const v of visitors) for (const database of model.databases) v.database?.(database);
  for (const v of visitors) for (const channel of model.channels) v.channel?.(channel);
  for (const v of visitors) for (const edge of model.edges) v.edge?.(edge);
  for (const v of visitors) v['repo:exit']?.();
  return numberDuplicates(sortFindings(findings));
}

/** A finding as a rule reports it: message from its template, fingerprint from what identifies it. */
export function createFinding(rule: RuleDefinition, severity: Severity, report: Report<string>, lineText: LineText): Finding {
  const { messageId, data = {}, service = null, location = null } = report;
  const template = rule.messages[messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${messageId}"`);
  const file = location?.file ?? null;
  const line = location?.line ?? null;
  return {
    ruleId: rule.id,
    severity,
    item: rule.meta.item,
    service,
    message: formatMessage(template, data),
    file,
    line,
    column: location?.column ?? null,
    fingerprint: fingerprint({ ruleId: rule.id, item: rule.meta.item, messageId, service, file, data, lineText: file !== null && line !== null ? lineText(file, line) : null }),
  };
}

/**
 * Placeholders that name what a finding is about (the service, the other
 * service of a pair, the database, topic, library, workload …): part of the
 * fingerprint. Every other placeholder — counts, limits, lists of services,
 * ports, details — changes as the rest of the repository changes (a service
 * added to the list of those without a gateway), so it is left out, as is the
 * message prose. A test keeps every rule's placeholders in one of the two sets.
 */
export const IDENTITY_PLACEHOLDERS: ReadonlySet<string> = new Set(['service', 'target', 'from', 'to', 'database', 'broker', 'channel', 'library', 'dir', 'specifier', 'method', 'kind', 'name', 'file', 'path']);
export const VOLATILE_PLACEHOLDERS: ReadonlySet<string> = new Set(['count', 'published', 'ports', 'types', 'calls', 'limit', 'clients', 'databases', 'producers', 'consumers', 'edges', 'services', 'missing', 'detail', 'message', 'rules', 'targets']);

/**
 * Findings (`rule/messageId`) about a whole service, pair, topic or database whose location is only an example
 * of it — the first call of a service without any breaker, the first call between a chatty pair, the first
 * producer of a topic nobody consumes. A call added above that example moves it, so their fingerprint leaves
 * file and line out: what they name identifies them. Every other location is the finding's own place.
 */
export const EXAMPLE_LOCATIONS: ReadonlySet<string> = new Set([
  'chatty-services/tooMany',
  'circuit-breakers/none',
  'event-driven/noConsumer',
  'event-driven/noProducer',
  'no-shared-database/shared',
  'no-sync-cycles/allToAll',
  'no-sync-cycles/cycle',
]);

/**
 * A finding's stable fingerprint: rule, checklist item, message id, the service
 * and the entities it names, the file, and the finding's line as text with
 * its whitespace collapsed (not its number, which shifts with every edit
 * above it; neither for `EXAMPLE_LOCATIONS`). The baseline matches on it;
 * SARIF and GitLab reports carry it.
 */
export function fingerprint(parts: {
  ruleId: string;
  item: string | null;
  messageId: string;
  service: string | null;
  file: string | null;
  data: Readonly<Record<string, string | number>>;
  lineText: string | null;
}): string {
  const identity = Object.keys(parts.data)
    .filter((k) => IDENTITY_PLACEHOLDERS.has(k))
    .sort()
    .map((k) => [k, String(parts.data[k])]);
  const example = EXAMPLE_LOCATIONS.has(`${parts.ruleId}/${parts.messageId}`);
  const file = example ? null : parts.file;
  const line = example || parts.lineText === null ? null : parts.lineText.trim().replace(/\s+/g, ' ');
  const text = JSON.stringify([parts.ruleId, parts.item, parts.messageId, parts.service, file, identity, line]);
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

/**
 * Findings that share a fingerprint (the same call twice on identical lines of
 * one file) get `:2`, `:3` … in output order, so every fingerprint of a run is
 * unique (code scanning and GitLab need that) and a baseline counts them.
 * Idempotent: unique fingerprints are left as they are.
 */
export function numberDuplicates(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    if (n > 1) f.fingerprint = `${f.fingerprint}:${n}`;
  }
  return findings;
}

const cmp = <T extends string | number | null>(a: T, b: T): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** Repository-wide findings first, then by file, line, column, rule and message: the same input always prints the same output. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.file, b.file) || cmp(a.line, b.line) || cmp(a.column, b.column) || cmp(a.ruleId, b.ruleId) || cmp(a.service, b.service) || cmp(a.message, b.message),
  );
}

/** Findings that exist but were accepted: silenced by an `arch-ignore` comment, or recorded in the baseline. */
export interface AcceptedFindings {
  suppressed: readonly Finding[];
  baselined: readonly Finding[];
}

/** Assembles the result reporters receive. Accepted findings are counted, and shown in the scorecard, but fail nothing. */
export function buildResult(model: RepoModel, loaded: readonly LoadedRule[], kept: Finding[], accepted: AcceptedFindings): CheckResult {
  const errors = kept.filter((f) => f.severity === 'error').length;
  return {
    version: 1,
    findings: kept,
    scorecard: buildScorecard(model, loaded, kept, accepted),
    services: model.services.map((s) => serviceSummary(s, model)),
    gateways: model.gateways.map((g) => ({ name: g.name, implementation: g.implementation, service: g.service, routesTo: [...new Set(g.routes.flatMap((r) => (r.target ? [r.target] : [])))].sort() })),
    infrastructure: model.infrastructure.map((i) => ({ name: i.key, role: i.role, reason: i.reason ?? null })),
    rules: loaded.map(({ rule }) => ruleInfo(rule)),
    summary: {
      errors,
      warnings: kept.length - errors,
      suppressed: accepted.suppressed.length,
      baselined: accepted.baselined.length,
      files: model.files.compose.length + model.files.kubernetes.length + model.files.dockerfiles.length + model.files.packageJson.length + model.files.source,
    },
  };
}
