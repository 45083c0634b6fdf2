/**
 * Outbound calls in C#: HttpClient requests, client registrations (`AddHttpClient`, `AddRefitClient`,
 * `AddGrpcClient`: the registration is recorded as a call of its client, with the base address and the
 * breaker its handler chain applies), Refit (`RestService.For<T>`, `[Get("/…")]` interface methods) and gRPC
 * (generated `X.XClient` stubs, `GrpcChannel.ForAddress`).
 *
 * Typed and named clients: a registration and the calls made through that client share `httpClient` (the
 * typed client's class, the Refit interface, the gRPC stub, or the named client's name), so the join can give
 * the calls the registration's address and breaker.
 */
import type { OutboundCall } from '../../types.js';
import type { SyntaxNode } from '../tree-sitter.js';
import type { CsFile } from './file.js';
import { arg, args, callee, lastName, named, stringValue, type Callee } from './syntax.js';
import type { Address } from './values.js';


const HTTP_METHODS: Readonly<Record<string, string | null>> = {
  GetAsync: 'GET',
  GetStringAsync: 'GET',
  GetStreamAsync: 'GET',
  GetByteArrayAsync: 'GET',
  GetFromJsonAsync: 'GET',
  GetFromJsonAsAsyncEnumerable: 'GET',
  PostAsync: 'POST',
  PostAsJsonAsync: 'POST',
  PutAsync: 'PUT',
  PutAsJsonAsync: 'PUT',
  PatchAsync: 'PATCH',
  PatchAsJsonAsync: 'PATCH',
  DeleteAsync: 'DELETE',
  DeleteFromJsonAsync: 'DELETE',
  SendAsync: null,
  Send: null,
};
const REFIT_VERBS = new Set(['Get', 'Post', 'Put', 'Delete', 'Patch', 'Head', 'Options']);
const REGISTRATIONS: Readonly<Record<string, { kind: OutboundCall['kind']; client: string }>> = {
  AddHttpClient: { kind: 'http', client: 'HttpClient' },
  AddRefitClient: { kind: 'http', client: 'Refit' },
  AddGrpcClient: { kind: 'grpc', client: 'grpc' },
};
/** Handler-chain calls that apply a policy or pipeline to a registered client. */
const POLICY_HANDLERS = new Set(['AddPolicyHandler', 'AddTransientHttpErrorPolicy', 'AddResilienceHandler', 'AddPolicyHandlerFromRegistry']);

export function outboundCalls(file: CsFile): OutboundCall[] {
  const out: OutboundCall[] = [];
  const channelClients = new Set<number>();
  for (const node of file.creations) {
    const call = grpcStub(file, node);
    if (call) {
      out.push(call.call);
      if (call.channel) channelClients.add(call.channel.startIndex);
    }
  }
  // Names declared with a generated gRPC stub type: calls on them are gRPC calls.
  const stubs = new Map<string, string>();
  for (const [name, type] of file.scope.types) if (isGrpcStub(type)) stubs.set(name, lastName(type)!);
  for (const { node, call } of file.invocations) {
    const registration = REGISTRATIONS[call.name];
    if (registration && call.receiver) out.push(registered(file, node, call, registration));
    else if (call.name in HTTP_METHODS && isHttpClient(file, call.receiver)) out.push(httpRequest(file, node, call));
    else if (call.name === 'For' && lastName(call.receiver) === 'RestService') out.push(refitFor(file, node, call));
    else if (call.name === 'ForAddress' && lastName(call.receiver) === 'GrpcChannel' && !channelClients.has(node.startIndex) && !usedByStub(file, node, channelClients)) {
      out.push(make(file, node, 'grpc', 'grpc', null, addressOf(file, arg(node, 0)), null));
    } else if (stubs.size > 0 && call.receiver && !call.name.startsWith('With')) {
      const stub = stubs.get(lastName(call.receiver) ?? '');
      if (stub) out.push(make(file, node, 'grpc', 'grpc', null, none, stub));
    }
  }
  out.push(...refitInterfaceMethods(file));
  return out;
}

const none: Address = { url: null, configKey: null, envVar: null };

function make(file: CsFile, node: SyntaxNode, kind: OutboundCall['kind'], client: string, method: string | null, address: Address, httpClient: string | null, breaker = false): OutboundCall {
  file.callSites.push(node);
  return {
    kind,
    client,
    method,
    url: address.url,
    target: null,
    envVar: address.envVar,
    configKey: address.configKey,
    serviceId: null,
    breaker: breaker || file.insideBreaker(node),
    inLoop: file.inLoop(node),
    location: file.location(node),
    httpClient,
  };
}

function addressOf(file: CsFile, node: SyntaxNode | null): Address {
  return node ? file.scope.address(node) : none;
}

/** `x.GetAsync(…)` where x is an HttpClient: declared so, created so, or named so. */
function isHttpClient(file: CsFile, receiver: SyntaxNode | null): boolean {
  if (!receiver) return false;
  if (lastName(file.scope.typeOf(receiver)) === 'HttpClient') return true;
  const value = file.scope.resolve(receiver) ?? receiver;
  if (value.type === 'object_creation_expression' && lastName(value.childForFieldName('type')) === 'HttpClient') return true;
  if (value.type === 'invocation_expression' && callee(value)?.name === 'CreateClient') return true;
  return /httpclient$/i.test(lastName(receiver) ?? '');
}

