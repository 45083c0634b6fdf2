/**
 * The gateway itself, as a Fastify plugin registered on the app of ../app.ts
 * (without encapsulation: its hooks also guard the app's /health/ready).
 * For every request to a route of the table, in this order:
 *
 *   onRequest      authenticate (JWT) and authorise (roles, scopes); the verdict is kept, not yet answered
 *   onRequest      rate limit per route and client (token subject, else address), counted in Redis, every
 *                  request included, those about to be refused too: 429 + Retry-After; 503 when Redis is
 *                  away and RATE_LIMIT_FAIL_OPEN=false
 *   preParsing     cap the body at BODY_LIMIT_BYTES: 413
 *   preValidation  the authentication verdict: 401 / 403
 *   handler        the upstream's circuit breaker: 503 at once while it is open;
 *                  else proxy (path rewritten, hop-by-hop headers dropped, request
 *                  id, forwarding, identity and trace context headers set) with a
 *                  timeout: 504 / 502
 *   onResponse     one access-log line (at LOG_LEVEL=info)
 *
 * `GET /health/ready` is rate limited per client address, in each process (HEALTH_RATE_LIMIT_MAX a minute).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Transform } from 'node:stream';
import { trace } from '@opentelemetry/api';
import proxy from '@fastify/http-proxy';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { AuthError, bearerToken, deniedReason, IDENTITY_HEADER_PREFIX, IDENTITY_HEADERS, invalidToken, type Identity, type Verifier } from './auth.js';
import type { GatewayConfig } from './config.js';
import { counterStore, PER_PROCESS, RateLimitUnavailableError } from './rate-limit.js';
import type { ResolvedRoute } from './route.js';
import type { Upstream } from './upstream.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the verified token says the caller is; null on public routes without a token. */
    identity: Identity | null;
    /** Why the request is refused (401 / 403), answered once the rate limit has counted it. */
    authFailure: AuthError | null;
  }
  interface FastifyContextConfig {
    gatewayRoute?: ResolvedRoute;
  }
}

export interface GatewayPluginOptions {
  config: GatewayConfig;
  routes: readonly ResolvedRoute[];
  upstreams: ReadonlyMap<string, Upstream>;
  verify: Verifier;
  /** The store shared by all replicas; null keeps the counters in this process (tests, one replica). */
  redis: Redis | null;
}

const HEALTH_READY = '/health/ready';
/** The header that tells the services a request came through the gateway (GATEWAY_SHARED_SECRET). */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

export const gatewayPlugin = fp<GatewayPluginOptions>(async (app, options) => {
  const { config, routes, upstreams, verify, redis } = options;
  app.decorateRequest('identity', null);
  app.decorateRequest('authFailure', null);

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.config.gatewayRoute;
    if (route) request.authFailure = await authenticate(route, request, verify);
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.routeOptions.config.gatewayRoute) return payload;
    const limit = config.bodyLimitBytes;
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    // A body without a length (chunked) is counted as it streams through.
    return declared === undefined && request.headers['transfer-encoding'] !== undefined ? capped(payload, limit) : payload;
  });

  // The reason a token failed is for the log: the app's logger, as the proxy routes log at warn (below).
  const log = app.log;
  app.addHook('preValidation', async (request, reply) => {
    const failure = request.authFailure;
    if (!failure) return;
    if (failure.detail) log.info({ reqId: request.id, reason: failure.detail }, 'token rejected');
    return deny(reply, failure);
  });

  // At LOG_LEVEL=info a proxied request writes one access-log line when it completes, as nginx or Envoy do,
  // instead of Fastify's two (incoming, completed) and @fastify/reply-from's two (fetching, received): every
  // line is a synchronous write, and four of them cost a gateway under load more than its rate limiting. The
  // proxy routes log at warn, so warnings and errors still come with their request id. At debug and trace,
  // every line is kept.
  const level = app.log.level;
  const accessLog = level === 'info';
  if (accessLog) {
    app.addHook('onResponse', (request, reply, done) => {
      if (request.routeOptions.config.gatewayRoute) log.info({ reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
      done();
    });
  }

  // Routes opt in through their `config.rateLimit` (each proxy route below); counters per route and client.
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    store: counterStore({ redis, failOpen: config.rateLimit.failOpen }),
    keyGenerator: (request) => `${request.routeOptions.config.gatewayRoute?.prefix ?? request.routeOptions.url ?? ''}|${request.identity ? `sub:${request.identity.subject}` : `ip:${request.ip}`}`,
  });

  // The public readiness probe: cheap already (each upstream's answer is cached), and limited per address.
  const healthLimit = app.rateLimit({ max: config.health.rateLimitMax, timeWindow: 60_000, groupId: PER_PROCESS, keyGenerator: (request) => `health|${request.ip}` });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === HEALTH_READY) await healthLimit.call(app, request, reply);
  });

  await app.register(async (proxies) => {
    // Redis away with RATE_LIMIT_FAIL_OPEN=false: 503 rather than the app's 500; every other error goes on to it.
    proxies.setErrorHandler((error, _request, reply) => {
      if (error instanceof RateLimitUnavailableError) {
        return reply.code(503).header('retry-after', '5').send({ statusCode: 503, error: 'Service Unavailable', message: 'rate limiting is unavailable; try again later' });
      }
      throw error;
    });
    for (const route of routes) {
      const upstream = upstreams.get(route.service);
      if (!upstream) throw new Error(`no upstream for the route ${route.prefix}`);
      const timeoutMs = route.timeoutMs ?? config.upstream.timeoutMs;
      const limit = route.rateLimit ?? { max: config.rateLimit.max, windowMs: config.rateLimit.windowMs };
      await proxies.register(proxy, {
        upstream: route.upstream,
        prefix: route.prefix,
        rewritePrefix: route.rewritePrefix,
        ...(accessLog ? { logLevel: 'warn' } : {}),
        disableRequestLogging: level !== 'debug' && level !== 'trace',
        // One counter per route (all its paths and methods) and client: the key names the route's prefix.
        config: { gatewayRoute: route, rateLimit: { max: limit.max, timeWindow: limit.windowMs } },
        replyOptions: {
          timeout: timeoutMs,
          rewriteRequestHeaders: (request, headers) => upstreamHeaders(request, headers as IncomingHttpHeaders, route, config.sharedSecret),
          rewriteHeaders: (headers) => clientHeaders(headers as IncomingHttpHeaders),
        },
        handler: (request, reply, dest, replyOptions) => forward(upstream, config.upstream.resetTimeoutMs, request, reply, dest, replyOptions),
      });
    }
  });
});

