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
  const keys: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const eq = body.indexOf('=');
    if (eq > 0) keys.push(body.slice(0, eq).trim());
  }
  return keys;
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
