/**
 * The class-level call graph of one C# file (see ClassGraph in facts.ts): the types it declares with their base
 * lists, the method holding each outbound call, and the invocations on receivers of a declared type (fields,
 * constructor and primary-constructor parameters, locals) or on the class itself, with whether they run per item.
 */
import type { ClassGraph } from '../../facts.js';
import type { SyntaxNode } from '../tree-sitter.js';
import type { CsFile } from './file.js';
import { lastName, named } from './syntax.js';

const TYPES = new Set(['class_declaration', 'interface_declaration', 'record_declaration', 'struct_declaration']);
const CALLABLES = new Set(['method_declaration', 'constructor_declaration']);
/** Hosted and scheduled background work: its loops serve no user's request. */
const BACKGROUND_TYPES = new Set(['BackgroundService', 'IHostedService', 'IJob', 'IInvocable']);

const supertypesOf = (type: SyntaxNode): string[] =>
  named(named(type).find((c) => c.type === 'base_list'))
    .map((b) => lastName(b))
    .filter((b): b is string => b !== null);

/** The method and type a node is in (a local function counts as the method around it). */
function ownerOf(node: SyntaxNode): { type: string; method: string; background: boolean } | null {
  let method: string | null = null;
  for (let up = node.parent; up; up = up.parent) {
    if (method === null && CALLABLES.has(up.type)) method = up.type === 'method_declaration' ? (up.childForFieldName('name')?.text ?? null) : '<init>';
    if (TYPES.has(up.type)) {
      const type = up.childForFieldName('name')?.text;
      return method !== null && type ? { type, method, background: supertypesOf(up).some((s) => BACKGROUND_TYPES.has(s)) } : null;
    }
  }
  return null;
}

export function classGraph(file: CsFile, callSites: readonly SyntaxNode[]): ClassGraph | null {
  const graph: ClassGraph = { types: [], callers: [], invocations: [] };
  for (const type of file.types) {
    const name = type.childForFieldName('name')?.text;
    if (!name) continue;
    graph.types.push({ name, supertypes: supertypesOf(type) });
  }
  for (const node of callSites) {
    const owner = ownerOf(node);
    if (owner) graph.callers.push({ type: owner.type, method: owner.method, line: file.location(node).line ?? 0 });
  }
  const seen = new Set<string>();
  for (const { node, call } of file.invocations) {
    const receiver = call.receiver;
    const owner = ownerOf(node);
    if (!owner) continue;
    let calleeType: string | null = null;
    if (!receiver || receiver.type === 'this_expression' || receiver.type === 'this') calleeType = owner.type;
    else if (receiver.type === 'identifier' || (receiver.type === 'member_access_expression' && /^this/.test(receiver.childForFieldName('expression')?.type ?? ''))) {
      const declared = lastName(file.scope.typeOf(receiver));
      calleeType = declared && /^[A-Z]/.test(declared) ? declared : null;
    }
    if (!calleeType) continue;
    const perItem = file.inLoop(node);
    const line = file.location(node).line ?? 0;
    // Per-item sites are kept one per line (each is a place to report); the rest once per edge.
    const key = `${owner.type}#${owner.method}>${calleeType}#${call.name}${perItem ? `@${line}` : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    graph.invocations.push({ type: owner.type, method: owner.method, calleeType, callee: call.name, inLoop: perItem, line, ...(owner.background ? { background: true } : {}) });
  }
  return graph.callers.length > 0 || graph.invocations.length > 0 ? graph : null;
}
