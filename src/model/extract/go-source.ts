/**
 * Go source, read with tree-sitter in one walk per file: `package main` + `func main` (entry point), imports, gRPC
 * dials and generated clients (`pb.NewOrdersClient(conn)` and the calls made through them), net/http and resty
 * calls, grpc-gateway registrations (a gateway and its upstreams), struct-tag configuration, breakers and the calls
 * they protect, health endpoints and services, tracing set-up and export, producers and consumers.
 */
import type { Query, QueryCapture } from 'web-tree-sitter';
import type { GatewayRoute } from '../facts.js';
import type { OutboundCall } from '../types.js';
import { defineExtractor } from './define-extractor.js';
import { structTagSettings } from './go/config-structs.js';
import { compositeLiteral, libraryOf, methodCall, packageCall, wrapperOption, type MessagingScope } from './go/messaging.js';
import { BREAKER_RUNNERS, defaultAlias, GRPC, GRPC_GATEWAY, healthOf, isBreakerPackage, isStandardLibrary, ITERATORS, localStateOf, ROUTE_METHODS, tracingOf, under } from './go/packages.js';
import { argumentsOf, calleeOf, calleeOfConversion, compositeOf, compositeType, literalFields, selectorPath, stringLiteral } from './go/syntax.js';
import { configPath, envOfCall, evaluate } from './go/values.js';
import { urlOf, type Address } from './shared/address.js';
import { isHealthRoute } from './shared/health.js';
import { SourceFacts, type Connection, type GrpcClient, type Site } from './shared/source-facts.js';
import { createQuery, lineOf, type SyntaxNode } from './tree-sitter.js';

const HTTP_VERBS: ReadonlyMap<string, string> = new Map([
  ['Get', 'GET'],
  ['Head', 'HEAD'],
  ['Post', 'POST'],
  ['PostForm', 'POST'],
  ['Put', 'PUT'],
  ['Patch', 'PATCH'],
  ['Delete', 'DELETE'],
]);

/** `pb.NewOrderServiceClient`: a generated client constructor (the bare `NewClient` of many libraries is not one). */
const DIALS: ReadonlySet<string> = new Set(['Dial', 'DialContext', 'NewClient']);

const isClientConstructor = (name: string): boolean => name.length > 'NewClient'.length && name.startsWith('New') && name.endsWith('Client');

class GoFile extends SourceFacts {
  readonly imports = new Map<string, string>();
  readonly constants = new Map<string, string>();
  readonly addresses = new Map<string, Address>();
  readonly dialBindings = new Map<string, Connection>();
  readonly clientBindings = new Map<string, GrpcClient>();
  readonly httpClients = new Set<string>();
  /** HTTP clients whose transport is a breaker (`&http.Client{Transport: breaker.NewRoundTripper(…)}`). */
  readonly guardedClients = new Set<string>();
  /** Route groups (`r.Group("/health")`, gorilla `PathPrefix("/health")`): the prefix of the routes registered on them. */
  private readonly prefixes = new Map<string, string>();
  /** Requests built in this file (`req` → the call recorded where it was built). */
  private readonly requests = new Map<string, OutboundCall>();
  readonly breakerBindings = new Set<string>();
  /** Package-level variables: kept when a function starts. */
  readonly globals = new Set<string>();
  /** Functions of this file that dial their parameter: name → which argument is the address, which the `*conn` out-parameter. */
  private readonly dialHelpers = new Map<string, { address: number; conn: number | null }>();
  /** Dials inside those helpers: their address is the helper's argument, read at each call of the helper. */
  private readonly helperDials = new Set<number>();
  private readonly byNode = new Map<number, Connection | GrpcClient>();
  readonly routes: GatewayRoute[] = [];
  readonly messaging: MessagingScope;
  packageName = '';
  breakerImported = false;
  gatewayImported = false;
  restyImported = false;

