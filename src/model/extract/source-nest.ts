/**
 * NestJS microservices in one file: clients registered under a token
 * (`ClientsModule.register`/`registerAsync`, providers whose factory calls
 * `ClientProxyFactory.create`), clients created in place (`@Client`,
 * `ClientProxyFactory.create`, `new ClientTCP(…)`), injections
 * (`@Inject(TOKEN) client: ClientProxy`), their `send`/`emit`/`getService`
 * calls, and servers (`createMicroservice`, `connectMicroservice`). The join
 * (source-join-nest.ts) matches calls with registrations and decides what
 * each call is.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import type { NestClientOptions, NestTransport, RawNestUse, Val } from './source-types.js';
import { accessPath, bindingKey, evaluate, property, unwrap } from './source-values.js';

const TRANSPORTS: ReadonlySet<string> = new Set(['TCP', 'GRPC', 'RMQ', 'KAFKA', 'NATS', 'REDIS', 'MQTT']);
/** Client classes and the transport each speaks (null: `ClientProxy`, any transport). */
export const NEST_CLIENT_CLASSES = new Map<string, NestTransport | null>([
  ['ClientProxy', null],
  ['ClientKafka', 'KAFKA'],
  ['ClientKafkaProxy', 'KAFKA'],
  ['ClientRMQ', 'RMQ'],
  ['ClientNats', 'NATS'],
  ['ClientMqtt', 'MQTT'],
  ['ClientRedis', 'REDIS'],
  ['ClientTCP', 'TCP'],
  ['ClientGrpc', 'GRPC'],
  ['ClientGrpcProxy', 'GRPC'],
]);

/** What a name bound to a NestJS client is known to be. */
export interface NestClientRef {
  token: Val | null;
  options: NestClientOptions | null;
  type: NestTransport | null;
}

/** `Transport.KAFKA` → KAFKA (as a value: an import of `Transport` with one member). */
function transportName(val: Val | undefined): NestTransport | null {
  if (val?.t !== 'ref' || val.b !== 'Transport' || val.p.length !== 1) return null;
  const name = val.p[0] as string;
  return TRANSPORTS.has(name) ? (name as NestTransport) : null;
}

/** The server's address in a client's `options`: `url`, or `host` with its `port`. */
function addressOf(options: Val | undefined): Val | null {
  if (options?.t !== 'obj') return null;
  const url = options.o.get('url');
  if (url) return url;
  const host = options.o.get('host');
  if (!host) return null;
  const port = options.o.get('port');
  return host.t === 'str' && port?.t === 'str' ? { t: 'str', s: `${host.s}:${port.s}` } : host;
}

/**
 * `{ transport: Transport.TCP, options: { host, port } }` as a value. An object without `transport` is
 * Nest's default, TCP; anything else (a config class, a call) says nothing.
 */
export function clientOptions(val: Val | null): NestClientOptions {
  if (val?.t !== 'obj') return { transport: null, address: null };
  const transport = val.o.get('transport');
  return { transport: transport ? transportName(transport) : 'TCP', address: addressOf(val.o.get('options')) };
}

/** `new ClientRMQ({ queue, urls })`, `new ClientTCP({ host, port })`: the options of a client class, or null for another class. */
function classOptions(w: FileWalk, node: ts.NewExpression): NestClientOptions | null {
  const path = accessPath(w.ts, node.expression);
  const name = path?.[path.length - 1];
  const type = name === undefined ? undefined : NEST_CLIENT_CLASSES.get(name);
  if (!type || !w.libraries.has('@nestjs/microservices')) return null;
  return { transport: type, address: addressOf(evaluate(w, node.arguments?.[0]) ?? undefined) };
}

/** The options of an expression that creates a client (`ClientProxyFactory.create(…)`, `new ClientTCP(…)`), or null. */
export function createdClient(w: FileWalk, init: ts.Expression): NestClientOptions | null {
  const t = w.ts;
  const node = unwrap(t, init);
  if (t.isNewExpression(node)) return classOptions(w, node);
  if (!t.isCallExpression(node) || accessPath(t, node.expression)?.join('.') !== 'ClientProxyFactory.create') return null;
  return clientOptions(evaluate(w, node.arguments[0]));
}

function returnOf(t: typeof ts, body: ts.Block): ts.Expression | null {
  for (const statement of body.statements) if (t.isReturnStatement(statement) && statement.expression) return statement.expression;
  return null;
}

/**
 * What `key` makes: the expression a factory returns (`useFactory: () => ({…})`, `useFactory(c) { …; return x; }`)
 * or the value itself (`useValue: x`); undefined when the object has no such key.
 */
