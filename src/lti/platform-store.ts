import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { PlatformFields } from './platform-input.js';

/** A registered LTI platform (a Moodle site, or any LTI 1.3 platform) of one center. */
export interface LtiPlatform extends PlatformFields {
  id: string;
  centerId: string;
  createdAt: string;
}

/** A course (platform + context id) and the collections its instructor chose; null: not chosen yet. */
export interface LtiCourse {
  platformId: string;
  contextId: string;
  title: string;
  collections: string[] | null;
}

interface PlatformRow {
  id: string;
  center_id: string;
  issuer: string;
  client_id: string;
  deployment_ids: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  created_at: string;
}

const toPlatform = (r: PlatformRow): LtiPlatform => ({
  id: r.id,
  centerId: r.center_id,
  issuer: r.issuer,
  clientId: r.client_id,
  deploymentIds: JSON.parse(r.deployment_ids) as string[],
  authUrl: r.auth_url,
  tokenUrl: r.token_url,
  jwksUrl: r.jwks_url,
  createdAt: r.created_at,
});

/** Platforms, courses and used-once nonces, in the service's SQLite database. */
export class LtiPlatformStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers a platform; undefined when this issuer and client id are already registered. */
  create(centerId: string, fields: PlatformFields): LtiPlatform | undefined {
    const id = randomUUID();
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO lti_platforms (id, center_id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        centerId,
        fields.issuer,
        fields.clientId,
        JSON.stringify(fields.deploymentIds),
        fields.authUrl,
        fields.tokenUrl,
        fields.jwksUrl,
        this.now().toISOString(),
      );
    return inserted.changes === 1 ? this.get(id) : undefined;
  }

  get(id: string): LtiPlatform | undefined {
    const row = this.db.prepare('SELECT * FROM lti_platforms WHERE id = ?').get(id) as PlatformRow | undefined;
    return row && toPlatform(row);
  }

  list(centerId: string): LtiPlatform[] {
    return (this.db.prepare('SELECT * FROM lti_platforms WHERE center_id = ? ORDER BY created_at, id').all(centerId) as PlatformRow[]).map(
      toPlatform,
    );
  }

  /** The platforms of an issuer, all centers (a login names the issuer, not the center). */
  byIssuer(issuer: string): LtiPlatform[] {
    return (this.db.prepare('SELECT * FROM lti_platforms WHERE issuer = ? ORDER BY created_at').all(issuer) as PlatformRow[]).map(
      toPlatform,
    );
  }

  delete(centerId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM lti_platforms WHERE id = ? AND center_id = ?').run(id, centerId).changes > 0;
  }

  /** Remembers a nonce until `expiresAt`; clears the expired ones on the way. */
  addNonce(nonce: string, expiresAt: Date): void {
    const now = this.now().toISOString();
    this.db.prepare('DELETE FROM lti_nonces WHERE expires_at <= ?').run(now);
    this.db.prepare('INSERT INTO lti_nonces (nonce, expires_at) VALUES (?, ?)').run(nonce, expiresAt.toISOString());
  }

  /** True once for a nonce stored and not expired; false when unknown, expired or used. */
  useNonce(nonce: string): boolean {
    return this.db.prepare('DELETE FROM lti_nonces WHERE nonce = ? AND expires_at > ?').run(nonce, this.now().toISOString()).changes === 1;
  }

  course(platformId: string, contextId: string): LtiCourse | undefined {
    const row = this.db.prepare('SELECT * FROM lti_courses WHERE platform_id = ? AND context_id = ?').get(platformId, contextId) as
      | { platform_id: string; context_id: string; title: string; collections: string | null }
      | undefined;
    return (
      row && {
        platformId: row.platform_id,
        contextId: row.context_id,
        title: row.title,
        collections: row.collections === null ? null : (JSON.parse(row.collections) as string[]),
      }
    );
  }

  /** Records a course seen in a launch (its title kept current); its collections are untouched. */
  touchCourse(platformId: string, contextId: string, title: string): LtiCourse {
    this.db
      .prepare(
        `INSERT INTO lti_courses (platform_id, context_id, title, collections, updated_at) VALUES (?, ?, ?, NULL, ?)
         ON CONFLICT (platform_id, context_id) DO UPDATE SET title = excluded.title`,
      )
      .run(platformId, contextId, title, this.now().toISOString());
    return this.course(platformId, contextId)!;
  }

  setCourseCollections(platformId: string, contextId: string, collections: string[]): void {
    this.db
      .prepare('UPDATE lti_courses SET collections = ?, updated_at = ? WHERE platform_id = ? AND context_id = ?')
      .run(JSON.stringify(collections), this.now().toISOString(), platformId, contextId);
  }
}
