/**
 * The workspace's development key for the gateway's JWTs: an ES256 key pair
 * under `.archkit/` (git-ignored), written by `arch add-gateway`. The
 * gateway's local `.env` verifies with the public key (JWT_PUBLIC_KEY_FILE);
 * `arch token` signs with the private one. Production points the gateway at
 * an identity provider instead (JWT_JWKS_URL).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Tree } from './tree.js';

export const DEV_KEY = {
  /** Folder of archkit's local, git-ignored state. */
  dir: '.archkit',
  /** PKCS#8 PEM private key (mode 0600). */
  privateKey: '.archkit/dev-jwt.key',
  /** SPKI PEM public key. */
  publicKey: '.archkit/dev-jwt.pub',
  algorithm: 'ES256',
  /** The issuer and audience the gateway's .env.example expects of development tokens. */
  issuer: 'archkit-dev',
  audience: 'api',
} as const;

/** The SPKI PEM of a PEM private key. */
export function publicKeyOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Ensures the key pair exists: an existing private key is kept (the public
 * key is derived from it again, so both stay a pair); otherwise a new pair is
 * made. Returns whether a new key was made.
 */
export function ensureDevKey(tree: Pick<Tree, 'read' | 'write'>): boolean {
  const existing = tree.read(DEV_KEY.privateKey);
  let privatePem = existing;
  if (privatePem === undefined) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    tree.write(DEV_KEY.privateKey, privatePem, { mode: 0o600 });
  }
  tree.write(DEV_KEY.publicKey, publicKeyOf(privatePem), { intent: 'edit' });
  return existing === undefined;
}

/** Adds `.archkit/` to the workspace's .gitignore (created when missing), so the private key is never committed. */
export function ignoreDevState(tree: Pick<Tree, 'read' | 'write'>): void {
  const text = tree.read('.gitignore') ?? '';
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => line === `${DEV_KEY.dir}/` || line === DEV_KEY.dir || line === `/${DEV_KEY.dir}/`)) return;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  tree.write('.gitignore', `${base}# archkit's local state: the development JWT key of \`arch token\`\n${DEV_KEY.dir}/\n`, { intent: text === '' ? 'generate' : 'edit' });
}
