/**
 * Python source, read with tree-sitter in one query pass per file: entry points (`if __name__ == "__main__"`, app
 * objects, uvicorn), imports, HTTP calls (requests, httpx, aiohttp, urllib3) and gRPC stubs with their addresses,
 * settings (environment reads with defaults, pydantic BaseSettings), breakers (pybreaker, circuitbreaker, aiobreaker,
 * purgatory) and the calls they protect, health routes and services, tracing set-up and export, producers and
 * consumers, session state.
 */
import type { Query, QueryCapture } from 'web-tree-sitter';
import type { OutboundCall } from '../types.js';
import { defineExtractor } from './define-extractor.js';
import { celeryTask, endpointOf, methodCall, type Endpoint, type MessagingScope } from './python/messaging.js';
import { argsOf, argument, configPath, dottedPath, envRead, evaluate, qualify, stringText } from './python/values.js';
import { concat, isEnvName, type Address } from './shared/address.js';
import { isHealthRoute } from './shared/health.js';
import { SourceFacts, type Connection, type GrpcClient, type Site } from './shared/source-facts.js';
import { createQuery, lineOf, type SyntaxNode } from './tree-sitter.js';

/** An HTTP client object (`requests.Session()`, `httpx.AsyncClient(base_url=…)`), or a gRPC channel / stub. */
type Client =
  | { kind: 'http'; library: string; base: Address | null }
  | { kind: 'channel'; channel: Connection }
  | { kind: 'stub'; stub: GrpcClient };

const HTTP_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const HTTP_MODULES: ReadonlySet<string> = new Set(['requests', 'httpx']);
const HTTP_CLIENTS: ReadonlyMap<string, string> = new Map([
  ['requests.Session', 'requests'],
  ['requests.session', 'requests'],
  ['httpx.Client', 'httpx'],
  ['httpx.AsyncClient', 'httpx'],
  ['aiohttp.ClientSession', 'aiohttp'],
  ['urllib3.PoolManager', 'urllib3'],
]);
const CHANNELS: ReadonlySet<string> = new Set(['grpc.insecure_channel', 'grpc.secure_channel', 'grpc.aio.insecure_channel', 'grpc.aio.secure_channel']);
const BREAKERS: ReadonlySet<string> = new Set([
  'pybreaker.CircuitBreaker',
  'aiobreaker.CircuitBreaker',
  'circuitbreaker.CircuitBreaker',
  'purgatory.AsyncCircuitBreakerFactory',
  'purgatory.SyncCircuitBreakerFactory',
]);
const BREAKER_MODULES: ReadonlySet<string> = new Set(['pybreaker', 'aiobreaker', 'circuitbreaker', 'purgatory']);
/** Decorators that are breakers by themselves (`@circuit`, `@circuit(failure_threshold=5)`). */
const BREAKER_DECORATORS: ReadonlySet<string> = new Set(['circuitbreaker.circuit']);
const APPS: ReadonlySet<string> = new Set([
  'fastapi.FastAPI',
  'flask.Flask',
  'quart.Quart',
  'sanic.Sanic',
  'aiohttp.web.Application',
  'aiohttp.web.run_app',
  'litestar.Litestar',
  'starlette.applications.Starlette',
  'uvicorn.run',
  'grpc.server',
  'grpc.aio.server',
  'celery.Celery',
  'django.core.management.execute_from_command_line',
  'django.core.wsgi.get_wsgi_application',
  'django.core.asgi.get_asgi_application',
  'faust.App',
]);
const ROUTERS: ReadonlySet<string> = new Set(['fastapi.APIRouter', 'flask.Blueprint', 'quart.Blueprint', 'sanic.Blueprint']);
/** Route registrations whose first argument is a path (decorators and calls of FastAPI, Flask, aiohttp, Django…). */
const ROUTES: ReadonlySet<string> = new Set(['get', 'head', 'route', 'api_route', 'add_api_route', 'add_url_rule', 'add_get', 'add_route', 'path', 're_path', 'url']);

