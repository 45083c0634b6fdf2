/** Helpers shared by the reporters: grouping, locations, counts, the scorecard rows, text hygiene. */
import { ITEMS, ITEM_TITLES, type CheckResult, type Finding, type ItemId, type RuleInfo, type ScorecardEntry } from '../../types.js';

export interface FindingGroup {
  /** null: repository-wide findings. */
  service: string | null;
  findings: Finding[];
}

/**
 * Findings grouped by service: repository-wide findings first, then services by name.
 * The engine's order is kept inside each group.
 */
export function groupByService(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string | null, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.service);
    if (list) list.push(f);
    else groups.set(f.service, [f]);
  }
  const names = [...groups.keys()].filter((k): k is string => k !== null).sort(compare);
  const out: FindingGroup[] = [];
  const repo = groups.get(null);
  if (repo) out.push({ service: null, findings: repo });
  for (const name of names) out.push({ service: name, findings: groups.get(name)! });
  return out;
}

/** Plain code-unit order: the same on every machine and locale. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `file:line:col`, `file:line`, `file`, or '' for a finding without a file. */
export function location(f: Pick<Finding, 'file' | 'line' | 'column'>): string {
  if (f.file === null) return '';
  if (f.line === null) return f.file;
  return f.column === null ? `${f.file}:${f.line}` : `${f.file}:${f.line}:${f.column}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 problems (2 errors, 1 warning)". */
export function problems(summary: CheckResult['summary']): string {
  return `${plural(summary.errors + summary.warnings, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')})`;
}

/** "2 suppressed, 1 baselined", or '' when both are zero. */
export function silenced(summary: CheckResult['summary']): string {
  const parts: string[] = [];
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  if (summary.baselined > 0) parts.push(`${summary.baselined} baselined`);
  return parts.join(', ');
}

export interface ScorecardRow extends ScorecardEntry {
  id: ItemId;
  title: string;
}

/** The twelve checklist items in SPEC order, with a defensive `unknown` for an item the result lacks. */
export function scorecardRows(result: CheckResult): ScorecardRow[] {
  return ITEMS.map((id) => {
    const entry: ScorecardEntry | undefined = result.scorecard[id];
    return { id, title: ITEM_TITLES[id], ...(entry ?? { status: 'unknown', rules: [], evidence: 'not evaluated' }) };
  });
}

/** "8 pass, 2 fail, 2 unknown" (zero counts left out). */
export function scorecardTally(rows: readonly ScorecardRow[]): string {
  const count = (s: ScorecardEntry['status']) => rows.filter((r) => r.status === s).length;
  return (['pass', 'fail', 'unknown'] as const)
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

export function rulesById(rules: readonly RuleInfo[]): Map<string, RuleInfo> {
  return new Map(rules.map((r) => [r.id, r]));
}

/**
 * One line of terminal-safe text: line breaks become spaces and other control characters
 * (ANSI escapes from a hostile repository included) are shown as `\xNN`.
 */
export function oneLine(text: string): string {
  return visibleControls(text.replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' '));
}

/**
 * Control characters other than line breaks and tabs shown as `\xNN`, and invisible format characters
 * as `\uNNNN` (see `visibleFormatCharacters`), so that none reaches a terminal or a reader.
 */
export function visibleControls(text: string): string {
  return visibleFormatCharacters(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/**
 * Invisible format characters (Unicode category Cf): the bidirectional controls U+202A–U+202E and
 * U+2066–U+2069 that make text read differently from what it is (CVE-2021-42574, "Trojan Source"),
 * zero-width characters, the soft hyphen, U+FEFF, tag characters.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** Each invisible format character shown as `\u202E` (`\u{E0041}` past U+FFFF). */
export function visibleFormatCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTERS, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${hex(code, 4)}}` : `\\u${hex(code, 4)}`;
  });
}

/**
 * `JSON.stringify` with every invisible format character written as a JSON escape: the same data
 * for a program that parses it, and nothing invisible for a person who reads the file. (They can
 * only occur inside JSON strings, where the escape means the same character.)
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(FORMAT_CHARACTERS, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${hex(c.charCodeAt(i), 4).toLowerCase()}`;
    return out;
  });
}
