/**
 * `arch token`: a development JWT the workspace's gateway accepts, signed
 * with the development key `arch add-gateway` made (.archkit/dev-jwt.key),
 * with the issuer, audience and roles claim of the gateway's own `.env`
 * (else its `.env.example`).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DEV_KEY, publicKeyOf } from '../generate/dev-key.js';
import { devWorkspace, readEnvFile, serviceEnvFile } from './workspace.js';

export interface TokenRequest {
  cwd: string;
  subject: string;
  roles: readonly string[];
  scopes: readonly string[];
  /** A duration: `90s`, `15m`, `1h`, `7d`. */
  ttl: string;
  /** Seconds since the epoch; now by default. */
  now?: number;
}

export interface SignedToken {
  token: string;
  /** Why the gateway may refuse it (its .env verifies with another key or algorithm). */
  warnings: string[];
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_S = 30 * 86_400;
// What the gateway carries to upstreams in x-user-* headers: visible ASCII; roles and scopes are lists, so no commas.
const SAFE_VALUE = /^[\x21-\x7e]{1,256}$/;

/** Seconds in a `--ttl` value, or a UsageError. */
export function parseTtl(ttl: string): number {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(ttl);
  const seconds = match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_TTL_S)) {
    throw new UsageError(`--ttl must be a duration such as 90s, 15m, 1h or 7d (30d at most), got ${JSON.stringify(ttl)}`);
  }
  return seconds;
}

function checkValues(flag: string, values: readonly string[], list: boolean): void {
  for (const value of values) {
    if (!SAFE_VALUE.test(value) || (list && value.includes(','))) {
      throw new UsageError(`${flag} ${JSON.stringify(value)}: use visible ASCII characters only${list ? ', no spaces or commas inside one value' : ', no spaces'}`);
    }
  }
}

/** The workspace's development private key, or a UsageError saying how to make it. */
function readDevKey(root: string): { key: KeyObject; publicPem: string } {
  const file = path.join(root, DEV_KEY.privateKey);
  if (!existsSync(file)) {
    throw new UsageError(`no development key: ${DEV_KEY.privateKey} is missing`, 'Run `npx arch add-gateway`: it makes the key (in a fresh clone it changes nothing else).');
  }
  const pem = readFileSync(file, 'utf8');
  try {
    return { key: createPrivateKey(pem), publicPem: publicKeyOf(pem) };
  } catch (error) {
    throw new UsageError(`${DEV_KEY.privateKey} is not a PEM private key (${(error as Error).message})`, `Delete it and run \`npx arch add-gateway\` to make a new one.`);
  }
}

/** `{ "realm_access": { "roles": [...] } }` for the dotted claim path `realm_access.roles`. */
function claimAt(claimPath: string, value: unknown): Record<string, unknown> {
  return claimPath
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs a development token for the workspace's gateway. */
export async function signDevToken(request: TokenRequest): Promise<SignedToken> {
  checkValues('--sub', [request.subject], false);
  checkValues('--roles', request.roles, true);
  checkValues('--scopes', request.scopes, true);
  const ttl = parseTtl(request.ttl);
  const { root, gateway } = await devWorkspace(request.cwd, 'arch token');
  if (gateway === null) throw new UsageError('no gateway in this workspace: tokens are for the gateway', 'Add one with `npx arch add-gateway`.');
  const { key, publicPem } = readDevKey(root);

  const envFile = serviceEnvFile(gateway, true);
  const env = readEnvFile(envFile);
  const warnings = keyWarnings(env, envFile === null ? `${gateway.dir}/.env` : path.relative(root, envFile), gateway.abs, publicPem);
  const audience = (env.JWT_AUDIENCE ?? DEV_KEY.audience).split(',').map((a) => a.trim()).find((a) => a !== '') ?? DEV_KEY.audience;
  const now = request.now ?? Math.floor(Date.now() / 1000);
  const claims = {
    iss: env.JWT_ISSUER || DEV_KEY.issuer,
    aud: audience,
    sub: request.subject,
    iat: now,
    exp: now + ttl,
    ...(request.roles.length > 0 ? claimAt(env.JWT_ROLES_CLAIM || 'roles', [...request.roles]) : {}),
    ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
  };
  const input = `${base64url({ alg: DEV_KEY.algorithm, typ: 'JWT' })}.${base64url(claims)}`;
  // JWS wants ES256's signature as r || s (IEEE P1363), not DER.
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return { token: `${input}.${signature.toString('base64url')}`, warnings };
}

/** Why the gateway, configured by `env`, would refuse a token of the development key. */
function keyWarnings(env: Record<string, string>, envFile: string, gatewayDir: string, publicPem: string): string[] {
  const warnings: string[] = [];
  const algorithms = (env.JWT_ALGORITHMS ?? 'RS256').split(',').map((a) => a.trim());
  if (!algorithms.includes(DEV_KEY.algorithm)) warnings.push(`${envFile} accepts ${algorithms.join(', ')}, not ${DEV_KEY.algorithm}: set JWT_ALGORITHMS=${DEV_KEY.algorithm} for development tokens`);
  const file = env.JWT_PUBLIC_KEY_FILE;
  if (env.JWT_PUBLIC_KEY && env.JWT_PUBLIC_KEY.replaceAll('\\n', '\n').trim() === publicPem.trim()) return warnings;
  if (file) {
    const abs = path.resolve(gatewayDir, file);
    const text = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (text?.trim() !== publicPem.trim()) warnings.push(`${envFile}: JWT_PUBLIC_KEY_FILE=${file} is not the development key's public key (${DEV_KEY.publicKey})`);
  } else {
    const source = ['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_SECRET'].find((k) => env[k]);
    warnings.push(`${envFile} verifies tokens with ${source ?? 'no key'}, not the development key: set JWT_PUBLIC_KEY_FILE=../../${DEV_KEY.publicKey} for development tokens`);
  }
  return warnings;
}

/** The development public key on one line (`\n` escapes), as JWT_PUBLIC_KEY takes it in compose's .env. */
export async function devPublicKeyLine(cwd: string): Promise<string> {
  const { root } = await devWorkspace(cwd, 'arch token');
  return readDevKey(root).publicPem.trim().replaceAll('\n', '\\n');
}