/** Tracing set-up by module prefix; exporters send spans out of the process. */
const TRACING: ReadonlyArray<[string, boolean]> = [
  ['opentelemetry.exporter', true],
  ['opentelemetry.sdk', false],
  ['opentelemetry.instrumentation', false],
  ['opentelemetry.trace.set_tracer_provider', false],
  ['azure.monitor.opentelemetry', true],
  ['ddtrace', true],
  ['jaeger_client', true],
  ['opencensus.ext', true],
  ['opencensus.trace', false],
  ['elasticapm', true],
];

const HEALTH_MODULES = ['fastapi_health', 'healthcheck', 'flask_healthz', 'grpc_health'];

const STDLIB: ReadonlySet<string> = new Set(
  ('abc argparse array ast asyncio base64 binascii bisect builtins calendar collections concurrent configparser contextlib contextvars copy csv ' +
    'dataclasses datetime decimal difflib email enum errno fnmatch functools gc getpass glob gzip hashlib heapq hmac html http importlib inspect io ' +
    'ipaddress itertools json logging math mimetypes multiprocessing numbers operator os pathlib pickle platform pprint queue random re secrets ' +
    'select shlex shutil signal socket sqlite3 ssl stat statistics string struct subprocess sys tempfile textwrap threading time timeit traceback ' +
    'types typing unittest urllib uuid warnings weakref xml zipfile zlib zoneinfo __future__').split(' '),
);

class PyFile extends SourceFacts {
  readonly imports = new Map<string, string>();
  readonly modules = new Set<string>();
  readonly addresses = new Map<string, Address>();
  readonly clients = new Map<string, Client>();
  readonly breakerNames = new Set<string>();
  readonly breakerClasses = new Set<string>();
  readonly endpointBindings = new Map<string, Endpoint>();
  private readonly byNode = new Map<number, Client>();
  readonly messaging: MessagingScope;
  readonly globals = new Set<string>();
  /** Routers mounted under a prefix (`APIRouter(prefix="/health")`, `Blueprint(…, url_prefix="/health")`). */
  private readonly prefixes = new Map<string, string>();
  /** The file imports a breaker library (only then are the functions called under a breaker worth finding). */
  breakerLibrary = false;

  constructor(file: string) {
    super(file);
    this.messaging = { file, imports: this.imports, addresses: this.addresses, modules: this.modules, endpoints: this.endpointBindings, out: this.endpoints };
  }

