/**
 * Baselines let a legacy repository adopt `arch check` and fail only on new
 * findings. A finding matches a baseline entry by its fingerprint (see
 * `fingerprint` in engine.ts): rule, item, the service and entities it is
 * about, file and the text of its line — never the message, which lists other
 * services, nor the line number, which shifts with every edit above it. The
 * other fields of an entry are there for the people who review the file.
 */
import type { Finding } from './types.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  service: string | null;
  file: string | null;
  /** For reviewers only: not matched. */
  message: string;
}

export interface Baseline {
  version: 2;
  findings: BaselineEntry[];
}

export function createBaseline(findings: readonly Finding[]): Baseline {
  return { version: 2, findings: findings.map(({ fingerprint, ruleId, service, file, message }) => ({ fingerprint, ruleId, service, file, message })) };
}

/** Parses a baseline file; throws with a reason when it is not one this archkit reads. */
export function parseBaseline(text: string): Baseline {
  const data = JSON.parse(text) as { version?: unknown; findings?: unknown } | null;
  if (data?.version === 1) throw new Error('written by an earlier archkit, which matched findings by message; write it again with --update-baseline');
  if (data?.version !== 2 || !Array.isArray(data.findings)) throw new Error('not an archkit baseline (expected { "version": 2, "findings": [...] })');
  const bad = data.findings.findIndex((e: unknown) => typeof (e as Partial<BaselineEntry> | null)?.fingerprint !== 'string');
  if (bad >= 0) throw new Error(`/findings/${bad}: no "fingerprint"`);
  return data as Baseline;
}

/** Splits findings into new ones and the ones the baseline records. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; baselined: Finding[] } {
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  const kept: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) (known.has(f.fingerprint) ? baselined : kept).push(f);
  return { kept, baselined };
}
