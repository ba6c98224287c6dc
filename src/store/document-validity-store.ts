import type { SqlDb } from './sql/sql-db.js';

/** A document's validity dates and the document it replaces (its previous version). */
export interface DocumentValidity {
  documentId: string;
  validFrom: string | null;
  validUntil: string | null;
  lastChecked: string | null;
  /** The id of the document this one replaces (same series); null when none. */
  replaces: string | null;
}

export type DocumentValidityPatch = Partial<Omit<DocumentValidity, 'documentId'>>;

interface Row {
  id: string;
  valid_from: string | null;
  valid_until: string | null;
  last_checked: string | null;
  replaces: string | null;
}

const toValidity = (r: Row): DocumentValidity => ({
  documentId: r.id,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  lastChecked: r.last_checked,
  replaces: r.replaces,
});

/** Ids per `IN (…)` list when reading the chunks of excluded documents. */
const idsPerQuery = 500;

/**
 * Validity dates of documents (columns of `documents`, schema of issue 18) over the store's
 * `SqlDb`. A re-upload keeps them: the document upsert does not touch these columns.
 */
export class DocumentValidityStore {
  constructor(private readonly sql: SqlDb) {}

  async get(documentId: string): Promise<DocumentValidity | undefined> {
    const row = await this.sql.get<Row>('SELECT id, valid_from, valid_until, last_checked, replaces FROM documents WHERE id = ?', [
      documentId,
    ]);
    return row && toValidity(row);
  }

  /** Every document with a date or a `replaces` link, by id (undated ones are absent). */
  async dated(): Promise<Map<string, DocumentValidity>> {
    const rows = await this.sql.all<Row>(
      'SELECT id, valid_from, valid_until, last_checked, replaces FROM documents WHERE valid_from IS NOT NULL OR valid_until IS NOT NULL OR last_checked IS NOT NULL OR replaces IS NOT NULL',
    );
    return new Map(rows.map((r) => [r.id, toValidity(r)]));
  }

  /** Applies `patch` (undefined fields unchanged, null clears); false when no such document. */
  async update(documentId: string, patch: DocumentValidityPatch): Promise<boolean> {
    const columns: Array<[string, string | null | undefined]> = [
      ['valid_from', patch.validFrom],
      ['valid_until', patch.validUntil],
      ['last_checked', patch.lastChecked],
      ['replaces', patch.replaces],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    if (set.length === 0) return (await this.get(documentId)) !== undefined;
    const sql = `UPDATE documents SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    return (await this.sql.run(sql, [...set.map(([, v]) => v ?? null), documentId])).changes === 1;
  }

  /**
   * Sequence numbers of the chunks learners' answers must not use on `today`: those of documents
   * expired or not yet valid, and of documents replaced by a version that is valid by then (a new
   * handbook dated from next term keeps the old one answering until that day).
   */
  async excludedChunkSeqs(today: string): Promise<Set<number>> {
    // Documents first (one row each), then their chunks through chunks_document: no chunk scan.
    const ids = (
      await this.sql.all<{ id: string }>(
        `SELECT d.id AS id FROM documents d
         WHERE (d.valid_until IS NOT NULL AND d.valid_until < ?)
            OR (d.valid_from IS NOT NULL AND d.valid_from > ?)
            OR EXISTS (SELECT 1 FROM documents n WHERE n.replaces = d.id AND n.id <> d.id AND (n.valid_from IS NULL OR n.valid_from <= ?))`,
        [today, today, today],
      )
    ).map((r) => r.id);
    const seqs = new Set<number>();
    for (let i = 0; i < ids.length; i += idsPerQuery) {
      const batch = ids.slice(i, i + idsPerQuery);
      const rows = await this.sql.all<{ seq: number }>(
        `SELECT seq FROM chunks WHERE document_id IN (${batch.map(() => '?').join(', ')})`,
        batch,
      );
      for (const { seq } of rows) seqs.add(seq);
    }
    return seqs;
  }
}
