/** One C# file as the csharp-source extractor sees it after its single walk: the nodes it acts on, and its scope. */
import type { Location } from '../../types.js';
import type { Query } from 'web-tree-sitter';
import { createQuery, lineOf, type SyntaxNode } from '../tree-sitter.js';
import { args, callee, lastName, named, stringValue, type Callee } from './syntax.js';
import { FileScope } from './values.js';

/** Polly (v7 policies, v8 pipelines) and Microsoft.Extensions.Http.Resilience calls that build a circuit breaker. */
export const BREAKER_METHODS = new Set(['CircuitBreaker', 'CircuitBreakerAsync', 'AdvancedCircuitBreaker', 'AdvancedCircuitBreakerAsync', 'AddCircuitBreaker', 'AddStandardResilienceHandler', 'AddStandardHedgingHandler']);

const LOOPS = new Set(['for_statement', 'foreach_statement', 'while_statement', 'do_statement']);
/** Calls whose lambda runs once per item. */
const PER_ITEM = new Set(['Select', 'SelectMany', 'ForEach', 'ForEachAsync', 'Where', 'Any', 'All', 'Aggregate', 'ToDictionary', 'ToLookup']);
const BOUNDARIES = new Set(['method_declaration', 'constructor_declaration', 'local_function_statement', 'class_declaration', 'compilation_unit']);
const TYPES = new Set(['class_declaration', 'interface_declaration', 'record_declaration', 'struct_declaration']);
const VISITED = new Set([...TYPES, 'invocation_expression', 'object_creation_expression', 'global_statement', 'variable_declaration', 'parameter', 'property_declaration', 'assignment_expression', 'method_declaration', 'local_function_statement']);

let query: Query | null = null;

export class CsFile {
  readonly scope = new FileScope();
  /** Every method invocation with what it calls (read once: node access is the costly part of a walk). */
  readonly invocations: Array<{ node: SyntaxNode; call: Callee }> = [];
  readonly creations: SyntaxNode[] = [];
  readonly types: SyntaxNode[] = [];
  readonly methodsWithAttributes: SyntaxNode[] = [];
  /** Start offsets of breaker-building invocations. */
  readonly breakerStarts: number[] = [];
  /** The nodes outbound calls were recorded at (for the class graph: which method holds each). */
  readonly callSites: SyntaxNode[] = [];
  /** `x.BaseAddress = …` / `o.Address = …`: the assigned name and the value. */
  readonly baseAddresses: Array<{ target: string; value: SyntaxNode; start: number }> = [];
  topLevelStatements: SyntaxNode | null = null;

  constructor(
    readonly path: string,
    root: SyntaxNode,
  ) {
    // A query picks the node kinds out inside WASM: far cheaper than visiting every node from JavaScript.
    query ??= createQuery(root.tree.language, `[${[...VISITED].map((type) => `(${type})`).join(' ')}] @node`);
    for (const capture of query.captures(root)) this.visit(capture.node);
    this.bindOptions();
  }

  private visit(node: SyntaxNode): void {
    const { scope } = this;
    switch (node.type) {
      case 'invocation_expression': {
        const call = callee(node);
        if (!call) break;
        this.invocations.push({ node, call });
        if (BREAKER_METHODS.has(call.name)) this.breakerStarts.push(node.startIndex);
        break;
      }
      case 'object_creation_expression':
        this.creations.push(node);
        break;
      case 'global_statement':
        this.topLevelStatements ??= node;
        break;
      case 'variable_declaration': {
        const type = node.childForFieldName('type');
        for (const declarator of named(node).filter((c) => c.type === 'variable_declarator')) {
          const nameNode = declarator.childForFieldName('name');
          scope.declare(nameNode?.text ?? null, type);
          scope.assign(nameNode?.text ?? null, named(declarator).filter((c) => c.startIndex !== nameNode?.startIndex).at(-1) ?? null);
        }
        break;
      }
      case 'parameter':
      case 'property_declaration':
        scope.declare(node.childForFieldName('name')?.text ?? null, node.childForFieldName('type'));
        break;
      case 'assignment_expression': {
        if (node.childForFieldName('operator')?.text !== '=') break;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const name = lastName(left);
        if (left?.type === 'member_access_expression' && (name === 'BaseAddress' || name === 'Address') && right) {
          this.baseAddresses.push({ target: lastName(left.childForFieldName('expression')) ?? '', value: right, start: node.startIndex });
        } else scope.assign(name, right);
        break;
      }
      case 'method_declaration':
      case 'local_function_statement': {
        const name = node.childForFieldName('name')?.text;
        if (name) scope.methods.set(name, node);
        if (named(node).some((c) => c.type === 'attribute_list')) this.methodsWithAttributes.push(node);
        break;
      }
      default:
        if (TYPES.has(node.type)) this.types.push(node);
    }
  }

