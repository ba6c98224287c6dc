import { foldDiacritics } from '../text/index.js';
import type { CollectionMetadata, LicenceCode } from './collection-metadata.js';
import { compareText } from './compare-text.js';
import type { SqlDb } from './sql/sql-db.js';
import { StoreError } from './store-error.js';
import type { Clock } from './store-types.js';

/** An open collection as the catalogue lists it: its metadata, owner and size. */
export interface CatalogueEntry extends CollectionMetadata {
  id: string;
  name: string;
  centerId: string;
  centerName: string;
  documents: number;
  chunks: number;
  publishedAt: string;
  /** Centers subscribed to it. */
  subscribers: number;
}

/** Where a collection's material comes from, for a citation (its owner's name, licence, credit line). */
export interface CollectionOrigin {
  collection: string;
  centerId: string;
  centerName: string;
  licence: LicenceCode;
  attribution: string;
}

/**
 * A collection is open (visible to other centers' learners through a subscription) while it is
 * published and carries an open licence: changing the licence back to `center-only` closes it
 * at once, as unpublishing does.
 */
const openClause = "c.published_at IS NOT NULL AND c.licence <> 'center-only'";

interface CatalogueRow {
  id: string;
  name: string;
  center_id: string;
  center_name: string;
  licence: LicenceCode;
  attribution: string;
  description: string;
  about: string;
  educational_level: string;
  learning_resource_type: string;
  in_language: string;
  documents: number;
  chunks: number;
  published_at: string;
  subscribers: number;
}

const toEntry = (r: CatalogueRow): CatalogueEntry => ({
  id: r.id,
  name: r.name,
  centerId: r.center_id,
  centerName: r.center_name,
  licence: r.licence,
  attribution: r.attribution,
  description: r.description,
  about: JSON.parse(r.about) as string[],
  educationalLevel: r.educational_level,
  learningResourceType: r.learning_resource_type,
  inLanguage: r.in_language,
  documents: r.documents,
  chunks: r.chunks,
  publishedAt: r.published_at,
  subscribers: r.subscribers,
});

/** Text as the catalogue search compares it: lower case, without diacritics (learners and teachers often type without), `-`, `_`, `.` as spaces. */
const searchable = (text: string) =>
  foldDiacritics(text.normalize('NFC').toLocaleLowerCase('vi'))
    .replace(/[-_.\s]+/g, ' ')
    .trim();

/** Publishing collections, the catalogue of open ones, and centers' subscriptions (issue 16 item 4). */
export interface SharingStore {
  /** Marks a collection published (keeps the first publication time). Rejects with `collection_not_found`. */
  publish(id: string): Promise<void>;
  /**
   * Unpublishes a collection and ends every subscription to it, in one transaction: the next
   * answer of a subscriber no longer retrieves from it, and publishing again later does not
   * silently bring it back into other centers' answers. Resolves to how many subscriptions ended.
   */
  unpublish(id: string): Promise<number>;
  /** Every open collection of the service, or those whose name, description, subjects, owner or licence contain `query` (ignoring case and diacritics). */
  catalogue(query?: string): Promise<CatalogueEntry[]>;
  /** One open collection, or undefined (unknown, not published, or its center suspended). */
  openCollection(id: string): Promise<CatalogueEntry | undefined>;
  /** Subscribes `centerId` to an open collection; false when it already was. */
  subscribe(centerId: string, collectionId: string): Promise<boolean>;
  /** False when there was no such subscription. */
  unsubscribe(centerId: string, collectionId: string): Promise<boolean>;
  /** The collections `centerId` subscribes to (open or not any more), oldest first. */
  subscriptions(centerId: string): Promise<Array<{ collection: string; createdAt: string }>>;
  /** The ids of open collections `centerId` subscribes to (owned by an active center). */
  subscribedOpenIds(centerId: string): Promise<string[]>;
  /** How many collections the service holds (all centers). */
  collectionCount(): Promise<number>;
  /** The ids of `centerId`'s own collections. */
  ownIds(centerId: string): Promise<string[]>;
  /** Owner, licence and credit line of collections (for citations), by id. */
  origins(ids: readonly string[]): Promise<Map<string, CollectionOrigin>>;
  /** A center's status; undefined when there is no such center. */
  centerStatus(centerId: string): Promise<'active' | 'suspended' | undefined>;
  /** A center's display name (its id when unknown). */
  centerName(centerId: string): Promise<string>;
}

const catalogueSql = `SELECT c.id, c.name, c.center_id, coalesce(ce.name, c.center_id) AS center_name, c.licence, c.attribution, c.description, c.about,
         c.educational_level, c.learning_resource_type, c.in_language, c.published_at,
         (SELECT count(*) FROM documents d WHERE d.collection = c.id) AS documents,
         (SELECT coalesce(sum(d.chunk_count), 0) FROM documents d WHERE d.collection = c.id) AS chunks,
         (SELECT count(*) FROM collection_subscriptions s WHERE s.collection_id = c.id) AS subscribers
  FROM collections c LEFT JOIN centers ce ON ce.id = c.center_id
  WHERE ${openClause} AND (ce.status IS NULL OR ce.status = 'active')`;