function httpRequest(file: CsFile, node: SyntaxNode, call: Callee): OutboundCall {
  let method = HTTP_METHODS[call.name] ?? null;
  let urlNode = arg(node, 0, 'requestUri');
  if (method === null && urlNode) {
    // SendAsync(request): the HttpRequestMessage the file builds.
    const request = file.scope.resolve(urlNode) ?? urlNode;
    if (request.type === 'object_creation_expression' && lastName(request.childForFieldName('type')) === 'HttpRequestMessage') {
      const verb = arg(request, 0);
      method = verb ? (lastName(verb)?.toUpperCase() ?? null) : null;
      urlNode = arg(request, 1);
    } else urlNode = null;
  }
  const receiver = call.receiver!;
  const resolved = file.scope.resolve(receiver) ?? receiver;
  const named = resolved.type === 'invocation_expression' && callee(resolved)?.name === 'CreateClient' ? arg(resolved, 0) : null;
  const clientName = (named && stringValue(named)) ?? file.enclosingType(node);
  let address = addressOf(file, urlNode);
  const base = file.baseAddressOf(lastName(receiver) ?? '', node.startIndex);
  if (base && !(address.url ?? '').includes('://')) {
    const root = file.scope.address(base);
    address = { url: root.url !== null ? join(root.url, address.url ?? '') : address.url, configKey: root.configKey ?? address.configKey, envVar: root.envVar ?? address.envVar };
  }
  return make(file, node, 'http', 'HttpClient', method, address, clientName);
}

function join(base: string, path: string): string {
  if (path === '') return base;
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** `services.AddHttpClient<IBasket, BasketService>(c => c.BaseAddress = …).AddPolicyHandler(…)`. */
function registered(file: CsFile, node: SyntaxNode, call: Callee, registration: { kind: OutboundCall['kind']; client: string }): OutboundCall {
  const first = arg(node, 0);
  const name = lastName(call.typeArgs.at(-1) ?? null) ?? (first ? stringValue(first) : null);
  const chain: SyntaxNode[] = [node];
  for (let up = node.parent; up?.type === 'member_access_expression' && up.parent?.type === 'invocation_expression'; up = up.parent.parent) chain.push(up.parent);
  let breaker = false;
  let base: SyntaxNode | null = null;
  for (const link of chain) {
    const linkCall = callee(link);
    if (linkCall?.name === 'AddStandardResilienceHandler' || linkCall?.name === 'AddStandardHedgingHandler') breaker = true;
    if (linkCall && POLICY_HANDLERS.has(linkCall.name) && args(link).some((a) => file.containsBreaker(a.value))) breaker = true;
    const own = link === node ? link : link.childForFieldName('arguments');
    base ??= file.baseAddresses.find((b) => own !== null && b.start >= own.startIndex && b.start < own.endIndex)?.value ?? null;
  }
  return make(file, node, registration.kind, registration.client, null, addressOf(file, base), name, breaker);
}

/** `RestService.For<IApi>(url or httpClient)`. */
function refitFor(file: CsFile, node: SyntaxNode, call: Callee): OutboundCall {
  const first = arg(node, 0);
  let address = none;
  if (first) {
    const base = isHttpClient(file, first) ? file.baseAddressOf(lastName(first) ?? '', node.startIndex) : first;
    address = addressOf(file, base);
  }
  return make(file, node, 'http', 'Refit', null, address, lastName(call.typeArgs[0] ?? null));
}

/** `[Get("/customers/{id}")] Task<Customer> GetCustomer(string id);` in an interface. */
function refitInterfaceMethods(file: CsFile): OutboundCall[] {
  const out: OutboundCall[] = [];
  for (const method of file.methodsWithAttributes) {
    if (method.parent?.parent?.type !== 'interface_declaration') continue;
    for (const attribute of named(method).filter((c) => c.type === 'attribute_list').flatMap((list) => named(list))) {
      const verb = lastName(attribute.childForFieldName('name'));
      if (!verb || !REFIT_VERBS.has(verb)) continue;
      const path = args(attribute)[0]?.value;
      out.push(make(file, attribute, 'http', 'Refit', verb.toUpperCase(), { url: path ? stringValue(path) : null, configKey: null, envVar: null }, file.enclosingType(method)));
    }
  }
  return out;
}

/** A generated gRPC stub type: `Basket.BasketClient`, `OrderingGrpc.OrderingGrpcClient` (protoc's `<Service>.<Service>Client`). */
function isGrpcStub(type: SyntaxNode | null): boolean {
  if (type?.type !== 'qualified_name') return false;
  const name = lastName(type);
  const qualifier = lastName(type.childForFieldName('qualifier'));
  return name !== null && qualifier !== null && name === `${qualifier}Client`;
}

/** `new Basket.BasketClient(channel)`: a call when the channel's address is in the file. */
function grpcStub(file: CsFile, node: SyntaxNode): { call: OutboundCall; channel: SyntaxNode | null } | null {
  const type = node.childForFieldName('type');
  if (!isGrpcStub(type)) return null;
  const first = arg(node, 0);
  const channel = first ? (file.scope.resolve(first) ?? first) : null;
  const forAddress = channel?.type === 'invocation_expression' && callee(channel)?.name === 'ForAddress' ? channel : null;
  return { call: make(file, node, 'grpc', 'grpc', null, addressOf(file, forAddress ? arg(forAddress, 0) : null), lastName(type)), channel: forAddress };
}

function usedByStub(file: CsFile, node: SyntaxNode, channels: ReadonlySet<number>): boolean {
  return channels.has(node.startIndex) || file.creations.some((c) => isGrpcStub(c.childForFieldName('type')) && c.startIndex <= node.startIndex && node.endIndex <= c.endIndex);
}