  constructor(file: string) {
    super(file);
    this.messaging = { file, imports: this.imports, constants: this.constants, addresses: this.addresses, libraries: new Set(), out: this.endpoints };
  }

  addImport(spec: SyntaxNode): void {
    const path = stringLiteral(spec.childForFieldName('path'));
    if (path === null) return;
    const name = spec.childForFieldName('name')?.text;
    if (name !== '_' && name !== '.') this.imports.set(name ?? defaultAlias(path), path);
    if (isBreakerPackage(path) || under(path, 'github.com/failsafe-go/failsafe-go')) this.breakerImported = true;
    if (under(path, GRPC_GATEWAY)) this.gatewayImported = true;
    if (under(path, 'github.com/go-resty/resty') || under(path, 'github.com/imroc/req')) this.restyImported = true;
    const library = libraryOf(path);
    if (library) (this.messaging.libraries as Set<string>).add(library);
    if (!isStandardLibrary(path)) this.imported.push({ specifier: path, location: { file: this.file, line: lineOf(spec) } });
  }

  /** A function starts: its parameters and locals hide whatever other functions bound to the same names. */
  enterFunction(): void {
    for (const map of [this.addresses, this.dialBindings, this.clientBindings] as Array<Map<string, unknown>>) {
      for (const key of map.keys()) if (!key.startsWith('.') && !this.globals.has(key)) map.delete(key);
    }
    for (const set of [this.httpClients, this.guardedClients, this.breakerBindings]) for (const key of set) if (!key.startsWith('.') && !this.globals.has(key)) set.delete(key);
  }

  /** `func mustConnGRPC(ctx, conn **grpc.ClientConn, addr string) { *conn, err = grpc.NewClient(addr, …) }` and `func dial(addr string) (*grpc.ClientConn, error)`. */
  findDialHelpers(nodes: readonly QueryCapture[]): void {
    for (const { node } of nodes) {
      if (node.type !== 'call_expression') continue;
      const pkg = this.packageOf(node);
      if (pkg?.path !== GRPC || !DIALS.has(pkg.name)) continue;
      const target = argumentsOf(node)[pkg.name === 'DialContext' ? 1 : 0];
      if (target?.type !== 'identifier') continue;
      const fn = parametersOf(node);
      const address = fn ? fn.params.indexOf(target.text) : -1;
      if (!fn || address === -1) continue;
      const statement = node.parent?.type === 'expression_list' ? node.parent.parent : null;
      const left = statement?.type === 'assignment_statement' ? statement.childForFieldName('left')?.namedChildren[0] : null;
      const out = left?.type === 'unary_expression' && left.childForFieldName('operator')?.text === '*' ? left.childForFieldName('operand') : null;
      const conn = out?.type === 'identifier' ? fn.params.indexOf(out.text) : -1;
      this.dialHelpers.set(fn.name, { address, conn: conn === -1 ? null : conn });
      this.helperDials.add(node.id);
    }
  }

  /** The import path of the package a node's call/selector chain starts from (`gobreaker.NewCircuitBreaker(…).Execute`), or null. */
  rootPackage(node: SyntaxNode | null): string | null {
    for (let depth = 0; node && depth < 12; depth++) {
      if (node.type === 'identifier' || node.type === 'package_identifier') return this.imports.get(node.text) ?? null;
      if (node.type === 'call_expression') node = node.childForFieldName('function');
      else if (node.type === 'selector_expression' || node.type === 'index_expression') node = node.childForFieldName('operand');
      else if (node.type === 'type_conversion_expression') node = node.childForFieldName('type');
      else if (node.type === 'generic_type') node = node.childForFieldName('type');
      else if (node.type === 'qualified_type') node = node.childForFieldName('package');
      else if (node.type === 'unary_expression' || node.type === 'parenthesized_expression') node = node.namedChildren[0] ?? null;
      else return null;
    }
    return null;
  }

