import type { DocumentOcr } from '../contract/index.js';
import type Database from 'better-sqlite3';
import type { OcrSummary } from '../ingest/index.js';

export type { DocumentOcr };

interface Row {
  document_id: string;
  page: number;
  confidence: number;
  low_confidence: number;
}

/** Per-page OCR confidence of documents (table `document_ocr_pages`, migration `ocr-pages`). */
export class SqliteOcrPageStore {
  constructor(private readonly db: Database.Database) {}

  /** Replaces what is known of a document's OCR pages (none: it has no scanned page any more). */
  replace(documentId: string, ocr: OcrSummary | undefined): void {
    const insert = this.db.prepare('INSERT INTO document_ocr_pages (document_id, page, confidence, low_confidence) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM document_ocr_pages WHERE document_id = ?').run(documentId);
      for (const p of ocr?.pages ?? []) insert.run(documentId, p.page, p.confidence, p.lowConfidence ? 1 : 0);
    })();
  }

  /** Every document with OCR pages, by id. */
  all(): Map<string, DocumentOcr> {
    const rows = this.db.prepare('SELECT * FROM document_ocr_pages ORDER BY document_id, page').all() as Row[];
    const out = new Map<string, DocumentOcr & { total: number }>();
    for (const r of rows) {
      const d = out.get(r.document_id) ?? { pages: 0, meanConfidence: 0, lowConfidencePages: [], total: 0 };
      d.pages++;
      d.total += r.confidence;
      if (r.low_confidence) d.lowConfidencePages.push(r.page);
      out.set(r.document_id, d);
    }
    return new Map([...out].map(([id, { total, ...d }]) => [id, { ...d, meanConfidence: Math.round((total / d.pages) * 10) / 10 }]));
  }
}
