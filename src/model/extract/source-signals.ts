/**
 * Tracing set-up (OpenTelemetry, dd-trace, Elastic APM, Sentry with tracing)
 * and state kept in the process (in-memory sessions, local files).
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { accessPath, literalText, unwrap } from './source-values.js';

const TRACER_CLASSES = new Set(['NodeSDK', 'NodeTracerProvider']);
const TRACING_CALLS = new Set(['registerInstrumentations', 'registerOTel']);
const FS_MODULES = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs']);
const FS_WRITES = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'outputFile', 'outputFileSync', 'writeJson', 'writeJsonSync', 'outputJson']);
const SESSION_MODULES = new Set(['express-session', '@fastify/session', 'fastify-session']);

function setTracing(w: FileWalk, node: ts.Node): void {
  w.result.tracing ??= w.location(node);
}

/** The library a callee's root comes from: `tracer` → dd-trace, `require('dd-trace')` → dd-trace. */
function rootLibrary(w: FileWalk, node: ts.Expression): string | null {
  const t = w.ts;
  const inner = unwrap(t, node);
  if (t.isCallExpression(inner) && t.isIdentifier(inner.expression) && inner.expression.text === 'require') return literalText(t, inner.arguments[0])?.replace(/^node:/, '') ?? null;
  const path = accessPath(t, inner);
  return path?.length === 1 && path[0] ? w.libraryOf(path[0]) : null;
}

function hasProperty(w: FileWalk, node: ts.Expression | undefined, names: readonly string[]): boolean {
  const t = w.ts;
  const obj = node && unwrap(t, node);
  if (!obj || !t.isObjectLiteralExpression(obj)) return false;
  // A spread may hold any of them.
  return obj.properties.some((p) => t.isSpreadAssignment(p) || (p.name !== undefined && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) && names.includes(p.name.text)));
}

export function visitTracingNew(w: FileWalk, node: ts.NewExpression): void {
  const path = accessPath(w.ts, node.expression);
  const name = path?.[path.length - 1];
  if (name && TRACER_CLASSES.has(name)) setTracing(w, node);
}

export function visitSignalsCall(w: FileWalk, node: ts.CallExpression): void {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  const args = node.arguments;
  if (t.isIdentifier(callee)) {
    const binding = w.imports.get(callee.text);
    const imported = binding && !binding.relative ? binding : null;
    if (TRACING_CALLS.has(callee.text)) setTracing(w, node);
    else if (imported?.mod === '@sentry/node' && callee.text === 'init' && hasProperty(w, args[0], ['tracesSampleRate', 'tracesSampler'])) setTracing(w, node);
    else if (imported && SESSION_MODULES.has(imported.mod) && !hasProperty(w, args[0], ['store']) && (args.length === 0 || t.isObjectLiteralExpression(unwrap(t, args[0] as ts.Expression)))) {
      w.result.localState.push({ kind: 'memory-session', detail: `${imported.mod} without a store (sessions kept in process memory)`, location: w.location(node) });
    } else if (imported && FS_MODULES.has(imported.mod) && FS_WRITES.has(imported.name)) localFile(w, node, imported.name);
    return;
  }
  if (!t.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  if (method !== 'init' && method !== 'start' && method !== 'register' && !FS_WRITES.has(method)) return;
  const lib = rootLibrary(w, callee.expression);
  if (method === 'init' && (lib === 'dd-trace' || (lib === '@sentry/node' && hasProperty(w, args[0], ['tracesSampleRate', 'tracesSampler'])))) setTracing(w, node);
  else if (method === 'start' && lib === 'elastic-apm-node') setTracing(w, node);
  else if (method === 'register' && args.length >= 1) {
    const plugin = rootLibrary(w, args[0] as ts.Expression);
    if (plugin && SESSION_MODULES.has(plugin) && !hasProperty(w, args[1], ['store'])) {
      w.result.localState.push({ kind: 'memory-session', detail: `${plugin} without a store (sessions kept in process memory)`, location: w.location(node) });
    }
  } else if (FS_WRITES.has(method)) {
    const path = accessPath(t, callee.expression);
    const root = path?.[0];
    const fsLike = root !== undefined && (FS_MODULES.has(w.libraryOf(root) ?? '') || (!w.imports.has(root) && root === 'fs'));
    if (fsLike) localFile(w, node, method);
  }
}

/** Whether a path expression points into /tmp or os.tmpdir(). */
function isTemporary(w: FileWalk, node: ts.Node): boolean {
  const t = w.ts;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const text = t.isStringLiteralLike(n) || t.isTemplateHead(n) ? n.text : null;
    if (text !== null && /^\/tmp(\/|$)/.test(text)) found = true;
    else if (t.isIdentifier(n) && /^(tmpdir|tmpDir|tempDir|tmp|temp)$/.test(n.text)) found = true;
    else t.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function localFile(w: FileWalk, node: ts.CallExpression, method: string): void {
  const target = node.arguments[0];
  if (!target || isTemporary(w, target)) return;
  const text = w.sf.text.slice(target.getStart(w.sf), target.end).replace(/\s+/g, ' ');
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  w.result.localState.push({ kind: 'local-file', detail: `${method}(${shown}) writes to the local disk`, location: w.location(node) });
}

/** `new MemoryStore()`: a session store (inside `store:`) or another in-memory store. */
export function visitStateNew(w: FileWalk, node: ts.NewExpression): void {
  const path = accessPath(w.ts, node.expression);
  if (path?.[path.length - 1] !== 'MemoryStore') return;
  const kind = w.inStoreProperty ? 'memory-session' : 'in-memory-store';
  w.result.localState.push({ kind, detail: 'MemoryStore keeps its data in process memory', location: w.location(node) });
}