  addImport(statement: SyntaxNode): void {
    const line = lineOf(statement);
    const record = (module: string): void => {
      if (BREAKER_MODULES.has(module.split('.')[0]!)) this.breakerLibrary = true;
      this.modules.add(module.split('.')[0]!);
      this.modules.add(module);
      const top = module.split('.')[0]!;
      if (!STDLIB.has(top)) this.imported.push({ specifier: module, location: { file: this.file, line } });
    };
    if (statement.type === 'import_statement') {
      for (const name of statement.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') {
          const module = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (module && alias) this.imports.set(alias, module);
          if (module) record(module);
        } else {
          this.imports.set(name.text.split('.')[0]!, name.text.split('.')[0]!);
          record(name.text);
        }
      }
      return;
    }
    const moduleNode = statement.childForFieldName('module_name');
    if (!moduleNode) return;
    const module = moduleNode.text;
    record(module);
    if (moduleNode.type === 'relative_import') return;
    for (const name of statement.childrenForFieldName('name')) {
      const imported = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
      if (imported && local) this.imports.set(local, `${module}.${imported}`);
    }
  }

  /** A function starts: its names hide whatever other functions bound. */
  enterFunction(): void {
    for (const map of [this.addresses, this.clients, this.endpointBindings] as Array<Map<string, unknown>>) {
      for (const key of map.keys()) if (!key.startsWith('.') && !this.globals.has(key)) map.delete(key);
    }
    for (const key of this.breakerNames) if (!key.startsWith('.') && !this.globals.has(key)) this.breakerNames.delete(key);
  }

  site(node: SyntaxNode): Site {
    let inLoop = false;
    let breaker = false;
    let fn: string | null = null;
    for (let n = node.parent; n; n = n.parent) {
      const type = n.type;
      if (type === 'for_statement' || type === 'while_statement' || type === 'list_comprehension' || type === 'set_comprehension' || type === 'dictionary_comprehension' || type === 'generator_expression') inLoop = true;
      else if (type === 'with_statement') {
        const items = n.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? [];
        for (const item of items) if (item.type === 'with_item' && this.isBreakerExpression(item.childForFieldName('value'))) breaker = true;
      } else if (type === 'function_definition') {
        fn = n.childForFieldName('name')?.text ?? null;
        const decorated = n.parent?.type === 'decorated_definition' ? n.parent : null;
        for (const decorator of decorated?.namedChildren.filter((d) => d.type === 'decorator') ?? []) if (this.isBreakerExpression(decorator.namedChildren[0])) breaker = true;
        break;
      }
    }
    return { line: lineOf(node), inLoop, breaker, fn };
  }

  /** `breaker`, `breaker.calling()`, `circuit(…)`, `MyBreaker()`, `await factory.get_breaker("x")`: something that guards what runs under it. */
  private isBreakerExpression(node: SyntaxNode | null | undefined): boolean {
    for (let depth = 0; node && depth < 6; depth++) {
      if (node.type === 'as_pattern' || node.type === 'await' || node.type === 'parenthesized_expression') node = node.namedChildren[0];
      else if (node.type === 'call') node = node.childForFieldName('function');
      else if (node.type === 'attribute') {
        const qualified = qualify(node, this);
        if (qualified && BREAKER_DECORATORS.has(qualified)) return true;
        node = node.childForFieldName('object');
      } else if (node.type === 'identifier') {
        const qualified = this.imports.get(node.text);
        return this.breakerNames.has(node.text) || this.breakerClasses.has(node.text) || (qualified !== undefined && (BREAKER_DECORATORS.has(qualified) || BREAKERS.has(qualified)));
      } else return false;
    }
    return false;
  }

  /** What a name is bound to by `x = value`, `self.x = value`, `with value as x`. */
  bind(target: SyntaxNode, value: SyntaxNode, line: SyntaxNode): void {
    const key = bindingKey(target);
    if (key === null) return;
    this.addresses.delete(key);
    this.clients.delete(key);
    this.endpointBindings.delete(key);
    this.breakerNames.delete(key);
    let node = value;
    while (node.type === 'await' || node.type === 'parenthesized_expression') node = node.namedChildren[0] ?? node;
    if (node.type === 'call') {
      const client = this.clientOf(node);
      if (client) return void this.clients.set(key, client);
      const fn = node.childForFieldName('function');
      const qualified = qualify(fn, this);
      if (qualified && BREAKERS.has(qualified)) return void this.breakerNames.add(key);
      if (fn?.type === 'identifier' && this.breakerClasses.has(fn.text)) return void this.breakerNames.add(key);
      const method = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? null) : null;
      if (qualified && ROUTERS.has(qualified)) {
        const prefix = stringText(argument(node, 99, 'prefix') ?? argument(node, 99, 'url_prefix'));
        if (prefix) this.prefixes.set(key, prefix);
      }
      const endpoint = endpointOf(qualified, method, node, this.messaging);
      if (endpoint) return void this.endpointBindings.set(key, endpoint);
    }
    const other = bindingKey(node);
    if (other !== null) {
      const client = this.clients.get(other);
      if (client) return void this.clients.set(key, client);
      if (this.breakerNames.has(other)) return void this.breakerNames.add(key);
    }
    const address = evaluate(node, this);
    if (!address) return;
    this.addresses.set(key, address);
    const read = node.type === 'call' ? envRead(node, this) : null;
    const name = key.startsWith('.') ? key.slice(1) : key;
    const shared = target.type === 'attribute' || (line.type === 'assignment' && isTopLevel(line));
    if (shared && address.envVar !== null && (address.envVar !== name || !address.wholeEnv)) {
      this.setting(target.type === 'attribute' ? (configPath(dottedPath(target) ?? []) ?? name) : name, read ? placeholder(read) : address.text, lineOf(line));
    }
  }

  /** The client, channel or stub a call constructs (created once per call node). */
  clientOf(call: SyntaxNode): Client | null {
    const known = this.byNode.get(call.id);
    if (known) return known;
    const fn = call.childForFieldName('function');
    const qualified = qualify(fn, this);
    let client: Client | null = null;
    if (qualified && HTTP_CLIENTS.has(qualified)) {
      client = { kind: 'http', library: HTTP_CLIENTS.get(qualified)!, base: evaluate(argument(call, 99, 'base_url'), this) };
    } else if (qualified && CHANNELS.has(qualified)) {
      const channel: Connection = { address: evaluate(argument(call, 0, 'target'), this), site: this.site(call) };
      this.connections.push(channel);
      client = { kind: 'channel', channel };
    } else if (qualified === 'grpc.intercept_channel') {
      const inner = argsOf(call).positional[0];
      const bound = inner ? this.clientFor(inner) : null;
      if (bound?.kind === 'channel') client = bound;
    } else {
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
      const arg = argsOf(call).positional[0] ?? argument(call, 0, 'channel');
      if (name && name.length > 'Stub'.length && name.endsWith('Stub') && arg) {
        const bound = this.clientFor(arg);
        const connectionKey = !bound && arg.type === 'attribute' ? configPath(dottedPath(arg) ?? []) : null;
        const stub: GrpcClient = { connection: bound?.kind === 'channel' ? bound.channel : null, connectionKey, service: name.slice(0, -'Stub'.length), site: this.site(call), calls: [] };
        this.grpcClients.push(stub);
        client = { kind: 'stub', stub };
      }
    }
    if (client) this.byNode.set(call.id, client);
    return client;
  }

  /** The client a receiver expression holds: a bound name, or a constructor call in place. */
  private clientFor(node: SyntaxNode): Client | null {
    const key = bindingKey(node);
    if (key !== null) return this.clients.get(key) ?? null;
    return node.type === 'call' ? this.clientOf(node) : null;
  }

  private httpCall(library: string, method: string | null, url: Address | null, call: SyntaxNode): OutboundCall {
    return this.call('http', library, method, url, this.site(call));
  }

  onCall(call: SyntaxNode): void {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const qualified = qualify(fn, this);
    const method = fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : fn.type === 'identifier' ? fn.text : '';
    this.clientOf(call);
    if (this.breakerLibrary && qualified === null && method !== '' && this.site(call).breaker) this.guardedFunctions.add(method);
    if (qualified !== null) this.onQualifiedCall(qualified, method, call);
    if (fn.type === 'attribute') this.onMethodCall(fn.childForFieldName('object')!, method, call);
    if (ROUTES.has(method)) this.healthRoute(call);
    const read = envRead(call, this);
    if (read?.fallback != null) this.setting(read.name, read.fallback, lineOf(call));
  }

  private onQualifiedCall(qualified: string, method: string, call: SyntaxNode): void {
    const module = qualified.split('.')[0]!;
    if (HTTP_MODULES.has(module) && qualified.split('.').length === 2) {
      if (HTTP_METHODS.has(method)) this.httpCall(module, method.toUpperCase(), evaluate(argument(call, 0, 'url'), this), call);
      else if (method === 'request' || method === 'stream') this.httpCall(module, stringText(argument(call, 0, 'method'))?.toUpperCase() ?? null, evaluate(argument(call, 1, 'url'), this), call);
    } else if (qualified === 'urllib.request.urlopen' || qualified === 'aiohttp.request' || qualified === 'urllib3.request') {
      const isUrlopen = qualified === 'urllib.request.urlopen';
      this.httpCall(module, isUrlopen ? null : (stringText(argument(call, 0, 'method'))?.toUpperCase() ?? null), evaluate(isUrlopen ? argument(call, 0, 'url') : argument(call, 1, 'url'), this), call);
    }
    if (APPS.has(qualified)) this.evidence('entryPoints', qualified, lineOf(call));
    for (const [prefix, exports] of TRACING) {
      if (qualified !== prefix && !qualified.startsWith(`${prefix}.`)) continue;
      const key = qualified.split('.').slice(0, 3).join('.');
      this.evidence('tracing', qualified, lineOf(call), key);
      if (exports) this.evidence('traceExport', qualified, lineOf(call), key);
      break;
    }
    if (BREAKERS.has(qualified)) this.evidence('breakers', qualified, lineOf(call), qualified);
    if (HEALTH_MODULES.includes(module) || method === 'add_HealthServicer_to_server') this.evidence('health', qualified, lineOf(call));
  }

  private onMethodCall(receiver: SyntaxNode, method: string, call: SyntaxNode): void {
    const client = this.clientFor(receiver);
    if (client?.kind === 'stub') {
      client.stub.calls.push(this.site(call));
      return;
    }
    if (client?.kind === 'http') {
      if (HTTP_METHODS.has(method)) {
        const path = evaluate(argument(call, 0, 'url'), this);
        this.httpCall(client.library, method.toUpperCase(), client.base && path ? concat([client.base, path]) : (path ?? client.base), call);
      } else if (method === 'request' || method === 'stream') {
        const path = evaluate(argument(call, 1, 'url'), this);
        this.httpCall(client.library, stringText(argument(call, 0, 'method'))?.toUpperCase() ?? null, client.base && path ? concat([client.base, path]) : (path ?? client.base), call);
      }
      return;
    }
    if ((method === 'call' || method === 'call_async') && this.isBreakerExpression(receiver)) {
      const fn = argsOf(call).positional[0];
      const guarded = fn ? dottedPath(fn)?.at(-1) : undefined;
      if (guarded) this.guardedFunctions.add(guarded);
      const target = qualify(fn, this);
      const [module, verb] = target?.split('.') ?? [];
      if (module && verb && HTTP_MODULES.has(module) && HTTP_METHODS.has(verb)) {
        this.httpCall(module, verb.toUpperCase(), evaluate(argsOf(call).positional[1], this), call).breaker = true;
      }
      return;
    }
    const key = bindingKey(receiver);
    methodCall(method, receiver, key !== null ? this.endpointBindings.get(key) : undefined, call, this.messaging);
  }

  private healthRoute(call: SyntaxNode): void {
    const fn = call.childForFieldName('function');
    const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const prefix = receiver ? (this.prefixes.get(bindingKey(receiver) ?? '') ?? '') : '';
    const path = evaluate(argument(call, 0, 'path') ?? argument(call, 0, 'rule'), this)?.text;
    if (path !== undefined && isHealthRoute(prefix ? `${prefix}/${path}` : path)) this.evidence('health', `${fn?.text ?? ''}("${prefix}${path}")`, lineOf(call));
  }

  onDecorated(node: SyntaxNode): void {
    for (const decorator of node.namedChildren) {
      if (decorator.type !== 'decorator') continue;
      const expression = decorator.namedChildren[0];
      if (!expression) continue;
      const target = expression.type === 'call' ? expression.childForFieldName('function') : expression;
      const qualified = qualify(target, this);
      const root = dottedPath(target)?.[0];
      celeryTask(expression, qualified, root !== undefined ? this.endpointBindings.get(root) : undefined, this.messaging);
      if (qualified && BREAKER_DECORATORS.has(qualified)) this.evidence('breakers', qualified, lineOf(decorator), qualified);
    }
  }

  onClass(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    const bases = node.childForFieldName('superclasses')?.namedChildren ?? [];
    const qualifiedBases = bases.map((b) => qualify(b, this) ?? b.text);
    if (name && qualifiedBases.some((b) => BREAKERS.has(b))) {
      this.breakerClasses.add(name);
      this.evidence('breakers', `class ${name}(${qualifiedBases.find((b) => BREAKERS.has(b))})`, lineOf(node));
    }
    if (qualifiedBases.some((b) => b.endsWith('BaseSettings'))) this.settingsClass(node);
  }

  /** pydantic BaseSettings: each field is read from the environment variable of its (prefixed, upper-cased) name. */
  private settingsClass(node: SyntaxNode): void {
    const body = node.childForFieldName('body');
    let prefix = '';
    const fields: Array<{ name: string; env: string | null; fallback: string | null; node: SyntaxNode }> = [];
    for (const statement of body?.namedChildren ?? []) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : statement.type === 'class_definition' ? statement : null;
      if (assignment?.type === 'class_definition' && assignment.childForFieldName('name')?.text === 'Config') {
        for (const inner of assignment.descendantsOfType('assignment')) if (inner.childForFieldName('left')?.text === 'env_prefix') prefix = stringText(inner.childForFieldName('right')) ?? prefix;
        continue;
      }
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type !== 'identifier') continue;
      if (left.text === 'model_config' && right?.type === 'call') {
        prefix = stringText(argument(right, 99, 'env_prefix')) ?? prefix;
        continue;
      }
      if (!assignment.childForFieldName('type')) continue;
      let fallback = right ? stringText(right) : null;
      let envName: string | null = null;
      if (right?.type === 'call' && right.childForFieldName('function')?.text.endsWith('Field')) {
        const first = argsOf(right).positional[0];
        fallback = stringText(argument(right, 99, 'default') ?? first);
        envName = stringText(argument(right, 99, 'env') ?? argument(right, 99, 'validation_alias') ?? argument(right, 99, 'alias'));
      } else if (right?.type === 'integer') fallback = right.text;
      fields.push({ name: left.text, env: envName, fallback, node: left });
    }
    for (const field of fields) {
      const name = field.env ?? `${prefix}${field.name}`.toUpperCase();
      const line = lineOf(field.node);
      this.setting(name, field.fallback ?? '', line);
      this.setting(field.name, field.fallback === null ? `\${${name}}` : `\${${name}:${field.fallback}}`, line);
    }
  }

  /**
   * An upper-case name of a settings module: `ORDERS_URL = "…"`, `DATABASES = {"default": {"HOST": env("DB_HOST"), …}}`
   * → `DATABASES.default.HOST` = `${DB_HOST}` (dictionaries flattened, environment reads as placeholders with their
   * defaults), which is where Django keeps database identities.
   */
  moduleSetting(name: string, value: SyntaxNode, depth = 0): void {
    if (depth > 4) return;
    if (value.type === 'dictionary') {
      for (const pair of value.namedChildren) {
        if (pair.type !== 'pair') continue;
        const key = stringText(pair.childForFieldName('key'));
        const inner = pair.childForFieldName('value');
        if (key !== null && inner) this.moduleSetting(`${name}.${key}`, inner, depth + 1);
      }
      return;
    }
    // A name bound to an environment read is the binding's setting (see bind).
    if (depth === 0 && (value.type === 'call' || value.type === 'subscript')) return;
    const read = value.type === 'call' ? envRead(value, this) : null;
    if (read) return this.setting(name, placeholder(read), lineOf(value));
    const address = evaluate(value, this);
    if (address && !(address.envVar === null && address.configKey === null && address.text.includes('${'))) this.setting(name, address.text, lineOf(value));
  }

  /** `SESSION_TYPE = "filesystem"` (Flask-Session), `SESSION_ENGINE = "…sessions.backends.file"` (Django). */
  onSessionSetting(name: string, value: SyntaxNode, node: SyntaxNode): void {
    const text = stringText(value);
    if (text === null) return;
    if ((name === 'SESSION_TYPE' && text === 'filesystem') || (name === 'SESSION_ENGINE' && text.endsWith('sessions.backends.file'))) {
      this.localState.push({ kind: 'local-file', detail: `${name} = "${text}": sessions in local files`, location: { file: this.file, line: lineOf(node) } });
    }
  }
}

