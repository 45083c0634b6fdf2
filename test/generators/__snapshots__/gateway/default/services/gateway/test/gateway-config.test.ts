import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { loadGatewayConfig } from '../src/gateway/config.js';
import { resolveRoutes } from '../src/gateway/route.js';

const base = { JWT_ISSUER: 'https://idp.test/', JWT_AUDIENCE: 'api', JWT_JWKS_URL: 'https://idp.test/jwks.json', REDIS_URL: 'redis://127.0.0.1:6379' };

const problems = (env: Record<string, string>): readonly string[] => {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('gateway configuration', () => {
  it('reads a JWKS setup with defaults', () => {
    const config = loadGatewayConfig(base);
    expect(config.auth).toMatchObject({ issuer: 'https://idp.test/', audience: ['api'], algorithms: ['RS256'], key: { kind: 'jwks' } });
    expect(config.rateLimit).toEqual({ max: 100, windowMs: 60_000, failOpen: true });
    expect(config.trustProxy).toBe(false);
  });

  it('requires issuer, audience, a key and Redis', () => {
    expect(problems({})).toEqual(['JWT_AUDIENCE is required', 'JWT_ISSUER is required', 'REDIS_URL is required']);
    expect(problems({ ...base, JWT_JWKS_URL: '' })).toEqual([
      'set exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE and JWT_SECRET (found none)',
    ]);
  });

  it('reads the public key from JWT_PUBLIC_KEY_FILE, and says when it cannot', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gateway-key-'));
    try {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const file = path.join(dir, 'dev-jwt.pub');
      writeFileSync(file, pem);
      const fromFile = { ...base, JWT_JWKS_URL: '', JWT_ALGORITHMS: 'ES256' };
      expect(loadGatewayConfig({ ...fromFile, JWT_PUBLIC_KEY_FILE: file }).auth.key).toEqual({ kind: 'public-key', pem });
      expect(problems({ ...fromFile, JWT_PUBLIC_KEY_FILE: path.join(dir, 'missing.pub') })[0]).toMatch(/^JWT_PUBLIC_KEY_FILE cannot be read: ENOENT/);
      expect(problems({ ...fromFile, JWT_JWKS_URL: base.JWT_JWKS_URL, JWT_PUBLIC_KEY_FILE: file })).toEqual([
        'set exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE and JWT_SECRET (found JWT_JWKS_URL, JWT_PUBLIC_KEY_FILE)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses `none` and keys that do not fit the algorithms', () => {
    expect(problems({ ...base, JWT_ALGORITHMS: 'none' })[0]).toMatch(/^JWT_ALGORITHMS/);
    expect(problems({ ...base, JWT_ALGORITHMS: 'HS256' })).toContain('JWT_ALGORITHMS HS256 need JWT_SECRET');
    const secret = { ...base, JWT_JWKS_URL: '', JWT_SECRET: 's'.repeat(32) };
    expect(problems({ ...secret, JWT_ALGORITHMS: 'HS256,RS256' })).toContain('JWT_ALGORITHMS RS256 need JWT_PUBLIC_KEY or JWT_JWKS_URL, not JWT_SECRET');
    expect(problems({ ...secret, JWT_ALGORITHMS: 'HS256' })).toEqual([]);
    expect(problems({ ...secret, JWT_SECRET: 'short', JWT_ALGORITHMS: 'HS256' })[0]).toMatch(/^JWT_SECRET must be at least 32/);
  });

  it('names the missing upstream URL of a route', () => {
    expect(() => resolveRoutes([{ service: 'billing-v2', prefix: '/api/billing', rewritePrefix: '/billing' }], {})).toThrow(/BILLING_V2_SERVICE_URL is required/);
    expect(() =>
      resolveRoutes(
        [
          { service: 'a', prefix: '/api/a', rewritePrefix: '/a' },
          { service: 'b', prefix: '/api/a/', rewritePrefix: '/b' },
        ],
        { a: 'http://a:3000', b: 'http://b:3000' },
      ),
    ).toThrow(/used twice/);
  });

  it('finds a service URL only as an own property: a route named like an object\'s built-in key has no URL', () => {
    for (const service of ['constructor', 'toString', '__proto__']) {
      expect(() => resolveRoutes([{ service, prefix: '/api/x', rewritePrefix: '/x' }], {}), service).toThrow(ConfigError);
    }
    const [route] = resolveRoutes([{ service: 'constructor', prefix: '/api/x', rewritePrefix: '/x' }], Object.fromEntries([['constructor', 'http://x:3000']]));
    expect(route?.upstream).toBe('http://x:3000');
  });
});
