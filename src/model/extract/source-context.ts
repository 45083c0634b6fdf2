/**
 * The state of one file's walk: what is bound to which name, where the walk
 * is (loops, functions, breaker arguments), and the facts found so far.
 */
import type ts from 'typescript';
import type { Location } from '../types.js';
import type { NestClientRef } from './source-nest.js';
import type { FileResult, ImportBinding, RawCall, ScanContext, Val, WrapperInit } from './source-types.js';
import type { ServiceMatcher } from './source-targets.js';
import type { ValueScope } from './source-values.js';

type Compiler = typeof ts;

export interface ClientBinding {
  client: string;
  base: Val | null;
}

export class FileWalk implements ValueScope {
  readonly values = new Map<string, Val>();
  readonly imports = new Map<string, ImportBinding>();
  /** HTTP client instances: `const api = axios.create({ baseURL })`, `this.httpService`. */
  readonly clients = new Map<string, ClientBinding>();
  /** Wrapper instances: `const payments = createServiceClient({...})`, `this.payments` of type PaymentsClient. */
  readonly instances = new Map<string, { via: string; init: WrapperInit | null }>();
  /** NestJS clients: injected (`@Inject(TOKEN) client: ClientKafka`) or created (`ClientProxyFactory.create(…)`). */
  readonly nestClients = new Map<string, NestClientRef>();
  /** Variables holding a circuit breaker. */
  readonly breakerVars = new Set<string>();
  /** Functions, classes and variables declared at the top level. */
  readonly topLevel = new Set<string>();
  /** Libraries imported (bare specifiers, `node:` stripped). */
  readonly libraries = new Set<string>();

  // Where the walk is.
  loopDepth = 0;
  /** Loops over the items of a collection (for…of, `.map(…)`, `i < ids.length`), not retry or polling loops. */
  itemLoopDepth = 0;
  /** Names declared by the top-level statement being walked. */
  topNames: string[] = [];
  /** Name for the next function-like node (from `const f = () => …`, `f: function () {}`). */
  nextFnName: string | null = null;
  /** The next function-like node is run by a circuit breaker. */
  nextFnProtected = false;
  currentFn = -1;
  readonly fnParent: number[] = [];
  /** Each function's name (when it has one) and parameter names, by function id. */
  readonly fnNames: Array<string | null> = [];
  readonly fnParams: Array<ts.NodeArray<ts.ParameterDeclaration>> = [];
  readonly fnByName = new Map<string, number[]>();
  readonly protectedFns = new Set<number>();
  readonly protectedNames = new Set<string>();
  /** Calls by name from inside a function: [function id, callee name]. */
  readonly edges: Array<[number, string]> = [];
  /** Callees whose function argument encloses the current node. */
  readonly guards: string[] = [];
  /** Inside a `store:` property (session stores). */
  inStoreProperty = false;
  /** Controller path of the NestJS class being walked, or null. */
  controller: string | null = null;
  /** Name of the class being walked (its constructor's name, for values passed by `new X(…)`). */
  className: string | null = null;
  /** Names of functions and methods called from inside a loop (`ids.map((id) => this.find(id))`). */
  readonly loopCalls = new Set<string>();

  readonly breakerDecls = new Set<string>();
  /** Functions imported from sibling modules that each top-level declaration calls. */
  readonly topCallees = new Map<string, Set<string>>();
  readonly topInstances = new Set<string>();
  /** Calls, each with the innermost function id, before breaker closure. */
  readonly calls: Array<RawCall & { fn: number }> = [];

  constructor(
    readonly ts: Compiler,
    readonly sf: ts.SourceFile,
    readonly ctx: ScanContext,
    readonly matcher: ServiceMatcher,
    readonly result: FileResult,
  ) {}

  private lineStarts: number[] | null = null;

