/** go.mod: the Go module (a build unit), the modules it requires, and local `replace` targets as references. */
import type { Dependency, FileFacts } from '../facts.js';
import { defineExtractor } from './define-extractor.js';
import path from 'node:path';

/** go.mod lines split into words: `//` comments dropped, quoted words unquoted. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r') i += 1;
    else if (c === '/' && line[i + 1] === '/') break;
    else if (c === '"' || c === '`') {
      const end = line.indexOf(c, i + 1);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i + 1, stop));
      i = stop + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '\r' && !(line[j] === '/' && line[j + 1] === '/')) j += 1;
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** A folder relative to the root, or null when it leaves the root. */
function folderOf(dir: string, target: string): string | null {
  const joined = path.posix.normalize(path.posix.join(dir, target)).replace(/\/$/, '');
  return joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined) ? null : joined || '.';
}

/** A `replace` target that is a folder (`./x`, `../x`), not a module path. */
const isLocalPath = (target: string): boolean => target.startsWith('./') || target.startsWith('../') || target === '.' || target === '..';

export default defineExtractor({
  id: 'go-mod',
  description: 'go.mod: the Go module, its required modules, and local replace targets',
  accepts: (file) => file.base === 'go.mod',
  extract: ({ path: file, text }) => {
    const dir = path.posix.dirname(file);
    let name: string | null = null;
    let moduleLine = 1;
    const dependencies: Dependency[] = [];
    const references: string[] = [];
    let block: string | null = null;
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = index + 1;
      let parts = words(lines[index]!);
      if (parts.length === 0) continue;
      if (block !== null) {
        if (parts[0] === ')') {
          block = null;
          continue;
        }
      } else if (parts[1] === '(') {
        block = parts[0]!;
        continue;
      } else {
        const [directive, ...rest] = parts;
        if (directive === 'module') {
          name = rest[0] ?? null;
          moduleLine = line;
          continue;
        }
        if (directive !== 'require' && directive !== 'replace') continue;
        block = null;
        parts = rest;
        if (directive === 'require') dependency(parts, line);
        else replacement(parts);
        continue;
      }
      if (block === 'require') dependency(parts, line);
      else if (block === 'replace') replacement(parts);
    }

    function dependency(parts: string[], line: number): void {
      const module = parts[0];
      if (module) dependencies.push({ ecosystem: 'go', name: module, scope: 'runtime', location: { file, line } });
    }
    function replacement(parts: string[]): void {
      const arrow = parts.indexOf('=>');
      const target = arrow === -1 ? undefined : parts[arrow + 1];
      if (target === undefined || !isLocalPath(target)) return;
      const folder = folderOf(dir, target);
      if (folder !== null && !references.includes(folder)) references.push(folder);
    }

    const facts: FileFacts = {
      unit: { kind: 'go', dir, name, executable: null, parent: null, modules: [], references, images: [], location: { file, line: moduleLine } },
    };
    if (dependencies.length > 0) facts.dependencies = dependencies;
    return facts;
  },
});
