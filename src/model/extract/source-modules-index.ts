/**
 * The files of a repository as modules: which file a relative import names,
 * where an imported binding is defined, and what value it holds.
 */
import type { ArgumentFlow, FileResult, ImportBinding, Val } from './source-types.js';
import type { ServiceMatcher } from './source-targets.js';
import { moduleKeys } from './source-paths.js';
import { member } from './source-values.js';

const MAX_HOPS = 8;

export interface Definition {
  file: FileResult;
  local: string;
}

function sameValue(a: Val, b: Val): boolean {
  if (a.t === 'str' && b.t === 'str') return a.s === b.s;
  if (a.t === 'env' && b.t === 'env') return a.n === b.n;
  if (a.t === 'hint' && b.t === 'hint') return a.s === b.s;
  if (a.t === 'key' && b.t === 'key') return a.k === b.k;
  return false;
}

export type Callers = Array<{ file: FileResult; flow: ArgumentFlow }>;

export class ModuleIndex {
  private readonly byKey = new Map<string, FileResult>();
  private readonly breakers = new Map<FileResult, Set<string>>();
  private flows: Map<string, Callers> | undefined;

  constructor(
    private readonly results: readonly FileResult[],
    private readonly matcher: ServiceMatcher,
  ) {
    for (const result of results) {
      for (const key of moduleKeys(result.file)) if (!this.byKey.has(key)) this.byKey.set(key, result);
      this.breakers.set(result, new Set(result.module.breakerDecls));
    }
  }

  private readonly usesCache = new Map<string, boolean>();

  /** Whether a declaration creates or uses a breaker, itself or through a function of a sibling module it calls. */
  usesBreaker(def: Definition, depth = 0): boolean {
    if (this.breakers.get(def.file)?.has(def.local)) return true;
    const key = `${def.file.file}\0${def.local}`;
    const cached = this.usesCache.get(key);
    if (cached !== undefined) return cached;
    if (depth > 4) return false;
    this.usesCache.set(key, false);
    const uses = (def.file.module.callees.get(def.local) ?? []).some((callee) => {
      const target = this.definition(def.file, callee);
      return target !== null && this.usesBreaker(target, depth + 1);
    });
    this.usesCache.set(key, uses);
    return uses;
  }

  /** Where module `mod` defines its export `name` (following re-exports and `export *`). */
  exportOf(mod: string, name: string, hops = 0): Definition | null {
    const file = this.byKey.get(mod);
    if (!file || hops > MAX_HOPS) return null;
    const target = file.module.exports.get(name);
    if (target && 'local' in target) return this.definition(file, target.local, hops + 1);
    if (target) return this.exportOf(target.mod, target.name, hops + 1);
    if (name === 'default') return null;
    for (const star of file.module.starExports) {
      const found = this.exportOf(star, name, hops + 1);
      if (found) return found;
    }
    return null;
  }

  /** Where a name used in `file` is defined: itself, or the export its import names. */
  definition(file: FileResult, local: string, hops = 0): Definition | null {
    const binding: ImportBinding | undefined = file.module.imports.get(local);
    if (!binding) return { file, local };
    if (binding.name === '*' || hops > MAX_HOPS) return null;
    return this.exportOf(binding.mod, binding.name, hops + 1);
  }

  /** The values passed to function (or class) `local` of `file` by its callers, wherever they are. */
  callers(file: FileResult, local: string): Callers {
    if (!this.flows) {
      this.flows = new Map();
      for (const from of this.results) {
        for (const flow of from.flows) {
          const def = this.definition(from, flow.callee);
          if (!def) continue;
          const key = `${def.file.file}\0${def.local}`;
          const list = this.flows.get(key);
          if (list) list.push({ file: from, flow });
          else this.flows.set(key, [{ file: from, flow }]);
        }
      }
    }
    return this.flows.get(`${file.file}\0${local}`) ?? [];
  }

  /** An imported constant's value, or null when it is not found (no service hint). */
  lookupRef(file: FileResult, val: Val & { t: 'ref' }): Val | null {
    return this.lookup(file, val.b, val.p, 0);
  }

  /** Resolves references to imported constants and config objects; unresolved ones become service hints or null. */
  resolve(file: FileResult, val: Val | null, hops = 0): Val | null {
    if (!val || hops > MAX_HOPS) return null;
    if (val.t === 'param') {
      // What the callers pass, when they agree (a client made for several services has no one address); else the parameter's name.
      let agreed: Val | null = null;
      for (const { file: from, flow } of this.callers(file, val.fn)) {
        if (flow.index !== val.index) continue;
        const passed = this.resolve(from, member(flow.value, val.p), hops + 1);
        if (passed && agreed && !sameValue(passed, agreed)) return val.hint ? { t: 'hint', s: val.hint } : null;
        agreed ??= passed;
      }
      return agreed ?? (val.hint ? { t: 'hint', s: val.hint } : null);
    }
    if (val.t === 'str' && val.base) {
      const base = this.resolve(file, val.base, hops + 1);
      if (base?.t === 'env' || base?.t === 'hint') return base;
      return base?.t === 'str' ? { t: 'str', s: val.s, base } : { t: 'str', s: val.s };
    }
    if (val.t !== 'ref') return val;
    const found = this.lookup(file, val.b, val.p, hops);
    if (found) return found;
    const last = val.p[val.p.length - 1] ?? val.b;
    const service = this.matcher.fromName(last);
    return service ? { t: 'hint', s: service } : null;
  }

  private lookup(file: FileResult, binding: string, path: readonly string[], hops: number): Val | null {
    const imported = file.module.imports.get(binding);
    if (!imported) return null;
    let [mod, name, rest] = imported.name === '*' ? [imported.mod, path[0], path.slice(1)] : [imported.mod, imported.name, path];
    // export * as Tokens from './tokens': a namespace one module further
    const namespace = name === undefined ? undefined : this.byKey.get(mod)?.module.exports.get(name);
    if (namespace && 'mod' in namespace && namespace.name === '*') [mod, name, rest] = [namespace.mod, rest[0], rest.slice(1)];
    let def = name === undefined ? null : this.exportOf(mod, name);
    // CommonJS: require('./config').paymentsUrl
    if (!def && name === 'default' && path[0] !== undefined) {
      [name, rest] = [path[0], path.slice(1)];
      def = this.exportOf(mod, name);
    }
    if (!def) return null;
    if (def.file.module.imports.get(def.local)) return this.resolve(def.file, { t: 'ref', b: def.local, p: [...rest] }, hops + 1);
    let value: Val | undefined = def.file.module.values.get(def.local);
    for (let i = 0; i < rest.length && value; i++) {
      if (value.t === 'ref') return this.resolve(def.file, { t: 'ref', b: value.b, p: [...value.p, ...rest.slice(i)] }, hops + 1);
      value = value.t === 'obj' ? value.o.get(rest[i] as string) : undefined;
    }
    return value ? this.resolve(def.file, value, hops + 1) : null;
  }
}
