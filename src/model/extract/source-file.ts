/**
 * One file: read it, parse it once (no program, no type-checking), walk it
 * once, and return plain facts. Never throws: an unreadable, oversized,
 * binary or broken file is a diagnostic.
 */
import type ts from 'typescript';
import { requireWithCodeCache } from '../../util/code-cache.js';
import { createReader, type RepoReader } from '../read.js';
import { closeBreakers } from './source-breakers.js';
import { FileWalk } from './source-context.js';
import { BROKER_LIBRARIES } from './source-messaging.js';
import type { FileJob, FileResult, ScanContext } from './source-types.js';
import { ServiceMatcher } from './source-targets.js';
import { walkFile } from './source-walk.js';

/**
 * The TypeScript compiler, loaded on first use. `require` rather than
 * `import()`: Node then does not scan its 9 MB of CommonJS for named
 * exports; and compiled from a V8 code cache (util/code-cache.ts).
 */
export function loadCompiler(): typeof ts {
  return requireWithCodeCache<typeof ts>(import.meta.url, 'typescript', (require) => [require.resolve('typescript')]);
}

export function emptyFileResult(job: FileJob): FileResult {
  return {
    file: job.file,
    service: job.service,
    parsed: false,
    calls: [],
    messaging: [],
    routes: [],
    flows: [],
    prefixes: [],
    tracing: null,
    crossImports: [],
    localState: [],
    sagas: [],
    brokersSeen: [],
    nest: { registrations: [], servers: [], handlers: [], globalPrefix: null },
    module: { imports: new Map(), exports: new Map(), starExports: [], breakerDecls: [], callees: new Map(), instances: new Map(), values: new Map() },
    diagnostics: [],
  };
}

function scriptKind(t: typeof ts, file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return t.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return t.ScriptKind.JSX;
  return /\.[cm]?ts$/.test(file) ? t.ScriptKind.TS : t.ScriptKind.JS;
}

/** The per-file extractor, bound to one repository. */
export function fileExtractor(t: typeof ts, ctx: ScanContext): (job: FileJob) => FileResult {
  const matcher = new ServiceMatcher(ctx.serviceNames);
  // One reader per thread: workers cannot share the scan's, and its diagnostics travel back in each file's result.
  const reader = createReader(ctx.root);
  return (job) => extractFile(t, ctx, matcher, reader, job);
}

function extractFile(t: typeof ts, ctx: ScanContext, matcher: ServiceMatcher, reader: RepoReader, job: FileJob): FileResult {
  const result = emptyFileResult(job);
  const fail = (message: string, line?: number): FileResult => {
    result.diagnostics.push(line === undefined ? { file: job.file, message } : { file: job.file, line, message });
    return result;
  };
  const before = reader.diagnostics.length;
  const text = reader.read(job.file);
  if (text === null) {
    for (let k = before; k < reader.diagnostics.length; k += 1) result.diagnostics.push(reader.diagnostics[k]!);
    return result;
  }
  try {
    const sf = t.createSourceFile(job.file, text, { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone }, false, scriptKind(t, job.file));
    result.parsed = true;
    // Internal but stable: the parser recovers, so a syntax error is reported and the rest still extracted.
    const first = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
    if (first) fail(`syntax error: ${t.flattenDiagnosticMessageText(first.messageText, ' ')}`, sf.getLineAndCharacterOfPosition(first.start).line + 1);
    const w = new FileWalk(t, sf, ctx, matcher, result);
    walkFile(w);
    finish(w);
  } catch (error) {
    fail(`cannot extract: ${error instanceof Error ? error.message : String(error)}`);
  }
  return result;
}

/** Breakers resolved within the file; wrapper candidates and module facts trimmed to what the join step can use. */
function finish(w: FileWalk): void {
  closeBreakers(w);
  w.closeLoops();
  const module = w.result.module;
  const useful = (via: string): boolean => w.imports.get(via)?.relative === true || w.breakerDecls.has(via) || w.topInstances.has(via);
  for (const { fn: _fn, ...call } of w.calls) {
    if (!call.via || useful(call.via.binding)) w.result.calls.push(call);
  }
  for (const [name, binding] of w.imports) if (binding.relative) module.imports.set(name, binding);
  for (const lib of w.libraries) {
    const broker = BROKER_LIBRARIES.get(lib);
    if (broker && !w.result.brokersSeen.includes(broker)) w.result.brokersSeen.push(broker);
  }
  module.breakerDecls = [...w.breakerDecls];
  for (const [name, callees] of w.topCallees) module.callees.set(name, [...callees]);
  for (const name of w.topInstances) {
    const instance = w.instances.get(name);
    if (instance && useful(instance.via)) module.instances.set(name, instance);
  }
}
