/**
 * Baselines let a legacy repository adopt `arch check` and fail only on new
 * findings. A finding matches a baseline entry by rule, service, file and
 * message — not by line, so edits elsewhere in a file do not resurrect it —
 * and each entry matches at most as many findings as it counts.
 */
import type { Finding } from './types.js';

export interface Baseline {
  version: 1;
  findings: Array<{ ruleId: string; service: string | null; file: string | null; message: string; count: number }>;
}

const key = (f: { ruleId: string; service: string | null; file: string | null; message: string }) => JSON.stringify([f.ruleId, f.service, f.file, f.message]);

export function createBaseline(findings: readonly Finding[]): Baseline {
  const counts = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) {
    const k = key(f);
    const entry = counts.get(k);
    if (entry) entry.count++;
    else counts.set(k, { ruleId: f.ruleId, service: f.service, file: f.file, message: f.message, count: 1 });
  }
  return { version: 1, findings: [...counts.values()] };
}

export function parseBaseline(text: string): Baseline {
  const data = JSON.parse(text) as Partial<Baseline>;
  if (data.version !== 1 || !Array.isArray(data.findings)) throw new Error('not an archkit baseline (expected { "version": 1, "findings": [...] })');
  return data as Baseline;
}

/** Splits findings into new ones and ones the baseline already knows. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; baselined: number } {
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) remaining.set(key(entry), (remaining.get(key(entry)) ?? 0) + (entry.count ?? 1));
  const kept: Finding[] = [];
  let baselined = 0;
  for (const f of findings) {
    const k = key(f);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      baselined++;
    } else kept.push(f);
  }
  return { kept, baselined };
}