  /** The package a `pkg.Fn(…)` call calls into, or undefined for a method call. */
  packageOf(call: SyntaxNode): { path: string; name: string } | undefined {
    const callee = calleeOf(call);
    if (callee?.operand?.type !== 'identifier') return undefined;
    const path = this.imports.get(callee.operand.text);
    return path === undefined ? undefined : { path, name: callee.name };
  }

  site(node: SyntaxNode): Site {
    let inLoop = false;
    let breaker = false;
    let fn: string | null = null;
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration') {
        fn = n.childForFieldName('name')?.text ?? null;
        break;
      }
      if (n.type === 'for_statement') inLoop = true;
      else if (n.type === 'func_literal' && n.parent?.type === 'argument_list' && n.parent.parent) {
        const outer = n.parent.parent;
        const callee = calleeOf(outer);
        if (callee && ITERATORS.has(callee.name)) inLoop = true;
        if (callee && this.isBreakerRunner(callee.operand, callee.name)) breaker = true;
      }
    }
    return { line: lineOf(node), inLoop, breaker, fn };
  }

  /** An expression that is (or builds) a breaker: a breaker package's value, a bound breaker, a local breaker helper. */
  private guards(node: SyntaxNode): boolean {
    const pkg = this.rootPackage(node);
    if (pkg !== null && isBreakerPackage(pkg)) return true;
    const key = bindingKey(node);
    if (key !== null && this.breakerBindings.has(key)) return true;
    return this.breakerImported && (node.text.includes('reaker') || node.text.includes('ircuit'));
  }

  private isBreakerRunner(operand: SyntaxNode | null, name: string): boolean {
    if (!this.breakerImported || !BREAKER_RUNNERS.has(name) || !operand) return false;
    const pkg = this.rootPackage(operand);
    if (pkg !== null && (isBreakerPackage(pkg) || under(pkg, 'github.com/failsafe-go/failsafe-go'))) return true;
    const key = bindingKey(operand);
    return (key !== null && this.breakerBindings.has(key)) || name === 'Execute';
  }

  /** The dial a call is (`grpc.Dial`, `grpc.DialContext`, `grpc.NewClient`), created once per call node. */
  dialOf(call: SyntaxNode): Connection | null {
    const known = this.byNode.get(call.id);
    if (known) return 'address' in known ? known : null;
    if (this.helperDials.has(call.id)) return null;
    const args = argumentsOf(call);
    let target: SyntaxNode | undefined;
    let out: SyntaxNode | undefined;
    const callee = calleeOf(call);
    const helper = callee && !callee.operand ? this.dialHelpers.get(callee.name) : undefined;
    if (helper) {
      target = args[helper.address];
      out = helper.conn === null ? undefined : args[helper.conn];
    } else {
      const pkg = this.packageOf(call);
      if (pkg?.path !== GRPC || !DIALS.has(pkg.name)) return null;
      target = args[pkg.name === 'DialContext' ? 1 : 0];
    }
    const options = args.filter((a) => a !== target);
    const breaker = options.some((option) => this.guards(option) || (option.type === 'call_expression' && argumentsOf(option).some((inner) => this.guards(inner))));
    const dial: Connection = { address: evaluate(target, this.messaging), site: this.site(call), breaker };
    this.byNode.set(call.id, dial);
    this.connections.push(dial);
    if (out?.type === 'unary_expression') out = out.childForFieldName('operand') ?? undefined;
    const key = out ? bindingKey(out) : null;
    if (out && key !== null) {
      this.dialBindings.set(key, dial);
      this.fieldSetting(fieldRef(out), dial.address);
    }
    return dial;
  }

  /** The generated client a call constructs (`pb.NewOrdersClient(conn)`), created once per call node. */
  clientOf(call: SyntaxNode): GrpcClient | null {
    const known = this.byNode.get(call.id);
    if (known) return 'calls' in known ? known : null;
    const pkg = this.packageOf(call);
    if (!pkg || isStandardLibrary(pkg.path) || !isClientConstructor(pkg.name)) return null;
    const args = argumentsOf(call);
    if (args.length !== 1) return null;
    const arg = args[0]!;
    const key = bindingKey(arg);
    const dial = (key !== null ? this.dialBindings.get(key) : undefined) ?? (arg.type === 'call_expression' ? this.dialOf(arg) : null);
    if (!dial && !(key !== null && key.toLowerCase().includes('conn'))) return null;
    const connectionKey = !dial && arg.type === 'selector_expression' ? fieldPath(arg) : null;
    const client: GrpcClient = { connection: dial, connectionKey, service: pkg.name.slice('New'.length, -'Client'.length), site: this.site(call), calls: [] };
    this.byNode.set(call.id, client);
    this.grpcClients.push(client);
    return client;
  }

  /**
   * A field that holds an address from the environment, or a connection, is configuration other files read through
   * the field (`svc.ordersAddr = os.Getenv("ORDERS_ADDR")` → `ordersAddr` = `${ORDERS_ADDR}`): a Setting keyed by the
   * field's path, which a call's configKey in another file of the service resolves through.
   */
  fieldSetting(field: FieldRef | null, address: Address | null): void {
    if (!field || !address || (address.envVar === null && address.configKey === null && address.text.includes('${'))) return;
    this.setting(field.key, address.text, lineOf(field.node));
  }

  /** `x := value` / `s.x = value` / `{x: value}`: what `x` holds from now on; `setting`: the field's path, for `fieldSetting`. */
  bind(key: string, value: SyntaxNode, setting: FieldRef | null = null): void {
    this.addresses.delete(key);
    this.dialBindings.delete(key);
    this.clientBindings.delete(key);
    this.httpClients.delete(key);
    this.guardedClients.delete(key);
    this.prefixes.delete(key);
    this.breakerBindings.delete(key);
    let node = value;
    if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '&') node = node.childForFieldName('operand') ?? node;
    if (node.type === 'call_expression') {
      const group = calleeOf(node)?.name;
      const prefix = group === 'Group' || group === 'PathPrefix' ? stringLiteral(argumentsOf(node)[0]) : null;
      if (prefix !== null) this.prefixes.set(key, prefix);
      const dial = this.dialOf(node);
      if (dial) {
        this.fieldSetting(setting, dial.address);
        return void this.dialBindings.set(key, dial);
      }
      const client = this.clientOf(node);
      if (client) return void this.clientBindings.set(key, client);
    }
    const pkg = this.rootPackage(node);
    if (pkg !== null && isBreakerPackage(pkg)) return void this.breakerBindings.add(key);
    if (this.isHttpClient(node, pkg)) {
      const transport = compositeOf(node) ? literalFields(compositeOf(node)!).get('Transport') : undefined;
      if (transport && this.guards(transport)) this.guardedClients.add(key);
      return void this.httpClients.add(key);
    }
    const other = bindingKey(node);
    if (other !== null) {
      const dial = this.dialBindings.get(other);
      if (dial) return void this.dialBindings.set(key, dial);
      const client = this.clientBindings.get(other);
      if (client) return void this.clientBindings.set(key, client);
      if (this.guardedClients.has(other)) this.guardedClients.add(key);
      if (this.httpClients.has(other)) return void this.httpClients.add(key);
      if (this.breakerBindings.has(other)) return void this.breakerBindings.add(key);
    }
    const address = evaluate(node, this.messaging);
    if (!address) return;
    this.addresses.set(key, address);
    if (address.envVar !== null) this.fieldSetting(setting, address);
  }

  private isHttpClient(node: SyntaxNode, pkg: string | null): boolean {
    const composite = compositeOf(node);
    if (composite) {
      const type = compositeType(composite);
      return type?.pkg != null && type.name === 'Client' && this.imports.get(type.pkg) === 'net/http';
    }
    if (pkg === 'net/http') return node.type === 'selector_expression' && node.childForFieldName('field')?.text === 'DefaultClient';
    return pkg !== null && (under(pkg, 'github.com/go-resty/resty') || under(pkg, 'github.com/imroc/req')) && node.type === 'call_expression';
  }

  bindPairs(left: SyntaxNode | null, right: SyntaxNode | null): void {
    if (!left || !right) return;
    const names = left.type === 'expression_list' ? left.namedChildren : [left];
    const values = right.type === 'expression_list' ? right.namedChildren : [right];
    for (let i = 0; i < names.length; i++) {
      const value = values.length === names.length ? values[i] : i === 0 ? values[0] : undefined;
      const name = names[i]!;
      const key = bindingKey(name);
      if (value && key !== null && key !== '_') this.bind(key, value, fieldRef(name));
    }
  }

  httpCall(client: string, method: string | null, url: SyntaxNode | undefined, call: SyntaxNode, guarded = false): OutboundCall {
    const site = this.site(call);
    return this.call('http', client, method, evaluate(url, this.messaging), guarded ? { ...site, breaker: true } : site);
  }

  /** `req, err := http.NewRequest(…)`: the request is sent later by `client.Do(req)`, maybe inside a breaker or a loop. */
  private request(call: SyntaxNode, recorded: OutboundCall): void {
    const statement = call.parent?.type === 'expression_list' ? call.parent.parent : null;
    const left = statement?.childForFieldName('left')?.namedChildren[0];
    const key = left ? bindingKey(left) : null;
    if (key !== null) this.requests.set(key, recorded);
  }

  onCall(call: SyntaxNode): void {
    const callee = calleeOf(call);
    if (!callee) return;
    const { operand, name } = callee;
    const pkg = operand?.type === 'identifier' ? this.imports.get(operand.text) : undefined;
    if (pkg !== undefined) this.onPackageCall(pkg, name, call);
    else this.onMethodCall(operand, name, call);
    if (ROUTE_METHODS.has(name)) this.healthRoute(name, call);
    if (this.breakerImported && pkg === undefined && this.site(call).breaker) this.guardedFunctions.add(name);
    const envName = envOfCall(call, this.messaging, callee);
    if (envName) {
      const out = argumentsOf(call).find((a) => a.type === 'unary_expression' && a.childForFieldName('operator')?.text === '&')?.childForFieldName('operand');
      const key = out ? bindingKey(out) : null;
      if (out && key !== null) {
        const address = evaluate(call, this.messaging)!;
        this.addresses.set(key, address);
        this.fieldSetting(fieldRef(out), address);
      }
      const fallback = argumentsOf(call).map(stringLiteral).find((text, i) => i > 0 && text !== null && text !== envName);
      if (fallback !== undefined && fallback !== null) this.setting(envName, fallback, lineOf(call));
    }
  }

  private healthRoute(name: string, call: SyntaxNode): void {
    const operand = calleeOf(call)?.operand;
    const prefix = operand ? (this.prefixes.get(bindingKey(operand) ?? '') ?? '') : '';
    const written = evaluate(argumentsOf(call)[0], this.messaging)?.text;
    if (written !== undefined && isHealthRoute(prefix ? `${prefix}/${written}` : written)) this.evidence('health', `${name}("${prefix}${written}")`, lineOf(call));
  }

  private onPackageCall(pkg: string, name: string, call: SyntaxNode): void {
    const alias = calleeOf(call)?.operand?.text ?? '';
    if (this.dialOf(call) || this.clientOf(call)) return;
    if (this.gatewayImported && name.startsWith('Register') && name.includes('Handler')) this.gatewayRoute(name, call);
    if (pkg === 'net/http') {
      const args = argumentsOf(call);
      if (name === 'NewRequest') this.request(call, this.httpCall('net/http', stringLiteral(args[0]), args[1], call));
      else if (name === 'NewRequestWithContext') this.request(call, this.httpCall('net/http', stringLiteral(args[1]), args[2], call));
      else if (HTTP_VERBS.has(name) && name !== 'Put' && name !== 'Patch' && name !== 'Delete') this.httpCall('net/http', HTTP_VERBS.get(name)!, args[0], call);
      return;
    }
    if (isStandardLibrary(pkg)) return;
    const what = `${alias}.${name}`;
    const tracing = tracingOf(pkg, name);
    if (tracing) {
      this.evidence('tracing', what, lineOf(call), pkg);
      if (tracing.exports) this.evidence('traceExport', what, lineOf(call), pkg);
    }
    if (healthOf(pkg, name)) this.evidence('health', what, lineOf(call));
    if (isBreakerPackage(pkg)) this.evidence('breakers', what, lineOf(call), pkg);
    const state = localStateOf(pkg, name);
    if (state) this.localState.push({ ...state, location: { file: this.file, line: lineOf(call) } });
    const library = libraryOf(pkg);
    if (library) packageCall(library, name, call, this.messaging);
    else wrapperOption(pkg, name, call, this.messaging);
  }

  private onMethodCall(operand: SyntaxNode | null, name: string, call: SyntaxNode): void {
    if (!operand) {
      this.dialOf(call);
      return;
    }
    const key = bindingKey(operand);
    const client = (key !== null ? this.clientBindings.get(key) : undefined) ?? (operand.type === 'call_expression' ? this.clientOf(operand) : null);
    if (client) {
      client.calls.push(this.site(call));
      return;
    }
    if (name === 'Do') {
      const request = argumentsOf(call)[0];
      const sent = request ? this.requests.get(bindingKey(request) ?? '') : undefined;
      if (sent) {
        const site = this.site(call);
        sent.breaker ||= site.breaker || (key !== null && this.guardedClients.has(key));
        sent.inLoop ||= site.inLoop;
        return;
      }
    }
    const verb = HTTP_VERBS.get(name);
    if (verb) {
      const args = argumentsOf(call);
      const isHttpClient = (key !== null && this.httpClients.has(key)) || (operand.type === 'selector_expression' && operand.text === 'http.DefaultClient');
      if (isHttpClient && name !== 'Put' && name !== 'Patch' && name !== 'Delete') return void this.httpCall('net/http', verb, args[0], call, key !== null && this.guardedClients.has(key));
      if (this.restyImported && hasRequestBuilder(operand)) return void this.httpCall('resty', verb, args[0], call);
    }
    if (this.messaging.libraries.size > 0) methodCall(name, call, this.messaging);
  }

  /** grpc-gateway: `RegisterXHandlerFromEndpoint(ctx, mux, endpoint, opts)`, `RegisterXHandler(ctx, mux, conn)`, `RegisterXHandlerClient(ctx, mux, client)`. */
  private gatewayRoute(name: string, call: SyntaxNode): void {
    const args = argumentsOf(call);
    let address: Address | null = null;
    if (name.endsWith('HandlerFromEndpoint')) address = evaluate(args[2], this.messaging);
    else if (name.endsWith('Handler') || name.endsWith('HandlerClient')) {
      const key = args[2] ? bindingKey(args[2]) : null;
      const bound = key !== null ? (this.dialBindings.get(key) ?? this.clientBindings.get(key)?.connection) : undefined;
      const direct = args[2]?.type === 'call_expression' ? (this.dialOf(args[2]) ?? this.clientOf(args[2])?.connection) : undefined;
      address = (bound ?? direct)?.address ?? null;
      if (!bound && !direct) return;
    } else return;
    this.routes.push({ path: null, host: null, upstream: address ? urlOf(address) : args[2]?.text ?? '', breaker: false, location: { file: this.file, line: lineOf(call) } });
  }

  onConversion(node: SyntaxNode): void {
    const callee = calleeOfConversion(node);
    const pkg = callee ? this.imports.get(callee.pkg) : undefined;
    if (callee && pkg !== undefined && isBreakerPackage(pkg)) this.evidence('breakers', `${callee.pkg}.${callee.name}`, lineOf(node));
  }

  onComposite(node: SyntaxNode): void {
    const alias = compositeType(node)?.pkg;
    const pkg = alias ? this.imports.get(alias) : undefined;
    const library = pkg ? libraryOf(pkg) : null;
    if (library) compositeLiteral(library, node, this.messaging);
  }
}

