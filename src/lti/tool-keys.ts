import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { SqlDb } from '../store/sql/index.js';

/** How long a retired key stays in the JWKS, so tokens signed just before a rotation still verify (platforms cache JWKS). */
export const retiredKeyKeepMs = 7 * 24 * 3600 * 1000;

/** The issuer of the tokens the tool signs for itself (state, launch sessions). */
const selfIssuer = 'trogiang';

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
  retired_at: string | null;
}

/**
 * The tool's RSA key pairs (RS256): the current one signs; retired ones stay published in the
 * JWKS for `retiredKeyKeepMs`. The private JWK is read only to sign, never returned or logged.
 * The keys live in the database, so every replica signs with the same key and verifies the others'.
 */
export class ToolKeys {
  private creating: Promise<KeyRow> | undefined;
  private readonly imported = new Map<string, CryptoKey>();

  constructor(
    private readonly sql: SqlDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private currentRow(): Promise<KeyRow | undefined> {
    return this.sql.get<KeyRow>('SELECT * FROM lti_tool_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT 1');
  }

  /** Generates a key pair (outside any transaction: it takes a while) and stores it as a current key. */
  private async newKey(): Promise<KeyRow> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const kid = randomBytes(12).toString('base64url');
    const row: KeyRow = {
      kid,
      private_jwk: JSON.stringify(await exportJWK(privateKey)),
      public_jwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }),
      created_at: this.now().toISOString(),
      retired_at: null,
    };
    await this.sql.run('INSERT INTO lti_tool_keys (kid, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, NULL)', [
      row.kid,
      row.private_jwk,
      row.public_jwk,
      row.created_at,
    ]);
    return row;
  }

  /**
   * The signing key, made on first use (one at a time, even when two launches race). Two replicas
   * starting at once may each make one: both are published, and both then sign with the newest.
   */
  private async current(): Promise<KeyRow> {
    const row = await this.currentRow();
    if (row) return row;
    this.creating ??= this.newKey()
      .then(async (made) => (await this.currentRow()) ?? made)
      .finally(() => (this.creating = undefined));
    return this.creating;
  }

  /** Makes a new current key; the previous ones are retired (still published for a while). Returns the new kid. */
  async rotate(): Promise<string> {
    const row = await this.newKey();
    await this.sql.run('UPDATE lti_tool_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?', [
      this.now().toISOString(),
      row.kid,
    ]);
    return row.kid;
  }

  /** The public keys: the current one first, then those retired less than `retiredKeyKeepMs` ago. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.current();
    const since = new Date(this.now().getTime() - retiredKeyKeepMs).toISOString();
    const rows = await this.sql.all<{ public_jwk: string }>(
      'SELECT public_jwk FROM lti_tool_keys WHERE retired_at IS NULL OR retired_at > ? ORDER BY retired_at IS NOT NULL, created_at DESC, kid',
      [since],
    );
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }

  private async privateKey(row: KeyRow): Promise<CryptoKey> {
    let key = this.imported.get(row.kid);
    if (!key) {
      key = (await importJWK(JSON.parse(row.private_jwk) as JWK, 'RS256')) as CryptoKey;
      this.imported.set(row.kid, key);
    }
    return key;
  }

  /** Signs a JWT with the current key (RS256, `kid` in the header). `expiresIn`: seconds. */
  async sign(
    payload: JWTPayload,
    options: { issuer?: string; audience: string | string[]; expiresIn: number; typ?: string },
  ): Promise<string> {
    const row = await this.current();
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: row.kid, typ: options.typ ?? 'JWT' })
      .setIssuer(options.issuer ?? selfIssuer)
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(this.now().getTime() / 1000) + options.expiresIn)
      .sign(await this.privateKey(row));
  }

  /** Verifies a token this tool signed for itself with `audience`; throws jose's errors. */
  async verifyOwn(token: string, audience: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, createLocalJWKSet(await this.jwks()), {
      issuer: selfIssuer,
      audience,
      algorithms: ['RS256'],
      currentDate: this.now(),
    });
    return payload;
  }
}
