import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { SqlDb } from '../store/sql/index.js';

/** The longest life a host page's user token may have (seconds): short-lived, signed per page view. */
export const maxUserTokenSeconds = 24 * 3600;

/** Clock skew allowed on a user token's `exp` and `iat` (seconds). */
const userTokenSkewSeconds = 60;

/**
 * Each site key's secret for signing user tokens (`data-user-token`), kept in the database. The
 * secret is shown once, when it is made; a new one replaces it (tokens signed with the old fail).
 */
export class UserTokenSecrets {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Makes (or replaces) the secret of a site key and returns it: 32 random bytes, base64url. */
  async renew(siteKey: string): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    await this.sql.run(
      'INSERT INTO site_key_secrets (site_key, secret, created_at) VALUES (?, ?, ?) ON CONFLICT(site_key) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at',
      [siteKey, secret, this.now().toISOString()],
    );
    return secret;
  }

  async get(siteKey: string): Promise<string | undefined> {
    return (await this.sql.get<{ secret: string }>('SELECT secret FROM site_key_secrets WHERE site_key = ?', [siteKey]))?.secret;
  }

  /** Whether a site key has a secret (the admin page says so without showing it). */
  async has(siteKey: string): Promise<boolean> {
    return (await this.get(siteKey)) !== undefined;
  }
}

/** Whether a token is a host page's user token (HS256) rather than a launch session (RS256). */
export function isUserToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).alg === 'HS256';
  } catch {
    return false;
  }
}

/**
 * The `sub` of a host page's user token: HS256 with the site key's secret, `sub`, `iat` and `exp`
 * required, at most `maxUserTokenSeconds` of life, and `aud` (when present) the site key.
 * Undefined when anything is wrong.
 */
export async function verifyUserToken(token: string, siteKey: string, secret: string, now: Date = new Date()): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: userTokenSkewSeconds,
      currentDate: now,
    });
    if (payload.aud !== undefined && payload.aud !== siteKey && !(Array.isArray(payload.aud) && payload.aud.includes(siteKey)))
      return undefined;
    if (payload.exp! - payload.iat! > maxUserTokenSeconds) return undefined;
    if (payload.iat! > now.getTime() / 1000 + userTokenSkewSeconds) return undefined;
    return typeof payload.sub === 'string' && payload.sub.length > 0 && payload.sub.length <= 255 ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