/** The name a value is bound to: `x` for an identifier, `.x` for a field (`s.x`, `p.cfg.x`). */
function bindingKey(node: SyntaxNode): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'selector_expression') {
    const field = node.childForFieldName('field');
    return field ? `.${field.text}` : null;
  }
  return null;
}

/** A struct field assigned to, with the key it is known by across files. */
interface FieldRef {
  key: string;
  node: SyntaxNode;
}

const fieldRef = (node: SyntaxNode): FieldRef | null => {
  const key = node.type === 'selector_expression' ? fieldPath(node) : null;
  return key === null ? null : { key, node };
};

/** `s.cfg.Orders.URL` → `cfg.Orders.URL` without its root variable: the key a field is known by across files. */
function fieldPath(node: SyntaxNode): string | null {
  const path = selectorPath(node);
  return path ? configPath(path) : null;
}

/** A declaration at package level (not inside a function). */
function isTopLevel(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'source_file') return true;
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return false;
  }
  return false;
}

/** The enclosing function declaration's parameter names, in order. */
function parametersOf(node: SyntaxNode): { name: string; params: string[] } | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'func_literal') return null;
    if (n.type === 'function_declaration') {
      const params = (n.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => p.childrenForFieldName('name').map((id) => id.text));
      return { name: n.childForFieldName('name')?.text ?? '', params };
    }
    if (n.type === 'method_declaration') return null;
  }
  return null;
}

