/**
 * Client for calls to other services: `fetch` behind an opossum circuit
 * breaker. One call = one breaker event:
 *
 * - `timeoutMs` bounds the whole call, retries included (opossum `timeout`,
 *   and the request is aborted);
 * - idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are retried with
 *   exponential backoff and jitter on network errors and 429/502/503/504,
 *   while time is left; POST and PATCH are sent once;
 * - 5xx answers, network errors and timeouts count as failures; 4xx answers
 *   are returned to the caller (they are not the upstream's fault);
 * - when failures pass `errorThresholdPercentage` the breaker opens and calls
 *   fail fast (no request sent) for `resetTimeoutMs`, then one trial call
 *   decides whether it closes again;
 * - a failed or rejected call goes to `fallback`, which returns a substitute
 *   response or, by default, throws a `ServiceCallError`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';

export interface ServiceRequest {
  method: HttpMethod;
  /** Joined to the base URL: `/items/1` with `http://payments:3000/api` → `http://payments:3000/api/items/1`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, text, or undefined when there is no body. */
  body: T;
}

export type ServiceCallErrorCode = 'CIRCUIT_OPEN' | 'TIMEOUT' | 'NETWORK' | 'UPSTREAM_STATUS';

export class ServiceCallError extends Error {
  constructor(
    readonly service: string,
    readonly code: ServiceCallErrorCode,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(`${service}: ${message}`, options);
    this.name = 'ServiceCallError';
  }
}

