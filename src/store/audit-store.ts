import type { SqlDb } from './sql/sql-db.js';
import type { Clock } from './store-types.js';

/** One recorded action: who did what to what, in which center, and when. */
export interface AuditEntry {
  id: number;
  at: string;
  centerId: string | null;
  /** The account's id; null for the operator's ADMIN_TOKEN and for failed logins of unknown names. */
  actorId: string | null;
  /** The account's username at the time, or `ADMIN_TOKEN`. */
  actor: string;
  /** `document.add`, `site_key.update`, `auth.login`… (docs/accounts.md lists them). */
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditFilter {
  /** A center's entries; undefined: every center's (the operator). */
  centerId?: string;
  action?: string;
  /** ISO dates or times, inclusive (`to` as a day includes that whole day). */
  from?: string;
  to?: string;
  /** Entries older than this id (the next page of a newest-first listing). */
  before?: number;
  limit: number;
}

interface AuditRow {
  id: number;
  at: string;
  center_id: string | null;
  actor_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  ip: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  centerId: r.center_id,
  actorId: r.actor_id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  details: JSON.parse(r.details) as Record<string, unknown>,
  ip: r.ip,
});

/** The audit log: appended by the routes, read newest first by a center admin. */
export class AuditStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock,
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const at = this.now().toISOString();
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO audit_log (at, center_id, actor_id, actor, action, target, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [at, entry.centerId, entry.actorId, entry.actor, entry.action, entry.target, JSON.stringify(entry.details), entry.ip],
    );
    return { ...entry, id: row!.id, at };
  }

  private where(filter: Omit<AuditFilter, 'limit' | 'before'>): { sql: string; values: unknown[] } {
    const parts: string[] = [];
    const values: unknown[] = [];
    if (filter.centerId !== undefined) parts.push('center_id = ?'), values.push(filter.centerId);
    if (filter.action) parts.push('action = ?'), values.push(filter.action);
    // ISO times compare bytewise (COLLATE "C" on PostgreSQL, whose default collation may not).
    const time = this.sql.dialect === 'postgres' ? 'at COLLATE "C"' : 'at';
    if (filter.from) parts.push(`${time} >= ?`), values.push(filter.from);
    // A bare day as `to` means up to the end of it.
    if (filter.to)
      parts.push(`${time} <= ?`), values.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T23:59:59.999Z` : filter.to);
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
  }

  /** A page, newest first, with the total matching and the cursor of the next page (null at the end). */
  async list(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total: number; nextBefore: number | null }> {
    const { sql, values } = this.where(filter);
    const total = (await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${sql}`, values))!.n;
    const paged = filter.before === undefined ? sql : `${sql ? `${sql} AND` : 'WHERE'} id < ?`;
    const pagedValues = filter.before === undefined ? values : [...values, filter.before];
    const rows = await this.sql.all<AuditRow>(`SELECT * FROM audit_log ${paged} ORDER BY id DESC LIMIT ?`, [
      ...pagedValues,
      filter.limit + 1,
    ]);
    const entries = rows.slice(0, filter.limit).map(toEntry);
    return { entries, total, nextBefore: rows.length > filter.limit ? entries[entries.length - 1]!.id : null };
  }
}