/** An environment read as a setting's value: `${NAME}`, `${NAME:default}`. */
const placeholder = (read: { name: string; fallback: string | null }): string => (read.fallback === null ? `\${${read.name}}` : `\${${read.name}:${read.fallback}}`);

/** `x` for a name, `.x` for an attribute (`self.x`, `app.state.x`). */
function bindingKey(node: SyntaxNode): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const attribute = node.childForFieldName('attribute');
    return attribute ? `.${attribute.text}` : null;
  }
  return null;
}

let query: Query | null = null;

/** The nodes the extractor looks at, in source order (see go-source: a query hands over only these). */
function nodesOfInterest(root: SyntaxNode): QueryCapture[] {
  query ??= createQuery(root.tree.language, '[(function_definition) (class_definition) (decorated_definition) (assignment) (with_item) (call)] @node');
  return query.captures(root);
}

function isTopLevel(node: SyntaxNode): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.parent?.type === 'module';
}

/** `__name__ == "__main__"` (either way round). */
function isMainGuard(condition: SyntaxNode | null): boolean {
  if (condition?.type !== 'comparison_operator') return false;
  const sides = condition.namedChildren;
  return sides.length === 2 && sides.some((s) => s.type === 'identifier' && s.text === '__name__') && sides.some((s) => stringText(s) === '__main__');
}

