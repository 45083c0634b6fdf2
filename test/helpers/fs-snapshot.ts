import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (relative path → content), for before/after comparisons. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    let entries: string[];
    try {
      entries = readdirSync(path.join(dir, rel));
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      if (entry === 'node_modules' || entry === '.git') continue;
      const child = rel ? `${rel}/${entry}` : entry;
      const full = path.join(dir, child);
      if (statSync(full).isDirectory()) walk(child);
      else out[child] = readFileSync(full, 'utf8');
    }
  };
  walk('');
  return out;
}
