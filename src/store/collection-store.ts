import { z } from 'zod';
import { parseInput, StoreError } from './store-error.js';
import type { Clock } from './store-types.js';
import { collectionIdShape } from './collection-ids.js';
import { compareText } from './compare-text.js';
import { jsonArrayHas } from './json-array-has.js';
import type { SqlDb } from './sql/sql-db.js';

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

/** Collections (a course or a subject): create, rename, delete; on SQLite or PostgreSQL (`SqlCollectionStore`). */
export interface CollectionStore {
  /** Every collection (of one center when given) with document and chunk counts, sorted by display name (Vietnamese order). */
  listCollections(centerId?: string): Promise<CollectionRecord[]>;
  getCollection(id: string): Promise<CollectionRecord | undefined>;
  /** Rejects with StoreError `invalid_input` (bad id or name) or `collection_exists`. */
  createCollection(id: string, name: string): Promise<CollectionRecord>;
  /** Changes the display name; the id stays. Rejects with `collection_not_found` or `invalid_input`. */
  renameCollection(id: string, name: string): Promise<CollectionRecord>;
  /**
   * Deletes an unused collection. Rejects with `collection_not_found`, `collection_not_empty`
   * (documents use it: the caller removes them first, and updates its indexes) or
   * `collection_in_use` (a site key is limited to it: removing it from the key's list would
   * silently widen the key to all collections, so the key is edited first).
   */
  deleteCollection(id: string): Promise<void>;
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
const groupCollections = 'GROUP BY c.id, c.name, c.created_at, c.center_id, c.published_at';

async function getOn(db: SqlDb, id: string): Promise<CollectionRecord | undefined> {
  const row = await db.get<CollectionRow>(`${selectCollections} WHERE c.id = ? ${groupCollections}`, [id]);
  return row && toCollection(row);
}

/** Collections over the store's `SqlDb` (SQLite or PostgreSQL). */
export class SqlCollectionStore implements CollectionStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  async listCollections(centerId?: string): Promise<CollectionRecord[]> {
    const rows =
      centerId === undefined
        ? await this.db.all<CollectionRow>(`${selectCollections} ${groupCollections}`)
        : await this.db.all<CollectionRow>(`${selectCollections} WHERE c.center_id = ? ${groupCollections}`, [centerId]);
    return rows.map(toCollection).sort((a, b) => collator.compare(a.name, b.name) || compareText(a.id, b.id));
  }

  getCollection(id: string): Promise<CollectionRecord | undefined> {
    return getOn(this.db, id);
  }

  async createCollection(id: string, name: string): Promise<CollectionRecord> {
    const input = parseInput(z.object({ id: collectionIdSchema, name: collectionNameSchema }), { id, name }, 'collection');
    return this.db.transaction(async (tx) => {
      const info = await tx.run('INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        input.id,
        input.name,
        this.now().toISOString(),
      ]);
      if (info.changes === 0) {
        throw new StoreError('collection_exists', `collection "${input.id}" already exists`, { id: input.id });
      }
      return (await getOn(tx, input.id))!;
    });
  }

  async renameCollection(id: string, name: string): Promise<CollectionRecord> {
    const newName = parseInput(collectionNameSchema, name, 'collection name');
    const info = await this.db.run('UPDATE collections SET name = ? WHERE id = ?', [newName, id]);
    if (info.changes === 0) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
    return (await this.getCollection(id))!;
  }

  deleteCollection(id: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const collection = await getOn(tx, id);
      if (!collection) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
      if (collection.documents > 0) {
        throw new StoreError(
          'collection_not_empty',
          `collection "${id}" still has ${collection.documents} document(s); remove them first`,
          { id, documents: collection.documents },
        );
      }
      const keys = (
        await tx.all<{ key: string }>(`SELECT key FROM site_keys WHERE ${jsonArrayHas(tx.dialect, 'site_keys.collections')}`, [id])
      )
        .map((k) => k.key)
        .sort(compareText);
      if (keys.length > 0) {
        throw new StoreError('collection_in_use', `collection "${id}" is used by ${keys.length} site key(s); edit them first`, {
          id,
          siteKeys: keys,
        });
      }
      await tx.run('DELETE FROM collections WHERE id = ?', [id]);
    });
  }
}
