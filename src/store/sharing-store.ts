import type Database from 'better-sqlite3';
import { foldDiacritics } from '../text/index.js';
import type { CollectionMetadata, LicenceCode } from './collection-metadata.js';
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
export class SqliteSharingStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock = () => new Date(),
  ) {}

  /** Marks a collection published (keeps the first publication time). Throws `collection_not_found`. */
  publish(id: string): void {
    const info = this.db
      .prepare('UPDATE collections SET published_at = coalesce(published_at, ?) WHERE id = ?')
      .run(this.now().toISOString(), id);
    if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
  }

  /**
   * Unpublishes a collection and ends every subscription to it, in one transaction: the next
   * answer of a subscriber no longer retrieves from it, and publishing again later does not
   * silently bring it back into other centers' answers. Returns how many subscriptions ended.
   */
  unpublish(id: string): number {
    return this.db
      .transaction((): number => {
        const info = this.db.prepare('UPDATE collections SET published_at = NULL WHERE id = ?').run(id);
        if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
        return this.db.prepare('DELETE FROM collection_subscriptions WHERE collection_id = ?').run(id).changes;
      })
      .immediate();
  }

  /** Every open collection of the service, or those whose name, description, subjects, owner or licence contain `query` (ignoring case and diacritics). */
  catalogue(query?: string): CatalogueEntry[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.name, c.center_id, coalesce(ce.name, c.center_id) AS center_name, c.licence, c.attribution, c.description, c.about,
                c.educational_level, c.learning_resource_type, c.in_language, c.published_at,
                (SELECT count(*) FROM documents d WHERE d.collection = c.id) AS documents,
                (SELECT coalesce(sum(d.chunk_count), 0) FROM documents d WHERE d.collection = c.id) AS chunks,
                (SELECT count(*) FROM collection_subscriptions s WHERE s.collection_id = c.id) AS subscribers
         FROM collections c LEFT JOIN centers ce ON ce.id = c.center_id
         WHERE ${openClause} AND (ce.status IS NULL OR ce.status = 'active')
         ORDER BY c.published_at DESC, c.id`,
      )
      .all() as CatalogueRow[];
    const entries = rows.map(toEntry);
    const needle = searchable(query ?? '');
    if (!needle) return entries;
    return entries.filter((e) =>
      [e.id, e.name, e.description, e.attribution, e.centerName, e.licence, e.educationalLevel, e.learningResourceType, ...e.about].some(
        (text) => searchable(text).includes(needle),
      ),
    );
  }

  /** One open collection, or undefined (unknown, not published, or its center suspended). */
  openCollection(id: string): CatalogueEntry | undefined {
    return this.catalogue().find((e) => e.id === id);
  }

  /** Subscribes `centerId` to an open collection; false when it already was. */
  subscribe(centerId: string, collectionId: string): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO collection_subscriptions (center_id, collection_id, created_at) VALUES (?, ?, ?)')
        .run(centerId, collectionId, this.now().toISOString()).changes === 1
    );
  }

  /** False when there was no such subscription. */
  unsubscribe(centerId: string, collectionId: string): boolean {
    return (
      this.db.prepare('DELETE FROM collection_subscriptions WHERE center_id = ? AND collection_id = ?').run(centerId, collectionId)
        .changes === 1
    );
  }

  /** The collections `centerId` subscribes to (open or not any more), oldest first. */
  subscriptions(centerId: string): Array<{ collection: string; createdAt: string }> {
    return this.db
      .prepare(
        'SELECT collection_id AS collection, created_at AS createdAt FROM collection_subscriptions WHERE center_id = ? ORDER BY created_at, collection_id',
      )
      .all(centerId) as Array<{ collection: string; createdAt: string }>;
  }

  /** The ids of open collections `centerId` subscribes to (owned by an active center). */
  subscribedOpenIds(centerId: string): string[] {
    return this.db
      .prepare(
        `SELECT c.id FROM collection_subscriptions s JOIN collections c ON c.id = s.collection_id
         LEFT JOIN centers ce ON ce.id = c.center_id
         WHERE s.center_id = ? AND ${openClause} AND (ce.status IS NULL OR ce.status = 'active') ORDER BY c.id`,
      )
      .pluck()
      .all(centerId) as string[];
  }

  /** How many collections the service holds (all centers). */
  collectionCount(): number {
    return this.db.prepare('SELECT count(*) FROM collections').pluck().get() as number;
  }

  /** The ids of `centerId`'s own collections. */
  ownIds(centerId: string): string[] {
    return this.db.prepare('SELECT id FROM collections WHERE center_id = ? ORDER BY id').pluck().all(centerId) as string[];
  }

  /** Owner, licence and credit line of collections (for citations), by id. */
  origins(ids: readonly string[]): Map<string, CollectionOrigin> {
    const out = new Map<string, CollectionOrigin>();
    const select = this.db.prepare(
      `SELECT c.id AS collection, c.center_id AS centerId, coalesce(ce.name, c.center_id) AS centerName, c.licence, c.attribution
       FROM collections c LEFT JOIN centers ce ON ce.id = c.center_id WHERE c.id = ?`,
    );
    for (const id of new Set(ids)) {
      const row = select.get(id) as CollectionOrigin | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }

  /** A center's status; undefined when there is no such center. */
  centerStatus(centerId: string): 'active' | 'suspended' | undefined {
    return this.db.prepare('SELECT status FROM centers WHERE id = ?').pluck().get(centerId) as 'active' | 'suspended' | undefined;
  }

  /** A center's display name (its id when unknown). */
  centerName(centerId: string): string {
    return (this.db.prepare('SELECT name FROM centers WHERE id = ?').pluck().get(centerId) as string | undefined) ?? centerId;
  }
}
