/**
 * URL-parameter wrappers: functions and methods of a service's own code whose
 * parameter becomes the URL of an HTTP client call, directly or through other
 * such functions:
 *
 *   const send = (method, endpoint) => fetch(endpoint, { method });     // seed: `send`, argument 1
 *   export default { get: (endpoint) => send('GET', endpoint) };       // `get`, argument 0 (GET)
 *   api.get(`${process.env.API_BASE_PATH}/products`)                   // a call at this site
 *
 * Seeds are HTTP calls whose URL is a parameter of the enclosing named function; a function that passes one of
 * its own parameters to a wrapper's URL argument is a wrapper too, up to MAX_DEPTH hops. Each round is one pass
 * over the (few) parameter-passing flows and calls. A call site that passes an address to a wrapper becomes the
 * outbound call (its URL, its breaker, its loop); the wrapper's own call, whose URL is only a parameter, is then
 * not a call of its own.
 */
import type { ModuleIndex, Definition } from './source-modules-index.js';
import { VERBS } from './source-http.js';
import type { FileResult, RawCall, Val } from './source-types.js';

const MAX_DEPTH = 4;
const MAX_INSTANCE_HOPS = 8;

export interface UrlWrapper {
  /** The HTTP client the URL finally reaches (fetch, axios, …). */
  client: string;
  /** The method the wrapper uses, from its name (`get`, `post` …) or its client call's options. */
  method: string | null;
  /** The client call runs behind a circuit breaker. */
  breaker: boolean;
  /** The file that defines the wrapper (its name is the call's client). */
  file: FileResult;
  /** Keys of the wrappers this one hands its URL to (empty for a seed). */
  next: string[];
}

type Param = Val & { t: 'param' };

const key = (file: FileResult, fn: string, index: number): string => `${file.file}\0${fn}\0${index}`;
const directParam = (val: Val | null | undefined): val is Param => val?.t === 'param' && val.p.length === 0;

export class UrlWrappers {
  private readonly wrappers = new Map<string, UrlWrapper>();
  /** Wrappers some call site passes an address to (their seeds' own calls are replaced by the call sites'). */
  private readonly reached = new Set<string>();
  /** Each candidate call's wrapper, found once. */
  private readonly found = new Map<RawCall, UrlWrapper | null>();

  constructor(
    private readonly index: ModuleIndex,
    results: readonly FileResult[],
  ) {
    for (const file of results) {
      for (const call of file.calls) {
        if (call.via || call.passes || call.nest || call.kind !== 'http' || !directParam(call.url)) continue;
        const k = key(file, call.url.fn, call.url.index);
        if (!this.wrappers.has(k)) this.wrappers.set(k, { client: call.client, method: VERBS.get(call.url.fn) ?? call.method, breaker: call.breaker, file, next: [] });
      }
    }
    if (this.wrappers.size === 0) return;
    // What passes a parameter of its own on: `send('GET', endpoint)` inside `get(endpoint)`, `this.http.get(path)` inside `getJson(path)`.
    const passing: Array<{ file: FileResult; param: Param; target: () => [string, UrlWrapper] | null }> = [];
    for (const file of results) {
      for (const flow of file.flows) {
        if (directParam(flow.value)) passing.push({ file, param: flow.value, target: () => this.byName(file, flow.callee, flow.index) });
      }
      for (const call of file.calls) {
        const passes = call.passes;
        if (passes && directParam(passes.url)) passing.push({ file, param: passes.url, target: () => this.target(file, passes) });
      }
    }
    for (let round = 0, changed = true; changed && round < MAX_DEPTH; round++) {
      changed = false;
      for (const { file, param, target } of passing) {
        const k = key(file, param.fn, param.index);
        if (this.wrappers.has(k)) continue;
        const found = target();
        if (!found) continue;
        const [next, inner] = found;
        this.wrappers.set(k, { client: inner.client, method: VERBS.get(param.fn) ?? inner.method, breaker: inner.breaker, file, next: [next] });
        changed = true;
      }
    }
    for (const file of results) {
      for (const call of file.calls) {
        if (!call.passes || directParam(call.passes.url)) continue;
        const found = this.target(file, call.passes);
        this.found.set(call, found ? found[1] : null);
        if (found) this.reach(found[0]);
      }
    }
  }

  /** The wrapper a candidate call passes its address to, or null. */
  wrapperOf(call: RawCall): UrlWrapper | null {
    return this.found.get(call) ?? null;
  }

  /** A wrapper's own client call, whose URL is only the parameter its callers fill: replaced by their calls. */
  replaced(file: FileResult, call: RawCall): boolean {
    return this.reached.size > 0 && !call.passes && directParam(call.url) && this.reached.has(key(file, call.url.fn, call.url.index));
  }

  private reach(start: string): void {
    const queue = [start];
    for (let k = queue.pop(); k !== undefined; k = queue.pop()) {
      if (this.reached.has(k)) continue;
      this.reached.add(k);
      queue.push(...(this.wrappers.get(k)?.next ?? []));
    }
  }

  private at(def: Definition | null, fn: string, index: number): [string, UrlWrapper] | null {
    if (!def) return null;
    const k = key(def.file, fn, index);
    const wrapper = this.wrappers.get(k);
    return wrapper ? [k, wrapper] : null;
  }

  /** A function called by name: `send(…)` of this file, `get(…)` imported. */
  private byName(file: FileResult, callee: string, index: number): [string, UrlWrapper] | null {
    const def = this.index.definition(file, callee);
    return def ? this.at(def, def.local, index) : null;
  }

  private target(file: FileResult, passes: NonNullable<RawCall['passes']>): [string, UrlWrapper] | null {
    if (passes.member === null) return this.byName(file, passes.callee, passes.index);
    // A method of an imported object, class or instance: found by name in the file that defines it (or its class).
    const imported = file.module.imports.get(passes.callee);
    if (imported?.name === '*') {
      const def = this.index.exportOf(imported.mod, passes.member);
      return def ? this.at(def, def.local, passes.index) : null;
    }
    let def = this.index.definition(file, passes.callee);
    for (let hops = 0; def && hops < MAX_INSTANCE_HOPS; hops++) {
      const found = this.at(def, passes.member, passes.index);
      if (found) return found;
      const instance = def.file.module.instances.get(def.local);
      if (!instance) break;
      def = this.index.definition(def.file, instance.via);
    }
    return null;
  }
}
