/**
 * Which services a file's facts belong to.
 *
 * - A file belongs to the service with the deepest source folder holding it
 *   (`services/orders/src/x.ts` → orders, even inside a repository-root service).
 * - Go programs are built from packages, not folders: a service whose folder is
 *   a main package (`cmd/counter`) also owns the local packages it imports,
 *   transitively (`internal/counter/...`, `pkg/...`), found through the module
 *   path of go.mod. A package can belong to several services; the folder of
 *   another service is never entered (that import is a cross-service import).
 *   Folders without Go files below an imported package are that package's
 *   files (`internal/counter/store/query/query.sql` beside the generated code,
 *   `migrations/` it embeds), except below a module's root folder.
 *
 * Linear: one map lookup per path segment of each file, one visit per package.
 */
import type { BuildUnit, FileFacts } from '../facts.js';
import { dirOf } from './repo-index.js';

export interface Owned {
  /** Service names per file path (most files: zero or one). */
  owners: Map<string, string[]>;
  /** Imports that reach into another service's folder, per importing service. */
  crossImports: Array<{ service: string; target: string; specifier: string; file: string; line?: number }>;
}

export function assignFiles(
  files: readonly string[],
  services: ReadonlyArray<{ name: string; dir: string | null }>,
  facts: ReadonlyMap<string, FileFacts>,
  goModules: readonly BuildUnit[],
): Owned {
  const byDir = new Map<string, string>();
  for (const s of services) if (s.dir !== null && !byDir.has(s.dir)) byDir.set(s.dir, s.name);
  const ownerDir = (file: string): string | null => {
    for (let dir = dirOf(file); ; dir = dirOf(dir)) {
      if (byDir.has(dir)) return dir;
      if (dir === '.') return null;
    }
  };
  const owners = new Map<string, string[]>();
  const filesByDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = dirOf(file);
    const list = filesByDir.get(dir) ?? [];
    list.push(file);
    filesByDir.set(dir, list);
    const owner = ownerDir(file);
    if (owner !== null) owners.set(file, [byDir.get(owner)!]);
  }
  const crossImports: Owned['crossImports'] = [];
  // Go: follow imports from each service folder through the module's packages.
  const modules = [...goModules].filter((m) => m.name).sort((a, b) => b.name!.length - a.name!.length);
  const packageDir = (specifier: string): string | null => {
    for (const module of modules) {
      const name = module.name!;
      if (specifier === name) return module.dir;
      if (specifier.startsWith(`${name}/`)) {
        const rest = specifier.slice(name.length + 1);
        return module.dir === '.' ? rest : `${module.dir}/${rest}`;
      }
    }
    return null;
  };
  // Folders without Go files below a folder: its resources (queries, migrations, templates), found once per folder.
  const children = new Map<string, string[]>();
  for (const dir of filesByDir.keys()) {
    for (let d = dir; d !== '.' && !children.has(d); d = dirOf(d)) {
      const parent = dirOf(d);
      children.set(d, []);
      const list = children.get(parent) ?? [];
      list.push(d);
      children.set(parent, list);
    }
  }
  const hasGo = (dir: string): boolean => (filesByDir.get(dir) ?? []).some((f) => f.endsWith('.go'));
  const moduleRoots = new Set(modules.map((m) => m.dir));
  const resourceDirs = (dir: string): string[] => {
    if (moduleRoots.has(dir)) return [];
    const out: string[] = [];
    const stack = [...(children.get(dir) ?? [])];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (hasGo(d) || byDir.has(d)) continue;
      out.push(d);
      stack.push(...(children.get(d) ?? []));
    }
    return out;
  };
  if (modules.length > 0) {
    for (const service of services) {
      if (service.dir === null) continue;
      const seen = new Set<string>([service.dir]);
      const queue = [service.dir];
      while (queue.length > 0) {
        const dir = queue.shift()!;
        if (dir !== service.dir) {
          for (const resources of resourceDirs(dir)) {
            for (const file of filesByDir.get(resources) ?? []) {
              const list = owners.get(file) ?? [];
              if (!list.includes(service.name)) list.push(service.name);
              owners.set(file, list);
            }
          }
        }
        for (const file of filesByDir.get(dir) ?? []) {
          if (dir !== service.dir) {
            const list = owners.get(file) ?? [];
            if (!list.includes(service.name)) list.push(service.name);
            owners.set(file, list);
          }
          for (const imp of facts.get(file)?.imports ?? []) {
            const target = packageDir(imp.specifier);
            if (target === null || seen.has(target)) continue;
            seen.add(target);
            const other = byDir.get(target) ?? (ownerDir(`${target}/x`) !== null && ownerDir(`${target}/x`) !== service.dir && !target.startsWith(`${service.dir}/`) ? byDir.get(ownerDir(`${target}/x`)!) : undefined);
            if (other !== undefined && other !== service.name) {
              crossImports.push({ service: service.name, target: other, specifier: imp.specifier, file: imp.location.file, ...(imp.location.line ? { line: imp.location.line } : {}) });
              continue;
            }
            queue.push(target);
          }
        }
      }
    }
  }
  return { owners, crossImports };
}
