/**
 * Health routes: `app.get('/health', …)`, `fastify.route({ url })`,
 * `router.get`, NestJS `@Controller('health')` + `@Get()`, terminus
 * `@HealthCheck()`; and the prefixes plugins and routers are mounted under.
 */
import type ts from 'typescript';
import type { FileWalk } from './source-context.js';
import { accessPath, literalText, property, unwrap } from './source-values.js';

const ROUTE_METHODS = new Set(['get', 'head', 'all', 'use', 'route']);
const NEST_METHODS = new Set(['Get', 'Head', 'All']);
const HEALTH_SEGMENTS = new Set(['health', 'healthz', 'health-check', 'healthcheck', 'health_check']);
const HEALTH_WORDS = new Set(['livez', 'readyz', 'ready', 'live', 'ping', 'liveness', 'readiness', 'status', 'alive', 'heartbeat']);
/** Handler names that say what the handler is for: `healthCheck`, `getHealth`, `liveness`, `ping`. */
const HEALTH_HANDLER = /^(get|check)?(healt|liveness|readiness|heartbeat|ping$|alive$|isalive$)/i;
/** What a bare liveness handler answers: `'ok'`, `'status: OK'`, `'pong'`. */
const HEALTH_ANSWER = /^\s*(status\s*:\s*)?(ok|up|healthy|alive|pong)\b/i;

/** `/health`, `/healthz`, `/api/v1/readyz`, `/health/live`, `/actuator/health`, `/api/health-check`, `/status`. */
export function isHealthPath(path: string): boolean {
  const segments = path.split('/').filter((s) => s !== '');
  while (segments.length > 1 && (segments[0] === 'api' || /^v\d+$/.test(segments[0] ?? ''))) segments.shift();
  if (segments.some((s) => HEALTH_SEGMENTS.has(s.toLowerCase()))) return true;
  return segments.length === 1 && HEALTH_WORDS.has(segments[0]?.toLowerCase() ?? '');
}

export function joinPath(...parts: string[]): string {
  const joined = parts.flatMap((p) => p.split('/')).filter((s) => s !== '').join('/');
  return `/${joined}`;
}

/** Routes worth keeping: health paths, and `/` or `/live` that a prefix may turn into one. */
function candidate(path: string): boolean {
  return isHealthPath(path) || joinPath(path) === '/';
}

function objectPath(w: FileWalk, node: ts.Expression | undefined): string | null {
  const t = w.ts;
  const obj = node && unwrap(t, node);
  if (!obj || !t.isObjectLiteralExpression(obj)) return null;
  for (const prop of obj.properties) {
    if (t.isPropertyAssignment(prop) && t.isIdentifier(prop.name) && (prop.name.text === 'url' || prop.name.text === 'path' || prop.name.text === 'prefix')) return literalText(t, unwrap(t, prop.initializer));
  }
  return null;
}

function rootName(w: FileWalk, node: ts.Expression | undefined): string | null {
  if (!node) return null;
  const t = w.ts;
  let inner = unwrap(t, node);
  // koa-router: app.use(router.routes())
  if (t.isCallExpression(inner)) inner = inner.expression;
  const path = accessPath(t, inner);
  return path && path[0] !== 'this' ? (path[0] ?? null) : null;
}