  /** 1-based line and column of a node's first token (columns in UTF-16 units, as TypeScript counts them). */
  location(node: ts.Node): Location {
    const pos = node.getStart(this.sf);
    const starts = (this.lineStarts ??= lineStarts(this.sf));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= pos) low = mid;
      else high = mid - 1;
    }
    return { file: this.result.file, line: low + 1, column: pos - (starts[low] as number) + 1 };
  }

  /** The library a local name was imported from (`axios`, `http`, `@grpc/grpc-js`), or null. */
  libraryOf(name: string): string | null {
    const binding = this.imports.get(name);
    return binding && !binding.relative ? binding.mod : null;
  }

  importsAny(...mods: string[]): boolean {
    return mods.some((mod) => this.libraries.has(mod));
  }

  /** The current top-level declaration creates or uses a breaker. */
  markBreakerUse(): void {
    for (const name of this.topNames) this.breakerDecls.add(name);
  }

  addCall(node: ts.Node, call: Omit<RawCall, 'breaker' | 'guards' | 'inLoop' | 'location'>): void {
    // Fields spelled out: a spread of differently shaped objects takes V8's slow path.
    this.calls.push({
      kind: call.kind,
      client: call.client,
      method: call.method,
      url: call.url,
      ...(call.via ? { via: call.via } : {}),
      ...(call.nest ? { nest: call.nest } : {}),
      ...(call.passes ? { passes: call.passes } : {}),
      breaker: false,
      guards: this.guards.length > 0 ? [...this.guards] : [],
      inLoop: this.loopDepth > 0,
      location: this.location(node),
      fn: this.currentFn,
    });
  }

  /** The named function (or constructor) enclosing the walk that has `name` as a parameter, destructured or not. */
  paramOf(name: string): { fn: string; index: number; path: string[] } | null {
    const t = this.ts;
    for (let fn = this.currentFn; fn >= 0; fn = this.fnParent[fn] ?? -1) {
      const params = this.fnParams[fn] ?? [];
      for (let index = 0; index < params.length; index++) {
        const binding = (params[index] as ts.ParameterDeclaration).name;
        let path: string[] | null = null;
        if (t.isIdentifier(binding)) path = binding.text === name ? [] : null;
        else if (t.isObjectBindingPattern(binding)) {
          const element = binding.elements.find((e) => !e.dotDotDotToken && t.isIdentifier(e.name) && e.name.text === name);
          const key = element && (element.propertyName ?? element.name);
          if (key && (t.isIdentifier(key) || t.isStringLiteral(key))) path = [key.text];
        }
        if (path === null) continue;
        const named = this.fnNames[fn];
        return named ? { fn: named, index, path } : null;
      }
    }
    return null;
  }

  /** Adds to `fns` every function that one of them (or a function inside one) calls by name, transitively. */
  closure(fns: Set<number>): Set<number> {
    for (let changed = fns.size > 0; changed; ) {
      changed = false;
      for (const [from, name] of this.edges) {
        if (!this.isProtected(from, fns)) continue;
        for (const id of this.fnByName.get(name) ?? []) {
          if (!fns.has(id)) {
            fns.add(id);
            changed = true;
          }
        }
      }
    }
    return fns;
  }

  /** Marks the calls of functions called from a loop (and of what they call by name) as made in a loop. */
  closeLoops(): void {
    if (this.loopCalls.size === 0) return;
    const inLoop = new Set<number>();
    for (const name of this.loopCalls) for (const id of this.fnByName.get(name) ?? []) inLoop.add(id);
    this.closure(inLoop);
    for (const call of this.calls) if (!call.inLoop && this.isProtected(call.fn, inLoop)) call.inLoop = true;
  }

  /** Whether function `id` (or a function enclosing it) runs inside a breaker. */
  isProtected(id: number, protectedSet: ReadonlySet<number>): boolean {
    for (let fn = id; fn >= 0; fn = this.fnParent[fn] ?? -1) if (protectedSet.has(fn)) return true;
    return false;
  }
}

/**
 * Offsets where lines start. With only `\n` breaks, found with indexOf (far
 * quicker than TypeScript's character loop); otherwise TypeScript's own, which
 * also counts `\r`, U+2028 and U+2029.
 */
function lineStarts(sf: ts.SourceFile): number[] {
  const text = sf.text;
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029')) return [...sf.getLineStarts()];
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