/** A settings module (Django `settings.py`, `settings/production.py`, `config.py`): its upper-case names are settings. */
function isSettingsModule(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.startsWith('settings') || base === 'config.py' || file.includes('/settings/');
}

function collect(root: SyntaxNode, file: string): PyFile {
  const py = new PyFile(file);
  const settingsModule = isSettingsModule(file);
  for (const top of root.namedChildren) {
    if (top.type === 'import_statement' || top.type === 'import_from_statement') py.addImport(top);
    else if (top.type === 'if_statement' && isMainGuard(top.childForFieldName('condition'))) {
      py.evidence('entryPoints', 'if __name__ == "__main__"', lineOf(top));
    }
  }
  for (const { node } of nodesOfInterest(root)) {
    switch (node.type) {
      case 'function_definition':
        py.enterFunction();
        break;
      case 'class_definition':
        py.onClass(node);
        break;
      case 'decorated_definition':
        py.onDecorated(node);
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) break;
        if (isTopLevel(node) && left.type === 'identifier') {
          py.globals.add(left.text);
          py.onSessionSetting(left.text, right, node);
          if (settingsModule && isEnvName(left.text)) py.moduleSetting(left.text, right);
        }
        if (left.type === 'subscript' && left.childForFieldName('value')?.text.endsWith('config')) {
          const name = stringText(left.childForFieldName('subscript'));
          if (name) py.onSessionSetting(name, right, node);
        }
        if (left.type === 'pattern_list' && right.type === 'expression_list') {
          left.namedChildren.forEach((target, i) => {
            const value = right.namedChildren[i];
            if (value) py.bind(target, value, node);
          });
        } else py.bind(left, right, node);
        break;
      }
      case 'with_item': {
        const value = node.childForFieldName('value');
        const target = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.namedChildren[0] : null;
        const expression = value?.namedChildren[0];
        if (target && expression) py.bind(target, expression, node);
        break;
      }
      case 'call':
        py.onCall(node);
        break;
    }
  }
  return py;
}

