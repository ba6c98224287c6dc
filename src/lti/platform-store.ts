import { randomUUID } from 'node:crypto';
import type { SqlDb } from '../store/sql/index.js';
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

/** Platforms, courses and used-once nonces, in the service's database (SQLite or PostgreSQL, shared by every replica). */
export class LtiPlatformStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers a platform; undefined when this issuer and client id are already registered. */
  async create(centerId: string, fields: PlatformFields): Promise<LtiPlatform | undefined> {
    const id = randomUUID();
    const inserted = await this.sql.run(
      `INSERT INTO lti_platforms (id, center_id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        id,
        centerId,
        fields.issuer,
        fields.clientId,
        JSON.stringify(fields.deploymentIds),
        fields.authUrl,
        fields.tokenUrl,
        fields.jwksUrl,
        this.now().toISOString(),
      ],
    );
    return inserted.changes === 1 ? this.get(id) : undefined;
  }

  async get(id: string): Promise<LtiPlatform | undefined> {
    const row = await this.sql.get<PlatformRow>('SELECT * FROM lti_platforms WHERE id = ?', [id]);
    return row && toPlatform(row);
  }

  async list(centerId: string): Promise<LtiPlatform[]> {
    return (await this.sql.all<PlatformRow>('SELECT * FROM lti_platforms WHERE center_id = ? ORDER BY created_at, id', [centerId])).map(
      toPlatform,
    );
  }

  /** The platforms of an issuer, all centers (a login names the issuer, not the center). */
  async byIssuer(issuer: string): Promise<LtiPlatform[]> {
    return (await this.sql.all<PlatformRow>('SELECT * FROM lti_platforms WHERE issuer = ? ORDER BY created_at, id', [issuer])).map(
      toPlatform,
    );
  }

  async delete(centerId: string, id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM lti_platforms WHERE id = ? AND center_id = ?', [id, centerId])).changes > 0;
  }

  /** Remembers a nonce until `expiresAt`; clears the expired ones on the way. */
  async addNonce(nonce: string, expiresAt: Date): Promise<void> {
    const now = this.now().toISOString();
    await this.sql.run('DELETE FROM lti_nonces WHERE expires_at <= ?', [now]);
    await this.sql.run('INSERT INTO lti_nonces (nonce, expires_at) VALUES (?, ?)', [nonce, expiresAt.toISOString()]);
  }

  /**
   * True once for a nonce stored and not expired; false when unknown, expired or used. One
   * DELETE decides, so of two replicas given the same launch only one sees it succeed.
   */
  async useNonce(nonce: string): Promise<boolean> {
    return (
      (await this.sql.run('DELETE FROM lti_nonces WHERE nonce = ? AND expires_at > ?', [nonce, this.now().toISOString()])).changes === 1
    );
  }

  async course(platformId: string, contextId: string): Promise<LtiCourse | undefined> {
    const row = await this.sql.get<{ platform_id: string; context_id: string; title: string; collections: string | null }>(
      'SELECT * FROM lti_courses WHERE platform_id = ? AND context_id = ?',
      [platformId, contextId],
    );
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
  async touchCourse(platformId: string, contextId: string, title: string): Promise<LtiCourse> {
    await this.sql.run(
      `INSERT INTO lti_courses (platform_id, context_id, title, collections, updated_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (platform_id, context_id) DO UPDATE SET title = excluded.title`,
      [platformId, contextId, title, this.now().toISOString()],
    );
    return (await this.course(platformId, contextId))!;
  }

  async setCourseCollections(platformId: string, contextId: string, collections: string[]): Promise<void> {
    await this.sql.run('UPDATE lti_courses SET collections = ?, updated_at = ? WHERE platform_id = ? AND context_id = ?', [
      JSON.stringify(collections),
      this.now().toISOString(),
      platformId,
      contextId,
    ]);
  }
}
