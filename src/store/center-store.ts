import type Database from 'better-sqlite3';
import type { Clock } from './store-types.js';

/** The center that holds everything stored before centers existed, and a new data folder's only one. */
export const defaultCenterId = 'default';

export type CenterStatus = 'active' | 'suspended';

/** A center (tenant): it owns teachers, and (once scoping lands) collections, documents and site keys. */
export interface CenterRecord {
  id: string;
  name: string;
  status: CenterStatus;
  createdAt: string;
}

interface CenterRow {
  id: string;
  name: string;
  status: CenterStatus;
  created_at: string;
}

const toCenter = (r: CenterRow): CenterRecord => ({ id: r.id, name: r.name, status: r.status, createdAt: r.created_at });

/** Centers: create, list, rename, suspend. */
export class SqliteCenterStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  list(): CenterRecord[] {
    return (this.db.prepare('SELECT * FROM centers ORDER BY created_at, id').all() as CenterRow[]).map(toCenter);
  }

  get(id: string): CenterRecord | undefined {
    const row = this.db.prepare('SELECT * FROM centers WHERE id = ?').get(id) as CenterRow | undefined;
    return row && toCenter(row);
  }

  /** Creates a center whose id is made from its name (`trung-tam-quan-1`, then `-2`, … when taken). */
  create(name: string): CenterRecord {
    const base = slugOf(name) || 'trung-tam';
    const insert = this.db.prepare("INSERT OR IGNORE INTO centers (id, name, status, created_at) VALUES (?, ?, 'active', ?)");
    const at = this.now().toISOString();
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (insert.run(id, name, at).changes === 1) return this.get(id)!;
    }
  }

  /** Changes the name or the status; undefined when there is no such center. */
  update(id: string, patch: { name?: string; status?: CenterStatus }): CenterRecord | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    this.db
      .prepare('UPDATE centers SET name = ?, status = ? WHERE id = ?')
      .run(patch.name ?? current.name, patch.status ?? current.status, id);
    return this.get(id);
  }
}

/** `Trung tâm GDTX Quận 1` → `trung-tam-gdtx-quan-1` (at most 40 characters). */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