export default defineExtractor({
  id: 'python-source',
  description: 'Python source (tree-sitter): entry points, imports, requests/httpx/aiohttp and gRPC calls, settings, breakers, health, tracing, messaging',
  accepts: (file) => file.ext === '.py' && !file.lower.startsWith('test_') && !file.lower.endsWith('_test.py') && !file.lower.endsWith('_pb2.py') && !file.lower.endsWith('_pb2_grpc.py') && !/(?:^|\/)(?:tests?|venv|\.venv|site-packages|migrations)\//.test(file.path),
  /** What any fact needs written in the file: a client, a framework, a library, an environment read, a main guard. */
  needles: [
    'requests', 'httpx', 'aiohttp', 'urllib', 'grpc', 'Stub', 'breaker', 'circuit', 'health', 'ready', 'live',
    'opentelemetry', 'ddtrace', 'jaeger', 'opencensus', 'elasticapm', 'pika', 'kafka', 'nats', 'celery', 'Celery', 'shared_task',
    'environ', 'getenv', 'env(', 'env.', 'config(', 'BaseSettings', '__main__', 'FastAPI', 'Flask', 'Sanic', 'Quart', 'Litestar',
    'Starlette', 'web.Application', 'run_app', 'uvicorn', 'django', 'faust', 'SESSION_',
  ],
  grammars: ['python'],
  offThread: true,
  extract: ({ path, text }, ctx) =>
    ctx.withTree('python', text, (tree) => {
      return collect(tree.rootNode, path).result('python');
    }),
});
