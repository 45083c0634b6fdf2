/**
 * Inline suppressions, with a reason:
 *
 *   # arch-ignore no-shared-database: reporting reads the orders replica on purpose
 *   // arch-ignore no-circuit-breakers: health probe of a sidecar on localhost
 *
 * A comment suppresses findings of the named rule (or rules, comma-separated)
 * on its own line or on the line below. A comment without a reason suppresses
 * nothing and is reported, so every exception in a repository says why.
 */
import type { Finding } from './types.js';

const DIRECTIVE = /(?:#|\/\/|\/\*)\s*arch-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/;

export interface Directive {
  line: number;
  rules: string[];
  reason: string | null;
}

export function parseDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (match) out.push({ line: index + 1, rules: match[1]!.split(',').map((r) => r.trim()), reason: match[2]?.trim() || null });
  });
  return out;
}

/**
 * Drops suppressed findings. `read` returns a file's text (null when it cannot
 * be read); it is called once per file that has findings with a line.
 */
export function applySuppressions(findings: readonly Finding[], read: (file: string) => string | null): { kept: Finding[]; suppressed: number; missingReasons: Array<{ file: string; line: number; rules: string[] }> } {
  const directives = new Map<string, Directive[]>();
  const missingReasons: Array<{ file: string; line: number; rules: string[] }> = [];
  const forFile = (file: string) => {
    let list = directives.get(file);
    if (!list) {
      const text = read(file);
      list = text === null ? [] : parseDirectives(text);
      directives.set(file, list);
      for (const d of list) if (d.reason === null) missingReasons.push({ file, line: d.line, rules: d.rules });
    }
    return list;
  };
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    if (f.file === null || f.line === null) {
      kept.push(f);
      continue;
    }
    const hit = forFile(f.file).some((d) => d.reason !== null && d.rules.includes(f.ruleId) && (d.line === f.line || d.line === (f.line ?? 0) - 1));
    if (hit) suppressed++;
    else kept.push(f);
  }
  return { kept, suppressed, missingReasons };
}