/** resty/req: `client.R()` (or a chain of setters on it) builds the request that `.Get(url)` sends. */
function hasRequestBuilder(node: SyntaxNode | null): boolean {
  for (let depth = 0; node && depth < 12; depth++) {
    if (node.type !== 'call_expression') return false;
    const callee = calleeOf(node);
    if (callee?.name === 'R' && argumentsOf(node).length === 0) return true;
    node = callee?.operand ?? null;
  }
  return false;
}

let query: Query | null = null;

/**
 * The nodes the extractor looks at, in source order (a declaration before the calls inside it). A query runs inside
 * the WASM module and hands over only these, several times faster than visiting every node from JavaScript.
 */
function nodesOfInterest(root: SyntaxNode): QueryCapture[] {
  query ??= createQuery(
    root.tree.language,
    '[(function_declaration) (method_declaration) (short_var_declaration) (assignment_statement) (var_spec) (keyed_element) (call_expression) (type_conversion_expression) (composite_literal)] @node',
  );
  return query.captures(root);
}

function collect(root: SyntaxNode, file: string): GoFile {
  const go = new GoFile(file);
  for (const top of root.namedChildren) {
    if (top.type === 'package_clause') go.packageName = top.namedChildren[0]?.text ?? '';
    else if (top.type === 'import_declaration') {
      for (const child of top.namedChildren) {
        if (child.type === 'import_spec') go.addImport(child);
        else if (child.type === 'import_spec_list') for (const spec of child.namedChildren) if (spec.type === 'import_spec') go.addImport(spec);
      }
    } else if (top.type === 'const_declaration' || top.type === 'var_declaration') {
      for (const spec of top.namedChildren.flatMap((n) => (n.type === 'var_spec_list' ? n.namedChildren : [n]))) {
        if (spec.type !== 'const_spec' && spec.type !== 'var_spec') continue;
        const names = spec.childrenForFieldName('name');
        const values = spec.childForFieldName('value')?.namedChildren ?? [];
        names.forEach((name, i) => {
          const value = values[i];
          const text = value?.type === 'int_literal' ? value.text : stringLiteral(value);
          if (text !== null) go.constants.set(name.text, text);
        });
      }
    } else if (top.type === 'function_declaration' && go.packageName === 'main' && top.childForFieldName('name')?.text === 'main') {
      go.evidence('entryPoints', 'func main', lineOf(top));
    }
  }
  const nodes = nodesOfInterest(root);
  go.findDialHelpers(nodes);
  for (const { node } of nodes) {
    switch (node.type) {
      case 'function_declaration':
      case 'method_declaration':
        go.enterFunction();
        break;
      case 'short_var_declaration':
      case 'assignment_statement':
        go.bindPairs(node.childForFieldName('left'), node.childForFieldName('right'));
        break;
      case 'var_spec': {
        const global = isTopLevel(node);
        for (const [i, name] of node.childrenForFieldName('name').entries()) {
          const value = node.childForFieldName('value')?.namedChildren[i];
          if (value) go.bind(name.text, value);
          if (global) go.globals.add(name.text);
        }
        break;
      }
      case 'keyed_element': {
        const key = node.childForFieldName('key')?.namedChildren[0];
        const value = node.childForFieldName('value')?.namedChildren[0];
        if (key?.type === 'identifier' && value) go.bind(`.${key.text}`, value, { key: key.text, node: key });
        break;
      }
      case 'call_expression':
        go.onCall(node);
        break;
      case 'type_conversion_expression':
        go.onConversion(node);
        break;
      case 'composite_literal':
        go.onComposite(node);
        break;
    }
  }
  go.settings.unshift(...structTagSettings(root, file));
  return go;
}

