/** JSON edits (package.json upserts) that keep key order and the file's indentation. */
import { stringifyJson } from './helpers.js';

export type JsonObject = Record<string, unknown>;

function detectIndent(text: string): string | number {
  const match = /^[ \t]+(?=")/m.exec(text);
  return match ? match[0] : 2;
}

/**
 * Parses `text`, lets `fn` mutate the object, and serialises it back with the
 * same indentation and a trailing newline. Throws with the file name on bad JSON.
 */
export function editJsonText(file: string, text: string, fn: (json: JsonObject) => void): string {
  let json: JsonObject;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    json = parsed as JsonObject;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  fn(json);
  return `${stringifyJson(json, detectIndent(text))}\n`;
}

/** Sets `json[section][name] = version` unless present; keeps the section sorted, as npm does. */
export function upsertDependency(json: JsonObject, section: 'dependencies' | 'devDependencies', name: string, version: string): void {
  const current = (json[section] as Record<string, string> | undefined) ?? {};
  if (current[name] !== undefined) return;
  const next: Record<string, string> = { ...current, [name]: version };
  json[section] = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Adds a value to an array property unless present. */
export function upsertArrayItem(json: JsonObject, key: string, item: string): void {
  const current = Array.isArray(json[key]) ? (json[key] as unknown[]) : [];
  if (!current.includes(item)) json[key] = [...current, item];
}
