/**
 * The class-level call graph of one Java file (see ClassGraph in facts.ts): the types it declares with their
 * supertypes, the method holding each outbound call, and the invocations on receivers of a declared type
 * (injected fields, constructor and method parameters, locals) or on the class itself, with whether they run per item.
 */
import type { ClassGraph } from '../../facts.js';
import { lineOf, type SyntaxNode } from '../tree-sitter.js';
import { inLoop } from './calls.js';
import { lookup } from './scope.js';
import { annotationName, annotationsOf, simpleType, TYPE_DECLARATIONS } from './syntax.js';

const CALLABLES = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);
/** Methods run by a scheduler rather than for a request. */
const SCHEDULED = new Set(['Scheduled', 'Schedules', 'SchedulerLock']);
const JOB_TYPES = new Set(['QuartzJobBean', 'Job', 'InterruptableJob', 'Tasklet']);

/** A type declaration's name and the supertypes it names (`extends`, `implements`, an interface's `extends`). */
export function typeEntry(type: SyntaxNode): ClassGraph['types'][number] | null {
  const name = type.childForFieldName('name')?.text;
  if (!name) return null;
  const supertypes: string[] = [];
  for (const child of type.namedChildren) {
    if (child?.type !== 'superclass' && child?.type !== 'super_interfaces' && child?.type !== 'extends_interfaces') continue;
    const list = child.namedChildren.find((c) => c?.type === 'type_list');
    for (const t of list ? list.namedChildren : child.namedChildren) {
      const simple = simpleType(t);
      if (simple) supertypes.push(simple);
    }
  }
  return { name, supertypes };
}

/** The method and type a node is in (null in a field initializer or outside any method). */
export function ownerOf(node: SyntaxNode): { type: string; method: string } | null {
  const found = enclosingMethod(node);
  return found ? { type: found.type, method: found.method } : null;
}

type Owner = { type: string; method: string; background: boolean; declaration: SyntaxNode };

function enclosingMethod(node: SyntaxNode, owners?: Map<number, Owner | null>): Owner | null {
  let method: string | null = null;
  let background = false;
  for (let current = node.parent; current; current = current.parent) {
    if (method === null && CALLABLES.has(current.type)) {
      // From the method up, the answer is the same for every node in it: looked up once per method.
      if (owners) {
        const known = owners.get(current.id);
        if (known !== undefined) return known;
        const found = enclosingMethod(current.namedChildren[0] ?? current, undefined);
        owners.set(current.id, found);
        return found;
      }
      method = current.type === 'method_declaration' ? (current.childForFieldName('name')?.text ?? null) : '<init>';
      background = annotationsOf(current).some((a) => SCHEDULED.has(annotationName(a)));
    }
    if (TYPE_DECLARATIONS.has(current.type)) {
      const type = typeEntry(current);
      if (method === null || !type) return null;
      return { type: type.name, method, background: background || type.supertypes.some((s) => JOB_TYPES.has(s)), declaration: current };
    }
  }
  return null;
}

/** Lookups shared by the invocations of one file: field types per type declaration, receiver types per method and name. */
export interface TypeCache {
  fields: Map<number, Map<string, string>>;
  receivers: Map<string, string | null>;
  /** The owner (type, method) of each callable, by its node id. */
  owners: Map<number, Owner | null>;
}

export const newTypeCache = (): TypeCache => ({ fields: new Map(), receivers: new Map(), owners: new Map() });

/** The declared types of a type's fields and record components, read once per type. */
function fieldTypes(type: SyntaxNode, cache: TypeCache): Map<string, string> {
  let found = cache.fields.get(type.id);
  if (found) return found;
  found = new Map();
  for (const parameter of type.type === 'record_declaration' ? (type.childForFieldName('parameters')?.namedChildren ?? []) : []) {
    const name = parameter?.childForFieldName('name')?.text;
    const declared = simpleType(parameter?.childForFieldName('type') ?? null);
    if (name && declared) found.set(name, declared);
  }
  for (const member of type.childForFieldName('body')?.namedChildren ?? []) {
    if (member?.type !== 'field_declaration') continue;
    const declared = simpleType(member.childForFieldName('type'));
    if (!declared) continue;
    for (const declarator of member.namedChildren) {
      const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name')?.text : null;
      if (name) found.set(name, declared);
    }
  }
  cache.fields.set(type.id, found);
  return found;
}

/**
 * `receiver.m(…)` / `this.m(…)` / `m(…)` (a method invocation) or `receiver::m` (a method reference) in a method of
 * a type, when the receiver's type is known: declared, or the enclosing type. Each receiver name is looked up once
 * per method (locals and parameters, within the scope walk's bound), then in the type's fields, read once per type.
 */
export function invocationEntry(node: SyntaxNode, cache: TypeCache): ClassGraph['invocations'][number] | null {
  const reference = node.type === 'method_reference';
  const object = reference ? node.namedChildren[0] : node.childForFieldName('object');
  const callee = reference ? node.namedChildren.at(-1)?.text : node.childForFieldName('name')?.text;
  if (!callee || (reference && node.namedChildren.length < 2)) return null;
  // Only receivers whose type can be known: none, `this`, a name, or `this.name` (not `a.b().c()`).
  const receiverKind = object?.type;
  if (object && receiverKind !== 'this' && receiverKind !== 'identifier' && !(receiverKind === 'field_access' && object.childForFieldName('object')?.type === 'this')) return null;
  const owner = enclosingMethod(node, cache.owners);
  if (!owner) return null;
  let calleeType: string | null = null;
  if (!object || object.type === 'this') calleeType = owner.type;
  else if (object.type === 'identifier' || (object.type === 'field_access' && object.childForFieldName('object')?.type === 'this')) {
    const field = object.type === 'field_access';
    const name = field ? (object.childForFieldName('field')?.text ?? '') : object.text;
    const key = `${owner.declaration.id}#${owner.method}#${object.text}`;
    if (cache.receivers.has(key)) calleeType = cache.receivers.get(key)!;
    else {
      const local = field ? undefined : lookup(name, object, { fields: false });
      const declared = local ? local.type : (fieldTypes(owner.declaration, cache).get(name) ?? null);
      calleeType = declared && declared !== 'var' && /^[A-Z]/.test(declared) ? declared : null;
      cache.receivers.set(key, calleeType);
    }
  }
  if (!calleeType) return null;
  // A method reference runs per item when the call it is passed to does: look from inside it.
  const perItem = reference ? inLoop(node.namedChildren[0]!) : inLoop(node);
  return { type: owner.type, method: owner.method, calleeType, callee, inLoop: perItem, line: lineOf(node.childForFieldName('name') ?? node), ...(owner.background ? { background: true } : {}) };
}