/** Generated protobuf/gRPC code and tests say nothing about what the service does at run time. */
const isGenerated = (lower: string): boolean => lower.endsWith('.pb.go') || lower.endsWith('.pb.gw.go') || lower.endsWith('_test.go');

/**
 * What any fact other than imports needs written in the file: a client or server library, an environment read or
 * tag, a breaker, tracer or broker, a health path, a generated client, a main function.
 */
const FACT_NEEDLES = [
  'grpc', 'http', 'resty', 'imroc/req', 'env', 'Env', 'mapstructure', 'breaker', 'hystrix', 'failsafe', 'circuit', 'otel', 'opentelemetry', 'jaeger',
  'zipkin', 'opencensus', 'opentracing', 'DataDog', 'amqp', 'rabbit', 'sarama', 'kafka', 'nats', 'health', 'Health', 'ready', 'live', 'ping',
  'sessions', 'Client(', 'func main',
];

/**
 * The package clause and imports only, for a file that holds no other fact: Go puts every import before the first
 * top-level declaration, so parsing up to it is enough (and most of a file is after it).
 */
function header(text: string): string {
  let end = text.length;
  for (const keyword of ['\nfunc ', '\ntype ', '\nvar ', '\nconst ']) {
    const at = text.indexOf(keyword);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end + 1);
}

export default defineExtractor({
  id: 'go-source',
  description: 'Go source (tree-sitter): entry points, imports, gRPC/HTTP calls, grpc-gateway routes, struct-tag settings, breakers, health, tracing, messaging',
  accepts: (file) => file.ext === '.go' && !isGenerated(file.lower) && !/(?:^|\/)(?:vendor|testdata)\//.test(file.path),
  needles: ['import', 'env', 'mapstructure', 'func main'],
  grammars: ['go'],
  offThread: true,
  extract: ({ path, text }, ctx) =>
    ctx.withTree('go', FACT_NEEDLES.some((needle) => text.includes(needle)) ? text : header(text), (tree) => {
      const go = collect(tree.rootNode, path);
      const result = go.result('go');
      if (go.routes.length > 0) result.gateways = [{ implementation: 'grpc-gateway', runsIn: null, routes: go.routes, location: go.routes[0]!.location }];
      return result;
    }),
});