export interface ServiceClientOptions {
  /** The called service, for errors, logs and breaker stats. */
  name: string;
  baseUrl: string;
  /** Budget for one call, retries included. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests. Default 2. */
  retries?: number;
  /** First backoff step; doubles each retry (with full jitter). Default 100. */
  retryDelayMs?: number;
  /** Failure percentage that opens the breaker. Default 50. */
  errorThresholdPercentage?: number;
  /** How long the breaker stays open before a trial call. Default 10000. */
  resetTimeoutMs?: number;
  /** Calls needed in the rolling window before the breaker may open. Default 5. */
  volumeThreshold?: number;
  /** Substitute answer when a call fails or the breaker is open. Default: throw a ServiceCallError. */
  fallback?: (request: ServiceRequest, error: ServiceCallError) => ServiceResponse | Promise<ServiceResponse>;
  /** Notified when the breaker opens, half-opens or closes. */
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export interface ServiceClient {
  request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>>;
  get<T = unknown>(path: string, init?: Omit<ServiceRequest, 'method' | 'path' | 'body'>): Promise<ServiceResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, init?: Omit<ServiceRequest, 'method' | 'path' | 'body'>): Promise<ServiceResponse<T>>;
  put<T = unknown>(path: string, body?: unknown, init?: Omit<ServiceRequest, 'method' | 'path' | 'body'>): Promise<ServiceResponse<T>>;
  patch<T = unknown>(path: string, body?: unknown, init?: Omit<ServiceRequest, 'method' | 'path' | 'body'>): Promise<ServiceResponse<T>>;
  delete<T = unknown>(path: string, init?: Omit<ServiceRequest, 'method' | 'path' | 'body'>): Promise<ServiceResponse<T>>;
  readonly breaker: CircuitBreaker<[ServiceRequest], ServiceResponse>;
  /** Stops the breaker's timers; add it to the shutdown closers. */
  close(): void;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const MAX_RETRY_DELAY_MS = 2000;

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const {
    name,
    timeoutMs = 5000,
    retries = 2,
    retryDelayMs = 100,
    errorThresholdPercentage = 50,
    resetTimeoutMs = 10_000,
    volumeThreshold = 5,
  } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  const attempt = async (request: ServiceRequest, signal: AbortSignal): Promise<ServiceResponse> => {
    const url = new URL(`${baseUrl}/${request.path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.append(key, String(value));
    }
    const headers = new Headers({ accept: 'application/json', ...request.headers });
    let body: string | undefined;
    if (request.body !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(request.body);
    }
    const response = await fetch(url, { method: request.method, headers, body, signal });
    return { status: response.status, headers: response.headers, body: await readBody(response, request.method) };
  };

  // The breaker's action: one call, with retries for idempotent methods.
  const call = async (request: ServiceRequest): Promise<ServiceResponse> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const attempts = IDEMPOTENT.has(request.method) ? retries + 1 : 1;
    for (let i = 1; ; i++) {
      let failure: ServiceCallError;
      try {
        const response = await attempt(request, deadline);
        if (response.status < 500 && response.status !== 429) return response;
        failure = new ServiceCallError(name, 'UPSTREAM_STATUS', `${request.method} ${request.path} answered ${response.status}`, response.status);
        if (!RETRYABLE_STATUS.has(response.status)) throw failure;
      } catch (error) {
        if (error instanceof ServiceCallError) throw error;
        if (deadline.aborted) {
          throw new ServiceCallError(name, 'TIMEOUT', `${request.method} ${request.path} timed out after ${timeoutMs} ms`, undefined, { cause: error });
        }
        failure = new ServiceCallError(name, 'NETWORK', `${request.method} ${request.path} failed: ${errorMessage(error)}`, undefined, { cause: error });
      }
      if (i >= attempts) throw failure;
      const delay = Math.random() * Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** (i - 1));
      try {
        await sleep(delay, undefined, { signal: deadline });
      } catch {
        throw failure;
      }
    }
  };

  const breaker = new CircuitBreaker<[ServiceRequest], ServiceResponse>(call, {
    name,
    timeout: timeoutMs,
    errorThresholdPercentage,
    resetTimeout: resetTimeoutMs,
    volumeThreshold,
  });

  breaker.fallback((request: ServiceRequest, error: unknown) => {
    const failure = toServiceCallError(name, request, error, timeoutMs);
    if (options.fallback) return options.fallback(request, failure);
    throw failure;
  });

  const { logger } = options;
  if (logger) {
    breaker.on('open', () => logger.warn({ service: name, resetTimeoutMs }, 'circuit breaker opened'));
    breaker.on('halfOpen', () => logger.info({ service: name }, 'circuit breaker half-open, trying one call'));
    breaker.on('close', () => logger.info({ service: name }, 'circuit breaker closed'));
  }

  const request = <T>(req: ServiceRequest) => breaker.fire(req) as Promise<ServiceResponse<T>>;
  return {
    request,
    get: (path, init) => request({ ...init, method: 'GET', path }),
    post: (path, body, init) => request({ ...init, method: 'POST', path, body }),
    put: (path, body, init) => request({ ...init, method: 'PUT', path, body }),
    patch: (path, body, init) => request({ ...init, method: 'PATCH', path, body }),
    delete: (path, init) => request({ ...init, method: 'DELETE', path }),
    breaker,
    close: () => breaker.shutdown(),
  };
}

async function readBody(response: Response, method: HttpMethod): Promise<unknown> {
  if (method === 'HEAD' || response.status === 204 || response.status === 304) {
    await response.body?.cancel();
    return undefined;
  }
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  return /[/+]json\b/.test(type) ? (JSON.parse(text) as unknown) : text;
}

function toServiceCallError(service: string, request: ServiceRequest, error: unknown, timeoutMs: number): ServiceCallError {
  if (error instanceof ServiceCallError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'EOPENBREAKER') {
    return new ServiceCallError(service, 'CIRCUIT_OPEN', `circuit open, ${request.method} ${request.path} not sent`, undefined, { cause: error });
  }
  if (code === 'ETIMEDOUT') {
    return new ServiceCallError(service, 'TIMEOUT', `${request.method} ${request.path} timed out after ${timeoutMs} ms`, undefined, { cause: error });
  }
  return new ServiceCallError(service, 'NETWORK', `${request.method} ${request.path} failed: ${errorMessage(error)}`, undefined, { cause: error });
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
