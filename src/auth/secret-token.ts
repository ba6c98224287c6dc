import { createHash, randomBytes } from 'node:crypto';

/** A new random secret (32 bytes, base64url): session ids, invitation and reset tokens. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The form a secret is stored in: SHA-256, hex. A 256-bit random secret needs no salt or slow
 * hash; storing only the hash means a leaked database holds no usable session or link.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
