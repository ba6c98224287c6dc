import type Database from 'better-sqlite3';
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
export class SqliteAuditStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  append(entry: NewAuditEntry): AuditEntry {
    const at = this.now().toISOString();
    const id = Number(
      this.db
        .prepare('INSERT INTO audit_log (at, center_id, actor_id, actor, action, target, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(at, entry.centerId, entry.actorId, entry.actor, entry.action, entry.target, JSON.stringify(entry.details), entry.ip)
        .lastInsertRowid,
    );
    return { ...entry, id, at };
  }

  private where(filter: Omit<AuditFilter, 'limit' | 'before'>): { sql: string; values: unknown[] } {
    const parts: string[] = [];
    const values: unknown[] = [];
    if (filter.centerId !== undefined) parts.push('center_id = ?'), values.push(filter.centerId);
    if (filter.action) parts.push('action = ?'), values.push(filter.action);
    if (filter.from) parts.push('at >= ?'), values.push(filter.from);
    // A bare day as `to` means up to the end of it.
    if (filter.to) parts.push('at <= ?'), values.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T23:59:59.999Z` : filter.to);
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
  }

  /** A page, newest first, with the total matching and the cursor of the next page (null at the end). */
  list(filter: AuditFilter): { entries: AuditEntry[]; total: number; nextBefore: number | null } {
    const { sql, values } = this.where(filter);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log ${sql}`).get(...values) as { n: number }).n;
    const paged = filter.before === undefined ? sql : `${sql ? `${sql} AND` : 'WHERE'} id < ?`;
    const pagedValues = filter.before === undefined ? values : [...values, filter.before];
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${paged} ORDER BY id DESC LIMIT ?`)
      .all(...pagedValues, filter.limit + 1) as AuditRow[];
    const entries = rows.slice(0, filter.limit).map(toEntry);
    return { entries, total, nextBefore: rows.length > filter.limit ? entries[entries.length - 1]!.id : null };
  }
}
