import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tmpDir } from './tmp.js';

/** A small repository in a fresh temporary directory (removed after the test): path → content. */
export function repo(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), content);
  }
  return root;
}

/** YAML (or any text) from lines. */
export const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;
