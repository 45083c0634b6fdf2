/**
 * The gateway itself, as a Fastify plugin registered on the app of ../app.ts.
 * For every request to a route of the table, in this order:
 *
 *   onRequest   authenticate (JWT) and authorise (roles, scopes): 401 / 403
 *   preParsing  cap the body at BODY_LIMIT_BYTES: 413
 *   preHandler  rate limit per route and per client, counted in Redis: 429 + Retry-After
 *   handler     the upstream's circuit breaker: 503 at once while it is open;
 *               else proxy (path rewritten, hop-by-hop headers dropped, request
 *               id, forwarding, identity and trace context headers set) with a
 *               timeout: 504 / 502
 *   onResponse  one access-log line (at LOG_LEVEL=info)
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Transform } from 'node:stream';
import { trace } from '@opentelemetry/api';
import proxy from '@fastify/http-proxy';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AuthError, bearerToken, deniedReason, IDENTITY_HEADER_PREFIX, IDENTITY_HEADERS, type Identity, type Verifier } from './auth.js';
import type { GatewayConfig } from './config.js';
import type { ResolvedRoute } from './route.js';
import type { Upstream } from './upstream.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the verified token says the caller is; null on public routes without a token. */
    identity: Identity | null;
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

export const gatewayPlugin: FastifyPluginAsync<GatewayPluginOptions> = async (app, options) => {
  const { config, routes, upstreams, verify, redis } = options;
  app.decorateRequest('identity', null);

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.config.gatewayRoute;
    if (!route) return;
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (token === null) {
      if (route.public && header === undefined) return;
      return deny(reply, new AuthError(401, header === undefined ? 'a bearer token is required' : 'malformed Authorization header'));
    }
    try {
      request.identity = await verify(token);
    } catch (error) {
      if (error instanceof AuthError) return deny(reply, error);
      throw error;
    }
    const reason = route.public ? null : deniedReason(route, request.identity);
    if (reason !== null) return deny(reply, new AuthError(403, reason));
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.routeOptions.config.gatewayRoute) return payload;
    const limit = config.bodyLimitBytes;
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    // A body without a length (chunked) is counted as it streams through.
    return declared === undefined && request.headers['transfer-encoding'] !== undefined ? capped(payload, limit) : payload;
  });

  // At LOG_LEVEL=info a proxied request writes one access-log line when it completes, as nginx or Envoy do,
  // instead of Fastify's two (incoming, completed) and @fastify/reply-from's two (fetching, received): every
  // line is a synchronous write, and four of them cost a gateway under load more than its rate limiting. The
  // proxy routes log at warn, so warnings and errors still come with their request id. At debug and trace,
  // every line is kept.
  const level = app.log.level;
  const accessLog = level === 'info';
  if (accessLog) {
    const log = app.log;
    app.addHook('onResponse', (request, reply, done) => {
      if (request.routeOptions.config.gatewayRoute) log.info({ reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
      done();
    });
  }

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    ...(redis ? { redis } : {}),
    nameSpace: 'gateway:rate-limit:',
    skipOnError: config.rateLimit.failOpen,
    keyGenerator: (request) => (request.identity ? `sub:${request.identity.subject}` : `ip:${request.ip}`),
  });

  for (const route of routes) {
    const upstream = upstreams.get(route.service);
    if (!upstream) throw new Error(`no upstream for the route ${route.prefix}`);
    const timeoutMs = route.timeoutMs ?? config.upstream.timeoutMs;
    const limit = route.rateLimit ?? { max: config.rateLimit.max, windowMs: config.rateLimit.windowMs };
    await app.register(proxy, {
      upstream: route.upstream,
      prefix: route.prefix,
      rewritePrefix: route.rewritePrefix,
      ...(accessLog ? { logLevel: 'warn' } : {}),
      disableRequestLogging: level !== 'debug' && level !== 'trace',
      // One counter per route (all its paths and methods) and client.
      config: { gatewayRoute: route, rateLimit: { max: limit.max, timeWindow: limit.windowMs, groupId: route.service } },
      replyOptions: {
        timeout: timeoutMs,
        rewriteRequestHeaders: (request, headers) => upstreamHeaders(request, headers as IncomingHttpHeaders, route),
        rewriteHeaders: (headers) => clientHeaders(headers as IncomingHttpHeaders),
      },
      handler: (request, reply, dest, replyOptions) => forward(upstream, config.upstream.resetTimeoutMs, request, reply, dest, replyOptions),
    });
  }
};

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
  reply.raw.once('close', () => admission.settle(true));
  return (reply as ProxyReply).from(dest, {
    ...options,
    onResponse: (_req: FastifyRequest, rep: FastifyReply, res: { statusCode: number; stream: NodeJS.ReadableStream }) => {
      admission.settle(res.statusCode < 500);
      return rep.send(res.stream);
    },
    onError: (rep: FastifyReply, { error }: { error: Error }) => {
      if (statusOf(error) === 413) {
        admission.settle(true);
        return rep.code(413).send({ statusCode: 413, error: 'Payload Too Large', message: error.message });
      }
      admission.settle(false);
      const timedOut = statusOf(error) === 504;
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

/** What the upstream receives: the client's headers minus credentials and forged identity, plus ours. */
export function upstreamHeaders(
  request: Pick<FastifyRequest, 'id' | 'ip' | 'ips' | 'protocol' | 'host' | 'identity'>,
  headers: IncomingHttpHeaders,
  route: ResolvedRoute,
): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  // With tracing on, the request runs in the gateway's own span (which continues the client's trace), and the HTTP
  // client instrumentation adds the trace context of its span: the client's copy would make a second traceparent.
  const traced = trace.getActiveSpan() !== undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(IDENTITY_HEADER_PREFIX)) continue;
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
  if (error.statusCode === 401) reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${error.message.replace(/["\\\r\n]/g, ' ')}"`);
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

function statusOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const status = (e as { statusCode?: unknown }).statusCode;
    if (status === 413 || status === 504) return status;
    if ((e as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT' || (e as { code?: unknown }).code === 'UND_ERR_BODY_TIMEOUT') return 504;
  }
  return undefined;
}