/** A route or mount call on an app, router or fastify instance. */
export function visitRouteCall(w: FileWalk, node: ts.CallExpression): void {
  const t = w.ts;
  const callee = unwrap(t, node.expression);
  if (!t.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const args = node.arguments;
  const last = args[args.length - 1];
  if (method === 'setGlobalPrefix') {
    visitGlobalPrefix(w, args);
    return;
  }
  if (method === 'register' && args.length >= 2) {
    const prefix = objectPath(w, args[1]);
    const binding = rootName(w, args[0]);
    if (prefix && binding) w.result.prefixes.push({ binding, prefix });
    return;
  }
  if (!ROUTE_METHODS.has(method)) return;
  const first = args[0] && unwrap(t, args[0]);
  const path = first ? (literalText(t, first) ?? (args.length === 1 ? objectPath(w, first) : null)) : null;
  if (path === null || (!path.startsWith('/') && path !== '')) return;
  if (method === 'use' && args.length >= 2) {
    const binding = rootName(w, last);
    if (binding) w.result.prefixes.push({ binding, prefix: path });
    if (!last || !t.isFunctionLike(unwrap(t, last))) return;
  } else if (method !== 'route' && args.length < 2) return;
  if (!candidate(path)) return;
  const owners = [...w.topNames];
  const receiver = rootName(w, callee.expression);
  if (receiver) owners.push(receiver);
  w.result.routes.push({ path, owners, healthCheck: false, location: w.location(node) });
}

/** `app.setGlobalPrefix('api', { exclude: ['health', { path: 'ready', method: RequestMethod.GET }] })`. */
function visitGlobalPrefix(w: FileWalk, args: readonly ts.Expression[]): void {
  const t = w.ts;
  const prefix = literalText(t, args[0] && unwrap(t, args[0]));
  if (prefix === null || w.result.nest.globalPrefix) return;
  const excluded = property(t, args[1], 'exclude');
  const list = excluded && unwrap(t, excluded);
  const exclude: string[] = [];
  if (list && t.isArrayLiteralExpression(list)) {
    for (const element of list.elements) {
      const path = literalText(t, unwrap(t, element)) ?? literalText(t, property(t, element, 'path'));
      if (path !== null) exclude.push(joinPath(path));
    }
  }
  w.result.nest.globalPrefix = { prefix, exclude };
}

export function decoratorCall(t: typeof ts, decorator: ts.Decorator): { name: string; args: readonly ts.Expression[] } | null {
  const expr = decorator.expression;
  if (t.isCallExpression(expr) && t.isIdentifier(expr.expression)) return { name: expr.expression.text, args: expr.arguments };
  if (t.isIdentifier(expr)) return { name: expr.text, args: [] };
  return null;
}

export function decoratorsOf(t: typeof ts, node: ts.HasDecorators): Array<{ decorator: ts.Decorator; name: string; args: readonly ts.Expression[] }> {
  const out: Array<{ decorator: ts.Decorator; name: string; args: readonly ts.Expression[] }> = [];
  for (const decorator of t.getDecorators(node) ?? []) {
    const call = decoratorCall(t, decorator);
    if (call) out.push({ decorator, ...call });
  }
  return out;
}

/** `@Controller('health')` / `@Controller({ path: 'health' })`: the class's path, or null if not a controller. */
export function controllerPath(w: FileWalk, node: ts.ClassLikeDeclaration): string | null {
  for (const { name, args } of decoratorsOf(w.ts, node)) {
    if (name !== 'Controller') continue;
    const first = args[0] && unwrap(w.ts, args[0]);
    return (first && (literalText(w.ts, first) ?? objectPath(w, first))) ?? '';
  }
  return null;
}

/** A handler whose body only answers like a liveness check: `return 'ok'`, `return { status: 'up' }`. */
function answersHealthy(w: FileWalk, node: ts.MethodDeclaration): boolean {
  const t = w.ts;
  const statements = node.body?.statements ?? [];
  const last = statements[statements.length - 1];
  if (statements.length > 2 || !last || !t.isReturnStatement(last) || !last.expression) return false;
  const value = unwrap(t, last.expression);
  const text = literalText(t, value) ?? literalText(t, property(t, value, 'status'));
  return text !== null && HEALTH_ANSWER.test(text);
}

/**
 * A NestJS handler: `@Get('live')`. `@HealthCheck()`, a handler named for it (`healthCheck()`) or a `GET /`
 * that only answers `'ok'` make it a health route whatever its path.
 */
export function visitNestHandler(w: FileWalk, node: ts.MethodDeclaration): void {
  if (w.controller === null) return;
  let route: { decorator: ts.Decorator; path: string } | null = null;
  let healthCheck = false;
  for (const { decorator, name, args } of decoratorsOf(w.ts, node)) {
    if (name === 'HealthCheck') healthCheck = true;
    if (!NEST_METHODS.has(name)) continue;
    const first = args[0] && unwrap(w.ts, args[0]);
    route = { decorator, path: joinPath(w.controller, (first && literalText(w.ts, first)) ?? '') };
  }
  if (!route) return;
  const named = w.ts.isIdentifier(node.name) && HEALTH_HANDLER.test(node.name.text);
  if (named || (route.path === '/' && answersHealthy(w, node))) healthCheck = true;
  if (healthCheck || isHealthPath(route.path)) w.result.routes.push({ path: route.path, owners: [], healthCheck, nest: true, location: w.location(route.decorator) });
}
