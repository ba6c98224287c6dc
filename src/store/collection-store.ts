import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseInput, StoreError } from './store-error.js';
import type { Clock } from './store-types.js';
import { collectionIdShape } from './collection-ids.js';

/**
 * A collection id: lower-case letters, digits, `_` and `-`, starting with a letter or digit, ≤ 64
 * characters, prefixed by `<center>.` for a collection of a center other than the default one
 * (see collection-ids.ts).
 */
export const collectionIdSchema = z
  .string()
  .regex(
    collectionIdShape,
    'must be 1-64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit (optionally after "<center>.")',
  );

/** A collection's display name (trimmed, 1-120 characters). */
export const collectionNameSchema = z.string().trim().min(1).max(120);

/** A collection with what it holds. */
export interface CollectionRecord {
  id: string;
  /** Display name; the id never changes, the name can. */
  name: string;
  documents: number;
  chunks: number;
  createdAt: string;
  /** The center that owns it (derived from the id). */
  centerId: string;
  /** When it was published as open material for other centers; null: not published. */
  publishedAt: string | null;
}

/** Collections (a course or a subject): create, rename, delete. A PostgreSQL adapter implements the same. */
export interface CollectionStore {
  /** Every collection (of one center when given) with document and chunk counts, sorted by display name (Vietnamese order). */
  listCollections(centerId?: string): CollectionRecord[];
  getCollection(id: string): CollectionRecord | undefined;
  /** Throws StoreError `invalid_input` (bad id or name) or `collection_exists`. */
  createCollection(id: string, name: string): CollectionRecord;
  /** Changes the display name; the id stays. Throws `collection_not_found` or `invalid_input`. */
  renameCollection(id: string, name: string): CollectionRecord;
  /**
   * Deletes an unused collection. Throws `collection_not_found`, `collection_not_empty` (documents
   * use it: the caller removes them first, and updates its indexes) or `collection_in_use` (a site
   * key is limited to it: removing it from the key's list would silently widen the key to all
   * collections, so the key is edited first).
   */
  deleteCollection(id: string): void;
}

interface CollectionRow {
  id: string;
  name: string;
  created_at: string;
  center_id: string;
  published_at: string | null;
  documents: number;
  chunks: number;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

function toCollection(row: CollectionRow): CollectionRecord {
  return {
    id: row.id,
    name: row.name,
    documents: row.documents,
    chunks: row.chunks,
    createdAt: row.created_at,
    centerId: row.center_id,
    publishedAt: row.published_at,
  };
}

const selectCollections = `
  SELECT c.id AS id, c.name AS name, c.created_at AS created_at, c.center_id AS center_id, c.published_at AS published_at,
         count(d.id) AS documents, coalesce(sum(d.chunk_count), 0) AS chunks
  FROM collections c LEFT JOIN documents d ON d.collection = c.id`;

export class SqliteCollectionStore implements CollectionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock = () => new Date(),
  ) {}

  listCollections(centerId?: string): CollectionRecord[] {
    const rows = (
      centerId === undefined
        ? this.db.prepare(`${selectCollections} GROUP BY c.id`).all()
        : this.db.prepare(`${selectCollections} WHERE c.center_id = ? GROUP BY c.id`).all(centerId)
    ) as CollectionRow[];
    return rows.map(toCollection).sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  getCollection(id: string): CollectionRecord | undefined {
    const row = this.db.prepare(`${selectCollections} WHERE c.id = ? GROUP BY c.id`).get(id) as CollectionRow | undefined;
    return row && toCollection(row);
  }

  createCollection(id: string, name: string): CollectionRecord {
    const input = parseInput(z.object({ id: collectionIdSchema, name: collectionNameSchema }), { id, name }, 'collection');
    return this.db
      .transaction((): CollectionRecord => {
        const info = this.db
          .prepare('INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING')
          .run(input.id, input.name, this.now().toISOString());
        if (info.changes === 0) {
          throw new StoreError('collection_exists', `collection "${input.id}" already exists`, { id: input.id });
        }
        return this.getCollection(input.id)!;
      })
      .immediate();
  }

  renameCollection(id: string, name: string): CollectionRecord {
    const newName = parseInput(collectionNameSchema, name, 'collection name');
    const info = this.db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(newName, id);
    if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
    return this.getCollection(id)!;
  }

  deleteCollection(id: string): void {
    this.db
      .transaction(() => {
        const collection = this.getCollection(id);
        if (!collection) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
        if (collection.documents > 0) {
          throw new StoreError(
            'collection_not_empty',
            `collection "${id}" still has ${collection.documents} document(s); remove them first`,
            { id, documents: collection.documents },
          );
        }
        const keys = this.db
          .prepare('SELECT DISTINCT s.key AS key FROM site_keys s, json_each(s.collections) j WHERE j.value = ? ORDER BY s.key')
          .all(id) as Array<{ key: string }>;
        if (keys.length > 0) {
          throw new StoreError('collection_in_use', `collection "${id}" is used by ${keys.length} site key(s); edit them first`, {
            id,
            siteKeys: keys.map((k) => k.key),
          });
        }
        this.db.prepare('DELETE FROM collections WHERE id = ?').run(id);
      })
      .immediate();
  }
}
