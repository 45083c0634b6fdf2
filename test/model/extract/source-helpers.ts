/** Shared by the source extractor's tests: in-memory repositories of `services/<name>` folders, scanned. */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { scanSource } from '../../../src/model/extract/source.js';
import type { OutboundCall, SourceFacts } from '../../../src/model/types.js';

/** Every file under root, relative, forward slashes (node_modules and dist included: the extractor must skip them). */
export function listAll(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    return entry.isDirectory() ? listAll(root, rel) : [rel];
  });
}

export function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** Scans `services/<name>` folders (or the folders given as `name=dir`). */
export async function scan(root: string, services: string[], serviceNames: string[] = services.map((s) => s.split('=')[0]!)) {
  const list = services.map((entry) => {
    const [name, dir] = entry.split('=') as [string, string | undefined];
    return { name, dir: dir ?? `services/${name}` };
  });
  const result = await scanSource({ root, services: list, files: listAll(root), serviceNames });
  const facts = (name: string): SourceFacts => result.facts.get(name) ?? expect.fail(`no facts for ${name}`);
  return { ...result, facts };
}

export const at = (file: string, line: number, column: number) => ({ file, line, column });

export const call = (fields: Partial<OutboundCall> & Pick<OutboundCall, 'location'>): OutboundCall => ({
  kind: 'http',
  client: 'fetch',
  method: 'GET',
  url: null,
  target: null,
  envVar: null,
  breaker: false,
  inLoop: false,
  ...fields,
});