  /** `Configure<T>(config.GetSection("urls"))`, `AddOptions<T>().Bind(…)` / `.BindConfiguration("urls")`: T's section. */
  private bindOptions(): void {
    for (const { node, call } of this.invocations) {
      let type: SyntaxNode | undefined;
      let section: string[] | null = null;
      const first = args(node)[0]?.value;
      if (call.name === 'Configure' && call.typeArgs.length === 1 && first) {
        type = call.typeArgs[0];
        section = this.scope.configPath(first);
      } else if ((call.name === 'Bind' || call.name === 'BindConfiguration') && call.receiver?.type === 'invocation_expression' && first) {
        const options = callee(call.receiver);
        if (options?.name !== 'AddOptions') continue;
        type = options.typeArgs[0];
        const literal = stringValue(first);
        section = call.name === 'BindConfiguration' ? (literal === null ? null : literal.split(':')) : this.scope.configPath(first);
      }
      const name = lastName(type ?? null);
      if (name && section && section.length > 0) this.scope.optionSections.set(name, section.join('.'));
    }
  }

  /** Where a node is; for a chained invocation (`services.AddX()\n  .WithTracing(…)`), the line of its method name. */
  location(node: SyntaxNode): Location {
    const fn = node.type === 'invocation_expression' ? node.childForFieldName('function') : null;
    const name = fn?.type === 'member_access_expression' ? fn.childForFieldName('name') : null;
    return { file: this.path, line: lineOf(name ?? node) };
  }

  /** Whether an expression builds a breaker: in its own text, or through the variable or same-file method it names. */
  containsBreaker(node: SyntaxNode | null, depth = 0): boolean {
    if (!node || depth > 4) return false;
    if (this.breakerStarts.some((start) => start >= node.startIndex && start < node.endIndex)) return true;
    if (node.type === 'invocation_expression') {
      const call = callee(node);
      const method = call && !call.receiver ? this.scope.methods.get(call.name) : undefined;
      if (method && method.startIndex !== node.startIndex) return this.containsBreaker(method, depth + 1);
      if (call?.receiver && this.containsBreaker(call.receiver, depth + 1)) return true;
      return named(node.childForFieldName('arguments')).some((a) => this.containsBreaker(named(a).at(-1) ?? null, depth + 1));
    }
    if (node.type === 'identifier' || node.type === 'member_access_expression') {
      const value = this.scope.resolve(node);
      if (value) return this.containsBreaker(value, depth + 1);
      const method = this.scope.methods.get(lastName(node) ?? '');
      return method ? this.containsBreaker(method, depth + 1) : false;
    }
    return false;
  }

  /** Inside a loop, or in a lambda that runs per item (`items.Select(i => …)`), within the same method. */
  inLoop(node: SyntaxNode): boolean {
    for (let up = node.parent; up && !BOUNDARIES.has(up.type); up = up.parent) {
      if (LOOPS.has(up.type)) return true;
      if (up.type === 'lambda_expression') {
        const invocation = up.parent?.parent?.parent;
        if (invocation?.type === 'invocation_expression' && PER_ITEM.has(callee(invocation)?.name ?? '')) return true;
      }
    }
    return false;
  }

  /** Run inside `policy.ExecuteAsync(() => …)` (or Execute, ExecuteAndCapture…) where the policy is a breaker. */
  insideBreaker(node: SyntaxNode): boolean {
    for (let up = node.parent; up && !BOUNDARIES.has(up.type); up = up.parent) {
      if (up.type !== 'lambda_expression') continue;
      const invocation = up.parent?.parent?.parent;
      const call = invocation?.type === 'invocation_expression' ? callee(invocation) : null;
      if (call?.name.startsWith('Execute') && this.containsBreaker(call.receiver)) return true;
    }
    return false;
  }

  /** Name of the class (or interface) a node is in. */
  enclosingType(node: SyntaxNode): string | null {
    for (let up = node.parent; up; up = up.parent) if (TYPES.has(up.type)) return up.childForFieldName('name')?.text ?? null;
    return null;
  }

  /** The `x.BaseAddress = …` of a name, the nearest before `before`. */
  baseAddressOf(name: string, before: number): SyntaxNode | null {
    const candidates = this.baseAddresses.filter((b) => b.target === name);
    return (candidates.filter((b) => b.start < before).at(-1) ?? candidates.at(-1))?.value ?? null;
  }
}