function made(t: typeof ts, obj: ts.ObjectLiteralExpression, key: string): ts.Expression | null | undefined {
  for (const p of obj.properties) {
    if (!p.name || !(t.isIdentifier(p.name) || t.isStringLiteral(p.name)) || p.name.text !== key) continue;
    if (t.isMethodDeclaration(p)) return p.body ? returnOf(t, p.body) : null;
    if (!t.isPropertyAssignment(p)) return null;
    const fn = unwrap(t, p.initializer);
    if (!t.isArrowFunction(fn) && !t.isFunctionExpression(fn)) return fn;
    return t.isBlock(fn.body) ? returnOf(t, fn.body) : fn.body;
  }
  return undefined;
}

/** One registration of `ClientsModule.register([...])`: `{ name, transport, options }` or `{ name, useFactory }` (`useClass`: options unknown). */
function registration(w: FileWalk, element: ts.Expression): void {
  const t = w.ts;
  const obj = unwrap(t, element);
  if (!t.isObjectLiteralExpression(obj)) return;
  const token = evaluate(w, property(t, obj, 'name'));
  if (!token) return;
  const factory = made(t, obj, 'useFactory');
  const expr = factory === undefined ? (property(t, obj, 'useClass') ? null : obj) : factory;
  const options = expr ? (createdClient(w, expr) ?? clientOptions(evaluate(w, expr))) : { transport: null, address: null };
  w.result.nest.registrations.push({ token, options, location: w.location(obj) });
}

/**
 * After a call's arguments are walked (so that what a factory binds is known): `ClientsModule.register(…)`,
 * `registerAsync(…)` (a list, or `{ clients: [...] }`), `createMicroservice(M, options)`, `connectMicroservice(options)`.
 */
export function visitNestSetup(w: FileWalk, node: ts.CallExpression): void {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  if (!t.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const args = node.arguments;
  if (method === 'createMicroservice' || method === 'connectMicroservice') {
    const options = evaluate(w, method === 'createMicroservice' ? args[1] : args[0]);
    w.result.nest.servers.push({ transport: clientOptions(options).transport, location: w.location(node) });
    return;
  }
  if (accessPath(t, callee.expression)?.join('.') !== 'ClientsModule') return;
  let list = args[0] && unwrap(t, args[0]);
  if (list && t.isObjectLiteralExpression(list)) list = property(t, list, 'clients');
  list = list && unwrap(t, list);
  if (list && t.isArrayLiteralExpression(list)) for (const element of list.elements) registration(w, element);
}

/** `{ provide: TOKEN, useFactory: (…) => ClientProxyFactory.create(…) }` (or `useValue`): a client registered under a token. */
export function visitNestProvider(w: FileWalk, obj: ts.ObjectLiteralExpression): void {
  const t = w.ts;
  const provide = property(t, obj, 'provide');
  if (!provide) return;
  const expr = made(t, obj, 'useFactory') ?? made(t, obj, 'useValue');
  const options = expr ? createdClient(w, expr) : null;
  const token = options && evaluate(w, provide);
  if (options && token) w.result.nest.registrations.push({ token, options, location: w.location(obj) });
}

/** `@Inject(TOKEN)` → the token; `@Client({ … })` → options, on a constructor parameter or a property. */
export function injection(w: FileWalk, decorators: ReadonlyArray<{ name: string; args: readonly ts.Expression[] }>): { token: Val | null; options: NestClientOptions | null } {
  let token: Val | null = null;
  let options: NestClientOptions | null = null;
  for (const { name, args } of decorators) {
    if (name === 'Inject' && args[0]) token = evaluate(w, args[0]);
    if (name === 'Client' && args[0]) options = clientOptions(evaluate(w, args[0]));
  }
  return { token, options };
}

/** `client.send(pattern, data)`, `client.emit(pattern, data)`, `client.getService('Heroes')` on a NestJS client; returns whether it was one. */
export function visitNestClientCall(w: FileWalk, node: ts.CallExpression, method: RawNestUse['method']): boolean {
  const t = w.ts;
  const callee = unwrap(t, node.expression) as ts.PropertyAccessExpression;
  const path = accessPath(t, callee.expression);
  const key = path ? bindingKey(path) : null;
  if (key === null || (path?.length ?? 0) > (path?.[0] === 'this' ? 2 : 1)) return false;
  const ref = w.nestClients.get(key);
  if (!ref && !(/client/i.test(key) && w.libraries.has('@nestjs/microservices'))) return false;
  const first = node.arguments[0];
  if (!first || t.isFunctionLike(unwrap(t, first))) return false;
  const nest: RawNestUse = { method, pattern: evaluate(w, first), token: ref?.token ?? null, options: ref?.options ?? null, type: ref?.type ?? null };
  w.addCall(node, { kind: 'tcp', client: '', method, url: null, nest });
  return true;
}
