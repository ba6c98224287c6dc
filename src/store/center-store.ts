import type { SqlDb } from './sql/sql-db.js';
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

/** Centers: create, list, rename, suspend (SQLite or PostgreSQL, through `SqlDb`). */
export class CenterStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock,
  ) {}

  async list(): Promise<CenterRecord[]> {
    // Byte order on both adapters (PostgreSQL's default collation may skip the dashes of ids).
    const bytes = this.sql.dialect === 'postgres' ? ' COLLATE "C"' : '';
    return (await this.sql.all<CenterRow>(`SELECT * FROM centers ORDER BY created_at${bytes}, id${bytes}`)).map(toCenter);
  }

  async get(id: string): Promise<CenterRecord | undefined> {
    const row = await this.sql.get<CenterRow>('SELECT * FROM centers WHERE id = ?', [id]);
    return row && toCenter(row);
  }

  /** Creates a center whose id is made from its name (`trung-tam-quan-1`, then `-2`, … when taken). */
  async create(name: string): Promise<CenterRecord> {
    const base = slugOf(name) || 'trung-tam';
    const at = this.now().toISOString();
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      const inserted = await this.sql.run(
        "INSERT INTO centers (id, name, status, created_at) VALUES (?, ?, 'active', ?) ON CONFLICT DO NOTHING",
        [id, name, at],
      );
      if (inserted.changes === 1) return { id, name, status: 'active', createdAt: at };
    }
  }

  /** Changes the name or the status; undefined when there is no such center. */
  async update(id: string, patch: { name?: string; status?: CenterStatus }): Promise<CenterRecord | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const next = { ...current, name: patch.name ?? current.name, status: patch.status ?? current.status };
    await this.sql.run('UPDATE centers SET name = ?, status = ? WHERE id = ?', [next.name, next.status, id]);
    return next;
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
