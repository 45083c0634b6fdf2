/**
 * Outbound calls, joined: URLs and constants resolved across files, targets
 * matched, breakers of sibling modules applied, calls through a wrapper kept
 * when the wrapper uses a breaker, calls of a URL-parameter wrapper made at
 * their call sites (source-join-wrappers.ts).
 */
import path from 'node:path';
import type { OutboundCall } from '../types.js';
import { VERBS } from './source-http.js';
import { UrlWrappers } from './source-join-wrappers.js';
import type { ModuleIndex } from './source-modules-index.js';
import type { ServiceMatcher } from './source-targets.js';
import type { FileResult, RawCall, Val, WrapperInit } from './source-types.js';
import { serviceOfPath } from './source-values.js';

type UrlFacts = Pick<OutboundCall, 'url' | 'envVar' | 'target' | 'configKey'>;

function urlFacts(matcher: ServiceMatcher, val: Val | null): UrlFacts {
  if (val?.t === 'env') return { url: `env:${val.n}`, envVar: val.n, target: matcher.fromEnv(val.n) };
  if (val?.t === 'key') return { url: null, envVar: null, configKey: val.k, target: serviceOfPath(matcher, val.k.split('.')) };
  if (val?.t === 'hint') return { url: null, envVar: null, target: val.s };
  if (val?.t === 'str') return { url: val.s, envVar: null, target: matcher.fromUrl(val.base?.t === 'str' ? val.base.s : val.s) };
  return { url: null, envVar: null, target: null };
}

/** A wrapper call's URL: its path joined to the base URL its client was created with. */
function wrapperUrl(matcher: ServiceMatcher, base: Val | null, url: Val | null, init: WrapperInit | null): UrlFacts {
  const pathText = url?.t === 'str' ? url.s : null;
  let facts: UrlFacts;
  if (base?.t === 'str' && pathText !== null) facts = { ...urlFacts(matcher, base), url: base.s.replace(/\/+$/, '') + (pathText.startsWith('/') ? pathText : `/${pathText}`) };
  else if (base) facts = { ...urlFacts(matcher, base), ...(base.t === 'hint' ? { url: pathText } : {}) };
  else facts = urlFacts(matcher, url);
  if (facts.target === null && init?.name && matcher.has(init.name)) facts.target = init.name;
  return facts;
}

export class CallJoiner {
  /** The one service a wrapper module's own requests go to, if they agree on one. */
  private readonly wrapperTargets = new Map<FileResult, string | null>();
  private readonly urlWrappers: UrlWrappers;

  constructor(
    private readonly index: ModuleIndex,
    private readonly matcher: ServiceMatcher,
    results: readonly FileResult[],
  ) {
    this.urlWrappers = new UrlWrappers(index, results);
  }

  /** The call with its target; `fallback` is the target when the address names none (a NestJS pattern's handler). */
  join(file: FileResult, call: RawCall, fallback: string | null = null): OutboundCall | null {
    const { index } = this;
    if (this.urlWrappers.replaced(file, call)) return null;
    const breaker = call.breaker || call.guards.some((guard) => {
      const def = index.definition(file, guard);
      return def !== null && index.usesBreaker(def);
    });
    const make = (client: string, urls: UrlFacts, behind: boolean, method = call.method): OutboundCall => ({
      kind: call.kind,
      client,
      method,
      url: urls.url,
      target: urls.target ?? fallback,
      envVar: urls.envVar,
      ...(urls.configKey ? { configKey: urls.configKey } : {}),
      breaker: behind,
      inLoop: call.inLoop,
      location: call.location,
    });
    // A call of a URL-parameter wrapper: at this site, with the address passed here.
    const throughWrapper = (): OutboundCall | null => {
      const wrapper = this.urlWrappers.wrapperOf(call);
      if (!wrapper || !call.passes) return null;
      const url = index.resolve(file, call.passes.url);
      const method = (call.passes.member !== null ? VERBS.get(call.passes.member) : undefined) ?? wrapper.method;
      const client = path.posix.basename(wrapper.file.file).replace(/\.[^.]+$/, '');
      return make(client, urlFacts(this.matcher, url), breaker || wrapper.breaker, method);
    };
    if (call.passes && !call.via) return throughWrapper();
    if (!call.via) {
      const url = index.resolve(file, call.url);
      return make(call.client, urlFacts(this.matcher, url), breaker, call.method);
    }
    // Through a wrapper: kept when the wrapper (or the factory of the instance) uses a breaker.
    let init = call.via.init;
    let initFile = file;
    let def = index.definition(file, call.via.binding);
    // Follow instances to their factory: payments = createServiceClient({...}) → createServiceClient.
    for (let hops = 0; def && hops < 8; hops++) {
      const instance = def.file.module.instances.get(def.local);
      if (!instance) break;
      if (!init && instance.init) [init, initFile] = [instance.init, def.file];
      def = index.definition(def.file, instance.via);
    }
    if (!def || !index.usesBreaker(def)) return throughWrapper();
    const client = path.posix.basename(def.file.file).replace(/\.[^.]+$/, '');
    const urls = wrapperUrl(this.matcher, index.resolve(initFile, init?.base ?? null), index.resolve(file, call.url), init);
    if (urls.target === null) urls.target = this.wrapperTarget(def.file);
    return make(client, urls, true);
  }

  private wrapperTarget(file: FileResult): string | null {
    let target = this.wrapperTargets.get(file);
    if (target === undefined) {
      const targets = new Set(file.calls.filter((c) => !c.via && !c.passes).map((c) => urlFacts(this.matcher, this.index.resolve(file, c.url)).target));
      target = targets.size === 1 ? [...targets][0] ?? null : null;
      this.wrapperTargets.set(file, target);
    }
    return target;
  }
}
