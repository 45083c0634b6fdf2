/** Keys and tokens for the gateway's tests: a real RS256 key pair, and helpers to sign good and bad tokens. */
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export const ISSUER = 'https://idp.test/';
export const AUDIENCE = 'api';

export interface TestKeys {
  publicKeyPem: string;
  sign(claims?: JWTPayload, options?: { expiresIn?: string; issuer?: string; audience?: string; subject?: string | null }): Promise<string>;
  /** A token with a valid shape signed by another key. */
  forge(claims?: JWTPayload): Promise<string>;
}

export async function createTestKeys(): Promise<TestKeys> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const build = (claims: JWTPayload, options: { expiresIn?: string; issuer?: string; audience?: string; subject?: string | null } = {}) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setExpirationTime(options.expiresIn ?? '5m');
    return options.subject === null ? jwt : jwt.setSubject(options.subject ?? 'user-1');
  };
  return {
    publicKeyPem: await exportSPKI(publicKey),
    sign: (claims = {}, options = {}) => build(claims, options).sign(privateKey),
    forge: (claims = {}) => build(claims).sign(other.privateKey),
  };
}

/** An unsigned token (`alg: none`), which the gateway must never accept. */
export function unsignedToken(claims: JWTPayload): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 300, ...claims })}.`;
}
