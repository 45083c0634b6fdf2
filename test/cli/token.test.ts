import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../helpers/generate.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

/** A workspace `shop` with orders and, unless `gateway: false`, the gateway (and so its development key). */
async function workspace(gateway = true): Promise<string> {
  const cwd = tmpDir();
  await generate('workspace', { dir: '.', name: 'shop' }, { cwd });
  await generate('service', { name: 'orders' }, { cwd });
  if (gateway) await generate('gateway', {}, { cwd });
  return cwd;
}

/** The token's header and claims, after checking its ES256 signature with the workspace's public key. */
function decode(cwd: string, token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims, signature] = token.split('.') as [string, string, string];
  const key = createPublicKey(readFileSync(path.join(cwd, '.archkit/dev-jwt.pub'), 'utf8'));
  expect(verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: json(header), claims: json(claims) };
}

describe('arch token', () => {
  it("signs a token with the development key, with the issuer and audience of the gateway's .env.example", async () => {
    const cwd = await workspace();
    const run = await runCli(['token', '--sub', 'alice', '--roles', 'admin,ops', '--scopes', 'orders:read,orders:write', '--ttl', '15m'], { cwd: path.join(cwd, 'services/orders') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const { header, claims } = decode(cwd, run.stdout.trim());
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: 'archkit-dev', aud: 'api', sub: 'alice', roles: ['admin', 'ops'], scope: 'orders:read orders:write' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  });

  it("follows the gateway's own .env: issuer, first audience, a dotted roles claim", async () => {
    const cwd = await workspace();
    const env = readFileSync(path.join(cwd, 'services/gateway/.env.example'), 'utf8')
      .replace(/^JWT_ISSUER=.*$/m, 'JWT_ISSUER=https://dev.shop.test/')
      .replace(/^JWT_AUDIENCE=.*$/m, 'JWT_AUDIENCE=shop-api, admin-api')
      .replace(/^JWT_ROLES_CLAIM=.*$/m, 'JWT_ROLES_CLAIM=realm_access.roles');
    writeFileSync(path.join(cwd, 'services/gateway/.env'), env);
    const run = await runCli(['token', '--sub', 'bob', '--roles', 'billing'], { cwd });
    expect(run.code).toBe(0);
    const { claims } = decode(cwd, run.stdout.trim());
    expect(claims).toMatchObject({ iss: 'https://dev.shop.test/', aud: 'shop-api', sub: 'bob', realm_access: { roles: ['billing'] } });
    expect(claims).not.toHaveProperty('scope');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('warns when the gateway verifies with something else than the development key', async () => {
    const cwd = await workspace();
    const env = readFileSync(path.join(cwd, 'services/gateway/.env.example'), 'utf8')
      .replace(/^JWT_PUBLIC_KEY_FILE=.*$/m, 'JWT_JWKS_URL=https://idp.test/jwks.json')
      .replace(/^JWT_ALGORITHMS=.*$/m, 'JWT_ALGORITHMS=RS256');
    writeFileSync(path.join(cwd, 'services/gateway/.env'), env);
    const run = await runCli(['token', '--sub', 'alice'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('services/gateway/.env accepts RS256, not ES256');
    expect(run.stderr).toContain('services/gateway/.env verifies tokens with JWT_JWKS_URL, not the development key');
  });

  it('prints the public key on one line for JWT_PUBLIC_KEY', async () => {
    const cwd = await workspace();
    const run = await runCli(['token', '--public-key'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout.trim().replaceAll('\\n', '\n')).toBe(readFileSync(path.join(cwd, '.archkit/dev-jwt.pub'), 'utf8').trim());
  });

  it.for([
    ['no --sub', ['token', '--roles', 'admin'], /^error --sub is required/],
    ['a bad ttl', ['token', '--sub', 'alice', '--ttl', '1 hour'], /^error --ttl must be a duration such as 90s, 15m, 1h or 7d/],
    ['a zero ttl', ['token', '--sub', 'alice', '--ttl', '0s'], /^error --ttl must be a duration/],
    ['a ttl over 30 days', ['token', '--sub', 'alice', '--ttl', '31d'], /^error --ttl must be a duration/],
    ['a role with a space', ['token', '--sub', 'alice', '--roles', 'a b'], /^error --roles "a b": use visible ASCII characters only/],
    ['a subject with a space', ['token', '--sub', 'al ice'], /^error --sub "al ice"/],
  ] as const)('refuses %s: one line, exit 2', async ([, argv, message]) => {
    const cwd = await workspace();
    const run = await runCli([...argv], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')[0]).toMatch(message);
  });

  it('refuses without a gateway, without a key, outside a workspace: one line and a hint, exit 2', async () => {
    const noGateway = await runCli(['token', '--sub', 'alice'], { cwd: await workspace(false) });
    expect(noGateway.code).toBe(2);
    expect(noGateway.stderr).toMatch(/^error no gateway in this workspace.*\nAdd one with `npx arch add-gateway`/);

    const cwd = await workspace();
    rmSync(path.join(cwd, '.archkit'), { recursive: true });
    const noKey = await runCli(['token', '--sub', 'alice'], { cwd });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^error no development key: \.archkit\/dev-jwt\.key is missing\nRun `npx arch add-gateway`/);

    const outside = await runCli(['token', '--sub', 'alice'], { cwd: tmpDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^error arch token runs inside an archkit workspace/);
  });
});
