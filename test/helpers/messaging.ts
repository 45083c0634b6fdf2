/** Shared set-up and checks for the messaging generators' tests. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { expect } from 'vitest';
import { generate } from './generate.js';
import { tmpDir } from './tmp.js';

export { expectParses } from './parses.js';

/** A workspace with `orders` and `payments` (PostgreSQL) and `notifier` (no database). */
export async function messagingWorkspace(): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  await generate('service', { name: 'orders' }, { cwd });
  await generate('service', { name: 'payments' }, { cwd });
  await generate('service', { name: 'notifier', db: 'none' }, { cwd });
  return cwd;
}

export const read = (cwd: string, file: string) => readFileSync(path.join(cwd, file), 'utf8');

export function compose(cwd: string): { services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown> } {
  return parseDocument(read(cwd, 'compose.yaml')).toJS() as never;
}

/** The `name`s of `closers` in main.ts, in order. */
export function closerNames(main: string): string[] {
  const block = /const closers[^=]*=\s*\[([\s\S]*?)\n\s*\];/.exec(main)?.[1] ?? '';
  return [...block.matchAll(/name: '([^']+)'/g)].map((m) => m[1]!);
}

/** Files that changed between two snapshots. */
export function changed(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(after).filter(([p, c]) => before[p] !== c));
}

const SNAPSHOTS = fileURLToPath(new URL('../generators/__snapshots__/', import.meta.url));

/**
 * Snapshots the changed files under `dir` into `__snapshots__/<target>/`,
 * except those identical to the same path in one of the `references`
 * snapshot folders (files the producer and consumer kinds share are
 * reviewed once). Migration timestamps are normalised.
 */
export async function snapshotNew(files: Record<string, string>, dir: string, target: string, references: readonly string[] = []): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith(`${dir}/`)) continue;
    const rel = file.replace(/\d{17}_/, 'TIMESTAMP_');
    const same = references.some((ref) => {
      const other = path.join(SNAPSHOTS, ref, rel);
      return existsSync(other) && readFileSync(other, 'utf8') === content;
    });
    if (!same) await expect(content).toMatchFileSnapshot(path.join(SNAPSHOTS, target, rel));
  }
}