/** Newest publication first, then by id (in byte order, whatever the database's collation). */
const byPublication = (a: CatalogueEntry, b: CatalogueEntry) => compareText(b.publishedAt, a.publishedAt) || compareText(a.id, b.id);

/** Sharing over the store's `SqlDb` (SQLite or PostgreSQL). */
export class SqlSharingStore implements SharingStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  async publish(id: string): Promise<void> {
    const info = await this.db.run('UPDATE collections SET published_at = coalesce(published_at, ?) WHERE id = ?', [
      this.now().toISOString(),
      id,
    ]);
    if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
  }

  unpublish(id: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const info = await tx.run('UPDATE collections SET published_at = NULL WHERE id = ?', [id]);
      if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
      return (await tx.run('DELETE FROM collection_subscriptions WHERE collection_id = ?', [id])).changes;
    });
  }

  async catalogue(query?: string): Promise<CatalogueEntry[]> {
    const entries = (await this.db.all<CatalogueRow>(catalogueSql)).map(toEntry).sort(byPublication);
    const needle = searchable(query ?? '');
    if (!needle) return entries;
    // Folding diacritics is done here, not in SQL: neither database folds Vietnamese the way `foldDiacritics` does.
    return entries.filter((e) =>
      [e.id, e.name, e.description, e.attribution, e.centerName, e.licence, e.educationalLevel, e.learningResourceType, ...e.about].some(
        (text) => searchable(text).includes(needle),
      ),
    );
  }

  async openCollection(id: string): Promise<CatalogueEntry | undefined> {
    const row = await this.db.get<CatalogueRow>(`${catalogueSql} AND c.id = ?`, [id]);
    return row && toEntry(row);
  }

  async subscribe(centerId: string, collectionId: string): Promise<boolean> {
    const info = await this.db.run(
      'INSERT INTO collection_subscriptions (center_id, collection_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [centerId, collectionId, this.now().toISOString()],
    );
    return info.changes === 1;
  }

  async unsubscribe(centerId: string, collectionId: string): Promise<boolean> {
    const info = await this.db.run('DELETE FROM collection_subscriptions WHERE center_id = ? AND collection_id = ?', [
      centerId,
      collectionId,
    ]);
    return info.changes === 1;
  }

  async subscriptions(centerId: string): Promise<Array<{ collection: string; createdAt: string }>> {
    const rows = await this.db.all<{ collection_id: string; created_at: string }>(
      'SELECT collection_id, created_at FROM collection_subscriptions WHERE center_id = ?',
      [centerId],
    );
    return rows
      .map((r) => ({ collection: r.collection_id, createdAt: r.created_at }))
      .sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.collection, b.collection));
  }

  async subscribedOpenIds(centerId: string): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      `SELECT c.id FROM collection_subscriptions s JOIN collections c ON c.id = s.collection_id
       LEFT JOIN centers ce ON ce.id = c.center_id
       WHERE s.center_id = ? AND ${openClause} AND (ce.status IS NULL OR ce.status = 'active')`,
      [centerId],
    );
    return rows.map((r) => r.id).sort(compareText);
  }

  async collectionCount(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM collections'))!.n;
  }

  async ownIds(centerId: string): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>('SELECT id FROM collections WHERE center_id = ?', [centerId]);
    return rows.map((r) => r.id).sort(compareText);
  }

  async origins(ids: readonly string[]): Promise<Map<string, CollectionOrigin>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, CollectionOrigin>();
    if (unique.length === 0) return out;
    const rows = await this.db.all<{ id: string; center_id: string; center_name: string; licence: LicenceCode; attribution: string }>(
      `SELECT c.id, c.center_id, coalesce(ce.name, c.center_id) AS center_name, c.licence, c.attribution
       FROM collections c LEFT JOIN centers ce ON ce.id = c.center_id WHERE c.id IN (${unique.map(() => '?').join(', ')})`,
      unique,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    // In the order asked, as before.
    for (const id of unique) {
      const r = byId.get(id);
      if (r)
        out.set(id, { collection: r.id, centerId: r.center_id, centerName: r.center_name, licence: r.licence, attribution: r.attribution });
    }
    return out;
  }

  async centerStatus(centerId: string): Promise<'active' | 'suspended' | undefined> {
    return (await this.db.get<{ status: 'active' | 'suspended' }>('SELECT status FROM centers WHERE id = ?', [centerId]))?.status;
  }

  async centerName(centerId: string): Promise<string> {
    return (await this.db.get<{ name: string }>('SELECT name FROM centers WHERE id = ?', [centerId]))?.name ?? centerId;
  }
}