/** The verdict on a request to `route`: null to let it through (`request.identity` set when it had a token). */
async function authenticate(route: ResolvedRoute, request: FastifyRequest, verify: Verifier): Promise<AuthError | null> {
  const header = request.headers.authorization;
  const token = bearerToken(header);
  if (token === null) {
    if (route.public && header === undefined) return null;
    // No bearer token at all (none, or another scheme): a bare challenge, no error code (RFC 6750, 3.1).
    return /^\s*bearer(\s|$)/i.test(header ?? '') ? invalidToken('malformed bearer token') : new AuthError(401, 'a bearer token is required');
  }
  try {
    request.identity = await verify(token);
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  const reason = route.public ? null : deniedReason(route, request.identity);
  return reason === null ? null : new AuthError(403, reason);
}

type ProxyReply = FastifyReply & { from: (source: string, options: object) => FastifyReply };

function forward(upstream: Upstream, resetTimeoutMs: number, _request: FastifyRequest, reply: FastifyReply, dest: string, options: object): FastifyReply {
  const admission = upstream.admit();
  if (admission === null) {
    return reply
      .code(503)
      .header('retry-after', String(Math.ceil(resetTimeoutMs / 1000)))
      .send({ statusCode: 503, error: 'Service Unavailable', message: `${upstream.service} is unavailable (circuit open); try again later` });
  }
  // A client that goes away first leaves no verdict on the upstream.
  reply.raw.once('close', () => admission.release());
  return (reply as ProxyReply).from(dest, {
    ...options,
    onResponse: (_req: FastifyRequest, rep: FastifyReply, res: { statusCode: number; stream: NodeJS.ReadableStream }) => {
      admission.settle(res.statusCode < 500);
      return rep.send(res.stream);
    },
    onError: (rep: FastifyReply, { error }: { error: Error }) => {
      // The client's body passed the limit while it streamed: the client's doing.
      if (statusOf(error) === 413) {
        admission.release();
        return rep.code(413).send({ statusCode: 413, error: 'Payload Too Large', message: error.message });
      }
      const fault = upstreamFault(error);
      if (fault === null) {
        // Not the upstream's doing (the request could not be sent as it came): this client's answer only.
        admission.release();
        rep.log.warn({ err: error, upstream: upstream.service }, 'request not forwarded');
        return rep.code(502).send({ statusCode: 502, error: 'Bad Gateway', message: `the request could not be forwarded to ${upstream.service}` });
      }
      admission.settle(false);
      const timedOut = fault === 'timeout';
      rep.log.warn({ err: error, upstream: upstream.service }, timedOut ? 'upstream timed out' : 'upstream failed');
      return rep.code(timedOut ? 504 : 502).send({
        statusCode: timedOut ? 504 : 502,
        error: timedOut ? 'Gateway Timeout' : 'Bad Gateway',
        message: timedOut ? `${upstream.service} did not answer in time` : `${upstream.service} could not be reached`,
      });
    },
  });
}

/** W3C trace context: relayed as the client sent it, unless the gateway traces the request itself. */
const TRACE_CONTEXT_HEADERS = new Set(['traceparent', 'tracestate', 'baggage']);

/**
 * Headers about the client's own connection to the gateway (RFC 9110 7.6.1), never forwarded. `Expect:
 * 100-continue` among them: the gateway's server has already told the client to go on, and the proxy's HTTP
 * client refuses to send it (which must not read as the upstream failing); the others it refuses too.
 */
const HOP_BY_HOP_HEADERS = new Set(['expect', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** What the upstream receives: the client's headers minus credentials and forged identity, plus ours. */
export function upstreamHeaders(
  request: Pick<FastifyRequest, 'id' | 'ip' | 'ips' | 'protocol' | 'host' | 'identity'>,
  headers: IncomingHttpHeaders,
  route: ResolvedRoute,
  sharedSecret?: string,
): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  // With tracing on, the request runs in the gateway's own span (which continues the client's trace), and the HTTP
  // client instrumentation adds the trace context of its span: the client's copy would make a second traceparent.
  const traced = trace.getActiveSpan() !== undefined;
  for (const [name, value] of Object.entries(headers)) {
    // A client's own identity or gateway-secret headers never pass: the gateway sets them.
    if (name.startsWith(IDENTITY_HEADER_PREFIX) || name === GATEWAY_SECRET_HEADER || HOP_BY_HOP_HEADERS.has(name)) continue;
    if (traced && TRACE_CONTEXT_HEADERS.has(name)) continue;
    if (name === 'authorization' && !route.forwardAuthorization) continue;
    if (name.startsWith('x-forwarded-') || name === 'forwarded') continue;
    out[name] = value;
  }
  out['x-request-id'] = request.id;
  // Furthest first, as X-Forwarded-For is written; request.ips exists only when TRUST_PROXY trusts a proxy.
  out['x-forwarded-for'] = request.ips ? [...request.ips].reverse().join(', ') : request.ip;
  out['x-forwarded-proto'] = request.protocol;
  out['x-forwarded-host'] = request.host;
  if (sharedSecret) out[GATEWAY_SECRET_HEADER] = sharedSecret;
  const identity = request.identity;
  if (identity) {
    out[IDENTITY_HEADERS.subject] = identity.subject;
    out[IDENTITY_HEADERS.roles] = identity.roles.join(',');
    out[IDENTITY_HEADERS.scopes] = identity.scopes.join(' ');
  }
  return out;
}

/**
 * What the client receives: the upstream's headers minus those about the upstream's own connection
 * (`Connection: close` from an upstream would otherwise close the client's keep-alive connection too).
 */
export function clientHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(',') : [];
  for (const name of listed) delete headers[name.trim()];
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['proxy-connection'];
  return headers;
}

function deny(reply: FastifyReply, error: AuthError): FastifyReply {
  // RFC 6750 3.1: a bare challenge without a token; `invalid_token` and a generic description with one.
  if (error.statusCode === 401) reply.header('www-authenticate', error.code ? `Bearer error="${error.code}", error_description="${error.message}"` : 'Bearer');
  return reply
    .code(error.statusCode)
    .send({ statusCode: error.statusCode, error: error.statusCode === 401 ? 'Unauthorized' : 'Forbidden', message: error.message });
}

function tooLarge(limit: number): Error & { statusCode: number } {
  return Object.assign(new Error(`request body is larger than ${limit} bytes`), { statusCode: 413 });
}

function capped(payload: NodeJS.ReadableStream, limit: number): Transform {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooLarge(limit) : null, chunk);
    },
  });
  payload.on('error', (error: Error) => counter.destroy(error));
  return payload.pipe(counter);
}

/** Error codes of a connection to the upstream that could not be made or broke, and of its timeouts. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'FST_REPLY_FROM_BAD_GATEWAY']);
const TIMED_OUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'FST_REPLY_FROM_GATEWAY_TIMEOUT']);

/** The upstream's own failure behind a proxy error, or null when the error is not the upstream's doing. */
function upstreamFault(error: unknown): 'timeout' | 'unreachable' | null {
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 8; i++) {
    const e = seen[i];
    if (!(e instanceof Error)) continue;
    const code = (e as { code?: unknown }).code;
    if (e.name === 'TimeoutError' || (typeof code === 'string' && TIMED_OUT.has(code))) return 'timeout';
    if (typeof code === 'string' && UNREACHABLE.has(code)) return 'unreachable';
    seen.push(e.cause, ...(e instanceof AggregateError ? e.errors : []));
  }
  return null;
}

function statusOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const status = (e as { statusCode?: unknown }).statusCode;
    if (status === 413) return status;
  }
  return undefined;
}
