import type Database from 'better-sqlite3';

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

/**
 * Validity dates of documents (columns of `documents`, schema of issue 18). A re-upload keeps
 * them: the document upsert does not touch these columns.
 */
export class SqliteDocumentValidityStore {
  constructor(private readonly db: Database.Database) {}

  get(documentId: string): DocumentValidity | undefined {
    const row = this.db.prepare('SELECT id, valid_from, valid_until, last_checked, replaces FROM documents WHERE id = ?').get(documentId) as
      | Row
      | undefined;
    return row && toValidity(row);
  }

  /** Every document with a date or a `replaces` link, by id (undated ones are absent). */
  dated(): Map<string, DocumentValidity> {
    const rows = this.db
      .prepare(
        'SELECT id, valid_from, valid_until, last_checked, replaces FROM documents WHERE valid_from IS NOT NULL OR valid_until IS NOT NULL OR last_checked IS NOT NULL OR replaces IS NOT NULL',
      )
      .all() as Row[];
    return new Map(rows.map((r) => [r.id, toValidity(r)]));
  }

  /** Applies `patch` (undefined fields unchanged, null clears); false when no such document. */
  update(documentId: string, patch: DocumentValidityPatch): boolean {
    const columns: Array<[string, string | null | undefined]> = [
      ['valid_from', patch.validFrom],
      ['valid_until', patch.validUntil],
      ['last_checked', patch.lastChecked],
      ['replaces', patch.replaces],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    if (set.length === 0) return this.get(documentId) !== undefined;
    const sql = `UPDATE documents SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    return this.db.prepare(sql).run(...set.map(([, v]) => v ?? null), documentId).changes === 1;
  }

  /**
   * Sequence numbers of the chunks learners' answers must not use on `today`: those of documents
   * expired or not yet valid, and of documents replaced by a version that is valid by then (a new
   * handbook dated from next term keeps the old one answering until that day).
   */
  excludedChunkSeqs(today: string): Set<number> {
    // Documents first (one row each), then their chunks through chunks_document: no chunk scan.
    const ids = this.db
      .prepare(
        `SELECT d.id AS id FROM documents d
         WHERE (d.valid_until IS NOT NULL AND d.valid_until < @today)
            OR (d.valid_from IS NOT NULL AND d.valid_from > @today)
            OR EXISTS (SELECT 1 FROM documents n WHERE n.replaces = d.id AND n.id != d.id AND (n.valid_from IS NULL OR n.valid_from <= @today))`,
      )
      .all({ today }) as Array<{ id: string }>;
    const seqs = new Set<number>();
    const chunksOf = this.db.prepare('SELECT seq FROM chunks WHERE document_id = ?').pluck();
    for (const { id } of ids) for (const seq of chunksOf.all(id) as number[]) seqs.add(seq);
    return seqs;
  }
}
