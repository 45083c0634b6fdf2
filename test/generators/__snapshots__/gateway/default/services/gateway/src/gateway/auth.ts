/**
 * Authentication (JWT) and authorisation (roles, scopes) at the door.
 *
 * A token is accepted only when its signature verifies with the configured
 * key under one of the allowed algorithms (`none` never is), its issuer and
 * audience match, it has not expired (and is already valid), and it names a
 * subject. What the token says is then carried to the upstreams in x-user-*
 * headers, which are always removed from what the client sent.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthConfig } from './config.js';
import type { GatewayRoute } from './route.js';

export interface Identity {
  /** The token's `sub`. */
  subject: string;
  roles: string[];
  scopes: string[];
}

export type Verifier = (token: string) => Promise<Identity>;

/**
 * A request the gateway turns away. For a 401, `code` is the RFC 6750 error of the `WWW-Authenticate`
 * challenge: none when the request carried no bearer token at all, `invalid_token` for a token that does
 * not verify. `detail` (why the token failed, in the JWT library's words) is for the log, never the client.
 */
export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    message: string,
    readonly code?: 'invalid_token',
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** Header names the gateway sets for upstreams; anything under the prefix from a client is dropped. */
export const IDENTITY_HEADER_PREFIX = 'x-user-';
export const IDENTITY_HEADERS = { subject: 'x-user-id', roles: 'x-user-roles', scopes: 'x-user-scopes' } as const;

// Values that end up in HTTP headers: visible ASCII only, and no separators of our own.
const SAFE_VALUE = /^[\x21-\x7e]{1,256}$/;

export function createVerifier(auth: AuthConfig): Verifier {
  const options: JWTVerifyOptions = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    clockTolerance: auth.clockToleranceSec,
    requiredClaims: ['sub', 'exp'],
  };
  let verify: (token: string) => Promise<JWTPayload>;
  if (auth.key.kind === 'jwks') {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(auth.key.url), { timeoutDuration: 2000, cooldownDuration: 30_000 });
    verify = async (token) => (await jwtVerify(token, keys, options)).payload;
  } else {
    const key: KeyObject = auth.key.kind === 'public-key' ? createPublicKey(auth.key.pem) : createSecretKey(Buffer.from(auth.key.secret, 'utf8'));
    verify = async (token) => (await jwtVerify(token, key, options)).payload;
  }
  // Checking a signature costs more than the rest of a request: a token that verified is remembered
  // (by its full text, signature included) until it expires, for at most a minute, so that a key
  // removed from the JWKS stops being honoured soon after.
  const verified = new Map<string, { identity: Identity; until: number }>();
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return hit.identity;
    if (hit) verified.delete(token);
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      throw invalidToken(error instanceof Error ? error.message : String(error));
    }
    if (typeof payload.sub !== 'string' || !SAFE_VALUE.test(payload.sub)) throw invalidToken('unusable subject');
    const identity: Identity = {
      subject: payload.sub,
      roles: words(claimAt(payload, auth.rolesClaim), /[\s,]+/),
      scopes: words(payload.scope ?? payload.scp, /\s+/),
    };
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { identity, until: Math.min(now + VERIFIED_TOKEN_MAX_MS, (payload.exp ?? 0) * 1000) });
    return identity;
  };
}

const VERIFIED_TOKENS_KEPT = 10_000;
const VERIFIED_TOKEN_MAX_MS = 60_000;

/** The one answer to every token that does not verify, whatever the reason (`detail`, logged). */
export function invalidToken(detail: string): AuthError {
  return new AuthError(401, 'invalid token', 'invalid_token', detail);
}

/** The token from `Authorization: Bearer <token>`, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** Null when the identity may use the route, else why not. */
export function deniedReason(route: GatewayRoute, identity: Identity): string | null {
  const roles = route.roles ?? [];
  if (roles.length > 0 && !roles.some((role) => identity.roles.includes(role))) return `requires one of the roles: ${roles.join(', ')}`;
  const missing = (route.scopes ?? []).filter((scope) => !identity.scopes.includes(scope));
  if (missing.length > 0) return `requires the scopes: ${missing.join(' ')}`;
  return null;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function words(value: unknown, separator: RegExp): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(separator) : [];
  return items.filter((item): item is string => typeof item === 'string' && SAFE_VALUE.test(item) && !item.includes(','));
}
