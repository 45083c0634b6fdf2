/** `.env` / `.env.example` edits: add variables that are missing, keep every existing line. */
import type { Tree } from './tree.js';

export interface EnvVar {
  key: string;
  value: string;
  /** Comment line written above the variable. */
  comment?: string;
}

/** Keys assigned in a dotenv text (`KEY=value`, `export KEY=value`), in order. */
export function envKeys(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line) => assignedKey(line) ?? []);
}

/** Appends the variables whose keys are not assigned yet, under an optional section comment. */
export function ensureEnvVars(text: string, vars: readonly EnvVar[], section?: string): string {
  const present = new Set(envKeys(text));
  const missing = vars.filter((v) => !present.has(v.key));
  if (missing.length === 0) return text;
  const lines: string[] = [];
  if (section) lines.push(`# ${section.replace(/[\r\n]+/g, ' ')}`);
  for (const v of missing) {
    if (v.comment) lines.push(`# ${v.comment.replace(/[\r\n]+/g, ' ')}`);
    lines.push(`${v.key}=${v.value}`);
  }
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${base === '' ? '' : '\n'}${lines.join('\n')}\n`;
}

/** `ensureEnvVars` on a file of the tree: created when missing, written only when something was added. */
export function ensureEnvFile(tree: Pick<Tree, 'read' | 'write'>, file: string, vars: readonly EnvVar[], section?: string): void {
  const text = tree.read(file) ?? '';
  const next = ensureEnvVars(text, vars, section);
  if (next !== text) tree.write(file, next, { intent: text === '' ? 'generate' : 'edit' });
}

/** The key a dotenv line assigns (`KEY=…`, `export KEY=…`), if it assigns one. */
function assignedKey(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
  const eq = body.indexOf('=');
  return eq > 0 ? body.slice(0, eq).trim() : undefined;
}

/**
 * Removes the lines assigning `keys`, and a comment block left describing
 * nothing (comments directly above a removed line, with no assignment after
 * them before a blank line) with the blank line before it. Other lines stay.
 */
export function removeEnvVars(text: string, keys: readonly string[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const key = assignedKey(lines[i]!);
    if (key === undefined || !keys.includes(key)) {
      out.push(lines[i]!);
      continue;
    }
    const next = lines.slice(i + 1).find((line) => !keys.includes(assignedKey(line) ?? '\0'));
    const orphaned = next === undefined || next.trim() === '';
    if (!orphaned) continue;
    let start = out.length;
    while (start > 0 && out[start - 1]!.trim().startsWith('#')) start -= 1;
    if (start === out.length) continue;
    out.splice(start);
    if (start > 0 && out[start - 1]!.trim() === '') out.pop();
  }
  return out.join('\n');
}

/** `removeEnvVars` on a file of the tree, written only when something was removed; returns the keys that were there. */
export function removeEnvFileVars(tree: Pick<Tree, 'read' | 'write'>, file: string, keys: readonly string[]): string[] {
  const text = tree.read(file);
  if (text === undefined) return [];
  const present = envKeys(text).filter((key) => keys.includes(key));
  if (present.length > 0) tree.write(file, removeEnvVars(text, present), { intent: 'edit' });
  return present;
}
