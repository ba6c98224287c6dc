import type Database from 'better-sqlite3';
import { defaultCenterId } from '../store/index.js';

/**
 * The center a collection belongs to (its owner's). The one place practice reads it: collections
 * carry no center yet, so it is `default`; once they do (a `center_id` column), it is read from there.
 */
export function centerOfCollection(db: Database.Database, collection: string): string {
  const columns = db.prepare('PRAGMA table_info(collections)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'center_id')) return defaultCenterId;
  const row = db.prepare('SELECT center_id AS center FROM collections WHERE id = ?').get(collection) as { center: string | null } | undefined;
  return row?.center ?? defaultCenterId;
}
