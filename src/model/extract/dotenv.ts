/**
 * Dotenv files (`.env`, `.env.production`, `config/app.env`): their variables as settings of the service whose
 * folder holds them, the variant as the profile (`.env.production` → `production`). `.env.example` and
 * `.env.sample` stand for the git-ignored `.env` of a fresh clone (no profile). Values are not interpolated
 * across files here; `${VAR}` inside a file is expanded from the lines above it, as dotenv-expand does.
 */
import type { Setting } from '../facts.js';
import { defineExtractor } from './define-extractor.js';
import { parseEnv } from './env.js';

/** The profile a dotenv file name gives; undefined when the file is not a dotenv file. */
export function dotenvProfile(lower: string): string | null | undefined {
  if (lower === '.env') return null;
  if (lower.startsWith('.env.')) {
    const variant = lower.slice(5);
    return variant === 'example' || variant === 'sample' || variant === 'template' || variant === 'dist' || variant === 'defaults' ? null : variant.replace(/\.local$/, '');
  }
  if (lower.endsWith('.env') && lower.length > 4) return null;
  return undefined;
}

export default defineExtractor({
  id: 'dotenv',
  description: 'Dotenv files: their variables as settings of the service that holds them, the variant as the profile',
  accepts: (file) => dotenvProfile(file.lower) !== undefined,
  extract({ path, text }) {
    const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    const profile = dotenvProfile(base) ?? null;
    const values = parseEnv(text);
    const lines = text.split(/\r?\n/);
    const lineOf = new Map<string, number>();
    for (let i = 0; i < lines.length; i++) {
      const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(lines[i]!);
      if (match && !lineOf.has(match[1]!)) lineOf.set(match[1]!, i + 1);
    }
    const settings: Setting[] = Object.entries(values).map(([key, value]) => ({ key, value, profile, location: { file: path, line: lineOf.get(key) ?? 1 } }));
    return settings.length > 0 ? { settings } : null;
  },
});
